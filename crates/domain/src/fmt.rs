//! How numbers, dates and times are written for Vietnamese readers: dd/mm/yyyy dates,
//! "HH:MM dd/mm/yyyy" times in Vietnam time, 1.234.567 numbers (dot thousands separator,
//! TCVN usage). Pages, messages, documents and e-mails all use these.

use chrono::{DateTime, NaiveDate, Utc};

/// dd/mm/yyyy.
pub fn date_vn(d: &NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// dd/mm/yyyy, or nothing.
pub fn opt_date_vn(d: &Option<NaiveDate>) -> String {
    d.as_ref().map(date_vn).unwrap_or_default()
}

/// "HH:MM dd/mm/yyyy" in Vietnam time.
pub fn datetime_vn(t: &DateTime<Utc>) -> String {
    crate::time::zoned(*t).format("%H:%M %d/%m/%Y").to_string()
}

/// 1234567 → "1.234.567".
pub fn int_vn(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_forms() {
        assert_eq!(int_vn(1_234_567), "1.234.567");
        assert_eq!(int_vn(-1000), "-1.000");
        assert_eq!(int_vn(999), "999");
        let d = NaiveDate::from_ymd_opt(2023, 8, 7).unwrap();
        assert_eq!(date_vn(&d), "07/08/2023");
        let t = d.and_hms_opt(17, 5, 0).unwrap().and_utc();
        assert_eq!(datetime_vn(&t), "00:05 08/08/2023");
    }
}
