//! Maintenance on every dossier write: [`touch`], called by each write path just before
//! commit. On PostgreSQL it is [`on_dossier_write`], which recomputes the dossier's
//! contribution under the row lock of the stored one and applies `new − old` to the day
//! and month rows at once; on SQLite it is [`touch_sqlite`], which marks the dossier for
//! [`drain`](super::drain()).

use std::sync::LazyLock;

use domain::dossier::Pause;
use domain::indicator::counters::{COUNTERS, Contribution, Counter};

use super::{DOSSIER_SELECT, DossierRow, PauseRow, StoredContribution, changes, columns};
use crate::Result;

/// `insert … on conflict (unit_id, {key}) do update set x = t.x + excluded.x, …`.
fn upsert_sql(table: &str, key: &str) -> String {
    let params: Vec<String> = (0..COUNTERS).map(|i| format!("${}", i + 3)).collect();
    let sets: Vec<String> = Counter::ALL
        .iter()
        .map(|c| format!("{0} = {table}.{0} + excluded.{0}", c.column()))
        .collect();
    format!(
        "insert into {table} (unit_id, {key}, {}) values ($1, $2, {}) on conflict (unit_id, {key}) do update set {}",
        columns(),
        params.join(", "),
        sets.join(", ")
    )
}

static UPSERT_DAY: LazyLock<String> = LazyLock::new(|| upsert_sql("agg_unit_day", "day"));
static UPSERT_MONTH: LazyLock<String> = LazyLock::new(|| upsert_sql("agg_unit_month", "month"));
static SELECT_ONE: LazyLock<String> = LazyLock::new(|| format!("{DOSSIER_SELECT} where h.id = $1"));

const SAVE_CONTRIBUTION: &str = "insert into agg_dossier (dossier_id, unit_id, received_day, flags, end_day, verdict, \
     overdue_day, finished_day, returned_day) values ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
     on conflict (dossier_id) do update set unit_id = excluded.unit_id, received_day = excluded.received_day, \
     flags = excluded.flags, end_day = excluded.end_day, verdict = excluded.verdict, \
     overdue_day = excluded.overdue_day, finished_day = excluded.finished_day, returned_day = excluded.returned_day";

/// The body of [`on_dossier_write`], compiled once per backend connection type.
macro_rules! write_body {
    ($c:expr, $id:expr, $stored_sql:expr) => {{
        let c = $c;
        let id: i64 = $id;
        // The stored contribution first, locked on PostgreSQL: a concurrent write of the
        // same dossier (an outbox delivery during a transition) waits here, and then reads
        // the dossier as the other one committed it — each change applies exactly once.
        let stored: Option<StoredContribution> = sqlx::query_as($stored_sql)
            .bind(id)
            .fetch_optional(&mut *c)
            .await?;
        let row: DossierRow = sqlx::query_as(sqlx::AssertSqlSafe(SELECT_ONE.as_str()))
            .bind(id)
            .fetch_one(&mut *c)
            .await?;
        let pauses: Vec<Pause> = if row.supplement_count > 0 {
            let rows: Vec<PauseRow> = sqlx::query_as(
                "select dossier_id, started_at, ended_at from dossier_pause \
                 where dossier_id = $1 and kind = 'supplement' order by id",
            )
            .bind(id)
            .fetch_all(&mut *c)
            .await?;
            rows.iter().map(PauseRow::pause).collect()
        } else {
            Vec::new()
        };
        let unit = row.unit();
        if row.unit_id.is_none() || row.online_level.is_none() {
            sqlx::query("update dossier set unit_id = $1, online_level = $2 where id = $3")
                .bind(unit)
                .bind(row.online_level())
                .bind(id)
                .execute(&mut *c)
                .await?;
        }
        let new = Contribution::of(&row.record(pauses));
        let next = StoredContribution::new(id, unit, &new);
        if stored.as_ref() != Some(&next) {
            let (days, months) = changes(
                stored.as_ref().map(|s| (s.unit_id, s.contribution())),
                (unit, new),
            );
            for (sql, rows) in [
                (UPSERT_DAY.as_str(), &days),
                (UPSERT_MONTH.as_str(), &months),
            ] {
                for (u, d, n) in rows {
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(*u).bind(*d);
                    for v in n.0 {
                        q = q.bind(v);
                    }
                    q.execute(&mut *c).await?;
                }
            }
            sqlx::query(SAVE_CONTRIBUTION)
                .bind(next.dossier_id)
                .bind(next.unit_id)
                .bind(next.received_day)
                .bind(next.flags)
                .bind(next.end_day)
                .bind(next.verdict)
                .bind(next.overdue_day)
                .bind(next.finished_day)
                .bind(next.returned_day)
                .execute(&mut *c)
                .await?;
        }
        Ok(())
    }};
}

const SELECT_STORED: &str = "select dossier_id, unit_id, received_day, flags, end_day, verdict, overdue_day, \
     finished_day, returned_day from agg_dossier where dossier_id = $1";

// SQLite needs no row lock: a write transaction holds the database's write lock from its
// first statement (every write path starts with a write).
async fn write_sqlite(c: &mut sqlx::SqliteConnection, id: i64) -> Result<()> {
    write_body!(c, id, SELECT_STORED)
}

async fn write_pg(c: &mut sqlx::PgConnection, id: i64) -> Result<()> {
    write_body!(
        c,
        id,
        "select dossier_id, unit_id, received_day, flags, end_day, verdict, overdue_day, \
         finished_day, returned_day from agg_dossier where dossier_id = $1 for update"
    )
}

/// A connection of either backend inside a transaction (`&mut *tx`).
pub trait AggConnection: Send {
    fn dossier_written(&mut self, id: i64) -> impl Future<Output = Result<()>> + Send;
    fn dossier_touched(&mut self, id: i64) -> impl Future<Output = Result<()>> + Send;
}

impl AggConnection for sqlx::SqliteConnection {
    fn dossier_written(&mut self, id: i64) -> impl Future<Output = Result<()>> + Send {
        write_sqlite(self, id)
    }
    fn dossier_touched(&mut self, id: i64) -> impl Future<Output = Result<()>> + Send {
        touch_sqlite(self, id)
    }
}

impl AggConnection for sqlx::PgConnection {
    fn dossier_written(&mut self, id: i64) -> impl Future<Output = Result<()>> + Send {
        write_pg(self, id)
    }
    fn dossier_touched(&mut self, id: i64) -> impl Future<Output = Result<()>> + Send {
        write_pg(self, id)
    }
}

/// What every dossier write path calls just before commit: on SQLite it marks the dossier
/// ([`touch_sqlite`]; call [`schedule_drain`](super::schedule_drain) after the commit), on
/// PostgreSQL it brings the aggregates up to date at once ([`on_dossier_write`], under the
/// row lock of the stored contribution, so concurrent writers apply each change exactly
/// once).
pub async fn touch<C: AggConnection>(conn: &mut C, id: i64) -> Result<()> {
    conn.dossier_touched(id).await
}

/// Brings the aggregates up to date with dossier `id` as the current transaction left it:
/// call once per write path, just before commit (`crate::agg::on_dossier_write(&mut *tx,
/// id).await?`). Cost: the dossier row (with its pending outbox count, by the partial index
/// `dossier_outbox_dossier_pending_idx`), its supplement pauses when it has any, its stored
/// contribution, and — only when something counted changed — one upsert per touched day
/// and month (typically 1–3 of each) and the new contribution. Also fixes `unit_id` and
/// `online_level` on the dossier's first write.
pub async fn on_dossier_write<C: AggConnection>(conn: &mut C, id: i64) -> Result<()> {
    conn.dossier_written(id).await
}

/// Marks dossier `id` for the aggregates inside the caller's write transaction (SQLite: a
/// row in `agg_dirty`, applied by [`drain`](super::drain()) right after commit and before
/// any read; PostgreSQL: [`on_dossier_write`] at once, under its row lock). Call once per
/// write path, just before commit, then [`schedule_drain`](super::schedule_drain) after the
/// commit.
pub async fn touch_sqlite(c: &mut sqlx::SqliteConnection, id: i64) -> Result<()> {
    sqlx::query("insert into agg_dirty (dossier_id) values ($1) on conflict do nothing")
        .bind(id)
        .execute(&mut *c)
        .await?;
    Ok(())
}
