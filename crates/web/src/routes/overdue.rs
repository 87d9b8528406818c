//! Danh sách hồ sơ, nhiệm vụ quá hạn — `GET /api/v1/overdue`, the page
//! `/bao-cao/qua-han` and its XLSX, over [`app::overdue`] (one [`OverdueReport`] for all
//! three).

use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};

use app::indicator::IndicatorQuery;
pub use app::overdue::*;

use crate::auth::CurrentUser;
use crate::extract::Q;
use crate::views::Chrome;
use crate::{AppError, AppState};

/// `GET /api/v1/overdue` and the page: the unit and period of [`IndicatorQuery`], and
/// optionally one page of the rows (totals always cover the whole list).
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OverdueQuery {
    /// Agency code; default: the caller's agency, or the province for province-wide roles.
    pub unit: Option<String>,
    /// 2023-10, 2023-Q3, 2023-H2 or 2023; default: the current month.
    pub period: Option<String>,
    /// `calendar` (default) or `window` (15th of the month before → 14th).
    pub period_mode: Option<String>,
    /// At most this many rows (1–5,000); default: the API returns every row, the page 200.
    pub limit: Option<String>,
    /// Rows to skip (default 0).
    pub offset: Option<String>,
}

impl OverdueQuery {
    fn indicator(&self) -> IndicatorQuery {
        IndicatorQuery {
            unit: self.unit.clone(),
            period: self.period.clone(),
            period_mode: self.period_mode.clone(),
        }
    }

    /// `(offset, limit)`, or `default` when no limit was given.
    fn page(&self, default: Option<usize>) -> Result<Option<(usize, usize)>, AppError> {
        let num = |v: &Option<String>, what: &str| -> Result<Option<usize>, AppError> {
            match v.as_deref().map(str::trim).filter(|x| !x.is_empty()) {
                None => Ok(None),
                Some(x) => x
                    .parse::<usize>()
                    .map(Some)
                    .map_err(|_| AppError::bad(format!("{what} phải là số nguyên không âm."))),
            }
        };
        let offset = num(&self.offset, "offset")?.unwrap_or(0);
        match num(&self.limit, "limit")?.or(default) {
            None => Ok(None),
            Some(l) if (1..=5000).contains(&l) => Ok(Some((offset, l))),
            Some(_) => Err(AppError::bad("limit phải từ 1 đến 5.000.")),
        }
    }
}

/// The list of overdue dossiers and tasks of a unit for a period (the unit must be in the
/// caller's scope: 404 otherwise; a bad period: 400).
#[utoipa::path(get, path = "/api/v1/overdue", tag = "indicators", params(OverdueQuery), security(("bearer" = [])),
    responses((status = 200, body = OverdueReport), (status = 400), (status = 401), (status = 404)))]
pub async fn api(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<OverdueQuery>,
) -> Result<Json<OverdueReport>, AppError> {
    let page = q.page(None)?;
    Ok(Json(
        compute_page(&state, &user, &q.indicator(), page).await?,
    ))
}

/// A count with Vietnamese thousands separators.
pub fn count(n: &u64) -> String {
    crate::views::int_vn(i64::try_from(*n).unwrap_or(i64::MAX))
}

/// `GET /bao-cao/qua-han/xlsx` — the same list as an Excel file.
pub async fn xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<IndicatorQuery>,
) -> Result<Response, AppError> {
    let r = compute(&state, &user, &q).await?;
    let bytes = reports::overdue_xlsx(&sheet(&r, &user.agency_name))
        .map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
    let name = format!("qua-han-{}-{}.xlsx", r.unit, r.period);
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "overdue.html")]
struct OverduePage {
    pager: Pager,
    chrome: Chrome,
    r: OverdueReport,
    period_line: String,
    units: Vec<(String, String)>,
    unit: String,
    period: String,
    period_mode: String,
    query: String,
}

/// Rows per page of `/bao-cao/qua-han` (the Excel file has them all).
const PAGE_ROWS: usize = 200;

/// "Dòng 201–400 trên 24.698", with the offsets of the previous and next pages.
struct Pager {
    label: String,
    /// The page size, carried by the previous/next links.
    limit: usize,
    total: usize,
    prev: Option<usize>,
    next: Option<usize>,
}

impl Pager {
    fn new(offset: usize, limit: usize, shown: usize, total: usize) -> Pager {
        let n = |x: usize| crate::views::int_vn(i64::try_from(x).unwrap_or(i64::MAX));
        let first = if shown == 0 { 0 } else { offset + 1 };
        Pager {
            label: format!("Dòng {}–{} trên {}", n(first), n(offset + shown), n(total)),
            limit,
            total,
            prev: (offset > 0).then(|| offset.saturating_sub(limit)),
            next: (offset + shown < total).then_some(offset + shown),
        }
    }
}

/// `GET /bao-cao/qua-han`
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(oq): Q<OverdueQuery>,
) -> Result<Response, AppError> {
    let q = oq.indicator();
    let (offset, limit) = oq.page(Some(PAGE_ROWS))?.unwrap_or((0, PAGE_ROWS));
    let r = compute_page(&state, &user, &q, Some((offset, limit))).await?;
    let units = app::agency::choices(&state, &user.principal).await?;
    let period_mode = q.period_mode.clone().unwrap_or_default();
    let query = serde_urlencoded::to_string([
        ("unit", q.unit.as_deref().unwrap_or("").trim()),
        ("period", r.period.as_str()),
        ("period_mode", period_mode.as_str()),
    ])
    .unwrap_or_default();
    let pager = Pager::new(r.offset, limit, r.rows.len(), r.rows_total);
    let page = OverduePage {
        pager,
        chrome: Chrome::new(
            &user,
            "/bao-cao/qua-han",
            "Danh sách hồ sơ, nhiệm vụ, phản ánh, kiến nghị quá hạn",
            None,
        ),
        period_line: period_line(&r),
        unit: r.unit.clone(),
        period: r.period.clone(),
        units,
        period_mode,
        query,
        r,
    };
    Ok(Html(page.render()?).into_response())
}
