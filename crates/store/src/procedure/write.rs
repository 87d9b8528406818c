//! Writing the catalog: adding and editing a procedure, importing parsed catalog rows (with
//! a default internal process for those without one), and replacing a procedure's process.

use chrono::NaiveDate;
use domain::dossier::WorkingLimit;
use domain::procedure::process::StepDraft;
use serde::Serialize;

use super::{Procedure, ProcedureInput, Step, get, get_by_code, steps};
use crate::audit::{Actor, AuditEntry};
use crate::{BeginWrite, Db, Page, Result, StoreError, now, on_db};

fn limit_columns(l: Option<WorkingLimit>) -> (Option<&'static str>, Option<i32>) {
    match l {
        Some(WorkingLimit::Days(n)) => (Some("days"), i32::try_from(n).ok()),
        Some(WorkingLimit::Hours(n)) => (Some("hours"), i32::try_from(n).ok()),
        None => (None, None),
    }
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
        // The published list, when the repository's catalog data has it
        // (data/procedures/documents.csv).
        documents: row
            .code
            .as_ref()
            .and_then(|c| domain::procedure::documents::published_list(c.as_str()))
            .unwrap_or_default()
            .to_string(),
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
