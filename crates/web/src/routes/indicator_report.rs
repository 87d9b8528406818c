//! Chỉ số 766 beyond the one-period view: the trend over the last 12 periods, the ranking
//! of comparable units, and the report as files — `/chi-so.xlsx`, `/chi-so.pdf` (or
//! `/chi-so?format=xlsx|pdf`), `GET /api/v1/indicators/ranking` — and the function
//! [`export`] that the CLI (`cchc report monthly`) calls too, so a file downloaded from the
//! page and one written by the CLI for the same unit and period are the same bytes.
//!
//! Every number is computed as [`indicators`] computes it: the trend's periods in one read
//! ([`indicators_many`]), the ranking's units in one read ([`indicators_units`]).

use std::str::FromStr;

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, Utc};
use domain::calendar::Period;
use domain::org::{AgencyKind, Scope};
use serde::{Deserialize, Serialize};

use super::indicator::{
    Computed, IndicatorQuery, indicators, indicators_many, indicators_units, resolve_period,
    resolve_unit_in, to_report,
};
use crate::auth::CurrentUser;
use crate::extract::Q;
use crate::routes::dossier::local;
use crate::{AppError, AppState};

/// How many periods the trend shows (issue 7: "the trend over the last 12 periods").
pub const TREND_PERIODS: usize = 12;

/// The KPIs the trend follows next to `total_766`: (KPI code, column label).
pub const TREND_KPIS: [(&str, &str); 4] = [
    ("dossier_on_time", "Đúng hạn (%)"),
    ("digitisation", "Số hóa (%)"),
    ("synchronisation", "Đồng bộ (%)"),
    ("online_share", "Nộp trực tuyến (%)"),
];

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

/// One period of the trend.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TrendPoint {
    pub period: String,
    /// "T10/2023", "Q3/2023", …
    pub label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub total_766: f64,
    /// The percentages of [`TREND_KPIS`], in that order; `null` when nothing to measure.
    pub kpis: Vec<Option<f64>>,
}

fn trend_point(c: &Computed, p: &Period) -> TrendPoint {
    TrendPoint {
        period: p.to_string(),
        label: p.short_label_vi(),
        from: c.from,
        to: c.to,
        total_766: c.card.total_766,
        kpis: TREND_KPIS
            .iter()
            .map(|(code, _)| {
                c.kpis
                    .iter()
                    .find(|k| k.code == *code)
                    .and_then(|k| k.percent)
            })
            .collect(),
    }
}

fn parse_period(text: &str) -> Result<Period, AppError> {
    text.parse()
        .map_err(|_| AppError::bad("Kỳ không hợp lệ (ví dụ: 2023-10, 2023-Q3, 2023-H2, 2023)."))
}

/// The last [`TREND_PERIODS`] periods of the same kind as `main` (12 months back for a
/// month, 12 quarters for a quarter, …), oldest first, `main` last (not recomputed).
pub async fn trend(
    state: &AppState,
    main: &Computed,
    path: Option<&str>,
    period_mode: Option<&str>,
) -> Result<Vec<TrendPoint>, AppError> {
    let period = parse_period(&main.period)?;
    let last = period.last_n(TREND_PERIODS);
    let mut others = Vec::new();
    for p in last.iter().filter(|p| **p != period) {
        others.push(resolve_period(Some(&p.to_string()), period_mode)?);
    }
    let mut computed = indicators_many(state, &main.unit, &main.unit_name, path, others)
        .await?
        .into_iter();
    let mut out = Vec::with_capacity(TREND_PERIODS);
    for p in &last {
        if *p == period {
            out.push(trend_point(main, p));
        } else if let Some(c) = computed.next() {
            out.push(trend_point(&c, p));
        }
    }
    Ok(out)
}

/// One unit in a ranking: its total and band only, never its facts.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RankingEntry {
    /// 1 = best; equal totals share a rank (1, 2, 2, 4). `null` for a unit with no dossier
    /// received or handled in the period: its score would be made of zero denominators
    /// only (scored by policy, not by work), so it is listed after the ranked units.
    pub rank: Option<u32>,
    /// The unit received or handled at least one dossier in the period.
    pub has_data: bool,
    pub unit: String,
    pub unit_name: String,
    pub total_766: f64,
    pub band: String,
    /// The caller may open this unit's details (it is in the caller's subtree).
    pub in_scope: bool,
    /// The unit the ranking was asked for.
    pub selected: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Ranking {
    pub period: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub kind: String,
    pub kind_label: String,
    pub units: Vec<RankingEntry>,
}

/// The kind of units a ranking compares: the one asked for, or the selected unit's own
/// kind; the province compares its departments.
async fn ranking_kind(
    state: &AppState,
    unit: &str,
    kind: Option<&str>,
) -> Result<AgencyKind, AppError> {
    if let Some(k) = kind.map(str::trim).filter(|k| !k.is_empty()) {
        return AgencyKind::parse(k).ok_or_else(|| {
            AppError::bad(format!(
                "Loại đơn vị “{k}” không hợp lệ (ví dụ: so_nganh, ubnd_huyen, ubnd_xa)."
            ))
        });
    }
    let own = match store::agency::get_by_code(&state.db, unit).await {
        Ok(a) => AgencyKind::parse(&a.kind),
        Err(_) => None,
    };
    Ok(match own {
        None | Some(AgencyKind::UbndTinh) => AgencyKind::SoNganh,
        Some(k) => k,
    })
}

/// Ranks the units of `kind` that existed at the end of the period by `total_766`, all
/// computed at once by [`indicators_units`] (the numbers of [`indicators`]). Only totals and bands leave this function; whether the
/// caller may open a unit is `in_scope`.
pub async fn ranking(
    state: &AppState,
    scope: &Scope,
    selected: &str,
    kind: AgencyKind,
    period: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Ranking, AppError> {
    let (agencies, _) = store::agency::list(
        &state.db,
        &store::agency::AgencyFilter {
            kind: Some(kind.code().to_string()),
            on_date: Some(to),
            ..Default::default()
        },
        store::Page::new(Some(1000), None),
    )
    .await?;
    let keys: Vec<(String, String, String)> = agencies
        .iter()
        .map(|a| (a.code.clone(), a.name.clone(), a.path.clone()))
        .collect();
    let computed = indicators_units(state, &keys, period, from, to).await?;
    let mut units = Vec::with_capacity(agencies.len());
    for (a, c) in agencies.into_iter().zip(computed) {
        let has_data = c.facts.dossiers_received > 0 || c.facts.dossiers_processed() > 0;
        units.push(RankingEntry {
            rank: None,
            has_data,
            selected: a.code == selected,
            in_scope: scope.contains(&a.path),
            unit: a.code,
            unit_name: a.name,
            total_766: c.card.total_766,
            band: if has_data {
                c.card.band.label_vi.clone()
            } else {
                "Chưa có số liệu".to_string()
            },
        });
    }
    units.sort_by(|a, b| {
        b.has_data
            .cmp(&a.has_data)
            .then_with(|| b.total_766.total_cmp(&a.total_766))
            .then_with(|| a.unit.cmp(&b.unit))
    });
    let mut prev: Option<(f64, u32)> = None;
    for (i, u) in (1u32..).zip(units.iter_mut().filter(|u| u.has_data)) {
        let rank = match prev {
            Some((t, r)) if t == u.total_766 => r,
            _ => i,
        };
        u.rank = Some(rank);
        prev = Some((u.total_766, rank));
    }
    Ok(Ranking {
        period: period.to_string(),
        from,
        to,
        kind: kind.code().to_string(),
        kind_label: kind.label().to_string(),
        units,
    })
}

#[derive(Debug, Deserialize, Default, utoipa::IntoParams)]
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

/// Page helper: the ranking for the page's unit and period.
pub async fn page_ranking(
    state: &AppState,
    scope: &Scope,
    c: &Computed,
    kind: Option<&str>,
) -> Result<Ranking, AppError> {
    let kind = ranking_kind(state, &c.unit, kind).await?;
    ranking(state, scope, &c.unit, kind, &c.period, c.from, c.to).await
}

/// The file formats of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Xlsx,
    Pdf,
    /// The API's `IndicatorReport`, pretty-printed.
    Json,
}

impl FromStr for ExportFormat {
    type Err = AppError;
    fn from_str(s: &str) -> Result<Self, AppError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "xlsx" => Ok(ExportFormat::Xlsx),
            "pdf" => Ok(ExportFormat::Pdf),
            "json" => Ok(ExportFormat::Json),
            _ => Err(AppError::bad(
                "Định dạng không hợp lệ (xlsx, pdf hoặc json).",
            )),
        }
    }
}

/// A report file.
#[derive(Debug, Clone)]
pub struct Export {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub file_name: String,
}

impl IntoResponse for Export {
    fn into_response(self) -> Response {
        (
            [
                (header::CONTENT_TYPE, self.content_type.to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}\"", self.file_name),
                ),
            ],
            self.bytes,
        )
            .into_response()
    }
}

/// The date a period's report carries when none is given: the day after the period ends
/// (the report is made once the period is over), or today for a period not over yet.
/// Never the clock for a past period, so re-generating it gives the same bytes.
pub fn default_report_date(to: NaiveDate) -> NaiveDate {
    let today = local(Utc::now()).date();
    to.succ_opt().unwrap_or(to).min(today)
}

/// A report date as typed: dd/mm/yyyy or yyyy-mm-dd.
pub fn parse_report_date(text: &str) -> Result<NaiveDate, AppError> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(t, "%Y-%m-%d"))
        .map_err(|_| AppError::bad("Ngày báo cáo không hợp lệ (dd/mm/yyyy)."))
}

/// Issuer lines of the unit's report: its parent agency above it (none for the province).
async fn issuer(state: &AppState, unit: &str, unit_name: &str) -> (String, String) {
    match store::agency::get_by_code(&state.db, unit).await {
        Ok(a) => {
            let parent = match a.parent_id {
                Some(id) => store::agency::get(&state.db, id)
                    .await
                    .map(|p| p.name)
                    .unwrap_or_default(),
                None => String::new(),
            };
            (parent, a.name)
        }
        Err(_) => (String::new(), unit_name.to_string()),
    }
}

/// The plain model the workbook and the paper are drawn from.
pub fn report_model(
    c: &Computed,
    trend: &[TrendPoint],
    issuer: (String, String),
    date: NaiveDate,
) -> Result<reports::IndicatorReportDoc, AppError> {
    let period = parse_period(&c.period)?;
    Ok(reports::IndicatorReportDoc {
        header: reports::DocHeader {
            issuer_parent: issuer.0,
            issuer: issuer.1,
            place: "Nghệ An".into(),
            date,
            title: "BÁO CÁO KẾT QUẢ BỘ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP".into(),
            subtitle: Some(format!(
                "Theo Quyết định số 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ — {}",
                period.label_vi()
            )),
        },
        number: String::new(),
        unit_name: c.unit_name.clone(),
        period_label: period.label_vi(),
        from: c.from,
        to: c.to,
        groups: c
            .card
            .groups
            .iter()
            .map(|g| reports::IndicatorGroupLine {
                code: g.code.clone(),
                name: g.name.clone(),
                points: g.points,
                max: g.max,
                indicators: g
                    .indicators
                    .iter()
                    .map(|i| reports::IndicatorLine {
                        code: i.code.clone(),
                        name: i.name.clone(),
                        numerator: i.numerator,
                        denominator: i.denominator,
                        value: i.value,
                        points: i.points,
                        max: i.max,
                        confidence: i.confidence.label_vi().to_string(),
                    })
                    .collect(),
            })
            .collect(),
        total_766: c.card.total_766,
        max_attainable: c.card.max_attainable,
        band: c.card.band.label_vi.clone(),
        kpis: c
            .kpis
            .iter()
            .map(|k| reports::KpiLine {
                label: k.label_vi.to_string(),
                numerator: k.numerator,
                denominator: k.denominator,
                percent: k.percent,
            })
            .collect(),
        trend_series: TREND_KPIS.iter().map(|(_, l)| l.to_string()).collect(),
        trend: trend
            .iter()
            .map(|t| reports::TrendLine {
                label: t.label.clone(),
                from: t.from,
                to: t.to,
                total_766: t.total_766,
                kpis: t.kpis.clone(),
            })
            .collect(),
    })
}

/// The report of one unit for one period as a file. `scope` limits the units that may be
/// asked for (the CLI passes the whole province); `own_agency` is the default unit when
/// none is named. `date` is the report date (default [`default_report_date`]).
pub async fn export(
    state: &AppState,
    scope: &Scope,
    own_agency: Option<i64>,
    q: &IndicatorQuery,
    format: ExportFormat,
    date: Option<NaiveDate>,
) -> Result<Export, AppError> {
    let (unit, unit_name, path) =
        resolve_unit_in(state, scope, own_agency, q.unit.as_deref()).await?;
    let (period, from, to) = resolve_period(q.period.as_deref(), q.period_mode.as_deref())?;
    let c = indicators(
        state,
        unit.clone(),
        unit_name.clone(),
        path.as_deref(),
        period.clone(),
        from,
        to,
    )
    .await?;
    let base = format!("chi-so-766-{}-{}", unit, period);
    if format == ExportFormat::Json {
        let mut bytes = serde_json::to_vec_pretty(&to_report(c))
            .map_err(|e| AppError::Internal(format!("json: {e}")))?;
        bytes.push(b'\n');
        return Ok(Export {
            bytes,
            content_type: "application/json",
            file_name: format!("{base}.json"),
        });
    }
    let trend = trend(state, &c, path.as_deref(), q.period_mode.as_deref()).await?;
    let issuer = issuer(state, &unit, &unit_name).await;
    let model = report_model(&c, &trend, issuer, date.unwrap_or(default_report_date(to)))?;
    Ok(match format {
        ExportFormat::Xlsx => Export {
            bytes: reports::indicator_xlsx(&model)
                .map_err(|e| AppError::Internal(format!("xlsx: {e}")))?,
            content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            file_name: format!("{base}.xlsx"),
        },
        _ => Export {
            bytes: reports::indicator_pdf(&model)
                .map_err(|e| AppError::Internal(format!("pdf: {e}")))?,
            content_type: "application/pdf",
            file_name: format!("{base}.pdf"),
        },
    })
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
    Ok(export(
        state,
        &user.principal.scope(),
        Some(user.principal.agency_id),
        &q.indicator_query(),
        format,
        date,
    )
    .await?
    .into_response())
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
