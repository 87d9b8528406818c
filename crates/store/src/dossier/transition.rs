//! Status changes ([`transition`]): the guarded update, with its control-sheet row, pause,
//! files, outbox row and audit entry, on the general path or, on SQLite without files, as
//! one chained multi-statement job of the group commit.

use chrono::{DateTime, Utc};
use domain::dossier::{DossierEvent, DossierStatus, EventKind};

use super::outbox::sync_payload;
use super::{Dossier, get};
use crate::audit::{Actor, AuditEntry};
use crate::file::NewFile;
use crate::{BeginWrite, Db, Result, StoreError, on_db};

/// What a transition changes besides the status (computed by the caller from the
/// calendar and the procedure's process).
#[derive(Debug, Clone, Default)]
pub struct Effects {
    pub to_agency_id: Option<i64>,
    pub to_user_id: Option<i64>,
    pub step_seq: Option<i32>,
    pub step_name: Option<String>,
    pub step_due_at: Option<DateTime<Utc>>,
    /// The deadline in force after the event (a pause ends: moved by its working time).
    pub due_at: Option<DateTime<Utc>>,
    pub result_code: Option<String>,
    pub e_result: Option<bool>,
    pub note: String,
    pub files: Vec<NewFile>,
    /// The step (or the dossier) closed late: the reason, and the agency and officer who
    /// held it — recorded once, the first time a delay is caused (6486 item 3 asks for the
    /// list of who caused overdue dossiers).
    pub delay: Option<(String, Option<i64>, Option<i64>)>,
}

/// Applies `event` at `at`: checks the state machine against the stored status, then in
/// one transaction updates the dossier (only if its status is still `from`), records the
/// control-sheet row, the outbox row and the audit entry.
///
/// `before` is the dossier as the caller read it (for its access check); if it changed
/// since, the status check refuses with a conflict, so no second read is needed here.
pub async fn transition(
    db: &Db,
    before: &Dossier,
    event: &DossierEvent,
    fx: &Effects,
    at: DateTime<Utc>,
    actor: &Actor,
    actor_agency: Option<i64>,
) -> Result<Dossier> {
    let to = domain::dossier::apply(before.status(), event)
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    transition_to(db, before, event, to, fx, at, actor, actor_agency).await
}

/// [`transition`] for a caller that has already run the state machine (the service layer
/// judges the event once, to answer a refusal with its reason): `to` is the status
/// `domain::dossier::apply` gave for `before.status()`.
#[allow(clippy::too_many_arguments)]
pub async fn transition_to(
    db: &Db,
    before: &Dossier,
    event: &DossierEvent,
    to: domain::dossier::DossierStatus,
    fx: &Effects,
    at: DateTime<Utc>,
    actor: &Actor,
    actor_agency: Option<i64>,
) -> Result<Dossier> {
    // Microseconds, as PostgreSQL stores them, so the answer equals what is stored.
    let at = chrono::SubsecRound::trunc_subsecs(at, 6);
    let id = before.id;
    let from = before.status();
    let kind = event.kind();
    let reason = match event {
        DossierEvent::RefuseAtIntake { reason }
        | DossierEvent::RequestSupplement { reason }
        | DossierEvent::Stop { reason } => reason.clone(),
        DossierEvent::Assign { step } | DossierEvent::Transfer { step } => step.clone(),
        _ => String::new(),
    };
    let note = if fx.note.is_empty() {
        reason.clone()
    } else {
        fx.note.clone()
    };
    let after = applied(before, to, kind, fx, at);
    let payload = sync_payload(&after, kind.code(), at).to_string();
    let entry = AuditEntry::new(
        actor,
        kind.code(),
        "dossier",
        id,
        format!(
            "{} hồ sơ {}{}",
            kind.title(),
            before.code,
            if note.is_empty() {
                String::new()
            } else {
                format!(": {note}")
            }
        ),
    )
    .before(&serde_json::json!({"status": from.code()}))
    .after(&serde_json::json!({"status": to.code()}));
    let closed_step_due_at = matches!(
        kind,
        EventKind::Assign | EventKind::Transfer | EventKind::FinishProcessing
    )
    .then_some(before.step_due_at)
    .flatten();
    let pause = match kind {
        EventKind::RequestSupplement => Some("supplement"),
        EventKind::RequestPayment => Some("payment"),
        _ => None,
    };
    let ends_pause = matches!(kind, EventKind::SupplementProvided | EventKind::PaymentDone);
    if let Db::Sqlite(pool) = db
        && fx.files.is_empty()
    {
        let w = BatchWrite {
            before,
            to,
            kind,
            fx,
            at,
            actor,
            actor_agency,
            note: &note,
            reason: &reason,
            payload: &payload,
            entry: &entry,
            closed_step_due_at,
            pause,
            ends_pause,
        };
        sqlite_transition(db, pool, &w).await?;
        crate::agg::schedule_drain(db);
        return finish(db, before, fx, after).await;
    }
    let gate = db.write_gate().await;
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let changed = sqlx::query(TRANSITION_UPDATE)
            .bind(to.code() as i32)
            .bind(at)
            .bind(fx.to_agency_id)
            .bind(fx.to_user_id.is_some() || matches!(kind, EventKind::Transfer))
            .bind(fx.to_user_id)
            .bind(fx.step_seq)
            .bind(fx.step_due_at)
            .bind(fx.due_at)
            .bind(i32::from(matches!(kind, EventKind::RequestSupplement)))
            .bind(matches!(kind, EventKind::FinishProcessing))
            .bind(matches!(kind, EventKind::ReturnResult))
            .bind(matches!(kind, EventKind::Stop))
            .bind(matches!(kind, EventKind::Withdraw))
            .bind(matches!(kind, EventKind::Receive))
            .bind(&fx.result_code)
            .bind(fx.e_result)
            .bind(id)
            .bind(from.code() as i32)
            .bind(fx.delay.as_ref().map(|d| d.0.clone()))
            .bind(fx.delay.as_ref().and_then(|d| d.1))
            .bind(fx.delay.as_ref().and_then(|d| d.2))
            .bind(matches!(kind, EventKind::PaymentDone))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(StoreError::Stale("dossier status".into()));
        }
        match kind {
            EventKind::RequestSupplement | EventKind::RequestPayment => {
                sqlx::query("insert into dossier_pause (dossier_id, kind, started_at, reason) values ($1, $2, $3, $4)")
                    .bind(id)
                    .bind(pause)
                    .bind(at)
                    .bind(&reason)
                    .execute(&mut *tx)
                    .await?;
            }
            EventKind::SupplementProvided | EventKind::PaymentDone => {
                sqlx::query("update dossier_pause set ended_at = $1 where dossier_id = $2 and ended_at is null")
                    .bind(at)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            _ => {}
        }
        let event_id: i64 = sqlx::query_scalar(
            "insert into dossier_event (dossier_id, kind, from_status, to_status, at, user_id, agency_id, \
             to_agency_id, to_user_id, step_seq, step_name, note, closed_step_due_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) returning id",
        )
        .bind(id)
        .bind(kind.code())
        .bind(from.code() as i32)
        .bind(to.code() as i32)
        .bind(at)
        .bind(actor.user_id)
        .bind(actor_agency)
        .bind(fx.to_agency_id)
        .bind(fx.to_user_id)
        .bind(fx.step_seq)
        .bind(&fx.step_name)
        .bind(&note)
        .bind(closed_step_due_at)
        .fetch_one(&mut *tx)
        .await?;
        let owner = if kind == EventKind::FinishProcessing || kind == EventKind::ReturnResult {
            crate::file::Owner::DossierResult(id)
        } else {
            crate::file::Owner::DossierDocument(id)
        };
        crate::insert_files!(tx, owner, fx.files, actor.user_id, at);
        sqlx::query("insert into dossier_outbox (dossier_id, event_id, payload, created_at, attempts) values ($1, $2, $3, $4, 0)")
            .bind(id)
            .bind(event_id)
            .bind(&payload)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        crate::insert_audit!(&mut *tx, entry);
        crate::agg::touch(&mut *tx, id).await?;
        tx.commit().await?;
    });
    drop(gate);
    crate::agg::schedule_drain(db);
    finish(db, before, fx, after).await
}

/// The guarded update of a transition, shared by the general path and the SQLite batch:
/// `$1` new status, `$2` time, `$3`–`$16` the effects, `$17` id, `$18` the status read
/// (a concurrent change makes it match nothing), `$19`–`$21` the delay, `$22` payment.
const TRANSITION_UPDATE: &str = "update dossier set status = $1, updated_at = $2, \
     handling_agency_id = coalesce($3, handling_agency_id), \
     assignee_id = case when $4 then $5 else assignee_id end, \
     step_seq = coalesce($6, step_seq), step_due_at = coalesce($7, step_due_at), \
     due_at = coalesce($8, due_at), supplement_count = supplement_count + $9, \
     finished_at = case when $10 then $2 else finished_at end, \
     returned_at = case when $11 then $2 else returned_at end, \
     stopped_at = case when $12 then $2 else stopped_at end, \
     withdrawn_at = case when $13 then $2 else withdrawn_at end, \
     received_at = case when $14 then $2 else received_at end, \
     result_code = coalesce($15, result_code), e_result = coalesce($16, e_result), \
     delay_reason = coalesce(delay_reason, $19), delay_agency_id = coalesce(delay_agency_id, $20), \
     delay_user_id = coalesce(delay_user_id, $21), paid_at = case when $22 then $2 else paid_at end \
     where id = $17 and status = $18";

/// The dossier after `kind` with effects `fx` at `at`, exactly as the update statement of
/// [`transition`] leaves the row (a test compares it with a fresh read).
fn applied(
    before: &Dossier,
    to: DossierStatus,
    kind: EventKind,
    fx: &Effects,
    at: DateTime<Utc>,
) -> Dossier {
    let mut d = before.clone();
    let when = |yes: bool, old: Option<DateTime<Utc>>| if yes { Some(at) } else { old };
    d.status = to;
    d.updated_at = at;
    d.handling_agency_id = fx.to_agency_id.or(d.handling_agency_id);
    if fx.to_user_id.is_some() || kind == EventKind::Transfer {
        d.assignee_id = fx.to_user_id;
    }
    d.step_seq = fx.step_seq.unwrap_or(d.step_seq);
    d.step_due_at = fx.step_due_at.or(d.step_due_at);
    d.due_at = fx.due_at.or(d.due_at);
    d.supplement_count += i32::from(kind == EventKind::RequestSupplement);
    d.finished_at = when(kind == EventKind::FinishProcessing, d.finished_at);
    d.returned_at = when(kind == EventKind::ReturnResult, d.returned_at);
    d.stopped_at = when(kind == EventKind::Stop, d.stopped_at);
    d.withdrawn_at = when(kind == EventKind::Withdraw, d.withdrawn_at);
    d.received_at = when(kind == EventKind::Receive, d.received_at);
    d.paid_at = when(kind == EventKind::PaymentDone, d.paid_at);
    d.result_code = fx.result_code.clone().or(d.result_code);
    d.e_result = fx.e_result.unwrap_or(d.e_result);
    if let Some((reason, agency, user)) = &fx.delay {
        d.delay_reason = d.delay_reason.or(Some(reason.clone()));
        d.delay_agency_id = d.delay_agency_id.or(*agency);
        d.delay_user_id = d.delay_user_id.or(*user);
    }
    d
}

/// The dossier to answer with: computed in memory, unless the handling agency changed
/// (its name and path are then read back).
async fn finish(db: &Db, before: &Dossier, fx: &Effects, after: Dossier) -> Result<Dossier> {
    match fx.to_agency_id {
        Some(a) if Some(a) != before.handling_agency_id => get(db, before.id).await,
        _ => Ok(after),
    }
}

/// Everything one transition writes.
struct BatchWrite<'a> {
    before: &'a Dossier,
    to: DossierStatus,
    kind: EventKind,
    fx: &'a Effects,
    at: DateTime<Utc>,
    actor: &'a Actor,
    actor_agency: Option<i64>,
    note: &'a str,
    reason: &'a str,
    payload: &'a str,
    entry: &'a AuditEntry,
    closed_step_due_at: Option<DateTime<Utc>>,
    pause: Option<&'static str>,
    ends_pause: bool,
}

/// A transition on SQLite as one multi-statement job for [`crate::group_commit`]: written
/// in one round trip, together with the transitions queued at the same moment. The
/// statements are chained: each insert runs only if the statement before it changed a row
/// (`changes() = 1`), so when the optimistic status check of the update finds the dossier
/// already moved on, nothing at all is written and the answer is a conflict, exactly as on
/// the general path used for PostgreSQL and for attached files.
async fn sqlite_transition(db: &Db, pool: &sqlx::SqlitePool, w: &BatchWrite<'_>) -> Result<()> {
    let mut stmts = vec![
        TRANSITION_UPDATE,
        "select changes()",
        "insert into dossier_event (dossier_id, kind, from_status, to_status, at, user_id, agency_id, \
         to_agency_id, to_user_id, step_seq, step_name, note, closed_step_due_at) \
         select $17, $23, $18, $1, $2, $24, $25, $3, $5, $6, $26, $27, $28 where changes() = 1",
        "insert into dossier_outbox (dossier_id, event_id, payload, created_at, attempts) \
         select $17, last_insert_rowid(), $29, $2, 0 where changes() = 1",
        "insert into audit_log (at, user_id, username, action, entity, entity_id, summary, before_json, after_json, ip) \
         select $30, $24, $31, $23, 'dossier', $36, $32, $33, $34, $35 where changes() = 1",
    ];
    if w.pause.is_some() {
        stmts.push(
            "insert into dossier_pause (dossier_id, kind, started_at, reason) \
             select $17, $37, $2, $38 where changes() = 1",
        );
    } else if w.ends_pause {
        stmts.push(
            "update dossier_pause set ended_at = $2 where dossier_id = $17 and ended_at is null \
             and changes() = 1",
        );
    }
    // The indicator aggregates follow in `agg::drain`, in the background right after and
    // before any read; the mark is written in this transaction, so it cannot be lost.
    stmts.push("insert into agg_dirty (dossier_id) values ($17) on conflict do nothing");
    use crate::group_commit::{Arg, Job};
    let (fx, kind, e) = (w.fx, w.kind, w.entry);
    let vals = vec![
        Arg::Int(Some(i64::from(w.to.code()))),
        Arg::Time(Some(w.at)),
        Arg::Int(fx.to_agency_id),
        Arg::Bool(fx.to_user_id.is_some() || matches!(kind, EventKind::Transfer)),
        Arg::Int(fx.to_user_id),
        Arg::Int(fx.step_seq.map(i64::from)),
        Arg::Time(fx.step_due_at),
        Arg::Time(fx.due_at),
        Arg::Int(Some(i64::from(matches!(
            kind,
            EventKind::RequestSupplement
        )))),
        Arg::Bool(matches!(kind, EventKind::FinishProcessing)),
        Arg::Bool(matches!(kind, EventKind::ReturnResult)),
        Arg::Bool(matches!(kind, EventKind::Stop)),
        Arg::Bool(matches!(kind, EventKind::Withdraw)),
        Arg::Bool(matches!(kind, EventKind::Receive)),
        Arg::Text(fx.result_code.clone()),
        match fx.e_result {
            Some(b) => Arg::Bool(b),
            None => Arg::Int(None),
        },
        Arg::Int(Some(w.before.id)),
        Arg::Int(Some(i64::from(w.before.status.code()))),
        Arg::Text(fx.delay.as_ref().map(|d| d.0.clone())),
        Arg::Int(fx.delay.as_ref().and_then(|d| d.1)),
        Arg::Int(fx.delay.as_ref().and_then(|d| d.2)),
        Arg::Bool(matches!(kind, EventKind::PaymentDone)),
        Arg::Text(Some(kind.code().to_string())),
        Arg::Int(w.actor.user_id),
        Arg::Int(w.actor_agency),
        Arg::Text(fx.step_name.clone()),
        Arg::Text(Some(w.note.to_string())),
        Arg::Time(w.closed_step_due_at),
        Arg::Text(Some(w.payload.to_string())),
        Arg::Time(Some(e.at)),
        Arg::Text(e.username.clone()),
        Arg::Text(Some(e.summary.clone())),
        Arg::Text(e.before_json.clone()),
        Arg::Text(e.after_json.clone()),
        Arg::Text(e.ip.clone()),
        Arg::Text(e.entity_id.clone()),
        Arg::Text(w.pause.map(str::to_string)),
        Arg::Text(Some(w.reason.to_string())),
    ];
    if crate::group_commit::run(db, pool, Job { stmts, vals }).await? {
        Ok(())
    } else {
        Err(StoreError::Stale("dossier status".into()))
    }
}
