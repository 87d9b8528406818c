//! The filtered task lists and the counts per derived status (overall, per directive,
//! per lead agency): a WHERE clause built from a [`TaskFilter`] with only the conditions
//! that apply, and the status rule of `domain::task::status` written in SQL.

use chrono::NaiveDate;
use domain::task::TaskStatus;
use domain::text::fold_vi;

use super::{COLUMNS, Task, TaskFilter};
use crate::arg::Arg;
use crate::{Db, Page, Result, like_contains, like_prefix, on_db};

/// The derived status in SQL, the same rule as `domain::task::status` (a test compares
/// both on every row). `{today}` is replaced by the placeholder of today's date.
const STATUS_SQL: &str = "case when t.submitted_on is not null and t.verified = true then \
       (case when t.deadline is not null and t.submitted_on > t.deadline then 'done_late' else 'done_on_time' end) \
     when t.submitted_on is not null then 'awaiting_verification' \
     when t.deadline is not null and t.deadline < {today} then 'overdue' else 'in_progress' end";

/// The WHERE clause of a task filter, with only the conditions that apply, so that the
/// databases can use their indexes (no `$n is null or …` on the hot path).
struct Where {
    sql: String,
    args: Vec<Arg>,
    status_expr: String,
}

impl Where {
    fn push(&mut self, arg: Arg) -> String {
        self.args.push(arg);
        format!("${}", self.args.len())
    }

    fn new(f: &TaskFilter) -> Where {
        let mut w = Where {
            sql: String::from(" where 1 = 1"),
            args: Vec::new(),
            status_expr: String::new(),
        };
        let today = w.push(Arg::date(f.today.unwrap_or_else(today_vn)));
        w.status_expr = STATUS_SQL.replace("{today}", &today);
        if let Some(prefix) = &f.scope_prefix {
            let p = w.push(Arg::text(like_prefix(prefix)));
            w.sql.push_str(&format!(
                " and (t.lead_agency_id in (select id from agency where path like {p} escape '\\') \
                 or t.id in (select s.task_id from task_support s join agency sa on sa.id = s.agency_id where sa.path like {p} escape '\\'))"
            ));
        }
        if let Some(pid) = f.parent_id {
            let p = w.push(Arg::int(pid));
            w.sql.push_str(&format!(" and t.parent_id = {p}"));
        }
        if let Some(d) = f.directive_id {
            let p = w.push(Arg::int(d));
            w.sql.push_str(&format!(" and t.directive_id = {p}"));
        }
        if let Some(a) = f.agency_id {
            let p = w.push(Arg::int(a));
            w.sql.push_str(&format!(
                " and (t.lead_agency_id = {p} or t.id in (select task_id from task_support where agency_id = {p}))"
            ));
        }
        if let Some(st) = f.status {
            let p = w.push(Arg::text(st.code().to_string()));
            w.sql.push_str(&format!(" and ({}) = {p}", w.status_expr));
        }
        if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let p = w.push(Arg::text(like_contains(&fold_vi(q))));
            // The words of the task, or the name of its lead agency ("Sở Xây dựng").
            w.sql.push_str(&format!(
                " and (t.search_text like {p} escape '\\' \
                 or t.lead_agency_id in (select id from agency where search_text like {p} escape '\\'))"
            ));
        }
        if let Some(d) = f.deadline_from {
            let p = w.push(Arg::date(d));
            w.sql.push_str(&format!(" and t.deadline >= {p}"));
        }
        if let Some(d) = f.deadline_to {
            let p = w.push(Arg::date(d));
            w.sql.push_str(&format!(" and t.deadline <= {p}"));
        }
        w
    }
}

fn today_vn() -> NaiveDate {
    domain::time::today()
}

pub async fn list(db: &Db, f: &TaskFilter, page: Page) -> Result<(Vec<Task>, i64)> {
    let mut w = Where::new(f);
    let count_sql = format!("select count(*) from task t{}", w.sql);
    let count_args = w.args.clone();
    let limit = w.push(Arg::int(page.limit));
    let offset = w.push(Arg::int(page.offset));
    let items_sql = format!(
        "select {COLUMNS} from task t join directive d on d.id = t.directive_id left join agency la on la.id = t.lead_agency_id{} \
         order by d.issued_on desc, t.id limit {limit} offset {offset}",
        w.sql
    );
    Ok(on_db!(db, |p| {
        let items = crate::bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(items_sql)), &w.args)
            .fetch_all(p)
            .await?;
        let (n,): (i64,) =
            crate::bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(count_sql)), &count_args)
                .fetch_one(p)
                .await?;
        (items, n)
    }))
}

/// Counts per derived status for the filter (its status condition ignored).
pub async fn status_counts(db: &Db, f: &TaskFilter) -> Result<Vec<(TaskStatus, i64)>> {
    let w = Where::new(&TaskFilter {
        status: None,
        ..f.clone()
    });
    let sql = format!(
        "select ({}) as st, count(*) from task t{} group by st",
        w.status_expr, w.sql
    );
    let rows: Vec<(String, i64)> = on_db!(db, |p| crate::bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(sql)),
        &w.args
    )
    .fetch_all(p)
    .await?);
    Ok(TaskStatus::ALL
        .iter()
        .map(|s| {
            (
                *s,
                rows.iter()
                    .find(|(c, _)| c == s.code())
                    .map_or(0, |(_, n)| *n),
            )
        })
        .collect())
}

/// Counts per directive and derived status: (directive id, status, count).
pub async fn status_counts_by_directive(
    db: &Db,
    f: &TaskFilter,
) -> Result<Vec<(i64, TaskStatus, i64)>> {
    let w = Where::new(&TaskFilter {
        status: None,
        ..f.clone()
    });
    let sql = format!(
        "select t.directive_id, ({}) as st, count(*) from task t{} group by t.directive_id, st",
        w.status_expr, w.sql
    );
    let rows: Vec<(i64, String, i64)> = on_db!(db, |p| crate::bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(sql)),
        &w.args
    )
    .fetch_all(p)
    .await?);
    Ok(rows
        .into_iter()
        .filter_map(|(d, st, n)| TaskStatus::parse(&st).map(|s| (d, s, n)))
        .collect())
}

/// Counts per lead agency and derived status, for the per-agency statistics.
/// Returns (agency id, agency name, status, count).
pub async fn status_counts_by_lead(
    db: &Db,
    f: &TaskFilter,
) -> Result<Vec<(i64, String, TaskStatus, i64)>> {
    let w = Where::new(&TaskFilter {
        status: None,
        ..f.clone()
    });
    let sql = format!(
        "select c.lead_agency_id, a.name, c.st, c.n from (select t.lead_agency_id, ({}) as st, count(*) as n from task t{} \
         and t.lead_agency_id is not null group by t.lead_agency_id, st) c join agency a on a.id = c.lead_agency_id",
        w.status_expr, w.sql
    );
    let rows: Vec<(i64, String, String, i64)> = on_db!(db, |p| crate::bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(sql)),
        &w.args
    )
    .fetch_all(p)
    .await?);
    Ok(rows
        .into_iter()
        .filter_map(|(id, name, st, n)| TaskStatus::parse(&st).map(|s| (id, name, s, n)))
        .collect())
}
