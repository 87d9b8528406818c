//! Số liệu hệ thống — the figures the system already holds for a unit and a year, for
//! the criteria whose source is `computed`: the same functions as the indicator screens
//! (`crate::indicator::indicators_units`: the 766 scorecard and its KPIs), the task
//! statistics and the periodic reports' due dates, so a scorecard never has a number of
//! its own. [`link`] says where each figure can be checked.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Utc};
use domain::inspection::Remediation;
use domain::par::Metric;
use domain::task::TaskStatus;
use store::par::CardRow;

use crate::{App, ServiceError};

/// The days of a year counted so far: 1/1 to 31/12, or to today for the year under way.
pub fn year_range(year: i32) -> (NaiveDate, NaiveDate) {
    let today = domain::time::day_of(Utc::now());
    let from = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
    let to = NaiveDate::from_ymd_opt(year, 12, 31)
        .unwrap_or(today)
        .min(today.max(from));
    (from, to)
}

fn pct(num: i64, den: i64) -> Option<f64> {
    (den > 0).then(|| ((num as f64) * 10_000.0 / den as f64).round() / 100.0)
}

/// Every computed figure of each card's unit for `year`, as percentages.
pub async fn for_units(
    app: &App,
    year: i32,
    cards: &[CardRow],
) -> Result<HashMap<i64, HashMap<Metric, f64>>, ServiceError> {
    let mut out: HashMap<i64, HashMap<Metric, f64>> = HashMap::new();
    if cards.is_empty() {
        return Ok(out);
    }
    let (from, to) = year_range(year);
    // One-stop figures and the 766 index of each unit's subtree.
    let units: Vec<(String, String, String)> = cards
        .iter()
        .map(|c| {
            (
                c.agency_code.clone(),
                c.agency_name.clone(),
                c.agency_path.clone(),
            )
        })
        .collect();
    let computed =
        crate::indicator::indicators_units(app, &units, &year.to_string(), from, to).await?;
    for (card, c) in cards.iter().zip(computed) {
        let m = out.entry(card.agency_id).or_default();
        for k in &c.kpis {
            let metric = match k.code {
                "dossier_on_time" => Metric::DossiersOnTime,
                "digitisation" => Metric::DossiersDigitised,
                "online_share" => Metric::DossiersOnline,
                "procedures_published_on_time" => Metric::ProceduresPublished,
                _ => continue,
            };
            if let Some(p) = k.percent {
                m.insert(metric, p);
            }
        }
        if let Some(s) = c.card.score_100 {
            m.insert(Metric::Index766, (s * 100.0).round() / 100.0);
        }
    }
    // Tasks led by the unit and due in the year: finished on time / due.
    let f = store::task::TaskFilter {
        deadline_from: Some(from),
        deadline_to: Some(to),
        today: Some(domain::time::day_of(Utc::now())),
        ..Default::default()
    };
    let mut tasks: HashMap<i64, (i64, i64)> = HashMap::new();
    for (agency, _, st, n) in store::task::status_counts_by_lead(app.read_db(), &f).await? {
        let e = tasks.entry(agency).or_default();
        e.1 += n;
        if st == TaskStatus::DoneOnTime {
            e.0 += n;
        }
    }
    // Periodic reports due in the year: sent by the due date / due.
    let mut reports: HashMap<i64, (i64, i64)> = HashMap::new();
    for (agency, due_on, sent) in store::report::due_between(&app.db, from, to).await? {
        let e = reports.entry(agency).or_default();
        e.1 += 1;
        if sent.is_some_and(|t| domain::time::day_of(t) <= due_on) {
            e.0 += 1;
        }
    }
    // The unit's own inspection plans: rows whose month has come, carried out.
    let month = if to.year() == year {
        to.month() as i32
    } else {
        12
    };
    let plans: HashMap<i64, (i64, i64)> = store::inspection::plan_progress(&app.db, year, month)
        .await?
        .into_iter()
        .map(|(agency, due, done)| (agency, (done, due)))
        .collect();
    // Findings charged to the unit's subtree with a deadline in the year, counted once
    // due or once reported done (one remediated early counts before its deadline).
    let today = domain::time::day_of(Utc::now());
    let year_end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(to);
    let findings: Vec<_> = store::inspection::findings_due(&app.db, from, year_end)
        .await?
        .into_iter()
        .filter(|f| f.task_submitted_on.is_some() || f.deadline.is_none_or(|d| d <= today))
        .collect();
    for card in cards {
        if let Some(&(done, due)) = plans.get(&card.agency_id)
            && let Some(p) = pct(done, due)
        {
            out.entry(card.agency_id)
                .or_default()
                .insert(Metric::InspectionPlanDone, p);
        }
        let states: Vec<Remediation> = findings
            .iter()
            .filter(|f| f.responsible_path.starts_with(card.agency_path.as_str()))
            .map(|f| {
                Remediation::of(
                    true,
                    f.deadline,
                    f.task_submitted_on,
                    f.task_verified.unwrap_or(false),
                    today,
                )
            })
            .collect();
        if let Some(p) = domain::inspection::remediated_on_time_percent(&states) {
            out.entry(card.agency_id)
                .or_default()
                .insert(Metric::InspectionFindingsRemediated, p);
        }
        if let Some(&(on_time, due)) = reports.get(&card.agency_id)
            && let Some(p) = pct(on_time, due)
        {
            out.entry(card.agency_id)
                .or_default()
                .insert(Metric::ReportsOnTime, p);
        }
        if let Some(&(on_time, due)) = tasks.get(&card.agency_id)
            && let Some(p) = pct(on_time, due)
        {
            out.entry(card.agency_id)
                .or_default()
                .insert(Metric::TasksOnTime, p);
        }
    }
    Ok(out)
}

/// Where the figure behind a metric can be checked for a unit and a year (the evidence
/// link shown beside a computed criterion).
pub fn link(m: Metric, card: &CardRow, year: i32) -> String {
    let unit = &card.agency_code;
    match m {
        Metric::TasksOnTime => format!("/nhiem-vu?agency_id={}&period={year}", card.agency_id),
        Metric::ReportsOnTime => format!("/bao-cao?unit={unit}"),
        Metric::InspectionPlanDone => format!("/kiem-tra/ke-hoach?nam={year}"),
        Metric::InspectionFindingsRemediated => {
            format!("/kiem-tra/thong-ke?nam={year}&unit={unit}")
        }
        _ => format!("/chi-so?unit={unit}&period={year}"),
    }
}
