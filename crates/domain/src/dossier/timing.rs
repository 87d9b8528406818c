//! Trước hạn, đúng hạn, quá hạn — judging a dossier's timeliness from its raw intervals, as
//! QĐ 766/QĐ-TTg indicator 2.1 and TT 01/2018/TT-VPCP Điều 13 do (domain.md §5 "Early, on
//! time, late"). Only raw timestamps are stored, so either rule can be replayed later.

use super::deadline::WorkingLimit;
use crate::calendar::{Calendar, CalendarError, OfficeHours};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// A supplementation pause: from "Yêu cầu bổ sung" to "hoàn thành bổ sung" (open while the
/// citizen has not supplied the papers yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    pub start: NaiveDateTime,
    pub end: Option<NaiveDateTime>,
}

/// The raw timestamps of one received dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierTimes {
    /// NgayTiepNhan — official reception time (status 2).
    pub received_at: NaiveDateTime,
    /// NgayHenTra — the appointment date on Mẫu 01, if one was set.
    pub appointment: Option<NaiveDateTime>,
    /// Each supplementation request, in order.
    pub supplement_pauses: Vec<Pause>,
    /// Đã xử lý xong (status 9).
    pub finished_at: Option<NaiveDateTime>,
    /// Đã trả kết quả (status 10).
    pub returned_at: Option<NaiveDateTime>,
    /// Dừng xử lý (status 8) or từ chối giải quyết after reception.
    pub stopped_at: Option<NaiveDateTime>,
    /// Công dân yêu cầu rút hồ sơ (status 7).
    pub withdrawn_at: Option<NaiveDateTime>,
}

impl DossierTimes {
    /// A dossier received at `received_at` with nothing else recorded yet.
    pub fn received(received_at: NaiveDateTime, appointment: Option<NaiveDateTime>) -> Self {
        DossierTimes {
            received_at,
            appointment,
            supplement_pauses: Vec::new(),
            finished_at: None,
            returned_at: None,
            stopped_at: None,
            withdrawn_at: None,
        }
    }

    /// NgayKetThucXuLy — QĐ 766 (VPCP "Mô tả công thức tính chỉ số 766"): the first terminal
    /// timestamp by priority Đã xử lý xong > Đã trả kết quả > Dừng / Từ chối; a withdrawal
    /// ends an accepted dossier. Priority, not the earliest time, decides.
    pub fn end(&self) -> Option<NaiveDateTime> {
        self.finished_at
            .or(self.returned_at)
            .or(self.stopped_at)
            .or(self.withdrawn_at)
    }

    /// Supplementation requests made up to `until`.
    pub fn supplement_requests(&self, until: NaiveDateTime) -> usize {
        self.supplement_pauses
            .iter()
            .filter(|p| p.start <= until)
            .count()
    }
}

/// How a dossier stands against its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    /// Trước hạn — finished strictly before the deadline (see [`classify_766`]).
    Early,
    /// Đúng hạn — finished by the deadline but not before it.
    OnTime,
    /// Quá hạn — finished after the deadline.
    Late,
    /// Đang xử lý trong hạn — unfinished at the period end, deadline not passed.
    InProgressOnTime,
    /// Đang xử lý quá hạn — unfinished at the period end, deadline passed.
    InProgressLate,
}

impl Timeliness {
    /// QĐ 766 indicator 2.1 numerator: "Đúng hạn" includes early, and unfinished dossiers
    /// still within their deadline count as on time.
    pub fn is_on_time(self) -> bool {
        matches!(
            self,
            Timeliness::Early | Timeliness::OnTime | Timeliness::InProgressOnTime
        )
    }

    /// The dossier had ended by the period end.
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            Timeliness::Early | Timeliness::OnTime | Timeliness::Late
        )
    }

    /// Vietnamese label for reports.
    pub fn label(self) -> &'static str {
        match self {
            Timeliness::Early => "Trước hạn",
            Timeliness::OnTime => "Đúng hạn",
            Timeliness::Late => "Quá hạn",
            Timeliness::InProgressOnTime => "Đang xử lý trong hạn",
            Timeliness::InProgressLate => "Đang xử lý quá hạn",
        }
    }

    /// TT 01/2018/TT-VPCP Điều 13, indicator 1 (tổng thời gian giải quyết): 2 points if less
    /// than prescribed (trước hạn), 1 if equal (đúng hạn), 0 if longer (quá hạn). `None` for a
    /// dossier still in progress.
    pub fn tt01_indicator1_points(self) -> Option<u8> {
        match self {
            Timeliness::Early => Some(2),
            Timeliness::OnTime => Some(1),
            Timeliness::Late => Some(0),
            Timeliness::InProgressOnTime | Timeliness::InProgressLate => None,
        }
    }
}

/// TT 01/2018/TT-VPCP Điều 13, indicator 3 (số lần liên hệ để hoàn thiện hồ sơ): 2 points if
/// no extra contact was needed, 1 if one, 0 if more (the "unless the applicant was at fault"
/// exception is for the officer to judge and is not modelled).
pub fn tt01_indicator3_points(supplement_requests: usize) -> u8 {
    match supplement_requests {
        0 => 2,
        1 => 1,
        _ => 0,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimingError {
    #[error(
        "Hồ sơ không có ngày hẹn trả và thủ tục không có thời hạn giải quyết, không thể xác định đúng hạn."
    )]
    NoDeadline,
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

/// Classify a received dossier as of `period_end` under QĐ 766/QĐ-TTg (indicator 2.1, VPCP
/// "Mô tả công thức tính chỉ số 766"; domain.md §5) [C]:
///
/// - End = [`DossierTimes::end`] if it lies within the period; otherwise the dossier is
///   unfinished and its end is the period end ("Unfinished dossiers use the end of the
///   period"), or, while a supplementation request is still open, the request time ("while
///   still waiting, the request time is the end").
/// - **More than one supplementation request ⇒ late**, whatever the times.
/// - With NgayHenTra: on time ⇔ end ≤ NgayHenTra.
/// - Without: end − start − supplement time ≤ legal maximum, counted in working minutes of
///   `hours` (start = the reception start, after the cut-off rule).
/// - "Đúng hạn" includes early. Early (trước hạn, TT 01/2018 Điều 13: "ít hơn thời gian quy
///   định") is judged per unit of the limit [convention, TV]: with NgayHenTra, finished on a
///   calendar day before the appointment day; without, in fewer started working days (or
///   hours, for an hour limit) than prescribed. In-progress dossiers are never early.
pub fn classify_766(
    times: &DossierTimes,
    period_end: NaiveDateTime,
    legal_limit: Option<WorkingLimit>,
    cal: &Calendar,
    hours: &OfficeHours,
) -> Result<Timeliness, TimingError> {
    if let Some(v) = classify_766_without_limit(times, period_end) {
        return Ok(v);
    }
    let (end, finished) = judged_end(times, period_end);
    let limit = legal_limit.ok_or(TimingError::NoDeadline)?;
    let start = cal.reception_start(hours, times.received_at)?;
    let pauses: Vec<(NaiveDateTime, NaiveDateTime)> = times
        .supplement_pauses
        .iter()
        .map(|p| (p.start, p.end.unwrap_or(end)))
        .collect();
    let elapsed = cal.elapsed_working_minutes(hours, start, end, &pauses)?;
    let max = limit.minutes(hours);
    let early = elapsed <= max - limit.unit_minutes(hours);
    Ok(verdict(finished, elapsed > max, early))
}

/// What [`classify_766`] decides without the legal limit: late after more than one
/// supplementation request, else against the NgayHenTra; `None` when neither applies (no
/// appointment, at most one request: only the legal limit could judge it). This is the
/// branch that needs neither the calendar nor the limit, shared with the indicator
/// aggregates ([`crate::indicator::counters`]) so that both apply the same rule.
pub fn classify_766_without_limit(
    times: &DossierTimes,
    period_end: NaiveDateTime,
) -> Option<Timeliness> {
    let (end, finished) = judged_end(times, period_end);
    if times.supplement_requests(end) > 1 {
        return Some(verdict(finished, true, false));
    }
    let due = times.appointment?;
    Some(verdict(finished, end > due, end.date() < due.date()))
}

/// The end the 766 rule judges at `period_end`, and whether the dossier had ended by then:
/// its [`DossierTimes::end`] if not after the period end; else the start of a
/// supplementation request still open at the period end (the clock stopped there); else
/// the period end.
fn judged_end(times: &DossierTimes, period_end: NaiveDateTime) -> (NaiveDateTime, bool) {
    match times.end() {
        Some(e) if e <= period_end => (e, true),
        _ => {
            let open = times
                .supplement_pauses
                .iter()
                .filter(|p| p.start <= period_end && p.end.is_none_or(|e| e > period_end))
                .map(|p| p.start)
                .min();
            (open.unwrap_or(period_end), false)
        }
    }
}

fn verdict(finished: bool, late: bool, early: bool) -> Timeliness {
    match (finished, late, early) {
        (true, true, _) => Timeliness::Late,
        (true, false, true) => Timeliness::Early,
        (true, false, false) => Timeliness::OnTime,
        (false, true, _) => Timeliness::InProgressLate,
        (false, false, _) => Timeliness::InProgressOnTime,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dossier::deadline::tests::{at, cal};

    fn hours() -> OfficeHours {
        OfficeHours::default()
    }

    /// Received Fri 29/8/2025 09:00, NgayHenTra Fri 5/9/2025 17:30 (3 working days).
    fn base() -> DossierTimes {
        DossierTimes::received(at(2025, 8, 29, 9, 0), Some(at(2025, 9, 5, 17, 30)))
    }

    fn period_end() -> NaiveDateTime {
        at(2025, 9, 14, 23, 59)
    }

    fn classify(t: &DossierTimes, limit: Option<WorkingLimit>) -> Timeliness {
        classify_766(t, period_end(), limit, cal(), &hours()).unwrap()
    }

    #[test]
    fn finished_before_on_and_after_the_appointment() {
        let mut t = base();
        t.finished_at = Some(at(2025, 9, 4, 16, 0));
        assert_eq!(classify(&t, None), Timeliness::Early);
        t.finished_at = Some(at(2025, 9, 5, 8, 0));
        assert_eq!(classify(&t, None), Timeliness::OnTime);
        t.finished_at = Some(at(2025, 9, 5, 17, 30));
        assert_eq!(classify(&t, None), Timeliness::OnTime);
        t.finished_at = Some(at(2025, 9, 5, 17, 31));
        assert_eq!(classify(&t, None), Timeliness::Late);
        assert!(!Timeliness::Late.is_on_time());
        assert!(Timeliness::Early.is_on_time());
    }

    #[test]
    fn finished_beats_returned_beats_stopped() {
        // Finished on time on Fri 5/9, result returned late on Mon 8/9 → on time (status 9
        // is the 766 end, not status 10).
        let mut t = base();
        t.finished_at = Some(at(2025, 9, 5, 10, 0));
        t.returned_at = Some(at(2025, 9, 8, 9, 0));
        assert_eq!(classify(&t, None), Timeliness::OnTime);
        // Only returned (no status 9 recorded): the return time ends it → late.
        t.finished_at = None;
        assert_eq!(classify(&t, None), Timeliness::Late);
        // Stopped on Wed 3/9, but a return time exists: priority picks the return.
        t.stopped_at = Some(at(2025, 9, 3, 9, 0));
        assert_eq!(classify(&t, None), Timeliness::Late);
        t.returned_at = None;
        assert_eq!(classify(&t, None), Timeliness::Early);
    }

    #[test]
    fn withdrawal_ends_an_accepted_dossier() {
        let mut t = base();
        t.withdrawn_at = Some(at(2025, 9, 8, 9, 0));
        assert_eq!(classify(&t, None), Timeliness::Late);
        t.withdrawn_at = Some(at(2025, 9, 5, 9, 0));
        assert_eq!(classify(&t, None), Timeliness::OnTime);
    }

    #[test]
    fn two_supplement_requests_make_it_late() {
        let mut t = base();
        t.finished_at = Some(at(2025, 9, 3, 10, 0));
        t.supplement_pauses = vec![Pause {
            start: at(2025, 9, 3, 8, 0),
            end: Some(at(2025, 9, 3, 9, 0)),
        }];
        assert_eq!(classify(&t, None), Timeliness::Early);
        t.supplement_pauses.push(Pause {
            start: at(2025, 9, 3, 9, 15),
            end: Some(at(2025, 9, 3, 9, 30)),
        });
        assert_eq!(classify(&t, None), Timeliness::Late);
        assert_eq!(Timeliness::Late.tt01_indicator1_points(), Some(0));
        assert_eq!(tt01_indicator3_points(t.supplement_pauses.len()), 0);
        // Unfinished with two requests: in progress, late.
        t.finished_at = None;
        assert_eq!(classify(&t, None), Timeliness::InProgressLate);
    }

    #[test]
    fn unfinished_dossiers_use_the_period_end() {
        let t = base();
        let before = at(2025, 9, 5, 12, 0);
        assert_eq!(
            classify_766(&t, before, None, cal(), &hours()).unwrap(),
            Timeliness::InProgressOnTime
        );
        assert_eq!(classify(&t, None), Timeliness::InProgressLate);
        // Finished after the period end: in that period it was still in progress.
        let mut t = base();
        t.finished_at = Some(at(2025, 9, 16, 9, 0));
        assert_eq!(classify(&t, None), Timeliness::InProgressLate);
        assert_eq!(Timeliness::InProgressLate.tt01_indicator1_points(), None);
    }

    #[test]
    fn an_open_supplement_request_stops_the_clock_at_the_request() {
        let mut t = base();
        t.supplement_pauses = vec![Pause {
            start: at(2025, 9, 4, 10, 0),
            end: None,
        }];
        // Still waiting for the citizen on 14/9: the end is the request time, Thu 4/9.
        assert_eq!(classify(&t, None), Timeliness::InProgressOnTime);
        // Same with no appointment: 3 working days = 1440 min; elapsed Fri 29/8 09:00 →
        // Thu 4/9 10:00 = 390 (Fri) + 480 (Wed) + 150 (Thu) = 1020 min ≤ 1440; 2 days = 960 < 1020.
        t.appointment = None;
        assert_eq!(
            classify(&t, Some(WorkingLimit::Days(3))),
            Timeliness::InProgressOnTime
        );
        assert_eq!(
            classify(&t, Some(WorkingLimit::Days(2))),
            Timeliness::InProgressLate
        );
    }

    #[test]
    fn without_an_appointment_the_legal_maximum_minus_pauses_decides() {
        // Received Fri 29/8 09:00; finished Thu 4/9 15:00.
        // Elapsed: Fri (150 + 240) + Wed 480 + Thu (240 + 90) = 1200 min.
        let mut t = DossierTimes::received(at(2025, 8, 29, 9, 0), None);
        t.finished_at = Some(at(2025, 9, 4, 15, 0));
        // Limit 3 days = 1440: 1200 ≤ 1440 − 480? no → on time (finished in the 3rd day).
        assert_eq!(
            classify(&t, Some(WorkingLimit::Days(3))),
            Timeliness::OnTime
        );
        // Limit 2 days = 960 < 1200 → late.
        assert_eq!(classify(&t, Some(WorkingLimit::Days(2))), Timeliness::Late);
        // A supplement pause Wed 3/9 08:00 → Thu 4/9 08:00 (480 working min) brings the
        // elapsed time to 720 ≤ 960 → on time against 2 days (720 > 480), early against 3.
        t.supplement_pauses = vec![Pause {
            start: at(2025, 9, 3, 8, 0),
            end: Some(at(2025, 9, 4, 8, 0)),
        }];
        assert_eq!(
            classify(&t, Some(WorkingLimit::Days(2))),
            Timeliness::OnTime
        );
        assert_eq!(classify(&t, Some(WorkingLimit::Days(3))), Timeliness::Early);
        // Hour limits: 13 h = 780, 720 ≤ 780 − 60 → early; 12 h = 720 → on time exactly;
        // 11 h = 660 < 720 → late.
        assert_eq!(
            classify(&t, Some(WorkingLimit::Hours(13))),
            Timeliness::Early
        );
        assert_eq!(
            classify(&t, Some(WorkingLimit::Hours(12))),
            Timeliness::OnTime
        );
        assert_eq!(
            classify(&t, Some(WorkingLimit::Hours(11))),
            Timeliness::Late
        );
        // No appointment and no legal limit: cannot be judged.
        assert_eq!(
            classify_766(&t, period_end(), None, cal(), &hours()),
            Err(TimingError::NoDeadline)
        );
    }

    #[test]
    fn tt01_points() {
        assert_eq!(Timeliness::Early.tt01_indicator1_points(), Some(2));
        assert_eq!(Timeliness::OnTime.tt01_indicator1_points(), Some(1));
        assert_eq!(tt01_indicator3_points(0), 2);
        assert_eq!(tt01_indicator3_points(1), 1);
    }
}
