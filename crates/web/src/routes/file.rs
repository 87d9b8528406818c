//! Downloading an attached file (who may: [`app::file::download`]).

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::auth::CurrentUser;
use crate::routes::parse_id;
use crate::{AppError, AppState};

/// `Content-Disposition` with the UTF-8 name (RFC 6266 / RFC 5987) and an ASCII fallback.
pub fn disposition(kind: &str, name: &str) -> String {
    let ascii: String = domain::text::fold_vi(name)
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// Download an attached file (evidence, a directive's signed copy, a dossier's documents
/// and results) with its own media type; 404 when the caller may not see its owner.
/// (`GET /tep/{id}` too.)
#[utoipa::path(get, path = "/api/v1/files/{id}", tag = "files", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã tệp")),
    responses((status = 200, description = "Nội dung tệp, với Content-Type của tệp",
        content((Vec<u8> = "application/pdf"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                (Vec<u8> = "application/msword"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                (Vec<u8> = "application/vnd.ms-excel"), (Vec<u8> = "application/vnd.oasis.opendocument.text"),
                (Vec<u8> = "application/vnd.oasis.opendocument.spreadsheet"), (Vec<u8> = "text/plain"), (Vec<u8> = "text/csv"),
                (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"), (Vec<u8> = "image/tiff"), (Vec<u8> = "application/zip"),
                (Vec<u8> = "application/vnd.rar"))),
        (status = 404)))]
pub async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (meta, bytes) = app::file::download(&state, &user.principal, parse_id(&id)?).await?;
    let inline = meta.media_type.starts_with("image/") || meta.media_type == "application/pdf";
    Ok((
        [
            (header::CONTENT_TYPE, meta.media_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                disposition(if inline { "inline" } else { "attachment" }, &meta.name),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (header::CACHE_CONTROL, "private, max-age=3600".to_string()),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
                    .to_string(),
            ),
        ],
        bytes,
    )
        .into_response())
}
