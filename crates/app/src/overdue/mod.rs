//! Danh sách hồ sơ, nhiệm vụ quá hạn — `GET /api/v1/overdue?unit=&period=&period_mode=`,
//! the page `/bao-cao/qua-han` and its XLSX `/bao-cao/qua-han/xlsx`: every dossier, task and
//! feedback (phản ánh, kiến nghị, 6486 item 2: "xử lý triệt để, dứt điểm") overdue in a period for one unit (its agency subtree), with the responsible unit and
//! officer, the days late and the stated reason, ready for the provincial meeting (Công văn
//! 6486/UBND-KSTT ngày 07/8/2023, mục 3). Page, API and XLSX are built from one
//! [`OverdueReport`], so they list the same rows.

mod feedback;
mod list;
mod sheet;

pub use list::overdue_list;
pub use sheet::*;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::Serialize;

use crate::Caller;
use crate::indicator::{IndicatorQuery, resolve_period, resolve_unit};
use crate::{App, ServiceError};

/// "Chưa có lý do" — shown (and counted) when no reason was stated.
pub const NO_REASON: &str = "Chưa có lý do";

/// One overdue dossier, task or feedback.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OverdueRow {
    /// `dossier`, `task` or `feedback` (phản ánh, kiến nghị).
    pub kind: String,
    /// `unfinished` (still open and late at the cut-off) or `finished_late` (finished late
    /// within the period).
    pub state: String,
    /// The unit responsible for the delay: for a dossier the agency recorded with the
    /// delay, else the handling agency; for a task its lead agency; for a feedback the
    /// agency that holds it.
    pub unit: String,
    pub id: i64,
    /// Dossier code, `NV-<id>` for a task, the feedback's tracking code.
    pub code: String,
    /// The procedure's name, the task's content, or the feedback's title.
    pub title: String,
    /// The procedure's code, the directive's number, or the kind of feedback.
    pub source: String,
    /// The desk that received the dossier (dossiers).
    pub receiving_unit: Option<String>,
    /// The agency handling the dossier (dossiers).
    pub handling_unit: Option<String>,
    /// The step that ran late, else the step in progress (dossiers).
    pub step: Option<String>,
    /// Whether `step` is a step closed after its due time.
    pub step_late: bool,
    /// Status label of the dossier, of the task (% done), or of the feedback.
    pub status: String,
    /// Full name of the responsible officer: the one recorded with the delay, else the
    /// assignee (dossiers); the author of the last progress report (tasks); the assigned
    /// officer (feedback).
    pub officer: Option<String>,
    /// The deadline in force (Vietnam time, `YYYY-MM-DDTHH:MM:SS` without offset; for a
    /// task or a feedback its date at 00:00:00).
    #[schema(value_type = String, example = "2023-10-20T17:00:00")]
    pub due: NaiveDateTime,
    /// When it was finished (Vietnam time), if finished within the period.
    #[schema(value_type = Option<String>, example = "2023-10-24T09:30:00")]
    pub finished: Option<NaiveDateTime>,
    pub days_late: i64,
    /// `working` (dossiers and feedback: working days by the legal calendar) or `calendar` (tasks:
    /// directive deadlines are calendar dates).
    pub days_unit: String,
    /// The stated reason; `null` when none was stated.
    pub reason: Option<String>,
    /// Whether an apology letter (Mẫu 04) was issued (dossiers; `null` for tasks).
    pub apology: Option<bool>,
}

/// Counts of one unit.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct UnitTotal {
    pub unit: String,
    pub dossiers: u64,
    pub tasks: u64,
    /// Phản ánh, kiến nghị not answered within their legal time limit.
    pub feedback: u64,
    /// Rows (of every kind) with a stated reason for the delay.
    pub with_reason: u64,
    pub without_reason: u64,
}

/// What a row of the list is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowKind {
    Dossier,
    Task,
    Feedback,
}

impl UnitTotal {
    fn count(&mut self, kind: RowKind, with_reason: bool) {
        match kind {
            RowKind::Dossier => self.dossiers += 1,
            RowKind::Task => self.tasks += 1,
            RowKind::Feedback => self.feedback += 1,
        }
        if with_reason {
            self.with_reason += 1;
        } else {
            self.without_reason += 1;
        }
    }
}

/// The overdue list of a unit for a period.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OverdueReport {
    pub unit: String,
    pub unit_name: String,
    pub period: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The instant the list is judged at (Vietnam time): the end of the period, or now
    /// when the period is not over.
    #[schema(value_type = String, example = "2023-10-31T23:59:59")]
    pub cut_off: NaiveDateTime,
    pub generated_at: DateTime<Utc>,
    /// Per responsible unit, in the order of the rows.
    pub totals: Vec<UnitTotal>,
    pub total: UnitTotal,
    /// How many rows the list has in all (`rows` may be one page of them).
    pub rows_total: usize,
    /// The position of `rows[0]` in the whole list (0 when not paged).
    pub offset: usize,
    /// Sorted by unit, then days late (most first); with `limit`, the page asked for.
    pub rows: Vec<OverdueRow>,
}

/// `s` without blanks around it, `None` if nothing is left (the rule the counts "with a
/// reason" follow: [`store::overdue::stated`]).
fn clean(s: Option<String>) -> Option<String> {
    store::overdue::stated(s)
}

/// The overdue list of the request's unit and period (404 for a unit outside the caller's
/// scope, 400 for a bad period).
pub async fn compute(
    state: &App,
    user: &Caller,
    q: &IndicatorQuery,
) -> Result<OverdueReport, ServiceError> {
    compute_page(state, user, q, None).await
}

/// [`compute`], keeping only the rows `page = (offset, limit)`.
pub async fn compute_page(
    state: &App,
    user: &Caller,
    q: &IndicatorQuery,
    page: Option<(usize, usize)>,
) -> Result<OverdueReport, ServiceError> {
    let (unit, unit_name, path) = resolve_unit(state, &user.principal, q.unit.as_deref()).await?;
    let (period, from, to) = resolve_period(q.period.as_deref(), q.period_mode.as_deref())?;
    let scope = Scope {
        unit,
        unit_name,
        path: path.as_deref(),
        period,
        from,
        to,
    };
    overdue_page(state, scope, Utc::now(), page).await
}

/// The overdue dossiers and tasks of the subtree at `path` (`None`: the province) for the
/// days `from..=to`, judged at the end of the period or at `now` if earlier.
#[allow(clippy::too_many_arguments)]
pub async fn overdue(
    state: &App,
    unit: String,
    unit_name: String,
    path: Option<&str>,
    period: String,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> Result<OverdueReport, ServiceError> {
    let scope = Scope {
        unit,
        unit_name,
        path,
        period,
        from,
        to,
    };
    overdue_page(state, scope, now, None).await
}

/// The unit and period of a list.
pub struct Scope<'a> {
    pub unit: String,
    pub unit_name: String,
    pub path: Option<&'a str>,
    pub period: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// [`overdue`] with the rows cut to `page = (offset, limit)`: every candidate is judged,
/// sorted and counted, but the steps (a look into each dossier's events) are read only for
/// the rows returned — what keeps a province-wide page fast when the list is long.
pub async fn overdue_page(
    state: &App,
    scope: Scope<'_>,
    now: DateTime<Utc>,
    page: Option<(usize, usize)>,
) -> Result<OverdueReport, ServiceError> {
    overdue_list(state, scope, now, page, false).await
}
