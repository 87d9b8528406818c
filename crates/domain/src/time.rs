//! Giờ Việt Nam — the one place the province's clock is written down.
//!
//! Vietnam keeps one time zone, Asia/Ho_Chi_Minh, UTC+07:00 all year (no daylight saving,
//! Quyết định 121-CP ngày 08/8/1967 and every later rule). Instants are stored in UTC; the
//! legal calendar, working hours, appointment dates and report periods are counted in
//! Vietnam local time. Every conversion goes through this module.
//!
//! It also holds the legal regimes of the one-stop shop by reception date
//! ([`regime_on`]), shipped as data in `data/dossier/regimes.toml`.

use std::sync::OnceLock;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, Offset, Utc};
use serde::Deserialize;

/// UTC offset of Vietnam (Asia/Ho_Chi_Minh), in seconds.
pub const OFFSET_SECONDS: i32 = 7 * 3600;

fn shift() -> Duration {
    Duration::seconds(i64::from(OFFSET_SECONDS))
}

/// Vietnam local time of an instant.
pub fn local(t: DateTime<Utc>) -> NaiveDateTime {
    (t + shift()).naive_utc()
}

/// The instant of a Vietnam local time.
pub fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    (t - shift()).and_utc()
}

/// The Vietnam calendar day of an instant.
pub fn day_of(t: DateTime<Utc>) -> NaiveDate {
    local(t).date()
}

/// An instant as a time-zone-aware value in Vietnam time (for display).
pub fn zoned(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    // 7 h is within ±24 h, so the offset always exists.
    let vn = FixedOffset::east_opt(OFFSET_SECONDS).unwrap_or(Utc.fix());
    t.with_timezone(&vn)
}

/// Today in Vietnam (reads the clock).
pub fn today() -> NaiveDate {
    day_of(Utc::now())
}

/// Now in Vietnam local time (reads the clock).
pub fn now_local() -> NaiveDateTime {
    local(Utc::now())
}

/// A legal regime of the one-stop shop and the day it took effect.
#[derive(Debug, Clone, Deserialize)]
pub struct Regime {
    /// Stored with the dossier (`nd61`, `nd118`).
    pub code: String,
    pub valid_from: NaiveDate,
    /// The decree, its date and what it replaced.
    pub legal_basis: String,
}

#[derive(Deserialize)]
struct RegimeFile {
    regime: Vec<Regime>,
}

const REGIMES_TOML: &str = include_str!("../../../data/dossier/regimes.toml");

/// The regimes of the one-stop shop, oldest first (`data/dossier/regimes.toml`).
pub fn regimes() -> &'static [Regime] {
    static R: OnceLock<Vec<Regime>> = OnceLock::new();
    R.get_or_init(|| parse_regimes(REGIMES_TOML).unwrap_or_default())
}

/// Parses a regime file: at least one row, strictly increasing dates.
pub fn parse_regimes(text: &str) -> Result<Vec<Regime>, String> {
    let f: RegimeFile = basic_toml::from_str(text).map_err(|e| e.to_string())?;
    if f.regime.is_empty() {
        return Err("no regime".into());
    }
    if f.regime
        .windows(2)
        .any(|w| w[0].valid_from >= w[1].valid_from)
    {
        return Err("regimes must be in increasing date order".into());
    }
    Ok(f.regime)
}

/// The regime a dossier received on `day` keeps for its whole life: NĐ 61/2018/NĐ-CP
/// until 30/6/2025, NĐ 118/2025/NĐ-CP (replacing it, in force 01/7/2025) from then on
/// (domain.md §5 "Legal basis by reception date"). A day before the first regime gets the
/// first one.
pub fn regime_on(day: NaiveDate) -> &'static str {
    let all = regimes();
    all.iter()
        .rev()
        .find(|r| r.valid_from <= day)
        .or(all.first())
        .map(|r| r.code.as_str())
        .unwrap_or("nd118")
}

/// The day the regime `code` took effect.
pub fn regime_start(code: &str) -> Option<NaiveDate> {
    regimes()
        .iter()
        .find(|r| r.code == code)
        .map(|r| r.valid_from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn local_and_utc_are_inverse_and_seven_hours_apart() {
        let t = d(2025, 6, 30).and_hms_opt(17, 30, 0).unwrap().and_utc();
        assert_eq!(local(t), d(2025, 7, 1).and_hms_opt(0, 30, 0).unwrap());
        assert_eq!(utc(local(t)), t);
        assert_eq!(day_of(t), d(2025, 7, 1));
        assert_eq!(zoned(t).to_rfc3339(), "2025-07-01T00:30:00+07:00");
    }

    #[test]
    fn regime_switches_on_first_of_july_2025() {
        assert_eq!(regime_on(d(2025, 6, 30)), "nd61");
        assert_eq!(regime_on(d(2025, 7, 1)), "nd118");
        assert_eq!(regime_on(d(2019, 1, 1)), "nd61");
        assert_eq!(regime_on(d(2010, 1, 1)), "nd61");
        assert_eq!(regime_start("nd118"), Some(d(2025, 7, 1)));
        assert!(regimes().iter().all(|r| !r.legal_basis.is_empty()));
    }

    #[test]
    fn regime_file_is_checked() {
        assert!(parse_regimes("regime = []").is_err());
        let unordered = "[[regime]]\ncode='b'\nvalid_from='2025-07-01'\nlegal_basis='x'\n\
                         [[regime]]\ncode='a'\nvalid_from='2018-06-21'\nlegal_basis='y'\n";
        assert!(parse_regimes(unordered).is_err());
    }
}
