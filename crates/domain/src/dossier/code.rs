//! Mã hồ sơ — the dossier code "000.17.22.H56-210531-0001": agency e-ID, reception date
//! yyMMdd, 4-digit sequence (domain.md §5 "Codes", as observed [C]; the prescribing
//! article and whether the sequence restarts per unit per day are [TV]).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Mã hồ sơ — a dossier code that is known to be well formed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DossierCode {
    agency: String,
    date: NaiveDate,
    seq: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DossierCodeError {
    #[error("Mã hồ sơ \"{0}\" phải có dạng <mã định danh cơ quan>-<yyMMdd>-<số thứ tự 4 chữ số>.")]
    Shape(String),
    #[error(
        "Mã định danh cơ quan \"{0}\" không hợp lệ (các nhóm chữ hoa và chữ số, cách nhau bởi dấu chấm)."
    )]
    Agency(String),
    #[error("Ngày tiếp nhận \"{0}\" trong mã hồ sơ không hợp lệ (yyMMdd).")]
    Date(String),
    #[error("Số thứ tự \"{0}\" phải gồm 4 chữ số, từ 0001 đến 9999.")]
    Sequence(String),
    #[error("Ngày tiếp nhận {0} nằm ngoài khoảng 2000–2099 của mã hồ sơ.")]
    Year(NaiveDate),
}

impl DossierCode {
    /// Build from parts: the agency's electronic ID (mã định danh điện tử, e.g.
    /// "000.17.22.H56"), the reception date and the sequence number (1–9999).
    pub fn new(
        agency_eid: &str,
        date: NaiveDate,
        seq: u16,
    ) -> Result<DossierCode, DossierCodeError> {
        let agency = agency_eid.trim().to_ascii_uppercase();
        if !valid_agency(&agency) {
            return Err(DossierCodeError::Agency(agency_eid.to_string()));
        }
        if !(2000..=2099).contains(&date.year()) {
            return Err(DossierCodeError::Year(date));
        }
        if !(1..=9999).contains(&seq) {
            return Err(DossierCodeError::Sequence(seq.to_string()));
        }
        Ok(DossierCode { agency, date, seq })
    }

    /// Parse "000.17.22.H56-210531-0001" (surrounding spaces ignored, letters upper-cased).
    pub fn parse(s: &str) -> Result<DossierCode, DossierCodeError> {
        let t = s.trim();
        let mut parts = t.rsplitn(3, '-');
        let (Some(seq), Some(date), Some(agency)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(DossierCodeError::Shape(s.to_string()));
        };
        if seq.len() != 4 || !seq.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DossierCodeError::Sequence(seq.to_string()));
        }
        let n: u16 = seq
            .parse()
            .map_err(|_| DossierCodeError::Sequence(seq.to_string()))?;
        if date.len() != 6 || !date.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DossierCodeError::Date(date.to_string()));
        }
        let num = |r: std::ops::Range<usize>| date.get(r).and_then(|x| x.parse::<u32>().ok());
        let (Some(yy), Some(mm), Some(dd)) = (num(0..2), num(2..4), num(4..6)) else {
            return Err(DossierCodeError::Date(date.to_string()));
        };
        let day = NaiveDate::from_ymd_opt(2000 + yy as i32, mm, dd)
            .ok_or_else(|| DossierCodeError::Date(date.to_string()))?;
        DossierCode::new(agency, day, n)
    }

    /// Mã định danh điện tử of the receiving agency.
    pub fn agency_eid(&self) -> &str {
        &self.agency
    }

    /// Reception date encoded in the code.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// Sequence number (1–9999).
    pub fn seq(&self) -> u16 {
        self.seq
    }
}

/// Dot-separated groups of upper-case ASCII letters and digits, at least two groups
/// (QĐ 20/2020/QĐ-TTg e-IDs look like "000.17.22.H56"; the exact grammar is [TV]).
fn valid_agency(s: &str) -> bool {
    let groups: Vec<&str> = s.split('.').collect();
    groups.len() >= 2
        && groups.iter().all(|g| {
            !g.is_empty()
                && g.bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        })
}

impl fmt::Display for DossierCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{:02}{:02}{:02}-{:04}",
            self.agency,
            self.date.year() % 100,
            self.date.month(),
            self.date.day(),
            self.seq
        )
    }
}

impl std::str::FromStr for DossierCode {
    type Err = DossierCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DossierCode::parse(s)
    }
}

impl Serialize for DossierCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DossierCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        DossierCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn parses_the_observed_code() {
        let c = DossierCode::parse("000.17.22.H56-210531-0001").unwrap();
        assert_eq!(c.agency_eid(), "000.17.22.H56");
        assert_eq!(c.date(), ymd(2021, 5, 31));
        assert_eq!(c.seq(), 1);
        assert_eq!(c.to_string(), "000.17.22.H56-210531-0001");
    }

    #[test]
    fn new_formats_with_padding() {
        let c = DossierCode::new("000.00.12.h38", ymd(2025, 9, 5), 42).unwrap();
        assert_eq!(c.to_string(), "000.00.12.H38-250905-0042");
        assert_eq!(DossierCode::parse(&c.to_string()).unwrap(), c);
    }

    #[test]
    fn rejects_malformed_codes() {
        for bad in [
            "",
            "000.17.22.H56-210531",
            "000.17.22.H56-210531-001",
            "000.17.22.H56-210531-0000",
            "000.17.22.H56-210532-0001",
            "000.17.22.H56-21053a-0001",
            "H56-210531-0001",
            "000..22.H56-210531-0001",
            "000.17.22.H 56-210531-0001",
            "-210531-0001",
        ] {
            assert!(
                DossierCode::parse(bad).is_err(),
                "{bad:?} should be rejected"
            );
        }
        assert!(DossierCode::new("000.17.22.H56", ymd(1999, 12, 31), 1).is_err());
        assert!(DossierCode::new("000.17.22.H56", ymd(2025, 1, 1), 10000).is_err());
    }

    #[test]
    fn errors_are_vietnamese() {
        let e = DossierCode::parse("000.17.22.H56-210532-0001").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Ngày tiếp nhận \"210532\" trong mã hồ sơ không hợp lệ (yyMMdd)."
        );
    }

    #[test]
    fn serde_as_a_string() {
        let c = DossierCode::parse("000.17.22.H56-210531-0001").unwrap();
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(json, "\"000.17.22.H56-210531-0001\"");
        assert_eq!(serde_json::from_str::<DossierCode>(&json).unwrap(), c);
        assert!(serde_json::from_str::<DossierCode>("\"x-1-2\"").is_err());
    }
}
