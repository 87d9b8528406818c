//! The read replica (`cchc serve --read-database URL`, env `CCHC_READ_DATABASE_URL`): a
//! PostgreSQL streaming standby that answers the heavy reads — dashboards, lists, exports
//! and indicators, through [`App::read_db`](crate::App::read_db) — while every write and
//! every page that must show the caller's own write reads the primary.
//!
//! Rules:
//! - A request reads the replica only inside a [`scope`] that allows it: the web layer
//!   opens one per request, allowing it for `GET`s of a browser that has not written in
//!   the last [`OWN_WRITE_WINDOW`] (its cookie says when it last did), so that after
//!   saving, the list one lands on shows the change.
//! - The replica is used only while a poller, once a second, finds it answering and less
//!   than [`MAX_LAG`] behind; otherwise reads go to the primary (a stale or dead replica
//!   never shows old figures for long, and never breaks a page).
//! - A page that read the replica says how fresh its figures are ("số liệu tính đến
//!   HH:MM:SS"): the instant the replica had replayed up to when it was last polled.

use std::cell::Cell;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use store::Db;

/// A replica further behind than this is not read.
pub const MAX_LAG: Duration = Duration::from_secs(10);
/// After a write, the same browser reads the primary for this long.
pub const OWN_WRITE_WINDOW: Duration = Duration::from_secs(30);
/// A poll older than this (the poller stalled) counts as no news: the primary is read.
const POLL_FRESH: Duration = Duration::from_secs(5);

/// The replica's pool and what the poller last learned of it.
pub struct Replica {
    pub db: Db,
    /// Lag in milliseconds at the last poll; -1 when it did not answer or is no standby.
    lag_ms: AtomicI64,
    /// When the last poll ended (Unix milliseconds).
    polled_ms: AtomicI64,
}

impl Replica {
    /// Connects to the standby at `url` (no migrations: it is read-only), checks that it
    /// answers, and starts the poller.
    pub async fn connect(url: &str) -> Result<Arc<Replica>, store::StoreError> {
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(store::StoreError::Invalid(
                "bản sao chỉ đọc phải là PostgreSQL (postgres://…)".into(),
            ));
        }
        let db = Db::connect(url).await?;
        let replica = Arc::new(Replica {
            db,
            lag_ms: AtomicI64::new(-1),
            polled_ms: AtomicI64::new(0),
        });
        replica.poll().await;
        let weak = Arc::downgrade(&replica);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            loop {
                tick.tick().await;
                let Some(r) = weak.upgrade() else { return };
                r.poll().await;
            }
        });
        Ok(replica)
    }

    /// Asks the standby its role and lag (`store::ops::role`).
    pub async fn poll(&self) {
        let was_up = self.lag_ms.load(Ordering::Relaxed) >= 0;
        // Warnings only when the state changes: the poll runs every second.
        let lag = match store::ops::role(&self.db).await {
            Ok(r) if r.role == "replica" => r.lag_seconds.map(|s| (s * 1000.0) as i64).unwrap_or(0),
            // A primary given as the read database still holds the data: usable, no lag.
            Ok(r) => {
                if self.polled_ms.load(Ordering::Relaxed) == 0 {
                    tracing::warn!(
                        role = r.role,
                        "cơ sở dữ liệu đọc không phải bản sao (standby)"
                    );
                }
                0
            }
            Err(e) => {
                if was_up || self.polled_ms.load(Ordering::Relaxed) == 0 {
                    tracing::warn!(error = %e, "bản sao chỉ đọc không trả lời; đọc từ máy chủ chính");
                }
                -1
            }
        };
        if !was_up && lag >= 0 && self.polled_ms.load(Ordering::Relaxed) != 0 {
            tracing::info!("bản sao chỉ đọc trả lời trở lại");
        }
        self.lag_ms.store(lag, Ordering::Relaxed);
        self.polled_ms
            .store(Utc::now().timestamp_millis(), Ordering::Relaxed);
    }

    /// The lag at the last poll, when the replica answered.
    pub fn lag(&self) -> Option<Duration> {
        let ms = self.lag_ms.load(Ordering::Relaxed);
        (ms >= 0).then(|| Duration::from_millis(ms as u64))
    }

    /// Whether reads may go to the replica now.
    pub fn usable(&self) -> bool {
        let fresh = Utc::now().timestamp_millis() - self.polled_ms.load(Ordering::Relaxed)
            <= POLL_FRESH.as_millis() as i64;
        fresh && self.lag().is_some_and(|l| l < MAX_LAG)
    }

    /// The instant the replica's data is true at: the last poll less the lag.
    pub fn as_of(&self) -> DateTime<Utc> {
        let lag = self.lag_ms.load(Ordering::Relaxed).max(0);
        DateTime::from_timestamp_millis(self.polled_ms.load(Ordering::Relaxed) - lag)
            .unwrap_or_else(Utc::now)
    }
}

/// One request's choice of database, and whether it read the replica.
pub struct ReadScope {
    allow_replica: bool,
    /// The replica's `as_of` when a read went to it (Unix milliseconds).
    used_as_of: Cell<Option<i64>>,
}

tokio::task_local! {
    static SCOPE: ReadScope;
}

/// Runs `f` in a scope that may (or may not) read the replica; returns its output and,
/// when it read the replica, the instant the figures it read are true at.
pub async fn scope<F: Future>(allow_replica: bool, f: F) -> (F::Output, Option<DateTime<Utc>>) {
    let s = ReadScope {
        allow_replica,
        used_as_of: Cell::new(None),
    };
    let (out, s) = SCOPE
        .scope(s, async move {
            let out = f.await;
            let used = SCOPE.with(|s| s.used_as_of.get());
            (out, used)
        })
        .await;
    (out, s.and_then(DateTime::from_timestamp_millis))
}

/// The database the current request's heavy reads go to: the replica when one is
/// configured, usable, and the request's scope allows it (none outside a scope: jobs,
/// the CLI and tests read the primary).
pub(crate) fn choose<'a>(primary: &'a Db, replica: Option<&'a Replica>) -> &'a Db {
    let Some(r) = replica else {
        return primary;
    };
    let allowed = SCOPE.try_with(|s| s.allow_replica).unwrap_or(false);
    if !allowed || !r.usable() {
        return primary;
    }
    let as_of = r.as_of().timestamp_millis();
    let _ = SCOPE.try_with(|s| {
        // The oldest instant of what the page read.
        let v = s.used_as_of.get().map_or(as_of, |u| u.min(as_of));
        s.used_as_of.set(Some(v));
    });
    &r.db
}

/// The note a page shows when it read the replica: "Số liệu tính đến 10:32:05".
pub fn as_of_note(as_of: DateTime<Utc>) -> String {
    format!(
        "Số liệu tính đến {}",
        domain::time::local(as_of).format("%H:%M:%S")
    )
}
