//! Background work that every node may run: it is idempotent (unique keys), so two nodes
//! doing it at once create nothing twice.

use chrono::NaiveDate;
use domain::calendar::{Adjustment, Calendar};
use store::Db;
use store::audit::Actor;

/// Creates the occurrences of every recurring task from its directive's date up to
/// `up_to` (or the day its lead agency ceased to exist), one per period, due on the
/// period's date moved to the previous working day when it is a day off
/// (`Adjustment::Previous`: "trước ngày 18" is then still met). Returns how many were new.
pub async fn generate_occurrences(
    db: &Db,
    cal: &Calendar,
    up_to: NaiveDate,
) -> Result<usize, store::StoreError> {
    let actor = Actor::system("định kỳ");
    let mut created = 0;
    for parent in store::task::recurring(db).await? {
        let Some(code) = parent.recurrence.as_deref() else {
            continue;
        };
        let Some(rec) = domain::task::recurrence_of(code) else {
            continue;
        };
        let directive = store::directive::get(db, parent.directive_id).await?;
        let mut end = up_to;
        if let Some(lead) = parent.lead_agency_id {
            let agency = store::agency::get(db, lead).await?;
            if let Some(to) = agency.valid_to {
                end = end.min(to);
            }
        }
        let Ok(dues) = rec.due_dates(cal, directive.issued_on, end, Adjustment::Previous) else {
            continue;
        };
        for due in dues {
            let (period, label) = domain::task::occurrence_period(code, due.nominal);
            if store::task::ensure_occurrence(db, &parent, &period, &label, due.due, &actor)
                .await?
                .is_some()
            {
                created += 1;
            }
        }
    }
    Ok(created)
}
