//! The 766 group 5 counts (PAKN) of a unit's subtree for periods: the feedback in its
//! remit read once ([`store::feedback::fact_rows`]) and counted by
//! `domain::feedback::facts::add`, the same for the aggregates' path, the full scan, the
//! rankings and the feedback statistics.

use chrono::NaiveDate;
use domain::feedback::facts::FeedbackFact;
use domain::indicator::UnitPeriodFacts;

use crate::{App, ServiceError};

/// The feedback first received within the union of `periods`, with the path of its agency.
pub(crate) async fn facts(
    state: &App,
    path: Option<&str>,
    periods: &[(NaiveDate, NaiveDate)],
) -> Result<Vec<(String, FeedbackFact)>, ServiceError> {
    let (Some(from), Some(to)) = (
        periods.iter().map(|p| p.0).min(),
        periods.iter().map(|p| p.1).max(),
    ) else {
        return Ok(Vec::new());
    };
    let (start, end) = crate::feedback::bounds(from, to);
    let rows = store::feedback::fact_rows(state.read_db(), path, start, end).await?;
    Ok(rows
        .iter()
        .map(|r| (r.agency_path.clone(), crate::feedback::fact_of(r)))
        .collect())
}

/// Adds the counts of the feedback under `path` (a subtree's prefix; `None`: all) for
/// `from..=to` to `f`.
pub(crate) fn add(
    all: &[(String, FeedbackFact)],
    path: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
    f: &mut UnitPeriodFacts,
) {
    let mine = all
        .iter()
        .filter(|(p, _)| path.is_none_or(|prefix| p.starts_with(prefix)))
        .map(|(_, x)| x);
    domain::feedback::facts::add(mine, from, to, crate::task::today(), f);
}
