//! Phản ánh, kiến nghị (PAKN) of citizens and businesses: the kinds the law distinguishes,
//! the states of a feedback from reception to publication, the legal time limits (data:
//! `data/feedback/time-limits.yaml`) and the removal of personal data from what is
//! published.
//!
//! Legal basis: Nghị định 20/2008/NĐ-CP (tiếp nhận, xử lý phản ánh, kiến nghị về quy định
//! hành chính), sửa đổi bởi Nghị định 92/2017/NĐ-CP; 6486/UBND-KSTT item 2 ("xử lý triệt
//! để, dứt điểm các phản ánh, kiến nghị của người dân, doanh nghiệp"); Bộ chỉ số 766 group
//! 5 (PAKN on time, satisfaction). Complaints and denunciations (khiếu nại, tố cáo) are a
//! separate regime (Luật Khiếu nại, Luật Tố cáo) and are not handled here.

pub mod facts;
pub mod limits;
pub mod pow;
pub mod redact;
pub mod state;

pub use limits::TimeLimits;
pub use redact::redact;
pub use state::{Action, Status};

use serde::{Deserialize, Serialize};

/// What a feedback is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A quy định hành chính: its content, its form, its cost (NĐ 20/2008 Điều 3, as
    /// amended by NĐ 92/2017).
    Regulation,
    /// A thủ tục hành chính as published (its papers, steps, time limits, fees).
    Procedure,
    /// The handling of one dossier (hồ sơ) at the one-stop shop: delays, requests for
    /// papers the procedure does not list.
    Dossier,
    /// Hành vi của cán bộ, công chức: conduct of an official (phiền hà, sách nhiễu,
    /// chậm trễ).
    Conduct,
}

impl Kind {
    pub const ALL: [Kind; 4] = [
        Kind::Regulation,
        Kind::Procedure,
        Kind::Dossier,
        Kind::Conduct,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Regulation => "regulation",
            Kind::Procedure => "procedure",
            Kind::Dossier => "dossier",
            Kind::Conduct => "conduct",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Regulation => "Quy định hành chính",
            Kind::Procedure => "Thủ tục hành chính",
            Kind::Dossier => "Việc giải quyết hồ sơ",
            Kind::Conduct => "Hành vi của cán bộ, công chức",
        }
    }

    /// The category of 766 indicator 5.1: "Quy định, chính sách, thủ tục" or "Hành vi của
    /// cán bộ công chức".
    pub fn category(self) -> &'static str {
        match self {
            Kind::Conduct => "Hành vi của cán bộ công chức",
            _ => "Quy định, chính sách, thủ tục",
        }
    }
}

/// Characters of a tracking code's random part: no 0/O, 1/I/L, so it can be read over the
/// phone.
pub const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// A tracking code: "PA" + reception date (yyyymmdd) + "-" + five characters of
/// [`CODE_ALPHABET`] chosen from `random` (one value per character).
pub fn tracking_code(received: chrono::NaiveDate, random: [u8; 5]) -> String {
    let tail: String = random
        .iter()
        .map(|r| CODE_ALPHABET[*r as usize % CODE_ALPHABET.len()] as char)
        .collect();
    format!("PA{}-{tail}", received.format("%Y%m%d"))
}

/// Normalises a typed tracking code: trimmed, upper case, spaces removed.
pub fn normalise_code(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

/// The digits of a phone number, "+84" read as "0": "0912 345 678" → "0912345678".
/// `None` unless it is a Vietnamese number of 10 or 11 digits (or 8–11 for a desk line).
pub fn phone_digits(s: &str) -> Option<String> {
    let t = s.trim();
    let t = t
        .strip_prefix("+84")
        .map_or_else(|| t.to_string(), |r| format!("0{r}"));
    if t.chars()
        .any(|c| !(c.is_ascii_digit() || " .-()".contains(c)))
    {
        return None;
    }
    let d: String = t.chars().filter(char::is_ascii_digit).collect();
    (d.starts_with('0') && (9..=11).contains(&d.len())).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_codes() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.code()), Some(k));
        }
        assert_eq!(Kind::Conduct.category(), "Hành vi của cán bộ công chức");
        let d = chrono::NaiveDate::from_ymd_opt(2026, 3, 9).unwrap();
        let c = tracking_code(d, [0, 1, 30, 31, 200]);
        assert!(c.starts_with("PA20260309-"), "{c}");
        assert_eq!(c.len(), "PA20260309-".len() + 5);
        assert_eq!(normalise_code(" pa20260309-ab c "), "PA20260309-ABC");
        assert_eq!(
            phone_digits("+84 912 345 678").as_deref(),
            Some("0912345678")
        );
        assert_eq!(phone_digits("0912.345.678").as_deref(), Some("0912345678"));
        assert_eq!(phone_digits("12345"), None);
        assert_eq!(phone_digits("09123abc"), None);
    }
}
