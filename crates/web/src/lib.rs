//! The web application: server-rendered Vietnamese pages (askama + htmx) and the JSON API
//! under `/api/v1`, sharing the same store calls and the same access rules.

pub mod auth;
pub mod cache;
pub mod error;
pub mod extract;
pub mod openapi;
pub mod routes;
pub mod upload;
pub mod views;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, StatusCode};
use axum::middleware;
use store::Db;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use error::AppError;

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Browser session lifetime since last activity, in hours.
    pub session_ttl_hours: i64,
    /// Lifetime of an API token from `POST /api/v1/auth/login`, in hours.
    pub api_token_ttl_hours: i64,
    /// Mark cookies `Secure` (behind TLS).
    pub secure_cookies: bool,
    pub login_max_failures: i64,
    pub login_window_minutes: i64,
    /// `smtp://user:pass@host:587`: e-mail notifications when set (with `smtp_from`).
    pub smtp_url: Option<String>,
    /// Sender of notification e-mails, `Tên <dia-chi@tinh.gov.vn>`.
    pub smtp_from: Option<String>,
    /// Reverse proxies whose `X-Forwarded-For` is believed (see [`auth::client_ip`]).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Bearer token for `/metrics` (`app::ops::metrics_allowed`).
    pub metrics_token: Option<String>,
    /// `postgres://…` of a streaming replica for heavy reads (`app::replica`).
    pub read_database_url: Option<String>,
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            session_ttl_hours: 8,
            api_token_ttl_hours: 24,
            secure_cookies: false,
            login_max_failures: 5,
            login_window_minutes: 15,
            smtp_url: None,
            smtp_from: None,
            trusted_proxies: Vec::new(),
            metrics_token: None,
            read_database_url: None,
        }
    }
}

impl AppConfig {
    pub fn session_ttl(&self) -> chrono::Duration {
        chrono::Duration::hours(self.session_ttl_hours)
    }
}

/// The web layer's state: the service context ([`app::App`], which it dereferences to,
/// so `&state` is what a service takes) and what only HTTP needs.
#[derive(Clone)]
pub struct AppState {
    pub app: app::App,
    pub config: Arc<AppConfig>,
    /// A valid hash of a random password, checked for unknown users so that a login
    /// takes the same time whether or not the account exists.
    pub dummy_hash: Arc<str>,
    /// Resolved sessions by token (see [`cache`]).
    pub sessions:
        Arc<app::cache::TtlCache<String, (store::session::SessionUser, Vec<domain::org::Role>)>>,
}

impl std::ops::Deref for AppState {
    type Target = app::App;
    fn deref(&self) -> &app::App {
        &self.app
    }
}

impl AppState {
    pub async fn new(db: Db, config: AppConfig) -> Result<AppState, AppError> {
        let dummy = auth::hash_password(app::session::new_token()).await?;
        let mut app = app::App::new(db).await?;
        if let Some(url) = config
            .read_database_url
            .as_deref()
            .filter(|u| !u.is_empty())
        {
            let replica = app::replica::Replica::connect(url).await.map_err(|e| {
                AppError::BadRequest(format!(
                    "không dùng được bản sao chỉ đọc (--read-database): {e}"
                ))
            })?;
            app.replica = Some(replica);
        }
        // The criteria sets shipped in data/par/ (new codes only).
        app::par::seed_sets(&app, false).await?;
        Ok(AppState {
            app,
            config: Arc::new(config),
            dummy_hash: dummy.into(),
            sessions: app::cache::TtlCache::new(Duration::from_secs(15), 100_000),
        })
    }
}

/// Empties the caches after any administrative write (see [`cache::clears_caches`]).
async fn cache_guard(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    let clear = cache::clears_caches(req.method(), req.uri().path());
    let res = next.run(req).await;
    if clear {
        state.sessions.clear();
        state.app.clear_caches();
    }
    res
}

/// Security headers on every response that does not set its own: a Content-Security-Policy
/// without inline script (styles may be inline: the printable forms carry theirs), no
/// framing, no MIME sniffing, no referrer beyond the site, no powerful features; HSTS when
/// served over TLS (`secure_cookies`).
async fn security_headers(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    use axum::http::HeaderValue;
    use axum::http::header;
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let mut set = |name: header::HeaderName, value: &'static str| {
        if !h.contains_key(&name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    };
    set(
        header::CONTENT_SECURITY_POLICY,
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    );
    set(header::X_FRAME_OPTIONS, "DENY");
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "same-origin");
    set(
        header::HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    );
    if state.config.secure_cookies {
        set(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    res
}

/// Requests that carry no live session are counted per client address
/// ([`app::throttle::anonymous_request`]): over the limit, 429 with `Retry-After`. Static
/// files and the health check are not counted. A resolved session is kept for the
/// handler.
async fn public_throttle(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let path = req.uri().path();
    if path.starts_with("/static/") || path == "/healthz" || path == "/metrics" {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let signed_in = match auth::resolve(&state, &parts).await {
        Ok(Some(u)) => {
            parts.extensions.insert(u);
            true
        }
        Ok(None) => false,
        Err(e) => return e.into_response(),
    };
    if !signed_in {
        let addr = auth::client_ip(&parts);
        if let Err(e) = app::throttle::anonymous_request(&state, addr.as_deref()) {
            return AppError::from(e).into_response();
        }
    }
    next.run(axum::extract::Request::from_parts(parts, body))
        .await
}

/// Records the client address of each request ([`auth::ClientAddr`]): the peer, or,
/// when the peer is a trusted proxy, the nearest untrusted address of `X-Forwarded-For`.
async fn client_address(
    axum::extract::State(state): axum::extract::State<AppState>,
    mut req: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    let peer = req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    let addr = auth::client_address(peer, req.headers(), &state.config.trusted_proxies);
    req.extensions_mut()
        .insert(auth::ClientAddr(addr.map(|a| a.to_string())));
    next.run(req).await
}

/// Counts each answered request for `/metrics` (`app::metrics::request`), by the route's
/// pattern, so that ids in paths do not multiply the series.
async fn count_request(
    req: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    let started = std::time::Instant::now();
    let method = req.method().as_str().to_string();
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "(khác)".into());
    let res = next.run(req).await;
    app::metrics::request(&method, &route, res.status().as_u16(), started.elapsed());
    res
}

/// The cookie that remembers a browser's last write (Unix milliseconds), so that its next
/// pages read the primary (`app::replica::OWN_WRITE_WINDOW`).
const LAST_WRITE_COOKIE: &str = "cchc_ghi";
/// Where the layout shows how fresh a page's figures are when it read the replica.
const AS_OF_MARKER: &str = "<!--cchc:so-lieu-tinh-den-->";

/// With a read replica (`app::replica`): opens the request's read scope — the replica
/// for a `GET` from a browser that has not written lately, the primary otherwise — and
/// after the handler, remembers a successful write in a cookie, and tells when the page
/// read the replica: the note "Số liệu tính đến HH:MM:SS" in the page, the header
/// `x-data-as-of` on any answer.
async fn read_scope(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    if state.replica.is_none() {
        return next.run(req).await;
    }
    let reading = matches!(
        *req.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    );
    // Signing in or out writes a session, not the data a page shows.
    let session_only = matches!(
        req.uri().path(),
        "/dang-nhap" | "/dang-xuat" | "/api/v1/auth/login" | "/api/v1/auth/logout"
    );
    let now = chrono::Utc::now().timestamp_millis();
    let window = app::replica::OWN_WRITE_WINDOW.as_millis() as i64;
    let jar = axum_extra::extract::cookie::CookieJar::from_headers(req.headers());
    let wrote_lately = jar
        .get(LAST_WRITE_COOKIE)
        .and_then(|c| c.value().parse::<i64>().ok())
        .is_some_and(|t| now - t < window && t <= now + 1000);
    let (mut res, used) = app::replica::scope(reading && !wrote_lately, next.run(req)).await;
    if !reading && !session_only && res.status().as_u16() < 400 {
        let secure = if state.config.secure_cookies {
            "; Secure"
        } else {
            ""
        };
        let cookie = format!(
            "{LAST_WRITE_COOKIE}={now}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{secure}",
            window / 1000
        );
        if let Ok(v) = axum::http::HeaderValue::from_str(&cookie) {
            res.headers_mut().append(axum::http::header::SET_COOKIE, v);
        }
    }
    let Some(as_of) = used else {
        return res;
    };
    if let Ok(v) = axum::http::HeaderValue::from_str(&as_of.to_rfc3339()) {
        res.headers_mut().insert("x-data-as-of", v);
    }
    let html = res
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("text/html"));
    if !html {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 32 * 1024 * 1024).await else {
        return AppError::Internal("trang quá lớn".into()).into_response_boxed();
    };
    let page = String::from_utf8_lossy(&bytes).replacen(
        AS_OF_MARKER,
        &format!(
            "<p class=\"as-of\" title=\"Trang đọc từ bản sao chỉ đọc của cơ sở dữ liệu\">{}</p>",
            app::replica::as_of_note(as_of)
        ),
        1,
    );
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    axum::response::Response::from_parts(parts, axum::body::Body::from(page))
}

/// The whole application with its middleware.
pub fn app(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    routes::router()
        .layer(middleware::from_fn_with_state(state.clone(), read_scope))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::csrf_guard,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), cache_guard))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            public_throttle,
        ))
        .layer(CatchPanicLayer::custom(|_| {
            AppError::Internal("panic in handler".into()).into_response_boxed()
        }))
        .layer(middleware::from_fn(error::render_errors))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security_headers,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            client_address,
        ))
        .layer(middleware::from_fn(count_request))
        // Multipart forms carry up to 10 files of 15 MB (`upload::MAX_FORM_BYTES`); JSON
        // and urlencoded bodies keep their own, smaller limit (`extract`).
        .layer(axum::extract::DefaultBodyLimit::max(upload::MAX_FORM_BYTES))
        .layer(RequestBodyLimitLayer::new(upload::MAX_FORM_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(60),
        ))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http())
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}

impl AppError {
    fn into_response_boxed(self) -> axum::response::Response {
        axum::response::IntoResponse::into_response(self)
    }
}
