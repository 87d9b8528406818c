//! Đọc tệp tải lên — reading untrusted files (a directive's text, an appendix table, a
//! catalog workbook) on a bounded pool of blocking threads, each read within a deadline.
//!
//! Issue 20: a 1.8 MB DOCX bomb posted to the import page kept a runtime worker at full
//! CPU for over seven minutes; the request timeout could not fire (the work never
//! yielded) and SIGTERM could not stop the server. So:
//! - the work runs on `spawn_blocking`, never on the async runtime;
//! - at most one read per core runs at once (a semaphore), a few more may wait
//!   [`QUEUE_WAIT`] for a turn, and the rest are told at once that the server is busy
//!   (503 with `Retry-After`), instead of piling up;
//! - each read carries a [`Budget`]: its deadline ([`READ_TIME`]) and a cancel flag set
//!   when the request goes away, checked inside docparse's loops, so the thread is
//!   really freed; the size limits of docparse are checked before allocation.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use docparse::{Budget, Document, ImportError, ReadError, Stop, TaskTable};
use tokio::sync::Semaphore;

use crate::ServiceError;

/// Time of one read and parse. The reader goes through 2 to 7 MB of directive text a
/// second on one core (`cchc bench reader`, release build), so the largest text it
/// accepts (8 MB, `docparse::Limits::text_bytes`) is read in under 5 s; 20 s leaves room
/// for a slow or loaded machine and stays well under the 60 s request timeout.
pub const READ_TIME: Duration = Duration::from_secs(20);

/// Longest wait for a free reader before the request is answered "busy".
pub const QUEUE_WAIT: Duration = Duration::from_secs(5);

/// Requests that may wait for a reader, per reader; more are refused at once.
const WAITING_PER_READER: usize = 4;

/// Seconds a refused client is asked to wait (`Retry-After`): about one read.
const RETRY_AFTER: u64 = 20;

const BUSY: &str = "Máy chủ đang bận đọc văn bản khác, vui lòng thử lại sau ít phút.";

/// Most tasks one import may propose: the officer checks every row before saving; a
/// plan's appendix has tens to a few hundred, as many as a table import takes
/// (`docparse::import::MAX_ROWS`).
pub const MAX_PROPOSED_TASKS: usize = docparse::import::MAX_ROWS;

/// A bounded pool: `readers` permits, at most `max_waiting` callers waiting for one.
pub struct Pool {
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
    max_waiting: usize,
    wait: Duration,
    time: Duration,
}

/// The process's pool: one reader per available core (at least one).
static POOL: LazyLock<Pool> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    Pool::new(cores, cores * WAITING_PER_READER, QUEUE_WAIT, READ_TIME)
});

/// Sets the cancel flag when the request that started the work is dropped (client gone,
/// request timeout, server shutting down): the read stops at its next check.
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Counts a caller in the wait queue for as long as it waits.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

fn busy() -> ServiceError {
    ServiceError::Busy {
        message: BUSY.into(),
        retry_after: RETRY_AFTER,
    }
}

impl Pool {
    pub fn new(readers: usize, max_waiting: usize, wait: Duration, time: Duration) -> Self {
        Pool {
            permits: Arc::new(Semaphore::new(readers.max(1))),
            waiting: AtomicUsize::new(0),
            max_waiting,
            wait,
            time,
        }
    }

    /// Runs `work` on a blocking thread once a reader is free, with a budget of this
    /// pool's time and a cancel flag tied to the returned future.
    pub async fn run<T, F>(&self, work: F) -> Result<T, ServiceError>
    where
        T: Send + 'static,
        F: FnOnce(&Budget) -> Result<T, ServiceError> + Send + 'static,
    {
        let permit = match self.permits.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                if self.waiting.fetch_add(1, Ordering::Relaxed) >= self.max_waiting {
                    self.waiting.fetch_sub(1, Ordering::Relaxed);
                    return Err(busy());
                }
                let _queued = Waiting(&self.waiting);
                let turn = self.permits.clone().acquire_owned();
                match tokio::time::timeout(self.wait, turn).await {
                    Ok(Ok(p)) => p,
                    Ok(Err(_)) | Err(_) => return Err(busy()),
                }
            }
        };
        let flag = Arc::new(AtomicBool::new(false));
        let _cancel = CancelOnDrop(flag.clone());
        let time = self.time;
        let job = tokio::task::spawn_blocking(move || {
            // The permit goes with the thread: a reader is free again when the work
            // has really stopped, not when its caller gave up.
            let _permit = permit;
            let budget = Budget::within(time).cancelled_by(flag);
            work(&budget)
        });
        match job.await {
            Ok(r) => r,
            Err(e) if e.is_panic() => {
                tracing::warn!("a reader panicked on an uploaded file");
                Err(ServiceError::bad(
                    "Tệp có cấu trúc không hợp lệ, không đọc được.",
                ))
            }
            Err(e) => Err(ServiceError::internal(e)),
        }
    }
}

/// Runs `work` on the process's reader pool.
pub async fn run<T, F>(work: F) -> Result<T, ServiceError>
where
    T: Send + 'static,
    F: FnOnce(&Budget) -> Result<T, ServiceError> + Send + 'static,
{
    POOL.run(work).await
}

/// A directive's text as read, and the documents the reader proposes from it.
#[derive(Debug, Clone)]
pub struct DirectiveText {
    /// The text (NFC), shown beside the proposal.
    pub source: String,
    pub documents: Vec<Document>,
}

/// Reads a directive from an uploaded file (.txt, .docx, .pdf) or pasted text, and
/// proposes its documents and tasks. Nothing is saved.
pub async fn directive(
    file: Option<(String, Vec<u8>)>,
    text: String,
) -> Result<DirectiveText, ServiceError> {
    run(move |budget| {
        let source = match &file {
            Some((name, bytes)) => {
                docparse::read_file_with(bytes, name, budget).map_err(read_error)?
            }
            None => text,
        };
        let source = domain::text::nfc(&source);
        if source.trim().is_empty() {
            return Err(ServiceError::invalid(
                "text",
                "Hãy dán nội dung văn bản hoặc chọn tệp (.txt, .docx, .pdf).",
            ));
        }
        let documents = docparse::parse_with(&source, budget).map_err(read_error)?;
        if documents.is_empty() {
            return Err(ServiceError::invalid(
                "text",
                "Không nhận ra văn bản hành chính nào trong nội dung này.",
            ));
        }
        let tasks: usize = documents.iter().map(|d| d.tasks.len()).sum();
        if tasks > MAX_PROPOSED_TASKS {
            return Err(ServiceError::TooLarge(format!(
                "Văn bản có {tasks} nhiệm vụ, vượt quá giới hạn {MAX_PROPOSED_TASKS} nhiệm vụ mỗi lần nhập; hãy tách thành nhiều tệp."
            )));
        }
        Ok(DirectiveText { source, documents })
    })
    .await
}

/// Reads an appendix table from an uploaded file (.xlsx, .csv, .tsv, .txt) or pasted
/// text into task rows and row errors. Nothing is saved.
pub async fn task_table(
    file: Option<(String, Vec<u8>)>,
    text: String,
) -> Result<TaskTable, ServiceError> {
    if file.is_none() && text.trim().is_empty() {
        return Err(ServiceError::invalid(
            "file",
            "Hãy chọn tệp (.xlsx, .csv, .tsv) hoặc dán bảng.",
        ));
    }
    run(move |budget| {
        match &file {
            Some((name, bytes)) => docparse::read_task_table_with(bytes, name, budget),
            None => docparse::read_task_text_with(&text, budget),
        }
        .map_err(import_error)
    })
    .await
}

/// Reads a catalog workbook (.xlsx) into the catalog CSV text
/// ([`crate::procedure::workbook`]).
pub async fn catalog_workbook(bytes: Vec<u8>) -> Result<String, ServiceError> {
    run(move |budget| crate::procedure::workbook::xlsx_to_csv(&bytes, budget)).await
}

fn stop_error(s: Stop) -> ServiceError {
    match s {
        Stop::TooSlow(_) => ServiceError::TooLarge(s.to_string()),
        Stop::Cancelled => ServiceError::bad(s.to_string()),
    }
}

/// A file over a limit or over its time is a 413 naming the limit; a file that cannot
/// be read is a 422 on the file field.
fn read_error(e: ReadError) -> ServiceError {
    match e {
        ReadError::TooLarge(m) => ServiceError::TooLarge(m),
        ReadError::Stopped(s) => stop_error(s),
        e => ServiceError::invalid("file", e.to_string()),
    }
}

fn import_error(e: ImportError) -> ServiceError {
    match e {
        ImportError::TooLarge(m) => ServiceError::TooLarge(m),
        ImportError::Stopped(s) => stop_error(s),
        ImportError::TooManyRows { .. } => ServiceError::TooLarge(e.to_string()),
        e => ServiceError::invalid("file", e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    /// Work that runs until its budget stops it.
    fn spin(budget: &Budget) -> Result<u64, ServiceError> {
        let mut n = 0u64;
        loop {
            if let Err(s) = budget.check() {
                return Err(stop_error(s));
            }
            n += 1;
            if n == u64::MAX {
                return Ok(n);
            }
        }
    }

    #[tokio::test]
    async fn the_deadline_frees_the_reader_and_names_the_time() {
        let pool = Pool::new(1, 1, Duration::from_secs(5), Duration::from_millis(200));
        let t0 = Instant::now();
        let e = pool.run(spin).await.unwrap_err();
        assert!(t0.elapsed() < Duration::from_secs(3));
        assert!(
            matches!(&e, ServiceError::TooLarge(m) if m.contains("giây")),
            "{e}"
        );
        // The reader is free again.
        assert_eq!(pool.run(|_| Ok(7)).await.unwrap(), 7);
    }

    #[tokio::test]
    async fn a_full_pool_answers_busy_and_a_dropped_request_stops_its_work() {
        let pool = Arc::new(Pool::new(
            1,
            0,
            Duration::from_millis(100),
            Duration::from_secs(600),
        ));
        let stopped = Arc::new(AtomicBool::new(false));
        let seen = stopped.clone();
        let long = {
            let pool = pool.clone();
            tokio::spawn(async move {
                pool.run(move |b| {
                    let r = spin(b);
                    seen.store(true, Ordering::Relaxed);
                    r
                })
                .await
            })
        };
        tokio::time::sleep(Duration::from_millis(100)).await;
        let e = pool.run(|_| Ok(1)).await.unwrap_err();
        assert!(
            matches!(&e, ServiceError::Busy { retry_after, .. } if *retry_after > 0),
            "{e}"
        );
        assert!(e.to_string().contains("bận"));
        // The caller gives up: its work is cancelled and the reader freed.
        long.abort();
        let t0 = Instant::now();
        while !stopped.load(Ordering::Relaxed) && t0.elapsed() < Duration::from_secs(5) {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert!(stopped.load(Ordering::Relaxed), "the work went on");
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(pool.run(|_| Ok(2)).await.unwrap(), 2);
    }
}
