//! Đăng nhập — passwords (argon2), sessions from cookie or bearer token, CSRF protection
//! and login throttling.

use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{Method, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use domain::org::Principal;

use crate::{AppError, AppState};

pub const SESSION_COOKIE: &str = "cchc_session";
/// Double-submit token for forms shown before login.
pub const CSRF_COOKIE: &str = "cchc_csrf";
pub const CSRF_FIELD: &str = "_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Hashes a password with argon2id (see [`app::password`]).
pub async fn hash_password(password: String) -> Result<String, AppError> {
    Ok(app::password::hash(password).await?)
}

/// Checks a password against a stored PHC string (see [`app::password`]).
pub async fn verify_password(password: String, hash: String) -> bool {
    app::password::verify(password, hash).await
}

/// The signed-in user of a request, from `Authorization: Bearer` or the session cookie.
/// The service layer's [`app::Caller`] (principal, name, unit, address) plus what only
/// HTTP knows; it dereferences to the caller, so `&user` is what a service takes.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub caller: app::Caller,
    pub csrf_token: String,
    pub token: String,
    pub via_cookie: bool,
    /// The password was set by an administrator and must be changed first.
    pub must_change_password: bool,
}

/// Where a user whose password an administrator set goes to change it.
pub const PASSWORD_CHANGE_PAGE: &str = "/tai-khoan";

/// What a user whose password an administrator reset may still do: see and change their
/// own account, read who they are, and sign out. Everything else answers 403
/// `password_change_required` (a page request is sent to [`PASSWORD_CHANGE_PAGE`]), so a
/// password someone else has known never stays in use (issue 20).
fn allowed_before_password_change(method: &axum::http::Method, path: &str) -> bool {
    use axum::http::Method;
    matches!(
        (method, path),
        (&Method::GET, "/tai-khoan")
            | (&Method::POST, "/tai-khoan/mat-khau")
            | (&Method::POST, "/dang-xuat")
            | (&Method::GET, "/api/v1/auth/me")
            | (&Method::POST, "/api/v1/auth/password")
            | (&Method::POST, "/api/v1/auth/logout")
    )
}

impl std::ops::Deref for CurrentUser {
    type Target = app::Caller;
    fn deref(&self) -> &app::Caller {
        &self.caller
    }
}

pub fn bearer_token(parts: &Parts) -> Option<String> {
    let v = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

pub fn client_ip(parts: &Parts) -> Option<String> {
    if let Some(ClientAddr(a)) = parts.extensions.get::<ClientAddr>() {
        return a.clone();
    }
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
}

/// The client address of a request as the middleware decided it.
#[derive(Debug, Clone)]
pub struct ClientAddr(pub Option<String>);

/// The client's address: the peer, unless the peer is one of `trusted` proxies; then the
/// rightmost address of `X-Forwarded-For` that is not a trusted proxy (what the nearest
/// proxy saw). A header from anyone else is ignored, so it cannot be spoofed to dodge
/// throttling.
pub fn client_address(
    peer: Option<std::net::IpAddr>,
    headers: &axum::http::HeaderMap,
    trusted: &[std::net::IpAddr],
) -> Option<std::net::IpAddr> {
    let peer = peer?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let chain: Vec<std::net::IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    Some(
        chain
            .into_iter()
            .rev()
            .find(|a| !trusted.contains(a))
            .unwrap_or(peer),
    )
}

/// Resolves the session of a request, if any.
pub async fn resolve(state: &AppState, parts: &Parts) -> Result<Option<CurrentUser>, AppError> {
    let (token, via_cookie) = match bearer_token(parts) {
        Some(t) => (t, false),
        None => match CookieJar::from_headers(&parts.headers).get(SESSION_COOKIE) {
            Some(c) => (c.value().to_string(), true),
            None => return Ok(None),
        },
    };
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    // Sessions change rarely and are read by every request: a resolved session is kept
    // 15 s (see `cache`), and its expiry slides at most once a minute (one write).
    let (s, roles) = match state.sessions.get(&token) {
        Some(hit) if hit.0.expires_at > store::now() => hit,
        _ => {
            let Some((s, roles)) =
                app::session::resolve(state, &token, state.config.session_ttl()).await?
            else {
                return Ok(None);
            };
            state
                .sessions
                .put(token.clone(), (s.clone(), roles.clone()));
            (s, roles)
        }
    };
    Ok(Some(CurrentUser {
        caller: app::Caller {
            principal: Principal {
                user_id: s.user_id,
                username: s.username,
                agency_id: s.agency_id,
                agency_path: s.agency_path,
                roles,
            },
            full_name: s.full_name,
            agency_name: s.agency_name,
            ip: client_ip(parts),
        },
        csrf_token: s.csrf_token,
        token,
        via_cookie,
        must_change_password: s.must_change_password,
    }))
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let u = match parts.extensions.get::<CurrentUser>() {
            Some(u) => u.clone(),
            None => {
                let Some(u) = resolve(state, parts).await? else {
                    return Err(AppError::Unauthorized);
                };
                parts.extensions.insert(u.clone());
                u
            }
        };
        if u.must_change_password
            && !allowed_before_password_change(&parts.method, parts.uri.path())
        {
            return Err(AppError::PasswordChangeRequired);
        }
        Ok(u)
    }
}

/// The user if signed in, without failing otherwise (public pages, the login page).
pub struct MaybeUser(pub Option<CurrentUser>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match CurrentUser::from_request_parts(parts, state).await {
            Ok(u) => Ok(MaybeUser(Some(u))),
            Err(AppError::Unauthorized) => Ok(MaybeUser(None)),
            // A public page (the look-up, the catalog) still works, as for anyone who is
            // not signed in: the session is good only for changing the password.
            Err(AppError::PasswordChangeRequired) => Ok(MaybeUser(None)),
            Err(e) => Err(e),
        }
    }
}

/// The session cookie lives until the browser closes; the server ends idle sessions
/// after the configured lifetime (shared office computers are common).
pub fn session_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .build()
}

pub fn csrf_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((CSRF_COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .build()
}

fn csrf_rejection() -> Response {
    AppError::Forbidden(
        "Yêu cầu bị từ chối vì không có mã xác thực biểu mẫu hợp lệ (CSRF). Vui lòng tải lại trang và thử lại."
            .into(),
    )
    .into_response()
}

/// CSRF protection for every state-changing request that relies on a cookie:
/// - cross-site requests (`Sec-Fetch-Site: cross-site`, or an `Origin` other than this
///   host) are refused outright;
/// - the request must carry the session's token in the `X-CSRF-Token` header or the
///   `_csrf` form field (before login: the `cchc_csrf` double-submit cookie).
///
/// Requests authenticated only by `Authorization: Bearer` are not exposed to CSRF (a
/// browser never adds that header by itself) and pass.
pub async fn csrf_guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let jar = CookieJar::from_headers(&parts.headers);
    let has_session_cookie = jar.get(SESSION_COOKIE).is_some();
    let has_bearer = bearer_token(&parts).is_some();
    let is_api = parts.uri.path().starts_with("/api/");
    if is_api && (has_bearer || !has_session_cookie) {
        // API clients: bearer tokens or the JSON login. A cross-site page cannot send a
        // JSON body without a CORS preflight, which this server never grants.
        return next.run(Request::from_parts(parts, body)).await;
    }
    if let Some(site) = parts.headers.get("sec-fetch-site")
        && site.as_bytes() == b"cross-site"
    {
        return csrf_rejection();
    }
    if let Some(origin) = parts.headers.get(header::ORIGIN) {
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        let origin_host = origin
            .to_str()
            .ok()
            .and_then(|o| o.split_once("://").map(|(_, h)| h.to_string()))
            .unwrap_or_default();
        if origin_host != host {
            return csrf_rejection();
        }
    }
    let known = parts.extensions.get::<CurrentUser>().cloned();
    let expected = if has_session_cookie {
        // `public_throttle` has usually resolved the session already.
        let resolved = match known {
            Some(u) => Ok(Some(u)),
            None => resolve(&state, &parts).await,
        };
        match resolved {
            Ok(Some(u)) => {
                let t = u.csrf_token.clone();
                parts.extensions.insert(u);
                Some(t)
            }
            Ok(None) => jar.get(CSRF_COOKIE).map(|c| c.value().to_string()),
            Err(e) => return e.into_response(),
        }
    } else {
        jar.get(CSRF_COOKIE).map(|c| c.value().to_string())
    };
    let Some(expected) = expected.filter(|t| !t.is_empty()) else {
        return csrf_rejection();
    };
    if let Some(h) = parts.headers.get(CSRF_HEADER) {
        if constant_eq(h.as_bytes(), expected.as_bytes()) {
            return next.run(Request::from_parts(parts, body)).await;
        }
        return csrf_rejection();
    }
    // File uploads (multipart) carry the token in the query string of the form's action.
    let is_multipart = parts
        .headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"multipart/form-data"));
    if is_multipart {
        let supplied = parts
            .uri
            .query()
            .and_then(|q| form_urlencoded_field(q.as_bytes(), CSRF_FIELD));
        if supplied.is_some_and(|s| constant_eq(s.as_bytes(), expected.as_bytes())) {
            return next.run(Request::from_parts(parts, body)).await;
        }
        return csrf_rejection();
    }
    let is_form = parts.headers.get(header::CONTENT_TYPE).is_some_and(|v| {
        v.as_bytes()
            .starts_with(b"application/x-www-form-urlencoded")
    });
    if !is_form {
        return csrf_rejection();
    }
    let bytes = match axum::body::to_bytes(body, 2 * 1024 * 1024).await {
        Ok(b) => b,
        Err(_) => return AppError::bad("Dữ liệu biểu mẫu quá lớn.").into_response(),
    };
    let supplied = form_urlencoded_field(&bytes, CSRF_FIELD);
    if !supplied.is_some_and(|s| constant_eq(s.as_bytes(), expected.as_bytes())) {
        return csrf_rejection();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn form_urlencoded_field(body: &[u8], name: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).ok()?;
    pairs.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub use app::session::{LoginOutcome, THROTTLED_MESSAGE, WRONG_MESSAGE};

/// Checks credentials under the configured throttling ([`app::session::attempt_login`]).
pub async fn attempt_login(
    state: &AppState,
    username: &str,
    password: &str,
    ip: Option<&str>,
) -> Result<LoginOutcome, AppError> {
    let policy = app::session::LoginPolicy {
        max_failures: state.config.login_max_failures,
        window: chrono::Duration::minutes(state.config.login_window_minutes),
    };
    Ok(
        app::session::attempt_login(state, policy, &state.dummy_hash, username, password, ip)
            .await?,
    )
}
