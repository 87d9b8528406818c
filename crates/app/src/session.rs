//! Đăng nhập — signing in (with throttling of repeated failures), opening and ending
//! sessions and API tokens, and resolving a token to its user and roles.

use chrono::Duration;
use domain::org::Role;
use store::audit::{Actor, AuditEntry};
use store::session::{SessionKind, SessionUser};

use crate::{App, ServiceError};

/// When repeated failures stop an account from signing in.
#[derive(Debug, Clone, Copy)]
pub struct LoginPolicy {
    /// Failures within the window after which logins are refused.
    pub max_failures: i64,
    pub window: Duration,
}

/// Outcome of a login attempt.
pub enum LoginOutcome {
    Ok { user_id: i64 },
    Wrong,
    Throttled,
}

/// Failures per minute, all addresses together, above which every attempt is slowed.
pub const GLOBAL_SLOWDOWN_PER_MINUTE: i64 = 60;

pub const THROTTLED_MESSAGE: &str = "Đăng nhập sai nhiều lần từ địa chỉ này: tạm dừng đăng nhập trong ít phút. Vui lòng thử lại sau hoặc liên hệ quản trị.";
pub const WRONG_MESSAGE: &str = "Tên đăng nhập hoặc mật khẩu không đúng.";

/// Checks credentials with throttling, so that failures cannot be used to lock someone
/// else out:
/// - `max_failures` failures for one user name **from one address** within the window
///   stop that address for that name (the owner, from their own address, still signs in);
/// - an address with `4 × max_failures` failures over any names is stopped (password
///   spraying from one place);
/// - when failures across all addresses exceed [`GLOBAL_SLOWDOWN_PER_MINUTE`] in the last
///   minute, every attempt waits a little longer (spraying from many places), up to 3 s.
///
/// An unknown or locked account costs the same work as a valid one (`dummy_hash`), so
/// timing reveals nothing. Every attempt is recorded with its address.
pub async fn attempt_login(
    app: &App,
    policy: LoginPolicy,
    dummy_hash: &str,
    username: &str,
    password: &str,
    ip: Option<&str>,
) -> Result<LoginOutcome, ServiceError> {
    let username = domain::validate::clean(username).to_lowercase();
    if username.is_empty() || username.len() > 64 || password.is_empty() || password.len() > 256 {
        return Ok(LoginOutcome::Wrong);
    }
    let now = store::now();
    let since = now - policy.window;
    let pair = store::login::failures_from(&app.db, &username, ip, since).await?;
    if pair >= policy.max_failures {
        return Ok(LoginOutcome::Throttled);
    }
    if let Some(ip) = ip
        && store::login::failures_of_address(&app.db, ip, since).await? >= 4 * policy.max_failures
    {
        return Ok(LoginOutcome::Throttled);
    }
    let recent = store::login::failures_total(&app.db, now - Duration::minutes(1)).await?;
    if recent > GLOBAL_SLOWDOWN_PER_MINUTE {
        let extra = (recent / GLOBAL_SLOWDOWN_PER_MINUTE).min(6) as u64;
        tokio::time::sleep(std::time::Duration::from_millis(500 * extra)).await;
    }
    let verify = |hash: String| crate::password::verify(password.to_string(), hash);
    let ok = match store::user::credentials(&app.db, &username).await? {
        Some((id, hash, true)) => verify(hash).await.then_some(id),
        Some((_, hash, false)) => {
            let _ = verify(hash).await;
            None
        }
        None => {
            let _ = verify(dummy_hash.to_string()).await;
            None
        }
    };
    store::login::record(&app.db, &username, ip, ok.is_some()).await?;
    Ok(match ok {
        Some(user_id) => LoginOutcome::Ok { user_id },
        None => LoginOutcome::Wrong,
    })
}

/// Opens a session (browser) or token (API) for a user who has just signed in, with an
/// audit row; returns the token, shown to the client once.
pub async fn start(
    app: &App,
    user_id: i64,
    username: &str,
    ip: Option<String>,
    kind: SessionKind,
    ttl: Duration,
) -> Result<String, ServiceError> {
    let (token, _) = store::session::create(&app.db, user_id, kind, ttl).await?;
    let actor = Actor {
        user_id: Some(user_id),
        username: Some(domain::validate::clean(username).to_lowercase()),
        ip,
    };
    let summary = match kind {
        SessionKind::Api => "Đăng nhập (API)",
        SessionKind::Browser => "Đăng nhập (trình duyệt)",
    };
    store::audit::append(
        &app.db,
        AuditEntry::new(&actor, "login", "session", user_id, summary.to_string()),
    )
    .await?;
    Ok(token)
}

/// Ends a session or token.
pub async fn end(app: &App, token: &str) -> Result<(), ServiceError> {
    Ok(store::session::delete(&app.db, token).await?)
}

/// The user and roles of a live token, sliding its expiry (at most one write a minute).
pub async fn resolve(
    app: &App,
    token: &str,
    ttl: Duration,
) -> Result<Option<(SessionUser, Vec<Role>)>, ServiceError> {
    let Some(s) = store::session::find(&app.db, token).await? else {
        return Ok(None);
    };
    let roles: Vec<Role> = store::session::roles(&app.db, s.user_id)
        .await?
        .iter()
        .filter_map(|r| Role::parse(r))
        .collect();
    if s.last_seen_at < store::now() - Duration::seconds(60) {
        store::session::touch(&app.db, token, ttl).await?;
    }
    Ok(Some((s, roles)))
}

/// A fresh random token (for values that must not be guessed, e.g. form nonces).
pub fn new_token() -> String {
    store::session::new_token()
}
