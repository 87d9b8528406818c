//! Báo cáo định kỳ — the units' periodic reports: templates as data
//! (`data/reports/*.toml`, `domain::report`), one report per template, unit and period with
//! computed fields read from the figures every other screen shows (indicators, KPIs, the
//! overdue list, task statistics) and typed fields the unit fills in; submission by the
//! unit's head, acceptance or return by the compiling office; the province's sums; the due
//! task of each report; and the closing of a period, which freezes every report's numbers.
//!
//! Pages (`pages.rs`), API (`api.rs`), files and the CLI all go through the functions here.

pub mod access;
pub mod detail;
pub mod document;
pub mod edit;
pub mod freeze;
pub mod list;
pub mod period;
pub mod summary;

pub use access::*;
pub use detail::*;
pub use document::*;
pub use edit::*;
pub use freeze::*;
pub use list::*;
pub use period::*;
pub use summary::*;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{DateTime, NaiveDate, Utc};
use domain::calendar::Period;
use domain::org::{Principal, Role, Scope};
use domain::report::{
    Correction, FieldTotal, FieldType, ReportAction, ReportStatus, Snapshot, Template, Templates,
    Values,
};
use serde::Serialize;
use serde_json::Value;
use store::audit::Actor;
use store::report::Report;

use crate::{App, ServiceError};
use domain::time::local;

static TEMPLATES: OnceLock<Result<Templates, String>> = OnceLock::new();

/// The report templates of `data/reports/`, parsed and checked once.
pub fn templates() -> Result<&'static Templates, ServiceError> {
    TEMPLATES
        .get_or_init(|| Templates::embedded().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| ServiceError::Internal(format!("biểu mẫu báo cáo: {e}")))
}

fn today() -> NaiveDate {
    local(Utc::now()).date()
}

/// The template version a report was made with.
pub fn template_of(r: &Report) -> Result<&'static Template, ServiceError> {
    templates()?
        .all
        .iter()
        .find(|t| t.code == r.template_code && t.version() == r.template_version)
        .ok_or_else(|| ServiceError::Internal(format!("biểu mẫu {} không còn", r.template_code)))
}

/// The figures a template's computed fields may name (data/reports/README.md), for the
/// subtree at `path` and the days `from..=to`: the same functions as
/// `GET /api/v1/indicators`, `GET /api/v1/overdue` and `GET /api/v1/tasks/stats`, so a
/// report never has a number of its own.
#[allow(clippy::too_many_arguments)]
pub async fn sources(
    state: &App,
    t: &Template,
    unit: &str,
    unit_name: &str,
    path: Option<&str>,
    period: &str,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Values, ServiceError> {
    let wanted: Vec<&str> = t
        .fields
        .iter()
        .filter_map(|f| f.source.as_deref())
        .collect();
    let wants = |prefix: &str| wanted.iter().any(|s| s.starts_with(prefix));
    let mut out = Values::new();
    if wants("facts.") || wants("kpi.") || wants("indicator.") || wants("total_766") {
        let c = crate::indicator::indicators(
            state,
            unit.to_string(),
            unit_name.to_string(),
            path,
            period.to_string(),
            from,
            to,
        )
        .await?;
        let r = crate::indicator::to_report(c);
        if let Value::Object(facts) = &r.facts {
            for (k, v) in facts {
                out.insert(format!("facts.{k}"), v.clone());
            }
        }
        for k in r.kpis.as_array().into_iter().flatten() {
            if let Some(code) = k["code"].as_str() {
                for part in ["percent", "numerator", "denominator"] {
                    out.insert(format!("kpi.{code}.{part}"), k[part].clone());
                }
            }
        }
        for g in r.groups.as_array().into_iter().flatten() {
            for i in g["indicators"].as_array().into_iter().flatten() {
                if let Some(code) = i["code"].as_str() {
                    for part in ["value", "points", "numerator", "denominator"] {
                        out.insert(format!("indicator.{code}.{part}"), i[part].clone());
                    }
                }
            }
        }
        out.insert("total_766".into(), Value::from(r.total_766));
    }
    if wants("overdue.") {
        let o = crate::overdue::overdue(
            state,
            unit.to_string(),
            unit_name.to_string(),
            path,
            period.to_string(),
            from,
            to,
            now,
        )
        .await?;
        out.insert("overdue.dossiers".into(), Value::from(o.total.dossiers));
        out.insert("overdue.tasks".into(), Value::from(o.total.tasks));
        out.insert("overdue.feedback".into(), Value::from(o.total.feedback));
        out.insert(
            "overdue.with_reason".into(),
            Value::from(o.total.with_reason),
        );
        out.insert(
            "overdue.without_reason".into(),
            Value::from(o.total.without_reason),
        );
    }
    if wants("inspections.") {
        let (led, inspected) = store::inspection::counts(state.read_db(), path, from, to).await?;
        out.insert("inspections.conducted".into(), Value::from(led));
        out.insert("inspections.of_unit".into(), Value::from(inspected));
    }
    if wants("tasks.") {
        let judged = to.min(local(now).date());
        let f = store::task::TaskFilter {
            scope_prefix: path.map(str::to_string),
            deadline_from: Some(from),
            deadline_to: Some(to),
            today: Some(judged),
            ..Default::default()
        };
        let s = crate::task::Stats::of(&store::task::status_counts(state.read_db(), &f).await?);
        if let Value::Object(m) = serde_json::to_value(&s).unwrap_or_default() {
            for (k, v) in m {
                out.insert(format!("tasks.{k}"), v);
            }
        }
    }
    Ok(out)
}

/// The live computed values of a report.
pub async fn live_computed(
    state: &App,
    t: &Template,
    r: &Report,
    now: DateTime<Utc>,
) -> Result<Values, ServiceError> {
    let s = sources(
        state,
        t,
        &r.agency_code,
        &r.agency_name,
        Some(&r.agency_path),
        &r.period,
        r.period_from,
        r.period_to,
        now,
    )
    .await?;
    Ok(domain::report::computed_values(t, &s))
}

pub fn typed_of(r: &Report) -> Values {
    serde_json::from_str(&r.typed_json).unwrap_or_default()
}

/// A report with everything its screens show.
pub struct View {
    pub report: Report,
    pub template: &'static Template,
    pub period: Period,
    /// What the report says: the frozen values once closed, else the live ones.
    pub values: Values,
    /// Live values (computed now, typed as stored).
    pub live: Values,
    /// The snapshot taken at closing.
    pub frozen: Option<Snapshot>,
    /// Computed fields whose live value differs from the frozen one.
    pub corrections: Vec<Correction>,
    pub revisions: Vec<store::report::Revision>,
}

pub async fn view(state: &App, r: Report) -> Result<View, ServiceError> {
    let t = template_of(&r)?;
    let period = t.period(&r.period).map_err(ServiceError::Internal)?;
    let computed = live_computed(state, t, &r, Utc::now()).await?;
    let live = domain::report::all_values(t, &computed, &typed_of(&r));
    let revisions = store::report::revisions(&state.db, r.id).await?;
    let frozen = match revisions.first() {
        Some(v) => Some(Snapshot::parse(&v.snapshot_json).map_err(ServiceError::Internal)?),
        None => None,
    };
    let (values, corrections) = match &frozen {
        Some(s) => (
            s.values.clone(),
            domain::report::corrections(t, &s.values, &live),
        ),
        None => (live.clone(), Vec::new()),
    };
    Ok(View {
        report: r,
        template: t,
        period,
        values,
        live,
        frozen,
        corrections,
        revisions,
    })
}

// ---- Access -------------------------------------------------------------------------

// ---- Actions ------------------------------------------------------------------------

// ---- The province's sums ------------------------------------------------------------

// ---- Display and files --------------------------------------------------------------
