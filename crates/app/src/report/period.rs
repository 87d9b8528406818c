//! Reporting periods: the plan of a template's period, the units that owe it, and opening the reports (and their due tasks).

use super::*;

/// The dates of a template's period and the obliged units in force at its end.
pub struct PeriodPlan {
    pub template: &'static Template,
    pub period: Period,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub due_on: NaiveDate,
}

pub async fn plan(state: &App, template: &str, period: &str) -> Result<PeriodPlan, ServiceError> {
    let (t, p) = templates()?
        .for_period(template.trim(), period.trim())
        .map_err(ServiceError::BadRequest)?;
    let (from, to) = t.window_of(&p).map_err(ServiceError::BadRequest)?;
    let cal = state.calendar.get(&state.db).await?;
    let due_on = t.due_on(&cal, to).map_err(ServiceError::BadRequest)?;
    Ok(PeriodPlan {
        template: t,
        period: p,
        from,
        to,
        due_on,
    })
}

fn new_report(plan: &PeriodPlan, agency_id: i64) -> store::report::NewReport {
    let t = plan.template;
    store::report::NewReport {
        template_code: t.code.clone(),
        template_version: t.version(),
        template_name: t.name.clone(),
        agency_id,
        period: plan.period.to_string(),
        period_label: format!("Kỳ báo cáo {}", plan.period.label_vi()),
        period_from: plan.from,
        period_to: plan.to,
        due_on: plan.due_on,
        directive: t.directive.clone(),
        recurrence: t.recurrence.clone(),
    }
}

/// The agencies that owe a template's report for the period: of an obliged kind, in
/// force on the window's last day, active.
pub async fn obliged_units(
    state: &App,
    plan: &PeriodPlan,
) -> Result<Vec<store::agency::Agency>, ServiceError> {
    let (all, _) = store::agency::list(
        &state.db,
        &store::agency::AgencyFilter::default(),
        store::Page::all(),
    )
    .await?;
    Ok(all.into_iter().filter(|a| is_obliged(plan, a)).collect())
}

/// Whether the agency owes the template's report for the period: of a kind obliged on
/// the window's last day (the template's `obliged`, or its `obliged_since` change then
/// in force), active and in force on that day.
pub fn is_obliged(plan: &PeriodPlan, a: &store::agency::Agency) -> bool {
    owes_on(plan.template, a, plan.to)
}

/// Whether the agency, active and in force on `day`, is of a kind that owes `t` on that
/// day (the template's `obliged`, or its `obliged_since` change then in force).
pub fn owes_on(t: &Template, a: &store::agency::Agency, day: NaiveDate) -> bool {
    a.active
        && a.valid_on(day)
        && domain::org::AgencyKind::parse(&a.kind).is_some_and(|k| t.obliged_on(day).contains(&k))
}

/// The refusal when a unit that does not owe the report tries to open it.
fn not_obliged(plan: &PeriodPlan, a: &store::agency::Agency) -> ServiceError {
    let kinds: Vec<&str> = plan
        .template
        .obliged_on(plan.to)
        .iter()
        .map(|k| k.label())
        .collect();
    ServiceError::Invalid(vec![domain::validate::FieldError {
        field: "unit".into(),
        message: format!(
            "{} không phải gửi báo cáo {} kỳ {}: biểu mẫu này dành cho {}, đơn vị đang hoạt động đến hết ngày {}.",
            a.name,
            plan.template.code,
            plan.period.label_vi(),
            kinds.join(", "),
            domain::fmt::date_vn(&plan.to)
        ),
    }])
}

/// Opens one unit's report for a period (a draft and its due task), or returns the
/// existing one. The unit's officers open their own; province roles any unit's.
pub async fn open(
    state: &App,
    p: &Principal,
    actor: &Actor,
    template: &str,
    period: &str,
    unit: &str,
) -> Result<(Report, bool), ServiceError> {
    let plan = plan(state, template, period).await?;
    let a = store::agency::get_by_code(&state.db, unit.trim())
        .await
        .map_err(|_| ServiceError::bad(format!("Không có đơn vị mã “{}”.", unit.trim())))?;
    if !p.scope().contains(&a.path) {
        return Err(ServiceError::NotFound);
    }
    if !(can_manage_periods(p) || p.can_report_for(&a.path)) {
        return Err(ServiceError::forbidden());
    }
    if !is_obliged(&plan, &a) {
        return Err(not_obliged(&plan, &a));
    }
    if let Some(c) =
        store::report::closed(&state.db, &plan.template.code, &plan.period.to_string()).await?
    {
        return Err(ServiceError::Conflict(format!(
            "Kỳ báo cáo đã khóa sổ lúc {}.",
            domain::fmt::datetime_vn(&c.closed_at)
        )));
    }
    Ok(store::report::ensure(&state.db, &new_report(&plan, a.id), actor).await?)
}

/// Opens the period's report (and due task) of every obliged unit that has none yet:
/// what a province role does when a period opens (page, API, `cchc report open`).
/// Returns (created, obliged).
pub async fn open_period(
    state: &App,
    actor: &Actor,
    template: &str,
    period: &str,
) -> Result<(usize, usize), ServiceError> {
    open_period_at(state, actor, template, period, Utc::now()).await
}

/// [`open_period`] at a given instant (the demo's history).
pub async fn open_period_at(
    state: &App,
    actor: &Actor,
    template: &str,
    period: &str,
    at: DateTime<Utc>,
) -> Result<(usize, usize), ServiceError> {
    let plan = plan(state, template, period).await?;
    if store::report::closed(&state.db, &plan.template.code, &plan.period.to_string())
        .await?
        .is_some()
    {
        return Err(ServiceError::Conflict("Kỳ báo cáo đã khóa sổ.".into()));
    }
    let units = obliged_units(state, &plan).await?;
    let mut created = 0;
    for a in &units {
        if store::report::ensure_at(&state.db, &new_report(&plan, a.id), actor, at)
            .await?
            .1
        {
            created += 1;
        }
    }
    Ok((created, units.len()))
}

/// Opens the period in progress of every template in force (the one whose window holds
/// `today`), so that each obliged unit has its draft and its due task as soon as the
/// window opens; run by the hourly housekeeping of `cchc serve`. Closed periods are left
/// alone. Returns how many reports were created.
pub async fn open_current_periods(state: &App, today: NaiveDate) -> Result<usize, ServiceError> {
    let actor = Actor::system("định kỳ");
    let mut created = 0;
    for t in templates()?.all.iter().filter(|t| t.in_force_on(today)) {
        let p = Period::containing(t.period_kind, today, t.window);
        if !t.covers(&p) {
            continue;
        }
        let key = p.to_string();
        if store::report::closed(&state.db, &t.code, &key)
            .await?
            .is_some()
        {
            continue;
        }
        created += open_period(state, &actor, &t.code, &key).await?.0;
    }
    Ok(created)
}
