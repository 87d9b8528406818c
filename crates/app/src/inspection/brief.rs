//! Hồ sơ chuẩn bị kiểm tra — what the team reads before going to the unit, from what the
//! system already holds for it (574/KH-UBND III.3; CV 6486 item 5): the PAR INDEX
//! criteria where it lost the most points in its latest round, its open and overdue tasks,
//! its overdue dossiers, its 766 scorecard of the last complete month with the weakest
//! indicators, and its earlier inspections. Only those who work on the file read it.

use chrono::Utc;
use domain::org::Principal;
use serde::Serialize;

use super::InspectionOut;
use crate::{App, ServiceError};

/// How many lines of each list the brief shows.
const LINES: usize = 8;

#[derive(Debug, Clone, Serialize)]
pub struct ParLine {
    pub code: String,
    pub title: String,
    pub score: f64,
    pub max: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ParBrief {
    pub year: i32,
    pub round_status: String,
    pub score: f64,
    pub max: f64,
    /// The scored criteria where the unit lost the most points, most lost first.
    pub weakest: Vec<ParLine>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorLine {
    pub code: String,
    pub name: String,
    pub points: f64,
    pub max: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Brief {
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub par: Option<ParBrief>,
    pub tasks_open: i64,
    pub tasks_overdue: i64,
    /// The overdue tasks it leads, oldest deadline first: (id, content, deadline).
    pub overdue_tasks: Vec<(i64, String, Option<chrono::NaiveDate>)>,
    pub dossiers_overdue: i64,
    /// Its overdue dossiers, oldest deadline first: (id, code, procedure, deadline).
    pub overdue_dossiers: Vec<(i64, String, String, Option<chrono::DateTime<Utc>>)>,
    /// The 766 scorecard of the last complete month: (period label, total, band).
    pub i766: Option<(String, f64, String)>,
    /// Its indicators with the most points lost.
    pub weakest_indicators: Vec<IndicatorLine>,
    /// The unit's earlier inspections (newest first).
    pub earlier: Vec<InspectionOut>,
}

/// The brief of inspection `id` (those who work on the file; 404 for others).
pub async fn brief(state: &App, p: &Principal, id: i64) -> Result<Brief, ServiceError> {
    let r = super::visible(state, p, id).await?;
    if !super::works_on(state, p, &r).await? {
        return Err(ServiceError::NotFound);
    }
    let unit = store::agency::get(&state.db, r.target_agency_id).await?;
    let today = domain::time::today();

    // PAR INDEX: the unit's latest scorecard.
    let mut par = None;
    if let Some((_, card)) = store::par::cards_of_unit(&state.db, &unit.code)
        .await?
        .into_iter()
        .max_by_key(|(year, _)| *year)
    {
        let round = store::par::round(&state.db, card.round_id).await?;
        let s = crate::par::card::live_card(state, &round, &card).await?;
        let mut weakest: Vec<ParLine> = s
            .criteria
            .iter()
            .filter(|c| c.leaf && !c.not_applicable && c.final_score < c.max)
            .map(|c| ParLine {
                code: c.code.clone(),
                title: c.title.clone(),
                score: c.final_score.as_f64(),
                max: c.max.as_f64(),
            })
            .collect();
        weakest.sort_by(|a, b| (b.max - b.score).total_cmp(&(a.max - a.score)));
        weakest.truncate(LINES);
        par = Some(ParBrief {
            year: s.year,
            round_status: s.status_label.clone(),
            score: s.totals.score.as_f64(),
            max: s.totals.max.as_f64(),
            weakest,
        });
    }

    // Tasks it leads or supports.
    let tf = store::task::TaskFilter {
        agency_id: Some(unit.id),
        today: Some(today),
        ..Default::default()
    };
    let stats = crate::task::Stats::of(&store::task::status_counts(state.read_db(), &tf).await?);
    let (overdue, _) = store::task::list(
        &state.db,
        &store::task::TaskFilter {
            status: Some(domain::task::TaskStatus::Overdue),
            ..tf.clone()
        },
        store::Page::new(Some(LINES as i64), None),
    )
    .await?;

    // Its dossiers past their deadline.
    let (dossiers, dossiers_overdue) = store::dossier::list(
        &state.db,
        &store::dossier::DossierFilter {
            scope_prefix: Some(unit.path.clone()),
            overdue_at: Some(Utc::now()),
            ..Default::default()
        },
        store::Page::new(Some(LINES as i64), None),
    )
    .await?;

    // 766 of the last complete month.
    let per = crate::indicator::public::last_complete_month(today);
    let (from, to) = per
        .range(domain::calendar::PeriodMode::Calendar)
        .map_err(|_| ServiceError::bad("Kỳ nằm ngoài phạm vi lịch."))?;
    let c = crate::indicator::indicators(
        state,
        unit.code.clone(),
        unit.name.clone(),
        Some(&unit.path),
        per.to_string(),
        from,
        to,
    )
    .await?;
    let mut weakest_indicators: Vec<IndicatorLine> = c
        .card
        .groups
        .iter()
        .flat_map(|g| &g.indicators)
        .filter_map(|i| match (i.points, i.max) {
            (Some(points), Some(max)) if points < max => Some(IndicatorLine {
                code: i.code.clone(),
                name: i.name.clone(),
                points,
                max,
            }),
            _ => None,
        })
        .collect();
    weakest_indicators.sort_by(|a, b| (b.max - b.points).total_cmp(&(a.max - a.points)));
    weakest_indicators.truncate(LINES);
    let i766 = (c.card.max_attainable > 0.0).then(|| {
        (
            per.label_vi(),
            c.card.total_766,
            c.card.band.label_vi.clone(),
        )
    });

    let (earlier, _) = super::list(
        state,
        p,
        None,
        Some(&unit.code),
        None,
        store::Page::new(Some(LINES as i64), None),
    )
    .await?;
    Ok(Brief {
        unit_id: unit.id,
        unit_code: unit.code,
        unit_name: unit.name,
        par,
        tasks_open: stats.in_progress + stats.overdue + stats.awaiting_verification,
        tasks_overdue: stats.overdue,
        overdue_tasks: overdue
            .into_iter()
            .map(|t| (t.id, t.content, t.deadline))
            .collect(),
        dossiers_overdue,
        overdue_dossiers: dossiers
            .into_iter()
            .map(|d| (d.id, d.code, d.tthc_name, d.due_at))
            .collect(),
        i766,
        weakest_indicators,
        earlier: earlier.into_iter().filter(|i| i.id != id).collect(),
    })
}
