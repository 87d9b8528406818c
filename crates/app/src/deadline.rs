//! Ngày hẹn trả — the one clock (`domain::dossier::clock`) for a limit text or a catalog
//! procedure: the day counting starts, the appointment and every rule applied, as the
//! intake page shows it before saving and `cchc deadline` prints it.

use chrono::NaiveDateTime;
use domain::calendar::Calendar;
use domain::dossier::clock::{self, AppliedRule, Channel, Limit};
use serde::Serialize;

use crate::{App, ServiceError};

/// A reckoning as clients see it; times are local (+07:00).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DeadlineOut {
    pub limit_text: String,
    /// working_days, working_hours, calendar_days, same_day, unspecified
    pub kind: String,
    /// The reception instant, `YYYY-MM-DDTHH:MM:SS+07:00`.
    pub received_at: String,
    /// The first day the limit counts, `YYYY-MM-DD`.
    pub counted_from: String,
    /// Ngày hẹn trả, `YYYY-MM-DDTHH:MM:SS+07:00`; null when the law sets no limit.
    pub appointment: Option<String>,
    #[schema(value_type = Vec<Object>)]
    pub rules: Vec<AppliedRule>,
    /// The legal calendar version used.
    pub calendar_version: String,
    /// The one-stop regime of the reception day (nd61, nd118).
    pub regime: String,
}

/// A reckoning the clock refused: a day outside the legal calendar is the caller's input
/// (400, in Vietnamese); anything else is the calendar's configuration (500, logged).
pub fn clock_error(e: domain::calendar::CalendarError) -> ServiceError {
    match e {
        domain::calendar::CalendarError::OutOfRange(day) => ServiceError::bad(format!(
            "Không tính được ngày hẹn trả: ngày {} nằm ngoài phạm vi lịch (01/01/{}–31/12/{}).",
            domain::fmt::date_vn(&day),
            domain::calendar::FIRST_YEAR,
            domain::calendar::LAST_YEAR
        )),
        e => ServiceError::Internal(format!("clock: {e}")),
    }
}

fn local(t: NaiveDateTime) -> String {
    format!("{}+07:00", t.format("%Y-%m-%dT%H:%M:%S"))
}

/// Reckons a published limit text for a reception at `received` (local time). An
/// unreadable text is `Invalid` on `limit` with a Vietnamese reason.
pub fn reckon_text(
    cal: &Calendar,
    limit_text: &str,
    received: NaiveDateTime,
    channel: Channel,
) -> Result<DeadlineOut, ServiceError> {
    let limit = Limit::parse(limit_text).map_err(|m| ServiceError::invalid("limit", m))?;
    let rules = clock::clock_on(received.date());
    let k = clock::reckon(&limit, received, channel, cal, rules).map_err(clock_error)?;
    Ok(DeadlineOut {
        limit_text: limit_text.trim().to_string(),
        kind: k.kind.code().to_string(),
        received_at: local(k.received_at),
        counted_from: k.counted_from.date().format("%Y-%m-%d").to_string(),
        appointment: k.appointment.map(local),
        rules: k.rules,
        calendar_version: cal.version().to_string(),
        regime: k.regime,
    })
}

/// Reckons the published limit of the catalog procedure `code` (or id) under the legal
/// calendar in force (with the province's corrections).
pub async fn for_procedure(
    app: &App,
    code: &str,
    received: NaiveDateTime,
    channel: Channel,
) -> Result<DeadlineOut, ServiceError> {
    let p = crate::procedure::find(&app.db, code).await?;
    let cal = app.calendar.get(&app.db).await?;
    reckon_text(&cal, &p.limit_text, received, channel)
}

/// The appointment in force of a dossier received at `received` (local): the one clock
/// over the pauses its regime counts (`(kind, start, end)`, local; supplements, and fee
/// waits only where the rules say so). `None` while a counted pause is open (the clock
/// is stopped) or when the law sets no limit. The desk (`dossier::act`) and a calendar
/// change ([`recompute_dossier_appointments`]) both use it.
pub fn appointment_in_force(
    limit: &Limit,
    received: NaiveDateTime,
    channel: Channel,
    pauses: &[(String, NaiveDateTime, Option<NaiveDateTime>)],
    cal: &Calendar,
) -> Result<Option<NaiveDateTime>, ServiceError> {
    let rules = clock::clock_on(received.date());
    let counted: Vec<domain::dossier::Pause> = pauses
        .iter()
        .filter(|(kind, _, _)| rules.counts_pause(kind))
        .map(|(_, start, end)| domain::dossier::Pause {
            start: *start,
            end: *end,
        })
        .collect();
    clock::appointment_after_pauses(limit, received, channel, &counted, cal, rules)
        .map_err(clock_error)
}

/// After a change of the legal calendar (a day off confirmed, added or withdrawn): every
/// open dossier whose appointment in force differs between the calendar `before` and the
/// new one gets the new one, with an audit row naming both and the calendar version, and
/// the indicator aggregates follow. A dossier the change does not touch keeps its date,
/// whatever rule it was received under. The
/// printed appointment (Mẫu 01) stays as issued; a dossier waiting for a supplement keeps
/// its clock stopped until the supplement comes. Returns how many moved.
pub async fn recompute_dossier_appointments(
    db: &store::Db,
    before: &Calendar,
    cal: &Calendar,
    actor: &store::audit::Actor,
) -> Result<usize, ServiceError> {
    type Pauses = Vec<(String, NaiveDateTime, Option<NaiveDateTime>)>;
    let mut pauses: std::collections::HashMap<i64, Pauses> = Default::default();
    for (id, kind, start, end) in store::dossier::open_pauses(db).await? {
        let local = domain::time::local;
        pauses
            .entry(id)
            .or_default()
            .push((kind, local(start), end.map(local)));
    }
    let mut moved = 0;
    for d in store::dossier::open_for_reckoning(db).await? {
        let Some(limit) = Limit::of(&d.limit_text, d.working_limit()) else {
            continue;
        };
        let mine = pauses.remove(&d.id).unwrap_or_default();
        let received = domain::time::local(d.received_at);
        let channel = Channel::of_code(d.channel);
        let (Ok(Some(old)), Ok(Some(due))) = (
            appointment_in_force(&limit, received, channel, &mine, before),
            appointment_in_force(&limit, received, channel, &mine, cal),
        ) else {
            continue;
        };
        let due = domain::time::utc(due);
        if old != domain::time::local(due) && d.due_at != Some(due) {
            store::dossier::reschedule(db, &d, due, cal.version(), actor).await?;
            moved += 1;
        }
    }
    Ok(moved)
}
