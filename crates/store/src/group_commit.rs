//! SQLite's hot writes (dossier transitions) as jobs: a job is the statements of one
//! write with its bound values and exactly one `select changes()` whose value says whether
//! its guarded update applied.
//!
//! sqlx runs each SQLite connection on its own thread; every round trip to it costs two
//! thread switches, and on a 2-core machine at thousands of writes a second those switches,
//! not SQLite, were most of the time (measured with `perf`, ARCHITECTURE.md "Dossier
//! throughput"). So for a database in a file a job goes to the writer thread
//! ([`crate::writer`]: prepared statements, no sqlx), which commits the jobs waiting
//! together (up to [`MAX_JOBS`]), each in its own savepoint. An in-memory database (tests,
//! one connection) runs the job alone as one multi-statement batch: the queue that once
//! batched jobs here served only in-memory databases and was removed.

use sqlx::Row;

use crate::{Result, StoreError};

/// At most this many jobs share one transaction (SQLite allows 32,766 parameters).
pub const MAX_JOBS: usize = 64;

pub use crate::arg::Arg;

/// One write: statements with parameters `$1…$N` over all its statements, and exactly
/// one `select changes()` whose value says whether the job's guarded update applied.
#[derive(Debug, Clone)]
pub struct Job {
    pub stmts: Vec<&'static str>,
    pub vals: Vec<Arg>,
}

/// Runs `job` and returns whether its guarded update applied (`false`: the row had moved
/// on — a lost race).
pub async fn run(db: &crate::Db, pool: &sqlx::SqlitePool, job: Job) -> Result<bool> {
    let opts = pool.connect_options();
    let file = opts.get_filename();
    let name = file.to_string_lossy();
    if !name.is_empty() && !name.contains(":memory:") {
        return crate::writer::run(file, job).await;
    }
    let gate = db.write_gate().await;
    // In a task of its own: if this request is dropped (the client went away, a timeout),
    // the batch still completes and the connection is never left inside a transaction.
    let pool = pool.clone();
    let r = tokio::spawn(async move { batch(&pool, &job).await })
        .await
        .map_err(|_| StoreError::Invalid("ghi dữ liệu bị gián đoạn".into()))?;
    drop(gate);
    r
}

/// One transaction, one round trip: `begin immediate; statements…; commit;`.
async fn batch(pool: &sqlx::SqlitePool, job: &Job) -> Result<bool> {
    let mut sql = String::from("begin immediate; ");
    for stmt in &job.stmts {
        sql.push_str(stmt);
        sql.push_str("; ");
    }
    sql.push_str("commit;");
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    q = crate::bind_args!(q, &job.vals);
    let mut conn = pool.acquire().await?;
    match q.fetch_all(&mut *conn).await {
        Ok(rows) if rows.len() == 1 => Ok(rows[0].try_get::<i64, _>(0)? == 1),
        Ok(rows) => Err(StoreError::Invalid(format!(
            "ghi dữ liệu: {} kết quả cho một thao tác",
            rows.len()
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
