//! The 766 group 5 counts (PAKN) of a unit's subtree for periods: the feedback in its
//! remit read once ([`store::feedback::fact_rows`]) and counted by
//! `domain::feedback::facts::add`, the same for the aggregates' path, the full scan and
//! the rankings.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::feedback::facts::FeedbackFact;
use domain::indicator::UnitPeriodFacts;

use crate::{App, ServiceError};

fn local_day(t: DateTime<Utc>) -> NaiveDate {
    (t + Duration::hours(7)).date_naive()
}

fn start_of(d: NaiveDate) -> DateTime<Utc> {
    domain::time::utc(d.and_hms_opt(0, 0, 0).unwrap_or_default())
}

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
    let rows = store::feedback::fact_rows(
        &state.db,
        path,
        start_of(from),
        start_of(to + Duration::days(1)),
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.agency_path,
                FeedbackFact {
                    kind: domain::feedback::Kind::parse(&r.kind)
                        .unwrap_or(domain::feedback::Kind::Regulation),
                    received_on: local_day(r.created_at),
                    due_on: r.due_on,
                    handled_on: r.handled_at.map(local_day),
                    likes: r.likes.into(),
                    dislikes: r.dislikes.into(),
                    recomplained: r.recomplained,
                },
            )
        })
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
    let mine: Vec<FeedbackFact> = all
        .iter()
        .filter(|(p, _)| path.is_none_or(|prefix| p.starts_with(prefix)))
        .map(|(_, x)| x.clone())
        .collect();
    domain::feedback::facts::add(&mine, from, to, crate::task::today(), f);
}
