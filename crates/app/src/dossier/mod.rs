//! Hồ sơ một cửa — intake, processing steps, pauses, apology letters, return, payment,
//! rating, the official forms, the synchronisation outbox and the public look-up. Pages and
//! API share the service functions below and the same access rules.

pub mod act;
pub mod guide;
pub mod intake;
pub mod read;
pub mod remind;

pub use act::*;
pub use intake::*;
pub use read::*;

pub use domain::time::{local, regime_on, utc};

use chrono::{DateTime, NaiveDateTime, Utc};
use domain::dossier::{DossierEvent, DossierStatus, EventKind, IntakePolicy};
use domain::org::Principal;
use domain::validate::Checker;
use store::dossier::{Dossier, Effects, NewDossier, Note};
use store::file::NewFile;
use store::procedure::IntakeProcedure;

use crate::{App, Caller, ServiceError};

/// The dossier if the principal may see it: province-wide roles see every dossier; others
/// see those received by, handled by, or handed through an agency in their subtree. 404
/// otherwise, so existence does not leak.
pub async fn visible(state: &App, p: &Principal, id: i64) -> Result<Dossier, ServiceError> {
    let d = store::dossier::get(&state.db, id).await?;
    let scope = p.scope();
    if matches!(scope, domain::org::Scope::Province) {
        return Ok(d);
    }
    if scope.contains(&d.agency_path)
        || d.handling_path
            .as_deref()
            .is_some_and(|h| scope.contains(h))
    {
        return Ok(d);
    }
    let paths = store::dossier::participant_paths(&state.db, id).await?;
    if paths.iter().any(|x| scope.contains(x)) {
        return Ok(d);
    }
    Err(ServiceError::NotFound)
}

/// The agency e-ID used in dossier codes. The real codes come from the province's list
/// under QĐ 20/2020/QĐ-TTg [TV]; until they are loaded, a stable code is derived from the
/// agency's registry id under Nghệ An's prefix H40.
pub fn agency_eid(agency_id: i64) -> String {
    format!(
        "000.{:02}.{:02}.H40",
        (agency_id / 100) % 100,
        agency_id % 100
    )
}

/// Status label of a national status code.
pub fn status_label(code: i32) -> &'static str {
    domain::dossier::DossierStatus::from_code(code as u8).map_or("Không rõ", |s| s.label())
}

pub fn channel_label(c: i32) -> &'static str {
    match c {
        1 => "Trực tiếp",
        2 => "Trực tuyến",
        3 => "Bưu chính công ích",
        _ => "Khác",
    }
}
