//! Ngày hẹn trả — the appointment date written on Mẫu 01, and the provincial shorter target
//! for online dossiers (domain.md §4 "Deadline computation", §5 "20% shorter").
//!
//! The arithmetic is the calendar's ([`Calendar::due`], [`Calendar::add_working_minutes`]);
//! this module adds the intake policy and the online target.

use crate::calendar::{Calendar, CalendarError, OfficeHours, TimeLimit};
use chrono::{NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

/// Thời hạn giải quyết — a legal time limit in working days or working hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "unit", content = "amount")]
pub enum WorkingLimit {
    /// Ngày làm việc. `Days(0)` is "trong ngày" (same day, before closing time).
    Days(u32),
    /// Giờ làm việc.
    Hours(u32),
}

impl WorkingLimit {
    /// The limit in working minutes, given the length of an office day.
    pub fn minutes(self, hours: &OfficeHours) -> i64 {
        match self {
            WorkingLimit::Days(n) => i64::from(n) * hours.minutes_per_day(),
            WorkingLimit::Hours(n) => i64::from(n) * 60,
        }
    }

    /// Working minutes of one unit of this limit (an office day or an hour).
    pub fn unit_minutes(self, hours: &OfficeHours) -> i64 {
        match self {
            WorkingLimit::Days(_) => hours.minutes_per_day(),
            WorkingLimit::Hours(_) => 60,
        }
    }
}

impl From<WorkingLimit> for TimeLimit {
    fn from(l: WorkingLimit) -> TimeLimit {
        match l {
            WorkingLimit::Days(n) => TimeLimit::WorkingDays(n),
            WorkingLimit::Hours(n) => TimeLimit::WorkingHours(n),
        }
    }
}

/// How the one-stop desk counts: office hours, the afternoon cut-off and the provincial
/// reduction for online dossiers. All of it is local practice, hence configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakePolicy {
    /// Office sessions and the reception cut-off: a dossier received at or after the
    /// cut-off counts from the next working day. No cut-off by default: only procedures
    /// whose time limit says so ("tiếp nhận sau 15 giờ thì trả kết quả trong ngày làm việc
    /// tiếp theo", data/procedures) have one ([`IntakePolicy::with_cutoff`]).
    pub hours: OfficeHours,
    /// Công văn 6486/UBND-KSTT (Nghệ An, 2023) item 1: dossiers filed online are solved
    /// "sớm hơn 20% so với thời hạn giải quyết theo quy định". Percent, 0–100.
    pub online_reduction_percent: u8,
}

impl Default for IntakePolicy {
    /// Office hours without a blanket cut-off: only a procedure whose published time limit
    /// names one has a cut-off (`clock::Limit::cutoff`, data/dossier/clock.toml).
    fn default() -> Self {
        IntakePolicy {
            hours: OfficeHours::default(),
            online_reduction_percent: 20,
        }
    }
}

impl IntakePolicy {
    /// The same policy with a procedure's own afternoon cut-off, if it names one.
    pub fn with_cutoff(&self, cutoff: Option<NaiveTime>) -> IntakePolicy {
        let mut p = self.clone();
        p.hours.cutoff = cutoff;
        p
    }
}

/// Ngày hẹn trả (legal) for a dossier received at `received`.
///
/// Convention (a) "by day", domain.md §4 [TV, configurable]: the reception day is not
/// counted; the dossier is due at closing time of the n-th working day after it. A dossier
/// received on a day off, out of hours or at/after the cut-off counts from the next working
/// day. By hours: the reception start plus n working hours. Example: received Fri
/// 29/8/2025, 3 working days, 30/8–2/9 off → due Fri 5/9/2025 at closing time.
pub fn appointment(
    received: NaiveDateTime,
    limit: WorkingLimit,
    cal: &Calendar,
    policy: &IntakePolicy,
) -> Result<NaiveDateTime, CalendarError> {
    cal.due(&policy.hours, received, limit.into())
}

/// The provincial target for an online dossier: the legal limit shortened by
/// `policy.online_reduction_percent` (CV 6486/UBND-KSTT item 1; which decision set it and
/// whether NgayHenTra uses it are [TV], so the legal [`appointment`] is kept apart).
///
/// The shortened limit is counted in working minutes, rounded down to the minute
/// (3 days − 20% = 2.4 days = 19 h 12 min; the rounding rule is [TV]). It starts where the
/// legal count starts — the end of the reception day for day limits, the reception start
/// for hour limits — so that a 0% reduction gives exactly the legal appointment.
pub fn online_target(
    received: NaiveDateTime,
    limit: WorkingLimit,
    cal: &Calendar,
    policy: &IntakePolicy,
) -> Result<NaiveDateTime, CalendarError> {
    let hours = &policy.hours;
    let pct = i64::from(policy.online_reduction_percent.min(100));
    let reduced = limit.minutes(hours) * (100 - pct) / 100;
    let start = match limit {
        WorkingLimit::Days(_) => {
            let day = cal.reception_day(hours, received)?;
            let closing = hours.sessions.last().map(|s| s.1).unwrap_or_default();
            day.and_time(closing)
        }
        WorkingLimit::Hours(_) => cal.reception_start(hours, received)?,
    };
    let minutes = u32::try_from(reduced).unwrap_or(u32::MAX);
    cal.add_working_minutes(hours, start, minutes)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::NaiveDate;
    use std::sync::OnceLock;

    const RULES: &str = include_str!("../../../../data/calendar/vn-holiday-rules.toml");
    const ENTRIES: &str = include_str!("../../../../data/calendar/vn-civil-service-days-off.csv");

    pub(crate) fn cal() -> &'static Calendar {
        static CAL: OnceLock<Calendar> = OnceLock::new();
        CAL.get_or_init(|| Calendar::from_sources(RULES, ENTRIES).unwrap())
    }

    pub(crate) fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    #[test]
    fn domain_example_quoc_khanh_2025() {
        // Fri 29/8/2025, 3 working days; 30/8–2/9 off → Wed 3/9, Thu 4/9, due Fri 5/9.
        let p = IntakePolicy::default();
        let due = appointment(at(2025, 8, 29, 9, 0), WorkingLimit::Days(3), cal(), &p).unwrap();
        assert_eq!(due, at(2025, 9, 5, 17, 30));
    }

    #[test]
    fn afternoon_cutoff_moves_the_start_to_the_next_working_day() {
        let p = IntakePolicy::default().with_cutoff(NaiveTime::from_hms_opt(15, 0, 0));
        // 15:30 Fri 29/8 counts as Wed 3/9; +3 working days → Mon 8/9.
        let due = appointment(at(2025, 8, 29, 15, 30), WorkingLimit::Days(3), cal(), &p).unwrap();
        assert_eq!(due, at(2025, 9, 8, 17, 30));
        // 14:59 is still the same day.
        let due = appointment(at(2025, 8, 29, 14, 59), WorkingLimit::Days(3), cal(), &p).unwrap();
        assert_eq!(due, at(2025, 9, 5, 17, 30));
        // Without a cut-off, 15:30 is the same day.
        let late_desk = IntakePolicy {
            hours: OfficeHours::default(),
            ..IntakePolicy::default()
        };
        let due = appointment(
            at(2025, 8, 29, 15, 30),
            WorkingLimit::Days(3),
            cal(),
            &late_desk,
        )
        .unwrap();
        assert_eq!(due, at(2025, 9, 5, 17, 30));
    }

    #[test]
    fn same_day_procedures_and_tet() {
        let p = IntakePolicy::default().with_cutoff(NaiveTime::from_hms_opt(15, 0, 0));
        // "Trong ngày": before the cut-off, due at closing the same day.
        let due = appointment(at(2025, 9, 4, 10, 0), WorkingLimit::Days(0), cal(), &p).unwrap();
        assert_eq!(due, at(2025, 9, 4, 17, 30));
        // After 15:00 → the next working day.
        let due = appointment(at(2025, 9, 4, 16, 0), WorkingLimit::Days(0), cal(), &p).unwrap();
        assert_eq!(due, at(2025, 9, 5, 17, 30));
        // Tết Bính Ngọ: off Sat 14/2 – Sun 22/2/2026 → Mon 23, Tue 24, Wed 25.
        let due = appointment(at(2026, 2, 13, 10, 0), WorkingLimit::Days(3), cal(), &p).unwrap();
        assert_eq!(due, at(2026, 2, 25, 17, 30));
    }

    #[test]
    fn hour_limits_count_office_hours() {
        let p = IntakePolicy::default();
        // Thu 4/9/2025 10:00 + 8 h: 1.5 h + 4 h that day, 2.5 h Friday → Fri 10:00.
        let due = appointment(at(2025, 9, 4, 10, 0), WorkingLimit::Hours(8), cal(), &p).unwrap();
        assert_eq!(due, at(2025, 9, 5, 10, 0));
        // Received Saturday 30/8 (holiday weekend) → starts Wed 3/9 07:30; +1 h → 08:30.
        let due = appointment(at(2025, 8, 30, 9, 0), WorkingLimit::Hours(1), cal(), &p).unwrap();
        assert_eq!(due, at(2025, 9, 3, 8, 30));
    }

    #[test]
    fn online_target_is_20_percent_shorter_and_keeps_the_legal_date_apart() {
        let p = IntakePolicy::default();
        let received = at(2025, 8, 29, 9, 0);
        // 3 days = 1440 min; −20% = 1152 min = 19 h 12 min after Fri 29/8 17:30:
        // Wed 3/9 (8 h), Thu 4/9 (8 h), Fri 5/9 3 h 12 min → 07:30 + 3:12 = 10:42.
        let t = online_target(received, WorkingLimit::Days(3), cal(), &p).unwrap();
        assert_eq!(t, at(2025, 9, 5, 10, 42));
        assert_eq!(
            appointment(received, WorkingLimit::Days(3), cal(), &p).unwrap(),
            at(2025, 9, 5, 17, 30)
        );
        // 5 days − 20% = 4 whole days → Mon 8/9 closing (legal: Tue 9/9).
        let t = online_target(received, WorkingLimit::Days(5), cal(), &p).unwrap();
        assert_eq!(t, at(2025, 9, 8, 17, 30));
        // 8 hours − 20% = 6 h 24 min from Thu 4/9 10:00: 5.5 h Thu, 54 min Fri → 08:24.
        let t = online_target(at(2025, 9, 4, 10, 0), WorkingLimit::Hours(8), cal(), &p).unwrap();
        assert_eq!(t, at(2025, 9, 5, 8, 24));
    }

    #[test]
    fn zero_reduction_gives_the_legal_date() {
        let p = IntakePolicy {
            online_reduction_percent: 0,
            ..IntakePolicy::default()
        };
        for limit in [
            WorkingLimit::Days(0),
            WorkingLimit::Days(7),
            WorkingLimit::Hours(12),
        ] {
            for received in [
                at(2025, 8, 29, 9, 0),
                at(2025, 8, 29, 16, 0),
                at(2026, 2, 13, 11, 0),
            ] {
                assert_eq!(
                    online_target(received, limit, cal(), &p).unwrap(),
                    appointment(received, limit, cal(), &p).unwrap(),
                    "{limit:?} {received}"
                );
            }
        }
    }
}
