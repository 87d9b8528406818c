//! Property: for generated dossiers, the four views judge the same — the appointment in
//! force shown to the citizen (the one clock), the overdue list, 766 timeliness and the
//! monthly counters — because each reads that one appointment.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use proptest::prelude::*;

use super::clock::{self, Channel, Limit, LimitKind};
use super::timing::{DossierTimes, Pause, Timeliness, classify_766_without_limit};
use crate::dossier::deadline::tests::cal;
use crate::indicator::counters::{Contribution, DossierRecord, period_end};
use crate::overdue::{DossierClock, OverdueKind, dossier_overdue};

fn kind() -> impl Strategy<Value = LimitKind> {
    prop_oneof![
        (0u32..15).prop_map(LimitKind::WorkingDays),
        (1u32..24).prop_map(LimitKind::WorkingHours),
        (1u32..45).prop_map(LimitKind::CalendarDays),
        Just(LimitKind::SameDay),
    ]
}

fn at(day: u32, minute: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2025, 3, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        + Duration::days(i64::from(day))
        + Duration::minutes(i64::from(minute))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn the_four_views_agree(
        received_day in 0u32..600,
        received_minute in 0u32..1440,
        kind in kind(),
        online in any::<bool>(),
        pause in proptest::option::of((60u32..20 * 1440, proptest::option::of(60u32..15 * 1440))),
        finish_after in proptest::option::of(30u32..70 * 1440),
        cut_after in 0u32..80,
    ) {
        let received = at(received_day, received_minute);
        let limit = Limit { kind, cutoff: None };
        let channel = if online { Channel::Online } else { Channel::Desk };
        let rules = clock::clock_on(received.date());
        let pause = pause.map(|(s, d)| {
            let start = received + Duration::minutes(i64::from(s));
            Pause { start, end: d.map(|d| start + Duration::minutes(i64::from(d))) }
        });
        // A finish comes after the pause ends; none while it is open.
        let finish = finish_after
            .map(|f| received + Duration::minutes(i64::from(f)))
            .filter(|f| pause.is_none_or(|p| p.end.is_some_and(|e| *f > e)))
            .filter(|f| pause.is_some() || *f > received);
        // The period ends after a closed pause (its effect is settled by then).
        let mut cut_day = received.date() + Duration::days(i64::from(cut_after));
        if let Some(e) = pause.and_then(|p| p.end) {
            cut_day = cut_day.max(e.date() + Duration::days(1));
        }
        let cut = period_end(cut_day);
        let start = NaiveDate::from_ymd_opt(cut_day.year(), cut_day.month(), 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();

        // (1) The appointment in force, as the desk stores and the citizen sees it: moved
        // by a completed supplement; while one is open it stays as it was.
        let closed: Vec<Pause> = pause.into_iter().filter(|p| p.end.is_some()).collect();
        let due = clock::appointment_after_pauses(&limit, received, channel, &closed, cal(), rules)
            .unwrap()
            .expect("every generated kind has an appointment");
        let open_since = pause.filter(|p| p.end.is_none()).map(|p| p.start);
        let times = DossierTimes {
            received_at: received,
            appointment: Some(due),
            supplement_pauses: pause.into_iter().collect(),
            finished_at: finish,
            returned_at: None,
            stopped_at: None,
            withdrawn_at: None,
        };
        // (2) The overdue list of the period.
        let listed = dossier_overdue(
            &DossierClock {
                received_at: Some(received),
                due_at: Some(due),
                finished_at: finish,
                ended_without_result_at: None,
                open_pause_since: open_since,
            },
            start,
            cut,
        );
        // (3) 766 timeliness at the period end.
        let v766 = classify_766_without_limit(&times, cut).expect("judged on the appointment");
        // (4) The monthly counters: the dossier's contribution.
        let c = Contribution::of(&DossierRecord {
            received_at: Some(received),
            appointment: Some(due),
            supplement_pauses: pause.into_iter().collect(),
            finished_at: finish,
            ..Default::default()
        });
        prop_assume!(received < cut);
        match finish.filter(|f| *f <= cut) {
            Some(f) => {
                let late = f > due;
                prop_assert_eq!(v766 == Timeliness::Late, late, "766 {:?} due {} finish {}", v766, due, f);
                prop_assert_eq!(c.verdict == Some(Timeliness::Late), late, "counters {:?}", c.verdict);
                if f >= start {
                    prop_assert_eq!(listed == Some(OverdueKind::FinishedLate), late, "list {:?}", listed);
                }
            }
            None => {
                let late = v766 == Timeliness::InProgressLate;
                prop_assert_eq!(listed == Some(OverdueKind::Unfinished), late, "list {:?} 766 {:?} due {}", listed, v766, due);
                prop_assert_eq!(c.overdue_day.is_some_and(|d| d <= cut_day), late, "counters {:?}", c.overdue_day);
            }
        }
    }
}
