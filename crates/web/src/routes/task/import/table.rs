//! The import of an appendix table into a directive's tasks: the upload form, the
//! preview listing every bad row with its line, and the confirmation that imports the
//! valid rows.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;

use super::form::{FormDoc, FormTask, form_from_post, iso_to_vn, lead_options, matcher};
use super::inputs::{supports, task_inputs};
use super::{Preview, ensure_assigner, read_upload};
use crate::auth::CurrentUser;
use crate::extract::set_flash;
use crate::routes::parse_id;
use crate::views::{Chrome, date_vn};
use crate::{AppError, AppState};

#[derive(Template)]
#[template(path = "task/table_form.html")]
struct TableForm {
    chrome: Chrome,
    d: store::directive::Directive,
    error: Option<String>,
}

pub async fn table_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    ensure_assigner(&user)?;
    let d = app::directive::visible(&state, &user.principal, parse_id(&id)?).await?;
    let page = TableForm {
        chrome: Chrome::new(
            &user,
            "/van-ban",
            format!("Nhập bảng nhiệm vụ – {}", d.number),
            None,
        ),
        d,
        error: None,
    };
    Ok(Html(page.render()?).into_response())
}

/// An appendix table: rows become proposed tasks; every bad row is listed with its line,
/// and nothing is imported until the officer confirms the valid rows.
pub async fn table_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    mp: Multipart,
) -> Result<Response, AppError> {
    ensure_assigner(&user)?;
    let d = app::directive::visible(&state, &user.principal, parse_id(&id)?).await?;
    let (file, text) = read_upload(mp).await?;
    let table = match app::reader::task_table(file, text).await {
        Ok(t) => t,
        Err(e) => {
            // Unreadable or over a limit: the form again with the sentence; a busy
            // server is an error page with its Retry-After.
            let status = match &e {
                app::ServiceError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                app::ServiceError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
                _ => return Err(e.into()),
            };
            let page = TableForm {
                chrome: Chrome::new(&user, "/van-ban", "Nhập bảng nhiệm vụ", None),
                d,
                error: Some(e.to_string()),
            };
            return Ok((status, Html(page.render()?)).into_response());
        }
    };
    let (m, agencies) = matcher(&state).await?;
    let on = d.issued_on;
    let mut doc = FormDoc {
        include: true,
        number: d.number.clone(),
        doc_type: d.doc_type.clone(),
        issuer: d.issuer.clone(),
        date: date_vn(&d.issued_on),
        subject: d.subject.clone(),
        ..Default::default()
    };
    for r in &table.rows {
        let leads: Vec<String> = if r.lead.is_empty() {
            vec![String::new()]
        } else {
            r.lead.clone()
        };
        for lead in leads {
            doc.tasks.push(FormTask {
                include: true,
                content: r.content.clone(),
                lead_options: lead_options(&m, &agencies, &lead, on, None),
                lead_text: lead,
                support_text: r.support.join("; "),
                deadline: iso_to_vn(r.deadline.as_deref()),
                deadline_text: r.time_text.clone(),
                recurrence: r.recurrence.clone().unwrap_or_default(),
                source: format!("Phụ lục, STT {} (dòng {})", r.stt, r.line),
                ..Default::default()
            });
        }
    }
    let row_errors: Vec<String> = table.errors.iter().map(|e| e.message.clone()).collect();
    let notice = (!row_errors.is_empty()).then(|| {
        format!(
            "Bảng có {} dòng lỗi (liệt kê bên dưới); chưa nhập gì. Có thể sửa tệp và tải lại, hoặc xác nhận để chỉ nhập {} dòng hợp lệ.",
            row_errors.len(),
            doc.tasks.len()
        )
    });
    let page = Preview {
        chrome: Chrome::new(
            &user,
            "/van-ban",
            format!("Kiểm tra bảng nhiệm vụ – {}", d.number),
            None,
        ),
        marked: String::new(),
        docs: vec![doc],
        source: String::new(),
        action: format!("/van-ban/{}/nhap-bang/xac-nhan", d.id),
        table_mode: true,
        notice,
        row_errors,
    };
    Ok(Html(page.render()?).into_response())
}

pub async fn table_confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    ensure_assigner(&user)?;
    let d = app::directive::visible(&state, &user.principal, parse_id(&id)?).await?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
        .map_err(|_| AppError::bad("Dữ liệu biểu mẫu không hợp lệ."))?;
    let (m, agencies) = matcher(&state).await?;
    let mut docs = form_from_post(&pairs, &m, &agencies);
    let mut inputs = Vec::new();
    let mut ok = true;
    for doc in docs.iter_mut() {
        for t in doc.tasks.iter_mut().filter(|t| t.include) {
            let mut rows = task_inputs(t, d.id, &agencies);
            if !t.error.is_empty() {
                ok = false;
            }
            let sup = supports(&m, &t.support_text, d.issued_on);
            for i in rows.iter_mut() {
                i.support_agency_ids = sup
                    .iter()
                    .copied()
                    .filter(|s| Some(*s) != i.lead_agency_id)
                    .collect();
            }
            inputs.extend(rows);
        }
    }
    if !ok || inputs.is_empty() {
        let page = Preview {
            chrome: Chrome::new(
                &user,
                "/van-ban",
                format!("Kiểm tra bảng nhiệm vụ – {}", d.number),
                None,
            ),
            marked: String::new(),
            docs,
            source: String::new(),
            action: format!("/van-ban/{}/nhap-bang/xac-nhan", d.id),
            table_mode: true,
            notice: Some(if inputs.is_empty() && ok {
                "Chưa chọn dòng nào để nhập.".into()
            } else {
                "Có lỗi cần sửa; chưa nhập gì.".into()
            }),
            row_errors: Vec::new(),
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response());
    }
    let n = app::task::import_tasks(&state, &user, d.id, inputs).await?;
    let jar = set_flash(jar, &format!("Đã nhập {n} nhiệm vụ từ bảng."));
    Ok((jar, Redirect::to(&format!("/van-ban/{}", d.id))).into_response())
}
