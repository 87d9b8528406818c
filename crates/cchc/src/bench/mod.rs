//! `cchc bench`: generated province-scale data and the time of what is used most, through
//! the real router or over HTTP on loopback, on SQLite or PostgreSQL. `tasks` times the
//! task pages leaders open most (the statistics, the overdue list); `dossiers` load-tests
//! intake and transitions and times the overdue lists; `indicators` times the 766 facts
//! and the overdue list by the aggregates, the page, the full scan and DuckDB; `province`
//! generates the province the last two run on; `reader` times the directive reader on
//! long generated input (no database); `par` times the PAR INDEX screens over a
//! province-scale round; `feedback` times the PAKN queue, statistics, group 5, the overdue
//! list and the public portal over a year of generated feedback. This module holds the figures and timing helpers they share.

mod dossiers;
mod feedback;
mod indicators;
mod par;
mod province;
pub mod reader;
mod tasks;

pub use dossiers::{DossierBench, DossierFigures, Throughput, dossiers};
pub use feedback::{FeedbackFigures, feedback};
pub use indicators::{IndicatorBench, IndicatorFigures, OverdueFigures, PeriodFigures, indicators};
pub use par::{ParFigures, par};
pub use tasks::tasks;

use std::time::{Duration, Instant};

use anyhow::anyhow;
use axum::body::Body;
use axum::http::Request;
use tower::ServiceExt;

pub struct Figures {
    pub label: String,
    pub median: Duration,
    pub p95: Duration,
}

async fn time_get(
    app: &axum::Router,
    token: &str,
    path: &str,
    runs: usize,
) -> anyhow::Result<Figures> {
    let mut samples = Vec::with_capacity(runs);
    for i in 0..runs + 2 {
        let req = Request::get(path)
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())?;
        let t0 = Instant::now();
        let res = app.clone().oneshot(req).await.map_err(|e| anyhow!("{e}"))?;
        let status = res.status();
        let _ = axum::body::to_bytes(res.into_body(), usize::MAX).await;
        let dt = t0.elapsed();
        if !status.is_success() {
            return Err(anyhow!("{path}: HTTP {status}"));
        }
        if i >= 2 {
            samples.push(dt);
        }
    }
    samples.sort();
    let median = samples[samples.len() / 2];
    let p95 = samples[(samples.len() * 95 / 100).min(samples.len() - 1)];
    Ok(Figures {
        label: path.to_string(),
        median,
        p95,
    })
}

fn percentile(samples: &mut [Duration], p: usize) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    samples.sort();
    samples[(samples.len() * p / 100).min(samples.len() - 1)]
}
