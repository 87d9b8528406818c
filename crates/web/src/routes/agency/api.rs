//! `/api/v1/agencies` — the agency tree visible to the caller.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::Deserialize;
use store::Page;
use store::agency::AgencyFilter;

use super::{AgencyFields, AgencyOut, check, visible};
use crate::auth::CurrentUser;
use crate::extract::{ApiJson, Q};
use crate::routes::{ListOf, parse_id};
use crate::{AppError, AppState};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AgencyQuery {
    /// Search in code and names, with or without diacritics.
    pub q: Option<String>,
    /// Agency kind code (ubnd_tinh, so_nganh, ubnd_huyen, ubnd_xa, don_vi_truc_thuoc, trung_tam_phvhcc, ban_chi_dao).
    pub kind: Option<String>,
    pub active: Option<bool>,
    /// Only agencies that existed on this day (YYYY-MM-DD).
    pub on: Option<NaiveDate>,
    pub parent_id: Option<i64>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// List the agencies visible to the caller (their subtree, or the province).
#[utoipa::path(get, path = "/api/v1/agencies", tag = "agencies", params(AgencyQuery), security(("bearer" = [])),
    responses((status = 200, body = ListOf<AgencyOut>), (status = 401)))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<AgencyQuery>,
) -> Result<Json<ListOf<AgencyOut>>, AppError> {
    let page = Page::new(q.limit, q.offset);
    let filter = AgencyFilter {
        q: q.q,
        kind: q.kind,
        active: q.active,
        on_date: q.on,
        parent_id: q.parent_id,
        ..Default::default()
    };
    let (items, total) = app::agency::list(&state, &user.principal, filter, page).await?;
    Ok(Json(ListOf {
        items: items.iter().map(AgencyOut::from).collect(),
        total,
        limit: page.limit,
        offset: page.offset,
    }))
}

/// One agency (404 outside the caller's scope).
#[utoipa::path(get, path = "/api/v1/agencies/{id}", tag = "agencies", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = AgencyOut), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<AgencyOut>, AppError> {
    let a = visible(&state, &user.principal, parse_id(&id)?).await?;
    Ok(Json(AgencyOut::from(&a)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct AgencyBody {
    pub code: String,
    pub parent_id: Option<i64>,
    pub kind: String,
    pub name: String,
    pub short_name: Option<String>,
    /// YYYY-MM-DD or dd/mm/yyyy.
    pub valid_from: String,
    pub valid_to: Option<String>,
    pub merged_into_id: Option<i64>,
    pub legal_basis: Option<String>,
}

impl From<AgencyBody> for AgencyFields {
    fn from(b: AgencyBody) -> Self {
        AgencyFields {
            code: b.code,
            parent_id: b.parent_id.map(|i| i.to_string()).unwrap_or_default(),
            kind: b.kind,
            name: b.name,
            short_name: b.short_name.unwrap_or_default(),
            valid_from: b.valid_from,
            valid_to: b.valid_to.unwrap_or_default(),
            merged_into_id: b.merged_into_id.map(|i| i.to_string()).unwrap_or_default(),
            legal_basis: b.legal_basis.unwrap_or_default(),
        }
    }
}

/// Create an agency (administrators).
#[utoipa::path(post, path = "/api/v1/agencies", tag = "agencies", security(("bearer" = [])), request_body = AgencyBody,
    responses((status = 201, body = AgencyOut), (status = 403), (status = 409), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<AgencyBody>,
) -> Result<(StatusCode, Json<AgencyOut>), AppError> {
    if !user.principal.can_manage_agencies() {
        return Err(AppError::forbidden());
    }
    let input = check(&body.into(), false).map_err(AppError::Validation)?;
    let a = app::agency::create(&state, &user, &input).await?;
    Ok((StatusCode::CREATED, Json(AgencyOut::from(&a))))
}

/// Replace an agency's fields (administrators). Moving it re-parents its subtree.
#[utoipa::path(put, path = "/api/v1/agencies/{id}", tag = "agencies", security(("bearer" = [])), request_body = AgencyBody,
    params(("id" = i64, Path)), responses((status = 200, body = AgencyOut), (status = 403), (status = 404),
        (status = 409, description = "Mã cơ quan đã được dùng (`error.fields`)"), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AgencyBody>,
) -> Result<Json<AgencyOut>, AppError> {
    let current = visible(&state, &user.principal, parse_id(&id)?).await?;
    if !user.principal.can_manage_agencies() {
        return Err(AppError::forbidden());
    }
    let input = check(&body.into(), current.parent_id.is_none()).map_err(AppError::Validation)?;
    let a = app::agency::update(&state, &user, current.id, &input).await?;
    Ok(Json(AgencyOut::from(&a)))
}

async fn set_active(
    state: AppState,
    user: CurrentUser,
    id: String,
    active: bool,
) -> Result<Json<AgencyOut>, AppError> {
    let a = app::agency::set_active(&state, &user, parse_id(&id)?, active).await?;
    Ok(Json(AgencyOut::from(&a)))
}

/// Deactivate an agency (administrators). Agencies are never deleted.
#[utoipa::path(post, path = "/api/v1/agencies/{id}/deactivate", tag = "agencies", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = AgencyOut), (status = 400, description = "UBND tỉnh (gốc của cây) không thể ngừng hoạt động"),
        (status = 403), (status = 404)))]
pub async fn deactivate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<AgencyOut>, AppError> {
    set_active(state, user, id, false).await
}

/// Reactivate an agency (administrators).
#[utoipa::path(post, path = "/api/v1/agencies/{id}/activate", tag = "agencies", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = AgencyOut), (status = 403), (status = 404)))]
pub async fn activate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<AgencyOut>, AppError> {
    set_active(state, user, id, true).await
}
