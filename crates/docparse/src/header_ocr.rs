//! Header lines as scans and web copies give them: the national motto misread ("CONG
//! HOAYXA HOI", "Doc lap - Ty do - Hanh phic") beside the issuer's name, and a page's
//! title sentence glued before the issuer block ("… do Văn phòng Chính phủ ban hành.
//! VĂN PHÒNG CHÍNH PHỦ -------").

use crate::normalize::fold;
use regex::Regex;
use std::sync::LazyLock;

/// Ô 3 as a scan gives it: "Số: §Ø0 /TCT-TTr", "Số: 3 70 /TCHQ-TXNK", "số: 4222 /TCT -PC":
/// after "Số:" a short number part (with a digit, whatever else the scan made of it), then
/// the symbol.
static MISREAD_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[\s|])(?:Số|SỐ|số|So)\s*:\s*([^\s/:|]{1,6}(?:\s\d{1,4})?)\s*(?:\|\s*)?/\s*(\p{Lu}[\p{L}&]*\d{0,2}(?:\s?-\s?\p{Lu}[\p{L}&]*\d{0,2}){0,3})",
    )
    .expect("static regex")
});

/// The number of ô 3 as printed, spaces removed (NĐ 30/2020/NĐ-CP, Phụ lục I, mục II.3:
/// "Số: …/…-…"), however a scan misread its digits.
pub(crate) fn misread_number(line: &str) -> Option<String> {
    let c = MISREAD_NUMBER.captures(line)?;
    let (n, sym) = (c.get(1)?.as_str(), c.get(2)?.as_str());
    if !n.chars().any(|c| c.is_ascii_digit()) || n.contains('-') {
        return None;
    }
    let n: String = n.split_whitespace().collect();
    let sym: String = sym.split_whitespace().collect();
    (sym.chars().filter(|c| c.is_uppercase()).count() >= 2).then(|| format!("{n}/{sym}"))
}

/// Byte position in `s` where a misread national motto (NĐ 30/2020/NĐ-CP, Phụ lục I,
/// ô 1: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc") or the
/// Party's "ĐẢNG CỘNG SẢN VIỆT NAM" begins, read with its marks dropped.
pub(crate) fn motto_start(s: &str) -> Option<usize> {
    let starts: Vec<usize> = s
        .char_indices()
        .map(|(i, _)| i)
        .filter(|&i| i == 0 || s[..i].ends_with(' '))
        .collect();
    starts.into_iter().find(|&i| {
        let f = fold(crate::agency::prefix_bytes(&s[i..], 24));
        let f = f.trim_start_matches(|c: char| !c.is_alphanumeric());
        f.starts_with("cong hoa")
            || f.starts_with("doc lap")
            || f.starts_with("dang cong san")
            // "Doc lọc Tự do - Hạnh phúc": the motto's second line misread.
            || (f.starts_with("doc l") && f.contains("tu do"))
    })
}

/// The issuer block at the end of a line of ordinary text: the words in capitals after
/// the last sentence end ("… ban hành. VĂN PHÒNG CHÍNH PHỦ -------" → "VĂN PHÒNG CHÍNH
/// PHỦ"), at least two words.
pub(crate) fn capitals_after_sentence(s: &str) -> Option<String> {
    let t = s.trim_end_matches(|c: char| c == '-' || c == '_' || c.is_whitespace());
    let (_, tail) = t.rsplit_once(". ")?;
    let tail = tail.trim();
    let words: Vec<&str> = tail.split_whitespace().collect();
    let capitals = words.iter().all(|w| {
        w.chars().any(char::is_alphabetic)
            && w.chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
    });
    (words.len() >= 2 && capitals).then(|| tail.to_string())
}

/// "VW thực hiện …", "V\\v …": the "V/v" of a trích yếu as a scan misreads it, then the
/// subject in lower case; the byte where the subject starts.
pub(crate) fn misread_vv(t: &str) -> Option<usize> {
    static VV: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^V[/\\|lI]?[vVwW]\.?\s+").expect("static regex"));
    let m = VV.find(t)?;
    t[m.end()..]
        .starts_with(|c: char| c.is_lowercase())
        .then_some(m.end())
}

/// "Số:" alone in its cell or line, the number on the next (ô 3 of a header broken in
/// cells): the line of the number and the number.
pub(crate) fn split_number(lines: &[&str]) -> Option<(usize, String)> {
    let i = lines.iter().position(|l| {
        let t = l.trim().trim_matches(['|', '*', ' ']);
        matches!(t, "Số:" | "SỐ:" | "Số" | "SỐ")
    })?;
    let (k, next) = lines
        .iter()
        .enumerate()
        .skip(i + 1)
        .take(3)
        .map(|(k, l)| (k, l.trim().trim_matches(['|', '*', ' '])))
        .find(|(_, l)| !l.is_empty())?;
    let f = crate::number::find_numbers(next).into_iter().next()?;
    (next[..f.start].trim().is_empty()).then_some((k, f.text))
}

/// A number printed right before ô 4 on the same line, its "Số:" lost in a scan ("… 41
/// /CT-TTs Ha Nội, ngày … năm 2020"): ô 3 and ô 4 stand side by side (NĐ 30/2020/NĐ-CP,
/// Phụ lục I, mục II.3 and II.4), so a number with only the place between it and ", ngày"
/// is the document's.
pub(crate) fn number_before_place(line: &str) -> Option<String> {
    let q = line.find(", ng").or_else(|| line.find(",ng"))?;
    let f = crate::number::find_numbers(&line[..q]).into_iter().last()?;
    // "864305 /TCT-KK. Hà Nội, ngdy …": a scan's full stop after the symbol.
    let between: Vec<&str> = line[f.end..q]
        .trim_start_matches(['.', ',', ' '])
        .split_whitespace()
        .collect();
    let place = (1..=4).contains(&between.len())
        && between.iter().all(|w| w.starts_with(char::is_uppercase));
    place.then_some(f.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misread_numbers() {
        let n = |l: &str| misread_number(l);
        assert_eq!(n("Số: §Ø0 /TCT-TTr").as_deref(), Some("§Ø0/TCT-TTr"));
        assert_eq!(
            n("Số: 3 70 /TCHQ-TXNK Hà Nội").as_deref(),
            Some("370/TCHQ-TXNK")
        );
        assert_eq!(
            n("Hạnh phúc số: 4222 /TCT -PC Hà Nội").as_deref(),
            Some("4222/TCT-PC")
        );
        assert_eq!(n("Số: 5Ï/TCT-TTKT Hà Nội").as_deref(), Some("5Ï/TCT-TTKT"));
        assert_eq!(n("Số: 107/2021/NĐ-CP"), None);
        assert_eq!(
            n("Số: 1654/NQ-UBTVQH15").as_deref(),
            Some("1654/NQ-UBTVQH15")
        );
        // A number typed into the blank of a form, through `pdftotext -layout` (its gap
        // read as a column's edge).
        assert_eq!(
            n("Số:   4390 | /UBND-NLN | Lào Cai, ngày 27 tháng 5 năm 2026").as_deref(),
            Some("4390/UBND-NLN")
        );
    }

    #[test]
    fn number_beside_the_date() {
        assert_eq!(
            number_before_place("| CONG THONG TIN 41 /CT-TTs Ha Nội, ngàyháng 3 năm 2020")
                .as_deref(),
            Some("41/CT-TTs")
        );
        assert_eq!(
            number_before_place("864305 /TCT-KK. Hà Nội, ngdy, Jf tháng 4 năm 2022").as_deref(),
            Some("864305/TCT-KK")
        );
        assert_eq!(
            number_before_place("theo Công văn số 12/UBND-VX ngày 3/4, ngày"),
            None
        );
    }

    #[test]
    fn split_numbers() {
        let lines = ["| Số: |", "", "| 4240/UBND-VX |"];
        assert_eq!(split_number(&lines), Some((2, "4240/UBND-VX".to_string())));
        assert_eq!(misread_vv("VW thực hiện chống thất thu"), Some(3));
        assert_eq!(misread_vv("VW Thực"), None);
    }

    #[test]
    fn misread_motto() {
        let l = "TONG CUC THUE Doc lap - Ty do - Hanh phic";
        assert_eq!(&l[..motto_start(l).unwrap()], "TONG CUC THUE ");
        let l = "BỘ TÀI CHÍNH CONG HOA XÃ HỘI CHỦ NGA VIET NAM";
        assert_eq!(&l[..motto_start(l).unwrap()], "BỘ TÀI CHÍNH ");
        assert_eq!(motto_start("TỔNG CỤC THUẾ"), None);
    }

    #[test]
    fn issuer_after_a_title() {
        assert_eq!(
            capitals_after_sentence(
                "Công văn 1 do Văn phòng Chính phủ ban hành. VĂN PHÒNG CHÍNH PHỦ -------"
            )
            .as_deref(),
            Some("VĂN PHÒNG CHÍNH PHỦ")
        );
        assert_eq!(capitals_after_sentence("Kính gửi: Bộ Y tế."), None);
    }
}
