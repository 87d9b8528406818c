//! Thông báo — a user's in-app notifications: task reminders and escalations, read or
//! not, e-mailed or not. A rule fires once per user and task (unique index), so the job
//! that creates them may run on every node at once.
//!
//! Notifications are messages, not facts of a case, so they carry no audit rows.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::{Db, Page, Result, StoreError, now, on_db};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Notification {
    pub id: i64,
    pub user_id: i64,
    pub task_id: Option<i64>,
    /// before_due, due_today, overdue, escalation_head, escalation_office
    pub kind: String,
    /// The schedule rule that fired: "D-3", "D0", "D+7".
    pub rule: String,
    pub title: String,
    pub body: String,
    pub link: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
    pub emailed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct NewNotification {
    pub user_id: i64,
    pub task_id: Option<i64>,
    /// The phản ánh, kiến nghị it concerns (reminders of feedback), instead of a task.
    pub feedback_id: Option<i64>,
    /// The one-stop dossier it concerns (dossier reminders, migration 0022).
    pub dossier_id: Option<i64>,
    pub kind: String,
    pub rule: String,
    pub title: String,
    pub body: String,
    pub link: String,
}

const COLUMNS: &str =
    "id, user_id, task_id, kind, rule, title, body, link, created_at, read_at, emailed_at";

/// Inserts unless the same rule already fired for this user and task (or feedback); true
/// when new.
pub async fn insert_if_absent(db: &Db, n: &NewNotification) -> Result<bool> {
    let t = now();
    let rows = on_db!(db, |p| {
        sqlx::query(
            "insert into notification (user_id, task_id, feedback_id, dossier_id, kind, rule, title, body, link, created_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) on conflict do nothing",
        )
        .bind(n.user_id)
        .bind(n.task_id)
        .bind(n.feedback_id)
        .bind(n.dossier_id)
        .bind(&n.kind)
        .bind(&n.rule)
        .bind(&n.title)
        .bind(&n.body)
        .bind(&n.link)
        .bind(t)
        .execute(p)
        .await?
        .rows_affected()
    });
    Ok(rows > 0)
}

/// A user's notifications, unread first, newest first; with the total.
pub async fn list_for_user(db: &Db, user_id: i64, page: Page) -> Result<(Vec<Notification>, i64)> {
    let sql = format!(
        "select {COLUMNS} from notification where user_id = $1 \
         order by case when read_at is null then 0 else 1 end, created_at desc, id desc \
         limit $2 offset $3"
    );
    Ok(on_db!(db, |p| {
        let items = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(user_id)
            .bind(page.limit)
            .bind(page.offset)
            .fetch_all(p)
            .await?;
        let (n,): (i64,) = sqlx::query_as("select count(*) from notification where user_id = $1")
            .bind(user_id)
            .fetch_one(p)
            .await?;
        (items, n)
    }))
}

pub async fn count_unread(db: &Db, user_id: i64) -> Result<i64> {
    let (n,): (i64,) = on_db!(db, |p| {
        sqlx::query_as("select count(*) from notification where user_id = $1 and read_at is null")
            .bind(user_id)
            .fetch_one(p)
            .await?
    });
    Ok(n)
}

/// Marks one notification read; `NotFound` unless it belongs to `user_id`.
pub async fn mark_read(db: &Db, id: i64, user_id: i64) -> Result<()> {
    let rows = on_db!(db, |p| {
        sqlx::query(
            "update notification set read_at = coalesce(read_at, $1) where id = $2 and user_id = $3",
        )
        .bind(now())
        .bind(id)
        .bind(user_id)
        .execute(p)
        .await?
        .rows_affected()
    });
    if rows == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Marks all of a user's notifications read; returns how many were unread.
pub async fn mark_all_read(db: &Db, user_id: i64) -> Result<u64> {
    Ok(on_db!(db, |p| {
        sqlx::query("update notification set read_at = $1 where user_id = $2 and read_at is null")
            .bind(now())
            .bind(user_id)
            .execute(p)
            .await?
            .rows_affected()
    }))
}

/// A notification waiting to be e-mailed, with its recipient's address.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PendingEmail {
    pub id: i64,
    pub email: String,
    pub full_name: String,
    pub title: String,
    pub body: String,
    pub link: String,
}

/// Notifications created since `since`, not yet e-mailed, of active users with an
/// e-mail address (older ones are not sent: configuring SMTP later sends no backlog).
pub async fn pending_email(db: &Db, since: DateTime<Utc>, limit: i64) -> Result<Vec<PendingEmail>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
            "select n.id, u.email, u.full_name, n.title, n.body, n.link \
             from notification n join app_user u on u.id = n.user_id \
             where n.emailed_at is null and n.created_at >= $1 and u.active = true \
             and u.email is not null and u.email <> '' \
             order by n.id limit $2",
        )
        .bind(since)
        .bind(limit)
        .fetch_all(p)
        .await?
    }))
}

pub async fn mark_emailed(db: &Db, id: i64) -> Result<()> {
    on_db!(db, |p| {
        sqlx::query("update notification set emailed_at = $1 where id = $2")
            .bind(now())
            .bind(id)
            .execute(p)
            .await?
            .rows_affected()
    });
    Ok(())
}

/// An unfinished task a reminder may be due for.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReminderTask {
    pub id: i64,
    pub directive_number: String,
    pub item_ref: Option<String>,
    pub content: String,
    pub lead_agency_id: i64,
    pub lead_name: String,
    pub deadline: NaiveDate,
    pub submitted_on: Option<NaiveDate>,
    pub verified: bool,
}

/// Tasks not yet submitted, whose deadline in force lies in [from, to] and whose lead is
/// an active registered agency.
pub async fn reminder_tasks(db: &Db, from: NaiveDate, to: NaiveDate) -> Result<Vec<ReminderTask>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
            "select t.id, d.number as directive_number, t.item_ref, t.content, t.lead_agency_id, \
             a.name as lead_name, t.deadline, t.submitted_on, t.verified \
             from task t join directive d on d.id = t.directive_id join agency a on a.id = t.lead_agency_id \
             where t.submitted_on is null and t.deadline >= $1 and t.deadline <= $2 and a.active = true \
             order by t.id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(p)
        .await?
    }))
}

/// An active user who receives a reminder.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Recipient {
    pub id: i64,
    pub username: String,
}

/// Active users holding one of `roles`, in `agency_id` itself when given (not its
/// subtree: a district's reminders do not go to its communes), else anywhere.
pub async fn recipients(db: &Db, agency_id: Option<i64>, roles: &[&str]) -> Result<Vec<Recipient>> {
    if roles.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (0..roles.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!(
        "select u.id, u.username from app_user u where u.active = true \
         and (cast($1 as bigint) is null or u.agency_id = $1) \
         and exists (select 1 from user_role r where r.user_id = u.id and r.role in ({})) \
         order by u.id",
        marks.join(", ")
    );
    Ok(on_db!(db, |p| {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(agency_id);
        for r in roles {
            q = q.bind(*r);
        }
        q.fetch_all(p).await?
    }))
}

/// A feedback (phản ánh, kiến nghị) a reminder may be due for.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReminderFeedback {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub status: String,
    pub agency_id: i64,
    pub agency_name: String,
    pub assigned_to: Option<i64>,
    pub due_on: NaiveDate,
}

/// Feedback awaiting the agency (received, being processed or awaiting the head's
/// approval: not handled, not waiting for the sender), whose answer is due in [from, to],
/// held by an active agency.
pub async fn reminder_feedback(
    db: &Db,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ReminderFeedback>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
            "select f.id, f.code, f.title, f.status, f.agency_id, a.name as agency_name, \
             f.assigned_to, f.due_on \
             from feedback f join agency a on a.id = f.agency_id \
             where f.status in ('received', 'processing', 'awaiting_approval') \
             and f.due_on >= $1 and f.due_on <= $2 and a.active = true order by f.id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(p)
        .await?
    }))
}

/// `user_id` as a recipient, if the account is active.
pub async fn active_user(db: &Db, user_id: i64) -> Result<Option<Recipient>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as("select id, username from app_user where id = $1 and active = true")
            .bind(user_id)
            .fetch_optional(p)
            .await?
    }))
}
