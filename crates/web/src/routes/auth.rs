//! Login and logout, as pages and as API.

use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use serde::{Deserialize, Serialize};
use store::session::SessionKind;

use crate::auth::{self, CurrentUser, LoginOutcome, MaybeUser};
use crate::extract::{ApiJson, ClientIp, PageForm, Q};
use crate::views::Chrome;
use crate::{AppError, AppState};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    next: String,
    username: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// Only local paths are followed after login (no open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

fn render_login(
    jar: CookieJar,
    state: &AppState,
    next: String,
    username: String,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let token = jar
        .get(auth::CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|t| t.len() == 64)
        .unwrap_or_else(store::session::new_token);
    let jar = jar.add(auth::csrf_cookie(
        token.clone(),
        state.config.secure_cookies,
    ));
    let page = LoginPage {
        chrome: Chrome::public("Đăng nhập", token),
        next,
        username,
        error,
    };
    Ok((status, jar, Html(page.render()?)).into_response())
}

pub async fn login_page(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    jar: CookieJar,
    Q(q): Q<NextQuery>,
) -> Result<Response, AppError> {
    let next = safe_next(q.next.as_deref());
    if user.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    render_login(jar, &state, next, String::new(), None, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

pub async fn login_submit(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    PageForm(form): PageForm<LoginForm>,
) -> Result<Response, AppError> {
    let next = safe_next(form.next.as_deref());
    match auth::attempt_login(&state, &form.username, &form.password, ip.as_deref()).await? {
        LoginOutcome::Ok { user_id } => {
            let token = app::session::start(
                &state,
                user_id,
                &form.username,
                ip,
                SessionKind::Browser,
                state.config.session_ttl(),
            )
            .await?;
            let jar = jar
                .add(auth::session_cookie(token, state.config.secure_cookies))
                .remove(Cookie::build(auth::CSRF_COOKIE).path("/").build());
            Ok((jar, Redirect::to(&next)).into_response())
        }
        LoginOutcome::Wrong => render_login(
            jar,
            &state,
            next,
            form.username,
            Some(auth::WRONG_MESSAGE.into()),
            StatusCode::UNAUTHORIZED,
        ),
        LoginOutcome::Throttled => render_login(
            jar,
            &state,
            next,
            form.username,
            Some(auth::THROTTLED_MESSAGE.into()),
            StatusCode::TOO_MANY_REQUESTS,
        ),
    }
}

pub async fn logout(
    State(state): State<AppState>,
    jar: CookieJar,
    MaybeUser(user): MaybeUser,
) -> Result<Response, AppError> {
    if let Some(u) = user {
        app::session::end(&state, &u.token).await?;
    }
    let jar = jar.remove(Cookie::build(auth::SESSION_COOKIE).path("/").build());
    let jar = crate::extract::set_flash(jar, "Bạn đã đăng xuất.");
    Ok((jar, Redirect::to("/dang-nhap")).into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct LoginResponse {
    /// Bearer token for `Authorization: Bearer …`.
    pub token: String,
    pub token_type: &'static str,
    /// Seconds until the token expires if unused.
    pub expires_in: i64,
    pub user: Me,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub agency_id: i64,
    pub agency_name: String,
    pub roles: Vec<String>,
    /// "province" or "subtree".
    pub scope: &'static str,
    /// The password was set by an administrator: every other call answers 403
    /// `password_change_required` until `POST /api/v1/auth/password` changes it.
    pub must_change_password: bool,
}

fn me_of(u: &CurrentUser) -> Me {
    Me {
        id: u.principal.user_id,
        username: u.principal.username.clone(),
        full_name: u.full_name.clone(),
        agency_id: u.principal.agency_id,
        agency_name: u.agency_name.clone(),
        roles: u
            .principal
            .roles
            .iter()
            .map(|r| r.code().to_string())
            .collect(),
        scope: match u.principal.scope() {
            domain::org::Scope::Province => "province",
            domain::org::Scope::Subtree { .. } => "subtree",
        },
        must_change_password: u.must_change_password,
    }
}

/// Log in and receive a bearer token.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, description = "Sai tên đăng nhập hoặc mật khẩu"),
              (status = 429, description = "Tạm khóa do đăng nhập sai nhiều lần")))]
pub async fn api_login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Response, AppError> {
    match auth::attempt_login(&state, &req.username, &req.password, ip.as_deref()).await? {
        LoginOutcome::Ok { user_id } => {
            let ttl = chrono::Duration::hours(state.config.api_token_ttl_hours);
            let token =
                app::session::start(&state, user_id, &req.username, ip, SessionKind::Api, ttl)
                    .await?;
            let u = app::user::get(&state, user_id).await?;
            Ok(Json(LoginResponse {
                token,
                token_type: "Bearer",
                expires_in: ttl.num_seconds(),
                user: Me {
                    id: u.id,
                    username: u.username,
                    full_name: u.full_name,
                    agency_id: u.agency_id,
                    agency_name: u.agency_name,
                    roles: u.roles.iter().map(|r| r.code().to_string()).collect(),
                    scope: if u.roles.iter().any(|r| r.is_province_wide()) {
                        "province"
                    } else {
                        "subtree"
                    },
                    must_change_password: u.must_change_password,
                },
            })
            .into_response())
        }
        LoginOutcome::Wrong => Err(AppError::BadCredentials(auth::WRONG_MESSAGE.into())),
        LoginOutcome::Throttled => Err(AppError::TooManyRequests(
            auth::THROTTLED_MESSAGE.into(),
            60 * state.config.login_window_minutes.max(1) as u64,
        )),
    }
}

/// End the current session or token.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204, description = "Đã đăng xuất")))]
pub async fn api_logout(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<StatusCode, AppError> {
    app::session::end(&state, &user.token).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct OwnPasswordRequest {
    /// The password in use now.
    pub current: String,
    /// The new password (8+ characters, letters and digits, not the user name, not a
    /// common password).
    pub new: String,
    /// The new password again.
    pub confirm: String,
}

/// Change one's own password (the current one is required). All the user's sessions and
/// tokens end, this one included: sign in again with the new password.
#[utoipa::path(post, path = "/api/v1/auth/password", tag = "auth", security(("bearer" = [])),
    request_body = OwnPasswordRequest,
    responses((status = 204, description = "Đã đổi mật khẩu; mọi phiên đăng nhập kết thúc"),
              (status = 401, description = "Chưa đăng nhập"),
              (status = 422, description = "Mật khẩu hiện tại sai, mật khẩu mới không đạt yêu cầu hoặc nhập lại không khớp")))]
pub async fn api_change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<OwnPasswordRequest>,
) -> Result<StatusCode, AppError> {
    app::user::change_own_password(&state, &user, &req.current, &req.new, &req.confirm).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Who am I: the signed-in user, their roles and scope.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth", security(("bearer" = [])), responses((status = 200, body = Me)))]
pub async fn api_me(user: CurrentUser) -> Json<Me> {
    Json(me_of(&user))
}
