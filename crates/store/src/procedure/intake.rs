//! The intake contract: what the dossier intake needs of a procedure ([`IntakeProcedure`]:
//! its limit, online target and internal process).

use domain::dossier::WorkingLimit;
use serde::Serialize;

use super::{Procedure, get, get_by_code, steps};
use crate::{Db, Result};

/// A step as the dossier intake needs it.
#[derive(Debug, Clone, Serialize)]
pub struct IntakeStep {
    pub seq: i32,
    pub name: String,
    pub role: String,
    pub agency_id: Option<i64>,
    pub minutes: i64,
}

/// What the dossier intake needs of a procedure: its limit, online target and process.
#[derive(Debug, Clone, Serialize)]
pub struct IntakeProcedure {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub field: String,
    pub level: String,
    pub agency_id: Option<i64>,
    pub agency_text: String,
    /// The legal limit in working time; `None` for calendar-day limits.
    pub limit: Option<WorkingLimit>,
    /// The time limit as published (read by `domain::dossier::clock::Limit::parse`: its
    /// kind, calendar days included, and any cut-off it names).
    pub limit_text: String,
    /// The provincial target for online dossiers; `None` = the intake policy's default.
    pub online_limit_minutes: Option<i64>,
    pub online_level: String,
    pub active: bool,
    pub steps: Vec<IntakeStep>,
}

async fn intake_of(db: &Db, p: Procedure) -> Result<IntakeProcedure> {
    let steps = steps(db, p.id)
        .await?
        .into_iter()
        .map(|s| IntakeStep {
            seq: s.seq,
            name: s.name,
            role: s.role,
            agency_id: s.agency_id,
            minutes: i64::from(s.minutes),
        })
        .collect();
    Ok(IntakeProcedure {
        limit: p.limit(),
        limit_text: p.limit_text,
        online_limit_minutes: p.online_limit_minutes.map(i64::from),
        id: p.id,
        code: p.code,
        name: p.name,
        field: p.field,
        level: p.level,
        agency_id: p.agency_id,
        agency_text: p.agency_text,
        online_level: p.online_level,
        active: p.active,
        steps,
    })
}

pub async fn for_intake(db: &Db, id: i64) -> Result<IntakeProcedure> {
    let p = get(db, id).await?;
    intake_of(db, p).await
}

pub async fn for_intake_by_code(db: &Db, code: &str) -> Result<IntakeProcedure> {
    let p = get_by_code(db, code).await?;
    intake_of(db, p).await
}
