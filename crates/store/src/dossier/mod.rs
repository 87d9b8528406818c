//! Hồ sơ TTHC: intake (idempotent), transitions that are atomic with their control-sheet
//! row, audit entry and outbox row, pauses, apology letters, payment, rating, the public
//! look-up and the synchronisation outbox.
//!
//! The state machine itself is `domain::dossier::apply`; this module refuses a transition
//! whose status changed under it (optimistic check on `status`), so two desks acting at
//! once cannot both win.
//!
//! This module holds the dossier as read (`Dossier`, its control sheet, pauses) and the
//! reads; the writes live in `intake` (opening), `transition` (status changes), `note`
//! (apology, payment, rating) and `outbox` (the synchronisation outbox and its payload).

mod intake;
mod note;
mod outbox;
mod reckon;
mod transition;

pub use intake::{NewDossier, ReceivedDocument, documents, intake};
pub use note::{Note, record_note};
pub use outbox::{
    OutboxRow, outbox_claim, outbox_next, outbox_pending, outbox_release, outbox_result,
    outbox_sent,
};
pub use reckon::{OpenDossier, open_for_reckoning, open_pauses, reschedule};
pub use transition::{Effects, transition, transition_to};

use chrono::{DateTime, Utc};
use domain::dossier::DossierStatus;
use domain::text::fold_vi;
use serde::Serialize;

use crate::arg::{Arg, Args};
use crate::{Db, Page, Result, like_contains, on_db};

/// Statuses of a dossier still being worked on (its deadline runs or is paused).
pub const ACTIVE: [i32; 5] = [1, 2, 4, 5, 6];

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Dossier {
    pub id: i64,
    pub code: String,
    pub tthc_id: i64,
    pub tthc_code: String,
    pub tthc_name: String,
    pub agency_id: i64,
    pub agency_name: String,
    #[serde(skip)]
    pub agency_path: String,
    pub handling_agency_id: Option<i64>,
    pub handling_agency_name: Option<String>,
    #[serde(skip)]
    pub handling_path: Option<String>,
    pub assignee_id: Option<i64>,
    pub channel: i32,
    /// Read from the stored code 1–10; serialized as that code.
    #[sqlx(try_from = "i32")]
    #[serde(serialize_with = "DossierStatus::serialize_code")]
    pub status: DossierStatus,
    pub applicant_name: String,
    pub applicant_id_no: Option<String>,
    pub applicant_phone: Option<String>,
    pub applicant_email: Option<String>,
    pub applicant_address: Option<String>,
    pub submitted_at: DateTime<Utc>,
    pub received_at: Option<DateTime<Utc>>,
    pub appointment_at: Option<DateTime<Utc>>,
    pub rescheduled_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
    pub target_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub returned_at: Option<DateTime<Utc>>,
    pub stopped_at: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub supplement_count: i32,
    pub step_seq: i32,
    pub step_due_at: Option<DateTime<Utc>>,
    pub fee_amount: Option<i64>,
    pub paid_at: Option<DateTime<Utc>>,
    pub paid_online: bool,
    pub rating: Option<i32>,
    pub digitized: bool,
    pub e_result: bool,
    pub result_code: Option<String>,
    pub delay_reason: Option<String>,
    pub delay_agency_id: Option<i64>,
    pub delay_user_id: Option<i64>,
    pub regime: String,
    pub updated_at: DateTime<Utc>,
}

impl Dossier {
    pub fn status(&self) -> DossierStatus {
        self.status
    }

    /// Overdue now: still being worked on and past the deadline in force.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        matches!(
            self.status,
            DossierStatus::Submitted
                | DossierStatus::Received
                | DossierStatus::Processing
                | DossierStatus::AwaitingPayment
        ) && self.due_at.is_some_and(|d| d < now)
    }
}

const COLUMNS: &str = "h.id, h.code, h.tthc_id, p.code as tthc_code, p.name as tthc_name, h.agency_id, \
     a.name as agency_name, a.path as agency_path, h.handling_agency_id, ha.name as handling_agency_name, \
     ha.path as handling_path, h.assignee_id, h.channel, h.status, h.applicant_name, h.applicant_id_no, \
     h.applicant_phone, h.applicant_email, h.applicant_address, h.submitted_at, h.received_at, \
     h.appointment_at, h.rescheduled_at, h.due_at, h.target_at, h.finished_at, h.returned_at, h.stopped_at, \
     h.withdrawn_at, h.supplement_count, h.step_seq, h.step_due_at, h.fee_amount, h.paid_at, h.paid_online, \
     h.rating, h.digitized, h.e_result, h.result_code, h.delay_reason, h.delay_agency_id, h.delay_user_id, \
     h.regime, h.updated_at";

const FROM: &str = "from dossier h join tthc p on p.id = h.tthc_id join agency a on a.id = h.agency_id \
     left join agency ha on ha.id = h.handling_agency_id";

pub async fn get(db: &Db, id: i64) -> Result<Dossier> {
    let sql = format!("select {COLUMNS} {FROM} where h.id = $1");
    Ok(on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_one(p)
            .await?
    }))
}

pub async fn get_by_code(db: &Db, code: &str) -> Result<Dossier> {
    let sql = format!("select {COLUMNS} {FROM} where h.code = $1");
    Ok(on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(code)
            .fetch_one(p)
            .await?
    }))
}

#[derive(Debug, Clone, Default)]
pub struct DossierFilter {
    /// Dossiers received by, or now handled by, an agency under this path.
    pub scope_prefix: Option<String>,
    /// Received by or handled by this agency.
    pub agency_id: Option<i64>,
    pub status: Option<i32>,
    /// Active and past the deadline in force at this instant.
    pub overdue_at: Option<DateTime<Utc>>,
    pub tthc_id: Option<i64>,
    pub q: Option<String>,
    pub received_from: Option<DateTime<Utc>>,
    pub received_to: Option<DateTime<Utc>>,
    /// Active and due in [from, to): the desk's "near the deadline" list.
    pub due_between: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

fn where_clause(f: &DossierFilter) -> (String, Vec<Arg>) {
    let mut w = vec!["1 = 1".to_string()];
    let mut args = Args::default();
    if let Some(p) = &f.scope_prefix {
        let a = args.push(Arg::text(crate::like_prefix(p)));
        let b = args.push(Arg::text(crate::like_prefix(p)));
        // Subqueries rather than the joined agencies' paths: the counts then need no join,
        // and a unit's scope is read through the agency indexes of the dossier table.
        w.push(format!(
            "(h.agency_id in (select id from agency where path like {a} escape '\\') \
              or h.handling_agency_id in (select id from agency where path like {b} escape '\\'))"
        ));
    }
    if let Some(id) = f.agency_id {
        let a = args.push(Arg::int(id));
        let b = args.push(Arg::int(id));
        w.push(format!("(h.agency_id = {a} or h.handling_agency_id = {b})"));
    }
    if let Some(s) = f.status {
        let a = args.push(Arg::int(s.into()));
        w.push(format!("h.status = {a}"));
    }
    if let Some(t) = f.overdue_at {
        let a = args.push(Arg::time(t));
        w.push(format!("h.status in (1, 2, 4, 6) and h.due_at < {a}"));
    }
    if let Some(id) = f.tthc_id {
        let a = args.push(Arg::int(id));
        w.push(format!("h.tthc_id = {a}"));
    }
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let a = args.push(Arg::text(like_contains(&fold_vi(q))));
        let b = args.push(Arg::text(q.to_ascii_uppercase()));
        w.push(format!(
            "(h.search_text like {a} escape '\\' or h.code = {b})"
        ));
    }
    if let Some(t) = f.received_from {
        let a = args.push(Arg::time(t));
        w.push(format!("h.received_at >= {a}"));
    }
    if let Some(t) = f.received_to {
        let a = args.push(Arg::time(t));
        w.push(format!("h.received_at < {a}"));
    }
    if let Some((from, to)) = f.due_between {
        let a = args.push(Arg::time(from));
        let b = args.push(Arg::time(to));
        w.push(format!(
            "h.status in (1, 2, 4, 6) and h.due_at >= {a} and h.due_at < {b}"
        ));
    }
    (w.join(" and "), args.0)
}

/// Dossiers matching `f`, the overdue first by deadline when filtering overdue, else the
/// newest first; with the total count.
pub async fn list(db: &Db, f: &DossierFilter, page: Page) -> Result<(Vec<Dossier>, i64)> {
    let items = items(db, f, page).await?;
    let (w, args) = where_clause(f);
    // The filter names only the dossier's own columns: counting needs no join.
    let count = format!("select count(*) from dossier h where {w}");
    let (total,): (i64,) = on_db!(db, |p| {
        crate::bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(count)), &args)
            .fetch_one(p)
            .await?
    });
    Ok((items, total))
}

/// One page of [`list`] without the total.
pub async fn items(db: &Db, f: &DossierFilter, page: Page) -> Result<Vec<Dossier>> {
    let (w, args) = where_clause(f);
    let order = if f.overdue_at.is_some() {
        "h.due_at, h.id"
    } else {
        "h.id desc"
    };
    let sql = format!(
        "select {COLUMNS} {FROM} where {w} order by {order} limit {} offset {}",
        page.limit, page.offset
    );
    Ok(on_db!(db, |p| {
        crate::bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), &args)
            .fetch_all(p)
            .await?
    }))
}

/// Counts per status for the same filter (status ignored).
pub async fn status_counts(db: &Db, f: &DossierFilter) -> Result<Vec<(i32, i64)>> {
    let (w, args) = where_clause(&DossierFilter {
        status: None,
        ..f.clone()
    });
    let sql = format!(
        "select h.status, count(*) from dossier h where {w} group by h.status order by h.status"
    );
    Ok(on_db!(db, |p| {
        crate::bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), &args)
            .fetch_all(p)
            .await?
    }))
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Event {
    pub id: i64,
    pub kind: String,
    pub from_status: Option<i32>,
    pub to_status: i32,
    pub at: DateTime<Utc>,
    pub username: Option<String>,
    pub full_name: Option<String>,
    pub agency_name: Option<String>,
    pub to_agency_name: Option<String>,
    pub to_user_name: Option<String>,
    pub step_seq: Option<i32>,
    pub step_name: Option<String>,
    pub note: String,
    /// Due time of the step this event closed (hand-over or finish).
    pub closed_step_due_at: Option<DateTime<Utc>>,
}

impl Event {
    /// Whether the step this event closed ran late (TT 01/2018 Điều 13 indicator 2 judges
    /// each agency against its own allotted time; domain.md §5 "Liên thông").
    pub fn step_late(&self) -> Option<bool> {
        self.closed_step_due_at.map(|due| self.at > due)
    }
}

/// The control sheet: every event of a dossier, in order.
pub async fn events(db: &Db, id: i64) -> Result<Vec<Event>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
            "select e.id, e.kind, e.from_status, e.to_status, e.at, u.username, u.full_name, a.name as agency_name, \
             ta.name as to_agency_name, tu.full_name as to_user_name, e.step_seq, e.step_name, e.note, e.closed_step_due_at \
             from dossier_event e left join app_user u on u.id = e.user_id left join agency a on a.id = e.agency_id \
             left join agency ta on ta.id = e.to_agency_id left join app_user tu on tu.id = e.to_user_id \
             where e.dossier_id = $1 order by e.id",
        )
        .bind(id)
        .fetch_all(p)
        .await?
    }))
}

/// Agencies that took part in a dossier (its desk, and every agency an event came from or
/// went to), as paths, for access checks.
pub async fn participant_paths(db: &Db, id: i64) -> Result<Vec<String>> {
    Ok(on_db!(db, |p| {
        sqlx::query_scalar(
            "select a.path from agency a where a.id in (\
               select agency_id from dossier where id = $1 \
               union select handling_agency_id from dossier where id = $1 \
               union select agency_id from dossier_event where dossier_id = $1 \
               union select to_agency_id from dossier_event where dossier_id = $1)",
        )
        .bind(id)
        .fetch_all(p)
        .await?
    }))
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Pause {
    pub kind: String,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub reason: String,
}

pub async fn pauses(db: &Db, id: i64) -> Result<Vec<Pause>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
            "select kind, started_at, ended_at, reason from dossier_pause where dossier_id = $1 order by id",
        )
        .bind(id)
        .fetch_all(p)
        .await?
    }))
}
