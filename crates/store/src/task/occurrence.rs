//! Recurring tasks and their occurrences: the recurring obligations, the idempotent
//! creation of one period's occurrence, and the rescheduling of open occurrences when the
//! working calendar changes.

use crate::BeginWrite;
use chrono::NaiveDate;
use domain::text::fold_vi;

use super::{COLUMNS, Task, get};
use crate::audit::{Actor, AuditEntry};
use crate::{Db, Result, now, on_db};

/// Recurring tasks (those with a recurrence other than "continuous" and no parent).
pub async fn recurring(db: &Db) -> Result<Vec<Task>> {
    let sql = format!(
        "select {COLUMNS} from task t join directive d on d.id = t.directive_id left join agency la on la.id = t.lead_agency_id \
         where t.parent_id is null and t.recurrence is not null and t.recurrence <> 'continuous' and t.lead_agency_id is not null order by t.id"
    );
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(p)
        .await?))
}

/// Creates the occurrence of a recurring task for one period, unless it exists.
/// Returns the new task, or `None` when it already existed (idempotent).
pub async fn ensure_occurrence(
    db: &Db,
    parent: &Task,
    period: &str,
    label: &str,
    deadline: NaiveDate,
    calendar_version: &str,
    actor: &Actor,
) -> Result<Option<Task>> {
    let t = now();
    let content = format!("{} — {}", label, parent.content);
    let search = fold_vi(&content);
    let id: Option<i64> = on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let row: Option<(i64,)> = sqlx::query_as(
            "insert into task (directive_id, parent_id, item_ref, content, lead_agency_id, lead_text, deadline, original_deadline, \
             deadline_text, recurrence, percent, submitted_on, verified, search_text, period, created_at, updated_at, calendar_version) \
             values ($1, $2, $3, $4, $5, null, $6, $6, $7, null, 0, null, false, $8, $9, $10, $10, $11) \
             on conflict (parent_id, period) do nothing returning id",
        )
        .bind(parent.directive_id)
        .bind(parent.id)
        .bind(&parent.item_ref)
        .bind(&content)
        .bind(parent.lead_agency_id)
        .bind(deadline)
        .bind(label)
        .bind(&search)
        .bind(period)
        .bind(t)
        .bind(calendar_version)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((id,)) = row {
            sqlx::query("insert into task_support (task_id, agency_id) select $1, agency_id from task_support where task_id = $2")
                .bind(id)
                .bind(parent.id)
                .execute(&mut *tx)
                .await?;
            let entry = AuditEntry::new(
                actor,
                "create",
                "task",
                id,
                format!("Tạo kỳ {label} của nhiệm vụ định kỳ #{}", parent.id),
            );
            crate::insert_audit!(&mut *tx, entry);
        }
        tx.commit().await?;
        row.map(|r| r.0)
    });
    match id {
        Some(id) => Ok(Some(get(db, id).await?)),
        None => Ok(None),
    }
}

/// Open occurrences (not submitted) of recurring tasks whose deadline was never extended:
/// those a change of the calendar may move.
pub async fn open_occurrences(db: &Db) -> Result<Vec<Task>> {
    let sql = format!(
        "select {COLUMNS} from task t join directive d on d.id = t.directive_id left join agency la on la.id = t.lead_agency_id \
         where t.period is not null and t.submitted_on is null and t.deadline = t.original_deadline order by t.id"
    );
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(p)
        .await?))
}

/// Moves an open occurrence to the deadline a new calendar gives, with its audit row.
pub async fn reschedule(
    db: &Db,
    task: &Task,
    deadline: NaiveDate,
    calendar_version: &str,
    actor: &Actor,
) -> Result<()> {
    let t = now();
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        sqlx::query("update task set deadline = $1, original_deadline = $1, calendar_version = $2, updated_at = $3 where id = $4")
            .bind(deadline)
            .bind(calendar_version)
            .bind(t)
            .bind(task.id)
            .execute(&mut *tx)
            .await?;
        let entry = AuditEntry::new(actor, "reschedule", "task", task.id, format!(
            "Tính lại hạn nhiệm vụ #{} theo lịch làm việc mới: {} → {}",
            task.id,
            task.deadline.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default(),
            deadline.format("%d/%m/%Y")
        ))
        .before(&serde_json::json!({"deadline": task.deadline, "calendar_version": task.calendar_version}))
        .after(&serde_json::json!({"deadline": deadline, "calendar_version": calendar_version}));
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
    });
    Ok(())
}
