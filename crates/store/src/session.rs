//! Phiên đăng nhập — sessions live in the database so that several nodes share them.
//! Only the SHA-256 of a token is stored; the token itself exists in the cookie or in
//! the client's `Authorization: Bearer` header.

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use sha2::{Digest, Sha256};

use crate::{Db, Result, now, on_db};

/// Browser sessions (cookie + CSRF token) and API tokens (bearer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    Browser,
    Api,
}

impl SessionKind {
    fn code(self) -> &'static str {
        match self {
            SessionKind::Browser => "browser",
            SessionKind::Api => "api",
        }
    }
}

/// A fresh random token, 32 bytes as hex.
pub fn new_token() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    hex::encode(bytes)
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// What a valid session resolves to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionUser {
    pub user_id: i64,
    pub username: String,
    pub full_name: String,
    pub agency_id: i64,
    pub agency_path: String,
    pub agency_name: String,
    pub csrf_token: String,
    pub kind: String,
    pub expires_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// The password was set by an administrator: only changing it is allowed.
    pub must_change_password: bool,
}

/// Opens a session and returns its token (shown to the client once).
pub async fn create(
    db: &Db,
    user_id: i64,
    kind: SessionKind,
    ttl: Duration,
) -> Result<(String, String)> {
    let token = new_token();
    let csrf = new_token();
    let t = now();
    on_db!(db, |p| {
        sqlx::query(
            "insert into session (token_hash, user_id, kind, csrf_token, created_at, expires_at, last_seen_at) \
             values ($1, $2, $3, $4, $5, $6, $5)",
        )
        .bind(hash_token(&token))
        .bind(user_id)
        .bind(kind.code())
        .bind(&csrf)
        .bind(t)
        .bind(t + ttl)
        .execute(p)
        .await?;
    });
    Ok((token, csrf))
}

/// The session's user, if the token is known, unexpired and the user active.
pub async fn find(db: &Db, token: &str) -> Result<Option<SessionUser>> {
    let row: Option<SessionUser> = on_db!(db, |p| {
        sqlx::query_as(
            "select s.user_id, u.username, u.full_name, u.agency_id, a.path as agency_path, a.name as agency_name, \
             s.csrf_token, s.kind, s.expires_at, s.last_seen_at, u.must_change_password \
             from session s join app_user u on u.id = s.user_id join agency a on a.id = u.agency_id \
             where s.token_hash = $1 and u.active = true",
        )
        .bind(hash_token(token))
        .fetch_optional(p)
        .await?
    });
    Ok(row.filter(|s| s.expires_at > now()))
}

/// Slides the expiry forward, at most once a minute per session.
pub async fn touch(db: &Db, token: &str, ttl: Duration) -> Result<()> {
    let t = now();
    on_db!(db, |p| {
        sqlx::query("update session set last_seen_at = $1, expires_at = $2 where token_hash = $3 and last_seen_at < $4")
            .bind(t)
            .bind(t + ttl)
            .bind(hash_token(token))
            .bind(t - Duration::seconds(60))
            .execute(p)
            .await?;
    });
    Ok(())
}

pub async fn delete(db: &Db, token: &str) -> Result<()> {
    on_db!(db, |p| {
        sqlx::query("delete from session where token_hash = $1")
            .bind(hash_token(token))
            .execute(p)
            .await?;
    });
    Ok(())
}

/// Roles of a user, as codes.
pub async fn roles(db: &Db, user_id: i64) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = on_db!(db, |p| {
        sqlx::query_as("select role from user_role where user_id = $1")
            .bind(user_id)
            .fetch_all(p)
            .await?
    });
    Ok(rows.into_iter().map(|(r,)| r).collect())
}

/// Removes expired sessions; returns how many.
pub async fn purge_expired(db: &Db) -> Result<u64> {
    let n = on_db!(db, |p| {
        sqlx::query("delete from session where expires_at < $1")
            .bind(now())
            .execute(p)
            .await?
            .rows_affected()
    });
    Ok(n)
}
