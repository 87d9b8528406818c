//! The writes of PAKN, each in one transaction with its step (`feedback_event`) and audit
//! row. A step first moves the state under the state it expects (`where status = …`): a
//! feedback moved meanwhile is `StoreError::Stale`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::audit::{Actor, AuditEntry};
use crate::file::{NewFile, Owner};
use crate::{BeginWrite, Db, Result, StoreError, on_db};

/// A feedback as received (its code and due dates already set by the caller).
#[derive(Debug, Clone, Serialize)]
pub struct NewFeedback {
    pub code: String,
    pub kind: String,
    pub agency_id: Option<i64>,
    pub procedure_code: Option<String>,
    pub dossier_code: Option<String>,
    pub title: String,
    pub content: String,
    #[serde(skip)]
    pub search_text: String,
    pub sender_name: String,
    pub sender_phone: String,
    pub sender_email: Option<String>,
    pub sender_address: Option<String>,
    pub received_at: DateTime<Utc>,
    pub triage_due_on: NaiveDate,
    pub supplement_due_on: NaiveDate,
    pub due_on: NaiveDate,
    /// The earlier feedback this one complains again about (phản ánh lại).
    pub parent_id: Option<i64>,
    pub demo: bool,
}

/// Stores a received feedback with its attachments and its first step. Returns its id.
/// `Conflict("feedback_code_idx")` when the code is taken (the caller draws another).
pub async fn insert(db: &Db, f: &NewFeedback, files: &[NewFile], actor: &Actor) -> Result<i64> {
    Ok(on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "insert into feedback (code, kind, agency_id, procedure_code, dossier_code, title, content, search_text, \
             sender_name, sender_phone, sender_email, sender_address, status, received_at, triage_due_on, \
             supplement_due_on, due_on, parent_id, demo, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'received', $13, $14, $15, $16, $17, $18, $13, $13) \
             returning id",
        )
        .bind(&f.code)
        .bind(&f.kind)
        .bind(f.agency_id)
        .bind(&f.procedure_code)
        .bind(&f.dossier_code)
        .bind(&f.title)
        .bind(&f.content)
        .bind(&f.search_text)
        .bind(&f.sender_name)
        .bind(&f.sender_phone)
        .bind(&f.sender_email)
        .bind(&f.sender_address)
        .bind(f.received_at)
        .bind(f.triage_due_on)
        .bind(f.supplement_due_on)
        .bind(f.due_on)
        .bind(f.parent_id)
        .bind(f.demo)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "insert into feedback_event (feedback_id, action, from_status, to_status, agency_id, note, actor_id, at) \
             values ($1, 'receive', null, 'received', $2, null, $3, $4)",
        )
        .bind(id)
        .bind(f.agency_id)
        .bind(actor.user_id)
        .bind(f.received_at)
        .execute(&mut *tx)
        .await?;
        crate::insert_files!(
            &mut *tx,
            Owner::Feedback(id),
            files,
            actor.user_id,
            f.received_at
        );
        // The audit row names the feedback, never the sender.
        let entry = AuditEntry::new(
            actor,
            "create",
            "feedback",
            id,
            format!("Tiếp nhận phản ánh, kiến nghị {} ({})", f.code, f.kind),
        );
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
        id
    }))
}

/// A value a step sets.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Val {
    Int(Option<i64>),
    Text(Option<String>),
    Date(Option<NaiveDate>),
    Time(Option<DateTime<Utc>>),
}

/// The columns a step may set (a fixed list: names never come from input).
pub const SETTABLE: &[&str] = &[
    "agency_id",
    "assigned_to",
    "received_at",
    "triage_due_on",
    "supplement_due_on",
    "due_on",
    "publish_due_on",
    "handled_at",
    "supplement_request",
    "reject_reason",
    "answer",
    "answered_by",
    "approved_by",
    "approved_at",
    "public_title",
    "public_content",
    "public_answer",
    "public_search",
    "published_at",
    "merged_into",
    "content",
    "search_text",
];

/// One step of the handling.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub action: String,
    pub from_status: String,
    pub to_status: String,
    /// The agency the feedback is with after the step (for the step's row).
    pub agency_id: Option<i64>,
    pub note: Option<String>,
    pub set: Vec<(&'static str, Val)>,
    /// Counts a request to supplement.
    pub count_supplement: bool,
    pub at: DateTime<Utc>,
}

/// Applies a step: the state moves only from `from_status`; the columns of `set` are
/// written; the step and an audit row (before and after) are recorded.
pub async fn step(db: &Db, id: i64, s: &Step, actor: &Actor) -> Result<()> {
    for (col, _) in &s.set {
        if !SETTABLE.contains(col) {
            return Err(StoreError::Invalid(format!("cột không được phép: {col}")));
        }
    }
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let moved = sqlx::query(
            "update feedback set status = $1, updated_at = $2, supplement_count = supplement_count + $3 \
             where id = $4 and status = $5",
        )
        .bind(&s.to_status)
        .bind(s.at)
        .bind(i32::from(s.count_supplement))
        .bind(id)
        .bind(&s.from_status)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if moved == 0 {
            return Err(StoreError::Stale("feedback".into()));
        }
        for (col, v) in &s.set {
            let sql = format!("update feedback set {col} = $1 where id = $2");
            let q = sqlx::query(sqlx::AssertSqlSafe(sql));
            let q = match v {
                Val::Int(x) => q.bind(*x),
                Val::Text(x) => q.bind(x.clone()),
                Val::Date(x) => q.bind(*x),
                Val::Time(x) => q.bind(*x),
            };
            q.bind(id).execute(&mut *tx).await?;
        }
        sqlx::query(
            "insert into feedback_event (feedback_id, action, from_status, to_status, agency_id, note, actor_id, at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(&s.action)
        .bind(&s.from_status)
        .bind(&s.to_status)
        .bind(s.agency_id)
        .bind(&s.note)
        .bind(actor.user_id)
        .bind(s.at)
        .execute(&mut *tx)
        .await?;
        let summary = format!(
            "Phản ánh, kiến nghị: {} ({} → {})",
            s.action, s.from_status, s.to_status
        );
        let entry = AuditEntry::new(actor, &s.action, "feedback", id, summary)
            .before(&serde_json::json!({"status": s.from_status}))
            .after(s);
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
    });
    Ok(())
}

/// The sender's rating of a published answer: once (`Stale` when already rated).
pub async fn rate(db: &Db, id: i64, satisfied: bool, at: DateTime<Utc>) -> Result<()> {
    let (l, d) = if satisfied { (1, 0) } else { (0, 1) };
    let n = on_db!(db, |p| sqlx::query(
        "update feedback set likes = likes + $1, dislikes = dislikes + $2, rated_at = $3 \
         where id = $4 and status = 'published' and rated_at is null"
    )
    .bind(l)
    .bind(d)
    .bind(at)
    .bind(id)
    .execute(p)
    .await?
    .rows_affected());
    if n == 0 {
        return Err(StoreError::Stale("feedback".into()));
    }
    Ok(())
}

/// A wrong "last four digits" for this feedback: counted; after `lock_after` failures the
/// code is locked until `lock_until` and the count starts again.
pub async fn track_miss(
    db: &Db,
    id: i64,
    lock_after: i32,
    lock_until: DateTime<Utc>,
) -> Result<()> {
    on_db!(db, |p| {
        sqlx::query(
            "update feedback set track_failures = case when track_failures + 1 >= $1 then 0 else track_failures + 1 end, \
             track_locked_until = case when track_failures + 1 >= $1 then $2 else track_locked_until end where id = $3",
        )
        .bind(lock_after)
        .bind(lock_until)
        .bind(id)
        .execute(p)
        .await?;
    });
    Ok(())
}

/// A right guess: the failures are forgotten.
pub async fn track_ok(db: &Db, id: i64) -> Result<()> {
    on_db!(db, |p| {
        sqlx::query("update feedback set track_failures = 0 where id = $1 and track_failures > 0")
            .bind(id)
            .execute(p)
            .await?;
    });
    Ok(())
}
