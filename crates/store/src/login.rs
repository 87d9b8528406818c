//! Login attempts, kept in the database so that throttling holds across several nodes.

use chrono::{DateTime, Utc};

use crate::{Db, Result, now, on_db};

pub async fn record(db: &Db, username: &str, ip: Option<&str>, success: bool) -> Result<()> {
    on_db!(db, |p| {
        sqlx::query(
            "insert into login_attempt (username, ip, at, success) values ($1, $2, $3, $4)",
        )
        .bind(username)
        .bind(ip)
        .bind(now())
        .bind(success)
        .execute(p)
        .await?;
    });
    Ok(())
}

/// Failed attempts for this user name from this address since `since`, not counting those
/// before the user name's last success.
pub async fn failures_from(
    db: &Db,
    username: &str,
    ip: Option<&str>,
    since: DateTime<Utc>,
) -> Result<i64> {
    let (n,): (i64,) = on_db!(db, |p| {
        sqlx::query_as(
            "select count(*) from login_attempt where username = $1 and coalesce(ip, '') = coalesce($2, '') \
             and success = false and at >= $3 \
             and at > coalesce((select max(at) from login_attempt where username = $1 and success = true), $3)",
        )
        .bind(username)
        .bind(ip)
        .bind(since)
        .fetch_one(p)
        .await?
    });
    Ok(n)
}

/// Failed attempts from an address (any user name) since `since`.
pub async fn failures_of_address(db: &Db, ip: &str, since: DateTime<Utc>) -> Result<i64> {
    let (n,): (i64,) = on_db!(db, |p| {
        sqlx::query_as(
            "select count(*) from login_attempt where ip = $1 and success = false and at >= $2",
        )
        .bind(ip)
        .bind(since)
        .fetch_one(p)
        .await?
    });
    Ok(n)
}

/// Failed attempts from anywhere since `since`.
pub async fn failures_total(db: &Db, since: DateTime<Utc>) -> Result<i64> {
    let (n,): (i64,) = on_db!(db, |p| {
        sqlx::query_as("select count(*) from login_attempt where success = false and at >= $1")
            .bind(since)
            .fetch_one(p)
            .await?
    });
    Ok(n)
}
