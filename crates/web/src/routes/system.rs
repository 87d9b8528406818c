//! Health check, static files, OpenAPI document and Swagger UI.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use crate::{AppError, AppState};

/// `GET /healthz` → `{"status":"ok","database":"sqlite"|"postgres","role":"primary"|
/// "replica"|"embedded","node":…,"lag_seconds":…}` (product.md); 503 when the database
/// does not answer, so that a balancer takes the node out.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match app::ops::health(&state).await {
        Ok(h) => Json(h).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(
                    serde_json::json!({"status": "error", "database": state.db.backend(),
                    "node": app::node::id()}),
                ),
            )
                .into_response()
        }
    }
}

/// `GET /metrics`: Prometheus text (`app::ops::metrics`), for the inside network or the
/// configured token (`app::ops::metrics_allowed`); 403 otherwise.
pub async fn metrics(
    State(state): State<AppState>,
    parts: axum::http::request::Parts,
) -> Result<Response, AppError> {
    let client = parts
        .extensions
        .get::<crate::auth::ClientAddr>()
        .and_then(|a| a.0.as_deref())
        .and_then(|a| a.parse().ok());
    let presented = crate::auth::bearer_token(&parts);
    if !app::ops::metrics_allowed(
        client,
        presented.as_deref(),
        state.config.metrics_token.as_deref(),
    ) {
        return Err(AppError::Forbidden(
            "Số liệu vận hành chỉ mở cho mạng nội bộ hoặc người có mã truy cập.".into(),
        ));
    }
    let text = app::ops::metrics(&state).await?;
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response())
}

macro_rules! static_files {
    ($($path:literal => $mime:literal),* $(,)?) => {
        fn lookup(path: &str) -> Option<(&'static [u8], &'static str)> {
            match path {
                $($path => Some((include_bytes!(concat!("../../static/", $path)), $mime)),)*
                _ => None,
            }
        }
    };
}

static_files! {
    "app.css" => "text/css; charset=utf-8",
    "app.js" => "text/javascript; charset=utf-8",
    "vendor/htmx/htmx.min.js" => "text/javascript; charset=utf-8",
    "vendor/chartjs/chart.umd.js" => "text/javascript; charset=utf-8",
    "dashboard.js" => "text/javascript; charset=utf-8",
    "vendor/swagger-ui/swagger-ui-bundle.js" => "text/javascript; charset=utf-8",
    "vendor/swagger-ui/swagger-ui.css" => "text/css; charset=utf-8",
    "swagger-init.js" => "text/javascript; charset=utf-8",
}

/// Files compiled into the binary, so a single executable serves everything.
pub async fn static_file(Path(path): Path<String>) -> Result<Response, AppError> {
    let (bytes, mime) = lookup(&path).ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        bytes,
    )
        .into_response())
}

pub async fn openapi_json() -> Response {
    Json(crate::openapi::document()).into_response()
}

pub async fn swagger_ui() -> Html<&'static str> {
    Html(include_str!("../../static/swagger.html"))
}
