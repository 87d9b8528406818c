//! Lịch làm việc — the legal calendar of state agencies and deadline arithmetic.
//!
//! A [`Calendar`] is built once from the rule table ([`CalendarRules`], statutory holidays
//! with effective dates) and the yearly government decisions ([`CalendarEntry`] rows), and
//! then answers "is this a working day", "N working days after", "how many working days
//! between" in O(1) from a prefix sum over 1900-01-01..=2199-12-31.
//!
//! Conventions (domain.md §4, convention (a) "by day"):
//! - [`Calendar::add_working_days`]`(d, n)` is the n-th working day strictly after `d`; the
//!   reception day itself is not counted. Received Fri 29/8/2025 + 3 working days, with
//!   30/8–2/9 off → Wed 3/9, Thu 4/9, due Fri 5/9/2025.
//! - [`Calendar::count_working_days`]`(a, b)` counts working days in `(a, b]`, so that
//!   `count(d, add(d, n)) == n` for every `d` and `n ≥ 0`.

mod holidays;
pub mod lunar;
pub mod period;
pub mod recurrence;
pub mod rules;
pub mod speed;
pub mod working;

#[cfg(test)]
mod golden;
#[cfg(test)]
mod tests;

pub use holidays::CalendarDay;
pub use lunar::{LunarDate, lunar_to_solar, solar_to_lunar, year_can_chi};
pub use period::{Period, PeriodMode};
pub use recurrence::{Adjustment, DueDate, Recurrence};
pub use rules::{CalendarEntry, CalendarRules, DayKind, parse_entries_csv};
pub use working::{OfficeHours, TimeLimit};

use chrono::{Datelike, NaiveDate};
use holidays::WeekendTable;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// First year the calendar covers.
pub const FIRST_YEAR: i32 = 1900;
/// Last year the calendar covers.
pub const LAST_YEAR: i32 = 2199;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("date {0} is outside the calendar (1900-01-01 to 2199-12-31)")]
    OutOfRange(NaiveDate),
    #[error("calendar rules: {0}")]
    Rules(String),
    #[error("calendar entries, line {line}: {reason}")]
    Entries { line: usize, reason: String },
    #[error("{0}")]
    Parse(String),
}

/// The working-day calendar: which days are worked, why the others are not, and the
/// content hash of the inputs that produced it.
#[derive(Debug, Clone)]
pub struct Calendar {
    version: String,
    first: NaiveDate,
    /// `num_days_from_ce` of `first`.
    base: i32,
    /// `prefix[i]` = number of working days among the first `i` days.
    prefix: Vec<u32>,
    /// The working days, in order (`workdays[k]` is the (k+1)-th working day).
    workdays: Vec<NaiveDate>,
    days: BTreeMap<NaiveDate, CalendarDay>,
    weekend: WeekendTable,
}

/// A maximal run of consecutive days off that contains at least one listed day
/// (e.g. Tết Bính Ngọ: Sat 14/2 – Sun 22/2/2026).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DaysOffRun {
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub days: u32,
}

/// Why a date is or is not a working day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayStatus {
    pub date: NaiveDate,
    pub working: bool,
    pub weekly_rest_day: bool,
    pub listed: Option<CalendarDay>,
}

impl Calendar {
    /// Build the calendar from rules and decision entries (entries are authoritative for
    /// the occasions and years they cover; see `holidays::list_days`).
    pub fn build(rules: &CalendarRules, entries: &[CalendarEntry]) -> Calendar {
        let first = NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).unwrap_or_default();
        let last = NaiveDate::from_ymd_opt(LAST_YEAR, 12, 31).unwrap_or_default();
        // Rules were checked by `CalendarRules::parse`; a hand-built table with a bad
        // weekday simply has no weekly rest day.
        let weekend = WeekendTable::new(rules).unwrap_or_else(|_| WeekendTable::empty());
        let mut days = holidays::list_days(rules, entries, &weekend, FIRST_YEAR, LAST_YEAR);
        let effective = |d: &CalendarDay| d.confirmed || rules.settings.unconfirmed_days_off;

        let len = (last - first).num_days() as usize + 1;
        let mut prefix = Vec::with_capacity(len + 1);
        let mut workdays = Vec::with_capacity(len);
        prefix.push(0u32);
        let mut count = 0u32;
        for date in first.iter_days().take(len) {
            let mut working = !weekend.is_weekend(date);
            if let Some(day) = days.get_mut(&date) {
                if effective(day) {
                    working = !day.kind.is_off();
                }
                day.working = working;
            }
            if working {
                count += 1;
                workdays.push(date);
            }
            prefix.push(count);
        }
        Calendar {
            version: version_of(rules, entries),
            first,
            base: first.num_days_from_ce(),
            prefix,
            workdays,
            days,
            weekend,
        }
    }

    /// Parse both inputs and build: `rules_toml` as in data/calendar/vn-holiday-rules.toml,
    /// `entries_csv` as in data/calendar/vn-civil-service-days-off.csv.
    pub fn from_sources(rules_toml: &str, entries_csv: &str) -> Result<Calendar, CalendarError> {
        let rules = CalendarRules::parse(rules_toml)?;
        let entries = parse_entries_csv(entries_csv)?;
        Ok(Calendar::build(&rules, &entries))
    }

    /// Stable content hash of the rules and entries ("cal-" + 16 hex digits). Store it with
    /// each computed deadline; it changes whenever a rule or an entry changes.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// First and last date covered.
    pub fn range(&self) -> (NaiveDate, NaiveDate) {
        let last = self.date_at(self.prefix.len() as u32 - 2);
        (self.first, last)
    }

    fn index(&self, date: NaiveDate) -> Result<u32, CalendarError> {
        let i = date.num_days_from_ce() - self.base;
        if i < 0 || i as usize >= self.prefix.len() - 1 {
            return Err(CalendarError::OutOfRange(date));
        }
        Ok(i as u32)
    }

    fn date_at(&self, index: u32) -> NaiveDate {
        NaiveDate::from_num_days_from_ce_opt(self.base + index as i32).unwrap_or(self.first)
    }

    /// Ngày làm việc: not a weekly rest day, holiday, compensatory or swapped-off day (a
    /// make-up Saturday is a working day).
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        let i = self.index(date)? as usize;
        Ok(self.prefix[i + 1] > self.prefix[i])
    }

    /// The n-th working day strictly after `date` (`n = 0` gives `date` itself).
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let i = self.index(date)? as usize;
        if n == 0 {
            return Ok(date);
        }
        let k = self.prefix[i + 1] as usize + n as usize - 1;
        self.workdays
            .get(k)
            .copied()
            .ok_or(CalendarError::OutOfRange(date))
    }

    /// The n-th working day strictly before `date` (`n = 0` gives `date` itself).
    pub fn sub_working_days(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let i = self.index(date)? as usize;
        if n == 0 {
            return Ok(date);
        }
        let before = self.prefix[i] as usize;
        before
            .checked_sub(n as usize)
            .and_then(|k| self.workdays.get(k))
            .copied()
            .ok_or(CalendarError::OutOfRange(date))
    }

    /// Working days in `(from, to]`; negative when `to < from`.
    pub fn count_working_days(&self, from: NaiveDate, to: NaiveDate) -> Result<i64, CalendarError> {
        let a = self.prefix[self.index(from)? as usize + 1];
        let b = self.prefix[self.index(to)? as usize + 1];
        Ok(i64::from(b) - i64::from(a))
    }

    /// `date` if it is a working day, else the next one.
    pub fn working_day_on_or_after(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        if self.is_working_day(date)? {
            Ok(date)
        } else {
            self.add_working_days(date, 1)
        }
    }

    /// `date` if it is a working day, else the previous one.
    pub fn working_day_on_or_before(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        if self.is_working_day(date)? {
            Ok(date)
        } else {
            self.sub_working_days(date, 1)
        }
    }

    /// Every listed day of `year` (holidays, compensatory, swapped-off and make-up working
    /// days) with kind, reason and source, in date order. Ordinary weekends are not listed.
    pub fn days_off(&self, year: i32) -> Vec<CalendarDay> {
        let (Some(a), Some(b)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return Vec::new();
        };
        self.days.range(a..=b).map(|(_, d)| d.clone()).collect()
    }

    /// The runs of consecutive non-working days of `year` that contain a listed day off.
    pub fn days_off_runs(&self, year: i32) -> Vec<DaysOffRun> {
        let mut runs: Vec<DaysOffRun> = Vec::new();
        for day in self.days_off(year) {
            if day.working || runs.last().is_some_and(|r| day.date <= r.last) {
                continue;
            }
            let mut first = day.date;
            while let Some(p) = first.pred_opt() {
                if self.is_working_day(p).unwrap_or(true) {
                    break;
                }
                first = p;
            }
            let mut last = day.date;
            while let Some(n) = last.succ_opt() {
                if self.is_working_day(n).unwrap_or(true) {
                    break;
                }
                last = n;
            }
            let days = (last - first).num_days() as u32 + 1;
            runs.push(DaysOffRun { first, last, days });
        }
        runs
    }

    /// Why `date` is or is not a working day.
    pub fn status(&self, date: NaiveDate) -> Result<DayStatus, CalendarError> {
        Ok(DayStatus {
            date,
            working: self.is_working_day(date)?,
            weekly_rest_day: self.weekend.is_weekend(date),
            listed: self.days.get(&date).cloned(),
        })
    }

    /// Number of working days in `year`.
    pub fn working_days_in_year(&self, year: i32) -> Result<i64, CalendarError> {
        let jan1 =
            NaiveDate::from_ymd_opt(year, 1, 1).ok_or(CalendarError::Parse(year.to_string()))?;
        let dec31 =
            NaiveDate::from_ymd_opt(year, 12, 31).ok_or(CalendarError::Parse(year.to_string()))?;
        let a = self.prefix[self.index(jan1)? as usize];
        let b = self.prefix[self.index(dec31)? as usize + 1];
        Ok(i64::from(b) - i64::from(a))
    }
}

/// Canonical text of the inputs, hashed. Entries are sorted so that their order does not
/// change the version.
fn version_of(rules: &CalendarRules, entries: &[CalendarEntry]) -> String {
    let mut h = Sha256::new();
    let mut put = |s: &str| {
        h.update(s.as_bytes());
        h.update([0x1f]);
    };
    put("cchc-calendar-v1");
    put(&rules.settings.compensatory_source);
    put(if rules.settings.unconfirmed_days_off {
        "1"
    } else {
        "0"
    });
    for w in &rules.weekend {
        put("weekend");
        put(&w.days.join(" "));
        put(&w.from.to_string());
        put(&w.until.map(|d| d.to_string()).unwrap_or_default());
        put(&w.source);
    }
    for r in &rules.holiday {
        put("holiday");
        for s in [&r.id, &r.name, &r.date] {
            put(s);
        }
        put(&r.offset.to_string());
        put(&r.length.to_string());
        put(&r.adjacent_after_on.join(" "));
        put(&r.from.to_string());
        put(&r.until.map(|d| d.to_string()).unwrap_or_default());
        put(if r.confirmed { "1" } else { "0" });
        put(&r.source);
    }
    let mut sorted: Vec<&CalendarEntry> = entries.iter().collect();
    sorted.sort_by(|a, b| {
        (
            a.date,
            a.kind,
            &a.name,
            &a.decided_by,
            a.confirmed,
            &a.source,
        )
            .cmp(&(
                b.date,
                b.kind,
                &b.name,
                &b.decided_by,
                b.confirmed,
                &b.source,
            ))
    });
    for e in sorted {
        put("entry");
        put(&e.date.to_string());
        put(e.kind.as_str());
        put(&e.name);
        put(&e.decided_by);
        put(if e.confirmed { "1" } else { "0" });
        put(&e.source);
    }
    let digest = h.finalize();
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("cal-{hex}")
}
