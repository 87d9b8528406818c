//! What one dossier adds to the counters: the [`DossierRecord`] the counters read, its
//! [`Contribution`] (days and flags, stored per dossier, with the 766 verdicts of
//! [`classify_766_without_limit`] judged at the ends of days), and the [`delta`] a change
//! of the dossier applies.

use chrono::{NaiveDate, NaiveDateTime};

use super::{Counter, Counts, period_end};
use crate::dossier::timing::{DossierTimes, Pause, Timeliness, classify_766_without_limit};

/// What the counters need of one dossier; times are local (UTC+07:00).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DossierRecord {
    /// Refused at intake (status 3): never counted.
    pub refused: bool,
    /// NgayTiepNhan; a dossier not yet received counts nowhere.
    pub received_at: Option<NaiveDateTime>,
    /// NgayHenTra in force (the appointment the one clock gives after the supplement
    /// pauses, as synced to the portal); without it a dossier cannot be judged (766 2.1).
    pub appointment: Option<NaiveDateTime>,
    /// Supplementation pauses, in order.
    pub supplement_pauses: Vec<Pause>,
    pub finished_at: Option<NaiveDateTime>,
    pub returned_at: Option<NaiveDateTime>,
    pub stopped_at: Option<NaiveDateTime>,
    pub withdrawn_at: Option<NaiveDateTime>,
    /// KenhThucHien = 2.
    pub online: bool,
    /// The procedure was offered full-online (toàn trình) at intake.
    pub full_online_eligible: bool,
    pub digitized: bool,
    pub e_result: bool,
    /// A fee or charge above zero.
    pub payable: bool,
    pub paid_online: bool,
    /// 1 không hài lòng, 2 hài lòng, 3 rất hài lòng.
    pub rating: Option<i32>,
    /// No outbox row waiting for Cổng DVCQG.
    pub synced: bool,
}

impl DossierRecord {
    /// The raw times of a received dossier, as [`crate::dossier::classify_766`] reads them.
    pub fn times(&self) -> Option<DossierTimes> {
        Some(DossierTimes {
            received_at: self.received_at?,
            appointment: self.appointment,
            supplement_pauses: self.supplement_pauses.clone(),
            finished_at: self.finished_at,
            returned_at: self.returned_at,
            stopped_at: self.stopped_at,
            withdrawn_at: self.withdrawn_at,
        })
    }
}

/// Bits of [`Contribution::flags`].
pub mod flag {
    pub const SYNCED: u32 = 1;
    pub const ONLINE: u32 = 1 << 1;
    pub const FULL_ONLINE_ELIGIBLE: u32 = 1 << 2;
    pub const DIGITISED: u32 = 1 << 3;
    pub const PAYABLE: u32 = 1 << 4;
    pub const PAID_ONLINE: u32 = 1 << 5;
    /// Has a NgayHenTra: judged by 766 2.1 from its reception day.
    pub const APPOINTMENT: u32 = 1 << 6;
    pub const DISSATISFIED_NOT_LATE: u32 = 1 << 7;
    pub const E_RESULT: u32 = 1 << 8;
    pub const RATED: u32 = 1 << 9;
    pub const RATED_POSITIVE: u32 = 1 << 10;
}

/// The counters one dossier adds to: days and flags, small enough to store per dossier so
/// that any later change applies as `new − old`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Contribution {
    /// Day of reception, for a dossier counted as received.
    pub received_day: Option<NaiveDate>,
    /// [`flag`] bits.
    pub flags: u32,
    /// Day of the 766 end, for a dossier that has ended.
    pub end_day: Option<NaiveDate>,
    /// Its verdict at that end: early, on time or late (`None`: it cannot be judged — no
    /// NgayHenTra and at most one supplementation request).
    pub verdict: Option<Timeliness>,
    /// First day on which the dossier, still open, is judged late; `None` if that never
    /// happens before it ends.
    pub overdue_day: Option<NaiveDate>,
    /// Day processing finished (status 9).
    pub finished_day: Option<NaiveDate>,
    /// Day the result was returned (status 10), for a rated dossier.
    pub returned_day: Option<NaiveDate>,
}

impl Contribution {
    /// The contribution of a dossier in its current state.
    pub fn of(d: &DossierRecord) -> Contribution {
        let mut c = Contribution::default();
        let Some(times) = d.times().filter(|_| !d.refused) else {
            return c;
        };
        let received = times.received_at.date();
        c.received_day = Some(received);
        let mut set = |bit: u32, on: bool| {
            if on {
                c.flags |= bit;
            }
        };
        set(flag::SYNCED, d.synced);
        set(flag::ONLINE, d.online);
        set(flag::FULL_ONLINE_ELIGIBLE, d.full_online_eligible);
        // 766 4.2: digitised **and** an e-result where a result exists.
        set(
            flag::DIGITISED,
            d.digitized && (d.finished_at.is_none() || d.e_result),
        );
        set(flag::PAYABLE, d.payable);
        set(flag::PAID_ONLINE, d.payable && d.paid_online);
        set(flag::E_RESULT, d.e_result);
        c.finished_day = d.finished_at.map(|t| t.date());
        if let Some(r) = d.rating.filter(|_| d.returned_at.is_some()) {
            c.returned_day = d.returned_at.map(|t| t.date());
            c.flags |= flag::RATED;
            if r >= 2 {
                c.flags |= flag::RATED_POSITIVE;
            }
        }
        if times.appointment.is_some() {
            c.flags |= flag::APPOINTMENT;
        }
        let end_day = times.end().map(|t| t.date());
        c.end_day = end_day;
        if let Some(day) = end_day {
            c.verdict = classify_766_without_limit(&times, period_end(day));
            if c.verdict.is_some_and(|v| v != Timeliness::Late) && d.rating == Some(1) {
                c.flags |= flag::DISSATISFIED_NOT_LATE;
            }
        }
        c.overdue_day = Contribution::overdue_day(&times, end_day);
        c
    }

    /// The first day `E` (from the reception day, before `end_day`) at whose end the dossier,
    /// not ended yet, is judged late. The verdict of an open dossier can only change when
    /// the period end passes the appointment, the start or the end of a pause, so only
    /// those days (and the next ones, for an instant at a day's very end) are tried; it
    /// never turns back from late to on time (the judged end only moves forward), so the
    /// first late one is the day.
    pub fn overdue_day(times: &DossierTimes, end_day: Option<NaiveDate>) -> Option<NaiveDate> {
        let open = DossierTimes {
            finished_at: None,
            returned_at: None,
            stopped_at: None,
            withdrawn_at: None,
            ..times.clone()
        };
        let received = times.received_at.date();
        let mut days = vec![received];
        let mut push = |t: NaiveDateTime| {
            days.push(t.date());
            if let Some(next) = t.date().succ_opt() {
                days.push(next);
            }
        };
        if let Some(a) = times.appointment {
            push(a);
        }
        for p in &times.supplement_pauses {
            push(p.start);
            if let Some(e) = p.end {
                push(e);
            }
        }
        days.retain(|d| *d >= received && end_day.is_none_or(|e| *d < e));
        days.sort();
        days.dedup();
        days.into_iter().find(|&day| {
            classify_766_without_limit(&open, period_end(day)) == Some(Timeliness::InProgressLate)
        })
    }

    fn has(&self, bit: u32) -> bool {
        self.flags & bit != 0
    }

    /// The `+1`s of this contribution, by day (days ascending, each once).
    pub fn counts(&self) -> Vec<(NaiveDate, Counts)> {
        let mut out: Vec<(NaiveDate, Counts)> = Vec::with_capacity(4);
        let mut bump = |day: NaiveDate, c: Counter| match out.iter_mut().find(|(d, _)| *d == day) {
            Some((_, n)) => n.add(c, 1),
            None => {
                let mut n = Counts::default();
                n.add(c, 1);
                out.push((day, n));
            }
        };
        if let Some(r) = self.received_day {
            bump(r, Counter::Received);
            for (bit, c) in [
                (flag::SYNCED, Counter::Synced),
                (flag::ONLINE, Counter::Online),
                (flag::FULL_ONLINE_ELIGIBLE, Counter::FullOnlineEligible),
                (flag::DIGITISED, Counter::Digitised),
                (flag::PAYABLE, Counter::Payable),
                (flag::PAID_ONLINE, Counter::PaidOnline),
            ] {
                if self.has(bit) {
                    bump(r, c);
                }
            }
            if self.has(flag::FULL_ONLINE_ELIGIBLE) && self.has(flag::ONLINE) {
                bump(r, Counter::FullOnline);
            }
            // Judged while open from the reception (with a NgayHenTra) or else from the
            // day a second request makes it late; counted as open until its end.
            let judged_from = if self.has(flag::APPOINTMENT) {
                Some(r)
            } else {
                self.overdue_day
            };
            if let Some(j) = judged_from {
                bump(j, Counter::OpenIn);
                if let Some(e) = self.end_day {
                    bump(e.max(j), Counter::OpenOut);
                }
            }
            if let Some(e) = self.end_day {
                match self.verdict {
                    Some(Timeliness::Early) => bump(e, Counter::FinishedEarly),
                    Some(Timeliness::OnTime) => bump(e, Counter::FinishedOnTime),
                    Some(_) => bump(e, Counter::FinishedLate),
                    None => {}
                }
                if self.has(flag::DISSATISFIED_NOT_LATE) {
                    bump(e, Counter::DissatisfiedNotLate);
                }
            }
            if let Some(o) = self.overdue_day {
                bump(o, Counter::OverdueIn);
                if let Some(e) = self.end_day {
                    bump(e.max(o), Counter::OverdueOut);
                }
            }
            if let Some(f) = self.finished_day {
                bump(f, Counter::ResultDocuments);
                if self.has(flag::E_RESULT) {
                    bump(f, Counter::EResults);
                }
            }
            if let (Some(day), true) = (self.returned_day, self.has(flag::RATED)) {
                bump(day, Counter::Ratings);
                if self.has(flag::RATED_POSITIVE) {
                    bump(day, Counter::RatingsPositive);
                }
            }
        }
        out.sort_by_key(|(d, _)| *d);
        out
    }

    /// The stored code of [`Contribution::verdict`]: 1 early, 2 on time, 3 late.
    pub fn verdict_code(&self) -> Option<i32> {
        self.verdict.map(|v| match v {
            Timeliness::Early => 1,
            Timeliness::OnTime => 2,
            _ => 3,
        })
    }

    /// The verdict of a stored code.
    pub fn verdict_of_code(code: Option<i32>) -> Option<Timeliness> {
        match code? {
            1 => Some(Timeliness::Early),
            2 => Some(Timeliness::OnTime),
            3 => Some(Timeliness::Late),
            _ => None,
        }
    }
}

/// The change to apply when a dossier's contribution goes from `old` to `new`: per day,
/// `new − old`, days ascending, unchanged days left out.
pub fn delta(old: &Contribution, new: &Contribution) -> Vec<(NaiveDate, Counts)> {
    if old == new {
        return Vec::new();
    }
    let mut out: Vec<(NaiveDate, Counts)> = new.counts();
    for (day, n) in old.counts() {
        match out.iter_mut().find(|(d, _)| *d == day) {
            Some((_, m)) => m.merge(&n, -1),
            None => {
                let mut m = Counts::default();
                m.merge(&n, -1);
                out.push((day, m));
            }
        }
    }
    out.retain(|(_, n)| !n.is_zero());
    out.sort_by_key(|(d, _)| *d);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::OfficeHours;
    use crate::dossier::classify_766;
    use crate::dossier::deadline::tests::{at, cal};
    use chrono::Duration;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// What the full scan (`unit_period_facts_full_scan`) counts for one dossier in the
    /// one-day period `e`: the flow of that day and the stock at its end.
    fn scan_one_day(d: &DossierRecord, e: NaiveDate) -> (Counts, Counts) {
        let mut flow = Counts::default();
        let mut stock = Counts::default();
        let Some(times) = d.times().filter(|_| !d.refused) else {
            return (flow, stock);
        };
        let pe = period_end(e);
        if times.received_at.date() == e {
            flow.add(Counter::Received, 1);
        }
        if times.received_at > pe {
            return (flow, stock);
        }
        if times.end().is_some_and(|t| t.date() < e) {
            return (flow, stock);
        }
        if let Ok(v) = classify_766(&times, pe, None, cal(), &OfficeHours::default()) {
            match v {
                Timeliness::Early => flow.add(Counter::FinishedEarly, 1),
                Timeliness::OnTime => flow.add(Counter::FinishedOnTime, 1),
                Timeliness::Late => flow.add(Counter::FinishedLate, 1),
                Timeliness::InProgressOnTime => stock.add(Counter::OpenIn, 1),
                Timeliness::InProgressLate => {
                    stock.add(Counter::OpenIn, 1);
                    stock.add(Counter::OverdueIn, 1);
                }
            }
            if v.is_finished() && v != Timeliness::Late && d.rating == Some(1) {
                flow.add(Counter::DissatisfiedNotLate, 1);
            }
        }
        (flow, stock)
    }

    /// The same from the contribution: the day's counters, and the cumulative ones.
    fn agg_one_day(d: &DossierRecord, e: NaiveDate) -> (Counts, Counts) {
        let c = Contribution::of(d);
        let mut flow = Counts::default();
        let mut cum = Counts::default();
        for (day, n) in c.counts() {
            if day == e {
                flow.merge(&n, 1);
            }
            if day <= e {
                cum.merge(&n, 1);
            }
        }
        let mut f = Counts::default();
        for k in [
            Counter::Received,
            Counter::FinishedEarly,
            Counter::FinishedOnTime,
            Counter::FinishedLate,
            Counter::DissatisfiedNotLate,
        ] {
            f.add(k, flow.get(k));
        }
        let mut stock = Counts::default();
        stock.add(
            Counter::OpenIn,
            cum.get(Counter::OpenIn) - cum.get(Counter::OpenOut),
        );
        stock.add(
            Counter::OverdueIn,
            cum.get(Counter::OverdueIn) - cum.get(Counter::OverdueOut),
        );
        (f, stock)
    }

    fn base() -> DossierRecord {
        DossierRecord {
            received_at: Some(at(2025, 8, 29, 9, 0)),
            appointment: Some(at(2025, 9, 5, 17, 30)),
            ..Default::default()
        }
    }

    fn assert_same_every_day(d: &DossierRecord) {
        let r = d.received_at.unwrap().date();
        let mut e = r - Duration::days(3);
        while e < r + Duration::days(60) {
            assert_eq!(scan_one_day(d, e), agg_one_day(d, e), "day {e}: {d:?}");
            e += Duration::days(1);
        }
    }

    #[test]
    fn an_open_dossier_turns_overdue_the_day_after_its_appointment_passes() {
        let d = base();
        let c = Contribution::of(&d);
        // Appointment Fri 5/9 17:30: at the end of 5/9 the period end is past it.
        assert_eq!(c.overdue_day, Some(day(2025, 9, 5)));
        assert_same_every_day(&d);
    }

    #[test]
    fn a_pause_started_before_the_appointment_keeps_it_on_time_until_it_ends() {
        let mut d = base();
        d.supplement_pauses = vec![Pause {
            start: at(2025, 9, 3, 10, 0),
            end: Some(at(2025, 9, 12, 9, 0)),
        }];
        let c = Contribution::of(&d);
        assert_eq!(c.overdue_day, Some(day(2025, 9, 12)));
        assert_same_every_day(&d);
        // Still waiting for the citizen: never overdue while the pause lasts.
        d.supplement_pauses[0].end = None;
        assert_eq!(Contribution::of(&d).overdue_day, None);
        assert_same_every_day(&d);
    }

    #[test]
    fn a_second_supplement_request_makes_it_overdue_that_day() {
        let mut d = base();
        d.supplement_pauses = vec![
            Pause {
                start: at(2025, 9, 1, 10, 0),
                end: Some(at(2025, 9, 2, 9, 0)),
            },
            Pause {
                start: at(2025, 9, 3, 10, 0),
                end: None,
            },
        ];
        assert_eq!(Contribution::of(&d).overdue_day, Some(day(2025, 9, 3)));
        assert_same_every_day(&d);
        // Finished on 4/9, before the appointment: late all the same (two requests).
        d.finished_at = Some(at(2025, 9, 4, 10, 0));
        d.supplement_pauses[1].end = Some(at(2025, 9, 4, 8, 0));
        let c = Contribution::of(&d);
        assert_eq!(c.verdict, Some(Timeliness::Late));
        assert_same_every_day(&d);
    }

    #[test]
    fn finished_dossiers_count_once_on_their_end_day() {
        let mut d = base();
        d.finished_at = Some(at(2025, 9, 4, 16, 0));
        d.returned_at = Some(at(2025, 9, 8, 9, 0));
        d.rating = Some(1);
        let c = Contribution::of(&d);
        assert_eq!(c.verdict, Some(Timeliness::Early));
        assert_eq!(c.end_day, Some(day(2025, 9, 4)));
        // Ended before the appointment day: never overdue.
        assert_eq!(c.overdue_day, None);
        let total: Counts = c.counts().iter().fold(Counts::default(), |mut a, (_, n)| {
            a.merge(n, 1);
            a
        });
        assert_eq!(total.get(Counter::FinishedEarly), 1);
        assert_eq!(total.get(Counter::DissatisfiedNotLate), 1);
        assert_eq!(total.get(Counter::Ratings), 1);
        assert_eq!(total.get(Counter::RatingsPositive), 0);
        assert_eq!(total.get(Counter::ResultDocuments), 1);
        assert_same_every_day(&d);
    }

    #[test]
    fn refused_or_unreceived_dossiers_count_nowhere() {
        let mut d = base();
        d.refused = true;
        assert!(Contribution::of(&d).counts().is_empty());
        let d = DossierRecord {
            appointment: Some(at(2025, 9, 5, 17, 30)),
            ..Default::default()
        };
        assert!(Contribution::of(&d).counts().is_empty());
    }

    #[test]
    fn a_change_applies_as_new_minus_old() {
        let mut d = base();
        d.synced = false;
        let old = Contribution::of(&d);
        d.synced = true;
        d.finished_at = Some(at(2025, 9, 8, 9, 0));
        let new = Contribution::of(&d);
        let change = delta(&old, &new);
        let mut sum = Counts::default();
        for (_, n) in &change {
            sum.merge(n, 1);
        }
        assert_eq!(sum.get(Counter::Synced), 1);
        assert_eq!(sum.get(Counter::FinishedLate), 1);
        assert_eq!(sum.get(Counter::Received), 0);
        assert!(delta(&new, &new).is_empty());
        // Applying old then the change gives new, day by day.
        let mut days: Vec<(NaiveDate, Counts)> = old.counts();
        for (day, n) in change {
            match days.iter_mut().find(|(d, _)| *d == day) {
                Some((_, m)) => m.merge(&n, 1),
                None => days.push((day, n)),
            }
        }
        days.retain(|(_, n)| !n.is_zero());
        days.sort_by_key(|(d, _)| *d);
        assert_eq!(days, new.counts());
    }

    fn arb_dossier() -> impl Strategy<Value = DossierRecord> {
        // Minutes from 1/9/2025 00:00; times on a 5-minute grid so that some fall exactly
        // on midnight or on each other.
        let t = |m: i64| at(2025, 9, 1, 0, 0) + Duration::minutes(m * 5);
        (
            0i64..2_000,
            proptest::option::of(-200i64..4_000),
            proptest::collection::vec((0i64..3_000, proptest::option::of(0i64..2_000)), 0..3),
            proptest::option::of(0i64..5_000),
            0u8..4,
            proptest::option::of(1i32..4),
        )
            .prop_map(move |(r, a, pauses, end, which, rating)| {
                let received = t(r);
                let mut start = r;
                let mut ps = Vec::new();
                for (gap, len) in pauses {
                    let s = start + gap;
                    ps.push(Pause {
                        start: t(s),
                        end: len.map(|l| t(s + l)),
                    });
                    start = s + len.unwrap_or(0);
                }
                let end = end.map(|e| t(r + e));
                DossierRecord {
                    received_at: Some(received),
                    appointment: a.map(|a| t(r + a)),
                    supplement_pauses: ps,
                    finished_at: end.filter(|_| which == 0),
                    returned_at: end.filter(|_| which == 1),
                    stopped_at: end.filter(|_| which == 2),
                    withdrawn_at: end.filter(|_| which == 3),
                    rating,
                    ..Default::default()
                }
            })
    }

    proptest! {
        /// For any dossier and any day, the counters give what the full scan counts.
        #[test]
        fn counters_agree_with_classify_766_every_day(d in arb_dossier()) {
            let r = d.received_at.unwrap().date();
            let mut e = r - Duration::days(1);
            while e < r + Duration::days(45) {
                prop_assert_eq!(scan_one_day(&d, e), agg_one_day(&d, e), "day {}", e);
                e += Duration::days(1);
            }
        }
    }
}
