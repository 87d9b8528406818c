//! Downloading an attached file: allowed to whoever may see the record it is attached to
//! (the task of a report, the directive, the dossier); 404 otherwise, so that neither the
//! file nor its owner leaks.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use store::file::Owner;

use crate::auth::CurrentUser;
use crate::routes::parse_id;
use crate::{AppError, AppState};

/// Whether `user` may read files of `owner`.
pub async fn may_read(state: &AppState, user: &CurrentUser, owner: Owner) -> Result<(), AppError> {
    match owner {
        Owner::TaskReport(rid) => {
            let task_id = store::task::report_task(&state.db, rid).await?;
            crate::routes::task::visible(state, &user.principal, task_id).await?;
        }
        Owner::Directive(did) => {
            crate::routes::task::api::visible_directive(state, user, did).await?;
        }
        Owner::DossierDocument(id) | Owner::DossierResult(id) => {
            crate::routes::dossier::visible(state, &user.principal, id).await?;
        }
    }
    Ok(())
}

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

/// `GET /tep/{id}` and `GET /api/v1/files/{id}`.
pub async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let meta = store::file::meta(&state.db, parse_id(&id)?).await?;
    let owner = meta.owner().ok_or(AppError::NotFound)?;
    may_read(&state, &user, owner).await?;
    let bytes = store::file::content(&state.db, &meta.sha256).await?;
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
