//! Báo cáo định kỳ — the units' periodic reports: one row per template, unit and period
//! (`unit_report`) with the typed values and the lifecycle; the closing of a template's
//! period (`report_period_close`); the frozen revisions (`unit_report_revision`: the
//! snapshot taken at closing, then corrections as new revisions, never edits).
//!
//! Each report's due date is a `task` row of the template's directive, so it shows in the
//! unit's task lists, reminders and overdue list like any other task: the occurrence of
//! the directive's recurring task for that unit and period when there is one (CV 6486
//! "trước ngày 18 hàng tháng"), else a task created with the report. Submitting,
//! accepting and returning the report write the same task facts and `task_report` rows
//! as `task::record`, in the report's transaction.

use crate::BeginWrite;
use chrono::{DateTime, NaiveDate, Utc};
use domain::report::ReportAction;
use domain::text::fold_vi;
use serde::Serialize;

use crate::audit::{Actor, AuditEntry};
use crate::{Db, Page, Result, StoreError, like_prefix, now, on_db};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Report {
    pub id: i64,
    pub template_code: String,
    pub template_version: String,
    pub agency_id: i64,
    pub agency_code: String,
    pub agency_name: String,
    #[serde(skip)]
    pub agency_path: String,
    pub period: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub due_on: NaiveDate,
    pub status: String,
    pub typed_json: String,
    pub task_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub submitted_by: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub return_reason: Option<String>,
    /// When the template's period was closed (the numbers frozen), if it was.
    pub closed_at: Option<DateTime<Utc>>,
    /// The path of the agency holding the report's duty today, when the report's own
    /// agency was merged into another since (set by the web layer from the succession).
    #[sqlx(skip)]
    #[serde(skip)]
    pub holder_path: Option<String>,
}

const COLUMNS: &str = "r.id, r.template_code, r.template_version, r.agency_id, a.code as agency_code, a.name as agency_name, \
     a.path as agency_path, r.period, r.period_from, r.period_to, r.due_on, r.status, r.typed_json, r.task_id, r.created_at, \
     r.updated_at, su.username as submitted_by, r.submitted_at, du.username as decided_by, r.decided_at, r.return_reason, \
     c.closed_at";

const FROM: &str = " from unit_report r join agency a on a.id = r.agency_id \
     left join app_user su on su.id = r.submitted_by left join app_user du on du.id = r.decided_by \
     left join report_period_close c on c.template_code = r.template_code and c.period = r.period";

#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    /// The caller's scope: reports of agencies under this path.
    pub scope_prefix: Option<String>,
    /// Reports of these agencies are in scope too: agencies merged away whose duties an
    /// agency in scope holds today (the web layer follows the succession).
    pub inherited_ids: Vec<i64>,
    pub template_code: Option<String>,
    pub period: Option<String>,
    /// Reports of this agency's subtree.
    pub unit_prefix: Option<String>,
    pub status: Option<String>,
}

const FILTER: &str = " where (cast($1 as text) is null or a.path like $1 escape '\\' \
     or (',' || cast($6 as text) || ',') like ('%,' || cast(a.id as text) || ',%')) \
     and (cast($2 as text) is null or r.template_code = $2) \
     and (cast($3 as text) is null or r.period = $3) \
     and (cast($4 as text) is null or a.path like $4 escape '\\') \
     and (cast($5 as text) is null or r.status = $5)";

/// Newest period first, then agency code.
pub async fn list(db: &Db, f: &ReportFilter, page: Page) -> Result<(Vec<Report>, i64)> {
    let items_sql = format!(
        "select {COLUMNS}{FROM}{FILTER} order by r.period_to desc, r.template_code, a.code limit $7 offset $8"
    );
    let count_sql = format!("select count(*){FROM}{FILTER}");
    let scope = f.scope_prefix.as_deref().map(like_prefix);
    let unit = f.unit_prefix.as_deref().map(like_prefix);
    let inherited = f
        .inherited_ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    Ok(on_db!(db, |p| {
        let items = sqlx::query_as(sqlx::AssertSqlSafe(items_sql))
            .bind(&scope)
            .bind(&f.template_code)
            .bind(&f.period)
            .bind(&unit)
            .bind(&f.status)
            .bind(&inherited)
            .bind(page.limit)
            .bind(page.offset)
            .fetch_all(p)
            .await?;
        let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(count_sql))
            .bind(&scope)
            .bind(&f.template_code)
            .bind(&f.period)
            .bind(&unit)
            .bind(&f.status)
            .bind(&inherited)
            .fetch_one(p)
            .await?;
        (items, n)
    }))
}

pub async fn get(db: &Db, id: i64) -> Result<Report> {
    let sql = format!("select {COLUMNS}{FROM} where r.id = $1");
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_one(p)
        .await?))
}

/// The report of one template, period and agency, if it exists.
pub async fn find(db: &Db, template: &str, period: &str, agency_id: i64) -> Result<Option<Report>> {
    let sql = format!(
        "select {COLUMNS}{FROM} where r.template_code = $1 and r.period = $2 and r.agency_id = $3"
    );
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(template)
        .bind(period)
        .bind(agency_id)
        .fetch_optional(p)
        .await?))
}

/// What a new report (and its due task) needs; the caller computed the dates from the
/// template.
#[derive(Debug, Clone, Serialize)]
pub struct NewReport {
    pub template_code: String,
    pub template_version: String,
    pub template_name: String,
    pub agency_id: i64,
    pub period: String,
    pub period_label: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub due_on: NaiveDate,
    /// The directive whose task carries the due date (by number).
    pub directive: String,
    /// Its recurring task's recurrence, whose occurrence is reused when it exists.
    pub recurrence: Option<String>,
}

/// Creates the report (draft) and links or creates its due task, unless it exists or the
/// period is closed. Returns the report and whether it is new. Idempotent through the
/// unique (template, period, agency) index, so concurrent calls create one.
pub async fn ensure(db: &Db, n: &NewReport, actor: &Actor) -> Result<(Report, bool)> {
    ensure_at(db, n, actor, now()).await
}

/// [`ensure`] at a given instant (the demo's history).
pub async fn ensure_at(
    db: &Db,
    n: &NewReport,
    actor: &Actor,
    t: DateTime<Utc>,
) -> Result<(Report, bool)> {
    if let Some(r) = find(db, &n.template_code, &n.period, n.agency_id).await? {
        return Ok((r, false));
    }
    let content = format!(
        "{} — {} (biểu mẫu {})",
        n.template_name, n.period_label, n.template_code
    );
    let search = fold_vi(&content);
    let created: Option<i64> = on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let closed: Option<(i64,)> = sqlx::query_as(
            "select id from report_period_close where template_code = $1 and period = $2",
        )
        .bind(&n.template_code)
        .bind(&n.period)
        .fetch_optional(&mut *tx)
        .await?;
        if closed.is_some() {
            return Err(StoreError::Invalid(
                "kỳ báo cáo đã khóa sổ, không tạo thêm báo cáo".into(),
            ));
        }
        let row: Option<(i64,)> = sqlx::query_as(
            "insert into unit_report (template_code, template_version, agency_id, period, period_from, period_to, due_on, \
             status, typed_json, task_id, created_by, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, $6, $7, 'draft', '{}', null, $8, $9, $9) \
             on conflict (template_code, period, agency_id) do nothing returning id",
        )
        .bind(&n.template_code)
        .bind(&n.template_version)
        .bind(n.agency_id)
        .bind(&n.period)
        .bind(n.period_from)
        .bind(n.period_to)
        .bind(n.due_on)
        .bind(actor.user_id)
        .bind(t)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((id,)) = row else {
            tx.commit().await?;
            return find(db, &n.template_code, &n.period, n.agency_id)
                .await?
                .map(|r| (r, false))
                .ok_or(StoreError::NotFound);
        };
        // The occurrence of the directive's recurring task for this unit and period.
        let mut task: Option<(i64,)> = None;
        if let Some(rec) = &n.recurrence {
            task = sqlx::query_as(
                "select t.id from task t join task pt on pt.id = t.parent_id join directive d on d.id = t.directive_id \
                 where d.number = $1 and pt.recurrence = $2 and t.lead_agency_id = $3 and t.period = $4 \
                 and t.id not in (select task_id from unit_report where task_id is not null) order by t.id limit 1",
            )
            .bind(&n.directive)
            .bind(rec)
            .bind(n.agency_id)
            .bind(&n.period)
            .fetch_optional(&mut *tx)
            .await?;
        }
        if task.is_none() {
            let directive: Option<(i64,)> = sqlx::query_as(
                "select id from directive where number = $1 order by issued_on desc, id limit 1",
            )
            .bind(&n.directive)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some((directive_id,)) = directive {
                let (tid,): (i64,) = sqlx::query_as(
                    "insert into task (directive_id, parent_id, item_ref, content, lead_agency_id, lead_text, deadline, original_deadline, \
                     deadline_text, recurrence, percent, submitted_on, verified, search_text, period, created_at, updated_at) \
                     values ($1, null, $2, $3, $4, null, $5, $5, $6, null, 0, null, false, $7, $8, $9, $9) returning id",
                )
                .bind(directive_id)
                .bind(format!("Biểu mẫu {}", n.template_code))
                .bind(&content)
                .bind(n.agency_id)
                .bind(n.due_on)
                .bind(&n.period_label)
                .bind(&search)
                .bind(&n.period)
                .bind(t)
                .fetch_one(&mut *tx)
                .await?;
                let entry = AuditEntry::new(
                    actor,
                    "create",
                    "task",
                    tid,
                    format!("Giao nhiệm vụ gửi báo cáo: {content}"),
                )
                .at(t);
                crate::insert_audit!(&mut *tx, entry);
                task = Some((tid,));
            }
        }
        if let Some((tid,)) = task {
            sqlx::query("update unit_report set task_id = $1 where id = $2")
                .bind(tid)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let entry = AuditEntry::new(
            actor,
            "create",
            "unit_report",
            id,
            format!("Tạo báo cáo {} kỳ {}", n.template_code, n.period),
        )
        .after(n)
        .at(t);
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
        Some(id)
    });
    match created {
        Some(id) => Ok((get(db, id).await?, true)),
        None => Err(StoreError::NotFound),
    }
}

/// A change of a report: its typed values and/or its status, with the due task's facts.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub action: ReportAction,
    /// The status the change applies to (optimistic check: 409 when it moved).
    pub from_status: String,
    pub to_status: String,
    /// New typed values (JSON), when they change.
    pub typed_json: Option<String>,
    pub return_reason: Option<String>,
}

/// Applies a change in one transaction: the report row (only while its status is still
/// `from_status` and its period is not closed), the due task's facts and `task_report`
/// row, and the audit entry. `StoreError::Stale` when the report moved or the period
/// was closed meanwhile.
pub async fn apply(db: &Db, id: i64, c: &Change, actor: &Actor) -> Result<Report> {
    apply_at(db, id, c, actor, now()).await
}

/// [`apply`] at a given instant (the demo's history).
pub async fn apply_at(
    db: &Db,
    id: i64,
    c: &Change,
    actor: &Actor,
    t: DateTime<Utc>,
) -> Result<Report> {
    let before = get(db, id).await?;
    let today = domain::time::day_of(t);
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let (submitted_by, submitted_at) = match c.action {
            ReportAction::Submit => (actor.user_id, Some(t)),
            _ => (None, None),
        };
        let decided = matches!(c.action, ReportAction::Accept | ReportAction::Return);
        let res = sqlx::query(
            "update unit_report set status = $1, typed_json = coalesce($2, typed_json), updated_at = $3, \
             submitted_by = case when $4 then $5 else submitted_by end, \
             submitted_at = case when $4 then $6 else submitted_at end, \
             decided_by = case when $7 then $8 when $4 then null else decided_by end, \
             decided_at = case when $7 then $3 when $4 then null else decided_at end, \
             return_reason = case when $7 then $9 when $4 then null else return_reason end \
             where id = $10 and status = $11 and not exists (select 1 from report_period_close k \
             where k.template_code = unit_report.template_code and k.period = unit_report.period)",
        )
        .bind(&c.to_status)
        .bind(&c.typed_json)
        .bind(t)
        .bind(submitted_at.is_some())
        .bind(submitted_by)
        .bind(submitted_at)
        .bind(decided)
        .bind(actor.user_id)
        .bind(&c.return_reason)
        .bind(id)
        .bind(&c.from_status)
        .execute(&mut *tx)
        .await?;
        if res.rows_affected() != 1 {
            return Err(StoreError::Stale("unit_report status".into()));
        }
        if let Some(task_id) = before.task_id {
            let (kind, note) = match c.action {
                ReportAction::Submit => {
                    sqlx::query("update task set percent = 100, submitted_on = $1, return_reason = null, updated_at = $2 where id = $3")
                        .bind(today)
                        .bind(t)
                        .bind(task_id)
                        .execute(&mut *tx)
                        .await?;
                    ("submit", format!("Đã gửi báo cáo #{id}."))
                }
                ReportAction::Accept => {
                    sqlx::query("update task set verified = true, verified_by = $1, verified_at = $2, updated_at = $2 where id = $3")
                        .bind(actor.user_id)
                        .bind(t)
                        .bind(task_id)
                        .execute(&mut *tx)
                        .await?;
                    ("accept", format!("Đã tiếp nhận báo cáo #{id}."))
                }
                ReportAction::Return => {
                    let reason = c.return_reason.clone().unwrap_or_default();
                    sqlx::query("update task set submitted_on = null, verified = false, return_reason = $1, updated_at = $2 where id = $3")
                        .bind(&reason)
                        .bind(t)
                        .bind(task_id)
                        .execute(&mut *tx)
                        .await?;
                    ("return", reason)
                }
                ReportAction::Save => ("", String::new()),
            };
            if !kind.is_empty() {
                sqlx::query("insert into task_report (task_id, agency_id, user_id, kind, percent, note, created_at) values ($1, $2, $3, $4, $5, $6, $7)")
                    .bind(task_id)
                    .bind(before.agency_id)
                    .bind(actor.user_id)
                    .bind(kind)
                    .bind((kind == "submit").then_some(100))
                    .bind(&note)
                    .bind(t)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let verb = match c.action {
            ReportAction::Save => "Lưu",
            ReportAction::Submit => "Gửi",
            ReportAction::Accept => "Tiếp nhận",
            ReportAction::Return => "Trả lại",
        };
        let entry = AuditEntry::new(
            actor,
            c.action.code(),
            "unit_report",
            id,
            format!(
                "{verb} báo cáo {} kỳ {} của {}",
                before.template_code, before.period, before.agency_name
            ),
        )
        .before(&serde_json::json!({"status": before.status, "typed": before.typed_json}))
        .after(c)
        .at(t);
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
    });
    get(db, id).await
}

/// Khóa sổ — the closing of a template's period.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Close {
    pub template_code: String,
    pub period: String,
    pub closed_at: DateTime<Utc>,
    pub closed_by: Option<String>,
}

pub async fn closes(db: &Db) -> Result<Vec<Close>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
        "select c.template_code, c.period, c.closed_at, u.username as closed_by from report_period_close c \
         left join app_user u on u.id = c.closed_by order by c.closed_at desc"
    )
    .fetch_all(p)
    .await?
    }))
}

pub async fn closed(db: &Db, template: &str, period: &str) -> Result<Option<Close>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
        "select c.template_code, c.period, c.closed_at, u.username as closed_by from report_period_close c \
         left join app_user u on u.id = c.closed_by where c.template_code = $1 and c.period = $2"
    )
    .bind(template)
    .bind(period)
    .fetch_optional(p)
    .await?
    }))
}

/// Closes a template's period: the closing row and revision 1 ("freeze") of each listed
/// report with its canonical snapshot, and the audit entry, in one transaction.
/// `StoreError::Conflict` when the period is already closed.
pub async fn close_period(
    db: &Db,
    template: &str,
    period: &str,
    closed_at: DateTime<Utc>,
    snapshots: &[(i64, String)],
    actor: &Actor,
) -> Result<()> {
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        sqlx::query(
            "insert into report_period_close (template_code, period, closed_at, closed_by) values ($1, $2, $3, $4)",
        )
        .bind(template)
        .bind(period)
        .bind(closed_at)
        .bind(actor.user_id)
        .execute(&mut *tx)
        .await?;
        for (report_id, json) in snapshots {
            sqlx::query(
                "insert into unit_report_revision (report_id, revision, kind, as_of, snapshot_json, note, created_by, created_at) \
                 values ($1, 1, 'freeze', $2, $3, null, $4, $2)",
            )
            .bind(report_id)
            .bind(closed_at)
            .bind(json)
            .bind(actor.user_id)
            .execute(&mut *tx)
            .await?;
        }
        let entry = AuditEntry::new(
            actor,
            "close",
            "report_period",
            format!("{template}/{period}"),
            format!(
                "Khóa sổ kỳ {period} của biểu mẫu {template} ({} báo cáo)",
                snapshots.len()
            ),
        )
        .at(closed_at);
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
    });
    Ok(())
}

/// One frozen revision of a report.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Revision {
    pub id: i64,
    pub report_id: i64,
    pub revision: i64,
    /// "freeze" (taken at closing) or "correction".
    pub kind: String,
    pub as_of: DateTime<Utc>,
    pub snapshot_json: String,
    pub note: Option<String>,
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Revisions of a report, oldest first.
pub async fn revisions(db: &Db, report_id: i64) -> Result<Vec<Revision>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
        "select v.id, v.report_id, v.revision, v.kind, v.as_of, v.snapshot_json, v.note, u.username as created_by, v.created_at \
         from unit_report_revision v left join app_user u on u.id = v.created_by where v.report_id = $1 order by v.revision"
    )
    .bind(report_id)
    .fetch_all(p)
    .await?
    }))
}

/// The frozen revisions (revision 1) of the reports of a template's period.
pub async fn frozen_of_period(db: &Db, template: &str, period: &str) -> Result<Vec<Revision>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
        "select v.id, v.report_id, v.revision, v.kind, v.as_of, v.snapshot_json, v.note, u.username as created_by, v.created_at \
         from unit_report_revision v join unit_report r on r.id = v.report_id left join app_user u on u.id = v.created_by \
         where r.template_code = $1 and r.period = $2 and v.revision = 1 order by v.report_id"
    )
    .bind(template)
    .bind(period)
    .fetch_all(p)
    .await?
    }))
}

/// Records a correction after the freeze: a new revision (the next number) with the live
/// numbers, never an edit of the frozen ones. Refused when the report was never frozen.
pub async fn add_correction(
    db: &Db,
    report_id: i64,
    as_of: DateTime<Utc>,
    snapshot_json: &str,
    note: &str,
    actor: &Actor,
) -> Result<Revision> {
    let id: i64 = on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let (last,): (Option<i64>,) =
            sqlx::query_as("select max(revision) from unit_report_revision where report_id = $1")
                .bind(report_id)
                .fetch_one(&mut *tx)
                .await?;
        let Some(last) = last else {
            return Err(StoreError::Invalid("báo cáo chưa khóa sổ".into()));
        };
        let (id,): (i64,) = sqlx::query_as(
            "insert into unit_report_revision (report_id, revision, kind, as_of, snapshot_json, note, created_by, created_at) \
             values ($1, $2, 'correction', $3, $4, $5, $6, $3) returning id",
        )
        .bind(report_id)
        .bind(last + 1)
        .bind(as_of)
        .bind(snapshot_json)
        .bind(note)
        .bind(actor.user_id)
        .fetch_one(&mut *tx)
        .await?;
        let entry = AuditEntry::new(
            actor,
            "correct",
            "unit_report",
            report_id,
            format!(
                "Ghi nhận điều chỉnh sau khóa sổ (lần {}) của báo cáo #{report_id}",
                last
            ),
        )
        .after(&serde_json::json!({"revision": last + 1, "note": note}));
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
        id
    });
    revisions(db, report_id)
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or(StoreError::NotFound)
}

/// The history of a report in the order it was recorded: its audit entries (created, saved, submitted,
/// accepted, returned with the reason, corrected) and the closing of its template's
/// period. The audit log is append-only, so the timeline is the record itself, not a copy.
pub async fn history(db: &Db, r: &Report) -> Result<Vec<crate::audit::AuditRow>> {
    let period_key = format!("{}/{}", r.template_code, r.period);
    Ok(on_db!(db, |p| {
        sqlx::query_as(
            "select id, at, user_id, username, action, entity, entity_id, summary, before_json, after_json, ip \
             from audit_log where (entity = 'unit_report' and entity_id = $1) \
             or (entity = 'report_period' and entity_id = $2) order by id",
        )
        .bind(r.id.to_string())
        .bind(&period_key)
        .fetch_all(p)
        .await?
    }))
}

/// Every report due in `from..=to`: (agency id, due date, when it was last sent), for the
/// share of reports sent on time.
pub async fn due_between(
    db: &Db,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(i64, NaiveDate, Option<DateTime<Utc>>)>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
        "select agency_id, due_on, submitted_at from unit_report where due_on >= $1 and due_on <= $2"
    )
    .bind(from)
    .bind(to)
    .fetch_all(p)
    .await?
    }))
}
