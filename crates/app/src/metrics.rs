//! The process's counters for `GET /metrics`, in the Prometheus text format (version
//! 0.0.4, the format every operations team's scraper reads): requests and their latency
//! per route, job runs per outcome, outbox deliveries. Gauges read from the database at
//! scrape time (outbox depth, pool use, role and replica lag) are added by the caller
//! through [`Gauge`]s.
//!
//! Counters live in memory, per process, from its start: Prometheus computes rates from
//! them and sums them over the nodes; a restart resets them, which `rate()` handles.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

/// Upper bounds (seconds) of the latency histogram's buckets.
const BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

#[derive(Default)]
struct Registry {
    /// (method, route, status) → count.
    requests: BTreeMap<(String, String, u16), u64>,
    /// (method, route) → latency.
    latency: BTreeMap<(String, String), Histogram>,
    /// (job, outcome) → count; outcome is `ran`, `failed` or `skipped` (another node held
    /// the lease).
    jobs: BTreeMap<(String, &'static str), u64>,
    outbox_sent: u64,
    outbox_failed: u64,
}

static REGISTRY: LazyLock<Mutex<Registry>> = LazyLock::new(Default::default);

fn registry() -> std::sync::MutexGuard<'static, Registry> {
    REGISTRY.lock().unwrap_or_else(|p| p.into_inner())
}

/// Counts one answered request. `route` is the router's pattern (`/ho-so/{id}`), never the
/// raw path, so that the number of series stays bounded; unmatched paths come as
/// `"(khác)"`.
pub fn request(method: &str, route: &str, status: u16, elapsed: Duration) {
    let secs = elapsed.as_secs_f64();
    let mut r = registry();
    *r.requests
        .entry((method.to_string(), route.to_string(), status))
        .or_default() += 1;
    let h = r
        .latency
        .entry((method.to_string(), route.to_string()))
        .or_default();
    for (i, le) in BUCKETS.iter().enumerate() {
        if secs <= *le {
            h.counts[i] += 1;
        }
    }
    h.sum += secs;
    h.count += 1;
}

/// Job outcomes for [`job`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobOutcome {
    Ran,
    Failed,
    /// Another node holds the job's lease: this node did not run it.
    Skipped,
}

impl JobOutcome {
    fn label(self) -> &'static str {
        match self {
            JobOutcome::Ran => "ran",
            JobOutcome::Failed => "failed",
            JobOutcome::Skipped => "skipped",
        }
    }
}

/// Counts one tick of background job `name`.
pub fn job(name: &str, outcome: JobOutcome) {
    *registry()
        .jobs
        .entry((name.to_string(), outcome.label()))
        .or_default() += 1;
}

/// Counts outbox rows delivered and failed by this node.
pub fn outbox_delivered(sent: usize, failed: usize) {
    let mut r = registry();
    r.outbox_sent += sent as u64;
    r.outbox_failed += failed as u64;
}

/// A value read at scrape time.
pub struct Gauge {
    pub name: &'static str,
    pub help: &'static str,
    /// Label pairs, already safe (written by the caller, not user input).
    pub labels: Vec<(&'static str, String)>,
    pub value: f64,
}

/// Escapes a label value (backslash, double quote, newline).
fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn labels(pairs: &[(&str, &str)]) -> String {
    if pairs.is_empty() {
        return String::new();
    }
    let inner: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}=\"{}\"", escape(v)))
        .collect();
    format!("{{{}}}", inner.join(","))
}

/// The whole exposition: this process's counters, then `gauges` grouped by name.
pub fn render(gauges: &[Gauge]) -> String {
    let r = registry();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# HELP cchc_http_requests_total Requests answered, by method, route and status.\n# TYPE cchc_http_requests_total counter"
    );
    for ((m, route, status), n) in &r.requests {
        let s = status.to_string();
        let l = labels(&[("method", m), ("route", route), ("status", &s)]);
        let _ = writeln!(out, "cchc_http_requests_total{l} {n}");
    }
    let _ = writeln!(
        out,
        "# HELP cchc_http_request_duration_seconds Time to answer, by method and route.\n# TYPE cchc_http_request_duration_seconds histogram"
    );
    for ((m, route), h) in &r.latency {
        for (i, le) in BUCKETS.iter().enumerate() {
            let le = le.to_string();
            let l = labels(&[("method", m), ("route", route), ("le", &le)]);
            let _ = writeln!(
                out,
                "cchc_http_request_duration_seconds_bucket{l} {}",
                h.counts[i]
            );
        }
        let l = labels(&[("method", m), ("route", route), ("le", "+Inf")]);
        let _ = writeln!(
            out,
            "cchc_http_request_duration_seconds_bucket{l} {}",
            h.count
        );
        let l = labels(&[("method", m), ("route", route)]);
        let _ = writeln!(out, "cchc_http_request_duration_seconds_sum{l} {}", h.sum);
        let _ = writeln!(
            out,
            "cchc_http_request_duration_seconds_count{l} {}",
            h.count
        );
    }
    let _ = writeln!(
        out,
        "# HELP cchc_job_runs_total Ticks of background jobs on this node, by outcome (skipped: another node held the lease).\n# TYPE cchc_job_runs_total counter"
    );
    for ((job, outcome), n) in &r.jobs {
        let l = labels(&[("job", job), ("outcome", outcome)]);
        let _ = writeln!(out, "cchc_job_runs_total{l} {n}");
    }
    let _ = writeln!(
        out,
        "# HELP cchc_outbox_delivered_total Outbox rows delivered to the national portal by this node.\n# TYPE cchc_outbox_delivered_total counter\ncchc_outbox_delivered_total {}",
        r.outbox_sent
    );
    let _ = writeln!(
        out,
        "# HELP cchc_outbox_failed_total Failed deliveries of outbox rows by this node.\n# TYPE cchc_outbox_failed_total counter\ncchc_outbox_failed_total {}",
        r.outbox_failed
    );
    drop(r);
    let mut last = "";
    for g in gauges {
        if g.name != last {
            let _ = writeln!(out, "# HELP {} {}\n# TYPE {} gauge", g.name, g.help, g.name);
            last = g.name;
        }
        let pairs: Vec<(&str, &str)> = g.labels.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let _ = writeln!(out, "{}{} {}", g.name, labels(&pairs), g.value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exposition_is_prometheus_text() {
        request("GET", "/ho-so/{id}", 200, Duration::from_millis(30));
        request("GET", "/ho-so/{id}", 200, Duration::from_millis(300));
        job("nhắc việc", JobOutcome::Skipped);
        let text = render(&[Gauge {
            name: "cchc_outbox_pending",
            help: "Rows waiting.",
            labels: vec![],
            value: 7.0,
        }]);
        assert!(text.contains("# TYPE cchc_http_requests_total counter"));
        assert!(
            text.contains(
                r#"cchc_http_request_duration_seconds_bucket{method="GET",route="/ho-so/{id}",le="0.05"} "#
            ),
            "{text}"
        );
        let le_inf = text
            .lines()
            .find(|l| l.contains(r#"route="/ho-so/{id}",le="+Inf""#))
            .unwrap();
        let count = text
            .lines()
            .find(|l| l.starts_with("cchc_http_request_duration_seconds_count{method=\"GET\",route=\"/ho-so/{id}\"}"))
            .unwrap();
        assert_eq!(
            le_inf.rsplit(' ').next(),
            count.rsplit(' ').next(),
            "+Inf bucket equals the count"
        );
        assert!(text.contains(r#"cchc_job_runs_total{job="nhắc việc",outcome="skipped"} "#));
        assert!(text.contains("# TYPE cchc_outbox_pending gauge\ncchc_outbox_pending 7\n"));
        // Every sample line is `name{labels} value`.
        for l in text.lines().filter(|l| !l.starts_with('#')) {
            let value = l.rsplit(' ').next().unwrap();
            assert!(value.parse::<f64>().is_ok(), "{l}");
        }
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
