//! Kiểm tra công tác CCHC (migration 0023): inspections with their team and findings; each
//! write in one transaction with its audit row. The remediation tasks are the task
//! module's; a finding keeps its task's id.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::audit::{Actor, AuditEntry};
use crate::{BeginWrite, Db, Page, Result, StoreError, like_prefix, on_db};

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
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const COLS: &str = "i.id, i.plan_id, i.kind, i.decision_number, i.decision_date, i.target_agency_id, \
    a.code as target_code, a.name as target_name, a.path as target_path, i.subjects, i.planned_month, \
    i.start_on, i.end_on, i.status, i.conclusion_number, i.conclusion_date, i.conclusion_text, \
    i.directive_id, i.created_at, i.updated_at";

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct MemberRow {
    pub user_id: Option<i64>,
    pub name: String,
    pub role: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct FindingRow {
    pub id: i64,
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

/// Which inspections a reader may list: all (the inspecting side), or those the user is
/// a member of plus the concluded ones of units under `unit_prefix`.
#[derive(Debug, Clone, Default)]
pub struct InspectionFilter {
    pub all: bool,
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
             planned_month, start_on, end_on, status, created_by, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) returning id",
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
        .fetch_one(&mut *tx)
        .await?;
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
               or (cast($3 as text) is not null and a.path like $3 escape '\\' and i.status in ('da_ket_luan', 'da_dong'))) \
        and (cast($4 as integer) is null or i.decision_date >= $5) \
        and (cast($4 as integer) is null or i.decision_date < $6) \
        and (cast($7 as bigint) is null or i.target_agency_id = $7) \
        and (cast($8 as text) is null or i.status = $8)";
    let items_sql = format!(
        "select {COLS}{filter} order by i.decision_date desc, i.id desc limit $9 offset $10"
    );
    let count_sql = format!("select count(*){filter}");
    let prefix = f.unit_prefix.as_deref().map(like_prefix);
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

pub async fn findings(db: &Db, id: i64) -> Result<Vec<FindingRow>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
            "select f.id, f.seq, f.kind, f.content, f.responsible_agency_id, a.name as responsible_agency_name, \
             f.responsible_person, f.remediation, f.deadline, f.task_id, t.submitted_on as task_submitted_on, \
             t.verified as task_verified \
             from inspection_finding f join agency a on a.id = f.responsible_agency_id \
             left join task t on t.id = f.task_id where f.inspection_id = $1 order by f.seq",
        )
        .bind(id)
        .fetch_all(p)
        .await?
    }))
}

/// Records a finding while the inspection takes them (`status` one of `open_statuses`);
/// a moved inspection is `Stale`. Returns its number.
pub async fn add_finding(
    db: &Db,
    id: i64,
    f: &NewFinding,
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
        sqlx::query(
            "insert into inspection_finding (inspection_id, seq, kind, content, responsible_agency_id, \
             responsible_person, remediation, deadline, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
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
        .execute(&mut *tx)
        .await?;
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
