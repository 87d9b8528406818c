//! The full rebuild: [`rebuild`] recomputes every aggregate from the dossier tables in one
//! transaction, and [`ensure`] runs it when the aggregates were never built.

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::indicator::counters::{COUNTERS, Contribution, Counts, month_of};

use super::{DOSSIER_SELECT, DossierRow, PauseRow, StoredContribution, UNIT_SQL, columns};
use crate::{BeginWrite, Db, Result, on_db};

/// What a rebuild did.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rebuilt {
    pub dossiers: usize,
    pub day_rows: usize,
    pub month_rows: usize,
    pub secs: f64,
}

const PAGE: i64 = 20_000;

/// Recomputes every aggregate from the dossier tables, in one transaction: fixes
/// `unit_id`/`online_level` where missing (set-based), then streams the dossiers by id in
/// pages with their supplement pauses and pending outbox counts, computes each
/// contribution with the same [`Contribution::of`] as the write path, and writes
/// `agg_dossier`, `agg_unit_day`, `agg_unit_month` and `agg_state`. Concurrent writers wait
/// for it (SQLite: the write lock; PostgreSQL: table locks taken first), so nothing is
/// counted twice or lost.
pub async fn rebuild(db: &Db) -> Result<Rebuilt> {
    let t0 = std::time::Instant::now();
    let mut out = Rebuilt::default();
    let select_page = format!("{DOSSIER_SELECT} where h.id > $1 order by h.id limit {PAGE}");
    let gate = db.write_gate().await;
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        if matches!(db, Db::Pg(_)) {
            sqlx::query("lock table agg_dossier in access exclusive mode")
                .execute(&mut *tx)
                .await?;
            sqlx::query("lock table agg_unit_day, agg_unit_month, agg_state in exclusive mode")
                .execute(&mut *tx)
                .await?;
        }
        for t in [
            "agg_dossier",
            "agg_unit_day",
            "agg_unit_month",
            "agg_state",
            "agg_dirty",
        ] {
            sqlx::query(sqlx::AssertSqlSafe(format!("delete from {t}")))
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "update dossier set unit_id = {UNIT_SQL} where unit_id is null"
        )))
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "update dossier set online_level = (select t.online_level from tthc t where t.id = dossier.tthc_id) \
             where online_level is null",
        )
        .execute(&mut *tx)
        .await?;
        let mut days: HashMap<(i64, NaiveDate), Counts> = HashMap::new();
        let mut last = 0i64;
        loop {
            let rows: Vec<DossierRow> = sqlx::query_as(sqlx::AssertSqlSafe(select_page.as_str()))
                .bind(last)
                .fetch_all(&mut *tx)
                .await?;
            let Some(hi) = rows.last().map(|r| r.id) else {
                break;
            };
            let pauses: Vec<PauseRow> = sqlx::query_as(
                "select dossier_id, started_at, ended_at from dossier_pause \
                 where dossier_id > $1 and dossier_id <= $2 and kind = 'supplement' order by dossier_id, id",
            )
            .bind(last)
            .bind(hi)
            .fetch_all(&mut *tx)
            .await?;
            let mut pi = 0;
            let mut stored = Vec::with_capacity(rows.len());
            for r in &rows {
                while pi < pauses.len() && pauses[pi].dossier_id < r.id {
                    pi += 1;
                }
                let mut mine = Vec::new();
                while pi < pauses.len() && pauses[pi].dossier_id == r.id {
                    mine.push(pauses[pi].pause());
                    pi += 1;
                }
                let c = Contribution::of(&r.record(mine));
                let unit = r.unit();
                for (d, n) in c.counts() {
                    days.entry((unit, d)).or_default().merge(&n, 1);
                }
                stored.push(StoredContribution::new(r.id, unit, &c));
            }
            for chunk in stored.chunks(500) {
                let sql = format!(
                    "insert into agg_dossier (dossier_id, unit_id, received_day, flags, end_day, verdict, \
                     overdue_day, finished_day, returned_day) values {}",
                    crate::bench::placeholders(db, chunk.len(), 9)
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for s in chunk {
                    q = q
                        .bind(s.dossier_id)
                        .bind(s.unit_id)
                        .bind(s.received_day)
                        .bind(s.flags)
                        .bind(s.end_day)
                        .bind(s.verdict)
                        .bind(s.overdue_day)
                        .bind(s.finished_day)
                        .bind(s.returned_day);
                }
                q.execute(&mut *tx).await?;
            }
            out.dossiers += rows.len();
            last = hi;
        }
        let mut months: HashMap<(i64, NaiveDate), Counts> = HashMap::new();
        for ((u, d), n) in &days {
            months.entry((*u, month_of(*d))).or_default().merge(n, 1);
        }
        for (table, key, map) in [
            ("agg_unit_day", "day", &days),
            ("agg_unit_month", "month", &months),
        ] {
            let mut rows: Vec<(&(i64, NaiveDate), &Counts)> =
                map.iter().filter(|(_, n)| !n.is_zero()).collect();
            rows.sort_by_key(|(k, _)| **k);
            if table == "agg_unit_day" {
                out.day_rows = rows.len();
            } else {
                out.month_rows = rows.len();
            }
            for chunk in rows.chunks(200) {
                let sql = format!(
                    "insert into {table} (unit_id, {key}, {}) values {}",
                    columns(),
                    crate::bench::placeholders(db, chunk.len(), COUNTERS + 2)
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for ((u, d), n) in chunk {
                    q = q.bind(*u).bind(*d);
                    for v in n.0 {
                        q = q.bind(v);
                    }
                }
                q.execute(&mut *tx).await?;
            }
        }
        sqlx::query("insert into agg_state (id, rebuilt_at, dossiers) values (1, $1, $2)")
            .bind(crate::now())
            .bind(out.dossiers as i64)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    });
    drop(gate);
    match db {
        Db::Pg(p) => {
            sqlx::query("analyze agg_dossier, agg_unit_day, agg_unit_month")
                .execute(p)
                .await?;
        }
        Db::Sqlite(p) => {
            sqlx::query("analyze agg_unit_day").execute(p).await?;
            sqlx::query("analyze agg_unit_month").execute(p).await?;
        }
    }
    out.secs = t0.elapsed().as_secs_f64();
    Ok(out)
}

/// Builds the aggregates if they never were (a database migrated to 0011 with dossiers in
/// it, or a fresh one). Returns what the build did, if it ran.
pub async fn ensure(db: &Db) -> Result<Option<Rebuilt>> {
    let built: i64 = on_db!(db, |p| {
        sqlx::query_scalar("select count(*) from agg_state")
            .fetch_one(p)
            .await?
    });
    if built > 0 {
        return Ok(None);
    }
    Ok(Some(rebuild(db).await?))
}
