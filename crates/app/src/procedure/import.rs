//! Nhập danh mục TTHC — importing the procedure catalog from CSV: a preview listing every
//! rejected row with its line and reason, then (confirmed) the write, all rows or none.

use domain::procedure::{Rejected, parse_catalog_csv};
use serde::Serialize;

use super::{ensure_manager, policy};
use crate::{App, Caller, ServiceError};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RejectedOut {
    pub line: usize,
    pub code: String,
    pub reason: String,
}

impl From<&Rejected> for RejectedOut {
    fn from(r: &Rejected) -> Self {
        RejectedOut {
            line: r.line,
            code: r.code.clone(),
            reason: r.reason.clone(),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportOut {
    pub accepted: usize,
    pub rejected: Vec<RejectedOut>,
    pub written: bool,
    pub created: usize,
    pub updated: usize,
}

/// Reads a catalog (CSV text, with or without a byte-order mark) and, when `confirm`,
/// writes the accepted rows (catalog managers). `source` says where it came from, for the
/// audit row.
pub async fn run_import(
    state: &App,
    user: &Caller,
    csv: &str,
    source: &str,
    confirm: bool,
) -> Result<ImportOut, ServiceError> {
    ensure_manager(&user.principal)?;
    let text = csv.strip_prefix('\u{feff}').unwrap_or(csv);
    if text.trim().is_empty() {
        return Err(ServiceError::bad("Tệp danh mục rỗng."));
    }
    let parsed = parse_catalog_csv(text);
    let mut out = ImportOut {
        accepted: parsed.rows.len(),
        rejected: parsed.rejected.iter().map(RejectedOut::from).collect(),
        written: false,
        created: 0,
        updated: 0,
    };
    if confirm && !parsed.rows.is_empty() {
        let today = domain::time::today();
        let items =
            store::procedure::import_items(&state.db, &parsed.rows, today, &policy().hours).await?;
        let o = store::procedure::import(&state.db, &items, source, &user.actor()).await?;
        out.written = true;
        out.created = o.created;
        out.updated = o.updated;
    }
    Ok(out)
}
