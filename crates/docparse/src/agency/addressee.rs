//! A body named short in the text for one of the letter's addressees: "Kính gửi: Cục Thuế
//! các tỉnh, thành phố trực thuộc Trung ương" then "… đề nghị các Cục Thuế thực hiện …".

use crate::normalize::fold;

/// Folded words of a body's name, a leading "các" dropped.
fn name_words(s: &str) -> Vec<String> {
    let f = fold(s);
    let mut w: Vec<String> = f
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    if w.first().is_some_and(|x| x == "cac") {
        w.remove(0);
    }
    w
}

/// Two folded words alike, a scan's one wrong letter allowed in a word of three letters or
/// more ("phế" read for "phố": "Cục Thuế các tỉnh thành phế trực thuộc Trung ương").
fn same_word(a: &str, b: &str) -> bool {
    a == b
        || a.len() == b.len()
            && a.len() >= 3
            && a.bytes().zip(b.bytes()).filter(|(x, y)| x != y).count() == 1
}

/// Whether two names are one, word for word, a scan's slips aside.
pub fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (name_words(a), name_words(b));
    a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| same_word(x, y))
}

/// The addressee `lead` shortens (or names with a scan's slip): its words (at least two) begin the addressee's longer
/// name ("Các Cục Thuế", "Cục Thuế các tỉnh, thành phố" → "Cục Thuế các tỉnh, thành phố
/// trực thuộc Trung ương"). None when no addressee, or more than one, fits.
pub fn addressee_of(lead: &str, recipients: &[String]) -> Option<String> {
    let short = name_words(lead);
    if short.len() < 2 {
        return None;
    }
    let mut fits = recipients.iter().filter(|r| {
        let long = name_words(r);
        long.len() >= short.len()
            && long[..short.len()]
                .iter()
                .zip(&short)
                .all(|(a, b)| same_word(a, b))
    });
    let first = fits.next()?;
    if fits.next().is_some() {
        return None;
    }
    Some(first.clone())
}

/// Collectives that name no body of their own: in a letter they are its addressees
/// ("Bộ Xây dựng yêu cầu các cơ quan, đơn vị: …" to the bodies of "điện:").
const GENERIC: &[&str] = &[
    "co quan, don vi",
    "don vi",
    "co quan",
    "don vi, dia phuong",
    "co quan, don vi, dia phuong",
];

/// The addressees a lead stands for: a bare collective ("Các cơ quan, đơn vị") is all of
/// them; "Các Sở Xây dựng nêu trên" ("named above") those whose names begin so.
pub fn addressees_meant(lead: &str, recipients: &[String]) -> Option<Vec<String>> {
    if recipients.is_empty() {
        return None;
    }
    let f = fold(lead);
    let f = f.trim().strip_prefix("cac ").unwrap_or(f.trim());
    if GENERIC.contains(&f) {
        return Some(recipients.to_vec());
    }
    let named = lead.trim().strip_suffix("nêu trên")?;
    let short = name_words(named);
    if short.is_empty() {
        return None;
    }
    let all: Vec<String> = recipients
        .iter()
        .filter(|r| {
            let long = name_words(r);
            long.len() >= short.len() && long[..short.len()] == short[..]
        })
        .cloned()
        .collect();
    (!all.is_empty()).then_some(all)
}

/// Place kinds after which an addressee names its place ("Ủy ban nhân dân tỉnh Hà Tĩnh").
const PLACE_KINDS: &[&str] = &["tinh", "thanh", "huyen", "xa", "phuong", "quan", "thi"];

/// A lead list that says "… nêu trên" ("Bộ trưởng các Bộ: …; Bí thư tỉnh ủy, thành ủy và
/// Chủ tịch Ủy ban nhân dân các tỉnh, thành phố nêu trên"): the places named above, in
/// the addressees' order ("Tỉnh ủy Hà Tĩnh", "Ủy ban nhân dân tỉnh Hà Tĩnh", …), where the
/// leads name them by kind: each "X các tỉnh, thành phố nêu trên" and the party committees
/// ("Tỉnh ủy, thành ủy") beside it. The other leads stay as they are.
pub fn places_named_above(leads: &[String], recipients: &[String]) -> Option<Vec<String>> {
    let above = |l: &String| fold(l).trim_end().ends_with("neu tren");
    if !leads.iter().any(above) {
        return None;
    }
    // The words before "các" of a lead by kind ("uy ban nhan dan"), or the party committees.
    let heads: Vec<Option<Vec<String>>> = leads
        .iter()
        .map(|l| {
            let f = fold(l);
            if f == "tinh uy, thanh uy" || f == "cac tinh uy, thanh uy" {
                return Some(Vec::new());
            }
            if !above(l) {
                return None;
            }
            let named = f.trim_end().strip_suffix("neu tren")?.trim_end();
            let (head, _) = named.split_once(" cac ")?;
            Some(name_words(head))
        })
        .collect();
    let meant = |r: &String, head: &[String]| {
        let w = name_words(r);
        if head.is_empty() {
            return w.len() > 2 && (w[..2] == ["tinh", "uy"] || w[..2] == ["thanh", "uy"]);
        }
        w.len() > head.len() + 1
            && w[..head.len()] == head[..]
            && PLACE_KINDS.contains(&w[head.len()].as_str())
    };
    let picked: Vec<String> = recipients
        .iter()
        .filter(|r| heads.iter().flatten().any(|h| meant(r, h)))
        .cloned()
        .collect();
    if picked.is_empty() || heads.iter().all(Option::is_none) {
        return None;
    }
    let mut out: Vec<String> = Vec::new();
    let mut placed = false;
    for (l, h) in leads.iter().zip(&heads) {
        match h {
            Some(_) if !placed => {
                out.extend(picked.iter().cloned());
                placed = true;
            }
            Some(_) => {}
            None => out.push(l.clone()),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_name_of_an_addressee() {
        let r = vec!["Cục Thuế các tỉnh, thành phố trực thuộc Trung ương".to_string()];
        assert_eq!(
            addressee_of("Các Cục Thuế", &r).as_deref(),
            Some(r[0].as_str())
        );
        assert_eq!(
            addressee_of("Cục Thuế các tỉnh, thành phố", &r).as_deref(),
            Some(r[0].as_str())
        );
        assert_eq!(addressee_of("Cục", &r), None);
        assert_eq!(addressee_of("Bộ Tài chính", &r), None);
    }

    #[test]
    fn places_named_above_in_the_addressees_order() {
        let r: Vec<String> = [
            "Tỉnh ủy Hà Tĩnh",
            "Ủy ban nhân dân tỉnh Hà Tĩnh",
            "Thành ủy Huế",
            "Ủy ban nhân dân thành phố Huế",
            "Các Bộ",
        ]
        .map(String::from)
        .to_vec();
        let leads: Vec<String> = [
            "Bộ Quốc phòng",
            "Tỉnh ủy, thành ủy",
            "Ủy ban nhân dân các tỉnh, thành phố nêu trên",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            places_named_above(&leads, &r).unwrap(),
            [
                "Bộ Quốc phòng",
                "Tỉnh ủy Hà Tĩnh",
                "Ủy ban nhân dân tỉnh Hà Tĩnh",
                "Thành ủy Huế",
                "Ủy ban nhân dân thành phố Huế"
            ]
        );
        assert_eq!(places_named_above(&leads[..1], &r), None);
    }

    #[test]
    fn collectives_for_the_addressees() {
        let r = vec![
            "Cục Đường bộ Việt Nam".to_string(),
            "Sở Xây dựng Gia Lai".to_string(),
            "Sở Xây dựng Đắk Lắk".to_string(),
        ];
        assert_eq!(addressees_meant("Các cơ quan, đơn vị", &r), Some(r.clone()));
        assert_eq!(
            addressees_meant("Các Sở Xây dựng nêu trên", &r),
            Some(r[1..].to_vec())
        );
        assert_eq!(addressees_meant("Bộ Tài chính", &r), None);
    }

    #[test]
    fn a_scan_s_slip_in_an_addressee_s_name() {
        let to = ["Cục Thuế các tỉnh, thành phố trực thuộc Trung ương".to_string()];
        assert!(same_name(
            "Cục Thuế các tỉnh thành phế trực thuộc Trung ương",
            &to[0]
        ));
        assert_eq!(
            addressee_of("Cục Thuế các tỉnh thành phế trực thuộc Trung ương", &to).as_deref(),
            Some(to[0].as_str())
        );
        assert_eq!(
            addressee_of("Các Cục Thuế", &to).as_deref(),
            Some(to[0].as_str())
        );
        // Two letters wrong is another name.
        assert!(!same_name("Cục Thuế tỉnh Hà Nam", "Cục Thuế tỉnh Hà Tây"));
    }
}
