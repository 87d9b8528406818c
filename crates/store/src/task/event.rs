//! What happens to a task: progress reports, the submission of completion and the
//! assigning office's verdict on it ([`TaskEvent`]), each recorded with its report row,
//! evidence files, the new facts and the audit entry in one transaction; and the reports
//! as read.

use crate::BeginWrite;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Task, get};
use crate::audit::{Actor, AuditEntry};
use crate::{Db, Result, StoreError, now, on_db};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Report {
    pub id: i64,
    pub agency_id: i64,
    pub agency_name: String,
    pub username: Option<String>,
    /// The reporter's full name, as the screens show people.
    pub full_name: Option<String>,
    pub kind: String,
    pub percent: Option<i32>,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

pub async fn reports(db: &Db, task_id: i64) -> Result<Vec<Report>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
            "select r.id, r.agency_id, a.name as agency_name, u.username, u.full_name, r.kind, r.percent, r.note, r.created_at \
             from task_report r join agency a on a.id = r.agency_id left join app_user u on u.id = r.user_id \
             where r.task_id = $1 order by r.id",
        )
        .bind(task_id)
        .fetch_all(p)
        .await?
    }))
}

/// What happens to a task: a progress report, a submission of completion, or the
/// assigning office's verdict on it.
#[derive(Debug, Clone, Serialize)]
pub enum TaskEvent {
    Progress { percent: i32, note: String },
    Submit { note: String },
    Accept { note: String },
    Return { reason: String },
}

/// Records an event with its report row, the new facts and the audit entry, atomically.
pub async fn record(
    db: &Db,
    task_id: i64,
    agency_id: i64,
    event: &TaskEvent,
    actor: &Actor,
) -> Result<Task> {
    record_at(db, task_id, agency_id, event, actor, now()).await
}

/// [`record`] with evidence files (minh chứng) attached to the new report, in the same
/// transaction.
pub async fn record_with_files(
    db: &Db,
    task_id: i64,
    agency_id: i64,
    event: &TaskEvent,
    files: &[crate::file::NewFile],
    actor: &Actor,
) -> Result<Task> {
    let before = get(db, task_id).await?;
    record_full(db, &before, agency_id, event, files, actor, now()).await
}

/// [`record_with_files`] for a caller that has just read the task (the service layer,
/// for its access and state checks): `before` is that read, used for the audit entry's
/// "before" values; the update still repeats its precondition, so a task that moved
/// since is a `StoreError::Stale`.
pub async fn record_after_read(
    db: &Db,
    before: &Task,
    agency_id: i64,
    event: &TaskEvent,
    files: &[crate::file::NewFile],
    actor: &Actor,
) -> Result<Task> {
    record_full(db, before, agency_id, event, files, actor, now()).await
}

/// [`record`] at a given instant (imports of past reports, demo history).
pub async fn record_at(
    db: &Db,
    task_id: i64,
    agency_id: i64,
    event: &TaskEvent,
    actor: &Actor,
    t: DateTime<Utc>,
) -> Result<Task> {
    let before = get(db, task_id).await?;
    record_full(db, &before, agency_id, event, &[], actor, t).await
}

async fn record_full(
    db: &Db,
    before: &Task,
    agency_id: i64,
    event: &TaskEvent,
    files: &[crate::file::NewFile],
    actor: &Actor,
    t: DateTime<Utc>,
) -> Result<Task> {
    let task_id = before.id;
    let today = domain::time::day_of(t);
    let (kind, percent, note) = match event {
        TaskEvent::Progress { percent, note } => ("progress", Some(*percent), note.clone()),
        TaskEvent::Submit { note } => ("submit", Some(100), note.clone()),
        TaskEvent::Accept { note } => ("accept", None, note.clone()),
        TaskEvent::Return { reason } => ("return", None, reason.clone()),
    };
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        // Each update repeats the precondition the caller checked on its read (optimistic
        // concurrency): a task verified, submitted or returned meanwhile changes no row.
        let changed = match event {
            TaskEvent::Progress { percent, .. } => {
                sqlx::query("update task set percent = $1, updated_at = $2 where id = $3 and verified = false")
                    .bind(percent)
                    .bind(t)
                    .bind(task_id)
                    .execute(&mut *tx)
                    .await?
            }
            TaskEvent::Submit { .. } => {
                sqlx::query("update task set percent = 100, submitted_on = $1, return_reason = null, updated_at = $2 where id = $3 and submitted_on is null and verified = false")
                    .bind(today)
                    .bind(t)
                    .bind(task_id)
                    .execute(&mut *tx)
                    .await?
            }
            TaskEvent::Accept { .. } => {
                sqlx::query("update task set verified = true, verified_by = $1, verified_at = $2, updated_at = $2 where id = $3 and submitted_on is not null and verified = false")
                    .bind(actor.user_id)
                    .bind(t)
                    .bind(task_id)
                    .execute(&mut *tx)
                    .await?
            }
            TaskEvent::Return { reason } => {
                sqlx::query("update task set submitted_on = null, verified = false, return_reason = $1, updated_at = $2 where id = $3 and submitted_on is not null and verified = false")
                    .bind(reason)
                    .bind(t)
                    .bind(task_id)
                    .execute(&mut *tx)
                    .await?
            }
        }
        .rows_affected();
        if changed != 1 {
            return Err(StoreError::Stale("task state".into()));
        }
        let report_id: i64 = sqlx::query_scalar("insert into task_report (task_id, agency_id, user_id, kind, percent, note, created_at) values ($1, $2, $3, $4, $5, $6, $7) returning id")
            .bind(task_id)
            .bind(agency_id)
            .bind(actor.user_id)
            .bind(kind)
            .bind(percent)
            .bind(&note)
            .bind(t)
            .fetch_one(&mut *tx)
            .await?;
        crate::insert_files!(
            tx,
            crate::file::Owner::TaskReport(report_id),
            files,
            actor.user_id,
            t
        );
        let verb = match event {
            TaskEvent::Progress { .. } => "Báo cáo tiến độ",
            TaskEvent::Submit { .. } => "Báo cáo hoàn thành",
            TaskEvent::Accept { .. } => "Xác nhận hoàn thành",
            TaskEvent::Return { .. } => "Trả lại báo cáo hoàn thành",
        };
        let attached = if files.is_empty() {
            String::new()
        } else {
            format!(
                " (kèm {} tệp minh chứng: {})",
                files.len(),
                files
                    .iter()
                    .map(|f| f.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let entry = AuditEntry::new(actor, kind, "task", task_id, format!("{verb} nhiệm vụ #{task_id}{attached}"))
            .before(&serde_json::json!({"percent": before.percent, "submitted_on": before.submitted_on, "verified": before.verified}))
            .after(event);
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
    });
    get(db, task_id).await
}

/// The task a progress report belongs to.
pub async fn report_task(db: &Db, report_id: i64) -> Result<i64> {
    Ok(on_db!(db, |p| {
        sqlx::query_scalar("select task_id from task_report where id = $1")
            .bind(report_id)
            .fetch_one(p)
            .await?
    }))
}
