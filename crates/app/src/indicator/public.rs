//! Bảng xếp hạng Chỉ số 766 công khai — the 766 ranking shown on the public portal
//! (`/cong-khai/chi-so-766`). Quyết định 766/QĐ-TTg ngày 23/6/2022 has the results of
//! the index made public (on Cổng Dịch vụ công quốc gia, for every ministry and province);
//! the province shows its own units the same way. Only a period that is over is shown —
//! the default is the last complete month — since a running month's figures still move;
//! only names, totals and bands leave this module, never a dossier or a person.

use std::sync::Arc;

use chrono::NaiveDate;
use domain::calendar::period::PeriodKind;
use domain::calendar::{Period, PeriodMode};
use domain::org::{AgencyKind, Scope};
use serde::Serialize;

use super::report::ranking;
use crate::{App, ServiceError};

/// The first year the public ranking offers (the legal calendar's range starts in 2019).
const FIRST_YEAR: i32 = 2019;

/// The kinds of unit the public ranking compares.
const KINDS: [AgencyKind; 3] = [
    AgencyKind::SoNganh,
    AgencyKind::UbndHuyen,
    AgencyKind::UbndXa,
];

/// One unit of the public ranking.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicRankEntry {
    /// 1 = best; `null` for a unit without a dossier in the period (listed last).
    pub rank: Option<u32>,
    pub unit_name: String,
    pub total_766: f64,
    pub score_100: Option<f64>,
    pub band: String,
    pub has_data: bool,
}

/// The public ranking of one kind of unit for one period that is over.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicRanking {
    pub period: String,
    /// "tháng 11/2026", "quý III năm 2026"…
    pub period_label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub kind: String,
    pub kind_label: String,
    /// The kinds that had units at the period's end: (code, label).
    pub kinds: Vec<(String, String)>,
    /// The last twelve complete months: (code, label), newest first.
    pub months: Vec<(String, String)>,
    pub units: Vec<PublicRankEntry>,
}

/// The last month that is over on `today`.
pub fn last_complete_month(today: NaiveDate) -> Period {
    Period::containing(PeriodKind::Month, today, PeriodMode::Calendar).previous()
}

/// The ranking of `kind` (default: departments) for `period` (default: the last complete
/// month; a period not yet over, or before 2019, is refused with a 400), cached ten
/// minutes per period and kind (the page is public: a crowd reads one computation).
pub async fn public_ranking(
    app: &App,
    period: Option<&str>,
    kind: Option<&str>,
    today: NaiveDate,
) -> Result<Arc<PublicRanking>, ServiceError> {
    let last = last_complete_month(today);
    let p: Period = match period.map(str::trim).filter(|s| !s.is_empty()) {
        None => last,
        Some(s) => Period::parse_vi(s).ok_or_else(|| {
            ServiceError::bad("Kỳ không hợp lệ (ví dụ: 11/2026, T11/2026, Q3/2026, 2026).")
        })?,
    };
    let (from, to) = p
        .range(PeriodMode::Calendar)
        .map_err(|_| ServiceError::bad("Kỳ nằm ngoài phạm vi lịch."))?;
    if to >= today {
        return Err(ServiceError::bad(
            "Kỳ này chưa kết thúc: bảng xếp hạng công khai chỉ có cho kỳ đã kết thúc.",
        ));
    }
    if p.year() < FIRST_YEAR {
        return Err(ServiceError::bad(format!(
            "Bảng xếp hạng công khai có từ năm {FIRST_YEAR}."
        )));
    }
    let kind = match kind.map(str::trim).filter(|s| !s.is_empty()) {
        None => AgencyKind::SoNganh,
        Some(k) => AgencyKind::parse(k)
            .filter(|k| KINDS.contains(k))
            .ok_or_else(|| ServiceError::bad(format!("Loại đơn vị “{k}” không hợp lệ.")))?,
    };
    let key = (p.to_string(), kind.code().to_string());
    if let Some(hit) = app.public_rankings.get(&key) {
        return Ok(hit);
    }
    let mut kinds = Vec::new();
    for k in KINDS {
        let (_, n) = store::agency::list(
            app.read_db(),
            &store::agency::AgencyFilter {
                kind: Some(k.code().to_string()),
                on_date: Some(to),
                ..Default::default()
            },
            store::Page::new(Some(1), None),
        )
        .await?;
        if n > 0 {
            kinds.push((k.code().to_string(), k.label().to_string()));
        }
    }
    let r = ranking(app, &Scope::Province, "", kind, &key.0, from, to).await?;
    let months = std::iter::successors(Some(last), |m| Some(m.previous()))
        .take(12)
        .filter(|m| m.year() >= FIRST_YEAR)
        .map(|m| (m.to_string(), m.label_vi()))
        .collect();
    let out = Arc::new(PublicRanking {
        period: key.0.clone(),
        period_label: p.label_vi(),
        from,
        to,
        kind: r.kind,
        kind_label: r.kind_label,
        kinds,
        months,
        units: r
            .units
            .into_iter()
            .map(|u| PublicRankEntry {
                rank: u.rank,
                unit_name: u.unit_name,
                total_766: u.total_766,
                score_100: u.score_100,
                band: u.band,
                has_data: u.has_data,
            })
            .collect(),
    });
    app.public_rankings.put(key, out.clone());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_complete_month() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(last_complete_month(d("2026-12-06")).to_string(), "2026-11");
        assert_eq!(last_complete_month(d("2027-01-01")).to_string(), "2026-12");
        assert_eq!(last_complete_month(d("2026-03-31")).to_string(), "2026-02");
    }
}
