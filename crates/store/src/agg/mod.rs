//! Indicator aggregates (issue 7, "Speed at province scale"): per-unit counters by day and
//! by month, maintained in the transaction of every dossier write, so that a unit's 766
//! facts for any period read a few hundred rows per unit instead of every dossier of the
//! period (`domain::indicator::counters` holds the rules; this module the SQL).
//!
//! - **Attribution** ([`unit_of`]): each dossier counts for exactly one unit, fixed at
//!   intake in `dossier.unit_id` — the implementing agency of a provincial-level procedure
//!   (`tthc.level = 'tinh'`) when the catalog names one, else the receiving desk
//!   (`dossier.agency_id`). A subtree is `unit path like prefix%`, so sums never count a
//!   dossier twice. The procedure's online level is fixed at intake too
//!   (`dossier.online_level`), so a later catalog edit does not rewrite past months.
//! - **Maintenance** ([`touch`]): called once per write path (intake, transition, note,
//!   outbox delivery) just before commit. On PostgreSQL it is [`on_dossier_write`]: it
//!   reads the dossier as the transaction left it, computes its [`Contribution`], and
//!   applies `new − old` to the day and month rows (`insert … on conflict … do update set
//!   x = x + excluded.x`), then stores the new contribution in `agg_dossier`. On SQLite it
//!   marks the dossier in `agg_dirty` in the same transaction, and [`drain`] applies the
//!   marks set-based, in the background right after and before every read ([`sums`]).
//! - **Rebuild** ([`rebuild`]): recomputes everything from the dossier tables (after bulk
//!   generation, by `cchc aggregates rebuild`, and at start-up when never built).
//! - **Read** ([`sums`]): the period's flows and the stocks at its end.

use crate::BeginWrite;
use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use domain::dossier::Pause;
use domain::indicator::counters::{
    COUNTERS, Contribution, Counter, Counts, DossierRecord, RangePlan, month_of,
};
use sqlx::Row;

use crate::{Db, Result, like_prefix, on_db};

/// Vietnam local time (UTC+07:00) of an instant: the days counters are kept by.
fn local(t: DateTime<Utc>) -> NaiveDateTime {
    (t + Duration::hours(7)).naive_utc()
}

/// The unit a dossier counts for (see the module doc): the procedure's agency for a
/// provincial-level procedure that names one, else the receiving desk. The same rule is
/// written in SQL in [`rebuild`] and in migration 0011.
pub fn unit_of(tthc_level: &str, tthc_agency_id: Option<i64>, desk_id: i64) -> i64 {
    match tthc_agency_id {
        Some(a) if tthc_level == "tinh" => a,
        _ => desk_id,
    }
}

const UNIT_SQL: &str = "coalesce((select t.agency_id from tthc t where t.id = dossier.tthc_id and t.level = 'tinh'), dossier.agency_id)";

/// One dossier as the counters read it.
#[derive(Debug, Clone, sqlx::FromRow)]
struct DossierRow {
    id: i64,
    unit_id: Option<i64>,
    agency_id: i64,
    tthc_level: String,
    tthc_agency_id: Option<i64>,
    tthc_online_level: String,
    online_level: Option<String>,
    status: i32,
    channel: i32,
    received_at: Option<DateTime<Utc>>,
    appointment_at: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
    returned_at: Option<DateTime<Utc>>,
    stopped_at: Option<DateTime<Utc>>,
    withdrawn_at: Option<DateTime<Utc>>,
    supplement_count: i32,
    digitized: bool,
    e_result: bool,
    fee_amount: Option<i64>,
    paid_online: bool,
    rating: Option<i32>,
    pending: i64,
}

const DOSSIER_SELECT: &str = "select h.id, h.unit_id, h.agency_id, t.level as tthc_level, t.agency_id as tthc_agency_id, \
     t.online_level as tthc_online_level, h.online_level, h.status, h.channel, h.received_at, h.appointment_at, \
     h.finished_at, h.returned_at, h.stopped_at, h.withdrawn_at, h.supplement_count, h.digitized, h.e_result, \
     h.fee_amount, h.paid_online, h.rating, \
     (select count(*) from dossier_outbox o where o.dossier_id = h.id and o.sent_at is null) as pending \
     from dossier h join tthc t on t.id = h.tthc_id";

impl DossierRow {
    fn unit(&self) -> i64 {
        self.unit_id
            .unwrap_or_else(|| unit_of(&self.tthc_level, self.tthc_agency_id, self.agency_id))
    }

    fn online_level(&self) -> &str {
        self.online_level
            .as_deref()
            .unwrap_or(&self.tthc_online_level)
    }

    fn record(&self, pauses: Vec<Pause>) -> DossierRecord {
        DossierRecord {
            refused: self.status == 3,
            received_at: self.received_at.map(local),
            appointment: self.appointment_at.map(local),
            supplement_pauses: pauses,
            finished_at: self.finished_at.map(local),
            returned_at: self.returned_at.map(local),
            stopped_at: self.stopped_at.map(local),
            withdrawn_at: self.withdrawn_at.map(local),
            online: self.channel == 2,
            full_online_eligible: self.online_level() == "toan_trinh",
            digitized: self.digitized,
            e_result: self.e_result,
            payable: self.fee_amount.is_some_and(|x| x > 0),
            paid_online: self.paid_online,
            rating: self.rating,
            synced: self.pending == 0,
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct PauseRow {
    dossier_id: i64,
    started_at: DateTime<Utc>,
    ended_at: Option<DateTime<Utc>>,
}

impl PauseRow {
    fn pause(&self) -> Pause {
        Pause {
            start: local(self.started_at),
            end: self.ended_at.map(local),
        }
    }
}

/// A stored contribution (`agg_dossier`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredContribution {
    pub dossier_id: i64,
    pub unit_id: i64,
    pub received_day: Option<NaiveDate>,
    pub flags: i32,
    pub end_day: Option<NaiveDate>,
    pub verdict: Option<i32>,
    pub overdue_day: Option<NaiveDate>,
    pub finished_day: Option<NaiveDate>,
    pub returned_day: Option<NaiveDate>,
}

impl StoredContribution {
    fn new(dossier_id: i64, unit_id: i64, c: &Contribution) -> StoredContribution {
        StoredContribution {
            dossier_id,
            unit_id,
            received_day: c.received_day,
            flags: c.flags as i32,
            end_day: c.end_day,
            verdict: c.verdict_code(),
            overdue_day: c.overdue_day,
            finished_day: c.finished_day,
            returned_day: c.returned_day,
        }
    }

    fn contribution(&self) -> Contribution {
        Contribution {
            received_day: self.received_day,
            flags: self.flags as u32,
            end_day: self.end_day,
            verdict: Contribution::verdict_of_code(self.verdict),
            overdue_day: self.overdue_day,
            finished_day: self.finished_day,
            returned_day: self.returned_day,
        }
    }
}

fn columns() -> String {
    Counter::ALL
        .iter()
        .map(|c| c.column())
        .collect::<Vec<_>>()
        .join(", ")
}

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

/// The row changes `old → new` of one dossier: per (unit, day) and per (unit, month),
/// sorted (so that concurrent transactions lock rows in the same order).
type Changes = (Vec<(i64, NaiveDate, Counts)>, Vec<(i64, NaiveDate, Counts)>);

fn changes(old: Option<(i64, Contribution)>, new: (i64, Contribution)) -> Changes {
    let mut days: BTreeMap<(i64, NaiveDate), Counts> = BTreeMap::new();
    add_changes(&mut days, old, new);
    split(days)
}

/// Adds the day changes `old → new` of one dossier to `days`.
fn add_changes(
    days: &mut BTreeMap<(i64, NaiveDate), Counts>,
    old: Option<(i64, Contribution)>,
    new: (i64, Contribution),
) {
    match old {
        Some((u, c)) if u == new.0 => {
            for (d, n) in domain::indicator::counters::delta(&c, &new.1) {
                days.entry((u, d)).or_default().merge(&n, 1);
            }
        }
        Some((u, c)) => {
            for (d, n) in c.counts() {
                days.entry((u, d)).or_default().merge(&n, -1);
            }
            for (d, n) in new.1.counts() {
                days.entry((new.0, d)).or_default().merge(&n, 1);
            }
        }
        None => {
            for (d, n) in new.1.counts() {
                days.entry((new.0, d)).or_default().merge(&n, 1);
            }
        }
    }
}

/// Day changes → (day rows, month rows), sorted, without all-zero rows.
fn split(days: BTreeMap<(i64, NaiveDate), Counts>) -> Changes {
    let mut months: BTreeMap<(i64, NaiveDate), Counts> = BTreeMap::new();
    for ((u, d), n) in &days {
        months.entry((*u, month_of(*d))).or_default().merge(n, 1);
    }
    let keep = |m: BTreeMap<(i64, NaiveDate), Counts>| {
        m.into_iter()
            .filter(|(_, n)| !n.is_zero())
            .map(|((u, d), n)| (u, d, n))
            .collect::<Vec<_>>()
    };
    (keep(days), keep(months))
}

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
/// ([`touch_sqlite`]; call [`schedule_drain`] after the commit), on PostgreSQL it brings the
/// aggregates up to date at once ([`on_dossier_write`], under the row lock of the stored
/// contribution, so concurrent writers apply each change exactly once).
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

/// Marks dossier `id` for the aggregates inside the caller's write transaction (SQLite:
/// a row in `agg_dirty`, applied by [`drain`] right after commit and before any read;
/// PostgreSQL: [`on_dossier_write`] at once, under its row lock). Call once per write path,
/// just before commit, then [`schedule_drain`] after the commit.
pub async fn touch_sqlite(c: &mut sqlx::SqliteConnection, id: i64) -> Result<()> {
    sqlx::query("insert into agg_dirty (dossier_id) values ($1) on conflict do nothing")
        .bind(id)
        .execute(&mut *c)
        .await?;
    Ok(())
}

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
/// before the release is not left behind. Reads never depend on it ([`sums`] drains
/// first). No-op on PostgreSQL.
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
/// [`unit_of`], set-based.
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
/// its own transaction, see [`touch_sqlite`]), set-based: per transaction under the write
/// gate, up to [`DRAIN_BATCH`] marked dossiers are read at once (rows, supplement pauses,
/// stored contributions: three statements), their `new − old` changes are summed in memory
/// per (unit, day) and (unit, month), and written with one upsert per table, one statement
/// for the new contributions, after the one taking the marks: seven statements whatever the
/// number of dossiers. Run in the background after writes ([`schedule_drain`]) and before
/// every read of the aggregates ([`sums`]), so a read never misses a committed write, even
/// after a crash between the two. Marking is idempotent (a dossier marked twice is simply
/// recomputed from its current state). On PostgreSQL nothing is ever marked.
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

// ---------------------------------------------------------------------------------------
// Rebuild
// ---------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------
// Read
// ---------------------------------------------------------------------------------------

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
