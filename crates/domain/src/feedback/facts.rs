//! The 766 group 5 counts of PAKN (Quyết định 766/QĐ-TTg; shared/docs/domain.md §10 and
//! the indicator table): each feedback counted once, in the period of its first
//! reception; "on time" when handled (approved answer awaiting publication or published,
//! rejected, merged) by its due date; unsatisfactory when disliked more than liked,
//! complained about again, or late.

use chrono::NaiveDate;

use crate::indicator::UnitPeriodFacts;

use super::Kind;

/// One feedback as the counts need it (dates local, Vietnam time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackFact {
    pub kind: Kind,
    /// First reception.
    pub received_on: NaiveDate,
    /// The answer's due date in force.
    pub due_on: NaiveDate,
    /// When it was handled, if it was.
    pub handled_on: Option<NaiveDate>,
    pub likes: i64,
    pub dislikes: i64,
    /// Another feedback complains about it again (phản ánh lại).
    pub recomplained: bool,
}

/// Adds the feedback first received within `from..=to` to `f` (766 5.1–5.3), judged at
/// the period's end, or today (`today`) while the period is not over: a feedback still
/// within its limit today is not counted late for a day that has not come.
pub fn add<'a>(
    facts: impl IntoIterator<Item = &'a FeedbackFact>,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    f: &mut UnitPeriodFacts,
) {
    let judged = to.min(today);
    for x in facts
        .into_iter()
        .filter(|x| x.received_on >= from && x.received_on <= to)
    {
        f.feedback_received += 1;
        if x.kind == Kind::Conduct {
            f.feedback_about_staff += 1;
        } else {
            f.feedback_about_regulations += 1;
        }
        let handled = x.handled_on.filter(|d| *d <= judged);
        let late = match handled {
            Some(d) => d > x.due_on,
            None => judged > x.due_on,
        };
        match handled {
            Some(_) if !late => f.feedback_answered_on_time += 1,
            None if !late => f.feedback_pending_within_deadline += 1,
            _ => {}
        }
        if late || x.dislikes > x.likes || x.recomplained {
            f.feedback_unsatisfactory += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn fact(received: NaiveDate, due: NaiveDate, handled: Option<NaiveDate>) -> FeedbackFact {
        FeedbackFact {
            kind: Kind::Regulation,
            received_on: received,
            due_on: due,
            handled_on: handled,
            likes: 0,
            dislikes: 0,
            recomplained: false,
        }
    }

    #[test]
    fn each_feedback_once_by_its_first_reception() {
        let facts = vec![
            fact(d(3, 2), d(3, 20), Some(d(3, 10))), // on time
            fact(d(3, 5), d(3, 25), Some(d(3, 27))), // late
            fact(d(3, 9), d(4, 1), None),            // pending, within its limit at 31/3
            fact(d(3, 9), d(3, 30), None),           // pending, late at 31/3
            FeedbackFact {
                kind: Kind::Conduct,
                dislikes: 2,
                likes: 1,
                ..fact(d(3, 12), d(4, 2), Some(d(3, 20)))
            },
            FeedbackFact {
                recomplained: true,
                ..fact(d(3, 13), d(4, 2), Some(d(3, 16)))
            },
            fact(d(2, 27), d(3, 19), None), // received before the period
        ];
        let mut f = UnitPeriodFacts::default();
        add(&facts, d(3, 1), d(3, 31), d(12, 31), &mut f);
        assert_eq!(f.feedback_received, 6);
        assert_eq!(
            (f.feedback_about_regulations, f.feedback_about_staff),
            (5, 1)
        );
        assert_eq!(f.feedback_answered_on_time, 3);
        assert_eq!(f.feedback_pending_within_deadline, 1);
        assert_eq!(
            f.feedback_unsatisfactory, 4,
            "two late, one disliked, one re-complained"
        );
        // Judged at an earlier day, a later answer is not yet handled.
        let mut g = UnitPeriodFacts::default();
        add(&facts, d(3, 1), d(3, 15), d(12, 31), &mut g);
        assert_eq!(g.feedback_received, 6);
        assert_eq!(g.feedback_answered_on_time, 1);
        assert_eq!(g.feedback_pending_within_deadline, 5);
        // The month not over on 20/3: what is open and due later is not late yet.
        let mut h = UnitPeriodFacts::default();
        add(&facts, d(3, 1), d(3, 31), d(3, 20), &mut h);
        assert_eq!(h.feedback_received, 6);
        assert_eq!(
            h.feedback_answered_on_time, 3,
            "the first, the disliked and the re-complained"
        );
        assert_eq!(
            h.feedback_pending_within_deadline, 3,
            "3 open items due after 20/3"
        );
    }
}
