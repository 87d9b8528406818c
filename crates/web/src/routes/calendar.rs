//! Lịch làm việc — the legal calendar: every day off with its reason, make-up working days,
//! the administrator's corrections, and working-day arithmetic for everyone.

use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use chrono::{Datelike, NaiveDate, Weekday};
use domain::calendar::{CalendarDay, DayKind};
use domain::validate::FieldError;
use serde::{Deserialize, Serialize};

pub use app::calendar_entry::{EntryFields, check_entry};

use crate::auth::CurrentUser;
use crate::extract::{ApiJson, PageForm, Q, set_flash, take_flash};
use crate::routes::parse_id;
use crate::views::{Chrome, date_vn, datetime_vn};
use crate::{AppError, AppState};

const KINDS: [DayKind; 4] = [
    DayKind::Holiday,
    DayKind::Compensatory,
    DayKind::SwappedOff,
    DayKind::MakeupWorkday,
];

fn weekday_vn(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "Thứ Hai",
        Weekday::Tue => "Thứ Ba",
        Weekday::Wed => "Thứ Tư",
        Weekday::Thu => "Thứ Năm",
        Weekday::Fri => "Thứ Sáu",
        Weekday::Sat => "Thứ Bảy",
        Weekday::Sun => "Chủ Nhật",
    }
}

fn check_year(y: i32) -> Result<i32, AppError> {
    if (1900..=2199).contains(&y) {
        Ok(y)
    } else {
        Err(AppError::bad("Năm phải trong khoảng 1900–2199."))
    }
}

pub struct DayView {
    pub date: String,
    pub weekday: &'static str,
    pub kind: &'static str,
    pub off: bool,
    pub name: String,
    pub decided_by: String,
    pub source: String,
    pub confirmed: bool,
    pub decided: bool,
}

fn day_view(d: &CalendarDay) -> DayView {
    DayView {
        date: date_vn(&d.date),
        weekday: weekday_vn(d.date),
        kind: d.kind.label_vi(),
        off: !d.working,
        name: d.name.clone(),
        decided_by: d.decided_by.clone(),
        source: d.source.clone(),
        confirmed: d.confirmed,
        decided: d.decided,
    }
}

pub struct EntryView {
    pub row: store::calendar::EntryRow,
    pub date: String,
    pub weekday: &'static str,
    pub kind: &'static str,
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    chrome: Chrome,
    year: i32,
    days: Vec<DayView>,
    runs: Vec<String>,
    entries: Vec<EntryView>,
    working_days: i64,
    version: String,
    versions: Vec<(String, String, String)>,
    is_admin: bool,
    kinds: Vec<(&'static str, &'static str)>,
    f: EntryFields,
    errors: Vec<FieldError>,
    calc_from: String,
    calc_days: String,
    calc_result: Option<String>,
    calc_error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    nam: Option<String>,
    tu: Option<String>,
    so: Option<String>,
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    q: &PageQuery,
    flash: Option<String>,
    f: EntryFields,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let year = match q.nam.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(y) => check_year(y.parse().map_err(|_| AppError::bad("Năm không hợp lệ."))?)?,
        None => chrono::Utc::now().year(),
    };
    let cal = state.calendar.get(&state.db).await?;
    let days = cal.days_off(year).iter().map(day_view).collect();
    let runs = cal
        .days_off_runs(year)
        .iter()
        .filter(|r| r.days >= 3)
        .map(|r| {
            format!(
                "{} – {} ({} ngày)",
                date_vn(&r.first),
                date_vn(&r.last),
                r.days
            )
        })
        .collect();
    let listed = app::calendar_entry::of_year(state, year).await?;
    let entries = listed
        .entries
        .into_iter()
        .map(|row| EntryView {
            date: date_vn(&row.day),
            weekday: weekday_vn(row.day),
            kind: DayKind::parse(&row.kind).map_or("?", DayKind::label_vi),
            row,
        })
        .collect();
    let versions = listed
        .versions
        .into_iter()
        .map(|v| {
            (
                datetime_vn(&v.created_at),
                v.reason,
                v.username.unwrap_or_default(),
            )
        })
        .collect();
    // The working-day calculator.
    let calc_from = q.tu.clone().unwrap_or_default();
    let calc_days = q.so.clone().unwrap_or_default();
    let (mut calc_result, mut calc_error) = (None, None);
    if !calc_from.trim().is_empty() {
        match (
            domain::validate::parse_date(&calc_from),
            calc_days.trim().parse::<u32>(),
        ) {
            (Some(d), Ok(n)) if n <= 3650 => match cal.add_working_days(d, n) {
                Ok(r) => {
                    calc_result = Some(format!(
                        "{n} ngày làm việc sau {} là {} {}",
                        date_vn(&d),
                        weekday_vn(r),
                        date_vn(&r)
                    ))
                }
                Err(_) => calc_error = Some("Ngày nằm ngoài phạm vi lịch (1900–2199).".into()),
            },
            (None, _) => calc_error = Some("Ngày bắt đầu không đúng định dạng dd/mm/yyyy.".into()),
            _ => calc_error = Some("Số ngày làm việc phải là số nguyên từ 0 đến 3650.".into()),
        }
    }
    let page = CalendarPage {
        chrome: Chrome::new(
            user,
            "/lich-lam-viec",
            format!("Lịch làm việc năm {year}"),
            flash,
        ),
        year,
        days,
        runs,
        entries,
        working_days: cal.working_days_in_year(year).unwrap_or(0),
        version: cal.version().chars().take(12).collect(),
        versions,
        is_admin: user.principal.is_admin(),
        kinds: KINDS.iter().map(|k| (k.as_str(), k.label_vi())).collect(),
        f,
        errors,
        calc_from,
        calc_days,
        calc_result,
        calc_error,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Q(q): Q<PageQuery>,
) -> Result<Response, AppError> {
    let (jar, flash) = take_flash(jar);
    let f = EntryFields {
        confirmed: "1".into(),
        kind: "swapped_off".into(),
        ..Default::default()
    };
    let res = render(&state, &user, &q, flash, f, Vec::new(), StatusCode::OK).await?;
    Ok((jar, res).into_response())
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    PageForm(f): PageForm<EntryFields>,
) -> Result<Response, AppError> {
    if !user.principal.is_admin() {
        return Err(AppError::forbidden());
    }
    let e = match check_entry(&f) {
        Ok(e) => e,
        Err(errors) => {
            let q = PageQuery {
                nam: domain::validate::parse_date(&f.date).map(|d| d.year().to_string()),
                ..Default::default()
            };
            return render(
                &state,
                &user,
                &q,
                None,
                f,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let c = app::calendar_entry::save(&state, &user, None, &e).await?;
    let (moved, dossiers) = (c.moved, c.dossiers_moved);
    let jar = set_flash(
        jar,
        &format!(
            "Đã thêm ngày {} ({}) và cập nhật lịch; {moved} hạn nhiệm vụ và {dossiers} hạn hồ sơ đang mở được tính lại.",
            date_vn(&e.date),
            e.kind.label_vi()
        ),
    );
    Ok((
        jar,
        Redirect::to(&format!("/lich-lam-viec?nam={}", e.date.year())),
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct ActiveForm {
    active: String,
}

pub async fn set_active(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    PageForm(f): PageForm<ActiveForm>,
) -> Result<Response, AppError> {
    if !user.principal.is_admin() {
        return Err(AppError::forbidden());
    }
    let id = parse_id(&id)?;
    let active = match f.active.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(AppError::bad("Trạng thái không hợp lệ.")),
    };
    let app::calendar_entry::Changed {
        row,
        moved,
        dossiers_moved: dossiers,
        ..
    } = app::calendar_entry::set_active(&state, &user, id, active).await?;
    let verb = if active { "Khôi phục" } else { "Hủy bỏ" };
    let jar = set_flash(
        jar,
        &format!(
            "{verb} ngày {} và cập nhật lịch; {moved} hạn nhiệm vụ và {dossiers} hạn hồ sơ đang mở được tính lại.",
            date_vn(&row.day)
        ),
    );
    Ok((
        jar,
        Redirect::to(&format!("/lich-lam-viec?nam={}", row.day.year())),
    )
        .into_response())
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DayOut {
    pub date: NaiveDate,
    /// holiday, compensatory, swapped_off, makeup_workday
    pub kind: String,
    pub name: String,
    pub decided_by: String,
    pub confirmed: bool,
    pub source: String,
    /// Whether the day is worked in the final calendar.
    pub working: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct YearOut {
    pub year: i32,
    /// Content hash of the calendar's inputs; deadlines record it.
    pub version: String,
    pub working_days: i64,
    pub days: Vec<DayOut>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    pub year: Option<i32>,
}

/// Days off and make-up working days of a year, with reasons and sources.
#[utoipa::path(get, path = "/api/v1/calendar", tag = "calendar", params(YearQuery), security(("bearer" = [])),
    responses((status = 200, body = YearOut)))]
pub async fn api_year(
    State(state): State<AppState>,
    _user: CurrentUser,
    Q(q): Q<YearQuery>,
) -> Result<Json<YearOut>, AppError> {
    let year = check_year(q.year.unwrap_or_else(|| chrono::Utc::now().year()))?;
    let cal = state.calendar.get(&state.db).await?;
    Ok(Json(YearOut {
        year,
        version: cal.version().to_string(),
        working_days: cal.working_days_in_year(year).unwrap_or(0),
        days: cal
            .days_off(year)
            .into_iter()
            .map(|d| DayOut {
                date: d.date,
                kind: d.kind.as_str().into(),
                name: d.name,
                decided_by: d.decided_by,
                confirmed: d.confirmed,
                source: d.source,
                working: d.working,
            })
            .collect(),
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AddQuery {
    /// YYYY-MM-DD or dd/mm/yyyy
    pub date: String,
    pub days: u32,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AddOut {
    pub date: NaiveDate,
    pub days: u32,
    /// The `days`-th working day after `date` (the start day is not counted).
    pub result: NaiveDate,
    pub version: String,
}

/// Working-day arithmetic: the date N working days after a date.
#[utoipa::path(get, path = "/api/v1/calendar/add", tag = "calendar", params(AddQuery), security(("bearer" = [])),
    responses((status = 200, body = AddOut), (status = 400)))]
pub async fn api_add(
    State(state): State<AppState>,
    _user: CurrentUser,
    Q(q): Q<AddQuery>,
) -> Result<Json<AddOut>, AppError> {
    let date = domain::validate::parse_date(&q.date)
        .ok_or_else(|| AppError::bad("Ngày không đúng định dạng (YYYY-MM-DD hoặc dd/mm/yyyy)."))?;
    if q.days > 3650 {
        return Err(AppError::bad("Số ngày làm việc tối đa là 3650."));
    }
    let cal = state.calendar.get(&state.db).await?;
    let result = cal
        .add_working_days(date, q.days)
        .map_err(|_| AppError::bad("Ngày nằm ngoài phạm vi lịch (1900–2199)."))?;
    Ok(Json(AddOut {
        date,
        days: q.days,
        result,
        version: cal.version().to_string(),
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct EntryBody {
    pub date: String,
    /// holiday, compensatory, swapped_off, makeup_workday
    pub kind: String,
    pub name: String,
    pub decided_by: Option<String>,
    pub source: Option<String>,
    pub confirmed: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct EntryOut {
    pub id: i64,
    pub date: NaiveDate,
    pub kind: String,
    pub name: String,
    pub decided_by: String,
    pub confirmed: bool,
    pub source: String,
    pub active: bool,
    /// The calendar version after the change.
    pub calendar_version: String,
    /// Open deadlines the change moved (occurrences of recurring tasks).
    pub rescheduled: usize,
    /// Open dossiers whose appointment in force the change moved.
    pub rescheduled_dossiers: usize,
}

fn fields_of(b: EntryBody) -> EntryFields {
    EntryFields {
        date: b.date,
        kind: b.kind,
        name: b.name,
        decided_by: b.decided_by.unwrap_or_default(),
        source: b.source.unwrap_or_default(),
        confirmed: if b.confirmed { "1".into() } else { "0".into() },
    }
}

fn entry_out(c: app::calendar_entry::Changed) -> EntryOut {
    let (r, version) = (c.row, c.calendar.version());
    EntryOut {
        id: r.id,
        date: r.day,
        kind: r.kind,
        name: r.name,
        decided_by: r.decided_by,
        confirmed: r.confirmed,
        source: r.source,
        active: r.active,
        calendar_version: version.to_string(),
        rescheduled: c.moved,
        rescheduled_dossiers: c.dossiers_moved,
    }
}

/// Add a government decision (day off, swap, make-up working day); the calendar is
/// rebuilt and a new version recorded (administrators).
#[utoipa::path(post, path = "/api/v1/calendar/entries", tag = "calendar", request_body = EntryBody, security(("bearer" = [])),
    responses((status = 201, body = EntryOut), (status = 403), (status = 422)))]
pub async fn api_create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(b): ApiJson<EntryBody>,
) -> Result<(StatusCode, Json<EntryOut>), AppError> {
    if !user.principal.is_admin() {
        return Err(AppError::forbidden());
    }
    let e = check_entry(&fields_of(b)).map_err(AppError::Validation)?;
    let c = app::calendar_entry::save(&state, &user, None, &e).await?;
    Ok((StatusCode::CREATED, Json(entry_out(c))))
}

/// Correct a decision row (administrators).
#[utoipa::path(put, path = "/api/v1/calendar/entries/{id}", tag = "calendar", request_body = EntryBody, security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = EntryOut), (status = 403), (status = 404), (status = 422)))]
pub async fn api_update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<EntryBody>,
) -> Result<Json<EntryOut>, AppError> {
    if !user.principal.is_admin() {
        return Err(AppError::forbidden());
    }
    let id = parse_id(&id)?;
    app::calendar_entry::get(&state, &user, id).await?;
    let e = check_entry(&fields_of(b)).map_err(AppError::Validation)?;
    let c = app::calendar_entry::save(&state, &user, Some(id), &e).await?;
    Ok(Json(entry_out(c)))
}

/// Withdraw a decision row (kept, marked inactive) (administrators).
#[utoipa::path(post, path = "/api/v1/calendar/entries/{id}/deactivate", tag = "calendar", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = EntryOut), (status = 403), (status = 404)))]
pub async fn api_deactivate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<EntryOut>, AppError> {
    if !user.principal.is_admin() {
        return Err(AppError::forbidden());
    }
    let c = app::calendar_entry::set_active(&state, &user, parse_id(&id)?, false).await?;
    Ok(Json(entry_out(c)))
}
