//! Dates as Vietnamese documents print them.
//!
//! NĐ 30/2020/NĐ-CP, Phụ lục I, ô số 4: "<địa danh>, ngày DD tháng MM năm YYYY";
//! body text also uses "ngày 02/8/2023" (domain guide §3.5).

use regex::Regex;
use std::sync::LazyLock;

/// "<place>, ngày 15 tháng 8 năm 2023" — tolerant of line breaks (joined before
/// matching), missing spaces, lost accents ("ngay", "thang", "nam") and a scan's dot for
/// the comma ("Hà Nội. ngày").
static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:\b((?:(?:Thành phố|Tp\.|TP\.)[ \t]+)?(?:\p{Lu}\p{Ll}*\.?[ \t]+){0,3}\p{Lu}\p{Ll}+)\s*[,.]\s*)?[nN]g[àa]y\s*(\d{1,2}|\d[ \t]\d)\s*th[áa]ng\s*(\d{1,2}|\d[ \t]\d)\s*n[ăa]m\s*(\d{4})",
    )
    .expect("static regex")
});

pub fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// ISO form of a calendar date, or None when it does not exist (31/2/2023).
pub fn iso(y: i32, m: u32, d: u32) -> Option<String> {
    if !(1900..=2100).contains(&y) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// Last day of a month, ISO.
pub fn end_of_month(y: i32, m: u32) -> Option<String> {
    iso(y, m, days_in_month(y, m))
}

/// Place and date of issue from the header text (lines already joined).
pub fn place_and_date(header: &str) -> Option<(Option<String>, Option<String>)> {
    let c = DATE_LINE.captures(header)?;
    let place = c
        .get(1)
        .map(|m| m.as_str().split_whitespace().collect::<Vec<_>>().join(" "));
    // ("ngày 26 tháng 0 6 năm 2018": a web copy's digits set apart.)
    let num = |i: usize| {
        c.get(i)
            .and_then(|m| m.as_str().replace([' ', '\t'], "").parse::<u32>().ok())
    };
    let date = match (num(2), num(3), num(4)) {
        (Some(d), Some(m), Some(y)) => iso(y as i32, m, d),
        _ => None,
    };
    Some((place, date))
}

/// Byte range of the first place/date phrase, to tell header from body.
pub fn date_line_span(text: &str) -> Option<(usize, usize)> {
    DATE_LINE.find(text).map(|m| (m.start(), m.end()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_date_lines() {
        let (p, d) = place_and_date("Nghệ An, ngày 04 tháng 8 năm 2023").unwrap_or_default();
        assert_eq!(p.as_deref(), Some("Nghệ An"));
        assert_eq!(d.as_deref(), Some("2023-08-04"));
        let (_, d) = place_and_date("Hà Nội, ngày 26 tháng 0 6 năm 2018").unwrap_or_default();
        assert_eq!(d.as_deref(), Some("2018-06-26"));
        let (p, d) =
            place_and_date("Số: 1/UBND Hà Nội, ngày 18\ntháng 11 năm 2024").unwrap_or_default();
        assert_eq!(p.as_deref(), Some("Hà Nội"));
        assert_eq!(d.as_deref(), Some("2024-11-18"));
        assert_eq!(end_of_month(2024, 2).as_deref(), Some("2024-02-29"));
        assert_eq!(iso(2023, 2, 31), None);
    }
}
