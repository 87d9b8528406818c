//! Compliance cost sheets (`tthc_cost`), one per phase (before and after simplification).

use chrono::{DateTime, Utc};
use domain::procedure::{CostItem, ProcedureCost};
use serde::Serialize;

use super::get;
use crate::audit::{Actor, AuditEntry};
use crate::{BeginWrite, Db, Result, StoreError, now, on_db};

/// Phase of a cost sheet.
pub const COST_PHASES: [(&str, &str); 2] = [
    ("baseline", "Trước khi đơn giản hóa"),
    ("after", "Sau khi đơn giản hóa"),
];

/// A stored compliance cost sheet.
#[derive(Debug, Clone, Serialize)]
pub struct CostSheet {
    pub phase: String,
    pub cost: ProcedureCost,
    pub note: String,
    pub updated_at: DateTime<Utc>,
}

type CostRow = (String, String, i64, i64, i64, String, DateTime<Utc>);

pub async fn costs(db: &Db, tthc_id: i64) -> Result<Vec<CostSheet>> {
    let rows: Vec<CostRow> = on_db!(db, |p| {
        sqlx::query_as(
        "select phase, items_json, fees_vnd, times_per_year, subjects_per_year, note, updated_at \
         from tthc_cost where tthc_id = $1 order by phase"
    )
    .bind(tthc_id)
    .fetch_all(p)
    .await?
    });
    Ok(rows
        .into_iter()
        .map(
            |(phase, items, fees, times, subjects, note, updated_at)| CostSheet {
                phase,
                cost: ProcedureCost {
                    work: serde_json::from_str::<Vec<CostItem>>(&items).unwrap_or_default(),
                    fees_vnd: u64::try_from(fees).unwrap_or(0),
                    times_per_year: u64::try_from(times).unwrap_or(0),
                    subjects_per_year: u64::try_from(subjects).unwrap_or(0),
                },
                note,
                updated_at,
            },
        )
        .collect())
}

/// Saves (replaces) the cost sheet of one phase.
pub async fn save_cost(
    db: &Db,
    tthc_id: i64,
    phase: &str,
    cost: &ProcedureCost,
    note: &str,
    actor: &Actor,
) -> Result<()> {
    if !COST_PHASES.iter().any(|(c, _)| *c == phase) {
        return Err(StoreError::Invalid(format!(
            "giai đoạn «{phase}» không hợp lệ"
        )));
    }
    let proc_ = get(db, tthc_id).await?;
    let big = |v: u64| {
        i64::try_from(v).map_err(|_| StoreError::Invalid("số liệu chi phí quá lớn".into()))
    };
    let (fees, times, subjects) = (
        big(cost.fees_vnd)?,
        big(cost.times_per_year)?,
        big(cost.subjects_per_year)?,
    );
    let items = serde_json::to_string(&cost.work).unwrap_or_else(|_| "[]".into());
    let t = now();
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        sqlx::query("delete from tthc_cost where tthc_id = $1 and phase = $2")
            .bind(tthc_id)
            .bind(phase)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "insert into tthc_cost (tthc_id, phase, items_json, fees_vnd, times_per_year, subjects_per_year, note, updated_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(tthc_id)
        .bind(phase)
        .bind(&items)
        .bind(fees)
        .bind(times)
        .bind(subjects)
        .bind(note)
        .bind(t)
        .execute(&mut *tx)
        .await?;
        let entry = AuditEntry::new(
            actor,
            "update_cost",
            "procedure",
            tthc_id,
            format!("Cập nhật chi phí tuân thủ ({phase}) thủ tục {}", proc_.code),
        )
        .after(cost);
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
    });
    Ok(())
}
