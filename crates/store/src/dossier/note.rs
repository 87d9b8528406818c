//! Records that do not change a dossier's status ([`Note`]: apology letter, payment,
//! rating), written by [`record_note`] with their control-sheet row, outbox row and audit
//! entry.

use chrono::{DateTime, Utc};

use super::outbox::sync_payload;
use super::{Dossier, get};
use crate::audit::{Actor, AuditEntry};
use crate::{BeginWrite, Db, Result, on_db};

/// A record on the dossier that does not change its status (apology letter, payment,
/// rating), atomic with its control-sheet row, outbox row and audit entry.
#[derive(Debug, Clone)]
pub enum Note {
    /// Phiếu xin lỗi và hẹn lại ngày trả kết quả (TT 01/2018 Mẫu 04): reason, the new date,
    /// and who caused the delay.
    Apology {
        reason: String,
        new_date: DateTime<Utc>,
        delay_agency_id: Option<i64>,
        delay_user_id: Option<i64>,
    },
    /// Fee or charge collected.
    Payment { amount: i64, online: bool },
    /// Mức độ hài lòng: 1 không hài lòng, 2 hài lòng, 3 rất hài lòng.
    Rating { rating: i32 },
}

pub async fn record_note(
    db: &Db,
    id: i64,
    note: &Note,
    at: DateTime<Utc>,
    actor: &Actor,
    actor_agency: Option<i64>,
) -> Result<Dossier> {
    let d = get(db, id).await?;
    let (kind, text) = match note {
        Note::Apology {
            reason, new_date, ..
        } => (
            "apology",
            format!(
                "{reason} — hẹn lại ngày trả {}",
                domain::time::local(*new_date).format("%d/%m/%Y %H:%M")
            ),
        ),
        Note::Payment { amount, online } => (
            "payment",
            format!(
                "Thu {amount} đồng{}",
                if *online {
                    " (thanh toán trực tuyến)"
                } else {
                    ""
                }
            ),
        ),
        Note::Rating { rating } => ("rating", format!("Mức độ hài lòng: {rating}/3")),
    };
    let gate = db.write_gate().await;
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        match note {
            Note::Apology {
                reason,
                new_date,
                delay_agency_id,
                delay_user_id,
            } => {
                sqlx::query("update dossier set rescheduled_at = $1, delay_reason = $2, delay_agency_id = $3, \
                             delay_user_id = $4, updated_at = $5 where id = $6")
                    .bind(new_date)
                    .bind(reason)
                    .bind(delay_agency_id)
                    .bind(delay_user_id)
                    .bind(at)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            Note::Payment { amount, online } => {
                sqlx::query("update dossier set fee_amount = $1, paid_online = $2, paid_at = coalesce(paid_at, $3), \
                             updated_at = $3 where id = $4")
                    .bind(amount)
                    .bind(online)
                    .bind(at)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            Note::Rating { rating } => {
                sqlx::query("update dossier set rating = $1, updated_at = $2 where id = $3")
                    .bind(rating)
                    .bind(at)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let event_id: i64 = sqlx::query_scalar(
            "insert into dossier_event (dossier_id, kind, from_status, to_status, at, user_id, agency_id, step_seq, note) \
             values ($1, $2, $3, $3, $4, $5, $6, $7, $8) returning id",
        )
        .bind(id)
        .bind(kind)
        .bind(i32::from(d.status))
        .bind(at)
        .bind(actor.user_id)
        .bind(actor_agency)
        .bind(d.step_seq)
        .bind(&text)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("insert into dossier_outbox (dossier_id, event_id, payload, created_at, attempts) values ($1, $2, $3, $4, 0)")
            .bind(id)
            .bind(event_id)
            .bind(sync_payload(&d, kind, at).to_string())
            .bind(at)
            .execute(&mut *tx)
            .await?;
        let entry = AuditEntry::new(
            actor,
            kind,
            "dossier",
            id,
            format!(
                "{} hồ sơ {}: {text}",
                domain::dossier::event_title(kind),
                d.code
            ),
        );
        crate::insert_audit!(&mut *tx, entry);
        crate::agg::touch(&mut *tx, id).await?;
        tx.commit().await?;
    });
    drop(gate);
    crate::agg::schedule_drain(db);
    get(db, id).await
}
