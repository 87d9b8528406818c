//! Chỉ số 766 beyond the one-period view: the trend over the last 12 periods, the ranking
//! of comparable units, and the report as files — `/chi-so.xlsx`, `/chi-so.pdf` (or
//! `/chi-so?format=xlsx|pdf`), `GET /api/v1/indicators/ranking` — and the function
//! [`export`] that the CLI (`cchc report monthly`) calls too, so a file downloaded from the
//! page and one written by the CLI for the same unit and period are the same bytes.
//!
//! Every number is computed as [`indicators`] computes it: the trend's periods in one read
//! ([`indicators_many`]), the ranking's units in one read ([`indicators_units`]).

use std::str::FromStr;

use chrono::{NaiveDate, Utc};
use domain::calendar::Period;
use domain::org::{AgencyKind, Scope};
use serde::Serialize;

use super::{
    Computed, IndicatorQuery, indicators, indicators_many, indicators_units, resolve_period,
    resolve_unit_in, to_report,
};
use crate::{App, ServiceError};
use domain::time::local;

/// How many periods the trend shows (issue 7: "the trend over the last 12 periods").
pub const TREND_PERIODS: usize = 12;

/// The KPIs the trend follows next to `total_766`: (KPI code, column label).
pub const TREND_KPIS: [(&str, &str); 4] = [
    ("dossier_on_time", "Đúng hạn (%)"),
    ("digitisation", "Số hóa (%)"),
    ("synchronisation", "Đồng bộ (%)"),
    ("online_share", "Nộp trực tuyến (%)"),
];

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

fn parse_period(text: &str) -> Result<Period, ServiceError> {
    Period::parse_vi(text).ok_or_else(|| {
        ServiceError::bad("Kỳ không hợp lệ (ví dụ: 10/2023, 2023-10, Q3/2023, 2023).")
    })
}

/// The last [`TREND_PERIODS`] periods of the same kind as `main` (12 months back for a
/// month, 12 quarters for a quarter, …), oldest first, `main` last (not recomputed).
pub async fn trend(
    state: &App,
    main: &Computed,
    path: Option<&str>,
    period_mode: Option<&str>,
) -> Result<Vec<TrendPoint>, ServiceError> {
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
    /// The score out of 100 over what could be measured, which ranks the units.
    pub score_100: Option<f64>,
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
pub async fn ranking_kind(
    state: &App,
    unit: &str,
    kind: Option<&str>,
) -> Result<AgencyKind, ServiceError> {
    if let Some(k) = kind.map(str::trim).filter(|k| !k.is_empty()) {
        return AgencyKind::parse(k).ok_or_else(|| {
            ServiceError::bad(format!(
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
    state: &App,
    scope: &Scope,
    selected: &str,
    kind: AgencyKind,
    period: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Ranking, ServiceError> {
    let (agencies, _) = store::agency::list(
        state.read_db(),
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
            score_100: c.card.score_100,
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
            .then_with(|| {
                b.score_100
                    .unwrap_or(-1.0)
                    .total_cmp(&a.score_100.unwrap_or(-1.0))
            })
            .then_with(|| b.total_766.total_cmp(&a.total_766))
            .then_with(|| a.unit.cmp(&b.unit))
    });
    let mut prev: Option<(f64, u32)> = None;
    for (i, u) in (1u32..).zip(units.iter_mut().filter(|u| u.has_data)) {
        let key = u.score_100.unwrap_or(-1.0);
        let rank = match prev {
            Some((t, r)) if t == key => r,
            _ => i,
        };
        u.rank = Some(rank);
        prev = Some((key, rank));
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

/// Page helper: the ranking for the page's unit and period.
pub async fn page_ranking(
    state: &App,
    scope: &Scope,
    c: &Computed,
    kind: Option<&str>,
) -> Result<Ranking, ServiceError> {
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
    type Err = ServiceError;
    fn from_str(s: &str) -> Result<Self, ServiceError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "xlsx" => Ok(ExportFormat::Xlsx),
            "pdf" => Ok(ExportFormat::Pdf),
            "json" => Ok(ExportFormat::Json),
            _ => Err(ServiceError::bad(
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

/// The date a period's report carries when none is given: the day after the period ends
/// (the report is made once the period is over), or today for a period not over yet.
/// Never the clock for a past period, so re-generating it gives the same bytes.
pub fn default_report_date(to: NaiveDate) -> NaiveDate {
    let today = local(Utc::now()).date();
    to.succ_opt().unwrap_or(to).min(today)
}

/// A report date as typed: dd/mm/yyyy or yyyy-mm-dd.
pub fn parse_report_date(text: &str) -> Result<NaiveDate, ServiceError> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(t, "%Y-%m-%d"))
        .map_err(|_| ServiceError::bad("Ngày báo cáo không hợp lệ (dd/mm/yyyy)."))
}

/// Issuer lines of the unit's report: its parent agency above it (none for the province).
async fn issuer(state: &App, unit: &str, unit_name: &str) -> (String, String) {
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
) -> Result<reports::IndicatorReportDoc, ServiceError> {
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
                        confidence: match (i.points, i.basis.note_vi()) {
                            (None, Some(note)) => note.to_string(),
                            _ => i.confidence.label_vi().to_string(),
                        },
                    })
                    .collect(),
            })
            .collect(),
        total_766: c.card.total_766,
        max_attainable: c.card.max_attainable,
        band: match c.card.score_100 {
            Some(s) => format!("{} (quy đổi {}/100)", c.card.band.label_vi, reports::vn2(s)),
            None => c.card.band.label_vi.clone(),
        },
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
    state: &App,
    scope: &Scope,
    own_agency: Option<i64>,
    q: &IndicatorQuery,
    format: ExportFormat,
    date: Option<NaiveDate>,
) -> Result<Export, ServiceError> {
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
            .map_err(|e| ServiceError::Internal(format!("json: {e}")))?;
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
                .map_err(|e| ServiceError::Internal(format!("xlsx: {e}")))?,
            content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            file_name: format!("{base}.xlsx"),
        },
        _ => Export {
            bytes: reports::indicator_pdf(&model)
                .map_err(|e| ServiceError::Internal(format!("pdf: {e}")))?,
            content_type: "application/pdf",
            file_name: format!("{base}.pdf"),
        },
    })
}
