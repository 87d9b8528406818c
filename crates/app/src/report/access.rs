//! Who may see, fill in, send and decide a report; the reports a merged unit left to its successor.

use super::*;

/// The agencies merged away before `today` → the path of the agency holding their duties
/// today (following a chain of mergers). A report the merged unit had not finished is the
/// holder's to finish, as its tasks are (`store::task::transfer_dissolved`; a merger
/// transfers the merged body's duties to the receiving one, Nghị định 158/2018/NĐ-CP).
/// The report keeps its unit: its numbers are still the merged unit's.
pub async fn holders(
    state: &App,
    today: NaiveDate,
) -> Result<std::collections::HashMap<i64, String>, ServiceError> {
    let succession = store::agency::succession(&state.db).await?;
    let (all, _) = store::agency::list(
        &state.db,
        &store::agency::AgencyFilter::default(),
        store::Page::all(),
    )
    .await?;
    let paths: std::collections::HashMap<i64, String> =
        all.into_iter().map(|a| (a.id, a.path)).collect();
    Ok(succession
        .iter()
        .filter(|(_, (_, to, _))| to.is_some_and(|to| to < today))
        .filter_map(|(&id, _)| {
            let h = store::agency::holder_on(&succession, id, today)?;
            (h != id)
                .then(|| paths.get(&h).cloned())
                .flatten()
                .map(|p| (id, p))
        })
        .collect())
}

/// Sets `holder_path` on reports of merged units.
pub async fn with_holders(state: &App, reports: &mut [Report]) -> Result<(), ServiceError> {
    let h = holders(state, today()).await?;
    for r in reports {
        r.holder_path = h.get(&r.agency_id).cloned();
    }
    Ok(())
}

/// The ids of merged units whose duties an agency in the caller's scope holds today.
pub async fn inherited_ids(state: &App, p: &Principal) -> Result<Vec<i64>, ServiceError> {
    let scope = p.scope();
    let mut ids: Vec<i64> = holders(state, today())
        .await?
        .into_iter()
        .filter(|(_, path)| scope.contains(path))
        .map(|(id, _)| id)
        .collect();
    ids.sort_unstable();
    Ok(ids)
}

/// A report the caller may see (404 outside their subtree: existence does not leak): of
/// their subtree, or of a unit merged into it.
pub async fn visible(state: &App, p: &Principal, id: i64) -> Result<Report, ServiceError> {
    let mut r = store::report::get(&state.db, id).await?;
    with_holders(state, std::slice::from_mut(&mut r)).await?;
    let scope = p.scope();
    if !(scope.contains(&r.agency_path)
        || r.holder_path.as_deref().is_some_and(|h| scope.contains(h)))
    {
        return Err(ServiceError::NotFound);
    }
    Ok(r)
}

/// Officers and heads of the unit fill a report in (as they report on tasks); after a
/// merger, those of the unit holding its duties.
pub fn can_edit(p: &Principal, r: &Report) -> bool {
    p.can_report_for(&r.agency_path)
        || r.holder_path
            .as_deref()
            .is_some_and(|h| p.can_report_for(h))
}

/// The unit's head sends it (product.md: lãnh đạo đơn vị "approve their unit's reports"),
/// after a merger the head of the unit holding its duties, or an administrator.
pub fn can_submit(p: &Principal, r: &Report) -> bool {
    let head_of =
        |path: &str| p.has(Role::LanhDaoDonVi) && path.starts_with(p.agency_path.as_str());
    p.is_admin() || head_of(&r.agency_path) || r.holder_path.as_deref().is_some_and(head_of)
}

/// The compiling office of the template (Sở Nội vụ for CCHC reports, VP UBND – KSTT for
/// TTHC reports), the provincial leaders and administrators accept or return.
pub fn can_decide(p: &Principal, t: &Template) -> bool {
    p.is_admin() || p.has(Role::LanhDaoTinh) || p.has(t.compiler)
}

/// Province roles open and close periods and record corrections.
pub fn can_manage_periods(p: &Principal) -> bool {
    p.can_assign_tasks()
}
