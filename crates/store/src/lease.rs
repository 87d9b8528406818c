//! Leases of background jobs, so that several `cchc serve` nodes on one database run each
//! job once (`job_lease`, migration 0025).
//!
//! A lease is taken by one atomic upsert that succeeds only when nobody holds the job or
//! the previous lease has expired; PostgreSQL's `insert … on conflict do update … where`
//! locks the row, so of two nodes trying at the same instant exactly one gets it. The same
//! statement runs on SQLite, where it also keeps two processes on one file apart.
//! A lease lasts `ttl`: a periodic job holds it for its interval (an hourly job, ~55
//! minutes), so the other nodes skip the run the first one did; a node that dies mid-run
//! frees the job by expiry. The work done under a lease is idempotent by its own unique
//! keys besides, so a run taken over after an expiry adds nothing twice.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{BeginWrite, Db, Result, on_db};

/// One job's lease as stored.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Lease {
    pub name: String,
    pub holder: String,
    pub acquired_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// How many times the job was started under a lease, on every node.
    pub runs: i64,
    pub finished_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

fn ttl_of(ttl: Duration) -> chrono::Duration {
    chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::hours(1))
}

/// Takes the lease of job `name` for `holder` until `now + ttl` when it is free (never
/// taken, or expired). `true` when taken: the caller runs the job.
pub async fn acquire(db: &Db, name: &str, holder: &str, ttl: Duration) -> Result<bool> {
    acquire_at(db, name, holder, ttl, Utc::now()).await
}

/// [`acquire`] at a given instant (tests move the clock).
pub async fn acquire_at(
    db: &Db,
    name: &str,
    holder: &str,
    ttl: Duration,
    now: DateTime<Utc>,
) -> Result<bool> {
    let until = now + ttl_of(ttl);
    let gate = db.write_gate().await;
    let got: Option<String> = on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let got = sqlx::query_scalar(
            "insert into job_lease (name, holder, acquired_at, expires_at, runs) values ($1, $2, $3, $4, 1) \
             on conflict (name) do update set holder = excluded.holder, acquired_at = excluded.acquired_at, \
             expires_at = excluded.expires_at, runs = job_lease.runs + 1, finished_at = null \
             where job_lease.expires_at <= excluded.acquired_at returning name",
        )
        .bind(name)
        .bind(holder)
        .bind(now)
        .bind(until)
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        got
    });
    drop(gate);
    Ok(got.is_some())
}

/// Records the end of a run by `holder`. A run that failed gives the lease back at once
/// (`expires_at = now`), so that the next tick of any node tries again; a run that
/// succeeded keeps it until its expiry, so the other nodes do not run the job again
/// within the interval.
pub async fn finish(db: &Db, name: &str, holder: &str, error: Option<&str>) -> Result<()> {
    let now = Utc::now();
    let gate = db.write_gate().await;
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        sqlx::query(
            "update job_lease set finished_at = $1, last_error = $2, \
             expires_at = case when $2 is null then expires_at else $1 end \
             where name = $3 and holder = $4",
        )
        .bind(now)
        .bind(error)
        .bind(name)
        .bind(holder)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    });
    drop(gate);
    Ok(())
}

/// Every job's lease, by name (for `/metrics` and the operators).
pub async fn all(db: &Db) -> Result<Vec<Lease>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
            "select name, holder, acquired_at, expires_at, runs, finished_at, last_error \
             from job_lease order by name",
        )
        .fetch_all(p)
        .await?
    }))
}
