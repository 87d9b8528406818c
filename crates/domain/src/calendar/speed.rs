//! Speed check: the prefix-sum calendar against a naive day-by-day loop over the same
//! days off, on random dates in 1990–2090 and 60-day spans. Used by `cchc calendar bench`
//! and the criterion bench; timing only, no I/O.

use super::holidays::WeekendTable;
use super::{Calendar, CalendarError};
use chrono::{Days, NaiveDate};
use std::collections::HashMap;
use std::hint::black_box;
use std::time::Instant;

/// The straightforward implementation: a map of listed days and a weekday test, walked
/// one day at a time.
pub struct NaiveCalendar {
    listed: HashMap<NaiveDate, bool>,
    weekend: WeekendTable,
}

impl NaiveCalendar {
    pub fn new(calendar: &Calendar) -> NaiveCalendar {
        let listed = calendar
            .days
            .iter()
            .map(|(d, day)| (*d, day.working))
            .collect();
        NaiveCalendar {
            listed,
            weekend: calendar.weekend.clone(),
        }
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        if let Some(&w) = self.listed.get(&date) {
            return w;
        }
        !self.weekend.is_weekend(date)
    }

    pub fn add_working_days(&self, mut date: NaiveDate, mut n: u32) -> Option<NaiveDate> {
        while n > 0 {
            date = date.succ_opt()?;
            if self.is_working_day(date) {
                n -= 1;
            }
        }
        Some(date)
    }

    pub fn count_working_days(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let mut n = 0;
        let mut d = from;
        while d < to {
            let Some(next) = d.succ_opt() else { break };
            d = next;
            if self.is_working_day(d) {
                n += 1;
            }
        }
        n
    }
}

/// Operations per second measured in one run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpeedReport {
    pub operations: u32,
    pub span_days: u32,
    pub add_per_sec: f64,
    pub count_per_sec: f64,
    pub naive_add_per_sec: f64,
    pub naive_count_per_sec: f64,
}

impl SpeedReport {
    pub fn add_speedup(&self) -> f64 {
        self.add_per_sec / self.naive_add_per_sec
    }

    pub fn count_speedup(&self) -> f64 {
        self.count_per_sec / self.naive_count_per_sec
    }
}

/// SplitMix64, enough for benchmark inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// `n` random dates between 1990-01-01 and 2090-12-31.
pub fn random_dates(n: usize, seed: u64) -> Vec<NaiveDate> {
    let start = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap_or_default();
    let span = 36_889; // days from 1990-01-01 to 2090-12-31
    let mut rng = Rng(seed);
    (0..n)
        .filter_map(|_| start.checked_add_days(Days::new(rng.next() % span)))
        .collect()
}

fn per_sec(ops: usize, started: Instant) -> f64 {
    ops as f64 / started.elapsed().as_secs_f64().max(1e-9)
}

/// Time `operations` adds of `span_days` working days and counts over `span_days` calendar
/// days, fast and naive, on the same random dates. The naive loop runs on a tenth of the
/// inputs (it is much slower); rates are per operation either way.
pub fn measure(
    calendar: &Calendar,
    operations: u32,
    span_days: u32,
) -> Result<SpeedReport, CalendarError> {
    let dates = random_dates(operations as usize, 0x5EED);
    let ends: Vec<NaiveDate> = dates
        .iter()
        .filter_map(|d| d.checked_add_days(Days::new(u64::from(span_days))))
        .collect();
    let naive = NaiveCalendar::new(calendar);
    let naive_n = (dates.len() / 10).max(1);

    let t = Instant::now();
    for &d in &dates {
        black_box(calendar.add_working_days(black_box(d), span_days)?);
    }
    let add_per_sec = per_sec(dates.len(), t);

    let t = Instant::now();
    for (&a, &b) in dates.iter().zip(&ends) {
        black_box(calendar.count_working_days(black_box(a), black_box(b))?);
    }
    let count_per_sec = per_sec(ends.len(), t);

    let t = Instant::now();
    for &d in dates.iter().take(naive_n) {
        black_box(naive.add_working_days(black_box(d), span_days));
    }
    let naive_add_per_sec = per_sec(naive_n, t);

    let t = Instant::now();
    for (&a, &b) in dates.iter().zip(&ends).take(naive_n) {
        black_box(naive.count_working_days(black_box(a), black_box(b)));
    }
    let naive_count_per_sec = per_sec(naive_n, t);

    Ok(SpeedReport {
        operations,
        span_days,
        add_per_sec,
        count_per_sec,
        naive_add_per_sec,
        naive_count_per_sec,
    })
}
