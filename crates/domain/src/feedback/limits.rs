//! Thời hạn xử lý PAKN as data (`data/feedback/time-limits.yaml`): working days from the
//! day a feedback is received (or supplemented, or forwarded to the competent agency), the
//! version in force on that day.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::calendar::{Calendar, CalendarError};

/// The shipped time limits (YAML text).
pub const EMBEDDED: &str = include_str!("../../../../data/feedback/time-limits.yaml");

/// One version of the time limits.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TimeLimits {
    pub effective_from: NaiveDate,
    pub source: String,
    /// To accept or reject (từ chối tiếp nhận) a feedback.
    pub triage_days: u32,
    /// To ask, once, for what is missing (yêu cầu bổ sung).
    pub supplement_request_days: u32,
    /// To process it to an approved answer awaiting publication (chờ công khai).
    pub answer_days: u32,
    /// To publish an approved answer.
    pub publish_days: u32,
}

/// The due dates of a feedback received on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    pub triage_on: NaiveDate,
    pub supplement_request_on: NaiveDate,
    pub answer_on: NaiveDate,
}

impl TimeLimits {
    /// Every version, oldest first; checked (each limit at least one day, dates rising).
    pub fn all() -> Result<Vec<TimeLimits>, String> {
        let mut v: Vec<TimeLimits> = serde_norway::from_str(EMBEDDED)
            .map_err(|e| format!("data/feedback/time-limits.yaml: {e}"))?;
        v.sort_by_key(|t| t.effective_from);
        for t in &v {
            if [
                t.triage_days,
                t.supplement_request_days,
                t.answer_days,
                t.publish_days,
            ]
            .contains(&0)
            {
                return Err(format!(
                    "data/feedback/time-limits.yaml: thời hạn từ {} phải ít nhất 1 ngày làm việc",
                    t.effective_from
                ));
            }
        }
        if v.is_empty() {
            return Err("data/feedback/time-limits.yaml: chưa có thời hạn nào".into());
        }
        Ok(v)
    }

    /// The shipped version in force on `day`; the file is parsed and checked once.
    pub fn on(day: NaiveDate) -> Result<&'static TimeLimits, String> {
        static ALL: std::sync::OnceLock<Result<Vec<TimeLimits>, String>> =
            std::sync::OnceLock::new();
        let all = ALL
            .get_or_init(TimeLimits::all)
            .as_ref()
            .map_err(Clone::clone)?;
        Ok(TimeLimits::in_force(all, day))
    }

    /// The version in force on `day` (the oldest one before the first version's date).
    pub fn in_force(all: &[TimeLimits], day: NaiveDate) -> &TimeLimits {
        all.iter()
            .rev()
            .find(|t| t.effective_from <= day)
            .unwrap_or(&all[0])
    }

    /// The due dates of a feedback received on `received` (a non-working day counts from
    /// the next working day, as `add_working_days` counts days strictly after).
    pub fn due(&self, cal: &Calendar, received: NaiveDate) -> Result<Due, CalendarError> {
        Ok(Due {
            triage_on: cal.add_working_days(received, self.triage_days)?,
            supplement_request_on: cal.add_working_days(received, self.supplement_request_days)?,
            answer_on: cal.add_working_days(received, self.answer_days)?,
        })
    }

    /// The day an answer approved on `approved` must be published by.
    pub fn publish_due(
        &self,
        cal: &Calendar,
        approved: NaiveDate,
    ) -> Result<NaiveDate, CalendarError> {
        cal.add_working_days(approved, self.publish_days)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_limits_load() {
        let all = TimeLimits::all().unwrap();
        let t = TimeLimits::in_force(&all, NaiveDate::from_ymd_opt(2026, 1, 5).unwrap());
        assert_eq!(
            (
                t.triage_days,
                t.supplement_request_days,
                t.answer_days,
                t.publish_days
            ),
            (2, 5, 15, 2)
        );
    }
}
