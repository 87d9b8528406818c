//! The budget of one read: a deadline, a cancel flag and the size limits of untrusted
//! files. Issue 20: a 1.8 MB DOCX bomb kept a server worker busy for over seven minutes,
//! because nothing inside the reader could stop it. Every hot loop of the reader (the
//! XML events of a DOCX, the pages of a PDF, the cells of a workbook, the lines and
//! paragraphs of the directive parser, the rows of a task table) now asks the budget
//! whether to go on, so a read over its time really ends and frees its thread.
//!
//! The rules of the parser are many small functions; giving each a budget parameter
//! would widen forty signatures for a check that only the loops make. So the budget of
//! the read in progress is installed for this thread by [`Budget::run`] (as tokio's
//! cooperative budget is): the loops call [`go_on`] and stop early when it says no, and
//! `run` reports the stop, so a partial result never leaves the reader.

use std::cell::{Cell, RefCell};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Why a read was stopped before its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Stop {
    /// The deadline passed: the input is too large or too convoluted to read in time.
    #[error("Đọc văn bản quá {0} giây: tệp quá lớn hoặc quá phức tạp.")]
    TooSlow(u64),
    /// The caller gave up (the request ended).
    #[error("Việc đọc văn bản đã bị hủy.")]
    Cancelled,
}

/// Size limits of untrusted files, checked before the bytes they bound are allocated.
/// The defaults are the server's; a benchmark or a trusted batch may raise them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most bytes a DOCX part or a PDF stream may inflate to (declared and actual).
    /// Word's `document.xml` of a 600-page directive is about 10 MB.
    pub part_bytes: u64,
    /// Most entries of a DOCX archive. A directive with images has tens to a few
    /// hundred; a hundred thousand empty entries cost memory and time for nothing.
    pub zip_entries: usize,
    /// Deepest XML nesting of a DOCX part. Word nests body, tables, rows, cells,
    /// paragraphs and runs: tens of levels even with tables in tables.
    pub xml_depth: usize,
    /// Most bytes of text a file, or pasted text, may give the parser. 8 MB of text is
    /// about 2,500 pages, far above a directive with its appendices (the seed bundle
    /// of six documents is 80 KB), and reads in a few seconds.
    pub text_bytes: usize,
    /// Most objects of a PDF, and most pages.
    pub pdf_objects: usize,
    pub pdf_pages: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            part_bytes: 64 * 1024 * 1024,
            zip_entries: 2_000,
            xml_depth: 128,
            text_bytes: 8 * 1024 * 1024,
            pdf_objects: 200_000,
            pdf_pages: 2_000,
        }
    }
}

impl Limits {
    /// No size limit (trusted input, benchmarks).
    pub fn none() -> Self {
        Limits {
            part_bytes: u64::MAX,
            zip_entries: usize::MAX,
            xml_depth: usize::MAX,
            text_bytes: usize::MAX,
            pdf_objects: usize::MAX,
            pdf_pages: usize::MAX,
        }
    }
}

/// How many calls of [`Budget::check`] go by between two looks at the clock: a loop
/// step is a line or an XML event (well under a microsecond), so the deadline is
/// seen within a fraction of a millisecond of passing.
const CLOCK_EVERY: u32 = 64;

/// Deadline, cancel flag and limits of one read.
#[derive(Debug, Clone, Default)]
pub struct Budget {
    deadline: Option<(Instant, u64)>,
    cancel: Option<Arc<AtomicBool>>,
    limits: Limits,
    ticks: Cell<u32>,
    stopped: Cell<Option<Stop>>,
}

impl Budget {
    /// No deadline, the default limits: what the plain functions (`parse`, `read_file`)
    /// use.
    pub fn unlimited() -> Self {
        Budget::default()
    }

    /// A deadline `time` from now.
    pub fn within(time: Duration) -> Self {
        Budget {
            deadline: Some((Instant::now() + time, time.as_secs().max(1))),
            ..Budget::default()
        }
    }

    /// Stops as soon as `flag` is set (by the caller that gave up).
    pub fn cancelled_by(mut self, flag: Arc<AtomicBool>) -> Self {
        self.cancel = Some(flag);
        self
    }

    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Whether the read may go on: not cancelled, deadline not passed. Once stopped it
    /// stays stopped.
    pub fn check(&self) -> Result<(), Stop> {
        if let Some(s) = self.stopped.get() {
            return Err(s);
        }
        let t = self.ticks.get().wrapping_add(1);
        self.ticks.set(t);
        if !t.is_multiple_of(CLOCK_EVERY) {
            return Ok(());
        }
        let stop = if self
            .cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
        {
            Some(Stop::Cancelled)
        } else {
            self.deadline
                .filter(|(at, _)| Instant::now() >= *at)
                .map(|(_, secs)| Stop::TooSlow(secs))
        };
        match stop {
            Some(s) => {
                self.stopped.set(Some(s));
                Err(s)
            }
            None => Ok(()),
        }
    }

    /// Runs `f` with this budget installed for the thread, so that the loops inside
    /// can ask [`go_on`]. The result is refused when the budget stopped the work
    /// midway, whatever `f` returned.
    pub fn run<T>(&self, f: impl FnOnce() -> T) -> Result<T, Stop> {
        let previous = CURRENT.with(|c| c.replace(Some(self.clone())));
        let out = f();
        let mine = CURRENT.with(|c| c.replace(previous));
        let stopped = mine.and_then(|b| b.stopped.get());
        match stopped {
            Some(s) => {
                self.stopped.set(Some(s));
                Err(s)
            }
            None => Ok(out),
        }
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Budget>> = const { RefCell::new(None) };
}

/// Whether the read in progress on this thread may go on (always, outside
/// [`Budget::run`]).
pub fn go_on() -> bool {
    check().is_ok()
}

/// [`go_on`] for code that returns a `Result`.
pub fn check() -> Result<(), Stop> {
    CURRENT.with(|c| c.borrow().as_ref().map_or(Ok(()), Budget::check))
}

/// The limits of the read in progress (the defaults outside [`Budget::run`]).
pub fn limits() -> Limits {
    CURRENT.with(|c| {
        c.borrow()
            .as_ref()
            .map_or_else(Limits::default, |b| b.limits)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passed_deadline_stops_the_loops_and_the_result() {
        let b = Budget::within(Duration::ZERO);
        let r = b.run(|| {
            let mut n = 0;
            while go_on() {
                n += 1;
            }
            n
        });
        assert_eq!(r, Err(Stop::TooSlow(1)));
        assert!(b.check().is_err());
        // Outside `run`, nothing is limited.
        assert!(go_on());
    }

    #[test]
    fn a_cancel_flag_stops_and_no_budget_goes_on() {
        let flag = Arc::new(AtomicBool::new(true));
        let b = Budget::unlimited().cancelled_by(flag);
        assert_eq!(b.run(|| while go_on() {}), Err(Stop::Cancelled));
        let b = Budget::unlimited();
        assert_eq!(b.run(|| (0..10_000).all(|_| go_on())), Ok(true));
    }
}
