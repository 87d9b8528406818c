//! Nhiệm vụ — tasks of a directive: lead and supporting agencies, deadlines, progress
//! reports, submission of completion and its verification. The status is derived from
//! these facts (`domain::task::status`), never stored.
//!
//! This module holds the task as read (`Task`), its input and filter, the reads of one
//! task and its creation; the filtered lists and status counts live in `filter`, progress
//! reports and their verdicts in `event`, deadline extensions in `extension`, the
//! occurrences of recurring tasks in `occurrence`, and the move of open tasks off
//! dissolved agencies in `transfer`.

mod event;
mod extension;
mod filter;
mod occurrence;
mod transfer;

pub use event::{
    Report, TaskEvent, record, record_after_read, record_at, record_with_files, report_task,
    reports,
};
pub use extension::{Extension, decide_extension, extensions, request_extension};
pub use filter::{list, status_counts, status_counts_by_directive, status_counts_by_lead};
pub use occurrence::{ensure_occurrence, open_occurrences, recurring, reschedule};
pub use transfer::{Transfer, transfer_dissolved};

use crate::BeginWrite;
use chrono::{DateTime, NaiveDate, Utc};
use domain::task::{TaskFacts, TaskStatus};
use domain::text::fold_vi;
use serde::Serialize;

use crate::audit::{Actor, AuditEntry};
use crate::{Db, Result, StoreError, now, on_db};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Task {
    pub id: i64,
    pub directive_id: i64,
    pub directive_number: String,
    pub parent_id: Option<i64>,
    pub item_ref: Option<String>,
    pub content: String,
    pub lead_agency_id: Option<i64>,
    pub lead_name: Option<String>,
    #[serde(skip)]
    pub lead_path: Option<String>,
    pub lead_text: Option<String>,
    pub deadline: Option<NaiveDate>,
    pub original_deadline: Option<NaiveDate>,
    pub deadline_text: Option<String>,
    pub recurrence: Option<String>,
    pub percent: i32,
    pub submitted_on: Option<NaiveDate>,
    pub verified: bool,
    pub verified_at: Option<DateTime<Utc>>,
    pub return_reason: Option<String>,
    /// The period of a recurring task's occurrence, e.g. "2023-09".
    pub period: Option<String>,
    /// The calendar version that computed the deadline (occurrences).
    pub calendar_version: Option<String>,
    pub updated_at: DateTime<Utc>,
    /// The lead before the task moved to a successor of a dissolved agency.
    pub transferred_from: Option<String>,
}

impl Task {
    pub fn facts(&self) -> TaskFacts {
        TaskFacts {
            deadline: self.deadline,
            submitted_on: self.submitted_on,
            verified: self.verified,
        }
    }

    pub fn status(&self, today: NaiveDate) -> TaskStatus {
        domain::task::status(&self.facts(), today)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskInput {
    pub directive_id: i64,
    pub parent_id: Option<i64>,
    pub item_ref: Option<String>,
    pub content: String,
    pub lead_agency_id: Option<i64>,
    /// The lead as written in the source, kept when no agency matched.
    pub lead_text: Option<String>,
    pub support_agency_ids: Vec<i64>,
    pub deadline: Option<NaiveDate>,
    pub deadline_text: Option<String>,
    pub recurrence: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    pub scope_prefix: Option<String>,
    pub directive_id: Option<i64>,
    /// Lead or support agency.
    pub agency_id: Option<i64>,
    pub status: Option<TaskStatus>,
    pub q: Option<String>,
    pub today: Option<NaiveDate>,
    /// Sub-tasks (and occurrences) of this task.
    pub parent_id: Option<i64>,
    /// Tasks whose deadline in force falls in [from, to] (a reporting period).
    pub deadline_from: Option<NaiveDate>,
    pub deadline_to: Option<NaiveDate>,
}

const COLUMNS: &str = "t.id, t.directive_id, d.number as directive_number, t.parent_id, t.item_ref, t.content, \
     t.lead_agency_id, la.name as lead_name, la.path as lead_path, t.lead_text, t.deadline, t.original_deadline, \
     t.deadline_text, t.recurrence, t.percent, t.submitted_on, t.verified, t.verified_at, t.return_reason, t.period, t.calendar_version, t.updated_at, \
     (select x.name from agency x where x.id = t.transferred_from_id) as transferred_from";

pub async fn get(db: &Db, id: i64) -> Result<Task> {
    let sql = format!(
        "select {COLUMNS} from task t join directive d on d.id = t.directive_id left join agency la on la.id = t.lead_agency_id where t.id = $1"
    );
    let row: Option<Task> = on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(p)
        .await?);
    row.ok_or(StoreError::NotFound)
}

/// Supporting agencies: (id, name, path).
pub async fn supports(db: &Db, id: i64) -> Result<Vec<(i64, String, String)>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as("select a.id, a.name, a.path from task_support s join agency a on a.id = s.agency_id where s.task_id = $1 order by a.name")
            .bind(id)
            .fetch_all(p)
            .await?
    }))
}

/// Names of the supporting agencies of many tasks, by task id (in name order).
pub async fn supports_of(
    db: &Db,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, Vec<String>>> {
    let mut out: std::collections::HashMap<i64, Vec<String>> = Default::default();
    for chunk in ids.chunks(1000) {
        // Only integers are spliced in.
        let list = chunk
            .iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let sql = format!(
            "select s.task_id, a.name from task_support s join agency a on a.id = s.agency_id \
             where s.task_id in ({list}) order by s.task_id, a.name"
        );
        let rows: Vec<(i64, String)> = on_db!(db, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .fetch_all(p)
                .await?
        });
        for (id, name) in rows {
            out.entry(id).or_default().push(name);
        }
    }
    Ok(out)
}

/// Creates one task (with its audit row).
pub async fn create(db: &Db, input: &TaskInput, actor: &Actor) -> Result<Task> {
    let ids = create_many(db, std::slice::from_ref(input), actor).await?;
    get(db, ids[0]).await
}

/// Creates tasks in one transaction: all of them, or none when one fails.
pub async fn create_many(db: &Db, inputs: &[TaskInput], actor: &Actor) -> Result<Vec<i64>> {
    let t = now();
    let ids: Vec<i64> = on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let mut ids = Vec::with_capacity(inputs.len());
        for input in inputs {
            let search = fold_vi(&format!(
                "{} {}",
                input.content,
                input.lead_text.as_deref().unwrap_or("")
            ));
            let (id,): (i64,) = sqlx::query_as(
            "insert into task (directive_id, parent_id, item_ref, content, lead_agency_id, lead_text, deadline, original_deadline, \
             deadline_text, recurrence, percent, submitted_on, verified, search_text, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, 0, null, false, $10, $11, $11) returning id",
        )
        .bind(input.directive_id)
        .bind(input.parent_id)
        .bind(&input.item_ref)
        .bind(&input.content)
        .bind(input.lead_agency_id)
        .bind(&input.lead_text)
        .bind(input.deadline)
        .bind(&input.deadline_text)
        .bind(&input.recurrence)
        .bind(&search)
        .bind(t)
        .fetch_one(&mut *tx)
        .await?;
            for a in &input.support_agency_ids {
                sqlx::query("insert into task_support (task_id, agency_id) values ($1, $2) on conflict do nothing")
                .bind(id)
                .bind(a)
                .execute(&mut *tx)
                .await?;
            }
            let summary: String = input.content.chars().take(120).collect();
            let entry = AuditEntry::new(
                actor,
                "create",
                "task",
                id,
                format!("Giao nhiệm vụ: {summary}"),
            )
            .after(input);
            crate::insert_audit!(&mut *tx, entry);
            ids.push(id);
        }
        tx.commit().await?;
        ids
    });
    Ok(ids)
}
