//! Chỉ số 766 — `GET /api/v1/indicators` and the page `/chi-so`, over
//! [`app::indicator`] (facts from the aggregates, scores, KPIs).

use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};

pub use app::indicator::*;

use domain::indicator::{Kpi, Scorecard};

use crate::auth::CurrentUser;
use crate::extract::Q;
use crate::views::Chrome;
use crate::{AppError, AppState};

/// The 766 indicators and KPIs of a unit for a period (the unit must be in the caller's
/// scope: 404 otherwise).
#[utoipa::path(get, path = "/api/v1/indicators", tag = "indicators", params(IndicatorQuery), security(("bearer" = [])),
    responses((status = 200, body = IndicatorReport), (status = 400), (status = 404)))]
pub async fn api(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<IndicatorQuery>,
) -> Result<Json<IndicatorReport>, AppError> {
    Ok(Json(to_report(compute(&state, &user, &q).await?)))
}

#[derive(Template)]
#[template(path = "indicator.html")]
struct IndicatorPage {
    chrome: Chrome,
    r: IndicatorReport,
    card: Scorecard,
    kpis: Vec<Kpi>,
    units: Vec<(String, String)>,
    unit: String,
    period: String,
    period_mode: String,
    /// The query string of the files (`unit=…&period=…&period_mode=…`).
    export_query: String,
    trend: Vec<crate::routes::indicator_report::TrendPoint>,
    trend_svg: String,
    trend_kpis: Vec<&'static str>,
    ranking: crate::routes::indicator_report::Ranking,
}

/// The kinds of unit the ranking compares, as the page offers them.
pub const RANK_KINDS: [(&str, &str); 4] = [
    ("so_nganh", "Sở, ban, ngành"),
    ("ubnd_huyen", "UBND cấp huyện (đến 30/6/2025)"),
    ("ubnd_xa", "UBND cấp xã"),
    ("trung_tam_phvhcc", "Trung tâm phục vụ hành chính công"),
];

pub fn pts(v: &f64) -> String {
    format!("{v:.2}").replace('.', ",")
}

pub fn num(v: &Option<f64>) -> String {
    v.map(|x| format!("{x:.2}").replace('.', ","))
        .unwrap_or_else(|| "–".into())
}

/// `GET /chi-so`
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(pq): Q<crate::routes::indicator_report::PageQuery>,
) -> Result<Response, AppError> {
    use crate::routes::indicator_report as more;
    if let Some(file) = more::page_file(&state, &user, &pq).await? {
        return Ok(file);
    }
    let mut q = pq.indicator_query();
    // The page opens on the last complete month: a running month is not yet a result,
    // and opening on it makes every trend seem to drop at its end.
    if q.period.as_deref().is_none_or(|p| p.trim().is_empty()) {
        let today = domain::time::today();
        q.period = Some(app::indicator::public::last_complete_month(today).to_string());
    }
    let scope = user.principal.scope();
    let (_, _, path) = resolve_unit(&state, &user.principal, q.unit.as_deref()).await?;
    let c = compute(&state, &user, &q).await?;
    let trend = more::trend(&state, &c, path.as_deref(), q.period_mode.as_deref()).await?;
    let ranking = more::page_ranking(&state, &scope, &c, pq.kind.as_deref()).await?;
    let units = app::agency::choices(&state, &user.principal).await?;
    let card = c.card.clone();
    let kpis = c.kpis.clone();
    let unit = c.unit.clone();
    let period = c.period.clone();
    let export_query = serde_urlencoded::to_string([
        ("unit", unit.as_str()),
        ("period", period.as_str()),
        ("period_mode", q.period_mode.as_deref().unwrap_or("")),
    ])
    .unwrap_or_default();
    let page = IndicatorPage {
        chrome: Chrome::new(&user, "/chi-so", "Chỉ số 766", None),
        r: to_report(c),
        card,
        kpis,
        units,
        unit,
        period,
        period_mode: q.period_mode.clone().unwrap_or_default(),
        export_query,
        trend_svg: more::trend_svg(&trend),
        trend,
        trend_kpis: more::TREND_KPIS.iter().map(|(_, l)| *l).collect(),
        ranking,
    };
    Ok(Html(page.render()?).into_response())
}
