//! Chỉ số 766 — `GET /api/v1/indicators?unit=CODE&period=2023-10` and the page `/chi-so`:
//! the groups and indicators of Quyết định 766/QĐ-TTg with numerator, denominator, value
//! and points, `total_766` and the rating band, and the seed's KPIs, for one unit (its
//! agency subtree) and one period, computed by `domain::indicator` from the stored facts.

mod feedback;
pub mod public;
pub mod report;
pub mod schema;

use chrono::{DateTime, NaiveDate, Utc};
use domain::calendar::{Period, PeriodMode};
use domain::dossier::{DossierStatus, DossierTimes, IntakePolicy, Pause};
use domain::indicator::{IndicatorModel, Kpi, Scorecard, UnitPeriodFacts};
use serde::{Deserialize, Serialize};

use crate::Caller;
use crate::{App, ServiceError};
use domain::time::{local, utc};

#[derive(Debug, Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IndicatorQuery {
    /// Agency code (e.g. SXD, XM-CONCUONG); default: the caller's agency, or the province
    /// for province-wide roles.
    pub unit: Option<String>,
    /// 2023-10, 2023-Q3, 2023-H2 or 2023; default: the current month.
    pub period: Option<String>,
    /// `calendar` (default) or `window` (15th of the month before → 14th).
    pub period_mode: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IndicatorReport {
    pub unit: String,
    pub unit_name: String,
    pub period: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    #[schema(value_type = Vec<schema::GroupScoreDoc>)]
    pub groups: serde_json::Value,
    pub total_766: f64,
    /// The points that could be measured for this unit and period (100 when everything
    /// arose and has data).
    pub max_attainable: f64,
    /// total × 100 / max_attainable, the score the band is read on; null when nothing could
    /// be measured.
    pub score_100: Option<f64>,
    /// Points left out: "không phát sinh" (nothing arose: N/A per VPCP's formula
    /// description), "chưa có dữ liệu" (no data source yet), with the indicators.
    #[schema(value_type = Vec<schema::UnmeasuredDoc>)]
    pub unmeasured: serde_json::Value,
    #[schema(value_type = schema::RatingBandDoc)]
    pub band: serde_json::Value,
    #[schema(value_type = Vec<schema::KpiDoc>)]
    pub kpis: serde_json::Value,
    #[schema(value_type = Object)]
    pub facts: serde_json::Value,
}

/// One unit's indicators for one period, as every screen and file shows them.
#[derive(Debug, Clone)]
pub struct Computed {
    pub unit: String,
    pub unit_name: String,
    pub period: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub card: Scorecard,
    pub kpis: Vec<Kpi>,
    pub facts: UnitPeriodFacts,
}

/// The unit a request names (`None`: the caller's own agency, or the province for
/// province-wide roles) as (code, name, subtree path; `None` for the province). A unit
/// outside the caller's scope is a 404.
pub async fn resolve_unit(
    state: &App,
    p: &domain::org::Principal,
    unit: Option<&str>,
) -> Result<(String, String, Option<String>), ServiceError> {
    resolve_unit_in(state, &p.scope(), Some(p.agency_id), unit).await
}

/// [`resolve_unit`] for a scope rather than a signed-in user (the CLI acts for the whole
/// province); `own_agency` is the default unit of a scope narrower than the province.
pub async fn resolve_unit_in(
    state: &App,
    scope: &domain::org::Scope,
    own_agency: Option<i64>,
    unit: Option<&str>,
) -> Result<(String, String, Option<String>), ServiceError> {
    Ok(match unit.map(str::trim).filter(|s| !s.is_empty()) {
        Some(code) => {
            let a = store::agency::get_by_code(&state.db, code)
                .await
                .map_err(|_| ServiceError::bad(format!("Không có đơn vị mã “{code}”.")))?;
            if !scope.contains(&a.path) {
                return Err(ServiceError::NotFound);
            }
            (a.code.clone(), a.name.clone(), Some(a.path))
        }
        None if matches!(scope, domain::org::Scope::Province) => {
            ("TINH".to_string(), "Toàn tỉnh Nghệ An".to_string(), None)
        }
        None => {
            let id = own_agency.ok_or_else(|| ServiceError::bad("Chưa chọn đơn vị."))?;
            let a = store::agency::get(&state.db, id).await?;
            (a.code.clone(), a.name.clone(), Some(a.path))
        }
    })
}

/// A period as typed (`2023-10`, `2023-Q3`, `2023-H2`, `2023`; default the current month)
/// and its mode (`calendar` or `window`) → (label, first day, last day).
pub fn resolve_period(
    period: Option<&str>,
    period_mode: Option<&str>,
) -> Result<(String, NaiveDate, NaiveDate), ServiceError> {
    let today = local(Utc::now()).date();
    let period_text = period
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| today.format("%Y-%m").to_string());
    // As people write it too (11/2026, T11/2026, Q3/2026), kept in its code form.
    let parsed: Period = Period::parse_vi(&period_text).ok_or_else(|| {
        ServiceError::bad("Kỳ không hợp lệ (ví dụ: 10/2023, 2023-10, Q3/2023, 2023).")
    })?;
    let period_text = parsed.to_string();
    let mode = match period_mode.unwrap_or("") {
        "" | "calendar" => PeriodMode::Calendar,
        "window" => PeriodMode::ReportingWindow,
        _ => {
            return Err(ServiceError::bad(
                "Cách tính kỳ không hợp lệ (calendar hoặc window).",
            ));
        }
    };
    let (from, to) = parsed
        .range(mode)
        .map_err(|_| ServiceError::bad("Kỳ nằm ngoài phạm vi lịch."))?;
    Ok((period_text, from, to))
}

pub async fn compute(
    state: &App,
    user: &Caller,
    q: &IndicatorQuery,
) -> Result<Computed, ServiceError> {
    let (unit, unit_name, path) = resolve_unit(state, &user.principal, q.unit.as_deref()).await?;
    let (period, from, to) = resolve_period(q.period.as_deref(), q.period_mode.as_deref())?;
    indicators(state, unit, unit_name, path.as_deref(), period, from, to).await
}

/// The 766 scorecard and the KPIs of the subtree at `path` (`None`: the province) for the
/// days `from..=to`. Every view (page, API, XLSX, PDF, CLI, rankings, trends) goes through
/// here, so they all show the same numbers.
pub async fn indicators(
    state: &App,
    unit: String,
    unit_name: String,
    path: Option<&str>,
    period: String,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Computed, ServiceError> {
    let mut all = indicators_many(state, &unit, &unit_name, path, vec![(period, from, to)]).await?;
    all.pop()
        .ok_or_else(|| ServiceError::Internal("766: không có kỳ".into()))
}

/// [`indicators`] of one unit for several periods `(text, from, to)` (a trend), from one
/// read of the aggregates ([`store::agg::sums_many`]); the same numbers, period by period.
pub async fn indicators_many(
    state: &App,
    unit: &str,
    unit_name: &str,
    path: Option<&str>,
    periods: Vec<(String, NaiveDate, NaiveDate)>,
) -> Result<Vec<Computed>, ServiceError> {
    let ranges: Vec<(NaiveDate, NaiveDate)> = periods.iter().map(|p| (p.1, p.2)).collect();
    let facts = unit_period_facts_many(state, path, &ranges).await?;
    let model = model()?;
    Ok(periods
        .into_iter()
        .zip(facts)
        .map(|((period, from, to), f)| computed(&model, unit, unit_name, period, from, to, f))
        .collect())
}

fn model() -> Result<IndicatorModel, ServiceError> {
    IndicatorModel::embedded().map_err(|e| ServiceError::Internal(format!("766: {e}")))
}

/// The scorecard and KPIs of a unit's facts for a period: the one place facts become a
/// [`Computed`].
fn computed(
    model: &IndicatorModel,
    unit: &str,
    unit_name: &str,
    period: String,
    from: NaiveDate,
    to: NaiveDate,
    facts: UnitPeriodFacts,
) -> Computed {
    Computed {
        unit: unit.to_string(),
        unit_name: unit_name.to_string(),
        period,
        from,
        to,
        card: domain::indicator::score(model, &facts),
        kpis: domain::indicator::kpis(&facts),
        facts,
    }
}

/// [`indicators`] of one period for several units `(code, name, path)` (a ranking), from
/// one read of the aggregates ([`store::agg::sums_subtrees`]); the same numbers, unit by
/// unit.
pub async fn indicators_units(
    state: &App,
    units: &[(String, String, String)],
    period: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Computed>, ServiceError> {
    let paths: Vec<&str> = units.iter().map(|u| u.2.as_str()).collect();
    let sums = store::agg::sums_subtrees(state.read_db(), &paths, from, to).await?;
    let procedures = store::indicator::procedure_counts_subtrees(state.read_db(), &paths).await?;
    let feedback = feedback::facts(state, None, &[(from, to)]).await?;
    let model = model()?;
    Ok(units
        .iter()
        .zip(sums.iter().zip(procedures))
        .map(
            |((code, name, path), ((flow, stock), (total, full, partial)))| {
                let mut f = UnitPeriodFacts {
                    procedures_total: total as u64,
                    procedures_online_full: full as u64,
                    procedures_online_partial: partial as u64,
                    ..Default::default()
                };
                domain::indicator::counters::facts_from(flow, stock, &mut f);
                feedback::add(&feedback, Some(path), from, to, &mut f);
                computed(&model, code, name, period.to_string(), from, to, f)
            },
        )
        .collect())
}

/// The counts of the subtree at `path` (`None`: the province) for the days `from..=to`
/// (local), from which `domain::indicator` computes every ratio and point. The dossier
/// counts come from the aggregates maintained with every dossier write
/// (`store::agg::sums`: the period's flows and the stocks at its end, a few hundred rows
/// per unit whatever the period and the history); tests check them against
/// [`unit_period_facts_full_scan`] field by field.
pub async fn unit_period_facts(
    state: &App,
    path: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<UnitPeriodFacts, ServiceError> {
    Ok(unit_period_facts_many(state, path, &[(from, to)])
        .await?
        .pop()
        .unwrap_or_default())
}

/// [`unit_period_facts`] for several periods, from one read of the aggregates.
pub async fn unit_period_facts_many(
    state: &App,
    path: Option<&str>,
    periods: &[(NaiveDate, NaiveDate)],
) -> Result<Vec<UnitPeriodFacts>, ServiceError> {
    let sums = store::agg::sums_many(state.read_db(), path, periods).await?;
    let mut procedures = UnitPeriodFacts::default();
    procedure_facts(state, path, &mut procedures).await?;
    let feedback = feedback::facts(state, path, periods).await?;
    Ok(sums
        .iter()
        .zip(periods)
        .map(|((flow, stock), (from, to))| {
            let mut f = procedures.clone();
            domain::indicator::counters::facts_from(flow, stock, &mut f);
            feedback::add(&feedback, None, *from, *to, &mut f);
            f
        })
        .collect())
}

async fn procedure_facts(
    state: &App,
    path: Option<&str>,
    f: &mut UnitPeriodFacts,
) -> Result<(), ServiceError> {
    let (total, full, partial) = store::indicator::procedure_counts(state.read_db(), path).await?;
    f.procedures_total = total as u64;
    f.procedures_online_full = full as u64;
    f.procedures_online_partial = partial as u64;
    Ok(())
}

/// [`unit_period_facts`] by a full scan: every dossier relevant to the period
/// (`store::indicator::dossiers`) classified with `domain::dossier::classify_766` at the
/// period end — time grows with history. Kept as the reference the aggregates are verified
/// against, and for the benchmark.
pub async fn unit_period_facts_full_scan(
    state: &App,
    path: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<UnitPeriodFacts, ServiceError> {
    let start: DateTime<Utc> = utc(from.and_hms_opt(0, 0, 0).unwrap_or_default());
    let end: DateTime<Utc> = utc((to + chrono::Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default());
    let (rows, pauses) = store::indicator::dossiers(state.read_db(), path, start, end).await?;
    let cal = state.calendar.get(&state.db).await?;
    let policy = IntakePolicy::default();
    let period_end = domain::indicator::counters::period_end(to);
    let mut f = UnitPeriodFacts::default();
    let in_period = |t: Option<DateTime<Utc>>| t.is_some_and(|t| t >= start && t < end);
    let mut pi = 0;
    for d in &rows {
        let mut mine = Vec::new();
        while pi < pauses.len() && pauses[pi].dossier_id < d.id {
            pi += 1;
        }
        let mut k = pi;
        while k < pauses.len() && pauses[k].dossier_id == d.id {
            mine.push(Pause {
                start: local(pauses[k].started_at),
                end: pauses[k].ended_at.map(local),
            });
            k += 1;
        }
        let received_now = in_period(d.received_at) && d.status != DossierStatus::RefusedAtIntake;
        if received_now {
            f.dossiers_received += 1;
            f.synced_dossiers += u64::from(d.synced);
            f.online_dossiers += u64::from(d.channel == 2);
            if d.online_level == "toan_trinh" {
                f.full_online_eligible_dossiers += 1;
                f.full_online_dossiers += u64::from(d.channel == 2);
            }
            f.digitised_dossiers +=
                u64::from(d.digitized && (d.finished_at.is_none() || d.e_result));
            if d.fee_amount.is_some_and(|x| x > 0) {
                f.payable_dossiers += 1;
                f.paid_online += u64::from(d.paid_online);
            }
        }
        if d.status == DossierStatus::RefusedAtIntake {
            continue;
        }
        let Some(received) = d.received_at else {
            continue;
        };
        let times = DossierTimes {
            received_at: local(received),
            appointment: d.appointment_at.map(local),
            supplement_pauses: mine,
            finished_at: d.finished_at.map(local),
            returned_at: d.returned_at.map(local),
            stopped_at: d.stopped_at.map(local),
            withdrawn_at: d.withdrawn_at.map(local),
        };
        // Ended before the period (read only for its rating): not processed in it.
        let ended_before = times.end().is_some_and(|t| t < local(start));
        if !ended_before
            && let Ok(v) =
                domain::dossier::classify_766(&times, period_end, None, &cal, &policy.hours)
        {
            f.count_dossier(v);
            if v.is_finished() && d.rating == Some(1) && v != domain::dossier::Timeliness::Late {
                f.dossiers_dissatisfied_not_late += 1;
            }
        }
        if in_period(d.finished_at) {
            f.dossiers_needing_result_document += 1;
            f.e_results += u64::from(d.e_result);
        }
        if in_period(d.returned_at) && d.rating.is_some() {
            f.ratings_total += 1;
            f.ratings_positive += u64::from(d.rating.unwrap_or(0) >= 2);
        }
    }
    procedure_facts(state, path, &mut f).await?;
    let feedback = feedback::facts(state, path, &[(from, to)]).await?;
    feedback::add(&feedback, None, from, to, &mut f);
    Ok(f)
}

/// The API's shape of a computed report (the CLI's `--format json` prints the same).
pub fn to_report(c: Computed) -> IndicatorReport {
    IndicatorReport {
        unit: c.unit,
        unit_name: c.unit_name,
        period: c.period,
        from: c.from,
        to: c.to,
        groups: serde_json::to_value(&c.card.groups).unwrap_or_default(),
        total_766: c.card.total_766,
        max_attainable: c.card.max_attainable,
        score_100: c.card.score_100,
        unmeasured: serde_json::to_value(&c.card.unmeasured).unwrap_or_default(),
        band: serde_json::to_value(&c.card.band).unwrap_or_default(),
        kpis: serde_json::to_value(&c.kpis).unwrap_or_default(),
        facts: serde_json::to_value(&c.facts).unwrap_or_default(),
    }
}
