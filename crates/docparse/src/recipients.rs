//! Ô 9a, the addressees of "Kính gửi:" and of a công điện's "điện:" (NĐ 30/2020/NĐ-CP,
//! Phụ lục I, mục II.9a; Phụ lục III): the forms the general reader of bodies does not
//! split as the letter means them — Party committees and People's Committees of a named list
//! of provinces and cities, and a collective of bodies under one "các".

use crate::normalize::fold;

/// Head titles before the body addressed ("Chủ tịch Ủy ban nhân dân …"): the body is the
/// addressee.
const HEADS: &[&str] = &[
    "bi thu ",
    "chu tich ",
    "bo truong ",
    "thu truong ",
    "giam doc ",
    "tong giam doc ",
    "truong ban ",
];

/// The cities under the central government (thành phố trực thuộc trung ương: Luật Tổ chức
/// chính quyền địa phương; Nghị quyết 202/2025/QH15 on the provinces from 12/6/2025): a
/// place of this list is a "thành phố", any other one a "tỉnh".
pub(crate) const CITIES: &[&str] = &[
    "ha noi",
    "hue",
    "hai phong",
    "da nang",
    "can tho",
    "ho chi minh",
];

/// Bodies a province or city has, named without their place ("Tỉnh ủy", "Ủy ban nhân dân").
const LOCAL_BODIES: &[&str] = &[
    "tinh uy",
    "thanh uy",
    "uy ban nhan dan",
    "ubnd",
    "hoi dong nhan dan",
    "hdnd",
];

/// Whether `s` opens with a head's title ("Bí thư Tỉnh ủy …", "Chủ tịch Ủy ban …").
pub(crate) fn starts_with_head(s: &str) -> bool {
    let f = fold(s.trim());
    HEADS.iter().any(|h| f.starts_with(h))
}

fn without_head(s: &str) -> &str {
    let s = s.trim();
    let f = fold(s);
    for h in HEADS {
        if f.starts_with(h) {
            // The folded key keeps one byte per letter: count the letters.
            let n = h.chars().count();
            return s.char_indices().nth(n).map_or("", |(i, _)| &s[i..]).trim();
        }
    }
    s
}

fn is_party(f: &str) -> bool {
    f == "tinh uy" || f == "thanh uy"
}

/// Where the shared "các tỉnh, thành phố …" begins in `left`, and whether it names
/// provinces, cities or both.
fn places_kind(left: &str) -> Option<(usize, bool, bool)> {
    let f = fold(left);
    let at = f.find(" cac tinh").or_else(|| f.find(" cac thanh pho"))?;
    let kinds = &f[at..];
    // Byte offsets of the folded text and the text differ: count characters.
    let chars = f[..at].chars().count();
    let cut = left
        .char_indices()
        .nth(chars)
        .map_or(left.len(), |(i, _)| i);
    Some((cut, kinds.contains("tinh"), kinds.contains("thanh pho")))
}

/// One collective named with its heads: "Bộ trưởng, Thủ trưởng cơ quan ngang Bộ, cơ quan
/// thuộc Chính phủ" (the ministers and heads of the other central bodies: "Các Bộ, cơ quan
/// ngang Bộ, cơ quan thuộc Chính phủ"), "Chủ tịch các Tập đoàn, Tổng Công ty Nhà nước"
/// (bodies under one "các", kept whole).
fn collective(item: &str) -> Option<String> {
    let f = fold(item);
    if item.contains(':') || item.contains(';') {
        return None;
    }
    if let Some(rest) = f.strip_prefix("bo truong, thu truong ") {
        let n = item.chars().count() - rest.chars().count();
        let tail = item.char_indices().nth(n).map_or("", |(i, _)| &item[i..]);
        return Some(format!("Các Bộ, {}", tail.trim()));
    }
    let body = without_head(item);
    let fb = fold(body);
    let headed = body.len() < item.len();
    let one_cac = fb.starts_with("cac ") && fb.matches("cac ").count() == 1;
    let other_head = HEADS.iter().any(|h| fb.contains(&format!(", {h}")));
    (headed && one_cac && body.contains(',') && !other_head && !fb.contains(" va "))
        .then(|| crate::normalize::capitalize_first(body))
}

/// The bodies a "Nơi nhận" list (ô 9b) marks as carrying the text out: "- Tổng cục Thuế (để
/// thực hiện);", "- Sở Tư pháp (để t/h);" (OCR spellings "đê", "dé" of "để" included).
pub(crate) fn executors(list: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for l in list {
        let t = l.trim().trim_start_matches(['-', '–', '~', '+', ' ']);
        let f = fold(t);
        let Some(at) = ["(de thuc hien", "(de t/h", "(thuc hien)"]
            .iter()
            .filter_map(|m| f.find(m))
            .min()
        else {
            continue;
        };
        // The body is named before the bracket.
        let name = t[..t.find('(').unwrap_or(t.len())].trim();
        if at == 0 || name.is_empty() || crate::normalize::fold(name).starts_with("nhu ") {
            continue;
        }
        for a in crate::agency::parse_agencies(name) {
            if !out.contains(&a) {
                out.push(a);
            }
        }
    }
    out
}

/// The first body a notice's closing tells to carry it out ("… thông báo để Ủy ban nhân
/// dân tỉnh Sơn La và các Bộ, cơ quan liên quan biết, thực hiện./."), when it does; the
/// collectives after it have their own points.
pub(crate) fn told_to_carry_out(closing: &str) -> Vec<String> {
    let t = crate::normalize::squash(closing);
    let Some(at) = t.rfind("thông báo để ") else {
        return Vec::new();
    };
    let rest = &t[at + "thông báo để ".len()..];
    let Some(end) = rest.find(" biết") else {
        return Vec::new();
    };
    let low = crate::agency::lower_aligned(&rest[..end]);
    if !low.contains("thực hiện") && !rest[end..].to_lowercase().contains("thực hiện") {
        return Vec::new();
    }
    let named = rest[..end].trim_end_matches(" được");
    crate::agency::parse_agencies(&crate::normalize::capitalize_first(named))
        .into_iter()
        .find(|a| !fold(a).starts_with("cac "))
        .into_iter()
        .collect()
}

/// The addressees of one item of ô 9a when it is one of the forms above; None otherwise.
pub(crate) fn read(item: &str) -> Option<Vec<String>> {
    let item = item.trim().trim_end_matches(['.', ';', ',']).trim();
    // "… để lãnh đạo, chỉ đạo": why it is sent, not who to.
    let item = item.split(" để ").next().unwrap_or(item).trim();
    if let Some(c) = collective(item) {
        return Some(vec![c]);
    }
    let (left, places) = match item.split_once(':') {
        Some((l, p)) => (l.trim(), Some(p.trim())),
        None => (item, None),
    };
    let (cut, province, city) = places_kind(left)?;
    let bodies: Vec<&str> = left[..cut]
        .split(',')
        .map(without_head)
        .filter(|b| !b.is_empty())
        .collect();
    let folded: Vec<String> = bodies.iter().map(|b| fold(b)).collect();
    if bodies.is_empty() || !folded.iter().all(|f| LOCAL_BODIES.contains(&f.as_str())) {
        return None;
    }
    let party = folded.iter().any(|f| is_party(f));
    let Some(places) = places else {
        // "Bí thư Tỉnh ủy, Thành ủy các tỉnh, thành phố": one collective under one "các".
        return (bodies.len() >= 2).then(|| vec![without_head(item).to_string()]);
    };
    if !party && bodies.len() < 2 && !(province && city) {
        // One body of a list of provinces only ("Ủy ban nhân dân các tỉnh: A, B"): the
        // general reader spells it alike.
        return None;
    }
    let mut out: Vec<String> = Vec::new();
    for p in places.split([',', ';']).flat_map(|p| p.split(" và ")) {
        let p = p.trim().trim_end_matches('.').trim();
        if p.is_empty() {
            continue;
        }
        let is_city = city && (!province || CITIES.contains(&fold(p).as_str()));
        let kind = if is_city { "thành phố" } else { "tỉnh" };
        let mut party_done = false;
        for (b, f) in bodies.iter().zip(&folded) {
            if is_party(f) {
                if !party_done {
                    out.push(format!(
                        "{} {p}",
                        if is_city {
                            "Thành ủy"
                        } else {
                            "Tỉnh ủy"
                        }
                    ));
                    party_done = true;
                }
            } else {
                out.push(format!("{b} {kind} {p}"));
            }
        }
    }
    Some(out)
}

/// The general reader's bodies for one item of ô 9a, mended: an item with no separator is
/// one addressee ("Bảo hiểm xã hội Bộ Quốc phòng": the unit of a ministry, not two bodies).
pub(crate) fn mend(item: &str, parsed: Vec<String>) -> Vec<String> {
    let t = item.trim().trim_end_matches(['.', ';', ',']).trim();
    let f = fold(t);
    if parsed.len() > 1
        && !t.contains([',', ';', ':', '(', '/'])
        && !f.contains(" va ")
        && !starts_with_head(t)
        && t.chars().count() < 120
    {
        return vec![t.to_string()];
    }
    parsed
}

/// An addressee line of a scan with marks before its dash ("7 ~ Cục Thuế …", "Rad ¿xo -
/// Cục Thuế doanh nghiệp lớn;"): the addressee after a "-" or "~" within the line's first
/// few characters.
pub(crate) fn after_scan_debris(line: &str) -> Option<&str> {
    let head = crate::agency::prefix_bytes(line, 16);
    let at = head.rfind(['-', '~'])?;
    let rest = line[at + 1..].trim_start();
    (at > 0 && crate::agency::starts_like_agency(rest)).then_some(rest)
}

/// A head's title alone ("Kính gửi: Bộ trưởng" / "Bộ Công Thương"): its body is on the
/// next line.
pub(crate) fn is_head_title(s: &str) -> bool {
    crate::agency::TITLES_ALONE.contains(&crate::normalize::fold(s.trim()).as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scan_s_addressee_lines() {
        assert_eq!(
            after_scan_debris("7 ~ Cục Thuế các tỉnh, thành phố trực thuộc Trung ương;"),
            Some("Cục Thuế các tỉnh, thành phố trực thuộc Trung ương;")
        );
        assert_eq!(
            after_scan_debris("Rad ¿xo - Cục Thuế doanh nghiệp lớn;"),
            Some("Cục Thuế doanh nghiệp lớn;")
        );
        assert_eq!(
            after_scan_debris("Căn cứ Luật Quản lý thuế - Cục Thuế"),
            None
        );
        let docs = crate::parse(
            "TỔNG CỤC THUẾ\nSố: 5427/TCT-TTKT\nV/v hướng dẫn lập kế hoạch thanh tra\nHà Nội, ngày 16 \
             tháng 11 năm 2023\nKính gui:\n7 ~ Cục Thuế các tỉnh, thành phố trực thuộc Trung ương;\n\
             Rad ¿xo - Cục Thuế doanh nghiệp lớn;\n\nok\n\nTổng cục Thuế đề nghị các Cục Thuế triển \
             khai thực hiện.\n",
        );
        assert_eq!(
            docs[0].recipients,
            [
                "Cục Thuế các tỉnh, thành phố trực thuộc Trung ương",
                "Cục Thuế doanh nghiệp lớn"
            ]
        );
        assert_eq!(
            docs[0].subject.as_deref(),
            Some("hướng dẫn lập kế hoạch thanh tra")
        );
    }

    #[test]
    fn named_places() {
        let got = read(
            "Bí thư Tỉnh ủy, Thành ủy, Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc \
             Trung ương: Hà Tĩnh, Huế.",
        )
        .unwrap();
        assert_eq!(
            got,
            [
                "Tỉnh ủy Hà Tĩnh",
                "Ủy ban nhân dân tỉnh Hà Tĩnh",
                "Thành ủy Huế",
                "Ủy ban nhân dân thành phố Huế"
            ]
        );
    }

    #[test]
    fn mended() {
        assert_eq!(
            mend(
                "Bảo hiểm xã hội Bộ Quốc phòng;",
                vec!["Bảo hiểm xã hội".into(), "Bộ Quốc phòng".into()]
            ),
            ["Bảo hiểm xã hội Bộ Quốc phòng"]
        );
    }

    #[test]
    fn headed_collectives() {
        assert_eq!(
            read("Bộ trưởng, Thủ trưởng cơ quan ngang Bộ, cơ quan thuộc Chính phủ;").unwrap(),
            ["Các Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ"]
        );
        assert_eq!(
            read("Chủ tịch các Tập đoàn, Tổng Công ty Nhà nước.").unwrap(),
            ["Các Tập đoàn, Tổng Công ty Nhà nước"]
        );
        assert_eq!(read("Bộ trưởng các Bộ, Thủ trưởng cơ quan ngang bộ"), None);
    }

    #[test]
    fn collective() {
        assert_eq!(
            read("Bí thư Tỉnh ủy, Thành ủy các tỉnh, thành phố để lãnh đạo, chỉ đạo.").unwrap(),
            ["Tỉnh ủy, Thành ủy các tỉnh, thành phố"]
        );
        assert_eq!(
            read("Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương"),
            None
        );
        assert_eq!(
            read("Chủ tịch Ủy ban nhân dân các tỉnh: Hưng Yên, Ninh Bình"),
            None
        );
        assert_eq!(
            read("Chủ tịch Ủy ban nhân dân các tỉnh, thành phố: Quảng Ninh, Hải Phòng.").unwrap(),
            [
                "Ủy ban nhân dân tỉnh Quảng Ninh",
                "Ủy ban nhân dân thành phố Hải Phòng"
            ]
        );
    }
}
