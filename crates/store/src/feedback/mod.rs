//! Phản ánh, kiến nghị (PAKN): one row per feedback (sender, agency queue, state, due
//! dates, answer, published redacted text, rating), one row per step (`feedback_event`).
//! Reads here; writes, each with its step and audit row, in `write`.

pub mod write;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::{Db, Page, Result, like_contains, like_prefix, on_db};

pub use write::*;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct FeedbackRow {
    pub id: i64,
    pub code: String,
    pub kind: String,
    pub agency_id: Option<i64>,
    pub agency_code: Option<String>,
    pub agency_name: Option<String>,
    pub procedure_code: Option<String>,
    pub dossier_code: Option<String>,
    pub title: String,
    pub content: String,
    pub sender_name: String,
    pub sender_phone: String,
    pub sender_email: Option<String>,
    pub sender_address: Option<String>,
    pub status: String,
    pub received_at: DateTime<Utc>,
    pub triage_due_on: NaiveDate,
    pub supplement_due_on: NaiveDate,
    pub due_on: NaiveDate,
    pub publish_due_on: Option<NaiveDate>,
    pub handled_at: Option<DateTime<Utc>>,
    pub assigned_to: Option<i64>,
    pub assignee_name: Option<String>,
    pub supplement_request: Option<String>,
    pub supplement_count: i32,
    pub reject_reason: Option<String>,
    pub answer: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    pub public_content: Option<String>,
    pub public_answer: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub parent_id: Option<i64>,
    pub parent_code: Option<String>,
    pub merged_into: Option<i64>,
    pub likes: i32,
    pub dislikes: i32,
    pub track_failures: i32,
    pub track_locked_until: Option<DateTime<Utc>>,
    pub demo: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const COLS: &str = "f.id, f.code, f.kind, f.agency_id, a.code as agency_code, a.name as agency_name, \
    f.procedure_code, f.dossier_code, f.title, f.content, f.sender_name, f.sender_phone, f.sender_email, \
    f.sender_address, f.status, f.received_at, f.triage_due_on, f.supplement_due_on, f.due_on, \
    f.publish_due_on, f.handled_at, f.assigned_to, u.full_name as assignee_name, f.supplement_request, \
    f.supplement_count, f.reject_reason, f.answer, f.approved_at, f.public_content, f.public_answer, \
    f.published_at, f.parent_id, pf.code as parent_code, f.merged_into, f.likes, f.dislikes, \
    f.track_failures, f.track_locked_until, f.demo, f.created_at, f.updated_at";
const FROM: &str = " from feedback f left join agency a on a.id = f.agency_id \
    left join app_user u on u.id = f.assigned_to left join feedback pf on pf.id = f.parent_id";

pub async fn get(db: &Db, id: i64) -> Result<FeedbackRow> {
    let sql = format!("select {COLS}{FROM} where f.id = $1");
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_one(p)
        .await?))
}

pub async fn by_code(db: &Db, code: &str) -> Result<Option<FeedbackRow>> {
    let sql = format!("select {COLS}{FROM} where f.code = $1");
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(code)
        .fetch_optional(p)
        .await?))
}

/// Filters of the staff queue.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Path prefix of the caller's subtree; `None`: every feedback, those without an
    /// agency too.
    pub scope: Option<String>,
    pub agency_code: Option<String>,
    pub status: Option<String>,
    pub kind: Option<String>,
    /// Words of the code, title or content (folded: no diacritics needed).
    pub q: Option<String>,
    /// Only those still open past their due date on this day.
    pub overdue_on: Option<NaiveDate>,
}

fn where_clause(f: &Filter) -> (String, Vec<Option<String>>) {
    let mut binds: Vec<Option<String>> = Vec::new();
    let mut w = String::from(" where 1 = 1");
    if let Some(s) = &f.scope {
        binds.push(Some(like_prefix(s)));
        w.push_str(&format!(" and a.path like ${} escape '\\'", binds.len()));
    }
    if let Some(c) = &f.agency_code {
        binds.push(Some(c.clone()));
        w.push_str(&format!(" and a.code = ${}", binds.len()));
    }
    if let Some(s) = &f.status {
        binds.push(Some(s.clone()));
        w.push_str(&format!(" and f.status = ${}", binds.len()));
    }
    if let Some(k) = &f.kind {
        binds.push(Some(k.clone()));
        w.push_str(&format!(" and f.kind = ${}", binds.len()));
    }
    if let Some(q) = &f.q {
        binds.push(Some(like_contains(&domain::text::fold_vi(q))));
        let n = binds.len();
        w.push_str(&format!(
            " and (lower(f.code) like ${n} escape '\\' or f.search_text like ${n} escape '\\')"
        ));
    }
    if let Some(d) = f.overdue_on {
        binds.push(Some(d.to_string()));
        w.push_str(&format!(
            " and f.status in ('received', 'supplement', 'processing', 'awaiting_approval') and f.due_on < cast(${} as date)",
            binds.len()
        ));
    }
    (w, binds)
}

/// States in which something is still due from the agency.
const OPEN: &str = "('received', 'supplement', 'processing', 'awaiting_approval')";

/// The staff queue: feedback matching `f` — those still open first, earliest due first,
/// then the handled ones, newest first — and how many there are.
pub async fn list(db: &Db, f: &Filter, page: Page) -> Result<(Vec<FeedbackRow>, i64)> {
    let (w, binds) = where_clause(f);
    let sql = format!(
        "select {COLS}{FROM}{w} order by case when f.status in {OPEN} then 0 else 1 end, \
         case when f.status in {OPEN} then f.due_on end, f.received_at desc, f.id desc limit {} offset {}",
        page.limit, page.offset
    );
    let count =
        format!("select count(*) from feedback f left join agency a on a.id = f.agency_id{w}");
    Ok(on_db!(db, |p| {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        let mut c = sqlx::query_scalar(sqlx::AssertSqlSafe(count));
        for b in &binds {
            q = q.bind(b.clone());
            c = c.bind(b.clone());
        }
        let rows: Vec<FeedbackRow> = q.fetch_all(p).await?;
        let n: i64 = c.fetch_one(p).await?;
        (rows, n)
    }))
}

/// A published answer as the public sees it: no sender, redacted texts.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PublishedRow {
    pub code: String,
    pub kind: String,
    pub agency_name: Option<String>,
    pub title: String,
    pub public_content: Option<String>,
    pub public_answer: Option<String>,
    pub received_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub likes: i32,
    pub dislikes: i32,
    /// Demonstration data.
    pub demo: bool,
}

/// Published answers, newest first, with every word of `q` (folded: no diacritics needed;
/// at most eight words) somewhere in the code, title or published texts.
pub async fn published(db: &Db, q: Option<&str>, page: Page) -> Result<(Vec<PublishedRow>, i64)> {
    let words: Vec<String> = q
        .map(domain::text::fold_vi)
        .unwrap_or_default()
        .split_whitespace()
        .take(8)
        .map(like_contains)
        .collect();
    let mut w = String::from(
        " from feedback f left join agency a on a.id = f.agency_id where f.status = 'published'",
    );
    for i in 1..=words.len() {
        w.push_str(&format!(" and f.public_search like ${i} escape '\\'"));
    }
    let sql = format!(
        "select f.code, f.kind, a.name as agency_name, coalesce(f.public_title, '') as title, f.public_content, f.public_answer, \
         f.received_at, f.published_at, f.likes, f.dislikes, f.demo{w} order by f.published_at desc, f.id desc limit {} offset {}",
        page.limit, page.offset
    );
    let count = format!("select count(*){w}");
    Ok(on_db!(db, |p| {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        let mut c = sqlx::query_scalar(sqlx::AssertSqlSafe(count));
        for x in &words {
            q = q.bind(x.clone());
            c = c.bind(x.clone());
        }
        let rows: Vec<PublishedRow> = q.fetch_all(p).await?;
        let n: i64 = c.fetch_one(p).await?;
        (rows, n)
    }))
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct EventRow {
    pub id: i64,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub agency_name: Option<String>,
    pub note: Option<String>,
    pub actor_name: Option<String>,
    pub at: DateTime<Utc>,
}

pub async fn events(db: &Db, feedback_id: i64) -> Result<Vec<EventRow>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
        "select e.id, e.action, e.from_status, e.to_status, a.name as agency_name, e.note, \
         u.full_name as actor_name, e.at from feedback_event e left join agency a on a.id = e.agency_id \
         left join app_user u on u.id = e.actor_id where e.feedback_id = $1 order by e.id"
    )
    .bind(feedback_id)
    .fetch_all(p)
    .await?
    }))
}

/// Feedback sent from one phone number since `since` (the per-phone limit).
pub async fn count_by_phone_since(db: &Db, phone: &str, since: DateTime<Utc>) -> Result<i64> {
    Ok(on_db!(db, |p| sqlx::query_scalar(
        "select count(*) from feedback where sender_phone = $1 and created_at >= $2"
    )
    .bind(phone)
    .bind(since)
    .fetch_one(p)
    .await?))
}

/// One feedback as the 766 group 5 counts and the statistics need it: its agency, its
/// kind and state, its dates, its rating.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FactRow {
    pub agency_code: String,
    pub agency_name: String,
    pub agency_path: String,
    pub kind: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub due_on: NaiveDate,
    pub handled_at: Option<DateTime<Utc>>,
    pub likes: i32,
    pub dislikes: i32,
    pub recomplained: bool,
}

/// The feedback of the agencies in the subtree at `scope` (`None`: all) first received
/// within `[from, to)`, merged duplicates left out, in agency order.
pub async fn fact_rows(
    db: &Db,
    scope: Option<&str>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<FactRow>> {
    let scope = scope.map(like_prefix);
    Ok(on_db!(db, |p| {
        sqlx::query_as(
        "select a.code as agency_code, a.name as agency_name, a.path as agency_path, f.kind, f.status, \
         f.created_at, f.due_on, f.handled_at, f.likes, f.dislikes, \
         exists (select 1 from feedback c where c.parent_id = f.id) as recomplained \
         from feedback f join agency a on a.id = f.agency_id \
         where f.created_at >= $1 and f.created_at < $2 and f.status <> 'merged' \
         and (cast($3 as text) is null or a.path like $3 escape '\\') order by a.path, f.id"
    )
    .bind(from)
    .bind(to)
    .bind(&scope)
    .fetch_all(p)
    .await?
    }))
}

/// A feedback that may be on the overdue list, with what the list shows about it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OverdueFeedback {
    pub id: i64,
    pub code: String,
    pub kind: String,
    pub title: String,
    pub status: String,
    pub agency_id: i64,
    pub due_on: NaiveDate,
    pub handled_at: Option<DateTime<Utc>>,
    pub assignee_name: Option<String>,
}

/// The feedback of the subtree at `scope` (`None`: all) that may be overdue in the period
/// `[start, cut)`: received before `cut`, due before `cut_day`, not handled before `start`
/// (merged duplicates left out). `domain::overdue::feedback_overdue` decides.
pub async fn overdue_candidates(
    db: &Db,
    scope: Option<&str>,
    start: DateTime<Utc>,
    cut: DateTime<Utc>,
    cut_day: NaiveDate,
) -> Result<Vec<OverdueFeedback>> {
    let scope = scope.map(like_prefix);
    Ok(on_db!(db, |p| {
        sqlx::query_as(
            "select f.id, f.code, f.kind, f.title, f.status, f.agency_id, f.due_on, f.handled_at, \
             u.full_name as assignee_name \
             from feedback f join agency a on a.id = f.agency_id \
             left join app_user u on u.id = f.assigned_to \
             where f.due_on < $1 and f.created_at < $2 and f.status <> 'merged' \
             and (f.handled_at is null or f.handled_at >= $3) \
             and (cast($4 as text) is null or a.path like $4 escape '\\')",
        )
        .bind(cut_day)
        .bind(cut)
        .bind(start)
        .bind(&scope)
        .fetch_all(p)
        .await?
    }))
}
