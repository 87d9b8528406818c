//! The issuer of a copy that lost its header block (ô 1–5), read from the signature and
//! from how the body names itself (NĐ 30/2020/NĐ-CP, Phụ lục I: ô 7a "TM./KT./TL./TUQ./Q."
//! and the head's title say what kind of body signs; the body then names itself before a
//! verb of its own: "Sở Nội vụ đề nghị …", "Cục Lãnh sự trân trọng thông báo …").

use crate::normalize::fold;

/// The head's title in ô 7a/7b and the word the body's name begins with.
const HEADS: &[(&str, &str)] = &[
    ("tong cuc truong", "Tổng cục"),
    ("cuc truong", "Cục"),
    ("bo truong", "Bộ"),
    ("giam doc", "Sở"),
    ("truong ban", "Ban"),
    ("vu truong", "Vụ"),
    ("chanh van phong", "Văn phòng"),
    ("vien truong", "Viện"),
];

/// Verbs a body writes after its own name.
const OWN_VERBS: &[&str] = &[
    "yeu cau",
    "de nghi",
    "thong bao",
    "tran trong",
    "xin ",
    "kinh gui",
];

/// The body's kind from the first capacity line of the signature ("TL. BỘ TRƯỞNG" /
/// "KT. CHÁNH VĂN PHÒNG": the Bộ signs), the title on the next line when the capacity
/// stands alone ("KT." / "CỤC TRƯỞNG").
fn signing_kind(lines: &[&str]) -> Option<&'static str> {
    let clean = |l: &str| l.trim().trim_matches(['*', '_', '|', ' ']).to_string();
    let n = lines.len();
    let from = n.saturating_sub(300);
    for i in from..n {
        let t = clean(lines[i]);
        let f = fold(&t);
        let rest = ["tm.", "kt.", "tl.", "tuq.", "q.", "k/t", "t/m", "kt:"]
            .iter()
            .find_map(|c| f.strip_prefix(c))
            .map(str::trim);
        let Some(rest) = rest else { continue };
        let rest = if rest.is_empty() {
            fold(&clean(lines.get(i + 1).copied().unwrap_or("")))
        } else {
            rest.to_string()
        };
        if let Some((_, kind)) = HEADS.iter().find(|(h, _)| rest.starts_with(h)) {
            return Some(kind);
        }
    }
    None
}

/// The issuer named in the body before a verb of its own, its name beginning with the
/// signing body's kind ("Bộ Văn hóa, Thể thao và Du lịch yêu cầu …"); a Cục's parent
/// ministry written after it ("Cục Lãnh sự Bộ Ngoại giao xin …") is not part of the name.
pub(crate) fn issuer_from_signature(lines: &[&str]) -> Option<String> {
    let kind = signing_kind(lines)?;
    let text: String = lines
        .iter()
        .map(|l| l.trim().replace(['*', '_'], ""))
        .collect::<Vec<_>>()
        .join(" ");
    let text = crate::normalize::squash(&text);
    let folded_kind = fold(kind);
    // Sentences; names hold commas but not full stops, colons or semicolons.
    for sentence in text.split(['.', ';', ':']) {
        let words: Vec<&str> = sentence.split_whitespace().collect();
        for v in 1..words.len() {
            let tail = fold(&words[v..words.len().min(v + 3)].join(" "));
            if !OWN_VERBS.iter().any(|o| tail.starts_with(o))
                || !words[v].starts_with(char::is_lowercase)
            {
                continue;
            }
            // The nearest start of a name of that kind before the verb.
            let kn = folded_kind.split(' ').count();
            let start = (0..v.saturating_sub(kn)).rev().find(|&s| {
                fold(&words[s..s + kn].join(" ")) == folded_kind
                    && words[s].starts_with(char::is_uppercase)
                    && words
                        .get(s + kn)
                        .is_some_and(|w| w.starts_with(char::is_uppercase))
            });
            let Some(s) = start else { continue };
            if v - s > 30 {
                continue;
            }
            let mut name: Vec<&str> = words[s..v].to_vec();
            if kind != "Bộ"
                && let Some(p) = name.iter().skip(2).position(|w| *w == "Bộ")
            {
                name.truncate(p + 2);
            }
            let name = name.join(" ");
            let name = name.trim_end_matches(',').trim();
            if name.split_whitespace().count() >= 2 {
                return Some(name.to_string());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(t: &str) -> Option<String> {
        let lines: Vec<&str> = t.split('\n').collect();
        issuer_from_signature(&lines)
    }

    #[test]
    fn headerless_letters() {
        let t = "Kính gửi: Các doanh nghiệp\nNhằm bảo đảm. Sở Nội vụ đề nghị các doanh nghiệp\nkiểm tra.\nNơi nhận:\n- Như trên;\n**KT. GIÁM ĐỐC**\n**PHÓ GIÁM ĐỐC**\nNguyễn Văn A";
        assert_eq!(read(t).as_deref(), Some("Sở Nội vụ"));
        let t = "Kính gửi: Các cơ quan\nThực hiện chủ trương, Cục Lãnh\nsự Bộ Ngoại giao xin trân trọng thông báo:\n**KT.\nCỤC TRƯỞNG **\nPHÓ CỤC TRƯỞNG";
        assert_eq!(read(t).as_deref(), Some("Cục Lãnh sự"));
        let t = "Kính gửi: Thủ trưởng các đơn vị thuộc Bộ\nBộ trưởng giao: làm.\nBộ Văn hóa, Thể thao và Du lịch\nyêu cầu các đơn vị triển khai./.\n**TL. BỘ TRƯỞNG**\n**KT. CHÁNH VĂN PHÒNG **\nPHÓ CHÁNH VĂN PHÒNG";
        assert_eq!(read(t).as_deref(), Some("Bộ Văn hóa, Thể thao và Du lịch"));
        let t = "Kính gửi: Các Bộ\nCủa Bộ Chính trị, Ban Bí thư, Ban Chỉ đạo thực hiện sắp xếp, tổ chức lại đơn vị hành chính yêu cầu các Bộ làm ngay.\n**KT. TRƯỞNG BAN**\nPHÓ TRƯỞNG BAN";
        assert_eq!(
            read(t).as_deref(),
            Some("Ban Chỉ đạo thực hiện sắp xếp, tổ chức lại đơn vị hành chính")
        );
    }
}
