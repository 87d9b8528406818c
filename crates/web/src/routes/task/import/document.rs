//! The import of a directive's text: the upload form, the preview of what the reader
//! proposed beside the marked source, and the confirmation that saves the directives and
//! their tasks once every included row is valid.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;

use super::form::{doc_date, form_from_post, form_of, highlight, matcher};
use super::inputs::{directive_input, supports, task_inputs};
use super::{Preview, ensure_assigner, read_upload};
use crate::auth::CurrentUser;
use crate::extract::set_flash;
use crate::views::Chrome;
use crate::{AppError, AppState};

#[derive(Template)]
#[template(path = "task/import_form.html")]
struct ImportForm {
    chrome: Chrome,
    error: Option<String>,
    text: String,
}

pub async fn import_form(user: CurrentUser) -> Result<Response, AppError> {
    ensure_assigner(&user)?;
    let page = ImportForm {
        chrome: Chrome::new(&user, "/van-ban", "Nhập văn bản chỉ đạo", None),
        error: None,
        text: String::new(),
    };
    Ok(Html(page.render()?).into_response())
}

pub async fn import_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    mp: Multipart,
) -> Result<Response, AppError> {
    ensure_assigner(&user)?;
    let (file, text) = read_upload(mp).await?;
    let read = match app::reader::directive(file, text.clone()).await {
        Ok(r) => r,
        Err(e) => {
            // A file that cannot be read, or is over a limit: the form again, with the
            // sentence; a busy server is an error page with its Retry-After.
            let status = match &e {
                app::ServiceError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                app::ServiceError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
                _ => return Err(e.into()),
            };
            let page = ImportForm {
                chrome: Chrome::new(&user, "/van-ban", "Nhập văn bản chỉ đạo", None),
                error: Some(e.to_string()),
                text,
            };
            return Ok((status, Html(page.render()?)).into_response());
        }
    };
    let (source, docs) = (read.source, read.documents);
    let (m, agencies) = matcher(&state).await?;
    let docs = form_of(&docs, &m, &agencies);
    let page = Preview {
        chrome: Chrome::new(&user, "/van-ban", "Kiểm tra văn bản trước khi lưu", None),
        marked: highlight(&source, &docs),
        docs,
        source,
        action: "/van-ban/nhap/xac-nhan".into(),
        table_mode: false,
        notice: None,
        row_errors: Vec::new(),
    };
    Ok(Html(page.render()?).into_response())
}

pub async fn import_confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    ensure_assigner(&user)?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
        .map_err(|_| AppError::bad("Dữ liệu biểu mẫu không hợp lệ."))?;
    let (m, agencies) = matcher(&state).await?;
    let mut docs = form_from_post(&pairs, &m, &agencies);
    let source = pairs
        .iter()
        .find(|(k, _)| k == "source")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    // Validate everything first; save nothing unless all included rows are valid.
    let mut plan = Vec::new();
    let mut ok = true;
    for d in docs.iter_mut().filter(|d| d.include) {
        let input = match directive_input(d) {
            Ok(i) => Some(i),
            Err(e) => {
                d.errors = e;
                ok = false;
                None
            }
        };
        let on = doc_date(d);
        let mut tasks = Vec::new();
        for t in d.tasks.iter_mut().filter(|t| t.include) {
            let mut inputs = task_inputs(t, 0, &agencies);
            if !t.error.is_empty() {
                ok = false;
            }
            let sup = supports(&m, &t.support_text, on);
            for i in inputs.iter_mut() {
                i.support_agency_ids = sup
                    .iter()
                    .copied()
                    .filter(|s| Some(*s) != i.lead_agency_id)
                    .collect();
            }
            tasks.extend(inputs);
        }
        plan.push((input, tasks));
    }
    if !ok || plan.is_empty() {
        let notice = if plan.is_empty() {
            "Chưa chọn văn bản nào để lưu."
        } else {
            "Có lỗi cần sửa; chưa lưu gì."
        };
        let page = Preview {
            chrome: Chrome::new(&user, "/van-ban", "Kiểm tra văn bản trước khi lưu", None),
            marked: highlight(&source, &docs),
            docs,
            source,
            action: "/van-ban/nhap/xac-nhan".into(),
            table_mode: false,
            notice: Some(notice.into()),
            row_errors: Vec::new(),
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response());
    }
    let (mut n_dirs, mut n_tasks, mut first) = (0, 0, None);
    for (input, tasks) in plan {
        let Some(input) = input else { continue };
        let d = app::task::register_directive(&state, &user, &input)
            .await
            .map_err(|e| match e {
                app::ServiceError::Duplicate { field, .. } => AppError::Duplicate {
                    field,
                    message: format!(
                        "Văn bản {} đã được đăng ký trước đó; không lưu lại.",
                        input.number
                    ),
                },
                e => e.into(),
            })?;
        first.get_or_insert(d.id);
        n_dirs += 1;
        n_tasks += app::task::import_tasks(&state, &user, d.id, tasks).await?;
    }
    let jar = set_flash(
        jar,
        &format!("Đã lưu {n_dirs} văn bản và giao {n_tasks} nhiệm vụ."),
    );
    let to = first
        .map(|id| format!("/van-ban/{id}"))
        .unwrap_or_else(|| "/van-ban".into());
    Ok((jar, Redirect::to(&to)).into_response())
}
