//! Open dossiers as the one clock needs them (limit text, channel, reception, pauses), and
//! moving an open dossier's appointment in force when the legal calendar changes.

use chrono::{DateTime, Utc};

use super::get;
use crate::audit::{Actor, AuditEntry};
use crate::{BeginWrite, Db, Result, now, on_db};

/// An open dossier (received, not finished) with what its appointment depends on.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OpenDossier {
    pub id: i64,
    pub code: String,
    pub channel: i32,
    pub received_at: DateTime<Utc>,
    pub due_at: Option<DateTime<Utc>>,
    /// The procedure's published time limit, and its stored working limit.
    pub limit_text: String,
    pub limit_unit: Option<String>,
    pub limit_amount: Option<i32>,
}

impl OpenDossier {
    /// The procedure's stored working limit, when it is one.
    pub fn working_limit(&self) -> Option<domain::dossier::WorkingLimit> {
        crate::procedure::limit_of(self.limit_unit.as_deref(), self.limit_amount)
    }
}

/// Dossiers received and still being handled (statuses 2, 4, 5, 6), oldest first.
pub async fn open_for_reckoning(db: &Db) -> Result<Vec<OpenDossier>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
            "select h.id, h.code, h.channel, h.received_at, h.due_at, t.limit_text, t.limit_unit, t.limit_amount \
             from dossier h join tthc t on t.id = h.tthc_id \
             where h.status in (2, 4, 5, 6) and h.received_at is not null order by h.id",
        )
        .fetch_all(p)
        .await?
    }))
}

/// The pauses of the open dossiers: (dossier id, kind, started, ended), in order.
#[allow(clippy::type_complexity)]
pub async fn open_pauses(
    db: &Db,
) -> Result<Vec<(i64, String, DateTime<Utc>, Option<DateTime<Utc>>)>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
            "select x.dossier_id, x.kind, x.started_at, x.ended_at from dossier_pause x \
             join dossier h on h.id = x.dossier_id \
             where h.status in (2, 4, 5, 6) order by x.dossier_id, x.id",
        )
        .fetch_all(p)
        .await?
    }))
}

/// Moves an open dossier's appointment in force to `due` because the legal calendar
/// changed (version `calendar_version`), with an audit row; the printed appointment
/// (`appointment_at`, Mẫu 01) stays as issued. The indicator aggregates follow.
pub async fn reschedule(
    db: &Db,
    d: &OpenDossier,
    due: DateTime<Utc>,
    calendar_version: &str,
    actor: &Actor,
) -> Result<()> {
    let t = now();
    let gate = db.write_gate().await;
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        sqlx::query("update dossier set due_at = $1, updated_at = $2 where id = $3")
            .bind(due)
            .bind(t)
            .bind(d.id)
            .execute(&mut *tx)
            .await?;
        let fmt = |x: DateTime<Utc>| domain::time::local(x).format("%H:%M %d/%m/%Y").to_string();
        let entry = AuditEntry::new(
            actor,
            "reschedule",
            "dossier",
            d.id,
            format!(
                "Tính lại hạn giải quyết hồ sơ {} theo lịch làm việc mới: {} → {}",
                d.code,
                d.due_at.map(fmt).unwrap_or_default(),
                fmt(due)
            ),
        )
        .before(&serde_json::json!({"due_at": d.due_at}))
        .after(&serde_json::json!({"due_at": due, "calendar_version": calendar_version}));
        crate::insert_audit!(&mut *tx, entry);
        crate::agg::touch(&mut *tx, d.id).await?;
        tx.commit().await?;
    });
    drop(gate);
    crate::agg::schedule_drain(db);
    get(db, d.id).await.map(|_| ())
}
