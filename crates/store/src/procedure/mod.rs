//! Thủ tục hành chính (TTHC) — the procedure catalog (table `tthc`), each procedure's
//! internal process (`tthc_step`), its publication decisions (`tthc_version`) and its
//! compliance cost sheets (`tthc_cost`).

use crate::BeginWrite;
use chrono::{DateTime, NaiveDate, Utc};
use domain::dossier::WorkingLimit;
use domain::procedure::process::StepDraft;
use domain::procedure::publication::{DecisionKind, PublicationRule, Publisher};
use domain::procedure::{CostItem, ProcedureCost};
use domain::text::fold_vi;
use serde::Serialize;

use crate::audit::{Actor, AuditEntry};
use crate::{Db, Page, Result, StoreError, like_contains, now, on_db};

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

fn limit_of(unit: Option<&str>, amount: Option<i32>) -> Option<WorkingLimit> {
    let n = u32::try_from(amount?).ok()?;
    match unit? {
        "days" => Some(WorkingLimit::Days(n)),
        "hours" => Some(WorkingLimit::Hours(n)),
        _ => None,
    }
}

fn limit_columns(l: Option<WorkingLimit>) -> (Option<&'static str>, Option<i32>) {
    match l {
        Some(WorkingLimit::Days(n)) => (Some("days"), i32::try_from(n).ok()),
        Some(WorkingLimit::Hours(n)) => (Some("hours"), i32::try_from(n).ok()),
        None => (None, None),
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

enum Bind {
    Text(String),
    Bool(bool),
}

/// The `where` clause of a filter and its values, placeholders numbered from 1.
fn filter_sql(f: &ProcedureFilter) -> (String, Vec<Bind>) {
    let mut sql = String::from(" from tthc t where 1 = 1");
    let mut binds = Vec::new();
    let mut push = |sql: &mut String, clause: &str, b: Bind| {
        binds.push(b);
        sql.push_str(&clause.replace('?', &format!("${}", binds.len())));
    };
    if let Some(q) = &f.q {
        for word in fold_vi(q).split_whitespace().take(10) {
            push(
                &mut sql,
                " and t.search_text like ? escape '\\'",
                Bind::Text(like_contains(word)),
            );
        }
    }
    if let Some(v) = f.field.as_deref().filter(|v| !v.is_empty()) {
        push(&mut sql, " and t.field = ?", Bind::Text(v.to_string()));
    }
    if let Some(v) = f.level.as_deref().filter(|v| !v.is_empty()) {
        push(&mut sql, " and t.level = ?", Bind::Text(v.to_string()));
    }
    if let Some(v) = f.online_level.as_deref().filter(|v| !v.is_empty()) {
        push(
            &mut sql,
            " and t.online_level = ?",
            Bind::Text(v.to_string()),
        );
    }
    if let Some(v) = f.active {
        push(&mut sql, " and t.active = ?", Bind::Bool(v));
    }
    (sql, binds)
}

macro_rules! bind_all {
    ($q:expr, $binds:expr) => {{
        let mut q = $q;
        for b in $binds {
            q = match b {
                Bind::Text(s) => q.bind(s.clone()),
                Bind::Bool(v) => q.bind(*v),
            };
        }
        q
    }};
}

/// Procedures matching the filter, by field then name.
pub async fn list(db: &Db, f: &ProcedureFilter, page: Page) -> Result<(Vec<Procedure>, i64)> {
    let (filter, binds) = filter_sql(f);
    let n = binds.len();
    let items_sql = format!(
        "select {COLUMNS}{filter} order by t.field, t.name, t.id limit ${} offset ${}",
        n + 1,
        n + 2
    );
    let count_sql = format!("select count(*){filter}");
    Ok(on_db!(db, |p| {
        let q = bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(items_sql)), &binds);
        let items: Vec<Procedure> = q.bind(page.limit).bind(page.offset).fetch_all(p).await?;
        let q = bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(count_sql)), &binds);
        let (total,): (i64,) = q.fetch_one(p).await?;
        (items, total)
    }))
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

/// Inserts or updates by code inside an open transaction; returns (id, created).
macro_rules! upsert_in_tx {
    ($tx:expr, $input:expr, $t:expr) => {{
        let input: &ProcedureInput = $input;
        let (unit, amount) = limit_columns(input.limit);
        let search = input.search_text();
        let existing: Option<(i64,)> = sqlx::query_as("select id from tthc where code = $1")
            .bind(&input.code)
            .fetch_optional(&mut *$tx)
            .await?;
        match existing {
            Some((id,)) => {
                sqlx::query(
                    "update tthc set name = $1, field = $2, level = $3, agency_text = $4, agency_id = $5, \
                     limit_text = $6, limit_unit = $7, limit_amount = $8, fee_text = $9, online_level = $10, \
                     internal = $11, result_type = $12, source = $13, active = $14, search_text = $15, \
                     documents = $16, legal_basis = $17, updated_at = $18 where id = $19",
                )
                .bind(&input.name)
                .bind(&input.field)
                .bind(&input.level)
                .bind(&input.agency_text)
                .bind(input.agency_id)
                .bind(&input.limit_text)
                .bind(unit)
                .bind(amount)
                .bind(&input.fee_text)
                .bind(&input.online_level)
                .bind(input.internal)
                .bind(&input.result_type)
                .bind(&input.source)
                .bind(input.active)
                .bind(&search)
                .bind(&input.documents)
                .bind(&input.legal_basis)
                .bind($t)
                .bind(id)
                .execute(&mut *$tx)
                .await?;
                (id, false)
            }
            None => {
                let (id,): (i64,) = sqlx::query_as(
                    "insert into tthc (code, name, field, level, agency_text, agency_id, limit_text, limit_unit, \
                     limit_amount, fee_text, online_level, internal, result_type, source, active, search_text, \
                     documents, legal_basis, created_at, updated_at) \
                     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19) \
                     returning id",
                )
                .bind(&input.code)
                .bind(&input.name)
                .bind(&input.field)
                .bind(&input.level)
                .bind(&input.agency_text)
                .bind(input.agency_id)
                .bind(&input.limit_text)
                .bind(unit)
                .bind(amount)
                .bind(&input.fee_text)
                .bind(&input.online_level)
                .bind(input.internal)
                .bind(&input.result_type)
                .bind(&input.source)
                .bind(input.active)
                .bind(&search)
                .bind(&input.documents)
                .bind(&input.legal_basis)
                .bind($t)
                .fetch_one(&mut *$tx)
                .await?;
                (id, true)
            }
        }
    }};
}

macro_rules! insert_step {
    ($tx:expr, $id:expr, $i:expr, $s:expr) => {{
        let s: &StepDraft = $s;
        sqlx::query(
            "insert into tthc_step (tthc_id, seq, name, role, agency_id, minutes) values ($1, $2, $3, $4, $5, $6)",
        )
        .bind($id)
        .bind(i32::try_from($i + 1).unwrap_or(i32::MAX))
        .bind(s.name.trim())
        .bind(&s.role)
        .bind(s.agency_id)
        .bind(i32::try_from(s.minutes).unwrap_or(i32::MAX))
        .execute(&mut *$tx)
        .await?;
    }};
}

/// Adds a procedure. A code already in the catalog is a conflict.
pub async fn create(db: &Db, input: &ProcedureInput, actor: &Actor) -> Result<Procedure> {
    if get_by_code(db, &input.code).await.is_ok() {
        return Err(StoreError::Conflict("tthc_code_idx".into()));
    }
    let t = now();
    let id = on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let (id, _) = upsert_in_tx!(tx, input, t);
        let entry = AuditEntry::new(
            actor,
            "create",
            "procedure",
            id,
            format!("Thêm thủ tục {} – {}", input.code, input.name),
        )
        .after(input);
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
        id
    });
    get(db, id).await
}

/// Replaces the fields of a procedure (its code may change if the new one is free).
pub async fn update(db: &Db, id: i64, input: &ProcedureInput, actor: &Actor) -> Result<Procedure> {
    let before = get(db, id).await?;
    if input.code != before.code && get_by_code(db, &input.code).await.is_ok() {
        return Err(StoreError::Conflict("tthc_code_idx".into()));
    }
    let t = now();
    let (unit, amount) = limit_columns(input.limit);
    let search = input.search_text();
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        sqlx::query(
            "update tthc set code = $1, name = $2, field = $3, level = $4, agency_text = $5, agency_id = $6, \
             limit_text = $7, limit_unit = $8, limit_amount = $9, fee_text = $10, online_level = $11, \
             internal = $12, result_type = $13, source = $14, active = $15, search_text = $16, \
             documents = $17, legal_basis = $18, updated_at = $19 where id = $20",
        )
        .bind(&input.code)
        .bind(&input.name)
        .bind(&input.field)
        .bind(&input.level)
        .bind(&input.agency_text)
        .bind(input.agency_id)
        .bind(&input.limit_text)
        .bind(unit)
        .bind(amount)
        .bind(&input.fee_text)
        .bind(&input.online_level)
        .bind(input.internal)
        .bind(&input.result_type)
        .bind(&input.source)
        .bind(input.active)
        .bind(&search)
        .bind(&input.documents)
        .bind(&input.legal_basis)
        .bind(t)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let entry = AuditEntry::new(
            actor,
            "update",
            "procedure",
            id,
            format!("Sửa thủ tục {} – {}", input.code, input.name),
        )
        .before(&before)
        .after(input);
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
    });
    get(db, id).await
}

/// One row of an import, with the internal process to give it when it has none yet.
#[derive(Debug, Clone)]
pub struct ImportItem {
    pub input: ProcedureInput,
    pub default_steps: Vec<StepDraft>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportOutcome {
    pub created: usize,
    pub updated: usize,
    pub processes: usize,
}

/// Imports catalog rows in one transaction: a code already in the catalog is updated, a new
/// one inserted; procedures without steps get their default process. One audit entry
/// names every code. Nothing is written if any row fails.
pub async fn import(
    db: &Db,
    items: &[ImportItem],
    source_name: &str,
    actor: &Actor,
) -> Result<ImportOutcome> {
    let t = now();
    let mut out = ImportOutcome::default();
    let mut created_codes = Vec::new();
    let mut updated_codes = Vec::new();
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        for item in items {
            let (id, created) = upsert_in_tx!(tx, &item.input, t);
            if created {
                out.created += 1;
                created_codes.push(item.input.code.clone());
            } else {
                out.updated += 1;
                updated_codes.push(item.input.code.clone());
            }
            if !item.default_steps.is_empty() {
                let (n,): (i64,) =
                    sqlx::query_as("select count(*) from tthc_step where tthc_id = $1")
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await?;
                if n == 0 {
                    for (i, s) in item.default_steps.iter().enumerate() {
                        insert_step!(tx, id, i, s);
                    }
                    out.processes += 1;
                }
            }
        }
        let entry = AuditEntry::new(
            actor,
            "import",
            "procedure",
            source_name,
            format!(
                "Nhập danh mục TTHC từ {source_name}: {} thủ tục mới, {} thủ tục cập nhật",
                out.created, out.updated
            ),
        )
        .after(&serde_json::json!({"created": created_codes, "updated": updated_codes}));
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
    });
    Ok(out)
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

/// Replaces the internal process and the online target (already validated by
/// `domain::procedure::process::check_process`).
pub async fn set_steps(
    db: &Db,
    tthc_id: i64,
    new_steps: &[StepDraft],
    online_limit_minutes: Option<i64>,
    actor: &Actor,
) -> Result<Vec<Step>> {
    let proc_ = get(db, tthc_id).await?;
    let before = steps(db, tthc_id).await?;
    let online = online_limit_minutes
        .map(|m| i32::try_from(m).map_err(|_| StoreError::Invalid("thời hạn quá lớn".into())))
        .transpose()?;
    let t = now();
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        sqlx::query("delete from tthc_step where tthc_id = $1")
            .bind(tthc_id)
            .execute(&mut *tx)
            .await?;
        for (i, s) in new_steps.iter().enumerate() {
            insert_step!(tx, tthc_id, i, s);
        }
        sqlx::query("update tthc set online_limit_minutes = $1, updated_at = $2 where id = $3")
            .bind(online)
            .bind(t)
            .bind(tthc_id)
            .execute(&mut *tx)
            .await?;
        let entry = AuditEntry::new(
            actor,
            "update_process",
            "procedure",
            tthc_id,
            format!(
                "Cập nhật quy trình nội bộ thủ tục {} ({} bước)",
                proc_.code,
                new_steps.len()
            ),
        )
        .before(&serde_json::json!({"steps": before, "online_limit_minutes": proc_.online_limit_minutes}))
        .after(&serde_json::json!({"steps": new_steps, "online_limit_minutes": online}));
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
    });
    steps(db, tthc_id).await
}

/// A step as the dossier intake needs it.
#[derive(Debug, Clone, Serialize)]
pub struct IntakeStep {
    pub seq: i32,
    pub name: String,
    pub role: String,
    pub agency_id: Option<i64>,
    pub minutes: i64,
}

/// What the dossier intake needs of a procedure: its limit, online target and process.
#[derive(Debug, Clone, Serialize)]
pub struct IntakeProcedure {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub field: String,
    pub level: String,
    pub agency_id: Option<i64>,
    pub agency_text: String,
    /// The legal limit in working time; `None` for calendar-day limits.
    pub limit: Option<WorkingLimit>,
    /// The provincial target for online dossiers; `None` = the intake policy's default.
    pub online_limit_minutes: Option<i64>,
    pub online_level: String,
    pub active: bool,
    pub steps: Vec<IntakeStep>,
}

async fn intake_of(db: &Db, p: Procedure) -> Result<IntakeProcedure> {
    let steps = steps(db, p.id)
        .await?
        .into_iter()
        .map(|s| IntakeStep {
            seq: s.seq,
            name: s.name,
            role: s.role,
            agency_id: s.agency_id,
            minutes: i64::from(s.minutes),
        })
        .collect();
    Ok(IntakeProcedure {
        limit: p.limit(),
        online_limit_minutes: p.online_limit_minutes.map(i64::from),
        id: p.id,
        code: p.code,
        name: p.name,
        field: p.field,
        level: p.level,
        agency_id: p.agency_id,
        agency_text: p.agency_text,
        online_level: p.online_level,
        active: p.active,
        steps,
    })
}

pub async fn for_intake(db: &Db, id: i64) -> Result<IntakeProcedure> {
    let p = get(db, id).await?;
    intake_of(db, p).await
}

pub async fn for_intake_by_code(db: &Db, code: &str) -> Result<IntakeProcedure> {
    let p = get_by_code(db, code).await?;
    intake_of(db, p).await
}

/// A publication decision (quyết định công bố) of a procedure.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Version {
    pub id: i64,
    pub tthc_id: i64,
    pub kind: String,
    pub decision_number: String,
    pub decision_date: NaiveDate,
    pub effective_date: NaiveDate,
    pub law_effective_date: Option<NaiveDate>,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

impl Version {
    pub fn kind(&self) -> Option<DecisionKind> {
        DecisionKind::parse(&self.kind)
    }

    /// The day the công bố deadline counts back from: the legal document's effective date,
    /// or the decision's own when it was not recorded.
    pub fn law_effective(&self) -> NaiveDate {
        self.law_effective_date.unwrap_or(self.effective_date)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct VersionInput {
    pub kind: DecisionKind,
    pub decision_number: String,
    pub decision_date: NaiveDate,
    pub effective_date: NaiveDate,
    pub law_effective_date: Option<NaiveDate>,
    pub note: String,
}

const VERSION_COLUMNS: &str = "id, tthc_id, kind, decision_number, decision_date, effective_date, \
     law_effective_date, note, created_at";

pub async fn versions(db: &Db, tthc_id: i64) -> Result<Vec<Version>> {
    let sql = format!(
        "select {VERSION_COLUMNS} from tthc_version where tthc_id = $1 order by decision_date desc, id desc"
    );
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(tthc_id)
        .fetch_all(p)
        .await?))
}

/// Every decision between two days (inclusive), for statistics.
pub async fn versions_between(db: &Db, from: NaiveDate, to: NaiveDate) -> Result<Vec<Version>> {
    let sql = format!(
        "select {VERSION_COLUMNS} from tthc_version where decision_date >= $1 and decision_date <= $2 \
         order by decision_date, id"
    );
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(from)
        .bind(to)
        .fetch_all(p)
        .await?))
}

/// Records a publication decision; an abolishing one also marks the procedure inactive,
/// any other one active.
pub async fn add_version(
    db: &Db,
    tthc_id: i64,
    input: &VersionInput,
    actor: &Actor,
) -> Result<Version> {
    let proc_ = get(db, tthc_id).await?;
    let t = now();
    let active = input.kind != DecisionKind::Abolished;
    let id = on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "insert into tthc_version (tthc_id, kind, decision_number, decision_date, effective_date, \
             law_effective_date, note, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
        )
        .bind(tthc_id)
        .bind(input.kind.code())
        .bind(&input.decision_number)
        .bind(input.decision_date)
        .bind(input.effective_date)
        .bind(input.law_effective_date)
        .bind(&input.note)
        .bind(t)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("update tthc set active = $1, updated_at = $2 where id = $3")
            .bind(active)
            .bind(t)
            .bind(tthc_id)
            .execute(&mut *tx)
            .await?;
        let entry = AuditEntry::new(
            actor,
            "publish",
            "procedure",
            tthc_id,
            format!(
                "Quyết định công bố {} ({}) thủ tục {}",
                input.decision_number,
                input.kind.label(),
                proc_.code
            ),
        )
        .after(input);
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
        id
    });
    let sql = format!("select {VERSION_COLUMNS} from tthc_version where id = $1");
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_one(p)
        .await?))
}

/// The công bố deadlines in force (`tthc_publication_rule`).
pub async fn publication_rules(db: &Db) -> Result<Vec<PublicationRule>> {
    let rows: Vec<(String, NaiveDate, i32, String)> = on_db!(db, |p| {
        sqlx::query_as(
        "select publisher, valid_from, lead_working_days, basis from tthc_publication_rule order by valid_from"
    )
    .fetch_all(p)
    .await?
    });
    Ok(rows
        .into_iter()
        .filter_map(|(publisher, valid_from, days, basis)| {
            Some(PublicationRule {
                publisher: Publisher::parse(&publisher)?,
                valid_from,
                lead_working_days: u32::try_from(days).ok()?,
                basis,
            })
        })
        .collect())
}

/// Phase of a cost sheet.
pub const COST_PHASES: [(&str, &str); 2] = [
    ("baseline", "Trước khi đơn giản hóa"),
    ("after", "Sau khi đơn giản hóa"),
];

/// A stored compliance cost sheet.
#[derive(Debug, Clone, Serialize)]
pub struct CostSheet {
    pub phase: String,
    pub cost: ProcedureCost,
    pub note: String,
    pub updated_at: DateTime<Utc>,
}

type CostRow = (String, String, i64, i64, i64, String, DateTime<Utc>);

pub async fn costs(db: &Db, tthc_id: i64) -> Result<Vec<CostSheet>> {
    let rows: Vec<CostRow> = on_db!(db, |p| {
        sqlx::query_as(
        "select phase, items_json, fees_vnd, times_per_year, subjects_per_year, note, updated_at \
         from tthc_cost where tthc_id = $1 order by phase"
    )
    .bind(tthc_id)
    .fetch_all(p)
    .await?
    });
    Ok(rows
        .into_iter()
        .map(
            |(phase, items, fees, times, subjects, note, updated_at)| CostSheet {
                phase,
                cost: ProcedureCost {
                    work: serde_json::from_str::<Vec<CostItem>>(&items).unwrap_or_default(),
                    fees_vnd: u64::try_from(fees).unwrap_or(0),
                    times_per_year: u64::try_from(times).unwrap_or(0),
                    subjects_per_year: u64::try_from(subjects).unwrap_or(0),
                },
                note,
                updated_at,
            },
        )
        .collect())
}

/// Saves (replaces) the cost sheet of one phase.
pub async fn save_cost(
    db: &Db,
    tthc_id: i64,
    phase: &str,
    cost: &ProcedureCost,
    note: &str,
    actor: &Actor,
) -> Result<()> {
    if !COST_PHASES.iter().any(|(c, _)| *c == phase) {
        return Err(StoreError::Invalid(format!(
            "giai đoạn «{phase}» không hợp lệ"
        )));
    }
    let proc_ = get(db, tthc_id).await?;
    let big = |v: u64| {
        i64::try_from(v).map_err(|_| StoreError::Invalid("số liệu chi phí quá lớn".into()))
    };
    let (fees, times, subjects) = (
        big(cost.fees_vnd)?,
        big(cost.times_per_year)?,
        big(cost.subjects_per_year)?,
    );
    let items = serde_json::to_string(&cost.work).unwrap_or_else(|_| "[]".into());
    let t = now();
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        sqlx::query("delete from tthc_cost where tthc_id = $1 and phase = $2")
            .bind(tthc_id)
            .bind(phase)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "insert into tthc_cost (tthc_id, phase, items_json, fees_vnd, times_per_year, subjects_per_year, note, updated_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(tthc_id)
        .bind(phase)
        .bind(&items)
        .bind(fees)
        .bind(times)
        .bind(subjects)
        .bind(note)
        .bind(t)
        .execute(&mut *tx)
        .await?;
        let entry = AuditEntry::new(
            actor,
            "update_cost",
            "procedure",
            tthc_id,
            format!("Cập nhật chi phí tuân thủ ({phase}) thủ tục {}", proc_.code),
        )
        .after(cost);
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
    });
    Ok(())
}

/// A catalog row as the store keeps it: the national code (or a provisional local one),
/// the level and online level as codes, the limit when it is working time, and the
/// registry agency when `agency_id` matched one.
pub fn input_from_row(
    row: &domain::procedure::ProcedureRow,
    agency_id: Option<i64>,
) -> ProcedureInput {
    use domain::procedure::codes::provisional_code;
    ProcedureInput {
        code: match &row.code {
            Some(c) => c.as_str().to_string(),
            None => provisional_code(&row.name, row.level),
        },
        name: row.name.clone(),
        field: row.field.clone(),
        level: row.level.code().to_string(),
        agency_text: row.agency.clone(),
        agency_id,
        limit_text: row.time_limit_text.clone(),
        limit: row.time_limit.working(),
        fee_text: row.fee_text.clone(),
        online_level: row.online_level.code().to_string(),
        internal: row.internal,
        result_type: None,
        source: row.source.clone(),
        documents: String::new(),
        legal_basis: String::new(),
        active: true,
    }
}

/// Prepares parsed catalog rows for [`import`]: province-level procedures are matched to
/// the agency registry by their first named agency ("Sở Xây dựng"), valid on `on`; each
/// procedure with a working-time limit gets the default internal process filling its
/// limit (`domain::procedure::process::default_process`, office days of `hours`).
pub async fn import_items(
    db: &Db,
    rows: &[domain::procedure::ProcedureRow],
    on: NaiveDate,
    hours: &domain::calendar::OfficeHours,
) -> Result<Vec<ImportItem>> {
    use domain::org_match::{AgencyMatcher, AgencyRef, Resolution};
    use domain::procedure::ProcedureLevel;
    use domain::procedure::process::{budget_minutes, default_process};
    let (agencies, _) = crate::agency::list(db, &Default::default(), Page::all()).await?;
    let refs: Vec<AgencyRef> = agencies
        .iter()
        .map(|a| AgencyRef {
            id: a.id,
            name: a.name.clone(),
            short_name: a.short_name.clone(),
            kind: a.kind.clone(),
            valid_from: a.valid_from,
            valid_to: a.valid_to,
        })
        .collect();
    let matcher = AgencyMatcher::new(&refs);
    Ok(rows
        .iter()
        .map(|row| {
            let agency_id = if row.level == ProcedureLevel::Province {
                let first = row.agency.split(';').next().unwrap_or("");
                match matcher.resolve(first, on) {
                    Resolution::Exact(id) => Some(id),
                    _ => None,
                }
            } else {
                None
            };
            let input = input_from_row(row, agency_id);
            let default_steps = input
                .limit
                .map(|l| default_process(budget_minutes(l, hours)))
                .unwrap_or_default();
            ImportItem {
                input,
                default_steps,
            }
        })
        .collect())
}
