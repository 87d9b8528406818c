//! The statistics of task completion per lead agency, by directive and period, as a page
//! and as an Excel file with a native chart.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use store::Page;
use store::task::TaskFilter;

use super::{header, xlsx};
use crate::auth::CurrentUser;
use crate::extract::Q;
use crate::routes::task::Stats;
use crate::routes::task::{TaskQuery, filter};
use crate::views::Chrome;
use crate::{AppError, AppState};

pub struct AgencyStatRow {
    pub s: super::api::AgencyStats,
    pub rate: String,
    /// "đã kết thúc hoạt động từ dd/mm/yyyy" for a unit no longer in force.
    pub ended: Option<String>,
    /// The task list behind the row (same period), and its overdue part.
    pub href: String,
    pub overdue_href: String,
}

#[derive(Template)]
#[template(path = "task/stats_page.html")]
struct StatsPage {
    chrome: Chrome,
    rows: Vec<AgencyStatRow>,
    stats: Stats,
    directives: Vec<(i64, String)>,
    directive_id: String,
    period: String,
    period_mode: String,
    query: String,
}

impl StatsPage {
    fn rate(&self) -> String {
        rate_text(self.stats.completion_rate)
    }
}

fn rate_text(r: Option<f64>) -> String {
    r.map(|r| format!("{}%", r.to_string().replace('.', ",")))
        .unwrap_or_else(|| "–".into())
}

#[derive(Deserialize, Default)]
pub struct StatsQuery {
    directive_id: Option<String>,
    period: Option<String>,
    period_mode: Option<String>,
}

fn stats_filter(user: &CurrentUser, q: &StatsQuery) -> Result<TaskFilter, AppError> {
    let tq = TaskQuery {
        parent_id: None,
        directive_id: crate::extract::opt_i64(&q.directive_id, "Văn bản")?,
        agency_id: None,
        status: None,
        q: None,
        period: q.period.clone(),
        period_mode: q.period_mode.clone(),
        limit: None,
        offset: None,
    };
    Ok(filter(&user.principal, &tq)?)
}

pub async fn stats_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<StatsQuery>,
) -> Result<Response, AppError> {
    let f = stats_filter(&user, &q)?;
    let today = domain::time::today();
    let ended: std::collections::HashMap<i64, chrono::NaiveDate> = app::agency::all(&state)
        .await?
        .into_iter()
        .filter_map(|a| a.valid_to.filter(|d| *d < today).map(|d| (a.id, d)))
        .collect();
    let list_href = |agency: i64, status: &str| {
        let qs = serde_urlencoded::to_string([
            ("agency_id", agency.to_string()),
            ("status", status.to_string()),
            ("period", q.period.clone().unwrap_or_default()),
            ("period_mode", q.period_mode.clone().unwrap_or_default()),
        ])
        .unwrap_or_default();
        format!("/nhiem-vu?{qs}")
    };
    let rows = app::task::stats_by_agency(&state, &f)
        .await?
        .into_iter()
        .map(|s| AgencyStatRow {
            rate: rate_text(s.stats.completion_rate),
            ended: ended
                .get(&s.agency_id)
                .map(|d| format!("kết thúc hoạt động từ {}", d.format("%d/%m/%Y"))),
            href: list_href(s.agency_id, ""),
            overdue_href: list_href(s.agency_id, "overdue"),
            s,
        })
        .collect();
    let stats = app::task::stats(&state, &f).await?;
    let (dirs, _) =
        app::directive::list(&state, &user.principal, None, Page::new(Some(200), None)).await?;
    let query = serde_urlencoded::to_string([
        ("directive_id", q.directive_id.clone().unwrap_or_default()),
        ("period", q.period.clone().unwrap_or_default()),
        ("period_mode", q.period_mode.clone().unwrap_or_default()),
    ])
    .unwrap_or_default();
    let page = StatsPage {
        chrome: Chrome::new(&user, "/nhiem-vu", "Thống kê thực hiện nhiệm vụ", None),
        rows,
        stats,
        directives: dirs
            .into_iter()
            .map(|d| {
                (
                    d.id,
                    format!(
                        "{} – {}",
                        d.number,
                        d.subject.chars().take(60).collect::<String>()
                    ),
                )
            })
            .collect(),
        directive_id: q.directive_id.clone().unwrap_or_default(),
        period: q.period.clone().unwrap_or_default(),
        period_mode: q.period_mode.clone().unwrap_or_default(),
        query,
    };
    Ok(Html(page.render()?).into_response())
}

/// The per-agency statistics as an Excel file with a native chart.
pub async fn stats_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<StatsQuery>,
) -> Result<Response, AppError> {
    let f = stats_filter(&user, &q)?;
    let rows: Vec<reports::StatRow> = app::task::stats_by_agency(&state, &f)
        .await?
        .into_iter()
        .map(|s| reports::StatRow {
            label: s.agency_name,
            assigned: s.stats.assigned,
            done_on_time: s.stats.done_on_time,
            done_late: s.stats.done_late,
            awaiting: s.stats.awaiting_verification,
            in_progress: s.stats.in_progress,
            overdue: s.stats.overdue,
            rate: s.stats.completion_rate,
        })
        .collect();
    let subtitle = q.period.clone().filter(|p| !p.is_empty()).map(|p| {
        if q.period_mode.as_deref() == Some("window") {
            format!("Kỳ báo cáo: {p} (từ ngày 15 tháng trước đến ngày 14)")
        } else {
            format!("Kỳ: {p}")
        }
    });
    let bytes = reports::stats_xlsx(
        &header(&user, "THỐNG KÊ KẾT QUẢ THỰC HIỆN NHIỆM VỤ", subtitle),
        &rows,
    )
    .map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
    Ok(xlsx(bytes, "thong-ke-nhiem-vu.xlsx"))
}
