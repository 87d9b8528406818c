//! The demo procedure catalog: the real published procedures of
//! data/procedures/procedures.csv, with province-level agencies matched to the registry and
//! a default internal process for each procedure whose limit is working time. The rows the
//! import cannot take are reported with their line and reason.

use anyhow::Context;
use domain::dossier::IntakePolicy;
use domain::procedure::{Rejected, parse_catalog_csv};
use store::Db;
use store::audit::Actor;

const CATALOG_CSV: &str = include_str!("../../../data/procedures/procedures.csv");

/// What the demo catalog import did.
#[derive(Debug, Default)]
pub struct CatalogSummary {
    pub imported: usize,
    pub with_agency: usize,
    pub with_process: usize,
    pub rejected: Vec<Rejected>,
}

/// Imports the catalog (in one transaction) and returns what was taken and refused.
pub async fn load(db: &Db) -> anyhow::Result<CatalogSummary> {
    let parsed = parse_catalog_csv(CATALOG_CSV);
    let hours = IntakePolicy::default().hours;
    let today = chrono::Utc::now().date_naive();
    let items = store::procedure::import_items(db, &parsed.rows, today, &hours)
        .await
        .context("danh mục TTHC mẫu")?;
    let with_agency = items.iter().filter(|i| i.input.agency_id.is_some()).count();
    let outcome = store::procedure::import(
        db,
        &items,
        "data/procedures/procedures.csv",
        &Actor::system("demo"),
    )
    .await
    .context("nhập danh mục TTHC mẫu")?;
    Ok(CatalogSummary {
        imported: outcome.created + outcome.updated,
        with_agency,
        with_process: outcome.processes,
        rejected: parsed.rejected,
    })
}
