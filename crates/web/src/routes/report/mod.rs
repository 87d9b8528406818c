//! Báo cáo định kỳ — pages (`pages.rs`) and API (`api.rs`) over [`app::report`], which
//! holds every operation (templates, access, periods, editing, closing, summaries,
//! documents).

pub use app::report::*;

use crate::AppError;

pub mod api;

pub mod pages;

/// Bytes and headers of a file download.
pub fn file_response(
    doc: &reports::PeriodReportDoc,
    format: &str,
    name: &str,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    let (bytes, mime, ext) = render(doc, format)?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, mime.to_string()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.{ext}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
