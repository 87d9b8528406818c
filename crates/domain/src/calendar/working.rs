//! Working hours: office sessions, the reception cut-off, adding working hours and
//! measuring elapsed working time minus pauses (waiting for the citizen).
//!
//! Time is mapped onto a "working-minute line": minute `k × M + m` is minute `m` of the
//! k-th working day (M = minutes per office day). Adding and measuring are then plain
//! integer arithmetic, O(1) per call.

use super::{Calendar, CalendarError};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

/// Giờ hành chính — office sessions of a working day and the reception cut-off.
///
/// Office hours are set by each province [TV]; the default is 07:30–11:30 and 13:30–17:30,
/// i.e. the 8-hour working day that deadline systems count in (domain.md §4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeHours {
    /// Sessions `(open, close)` in order, not overlapping.
    pub sessions: Vec<(NaiveTime, NaiveTime)>,
    /// Reception at or after this time counts from the next working day (e.g. 15:00 for
    /// same-day procedures in Hà Nội [TV]; TT 87/2021/TT-BTC Điều 10: out-of-hours
    /// submissions count from the next working day). `None`: the closing time.
    pub cutoff: Option<NaiveTime>,
}

impl Default for OfficeHours {
    fn default() -> Self {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default();
        OfficeHours {
            sessions: vec![(t(7, 30), t(11, 30)), (t(13, 30), t(17, 30))],
            cutoff: None,
        }
    }
}

/// Thời hạn giải quyết — a time limit counted in working days or working hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "unit", content = "amount")]
pub enum TimeLimit {
    WorkingDays(u32),
    WorkingHours(u32),
}

impl OfficeHours {
    /// Check and build: at least one session, each opening before closing, in order.
    pub fn new(
        sessions: Vec<(NaiveTime, NaiveTime)>,
        cutoff: Option<NaiveTime>,
    ) -> Result<OfficeHours, CalendarError> {
        if sessions.is_empty() {
            return Err(CalendarError::Parse("office hours need a session".into()));
        }
        let mut prev_close: Option<NaiveTime> = None;
        for &(open, close) in &sessions {
            if open >= close || prev_close.is_some_and(|p| open < p) {
                return Err(CalendarError::Parse(format!(
                    "bad office session {open}–{close}"
                )));
            }
            prev_close = Some(close);
        }
        Ok(OfficeHours { sessions, cutoff })
    }

    /// Same sessions, with a reception cut-off.
    pub fn with_cutoff(mut self, cutoff: NaiveTime) -> OfficeHours {
        self.cutoff = Some(cutoff);
        self
    }

    /// Minutes in an office day (480 by default).
    pub fn minutes_per_day(&self) -> i64 {
        self.sessions
            .iter()
            .map(|(o, c)| minutes(*c) - minutes(*o))
            .sum()
    }

    /// Opening time of the first session.
    pub fn opening(&self) -> NaiveTime {
        self.sessions.first().map(|s| s.0).unwrap_or_default()
    }

    /// Closing time of the last session.
    pub fn closing(&self) -> NaiveTime {
        self.sessions.last().map(|s| s.1).unwrap_or_default()
    }

    /// Working minutes of the day elapsed at time `t`.
    fn elapsed_in_day(&self, t: NaiveTime) -> i64 {
        let t = minutes(t);
        self.sessions
            .iter()
            .map(|(o, c)| (t.min(minutes(*c)) - minutes(*o)).max(0))
            .sum()
    }

    /// The time of day at which `m` working minutes have elapsed (0 < m ≤ a day); a
    /// session boundary resolves to the earlier session's closing time.
    fn time_after(&self, m: i64) -> NaiveTime {
        let mut left = m;
        for &(o, c) in &self.sessions {
            let len = minutes(c) - minutes(o);
            if left <= len {
                return from_minutes(minutes(o) + left);
            }
            left -= len;
        }
        self.closing()
    }
}

fn minutes(t: NaiveTime) -> i64 {
    i64::from(t.hour()) * 60 + i64::from(t.minute())
}

fn from_minutes(m: i64) -> NaiveTime {
    NaiveTime::from_hms_opt((m / 60) as u32, (m % 60) as u32, 0).unwrap_or_default()
}

impl Calendar {
    /// Position of `t` on the working-minute line.
    fn working_minute(&self, hours: &OfficeHours, t: NaiveDateTime) -> Result<i64, CalendarError> {
        let i = self.index(t.date())? as usize;
        let before = i64::from(self.prefix[i]);
        let today = if self.prefix[i + 1] > self.prefix[i] {
            hours.elapsed_in_day(t.time())
        } else {
            0
        };
        Ok(before * hours.minutes_per_day() + today)
    }

    /// When the clock starts for something received at `received`: the same instant if it
    /// is on a working day before the cut-off (the opening time if earlier), otherwise the
    /// opening of the next working day.
    pub fn reception_start(
        &self,
        hours: &OfficeHours,
        received: NaiveDateTime,
    ) -> Result<NaiveDateTime, CalendarError> {
        let date = received.date();
        let cutoff = hours.cutoff.unwrap_or(hours.closing());
        if self.is_working_day(date)? && received.time() < cutoff {
            if received.time() < hours.opening() {
                return Ok(date.and_time(hours.opening()));
            }
            return Ok(received);
        }
        Ok(self.add_working_days(date, 1)?.and_time(hours.opening()))
    }

    /// The day a reception counts as: its own date, or the next working day when it comes
    /// after the cut-off or on a day off.
    pub fn reception_day(
        &self,
        hours: &OfficeHours,
        received: NaiveDateTime,
    ) -> Result<NaiveDate, CalendarError> {
        Ok(self.reception_start(hours, received)?.date())
    }

    /// `start` plus `minutes` working minutes. The result lies in office hours; a deadline
    /// that ends exactly at a session boundary is the earlier closing time.
    pub fn add_working_minutes(
        &self,
        hours: &OfficeHours,
        start: NaiveDateTime,
        minutes: u32,
    ) -> Result<NaiveDateTime, CalendarError> {
        if minutes == 0 {
            return Ok(start);
        }
        let per_day = hours.minutes_per_day();
        let p = self.working_minute(hours, start)? + i64::from(minutes);
        let (mut day, mut rem) = (p / per_day, p % per_day);
        if rem == 0 {
            day -= 1;
            rem = per_day;
        }
        let date = usize::try_from(day)
            .ok()
            .and_then(|d| self.workdays.get(d))
            .ok_or(CalendarError::OutOfRange(start.date()))?;
        Ok(date.and_time(hours.time_after(rem)))
    }

    /// `start` plus `n` working hours.
    pub fn add_working_hours(
        &self,
        hours: &OfficeHours,
        start: NaiveDateTime,
        n: u32,
    ) -> Result<NaiveDateTime, CalendarError> {
        self.add_working_minutes(hours, start, n.saturating_mul(60))
    }

    /// Ngày hẹn trả — the due instant of `limit` for something received at `received`.
    /// By days: the closing time of the n-th working day after the reception day (the
    /// reception day is not counted; after the cut-off it is the next working day). By
    /// hours: the reception start plus n working hours.
    pub fn due(
        &self,
        hours: &OfficeHours,
        received: NaiveDateTime,
        limit: TimeLimit,
    ) -> Result<NaiveDateTime, CalendarError> {
        match limit {
            TimeLimit::WorkingDays(n) => {
                let day = self.reception_day(hours, received)?;
                Ok(self.add_working_days(day, n)?.and_time(hours.closing()))
            }
            TimeLimit::WorkingHours(n) => {
                let start = self.reception_start(hours, received)?;
                self.add_working_hours(hours, start, n)
            }
        }
    }

    /// Working minutes from `from` to `to` (negative if `to` is earlier).
    pub fn working_minutes_between(
        &self,
        hours: &OfficeHours,
        from: NaiveDateTime,
        to: NaiveDateTime,
    ) -> Result<i64, CalendarError> {
        Ok(self.working_minute(hours, to)? - self.working_minute(hours, from)?)
    }

    /// Working minutes elapsed from `from` to `to`, not counting the paused intervals
    /// (waiting for a supplement or for the fee). Pauses may overlap each other and
    /// extend past `[from, to]`; only their working time inside it is subtracted.
    pub fn elapsed_working_minutes(
        &self,
        hours: &OfficeHours,
        from: NaiveDateTime,
        to: NaiveDateTime,
        pauses: &[(NaiveDateTime, NaiveDateTime)],
    ) -> Result<i64, CalendarError> {
        if to <= from {
            return Ok(0);
        }
        let mut spans = Vec::with_capacity(pauses.len());
        for &(a, b) in pauses {
            let (a, b) = (a.max(from), b.min(to));
            if a < b {
                spans.push((
                    self.working_minute(hours, a)?,
                    self.working_minute(hours, b)?,
                ));
            }
        }
        spans.sort_unstable();
        let mut paused = 0;
        let mut cur: Option<(i64, i64)> = None;
        for (a, b) in spans {
            cur = match cur {
                Some((ca, cb)) if a <= cb => Some((ca, cb.max(b))),
                Some((ca, cb)) => {
                    paused += cb - ca;
                    Some((a, b))
                }
                None => Some((a, b)),
            };
        }
        if let Some((ca, cb)) = cur {
            paused += cb - ca;
        }
        Ok(self.working_minutes_between(hours, from, to)? - paused)
    }
}
