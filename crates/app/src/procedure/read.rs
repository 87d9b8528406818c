//! Reading the catalog: search (abolished procedures only for catalog managers), the
//! fields, a procedure's internal process, publication decisions judged for punctuality,
//! compliance-cost sheets and the monthly statistics of changes.

use chrono::NaiveDate;
use domain::procedure::publication::{MonthStats, Publisher, Punctuality, judge, monthly_stats};
use store::Page;
use store::procedure::{CostSheet, ProcedureFilter, Version};

use super::*;

/// Searches the catalog, with the total. Only catalog managers may ask for abolished
/// procedures; for anyone else (and for visitors, `viewer` none) the search keeps to the
/// procedures in force.
pub async fn list(
    state: &App,
    viewer: Option<&Principal>,
    f: ProcedureFilter,
    page: Page,
) -> Result<(Vec<Procedure>, i64), ServiceError> {
    let f = if viewer.is_some_and(can_manage) {
        f
    } else {
        ProcedureFilter {
            active: Some(true),
            ..f
        }
    };
    Ok(store::procedure::list(state.read_db(), &f, page).await?)
}

/// A procedure by id or code as `viewer` may read it: an abolished one only for catalog
/// managers (404 for anyone else, visitors included).
pub async fn visible(
    state: &App,
    viewer: Option<&Principal>,
    key: &str,
) -> Result<Procedure, ServiceError> {
    let p = find(&state.db, key).await?;
    if !p.active && !viewer.is_some_and(can_manage) {
        return Err(ServiceError::NotFound);
    }
    Ok(p)
}

/// The fields (lĩnh vực) of the catalog, in order.
pub async fn fields(state: &App) -> Result<Vec<String>, ServiceError> {
    Ok(store::procedure::fields(&state.db).await?)
}

/// A procedure's internal process, step by step.
pub async fn steps(state: &App, id: i64) -> Result<Vec<Step>, ServiceError> {
    Ok(store::procedure::steps(&state.db, id).await?)
}

/// A procedure's publication decisions, newest first, each judged on time or late
/// against the legal calendar and the publication rules (NĐ 63/2010 Điều 15 k1).
pub async fn versions(state: &App, id: i64) -> Result<Vec<(Version, Punctuality)>, ServiceError> {
    let cal = state.calendar.get(&state.db).await?;
    let rules = store::procedure::publication_rules(&state.db).await?;
    Ok(store::procedure::versions(&state.db, id)
        .await?
        .into_iter()
        .map(|v| {
            let p = judge(
                &cal,
                &rules,
                Publisher::Province,
                v.decision_date,
                v.law_effective(),
            );
            (v, p)
        })
        .collect())
}

/// A procedure's compliance-cost sheets (baseline, after simplification).
pub async fn costs(state: &App, id: i64) -> Result<Vec<CostSheet>, ServiceError> {
    Ok(store::procedure::costs(&state.db, id).await?)
}

/// What a procedure's page shows besides the procedure.
pub struct ProcedureView {
    pub steps: Vec<Step>,
    pub versions: Vec<(Version, Punctuality)>,
    pub costs: Vec<CostSheet>,
}

/// A procedure's process, publication decisions and cost sheets.
pub async fn view(state: &App, id: i64) -> Result<ProcedureView, ServiceError> {
    Ok(ProcedureView {
        steps: steps(state, id).await?,
        versions: versions(state, id).await?,
        costs: costs(state, id).await?,
    })
}

/// The catalog's changes of `year` month by month (new, amended, replaced, abolished) and
/// whether each was published on time.
pub async fn month_stats(state: &App, year: i32) -> Result<Vec<MonthStats>, ServiceError> {
    let (from, to) = match (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) {
        (Some(a), Some(b)) => (a, b),
        _ => return Err(ServiceError::bad("Năm không hợp lệ.")),
    };
    let cal = state.calendar.get(&state.db).await?;
    let rules = store::procedure::publication_rules(&state.db).await?;
    let versions = store::procedure::versions_between(&state.db, from, to).await?;
    let changes: Vec<_> = versions
        .iter()
        .filter_map(|v| {
            let k = v.kind()?;
            Some((
                v.decision_date,
                k,
                judge(
                    &cal,
                    &rules,
                    Publisher::Province,
                    v.decision_date,
                    v.law_effective(),
                ),
            ))
        })
        .collect();
    Ok(monthly_stats(&changes))
}
