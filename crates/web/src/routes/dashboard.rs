//! `/dieu-hanh` — Bảng điều hành, over [`app::dashboard`]: one page of figures for the
//! caller's unit (or a unit of its subtree, `?unit=`) and a period (`?ky=`, default the
//! last complete month), each figure a link to the list behind it.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};

use app::dashboard::Dashboard;

use crate::auth::CurrentUser;
use crate::extract::Q;
use crate::views::Chrome;
use crate::{AppError, AppState};

#[derive(Debug, Default, serde::Deserialize)]
pub struct DashboardQuery {
    pub unit: Option<String>,
    pub ky: Option<String>,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    d: Dashboard,
    /// `unit=…&period=…` for the links to the 766 page and the overdue list.
    q: String,
    /// The trend chart's data (JSON for `static/dashboard.js`).
    trend_json: String,
    units: Vec<(String, String)>,
    /// The caller sees the whole province (the empty choice is "Toàn tỉnh").
    province: bool,
}

/// `GET /dieu-hanh`
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<DashboardQuery>,
) -> Result<Response, AppError> {
    render(
        &state,
        &user,
        q.unit.as_deref(),
        q.ky.as_deref(),
        "/dieu-hanh",
        None,
    )
    .await
}

/// The dashboard page (also the home page `/` of leaders, unit heads and the
/// secretariat, with `current = "/"`).
pub async fn render(
    state: &AppState,
    user: &CurrentUser,
    unit: Option<&str>,
    ky: Option<&str>,
    current: &str,
    flash: Option<String>,
) -> Result<Response, AppError> {
    let d = app::dashboard::dashboard(state, user, unit, ky, domain::time::today()).await?;
    let units = app::agency::choices(state, &user.principal).await?;
    let query = serde_urlencoded::to_string([
        (
            "unit",
            if d.unit == "TINH" {
                ""
            } else {
                d.unit.as_str()
            },
        ),
        ("period", d.period.as_str()),
    ])
    .unwrap_or_default();
    let trend = serde_json::json!({
        "type": "line",
        "labels": d.trend.iter().map(|t| t.label.clone()).collect::<Vec<_>>(),
        "series": [
            {"label": "Tổng điểm 766", "data": d.trend.iter().map(|t| t.total_766).collect::<Vec<_>>()},
            {"label": "Đúng hạn (%)", "axis": "y1", "data": d.trend.iter().map(|t| t.kpis.first().copied().flatten()).collect::<Vec<_>>()},
        ],
        "scales": {"y": {"beginAtZero": true, "title": {"display": true, "text": "điểm"}},
                   "y1": {"position": "right", "min": 0, "max": 100, "grid": {"drawOnChartArea": false}, "title": {"display": true, "text": "%"}}}
    });
    let title = format!("Bảng điều hành — {}", d.unit_name);
    let page = DashboardPage {
        chrome: Chrome::new(user, current, title, flash),
        q: query,
        trend_json: trend.to_string().replace("</", "<\\/"),
        units,
        province: matches!(user.principal.scope(), domain::org::Scope::Province),
        d,
    };
    Ok(Html(page.render()?).into_response())
}

/// A percentage or "–" (for the template).
pub fn percent(v: &Option<f64>) -> String {
    crate::routes::indicator::num(v)
}
