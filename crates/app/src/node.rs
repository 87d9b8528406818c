//! This process's name among the nodes of one database: `CCHC_NODE_ID` when set (the
//! cluster script names its nodes), otherwise `host:pid`. It is the holder of job leases
//! (`store::lease`) and of outbox claims, and what `/healthz` and `/metrics` report.

use std::sync::LazyLock;

static NODE: LazyLock<String> = LazyLock::new(|| {
    if let Ok(id) = std::env::var("CCHC_NODE_ID") {
        let id = id.trim();
        if !id.is_empty() {
            return id.chars().take(64).collect();
        }
    }
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "cchc".into());
    format!("{host}:{}", std::process::id())
});

/// The node's name (stable for the life of the process).
pub fn id() -> &'static str {
    &NODE
}
