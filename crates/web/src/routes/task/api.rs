//! `/api/v1/directives` and `/api/v1/tasks`.

use axum::Json;
use axum::extract::FromRequest;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use domain::task::TaskStatus;
use domain::validate::Checker;
use serde::{Deserialize, Serialize};
use store::Page;
use store::directive::{Citation, DirectiveInput};
use store::task::TaskFilter;

use super::{Action, TaskBody, act_seen, ask_extension, assign, decide_extension};
use super::{Stats, TaskOut, today, visible};
use crate::auth::CurrentUser;
use crate::extract::{ApiJson, Q};
use crate::routes::{ListOf, parse_id};
use crate::{AppError, AppState};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DirectiveOut {
    pub id: i64,
    pub number: String,
    #[serde(rename = "type")]
    pub doc_type: String,
    pub issuer: String,
    pub place: Option<String>,
    pub date: NaiveDate,
    pub subject: String,
    pub signer_name: Option<String>,
    pub signer_title: Option<String>,
    pub signer_authority: Option<String>,
    pub recipients: Vec<String>,
}

impl From<&store::directive::Directive> for DirectiveOut {
    fn from(d: &store::directive::Directive) -> Self {
        DirectiveOut {
            id: d.id,
            number: d.number.clone(),
            doc_type: d.doc_type.clone(),
            issuer: d.issuer.clone(),
            place: d.place.clone(),
            date: d.issued_on,
            subject: d.subject.clone(),
            signer_name: d.signer_name.clone(),
            signer_title: d.signer_title.clone(),
            signer_authority: d.signer_authority.clone(),
            recipients: d.recipients(),
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct DirectiveQuery {
    /// Number, type, issuer or subject, with or without diacritics.
    pub q: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Directives visible to the caller (province-wide, or those giving their unit a task).
#[utoipa::path(get, path = "/api/v1/directives", tag = "directives", params(DirectiveQuery), security(("bearer" = [])),
    responses((status = 200, body = ListOf<DirectiveOut>)))]
pub async fn list_directives(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<DirectiveQuery>,
) -> Result<Json<ListOf<DirectiveOut>>, AppError> {
    let page = Page::new(q.limit, q.offset);
    let scope = user.principal.scope();
    let (items, total) =
        store::directive::list(&state.db, scope.prefix(), q.q.as_deref(), page).await?;
    Ok(Json(ListOf {
        items: items.iter().map(DirectiveOut::from).collect(),
        total,
        limit: page.limit,
        offset: page.offset,
    }))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DirectiveDetail {
    pub directive: DirectiveOut,
    /// Documents this one cites, encloses or implements.
    pub citations: Vec<CitationOut>,
    /// Registered directives that cite or enclose this one.
    pub cited_by: Vec<CitationOut>,
    /// Task statistics within the caller's scope.
    pub stats: Stats,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CitationOut {
    pub number: String,
    pub directive_id: Option<i64>,
    /// cites, encloses, implements
    pub relation: String,
}

/// Load a directive the caller may see.
pub async fn visible_directive(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<store::directive::Directive, AppError> {
    let d = store::directive::get(&state.db, id).await?;
    let scope = user.principal.scope();
    if let Some(prefix) = scope.prefix() {
        let f = TaskFilter {
            scope_prefix: Some(prefix.to_string()),
            directive_id: Some(id),
            ..Default::default()
        };
        let (_, n) = store::task::list(&state.db, &f, Page::new(Some(1), None)).await?;
        if n == 0 {
            return Err(AppError::NotFound);
        }
    }
    Ok(d)
}

/// One directive with its citations and task statistics.
#[utoipa::path(get, path = "/api/v1/directives/{id}", tag = "directives", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = DirectiveDetail), (status = 404)))]
pub async fn get_directive(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<DirectiveDetail>, AppError> {
    let d = visible_directive(&state, &user, parse_id(&id)?).await?;
    let citations = store::directive::citations(&state.db, d.id).await?;
    let cited_by = store::directive::cited_by(&state.db, d.id).await?;
    let f = TaskFilter {
        scope_prefix: user.principal.scope().prefix().map(str::to_string),
        directive_id: Some(d.id),
        ..Default::default()
    };
    let counts = store::task::status_counts(&state.db, &f).await?;
    Ok(Json(DirectiveDetail {
        directive: DirectiveOut::from(&d),
        citations: citations
            .into_iter()
            .map(|c: Citation| CitationOut {
                number: c.cited_number,
                directive_id: c.cited_directive_id,
                relation: c.relation,
            })
            .collect(),
        cited_by: cited_by
            .into_iter()
            .map(|(id, number, relation)| CitationOut {
                number,
                directive_id: Some(id),
                relation,
            })
            .collect(),
        stats: Stats::of(&counts),
    }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct DirectiveBody {
    pub number: String,
    #[serde(rename = "type")]
    pub doc_type: String,
    pub issuer: String,
    pub place: Option<String>,
    /// YYYY-MM-DD or dd/mm/yyyy
    pub date: String,
    pub subject: String,
    pub signer_name: Option<String>,
    pub signer_title: Option<String>,
    pub signer_authority: Option<String>,
    #[serde(default)]
    pub recipients: Vec<String>,
    #[serde(default)]
    pub cited_documents: Vec<String>,
}

/// Register a directive (offices that assign tasks).
#[utoipa::path(post, path = "/api/v1/directives", tag = "directives", request_body = DirectiveBody, security(("bearer" = [])),
    responses((status = 201, body = DirectiveOut), (status = 403), (status = 409), (status = 422)))]
pub async fn create_directive(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(b): ApiJson<DirectiveBody>,
) -> Result<(StatusCode, Json<DirectiveOut>), AppError> {
    if !user.principal.can_assign_tasks() {
        return Err(AppError::forbidden());
    }
    let mut c = Checker::new();
    let number = c.required("number", "Số, ký hiệu", &b.number, 60);
    let doc_type = c.required("type", "Loại văn bản", &b.doc_type, 60);
    let issuer = c.required("issuer", "Cơ quan ban hành", &b.issuer, 255);
    let place = c.optional("place", "Địa danh", b.place.as_deref(), 100);
    let date = if b.date.trim().is_empty() {
        c.fail("date", "Ngày ban hành không được để trống.");
        None
    } else {
        c.date("date", "Ngày ban hành", &b.date)
    };
    let subject = c.required("subject", "Trích yếu", &b.subject, 2000);
    let signer_name = c.optional("signer_name", "Người ký", b.signer_name.as_deref(), 120);
    let signer_title = c.optional(
        "signer_title",
        "Chức vụ người ký",
        b.signer_title.as_deref(),
        120,
    );
    let signer_authority = c.optional(
        "signer_authority",
        "Thẩm quyền ký",
        b.signer_authority.as_deref(),
        10,
    );
    if let Some(a) = &signer_authority
        && !["TM.", "KT.", "Q.", "TL.", "TUQ.", "TM.+KT."].contains(&a.as_str())
    {
        c.fail(
            "signer_authority",
            "Thẩm quyền ký phải là TM., KT., Q., TL., TUQ. hoặc TM.+KT.",
        );
    }
    let recipients: Vec<String> = b
        .recipients
        .iter()
        .filter_map(|r| c.optional("recipients", "Nơi nhận", Some(r), 255))
        .collect();
    let citations: Vec<(String, String)> = b
        .cited_documents
        .iter()
        .filter_map(|r| c.optional("cited_documents", "Văn bản dẫn chiếu", Some(r), 60))
        .map(|n| (n, "cites".into()))
        .collect();
    let (true, Some(issued_on)) = (c.is_ok(), date) else {
        return Err(AppError::Validation(c.errors));
    };
    let input = DirectiveInput {
        number,
        doc_type,
        issuer,
        place,
        issued_on,
        subject,
        signer_name,
        signer_title,
        signer_authority,
        recipients,
        citations,
    };
    let d = super::register_directive(&state, &user, &input).await?;
    Ok((StatusCode::CREATED, Json(DirectiveOut::from(&d))))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
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
) -> Result<(Option<NaiveDate>, Option<NaiveDate>), AppError> {
    let mode = match mode.map(str::trim).unwrap_or("") {
        "" | "calendar" => domain::calendar::PeriodMode::Calendar,
        "window" => domain::calendar::PeriodMode::ReportingWindow,
        _ => {
            return Err(AppError::bad(
                "Cách tính kỳ không hợp lệ (calendar: theo lịch; window: kỳ báo cáo từ ngày 15 tháng trước đến ngày 14).",
            ));
        }
    };
    match period.map(str::trim).filter(|p| !p.is_empty()) {
        None => Ok((None, None)),
        Some(p) => {
            let period: domain::calendar::Period = p.parse().map_err(|_| {
                AppError::bad("Kỳ không hợp lệ (ví dụ: 2023-10, 2023-Q3, 2023-H2, 2023).")
            })?;
            let (from, to) = period
                .range(mode)
                .map_err(|_| AppError::bad("Kỳ nằm ngoài phạm vi lịch."))?;
            Ok((Some(from), Some(to)))
        }
    }
}

pub fn task_filter(user: &CurrentUser, q: &TaskQuery) -> Result<TaskFilter, AppError> {
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(
            TaskStatus::parse(s)
                .ok_or_else(|| AppError::bad("Trạng thái nhiệm vụ không hợp lệ."))?,
        ),
        None => None,
    };
    let (deadline_from, deadline_to) = period_range(q.period.as_deref(), q.period_mode.as_deref())?;
    Ok(TaskFilter {
        scope_prefix: user.principal.scope().prefix().map(str::to_string),
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

/// Tasks visible to the caller (lead or support in their scope), with derived status.
#[utoipa::path(get, path = "/api/v1/tasks", tag = "tasks", params(TaskQuery), security(("bearer" = [])),
    responses((status = 200, body = ListOf<TaskOut>), (status = 400)))]
pub async fn list_tasks(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<TaskQuery>,
) -> Result<Json<ListOf<TaskOut>>, AppError> {
    let page = Page::new(q.limit, q.offset);
    let f = task_filter(&user, &q)?;
    let (items, total) = store::task::list(&state.db, &f, page).await?;
    let t = today();
    Ok(Json(ListOf {
        items: items.iter().map(|x| TaskOut::of(x, t)).collect(),
        total,
        limit: page.limit,
        offset: page.offset,
    }))
}

/// Statistics of the visible tasks: assigned, on time, late, in progress, overdue, rate.
#[utoipa::path(get, path = "/api/v1/tasks/stats", tag = "tasks", params(TaskQuery), security(("bearer" = [])),
    responses((status = 200, body = Stats)))]
pub async fn task_stats(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<TaskQuery>,
) -> Result<Json<Stats>, AppError> {
    let f = task_filter(&user, &q)?;
    Ok(Json(Stats::of(
        &store::task::status_counts(&state.db, &f).await?,
    )))
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

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReportOut {
    pub agency_name: String,
    pub username: Option<String>,
    /// progress, submit, accept, return
    pub kind: String,
    pub percent: Option<i32>,
    pub note: String,
    pub at: chrono::DateTime<chrono::Utc>,
    /// Evidence files (minh chứng) of this report.
    pub files: Vec<FileOut>,
}

async fn detail(state: &AppState, user: &CurrentUser, id: i64) -> Result<TaskDetail, AppError> {
    let (t, supports) = visible(state, &user.principal, id).await?;
    let reports = store::task::reports(&state.db, id).await?;
    let ids: Vec<i64> = reports.iter().map(|r| r.id).collect();
    let mut files = store::file::list_many(&state.db, "task_report", &ids).await?;
    Ok(TaskDetail {
        task: TaskOut::of(&t, today()),
        support: supports
            .into_iter()
            .map(|(agency_id, name, _)| SupportOut { agency_id, name })
            .collect(),
        reports: reports
            .into_iter()
            .map(|r| ReportOut {
                files: FileList::of(files.extract_if(.., |f| f.owner_id == r.id).collect()).items,
                agency_name: r.agency_name,
                username: r.username,
                kind: r.kind,
                percent: r.percent,
                note: r.note,
                at: r.created_at,
            })
            .collect(),
        extensions: store::task::extensions(&state.db, id)
            .await?
            .into_iter()
            .map(ExtensionOut::from)
            .collect(),
    })
}

/// One task with its supporting agencies and report history (404 outside the scope).
#[utoipa::path(get, path = "/api/v1/tasks/{id}", tag = "tasks", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = TaskDetail), (status = 404)))]
pub async fn get_task(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<TaskDetail>, AppError> {
    Ok(Json(detail(&state, &user, parse_id(&id)?).await?))
}

/// Assign a task. Assigning offices assign to any agency; a lead agency may split its own
/// task into sub-tasks for agencies inside its subtree.
#[utoipa::path(post, path = "/api/v1/tasks", tag = "tasks", request_body = TaskBody, security(("bearer" = [])),
    responses((status = 201, body = TaskOut), (status = 403), (status = 422)))]
pub async fn create_task(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(b): ApiJson<TaskBody>,
) -> Result<(StatusCode, Json<TaskOut>), AppError> {
    let t = assign(&state, &user, b).await?;
    Ok((StatusCode::CREATED, Json(TaskOut::of(&t, today()))))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ReportBody {
    /// 0–100
    pub percent: i32,
    pub note: String,
    /// The task's `updated_at` as the caller last saw it; when the task changed since, the
    /// report is refused (409) instead of overwriting what the caller never saw.
    pub expected_updated_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NoteBody {
    #[serde(default)]
    pub note: String,
    /// The task's `updated_at` as the caller last saw it; when the task changed since, the
    /// report is refused (409) instead of overwriting what the caller never saw.
    pub expected_updated_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct VerifyBody {
    /// true: accept the completion; false: return it (reason required).
    pub accept: bool,
    #[serde(default)]
    pub note: String,
    /// The task's `updated_at` as the caller last saw it; when the task changed since, the
    /// report is refused (409) instead of overwriting what the caller never saw.
    pub expected_updated_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Report progress on a task (lead or supporting agency). JSON, or `multipart/form-data`
/// with fields `percent`, `note` and evidence files in `files` (up to 10, 15 MB each).
#[utoipa::path(post, path = "/api/v1/tasks/{id}/reports", tag = "tasks", request_body = ReportBody, security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = TaskOut), (status = 400), (status = 403), (status = 404), (status = 422)))]
pub async fn report(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    req: axum::extract::Request,
) -> Result<Json<TaskOut>, AppError> {
    let id = parse_id(&id)?;
    let (action, seen) = if crate::upload::is_multipart(&req) {
        let mp = axum::extract::Multipart::from_request(req, &state)
            .await
            .map_err(|_| AppError::bad("Dữ liệu multipart không hợp lệ."))?;
        let up = crate::upload::Upload::read(mp, "files").await?;
        let seen = crate::extract::opt_instant(&up.field("expected_updated_at"))?;
        let action = Action::Progress {
            percent: up.field("percent").trim().parse::<i32>().unwrap_or(-1),
            note: up.field("note"),
            files: up.files,
        };
        (action, seen)
    } else {
        let ApiJson(b) = ApiJson::<ReportBody>::from_request(req, &state).await?;
        let action = Action::Progress {
            percent: b.percent,
            note: b.note,
            files: Vec::new(),
        };
        (action, b.expected_updated_at)
    };
    let t = act_seen(&state, &user, id, action, seen).await?;
    Ok(Json(TaskOut::of(&t, today())))
}

/// Submit a task as done (lead agency); it then awaits verification.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/submit", tag = "tasks", request_body = NoteBody, security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = TaskOut), (status = 403), (status = 409)))]
pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<NoteBody>,
) -> Result<Json<TaskOut>, AppError> {
    let t = act_seen(
        &state,
        &user,
        parse_id(&id)?,
        Action::Submit {
            note: b.note,
            files: Vec::new(),
        },
        b.expected_updated_at,
    )
    .await?;
    Ok(Json(TaskOut::of(&t, today())))
}

/// Accept or return a submitted completion (assigning offices).
#[utoipa::path(post, path = "/api/v1/tasks/{id}/verify", tag = "tasks", request_body = VerifyBody, security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = TaskOut), (status = 403), (status = 409), (status = 422)))]
pub async fn verify(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<VerifyBody>,
) -> Result<Json<TaskOut>, AppError> {
    let t = act_seen(
        &state,
        &user,
        parse_id(&id)?,
        Action::Verify {
            accept: b.accept,
            note: b.note,
        },
        b.expected_updated_at,
    )
    .await?;
    Ok(Json(TaskOut::of(&t, today())))
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

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ExtensionBody {
    /// YYYY-MM-DD or dd/mm/yyyy, later than the deadline in force.
    pub new_deadline: String,
    pub reason: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct DecisionBody {
    pub approve: bool,
    #[serde(default)]
    pub note: String,
}

/// Ask for a later deadline (lead agency). The original deadline stays on record.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/extensions", tag = "tasks", request_body = ExtensionBody, security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 201, body = ExtensionOut), (status = 403), (status = 409), (status = 422)))]
pub async fn request_extension(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ExtensionBody>,
) -> Result<(StatusCode, Json<ExtensionOut>), AppError> {
    let e = ask_extension(&state, &user, parse_id(&id)?, &b.new_deadline, &b.reason).await?;
    Ok((StatusCode::CREATED, Json(e.into())))
}

/// Approve or refuse an extension (assigning offices); approval moves the deadline in force.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/extensions/{extension_id}/decision", tag = "tasks", request_body = DecisionBody,
    security(("bearer" = [])), params(("id" = i64, Path), ("extension_id" = i64, Path)),
    responses((status = 200, body = ExtensionOut), (status = 403), (status = 404), (status = 409)))]
pub async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, eid)): Path<(String, String)>,
    ApiJson(b): ApiJson<DecisionBody>,
) -> Result<Json<ExtensionOut>, AppError> {
    let e = decide_extension(
        &state,
        &user,
        parse_id(&id)?,
        parse_id(&eid)?,
        b.approve,
        &b.note,
    )
    .await?;
    Ok(Json(e.into()))
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
    state: &AppState,
    f: &TaskFilter,
) -> Result<Vec<AgencyStats>, AppError> {
    let rows = store::task::status_counts_by_lead(&state.db, f).await?;
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

/// Statistics per lead agency (ranked by completion rate) for a directive and/or period.
#[utoipa::path(get, path = "/api/v1/tasks/stats/by-agency", tag = "tasks", params(TaskQuery), security(("bearer" = [])),
    responses((status = 200, body = Vec<AgencyStats>)))]
pub async fn stats_by_agency_api(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<TaskQuery>,
) -> Result<Json<Vec<AgencyStats>>, AppError> {
    let f = task_filter(&user, &q)?;
    Ok(Json(stats_by_agency(&state, &f).await?))
}

/// Attaches files to a directive, for users who may register directives.
pub async fn attach_directive_files(
    state: &AppState,
    user: &CurrentUser,
    d: &store::directive::Directive,
    files: Vec<store::file::NewFile>,
) -> Result<(), AppError> {
    if !user.principal.can_assign_tasks() {
        return Err(AppError::forbidden());
    }
    if files.is_empty() {
        return Err(AppError::bad("Chưa chọn tệp nào để đính kèm."));
    }
    store::file::attach(
        &state.db,
        store::file::Owner::Directive(d.id),
        &files,
        &user.actor(),
        format!("Đính kèm {} tệp vào văn bản {}", files.len(), d.number),
    )
    .await?;
    Ok(())
}

/// Files attached to a directive.
#[utoipa::path(get, path = "/api/v1/directives/{id}/files", tag = "directives", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = FileList), (status = 404)))]
pub async fn directive_files(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<FileList>, AppError> {
    let d = visible_directive(&state, &user, parse_id(&id)?).await?;
    let items = store::file::list(&state.db, store::file::Owner::Directive(d.id)).await?;
    Ok(Json(FileList::of(items)))
}

/// Attach files to a directive (`multipart/form-data`, files in `files`).
#[utoipa::path(post, path = "/api/v1/directives/{id}/files", tag = "directives", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = FileList), (status = 400), (status = 403), (status = 404)))]
pub async fn post_directive_files(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    mp: axum::extract::Multipart,
) -> Result<Json<FileList>, AppError> {
    let d = visible_directive(&state, &user, parse_id(&id)?).await?;
    let up = crate::upload::Upload::read(mp, "files").await?;
    attach_directive_files(&state, &user, &d, up.files).await?;
    let items = store::file::list(&state.db, store::file::Owner::Directive(d.id)).await?;
    Ok(Json(FileList::of(items)))
}

/// Attached files; download each at `/api/v1/files/{id}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FileList {
    pub items: Vec<FileOut>,
    pub total: i64,
}

/// One attached file.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FileOut {
    pub id: i64,
    pub name: String,
    pub media_type: String,
    pub size: i64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// A paper document digitised at intake (dossiers).
    pub digitized: bool,
    pub uploaded_at: chrono::DateTime<chrono::Utc>,
    /// Where to download it.
    pub url: String,
}

impl FileList {
    pub fn of(files: Vec<store::file::FileMeta>) -> FileList {
        FileList {
            total: files.len() as i64,
            items: files
                .into_iter()
                .map(|f| FileOut {
                    url: format!("/api/v1/files/{}", f.id),
                    id: f.id,
                    name: f.name,
                    media_type: f.media_type,
                    size: f.size,
                    sha256: f.sha256,
                    digitized: f.digitized,
                    uploaded_at: f.uploaded_at,
                })
                .collect(),
        }
    }
}
