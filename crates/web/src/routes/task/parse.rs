//! `POST /api/v1/directives/parse` — the directive reader for other systems (an e-office
//! system passing on what it receives): the text, or a .txt/.docx/.pdf file, in; the same
//! JSON as `cchc directive parse --json` out (product.md). Nothing is saved.

use axum::Json;
use axum::extract::{FromRequest, Multipart, State};
use serde::{Deserialize, Serialize};

use crate::auth::CurrentUser;
use crate::extract::ApiJson;
use crate::{AppError, AppState};

/// The text of a directive, as received (line breaks kept).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ParseBody {
    pub text: String,
}

/// The multipart form: a file (.txt, .docx, .pdf with a text layer) in `file`, or the
/// text in `text`.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ParseForm {
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    pub text: String,
}

/// What the reader found: one entry per document in the input.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Parsed {
    #[schema(value_type = Vec<ParsedDocument>)]
    pub documents: Vec<docparse::Document>,
}

/// One document (documentation of `docparse::Document`'s JSON).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ParsedDocument {
    /// Số, ký hiệu, e.g. "6794/UBND-KSTT".
    pub number: Option<String>,
    /// Tên loại: "Công văn", "Kế hoạch", "Công điện"…
    #[schema(rename = "type")]
    pub doc_type: Option<String>,
    pub issuer: Option<String>,
    pub place: Option<String>,
    /// ISO date of issue.
    pub date: Option<String>,
    pub subject: Option<String>,
    pub signer: Option<ParsedSigner>,
    pub recipients: Vec<String>,
    pub cited_documents: Vec<String>,
    pub tasks: Vec<ParsedTask>,
}

/// Người ký (documentation of `docparse::Signer`).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ParsedSigner {
    pub name: Option<String>,
    pub title: Option<String>,
    /// `TM.`, `KT.`, `Q.`, `TL.`, `TUQ.`, `TM.+KT.` or null.
    pub authority: Option<String>,
}

/// A proposed task (documentation of `docparse::Task`).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ParsedTask {
    pub content: String,
    pub lead: Vec<String>,
    pub support: Vec<String>,
    /// ISO date, or null.
    pub deadline: Option<String>,
    pub deadline_text: Option<String>,
    /// `weekly:N`, `weekly`, `monthly:DD`, `monthly`, `quarterly`, `semiannual`, `yearly`,
    /// `continuous` or null.
    pub recurrence: Option<String>,
    pub source: Option<String>,
}

/// Read a directive: JSON `{"text": "…"}`, or `multipart/form-data` with `file` or `text`.
#[utoipa::path(post, path = "/api/v1/directives/parse", tag = "directives", security(("bearer" = [])),
    request_body(content(
        (ParseBody = "application/json"),
        (ParseForm = "multipart/form-data"),
    )),
    responses((status = 200, body = Parsed), (status = 400), (status = 401), (status = 413),
        (status = 422, description = "Không có nội dung, tệp không đọc được, hoặc không nhận ra văn bản nào"),
        (status = 503, description = "Máy chủ đang bận đọc văn bản khác (`Retry-After`)")))]
pub async fn parse(
    State(state): State<AppState>,
    _user: CurrentUser,
    req: axum::extract::Request,
) -> Result<Json<Parsed>, AppError> {
    let (file, text) = if crate::upload::is_multipart(&req) {
        let mp = Multipart::from_request(req, &state)
            .await
            .map_err(|_| AppError::bad("Dữ liệu multipart không hợp lệ."))?;
        super::import::read_upload(mp).await?
    } else {
        let ApiJson(b) = ApiJson::<ParseBody>::from_request(req, &state).await?;
        (None, b.text)
    };
    let read = app::reader::directive(file, text).await?;
    Ok(Json(Parsed {
        documents: read.documents,
    }))
}
