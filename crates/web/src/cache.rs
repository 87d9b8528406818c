//! Which requests empty the caches. The caches themselves ([`app::cache::TtlCache`]) are
//! the service layer's (agencies, procedures) and the web layer's (resolved sessions).
//!
//! Freshness: an entry lives at most its TTL (sessions 15 s, procedures 60 s), so a change
//! made by another process (the CLI) shows within that time; every administrative write
//! through this server (anything but dossier and task work, see [`clears_caches`]) empties
//! them at once, so deactivating an account, changing roles or editing a procedure takes
//! effect on the next request.

/// Whether a request may have changed accounts, roles, agencies, procedures or sessions:
/// every write except the one-stop and task work that never touches them.
pub fn clears_caches(method: &axum::http::Method, path: &str) -> bool {
    if matches!(
        *method,
        axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
    ) {
        return false;
    }
    const HOT: [&str; 4] = ["/api/v1/dossiers", "/ho-so", "/api/v1/tasks", "/nhiem-vu"];
    !HOT.iter().any(|p| path.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_administrative_writes_clear() {
        use axum::http::Method;
        assert!(!clears_caches(&Method::GET, "/nguoi-dung"));
        assert!(clears_caches(&Method::POST, "/nguoi-dung/5/khoa"));
        assert!(clears_caches(&Method::POST, "/api/v1/auth/logout"));
        assert!(clears_caches(&Method::PUT, "/api/v1/procedures/3"));
        assert!(!clears_caches(&Method::POST, "/api/v1/dossiers/7/events"));
        assert!(!clears_caches(&Method::POST, "/ho-so/7/thao-tac"));
    }
}
