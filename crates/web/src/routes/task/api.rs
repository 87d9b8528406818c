//! `/api/v1/directives` and `/api/v1/tasks`.

use axum::Json;
use axum::extract::FromRequest;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use store::Page;

pub use app::directive::{CitationOut, DirectiveBody, DirectiveDetail, DirectiveOut};
pub use app::file::{FileList, FileOut};

use super::{Action, TaskBody, act_seen, ask_extension, assign, decide_extension};
pub use super::{AgencyStats, ExtensionOut, Stats, TaskDetail, TaskOut, TaskQuery};
use super::{detail, filter, stats_by_agency, today};
use crate::auth::CurrentUser;
use crate::extract::{ApiJson, Q};
use crate::routes::{ListOf, parse_id};
use crate::{AppError, AppState};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
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
    let (items, total) =
        app::directive::list(&state, &user.principal, q.q.as_deref(), page).await?;
    Ok(Json(ListOf {
        items: items.iter().map(DirectiveOut::from).collect(),
        total,
        limit: page.limit,
        offset: page.offset,
    }))
}

/// One directive with its citations and task statistics.
#[utoipa::path(get, path = "/api/v1/directives/{id}", tag = "directives", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = DirectiveDetail), (status = 404)))]
pub async fn get_directive(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<DirectiveDetail>, AppError> {
    Ok(Json(
        app::directive::detail(&state, &user.principal, parse_id(&id)?).await?,
    ))
}

/// Register a directive (offices that assign tasks).
#[utoipa::path(post, path = "/api/v1/directives", tag = "directives", request_body = DirectiveBody, security(("bearer" = [])),
    responses((status = 201, body = DirectiveOut), (status = 403), (status = 409), (status = 422)))]
pub async fn create_directive(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(b): ApiJson<DirectiveBody>,
) -> Result<(StatusCode, Json<DirectiveOut>), AppError> {
    let d = app::directive::create(&state, &user, &b).await?;
    Ok((StatusCode::CREATED, Json(DirectiveOut::from(&d))))
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
    let f = filter(&user.principal, &q)?;
    let (items, total) = app::task::list(&state, &f, page).await?;
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
    let f = filter(&user.principal, &q)?;
    Ok(Json(app::task::stats(&state, &f).await?))
}

/// One task with its supporting agencies and report history (404 outside the scope).
#[utoipa::path(get, path = "/api/v1/tasks/{id}", tag = "tasks", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = TaskDetail), (status = 404)))]
pub async fn get_task(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<TaskDetail>, AppError> {
    Ok(Json(detail(&state, &user.principal, parse_id(&id)?).await?))
}

/// Assign a task. Assigning offices assign to any agency; a lead agency may split its own
/// task into sub-tasks for agencies inside its subtree.
#[utoipa::path(post, path = "/api/v1/tasks", tag = "tasks", request_body = TaskBody, security(("bearer" = [])),
    responses((status = 201, body = TaskOut), (status = 403), (status = 409), (status = 422)))]
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
    params(("id" = i64, Path)), responses((status = 200, body = TaskOut), (status = 400), (status = 403), (status = 404),
        (status = 409, description = "Nhiệm vụ đã hoàn thành, hoặc vừa được người khác cập nhật (`expected_updated_at`)"), (status = 422)))]
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

/// Statistics per lead agency (ranked by completion rate) for a directive and/or period.
#[utoipa::path(get, path = "/api/v1/tasks/stats/by-agency", tag = "tasks", params(TaskQuery), security(("bearer" = [])),
    responses((status = 200, body = Vec<AgencyStats>)))]
pub async fn stats_by_agency_api(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<TaskQuery>,
) -> Result<Json<Vec<AgencyStats>>, AppError> {
    let f = filter(&user.principal, &q)?;
    Ok(Json(stats_by_agency(&state, &f).await?))
}

/// Files attached to a directive.
#[utoipa::path(get, path = "/api/v1/directives/{id}/files", tag = "directives", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = FileList), (status = 404)))]
pub async fn directive_files(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<FileList>, AppError> {
    let items = app::directive::files(&state, &user.principal, parse_id(&id)?).await?;
    Ok(Json(FileList::of(items)))
}

/// The multipart form of an upload (documentation of what [`crate::upload::Upload`] reads).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct FilesForm {
    /// Up to 10 files of 15 MB each: PDF, Word, Excel, OpenDocument, text, CSV, JPEG,
    /// PNG, TIFF, ZIP, RAR.
    #[schema(value_type = Vec<String>, format = Binary)]
    pub files: Vec<Vec<u8>>,
}

/// Attach files to a directive (`multipart/form-data`, files in `files`).
#[utoipa::path(post, path = "/api/v1/directives/{id}/files", tag = "directives", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body(content = FilesForm, content_type = "multipart/form-data"),
    responses((status = 200, body = FileList), (status = 400), (status = 403), (status = 404), (status = 413), (status = 422)))]
pub async fn post_directive_files(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    mp: axum::extract::Multipart,
) -> Result<Json<FileList>, AppError> {
    let id = parse_id(&id)?;
    let up = crate::upload::Upload::read(mp, "files").await?;
    let items = app::directive::attach_files(&state, &user, id, up.files).await?;
    Ok(Json(FileList::of(items)))
}
