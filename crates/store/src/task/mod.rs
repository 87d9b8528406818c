//! Nhiệm vụ — tasks of a directive: lead and supporting agencies, deadlines, progress
//! reports, submission of completion and its verification. The status is derived from
//! these facts (`domain::task::status`), never stored.

use crate::BeginWrite;
use chrono::{DateTime, NaiveDate, Utc};
use domain::task::{TaskFacts, TaskStatus};
use domain::text::fold_vi;
use serde::Serialize;

use crate::audit::{Actor, AuditEntry};
use crate::{Db, Page, Result, StoreError, like_contains, like_prefix, now, on_db};

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

/// The derived status in SQL, the same rule as `domain::task::status` (a test compares
/// both on every row). `{today}` is replaced by the placeholder of today's date.
const STATUS_SQL: &str = "case when t.submitted_on is not null and t.verified = true then \
       (case when t.deadline is not null and t.submitted_on > t.deadline then 'done_late' else 'done_on_time' end) \
     when t.submitted_on is not null then 'awaiting_verification' \
     when t.deadline is not null and t.deadline < {today} then 'overdue' else 'in_progress' end";

/// A bound value of a dynamically built query.
#[derive(Debug, Clone)]
enum Arg {
    Text(String),
    Int(i64),
    Date(NaiveDate),
}

/// The WHERE clause of a task filter, with only the conditions that apply, so that the
/// databases can use their indexes (no `$n is null or …` on the hot path).
struct Where {
    sql: String,
    args: Vec<Arg>,
    status_expr: String,
}

impl Where {
    fn push(&mut self, arg: Arg) -> String {
        self.args.push(arg);
        format!("${}", self.args.len())
    }

    fn new(f: &TaskFilter) -> Where {
        let mut w = Where {
            sql: String::from(" where 1 = 1"),
            args: Vec::new(),
            status_expr: String::new(),
        };
        let today = w.push(Arg::Date(f.today.unwrap_or_else(today_vn)));
        w.status_expr = STATUS_SQL.replace("{today}", &today);
        if let Some(prefix) = &f.scope_prefix {
            let p = w.push(Arg::Text(like_prefix(prefix)));
            w.sql.push_str(&format!(
                " and (t.lead_agency_id in (select id from agency where path like {p} escape '\\') \
                 or t.id in (select s.task_id from task_support s join agency sa on sa.id = s.agency_id where sa.path like {p} escape '\\'))"
            ));
        }
        if let Some(pid) = f.parent_id {
            let p = w.push(Arg::Int(pid));
            w.sql.push_str(&format!(" and t.parent_id = {p}"));
        }
        if let Some(d) = f.directive_id {
            let p = w.push(Arg::Int(d));
            w.sql.push_str(&format!(" and t.directive_id = {p}"));
        }
        if let Some(a) = f.agency_id {
            let p = w.push(Arg::Int(a));
            w.sql.push_str(&format!(
                " and (t.lead_agency_id = {p} or t.id in (select task_id from task_support where agency_id = {p}))"
            ));
        }
        if let Some(st) = f.status {
            let p = w.push(Arg::Text(st.code().to_string()));
            w.sql.push_str(&format!(" and ({}) = {p}", w.status_expr));
        }
        if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let p = w.push(Arg::Text(like_contains(&fold_vi(q))));
            w.sql
                .push_str(&format!(" and t.search_text like {p} escape '\\'"));
        }
        if let Some(d) = f.deadline_from {
            let p = w.push(Arg::Date(d));
            w.sql.push_str(&format!(" and t.deadline >= {p}"));
        }
        if let Some(d) = f.deadline_to {
            let p = w.push(Arg::Date(d));
            w.sql.push_str(&format!(" and t.deadline <= {p}"));
        }
        w
    }
}

/// Binds the arguments of a [`Where`] (and any extra ones) onto a query, on either backend.
macro_rules! bind_args {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                Arg::Text(s) => q.bind(s.clone()),
                Arg::Int(i) => q.bind(*i),
                Arg::Date(d) => q.bind(*d),
            };
        }
        q
    }};
}

fn today_vn() -> NaiveDate {
    (Utc::now() + chrono::Duration::hours(7)).date_naive()
}

pub async fn list(db: &Db, f: &TaskFilter, page: Page) -> Result<(Vec<Task>, i64)> {
    let mut w = Where::new(f);
    let count_sql = format!("select count(*) from task t{}", w.sql);
    let count_args = w.args.clone();
    let limit = w.push(Arg::Int(page.limit));
    let offset = w.push(Arg::Int(page.offset));
    let items_sql = format!(
        "select {COLUMNS} from task t join directive d on d.id = t.directive_id left join agency la on la.id = t.lead_agency_id{} \
         order by d.issued_on desc, t.id limit {limit} offset {offset}",
        w.sql
    );
    Ok(on_db!(db, |p| {
        let items = bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(items_sql)), &w.args)
            .fetch_all(p)
            .await?;
        let (n,): (i64,) = bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(count_sql)), &count_args)
            .fetch_one(p)
            .await?;
        (items, n)
    }))
}

/// Counts per derived status for the filter (its status condition ignored).
pub async fn status_counts(db: &Db, f: &TaskFilter) -> Result<Vec<(TaskStatus, i64)>> {
    let w = Where::new(&TaskFilter {
        status: None,
        ..f.clone()
    });
    let sql = format!(
        "select ({}) as st, count(*) from task t{} group by st",
        w.status_expr, w.sql
    );
    let rows: Vec<(String, i64)> = on_db!(db, |p| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(sql)),
        &w.args
    )
    .fetch_all(p)
    .await?);
    Ok(TaskStatus::ALL
        .iter()
        .map(|s| {
            (
                *s,
                rows.iter()
                    .find(|(c, _)| c == s.code())
                    .map_or(0, |(_, n)| *n),
            )
        })
        .collect())
}

/// Counts per directive and derived status: (directive id, status, count).
pub async fn status_counts_by_directive(
    db: &Db,
    f: &TaskFilter,
) -> Result<Vec<(i64, TaskStatus, i64)>> {
    let w = Where::new(&TaskFilter {
        status: None,
        ..f.clone()
    });
    let sql = format!(
        "select t.directive_id, ({}) as st, count(*) from task t{} group by t.directive_id, st",
        w.status_expr, w.sql
    );
    let rows: Vec<(i64, String, i64)> = on_db!(db, |p| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(sql)),
        &w.args
    )
    .fetch_all(p)
    .await?);
    Ok(rows
        .into_iter()
        .filter_map(|(d, st, n)| TaskStatus::parse(&st).map(|s| (d, s, n)))
        .collect())
}

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

pub async fn create(db: &Db, input: &TaskInput, actor: &Actor) -> Result<Task> {
    let t = now();
    let search = fold_vi(&format!(
        "{} {}",
        input.content,
        input.lead_text.as_deref().unwrap_or("")
    ));
    let id: i64 = on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
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
        tx.commit().await?;
        id
    });
    get(db, id).await
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Report {
    pub id: i64,
    pub agency_id: i64,
    pub agency_name: String,
    pub username: Option<String>,
    pub kind: String,
    pub percent: Option<i32>,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

pub async fn reports(db: &Db, task_id: i64) -> Result<Vec<Report>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
            "select r.id, r.agency_id, a.name as agency_name, u.username, r.kind, r.percent, r.note, r.created_at \
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
    record_full(db, task_id, agency_id, event, files, actor, now()).await
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
    record_full(db, task_id, agency_id, event, &[], actor, t).await
}

async fn record_full(
    db: &Db,
    task_id: i64,
    agency_id: i64,
    event: &TaskEvent,
    files: &[crate::file::NewFile],
    actor: &Actor,
    t: DateTime<Utc>,
) -> Result<Task> {
    let before = get(db, task_id).await?;
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

/// Counts per lead agency and derived status, for the per-agency statistics.
/// Returns (agency id, agency name, status, count).
pub async fn status_counts_by_lead(
    db: &Db,
    f: &TaskFilter,
) -> Result<Vec<(i64, String, TaskStatus, i64)>> {
    let w = Where::new(&TaskFilter {
        status: None,
        ..f.clone()
    });
    let sql = format!(
        "select c.lead_agency_id, a.name, c.st, c.n from (select t.lead_agency_id, ({}) as st, count(*) as n from task t{} \
         and t.lead_agency_id is not null group by t.lead_agency_id, st) c join agency a on a.id = c.lead_agency_id",
        w.status_expr, w.sql
    );
    let rows: Vec<(i64, String, String, i64)> = on_db!(db, |p| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(sql)),
        &w.args
    )
    .fetch_all(p)
    .await?);
    Ok(rows
        .into_iter()
        .filter_map(|(id, name, st, n)| TaskStatus::parse(&st).map(|s| (id, name, s, n)))
        .collect())
}

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

/// The task a progress report belongs to.
pub async fn report_task(db: &Db, report_id: i64) -> Result<i64> {
    Ok(on_db!(db, |p| {
        sqlx::query_scalar("select task_id from task_report where id = $1")
            .bind(report_id)
            .fetch_one(p)
            .await?
    }))
}

/// One open task moved from a dissolved agency to its successor.
#[derive(Debug, Clone, Serialize)]
pub struct Transfer {
    pub task_id: i64,
    pub from: String,
    pub to: String,
    pub role: &'static str,
}

/// A recurring obligation itself (not one of its occurrences): it is a template, each
/// period's occurrence goes to the agency holding the duty on its due date.
const RECURRING_TEMPLATE: &str =
    "(t.parent_id is null and t.recurrence is not null and t.recurrence <> 'continuous')";

/// Moves the open tasks (not yet verified done) of every agency that no longer exists on
/// `today` and was merged into another one to that successor (following a chain of
/// mergers to the agency in force). Leads keep their first former lead in
/// `transferred_from_id`; supporting agencies are replaced. Each move is audited. Agencies
/// dissolved without a successor keep their tasks, which then show on the overdue list for
/// the assigning office to reassign by hand.
///
/// Legal ground: a merger transfers the functions and duties of the merged body to the
/// receiving one (Nghị định 158/2018/NĐ-CP on establishing, reorganising and dissolving
/// administrative bodies — the article is [TV]; for the 2024–2025 Nghệ An mergers, the
/// resolution recorded as each agency's legal basis).
pub async fn transfer_dissolved(db: &Db, today: NaiveDate, actor: &Actor) -> Result<Vec<Transfer>> {
    type Row = (i64, String, Option<NaiveDate>, Option<i64>);
    let agencies: Vec<Row> = on_db!(db, |p| {
        sqlx::query_as("select id, name, valid_to, merged_into_id from agency")
            .fetch_all(p)
            .await?
    });
    let by_id: std::collections::HashMap<i64, &Row> = agencies.iter().map(|a| (a.0, a)).collect();
    let ended = |a: &Row| a.2.is_some_and(|to| to < today);
    // Dissolved agency -> successor in force today.
    let mut successor: Vec<(i64, i64)> = Vec::new();
    for a in agencies.iter().filter(|a| ended(a) && a.3.is_some()) {
        let mut cur = a.3.and_then(|id| by_id.get(&id)).copied();
        let mut hops = 0;
        while let Some(c) = cur {
            if !ended(c) {
                break;
            }
            hops += 1;
            cur = if hops > 16 {
                None
            } else {
                c.3.and_then(|id| by_id.get(&id)).copied()
            };
        }
        if let Some(c) = cur {
            successor.push((a.0, c.0));
        }
    }
    let mut out = Vec::new();
    let at = now();
    for (from, to) in successor {
        let from_name = by_id[&from].1.clone();
        let to_name = by_id[&to].1.clone();
        on_db!(db, |p| {
            let mut tx = p.begin_write().await?;
            let leads: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "select t.id from task t where t.lead_agency_id = $1 and t.verified = false and not {RECURRING_TEMPLATE} order by t.id"
            )))
            .bind(from)
            .fetch_all(&mut *tx)
            .await?;
            for id in &leads {
                sqlx::query(
                    "update task set lead_agency_id = $1, transferred_from_id = coalesce(transferred_from_id, $2), \
                     updated_at = $3 where id = $4",
                )
                .bind(to)
                .bind(from)
                .bind(at)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                // The successor cannot also support its own task.
                sqlx::query("delete from task_support where task_id = $1 and agency_id = $2")
                    .bind(id)
                    .bind(to)
                    .execute(&mut *tx)
                    .await?;
                let entry = AuditEntry::new(actor, "transfer", "task", *id,
                    format!("Chuyển nhiệm vụ #{id} (chủ trì) từ {from_name} sang {to_name} do sáp nhập, giải thể"))
                    .before(&serde_json::json!({"lead_agency_id": from}))
                    .after(&serde_json::json!({"lead_agency_id": to}));
                crate::insert_audit!(&mut *tx, entry);
                out.push(Transfer {
                    task_id: *id,
                    from: from_name.clone(),
                    to: to_name.clone(),
                    role: "chủ trì",
                });
            }
            let supports: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "select s.task_id from task_support s join task t on t.id = s.task_id \
                 where s.agency_id = $1 and t.verified = false and not {RECURRING_TEMPLATE} order by s.task_id"
            )))
            .bind(from)
            .fetch_all(&mut *tx)
            .await?;
            for id in &supports {
                sqlx::query("delete from task_support where task_id = $1 and agency_id = $2")
                    .bind(id)
                    .bind(from)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "insert into task_support (task_id, agency_id) select $1, $2 \
                     where not exists (select 1 from task_support where task_id = $1 and agency_id = $2) \
                     and not exists (select 1 from task where id = $1 and lead_agency_id = $2)",
                )
                .bind(id)
                .bind(to)
                .execute(&mut *tx)
                .await?;
                let entry = AuditEntry::new(actor, "transfer", "task", *id,
                    format!("Chuyển nhiệm vụ #{id} (phối hợp) từ {from_name} sang {to_name} do sáp nhập, giải thể"))
                    .before(&serde_json::json!({"support_agency_id": from}))
                    .after(&serde_json::json!({"support_agency_id": to}));
                crate::insert_audit!(&mut *tx, entry);
                out.push(Transfer {
                    task_id: *id,
                    from: from_name.clone(),
                    to: to_name.clone(),
                    role: "phối hợp",
                });
            }
            tx.commit().await?;
        });
    }
    Ok(out)
}
