//! Kiểm tra công tác CCHC (migration 0023): inspections with their team and findings; each
//! write in one transaction with its audit row. The remediation tasks are the task
//! module's; a finding keeps its task's id.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::audit::{Actor, AuditEntry};
use crate::{BeginWrite, Db, Page, Result, StoreError, like_prefix, on_db};

mod plan;
pub use plan::{
    NewPlan, PlanItemRow, PlanRow, create_plan, plan, plan_item, plan_items, plan_progress, plans,
};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct InspectionRow {
    pub id: i64,
    pub plan_id: Option<i64>,
    pub kind: String,
    pub decision_number: String,
    pub decision_date: NaiveDate,
    pub target_agency_id: i64,
    pub target_code: String,
    pub target_name: String,
    #[serde(skip)]
    pub target_path: String,
    pub subjects: String,
    pub planned_month: Option<i32>,
    pub start_on: Option<NaiveDate>,
    pub end_on: Option<NaiveDate>,
    pub status: String,
    pub conclusion_number: Option<String>,
    pub conclusion_date: Option<NaiveDate>,
    pub conclusion_text: Option<String>,
    pub directive_id: Option<i64>,
    /// The body that leads the inspection (cơ quan chủ trì; migration 0024).
    pub lead_agency_id: Option<i64>,
    pub lead_agency_name: Option<String>,
    #[serde(skip)]
    pub lead_path: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const COLS: &str = "i.id, i.plan_id, i.kind, i.decision_number, i.decision_date, i.target_agency_id, \
    a.code as target_code, a.name as target_name, a.path as target_path, i.subjects, i.planned_month, \
    i.start_on, i.end_on, i.status, i.conclusion_number, i.conclusion_date, i.conclusion_text, \
    i.directive_id, i.lead_agency_id, (select l.name from agency l where l.id = i.lead_agency_id) as lead_agency_name, \
    (select l.path from agency l where l.id = i.lead_agency_id) as lead_path, \
    i.created_at, i.updated_at";

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct MemberRow {
    pub user_id: Option<i64>,
    pub name: String,
    pub role: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct FindingRow {
    pub id: i64,
    pub inspection_id: i64,
    pub seq: i32,
    pub kind: String,
    pub content: String,
    pub responsible_agency_id: i64,
    pub responsible_agency_name: String,
    pub responsible_person: Option<String>,
    pub remediation: bool,
    pub deadline: Option<NaiveDate>,
    pub task_id: Option<i64>,
    pub task_submitted_on: Option<NaiveDate>,
    pub task_verified: Option<bool>,
}

/// An inspection to record, with its team.
#[derive(Debug, Clone)]
pub struct NewInspection {
    pub plan_id: Option<i64>,
    pub kind: String,
    pub decision_number: String,
    pub decision_date: NaiveDate,
    pub target_agency_id: i64,
    pub subjects: String,
    pub planned_month: Option<i32>,
    pub start_on: Option<NaiveDate>,
    pub end_on: Option<NaiveDate>,
    pub status: String,
    pub lead_agency_id: i64,
    /// The row of a yearly plan this inspection carries out (it must not have begun).
    pub plan_item_id: Option<i64>,
    /// (user, external name, role)
    pub members: Vec<(Option<i64>, Option<String>, String)>,
}

#[derive(Debug, Clone)]
pub struct NewFinding {
    pub kind: String,
    pub content: String,
    pub responsible_agency_id: i64,
    pub responsible_person: Option<String>,
    pub remediation: bool,
    pub deadline: Option<NaiveDate>,
}

/// Which inspections a reader may list: all (the inspecting side), or those led by a
/// unit under `lead_prefix`, those the user is a member of, and the concluded ones of
/// units under `unit_prefix`.
#[derive(Debug, Clone, Default)]
pub struct InspectionFilter {
    pub all: bool,
    pub lead_prefix: Option<String>,
    pub member: Option<i64>,
    pub unit_prefix: Option<String>,
    pub year: Option<i32>,
    pub target_agency_id: Option<i64>,
    pub status: Option<String>,
}

pub async fn create(db: &Db, n: &NewInspection, actor: &Actor) -> Result<i64> {
    let now = crate::now();
    Ok(on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "insert into inspection (plan_id, kind, decision_number, decision_date, target_agency_id, subjects, \
             planned_month, start_on, end_on, status, created_by, created_at, updated_at, lead_agency_id) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13) returning id",
        )
        .bind(n.plan_id)
        .bind(&n.kind)
        .bind(&n.decision_number)
        .bind(n.decision_date)
        .bind(n.target_agency_id)
        .bind(&n.subjects)
        .bind(n.planned_month)
        .bind(n.start_on)
        .bind(n.end_on)
        .bind(&n.status)
        .bind(actor.user_id)
        .bind(now)
        .bind(n.lead_agency_id)
        .fetch_one(&mut *tx)
        .await?;
        if let Some(item) = n.plan_item_id {
            let taken = sqlx::query(
                "update inspection_plan_item set inspection_id = $1 where id = $2 and inspection_id is null",
            )
            .bind(id)
            .bind(item)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if taken == 0 {
                return Err(StoreError::Stale("inspection_plan_item".into()));
            }
        }
        for (user, name, role) in &n.members {
            sqlx::query(
                "insert into inspection_member (inspection_id, user_id, external_name, role) values ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(user)
            .bind(name)
            .bind(role)
            .execute(&mut *tx)
            .await?;
        }
        let entry = AuditEntry::new(
            actor,
            "create",
            "inspection",
            id,
            format!("Lập cuộc kiểm tra theo Quyết định {}", n.decision_number),
        );
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
        id
    }))
}

pub async fn get(db: &Db, id: i64) -> Result<InspectionRow> {
    let sql = format!(
        "select {COLS} from inspection i join agency a on a.id = i.target_agency_id where i.id = $1"
    );
    on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(p)
            .await?
    })
    .ok_or(StoreError::NotFound)
}

pub async fn list(db: &Db, f: &InspectionFilter, page: Page) -> Result<(Vec<InspectionRow>, i64)> {
    let filter = " from inspection i join agency a on a.id = i.target_agency_id \
        where ($1 or exists (select 1 from inspection_member m where m.inspection_id = i.id and m.user_id = $2) \
               or (cast($3 as text) is not null and a.path like $3 escape '\\' and i.status in ('da_ket_luan', 'da_dong')) \
               or (cast($9 as text) is not null and exists (select 1 from agency l where l.id = i.lead_agency_id \
                   and l.path like $9 escape '\\'))) \
        and (cast($4 as integer) is null or i.decision_date >= $5) \
        and (cast($4 as integer) is null or i.decision_date < $6) \
        and (cast($7 as bigint) is null or i.target_agency_id = $7) \
        and (cast($8 as text) is null or i.status = $8)";
    let items_sql = format!(
        "select {COLS}{filter} order by i.decision_date desc, i.id desc limit $10 offset $11"
    );
    let count_sql = format!("select count(*){filter}");
    let prefix = f.unit_prefix.as_deref().map(like_prefix);
    let lead = f.lead_prefix.as_deref().map(like_prefix);
    let (from, to) = match f.year {
        Some(y) => (
            NaiveDate::from_ymd_opt(y, 1, 1),
            NaiveDate::from_ymd_opt(y + 1, 1, 1),
        ),
        None => (None, None),
    };
    Ok(on_db!(db, |p| {
        let items = sqlx::query_as(sqlx::AssertSqlSafe(items_sql))
            .bind(f.all)
            .bind(f.member)
            .bind(&prefix)
            .bind(f.year)
            .bind(from)
            .bind(to)
            .bind(f.target_agency_id)
            .bind(&f.status)
            .bind(&lead)
            .bind(page.limit)
            .bind(page.offset)
            .fetch_all(p)
            .await?;
        let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(count_sql))
            .bind(f.all)
            .bind(f.member)
            .bind(&prefix)
            .bind(f.year)
            .bind(from)
            .bind(to)
            .bind(f.target_agency_id)
            .bind(&f.status)
            .bind(&lead)
            .fetch_one(p)
            .await?;
        (items, n)
    }))
}

pub async fn members(db: &Db, id: i64) -> Result<Vec<MemberRow>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
            "select m.user_id, coalesce(u.full_name, m.external_name, '') as name, m.role \
             from inspection_member m left join app_user u on u.id = m.user_id \
             where m.inspection_id = $1 order by m.id",
        )
        .bind(id)
        .fetch_all(p)
        .await?
    }))
}

const FINDING_COLS: &str = "f.id, f.inspection_id, f.seq, f.kind, f.content, f.responsible_agency_id, \
    a.name as responsible_agency_name, f.responsible_person, f.remediation, f.deadline, f.task_id, \
    t.submitted_on as task_submitted_on, t.verified as task_verified \
    from inspection_finding f join agency a on a.id = f.responsible_agency_id left join task t on t.id = f.task_id";

pub async fn findings(db: &Db, id: i64) -> Result<Vec<FindingRow>> {
    let sql = format!("select {FINDING_COLS} where f.inspection_id = $1 order by f.seq");
    Ok(on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_all(p)
            .await?
    }))
}

/// The findings of several inspections in one read (ids are integers), by inspection
/// then number.
pub async fn findings_of(db: &Db, ids: &[i64]) -> Result<Vec<FindingRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    let sql = format!(
        "select {FINDING_COLS} where f.inspection_id in ({}) order by f.inspection_id, f.seq",
        list.join(",")
    );
    Ok(on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(p)
            .await?
    }))
}

/// Records a finding with its evidence files while the inspection takes them (`status`
/// one of `open_statuses`); a moved inspection is `Stale`. Returns its number.
pub async fn add_finding(
    db: &Db,
    id: i64,
    f: &NewFinding,
    files: &[crate::file::NewFile],
    open_statuses: &[&str],
    actor: &Actor,
) -> Result<i32> {
    let now = crate::now();
    let (a, b) = (
        open_statuses.first().copied().unwrap_or_default(),
        open_statuses.get(1).copied().unwrap_or_default(),
    );
    Ok(on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let moved = sqlx::query(
            "update inspection set updated_at = $2 where id = $1 and status in ($3, $4)",
        )
        .bind(id)
        .bind(now)
        .bind(a)
        .bind(b)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if moved == 0 {
            return Err(StoreError::Stale("inspection".into()));
        }
        let (seq,): (i32,) = sqlx::query_as(
            "select cast(coalesce(max(seq), 0) + 1 as integer) from inspection_finding where inspection_id = $1",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let (finding_id,): (i64,) = sqlx::query_as(
            "insert into inspection_finding (inspection_id, seq, kind, content, responsible_agency_id, \
             responsible_person, remediation, deadline, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             returning id",
        )
        .bind(id)
        .bind(seq)
        .bind(&f.kind)
        .bind(&f.content)
        .bind(f.responsible_agency_id)
        .bind(&f.responsible_person)
        .bind(f.remediation)
        .bind(f.deadline)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        crate::insert_files!(
            tx,
            crate::file::Owner::InspectionFinding(finding_id),
            files,
            actor.user_id,
            now
        );
        let entry = AuditEntry::new(
            actor,
            "add_finding",
            "inspection",
            id,
            format!("Ghi nhận phát hiện số {seq}"),
        );
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
        seq
    }))
}

/// The conclusion issued: its number, date, text and notice (a directive), each finding's
/// remediation task, the status moved from one of `from` to `to`; `Stale` if moved.
#[allow(clippy::too_many_arguments)]
pub async fn conclude(
    db: &Db,
    id: i64,
    from: &[&str],
    to: &str,
    number: &str,
    date: NaiveDate,
    text: &str,
    directive_id: i64,
    tasks: &[(i64, i64)],
    actor: &Actor,
) -> Result<()> {
    let now = crate::now();
    let (a, b) = (
        from.first().copied().unwrap_or_default(),
        from.get(1).copied().unwrap_or_default(),
    );
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let moved = sqlx::query(
            "update inspection set status = $2, conclusion_number = $3, conclusion_date = $4, conclusion_text = $5, \
             directive_id = $6, updated_at = $7 where id = $1 and status in ($8, $9)",
        )
        .bind(id)
        .bind(to)
        .bind(number)
        .bind(date)
        .bind(text)
        .bind(directive_id)
        .bind(now)
        .bind(a)
        .bind(b)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if moved == 0 {
            return Err(StoreError::Stale("inspection".into()));
        }
        for (finding, task) in tasks {
            sqlx::query(
                "update inspection_finding set task_id = $2 where id = $1 and inspection_id = $3",
            )
            .bind(finding)
            .bind(task)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        let entry = AuditEntry::new(
            actor,
            "conclude",
            "inspection",
            id,
            format!("Ban hành thông báo kết luận kiểm tra số {number}"),
        );
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
    });
    Ok(())
}

/// Moves the status from `from` to `to` (start, close); `Stale` if it moved meanwhile.
pub async fn set_status(db: &Db, id: i64, from: &str, to: &str, actor: &Actor) -> Result<()> {
    let now = crate::now();
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let moved = sqlx::query(
            "update inspection set status = $2, updated_at = $3 where id = $1 and status = $4",
        )
        .bind(id)
        .bind(to)
        .bind(now)
        .bind(from)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if moved == 0 {
            return Err(StoreError::Stale("inspection".into()));
        }
        let entry = AuditEntry::new(actor, "status", "inspection", id, format!("{from} → {to}"));
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
    });
    Ok(())
}

/// Whether a user is a member of the team.
pub async fn is_member(db: &Db, id: i64, user_id: i64) -> Result<bool> {
    let (n,): (i64,) = on_db!(db, |p| {
        sqlx::query_as(
            "select count(*) from inspection_member where inspection_id = $1 and user_id = $2",
        )
        .bind(id)
        .bind(user_id)
        .fetch_one(p)
        .await?
    });
    Ok(n > 0)
}

/// A finding needing remediation of a concluded inspection, as the yearly figures count it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FindingDue {
    pub inspection_id: i64,
    pub lead_agency_id: Option<i64>,
    pub target_agency_id: i64,
    pub kind: String,
    pub responsible_path: String,
    pub deadline: Option<NaiveDate>,
    pub task_submitted_on: Option<NaiveDate>,
    pub task_verified: Option<bool>,
}

/// The findings needing remediation of concluded (or closed) inspections whose deadline
/// falls in `from..=to`.
pub async fn findings_due(db: &Db, from: NaiveDate, to: NaiveDate) -> Result<Vec<FindingDue>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
            "select f.inspection_id, i.lead_agency_id, i.target_agency_id, f.kind, a.path as responsible_path, \
             f.deadline, t.submitted_on as task_submitted_on, t.verified as task_verified \
             from inspection_finding f join inspection i on i.id = f.inspection_id \
             join agency a on a.id = f.responsible_agency_id left join task t on t.id = f.task_id \
             where f.remediation and f.deadline >= $1 and f.deadline <= $2 \
             and i.status in ('da_ket_luan', 'da_dong')",
        )
        .bind(from)
        .bind(to)
        .fetch_all(p)
        .await?
    }))
}

/// Inspections decided in `from..=to` (by the decision's date): (led by a body under
/// `prefix`, of units under `prefix`); every body and unit without a prefix.
pub async fn counts(
    db: &Db,
    prefix: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(i64, i64)> {
    let pattern = prefix.map(like_prefix).unwrap_or_else(|| "%".into());
    Ok(on_db!(db, |p| {
        sqlx::query_as(
            "select (select count(*) from inspection i join agency l on l.id = i.lead_agency_id \
                     where l.path like $1 escape '\\' and i.decision_date >= $2 and i.decision_date <= $3), \
                    (select count(*) from inspection i join agency a on a.id = i.target_agency_id \
                     where a.path like $1 escape '\\' and i.decision_date >= $2 and i.decision_date <= $3)",
        )
        .bind(&pattern)
        .bind(from)
        .bind(to)
        .fetch_one(p)
        .await?
    }))
}

/// The inspection a finding belongs to.
pub async fn finding_inspection(db: &Db, finding_id: i64) -> Result<i64> {
    on_db!(db, |p| {
        sqlx::query_scalar("select inspection_id from inspection_finding where id = $1")
            .bind(finding_id)
            .fetch_optional(p)
            .await?
    })
    .ok_or(StoreError::NotFound)
}
