//! Reading a period from the stored counters: which monthly and daily rows a period
//! reads ([`RangePlan`]), and the [`UnitPeriodFacts`] of their sums ([`facts_from`]).

use chrono::{Datelike, NaiveDate};

use super::{Counter, Counts};
use crate::indicator::facts::UnitPeriodFacts;

/// The first day of the month of `day`.
pub fn month_of(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// The last day of the month that starts at `month`.
fn month_last(month: NaiveDate) -> NaiveDate {
    month
        .checked_add_months(chrono::Months::new(1))
        .and_then(|m| m.pred_opt())
        .unwrap_or(month)
}

/// Which stored rows a period `from..=to` reads: the whole months inside it from the
/// monthly rollup, the other days from the daily rows; and, for the stocks at `to`, every
/// month before `to`'s month plus `to`'s month's days up to `to`. Rows read stay at most
/// (months of history + 2 × 31) per unit whatever the period and however long the
/// history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangePlan {
    /// Whole months of the period (first days, inclusive), if any.
    pub months: Option<(NaiveDate, NaiveDate)>,
    /// Day ranges of the period outside those months (inclusive).
    pub days: Vec<(NaiveDate, NaiveDate)>,
    /// Stocks: months strictly before this one …
    pub stock_month: NaiveDate,
    /// … plus the days `stock_month..=to`.
    pub to: NaiveDate,
}

impl RangePlan {
    pub fn new(from: NaiveDate, to: NaiveDate) -> RangePlan {
        let first_whole = if from.day() == 1 {
            from
        } else {
            month_of(from)
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(from)
        };
        let to_month = month_of(to);
        let last_whole = if month_last(to_month) == to {
            to_month
        } else {
            to_month
                .checked_sub_months(chrono::Months::new(1))
                .unwrap_or(to_month)
        };
        let mut plan = RangePlan {
            months: None,
            days: Vec::new(),
            stock_month: to_month,
            to,
        };
        if from > to {
            return plan;
        }
        if first_whole <= last_whole {
            plan.months = Some((first_whole, last_whole));
            if from < first_whole {
                plan.days
                    .push((from, first_whole.pred_opt().unwrap_or(from)));
            }
            let after = month_last(last_whole);
            if after < to {
                plan.days.push((after.succ_opt().unwrap_or(to), to));
            }
        } else {
            plan.days.push((from, to));
        }
        plan
    }
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// Fills the dossier fields of `f` from the period's `flow` (Σ of its days) and the
/// `stock` at its end (Σ of every day up to its last).
pub fn facts_from(flow: &Counts, stock: &Counts, f: &mut UnitPeriodFacts) {
    use Counter as C;
    f.dossiers_received = count(flow.get(C::Received));
    f.synced_dossiers = count(flow.get(C::Synced));
    f.online_dossiers = count(flow.get(C::Online));
    f.full_online_eligible_dossiers = count(flow.get(C::FullOnlineEligible));
    f.full_online_dossiers = count(flow.get(C::FullOnline));
    f.digitised_dossiers = count(flow.get(C::Digitised));
    f.payable_dossiers = count(flow.get(C::Payable));
    f.paid_online = count(flow.get(C::PaidOnline));
    f.finished_early = count(flow.get(C::FinishedEarly));
    f.finished_on_time = count(flow.get(C::FinishedOnTime));
    f.finished_late = count(flow.get(C::FinishedLate));
    f.dossiers_dissatisfied_not_late = count(flow.get(C::DissatisfiedNotLate));
    f.dossiers_needing_result_document = count(flow.get(C::ResultDocuments));
    f.e_results = count(flow.get(C::EResults));
    f.ratings_total = count(flow.get(C::Ratings));
    f.ratings_positive = count(flow.get(C::RatingsPositive));
    let open = stock.get(C::OpenIn) - stock.get(C::OpenOut);
    let overdue = stock.get(C::OverdueIn) - stock.get(C::OverdueOut);
    f.unfinished_overdue_at_period_end = count(overdue);
    f.unfinished_on_time_at_period_end = count(open - overdue);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn range_plans_use_whole_months_and_the_days_around_them() {
        // A calendar month: one month row, no days.
        let p = RangePlan::new(day(2023, 10, 1), day(2023, 10, 31));
        assert_eq!(p.months, Some((day(2023, 10, 1), day(2023, 10, 1))));
        assert!(p.days.is_empty());
        assert_eq!(p.stock_month, day(2023, 10, 1));
        // The 15th→14th window: two partial months, days only.
        let p = RangePlan::new(day(2023, 9, 15), day(2023, 10, 14));
        assert_eq!(p.months, None);
        assert_eq!(p.days, vec![(day(2023, 9, 15), day(2023, 10, 14))]);
        // The annual window 15/12/2022 – 14/12/2023: Jan–Nov whole, days around.
        let p = RangePlan::new(day(2022, 12, 15), day(2023, 12, 14));
        assert_eq!(p.months, Some((day(2023, 1, 1), day(2023, 11, 1))));
        assert_eq!(
            p.days,
            vec![
                (day(2022, 12, 15), day(2022, 12, 31)),
                (day(2023, 12, 1), day(2023, 12, 14))
            ]
        );
        assert_eq!(p.stock_month, day(2023, 12, 1));
        // February of a leap year.
        let p = RangePlan::new(day(2024, 2, 1), day(2024, 2, 29));
        assert_eq!(p.months, Some((day(2024, 2, 1), day(2024, 2, 1))));
    }

    #[test]
    fn facts_take_stocks_from_ins_minus_outs() {
        let mut flow = Counts::default();
        flow.add(Counter::Received, 7);
        flow.add(Counter::FinishedLate, 2);
        let mut stock = Counts::default();
        stock.add(Counter::OpenIn, 10);
        stock.add(Counter::OpenOut, 6);
        stock.add(Counter::OverdueIn, 3);
        stock.add(Counter::OverdueOut, 2);
        let mut f = UnitPeriodFacts::default();
        facts_from(&flow, &stock, &mut f);
        assert_eq!(f.dossiers_received, 7);
        assert_eq!(f.finished_late, 2);
        assert_eq!(f.unfinished_overdue_at_period_end, 1);
        assert_eq!(f.unfinished_on_time_at_period_end, 3);
    }
}
