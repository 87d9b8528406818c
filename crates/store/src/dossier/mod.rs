//! Hồ sơ TTHC: intake (idempotent), transitions that are atomic with their control-sheet
//! row, audit entry and outbox row, pauses, apology letters, payment, rating, the public
//! look-up and the synchronisation outbox.
//!
//! The state machine itself is `domain::dossier::apply`; this module refuses a transition
//! whose status changed under it (optimistic check on `status`), so two desks acting at
//! once cannot both win.

use crate::BeginWrite;
use chrono::{DateTime, Utc};
use domain::dossier::{DossierEvent, DossierStatus, EventKind};
use domain::text::fold_vi;
use serde::Serialize;

use crate::audit::{Actor, AuditEntry};
use crate::file::NewFile;
use crate::{Db, Page, Result, StoreError, like_contains, on_db};

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
    pub status: i32,
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
        DossierStatus::from_code(self.status as u8).unwrap_or(DossierStatus::Received)
    }

    /// Overdue now: still being worked on and past the deadline in force.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        matches!(self.status, 1 | 2 | 4 | 6) && self.due_at.is_some_and(|d| d < now)
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

/// A dossier to open: everything the desk (or the portal) knows at submission.
#[derive(Debug, Clone)]
pub struct NewDossier {
    pub tthc_id: i64,
    pub agency_id: i64,
    /// The agency that processes it (the procedure's agency, or the desk's own unit).
    pub handling_agency_id: Option<i64>,
    pub agency_eid: String,
    pub channel: i32,
    pub applicant_name: String,
    pub applicant_id_no: Option<String>,
    pub applicant_phone: Option<String>,
    pub applicant_email: Option<String>,
    pub applicant_address: Option<String>,
    /// The opening event: online submission, reception or refusal at intake.
    pub event: DossierEvent,
    pub at: DateTime<Utc>,
    pub appointment_at: Option<DateTime<Utc>>,
    pub target_at: Option<DateTime<Utc>>,
    pub step_due_at: Option<DateTime<Utc>>,
    pub fee_amount: Option<i64>,
    pub regime: String,
    pub note: String,
    pub idempotency_key: Option<String>,
    pub files: Vec<NewFile>,
}

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

/// A row of the synchronisation payload (the national portal's fields, domain.md §5).
fn sync_payload(d: &Dossier, kind: &str, at: DateTime<Utc>) -> serde_json::Value {
    serde_json::json!({
        "MaHoSo": d.code,
        "MaTTHC": d.tthc_code,
        "TrangThaiHoSo": d.status,
        "KenhThucHien": d.channel,
        "NgayTiepNhan": d.received_at,
        "NgayHenTra": d.appointment_at,
        "NgayKetThucXuLy": d.finished_at,
        "NgayTraKetQua": d.returned_at,
        "MaKetQua": d.result_code,
        "HoSoCoThanhPhanSoHoa": d.digitized,
        "DuocThanhToanTrucTuyen": if d.paid_online { Some(1) } else { None },
        "SuKien": kind,
        "ThoiDiem": at,
    })
}

/// Opens a dossier. With an idempotency key already used, returns the existing dossier
/// and `false` (a retried request never creates two).
pub async fn intake(db: &Db, d: &NewDossier, actor: &Actor) -> Result<(Dossier, bool)> {
    if let Some(key) = &d.idempotency_key
        && let Some(id) = by_idempotency_key(db, key).await?
    {
        return Ok((get(db, id).await?, false));
    }
    let status = domain::dossier::open(&d.event).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let local_day = (d.at + chrono::Duration::hours(7)).date_naive();
    let kind = d.event.kind();
    let received_at = matches!(kind, EventKind::Receive).then_some(d.at);
    let search = fold_vi(&format!(
        "{} {}",
        d.applicant_name,
        d.applicant_phone.as_deref().unwrap_or("")
    ));
    let gate = db.write_gate().await;
    let res: Result<i64> = async { on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let (seq,): (i32,) = sqlx::query_as(
            "insert into dossier_seq (agency_id, day, last) values ($1, $2, 1) \
             on conflict (agency_id, day) do update set last = dossier_seq.last + 1 returning last",
        )
        .bind(d.agency_id)
        .bind(local_day)
        .fetch_one(&mut *tx)
        .await?;
        let code = domain::dossier::DossierCode::new(&d.agency_eid, local_day, seq as u16)
            .map_err(|e| StoreError::Invalid(e.to_string()))?
            .to_string();
        let id: i64 = sqlx::query_scalar(
            "insert into dossier (code, tthc_id, agency_id, handling_agency_id, channel, status, applicant_name, \
             applicant_id_no, applicant_phone, applicant_email, applicant_address, submitted_at, received_at, \
             appointment_at, due_at, target_at, supplement_count, step_seq, step_due_at, fee_amount, paid_online, \
             digitized, e_result, regime, idempotency_key, search_text, created_at, updated_at, stopped_at, \
             unit_id, online_level) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, 0, 0, $16, $17, false, \
             $18, false, $19, $20, $21, $12, $12, $22, \
             coalesce((select t.agency_id from tthc t where t.id = $2 and t.level = 'tinh'), $3), \
             (select t.online_level from tthc t where t.id = $2)) returning id",
        )
        .bind(&code)
        .bind(d.tthc_id)
        .bind(d.agency_id)
        .bind(d.handling_agency_id)
        .bind(d.channel)
        .bind(status.code() as i32)
        .bind(&d.applicant_name)
        .bind(&d.applicant_id_no)
        .bind(&d.applicant_phone)
        .bind(&d.applicant_email)
        .bind(&d.applicant_address)
        .bind(d.at)
        .bind(received_at)
        .bind(d.appointment_at)
        .bind(d.target_at)
        .bind(d.step_due_at)
        .bind(d.fee_amount)
        .bind(d.files.iter().any(|f| f.digitized))
        .bind(&d.regime)
        .bind(&d.idempotency_key)
        .bind(&search)
        .bind(matches!(kind, EventKind::RefuseAtIntake).then_some(d.at))
        .fetch_one(&mut *tx)
        .await?;
        let event_id: i64 = sqlx::query_scalar(
            "insert into dossier_event (dossier_id, kind, from_status, to_status, at, user_id, agency_id, \
             to_agency_id, step_seq, step_name, note) values ($1, $2, null, $3, $4, $5, $6, $7, 0, $8, $9) returning id",
        )
        .bind(id)
        .bind(kind_code(kind))
        .bind(status.code() as i32)
        .bind(d.at)
        .bind(actor.user_id)
        .bind(d.agency_id)
        .bind(d.handling_agency_id)
        .bind("Tiếp nhận hồ sơ")
        .bind(&d.note)
        .fetch_one(&mut *tx)
        .await?;
        crate::insert_files!(tx, crate::file::Owner::DossierDocument(id), d.files, actor.user_id, d.at);
        let payload = serde_json::json!({"MaHoSo": code, "TrangThaiHoSo": status.code(), "KenhThucHien": d.channel,
            "NgayTiepNhan": received_at, "NgayHenTra": d.appointment_at, "SuKien": kind_code(kind), "ThoiDiem": d.at});
        sqlx::query("insert into dossier_outbox (dossier_id, event_id, payload, created_at, attempts) values ($1, $2, $3, $4, 0)")
            .bind(id)
            .bind(event_id)
            .bind(payload.to_string())
            .bind(d.at)
            .execute(&mut *tx)
            .await?;
        let entry = AuditEntry::new(actor, kind_code(kind), "dossier", id,
            format!("{} hồ sơ {code} ({})", kind.action_title(), d.applicant_name));
        crate::insert_audit!(&mut *tx, entry);
        crate::agg::touch(&mut *tx, id).await?;
        tx.commit().await?;
        Ok(id)
    }) }
    .await;
    drop(gate);
    crate::agg::schedule_drain(db);
    match res {
        Ok(id) => Ok((get(db, id).await?, true)),
        // Two retries raced on the same key: the loser returns the winner's dossier.
        Err(StoreError::Conflict(c)) if c.contains("idem") => {
            let key = d.idempotency_key.as_deref().unwrap_or_default();
            let id = by_idempotency_key(db, key)
                .await?
                .ok_or(StoreError::NotFound)?;
            Ok((get(db, id).await?, false))
        }
        Err(e) => Err(e),
    }
}

trait ActionTitle {
    fn action_title(self) -> &'static str;
}

impl ActionTitle for EventKind {
    fn action_title(self) -> &'static str {
        match self {
            EventKind::SubmitOnline => "Nộp trực tuyến",
            EventKind::Receive => "Tiếp nhận",
            EventKind::RefuseAtIntake => "Từ chối tiếp nhận",
            EventKind::Assign => "Phân công xử lý",
            EventKind::Transfer => "Chuyển bước xử lý",
            EventKind::RequestSupplement => "Yêu cầu bổ sung",
            EventKind::SupplementProvided => "Nhận bổ sung",
            EventKind::RequestPayment => "Yêu cầu thực hiện nghĩa vụ tài chính",
            EventKind::PaymentDone => "Đã thực hiện nghĩa vụ tài chính",
            EventKind::Withdraw => "Rút hồ sơ",
            EventKind::Stop => "Dừng xử lý",
            EventKind::FinishProcessing => "Xử lý xong",
            EventKind::ReturnResult => "Trả kết quả",
        }
    }
}

/// The stored name of an event kind.
pub fn kind_code(k: EventKind) -> &'static str {
    match k {
        EventKind::SubmitOnline => "submit_online",
        EventKind::Receive => "receive",
        EventKind::RefuseAtIntake => "refuse_at_intake",
        EventKind::Assign => "assign",
        EventKind::Transfer => "transfer",
        EventKind::RequestSupplement => "request_supplement",
        EventKind::SupplementProvided => "supplement_provided",
        EventKind::RequestPayment => "request_payment",
        EventKind::PaymentDone => "payment_done",
        EventKind::Withdraw => "withdraw",
        EventKind::Stop => "stop",
        EventKind::FinishProcessing => "finish_processing",
        EventKind::ReturnResult => "return_result",
    }
}

/// The Vietnamese title of a stored event kind (including the non-status events).
pub fn kind_label(k: &str) -> &'static str {
    match k {
        "submit_online" => "Nộp trực tuyến",
        "receive" => "Tiếp nhận",
        "refuse_at_intake" => "Từ chối tiếp nhận",
        "assign" => "Phân công xử lý",
        "transfer" => "Chuyển bước xử lý",
        "request_supplement" => "Yêu cầu bổ sung",
        "supplement_provided" => "Nhận bổ sung",
        "request_payment" => "Yêu cầu nghĩa vụ tài chính",
        "payment_done" => "Đã thực hiện nghĩa vụ tài chính",
        "withdraw" => "Rút hồ sơ",
        "stop" => "Dừng xử lý",
        "finish_processing" => "Xử lý xong",
        "return_result" => "Trả kết quả",
        "apology" => "Xin lỗi, hẹn lại ngày trả",
        "payment" => "Thu phí, lệ phí",
        "rating" => "Đánh giá mức độ hài lòng",
        _ => "Khác",
    }
}

async fn by_idempotency_key(db: &Db, key: &str) -> Result<Option<i64>> {
    Ok(on_db!(db, |p| {
        sqlx::query_scalar("select id from dossier where idempotency_key = $1")
            .bind(key)
            .fetch_optional(p)
            .await?
    }))
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
    // Microseconds, as PostgreSQL stores them, so the answer equals what is stored.
    let at = chrono::SubsecRound::trunc_subsecs(at, 6);
    let id = before.id;
    let from = before.status();
    let to = domain::dossier::apply(from, event).map_err(|e| StoreError::Invalid(e.to_string()))?;
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
    let payload = sync_payload(&after, kind_code(kind), at).to_string();
    let entry = AuditEntry::new(
        actor,
        kind_code(kind),
        "dossier",
        id,
        format!(
            "{} hồ sơ {}{}",
            kind.action_title(),
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
        .bind(kind_code(kind))
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
    d.status = to.code() as i32;
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
    use crate::group_commit::{Job, Val};
    let (fx, kind, e) = (w.fx, w.kind, w.entry);
    let vals = vec![
        Val::I(Some(i64::from(w.to.code()))),
        Val::T(Some(w.at)),
        Val::I(fx.to_agency_id),
        Val::B(fx.to_user_id.is_some() || matches!(kind, EventKind::Transfer)),
        Val::I(fx.to_user_id),
        Val::I(fx.step_seq.map(i64::from)),
        Val::T(fx.step_due_at),
        Val::T(fx.due_at),
        Val::I(Some(i64::from(matches!(
            kind,
            EventKind::RequestSupplement
        )))),
        Val::B(matches!(kind, EventKind::FinishProcessing)),
        Val::B(matches!(kind, EventKind::ReturnResult)),
        Val::B(matches!(kind, EventKind::Stop)),
        Val::B(matches!(kind, EventKind::Withdraw)),
        Val::B(matches!(kind, EventKind::Receive)),
        Val::S(fx.result_code.clone()),
        match fx.e_result {
            Some(b) => Val::B(b),
            None => Val::I(None),
        },
        Val::I(Some(w.before.id)),
        Val::I(Some(i64::from(w.before.status))),
        Val::S(fx.delay.as_ref().map(|d| d.0.clone())),
        Val::I(fx.delay.as_ref().and_then(|d| d.1)),
        Val::I(fx.delay.as_ref().and_then(|d| d.2)),
        Val::B(matches!(kind, EventKind::PaymentDone)),
        Val::S(Some(kind_code(kind).to_string())),
        Val::I(w.actor.user_id),
        Val::I(w.actor_agency),
        Val::S(fx.step_name.clone()),
        Val::S(Some(w.note.to_string())),
        Val::T(w.closed_step_due_at),
        Val::S(Some(w.payload.to_string())),
        Val::T(Some(e.at)),
        Val::S(e.username.clone()),
        Val::S(Some(e.summary.clone())),
        Val::S(e.before_json.clone()),
        Val::S(e.after_json.clone()),
        Val::S(e.ip.clone()),
        Val::S(e.entity_id.clone()),
        Val::S(w.pause.map(str::to_string)),
        Val::S(Some(w.reason.to_string())),
    ];
    if crate::group_commit::run(db, pool, Job { stmts, vals }).await? {
        Ok(())
    } else {
        Err(StoreError::Stale("dossier status".into()))
    }
}

/// A record on the dossier that does not change its status (apology letter, payment,
/// rating), atomic with its control-sheet row, outbox row and audit entry.
#[derive(Debug, Clone)]
pub enum Note {
    /// Phiếu xin lỗi và hẹn lại ngày trả kết quả (TT 01/2018 Mẫu 04): reason, the new date,
    /// and who caused the delay.
    Apology {
        reason: String,
        new_date: DateTime<Utc>,
        delay_agency_id: Option<i64>,
        delay_user_id: Option<i64>,
    },
    /// Fee or charge collected.
    Payment { amount: i64, online: bool },
    /// Mức độ hài lòng: 1 không hài lòng, 2 hài lòng, 3 rất hài lòng.
    Rating { rating: i32 },
}

pub async fn record_note(
    db: &Db,
    id: i64,
    note: &Note,
    at: DateTime<Utc>,
    actor: &Actor,
    actor_agency: Option<i64>,
) -> Result<Dossier> {
    let d = get(db, id).await?;
    let (kind, text) = match note {
        Note::Apology {
            reason, new_date, ..
        } => (
            "apology",
            format!(
                "{reason} — hẹn lại ngày trả {}",
                (*new_date + chrono::Duration::hours(7)).format("%d/%m/%Y %H:%M")
            ),
        ),
        Note::Payment { amount, online } => (
            "payment",
            format!(
                "Thu {amount} đồng{}",
                if *online {
                    " (thanh toán trực tuyến)"
                } else {
                    ""
                }
            ),
        ),
        Note::Rating { rating } => ("rating", format!("Mức độ hài lòng: {rating}/3")),
    };
    let gate = db.write_gate().await;
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        match note {
            Note::Apology {
                reason,
                new_date,
                delay_agency_id,
                delay_user_id,
            } => {
                sqlx::query("update dossier set rescheduled_at = $1, delay_reason = $2, delay_agency_id = $3, \
                             delay_user_id = $4, updated_at = $5 where id = $6")
                    .bind(new_date)
                    .bind(reason)
                    .bind(delay_agency_id)
                    .bind(delay_user_id)
                    .bind(at)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            Note::Payment { amount, online } => {
                sqlx::query("update dossier set fee_amount = $1, paid_online = $2, paid_at = coalesce(paid_at, $3), \
                             updated_at = $3 where id = $4")
                    .bind(amount)
                    .bind(online)
                    .bind(at)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            Note::Rating { rating } => {
                sqlx::query("update dossier set rating = $1, updated_at = $2 where id = $3")
                    .bind(rating)
                    .bind(at)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let event_id: i64 = sqlx::query_scalar(
            "insert into dossier_event (dossier_id, kind, from_status, to_status, at, user_id, agency_id, step_seq, note) \
             values ($1, $2, $3, $3, $4, $5, $6, $7, $8) returning id",
        )
        .bind(id)
        .bind(kind)
        .bind(d.status)
        .bind(at)
        .bind(actor.user_id)
        .bind(actor_agency)
        .bind(d.step_seq)
        .bind(&text)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("insert into dossier_outbox (dossier_id, event_id, payload, created_at, attempts) values ($1, $2, $3, $4, 0)")
            .bind(id)
            .bind(event_id)
            .bind(sync_payload(&d, kind, at).to_string())
            .bind(at)
            .execute(&mut *tx)
            .await?;
        let entry = AuditEntry::new(
            actor,
            kind,
            "dossier",
            id,
            format!("{} hồ sơ {}: {text}", kind_label(kind), d.code),
        );
        crate::insert_audit!(&mut *tx, entry);
        crate::agg::touch(&mut *tx, id).await?;
        tx.commit().await?;
    });
    drop(gate);
    crate::agg::schedule_drain(db);
    get(db, id).await
}

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
}

enum Arg {
    S(String),
    I(i64),
    T(DateTime<Utc>),
}

fn where_clause(f: &DossierFilter) -> (String, Vec<Arg>) {
    let mut w = vec!["1 = 1".to_string()];
    let mut args = Vec::new();
    let mut n = 0;
    let mut ph = |args: &mut Vec<Arg>, a: Arg| {
        args.push(a);
        n += 1;
        format!("${n}")
    };
    if let Some(p) = &f.scope_prefix {
        let a = ph(&mut args, Arg::S(crate::like_prefix(p)));
        let b = ph(&mut args, Arg::S(crate::like_prefix(p)));
        w.push(format!(
            "(a.path like {a} escape '\\' or ha.path like {b} escape '\\')"
        ));
    }
    if let Some(id) = f.agency_id {
        let a = ph(&mut args, Arg::I(id));
        let b = ph(&mut args, Arg::I(id));
        w.push(format!("(h.agency_id = {a} or h.handling_agency_id = {b})"));
    }
    if let Some(s) = f.status {
        let a = ph(&mut args, Arg::I(s.into()));
        w.push(format!("h.status = {a}"));
    }
    if let Some(t) = f.overdue_at {
        let a = ph(&mut args, Arg::T(t));
        w.push(format!("h.status in (1, 2, 4, 6) and h.due_at < {a}"));
    }
    if let Some(id) = f.tthc_id {
        let a = ph(&mut args, Arg::I(id));
        w.push(format!("h.tthc_id = {a}"));
    }
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let a = ph(&mut args, Arg::S(like_contains(&fold_vi(q))));
        let b = ph(&mut args, Arg::S(q.to_ascii_uppercase()));
        w.push(format!(
            "(h.search_text like {a} escape '\\' or h.code = {b})"
        ));
    }
    if let Some(t) = f.received_from {
        let a = ph(&mut args, Arg::T(t));
        w.push(format!("h.received_at >= {a}"));
    }
    if let Some(t) = f.received_to {
        let a = ph(&mut args, Arg::T(t));
        w.push(format!("h.received_at < {a}"));
    }
    (w.join(" and "), args)
}

macro_rules! bind_all {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                Arg::S(s) => q.bind(s.clone()),
                Arg::I(i) => q.bind(*i),
                Arg::T(t) => q.bind(*t),
            };
        }
        q
    }};
}

/// Dossiers matching `f`, the overdue first by deadline when filtering overdue, else the
/// newest first; with the total count.
pub async fn list(db: &Db, f: &DossierFilter, page: Page) -> Result<(Vec<Dossier>, i64)> {
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
    let count = format!("select count(*) {FROM} where {w}");
    Ok(on_db!(db, |p| {
        let items = bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), &args)
            .fetch_all(p)
            .await?;
        let (total,): (i64,) = bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(count)), &args)
            .fetch_one(p)
            .await?;
        (items, total)
    }))
}

/// Counts per status for the same filter (status ignored).
pub async fn status_counts(db: &Db, f: &DossierFilter) -> Result<Vec<(i32, i64)>> {
    let (w, args) = where_clause(&DossierFilter {
        status: None,
        ..f.clone()
    });
    let sql =
        format!("select h.status, count(*) {FROM} where {w} group by h.status order by h.status");
    Ok(on_db!(db, |p| {
        bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), &args)
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

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub dossier_id: i64,
    pub code: String,
    pub payload: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub attempts: i32,
    pub last_error: Option<String>,
}

/// Outbox rows not yet accepted by the portal, oldest first, within a scope (`None`: the
/// province), with how many there are in that scope. The sync worker, which only needs the
/// rows, reads them with [`outbox_next`].
pub async fn outbox_pending(
    db: &Db,
    scope_prefix: Option<&str>,
    limit: i64,
) -> Result<(Vec<OutboxRow>, i64)> {
    let rows = outbox_rows(db, scope_prefix, limit).await?;
    let n: i64 = match crate::subtree_pattern(db, scope_prefix).await? {
        // The province: the pending index alone, no join per row.
        None => on_db!(db, |p| {
            sqlx::query_scalar("select count(*) from dossier_outbox where sent_at is null")
                .fetch_one(p)
                .await?
        }),
        Some(pattern) => {
            on_db!(db, |p| {
                sqlx::query_scalar(
                    "select count(*) from dossier_outbox o join dossier h on h.id = o.dossier_id \
                     join agency a on a.id = h.agency_id where o.sent_at is null and a.path like $1 escape '\\'",
                )
                .bind(&pattern)
                .fetch_one(p)
                .await?
            })
        }
    };
    Ok((rows, n))
}

/// The next `limit` outbox rows to deliver, oldest first (every scope).
pub async fn outbox_next(db: &Db, limit: i64) -> Result<Vec<OutboxRow>> {
    outbox_rows(db, None, limit).await
}

async fn outbox_rows(db: &Db, scope_prefix: Option<&str>, limit: i64) -> Result<Vec<OutboxRow>> {
    let pattern = scope_prefix
        .map(crate::like_prefix)
        .unwrap_or_else(|| "%".into());
    let sql = format!(
        "select o.id, o.dossier_id, h.code, o.payload, o.created_at, o.sent_at, o.attempts, o.last_error \
         from dossier_outbox o join dossier h on h.id = o.dossier_id join agency a on a.id = h.agency_id \
         where o.sent_at is null and a.path like $1 escape '\\' order by o.id limit {limit}"
    );
    Ok(on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(&pattern)
            .fetch_all(p)
            .await?
    }))
}

/// Records the outcome of one delivery attempt (and, in the same transaction, the
/// dossier's synchronisation state in the indicator aggregates).
pub async fn outbox_result(db: &Db, id: i64, ok: bool, error: Option<&str>) -> Result<()> {
    let gate = db.write_gate().await;
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let dossier_id: Option<i64> = sqlx::query_scalar(
            "update dossier_outbox set attempts = attempts + 1, sent_at = case when $1 then $2 else null end, \
             last_error = $3 where id = $4 returning dossier_id",
        )
        .bind(ok)
        .bind(Utc::now())
        .bind(error)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(dossier_id) = dossier_id {
            crate::agg::touch(&mut *tx, dossier_id).await?;
        }
        tx.commit().await?;
    });
    drop(gate);
    crate::agg::schedule_drain(db);
    Ok(())
}
