//! Gia hạn — requests for a later deadline (at most one pending per task) and the
//! assigning office's decision, which moves the deadline in force and keeps the original.

use crate::BeginWrite;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::get;
use crate::audit::{Actor, AuditEntry};
use crate::{Db, Result, StoreError, now, on_db};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Extension {
    pub id: i64,
    pub task_id: i64,
    pub agency_id: i64,
    pub requested_at: DateTime<Utc>,
    pub reason: String,
    pub old_deadline: Option<NaiveDate>,
    pub new_deadline: NaiveDate,
    /// pending, approved, refused
    pub decision: String,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
}

const EXT_COLUMNS: &str = "id, task_id, agency_id, requested_at, reason, old_deadline, new_deadline, decision, decided_at, decision_note";

pub async fn extensions(db: &Db, task_id: i64) -> Result<Vec<Extension>> {
    let sql = format!("select {EXT_COLUMNS} from task_extension where task_id = $1 order by id");
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(task_id)
        .fetch_all(p)
        .await?))
}

/// Asks for a later deadline; at most one request is pending per task.
pub async fn request_extension(
    db: &Db,
    task_id: i64,
    agency_id: i64,
    new_deadline: NaiveDate,
    reason: &str,
    actor: &Actor,
) -> Result<Extension> {
    let task = get(db, task_id).await?;
    if extensions(db, task_id)
        .await?
        .iter()
        .any(|e| e.decision == "pending")
    {
        return Err(StoreError::Invalid(
            "nhiệm vụ đã có đề nghị gia hạn đang chờ quyết định".into(),
        ));
    }
    let t = now();
    let id: i64 = on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "insert into task_extension (task_id, agency_id, requested_by, requested_at, reason, old_deadline, new_deadline, decision) \
             values ($1, $2, $3, $4, $5, $6, $7, 'pending') returning id",
        )
        .bind(task_id)
        .bind(agency_id)
        .bind(actor.user_id)
        .bind(t)
        .bind(reason)
        .bind(task.deadline)
        .bind(new_deadline)
        .fetch_one(&mut *tx)
        .await?;
        let entry = AuditEntry::new(actor, "extension_request", "task", task_id, format!("Đề nghị gia hạn nhiệm vụ #{task_id} đến {}", new_deadline.format("%d/%m/%Y")))
            .after(&serde_json::json!({"new_deadline": new_deadline, "reason": reason, "old_deadline": task.deadline}));
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
        id
    });
    extensions(db, task_id)
        .await?
        .into_iter()
        .find(|e| e.id == id)
        .ok_or(StoreError::NotFound)
}

/// Approves (moving the deadline in force; the original deadline is kept) or refuses a
/// pending extension.
pub async fn decide_extension(
    db: &Db,
    task_id: i64,
    extension_id: i64,
    approve: bool,
    note: &str,
    actor: &Actor,
) -> Result<Extension> {
    let ext = extensions(db, task_id)
        .await?
        .into_iter()
        .find(|e| e.id == extension_id)
        .ok_or(StoreError::NotFound)?;
    if ext.decision != "pending" {
        return Err(StoreError::Invalid(
            "đề nghị gia hạn này đã được quyết định".into(),
        ));
    }
    let t = now();
    let decision = if approve { "approved" } else { "refused" };
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        sqlx::query("update task_extension set decision = $1, decided_by = $2, decided_at = $3, decision_note = $4 where id = $5")
            .bind(decision)
            .bind(actor.user_id)
            .bind(t)
            .bind(note)
            .bind(extension_id)
            .execute(&mut *tx)
            .await?;
        if approve {
            sqlx::query("update task set deadline = $1, updated_at = $2 where id = $3")
                .bind(ext.new_deadline)
                .bind(t)
                .bind(task_id)
                .execute(&mut *tx)
                .await?;
        }
        let verb = if approve {
            "Đồng ý gia hạn"
        } else {
            "Không đồng ý gia hạn"
        };
        let entry = AuditEntry::new(actor, if approve { "extension_approve" } else { "extension_refuse" }, "task", task_id, format!("{verb} nhiệm vụ #{task_id}"))
            .before(&serde_json::json!({"deadline": ext.old_deadline}))
            .after(&serde_json::json!({"deadline": if approve { Some(ext.new_deadline) } else { ext.old_deadline }, "note": note}));
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
    });
    extensions(db, task_id)
        .await?
        .into_iter()
        .find(|e| e.id == extension_id)
        .ok_or(StoreError::NotFound)
}
