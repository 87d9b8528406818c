//! The SQLite writer thread: group commit for dossier transitions without sqlx.
//!
//! sqlx hands every SQLite statement to the connection's own worker thread, and a
//! multi-statement batch (the first design of [`crate::group_commit`]) is parsed anew on
//! every call because its text differs with the number of jobs. Measured with `perf`
//! under `cchc bench dossiers`, parsing, sqlx's per-statement bookkeeping and the thread
//! switches were most of a transition's cost. So, for a database in a file, transitions go
//! to one dedicated thread per database that owns a plain SQLite connection (rusqlite, on
//! the same bundled SQLite library as sqlx) and keeps every statement prepared:
//!
//! - a request sends its job over a channel and waits for the answer (one thread switch
//!   each way);
//! - the thread takes every job waiting (up to [`crate::group_commit::MAX_JOBS`]), and runs
//!   them in one `begin immediate … commit`, each job inside its own savepoint, so a job
//!   that fails (a constraint, say) is rolled back alone and answered with its error while
//!   the others commit;
//! - each job keeps its optimistic check: its `select changes()` after the guarded update
//!   tells whether it applied, and its inserts are chained on `changes() = 1`;
//! - answers are sent only after the commit, so nobody sees a write that could still be
//!   rolled back;
//! - the thread holds the process's SQLite write gate around each batch, like every other
//!   hot writer, so writers queue instead of sleeping in SQLite's busy handler;
//! - an idle thread ends after a minute (tests open many databases); a request that finds
//!   its thread gone starts a new one.
//!
//! In-memory databases (one connection only) keep the sqlx batch of `group_commit`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

use chrono::SecondsFormat;
use rusqlite::types::Value;
use tokio::sync::oneshot;

use crate::group_commit::{Arg, Job, MAX_JOBS};
use crate::{Result, StoreError};

struct Request {
    job: Job,
    reply: oneshot::Sender<Result<bool>>,
}

/// The writer threads, by database file.
static WRITERS: LazyLock<Mutex<HashMap<PathBuf, Writer>>> = LazyLock::new(Default::default);

/// A writer thread's channel, with a number telling threads of the same file apart.
#[derive(Clone)]
struct Writer {
    id: u64,
    tx: mpsc::Sender<Request>,
}

static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

const IDLE: Duration = Duration::from_secs(60);

/// Runs `job` on the writer thread of the database file `path` and returns whether its
/// guarded update applied (`false`: the row had moved on — a conflict).
pub async fn run(path: &Path, job: Job) -> Result<bool> {
    let (tx, rx) = oneshot::channel();
    let mut req = Request { job, reply: tx };
    loop {
        let w = writer_for(path)?;
        match w.tx.send(req) {
            Ok(()) => break,
            // The thread ended (idle) between our look-up and the send: start another.
            Err(mpsc::SendError(r)) => {
                forget(path, w.id);
                req = r;
            }
        }
    }
    rx.await
        .map_err(|_| StoreError::Invalid("ghi dữ liệu bị gián đoạn".into()))?
}

fn writers() -> std::sync::MutexGuard<'static, HashMap<PathBuf, Writer>> {
    WRITERS.lock().unwrap_or_else(|e| e.into_inner())
}

/// Removes the entry of thread `id` (not a newer thread's).
fn forget_locked(all: &mut HashMap<PathBuf, Writer>, path: &Path, id: u64) {
    if all.get(path).is_some_and(|w| w.id == id) {
        all.remove(path);
    }
}

fn forget(path: &Path, id: u64) {
    forget_locked(&mut writers(), path, id);
}

fn writer_for(path: &Path) -> Result<Writer> {
    let mut all = writers();
    if let Some(w) = all.get(path) {
        return Ok(w.clone());
    }
    let conn = open(path).map_err(sqlite_error)?;
    let (tx, rx) = mpsc::channel();
    let w = Writer {
        id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        tx,
    };
    let (owned, id) = (path.to_path_buf(), w.id);
    std::thread::Builder::new()
        .name("cchc-sqlite-writer".into())
        .spawn(move || serve(conn, rx, owned, id))
        .map_err(|e| StoreError::Sqlite(format!("không khởi động được luồng ghi: {e}")))?;
    all.insert(path.to_path_buf(), w.clone());
    Ok(w)
}

/// The same settings as the sqlx pool (`Db::connect`): WAL, `synchronous=NORMAL`, foreign
/// keys, a busy timeout for writers outside this process, the file mapped in memory. The
/// writer keeps a larger page cache (256 MiB): every transition updates a dossier row and
/// several of its indexes, whose pages are scattered over a multi-gigabyte file at province
/// scale.
fn open(path: &Path) -> rusqlite::Result<rusqlite::Connection> {
    let conn = rusqlite::Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.execute_batch(
        "pragma journal_mode = wal; pragma synchronous = normal; pragma foreign_keys = on; \
         pragma wal_autocheckpoint = 10000; pragma cache_size = -262144; \
         pragma mmap_size = 17179869184;",
    )?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

fn serve(conn: rusqlite::Connection, rx: mpsc::Receiver<Request>, path: PathBuf, id: u64) {
    loop {
        let first = match rx.recv_timeout(IDLE) {
            Ok(r) => r,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                // Leave only if nothing arrived meanwhile; requests that still hold a
                // sender get a send error and start a new thread.
                let mut all = writers();
                match rx.try_recv() {
                    Ok(r) => {
                        drop(all);
                        r
                    }
                    Err(_) => {
                        forget_locked(&mut all, &path, id);
                        return;
                    }
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        };
        let mut batch = vec![first];
        while batch.len() < MAX_JOBS {
            match rx.try_recv() {
                Ok(r) => batch.push(r),
                Err(_) => break,
            }
        }
        let gate = crate::SQLITE_WRITE_GATE.blocking_lock();
        let results = run_batch(&conn, &batch);
        drop(gate);
        for (req, r) in batch.into_iter().zip(results) {
            let _ = req.reply.send(r);
        }
    }
}

/// One transaction for the whole batch, a savepoint per job.
fn run_batch(conn: &rusqlite::Connection, batch: &[Request]) -> Vec<Result<bool>> {
    if let Err(e) = conn.execute_batch("begin immediate") {
        return failed(batch, &e);
    }
    let mut out = Vec::with_capacity(batch.len());
    for req in batch {
        let r = conn
            .execute_batch("savepoint job")
            .and_then(|()| run_job(conn, &req.job));
        match r {
            Ok(applied) => match conn.execute_batch("release job") {
                Ok(()) => out.push(Ok(applied)),
                Err(e) => out.push(Err(sqlite_error(e))),
            },
            Err(e) => {
                let _ = conn.execute_batch("rollback to job; release job");
                out.push(Err(sqlite_error(e)));
            }
        }
    }
    if let Err(e) = conn.execute_batch("commit") {
        let _ = conn.execute_batch("rollback");
        return failed(batch, &e);
    }
    out
}

fn failed(batch: &[Request], e: &rusqlite::Error) -> Vec<Result<bool>> {
    batch
        .iter()
        .map(|_| Err(StoreError::Sqlite(e.to_string())))
        .collect()
}

/// A value as sqlx would have bound it (times as RFC 3339 text, booleans as 0/1), so rows
/// written here read back exactly like rows written through sqlx.
fn value(v: &Arg) -> Value {
    match v {
        Arg::Int(Some(x)) => Value::Integer(*x),
        Arg::Time(Some(t)) => Value::Text(t.to_rfc3339_opts(SecondsFormat::AutoSi, false)),
        Arg::Text(Some(s)) => Value::Text(s.clone()),
        Arg::Bool(b) => Value::Integer(i64::from(*b)),
        Arg::Date(Some(d)) => Value::Text(d.format("%Y-%m-%d").to_string()),
        Arg::Int(None) | Arg::Time(None) | Arg::Text(None) | Arg::Date(None) => Value::Null,
    }
}

/// Runs a job's statements in order, binding each `$N` to the job's N-th value; the one
/// statement that returns a row (`select changes()`) gives the answer.
fn run_job(conn: &rusqlite::Connection, job: &Job) -> rusqlite::Result<bool> {
    let mut applied = None;
    for sql in &job.stmts {
        let mut st = conn.prepare_cached(sql)?;
        for i in 1..=st.parameter_count() {
            let n: usize = st
                .parameter_name(i)
                .and_then(|name| name.strip_prefix('$'))
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| rusqlite::Error::InvalidParameterName(format!("#{i}")))?;
            let v = job
                .vals
                .get(n.wrapping_sub(1))
                .ok_or_else(|| rusqlite::Error::InvalidParameterName(format!("${n}")))?;
            st.raw_bind_parameter(i, value(v))?;
        }
        if st.column_count() > 0 {
            let mut rows = st.raw_query();
            if let Some(row) = rows.next()? {
                applied = Some(row.get::<_, i64>(0)? == 1);
            }
        } else {
            st.raw_execute()?;
        }
    }
    Ok(applied.unwrap_or(false))
}

fn sqlite_error(e: rusqlite::Error) -> StoreError {
    if let rusqlite::Error::SqliteFailure(f, msg) = &e
        && f.code == rusqlite::ErrorCode::ConstraintViolation
    {
        return StoreError::Conflict(msg.clone().unwrap_or_else(|| e.to_string()));
    }
    StoreError::Sqlite(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(id: i64, expect: i64) -> Job {
        Job {
            stmts: vec![
                "update t set v = v + 1 where id = $1 and v = $2",
                "select changes()",
                "insert into log (t_id) select $1 where changes() = 1",
            ],
            vals: vec![Arg::Int(Some(id)), Arg::Int(Some(expect))],
        }
    }

    /// Concurrent jobs share transactions, yet each keeps its own optimistic check, and a
    /// job that breaks a constraint is refused alone while the others commit.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn jobs_apply_once_and_fail_alone() {
        let path = std::env::temp_dir().join(format!("cchc-writer-{}.db", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(
            "create table t (id integer primary key, v integer not null); \
             create table log (id integer primary key, t_id integer not null references t(id)); \
             pragma foreign_keys = on; \
             insert into t (id, v) values (1, 0), (2, 0);",
        )
        .unwrap();
        drop(c);
        let mut handles = Vec::new();
        for k in 0..40 {
            let path = path.clone();
            // Half the jobs expect v = 0 on row 1 (one wins), the others target row 9,
            // which does not exist: no change, no insert, a conflict.
            let j = if k % 2 == 0 { job(1, 0) } else { job(9, 0) };
            handles.push(tokio::spawn(async move { run(&path, j).await }));
        }
        let mut applied = 0;
        for h in handles {
            if h.await.unwrap().unwrap() {
                applied += 1;
            }
        }
        assert_eq!(applied, 1);
        // A job whose insert breaks the foreign key fails alone.
        let bad = Job {
            stmts: vec![
                "update t set v = v + 1 where id = $1",
                "select changes()",
                "insert into log (t_id) values (77)",
            ],
            vals: vec![Arg::Int(Some(2))],
        };
        let (a, b) = tokio::join!(run(&path, bad), run(&path, job(2, 0)));
        assert!(matches!(a, Err(StoreError::Conflict(_))), "{a:?}");
        assert!(b.unwrap());
        let c = rusqlite::Connection::open(&path).unwrap();
        let (v1, v2, logs): (i64, i64, i64) = c
            .query_row(
                "select (select v from t where id = 1), (select v from t where id = 2), \
                 (select count(*) from log)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!((v1, v2, logs), (1, 1, 2));
        let _ = std::fs::remove_file(&path);
    }
}
