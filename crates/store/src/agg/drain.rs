//! The SQLite drain: the dossiers marked in `agg_dirty` by the write paths are applied
//! set-based ([`drain`]), in the background right after the writes ([`schedule_drain`])
//! and before every read of the aggregates, with one JSON-array upsert per table.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use chrono::NaiveDate;
use domain::dossier::Pause;
use domain::indicator::counters::{COUNTERS, Contribution, Counter, Counts};

use super::{
    DOSSIER_SELECT, DossierRow, PauseRow, StoredContribution, UNIT_SQL, add_changes, columns, split,
};
use crate::{BeginWrite, Db, Result};

/// Databases (by file name) whose marks a background task is applying now.
static DRAINING: LazyLock<std::sync::Mutex<std::collections::HashSet<std::path::PathBuf>>> =
    LazyLock::new(Default::default);

/// Clears the "draining" flag of one database when the background task ends, however it
/// ends (also when its runtime shuts down mid-way).
struct Draining(std::path::PathBuf);

impl Drop for Draining {
    fn drop(&mut self) {
        if let Ok(mut set) = DRAINING.lock() {
            set.remove(&self.0);
        }
    }
}

fn claim(key: &std::path::Path) -> Option<Draining> {
    let mut set = DRAINING.lock().ok()?;
    set.insert(key.to_path_buf())
        .then(|| Draining(key.to_path_buf()))
}

/// Applies the marks of `agg_dirty` in the background, off the request that wrote them:
/// starts one task per database unless one is already running; the task drains until the
/// table is empty, releases the flag, and looks once more so that a mark written just
/// before the release is not left behind. Reads never depend on it ([`sums`](super::sums)
/// drains first). No-op on PostgreSQL.
pub fn schedule_drain(db: &Db) {
    let Db::Sqlite(p) = db else {
        return;
    };
    let key = p.connect_options().get_filename().to_path_buf();
    let Some(mut flag) = claim(&key) else {
        return;
    };
    let db = db.clone();
    tokio::spawn(async move {
        loop {
            if let Err(e) = drain(&db).await {
                tracing::warn!(error = %e, "indicator aggregates: drain failed; retried on next read");
                return;
            }
            drop(flag);
            let pending: Option<i64> = match &db {
                Db::Sqlite(p) => sqlx::query_scalar("select dossier_id from agg_dirty limit 1")
                    .fetch_optional(p)
                    .await
                    .unwrap_or(None),
                Db::Pg(_) => None,
            };
            match pending.and_then(|_| claim(&key)) {
                Some(f) => flag = f,
                None => return,
            }
        }
    });
}

/// How many marked dossiers one drain transaction takes.
const DRAIN_BATCH: i64 = 4000;

static SELECT_MARKED: LazyLock<String> = LazyLock::new(|| {
    format!("{DOSSIER_SELECT} where h.id in (select value from json_each($1)) order by h.id")
});

/// Fills `unit_id` and `online_level` where a write path left them empty, by the rule of
/// [`unit_of`](super::unit_of), set-based.
static FIX_MARKED: LazyLock<String> = LazyLock::new(|| {
    format!(
        "update dossier set unit_id = coalesce(unit_id, {UNIT_SQL}), \
         online_level = coalesce(online_level, (select t.online_level from tthc t where t.id = dossier.tthc_id)) \
         where id in (select value from json_each($1)) and (unit_id is null or online_level is null)"
    )
});

/// `insert … select … from json_each($1) … on conflict … do update set x = t.x + excluded.x`:
/// one statement for any number of rows, each a JSON array `[unit, day, c0, c1, …]`.
fn upsert_json_sql(table: &str, key: &str) -> String {
    let picks: Vec<String> = (0..COUNTERS + 2)
        .map(|i| format!("json_extract(j.value, '$[{i}]')"))
        .collect();
    let sets: Vec<String> = Counter::ALL
        .iter()
        .map(|c| format!("{0} = {table}.{0} + excluded.{0}", c.column()))
        .collect();
    format!(
        "insert into {table} (unit_id, {key}, {}) select {} from json_each($1) j where true \
         on conflict (unit_id, {key}) do update set {}",
        columns(),
        picks.join(", "),
        sets.join(", ")
    )
}

static UPSERT_DAY_JSON: LazyLock<String> = LazyLock::new(|| upsert_json_sql("agg_unit_day", "day"));
static UPSERT_MONTH_JSON: LazyLock<String> =
    LazyLock::new(|| upsert_json_sql("agg_unit_month", "month"));

const SAVE_CONTRIBUTIONS_JSON: &str = "insert into agg_dossier (dossier_id, unit_id, received_day, flags, end_day, \
     verdict, overdue_day, finished_day, returned_day) \
     select json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), json_extract(j.value, '$[2]'), \
     json_extract(j.value, '$[3]'), json_extract(j.value, '$[4]'), json_extract(j.value, '$[5]'), \
     json_extract(j.value, '$[6]'), json_extract(j.value, '$[7]'), json_extract(j.value, '$[8]') \
     from json_each($1) j where true \
     on conflict (dossier_id) do update set unit_id = excluded.unit_id, received_day = excluded.received_day, \
     flags = excluded.flags, end_day = excluded.end_day, verdict = excluded.verdict, \
     overdue_day = excluded.overdue_day, finished_day = excluded.finished_day, returned_day = excluded.returned_day";

fn counter_rows(rows: &[(i64, NaiveDate, Counts)]) -> String {
    let v: Vec<serde_json::Value> = rows
        .iter()
        .map(|(u, d, n)| {
            let mut a = vec![serde_json::json!(u), serde_json::json!(d.to_string())];
            a.extend(n.0.iter().map(|x| serde_json::json!(x)));
            serde_json::Value::Array(a)
        })
        .collect();
    serde_json::Value::Array(v).to_string()
}

fn contribution_rows(rows: &[StoredContribution]) -> String {
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string());
    let v: Vec<serde_json::Value> = rows
        .iter()
        .map(|s| {
            serde_json::json!([
                s.dossier_id,
                s.unit_id,
                day(s.received_day),
                s.flags,
                day(s.end_day),
                s.verdict,
                day(s.overdue_day),
                day(s.finished_day),
                day(s.returned_day)
            ])
        })
        .collect();
    serde_json::Value::Array(v).to_string()
}

/// Applies the dossiers marked in `agg_dirty` (every SQLite write path marks its dossier in
/// its own transaction, see [`touch_sqlite`](super::touch_sqlite)), set-based: per
/// transaction under the write gate, up to [`DRAIN_BATCH`] marked dossiers are read at once
/// (rows, supplement pauses, stored contributions: three statements), their `new − old`
/// changes are summed in memory per (unit, day) and (unit, month), and written with one
/// upsert per table, one statement for the new contributions, after the one taking the
/// marks: seven statements whatever the number of dossiers. Run in the background after
/// writes ([`schedule_drain`]) and before every read of the aggregates
/// ([`sums`](super::sums)), so a read never misses a committed write, even after a crash
/// between the two. Marking is idempotent (a dossier marked twice is simply recomputed from
/// its current state). On PostgreSQL nothing is ever marked.
pub async fn drain(db: &Db) -> Result<()> {
    let Db::Sqlite(p) = db else {
        return Ok(());
    };
    loop {
        let any: Option<i64> = sqlx::query_scalar("select dossier_id from agg_dirty limit 1")
            .fetch_optional(p)
            .await?;
        if any.is_none() {
            return Ok(());
        }
        let gate = db.write_gate().await;
        let mut tx = p.begin_write().await?;
        // A write first, so the transaction holds the write lock from its first statement
        // (a read first could be overtaken by another writer's commit: SQLITE_BUSY_SNAPSHOT).
        let mut ids: Vec<i64> = sqlx::query_scalar(
            "delete from agg_dirty where dossier_id in \
             (select dossier_id from agg_dirty order by dossier_id limit $1) returning dossier_id",
        )
        .bind(DRAIN_BATCH)
        .fetch_all(&mut *tx)
        .await?;
        ids.sort_unstable();
        if !ids.is_empty() {
            apply_marked(&mut tx, &ids).await?;
        }
        tx.commit().await?;
        drop(gate);
    }
}

async fn apply_marked(c: &mut sqlx::SqliteConnection, ids: &[i64]) -> Result<()> {
    let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    sqlx::query(sqlx::AssertSqlSafe(FIX_MARKED.as_str()))
        .bind(&list)
        .execute(&mut *c)
        .await?;
    let rows: Vec<DossierRow> = sqlx::query_as(sqlx::AssertSqlSafe(SELECT_MARKED.as_str()))
        .bind(&list)
        .fetch_all(&mut *c)
        .await?;
    let pause_rows: Vec<PauseRow> = sqlx::query_as(
        "select dossier_id, started_at, ended_at from dossier_pause \
         where dossier_id in (select value from json_each($1)) and kind = 'supplement' \
         order by dossier_id, id",
    )
    .bind(&list)
    .fetch_all(&mut *c)
    .await?;
    let stored: Vec<StoredContribution> = sqlx::query_as(
        "select dossier_id, unit_id, received_day, flags, end_day, verdict, overdue_day, \
         finished_day, returned_day from agg_dossier where dossier_id in (select value from json_each($1))",
    )
    .bind(&list)
    .fetch_all(&mut *c)
    .await?;
    let mut pauses: HashMap<i64, Vec<Pause>> = HashMap::new();
    for r in &pause_rows {
        pauses.entry(r.dossier_id).or_default().push(r.pause());
    }
    let stored: HashMap<i64, StoredContribution> =
        stored.into_iter().map(|s| (s.dossier_id, s)).collect();
    let mut days: BTreeMap<(i64, NaiveDate), Counts> = BTreeMap::new();
    let mut saves = Vec::new();
    for row in &rows {
        let unit = row.unit();
        let new = Contribution::of(&row.record(pauses.remove(&row.id).unwrap_or_default()));
        let next = StoredContribution::new(row.id, unit, &new);
        let old = stored.get(&row.id);
        if old != Some(&next) {
            add_changes(
                &mut days,
                old.map(|s| (s.unit_id, s.contribution())),
                (unit, new),
            );
            saves.push(next);
        }
    }
    let (days, months) = split(days);
    for (sql, rows) in [
        (UPSERT_DAY_JSON.as_str(), &days),
        (UPSERT_MONTH_JSON.as_str(), &months),
    ] {
        if !rows.is_empty() {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(counter_rows(rows))
                .execute(&mut *c)
                .await?;
        }
    }
    if !saves.is_empty() {
        sqlx::query(SAVE_CONTRIBUTIONS_JSON)
            .bind(contribution_rows(&saves))
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}
