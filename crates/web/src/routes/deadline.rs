//! Ngày hẹn trả before saving: `GET /api/v1/deadline` and the intake page's preview
//! (`GET /ho-so/ngay-hen`), over [`app::deadline`] — the same clock as intake and
//! `cchc deadline`.

use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::response::Html;
use chrono::NaiveDateTime;
use domain::dossier::clock::Channel;
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::extract::Q;
use crate::{AppError, AppState};
pub use app::deadline::DeadlineOut;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeadlineQuery {
    /// A catalog procedure (code or id); or give `limit`.
    pub procedure: Option<String>,
    /// A time limit as published ("05 ngày làm việc", "30 ngày", "Trong ngày").
    pub limit: Option<String>,
    /// Reception instant in Vietnam time, `YYYY-MM-DDTHH:MM`; default now.
    pub received: Option<String>,
    /// desk (default) or online.
    pub channel: Option<String>,
}

fn received(s: Option<&str>) -> Result<NaiveDateTime, AppError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(domain::time::now_local()),
        Some(s) => NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").map_err(|_| {
            AppError::bad("Thời điểm tiếp nhận không hợp lệ (dạng YYYY-MM-DDTHH:MM, giờ Việt Nam).")
        }),
    }
}

fn channel(s: Option<&str>) -> Result<Channel, AppError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(Channel::Desk),
        Some(s) => Channel::parse(s).ok_or_else(|| {
            AppError::bad("Kênh nộp phải là desk (trực tiếp) hoặc online (trực tuyến).")
        }),
    }
}

/// The appointment of a reception: the day counting starts, the appointment (+07:00) and
/// every rule applied with its legal basis.
#[utoipa::path(get, path = "/api/v1/deadline", tag = "calendar", params(DeadlineQuery), security(("bearer" = [])),
    responses((status = 200, body = DeadlineOut), (status = 400), (status = 404), (status = 422)))]
pub async fn api(
    State(state): State<AppState>,
    _user: CurrentUser,
    Q(q): Q<DeadlineQuery>,
) -> Result<Json<DeadlineOut>, AppError> {
    let at = received(q.received.as_deref())?;
    let ch = channel(q.channel.as_deref())?;
    let out = match (q.procedure.as_deref().map(str::trim), q.limit.as_deref()) {
        (Some(p), _) if !p.is_empty() => app::deadline::for_procedure(&state, p, at, ch).await?,
        (_, Some(l)) => {
            let cal = state.calendar.get(&state.db).await?;
            app::deadline::reckon_text(&cal, l, at, ch)?
        }
        _ => {
            return Err(AppError::bad(
                "Cần mã thủ tục (procedure) hoặc thời hạn (limit).",
            ));
        }
    };
    Ok(Json(out))
}

#[derive(Debug, Deserialize)]
pub struct PreviewQuery {
    #[serde(default)]
    tthc: String,
    #[serde(default)]
    channel: String,
}

/// `GET /ho-so/ngay-hen`: the intake form's preview of the appointment for the procedure
/// typed ("1.001234 – Tên"), received now (htmx fragment).
pub async fn preview(
    State(state): State<AppState>,
    _user: CurrentUser,
    Q(q): Q<PreviewQuery>,
) -> Result<Html<String>, AppError> {
    let code = q.tthc.split(" – ").next().unwrap_or("").trim().to_string();
    if code.is_empty() {
        return Ok(Html(String::new()));
    }
    let ch = Channel::of_code(q.channel.trim().parse().unwrap_or(1));
    let at = domain::time::now_local();
    let mut page = Preview {
        out: None,
        appointment: None,
        counted_from: String::new(),
        error: None,
        not_found: false,
    };
    match app::deadline::for_procedure(&state, &code, at, ch).await {
        Ok(d) => {
            let when = |s: &str| {
                NaiveDateTime::parse_from_str(s.get(..19).unwrap_or(s), "%Y-%m-%dT%H:%M:%S").ok()
            };
            page.appointment = d
                .appointment
                .as_deref()
                .and_then(when)
                .map(|t| t.format("%H:%M %d/%m/%Y").to_string());
            page.counted_from = chrono::NaiveDate::parse_from_str(&d.counted_from, "%Y-%m-%d")
                .map(|x| domain::fmt::date_vn(&x))
                .unwrap_or_default();
            page.out = Some(d);
        }
        Err(app::ServiceError::NotFound) => page.not_found = true,
        Err(app::ServiceError::Invalid(e)) => {
            page.error = Some(
                e.into_iter()
                    .map(|e| e.message)
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        }
        Err(e) => return Err(e.into()),
    }
    Ok(Html(page.render()?))
}

#[derive(Template)]
#[template(path = "dossier/deadline_preview.html")]
struct Preview {
    out: Option<DeadlineOut>,
    appointment: Option<String>,
    counted_from: String,
    error: Option<String>,
    not_found: bool,
}
