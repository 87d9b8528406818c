//! Reading the aggregates: [`sums`] (one period of one subtree), [`sums_many`] (several
//! periods), [`sums_subtrees`] (several subtrees), each a few grouped reads of the day and
//! month rows after a [`drain`](super::drain()); and [`snapshot`], the whole tables, to
//! compare a rebuild with incremental maintenance.

use chrono::NaiveDate;
use domain::indicator::counters::{COUNTERS, Counter, Counts, RangePlan};
use sqlx::Row;

use super::{StoredContribution, columns, drain};
use crate::{Db, Result, like_prefix, on_db};

fn in_range(col: &str, ranges: &[(NaiveDate, NaiveDate)], first_param: usize) -> String {
    if ranges.is_empty() {
        return "1 = 0".into();
    }
    ranges
        .iter()
        .enumerate()
        .map(|(i, _)| {
            format!(
                "({col} >= ${} and {col} <= ${})",
                first_param + 2 * i,
                first_param + 2 * i + 1
            )
        })
        .collect::<Vec<_>>()
        .join(" or ")
}

fn is_stock(c: Counter) -> bool {
    matches!(
        c,
        Counter::OpenIn | Counter::OpenOut | Counter::OverdueIn | Counter::OverdueOut
    )
}

/// Per key (`month` or `day`) of `table`, the counters of the subtree at `$1` (`''`: the
/// province) for the keys where `cond` holds: one grouped scan.
fn grouped_sql(table: &str, key: &str, scoped: bool, cond: &str) -> String {
    let cols: Vec<String> = Counter::ALL
        .iter()
        .map(|c| format!("cast(coalesce(sum(x.{0}), 0) as bigint)", c.column()))
        .collect();
    let scope = if scoped {
        "join agency a on a.id = x.unit_id where a.path like $1 escape '\\' and"
    } else {
        "where cast($1 as text) = '' and"
    };
    format!(
        "select x.{key}, {} from {table} x {scope} ({cond}) group by x.{key}",
        cols.join(", ")
    )
}

/// Merges overlapping or touching day ranges (inclusive), sorted.
fn merge_ranges(mut r: Vec<(NaiveDate, NaiveDate)>) -> Vec<(NaiveDate, NaiveDate)> {
    r.sort();
    let mut out: Vec<(NaiveDate, NaiveDate)> = Vec::with_capacity(r.len());
    for (a, b) in r {
        match out.last_mut() {
            Some(last) if a <= last.1.succ_opt().unwrap_or(last.1) => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// The COUNTERS columns that follow the key (column 0) of a grouped row.
fn counts_after_key<R>(r: &R) -> std::result::Result<Counts, sqlx::Error>
where
    R: sqlx::Row,
    usize: sqlx::ColumnIndex<R>,
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    let mut c = Counts::default();
    for i in 0..COUNTERS {
        c.0[i] = r.try_get::<i64, _>(i + 1)?;
    }
    Ok(c)
}

/// (flows, stocks) of a period: the flow counters of `flows` and the stock counters of
/// `stocks` (the same sums when one read served both).
fn flow_stock(flows: &Counts, stocks: &Counts) -> (Counts, Counts) {
    let mut flow = Counts::default();
    let mut stock = Counts::default();
    for c in Counter::ALL {
        if is_stock(c) {
            stock.add(c, stocks.get(c));
        } else {
            flow.add(c, flows.get(c));
        }
    }
    (flow, stock)
}

/// Reads `sql` (a [`grouped_sql`]) with `$1` = `pattern` and then `params`: the counters by
/// key, sorted by key.
async fn grouped(
    db: &Db,
    sql: String,
    pattern: &str,
    params: &[NaiveDate],
) -> Result<Vec<(NaiveDate, Counts)>> {
    let rows = on_db!(db, |p| {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(pattern);
        for d in params {
            q = q.bind(*d);
        }
        let mut out = Vec::new();
        for r in q.fetch_all(p).await? {
            out.push((r.try_get::<NaiveDate, _>(0)?, counts_after_key(&r)?));
        }
        out
    });
    let mut rows = rows;
    rows.sort_by_key(|r| r.0);
    Ok(rows)
}

/// The counters of the subtree at `scope_path` (`None`: the province) for the local days
/// `from..=to`: (flows over those days, stocks at the end of `to`). [`sums_many`] for one
/// period.
pub async fn sums(
    db: &Db,
    scope_path: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(Counts, Counts)> {
    Ok(sums_many(db, scope_path, &[(from, to)])
        .await?
        .pop()
        .unwrap_or_default())
}

/// [`sums`] of several periods of one subtree (the 12 points of a trend) in two grouped
/// reads: the monthly rows by month up to the last month any period needs (stocks sum
/// every month before a period's last month: the history is read once, not once per
/// period), and the daily rows by day of the days the periods need outside whole months
/// and in their last month ([`RangePlan`]: at most ~3 months of days per period). Flows
/// and stocks are then summed per period in memory.
pub async fn sums_many(
    db: &Db,
    scope_path: Option<&str>,
    periods: &[(NaiveDate, NaiveDate)],
) -> Result<Vec<(Counts, Counts)>> {
    drain(db).await?;
    if periods.is_empty() {
        return Ok(Vec::new());
    }
    let plans: Vec<RangePlan> = periods
        .iter()
        .map(|(f, t)| RangePlan::new(*f, *t))
        .collect();
    let pattern = scope_path.map(like_prefix).unwrap_or_default();
    let scoped = scope_path.is_some();
    let month_hi = plans
        .iter()
        .map(|p| p.months.map_or(p.stock_month, |m| m.1.max(p.stock_month)))
        .max()
        .unwrap_or_default();
    let months = grouped(
        db,
        grouped_sql("agg_unit_month", "month", scoped, "x.month <= $2"),
        &pattern,
        &[month_hi],
    )
    .await?;
    let day_ranges = merge_ranges(
        plans
            .iter()
            .flat_map(|p| p.days.iter().copied().chain([(p.stock_month, p.to)]))
            .collect(),
    );
    let days = grouped(
        db,
        grouped_sql(
            "agg_unit_day",
            "day",
            scoped,
            &in_range("x.day", &day_ranges, 2),
        ),
        &pattern,
        &day_ranges
            .iter()
            .flat_map(|(a, b)| [*a, *b])
            .collect::<Vec<_>>(),
    )
    .await?;
    let sum = |rows: &[(NaiveDate, Counts)], lo: NaiveDate, hi: NaiveDate, into: &mut Counts| {
        let start = rows.partition_point(|r| r.0 < lo);
        for (k, c) in &rows[start..] {
            if *k > hi {
                break;
            }
            into.merge(c, 1);
        }
    };
    let oldest = NaiveDate::MIN;
    Ok(plans
        .iter()
        .map(|plan| {
            let mut flows = Counts::default();
            if let Some((lo, hi)) = plan.months {
                sum(&months, lo, hi, &mut flows);
            }
            for (lo, hi) in &plan.days {
                sum(&days, *lo, *hi, &mut flows);
            }
            let mut stocks = Counts::default();
            if let Some(before) = plan.stock_month.pred_opt() {
                sum(&months, oldest, before, &mut stocks);
            }
            sum(&days, plan.stock_month, plan.to, &mut stocks);
            flow_stock(&flows, &stocks)
        })
        .collect())
}

/// [`sums`] of one period for several subtrees at once (the units of a ranking): the
/// monthly and daily rows the period needs are read once, summed by unit path with the
/// flow and stock conditions of [`RangePlan`], and each subtree adds up the paths under
/// it. The same numbers as one [`sums`] per path.
pub async fn sums_subtrees(
    db: &Db,
    paths: &[&str],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(Counts, Counts)>> {
    drain(db).await?;
    let plan = RangePlan::new(from, to);
    // Per table: `select a.path, <flows where flow, stocks where stock> … group by a.path`.
    let by_path = |table: &str, flow: &str, stock: &str, filter: &str| {
        let cols: Vec<String> = Counter::ALL
            .iter()
            .map(|c| {
                let cond = if is_stock(*c) { stock } else { flow };
                format!(
                    "cast(coalesce(sum(case when {cond} then x.{0} else 0 end), 0) as bigint)",
                    c.column()
                )
            })
            .collect();
        format!(
            "select a.path, {} from {table} x join agency a on a.id = x.unit_id \
             where {filter} group by a.path",
            cols.join(", ")
        )
    };
    // Months: flows of whole months ($2..$3), stocks of months before `to`'s month ($1).
    let (m_lo, m_hi) = plan.months.unwrap_or((plan.stock_month, plan.stock_month));
    let month_flow = if plan.months.is_some() {
        "(x.month >= $2 and x.month <= $3)"
    } else {
        "1 = 0"
    };
    let month_sql = by_path(
        "agg_unit_month",
        month_flow,
        "x.month < $1",
        "x.month <= $3 and cast($2 as text) is not null",
    );
    let month_params = [plan.stock_month, m_lo, m_hi.max(plan.stock_month)];
    // Days: flows of the period's other days ($3…), stocks of `to`'s month up to `to`
    // ($1..$2).
    let day_sql = by_path(
        "agg_unit_day",
        &in_range("x.day", &plan.days, 3),
        "(x.day >= $1 and x.day <= $2)",
        &format!(
            "((x.day >= $1 and x.day <= $2) or {})",
            in_range("x.day", &plan.days, 3)
        ),
    );
    let mut day_params = vec![plan.stock_month, plan.to];
    day_params.extend(plan.days.iter().flat_map(|(a, b)| [*a, *b]));
    let mut rows: Vec<(String, Counts)> = Vec::new();
    for (sql, params) in [(month_sql, &month_params[..]), (day_sql, &day_params[..])] {
        let part = on_db!(db, |p| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for d in params {
                q = q.bind(*d);
            }
            let mut out = Vec::new();
            for r in q.fetch_all(p).await? {
                out.push((r.try_get::<String, _>(0)?, counts_after_key(&r)?));
            }
            out
        });
        rows.extend(part);
    }
    Ok(paths
        .iter()
        .map(|path| {
            let mut total = Counts::default();
            for (p, c) in &rows {
                if p.starts_with(path) {
                    total.merge(c, 1);
                }
            }
            flow_stock(&total, &total)
        })
        .collect())
}

// ---------------------------------------------------------------------------------------
// Verification
// ---------------------------------------------------------------------------------------

/// The aggregate tables, sorted, without all-zero rows: two states compare equal when
/// every count is the same (`rebuild` vs incremental maintenance).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub days: Vec<(i64, NaiveDate, Counts)>,
    pub months: Vec<(i64, NaiveDate, Counts)>,
    pub dossiers: Vec<StoredContribution>,
}

pub async fn snapshot(db: &Db) -> Result<Snapshot> {
    drain(db).await?;
    let cols = columns();
    let day_sql = format!("select unit_id, day, {cols} from agg_unit_day order by unit_id, day");
    let month_sql =
        format!("select unit_id, month, {cols} from agg_unit_month order by unit_id, month");
    let read = |rows: Vec<(i64, NaiveDate, Counts)>| {
        rows.into_iter()
            .filter(|(_, _, n)| !n.is_zero())
            .collect::<Vec<_>>()
    };
    Ok(on_db!(db, |p| {
        let mut out = Vec::new();
        for sql in [&day_sql, &month_sql] {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                .fetch_all(p)
                .await?;
            let mut v = Vec::with_capacity(rows.len());
            for r in rows {
                let mut n = Counts::default();
                for (i, x) in n.0.iter_mut().enumerate() {
                    *x = r.try_get::<i64, _>(i + 2)?;
                }
                v.push((r.try_get::<i64, _>(0)?, r.try_get::<NaiveDate, _>(1)?, n));
            }
            out.push(read(v));
        }
        let dossiers: Vec<StoredContribution> = sqlx::query_as(
            "select dossier_id, unit_id, received_day, flags, end_day, verdict, overdue_day, finished_day, \
             returned_day from agg_dossier order by dossier_id",
        )
        .fetch_all(p)
        .await?;
        let months = out.pop().unwrap_or_default();
        let days = out.pop().unwrap_or_default();
        Snapshot {
            days,
            months,
            dossiers,
        }
    }))
}
