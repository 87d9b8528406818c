//! Thủ tục hành chính (TTHC) — the published procedures a citizen or business can file a
//! dossier under: their national codes, catalog rows, time limits and compliance cost
//! (domain.md §5 "Codes", §9).

pub mod catalog;
pub mod codes;
pub mod cost;
pub mod documents;
pub mod process;
pub mod publication;

pub use catalog::{
    CatalogImport, LegalTimeLimit, OnlineLevel, ProcedureLevel, ProcedureRow, Rejected,
    parse_catalog_csv, parse_time_limit,
};
pub use cost::{CostError, CostItem, ProcedureCost, reduction_percent};

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Mã thủ tục hành chính — the national code from CSDL TTHC ("1.001234"), optionally with a
/// local suffix ("1.000948.H38") (domain.md §5 "Codes" [C]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProcedureCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Mã thủ tục \"{0}\" không hợp lệ (dạng 1.001234 hoặc 1.000948.H38).")]
pub struct ProcedureCodeError(pub String);

impl ProcedureCode {
    /// Parse "1.001234" or "1.000948.H38": 1–2 digits, a dot, 6 digits, and optionally a
    /// dot and a local suffix of letters and digits (upper-cased).
    pub fn parse(s: &str) -> Result<ProcedureCode, ProcedureCodeError> {
        let t = s.trim().to_ascii_uppercase();
        let err = || ProcedureCodeError(s.to_string());
        let mut parts = t.split('.');
        let (Some(head), Some(number)) = (parts.next(), parts.next()) else {
            return Err(err());
        };
        let suffix = parts.next();
        if parts.next().is_some() {
            return Err(err());
        }
        let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
        let head_ok = digits(head) && head.len() <= 2;
        let number_ok = digits(number) && number.len() == 6;
        let suffix_ok = suffix.is_none_or(|x| {
            !x.is_empty()
                && x.bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        });
        if head_ok && number_ok && suffix_ok {
            Ok(ProcedureCode(t))
        } else {
            Err(err())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The national part without the local suffix ("1.000948.H38" → "1.000948").
    pub fn national(&self) -> &str {
        match self.0.match_indices('.').nth(1) {
            Some((i, _)) => &self.0[..i],
            None => &self.0,
        }
    }

    /// The local suffix, if any ("H38").
    pub fn local_suffix(&self) -> Option<&str> {
        self.0
            .match_indices('.')
            .nth(1)
            .map(|(i, _)| &self.0[i + 1..])
    }
}

impl fmt::Display for ProcedureCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for ProcedureCode {
    type Err = ProcedureCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ProcedureCode::parse(s)
    }
}

impl Serialize for ProcedureCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ProcedureCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        ProcedureCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_and_local_codes() {
        let c = ProcedureCode::parse("1.001234").unwrap();
        assert_eq!((c.national(), c.local_suffix()), ("1.001234", None));
        let c = ProcedureCode::parse(" 1.000948.h38 ").unwrap();
        assert_eq!(c.as_str(), "1.000948.H38");
        assert_eq!((c.national(), c.local_suffix()), ("1.000948", Some("H38")));
        assert_eq!(c.to_string(), "1.000948.H38");
    }

    #[test]
    fn malformed_codes_are_refused() {
        for bad in [
            "",
            "1",
            "1.00123",
            "1.0012345",
            "a.001234",
            "123.001234",
            "1.001234.",
            "1.001234.H-38",
            "1.001234.H38.X",
            "1,001234",
        ] {
            assert!(ProcedureCode::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            ProcedureCode::parse("1.00123").unwrap_err().to_string(),
            "Mã thủ tục \"1.00123\" không hợp lệ (dạng 1.001234 hoặc 1.000948.H38)."
        );
    }
}
