//! The 766 page's trend, ranking and files (`/chi-so.xlsx`, `/chi-so.pdf`), over
//! [`app::indicator::report`].

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

pub use app::indicator::report::*;
use app::indicator::{IndicatorQuery, resolve_period, resolve_unit_in};

use crate::auth::CurrentUser;
use crate::extract::Q;
use crate::{AppError, AppState};

/// The page's query: the indicator query plus the file format, the ranking's kind and the
/// report date of the files.
#[derive(Debug, Deserialize, Default)]
pub struct PageQuery {
    pub unit: Option<String>,
    pub period: Option<String>,
    pub period_mode: Option<String>,
    /// `xlsx` or `pdf`: download the report instead of showing the page.
    pub format: Option<String>,
    /// Kind of the units ranked (`so_nganh`, `ubnd_xa`, …); default the unit's own kind.
    pub kind: Option<String>,
    /// Report date printed in the files (dd/mm/yyyy or yyyy-mm-dd); default
    /// [`default_report_date`].
    pub date: Option<String>,
}

impl PageQuery {
    pub fn indicator_query(&self) -> IndicatorQuery {
        IndicatorQuery {
            unit: self.unit.clone(),
            period: self.period.clone(),
            period_mode: self.period_mode.clone(),
        }
    }
}

#[derive(Debug, Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RankingQuery {
    /// The unit to highlight and whose kind to compare (must be in the caller's scope);
    /// default the caller's agency, or the province.
    pub unit: Option<String>,
    /// 2023-10, 2023-Q3, 2023-H2 or 2023; default the current month.
    pub period: Option<String>,
    /// `calendar` (default) or `window`.
    pub period_mode: Option<String>,
    /// so_nganh, ubnd_huyen, ubnd_xa, trung_tam_phvhcc, …; default the unit's own kind
    /// (departments for the province).
    pub kind: Option<String>,
}

/// Units of one kind ranked by their 766 total for a period. Units outside the caller's
/// subtree show their total, band and rank only.
#[utoipa::path(get, path = "/api/v1/indicators/ranking", tag = "indicators", params(RankingQuery), security(("bearer" = [])),
    responses((status = 200, body = Ranking), (status = 400), (status = 404)))]
pub async fn ranking_api(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<RankingQuery>,
) -> Result<Json<Ranking>, AppError> {
    let scope = user.principal.scope();
    let (unit, _, _) = resolve_unit_in(
        &state,
        &scope,
        Some(user.principal.agency_id),
        q.unit.as_deref(),
    )
    .await?;
    let (period, from, to) = resolve_period(q.period.as_deref(), q.period_mode.as_deref())?;
    let kind = ranking_kind(&state, &unit, q.kind.as_deref()).await?;
    Ok(Json(
        ranking(&state, &scope, &unit, kind, &period, from, to).await?,
    ))
}

/// A report file as a download.
pub fn download(e: Export) -> Response {
    (
        [
            (header::CONTENT_TYPE, e.content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", e.file_name),
            ),
        ],
        e.bytes,
    )
        .into_response()
}

async fn file(
    state: &AppState,
    user: &CurrentUser,
    q: &PageQuery,
    format: ExportFormat,
) -> Result<Response, AppError> {
    let date = q
        .date
        .as_deref()
        .filter(|d| !d.trim().is_empty())
        .map(parse_report_date)
        .transpose()?;
    Ok(download(
        export(
            state,
            &user.principal.scope(),
            Some(user.principal.agency_id),
            &q.indicator_query(),
            format,
            date,
        )
        .await?,
    ))
}

/// `GET /chi-so.xlsx`
pub async fn xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<PageQuery>,
) -> Result<Response, AppError> {
    file(&state, &user, &q, ExportFormat::Xlsx).await
}

/// `GET /chi-so.pdf`
pub async fn pdf(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<PageQuery>,
) -> Result<Response, AppError> {
    file(&state, &user, &q, ExportFormat::Pdf).await
}

/// `/chi-so?format=xlsx|pdf`: the file, or `None` to show the page.
pub async fn page_file(
    state: &AppState,
    user: &CurrentUser,
    q: &PageQuery,
) -> Result<Option<Response>, AppError> {
    match q.format.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
        None | Some("html") => Ok(None),
        Some(f) => match f.parse::<ExportFormat>()? {
            ExportFormat::Json => Err(AppError::bad(
                "Định dạng không hợp lệ (xlsx hoặc pdf; JSON: /api/v1/indicators).",
            )),
            format => Ok(Some(file(state, user, q, format).await?)),
        },
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The trend of `total_766` as an inline SVG line chart (0–100, Vietnamese period labels,
/// values with a decimal comma in the tooltips), drawn on the server: no script needed.
pub fn trend_svg(points: &[TrendPoint]) -> String {
    use std::fmt::Write;
    const W: f64 = 760.0;
    const H: f64 = 260.0;
    const LEFT: f64 = 44.0;
    const RIGHT: f64 = 16.0;
    const TOP: f64 = 16.0;
    const BOTTOM: f64 = 36.0;
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let y = |v: f64| TOP + plot_h * (1.0 - v.clamp(0.0, 100.0) / 100.0);
    let n = points.len().max(1) as f64;
    let x = |i: usize| LEFT + plot_w * (i as f64 + 0.5) / n;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="trend" viewBox="0 0 {W} {H}" width="100%" role="img" aria-label="Xu hướng tổng điểm 766 qua {} kỳ" xmlns="http://www.w3.org/2000/svg" font-family="serif" font-size="11">"#,
        points.len()
    );
    for g in [0.0, 20.0, 40.0, 60.0, 80.0, 100.0] {
        let yy = y(g);
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end">{g:.0}</text>"##,
            W - RIGHT,
            LEFT - 6.0,
            yy + 4.0
        );
    }
    let path: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(p.total_766)))
        .collect();
    let _ = write!(
        s,
        r##"<polyline fill="none" stroke="#1f5fa8" stroke-width="2" points="{}"/>"##,
        path.join(" ")
    );
    for (i, p) in points.iter().enumerate() {
        let (cx, cy) = (x(i), y(p.total_766));
        let value = reports::vn2(p.total_766);
        let _ = write!(
            s,
            r##"<circle cx="{cx:.1}" cy="{cy:.1}" r="3.5" fill="#1f5fa8"><title>{}: {value}</title></circle><text x="{cx:.1}" y="{:.1}" text-anchor="middle" font-size="10">{value}</text><text x="{cx:.1}" y="{:.1}" text-anchor="middle">{}</text>"##,
            esc(&p.label),
            cy - 7.0,
            H - BOTTOM + 16.0,
            esc(&p.label)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn svg_has_one_point_per_period_with_vietnamese_labels() {
        let pts: Vec<TrendPoint> = (1..=3)
            .map(|m| TrendPoint {
                period: format!("2023-{m:02}"),
                label: format!("T{m}/2023"),
                from: d(2023, m, 1),
                to: d(2023, m, 28),
                total_766: 70.0 + f64::from(m) + 0.25,
                kpis: vec![None; TREND_KPIS.len()],
            })
            .collect();
        let svg = trend_svg(&pts);
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains("T2/2023") && svg.contains("72,25"));
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }

    #[test]
    fn report_dates() {
        assert_eq!(parse_report_date("01/11/2023").unwrap(), d(2023, 11, 1));
        assert_eq!(parse_report_date("2023-11-01").unwrap(), d(2023, 11, 1));
        assert!(parse_report_date("31/02/2023").is_err());
        assert_eq!(default_report_date(d(2023, 10, 31)), d(2023, 11, 1));
        assert!("docx".parse::<ExportFormat>().is_err());
    }
}
