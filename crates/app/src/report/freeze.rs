//! Closing a period (khóa sổ): the snapshot of every report, and corrections recorded as new revisions afterwards.

use super::*;

/// The snapshot of a report as it stands at `as_of`.
async fn snapshot(state: &App, r: &Report, as_of: DateTime<Utc>) -> Result<Snapshot, ServiceError> {
    let t = template_of(r)?;
    let computed = live_computed(state, t, r, as_of).await?;
    Ok(Snapshot {
        as_of,
        template: t.code.clone(),
        version: t.version(),
        unit: r.agency_code.clone(),
        unit_name: r.agency_name.clone(),
        status: r.status.clone(),
        values: domain::report::all_values(t, &computed, &typed_of(r)),
    })
}

/// Khóa sổ: freezes every report of the template's period (revision 1: all values and the
/// instant the inputs were read) and closes the period. Returns how many were frozen.
pub async fn close(
    state: &App,
    actor: &Actor,
    template: &str,
    period: &str,
) -> Result<usize, ServiceError> {
    close_at(state, actor, template, period, Utc::now()).await
}

/// [`close`] at a given instant (the demo's history); the inputs are read as they are.
pub async fn close_at(
    state: &App,
    actor: &Actor,
    template: &str,
    period: &str,
    at: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    let plan = plan(state, template, period).await?;
    let code = plan.template.code.clone();
    let key = plan.period.to_string();
    if store::report::closed(&state.db, &code, &key)
        .await?
        .is_some()
    {
        return Err(ServiceError::Conflict("Kỳ báo cáo đã khóa sổ.".into()));
    }
    // Whole seconds: the instant prints the same everywhere it is shown.
    let as_of = DateTime::from_timestamp(at.timestamp(), 0).unwrap_or_default();
    let (reports, _) = store::report::list(
        &state.db,
        &store::report::ReportFilter {
            template_code: Some(code.clone()),
            period: Some(key.clone()),
            ..Default::default()
        },
        store::Page::all(),
    )
    .await?;
    let mut snaps = Vec::with_capacity(reports.len());
    for r in &reports {
        snaps.push((r.id, snapshot(state, r, as_of).await?.canonical_json()));
    }
    store::report::close_period(&state.db, &code, &key, as_of, &snaps, actor)
        .await
        .map_err(|e| match e {
            // The period's closing row is unique per template and period.
            store::StoreError::Conflict(c) if c.contains("period_close") => {
                ServiceError::Conflict("Kỳ báo cáo đã khóa sổ.".into())
            }
            e => e.into(),
        })?;
    Ok(snaps.len())
}

/// Records the live numbers of a frozen report as a correction revision.
pub async fn correct(
    state: &App,
    p: &Principal,
    actor: &Actor,
    id: i64,
    note: &str,
) -> Result<store::report::Revision, ServiceError> {
    let r = visible(state, p, id).await?;
    if !can_manage_periods(p) {
        return Err(ServiceError::forbidden());
    }
    if r.closed_at.is_none() {
        return Err(ServiceError::Conflict(
            "Báo cáo chưa khóa sổ; số liệu đang được tính trực tiếp.".into(),
        ));
    }
    let mut c = domain::validate::Checker::new();
    let note = c.required("note", "Nội dung điều chỉnh", note, 2000);
    if !c.is_ok() {
        return Err(ServiceError::Invalid(c.errors));
    }
    let as_of = DateTime::from_timestamp(Utc::now().timestamp(), 0).unwrap_or_default();
    let s = snapshot(state, &r, as_of).await?;
    Ok(
        store::report::add_correction(&state.db, id, as_of, &s.canonical_json(), &note, actor)
            .await?,
    )
}
