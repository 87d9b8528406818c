//! Văn bản chỉ đạo và nhiệm vụ — directives, their tasks, progress and verification.

pub mod assign;
pub mod progress;
pub mod read;

pub use assign::*;
pub use progress::*;
pub use read::*;

use chrono::NaiveDate;
use domain::org::Principal;
use domain::task::TaskStatus;
use serde::Serialize;
use store::task::Task;

use domain::validate::{Checker, FieldError};
use serde::Deserialize;
use store::task::{TaskEvent, TaskInput};

use crate::{App, Caller, ServiceError};

/// Today in Vietnam (UTC+07:00), the day statuses are derived for.
pub fn today() -> NaiveDate {
    domain::time::today()
}

/// A task the principal may see: its lead or one of its supporting agencies lies in the
/// principal's scope (404 otherwise, so existence does not leak).
pub async fn visible(
    state: &App,
    p: &Principal,
    id: i64,
) -> Result<(Task, Vec<(i64, String, String)>), ServiceError> {
    let t = store::task::get(&state.db, id).await?;
    let supports = store::task::supports(&state.db, id).await?;
    let scope = p.scope();
    let inside = t.lead_path.as_deref().is_some_and(|lp| scope.contains(lp))
        || supports.iter().any(|(_, _, path)| scope.contains(path));
    if !(inside || matches!(scope, domain::org::Scope::Province)) {
        return Err(ServiceError::NotFound);
    }
    Ok((t, supports))
}

/// The agency on whose behalf the principal reports on this task: the lead if it is in
/// their subtree, else a supporting agency in it.
pub fn reporting_agency(
    p: &Principal,
    t: &Task,
    supports: &[(i64, String, String)],
) -> Option<i64> {
    if let (Some(id), Some(path)) = (t.lead_agency_id, t.lead_path.as_deref())
        && p.can_report_for(path)
    {
        return Some(id);
    }
    supports
        .iter()
        .find(|(_, _, path)| p.can_report_for(path))
        .map(|(id, _, _)| *id)
}

pub fn is_lead_reporter(p: &Principal, t: &Task) -> bool {
    t.lead_path
        .as_deref()
        .is_some_and(|path| p.can_report_for(path))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TaskOut {
    pub id: i64,
    /// The task this one was split from, or the recurring task it is an occurrence of.
    pub parent_id: Option<i64>,
    /// The period of an occurrence of a recurring task (2023-09, 2023-Q3, 2023).
    pub period: Option<String>,
    pub directive_id: i64,
    pub directive_number: String,
    pub item_ref: Option<String>,
    pub content: String,
    pub lead_agency_id: Option<i64>,
    pub lead_name: Option<String>,
    /// The lead as written in the document when no registered agency matched.
    pub lead_text: Option<String>,
    /// The former lead, when the task moved to the successor of a dissolved agency.
    pub transferred_from: Option<String>,
    pub deadline: Option<NaiveDate>,
    pub original_deadline: Option<NaiveDate>,
    pub deadline_text: Option<String>,
    pub recurrence: Option<String>,
    /// When the task last changed: send it back as `expected_updated_at` so that a report
    /// made from a stale view is refused (409) instead of overwriting what it never saw.
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub percent: i32,
    pub submitted_on: Option<NaiveDate>,
    pub verified: bool,
    pub return_reason: Option<String>,
    /// Derived: in_progress, overdue, awaiting_verification, done_on_time, done_late.
    pub status: String,
    pub status_label: String,
    pub days_late: i64,
}

impl TaskOut {
    pub fn of(t: &Task, today: NaiveDate) -> TaskOut {
        let st = t.status(today);
        TaskOut {
            id: t.id,
            parent_id: t.parent_id,
            period: t.period.clone(),
            directive_id: t.directive_id,
            directive_number: t.directive_number.clone(),
            item_ref: t.item_ref.clone(),
            content: t.content.clone(),
            lead_agency_id: t.lead_agency_id,
            lead_name: t.lead_name.clone(),
            lead_text: t.lead_text.clone(),
            transferred_from: t.transferred_from.clone(),
            deadline: t.deadline,
            original_deadline: t.original_deadline,
            deadline_text: t.deadline_text.clone(),
            recurrence: t.recurrence.clone(),
            updated_at: t.updated_at,
            percent: t.percent,
            submitted_on: t.submitted_on,
            verified: t.verified,
            return_reason: t.return_reason.clone(),
            status: st.code().into(),
            status_label: st.label().into(),
            days_late: domain::task::days_late(&t.facts(), today),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Stats {
    pub assigned: i64,
    pub in_progress: i64,
    pub overdue: i64,
    pub awaiting_verification: i64,
    pub done_on_time: i64,
    pub done_late: i64,
    /// Verified completions / assigned, percent with one decimal (5768: "23/41 … 56%").
    pub completion_rate: Option<f64>,
}

impl Stats {
    pub fn of(counts: &[(TaskStatus, i64)]) -> Stats {
        let get = |s: TaskStatus| counts.iter().find(|(c, _)| *c == s).map_or(0, |(_, n)| *n);
        let assigned = counts.iter().map(|(_, n)| n).sum::<i64>();
        let done = get(TaskStatus::DoneOnTime) + get(TaskStatus::DoneLate);
        Stats {
            assigned,
            in_progress: get(TaskStatus::InProgress),
            overdue: get(TaskStatus::Overdue),
            awaiting_verification: get(TaskStatus::AwaitingVerification),
            done_on_time: get(TaskStatus::DoneOnTime),
            done_late: get(TaskStatus::DoneLate),
            completion_rate: domain::task::completion_rate(done as u64, assigned as u64),
        }
    }
}
