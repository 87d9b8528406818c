//! Phản ánh, kiến nghị (PAKN, issue 22): the public sends feedback without an account and
//! follows it by its code and the last four digits of their phone (`public`); the staff
//! of the competent agency triage, assign, answer, have the head approve and publish it
//! with personal data removed (`handle`). Time limits are working days on the legal
//! calendar (`domain::feedback::TimeLimits`). Rules: `domain::feedback`.

pub mod handle;
pub mod public;
pub mod remind;
pub mod stats;

pub use handle::*;
pub use public::*;
pub use stats::*;

use chrono::{DateTime, NaiveDate, Utc};
use domain::feedback::{Kind, Status};
use domain::org::{Principal, Role};
use serde::Serialize;

use crate::{App, ServiceError};

/// A feedback as the staff see it (the sender's contact included: they answer them).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FeedbackOut {
    pub id: i64,
    pub code: String,
    /// regulation | procedure | dossier | conduct
    pub kind: String,
    pub kind_label: String,
    /// 766 indicator 5.1's category.
    pub category: String,
    pub agency_code: Option<String>,
    pub agency_name: Option<String>,
    pub procedure_code: Option<String>,
    pub dossier_code: Option<String>,
    pub title: String,
    pub content: String,
    pub sender_name: String,
    pub sender_phone: String,
    pub sender_email: Option<String>,
    pub sender_address: Option<String>,
    /// received | supplement | processing | awaiting_approval | awaiting_publication |
    /// published | rejected | merged
    pub status: String,
    pub status_label: String,
    pub received_at: DateTime<Utc>,
    /// Due to be accepted or rejected.
    pub triage_due_on: NaiveDate,
    /// Due to be answered (approved, awaiting publication).
    pub due_on: NaiveDate,
    pub publish_due_on: Option<NaiveDate>,
    /// Still open past its due date today.
    pub overdue: bool,
    pub assignee_name: Option<String>,
    pub supplement_request: Option<String>,
    pub reject_reason: Option<String>,
    pub answer: Option<String>,
    pub public_answer: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    /// The earlier feedback this one complains again about.
    pub parent_code: Option<String>,
    pub likes: i32,
    pub dislikes: i32,
    pub demo: bool,
}

pub(crate) fn status_of(s: &str) -> Status {
    Status::parse(s).unwrap_or(Status::Received)
}

pub(crate) fn out(r: store::feedback::FeedbackRow, today: NaiveDate) -> FeedbackOut {
    let status = status_of(&r.status);
    let kind = Kind::parse(&r.kind).unwrap_or(Kind::Regulation);
    FeedbackOut {
        id: r.id,
        overdue: !status.is_handled() && r.due_on < today,
        code: r.code,
        kind: kind.code().into(),
        kind_label: kind.label().into(),
        category: kind.category().into(),
        agency_code: r.agency_code,
        agency_name: r.agency_name,
        procedure_code: r.procedure_code,
        dossier_code: r.dossier_code,
        title: r.title,
        content: r.content,
        sender_name: r.sender_name,
        sender_phone: r.sender_phone,
        sender_email: r.sender_email,
        sender_address: r.sender_address,
        status: status.code().into(),
        status_label: status.label().into(),
        received_at: r.received_at,
        triage_due_on: r.triage_due_on,
        due_on: r.due_on,
        publish_due_on: r.publish_due_on,
        assignee_name: r.assignee_name,
        supplement_request: r.supplement_request,
        reject_reason: r.reject_reason,
        answer: r.answer,
        public_answer: r.public_answer,
        published_at: r.published_at,
        parent_code: r.parent_code,
        likes: r.likes,
        dislikes: r.dislikes,
        demo: r.demo,
    }
}

/// Whether the principal handles feedback without an agency (not yet determined) and may
/// forward any: the Văn phòng UBND tỉnh – KSTT (NĐ 20/2008 as amended by NĐ 92/2017: the
/// office receives feedback on regulations for the province) and administrators.
pub fn handles_unassigned(p: &Principal) -> bool {
    p.has(Role::VanPhongKstt) || p.is_admin()
}

/// Whether the principal may see this feedback: inside their subtree; one without an
/// agency only province-wide. 404 otherwise, so that existence does not leak.
pub(crate) async fn visible(
    app: &App,
    p: &Principal,
    r: &store::feedback::FeedbackRow,
) -> Result<(), ServiceError> {
    let ok = match (r.agency_id, p.scope().prefix()) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(id), Some(_)) => p.scope().contains(&app.agency(id).await?.path),
    };
    if ok {
        Ok(())
    } else {
        Err(ServiceError::NotFound)
    }
}

pub(crate) fn today() -> NaiveDate {
    crate::task::today()
}

/// The day (Vietnam time) of an instant.
pub(crate) fn day_of(t: DateTime<Utc>) -> NaiveDate {
    domain::time::local(t).date()
}

/// The due dates of a feedback received on `day`, by the time limits in force that day.
pub(crate) async fn due_from(
    app: &App,
    day: NaiveDate,
) -> Result<domain::feedback::limits::Due, ServiceError> {
    let limits = domain::feedback::TimeLimits::on(day).map_err(ServiceError::Internal)?;
    let cal = app.calendar.get(&app.db).await?;
    limits
        .due(&cal, day)
        .map_err(|e| ServiceError::bad(e.to_string()))
}

/// The columns of a new reception at `at` (a supplement arrived, a forward to the
/// competent agency): the time limits are counted again from that day.
pub(crate) async fn received_again(
    app: &App,
    at: DateTime<Utc>,
) -> Result<Vec<(&'static str, store::feedback::Val)>, ServiceError> {
    use store::feedback::Val;
    let due = due_from(app, day_of(at)).await?;
    Ok(vec![
        ("received_at", Val::Time(Some(at))),
        ("triage_due_on", Val::Date(Some(due.triage_on))),
        (
            "supplement_due_on",
            Val::Date(Some(due.supplement_request_on)),
        ),
        ("due_on", Val::Date(Some(due.answer_on))),
    ])
}
