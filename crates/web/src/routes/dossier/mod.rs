//! Hồ sơ một cửa — intake, processing steps, pauses, apology letters, return, payment,
//! rating, the official forms, the synchronisation outbox and the public look-up. Pages and
//! API share the service functions below and the same access rules.

pub mod api;
pub mod forms;
pub mod pages;
pub mod public;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use domain::dossier::{DossierEvent, EventKind, IntakePolicy};
use domain::org::Principal;
use domain::validate::Checker;
use store::dossier::{Dossier, Effects, NewDossier, Note};
use store::file::NewFile;
use store::procedure::IntakeProcedure;

use crate::auth::CurrentUser;
use crate::{AppError, AppState};

/// Vietnam time (UTC+07:00) of an instant, as the domain's calendar counts it.
pub fn local(t: DateTime<Utc>) -> NaiveDateTime {
    (t + chrono::Duration::hours(7)).naive_utc()
}

/// The instant of a Vietnam local time.
pub fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    (t - chrono::Duration::hours(7)).and_utc()
}

/// The legal regime of a dossier, by reception date: NĐ 61/2018/NĐ-CP until 30/6/2025,
/// NĐ 118/2025/NĐ-CP (replacing it, in force 01/7/2025) from then on; a dossier keeps the
/// regime of its reception (domain.md §5 "Legal basis by reception date").
pub fn regime_on(day: NaiveDate) -> &'static str {
    if day < NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or(NaiveDate::MIN) {
        "nd61"
    } else {
        "nd118"
    }
}

/// The dossier if the principal may see it: province-wide roles see every dossier; others
/// see those received by, handled by, or handed through an agency in their subtree. 404
/// otherwise, so existence does not leak.
pub async fn visible(state: &AppState, p: &Principal, id: i64) -> Result<Dossier, AppError> {
    let d = store::dossier::get(&state.db, id).await?;
    let scope = p.scope();
    if matches!(scope, domain::org::Scope::Province) {
        return Ok(d);
    }
    if scope.contains(&d.agency_path)
        || d.handling_path
            .as_deref()
            .is_some_and(|h| scope.contains(h))
    {
        return Ok(d);
    }
    let paths = store::dossier::participant_paths(&state.db, id).await?;
    if paths.iter().any(|x| scope.contains(x)) {
        return Ok(d);
    }
    Err(AppError::NotFound)
}

/// What an officer types at the desk (or a portal sends) to open a dossier.
#[derive(Debug, Clone, Default)]
pub struct IntakeInput {
    pub tthc: String,
    pub channel: String,
    pub applicant_name: String,
    pub applicant_id_no: String,
    pub applicant_phone: String,
    pub applicant_email: String,
    pub applicant_address: String,
    /// Non-empty: refused at intake (Mẫu 03) with this reason.
    pub refuse_reason: String,
    pub note: String,
    pub idempotency_key: Option<String>,
    pub files: Vec<NewFile>,
    /// Submitted online and waiting for the desk to check it (status 1, Mới đăng ký).
    pub online_pending: bool,
}

/// The agency e-ID used in dossier codes. The real codes come from the province's list
/// under QĐ 20/2020/QĐ-TTg [TV]; until they are loaded, a stable code is derived from the
/// agency's registry id under Nghệ An's prefix H40.
pub fn agency_eid(agency_id: i64) -> String {
    format!(
        "000.{:02}.{:02}.H40",
        (agency_id / 100) % 100,
        agency_id % 100
    )
}

/// The deadline `minutes` working minutes after `from` (local time).
fn after_minutes(
    cal: &domain::calendar::Calendar,
    policy: &IntakePolicy,
    from: NaiveDateTime,
    minutes: i64,
) -> Option<NaiveDateTime> {
    let start = cal.reception_start(&policy.hours, from).ok()?;
    cal.add_working_minutes(&policy.hours, start, u32::try_from(minutes.max(0)).ok()?)
        .ok()
}

/// Opens a dossier at the caller's desk: validates, finds the procedure, computes the
/// appointment date (Mẫu 01) from the legal calendar, the online target and the first
/// step's due time, and stores it (idempotent on the key). Returns the dossier and whether
/// it was created now.
pub async fn intake(
    state: &AppState,
    user: &CurrentUser,
    input: IntakeInput,
    at: DateTime<Utc>,
) -> Result<(Dossier, bool), AppError> {
    let p = &user.principal;
    let desk = store::agency::get(&state.db, p.agency_id).await?;
    if !p.can_work_desk(&desk.path) {
        return Err(AppError::Forbidden(
            "Chỉ cán bộ một cửa tiếp nhận hồ sơ.".into(),
        ));
    }
    let mut c = Checker::new();
    let name = c.required(
        "applicant_name",
        "Họ tên người nộp",
        &input.applicant_name,
        200,
    );
    let phone = domain::validate::clean(&input.applicant_phone);
    let phone_ok = phone
        .chars()
        .all(|ch| ch.is_ascii_digit() || ch == '+' || ch == ' ')
        && phone.chars().filter(char::is_ascii_digit).count() >= 9;
    if !phone.is_empty() && !phone_ok {
        c.fail(
            "applicant_phone",
            "Số điện thoại không hợp lệ (ít nhất 9 chữ số).",
        );
    }
    let id_no = domain::validate::clean(&input.applicant_id_no);
    let id_ok = id_no.len() == 12 && id_no.chars().all(|ch| ch.is_ascii_digit());
    if !id_no.is_empty() && !id_ok {
        c.fail("applicant_id_no", "Số định danh cá nhân gồm 12 chữ số.");
    }
    let email = domain::validate::clean(&input.applicant_email);
    if !email.is_empty() && !email.contains('@') {
        c.fail("applicant_email", "Thư điện tử không hợp lệ.");
    }
    let address = c.optional(
        "applicant_address",
        "Địa chỉ",
        Some(input.applicant_address.as_str()),
        300,
    );
    let note = c.optional("note", "Ghi chú", Some(input.note.as_str()), 2000);
    let refuse = domain::validate::clean(&input.refuse_reason);
    let channel = match input.channel.trim() {
        "" | "1" | "truc-tiep" => 1,
        "2" | "truc-tuyen" => 2,
        "3" | "buu-chinh" => 3,
        _ => {
            c.fail(
                "channel",
                "Kênh nộp phải là 1 (trực tiếp), 2 (trực tuyến) hoặc 3 (bưu chính).",
            );
            1
        }
    };
    let code = input.tthc.trim();
    let proc: Option<IntakeProcedure> = if code.is_empty() {
        c.fail("tthc", "Chưa chọn thủ tục hành chính.");
        None
    } else {
        let found = match code.parse::<i64>() {
            Ok(id) => store::procedure::for_intake(&state.db, id).await,
            Err(_) => store::procedure::for_intake_by_code(&state.db, code).await,
        };
        match found {
            Ok(p) if p.active => Some(p),
            Ok(_) => {
                c.fail(
                    "tthc",
                    "Thủ tục này đã bị bãi bỏ, không tiếp nhận hồ sơ mới.",
                );
                None
            }
            Err(store::StoreError::NotFound) => {
                c.fail("tthc", "Không tìm thấy thủ tục hành chính với mã này.");
                None
            }
            Err(e) => return Err(e.into()),
        }
    };
    if !c.is_ok() {
        return Err(AppError::Validation(c.errors));
    }
    let Some(proc) = proc else {
        return Err(AppError::bad("Chưa chọn thủ tục hành chính."));
    };
    // Who processes it: the procedure's agency (a department, for province procedures),
    // else the unit the desk belongs to (a commune's service centre serves its UBND).
    let handling = match proc.agency_id {
        Some(a) if proc.level == "tinh" => a,
        _ if desk.kind == "trung_tam_phvhcc" => desk.parent_id.unwrap_or(desk.id),
        _ => desk.id,
    };
    let cal = state.calendar.get(&state.db).await?;
    let policy = IntakePolicy::default();
    let received = local(at);
    let appointment = match proc.limit {
        Some(limit) => Some(
            domain::dossier::appointment(received, limit, &cal, &policy)
                .map_err(|e| AppError::bad(format!("Không tính được ngày hẹn trả: {e}")))?,
        ),
        None => None,
    };
    let target = match (channel, proc.limit) {
        (2, Some(limit)) => match proc.online_limit_minutes {
            Some(m) => after_minutes(&cal, &policy, received, m),
            None => domain::dossier::online_target(received, limit, &cal, &policy).ok(),
        },
        _ => None,
    };
    let first_step_due = proc
        .steps
        .first()
        .and_then(|s| after_minutes(&cal, &policy, received, s.minutes));
    let event = if refuse.is_empty() {
        if input.online_pending {
            DossierEvent::SubmitOnline
        } else {
            DossierEvent::Receive
        }
    } else {
        DossierEvent::RefuseAtIntake {
            reason: refuse.chars().take(2000).collect(),
        }
    };
    let nd = NewDossier {
        tthc_id: proc.id,
        agency_id: desk.id,
        handling_agency_id: Some(handling),
        agency_eid: agency_eid(desk.id),
        channel,
        applicant_name: name,
        applicant_id_no: Some(id_no).filter(|s| !s.is_empty()),
        applicant_phone: Some(phone).filter(|s| !s.is_empty()),
        applicant_email: Some(email).filter(|s| !s.is_empty()),
        applicant_address: address,
        event,
        at,
        appointment_at: appointment.map(utc),
        target_at: target.map(utc),
        step_due_at: first_step_due.map(utc),
        fee_amount: None,
        regime: regime_on(received.date()).into(),
        note: note.unwrap_or_default(),
        idempotency_key: input.idempotency_key,
        files: input.files,
    };
    Ok(store::dossier::intake(&state.db, &nd, &user.actor()).await?)
}

/// An action on a dossier, as sent by a page or the API.
#[derive(Debug, Clone, Default)]
pub struct ActionInput {
    pub event: String,
    pub reason: String,
    pub to_agency_id: Option<i64>,
    pub to_user_id: Option<i64>,
    pub result_code: String,
    pub e_result: bool,
    pub files: Vec<NewFile>,
}

/// Applies an action: the state machine (domain) decides what is legal; who may act is
/// decided by role and agency; the calendar moves the deadline after a pause.
pub async fn act(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    input: ActionInput,
    at: DateTime<Utc>,
) -> Result<Dossier, AppError> {
    let p = &user.principal;
    let d = visible(state, p, id).await?;
    let reason = domain::validate::clean(&input.reason);
    let kind = match input.event.as_str() {
        "receive" => EventKind::Receive,
        "refuse_at_intake" => EventKind::RefuseAtIntake,
        "assign" => EventKind::Assign,
        "transfer" => EventKind::Transfer,
        "request_supplement" => EventKind::RequestSupplement,
        "supplement_provided" => EventKind::SupplementProvided,
        "request_payment" => EventKind::RequestPayment,
        "payment_done" => EventKind::PaymentDone,
        "withdraw" => EventKind::Withdraw,
        "stop" => EventKind::Stop,
        "finish_processing" => EventKind::FinishProcessing,
        "return_result" => EventKind::ReturnResult,
        _ => return Err(AppError::bad("Thao tác không hợp lệ.")),
    };
    // Who: the desk receives, refuses, takes supplements and payments, returns results and
    // records withdrawals; the handling agency's officers do the rest.
    let desk_work = matches!(
        kind,
        EventKind::Receive
            | EventKind::RefuseAtIntake
            | EventKind::SupplementProvided
            | EventKind::PaymentDone
            | EventKind::Withdraw
            | EventKind::ReturnResult
    );
    let handling_path = d
        .handling_path
        .clone()
        .unwrap_or_else(|| d.agency_path.clone());
    let allowed = if desk_work {
        p.can_work_desk(&d.agency_path)
    } else {
        p.can_process_at(&handling_path)
            || (kind == EventKind::RequestSupplement && p.can_work_desk(&d.agency_path))
    };
    if !allowed {
        return Err(AppError::Forbidden(if desk_work {
            "Thao tác này do bộ phận một cửa nơi tiếp nhận hồ sơ thực hiện.".into()
        } else {
            "Thao tác này do cơ quan đang giải quyết hồ sơ thực hiện.".into()
        }));
    }
    let text = || reason.chars().take(2000).collect::<String>();
    let proc = state.intake_procedure(d.tthc_id).await?;
    let mut fx = Effects {
        note: text(),
        files: input.files,
        ..Default::default()
    };
    let cal = state.calendar.get(&state.db).await?;
    let policy = IntakePolicy::default();
    let event = match kind {
        EventKind::Receive => DossierEvent::Receive,
        EventKind::RefuseAtIntake => DossierEvent::RefuseAtIntake { reason: text() },
        EventKind::RequestSupplement => DossierEvent::RequestSupplement { reason: text() },
        EventKind::Stop => DossierEvent::Stop { reason: text() },
        EventKind::Assign | EventKind::Transfer => {
            // The next step of the internal process, its owner and its due time.
            let next = (d.step_seq + 1) as usize;
            let step = proc.steps.get(next).or(proc.steps.last());
            let name = step
                .map(|s| s.name.clone())
                .unwrap_or_else(|| "Xử lý hồ sơ".into());
            fx.step_seq = Some(next as i32);
            fx.step_name = Some(name.clone());
            fx.to_agency_id = input
                .to_agency_id
                .or(step.and_then(|s| s.agency_id))
                .or(d.handling_agency_id);
            if let Some(a) = fx.to_agency_id {
                // Hand-overs go to an agency in force today.
                let ag = state.agency(a).await?;
                if !ag.active || !ag.valid_on(local(at).date()) {
                    return Err(AppError::bad("Cơ quan nhận không còn hoạt động."));
                }
            }
            fx.to_user_id = input.to_user_id;
            fx.step_due_at = step
                .and_then(|s| after_minutes(&cal, &policy, local(at), s.minutes))
                .map(utc);
            if kind == EventKind::Assign {
                DossierEvent::Assign { step: name }
            } else {
                DossierEvent::Transfer { step: name }
            }
        }
        EventKind::SupplementProvided | EventKind::PaymentDone => {
            // The clock restarts: the deadline moves by the working time of the pause.
            let pauses = store::dossier::pauses(&state.db, id).await?;
            if let (Some(open), Some(due)) =
                (pauses.iter().rev().find(|x| x.ended_at.is_none()), d.due_at)
            {
                let paused = cal
                    .elapsed_working_minutes(&policy.hours, local(open.started_at), local(at), &[])
                    .unwrap_or(0);
                fx.due_at = after_minutes(&cal, &policy, local(due), paused).map(utc);
            }
            if kind == EventKind::SupplementProvided {
                DossierEvent::SupplementProvided
            } else {
                DossierEvent::PaymentDone
            }
        }
        EventKind::RequestPayment => DossierEvent::RequestPayment,
        EventKind::Withdraw => DossierEvent::Withdraw,
        EventKind::FinishProcessing => {
            let rc = domain::validate::clean(&input.result_code);
            fx.result_code = Some(rc).filter(|s| !s.is_empty());
            fx.e_result = Some(input.e_result || !fx.files.is_empty());
            DossierEvent::FinishProcessing
        }
        EventKind::ReturnResult => DossierEvent::ReturnResult,
        EventKind::SubmitOnline => return Err(AppError::bad("Thao tác không hợp lệ.")),
    };
    // Closing a step (or the dossier) late needs the responsible officer's reason; the
    // delay is attributed to the agency and officer who held it (CV 6486 item 3).
    let closes_step = matches!(
        kind,
        EventKind::Assign | EventKind::Transfer | EventKind::FinishProcessing
    );
    let step_late = closes_step && d.step_due_at.is_some_and(|due| at > due);
    let dossier_late = kind == EventKind::FinishProcessing && d.due_at.is_some_and(|due| at > due);
    if step_late || dossier_late {
        if reason.is_empty() {
            return Err(AppError::Validation(vec![domain::validate::FieldError {
                field: "reason".into(),
                message: if dossier_late {
                    "Hồ sơ đã quá hạn giải quyết: ghi rõ lý do chậm.".into()
                } else {
                    "Bước xử lý đã quá thời gian được giao: ghi rõ lý do chậm.".into()
                },
            }]));
        }
        fx.delay = Some((
            text(),
            d.handling_agency_id,
            d.assignee_id.or(Some(p.user_id)),
        ));
    }
    // The state machine first, so that a refusal is a 409 with its reason.
    domain::dossier::apply(d.status(), &event).map_err(|e| match e {
        domain::dossier::TransitionError::MissingText(_) => {
            AppError::Validation(vec![domain::validate::FieldError {
                field: "reason".into(),
                message: e.to_string(),
            }])
        }
        _ => AppError::Conflict(e.to_string()),
    })?;
    Ok(store::dossier::transition(
        &state.db,
        &d,
        &event,
        &fx,
        at,
        &user.actor(),
        Some(p.agency_id),
    )
    .await?)
}

/// An apology letter (Mẫu 04): a late or soon-late dossier gets a reason, a new date and
/// the agency (and officer) who caused the delay (domain.md §5 "Apology letters").
pub async fn apologize(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    reason: &str,
    new_date: &str,
    delay_user_id: Option<i64>,
    at: DateTime<Utc>,
) -> Result<Dossier, AppError> {
    let p = &user.principal;
    let d = visible(state, p, id).await?;
    let handling_path = d
        .handling_path
        .clone()
        .unwrap_or_else(|| d.agency_path.clone());
    if !p.can_process_at(&handling_path) {
        return Err(AppError::Forbidden(
            "Phiếu xin lỗi do cơ quan đang giải quyết hồ sơ lập.".into(),
        ));
    }
    let mut c = Checker::new();
    let reason = c.required("reason", "Lý do chậm", reason, 2000);
    let date = c.date("new_date", "Ngày hẹn trả mới", new_date);
    if !c.is_ok() {
        return Err(AppError::Validation(c.errors));
    }
    if !matches!(d.status, 2 | 4 | 5 | 6) {
        return Err(AppError::Conflict(
            "Chỉ lập phiếu xin lỗi cho hồ sơ đang giải quyết.".into(),
        ));
    }
    let Some(day) = date else {
        return Err(AppError::bad("Ngày hẹn trả mới không hợp lệ."));
    };
    let cal = state.calendar.get(&state.db).await?;
    let policy = IntakePolicy::default();
    let closing = policy
        .hours
        .sessions
        .last()
        .map(|s| s.1)
        .unwrap_or_default();
    let new_at = utc(day.and_time(closing));
    if d.appointment_at.is_some_and(|a| new_at <= a) || day <= local(at).date() {
        return Err(AppError::Validation(vec![domain::validate::FieldError {
            field: "new_date".into(),
            message: "Ngày hẹn trả mới phải sau ngày hẹn cũ và sau hôm nay.".into(),
        }]));
    }
    if !cal.is_working_day(day).unwrap_or(false) {
        return Err(AppError::Validation(vec![domain::validate::FieldError {
            field: "new_date".into(),
            message: "Ngày hẹn trả mới phải là ngày làm việc.".into(),
        }]));
    }
    Ok(store::dossier::record_note(
        &state.db,
        id,
        &Note::Apology {
            reason,
            new_date: new_at,
            delay_agency_id: d.handling_agency_id,
            delay_user_id,
        },
        at,
        &user.actor(),
        Some(p.agency_id),
    )
    .await?)
}

/// Payment of a fee at the desk or online, and the applicant's rating after return.
pub async fn record(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    note: Note,
    at: DateTime<Utc>,
) -> Result<Dossier, AppError> {
    let p = &user.principal;
    let d = visible(state, p, id).await?;
    if !p.can_work_desk(&d.agency_path) {
        return Err(AppError::Forbidden(
            "Thao tác này do bộ phận một cửa nơi tiếp nhận hồ sơ thực hiện.".into(),
        ));
    }
    match &note {
        Note::Payment { amount, .. } if *amount <= 0 || *amount > 1_000_000_000_000 => {
            return Err(AppError::Validation(vec![domain::validate::FieldError {
                field: "amount".into(),
                message: "Số tiền phải là số nguyên dương (đồng).".into(),
            }]));
        }
        Note::Rating { rating } if !(1..=3).contains(rating) => {
            return Err(AppError::Validation(vec![domain::validate::FieldError {
                field: "rating".into(),
                message: "Mức độ hài lòng từ 1 (không hài lòng) đến 3 (rất hài lòng).".into(),
            }]));
        }
        Note::Rating { .. } if d.status != 10 => {
            return Err(AppError::Conflict(
                "Chỉ đánh giá sau khi đã trả kết quả.".into(),
            ));
        }
        _ => {}
    }
    Ok(
        store::dossier::record_note(&state.db, id, &note, at, &user.actor(), Some(p.agency_id))
            .await?,
    )
}

/// Status label of a national status code.
pub fn status_label(code: i32) -> &'static str {
    domain::dossier::DossierStatus::from_code(code as u8).map_or("Không rõ", |s| s.label())
}

pub fn channel_label(c: i32) -> &'static str {
    match c {
        1 => "Trực tiếp",
        2 => "Trực tuyến",
        3 => "Bưu chính công ích",
        _ => "Khác",
    }
}
