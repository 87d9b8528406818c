//! Bảng điều hành — the leaders' picture of one unit (the province, or a subtree in the
//! caller's scope) for one period (default the last complete month: a running month's
//! figures still move, and a trend would "drop" at its end). Every figure is read from
//! the service that serves the list it links to, with the same filter, so the number on
//! the dashboard is the number of rows behind its link: the 766 scorecard and trend
//! (`indicator`), the overdue list (`overdue`), the tasks (`task`), the monthly reports
//! not sent (`report`), PAKN (the 766 group 5 facts), the PAR INDEX (`par`).

use chrono::NaiveDate;
use domain::calendar::{Period, PeriodMode};
use domain::org::{AgencyKind, Scope};
use serde::Serialize;

use crate::indicator::report::{RankingEntry, TrendPoint};
use crate::task::{AgencyStats, Stats, TaskQuery};
use crate::{App, Caller, ServiceError};

/// The monthly report whose missing submissions the dashboard counts.
pub const MONTHLY_REPORT: &str = "TTHC-THANG";

/// How many of the lowest units each list shows.
const LOWEST: usize = 5;

/// One unit's picture for one period.
#[derive(Debug, Serialize)]
pub struct Dashboard {
    /// Agency code, or "TINH" for the province.
    pub unit: String,
    pub unit_name: String,
    /// The agency's id (`null` for the province): the tasks' list filter.
    pub agency_id: Option<i64>,
    pub period: String,
    /// "tháng 11 năm 2026".
    pub period_label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub total_766: f64,
    pub max_attainable: f64,
    pub score_100: Option<f64>,
    pub band: String,
    /// The last twelve periods, oldest first (766 total and the main rates).
    pub trend: Vec<TrendPoint>,
    /// Percentages of the period: (code, label, value).
    pub kpis: Vec<(String, String, Option<f64>)>,
    /// Dossiers received in the period.
    pub dossiers_received: u64,
    /// The tasks of the unit as of today (the list `/nhiem-vu` with the same filter).
    pub tasks: Stats,
    /// The overdue list of the period: dossiers, tasks, feedback.
    pub overdue_dossiers: u64,
    pub overdue_tasks: u64,
    pub overdue_feedback: u64,
    /// Monthly reports of the period still in draft, and returned (not sent).
    pub reports_draft: i64,
    pub reports_returned: i64,
    /// PAKN received in the period, handled on time, pending within the limit.
    pub feedback_received: u64,
    pub feedback_on_time: u64,
    pub feedback_pending: u64,
    /// The latest published PAR INDEX round: (round id, year), and the unit's index and
    /// rank among its kind ("hạng 3/21") when the unit was scored.
    pub par: Option<(i64, i32)>,
    pub par_index: Option<f64>,
    pub par_rank: Option<(u32, usize)>,
    /// The lowest-ranked units by the 766 score, per kind: (kind label, units).
    pub lowest_766: Vec<(String, Vec<RankingEntry>)>,
    /// The lead agencies with the lowest task completion (at least one task).
    pub lowest_tasks: Vec<AgencyStats>,
}

/// The period a dashboard shows: the one asked for (as people write it), else the last
/// complete month.
pub fn period_of(text: Option<&str>, today: NaiveDate) -> Result<Period, ServiceError> {
    match text.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(crate::indicator::public::last_complete_month(today)),
        Some(s) => Period::parse_vi(s).ok_or_else(|| {
            ServiceError::bad("Kỳ không hợp lệ (ví dụ: 11/2026, T11/2026, Q3/2026, 2026).")
        }),
    }
}

/// The dashboard of `unit` (default: the caller's scope) for `period`.
pub async fn dashboard(
    app: &App,
    caller: &Caller,
    unit: Option<&str>,
    period: Option<&str>,
    today: NaiveDate,
) -> Result<Dashboard, ServiceError> {
    let p = &caller.principal;
    let (unit, unit_name, path) = crate::indicator::resolve_unit(app, p, unit).await?;
    let agency = match &path {
        Some(_) => Some(store::agency::get_by_code(&app.db, &unit).await?),
        None => None,
    };
    let per = period_of(period, today)?;
    let (from, to) = per
        .range(PeriodMode::Calendar)
        .map_err(|_| ServiceError::bad("Kỳ nằm ngoài phạm vi lịch."))?;
    let code = per.to_string();

    let c = crate::indicator::indicators(
        app,
        unit.clone(),
        unit_name.clone(),
        path.as_deref(),
        code.clone(),
        from,
        to,
    )
    .await?;
    let trend = crate::indicator::report::trend(app, &c, path.as_deref(), None).await?;
    let kpis = [
        "dossier_on_time",
        "digitisation",
        "synchronisation",
        "feedback_on_time",
    ]
    .iter()
    .filter_map(|k| c.kpis.iter().find(|x| x.code == *k))
    .map(|k| (k.code.to_string(), k.label_vi.to_string(), k.percent))
    .collect();

    // The tasks as the list shows them: the caller's scope, narrowed to the agency.
    let q = TaskQuery {
        directive_id: None,
        agency_id: agency.as_ref().map(|a| a.id),
        status: None,
        q: None,
        period: None,
        period_mode: None,
        parent_id: None,
        limit: None,
        offset: None,
    };
    let tf = crate::task::filter(p, &q)?;
    let tasks = crate::task::stats(app, &tf).await?;
    let mut by_agency = crate::task::stats_by_agency(app, &tf).await?;
    by_agency.retain(|a| a.stats.assigned > 0);
    by_agency.reverse();
    by_agency.truncate(LOWEST);

    let o = crate::overdue::overdue(
        app,
        unit.clone(),
        unit_name.clone(),
        path.as_deref(),
        code.clone(),
        from,
        to,
        chrono::Utc::now(),
    )
    .await?;

    let reports = |status: &'static str| crate::report::ReportSearch {
        template: Some(MONTHLY_REPORT.into()),
        period: Some(code.clone()),
        unit: path.as_ref().map(|_| unit.clone()),
        status: Some(status.into()),
    };
    let count = |search: crate::report::ReportSearch| async move {
        crate::report::list(app, p, &search, store::Page::new(Some(1), None))
            .await
            .map(|(_, n)| n)
    };
    let (reports_draft, reports_returned) = if matches!(per, Period::Month { .. }) {
        (
            count(reports("draft")).await?,
            count(reports("returned")).await?,
        )
    } else {
        (0, 0)
    };

    let par = crate::par::published_rounds(app).await?.into_iter().next();
    let (mut par_index, mut par_rank) = (None, None);
    if let (Some((id, _)), Some(a)) = (par, &agency) {
        let (_, rows) = crate::par::public_ranking(app, id, None).await?;
        if let Some(me) = rows.iter().find(|r| r.unit_code == a.code) {
            par_index = me.index;
            let of = rows.iter().filter(|r| r.unit_kind == me.unit_kind).count();
            par_rank = Some((me.rank, of));
        }
    }

    let mut lowest_766 = Vec::new();
    if path.is_none() {
        for kind in [
            AgencyKind::SoNganh,
            AgencyKind::UbndXa,
            AgencyKind::UbndHuyen,
        ] {
            let r = crate::indicator::report::ranking(app, &p.scope(), "", kind, &code, from, to)
                .await?;
            let mut ranked: Vec<RankingEntry> =
                r.units.into_iter().filter(|u| u.rank.is_some()).collect();
            if ranked.is_empty() {
                continue;
            }
            ranked.reverse();
            ranked.truncate(LOWEST);
            lowest_766.push((r.kind_label, ranked));
        }
    } else if let Some(kind) = agency.as_ref().and_then(|a| AgencyKind::parse(&a.kind)) {
        let r =
            crate::indicator::report::ranking(app, &Scope::Province, &unit, kind, &code, from, to)
                .await?;
        let label = format!("{} (vị trí của đơn vị)", r.kind_label);
        let ranked: Vec<RankingEntry> = r.units.into_iter().filter(|u| u.selected).collect();
        if !ranked.is_empty() {
            lowest_766.push((label, ranked));
        }
    }

    Ok(Dashboard {
        unit,
        unit_name,
        agency_id: agency.as_ref().map(|a| a.id),
        period: code,
        period_label: per.label_vi(),
        from,
        to,
        total_766: c.card.total_766,
        max_attainable: c.card.max_attainable,
        score_100: c.card.score_100,
        band: c.card.band.label_vi.clone(),
        trend,
        kpis,
        dossiers_received: c.facts.dossiers_received,
        tasks,
        overdue_dossiers: o.total.dossiers,
        overdue_tasks: o.total.tasks,
        overdue_feedback: o.total.feedback,
        reports_draft,
        reports_returned,
        feedback_received: c.facts.feedback_received,
        feedback_on_time: c.facts.feedback_answered_on_time,
        feedback_pending: c.facts.feedback_pending_within_deadline,
        par,
        par_index,
        par_rank,
        lowest_766,
        lowest_tasks: by_agency,
    })
}

/// Whether the dashboard is in the caller's menu: administrators, province roles and
/// unit heads.
pub fn is_home_for(p: &domain::org::Principal) -> bool {
    p.is_admin()
        || p.roles.iter().any(|r| r.is_province_wide())
        || p.has(domain::org::Role::LanhDaoDonVi)
}
