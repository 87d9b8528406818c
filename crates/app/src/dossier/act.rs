//! Acting on a dossier: one event of the state machine, an apology letter (Mẫu 04), notes that do not move the status.

use super::*;
use domain::dossier::clock::{self, Channel};

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
    /// The status code the officer saw when choosing the action (the page's hidden field,
    /// the API's `expected_status`). When given and the dossier has moved since, the
    /// action is refused as `Stale` instead of being judged against a state the officer
    /// never saw.
    pub expected_status: Option<i32>,
}

/// Applies an action: the state machine (domain) decides what is legal; who may act is
/// decided by role and agency; the calendar moves the deadline after a pause.
pub async fn act(
    state: &App,
    user: &Caller,
    id: i64,
    input: ActionInput,
    at: DateTime<Utc>,
) -> Result<Dossier, ServiceError> {
    let p = &user.principal;
    let d = visible(state, p, id).await?;
    if input
        .expected_status
        .is_some_and(|seen| seen != i32::from(d.status))
    {
        return Err(ServiceError::Stale(DOSSIER_MOVED.into()));
    }
    let reason = domain::validate::clean(&input.reason);
    // Every kind but the portal's online submission, by its stored name.
    let kind = EventKind::from_code(input.event.trim())
        .filter(|k| *k != EventKind::SubmitOnline)
        .ok_or_else(|| ServiceError::bad("Thao tác không hợp lệ."))?;
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
        return Err(ServiceError::Forbidden(if desk_work {
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
    // The process: its signing step cannot be skipped, and only a leader passes it.
    let steps = super::guide::process_of(&proc);
    if let Some(why) = domain::dossier::workflow::step_refusal(
        kind,
        &super::guide::roles_of(&steps),
        d.step_seq,
        super::guide::is_signer(p, &handling_path),
    ) {
        return Err(ServiceError::Conflict(why.into()));
    }
    let event = match kind {
        EventKind::Receive => DossierEvent::Receive,
        EventKind::RefuseAtIntake => DossierEvent::RefuseAtIntake { reason: text() },
        EventKind::RequestSupplement => DossierEvent::RequestSupplement { reason: text() },
        EventKind::Stop => DossierEvent::Stop { reason: text() },
        EventKind::Assign | EventKind::Transfer => {
            // The next step of the internal process, its owner and its due time.
            let next = (d.step_seq + 1) as usize;
            let step = steps.get(next).or(steps.last());
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
                    return Err(ServiceError::bad("Cơ quan nhận không còn hoạt động."));
                }
            }
            if let Some(u) = input.to_user_id {
                // The officer must work in the unit that will hold the next step.
                let to_path = match fx.to_agency_id {
                    Some(a) if Some(a) != d.handling_agency_id => {
                        state.agency(a).await?.path.clone()
                    }
                    _ => handling_path.clone(),
                };
                super::guide::check_assignee(state, u, &to_path).await?;
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
            // The one clock: the appointment in force after the supplement pauses (NĐ 61:
            // the paused time is not counted; NĐ 118 Điều 19 khoản 5: the limit restarts
            // once the complete dossier is received). Waiting for a fee moves nothing
            // unless the regime's rules say so (data/dossier/clock.toml).
            if let (Some(limit), Some(received)) = (limit_of(&proc), d.received_at) {
                // The pause this event ends closes now.
                let pauses: Vec<_> = store::dossier::pauses(&state.db, id)
                    .await?
                    .into_iter()
                    .map(|x| {
                        (
                            x.kind,
                            local(x.started_at),
                            Some(local(x.ended_at.unwrap_or(at))),
                        )
                    })
                    .collect();
                if let Some(due) = crate::deadline::appointment_in_force(
                    &limit,
                    local(received),
                    Channel::of_code(d.channel),
                    &pauses,
                    &cal,
                )? {
                    fx.due_at = Some(utc(due));
                }
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
        EventKind::SubmitOnline => return Err(ServiceError::bad("Thao tác không hợp lệ.")),
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
            return Err(ServiceError::Invalid(vec![domain::validate::FieldError {
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
    let to = domain::dossier::apply(d.status, &event).map_err(|e| match e {
        domain::dossier::TransitionError::MissingText(_) => {
            ServiceError::Invalid(vec![domain::validate::FieldError {
                field: "reason".into(),
                message: e.to_string(),
            }])
        }
        _ => ServiceError::Conflict(e.to_string()),
    })?;
    let after = store::dossier::transition_to(
        &state.db,
        &d,
        &event,
        to,
        &fx,
        at,
        &user.actor(),
        Some(p.agency_id),
    )
    .await
    .map_err(ServiceError::stale_as(DOSSIER_MOVED))?;
    // Whoever must act next hears of it: the officer assigned, the leaders at the
    // signing step, the desk when the result is ready.
    let roles = super::guide::roles_of(&steps);
    let signing = domain::dossier::workflow::signing_step(&roles)
        .is_some_and(|s| usize::try_from(after.step_seq).is_ok_and(|a| a == s));
    crate::notify::dossier_event(state, &after, kind, signing, p.user_id).await;
    Ok(after)
}

/// A lost race on a dossier: another officer moved it between the caller's read and write.
pub const DOSSIER_MOVED: &str = "Hồ sơ vừa được người khác cập nhật trong lúc bạn thao tác; vui lòng tải lại trang để xem trạng thái mới rồi thực hiện lại.";

/// An apology letter (Mẫu 04): a late or soon-late dossier gets a reason, a new date and
/// the agency (and officer) who caused the delay (domain.md §5 "Apology letters").
pub async fn apologize(
    state: &App,
    user: &Caller,
    id: i64,
    reason: &str,
    new_date: &str,
    delay_user_id: Option<i64>,
    at: DateTime<Utc>,
) -> Result<Dossier, ServiceError> {
    let p = &user.principal;
    let d = visible(state, p, id).await?;
    let handling_path = d
        .handling_path
        .clone()
        .unwrap_or_else(|| d.agency_path.clone());
    if !p.can_process_at(&handling_path) {
        return Err(ServiceError::Forbidden(
            "Phiếu xin lỗi do cơ quan đang giải quyết hồ sơ lập.".into(),
        ));
    }
    let mut c = Checker::new();
    let reason = c.required("reason", "Lý do chậm", reason, 2000);
    let date = c.date("new_date", "Ngày hẹn trả mới", new_date);
    if !c.is_ok() {
        return Err(ServiceError::Invalid(c.errors));
    }
    if !matches!(
        d.status,
        DossierStatus::Received
            | DossierStatus::Processing
            | DossierStatus::AwaitingSupplement
            | DossierStatus::AwaitingPayment
    ) {
        return Err(ServiceError::Conflict(
            "Chỉ lập phiếu xin lỗi cho hồ sơ đang giải quyết.".into(),
        ));
    }
    let Some(day) = date else {
        return Err(ServiceError::bad("Ngày hẹn trả mới không hợp lệ."));
    };
    // NĐ 118/2025 Điều 19 khoản 6 (NĐ 61/2018 Điều 19 as amended): at the latest one day
    // before the due date, and at most once (data/dossier/clock.toml).
    if let (Some(received), Some(due)) = (d.received_at, d.due_at) {
        let rules = clock::clock_on(local(received).date());
        let done = u32::from(d.rescheduled_at.is_some());
        if let Some(why) = clock::apology_refusal(rules, local(due), local(at).date(), done) {
            return Err(ServiceError::Conflict(why));
        }
    }
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
        return Err(ServiceError::Invalid(vec![domain::validate::FieldError {
            field: "new_date".into(),
            message: "Ngày hẹn trả mới phải sau ngày hẹn cũ và sau hôm nay.".into(),
        }]));
    }
    if !cal.is_working_day(day).unwrap_or(false) {
        return Err(ServiceError::Invalid(vec![domain::validate::FieldError {
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
    state: &App,
    user: &Caller,
    id: i64,
    note: Note,
    at: DateTime<Utc>,
) -> Result<Dossier, ServiceError> {
    let p = &user.principal;
    let d = visible(state, p, id).await?;
    if !p.can_work_desk(&d.agency_path) {
        return Err(ServiceError::Forbidden(
            "Thao tác này do bộ phận một cửa nơi tiếp nhận hồ sơ thực hiện.".into(),
        ));
    }
    match &note {
        Note::Payment { amount, .. } if *amount <= 0 || *amount > 1_000_000_000_000 => {
            return Err(ServiceError::Invalid(vec![domain::validate::FieldError {
                field: "amount".into(),
                message: "Số tiền phải là số nguyên dương (đồng).".into(),
            }]));
        }
        Note::Rating { rating } if !(1..=3).contains(rating) => {
            return Err(ServiceError::Invalid(vec![domain::validate::FieldError {
                field: "rating".into(),
                message: "Mức độ hài lòng từ 1 (không hài lòng) đến 3 (rất hài lòng).".into(),
            }]));
        }
        Note::Rating { .. } if d.status != DossierStatus::Returned => {
            return Err(ServiceError::Conflict(
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
