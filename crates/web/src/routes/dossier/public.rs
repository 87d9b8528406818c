//! Tra cứu hồ sơ — the public look-up by dossier code with a second factor (the last four
//! digits of the applicant's phone, or of their ID number when no phone was given), on a
//! phone-friendly page. Nothing else about the dossier or the applicant is shown.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use domain::dossier::DossierStatus;
use serde::Deserialize;

use crate::auth::{CurrentUser, MaybeUser};
use crate::extract::Q;
use crate::views::{Chrome, datetime_vn};
use crate::{AppError, AppState};

#[derive(Deserialize, Default)]
pub struct LookupQuery {
    ma: Option<String>,
    so: Option<String>,
}

pub struct Found {
    pub code: String,
    pub procedure: String,
    pub agency: String,
    pub status: &'static str,
    pub received: String,
    pub appointment: String,
    pub rescheduled: String,
    pub returned: String,
    pub done: bool,
}

#[derive(Template)]
#[template(path = "dossier/lookup.html")]
struct LookupPage {
    chrome: Chrome,
    ma: String,
    so: String,
    found: Option<Found>,
    error: Option<String>,
}

fn chrome(user: &Option<CurrentUser>) -> Chrome {
    match user {
        Some(u) => Chrome::new(u, "/tra-cuu", "Tra cứu hồ sơ", None),
        None => Chrome::public("Tra cứu hồ sơ", String::new()),
    }
}

/// `GET /tra-cuu?ma=…&so=…`
pub async fn lookup(
    State(state): State<AppState>,
    crate::extract::ClientIp(ip): crate::extract::ClientIp,
    MaybeUser(user): MaybeUser,
    Q(q): Q<LookupQuery>,
) -> Result<Response, AppError> {
    let ma = q.ma.unwrap_or_default().trim().to_ascii_uppercase();
    let so: String = q.so.unwrap_or_default().trim().to_string();
    let mut page = LookupPage {
        chrome: chrome(&user),
        ma: ma.chars().take(40).collect(),
        so: so.chars().take(4).collect(),
        found: None,
        error: None,
    };
    if !ma.is_empty() || !so.is_empty() {
        let not_found = "Không tìm thấy hồ sơ với mã và 4 số cuối đã nhập. Vui lòng kiểm tra lại giấy tiếp nhận.";
        if domain::dossier::DossierCode::parse(&ma).is_err() {
            page.error =
                Some("Mã hồ sơ không đúng dạng (ví dụ: 000.00.12.H40-231005-0001).".into());
        } else if !(so.len() == 4 && so.chars().all(|c| c.is_ascii_digit())) {
            page.error = Some("Nhập đúng 4 chữ số cuối của số điện thoại (hoặc số định danh) đã khai khi nộp hồ sơ.".into());
        } else {
            match super::lookup_public(&state, ip.as_deref(), &ma, &so).await? {
                Some(d) => {
                    page.found = Some(Found {
                        code: d.code.clone(),
                        procedure: d.tthc_name.clone(),
                        agency: d.agency_name.clone(),
                        status: d.status.label(),
                        received: d.received_at.map(|t| datetime_vn(&t)).unwrap_or_default(),
                        appointment: d
                            .appointment_at
                            .map(|t| datetime_vn(&t))
                            .unwrap_or_default(),
                        rescheduled: d
                            .rescheduled_at
                            .map(|t| datetime_vn(&t))
                            .unwrap_or_default(),
                        returned: d.returned_at.map(|t| datetime_vn(&t)).unwrap_or_default(),
                        done: matches!(d.status, DossierStatus::Finished | DossierStatus::Returned),
                    });
                }
                None => page.error = Some(not_found.into()),
            }
        }
    }
    Ok(Html(page.render()?).into_response())
}
