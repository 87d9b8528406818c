//! Danh sách hồ sơ, nhiệm vụ quá hạn — the monthly list of overdue dossiers and tasks with
//! the officials and units who caused the delay.
//!
//! Source: Công văn 6486/UBND-KSTT ngày 07/8/2023 of UBND tỉnh Nghệ An, mục 3 (Văn phòng
//! UBND tỉnh): "Hàng tháng, tổng hợp báo cáo danh sách chi tiết hồ sơ giải quyết quá hạn
//! kèm theo danh sách cán bộ, công chức, viên chức, cơ quan, đơn vị để xảy ra chậm trễ …
//! công khai tại phiên họp thường kỳ Ủy ban nhân dân tỉnh".
//!
//! The rules below decide, for one period, whether a dossier or a task belongs to that list
//! and by how many days it is late. The store pre-selects candidates through indexes; these
//! functions have the last word, so every view (page, API, XLSX) lists the same rows.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::calendar::{Calendar, CalendarError};

/// Why an item is on the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OverdueKind {
    /// Still not finished at the cut-off, past its deadline.
    Unfinished,
    /// Finished within the period, after its deadline.
    FinishedLate,
}

impl OverdueKind {
    pub fn label(self) -> &'static str {
        match self {
            OverdueKind::Unfinished => "Chưa giải quyết, đã quá hạn",
            OverdueKind::FinishedLate => "Giải quyết quá hạn trong kỳ",
        }
    }
}

/// The times of a dossier that decide whether it is overdue (Vietnam local time).
#[derive(Debug, Clone, Copy, Default)]
pub struct DossierClock {
    pub received_at: Option<NaiveDateTime>,
    /// The deadline in force: the appointment (Mẫu 01) as the one clock moves it after a
    /// supplement (`crate::dossier::clock::appointment_after_pauses`: NĐ 61 excludes the
    /// paused time, NĐ 118 restarts the limit). An apology letter (Mẫu 04) does not move it.
    pub due_at: Option<NaiveDateTime>,
    /// Processing finished (status 9, the 766 end time).
    pub finished_at: Option<NaiveDateTime>,
    /// Stopped or withdrawn: the dossier ended without a result.
    pub ended_without_result_at: Option<NaiveDateTime>,
    /// Start of the supplementation pause still open now, if any: the clock is stopped
    /// from then on (the dossier waits for the citizen, not for an official).
    pub open_pause_since: Option<NaiveDateTime>,
}

/// Whether a dossier is on the overdue list of the period `[start, cut)`, where `cut` is
/// the end of the period, or now when the period is not over yet:
/// - unfinished at `cut` (received before it, not finished, stopped or withdrawn before it,
///   not waiting for a supplement requested before its deadline) with its deadline before
///   `cut`;
/// - or finished within `[start, cut)` after its deadline.
pub fn dossier_overdue(
    c: &DossierClock,
    start: NaiveDateTime,
    cut: NaiveDateTime,
) -> Option<OverdueKind> {
    let due = c.due_at?;
    c.received_at.filter(|r| *r < cut)?;
    if let Some(f) = c.finished_at
        && f < cut
    {
        return (f >= start && f > due).then_some(OverdueKind::FinishedLate);
    }
    if c.ended_without_result_at.is_some_and(|e| e < cut) {
        return None;
    }
    // Waiting for the citizen since before the deadline: the clock is stopped. A request
    // made after the deadline does not hide a dossier already late (766 judges it at the
    // request time, so both agree).
    if c.open_pause_since.is_some_and(|p| p < cut && p <= due) {
        return None;
    }
    (due < cut).then_some(OverdueKind::Unfinished)
}

/// Working days a dossier is late: the working days after its due day up to the day it
/// finished (or the cut-off day), by the legal calendar, since dossier time limits are
/// counted in working days (NĐ 61/2018/NĐ-CP Điều 19; domain.md §3.6). A dossier late by
/// hours on its due day is late by 0 working days.
pub fn dossier_days_late(
    cal: &Calendar,
    due: NaiveDateTime,
    until: NaiveDateTime,
) -> Result<i64, CalendarError> {
    if until <= due {
        return Ok(0);
    }
    Ok(cal.count_working_days(due.date(), until.date())?.max(0))
}

/// The facts of a task that decide whether it is overdue.
#[derive(Debug, Clone, Copy, Default)]
pub struct TaskClock {
    /// The deadline in force (latest approved extension).
    pub deadline: Option<NaiveDate>,
    /// Day the lead agency submitted its completion (pending or accepted); a returned
    /// completion clears it.
    pub submitted_on: Option<NaiveDate>,
}

/// Whether a task is on the overdue list of the period `from..=cut_day` (`cut_day`: the
/// last day of the period, or today when the period is not over), by the same rule as
/// `task::status` (the deadline day itself is on time; a submission stops the clock):
/// - not submitted by `cut_day` and its deadline before `cut_day`;
/// - or submitted within the period after its deadline.
pub fn task_overdue(t: &TaskClock, from: NaiveDate, cut_day: NaiveDate) -> Option<OverdueKind> {
    let deadline = t.deadline?;
    match t.submitted_on.filter(|s| *s <= cut_day) {
        Some(s) => (s >= from && s > deadline).then_some(OverdueKind::FinishedLate),
        None => (deadline < cut_day).then_some(OverdueKind::Unfinished),
    }
}

/// Days a task is late, in calendar days: directive deadlines are calendar dates
/// (domain.md §3.6), as on the task screens (`task::days_late`).
pub fn task_days_late(t: &TaskClock, cut_day: NaiveDate) -> i64 {
    let Some(deadline) = t.deadline else {
        return 0;
    };
    let until = t.submitted_on.filter(|s| *s <= cut_day).unwrap_or(cut_day);
    (until - deadline).num_days().max(0)
}

/// Whether a feedback (phản ánh, kiến nghị) is on the overdue list of the period
/// `from..=cut_day`: not handled by `cut_day` (no approved answer awaiting publication or
/// published, no rejection) with its answer due date before `cut_day`, or handled within
/// the period after it. The answer is due within 15 working days of the reception
/// (`data/feedback/time-limits.yaml`: NĐ 20/2008/NĐ-CP as amended by NĐ 92/2017/NĐ-CP and
/// the rules of Cổng Dịch vụ công quốc gia), the due day itself being on time — the rule
/// of the 766 group 5 counts (`feedback::facts`) and of the staff queue's "quá hạn".
pub fn feedback_overdue(
    due_on: NaiveDate,
    handled_on: Option<NaiveDate>,
    from: NaiveDate,
    cut_day: NaiveDate,
) -> Option<OverdueKind> {
    task_overdue(
        &TaskClock {
            deadline: Some(due_on),
            submitted_on: handled_on,
        },
        from,
        cut_day,
    )
}

/// Working days a feedback is late: the working days after its due day up to the day it
/// was handled (or `cut_day`), by the legal calendar, since its limits are working days.
pub fn feedback_days_late(
    cal: &Calendar,
    due_on: NaiveDate,
    handled_on: Option<NaiveDate>,
    cut_day: NaiveDate,
) -> Result<i64, CalendarError> {
    let until = handled_on.filter(|h| *h <= cut_day).unwrap_or(cut_day);
    if until <= due_on {
        return Ok(0);
    }
    Ok(cal.count_working_days(due_on, until)?.max(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap_or_default()
    }
    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    const START: &str = "2023-10-01 00:00";
    const CUT: &str = "2023-11-01 00:00";

    fn clock(due: &str) -> DossierClock {
        DossierClock {
            received_at: Some(t("2023-09-20 08:00")),
            due_at: Some(t(due)),
            ..Default::default()
        }
    }

    #[test]
    fn unfinished_past_due_is_overdue() {
        let c = clock("2023-10-20 17:00");
        assert_eq!(
            dossier_overdue(&c, t(START), t(CUT)),
            Some(OverdueKind::Unfinished)
        );
        // Due after the cut-off: not yet late.
        let c = clock("2023-11-02 17:00");
        assert_eq!(dossier_overdue(&c, t(START), t(CUT)), None);
        // Due long before the period and still open: still on the list.
        let c = clock("2023-08-01 17:00");
        assert_eq!(
            dossier_overdue(&c, t(START), t(CUT)),
            Some(OverdueKind::Unfinished)
        );
    }

    #[test]
    fn finished_dossiers() {
        let mut c = clock("2023-10-20 17:00");
        c.finished_at = Some(t("2023-10-25 09:00"));
        assert_eq!(
            dossier_overdue(&c, t(START), t(CUT)),
            Some(OverdueKind::FinishedLate)
        );
        c.finished_at = Some(t("2023-10-19 09:00"));
        assert_eq!(dossier_overdue(&c, t(START), t(CUT)), None);
        // Finished late but before the period: not this month's business.
        let mut c = clock("2023-09-21 17:00");
        c.finished_at = Some(t("2023-09-28 09:00"));
        assert_eq!(dossier_overdue(&c, t(START), t(CUT)), None);
        // Finished after the period: it was unfinished and late at its end.
        let mut c = clock("2023-10-20 17:00");
        c.finished_at = Some(t("2023-11-03 09:00"));
        assert_eq!(
            dossier_overdue(&c, t(START), t(CUT)),
            Some(OverdueKind::Unfinished)
        );
    }

    #[test]
    fn stopped_paused_or_not_received() {
        let mut c = clock("2023-10-20 17:00");
        c.ended_without_result_at = Some(t("2023-10-22 09:00"));
        assert_eq!(dossier_overdue(&c, t(START), t(CUT)), None);
        c.ended_without_result_at = Some(t("2023-11-22 09:00"));
        assert_eq!(
            dossier_overdue(&c, t(START), t(CUT)),
            Some(OverdueKind::Unfinished)
        );
        let mut c = clock("2023-10-20 17:00");
        c.open_pause_since = Some(t("2023-10-10 09:00"));
        assert_eq!(dossier_overdue(&c, t(START), t(CUT)), None);
        let mut c = clock("2023-10-20 17:00");
        c.received_at = None;
        assert_eq!(dossier_overdue(&c, t(START), t(CUT)), None);
        let c = DossierClock {
            received_at: Some(t("2023-09-20 08:00")),
            ..Default::default()
        };
        assert_eq!(dossier_overdue(&c, t(START), t(CUT)), None);
    }

    #[test]
    fn working_days_late_skip_weekends_and_holidays() {
        let cal = Calendar::from_sources(
            include_str!("../../../data/calendar/vn-holiday-rules.toml"),
            include_str!("../../../data/calendar/vn-civil-service-days-off.csv"),
        )
        .expect("shipped calendar");
        // Friday 20/10/2023 17:00 → Wednesday 25/10: Mon 23, Tue 24, Wed 25.
        assert_eq!(
            dossier_days_late(&cal, t("2023-10-20 17:00"), t("2023-10-25 09:00")),
            Ok(3)
        );
        // Late by hours on the due day.
        assert_eq!(
            dossier_days_late(&cal, t("2023-10-20 09:00"), t("2023-10-20 15:00")),
            Ok(0)
        );
        // Not late.
        assert_eq!(
            dossier_days_late(&cal, t("2023-10-20 17:00"), t("2023-10-19 15:00")),
            Ok(0)
        );
        // Across Quốc khánh 2023 (Fri 1/9 and Sat 2/9 off; the 2/9 falls on a Saturday so
        // Mon 4/9 is also off): due Thu 31/8 → Tue 5/9 is one working day later.
        assert_eq!(
            dossier_days_late(&cal, t("2023-08-31 17:00"), t("2023-09-05 17:00")),
            Ok(1)
        );
    }

    #[test]
    fn tasks() {
        let from = d("2023-10-01");
        let cut = d("2023-10-31");
        let open = TaskClock {
            deadline: Some(d("2023-10-15")),
            submitted_on: None,
        };
        assert_eq!(
            task_overdue(&open, from, cut),
            Some(OverdueKind::Unfinished)
        );
        assert_eq!(task_days_late(&open, cut), 16);
        // The deadline day is on time.
        let due_today = TaskClock {
            deadline: Some(cut),
            submitted_on: None,
        };
        assert_eq!(task_overdue(&due_today, from, cut), None);
        let late = TaskClock {
            deadline: Some(d("2023-10-15")),
            submitted_on: Some(d("2023-10-20")),
        };
        assert_eq!(
            task_overdue(&late, from, cut),
            Some(OverdueKind::FinishedLate)
        );
        assert_eq!(task_days_late(&late, cut), 5);
        // Submitted after the period: it was open and late at its end.
        let after = TaskClock {
            deadline: Some(d("2023-10-15")),
            submitted_on: Some(d("2023-11-03")),
        };
        assert_eq!(
            task_overdue(&after, from, cut),
            Some(OverdueKind::Unfinished)
        );
        assert_eq!(task_days_late(&after, cut), 16);
        let on_time = TaskClock {
            deadline: Some(d("2023-10-15")),
            submitted_on: Some(d("2023-10-15")),
        };
        assert_eq!(task_overdue(&on_time, from, cut), None);
        let no_deadline = TaskClock::default();
        assert_eq!(task_overdue(&no_deadline, from, cut), None);
        assert_eq!(task_days_late(&no_deadline, cut), 0);
    }

    #[test]
    fn feedback_late_in_working_days() {
        let cal = Calendar::from_sources(
            include_str!("../../../data/calendar/vn-holiday-rules.toml"),
            include_str!("../../../data/calendar/vn-civil-service-days-off.csv"),
        )
        .expect("shipped calendar");
        let (from, cut) = (d("2023-10-01"), d("2023-10-31"));
        // Due Friday 20/10, still open at the end of October: late by the working days
        // 23–27 and 30–31 = 7.
        assert_eq!(
            feedback_overdue(d("2023-10-20"), None, from, cut),
            Some(OverdueKind::Unfinished)
        );
        assert_eq!(feedback_days_late(&cal, d("2023-10-20"), None, cut), Ok(7));
        // Answered on its due day: on time; the Monday after: one working day late.
        assert_eq!(
            feedback_overdue(d("2023-10-20"), Some(d("2023-10-20")), from, cut),
            None
        );
        assert_eq!(
            feedback_overdue(d("2023-10-20"), Some(d("2023-10-23")), from, cut),
            Some(OverdueKind::FinishedLate)
        );
        assert_eq!(
            feedback_days_late(&cal, d("2023-10-20"), Some(d("2023-10-23")), cut),
            Ok(1)
        );
        // Due on Friday 31/8/2023, answered Tuesday 5/9 across Quốc khánh: one day late.
        assert_eq!(
            feedback_days_late(
                &cal,
                d("2023-08-31"),
                Some(d("2023-09-05")),
                d("2023-09-30")
            ),
            Ok(1)
        );
        // Answered after the period: open and late at its end.
        assert_eq!(
            feedback_overdue(d("2023-10-20"), Some(d("2023-11-02")), from, cut),
            Some(OverdueKind::Unfinished)
        );
        // Late before the period and answered before it: not this period's business.
        assert_eq!(
            feedback_overdue(d("2023-09-20"), Some(d("2023-09-25")), from, cut),
            None
        );
    }
}
