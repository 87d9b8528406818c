//! Group commit for SQLite's hot writes (dossier transitions).
//!
//! sqlx runs each SQLite connection on its own thread; every round trip to it costs two
//! thread switches, and on a 2-core machine at thousands of writes a second those switches,
//! not SQLite, were most of the time (measured with `perf`, ARCHITECTURE.md "Dossier
//! throughput"). So a transition is written as one multi-statement batch, and concurrent
//! transitions are written together: each request queues its batch; whoever holds the
//! write gate takes every queued batch (up to [`MAX_JOBS`]) and runs them as one
//! transaction in one round trip. Each job keeps its own optimistic check (`select
//! changes()` after its update, its inserts chained on `changes() = 1`), so one job's
//! conflict never affects another's. If the combined batch fails (a constraint, say), it is
//! rolled back and every job is retried alone, so a bad job fails alone.
//!
//! For a database in a file the jobs go to the writer thread instead ([`crate::writer`]:
//! prepared statements, no sqlx); this batch serves in-memory databases.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use chrono::{DateTime, Utc};
use sqlx::Row;
use tokio::sync::oneshot;

use crate::{Result, StoreError};

/// At most this many jobs share one transaction (SQLite allows 32,766 parameters).
pub const MAX_JOBS: usize = 64;

/// A bound value of a job.
#[derive(Debug, Clone)]
pub enum Val {
    I(Option<i64>),
    T(Option<DateTime<Utc>>),
    S(Option<String>),
    B(bool),
}

/// One write: statements with parameters `$1…$N` (renumbered when batched) and exactly
/// one `select changes()` whose value says whether the job's guarded update applied.
#[derive(Debug, Clone)]
pub struct Job {
    pub stmts: Vec<&'static str>,
    pub vals: Vec<Val>,
}

type Waiting = (Job, oneshot::Sender<Result<bool>>);
type Queue = Arc<Mutex<Vec<Waiting>>>;

/// One queue per database file (a process may open several, as the tests do).
static QUEUES: LazyLock<Mutex<HashMap<String, Queue>>> = LazyLock::new(Default::default);

fn queue_for(pool: &sqlx::SqlitePool) -> Queue {
    let key = pool
        .connect_options()
        .get_filename()
        .to_string_lossy()
        .into_owned();
    let mut all = QUEUES.lock().unwrap_or_else(|e| e.into_inner());
    all.entry(key).or_default().clone()
}

/// Runs `job` (possibly together with other queued jobs) and returns whether its guarded
/// update applied (`false`: the row had moved on — a conflict).
pub async fn run(db: &crate::Db, pool: &sqlx::SqlitePool, job: Job) -> Result<bool> {
    let opts = pool.connect_options();
    let file = opts.get_filename();
    let name = file.to_string_lossy();
    if !name.is_empty() && !name.contains(":memory:") {
        return crate::writer::run(file, job).await;
    }
    let queue = queue_for(pool);
    let (tx, mut rx) = oneshot::channel();
    queue
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push((job, tx));
    loop {
        tokio::select! {
            biased;
            r = &mut rx => {
                return r.map_err(|_| StoreError::Invalid("ghi dữ liệu bị gián đoạn".into()))?;
            }
            gate = db.write_gate() => {
                let jobs: Vec<Waiting> = {
                    let mut q = queue.lock().unwrap_or_else(|e| e.into_inner());
                    let n = q.len().min(MAX_JOBS);
                    q.drain(..n).collect()
                };
                if !jobs.is_empty() {
                    // In a task of its own: if this request is dropped (the client went
                    // away, a timeout), the batch still completes and the connection is
                    // never left inside a transaction.
                    let pool = pool.clone();
                    let _ = tokio::spawn(async move {
                        execute(&pool, jobs).await;
                        drop(gate);
                    })
                    .await;
                } else {
                    drop(gate);
                }
            }
        }
    }
}

/// `$n` → `$(n + offset)` in one job's statements.
fn renumber(sql: &str, offset: usize, out: &mut String) {
    let b = sql.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' {
            let mut j = i + 1;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if j > i + 1 {
                let n: usize = sql[i + 1..j].parse().unwrap_or(0);
                out.push('$');
                out.push_str(&(n + offset).to_string());
                i = j;
                continue;
            }
        }
        let c = sql[i..].chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out.push(' ');
}

async fn execute(pool: &sqlx::SqlitePool, jobs: Vec<Waiting>) {
    let (jobs, replies): (Vec<Job>, Vec<_>) = jobs.into_iter().unzip();
    match batch(pool, &jobs).await {
        Ok(applied) => {
            for (reply, ok) in replies.into_iter().zip(applied) {
                let _ = reply.send(Ok(ok));
            }
        }
        Err(e) if jobs.len() == 1 => {
            if let Some(reply) = replies.into_iter().next() {
                let _ = reply.send(Err(e));
            }
        }
        Err(_) => {
            for (job, reply) in jobs.iter().zip(replies) {
                let r = batch(pool, std::slice::from_ref(job)).await.map(|v| v[0]);
                let _ = reply.send(r);
            }
        }
    }
}

/// One transaction, one round trip: `begin immediate; job…; commit;`.
async fn batch(pool: &sqlx::SqlitePool, jobs: &[Job]) -> Result<Vec<bool>> {
    let mut sql = String::from("begin immediate; ");
    let mut offset = 0;
    for j in jobs {
        for stmt in &j.stmts {
            renumber(stmt, offset, &mut sql);
            sql.push_str("; ");
        }
        offset += j.vals.len();
    }
    sql.push_str("commit;");
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for j in jobs {
        for v in &j.vals {
            q = match v {
                Val::I(x) => q.bind(*x),
                Val::T(x) => q.bind(*x),
                Val::S(x) => q.bind(x.clone()),
                Val::B(x) => q.bind(*x),
            };
        }
    }
    let mut conn = pool.acquire().await?;
    match q.fetch_all(&mut *conn).await {
        Ok(rows) if rows.len() == jobs.len() => rows
            .iter()
            .map(|r| Ok(r.try_get::<i64, _>(0)? == 1))
            .collect(),
        Ok(rows) => Err(StoreError::Invalid(format!(
            "ghi theo lô: {} kết quả cho {} thao tác",
            rows.len(),
            jobs.len()
        ))),
        Err(e) => {
            // Stopped part-way inside the transaction: roll back, or drop the connection
            // if even that fails, so the pool never hands out an open transaction.
            if sqlx::query("rollback").execute(&mut *conn).await.is_err() {
                drop(conn.detach());
            }
            Err(e.into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::renumber;

    #[test]
    fn parameters_are_renumbered_per_job() {
        let mut s = String::new();
        renumber(
            "update t set a = $1, b = $12 where c = '$x' and d = $2;",
            24,
            &mut s,
        );
        assert_eq!(
            s,
            "update t set a = $25, b = $36 where c = '$x' and d = $26; "
        );
        let mut s = String::new();
        renumber("select 'Hồ sơ' || $3;", 0, &mut s);
        assert_eq!(s, "select 'Hồ sơ' || $3; ");
    }
}
