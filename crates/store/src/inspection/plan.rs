//! Kế hoạch kiểm tra công tác CCHC hằng năm (migration 0024): the plan as a document
//! (decision, year, lead body) with its rows — target unit, subjects, month — each
//! linked to its inspection once that is decided and begins.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::audit::{Actor, AuditEntry};
use crate::{BeginWrite, Db, Result, StoreError, on_db};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PlanRow {
    pub id: i64,
    pub year: i32,
    pub decision_number: String,
    pub decision_date: NaiveDate,
    pub title: String,
    pub lead_agency_id: Option<i64>,
    pub lead_agency_name: Option<String>,
    pub created_at: DateTime<Utc>,
    /// How many rows the plan has, and how many of them have begun.
    pub items: i64,
    pub started: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PlanItemRow {
    pub id: i64,
    pub plan_id: i64,
    pub seq: i32,
    pub target_agency_id: i64,
    pub target_code: String,
    pub target_name: String,
    #[serde(skip)]
    pub target_path: String,
    pub subjects: String,
    pub planned_month: i32,
    pub inspection_id: Option<i64>,
    pub inspection_status: Option<String>,
}

/// A plan to record with its rows: (target agency, subjects, month).
#[derive(Debug, Clone)]
pub struct NewPlan {
    pub year: i32,
    pub decision_number: String,
    pub decision_date: NaiveDate,
    pub title: String,
    pub lead_agency_id: i64,
    pub items: Vec<(i64, String, i32)>,
}

const PLAN_COLS: &str = "p.id, p.year, p.decision_number, p.decision_date, p.title, p.lead_agency_id, \
    a.name as lead_agency_name, p.created_at, \
    (select count(*) from inspection_plan_item x where x.plan_id = p.id) as items, \
    (select count(*) from inspection_plan_item x where x.plan_id = p.id and x.inspection_id is not null) as started";

const ITEM_COLS: &str = "x.id, x.plan_id, x.seq, x.target_agency_id, a.code as target_code, \
    a.name as target_name, a.path as target_path, x.subjects, x.planned_month, x.inspection_id, \
    i.status as inspection_status";

/// Records a plan and its rows in one transaction; a decision number already used for
/// that year is `Conflict("inspection_plan_number_idx")`.
pub async fn create_plan(db: &Db, n: &NewPlan, actor: &Actor) -> Result<i64> {
    let now = crate::now();
    Ok(on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "insert into inspection_plan (year, decision_number, decision_date, title, lead_agency_id, \
             created_by, created_at) values ($1, $2, $3, $4, $5, $6, $7) returning id",
        )
        .bind(n.year)
        .bind(&n.decision_number)
        .bind(n.decision_date)
        .bind(&n.title)
        .bind(n.lead_agency_id)
        .bind(actor.user_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        for (seq, (target, subjects, month)) in n.items.iter().enumerate() {
            sqlx::query(
                "insert into inspection_plan_item (plan_id, seq, target_agency_id, subjects, planned_month) \
                 values ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(seq as i32 + 1)
            .bind(target)
            .bind(subjects)
            .bind(month)
            .execute(&mut *tx)
            .await?;
        }
        let entry = AuditEntry::new(
            actor,
            "create",
            "inspection_plan",
            id,
            format!(
                "Ban hành kế hoạch kiểm tra năm {} (Quyết định {}, {} đơn vị)",
                n.year,
                n.decision_number,
                n.items.len()
            ),
        );
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
        id
    }))
}

/// The plans of a year (every year when `None`), newest first.
pub async fn plans(db: &Db, year: Option<i32>) -> Result<Vec<PlanRow>> {
    let sql = format!(
        "select {PLAN_COLS} from inspection_plan p left join agency a on a.id = p.lead_agency_id \
         where (cast($1 as integer) is null or p.year = $1) order by p.year desc, p.decision_date desc, p.id desc"
    );
    Ok(on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(year)
            .fetch_all(p)
            .await?
    }))
}

pub async fn plan(db: &Db, id: i64) -> Result<PlanRow> {
    let sql = format!(
        "select {PLAN_COLS} from inspection_plan p left join agency a on a.id = p.lead_agency_id where p.id = $1"
    );
    on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(p)
            .await?
    })
    .ok_or(StoreError::NotFound)
}

/// The rows of a plan in order, with the status of each row's inspection.
pub async fn plan_items(db: &Db, plan_id: i64) -> Result<Vec<PlanItemRow>> {
    let sql = format!(
        "select {ITEM_COLS} from inspection_plan_item x join agency a on a.id = x.target_agency_id \
         left join inspection i on i.id = x.inspection_id where x.plan_id = $1 order by x.seq"
    );
    Ok(on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(plan_id)
            .fetch_all(p)
            .await?
    }))
}

pub async fn plan_item(db: &Db, id: i64) -> Result<PlanItemRow> {
    let sql = format!(
        "select {ITEM_COLS} from inspection_plan_item x join agency a on a.id = x.target_agency_id \
         left join inspection i on i.id = x.inspection_id where x.id = $1"
    );
    on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(p)
            .await?
    })
    .ok_or(StoreError::NotFound)
}

/// Per issuing body: (agency, rows of its plans for `year` planned up to `month`, of them
/// carried out) — the PAR INDEX figure "tỷ lệ đơn vị được kiểm tra theo kế hoạch".
pub async fn plan_progress(db: &Db, year: i32, month: i32) -> Result<Vec<(i64, i64, i64)>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
            "select p.lead_agency_id, count(*), count(x.inspection_id) from inspection_plan_item x \
             join inspection_plan p on p.id = x.plan_id \
             where p.year = $1 and x.planned_month <= $2 and p.lead_agency_id is not null \
             group by p.lead_agency_id",
        )
        .bind(year)
        .bind(month)
        .fetch_all(p)
        .await?
    }))
}
