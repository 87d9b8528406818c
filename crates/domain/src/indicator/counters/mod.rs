//! Indicator counters per unit and day — what makes the 766 page's time independent of
//! history (issue 7, "Speed at province scale").
//!
//! Every dossier contributes a few `+1`s to per-day counters of the one unit it counts for
//! ([`Contribution`]). The store keeps, per unit, those counters by day and rolled up by
//! month, and each dossier's current contribution; a change to a dossier applies
//! `new − old` ([`delta`]) in the transaction of the change. A period's
//! [`UnitPeriodFacts`] then come from two sums ([`facts_from`]):
//!
//! - **flows** — counts by the day something happened (reception, 766 end, finishing,
//!   return): Σ of the counters over the period's days;
//! - **stocks at the period end** — dossiers open, and open past their deadline, on the
//!   period's last day: Σ of `*_in − *_out` counters over every day up to that day. A
//!   dossier is *open* from its reception day (`open_in`) to its 766 end day (`open_out`)
//!   and *overdue* from the first day on which, still open, it is judged late
//!   (`overdue_in`, see [`Contribution::overdue_day`]) to its end (`overdue_out`).
//!
//! The rules are those of the full scan, by construction: the verdicts come from
//! [`classify_766_without_limit`] — what [`crate::dossier::classify_766`] decides with no
//! legal limit, as the indicators call it (QĐ 766/QĐ-TTg indicator 2.1, VPCP "Mô tả công thức tính chỉ số 766";
//! domain.md §5 "Early, on time, late": end = first terminal timestamp by priority,
//! on time ⇔ end ≤ NgayHenTra, more than one supplementation request ⇒ late, an open
//! request stops the clock at the request, unfinished dossiers are judged at the period
//! end) — evaluated at the ends of days ([`period_end`]).
//!
//! This module holds the counters ([`Counter`], [`Counts`]) and the day's period end;
//! `contribution` what one dossier adds to them, and `period` which stored rows a period
//! reads and the facts of their sums.
//!
//! [`UnitPeriodFacts`]: super::UnitPeriodFacts
//! [`classify_766_without_limit`]: crate::dossier::timing::classify_766_without_limit

mod contribution;
mod period;

pub use contribution::{Contribution, DossierRecord, delta, flag};
pub use period::{RangePlan, facts_from, month_of};

use chrono::{Duration, NaiveDate, NaiveDateTime};

/// The period end the indicators judge a day's state at: the last instant of the local
/// day (a dossier ended at 23:59:59.5 has ended within the day).
pub fn period_end(day: NaiveDate) -> NaiveDateTime {
    day.succ_opt()
        .unwrap_or(day)
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        - Duration::nanoseconds(1)
}

/// One counter of a unit and a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Counter {
    /// Dossiers received that day (refused at intake excluded).
    Received,
    /// … of those, with no state change waiting for Cổng DVCQG.
    Synced,
    /// … submitted online (KenhThucHien 2).
    Online,
    /// … of a procedure offered full-online (toàn trình) at intake.
    FullOnlineEligible,
    /// … of those, submitted online.
    FullOnline,
    /// … digitised, and with an e-result if finished.
    Digitised,
    /// … with a fee or charge above zero.
    Payable,
    /// … of those, paid online.
    PaidOnline,
    /// Dossiers whose 766 end fell that day, early.
    FinishedEarly,
    /// … on time (not early).
    FinishedOnTime,
    /// … late.
    FinishedLate,
    /// … not late, rated "không hài lòng".
    DissatisfiedNotLate,
    /// Dossiers judged from that day on while open: with a NgayHenTra, from their
    /// reception; without, from a second supplementation request (late from then on).
    OpenIn,
    /// … whose 766 end fell that day (or the day above, if later): no longer open.
    OpenOut,
    /// Open dossiers judged late from that day on.
    OverdueIn,
    /// … whose 766 end fell that day: no longer open and late.
    OverdueOut,
    /// Dossiers whose processing finished that day (status 9): a result document is due.
    ResultDocuments,
    /// … of those, with an electronic result.
    EResults,
    /// Dossiers returned that day that carry a rating.
    Ratings,
    /// … rated 2 (hài lòng) or 3 (rất hài lòng).
    RatingsPositive,
}

/// How many counters there are.
pub const COUNTERS: usize = 20;

impl Counter {
    /// Every counter, in column order.
    pub const ALL: [Counter; COUNTERS] = [
        Counter::Received,
        Counter::Synced,
        Counter::Online,
        Counter::FullOnlineEligible,
        Counter::FullOnline,
        Counter::Digitised,
        Counter::Payable,
        Counter::PaidOnline,
        Counter::FinishedEarly,
        Counter::FinishedOnTime,
        Counter::FinishedLate,
        Counter::DissatisfiedNotLate,
        Counter::OpenIn,
        Counter::OpenOut,
        Counter::OverdueIn,
        Counter::OverdueOut,
        Counter::ResultDocuments,
        Counter::EResults,
        Counter::Ratings,
        Counter::RatingsPositive,
    ];

    /// The column that stores it.
    pub const fn column(self) -> &'static str {
        match self {
            Counter::Received => "received",
            Counter::Synced => "synced",
            Counter::Online => "online",
            Counter::FullOnlineEligible => "full_online_eligible",
            Counter::FullOnline => "full_online",
            Counter::Digitised => "digitised",
            Counter::Payable => "payable",
            Counter::PaidOnline => "paid_online",
            Counter::FinishedEarly => "finished_early",
            Counter::FinishedOnTime => "finished_on_time",
            Counter::FinishedLate => "finished_late",
            Counter::DissatisfiedNotLate => "dissatisfied_not_late",
            Counter::OpenIn => "open_in",
            Counter::OpenOut => "open_out",
            Counter::OverdueIn => "overdue_in",
            Counter::OverdueOut => "overdue_out",
            Counter::ResultDocuments => "result_documents",
            Counter::EResults => "e_results",
            Counter::Ratings => "ratings",
            Counter::RatingsPositive => "ratings_positive",
        }
    }

    const fn index(self) -> usize {
        self as usize
    }
}

/// A value for every [`Counter`] (a day's row, a sum of rows, or a change).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Counts(pub [i64; COUNTERS]);

impl Counts {
    pub fn get(&self, c: Counter) -> i64 {
        self.0[c.index()]
    }

    pub fn add(&mut self, c: Counter, n: i64) {
        self.0[c.index()] += n;
    }

    /// Adds `sign × other`, counter by counter.
    pub fn merge(&mut self, other: &Counts, sign: i64) {
        for (a, b) in self.0.iter_mut().zip(other.0.iter()) {
            *a += sign * b;
        }
    }

    pub fn is_zero(&self) -> bool {
        self.0.iter().all(|&x| x == 0)
    }
}
