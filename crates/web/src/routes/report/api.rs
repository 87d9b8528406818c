//! `/api/v1/reports` — the units' periodic reports (product.md contract name): list with
//! filters and paging, one report with its fields, the writes of the lifecycle, the
//! province's sums, and opening / closing a period.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use domain::report::ReportAction;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use store::Page;

use super::*;
use crate::auth::CurrentUser;
use crate::extract::{ApiJson, Q};
use crate::routes::{ListOf, parse_id};
use crate::{AppError, AppState};

#[derive(Debug, Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// Template code: TTHC-THANG, CCHC-QUY, CCHC-NAM.
    pub template: Option<String>,
    /// 2023-10, 2023-Q3, 2023.
    pub period: Option<String>,
    /// Agency code: reports of that unit's subtree.
    pub unit: Option<String>,
    /// draft, submitted, accepted, returned.
    pub status: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

async fn detail(state: &AppState, user: &CurrentUser, id: i64) -> Result<ReportDetail, AppError> {
    let r = super::visible(state, &user.principal, id).await?;
    let v = super::view(state, r).await?;
    Ok(detail_of(&v, &user.principal))
}

impl ReportQuery {
    /// The search the query asks for.
    pub fn search(&self) -> ReportSearch {
        ReportSearch {
            template: self.template.clone(),
            period: self.period.clone(),
            unit: self.unit.clone(),
            status: self.status.clone(),
        }
    }
}

/// Reports visible to the caller (their agency subtree; the province for province roles).
#[utoipa::path(get, path = "/api/v1/reports", tag = "reports", params(ReportQuery), security(("bearer" = [])),
    responses((status = 200, body = ListOf<ReportOut>), (status = 400), (status = 404)))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<ReportQuery>,
) -> Result<Json<ListOf<ReportOut>>, AppError> {
    let page = Page::new(q.limit, q.offset);
    let (items, total) = super::list(&state, &user.principal, &q.search(), page).await?;
    Ok(Json(ListOf {
        items: items.iter().map(ReportOut::of).collect(),
        total,
        limit: page.limit,
        offset: page.offset,
    }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct OpenReport {
    pub template: String,
    pub period: String,
    /// Agency code.
    pub unit: String,
}

/// Opens a unit's report for a period (a draft and its due task); 200 with the existing
/// one if it was already open.
#[utoipa::path(post, path = "/api/v1/reports", tag = "reports", request_body = OpenReport, security(("bearer" = [])),
    responses((status = 201, body = ReportDetail), (status = 200, body = ReportDetail), (status = 400), (status = 403), (status = 404), (status = 409)))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(b): ApiJson<OpenReport>,
) -> Result<Response, AppError> {
    let (r, created) = super::open(
        &state,
        &user.principal,
        &user.actor(),
        &b.template,
        &b.period,
        &b.unit,
    )
    .await?;
    let d = detail(&state, &user, r.id).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(d)).into_response())
}

/// One report with its fields (computed ones live until the period is closed, frozen
/// after, with the corrections).
#[utoipa::path(get, path = "/api/v1/reports/{id}", tag = "reports", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = ReportDetail), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<ReportDetail>, AppError> {
    Ok(Json(detail(&state, &user, parse_id(&id)?).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SaveReport {
    /// Typed fields by key: numbers, text, dates (dd/mm/yyyy or ISO); `null` or "" clears.
    #[schema(value_type = Object)]
    pub values: serde_json::Map<String, Value>,
}

/// Saves typed values of a draft (or returned) report. 422 with a message per field and
/// nothing saved when any is invalid.
#[utoipa::path(put, path = "/api/v1/reports/{id}", tag = "reports", params(("id" = i64, Path)), request_body = SaveReport, security(("bearer" = [])),
    responses((status = 200, body = ReportDetail), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<SaveReport>,
) -> Result<Json<ReportDetail>, AppError> {
    let id = parse_id(&id)?;
    let input = super::input_of_json(&b.values)?;
    super::save(&state, &user.principal, &user.actor(), id, &input).await?;
    Ok(Json(detail(&state, &user, id).await?))
}

async fn act(
    state: AppState,
    user: CurrentUser,
    id: String,
    action: ReportAction,
    reason: Option<String>,
) -> Result<Json<ReportDetail>, AppError> {
    let id = parse_id(&id)?;
    super::act(
        &state,
        &user.principal,
        &user.actor(),
        id,
        action,
        reason.as_deref(),
    )
    .await?;
    Ok(Json(detail(&state, &user, id).await?))
}

/// Sends the report (the unit's head): every required field must be filled; the due
/// task is reported done.
#[utoipa::path(post, path = "/api/v1/reports/{id}/submit", tag = "reports", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = ReportDetail), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<ReportDetail>, AppError> {
    act(state, user, id, ReportAction::Submit, None).await
}

/// Accepts a sent report (the compiling office); the due task is verified.
#[utoipa::path(post, path = "/api/v1/reports/{id}/accept", tag = "reports", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = ReportDetail), (status = 403), (status = 404), (status = 409)))]
pub async fn accept(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<ReportDetail>, AppError> {
    act(state, user, id, ReportAction::Accept, None).await
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct Reason {
    pub reason: String,
}

/// Returns a sent report with a reason (the compiling office); the unit corrects and
/// sends again.
#[utoipa::path(post, path = "/api/v1/reports/{id}/return", tag = "reports", params(("id" = i64, Path)), request_body = Reason, security(("bearer" = [])),
    responses((status = 200, body = ReportDetail), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn return_report(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<Reason>,
) -> Result<Json<ReportDetail>, AppError> {
    act(state, user, id, ReportAction::Return, Some(b.reason)).await
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct Note {
    pub note: String,
}

/// Records the live numbers of a frozen report as a new revision (a correction; the
/// frozen numbers stay as they were).
#[utoipa::path(post, path = "/api/v1/reports/{id}/corrections", tag = "reports", params(("id" = i64, Path)), request_body = Note, security(("bearer" = [])),
    responses((status = 201, body = ReportDetail), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn correct(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<Note>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    super::correct(&state, &user.principal, &user.actor(), id, &b.note).await?;
    Ok((StatusCode::CREATED, Json(detail(&state, &user, id).await?)).into_response())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FileQuery {
    /// xlsx (default) or pdf.
    pub format: Option<String>,
    /// `freeze`: exactly the numbers frozen at closing, the same bytes every time.
    pub as_of: Option<String>,
}

/// The report as XLSX or PDF with the official header.
#[utoipa::path(get, path = "/api/v1/reports/{id}/file", tag = "reports", params(("id" = i64, Path), FileQuery), security(("bearer" = [])),
    responses((status = 200, description = "Tệp báo cáo (.xlsx hoặc .pdf theo `format`)",
        content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (Vec<u8> = "application/pdf"))),
        (status = 400), (status = 404), (status = 409)))]
pub async fn file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Q(q): Q<FileQuery>,
) -> Result<Response, AppError> {
    let r = super::visible(&state, &user.principal, parse_id(&id)?).await?;
    let freeze = match q.as_of.as_deref().unwrap_or("") {
        "" | "now" => false,
        "freeze" => true,
        _ => return Err(AppError::bad("as_of phải là freeze hoặc now.")),
    };
    let v = super::view(&state, r).await?;
    let doc = super::document(&v, freeze)?;
    let name = format!(
        "bao-cao-{}-{}-{}{}",
        v.report.template_code,
        v.report.agency_code,
        v.report.period,
        if freeze { "-khoa-so" } else { "" }
    );
    super::file_response(&doc, q.format.as_deref().unwrap_or("xlsx"), &name)
}

#[derive(Debug, Deserialize, utoipa::IntoParams, utoipa::ToSchema)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    pub template: String,
    pub period: String,
}

/// The sums of a template's period over the sent reports of the caller's scope (frozen
/// numbers once closed), and the units that have not sent.
#[utoipa::path(get, path = "/api/v1/reports/summary", tag = "reports", params(PeriodQuery), security(("bearer" = [])),
    responses((status = 200, body = Summary), (status = 400)))]
pub async fn summary(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<PeriodQuery>,
) -> Result<Json<Summary>, AppError> {
    Ok(Json(
        super::summary(&state, &user.principal.scope(), &q.template, &q.period).await?,
    ))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Opened {
    pub created: usize,
    pub obliged: usize,
}

/// Opens the period: a draft report and its due task for every obliged unit (province
/// roles). Idempotent.
#[utoipa::path(post, path = "/api/v1/reports/periods/open", tag = "reports", request_body = PeriodQuery, security(("bearer" = [])),
    responses((status = 200, body = Opened), (status = 400), (status = 403), (status = 409)))]
pub async fn open_period(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(b): ApiJson<PeriodQuery>,
) -> Result<Json<Opened>, AppError> {
    if !super::can_manage_periods(&user.principal) {
        return Err(AppError::forbidden());
    }
    let (created, obliged) =
        super::open_period(&state, &user.actor(), &b.template, &b.period).await?;
    Ok(Json(Opened { created, obliged }))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Closed {
    pub frozen: usize,
}

/// Closes the period (province roles): every report's numbers are frozen; late data
/// shows as corrections from now on. 409 when already closed.
#[utoipa::path(post, path = "/api/v1/reports/periods/close", tag = "reports", request_body = PeriodQuery, security(("bearer" = [])),
    responses((status = 200, body = Closed), (status = 400), (status = 403), (status = 409)))]
pub async fn close_period(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(b): ApiJson<PeriodQuery>,
) -> Result<Json<Closed>, AppError> {
    if !super::can_manage_periods(&user.principal) {
        return Err(AppError::forbidden());
    }
    let frozen = super::close(&state, &user.actor(), &b.template, &b.period).await?;
    Ok(Json(Closed { frozen }))
}
