//! Signature blocks as scans and flattened copies give them: the signature column (ô 7a–7c,
//! NĐ 30/2020/NĐ-CP, Phụ lục I) printed beside "Nơi nhận" (ô 9b) is read into the same lines
//! ("Noi nhận: KT.TONG CỤC TRƯỞNG" / "- Như trên; PHÓ TỔNG CỤC TRƯỞNG"), names carry stray
//! marks ("Dang! Ngọc Minh", "Qaơ Ảnh Tuấn w"), and titles lose letters ("TONG 2 CVC TRUONG").

use crate::normalize::{fold, squash};

/// "Nơi nhận" (ô 9b) as printed or misread ("Noi nhận", "Nơi nhân", "Not nhận").
pub(crate) fn is_recipients_label(line: &str) -> bool {
    let t = line.trim_start().trim_start_matches(['_', '*', ' ']);
    if !t.starts_with(['N', 'n']) {
        return false;
    }
    let f = fold(crate::agency::prefix_bytes(t, 24));
    let mut w = f
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    let (Some(a), Some(b)) = (w.next(), w.next()) else {
        return false;
    };
    a.len() == 3
        && a.starts_with('n')
        && matches!(&a[1..], "oi" | "ot" | "ol" | "o1" | "oj")
        && b.starts_with("nh")
}

/// Words of a signer's title or capacity (ô 7b): what the signature column says and a
/// recipient line does not.
const TITLE_KEYS: &[&str] = &[
    "truong",
    "chu tich",
    "giam doc",
    "bi thu",
    "chu nhiem",
    "thu tuong",
    "uy vien",
];

/// The signature column's text at the end of a line of the "Nơi nhận" list (or of its
/// label line): the run of capitals after the last lower-case letter, colon or semicolon,
/// with marks of noise dropped ("- Như trên; = ` PHÓ TỔNG CỤC TRƯỞNG" → "PHÓ TỔNG CỤC
/// TRƯỞNG"). A capacity first ("KT.TONG CUC TRUONG"), or two words or more with a word of
/// a title.
pub(crate) fn capitals_tail(line: &str) -> Option<String> {
    let t = line.trim_end();
    let start = t
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_lowercase() || matches!(c, ':' | ';' | '(' | ')' | '|'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    // "…; KT: THU TUONG": a capacity a scan printed with a colon opens the tail.
    let colon = ["KT:", "TM:", "TL:", "TUQ:"]
        .iter()
        .find(|c| t[..start].ends_with(*c));
    let owned = match colon {
        Some(c) => format!("{}. {}", &c[..c.len() - 1], &t[start..]),
        None => t[start..].to_string(),
    };
    let words: Vec<&str> = owned
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '/'))
        .filter(|w| w.chars().any(|c| c.is_alphabetic()))
        .collect();
    // A capacity is one word with its dot ("KT.TONG"); a single letter is noise.
    let words: Vec<&str> = match words.iter().position(|w| w.chars().count() > 1) {
        Some(i) => words[i..].to_vec(),
        None => return None,
    };
    let tail = words.join(" ");
    let f = fold(&tail);
    let coded = crate::signer::starts_with_capacity(&tail);
    let titled = words.len() >= 2 && TITLE_KEYS.iter().any(|k| f.contains(k));
    if !coded && !titled {
        return None;
    }
    Some(tail)
}

/// A name of 2–4 capitalised words at the end of a line after a run of capitals ("…
/// (2b). Trung Anh BỘ TRƯỞNG, CHỦ NHIỆM Mai Tiến Dũng"): the byte where it starts.
pub(crate) fn name_at_end(line: &str) -> Option<usize> {
    let t = line.trim_end();
    let words: Vec<(usize, &str)> = t
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - t.as_ptr() as usize, w))
        .collect();
    let mixed = |w: &str| {
        let mut cs = w.chars();
        cs.next().is_some_and(char::is_uppercase)
            && cs.clone().any(char::is_lowercase)
            && cs.all(char::is_alphabetic)
    };
    let n = words.iter().rev().take_while(|(_, w)| mixed(w)).count();
    if !(2..=4).contains(&n) || words.len() <= n {
        return None;
    }
    let at = words[words.len() - n].0;
    capitals_tail(&t[..at]).map(|_| at)
}

/// A person's name with a scan's stray marks cut away: punctuation inside or around the
/// words ("Dang! Ngọc Minh"), a short lower-case word at either end ("š Zuyến Xuân Phúc",
/// "Qaơ Ảnh Tuấn w").
pub(crate) fn clean_name(t: &str) -> String {
    let mut words: Vec<String> = t
        .split_whitespace()
        .map(|w| w.chars().filter(|c| c.is_alphabetic()).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect();
    let noise = |w: &String| w.chars().count() <= 2 && w.chars().all(char::is_lowercase);
    if words.first().is_some_and(noise) {
        words.remove(0);
    }
    if words.last().is_some_and(noise) {
        words.pop();
    }
    words.join(" ")
}

/// Titles of signers (NĐ 30/2020/NĐ-CP, Phụ lục I, ô 7b) a scan may misread by a letter.
const TITLES: &[&str] = &[
    "Tổng cục trưởng",
    "Phó Tổng cục trưởng",
    "Cục trưởng",
    "Phó Cục trưởng",
    "Bộ trưởng",
    "Thứ trưởng",
    "Chủ tịch",
    "Phó Chủ tịch",
    "Giám đốc",
    "Phó Giám đốc",
    "Tổng Giám đốc",
    "Thủ tướng",
    "Phó Thủ tướng",
    "Tổng Bí thư",
    "Bí thư",
    "Phó Bí thư",
    "Chủ nhiệm",
    "Phó Chủ nhiệm",
    "Chánh Văn phòng",
    "Vụ trưởng",
    "Viện trưởng",
    "Trưởng ban",
    "Phó Trưởng ban",
];

fn distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// A title in capitals misread by a scan ("TONG 2 CVC TRUONG", "LONG BÌ THỨ", "PHÓ TỎNG CỤC
/// TRƯỞNG"): the title of [`TITLES`] one letter away once lone digits are dropped, or with
/// the same letters and other marks; None when none is that near or the text already is one.
pub(crate) fn mended_title(t: &str) -> Option<String> {
    let f: String = fold(t)
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect::<Vec<_>>()
        .join(" ");
    let fc: Vec<char> = f.chars().collect();
    if fc.len() < 6 {
        return None;
    }
    if let Some(x) = TITLES.iter().find(|x| fold(x) == f) {
        // Spelled right but for its marks ("PHÓ TỎNG CỤC TRƯỞNG", "PHO TONG CUC TRUONG").
        return (squash(&t.to_lowercase()) != x.to_lowercase()).then(|| x.to_string());
    }
    let near: Vec<&str> = TITLES
        .iter()
        .filter(|x| distance(&fold(x).chars().collect::<Vec<_>>(), &fc) <= 1)
        .copied()
        .collect();
    if near.len() == 1 {
        return Some(near[0].to_string());
    }
    // A scan's debris in the line ("+ ỐNG © ỤC TRƯỜNG"): two letters lost, when only one
    // title is that near.
    let debris = t
        .chars()
        .any(|c| !(c.is_alphanumeric() || c.is_whitespace() || matches!(c, ',' | '.' | '-')));
    let near: Vec<&str> = TITLES
        .iter()
        .filter(|x| distance(&fold(x).chars().collect::<Vec<_>>(), &fc) <= 2)
        .copied()
        .collect();
    (debris && fc.len() >= 12 && near.len() == 1).then(|| near[0].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label() {
        assert!(is_recipients_label("Noi nhận:} - KT. TONG"));
        assert!(is_recipients_label("Not nhận: TL. TONG"));
        assert!(is_recipients_label("Nơi nhân: T/M BAN"));
        assert!(!is_recipients_label("Nội dung nhận được"));
    }

    #[test]
    fn tails() {
        assert_eq!(
            capitals_tail("- Như trên; = ` PHÓ TỎNG CỤC TRƯỞNG").as_deref(),
            Some("PHÓ TỎNG CỤC TRƯỞNG")
        );
        assert_eq!(
            capitals_tail("Noi nhận:ÿ . ; KT.TONG CUC TRUONG").as_deref(),
            Some("KT.TONG CUC TRUONG")
        );
        assert_eq!(capitals_tail("- Lưu: VT, TTKT."), None);
        assert_eq!(
            capitals_tail("~ Thủ tướng, các Phó Thủ tướng Chính phủ; KT: THU TUONG").as_deref(),
            Some("KT. THU TUONG")
        );
        assert_eq!(capitals_tail("- Như trên; = ` TRƯỞNG"), None);
        assert_eq!(
            capitals_tail("- Các ban đảng, đảng uỷ ==ss„LONG BÌ THỨ").as_deref(),
            Some("LONG BÌ THỨ")
        );
    }

    #[test]
    fn names() {
        let l = "- Lưu: VT, ĐMDN (2b). Trung Anh BỘ TRƯỞNG, CHỦ NHIỆM Mai Tiến Dũng";
        assert_eq!(&l[name_at_end(l).unwrap()..], "Mai Tiến Dũng");
        assert_eq!(name_at_end("- Lưu: VT, Trung Anh"), None);
        assert_eq!(clean_name("Dang! Ngọc Minh"), "Dang Ngọc Minh");
        assert_eq!(clean_name("š Zuyến Xuân Phúc"), "Zuyến Xuân Phúc");
        assert_eq!(clean_name("Qaơ Ảnh Tuấn w"), "Qaơ Ảnh Tuấn");
    }

    #[test]
    fn titles() {
        assert_eq!(
            mended_title("TONG 2 CVC TRUONG").as_deref(),
            Some("Tổng cục trưởng")
        );
        assert_eq!(mended_title("LONG BÌ THỨ").as_deref(), Some("Tổng Bí thư"));
        assert_eq!(
            mended_title("+ ỐNG © ỤC TRƯỜNG").as_deref(),
            Some("Tổng cục trưởng")
        );
        assert_eq!(mended_title("TỔNG CỤC TRƯỞNG"), None);
        assert_eq!(
            mended_title("PHÓ TỎNG CỤC TRƯỞNG").as_deref(),
            Some("Phó Tổng cục trưởng")
        );
    }
}
