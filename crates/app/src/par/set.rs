//! Bộ tiêu chí — the criteria sets: shipped as data (`data/par/*.yaml`, loaded at start),
//! imported or edited by the Sở Nội vụ as a new version (a set a round scores with is
//! never changed in place: the round keeps the version it opened with).

use domain::par::{CriteriaSet, Points, UnitKind};
use serde::Serialize;
use store::audit::Actor;

use super::can_manage_sets;
use crate::{App, Caller, ServiceError};

/// A set version as lists show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SetSummary {
    pub id: i64,
    pub code: String,
    pub version: i32,
    pub title: String,
    /// department | district | commune
    pub unit_kind: String,
    pub unit_kind_label: String,
    pub applies_from_year: i32,
    pub decision: Option<String>,
    pub decision_date: Option<String>,
    pub issuer: Option<String>,
    pub source: Option<String>,
    pub note: Option<String>,
    /// data | import | edit
    pub origin: String,
    /// Demonstration data, not a decision's text.
    pub demo: bool,
    #[schema(value_type = f64)]
    pub max_points: Points,
    #[schema(value_type = Option<f64>)]
    pub survey_points: Option<Points>,
    /// Number of lĩnh vực, tiêu chí and tiêu chí thành phần.
    pub area_count: usize,
    pub criterion_count: usize,
    pub sub_criterion_count: usize,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// A set with its tree (lĩnh vực → tiêu chí → tiêu chí thành phần).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SetDetail {
    #[serde(flatten)]
    pub summary: SetSummary,
    /// The tree as in `data/par/*.yaml`: {code, title, max, source, rule, evidence, metric, items}.
    #[schema(value_type = Vec<Object>)]
    pub areas: Vec<domain::par::Node>,
}

fn summary(row: &store::par::SetRow, s: &CriteriaSet) -> SetSummary {
    let (a, c, sc) = s.counts();
    SetSummary {
        id: row.id,
        code: row.code.clone(),
        version: row.version,
        title: row.title.clone(),
        unit_kind: row.unit_kind.clone(),
        unit_kind_label: UnitKind::parse(&row.unit_kind)
            .map_or("", UnitKind::label)
            .to_string(),
        applies_from_year: row.applies_from_year,
        decision: s.decision.clone(),
        decision_date: s.decision_date.clone(),
        issuer: s.issuer.clone(),
        source: s.source.clone(),
        note: s.note.clone(),
        origin: row.origin.clone(),
        demo: row.demo,
        max_points: s.max_points,
        survey_points: s.survey_points,
        area_count: a,
        criterion_count: c,
        sub_criterion_count: sc,
        created_at: row.created_at,
    }
}

fn parse_row(row: &store::par::SetRow) -> Result<CriteriaSet, ServiceError> {
    CriteriaSet::from_json(&row.definition_json)
        .map_err(|e| ServiceError::Internal(format!("bộ tiêu chí {}: {e}", row.code)))
}

/// Every set version (any signed-in user: the criteria are public once decided).
pub async fn list_sets(app: &App) -> Result<Vec<SetSummary>, ServiceError> {
    let rows = store::par::sets(&app.db).await?;
    rows.iter()
        .map(|r| Ok(summary(r, &parse_row(r)?)))
        .collect()
}

/// One set version with its tree.
pub async fn get_set(app: &App, id: i64) -> Result<SetDetail, ServiceError> {
    let row = store::par::set(&app.db, id).await?;
    let s = parse_row(&row)?;
    Ok(SetDetail {
        summary: summary(&row, &s),
        areas: s.areas,
    })
}

/// Stores `s` as a new version of its code. `demo` marks demonstration data.
async fn store_set(
    app: &App,
    s: &CriteriaSet,
    origin: &str,
    demo: bool,
    actor: &Actor,
) -> Result<store::par::SetRow, ServiceError> {
    let json = serde_json::to_string(s).map_err(ServiceError::internal)?;
    Ok(store::par::insert_set(
        &app.db,
        &store::par::NewSet {
            code: s.id.clone(),
            title: s.title.clone(),
            unit_kind: s.unit_kind.code().into(),
            applies_from_year: s.applies_from_year,
            definition_json: json,
            origin: origin.into(),
            demo,
        },
        actor,
    )
    .await?)
}

/// Imports a set written as YAML (the format of `data/par/*.yaml`, README there): a new
/// version of its code. Refused with the set's own Vietnamese message when it does not
/// add up; nothing is stored then.
pub async fn import_set_yaml(
    app: &App,
    caller: &Caller,
    text: &str,
) -> Result<SetDetail, ServiceError> {
    if !can_manage_sets(&caller.principal) {
        return Err(ServiceError::Forbidden(
            "Chỉ Sở Nội vụ được nhập hoặc sửa bộ tiêu chí.".into(),
        ));
    }
    if text.len() > 2 * 1024 * 1024 {
        return Err(ServiceError::TooLarge(
            "Tệp bộ tiêu chí vượt quá 2 MB.".into(),
        ));
    }
    let s = CriteriaSet::from_yaml(text).map_err(|e| ServiceError::invalid("definition", e))?;
    store_new(app, caller, &s, "import", false).await
}

/// Stores a checked set imported or edited by the caller as a new version of its code
/// (`demo`: an edit of a demonstration set stays demonstration data).
pub(crate) async fn store_new(
    app: &App,
    caller: &Caller,
    s: &CriteriaSet,
    origin: &str,
    demo: bool,
) -> Result<SetDetail, ServiceError> {
    let row = store_set(app, s, origin, demo, &caller.actor()).await?;
    get_set(app, row.id).await
}

/// Loads the shipped sets (`data/par/`) whose code is not stored yet; `demo_too` also
/// loads the demonstration sets of `data/demo/par/`.
pub async fn seed_sets(app: &App, demo_too: bool) -> Result<usize, ServiceError> {
    let mut n = 0;
    let actor = Actor::system("seed");
    let mut sets: Vec<(CriteriaSet, bool)> = domain::par::embedded()
        .map_err(ServiceError::internal)?
        .into_iter()
        .map(|s| (s, false))
        .collect();
    if demo_too {
        sets.extend(
            domain::par::embedded_demo()
                .map_err(ServiceError::internal)?
                .into_iter()
                .map(|s| (s, true)),
        );
    }
    for (s, demo) in sets {
        if store::par::set_latest(&app.db, &s.id).await?.is_some() {
            continue;
        }
        match store_set(app, &s, "data", demo, &actor).await {
            Ok(_) => n += 1,
            // Another node seeded it meanwhile.
            Err(ServiceError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// The set in force for a kind of unit in a year: the newest version of the set with the
/// latest first year not after `year`.
pub async fn set_for(
    app: &App,
    kind: UnitKind,
    year: i32,
) -> Result<Option<store::par::SetRow>, ServiceError> {
    let rows = store::par::sets(&app.db).await?;
    Ok(rows
        .into_iter()
        .filter(|r| r.unit_kind == kind.code() && r.applies_from_year <= year)
        .max_by_key(|r| (r.applies_from_year, r.created_at, r.version)))
}
