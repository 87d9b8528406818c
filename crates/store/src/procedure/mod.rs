//! Thủ tục hành chính (TTHC) — the procedure catalog (table `tthc`), each procedure's
//! internal process (`tthc_step`), its publication decisions (`tthc_version`) and its
//! compliance cost sheets (`tthc_cost`).
//!
//! This module holds the catalog row and the catalog reads and search; the rest lives in
//! `write` (adding, editing and importing procedures, replacing a process), `intake` (what
//! the dossier intake needs of a procedure), `publication` (decisions and their deadlines)
//! and `cost` (cost sheets).

mod cost;
mod intake;
mod publication;
mod write;

pub use cost::{COST_PHASES, CostSheet, costs, save_cost};
pub use intake::{IntakeProcedure, IntakeStep, for_intake, for_intake_by_code};
pub use publication::{
    Version, VersionInput, add_version, publication_rules, versions, versions_between,
};
pub use write::{
    ImportItem, ImportOutcome, create, import, import_items, input_from_row, set_steps, update,
};

use chrono::{DateTime, Utc};
use domain::dossier::WorkingLimit;
use domain::text::fold_vi;
use serde::Serialize;

use crate::arg::Arg;
use crate::{Db, Page, Result, StoreError, like_contains, on_db};

/// One catalog row.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Procedure {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub field: String,
    /// `tinh`, `huyen`, `xa`, `lien_thong` (domain::procedure::ProcedureLevel::code).
    pub level: String,
    pub agency_text: String,
    pub agency_id: Option<i64>,
    pub limit_text: String,
    pub limit_unit: Option<String>,
    pub limit_amount: Option<i32>,
    pub online_limit_minutes: Option<i32>,
    pub fee_text: String,
    /// `toan_trinh`, `mot_phan`, `khong` (domain::procedure::OnlineLevel::code).
    pub online_level: String,
    pub internal: bool,
    pub result_type: Option<String>,
    pub source: String,
    pub active: bool,
    pub documents: String,
    pub legal_basis: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Procedure {
    /// The legal limit in working time, when it is one.
    pub fn limit(&self) -> Option<WorkingLimit> {
        limit_of(self.limit_unit.as_deref(), self.limit_amount)
    }
}

/// A stored working limit (`limit_unit`, `limit_amount`).
pub(crate) fn limit_of(unit: Option<&str>, amount: Option<i32>) -> Option<WorkingLimit> {
    let n = u32::try_from(amount?).ok()?;
    match unit? {
        "days" => Some(WorkingLimit::Days(n)),
        "hours" => Some(WorkingLimit::Hours(n)),
        _ => None,
    }
}

/// The editable fields of a procedure, already validated.
#[derive(Debug, Clone, Serialize)]
pub struct ProcedureInput {
    pub code: String,
    pub name: String,
    pub field: String,
    pub level: String,
    pub agency_text: String,
    pub agency_id: Option<i64>,
    pub limit_text: String,
    pub limit: Option<WorkingLimit>,
    pub fee_text: String,
    pub online_level: String,
    pub internal: bool,
    pub result_type: Option<String>,
    pub source: String,
    pub documents: String,
    pub legal_basis: String,
    pub active: bool,
}

impl ProcedureInput {
    fn search_text(&self) -> String {
        fold_vi(&format!(
            "{} {} {} {}",
            self.code, self.name, self.field, self.agency_text
        ))
    }
}

#[derive(Debug, Clone, Default)]
pub struct ProcedureFilter {
    /// Words searched without diacritics; every word must appear.
    pub q: Option<String>,
    pub field: Option<String>,
    pub level: Option<String>,
    pub online_level: Option<String>,
    pub active: Option<bool>,
}

const COLUMNS: &str = "t.id, t.code, t.name, t.field, t.level, t.agency_text, t.agency_id, t.limit_text, \
     t.limit_unit, t.limit_amount, t.online_limit_minutes, t.fee_text, t.online_level, t.internal, t.result_type, \
     t.source, t.active, t.documents, t.legal_basis, t.created_at, t.updated_at";

/// The `where` clause of a filter and its values, placeholders numbered from 1.
fn filter_sql(f: &ProcedureFilter) -> (String, Vec<Arg>) {
    let mut sql = String::from(" from tthc t where 1 = 1");
    let mut binds = Vec::new();
    let mut push = |sql: &mut String, clause: &str, b: Arg| {
        binds.push(b);
        sql.push_str(&clause.replace('?', &format!("${}", binds.len())));
    };
    if let Some(q) = &f.q {
        // Each word, in the folded text or in it with the blanks removed ("khaisinh").
        for word in fold_vi(q).split_whitespace().take(10) {
            push(
                &mut sql,
                " and (t.search_text like ? escape '\\' \
                 or replace(t.search_text, ' ', '') like ? escape '\\')",
                Arg::text(like_contains(word)),
            );
        }
    }
    if let Some(v) = f.field.as_deref().filter(|v| !v.is_empty()) {
        push(&mut sql, " and t.field = ?", Arg::text(v.to_string()));
    }
    if let Some(v) = f.level.as_deref().filter(|v| !v.is_empty()) {
        push(&mut sql, " and t.level = ?", Arg::text(v.to_string()));
    }
    if let Some(v) = f.online_level.as_deref().filter(|v| !v.is_empty()) {
        push(
            &mut sql,
            " and t.online_level = ?",
            Arg::text(v.to_string()),
        );
    }
    if let Some(v) = f.active {
        push(&mut sql, " and t.active = ?", Arg::Bool(v));
    }
    (sql, binds)
}

/// At most this many matches are ranked (a query matching more is too broad to read).
const RANKED: i64 = 5000;

/// Procedures matching the filter: by relevance to the words searched
/// (`domain::search::score`, then the shorter name), else by field then name.
pub async fn list(db: &Db, f: &ProcedureFilter, page: Page) -> Result<(Vec<Procedure>, i64)> {
    if let Some(q) = f.q.as_deref().filter(|q| !q.trim().is_empty()) {
        return ranked(db, f, q, page).await;
    }
    let (filter, binds) = filter_sql(f);
    let n = binds.len();
    let items_sql = format!(
        "select {COLUMNS}{filter} order by t.field, t.name, t.id limit ${} offset ${}",
        n + 1,
        n + 2
    );
    let count_sql = format!("select count(*){filter}");
    Ok(on_db!(db, |p| {
        let q = crate::bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(items_sql)), &binds);
        let items: Vec<Procedure> = q.bind(page.limit).bind(page.offset).fetch_all(p).await?;
        let q = crate::bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(count_sql)), &binds);
        let (total,): (i64,) = q.fetch_one(p).await?;
        (items, total)
    }))
}

async fn ranked(
    db: &Db,
    f: &ProcedureFilter,
    q: &str,
    page: Page,
) -> Result<(Vec<Procedure>, i64)> {
    let (filter, binds) = filter_sql(f);
    let sql = format!(
        "select t.id, t.name, t.code, t.agency_text{filter} order by t.id limit ${}",
        binds.len() + 1
    );
    let mut hits: Vec<(i64, String, String, String)> = on_db!(db, |p| {
        let q = crate::bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), &binds);
        q.bind(RANKED).fetch_all(p).await?
    });
    let total = hits.len() as i64;
    hits.sort_by_cached_key(|(id, name, code, agency)| {
        (
            std::cmp::Reverse(domain::search::score(q, name, code, agency)),
            name.chars().count(),
            fold_vi(name),
            *id,
        )
    });
    let ids: Vec<i64> = hits
        .iter()
        .skip(usize::try_from(page.offset).unwrap_or(0))
        .take(usize::try_from(page.limit).unwrap_or(0))
        .map(|h| h.0)
        .collect();
    if ids.is_empty() {
        return Ok((Vec::new(), total));
    }
    // The page's rows in one read (ids are integers), put back in the ranked order.
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    let sql = format!(
        "select {COLUMNS} from tthc t where t.id in ({})",
        list.join(",")
    );
    let mut rows: Vec<Procedure> = on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(p)
        .await?);
    rows.sort_by_key(|r| ids.iter().position(|i| *i == r.id));
    Ok((rows, total))
}

pub async fn get(db: &Db, id: i64) -> Result<Procedure> {
    let sql = format!("select {COLUMNS} from tthc t where t.id = $1");
    let row: Option<Procedure> = on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(p)
        .await?);
    row.ok_or(StoreError::NotFound)
}

pub async fn get_by_code(db: &Db, code: &str) -> Result<Procedure> {
    let sql = format!("select {COLUMNS} from tthc t where t.code = $1");
    let code = code.trim().to_uppercase();
    let row: Option<Procedure> = on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(&code)
        .fetch_optional(p)
        .await?);
    row.ok_or(StoreError::NotFound)
}

/// The fields (lĩnh vực) in use, sorted, for filters.
pub async fn fields(db: &Db) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = on_db!(db, |p| sqlx::query_as(
        "select distinct field from tthc where field <> '' order by field"
    )
    .fetch_all(p)
    .await?);
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub async fn count(db: &Db) -> Result<i64> {
    let (n,): (i64,) = on_db!(db, |p| sqlx::query_as("select count(*) from tthc")
        .fetch_one(p)
        .await?);
    Ok(n)
}

/// One stored step.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Step {
    pub id: i64,
    pub seq: i32,
    pub name: String,
    pub role: String,
    pub agency_id: Option<i64>,
    pub minutes: i32,
}

pub async fn steps(db: &Db, tthc_id: i64) -> Result<Vec<Step>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
        "select id, seq, name, role, agency_id, minutes from tthc_step where tthc_id = $1 order by seq"
    )
    .bind(tthc_id)
    .fetch_all(p)
    .await?
    }))
}
