//! The task list (the overdue list is its `?status=overdue` view), paged, with its status
//! counts, and the same list as an Excel file in the appendix layout.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use domain::task::TaskStatus;
use serde::Deserialize;
use store::Page;
use store::task::TaskFilter;

use super::{TaskRow, header, task_rows, xlsx};
use crate::auth::CurrentUser;
use crate::extract::{Q, take_flash};
use crate::routes::task::Stats;
use crate::routes::task::{TaskQuery, filter};
use crate::views::Chrome;
use crate::{AppError, AppState};

#[derive(Template)]
#[template(path = "task/list.html")]
struct TasksPage {
    chrome: Chrome,
    period: String,
    period_mode: String,
    rows: Vec<TaskRow>,
    total: i64,
    stats: Stats,
    status: String,
    q: String,
    statuses: Vec<(&'static str, &'static str)>,
    page: i64,
    pages: i64,
    prev_href: String,
    next_href: String,
    agency_id: String,
    /// Agencies of the caller's scope (id, name with its end date when it ended).
    units: Vec<(String, String)>,
}

impl TasksPage {
    fn rate(&self) -> String {
        self.stats
            .completion_rate
            .map(|r| format!("{}%", r.to_string().replace('.', ",")))
            .unwrap_or_else(|| "–".into())
    }
}

#[derive(Deserialize, Default)]
pub struct TasksQuery {
    status: Option<String>,
    period: Option<String>,
    period_mode: Option<String>,
    q: Option<String>,
    /// Lead or supporting agency (its id).
    agency_id: Option<String>,
    trang: Option<String>,
}

pub async fn tasks(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Q(q): Q<TasksQuery>,
) -> Result<Response, AppError> {
    const PER: i64 = 100;
    let page_no = crate::extract::opt_i64(&q.trang, "Số trang")?
        .unwrap_or(1)
        .max(1);
    let agency_id = crate::extract::opt_i64(&q.agency_id, "Cơ quan")?;
    let tq = TaskQuery {
        parent_id: None,
        directive_id: None,
        agency_id,
        status: q.status.clone(),
        q: q.q.clone(),
        period: q.period.clone(),
        period_mode: q.period_mode.clone(),
        limit: None,
        offset: None,
    };
    let f = filter(&user.principal, &tq)?;
    let (units, _) = app::agency::list(
        &state,
        &user.principal,
        Default::default(),
        Page::new(Some(500), None),
    )
    .await?;
    let stats = app::task::stats(
        &state,
        &TaskFilter {
            status: None,
            ..f.clone()
        },
    )
    .await?;
    let (tasks, total) =
        app::task::list(&state, &f, Page::new(Some(PER), Some((page_no - 1) * PER))).await?;
    let status = q.status.clone().unwrap_or_default();
    let search = q.q.clone().unwrap_or_default();
    let href = |p: i64| {
        serde_urlencoded::to_string([
            ("status", status.as_str()),
            ("q", search.as_str()),
            ("period", q.period.as_deref().unwrap_or("")),
            ("period_mode", q.period_mode.as_deref().unwrap_or("")),
            ("agency_id", q.agency_id.as_deref().unwrap_or("")),
            ("trang", &p.to_string()),
        ])
        .map(|s| format!("/nhiem-vu?{s}"))
        .unwrap_or_default()
    };
    let (jar, flash) = take_flash(jar);
    let title = if status == "overdue" {
        "Danh sách nhiệm vụ quá hạn"
    } else {
        "Theo dõi nhiệm vụ"
    };
    let page = TasksPage {
        chrome: Chrome::new(&user, "/nhiem-vu", title, flash),
        rows: task_rows(&tasks),
        total,
        stats,
        prev_href: href(page_no - 1),
        next_href: href(page_no + 1),
        status,
        q: search,
        period: q.period.clone().unwrap_or_default(),
        period_mode: q.period_mode.clone().unwrap_or_default(),
        statuses: TaskStatus::ALL
            .iter()
            .map(|s| (s.code(), s.label()))
            .collect(),
        page: page_no,
        pages: ((total + PER - 1) / PER).max(1),
        agency_id: agency_id.map(|a| a.to_string()).unwrap_or_default(),
        units: units
            .into_iter()
            .map(|a| {
                let ended = a
                    .valid_to
                    .map(|d| format!(" (đến {})", d.format("%d/%m/%Y")));
                (
                    a.id.to_string(),
                    format!("{}{}", a.name, ended.unwrap_or_default()),
                )
            })
            .collect(),
    };
    Ok((jar, Html(page.render()?)).into_response())
}

/// The task list (same filters as the page) in the appendix layout.
pub async fn tasks_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<TasksQuery>,
) -> Result<Response, AppError> {
    let tq = TaskQuery {
        parent_id: None,
        directive_id: None,
        agency_id: crate::extract::opt_i64(&q.agency_id, "Cơ quan")?,
        status: q.status.clone(),
        q: q.q.clone(),
        period: q.period.clone(),
        period_mode: q.period_mode.clone(),
        limit: None,
        offset: None,
    };
    let f = filter(&user.principal, &tq)?;
    let (tasks, _) = app::task::list(&state, &f, Page::new(Some(20_000), None)).await?;
    let ids: Vec<i64> = tasks.iter().map(|t| t.id).collect();
    let mut supports = app::task::supports_of(&state, &ids).await?;
    let mut rows = Vec::with_capacity(tasks.len());
    for (i, r) in task_rows(&tasks).into_iter().enumerate() {
        let support = supports.remove(&r.t.id).unwrap_or_default().join("; ");
        rows.push(reports::TaskRow {
            stt: (i + 1).to_string(),
            content: r.t.content.clone(),
            lead: r.lead.clone(),
            support,
            deadline_text: r.deadline.clone(),
            status: r.t.status_label.clone(),
            percent: r.t.percent,
            days_late: r.t.days_late,
            note: format!("{} (#{})", r.t.directive_number, r.t.id),
        });
    }
    let title = if q.status.as_deref() == Some("overdue") {
        "DANH SÁCH NHIỆM VỤ QUÁ HẠN"
    } else {
        "DANH SÁCH NHIỆM VỤ"
    };
    let bytes = reports::tasks_xlsx(&header(&user, title, None), &rows)
        .map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
    Ok(xlsx(bytes, "nhiem-vu.xlsx"))
}
