//! Báo cáo định kỳ — the units' periodic reports: templates as data
//! (`data/reports/*.toml`, `domain::report`), one report per template, unit and period with
//! computed fields read from the figures every other screen shows (indicators, KPIs, the
//! overdue list, task statistics) and typed fields the unit fills in; submission by the
//! unit's head, acceptance or return by the compiling office; the province's sums; the due
//! task of each report; and the closing of a period, which freezes every report's numbers.
//!
//! Pages (`pages.rs`), API (`api.rs`), files and the CLI all go through the functions here.

pub mod api;
pub mod pages;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{DateTime, NaiveDate, Utc};
use domain::calendar::Period;
use domain::org::{Principal, Role, Scope};
use domain::report::{
    Correction, FieldTotal, FieldType, ReportAction, ReportStatus, Snapshot, Template, Templates,
    Values,
};
use serde::Serialize;
use serde_json::Value;
use store::audit::Actor;
use store::report::Report;

use crate::routes::dossier::local;
use crate::{AppError, AppState};

static TEMPLATES: OnceLock<Result<Templates, String>> = OnceLock::new();

/// The report templates of `data/reports/`, parsed and checked once.
pub fn templates() -> Result<&'static Templates, AppError> {
    TEMPLATES
        .get_or_init(|| Templates::embedded().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| AppError::Internal(format!("biểu mẫu báo cáo: {e}")))
}

fn today() -> NaiveDate {
    local(Utc::now()).date()
}

/// The template version a report was made with.
pub fn template_of(r: &Report) -> Result<&'static Template, AppError> {
    templates()?
        .all
        .iter()
        .find(|t| t.code == r.template_code && t.version() == r.template_version)
        .ok_or_else(|| AppError::Internal(format!("biểu mẫu {} không còn", r.template_code)))
}

/// The figures a template's computed fields may name (data/reports/README.md), for the
/// subtree at `path` and the days `from..=to`: the same functions as
/// `GET /api/v1/indicators`, `GET /api/v1/overdue` and `GET /api/v1/tasks/stats`, so a
/// report never has a number of its own.
#[allow(clippy::too_many_arguments)]
pub async fn sources(
    state: &AppState,
    t: &Template,
    unit: &str,
    unit_name: &str,
    path: Option<&str>,
    period: &str,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Values, AppError> {
    let wanted: Vec<&str> = t
        .fields
        .iter()
        .filter_map(|f| f.source.as_deref())
        .collect();
    let wants = |prefix: &str| wanted.iter().any(|s| s.starts_with(prefix));
    let mut out = Values::new();
    if wants("facts.") || wants("kpi.") || wants("indicator.") || wants("total_766") {
        let c = crate::routes::indicator::indicators(
            state,
            unit.to_string(),
            unit_name.to_string(),
            path,
            period.to_string(),
            from,
            to,
        )
        .await?;
        let r = crate::routes::indicator::to_report(c);
        if let Value::Object(facts) = &r.facts {
            for (k, v) in facts {
                out.insert(format!("facts.{k}"), v.clone());
            }
        }
        for k in r.kpis.as_array().into_iter().flatten() {
            if let Some(code) = k["code"].as_str() {
                for part in ["percent", "numerator", "denominator"] {
                    out.insert(format!("kpi.{code}.{part}"), k[part].clone());
                }
            }
        }
        for g in r.groups.as_array().into_iter().flatten() {
            for i in g["indicators"].as_array().into_iter().flatten() {
                if let Some(code) = i["code"].as_str() {
                    for part in ["value", "points", "numerator", "denominator"] {
                        out.insert(format!("indicator.{code}.{part}"), i[part].clone());
                    }
                }
            }
        }
        out.insert("total_766".into(), Value::from(r.total_766));
    }
    if wants("overdue.") {
        let o = crate::routes::overdue::overdue(
            state,
            unit.to_string(),
            unit_name.to_string(),
            path,
            period.to_string(),
            from,
            to,
            now,
        )
        .await?;
        out.insert("overdue.dossiers".into(), Value::from(o.total.dossiers));
        out.insert("overdue.tasks".into(), Value::from(o.total.tasks));
        out.insert(
            "overdue.with_reason".into(),
            Value::from(o.total.with_reason),
        );
        out.insert(
            "overdue.without_reason".into(),
            Value::from(o.total.without_reason),
        );
    }
    if wants("tasks.") {
        let judged = to.min(local(now).date());
        let f = store::task::TaskFilter {
            scope_prefix: path.map(str::to_string),
            deadline_from: Some(from),
            deadline_to: Some(to),
            today: Some(judged),
            ..Default::default()
        };
        let s = crate::routes::task::Stats::of(&store::task::status_counts(&state.db, &f).await?);
        if let Value::Object(m) = serde_json::to_value(&s).unwrap_or_default() {
            for (k, v) in m {
                out.insert(format!("tasks.{k}"), v);
            }
        }
    }
    Ok(out)
}

/// The live computed values of a report.
pub async fn live_computed(
    state: &AppState,
    t: &Template,
    r: &Report,
    now: DateTime<Utc>,
) -> Result<Values, AppError> {
    let s = sources(
        state,
        t,
        &r.agency_code,
        &r.agency_name,
        Some(&r.agency_path),
        &r.period,
        r.period_from,
        r.period_to,
        now,
    )
    .await?;
    Ok(domain::report::computed_values(t, &s))
}

pub fn typed_of(r: &Report) -> Values {
    serde_json::from_str(&r.typed_json).unwrap_or_default()
}

/// A report with everything its screens show.
pub struct View {
    pub report: Report,
    pub template: &'static Template,
    pub period: Period,
    /// What the report says: the frozen values once closed, else the live ones.
    pub values: Values,
    /// Live values (computed now, typed as stored).
    pub live: Values,
    /// The snapshot taken at closing.
    pub frozen: Option<Snapshot>,
    /// Computed fields whose live value differs from the frozen one.
    pub corrections: Vec<Correction>,
    pub revisions: Vec<store::report::Revision>,
}

pub async fn view(state: &AppState, r: Report) -> Result<View, AppError> {
    let t = template_of(&r)?;
    let period = t.period(&r.period).map_err(AppError::Internal)?;
    let computed = live_computed(state, t, &r, Utc::now()).await?;
    let live = domain::report::all_values(t, &computed, &typed_of(&r));
    let revisions = store::report::revisions(&state.db, r.id).await?;
    let frozen = match revisions.first() {
        Some(v) => Some(Snapshot::parse(&v.snapshot_json).map_err(AppError::Internal)?),
        None => None,
    };
    let (values, corrections) = match &frozen {
        Some(s) => (
            s.values.clone(),
            domain::report::corrections(t, &s.values, &live),
        ),
        None => (live.clone(), Vec::new()),
    };
    Ok(View {
        report: r,
        template: t,
        period,
        values,
        live,
        frozen,
        corrections,
        revisions,
    })
}

// ---- Access -------------------------------------------------------------------------

/// The agencies merged away before `today` → the path of the agency holding their duties
/// today (following a chain of mergers). A report the merged unit had not finished is the
/// holder's to finish, as its tasks are (`store::task::transfer_dissolved`; a merger
/// transfers the merged body's duties to the receiving one, Nghị định 158/2018/NĐ-CP).
/// The report keeps its unit: its numbers are still the merged unit's.
pub async fn holders(
    state: &AppState,
    today: NaiveDate,
) -> Result<std::collections::HashMap<i64, String>, AppError> {
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
pub async fn with_holders(state: &AppState, reports: &mut [Report]) -> Result<(), AppError> {
    let h = holders(state, today()).await?;
    for r in reports {
        r.holder_path = h.get(&r.agency_id).cloned();
    }
    Ok(())
}

/// The ids of merged units whose duties an agency in the caller's scope holds today.
pub async fn inherited_ids(state: &AppState, p: &Principal) -> Result<Vec<i64>, AppError> {
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
pub async fn visible(state: &AppState, p: &Principal, id: i64) -> Result<Report, AppError> {
    let mut r = store::report::get(&state.db, id).await?;
    with_holders(state, std::slice::from_mut(&mut r)).await?;
    let scope = p.scope();
    if !(scope.contains(&r.agency_path)
        || r.holder_path.as_deref().is_some_and(|h| scope.contains(h)))
    {
        return Err(AppError::NotFound);
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

// ---- Actions ------------------------------------------------------------------------

/// The dates of a template's period and the obliged units in force at its end.
pub struct PeriodPlan {
    pub template: &'static Template,
    pub period: Period,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub due_on: NaiveDate,
}

pub async fn plan(state: &AppState, template: &str, period: &str) -> Result<PeriodPlan, AppError> {
    let (t, p) = templates()?
        .for_period(template.trim(), period.trim())
        .map_err(AppError::BadRequest)?;
    let (from, to) = t.window_of(&p).map_err(AppError::BadRequest)?;
    let cal = state.calendar.get(&state.db).await?;
    let due_on = t.due_on(&cal, to).map_err(AppError::BadRequest)?;
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
    state: &AppState,
    plan: &PeriodPlan,
) -> Result<Vec<store::agency::Agency>, AppError> {
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
fn not_obliged(plan: &PeriodPlan, a: &store::agency::Agency) -> AppError {
    let kinds: Vec<&str> = plan
        .template
        .obliged_on(plan.to)
        .iter()
        .map(|k| k.label())
        .collect();
    AppError::Validation(vec![domain::validate::FieldError {
        field: "unit".into(),
        message: format!(
            "{} không phải gửi báo cáo {} kỳ {}: biểu mẫu này dành cho {}, đơn vị đang hoạt động đến hết ngày {}.",
            a.name,
            plan.template.code,
            plan.period.label_vi(),
            kinds.join(", "),
            crate::views::date_vn(&plan.to)
        ),
    }])
}

/// Opens one unit's report for a period (a draft and its due task), or returns the
/// existing one. The unit's officers open their own; province roles any unit's.
pub async fn open(
    state: &AppState,
    p: &Principal,
    actor: &Actor,
    template: &str,
    period: &str,
    unit: &str,
) -> Result<(Report, bool), AppError> {
    let plan = plan(state, template, period).await?;
    let a = store::agency::get_by_code(&state.db, unit.trim())
        .await
        .map_err(|_| AppError::bad(format!("Không có đơn vị mã “{}”.", unit.trim())))?;
    if !p.scope().contains(&a.path) {
        return Err(AppError::NotFound);
    }
    if !(can_manage_periods(p) || p.can_report_for(&a.path)) {
        return Err(AppError::forbidden());
    }
    if !is_obliged(&plan, &a) {
        return Err(not_obliged(&plan, &a));
    }
    if let Some(c) =
        store::report::closed(&state.db, &plan.template.code, &plan.period.to_string()).await?
    {
        return Err(AppError::Conflict(format!(
            "Kỳ báo cáo đã khóa sổ lúc {}.",
            crate::views::datetime_vn(&c.closed_at)
        )));
    }
    Ok(store::report::ensure(&state.db, &new_report(&plan, a.id), actor).await?)
}

/// Opens the period's report (and due task) of every obliged unit that has none yet:
/// what a province role does when a period opens (page, API, `cchc report open`).
/// Returns (created, obliged).
pub async fn open_period(
    state: &AppState,
    actor: &Actor,
    template: &str,
    period: &str,
) -> Result<(usize, usize), AppError> {
    open_period_at(state, actor, template, period, Utc::now()).await
}

/// [`open_period`] at a given instant (the demo's history).
pub async fn open_period_at(
    state: &AppState,
    actor: &Actor,
    template: &str,
    period: &str,
    at: DateTime<Utc>,
) -> Result<(usize, usize), AppError> {
    let plan = plan(state, template, period).await?;
    if store::report::closed(&state.db, &plan.template.code, &plan.period.to_string())
        .await?
        .is_some()
    {
        return Err(AppError::Conflict("Kỳ báo cáo đã khóa sổ.".into()));
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
pub async fn open_current_periods(state: &AppState, today: NaiveDate) -> Result<usize, AppError> {
    let actor = Actor::system("định kỳ");
    let mut created = 0;
    for t in templates()?.all.iter().filter(|t| t.in_force_on(today)) {
        let p = Period::containing(t.period_kind, today, t.window);
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

/// Typed values as text, from a form or a JSON body (numbers written as JSON numbers).
pub fn input_of_json(
    values: &serde_json::Map<String, Value>,
) -> Result<BTreeMap<String, String>, AppError> {
    let mut out = BTreeMap::new();
    let mut errors = Vec::new();
    for (k, v) in values {
        let s = match v {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => {
                errors.push(domain::validate::FieldError {
                    field: k.clone(),
                    message: format!("Trường “{k}” phải là số hoặc chuỗi."),
                });
                continue;
            }
        };
        out.insert(k.clone(), s);
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(AppError::Validation(errors))
    }
}

fn closed_error(r: &Report) -> Option<AppError> {
    r.closed_at.map(|at| {
        AppError::Conflict(format!(
            "Kỳ báo cáo đã khóa sổ lúc {}; số liệu không sửa được nữa.",
            crate::views::datetime_vn(&at)
        ))
    })
}

/// Saves typed values (only those given; an empty value clears one). 422 with every
/// field's message and nothing changed on bad input.
pub async fn save(
    state: &AppState,
    p: &Principal,
    actor: &Actor,
    id: i64,
    input: &BTreeMap<String, String>,
) -> Result<Report, AppError> {
    let r = visible(state, p, id).await?;
    if !can_edit(p, &r) {
        return Err(AppError::forbidden());
    }
    if let Some(e) = closed_error(&r) {
        return Err(e);
    }
    let status = ReportStatus::parse(&r.status).unwrap_or(ReportStatus::Draft);
    let to = domain::report::next_status(status, ReportAction::Save).map_err(AppError::Conflict)?;
    let t = template_of(&r)?;
    let parsed = domain::report::parse_typed(t, input).map_err(AppError::Validation)?;
    let mut typed = typed_of(&r);
    for (k, v) in parsed {
        if v.is_null() {
            typed.remove(&k);
        } else {
            typed.insert(k, v);
        }
    }
    let change = store::report::Change {
        action: "save".into(),
        from_status: r.status.clone(),
        to_status: to.code().into(),
        typed_json: Some(serde_json::to_string(&typed).unwrap_or_else(|_| "{}".into())),
        return_reason: None,
    };
    Ok(store::report::apply(&state.db, id, &change, actor).await?)
}

/// Submit, accept or return (with a reason) a report.
pub async fn act(
    state: &AppState,
    p: &Principal,
    actor: &Actor,
    id: i64,
    action: ReportAction,
    reason: Option<&str>,
) -> Result<Report, AppError> {
    let r = visible(state, p, id).await?;
    let t = template_of(&r)?;
    let allowed = match action {
        ReportAction::Save => can_edit(p, &r),
        ReportAction::Submit => can_submit(p, &r),
        ReportAction::Accept | ReportAction::Return => can_decide(p, t),
    };
    if !allowed {
        return Err(AppError::Forbidden(match action {
            ReportAction::Submit => "Chỉ lãnh đạo đơn vị được gửi báo cáo.".into(),
            ReportAction::Accept | ReportAction::Return => format!(
                "Chỉ {} được tiếp nhận hoặc trả lại báo cáo này.",
                t.compiler.label()
            ),
            ReportAction::Save => "Bạn không có quyền sửa báo cáo này.".into(),
        }));
    }
    if let Some(e) = closed_error(&r) {
        return Err(e);
    }
    let status = ReportStatus::parse(&r.status).unwrap_or(ReportStatus::Draft);
    let to = domain::report::next_status(status, action).map_err(AppError::Conflict)?;
    let mut return_reason = None;
    match action {
        ReportAction::Submit => {
            let missing = domain::report::missing_required(t, &typed_of(&r));
            if !missing.is_empty() {
                return Err(AppError::Validation(missing));
            }
        }
        ReportAction::Return => {
            let mut c = domain::validate::Checker::new();
            let why = c.required("reason", "Lý do trả lại", reason.unwrap_or(""), 2000);
            if !c.is_ok() {
                return Err(AppError::Validation(c.errors));
            }
            return_reason = Some(why);
        }
        _ => {}
    }
    let change = store::report::Change {
        action: action.code().into(),
        from_status: r.status.clone(),
        to_status: to.code().into(),
        typed_json: None,
        return_reason,
    };
    store::report::apply(&state.db, id, &change, actor)
        .await
        .map_err(|e| match e {
            store::StoreError::Conflict(_) => AppError::Conflict(
                "Báo cáo vừa được người khác thay đổi hoặc kỳ đã khóa sổ; vui lòng tải lại.".into(),
            ),
            e => e.into(),
        })
}

/// The snapshot of a report as it stands at `as_of`.
async fn snapshot(
    state: &AppState,
    r: &Report,
    as_of: DateTime<Utc>,
) -> Result<Snapshot, AppError> {
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
    state: &AppState,
    actor: &Actor,
    template: &str,
    period: &str,
) -> Result<usize, AppError> {
    close_at(state, actor, template, period, Utc::now()).await
}

/// [`close`] at a given instant (the demo's history); the inputs are read as they are.
pub async fn close_at(
    state: &AppState,
    actor: &Actor,
    template: &str,
    period: &str,
    at: DateTime<Utc>,
) -> Result<usize, AppError> {
    let plan = plan(state, template, period).await?;
    let code = plan.template.code.clone();
    let key = plan.period.to_string();
    if store::report::closed(&state.db, &code, &key)
        .await?
        .is_some()
    {
        return Err(AppError::Conflict("Kỳ báo cáo đã khóa sổ.".into()));
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
            store::StoreError::Conflict(_) => AppError::Conflict("Kỳ báo cáo đã khóa sổ.".into()),
            e => e.into(),
        })?;
    Ok(snaps.len())
}

/// Records the live numbers of a frozen report as a correction revision.
pub async fn correct(
    state: &AppState,
    p: &Principal,
    actor: &Actor,
    id: i64,
    note: &str,
) -> Result<store::report::Revision, AppError> {
    let r = visible(state, p, id).await?;
    if !can_manage_periods(p) {
        return Err(AppError::forbidden());
    }
    if r.closed_at.is_none() {
        return Err(AppError::Conflict(
            "Báo cáo chưa khóa sổ; số liệu đang được tính trực tiếp.".into(),
        ));
    }
    let mut c = domain::validate::Checker::new();
    let note = c.required("note", "Nội dung điều chỉnh", note, 2000);
    if !c.is_ok() {
        return Err(AppError::Validation(c.errors));
    }
    let as_of = DateTime::from_timestamp(Utc::now().timestamp(), 0).unwrap_or_default();
    let s = snapshot(state, &r, as_of).await?;
    Ok(
        store::report::add_correction(&state.db, id, as_of, &s.canonical_json(), &note, actor)
            .await?,
    )
}

// ---- The province's sums ------------------------------------------------------------

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnitLine {
    pub unit: String,
    pub unit_name: String,
    pub report_id: Option<i64>,
    /// `null` when the unit has no report for the period.
    pub status: Option<String>,
    pub status_label: String,
    pub submitted_at: Option<DateTime<Utc>>,
    /// Sent after the due date, or not sent and the due date has passed.
    pub late: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Summary {
    pub template: String,
    pub template_name: String,
    pub period: String,
    pub period_label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub due_on: NaiveDate,
    pub closed_at: Option<DateTime<Utc>>,
    /// Sums (integers) and unweighted means (percents) over the sent reports.
    #[schema(value_type = Object)]
    pub totals: Vec<FieldTotal>,
    pub obliged: usize,
    pub sent: usize,
    pub units: Vec<UnitLine>,
    /// Obliged units that have not sent (no report, draft or returned).
    pub missing: Vec<UnitLine>,
}

/// Late: sent after the due date, or not sent once it has passed.
pub fn is_late(r: &Report, due_on: NaiveDate) -> bool {
    match r.submitted_at {
        Some(at) if ReportStatus::parse(&r.status).is_some_and(ReportStatus::is_sent) => {
            local(at).date() > due_on
        }
        _ => today() > due_on,
    }
}

/// The province's (or the caller's subtree's) view of a template's period: sums over the
/// sent reports — frozen numbers once closed — and who has not sent.
pub async fn summary(
    state: &AppState,
    scope: &Scope,
    template: &str,
    period: &str,
) -> Result<Summary, AppError> {
    let plan = plan(state, template, period).await?;
    let t = plan.template;
    let key = plan.period.to_string();
    let (reports, _) = store::report::list(
        &state.db,
        &store::report::ReportFilter {
            scope_prefix: scope.prefix().map(str::to_string),
            template_code: Some(t.code.clone()),
            period: Some(key.clone()),
            ..Default::default()
        },
        store::Page::all(),
    )
    .await?;
    let frozen: BTreeMap<i64, Values> = store::report::frozen_of_period(&state.db, &t.code, &key)
        .await?
        .into_iter()
        .filter_map(|v| {
            Snapshot::parse(&v.snapshot_json)
                .ok()
                .map(|s| (v.report_id, s.values))
        })
        .collect();
    let mut sent_values: Vec<Values> = Vec::new();
    let mut units = Vec::new();
    for r in &reports {
        let status = ReportStatus::parse(&r.status).unwrap_or(ReportStatus::Draft);
        if status.is_sent() {
            let values = match frozen.get(&r.id) {
                Some(v) => v.clone(),
                None => {
                    let rt = template_of(r)?;
                    let computed = live_computed(state, rt, r, Utc::now()).await?;
                    domain::report::all_values(rt, &computed, &typed_of(r))
                }
            };
            sent_values.push(values);
        }
        units.push(UnitLine {
            unit: r.agency_code.clone(),
            unit_name: r.agency_name.clone(),
            report_id: Some(r.id),
            status: Some(r.status.clone()),
            status_label: status.label().into(),
            submitted_at: r.submitted_at.filter(|_| status.is_sent()),
            late: is_late(r, r.due_on),
        });
    }
    let obliged: Vec<store::agency::Agency> = obliged_units(state, &plan)
        .await?
        .into_iter()
        .filter(|a| scope.contains(&a.path))
        .collect();
    for a in &obliged {
        if !reports.iter().any(|r| r.agency_id == a.id) {
            units.push(UnitLine {
                unit: a.code.clone(),
                unit_name: a.name.clone(),
                report_id: None,
                status: None,
                status_label: "Chưa lập báo cáo".into(),
                submitted_at: None,
                late: today() > plan.due_on,
            });
        }
    }
    units.sort_by(|a, b| {
        domain::text::fold_vi(&a.unit_name)
            .cmp(&domain::text::fold_vi(&b.unit_name))
            .then(a.unit.cmp(&b.unit))
    });
    let missing: Vec<UnitLine> = units
        .iter()
        .filter(|u| {
            !u.status
                .as_deref()
                .and_then(ReportStatus::parse)
                .is_some_and(ReportStatus::is_sent)
        })
        .cloned()
        .collect();
    let closed_at = store::report::closed(&state.db, &t.code, &key)
        .await?
        .map(|c| c.closed_at);
    Ok(Summary {
        template: t.code.clone(),
        template_name: t.name.clone(),
        period: key,
        period_label: plan.period.label_vi(),
        from: plan.from,
        to: plan.to,
        due_on: plan.due_on,
        closed_at,
        totals: domain::report::aggregate(t, &sent_values),
        obliged: obliged.len(),
        sent: sent_values.len(),
        units,
        missing,
    })
}

// ---- Display and files --------------------------------------------------------------

/// A value as the pages and files print it: 1.234 · 85,50 · dd/mm/yyyy · text; "—" when
/// there is none.
pub fn display(ft: FieldType, v: Option<&Value>) -> String {
    match (ft, v) {
        (_, None | Some(Value::Null)) => "—".into(),
        (FieldType::Integer, Some(v)) => v
            .as_f64()
            .map(|x| crate::views::int_vn(x.round() as i64))
            .unwrap_or_else(|| v.to_string()),
        (FieldType::Percent, Some(v)) => v
            .as_f64()
            .map(reports::vn2)
            .unwrap_or_else(|| v.to_string()),
        (FieldType::Date, Some(Value::String(s))) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(|d| crate::views::date_vn(&d))
            .unwrap_or_else(|_| s.clone()),
        (_, Some(Value::String(s))) => s.clone(),
        (_, Some(v)) => v.to_string(),
    }
}

/// The value of a typed field as its form input shows it.
pub fn input_text(ft: FieldType, v: Option<&Value>) -> String {
    match (ft, v) {
        (_, None | Some(Value::Null)) => String::new(),
        (FieldType::Text, Some(Value::String(s))) => s.clone(),
        (ft, v) => display(ft, v),
    }
}

/// "+1", "-2", "+0,35": the sign always, decimals for percents only.
pub fn difference_text(c: &Correction, ft: FieldType) -> String {
    let Some(d) = c.difference else {
        return "—".into();
    };
    let text = if ft == FieldType::Integer {
        crate::views::int_vn(d.round() as i64)
    } else {
        reports::vn2(d)
    };
    if d > 0.0 { format!("+{text}") } else { text }
}

/// The numbers (with where each comes from), then the texts the unit wrote.
fn field_tables(t: &Template, values: &Values) -> Vec<reports::PeriodTable> {
    let numbers = reports::PeriodTable {
        title: Some("I. Số liệu".into()),
        columns: vec![
            ("STT".into(), 0.6, false),
            ("Chỉ tiêu".into(), 5.0, false),
            ("Giá trị".into(), 1.6, true),
            ("Nguồn số liệu".into(), 1.6, false),
        ],
        rows: t
            .fields
            .iter()
            .filter(|f| f.field_type != FieldType::Text)
            .enumerate()
            .map(|(i, f)| {
                vec![
                    (i + 1).to_string(),
                    f.label.clone(),
                    display(f.field_type, values.get(&f.key)),
                    if f.is_computed() {
                        "Hệ thống".into()
                    } else {
                        "Đơn vị nhập".into()
                    },
                ]
            })
            .collect(),
        empty_text: "Không có chỉ tiêu".into(),
    };
    let texts = reports::PeriodTable {
        title: Some("II. Nội dung".into()),
        columns: vec![
            ("STT".into(), 0.6, false),
            ("Mục".into(), 2.4, false),
            ("Nội dung".into(), 5.8, false),
        ],
        rows: t
            .fields
            .iter()
            .filter(|f| f.field_type == FieldType::Text)
            .enumerate()
            .map(|(i, f)| {
                vec![
                    (i + 1).to_string(),
                    f.label.clone(),
                    display(f.field_type, values.get(&f.key)),
                ]
            })
            .collect(),
        empty_text: "Không có nội dung".into(),
    };
    if texts.rows.is_empty() {
        vec![numbers]
    } else {
        vec![numbers, texts]
    }
}

/// "Báo cáo … tháng" + "tháng 10 năm 2023" → "Báo cáo … tháng 10 năm 2023": the name's
/// last word is not repeated when the period's label starts with it.
pub fn title_of(name: &str, period_label: &str) -> String {
    let first = period_label.split_whitespace().next().unwrap_or("");
    let name = name
        .strip_suffix(first)
        .map(str::trim_end)
        .filter(|n| !first.is_empty() && n.len() < name.len())
        .unwrap_or(name);
    format!("{name} {period_label}")
}

/// The file of a report. `as_of_freeze`: exactly the numbers frozen at closing, dated the
/// day of the freeze — built from the snapshot alone, so it is the same file every time
/// (byte for byte). Otherwise the report as it stands now (frozen numbers plus the
/// corrections section once closed), dated today.
pub fn document(v: &View, as_of_freeze: bool) -> Result<reports::PeriodReportDoc, AppError> {
    let t = v.template;
    let r = &v.report;
    let (values, date, unit, unit_name, status) = match (&v.frozen, as_of_freeze) {
        (Some(s), true) => (
            &s.values,
            local(s.as_of).date(),
            s.unit.clone(),
            s.unit_name.clone(),
            s.status.clone(),
        ),
        (None, true) => {
            return Err(AppError::Conflict(
                "Báo cáo chưa khóa sổ nên chưa có bản số liệu khóa sổ.".into(),
            ));
        }
        (_, false) => (
            &v.values,
            today(),
            r.agency_code.clone(),
            r.agency_name.clone(),
            r.status.clone(),
        ),
    };
    let status_label = ReportStatus::parse(&status).map_or("", ReportStatus::label);
    let mut info = vec![
        (
            "Đơn vị báo cáo".to_string(),
            format!("{unit_name} ({unit})"),
        ),
        (
            "Kỳ báo cáo".to_string(),
            format!(
                "{} (số liệu từ ngày {} đến ngày {})",
                v.period.label_vi(),
                crate::views::date_vn(&r.period_from),
                crate::views::date_vn(&r.period_to)
            ),
        ),
        ("Hạn gửi".to_string(), crate::views::date_vn(&r.due_on)),
        ("Tình trạng".to_string(), status_label.to_string()),
    ];
    if let Some(s) = &v.frozen {
        info.push((
            "Số liệu khóa sổ lúc".into(),
            crate::views::datetime_vn(&s.as_of),
        ));
    }
    let mut tables = field_tables(t, values);
    if !as_of_freeze && v.frozen.is_some() {
        tables.push(corrections_table(&v.corrections, t));
    }
    Ok(reports::PeriodReportDoc {
        header: reports::DocHeader {
            issuer_parent: "UBND TỈNH NGHỆ AN".into(),
            issuer: unit_name.to_uppercase(),
            place: "Nghệ An".into(),
            date,
            title: title_of(&t.name, &v.period.label_vi()).to_uppercase(),
            subtitle: Some(format!(
                "(Biểu mẫu {}, phiên bản có hiệu lực từ {})",
                t.code,
                crate::views::date_vn(&t.effective_from)
            )),
        },
        number: format!("{}/BC-{unit}", r.id),
        info,
        tables,
        notes: vec![format!("Căn cứ: {}.", t.legal_basis.join("; "))],
    })
}

fn corrections_table(cs: &[Correction], t: &Template) -> reports::PeriodTable {
    let ft = |k: &str| t.field(k).map_or(FieldType::Text, |f| f.field_type);
    reports::PeriodTable {
        title: Some("Điều chỉnh sau khi khóa sổ".into()),
        columns: vec![
            ("STT".into(), 0.6, false),
            ("Chỉ tiêu".into(), 4.2, false),
            ("Số liệu khóa sổ".into(), 1.6, true),
            ("Số liệu hiện tại".into(), 1.6, true),
            ("Chênh lệch".into(), 1.4, true),
        ],
        rows: cs
            .iter()
            .enumerate()
            .map(|(i, c)| {
                vec![
                    (i + 1).to_string(),
                    c.label.clone(),
                    display(ft(&c.key), Some(&c.frozen)),
                    display(ft(&c.key), Some(&c.live)),
                    difference_text(c, ft(&c.key)),
                ]
            })
            .collect(),
        empty_text: "Không có số liệu đến muộn sau khi khóa sổ.".into(),
    }
}

/// The province's sums as a file, dated today (or the closing day once closed).
pub fn summary_document(s: &Summary, issuer: &str) -> reports::PeriodReportDoc {
    let t = templates()
        .ok()
        .and_then(|ts| ts.get(&s.template, s.to))
        .cloned();
    let totals = reports::PeriodTable {
        title: Some(format!(
            "Tổng hợp số liệu của {}/{} đơn vị đã gửi báo cáo",
            s.sent, s.obliged
        )),
        columns: vec![
            ("STT".into(), 0.6, false),
            ("Chỉ tiêu".into(), 5.0, false),
            ("Tổng hợp".into(), 2.0, true),
            ("Số báo cáo".into(), 1.4, true),
        ],
        rows: s
            .totals
            .iter()
            .enumerate()
            .map(|(i, x)| {
                let label = if x.field_type == FieldType::Percent {
                    format!("{} (bình quân)", x.label)
                } else {
                    x.label.clone()
                };
                vec![
                    (i + 1).to_string(),
                    label,
                    display(x.field_type, x.value.map(Value::from).as_ref()),
                    x.reports.to_string(),
                ]
            })
            .collect(),
        empty_text: "Chưa có báo cáo nào được gửi.".into(),
    };
    let missing = reports::PeriodTable {
        title: Some("Đơn vị chưa gửi báo cáo".into()),
        columns: vec![
            ("STT".into(), 0.6, false),
            ("Đơn vị".into(), 5.0, false),
            ("Tình trạng".into(), 2.0, false),
            ("Quá hạn".into(), 1.4, false),
        ],
        rows: s
            .missing
            .iter()
            .enumerate()
            .map(|(i, u)| {
                vec![
                    (i + 1).to_string(),
                    format!("{} ({})", u.unit_name, u.unit),
                    u.status_label.clone(),
                    if u.late {
                        "Quá hạn".into()
                    } else {
                        String::new()
                    },
                ]
            })
            .collect(),
        empty_text: "Tất cả đơn vị đã gửi báo cáo.".into(),
    };
    let date = s.closed_at.map(|c| local(c).date()).unwrap_or_else(today);
    reports::PeriodReportDoc {
        header: reports::DocHeader {
            issuer_parent: "UBND TỈNH NGHỆ AN".into(),
            issuer: issuer.to_uppercase(),
            place: "Nghệ An".into(),
            date,
            title: format!("Tổng hợp {}", title_of(&s.template_name, &s.period_label))
                .to_uppercase(),
            subtitle: Some(format!("(Biểu mẫu {})", s.template)),
        },
        number: String::new(),
        info: vec![
            (
                "Kỳ báo cáo".into(),
                format!(
                    "{} (số liệu từ ngày {} đến ngày {})",
                    s.period_label,
                    crate::views::date_vn(&s.from),
                    crate::views::date_vn(&s.to)
                ),
            ),
            ("Hạn gửi".into(), crate::views::date_vn(&s.due_on)),
            (
                "Khóa sổ".into(),
                s.closed_at
                    .map(|c| crate::views::datetime_vn(&c))
                    .unwrap_or_else(|| "Chưa khóa sổ".into()),
            ),
        ],
        tables: vec![totals, missing],
        notes: t
            .map(|t| vec![format!("Căn cứ: {}.", t.legal_basis.join("; "))])
            .unwrap_or_default(),
    }
}

/// Bytes and headers of a file download.
pub fn file_response(
    doc: &reports::PeriodReportDoc,
    format: &str,
    name: &str,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    let (bytes, mime, ext) = render(doc, format)?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, mime.to_string()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.{ext}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// The file's bytes, MIME type and extension (`xlsx` or `pdf`).
pub fn render(
    doc: &reports::PeriodReportDoc,
    format: &str,
) -> Result<(Vec<u8>, &'static str, &'static str), AppError> {
    match format {
        "xlsx" => Ok((
            reports::period_report_xlsx(doc)
                .map_err(|e| AppError::Internal(format!("xlsx: {e}")))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        )),
        "pdf" => Ok((
            reports::period_report_pdf(doc).map_err(|e| AppError::Internal(format!("pdf: {e}")))?,
            "application/pdf",
            "pdf",
        )),
        _ => Err(AppError::bad("Định dạng tệp phải là xlsx hoặc pdf.")),
    }
}
