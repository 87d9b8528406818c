//! Nhật ký thay đổi — the append-only audit log: who, when, what, before and after.
//! Every change is written in the same transaction as the change itself; the table
//! refuses UPDATE and DELETE by trigger on both databases.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{Db, Page, Result, now, on_db};

/// Who is acting: a signed-in user, or the system itself (seeding, jobs, CLI).
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub ip: Option<String>,
}

impl Actor {
    pub fn system(name: &str) -> Actor {
        Actor {
            user_id: None,
            username: Some(name.to_string()),
            ip: None,
        }
    }
}

/// One row to append.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub summary: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub ip: Option<String>,
}

impl AuditEntry {
    pub fn new(
        actor: &Actor,
        action: &str,
        entity: &str,
        entity_id: impl ToString,
        summary: String,
    ) -> Self {
        AuditEntry {
            at: now(),
            user_id: actor.user_id,
            username: actor.username.clone(),
            action: action.to_string(),
            entity: entity.to_string(),
            entity_id: Some(entity_id.to_string()),
            summary,
            before_json: None,
            after_json: None,
            ip: actor.ip.clone(),
        }
    }

    pub fn before<T: Serialize>(mut self, v: &T) -> Self {
        self.before_json = serde_json::to_string(v).ok();
        self
    }

    pub fn after<T: Serialize>(mut self, v: &T) -> Self {
        self.after_json = serde_json::to_string(v).ok();
        self
    }

    /// The instant of the event when it is not now (the demo's back-dated history).
    pub fn at(mut self, t: DateTime<Utc>) -> Self {
        self.at = t;
        self
    }
}

/// Appends an [`AuditEntry`] through any executor (usually the open transaction).
#[macro_export]
macro_rules! insert_audit {
    ($ex:expr, $e:expr) => {{
        let e: $crate::audit::AuditEntry = $e;
        sqlx::query(
            "insert into audit_log (at, user_id, username, action, entity, entity_id, summary, before_json, after_json, ip) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(e.at)
        .bind(e.user_id)
        .bind(&e.username)
        .bind(&e.action)
        .bind(&e.entity)
        .bind(&e.entity_id)
        .bind(&e.summary)
        .bind(&e.before_json)
        .bind(&e.after_json)
        .bind(&e.ip)
        .execute($ex)
        .await?;
    }};
}

/// Appends an entry on its own (for events with no other write, such as a login).
pub async fn append(db: &Db, entry: AuditEntry) -> Result<()> {
    on_db!(db, |p| {
        crate::insert_audit!(p, entry);
    });
    Ok(())
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub summary: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub ip: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub username: Option<String>,
}

const FILTER: &str = " from audit_log where (cast($1 as text) is null or entity = $1) \
     and (cast($2 as text) is null or entity_id = $2) and (cast($3 as text) is null or username = $3)";

/// Newest first.
pub async fn list(db: &Db, f: &AuditFilter, page: Page) -> Result<(Vec<AuditRow>, i64)> {
    let items_sql = format!(
        "select id, at, user_id, username, action, entity, entity_id, summary, before_json, after_json, ip{FILTER} \
         order by id desc limit $4 offset $5"
    );
    let count_sql = format!("select count(*){FILTER}");
    Ok(on_db!(db, |p| {
        let items = sqlx::query_as(sqlx::AssertSqlSafe(items_sql))
            .bind(&f.entity)
            .bind(&f.entity_id)
            .bind(&f.username)
            .bind(page.limit)
            .bind(page.offset)
            .fetch_all(p)
            .await?;
        let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(count_sql))
            .bind(&f.entity)
            .bind(&f.entity_id)
            .bind(&f.username)
            .fetch_one(p)
            .await?;
        (items, n)
    }))
}
