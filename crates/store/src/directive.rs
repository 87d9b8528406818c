//! Văn bản chỉ đạo — directives and the documents they cite or enclose.

use crate::BeginWrite;
use chrono::{DateTime, NaiveDate, Utc};
use domain::text::fold_vi;
use serde::Serialize;

use crate::audit::{Actor, AuditEntry};
use crate::{Db, Page, Result, StoreError, like_contains, like_prefix, now, on_db};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Directive {
    pub id: i64,
    pub number: String,
    pub doc_type: String,
    pub issuer: String,
    pub place: Option<String>,
    pub issued_on: NaiveDate,
    pub subject: String,
    pub signer_name: Option<String>,
    pub signer_title: Option<String>,
    pub signer_authority: Option<String>,
    pub recipients_json: String,
    pub created_at: DateTime<Utc>,
}

impl Directive {
    pub fn recipients(&self) -> Vec<String> {
        serde_json::from_str(&self.recipients_json).unwrap_or_default()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DirectiveInput {
    pub number: String,
    pub doc_type: String,
    pub issuer: String,
    pub place: Option<String>,
    pub issued_on: NaiveDate,
    pub subject: String,
    pub signer_name: Option<String>,
    pub signer_title: Option<String>,
    pub signer_authority: Option<String>,
    pub recipients: Vec<String>,
    /// (cited number, relation: "cites" | "encloses" | "implements")
    pub citations: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Citation {
    pub cited_number: String,
    pub cited_directive_id: Option<i64>,
    pub relation: String,
}

const COLUMNS: &str = "d.id, d.number, d.doc_type, d.issuer, d.place, d.issued_on, d.subject, d.signer_name, \
     d.signer_title, d.signer_authority, d.recipients_json, d.created_at";

/// Directives visible in a scope: all of them province-wide; for a unit, those that give
/// it a task (as lead or support).
const FILTER: &str = " from directive d where (cast($1 as text) is null or exists (\
     select 1 from task t left join agency la on la.id = t.lead_agency_id where t.directive_id = d.id and (la.path like $1 escape '\\' \
     or exists (select 1 from task_support s join agency sa on sa.id = s.agency_id where s.task_id = t.id and sa.path like $1 escape '\\')))) \
     and (cast($2 as text) is null or d.search_text like $2 escape '\\')";

pub async fn list(
    db: &Db,
    scope_prefix: Option<&str>,
    q: Option<&str>,
    page: Page,
) -> Result<(Vec<Directive>, i64)> {
    let prefix = scope_prefix.map(like_prefix);
    let q = q
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(|q| like_contains(&fold_vi(q)));
    let items_sql =
        format!("select {COLUMNS}{FILTER} order by d.issued_on desc, d.id desc limit $3 offset $4");
    let count_sql = format!("select count(*){FILTER}");
    Ok(on_db!(db, |p| {
        let items = sqlx::query_as(sqlx::AssertSqlSafe(items_sql))
            .bind(&prefix)
            .bind(&q)
            .bind(page.limit)
            .bind(page.offset)
            .fetch_all(p)
            .await?;
        let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(count_sql))
            .bind(&prefix)
            .bind(&q)
            .fetch_one(p)
            .await?;
        (items, n)
    }))
}

pub async fn get(db: &Db, id: i64) -> Result<Directive> {
    let sql = format!("select {COLUMNS} from directive d where d.id = $1");
    let row: Option<Directive> = on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(p)
        .await?);
    row.ok_or(StoreError::NotFound)
}

pub async fn citations(db: &Db, id: i64) -> Result<Vec<Citation>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as("select cited_number, cited_directive_id, relation from directive_citation where directive_id = $1 order by id")
            .bind(id)
            .fetch_all(p)
            .await?
    }))
}

/// Directives that cite or enclose this one (reverse links).
pub async fn cited_by(db: &Db, id: i64) -> Result<Vec<(i64, String, String)>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
            "select d.id, d.number, c.relation from directive_citation c join directive d on d.id = c.directive_id \
             where c.cited_directive_id = $1 order by d.issued_on",
        )
        .bind(id)
        .fetch_all(p)
        .await?
    }))
}

/// Registers a directive with its citations, linking each cited number to a registered
/// directive when one exists (and earlier directives citing this number to it).
pub async fn create(db: &Db, input: &DirectiveInput, actor: &Actor) -> Result<Directive> {
    let t = now();
    let search = fold_vi(&format!(
        "{} {} {} {}",
        input.number, input.doc_type, input.issuer, input.subject
    ));
    let recipients = serde_json::to_string(&input.recipients).unwrap_or_else(|_| "[]".into());
    let id: i64 = on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "insert into directive (number, doc_type, issuer, place, issued_on, subject, signer_name, signer_title, \
             signer_authority, recipients_json, search_text, created_by, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) returning id",
        )
        .bind(&input.number)
        .bind(&input.doc_type)
        .bind(&input.issuer)
        .bind(&input.place)
        .bind(input.issued_on)
        .bind(&input.subject)
        .bind(&input.signer_name)
        .bind(&input.signer_title)
        .bind(&input.signer_authority)
        .bind(&recipients)
        .bind(&search)
        .bind(actor.user_id)
        .bind(t)
        .fetch_one(&mut *tx)
        .await?;
        for (number, relation) in &input.citations {
            let target: Option<(i64,)> = sqlx::query_as("select id from directive where number = $1 and id <> $2 order by issued_on desc limit 1")
                .bind(number)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            sqlx::query("insert into directive_citation (directive_id, cited_number, cited_directive_id, relation) values ($1, $2, $3, $4)")
                .bind(id)
                .bind(number)
                .bind(target.map(|t| t.0))
                .bind(relation)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("update directive_citation set cited_directive_id = $1 where cited_number = $2 and cited_directive_id is null and directive_id <> $1")
            .bind(id)
            .bind(&input.number)
            .execute(&mut *tx)
            .await?;
        let entry = AuditEntry::new(
            actor,
            "create",
            "directive",
            id,
            format!("Đăng ký văn bản {} – {}", input.number, input.subject),
        )
        .after(input);
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
        id
    });
    get(db, id).await
}

pub async fn count(db: &Db) -> Result<i64> {
    let (n,): (i64,) = on_db!(db, |p| sqlx::query_as("select count(*) from directive")
        .fetch_one(p)
        .await?);
    Ok(n)
}
