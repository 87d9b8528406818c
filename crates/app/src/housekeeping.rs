//! The hourly housekeeping of `cchc serve`, job by job, each under its lease
//! (`store::lease`): with several nodes on one database, one node runs each job per hour
//! and the others skip it (`cchc_job_runs_total{outcome="skipped"}`). A failed job gives
//! its lease back, so that the next tick of any node tries again.
//!
//! The jobs, in order (occurrences first: the periodic reports reuse their tasks):
//! occurrences of recurring tasks up to a month ahead, the report periods in progress,
//! open tasks of dissolved agencies moved to their successors, task, feedback and dossier
//! reminders, e-mail of notifications, and the purge of expired sessions. Each is also
//! idempotent by its own unique keys, so a run taken over after a lease expired mid-run
//! adds nothing twice. The national portal's outbox is not here: it runs every minute on
//! every node, sharing the rows by claims (`sync::run_once`).

use std::future::Future;
use std::time::Duration;

use crate::App;
use crate::jobs::Mailer;
use crate::metrics::{JobOutcome, job};
use domain::reminder::ReminderSchedule;

/// How long an hourly job's lease lasts: a little under the hour, so that the next hourly
/// tick (of this node or another) finds it expired.
pub const HOURLY_LEASE: Duration = Duration::from_secs(55 * 60);

/// Runs `work` when this node takes the lease of job `name` for `ttl`; `None` when
/// another node holds it (or the lease table could not be read: the job waits for the
/// next tick rather than risk running twice). The outcome is counted for `/metrics` and
/// recorded on the lease.
pub async fn leased<T, E, F>(app: &App, name: &str, ttl: Duration, work: F) -> Option<Result<T, E>>
where
    E: std::fmt::Display,
    F: Future<Output = Result<T, E>>,
{
    let node = crate::node::id();
    match store::lease::acquire(&app.db, name, node, ttl).await {
        Ok(true) => {}
        Ok(false) => {
            job(name, JobOutcome::Skipped);
            return None;
        }
        Err(e) => {
            tracing::warn!(job = name, error = %e, "không lấy được quyền chạy việc định kỳ");
            job(name, JobOutcome::Failed);
            return None;
        }
    }
    let result = work.await;
    let error = result.as_ref().err().map(|e| e.to_string());
    job(
        name,
        if error.is_some() {
            JobOutcome::Failed
        } else {
            JobOutcome::Ran
        },
    );
    if let Err(e) = store::lease::finish(&app.db, name, node, error.as_deref()).await {
        tracing::warn!(job = name, error = %e, "không ghi được kết quả việc định kỳ");
    }
    Some(result)
}

/// Logs a job's result: `what` when it did something (n > 0), the warning on failure.
fn report(result: Option<Result<usize, impl std::fmt::Display>>, what: &str, failed: &str) {
    match result {
        Some(Ok(n)) if n > 0 => tracing::info!(count = n, "{what}"),
        Some(Err(e)) => tracing::warn!(error = %e, "{failed}"),
        _ => {}
    }
}

/// One hourly tick: every job this node can take.
pub async fn tick(app: &App, mailer: Option<&Mailer>, reminders: Option<&ReminderSchedule>) {
    let db = &app.db;
    let today = domain::time::today();
    let r = leased(app, "occurrences", HOURLY_LEASE, async {
        let cal = app.calendar.get(db).await?;
        let ahead = (chrono::Utc::now() + chrono::Duration::days(31)).date_naive();
        Ok::<_, crate::error::ServiceError>(
            crate::jobs::generate_occurrences(db, &cal, ahead).await?,
        )
    })
    .await;
    report(
        r,
        "đã tạo kỳ mới của nhiệm vụ định kỳ",
        "không tạo được kỳ của nhiệm vụ định kỳ",
    );
    let r = leased(app, "report-periods", HOURLY_LEASE, async {
        crate::report::open_current_periods(app, today).await
    })
    .await;
    report(
        r,
        "đã mở kỳ báo cáo định kỳ",
        "không mở được kỳ báo cáo định kỳ",
    );
    let r = leased(app, "agency-transfers", HOURLY_LEASE, async {
        let actor = store::audit::Actor::system("housekeeping");
        store::task::transfer_dissolved(db, today, &actor)
            .await
            .map(|moved| moved.len())
    })
    .await;
    report(
        r,
        "đã chuyển nhiệm vụ của cơ quan đã sáp nhập, giải thể",
        "không chuyển được nhiệm vụ của cơ quan đã giải thể",
    );
    if let Some(schedule) = reminders {
        let r = leased(app, "task-reminders", HOURLY_LEASE, async {
            crate::jobs::send_reminders(db, schedule, today).await
        })
        .await;
        report(
            r,
            "đã tạo thông báo nhắc việc",
            "không tạo được thông báo nhắc việc",
        );
        let r = leased(app, "feedback-reminders", HOURLY_LEASE, async {
            crate::feedback::remind::send_reminders(db, schedule, today).await
        })
        .await;
        report(
            r,
            "đã tạo thông báo nhắc xử lý phản ánh",
            "không tạo được thông báo nhắc xử lý phản ánh",
        );
    }
    let r = leased(app, "dossier-reminders", HOURLY_LEASE, async {
        let cal = app.calendar.get(db).await?;
        Ok::<_, crate::error::ServiceError>(
            crate::dossier::remind::send_reminders(db, &cal, chrono::Utc::now()).await?,
        )
    })
    .await;
    report(
        r,
        "đã tạo thông báo nhắc hạn hồ sơ",
        "không tạo được thông báo nhắc hạn hồ sơ",
    );
    if let Some(m) = mailer {
        let r = leased(app, "email", HOURLY_LEASE, async {
            crate::jobs::email_notifications(db, m).await
        })
        .await;
        report(r, "đã gửi thư thông báo", "không gửi được thư thông báo");
    }
    let r = leased(app, "session-purge", HOURLY_LEASE, async {
        store::session::purge_expired(db).await.map(|n| n as usize)
    })
    .await;
    report(
        r,
        "đã xóa phiên đăng nhập hết hạn",
        "không xóa được phiên hết hạn",
    );
}
