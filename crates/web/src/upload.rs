//! Multipart forms that carry files (evidence, signed copies, dossier documents): the text
//! fields and the files, checked for count, size and type, with Vietnamese refusals.

use std::collections::HashMap;

use axum::extract::Multipart;
use store::file::{MAX_BYTES, MAX_FILES, NewFile};

use crate::AppError;

/// File types an office exchanges: documents, spreadsheets, scans and archives. Anything
/// else (executables, scripts, HTML that a browser would run) is refused.
const TYPES: &[(&str, &str)] = &[
    ("pdf", "application/pdf"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("doc", "application/msword"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("xls", "application/vnd.ms-excel"),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ("txt", "text/plain; charset=utf-8"),
    ("csv", "text/csv; charset=utf-8"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("png", "image/png"),
    ("tif", "image/tiff"),
    ("tiff", "image/tiff"),
    ("zip", "application/zip"),
    ("rar", "application/vnd.rar"),
];

/// The media type served for a file name, when its extension is accepted.
pub fn media_type(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    TYPES.iter().find(|(e, _)| *e == ext).map(|(_, t)| *t)
}

/// A file name safe to store and to send back in Content-Disposition: the last path
/// component, NFC, without control characters or quotes, at most 200 characters.
pub fn clean_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let s: String = domain::text::nfc(base)
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(200)
        .collect();
    s.trim().to_string()
}

/// Whether a request carries `multipart/form-data`.
pub fn is_multipart(req: &axum::extract::Request) -> bool {
    req.headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"))
}

/// Most bytes of one multipart form: every file at its largest and 1 MB of fields.
pub const MAX_FORM_BYTES: usize = MAX_FILES * MAX_BYTES + 1024 * 1024;

/// A form over [`MAX_FORM_BYTES`] is a 413 that names the limits; anything else unreadable
/// is a 400.
fn too_large_or_bad(e: axum::extract::multipart::MultipartError) -> AppError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        AppError::TooLarge(format!(
            "Dữ liệu tải lên vượt quá {} MB (tối đa {MAX_FILES} tệp, mỗi tệp {} MB).",
            MAX_FORM_BYTES / 1024 / 1024,
            MAX_BYTES / 1024 / 1024
        ))
    } else {
        AppError::bad("Không đọc được dữ liệu tải lên.")
    }
}

/// A multipart form: its text fields (last value wins) and its files.
#[derive(Debug, Default)]
pub struct Upload {
    pub fields: HashMap<String, String>,
    pub files: Vec<NewFile>,
}

impl Upload {
    pub fn field(&self, name: &str) -> String {
        self.fields.get(name).cloned().unwrap_or_default()
    }

    /// Reads every part; parts named `file_field` (or `<file_field>[]`) are files, the
    /// others text. Empty file inputs (nothing chosen) are skipped. A field named
    /// `digitized` set to `1`/`on` marks every file as digitised.
    pub async fn read(mut mp: Multipart, file_field: &str) -> Result<Upload, AppError> {
        let mut up = Upload::default();
        let multi = format!("{file_field}[]");
        while let Some(field) = mp.next_field().await.map_err(too_large_or_bad)? {
            let name = field.name().unwrap_or("").to_string();
            if name == file_field || name == multi {
                let file_name = clean_name(field.file_name().unwrap_or(""));
                let bytes = field.bytes().await.map_err(too_large_or_bad)?;
                if file_name.is_empty() && bytes.is_empty() {
                    continue;
                }
                if bytes.is_empty() {
                    return Err(AppError::bad(format!("Tệp “{file_name}” rỗng.")));
                }
                if bytes.len() > MAX_BYTES {
                    return Err(AppError::bad(format!(
                        "Tệp “{file_name}” quá lớn (tối đa {} MB).",
                        MAX_BYTES / 1024 / 1024
                    )));
                }
                let Some(media) = media_type(&file_name) else {
                    return Err(AppError::bad(format!(
                        "Không nhận tệp “{file_name}”: chỉ nhận PDF, Word, Excel, OpenDocument, \
                         ảnh (JPG, PNG, TIFF), văn bản, CSV, ZIP hoặc RAR."
                    )));
                };
                if up.files.len() == MAX_FILES {
                    return Err(AppError::bad(format!(
                        "Mỗi lần chỉ đính kèm tối đa {MAX_FILES} tệp."
                    )));
                }
                up.files.push(NewFile {
                    name: file_name,
                    media_type: media.to_string(),
                    bytes: bytes.to_vec(),
                    digitized: false,
                });
            } else {
                let text = field
                    .text()
                    .await
                    .map_err(|_| AppError::bad("Dữ liệu biểu mẫu không phải UTF-8 hợp lệ."))?;
                up.fields.insert(name, text);
            }
        }
        if matches!(up.field("digitized").as_str(), "1" | "on" | "true") {
            for f in &mut up.files {
                f.digitized = true;
            }
        }
        Ok(up)
    }
}

/// A page form posted either as `multipart/form-data` (with files in a field named
/// `files`) or as a plain urlencoded form (no files): both arrive as an [`Upload`].
pub struct Posted(pub Upload);

impl<S: Send + Sync> axum::extract::FromRequest<S> for Posted {
    type Rejection = AppError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, AppError> {
        if is_multipart(&req) {
            let mp = Multipart::from_request(req, state)
                .await
                .map_err(|_| AppError::bad("Dữ liệu multipart không hợp lệ."))?;
            return Ok(Posted(Upload::read(mp, "files").await?));
        }
        let crate::extract::PageForm(fields) =
            crate::extract::PageForm::<HashMap<String, String>>::from_request(req, state).await?;
        Ok(Posted(Upload {
            fields,
            files: Vec::new(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_types() {
        assert_eq!(clean_name("C:\\tmp\\Báo cáo.PDF"), "Báo cáo.PDF");
        assert_eq!(media_type("Báo cáo.PDF"), Some("application/pdf"));
        assert_eq!(media_type("x.exe"), None);
        assert_eq!(media_type("noext"), None);
        assert_eq!(clean_name("../../etc/\"passwd\""), "passwd");
    }
}
