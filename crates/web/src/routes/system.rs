//! Health check, static files, OpenAPI document and Swagger UI.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use crate::{AppError, AppState};

/// `GET /healthz` → `{"status":"ok","database":"sqlite"|"postgres"}` (product.md).
pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => Json(serde_json::json!({"status": "ok", "database": state.db.backend()}))
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({"status": "error", "database": state.db.backend()})),
            )
                .into_response()
        }
    }
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
