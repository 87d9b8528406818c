//! `/api/v1/users` — accounts visible to the caller, and their management.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use store::Page;
use store::user::UserFilter;

use super::{UserFields, UserOut, check, visible};
use crate::auth::CurrentUser;
use crate::extract::{ApiJson, Q};
use crate::routes::{ListOf, parse_id};
use crate::{AppError, AppState};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Search in user name, full name, e-mail and phone, with or without diacritics.
    pub q: Option<String>,
    pub agency_id: Option<i64>,
    /// Role code.
    pub role: Option<String>,
    pub active: Option<bool>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// List user accounts in the caller's scope.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(UserQuery), security(("bearer" = [])),
    responses((status = 200, body = ListOf<UserOut>), (status = 401)))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<UserQuery>,
) -> Result<Json<ListOf<UserOut>>, AppError> {
    let page = Page::new(q.limit, q.offset);
    let filter = UserFilter {
        q: q.q,
        agency_id: q.agency_id,
        role: q.role,
        active: q.active,
        ..Default::default()
    };
    let (items, total) = app::user::list(&state, &user.principal, filter, page).await?;
    Ok(Json(ListOf {
        items: items.iter().map(UserOut::from).collect(),
        total,
        limit: page.limit,
        offset: page.offset,
    }))
}

/// One account (404 outside the caller's scope).
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = UserOut), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<UserOut>, AppError> {
    let u = visible(&state, &user.principal, parse_id(&id)?).await?;
    Ok(Json(UserOut::from(&u)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct UserBody {
    pub username: String,
    pub full_name: String,
    pub title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub agency_id: i64,
    /// Role codes: admin, lanh_dao_tinh, so_noi_vu, van_phong_kstt, lanh_dao_don_vi, chuyen_vien, mot_cua.
    pub roles: Vec<String>,
    /// Initial password; when absent a temporary one is generated and returned once.
    pub password: Option<String>,
}

impl UserBody {
    fn fields(&self) -> UserFields {
        UserFields {
            username: self.username.clone(),
            full_name: self.full_name.clone(),
            title: self.title.clone().unwrap_or_default(),
            email: self.email.clone().unwrap_or_default(),
            phone: self.phone.clone().unwrap_or_default(),
            agency_id: self.agency_id.to_string(),
            roles: self.roles.clone(),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedUser {
    pub user: UserOut,
    /// The generated temporary password, present only when none was supplied.
    pub temporary_password: Option<String>,
}

/// Create an account (administrators; unit heads inside their subtree, unit roles only).
#[utoipa::path(post, path = "/api/v1/users", tag = "users", security(("bearer" = [])), request_body = UserBody,
    responses((status = 201, body = CreatedUser), (status = 403), (status = 409), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<UserBody>,
) -> Result<(StatusCode, Json<CreatedUser>), AppError> {
    let input = check(&body.fields()).map_err(AppError::Validation)?;
    let (u, generated) = app::user::create(&state, &user, &input, body.password.clone()).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedUser {
            user: UserOut::from(&u),
            temporary_password: generated,
        }),
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct UserUpdateBody {
    pub full_name: String,
    pub title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub agency_id: i64,
    pub roles: Vec<String>,
}

/// Update an account's profile, agency and roles.
#[utoipa::path(put, path = "/api/v1/users/{id}", tag = "users", security(("bearer" = [])), request_body = UserUpdateBody,
    params(("id" = i64, Path)), responses((status = 200, body = UserOut),
        (status = 400, description = "Không thể tự gỡ vai trò quản trị, tự đổi đơn vị hoặc vai trò của chính mình"),
        (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<UserUpdateBody>,
) -> Result<Json<UserOut>, AppError> {
    let target = app::user::managed(&state, &user, parse_id(&id)?).await?;
    let fields = UserFields {
        username: target.username.clone(),
        full_name: body.full_name,
        title: body.title.unwrap_or_default(),
        email: body.email.unwrap_or_default(),
        phone: body.phone.unwrap_or_default(),
        agency_id: body.agency_id.to_string(),
        roles: body.roles,
    };
    let input = check(&fields).map_err(AppError::Validation)?;
    let u = app::user::update(&state, &user, &target, &input).await?;
    Ok(Json(UserOut::from(&u)))
}

#[derive(Debug, Deserialize, Default, utoipa::ToSchema)]
pub struct PasswordBody {
    /// New password; when absent a temporary one is generated and returned once.
    pub password: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PasswordReset {
    pub temporary_password: Option<String>,
}

/// Reset an account's password; all its sessions end.
#[utoipa::path(post, path = "/api/v1/users/{id}/password", tag = "users", security(("bearer" = [])), request_body = PasswordBody,
    params(("id" = i64, Path)), responses((status = 200, body = PasswordReset), (status = 403), (status = 404), (status = 422)))]
pub async fn reset_password(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PasswordBody>,
) -> Result<Json<PasswordReset>, AppError> {
    let (_, generated) =
        app::user::reset_password(&state, &user, parse_id(&id)?, body.password).await?;
    Ok(Json(PasswordReset {
        temporary_password: generated,
    }))
}

async fn set_active(
    state: AppState,
    user: CurrentUser,
    id: String,
    active: bool,
) -> Result<Json<UserOut>, AppError> {
    let u = app::user::set_active(&state, &user, parse_id(&id)?, active).await?;
    Ok(Json(UserOut::from(&u)))
}

/// Deactivate an account; its sessions end at once.
#[utoipa::path(post, path = "/api/v1/users/{id}/deactivate", tag = "users", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = UserOut), (status = 400, description = "Không thể tự khóa tài khoản của chính mình"),
        (status = 403), (status = 404)))]
pub async fn deactivate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<UserOut>, AppError> {
    set_active(state, user, id, false).await
}

/// Reactivate an account.
#[utoipa::path(post, path = "/api/v1/users/{id}/activate", tag = "users", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = UserOut), (status = 403), (status = 404)))]
pub async fn activate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<UserOut>, AppError> {
    set_active(state, user, id, true).await
}
