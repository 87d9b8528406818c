//! Pages: directives with their statistics, the task list (the overdue list is its
//! `?status=overdue` view), and a task's page with progress, completion and verification.

use crate::upload::{Posted, Upload};
use askama::Template;
use axum::extract::Multipart;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use domain::task::TaskStatus;
use serde::Deserialize;
use store::Page;
use store::agency::AgencyFilter;
use store::task::TaskFilter;

use super::api::{TaskQuery, task_filter, visible_directive};
use super::{Action, act};
use super::{Stats, TaskOut, is_lead_reporter, reporting_agency, today, visible};
use crate::auth::CurrentUser;
use crate::extract::{PageForm, Q, set_flash, take_flash};
use crate::routes::parse_id;
use crate::views::{Chrome, date_vn, datetime_vn, int_vn};
use crate::{AppError, AppState};

pub struct DirectiveRow {
    pub d: store::directive::Directive,
    pub date: String,
    pub stats: Stats,
}

impl DirectiveRow {
    pub fn rate(&self) -> String {
        self.stats
            .completion_rate
            .map(|r| format!("{}%", r.to_string().replace('.', ",")))
            .unwrap_or_else(|| "–".into())
    }
}

#[derive(Template)]
#[template(path = "task/directives.html")]
struct DirectivesPage {
    chrome: Chrome,
    can_assign: bool,
    rows: Vec<DirectiveRow>,
    q: String,
}

#[derive(Deserialize, Default)]
pub struct DirectivesQuery {
    q: Option<String>,
}

pub async fn directives(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Q(q): Q<DirectivesQuery>,
) -> Result<Response, AppError> {
    let scope = user.principal.scope();
    let (items, _) = store::directive::list(
        &state.db,
        scope.prefix(),
        q.q.as_deref(),
        Page::new(Some(200), None),
    )
    .await?;
    let f = TaskFilter {
        scope_prefix: scope.prefix().map(str::to_string),
        today: Some(today()),
        ..Default::default()
    };
    let counts = store::task::status_counts_by_directive(&state.db, &f).await?;
    let rows = items
        .into_iter()
        .map(|d| {
            let mine: Vec<(TaskStatus, i64)> = counts
                .iter()
                .filter(|(id, _, _)| *id == d.id)
                .map(|(_, s, n)| (*s, *n))
                .collect();
            DirectiveRow {
                date: date_vn(&d.issued_on),
                stats: Stats::of(&mine),
                d,
            }
        })
        .collect();
    let (jar, flash) = take_flash(jar);
    let page = DirectivesPage {
        can_assign: user.principal.can_assign_tasks(),
        chrome: Chrome::new(&user, "/van-ban", "Văn bản chỉ đạo", flash),
        rows,
        q: q.q.unwrap_or_default(),
    };
    Ok((jar, Html(page.render()?)).into_response())
}

pub struct TaskRow {
    pub t: TaskOut,
    pub deadline: String,
    pub lead: String,
    pub late: String,
}

fn task_rows(tasks: &[store::task::Task]) -> Vec<TaskRow> {
    let t0 = today();
    tasks
        .iter()
        .map(|t| {
            let out = TaskOut::of(t, t0);
            TaskRow {
                deadline: match (&t.deadline, &t.deadline_text) {
                    (Some(d), _) => date_vn(d),
                    (None, Some(txt)) => txt.clone(),
                    (None, None) => "Không thời hạn".into(),
                },
                lead: t
                    .lead_name
                    .clone()
                    .or_else(|| t.lead_text.clone())
                    .unwrap_or_else(|| "Chưa xác định".into()),
                late: if out.days_late > 0 {
                    format!("{} ngày", int_vn(out.days_late))
                } else {
                    String::new()
                },
                t: out,
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "task/directive.html")]
struct DirectivePage {
    chrome: Chrome,
    can_assign: bool,
    d: store::directive::Directive,
    date: String,
    recipients: Vec<String>,
    citations: Vec<store::directive::Citation>,
    cited_by: Vec<(i64, String, String)>,
    files: Vec<store::file::FileMeta>,
    stats: Stats,
    rows: Vec<TaskRow>,
    total: i64,
    status: String,
    statuses: Vec<(&'static str, &'static str)>,
}

impl DirectivePage {
    fn rate(&self) -> String {
        self.stats
            .completion_rate
            .map(|r| format!("{}%", r.to_string().replace('.', ",")))
            .unwrap_or_else(|| "–".into())
    }
}

pub fn relation_label(r: &str) -> &'static str {
    match r {
        "encloses" => "gửi kèm",
        "implements" => "triển khai",
        _ => "dẫn chiếu",
    }
}

pub async fn directive(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    Q(q): Q<TaskQuery>,
) -> Result<Response, AppError> {
    let d = visible_directive(&state, &user, parse_id(&id)?).await?;
    let mut f = task_filter(&user, &q)?;
    f.directive_id = Some(d.id);
    let counts = store::task::status_counts(
        &state.db,
        &TaskFilter {
            status: None,
            ..f.clone()
        },
    )
    .await?;
    let (tasks, total) = store::task::list(&state.db, &f, Page::new(Some(500), None)).await?;
    let (jar, flash) = take_flash(jar);
    let page = DirectivePage {
        can_assign: user.principal.can_assign_tasks(),
        chrome: Chrome::new(
            &user,
            "/van-ban",
            format!("{} {}", d.doc_type, d.number),
            flash,
        ),
        date: date_vn(&d.issued_on),
        recipients: d.recipients(),
        citations: store::directive::citations(&state.db, d.id).await?,
        files: store::file::list(&state.db, store::file::Owner::Directive(d.id)).await?,
        cited_by: store::directive::cited_by(&state.db, d.id).await?,
        stats: Stats::of(&counts),
        rows: task_rows(&tasks),
        total,
        status: q.status.clone().unwrap_or_default(),
        statuses: TaskStatus::ALL
            .iter()
            .map(|s| (s.code(), s.label()))
            .collect(),
        d,
    };
    Ok((jar, Html(page.render()?)).into_response())
}

#[derive(Template)]
#[template(path = "task/list.html")]
struct TasksPage {
    chrome: Chrome,
    period: String,
    period_mode: String,
    rows: Vec<TaskRow>,
    total: i64,
    stats: Stats,
    status: String,
    q: String,
    statuses: Vec<(&'static str, &'static str)>,
    page: i64,
    pages: i64,
    prev_href: String,
    next_href: String,
}

impl TasksPage {
    fn rate(&self) -> String {
        self.stats
            .completion_rate
            .map(|r| format!("{}%", r.to_string().replace('.', ",")))
            .unwrap_or_else(|| "–".into())
    }
}

#[derive(Deserialize, Default)]
pub struct TasksQuery {
    status: Option<String>,
    period: Option<String>,
    period_mode: Option<String>,
    q: Option<String>,
    trang: Option<String>,
}

pub async fn tasks(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Q(q): Q<TasksQuery>,
) -> Result<Response, AppError> {
    const PER: i64 = 100;
    let page_no = crate::extract::opt_i64(&q.trang, "Số trang")?
        .unwrap_or(1)
        .max(1);
    let tq = TaskQuery {
        parent_id: None,
        directive_id: None,
        agency_id: None,
        status: q.status.clone(),
        q: q.q.clone(),
        period: q.period.clone(),
        period_mode: q.period_mode.clone(),
        limit: None,
        offset: None,
    };
    let f = task_filter(&user, &tq)?;
    let counts = store::task::status_counts(
        &state.db,
        &TaskFilter {
            status: None,
            ..f.clone()
        },
    )
    .await?;
    let (tasks, total) = store::task::list(
        &state.db,
        &f,
        Page::new(Some(PER), Some((page_no - 1) * PER)),
    )
    .await?;
    let status = q.status.clone().unwrap_or_default();
    let search = q.q.clone().unwrap_or_default();
    let href = |p: i64| {
        serde_urlencoded::to_string([
            ("status", status.as_str()),
            ("q", search.as_str()),
            ("period", q.period.as_deref().unwrap_or("")),
            ("period_mode", q.period_mode.as_deref().unwrap_or("")),
            ("trang", &p.to_string()),
        ])
        .map(|s| format!("/nhiem-vu?{s}"))
        .unwrap_or_default()
    };
    let (jar, flash) = take_flash(jar);
    let title = if status == "overdue" {
        "Danh sách nhiệm vụ quá hạn"
    } else {
        "Theo dõi nhiệm vụ"
    };
    let page = TasksPage {
        chrome: Chrome::new(&user, "/nhiem-vu", title, flash),
        rows: task_rows(&tasks),
        total,
        stats: Stats::of(&counts),
        prev_href: href(page_no - 1),
        next_href: href(page_no + 1),
        status,
        q: search,
        period: q.period.clone().unwrap_or_default(),
        period_mode: q.period_mode.clone().unwrap_or_default(),
        statuses: TaskStatus::ALL
            .iter()
            .map(|s| (s.code(), s.label()))
            .collect(),
        page: page_no,
        pages: ((total + PER - 1) / PER).max(1),
    };
    Ok((jar, Html(page.render()?)).into_response())
}

pub struct ReportView {
    pub r: store::task::Report,
    pub when: String,
    pub kind: &'static str,
    /// Evidence files (minh chứng) attached to the report.
    pub files: Vec<store::file::FileMeta>,
}

#[derive(Template)]
#[template(path = "task/detail.html")]
struct TaskPage {
    chrome: Chrome,
    t: TaskOut,
    deadline: String,
    original_deadline: String,
    submitted_on: String,
    supports: Vec<(i64, String, String)>,
    reports: Vec<ReportView>,
    can_report: bool,
    can_submit: bool,
    can_verify: bool,
    can_extend: bool,
    can_decide: bool,
    can_split: bool,
    split_deadline: String,
    split_agencies: Vec<(i64, String)>,
    children: Vec<TaskRow>,
    extensions: Vec<ExtensionView>,
    error: Option<String>,
}

pub struct ExtensionView {
    pub e: store::task::Extension,
    pub when: String,
    pub old: String,
    pub new: String,
    pub decision: &'static str,
}

async fn render_task(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    flash: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let p = &user.principal;
    let (t, supports) = visible(state, p, id).await?;
    let out = TaskOut::of(&t, today());
    let st = t.status(today());
    let reports = store::task::reports(&state.db, id).await?;
    let ids: Vec<i64> = reports.iter().map(|r| r.id).collect();
    let mut files = store::file::list_many(&state.db, "task_report", &ids).await?;
    let reports = reports
        .into_iter()
        .map(|r| ReportView {
            files: files.extract_if(.., |f| f.owner_id == r.id).collect(),
            when: datetime_vn(&r.created_at),
            kind: match r.kind.as_str() {
                "progress" => "Báo cáo tiến độ",
                "submit" => "Báo cáo hoàn thành",
                "accept" => "Xác nhận hoàn thành",
                "return" => "Trả lại",
                _ => "Khác",
            },
            r,
        })
        .collect();
    // A lead agency splits its task for the units and communes under it.
    let split_agencies: Vec<(i64, String)> = match (
        is_lead_reporter(p, &t),
        t.lead_path.as_deref(),
        t.period.is_none(),
    ) {
        (true, Some(lead_path), true) => {
            let (under, _) = store::agency::list(
                &state.db,
                &AgencyFilter {
                    scope_prefix: Some(lead_path.to_string()),
                    active: Some(true),
                    on_date: Some(t.deadline.unwrap_or_else(today)),
                    ..Default::default()
                },
                Page::all(),
            )
            .await?;
            under
                .into_iter()
                .filter(|a| Some(a.id) != t.lead_agency_id)
                .map(|a| (a.id, a.name))
                .collect()
        }
        _ => Vec::new(),
    };
    let (children, _) = store::task::list(
        &state.db,
        &TaskFilter {
            parent_id: Some(id),
            today: Some(today()),
            ..Default::default()
        },
        Page::new(Some(200), None),
    )
    .await?;
    let page = TaskPage {
        chrome: Chrome::new(user, "/nhiem-vu", format!("Nhiệm vụ #{id}"), flash),
        deadline: t
            .deadline
            .map(|d| date_vn(&d))
            .unwrap_or_else(|| "Không thời hạn".into()),
        original_deadline: t.original_deadline.map(|d| date_vn(&d)).unwrap_or_default(),
        submitted_on: t.submitted_on.map(|d| date_vn(&d)).unwrap_or_default(),
        can_report: !st.is_done() && reporting_agency(p, &t, &supports).is_some(),
        can_submit: t.submitted_on.is_none() && is_lead_reporter(p, &t),
        can_verify: st == TaskStatus::AwaitingVerification && p.can_verify_tasks(),
        can_extend: t.deadline.is_some() && t.submitted_on.is_none() && is_lead_reporter(p, &t),
        can_decide: p.can_verify_tasks(),
        can_split: !split_agencies.is_empty(),
        split_deadline: t.deadline.map(|d| date_vn(&d)).unwrap_or_default(),
        split_agencies,
        children: task_rows(&children),
        extensions: store::task::extensions(&state.db, id)
            .await?
            .into_iter()
            .map(|e| ExtensionView {
                when: datetime_vn(&e.requested_at),
                old: e.old_deadline.map(|d| date_vn(&d)).unwrap_or_default(),
                new: date_vn(&e.new_deadline),
                decision: match e.decision.as_str() {
                    "approved" => "Đồng ý",
                    "refused" => "Không đồng ý",
                    _ => "Chờ quyết định",
                },
                e,
            })
            .collect(),
        supports,
        reports,
        t: out,
        error,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn task(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (jar, flash) = take_flash(jar);
    let res = render_task(&state, &user, parse_id(&id)?, flash, None, StatusCode::OK).await?;
    Ok((jar, res).into_response())
}

#[derive(Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    note: String,
    #[serde(default)]
    accept: String,
}

async fn run(
    state: AppState,
    user: CurrentUser,
    jar: CookieJar,
    id: String,
    action: Action,
    done: &str,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let r = act(&state, &user, id, action).await.map(|_| ());
    after(state, user, jar, id, r, done).await
}

pub async fn post_progress(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    Posted(up): Posted,
) -> Result<Response, AppError> {
    let percent = up.field("percent").trim().parse::<i32>().unwrap_or(-1);
    run(
        state,
        user,
        jar,
        id,
        Action::Progress {
            percent,
            note: up.field("note"),
            files: up.files,
        },
        "Đã gửi báo cáo tiến độ.",
    )
    .await
}

pub async fn post_submit(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    Posted(up): Posted,
) -> Result<Response, AppError> {
    run(
        state,
        user,
        jar,
        id,
        Action::Submit {
            note: up.field("note"),
            files: up.files,
        },
        "Đã báo cáo hoàn thành; nhiệm vụ chờ xác nhận.",
    )
    .await
}

pub async fn post_verify(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    PageForm(f): PageForm<ActionForm>,
) -> Result<Response, AppError> {
    let accept = f.accept == "1";
    let msg = if accept {
        "Đã xác nhận hoàn thành."
    } else {
        "Đã trả lại báo cáo hoàn thành."
    };
    run(
        state,
        user,
        jar,
        id,
        Action::Verify {
            accept,
            note: f.note,
        },
        msg,
    )
    .await
}

#[derive(Deserialize)]
pub struct ExtensionForm {
    #[serde(default)]
    new_deadline: String,
    #[serde(default)]
    reason: String,
}

async fn after(
    state: AppState,
    user: CurrentUser,
    jar: CookieJar,
    id: i64,
    r: Result<(), app::ServiceError>,
    done: &str,
) -> Result<Response, AppError> {
    match r {
        Ok(()) => Ok((
            set_flash(jar, done),
            Redirect::to(&format!("/nhiem-vu/{id}")),
        )
            .into_response()),
        Err(app::ServiceError::Invalid(errs)) => {
            let msg = errs
                .iter()
                .map(|e| e.message.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            render_task(
                &state,
                &user,
                id,
                None,
                Some(msg),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(app::ServiceError::Conflict(msg) | app::ServiceError::Stale(msg)) => {
            render_task(&state, &user, id, None, Some(msg), StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn post_extension(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    PageForm(f): PageForm<ExtensionForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let r = super::ask_extension(&state, &user, id, &f.new_deadline, &f.reason)
        .await
        .map(|_| ());
    after(state, user, jar, id, r, "Đã gửi đề nghị gia hạn.").await
}

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    approve: String,
    #[serde(default)]
    note: String,
}

pub async fn post_decision(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path((id, eid)): Path<(String, String)>,
    PageForm(f): PageForm<DecisionForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let approve = f.approve == "1";
    let r = super::decide_extension(&state, &user, id, parse_id(&eid)?, approve, &f.note)
        .await
        .map(|_| ());
    let msg = if approve {
        "Đã đồng ý gia hạn; hạn mới có hiệu lực."
    } else {
        "Đã không đồng ý gia hạn."
    };
    after(state, user, jar, id, r, msg).await
}

pub struct AgencyStatRow {
    pub s: super::api::AgencyStats,
    pub rate: String,
}

#[derive(Template)]
#[template(path = "task/stats_page.html")]
struct StatsPage {
    chrome: Chrome,
    rows: Vec<AgencyStatRow>,
    stats: Stats,
    directives: Vec<(i64, String)>,
    directive_id: String,
    period: String,
    period_mode: String,
    query: String,
}

impl StatsPage {
    fn rate(&self) -> String {
        rate_text(self.stats.completion_rate)
    }
}

fn rate_text(r: Option<f64>) -> String {
    r.map(|r| format!("{}%", r.to_string().replace('.', ",")))
        .unwrap_or_else(|| "–".into())
}

#[derive(Deserialize, Default)]
pub struct StatsQuery {
    directive_id: Option<String>,
    period: Option<String>,
    period_mode: Option<String>,
}

fn stats_filter(user: &CurrentUser, q: &StatsQuery) -> Result<TaskFilter, AppError> {
    let tq = TaskQuery {
        parent_id: None,
        directive_id: crate::extract::opt_i64(&q.directive_id, "Văn bản")?,
        agency_id: None,
        status: None,
        q: None,
        period: q.period.clone(),
        period_mode: q.period_mode.clone(),
        limit: None,
        offset: None,
    };
    task_filter(user, &tq)
}

pub async fn stats_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<StatsQuery>,
) -> Result<Response, AppError> {
    let f = stats_filter(&user, &q)?;
    let rows = super::api::stats_by_agency(&state, &f)
        .await?
        .into_iter()
        .map(|s| AgencyStatRow {
            rate: rate_text(s.stats.completion_rate),
            s,
        })
        .collect();
    let stats = Stats::of(&store::task::status_counts(&state.db, &f).await?);
    let (dirs, _) = store::directive::list(
        &state.db,
        user.principal.scope().prefix(),
        None,
        Page::new(Some(200), None),
    )
    .await?;
    let query = serde_urlencoded::to_string([
        ("directive_id", q.directive_id.clone().unwrap_or_default()),
        ("period", q.period.clone().unwrap_or_default()),
        ("period_mode", q.period_mode.clone().unwrap_or_default()),
    ])
    .unwrap_or_default();
    let page = StatsPage {
        chrome: Chrome::new(&user, "/nhiem-vu", "Thống kê thực hiện nhiệm vụ", None),
        rows,
        stats,
        directives: dirs
            .into_iter()
            .map(|d| {
                (
                    d.id,
                    format!(
                        "{} – {}",
                        d.number,
                        d.subject.chars().take(60).collect::<String>()
                    ),
                )
            })
            .collect(),
        directive_id: q.directive_id.clone().unwrap_or_default(),
        period: q.period.clone().unwrap_or_default(),
        period_mode: q.period_mode.clone().unwrap_or_default(),
        query,
    };
    Ok(Html(page.render()?).into_response())
}

fn header(user: &CurrentUser, title: &str, subtitle: Option<String>) -> reports::DocHeader {
    reports::DocHeader {
        issuer_parent: "UBND TỈNH NGHỆ AN".into(),
        issuer: user.agency_name.to_uppercase(),
        place: "Nghệ An".into(),
        date: today(),
        title: title.into(),
        subtitle,
    }
}

fn xlsx(bytes: Vec<u8>, name: &str) -> Response {
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// The per-agency statistics as an Excel file with a native chart.
pub async fn stats_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<StatsQuery>,
) -> Result<Response, AppError> {
    let f = stats_filter(&user, &q)?;
    let rows: Vec<reports::StatRow> = super::api::stats_by_agency(&state, &f)
        .await?
        .into_iter()
        .map(|s| reports::StatRow {
            label: s.agency_name,
            assigned: s.stats.assigned,
            done_on_time: s.stats.done_on_time,
            done_late: s.stats.done_late,
            awaiting: s.stats.awaiting_verification,
            in_progress: s.stats.in_progress,
            overdue: s.stats.overdue,
            rate: s.stats.completion_rate,
        })
        .collect();
    let subtitle = q.period.clone().filter(|p| !p.is_empty()).map(|p| {
        if q.period_mode.as_deref() == Some("window") {
            format!("Kỳ báo cáo: {p} (từ ngày 15 tháng trước đến ngày 14)")
        } else {
            format!("Kỳ: {p}")
        }
    });
    let bytes = reports::stats_xlsx(
        &header(&user, "THỐNG KÊ KẾT QUẢ THỰC HIỆN NHIỆM VỤ", subtitle),
        &rows,
    )
    .map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
    Ok(xlsx(bytes, "thong-ke-nhiem-vu.xlsx"))
}

/// The task list (same filters as the page) in the appendix layout.
pub async fn tasks_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<TasksQuery>,
) -> Result<Response, AppError> {
    let tq = TaskQuery {
        parent_id: None,
        directive_id: None,
        agency_id: None,
        status: q.status.clone(),
        q: q.q.clone(),
        period: q.period.clone(),
        period_mode: q.period_mode.clone(),
        limit: None,
        offset: None,
    };
    let f = task_filter(&user, &tq)?;
    let (tasks, _) = store::task::list(&state.db, &f, Page::new(Some(20_000), None)).await?;
    let mut rows = Vec::with_capacity(tasks.len());
    for (i, r) in task_rows(&tasks).into_iter().enumerate() {
        let support = store::task::supports(&state.db, r.t.id)
            .await?
            .into_iter()
            .map(|(_, n, _)| n)
            .collect::<Vec<_>>()
            .join("; ");
        rows.push(reports::TaskRow {
            stt: (i + 1).to_string(),
            content: r.t.content.clone(),
            lead: r.lead.clone(),
            support,
            deadline_text: r.deadline.clone(),
            status: r.t.status_label.clone(),
            percent: r.t.percent,
            days_late: r.t.days_late,
            note: format!("{} (#{})", r.t.directive_number, r.t.id),
        });
    }
    let title = if q.status.as_deref() == Some("overdue") {
        "DANH SÁCH NHIỆM VỤ QUÁ HẠN"
    } else {
        "DANH SÁCH NHIỆM VỤ"
    };
    let bytes = reports::tasks_xlsx(&header(&user, title, None), &rows)
        .map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
    Ok(xlsx(bytes, "nhiem-vu.xlsx"))
}

#[derive(Deserialize)]
pub struct SplitForm {
    #[serde(default)]
    content: String,
    #[serde(default)]
    lead_agency_id: String,
    #[serde(default)]
    deadline: String,
}

/// Giao nhiệm vụ con: the lead agency splits its task for a unit under it.
pub async fn post_split(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    PageForm(f): PageForm<SplitForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let (parent, _) = visible(&state, &user.principal, id).await?;
    let r = match f.lead_agency_id.trim().parse::<i64>() {
        Ok(lead) => super::assign(
            &state,
            &user,
            super::TaskBody {
                directive_id: parent.directive_id,
                content: f.content,
                lead_agency_id: lead,
                support_agency_ids: Vec::new(),
                deadline: Some(f.deadline).filter(|d| !d.trim().is_empty()),
                deadline_text: None,
                recurrence: None,
                item_ref: parent.item_ref.clone(),
                parent_id: Some(id),
            },
        )
        .await
        .map(|_| ()),
        Err(_) => Err(app::ServiceError::invalid(
            "lead_agency_id",
            "Chưa chọn đơn vị thực hiện nhiệm vụ con.",
        )),
    };
    after(state, user, jar, id, r, "Đã giao nhiệm vụ con.").await
}

/// `POST /van-ban/{id}/tep`: attach the signed copy or other files of a directive
/// (assigning offices only).
pub async fn post_directive_files(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    mp: Multipart,
) -> Result<Response, AppError> {
    let d = visible_directive(&state, &user, parse_id(&id)?).await?;
    let up = Upload::read(mp, "files").await?;
    super::api::attach_directive_files(&state, &user, &d, up.files).await?;
    let jar = set_flash(jar, "Đã đính kèm tệp văn bản.");
    Ok((jar, Redirect::to(&format!("/van-ban/{}", d.id))).into_response())
}
