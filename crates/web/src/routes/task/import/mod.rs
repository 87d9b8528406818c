//! Nhập văn bản — from the text of a directive (pasted, .txt, .docx, .pdf) or an appendix
//! table (.xlsx, .csv, .tsv, pasted) to directives and tasks. The reader only proposes:
//! the officer sees the proposal beside the source, corrects fields and agency matches,
//! and nothing is saved until they confirm.
//!
//! The proposal form lives in `form` (built from the reader's output, read back from the
//! post, the source marked), its validation into store inputs in `inputs`, and the pages
//! in `document` (a directive's text) and `table` (an appendix table of a directive).
//! This module holds what both pages share: the upload, the preview and the permission.

mod document;
mod form;
mod inputs;
mod table;

pub use document::{import_confirm, import_form, import_upload};
pub use form::{FormDoc, FormTask, LeadOption};
pub use table::{table_confirm, table_form, table_upload};

use askama::Template;
use axum::extract::Multipart;

use crate::AppError;
use crate::auth::CurrentUser;
use crate::views::Chrome;

// `task::today`, which the form's helpers name as `super::today`.
use super::today;

/// Largest accepted upload (a directive with its appendices is rarely above 2 MB).
const MAX_UPLOAD: usize = 10 * 1024 * 1024;

fn ensure_assigner(user: &CurrentUser) -> Result<(), AppError> {
    if user.principal.can_assign_tasks() {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

#[derive(Template)]
#[template(path = "task/import_preview.html")]
struct Preview {
    chrome: Chrome,
    docs: Vec<FormDoc>,
    source: String,
    marked: String,
    action: String,
    table_mode: bool,
    notice: Option<String>,
    row_errors: Vec<String>,
}

/// Reads the upload (a file, or pasted text) of a multipart form.
pub(crate) async fn read_upload(
    mut mp: Multipart,
) -> Result<(Option<(String, Vec<u8>)>, String), AppError> {
    let mut file = None;
    let mut text = String::new();
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|_| AppError::bad("Không đọc được dữ liệu tải lên."))?
    {
        match field.name().unwrap_or("") {
            "file" => {
                let name = field.file_name().unwrap_or("").to_string();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|_| AppError::bad("Không đọc được tệp tải lên."))?;
                if bytes.len() > MAX_UPLOAD {
                    return Err(AppError::bad("Tệp quá lớn (tối đa 10 MB)."));
                }
                if !name.is_empty() && !bytes.is_empty() {
                    file = Some((name, bytes.to_vec()));
                }
            }
            "text" => {
                text = field
                    .text()
                    .await
                    .map_err(|_| AppError::bad("Văn bản dán vào không phải UTF-8 hợp lệ."))?
            }
            _ => {}
        }
    }
    Ok((file, text))
}
