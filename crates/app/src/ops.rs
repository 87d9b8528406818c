//! Operations: the health check (`/healthz`: database, its role, the replica's lag, the
//! node) and the metrics exposition (`/metrics`, Prometheus text), with who may read the
//! metrics.

use std::net::IpAddr;

use crate::App;
use crate::error::ServiceError;
use crate::metrics::Gauge;

/// What `/healthz` answers.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Health {
    /// `ok`, or `error` when the database does not answer.
    pub status: &'static str,
    /// `sqlite` or `postgres` (product.md).
    pub database: &'static str,
    /// `primary`, `replica` or `embedded` (SQLite).
    pub role: &'static str,
    /// This node's name (`node::id`).
    pub node: &'static str,
    /// Seconds behind the primary when the database itself is a replica.
    pub lag_seconds: Option<f64>,
    /// The read replica, when one is configured (`--read-database`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_database: Option<ReadDatabase>,
}

/// The read replica as `/healthz` reports it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReadDatabase {
    /// `replica` when it answered the last poll as a standby, `unreachable` otherwise.
    pub role: &'static str,
    pub lag_seconds: Option<f64>,
    /// Whether reads go to it now (answering, less than `replica::MAX_LAG` behind).
    pub in_use: bool,
}

/// Checks the database with one round trip that also tells its role.
pub async fn health(app: &App) -> Result<Health, ServiceError> {
    let role = store::ops::role(&app.db).await?;
    Ok(Health {
        status: "ok",
        database: app.db.backend(),
        role: role.role,
        node: crate::node::id(),
        lag_seconds: role.lag_seconds,
        read_database: app.replica.as_ref().map(|r| ReadDatabase {
            role: if r.lag().is_some() {
                "replica"
            } else {
                "unreachable"
            },
            lag_seconds: r.lag().map(|l| l.as_secs_f64()),
            in_use: r.usable(),
        }),
    })
}

/// Whether a client may read `/metrics`: with a configured token, whoever presents it as
/// `Authorization: Bearer`; otherwise only loopback and private addresses (the
/// operators' scraper inside the network, the balancer's health checks), never the
/// public internet. `client` is the resolved client address (after trusted proxies).
pub fn metrics_allowed(
    client: Option<IpAddr>,
    presented: Option<&str>,
    token: Option<&str>,
) -> bool {
    if let Some(t) = token.filter(|t| !t.is_empty()) {
        return presented.is_some_and(|p| constant_time_eq(p.as_bytes(), t.as_bytes()));
    }
    match client {
        Some(IpAddr::V4(a)) => a.is_loopback() || a.is_private() || a.is_link_local(),
        Some(IpAddr::V6(a)) => {
            if let Some(v4) = a.to_ipv4_mapped() {
                return v4.is_loopback() || v4.is_private() || v4.is_link_local();
            }
            // Loopback, unique local (fc00::/7) and link-local (fe80::/10).
            a.is_loopback()
                || (a.segments()[0] & 0xfe00) == 0xfc00
                || (a.segments()[0] & 0xffc0) == 0xfe80
        }
        None => false,
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The exposition: this node's counters (`metrics`), then what is read now: the outbox
/// depth, the pool's use, the database's role and lag, and every job's lease.
pub async fn metrics(app: &App) -> Result<String, ServiceError> {
    let mut g = Vec::new();
    let node = crate::node::id().to_string();
    g.push(Gauge {
        name: "cchc_node_info",
        help: "This node: its name, version and database backend.",
        labels: vec![
            ("node", node),
            ("version", env!("CARGO_PKG_VERSION").to_string()),
            ("database", app.db.backend().to_string()),
        ],
        value: 1.0,
    });
    g.push(Gauge {
        name: "cchc_outbox_pending",
        help: "Dossier changes not yet accepted by the national portal.",
        labels: vec![],
        value: store::ops::outbox_depth(&app.db).await? as f64,
    });
    pool_gauges(&mut g, "primary", &app.db);
    if let Some(r) = &app.replica {
        pool_gauges(&mut g, "replica", &r.db);
        g.push(Gauge {
            name: "cchc_db_replica_lag_seconds",
            help: "How far the read replica is behind the primary (-1: it does not answer).",
            labels: vec![],
            value: r.lag().map_or(-1.0, |l| l.as_secs_f64()),
        });
        g.push(Gauge {
            name: "cchc_db_replica_in_use",
            help: "1 when heavy reads go to the read replica, 0 when they fall back to the primary.",
            labels: vec![],
            value: if r.usable() { 1.0 } else { 0.0 },
        });
    }
    let role = store::ops::role(&app.db).await?;
    g.push(Gauge {
        name: "cchc_db_role",
        help: "The role of the database this node writes to (primary, replica, embedded).",
        labels: vec![("role", role.role.into())],
        value: 1.0,
    });
    let now = chrono::Utc::now();
    let leases = store::lease::all(&app.db).await?;
    for l in &leases {
        g.push(Gauge {
            name: "cchc_job_lease_runs",
            help: "Runs of each background job started under its lease, on all nodes.",
            labels: vec![("job", l.name.clone())],
            value: l.runs as f64,
        });
    }
    for l in &leases {
        g.push(Gauge {
            name: "cchc_job_lease_seconds_left",
            help: "Seconds before each job's lease expires (0: free), with its holder.",
            labels: vec![("job", l.name.clone()), ("holder", l.holder.clone())],
            value: ((l.expires_at - now).num_milliseconds().max(0) as f64) / 1000.0,
        });
    }
    Ok(crate::metrics::render(&g))
}

/// The connections of one pool, by state (`max`: its limit).
fn pool_gauges(g: &mut Vec<Gauge>, pool: &'static str, db: &store::Db) {
    let u = store::ops::pool_use(db);
    for (state, n) in [
        ("in_use", u.open.saturating_sub(u.idle)),
        ("idle", u.idle),
        ("max", u.max),
    ] {
        g.push(Gauge {
            name: "cchc_db_pool_connections",
            help: "Connections of this node's database pools, by state (max: the pool's limit).",
            labels: vec![("pool", pool.into()), ("state", state.into())],
            value: f64::from(n),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::metrics_allowed;

    #[test]
    fn metrics_are_for_the_inside_network_or_the_token() {
        let ip = |s: &str| Some(s.parse().unwrap());
        assert!(metrics_allowed(ip("127.0.0.1"), None, None));
        assert!(metrics_allowed(ip("10.1.2.3"), None, None));
        assert!(metrics_allowed(ip("192.168.1.9"), None, None));
        assert!(metrics_allowed(ip("::1"), None, None));
        assert!(metrics_allowed(ip("fd00::5"), None, None));
        assert!(metrics_allowed(ip("::ffff:10.0.0.1"), None, None));
        assert!(!metrics_allowed(ip("203.113.1.1"), None, None));
        assert!(!metrics_allowed(ip("2001:db8::1"), None, None));
        assert!(!metrics_allowed(None, None, None));
        // With a token, the address does not matter; the token does.
        assert!(metrics_allowed(
            ip("203.113.1.1"),
            Some("s3cret"),
            Some("s3cret")
        ));
        assert!(!metrics_allowed(
            ip("127.0.0.1"),
            Some("wrong"),
            Some("s3cret")
        ));
        assert!(!metrics_allowed(ip("127.0.0.1"), None, Some("s3cret")));
    }
}
