//! The synchronisation outbox: the payload of a row (the national portal's fields), the
//! pending rows by scope, and the outcome of a delivery attempt.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::Dossier;
use crate::{BeginWrite, Db, Result, on_db};

/// A row of the synchronisation payload (the national portal's fields, domain.md §5).
pub(super) fn sync_payload(d: &Dossier, kind: &str, at: DateTime<Utc>) -> serde_json::Value {
    serde_json::json!({
        "MaHoSo": d.code,
        "MaTTHC": d.tthc_code,
        "TrangThaiHoSo": d.status.code(),
        "KenhThucHien": d.channel,
        "NgayTiepNhan": d.received_at,
        "NgayHenTra": d.appointment_at,
        "NgayKetThucXuLy": d.finished_at,
        "NgayTraKetQua": d.returned_at,
        "MaKetQua": d.result_code,
        "HoSoCoThanhPhanSoHoa": d.digitized,
        "DuocThanhToanTrucTuyen": if d.paid_online { Some(1) } else { None },
        "SuKien": kind,
        "ThoiDiem": at,
    })
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub dossier_id: i64,
    pub code: String,
    pub payload: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub attempts: i32,
    pub last_error: Option<String>,
}

/// Outbox rows not yet accepted by the portal, oldest first, within a scope (`None`: the
/// province), with how many there are in that scope. The sync worker, which only needs the
/// rows, reads them with [`outbox_next`].
pub async fn outbox_pending(
    db: &Db,
    scope_prefix: Option<&str>,
    limit: i64,
) -> Result<(Vec<OutboxRow>, i64)> {
    let rows = outbox_rows(db, scope_prefix, limit).await?;
    let n: i64 = match crate::subtree_pattern(db, scope_prefix).await? {
        // The province: the pending index alone, no join per row.
        None => on_db!(db, |p| {
            sqlx::query_scalar("select count(*) from dossier_outbox where sent_at is null")
                .fetch_one(p)
                .await?
        }),
        Some(pattern) => {
            on_db!(db, |p| {
                sqlx::query_scalar(
                    "select count(*) from dossier_outbox o join dossier h on h.id = o.dossier_id \
                     join agency a on a.id = h.agency_id where o.sent_at is null and a.path like $1 escape '\\'",
                )
                .bind(&pattern)
                .fetch_one(p)
                .await?
            })
        }
    };
    Ok((rows, n))
}

/// The next `limit` outbox rows to deliver, oldest first (every scope).
pub async fn outbox_next(db: &Db, limit: i64) -> Result<Vec<OutboxRow>> {
    outbox_rows(db, None, limit).await
}

async fn outbox_rows(db: &Db, scope_prefix: Option<&str>, limit: i64) -> Result<Vec<OutboxRow>> {
    let pattern = scope_prefix
        .map(crate::like_prefix)
        .unwrap_or_else(|| "%".into());
    let sql = format!(
        "select o.id, o.dossier_id, h.code, o.payload, o.created_at, o.sent_at, o.attempts, o.last_error \
         from dossier_outbox o join dossier h on h.id = o.dossier_id join agency a on a.id = h.agency_id \
         where o.sent_at is null and a.path like $1 escape '\\' order by o.id limit {limit}"
    );
    Ok(on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(&pattern)
            .fetch_all(p)
            .await?
    }))
}

/// Claims for `holder`, until `until`, up to `limit` pending rows to deliver, oldest
/// first: of each dossier only its earliest pending row (so a dossier's changes reach the
/// portal in order even when several nodes deliver at once), and no row another node's
/// claim still holds. On PostgreSQL the rows are locked `for update skip locked`: nodes
/// claiming at the same instant take disjoint batches without waiting on each other, and
/// a row locked by another claim is skipped, as is every later row of its dossier (its
/// earliest row is still pending). A claim that outlives `until` (its node died) is free
/// again. Rows come back in id order.
pub async fn outbox_claim(
    db: &Db,
    holder: &str,
    limit: i64,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<OutboxRow>> {
    let pick = "select c.id from dossier_outbox c where c.sent_at is null \
         and (c.claimed_until is null or c.claimed_until <= $3) \
         and not exists (select 1 from dossier_outbox e where e.dossier_id = c.dossier_id \
         and e.sent_at is null and e.id < c.id) order by c.id limit $4";
    let lock = match db {
        Db::Pg(_) => " for update of c skip locked",
        Db::Sqlite(_) => "",
    };
    let sql = format!(
        "update dossier_outbox set claimed_by = $1, claimed_until = $2 where id in ({pick}{lock}) \
         returning id, dossier_id, (select h.code from dossier h where h.id = dossier_outbox.dossier_id) as code, \
         payload, created_at, sent_at, attempts, last_error"
    );
    let gate = db.write_gate().await;
    let mut rows: Vec<OutboxRow> = on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let rows = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(holder)
            .bind(until)
            .bind(now)
            .bind(limit)
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        rows
    });
    drop(gate);
    rows.sort_by_key(|r| r.id);
    Ok(rows)
}

/// Gives back the claims of `holder` on rows `ids` it did not deliver (the portal failed
/// on an earlier row of the batch): another node, or the next run, may take them at once.
pub async fn outbox_release(db: &Db, holder: &str, ids: &[i64]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let gate = db.write_gate().await;
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        for id in ids {
            sqlx::query(
                "update dossier_outbox set claimed_by = null, claimed_until = null \
                 where id = $1 and claimed_by = $2 and sent_at is null",
            )
            .bind(*id)
            .bind(holder)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
    });
    drop(gate);
    Ok(())
}

/// Records rows `ids` as delivered now (with the dossiers' synchronisation state in the
/// indicator aggregates). On SQLite in one transaction: one write for a whole batch
/// instead of one per row, so a backlog of thousands of rows does not hold the write lock
/// and grow the journal while pages are being read; on PostgreSQL one per row (below).
pub async fn outbox_sent(db: &Db, ids: &[i64]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let gate = db.write_gate().await;
    let now = Utc::now();
    // On PostgreSQL one transaction per row: each brings one dossier's aggregates up to
    // date under that dossier's lock, and a batch spanning many units would lock their
    // day and month rows in an order another node's batch can cross (a deadlock, seen
    // with two nodes delivering at once). PostgreSQL has no single write lock to spare.
    let per_row = matches!(db, Db::Pg(_));
    let chunks: Vec<&[i64]> = if per_row {
        ids.chunks(1).collect()
    } else {
        vec![ids]
    };
    for chunk in chunks {
        on_db!(db, |p| {
            let mut tx = p.begin_write().await?;
            for id in chunk {
                let dossier_id: Option<i64> = sqlx::query_scalar(
                "update dossier_outbox set attempts = attempts + 1, sent_at = $1, last_error = null \
                 where id = $2 returning dossier_id",
            )
            .bind(now)
            .bind(*id)
            .fetch_optional(&mut *tx)
            .await?;
                if let Some(dossier_id) = dossier_id {
                    crate::agg::touch(&mut *tx, dossier_id).await?;
                }
            }
            tx.commit().await?;
        });
    }
    drop(gate);
    crate::agg::schedule_drain(db);
    Ok(())
}

/// Records the outcome of one delivery attempt (and, in the same transaction, the
/// dossier's synchronisation state in the indicator aggregates).
pub async fn outbox_result(db: &Db, id: i64, ok: bool, error: Option<&str>) -> Result<()> {
    let gate = db.write_gate().await;
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let dossier_id: Option<i64> = sqlx::query_scalar(
            "update dossier_outbox set attempts = attempts + 1, sent_at = case when $1 then $2 else null end, \
             last_error = $3, claimed_by = null, claimed_until = null where id = $4 returning dossier_id",
        )
        .bind(ok)
        .bind(Utc::now())
        .bind(error)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(dossier_id) = dossier_id {
            crate::agg::touch(&mut *tx, dossier_id).await?;
        }
        tx.commit().await?;
    });
    drop(gate);
    crate::agg::schedule_drain(db);
    Ok(())
}
