//! Thông báo — a user's reminders and escalations, and the province's reminder schedule
//! (`data/reminders.toml`), shown to everyone. Only the owner sees or marks a
//! notification; anyone else gets 404, so existence does not leak.

use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use chrono::{DateTime, Utc};
use domain::reminder::ReminderSchedule;
use serde::{Deserialize, Serialize};
use store::Page;
use store::notification::Notification;

use crate::auth::CurrentUser;
use crate::extract::{Q, set_flash, take_flash};
use crate::routes::{ListOf, parse_id};
use crate::views::{Chrome, datetime_vn};
use crate::{AppError, AppState};

fn schedule() -> Result<ReminderSchedule, AppError> {
    app::jobs::reminder_schedule().map_err(|e| AppError::Internal(e.to_string()))
}

/// One line of the schedule, as shown.
pub struct RuleView {
    pub code: String,
    pub kind: &'static str,
    pub text: String,
}

fn rule_views(s: &ReminderSchedule) -> Vec<RuleView> {
    s.rules
        .iter()
        .map(|r| RuleView {
            code: r.code(),
            kind: r.kind.label(),
            text: r.describe(),
        })
        .collect()
}

pub struct NotificationView {
    pub n: Notification,
    pub when: String,
    pub unread: bool,
}

#[derive(Template)]
#[template(path = "notification/list.html")]
struct ListPage {
    chrome: Chrome,
    items: Vec<NotificationView>,
    total: i64,
    unread: i64,
    page: i64,
    pages: i64,
    rules: Vec<RuleView>,
    decided_by: String,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    trang: Option<i64>,
}

const PER_PAGE: i64 = 50;

/// `/thong-bao`: the signed-in user's notifications, unread first.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Q(q): Q<PageQuery>,
) -> Result<Response, AppError> {
    let (jar, flash) = take_flash(jar);
    let page = q.trang.unwrap_or(1).max(1);
    let (rows, total) = app::notification::list(
        &state,
        &user,
        Page::new(Some(PER_PAGE), Some((page - 1) * PER_PAGE)),
    )
    .await?;
    let unread = app::notification::unread(&state, &user).await?;
    let s = schedule()?;
    let view = ListPage {
        chrome: Chrome::new(&user, "/thong-bao", "Thông báo", flash),
        items: rows
            .into_iter()
            .map(|n| NotificationView {
                when: datetime_vn(&n.created_at),
                unread: n.read_at.is_none(),
                n,
            })
            .collect(),
        total,
        unread,
        page,
        pages: ((total + PER_PAGE - 1) / PER_PAGE).max(1),
        rules: rule_views(&s),
        decided_by: s.decided_by.clone(),
    };
    Ok((jar, Html(view.render()?)).into_response())
}

/// `/thong-bao/so-luong`: the unread count for the navigation (htmx), empty when zero.
pub async fn unread_fragment(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Html<String>, AppError> {
    let n = app::notification::unread(&state, &user).await?;
    Ok(Html(if n > 0 {
        format!(
            "<span class=\"tag off\" title=\"{n} thông báo chưa đọc\">{}</span>",
            crate::views::int_vn(n)
        )
    } else {
        String::new()
    }))
}

/// `POST /thong-bao/{id}/da-doc`.
pub async fn mark_read(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    app::notification::mark_read(&state, &user, id).await?;
    let jar = set_flash(jar, "Đã đánh dấu thông báo là đã đọc.");
    Ok((jar, Redirect::to("/thong-bao")).into_response())
}

/// `POST /thong-bao/da-doc-tat-ca`.
pub async fn mark_all_read(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
) -> Result<Response, AppError> {
    let n = app::notification::mark_all_read(&state, &user).await?;
    let jar = set_flash(jar, &format!("Đã đánh dấu {n} thông báo là đã đọc."));
    Ok((jar, Redirect::to("/thong-bao")).into_response())
}

#[derive(Template)]
#[template(path = "notification/schedule.html")]
struct SchedulePage {
    chrome: Chrome,
    rules: Vec<RuleView>,
    decided_by: String,
}

/// `/lich-nhac-viec`: the province's reminder schedule, for everyone.
pub async fn schedule_page(user: CurrentUser) -> Result<Html<String>, AppError> {
    let s = schedule()?;
    let view = SchedulePage {
        chrome: Chrome::new(&user, "/thong-bao", "Lịch nhắc việc", None),
        rules: rule_views(&s),
        decided_by: s.decided_by.clone(),
    };
    Ok(Html(view.render()?))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct NotificationOut {
    pub id: i64,
    pub task_id: Option<i64>,
    /// before_due, due_today, overdue, escalation_head, escalation_office
    pub kind: String,
    /// The schedule rule that fired: "D-3", "D0", "D+1", "D+3", "D+7".
    pub rule: String,
    pub title: String,
    pub body: String,
    /// The page of the task, e.g. `/nhiem-vu/12`.
    pub link: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
    pub emailed_at: Option<DateTime<Utc>>,
}

impl From<Notification> for NotificationOut {
    fn from(n: Notification) -> Self {
        NotificationOut {
            id: n.id,
            task_id: n.task_id,
            kind: n.kind,
            rule: n.rule,
            title: n.title,
            body: n.body,
            link: n.link,
            created_at: n.created_at,
            read_at: n.read_at,
            emailed_at: n.emailed_at,
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// The caller's own notifications, unread first, newest first.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", params(ListQuery), security(("bearer" = [])),
    responses((status = 200, body = ListOf<NotificationOut>), (status = 401)))]
pub async fn api_list(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<ListQuery>,
) -> Result<Json<ListOf<NotificationOut>>, AppError> {
    let page = Page::new(q.limit, q.offset);
    let (items, total) = app::notification::list(&state, &user, page).await?;
    Ok(Json(ListOf {
        items: items.into_iter().map(NotificationOut::from).collect(),
        total,
        limit: page.limit,
        offset: page.offset,
    }))
}

/// Marks one of the caller's notifications read (404 for anyone else's).
#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "notifications", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã thông báo")),
    responses((status = 204), (status = 404)))]
pub async fn api_mark_read(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    let id = parse_id(&id)?;
    app::notification::mark_read(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RuleOut {
    /// "D-3", "D0", "D+7"
    pub rule: String,
    /// Calendar days relative to the deadline in force.
    pub offset_days: i64,
    pub kind: String,
    /// officers, heads, assigning_office
    pub audience: String,
    /// The rule in Vietnamese.
    pub description: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ScheduleOut {
    pub decided_by: String,
    pub rules: Vec<RuleOut>,
}

/// The province's reminder schedule (configuration, not law).
#[utoipa::path(get, path = "/api/v1/notifications/schedule", tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = ScheduleOut), (status = 401)))]
pub async fn api_schedule(_user: CurrentUser) -> Result<Json<ScheduleOut>, AppError> {
    let s = schedule()?;
    Ok(Json(ScheduleOut {
        rules: s
            .rules
            .iter()
            .map(|r| RuleOut {
                rule: r.code(),
                offset_days: r.offset_days,
                kind: r.kind.code().into(),
                audience: match r.audience {
                    domain::reminder::Audience::Officers => "officers",
                    domain::reminder::Audience::Heads => "heads",
                    domain::reminder::Audience::AssigningOffice => "assigning_office",
                }
                .into(),
                description: r.describe(),
            })
            .collect(),
        decided_by: s.decided_by,
    }))
}
