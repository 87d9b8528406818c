//! Reading tasks: the caller's filter (scope, status, period), lists, statistics and one
//! task's detail.

use chrono::NaiveDate;
use domain::org::Principal;
use domain::task::TaskStatus;
use serde::{Deserialize, Serialize};
use store::Page;
use store::task::{Task, TaskFilter};

use super::{Stats, TaskOut, today, visible};
use crate::file::{FileList, FileOut};
use crate::{App, ServiceError};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskQuery {
    pub directive_id: Option<i64>,
    /// Lead or supporting agency.
    pub agency_id: Option<i64>,
    /// in_progress, overdue, awaiting_verification, done_on_time, done_late
    pub status: Option<String>,
    pub q: Option<String>,
    /// Tasks due in a period: 2023-10, 2023-Q3, 2023-H2 or 2023.
    pub period: Option<String>,
    /// How the period maps to dates: `calendar` (default: months, quarters, years) or
    /// `window` (reporting windows, 15th of the month before → 14th, NĐ 09/2019/NĐ-CP).
    pub period_mode: Option<String>,
    /// Sub-tasks (and occurrences) of this task.
    pub parent_id: Option<i64>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// The [from, to] range of a period parameter.
pub fn period_range(
    period: Option<&str>,
    mode: Option<&str>,
) -> Result<(Option<NaiveDate>, Option<NaiveDate>), ServiceError> {
    let mode = match mode.map(str::trim).unwrap_or("") {
        "" | "calendar" => domain::calendar::PeriodMode::Calendar,
        "window" => domain::calendar::PeriodMode::ReportingWindow,
        _ => {
            return Err(ServiceError::bad(
                "Cách tính kỳ không hợp lệ (calendar: theo lịch; window: kỳ báo cáo từ ngày 15 tháng trước đến ngày 14).",
            ));
        }
    };
    match period.map(str::trim).filter(|p| !p.is_empty()) {
        None => Ok((None, None)),
        Some(p) => {
            let period = domain::calendar::Period::parse_vi(p).ok_or_else(|| {
                ServiceError::bad("Kỳ không hợp lệ (ví dụ: 10/2023, 2023-10, Q3/2023, 2023).")
            })?;
            let (from, to) = period
                .range(mode)
                .map_err(|_| ServiceError::bad("Kỳ nằm ngoài phạm vi lịch."))?;
            Ok((Some(from), Some(to)))
        }
    }
}

/// The filter of a task query inside the principal's scope.
pub fn filter(p: &Principal, q: &TaskQuery) -> Result<TaskFilter, ServiceError> {
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(
            TaskStatus::parse(s)
                .ok_or_else(|| ServiceError::bad("Trạng thái nhiệm vụ không hợp lệ."))?,
        ),
        None => None,
    };
    let (deadline_from, deadline_to) = period_range(q.period.as_deref(), q.period_mode.as_deref())?;
    Ok(TaskFilter {
        scope_prefix: p.scope().prefix().map(str::to_string),
        directive_id: q.directive_id,
        agency_id: q.agency_id,
        status,
        q: q.q.clone(),
        today: Some(today()),
        parent_id: q.parent_id,
        deadline_from,
        deadline_to,
    })
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TaskDetail {
    pub task: TaskOut,
    pub support: Vec<SupportOut>,
    pub reports: Vec<ReportOut>,
    pub extensions: Vec<ExtensionOut>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SupportOut {
    pub agency_id: i64,
    pub name: String,
}

/// One entry of a task's report history (named `TaskReportOut` in the OpenAPI document,
/// apart from the periodic reports' `ReportOut`).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = TaskReportOut)]
pub struct ReportOut {
    pub agency_name: String,
    pub username: Option<String>,
    /// The reporter's full name.
    pub full_name: Option<String>,
    /// progress, submit, accept, return
    pub kind: String,
    pub percent: Option<i32>,
    pub note: String,
    pub at: chrono::DateTime<chrono::Utc>,
    /// Evidence files (minh chứng) of this report.
    pub files: Vec<FileOut>,
}

/// One visible task with what is shown about it: supporting agencies, reports (each with
/// its evidence files), extension requests, sub-tasks, the units it may be split to and
/// what the principal may do with it.
pub struct TaskView {
    pub task: Task,
    /// (agency id, name, path) of the supporting agencies.
    pub supports: Vec<(i64, String, String)>,
    pub reports: Vec<(store::task::Report, Vec<store::file::FileMeta>)>,
    pub extensions: Vec<store::task::Extension>,
    pub children: Vec<Task>,
    /// Units and communes under the lead agency a lead reporter may split the task to.
    pub split_agencies: Vec<(i64, String)>,
    pub can_report: bool,
    pub can_submit: bool,
    pub can_verify: bool,
    pub can_extend: bool,
    pub can_decide: bool,
}

/// The task, supports, reports with files and extensions (404 outside the scope).
async fn load(app: &App, p: &Principal, id: i64) -> Result<TaskView, ServiceError> {
    let (task, supports) = visible(app, p, id).await?;
    let reports = store::task::reports(&app.db, id).await?;
    let ids: Vec<i64> = reports.iter().map(|r| r.id).collect();
    let mut files = store::file::list_many(&app.db, "task_report", &ids).await?;
    let reports = reports
        .into_iter()
        .map(|r| {
            let mine = files.extract_if(.., |f| f.owner_id == r.id).collect();
            (r, mine)
        })
        .collect();
    Ok(TaskView {
        task,
        supports,
        reports,
        extensions: store::task::extensions(&app.db, id).await?,
        children: Vec::new(),
        split_agencies: Vec::new(),
        can_report: false,
        can_submit: false,
        can_verify: false,
        can_extend: false,
        can_decide: false,
    })
}

/// Everything the task page shows, with the principal's permitted actions.
pub async fn view(app: &App, p: &Principal, id: i64) -> Result<TaskView, ServiceError> {
    let mut v = load(app, p, id).await?;
    let t = &v.task;
    let st = t.status(today());
    let lead = super::is_lead_reporter(p, t);
    // A lead agency splits its (non-recurring) task for the units and communes under it.
    if let (true, Some(lead_path), true) = (lead, t.lead_path.as_deref(), t.period.is_none()) {
        let (under, _) = store::agency::list(
            &app.db,
            &store::agency::AgencyFilter {
                scope_prefix: Some(lead_path.to_string()),
                active: Some(true),
                on_date: Some(t.deadline.unwrap_or_else(today)),
                ..Default::default()
            },
            Page::all(),
        )
        .await?;
        v.split_agencies = under
            .into_iter()
            .filter(|a| Some(a.id) != t.lead_agency_id)
            .map(|a| (a.id, a.name))
            .collect();
    }
    v.can_report = !st.is_done() && super::reporting_agency(p, t, &v.supports).is_some();
    v.can_submit = t.submitted_on.is_none() && lead;
    v.can_verify = st == TaskStatus::AwaitingVerification && p.can_verify_tasks();
    v.can_extend = t.deadline.is_some() && t.submitted_on.is_none() && lead;
    v.can_decide = p.can_verify_tasks();
    let (children, _) = store::task::list(
        &app.db,
        &TaskFilter {
            parent_id: Some(id),
            today: Some(today()),
            ..Default::default()
        },
        Page::new(Some(200), None),
    )
    .await?;
    v.children = children;
    Ok(v)
}

/// The API's detail of one visible task.
pub async fn detail(app: &App, p: &Principal, id: i64) -> Result<TaskDetail, ServiceError> {
    let v = load(app, p, id).await?;
    Ok(TaskDetail {
        task: TaskOut::of(&v.task, today()),
        support: v
            .supports
            .into_iter()
            .map(|(agency_id, name, _)| SupportOut { agency_id, name })
            .collect(),
        reports: v
            .reports
            .into_iter()
            .map(|(r, files)| ReportOut {
                files: FileList::of(files).items,
                agency_name: r.agency_name,
                username: r.username,
                full_name: r.full_name,
                kind: r.kind,
                percent: r.percent,
                note: r.note,
                at: r.created_at,
            })
            .collect(),
        extensions: v.extensions.into_iter().map(ExtensionOut::from).collect(),
    })
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExtensionOut {
    pub id: i64,
    pub requested_at: chrono::DateTime<chrono::Utc>,
    pub reason: String,
    pub old_deadline: Option<NaiveDate>,
    pub new_deadline: NaiveDate,
    /// pending, approved, refused
    pub decision: String,
    pub decision_note: Option<String>,
}

impl From<store::task::Extension> for ExtensionOut {
    fn from(e: store::task::Extension) -> Self {
        ExtensionOut {
            id: e.id,
            requested_at: e.requested_at,
            reason: e.reason,
            old_deadline: e.old_deadline,
            new_deadline: e.new_deadline,
            decision: e.decision,
            decision_note: e.decision_note,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AgencyStats {
    pub agency_id: i64,
    pub agency_name: String,
    #[serde(flatten)]
    pub stats: Stats,
}

/// Per lead agency: rows sorted by completion rate, then name.
pub async fn stats_by_agency(
    state: &App,
    f: &TaskFilter,
) -> Result<Vec<AgencyStats>, ServiceError> {
    let rows = store::task::status_counts_by_lead(state.read_db(), f).await?;
    let mut by: std::collections::BTreeMap<(i64, String), Vec<(TaskStatus, i64)>> =
        Default::default();
    for (id, name, st, n) in rows {
        by.entry((id, name)).or_default().push((st, n));
    }
    let mut out: Vec<AgencyStats> = by
        .into_iter()
        .map(|((agency_id, agency_name), counts)| AgencyStats {
            agency_id,
            agency_name,
            stats: Stats::of(&counts),
        })
        .collect();
    out.sort_by(|a, b| {
        b.stats
            .completion_rate
            .unwrap_or(0.0)
            .total_cmp(&a.stats.completion_rate.unwrap_or(0.0))
            .then_with(|| {
                domain::text::fold_vi(&a.agency_name).cmp(&domain::text::fold_vi(&b.agency_name))
            })
    });
    Ok(out)
}

/// Tasks matching a filter built by [`filter`] (so inside the caller's scope).
pub async fn list(app: &App, f: &TaskFilter, page: Page) -> Result<(Vec<Task>, i64), ServiceError> {
    Ok(store::task::list(app.read_db(), f, page).await?)
}

/// Status counts of the tasks matching a filter built by [`filter`].
pub async fn stats(app: &App, f: &TaskFilter) -> Result<Stats, ServiceError> {
    Ok(Stats::of(
        &store::task::status_counts(app.read_db(), f).await?,
    ))
}

/// Names of the supporting agencies of the listed tasks, by task id.
pub async fn supports_of(
    app: &App,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, Vec<String>>, ServiceError> {
    Ok(store::task::supports_of(&app.db, ids).await?)
}
