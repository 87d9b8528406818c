//! `/api/v1/inspections…` — kiểm tra công tác CCHC over [`app::inspection`]: the list in
//! the caller's view, one inspection with its team and findings (each with its
//! remediation task), recording an inspection and its findings, the conclusion notice
//! that creates the remediation tasks, and closing once every one is verified.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use app::inspection::{
    ConclusionInput, FindingInput, InspectionDetail, InspectionInput, InspectionOut,
    InspectionStats, PlanInput, PlanOut, StartInput,
};

use crate::auth::CurrentUser;
use crate::extract::{ApiJson, Q};
use crate::routes::{ListOf, parse_id};
use crate::{AppError, AppState};

#[derive(Debug, Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InspectionQuery {
    /// The year of the inspection decision.
    pub year: Option<i32>,
    /// The inspected unit (code or id).
    pub unit: Option<String>,
    /// du_kien, dang_kiem_tra, da_ket_luan, da_dong
    pub status: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Inspections the caller may see: all for the Sở Nội vụ, the VP UBND – KSTT and the
/// province's leaders; for others, those whose team they are in and the concluded ones of
/// their unit.
#[utoipa::path(get, path = "/api/v1/inspections", tag = "inspections", params(InspectionQuery), security(("bearer" = [])),
    responses((status = 200, body = ListOf<InspectionOut>), (status = 400), (status = 422)))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<InspectionQuery>,
) -> Result<Json<ListOf<InspectionOut>>, AppError> {
    if q.year.is_some_and(|y| !(2000..=2100).contains(&y)) {
        return Err(AppError::bad("Năm không hợp lệ."));
    }
    let page = store::Page::new(q.limit, q.offset);
    let (items, total) = app::inspection::list(
        &state,
        &user.principal,
        q.year,
        q.unit.as_deref(),
        q.status.as_deref(),
        page,
    )
    .await?;
    Ok(Json(ListOf {
        items,
        total,
        limit: page.limit,
        offset: page.offset,
    }))
}

/// Records an inspection with its team (the inspecting side).
#[utoipa::path(post, path = "/api/v1/inspections", tag = "inspections", request_body = InspectionInput, security(("bearer" = [])),
    responses((status = 201, body = InspectionDetail), (status = 403), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(b): ApiJson<InspectionInput>,
) -> Result<Response, AppError> {
    let d = app::inspection::create(&state, &user, &b).await?;
    Ok((StatusCode::CREATED, Json(d)).into_response())
}

/// One inspection: its team, its findings and, for each, the remediation task and how it
/// stands (404 outside the caller's view).
#[utoipa::path(get, path = "/api/v1/inspections/{id}", tag = "inspections", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = InspectionDetail), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<InspectionDetail>, AppError> {
    Ok(Json(
        app::inspection::detail(&state, &user.principal, parse_id(&id)?).await?,
    ))
}

/// Records a finding while the inspection is under way (the team).
#[utoipa::path(post, path = "/api/v1/inspections/{id}/findings", tag = "inspections", params(("id" = i64, Path)),
    request_body = FindingInput, security(("bearer" = [])),
    responses((status = 201, body = InspectionDetail), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn add_finding(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<FindingInput>,
) -> Result<Response, AppError> {
    let d = app::inspection::add_finding(&state, &user, parse_id(&id)?, &b).await?;
    Ok((StatusCode::CREATED, Json(d)).into_response())
}

/// Issues the conclusion notice: a remediation task for each finding that needs one.
#[utoipa::path(post, path = "/api/v1/inspections/{id}/conclusion", tag = "inspections", params(("id" = i64, Path)),
    request_body = ConclusionInput, security(("bearer" = [])),
    responses((status = 200, body = InspectionDetail), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn conclude(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ConclusionInput>,
) -> Result<Json<InspectionDetail>, AppError> {
    Ok(Json(
        app::inspection::conclude(&state, &user, parse_id(&id)?, &b).await?,
    ))
}

/// Closes the inspection once every finding is remediated and verified (409 otherwise,
/// naming the findings still open).
#[utoipa::path(post, path = "/api/v1/inspections/{id}/close", tag = "inspections", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = InspectionDetail), (status = 403), (status = 404), (status = 409)))]
pub async fn close(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<InspectionDetail>, AppError> {
    Ok(Json(
        app::inspection::close(&state, &user, parse_id(&id)?).await?,
    ))
}

#[derive(Debug, Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanQuery {
    /// The plan's year.
    pub year: Option<i32>,
}

/// The yearly inspection plans with their rows (every staff user: a plan is sent to the
/// units it names); a row links its inspection for those who may see that file.
#[utoipa::path(get, path = "/api/v1/inspection-plans", tag = "inspections", params(PlanQuery), security(("bearer" = [])),
    responses((status = 200, body = Vec<PlanOut>), (status = 400)))]
pub async fn plans(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<PlanQuery>,
) -> Result<Json<Vec<PlanOut>>, AppError> {
    if q.year.is_some_and(|y| !(2000..=2100).contains(&y)) {
        return Err(AppError::bad("Năm không hợp lệ."));
    }
    Ok(Json(
        app::inspection::plans(&state, &user.principal, q.year).await?,
    ))
}

/// Issues a yearly plan: the units to inspect, the subjects and the month of each.
#[utoipa::path(post, path = "/api/v1/inspection-plans", tag = "inspections", request_body = PlanInput, security(("bearer" = [])),
    responses((status = 201, body = PlanOut), (status = 403), (status = 422)))]
pub async fn create_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(b): ApiJson<PlanInput>,
) -> Result<Response, AppError> {
    let d = app::inspection::create_plan(&state, &user, &b).await?;
    Ok((StatusCode::CREATED, Json(d)).into_response())
}

/// One plan with its rows.
#[utoipa::path(get, path = "/api/v1/inspection-plans/{id}", tag = "inspections", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = PlanOut), (status = 404)))]
pub async fn plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<PlanOut>, AppError> {
    Ok(Json(
        app::inspection::plan(&state, &user.principal, parse_id(&id)?).await?,
    ))
}

/// Carries out a row of a plan: the inspection's decision, dates and team (409 when the
/// row has already begun).
#[utoipa::path(post, path = "/api/v1/inspection-plans/items/{id}/start", tag = "inspections", params(("id" = i64, Path)),
    request_body = StartInput, security(("bearer" = [])),
    responses((status = 201, body = InspectionDetail), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn start_item(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<StartInput>,
) -> Result<Response, AppError> {
    let d = app::inspection::start_item(&state, &user, parse_id(&id)?, &b).await?;
    Ok((StatusCode::CREATED, Json(d)).into_response())
}

#[derive(Debug, Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// The year (of the inspection decisions).
    pub year: i32,
}

/// The statistics of a year per inspected unit: inspections, findings by kind and how
/// their remediation stands, over the inspections the caller may see.
#[utoipa::path(get, path = "/api/v1/inspections/stats", tag = "inspections", params(StatsQuery), security(("bearer" = [])),
    responses((status = 200, body = InspectionStats), (status = 400)))]
pub async fn stats(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<StatsQuery>,
) -> Result<Json<InspectionStats>, AppError> {
    if !(2000..=2100).contains(&q.year) {
        return Err(AppError::bad("Năm không hợp lệ."));
    }
    Ok(Json(
        app::inspection::stats(&state, &user.principal, q.year).await?,
    ))
}
