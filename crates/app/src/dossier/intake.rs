//! Tiếp nhận hồ sơ — opening a dossier at a desk: validation, the procedure, the appointment date (Mẫu 01) and the first step.

use super::*;
use domain::dossier::clock::{self, Channel, Limit};

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
    /// The competent agency the dossier is received for, when the desk receives for
    /// another unit (NĐ 118/2025 Điều 3 khoản 6–7, Điều 14 khoản 2, Điều 20: reception
    /// independent of administrative boundaries); `None`: the default below.
    pub handling_agency_id: Option<i64>,
    /// The documents ticked on the checklist (seq numbers or published names). `None`:
    /// no checklist was sent (an integration that predates it); `Some`: checked against
    /// the procedure's published list when it has one.
    pub documents: Option<Vec<String>>,
    /// The desk confirms the dossier complete for the applicant's situation although some
    /// listed documents are not ticked (they are of other situations).
    pub documents_complete: bool,
}

/// The deadline `minutes` working minutes after `from` (local time).
pub(crate) fn after_minutes(
    cal: &domain::calendar::Calendar,
    policy: &IntakePolicy,
    from: NaiveDateTime,
    minutes: i64,
) -> Option<NaiveDateTime> {
    let start = cal.reception_start(&policy.hours, from).ok()?;
    cal.add_working_minutes(&policy.hours, start, u32::try_from(minutes.max(0)).ok()?)
        .ok()
}

/// The published limit of a procedure as the one clock (domain::dossier::clock) reads it.
pub fn limit_of(proc: &IntakeProcedure) -> Option<Limit> {
    Limit::of(&proc.limit_text, proc.limit)
}

/// Opens a dossier at the caller's desk: validates, finds the procedure, computes the
/// appointment date (Mẫu 01) from the legal calendar, the online target and the first
/// step's due time, and stores it (idempotent on the key). Returns the dossier and whether
/// it was created now.
pub async fn intake(
    state: &App,
    user: &Caller,
    input: IntakeInput,
    at: DateTime<Utc>,
) -> Result<(Dossier, bool), ServiceError> {
    let p = &user.principal;
    let desk = store::agency::get(&state.db, p.agency_id).await?;
    if !p.can_work_desk(&desk.path) {
        return Err(ServiceError::Forbidden(
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
        return Err(ServiceError::Invalid(c.errors));
    }
    let Some(proc) = proc else {
        return Err(ServiceError::bad("Chưa chọn thủ tục hành chính."));
    };
    // Who processes it: the procedure's agency (a department, for province procedures);
    // else the competent unit the desk receives for (NĐ 118/2025 Điều 20: any desk of the
    // province receives commune procedures for the competent commune); by default the
    // unit the desk belongs to (a commune's service centre serves its UBND).
    let own = match (proc.agency_id, proc.level.as_str()) {
        (Some(a), "tinh") => Some(a),
        _ => None,
    };
    let handling = match (own, input.handling_agency_id) {
        (Some(a), Some(h)) if h != a => {
            return Err(ServiceError::invalid(
                "handling_agency_id",
                "Thủ tục cấp tỉnh này do cơ quan có thẩm quyền trong danh mục giải quyết; không chọn cơ quan khác.",
            ));
        }
        (Some(a), _) => a,
        (None, Some(h)) => {
            let ag = state.agency(h).await.map_err(|_| {
                ServiceError::invalid("handling_agency_id", "Cơ quan giải quyết không tồn tại.")
            })?;
            let today = local(at).date();
            let fits = if proc.level == "xa" {
                ag.kind == "ubnd_xa"
            } else {
                ag.kind != "trung_tam_phvhcc"
            };
            if !ag.active || !ag.valid_on(today) || !fits {
                return Err(ServiceError::invalid(
                    "handling_agency_id",
                    if proc.level == "xa" {
                        "Thủ tục cấp xã: chọn Ủy ban nhân dân xã, phường có thẩm quyền đang hoạt động."
                    } else {
                        "Cơ quan giải quyết không hợp lệ hoặc đã ngừng hoạt động."
                    },
                ));
            }
            ag.id
        }
        (None, None) if desk.kind == "trung_tam_phvhcc" => desk.parent_id.unwrap_or(desk.id),
        (None, None) => desk.id,
    };
    let cal = state.calendar.get(&state.db).await?;
    let received = local(at);
    let limit = limit_of(&proc);
    let policy = IntakePolicy::default().with_cutoff(limit.and_then(|l| l.cutoff));
    let clock_channel = Channel::of_code(channel);
    let appointment = match &limit {
        Some(l) => {
            clock::reckon(
                l,
                received,
                clock_channel,
                &cal,
                clock::clock_on(received.date()),
            )
            .map_err(crate::deadline::clock_error)?
            .appointment
        }
        None => None,
    };
    let working = limit.and_then(|l| l.kind.working());
    let target = match (channel, working) {
        (2, Some(limit)) => match proc.online_limit_minutes {
            Some(m) => after_minutes(&cal, &policy, received, m),
            None => domain::dossier::online_target(received, limit, &cal, &policy).ok(),
        },
        _ => None,
    };
    // The documents: nothing outside the published list; a received dossier is complete
    // (domain::procedure::documents). A refusal needs no checklist.
    let mut received_docs = Vec::new();
    if let Some(ticked) = input.documents.as_ref().filter(|_| refuse.is_empty()) {
        let full = store::procedure::get(&state.db, proc.id).await?;
        let list = domain::procedure::documents::parse(&full.documents);
        if !list.is_empty() {
            match domain::procedure::documents::check(&list, ticked, input.documents_complete) {
                Ok(got) => {
                    received_docs = got
                        .into_iter()
                        .map(|d| store::dossier::ReceivedDocument {
                            seq: d.seq as i32,
                            case_name: d.case,
                            name: d.name,
                            copies: d.copies,
                        })
                        .collect()
                }
                Err(e @ domain::procedure::documents::ChecklistError::NotPublished(_)) => {
                    return Err(ServiceError::bad(e.message()));
                }
                Err(e) => return Err(ServiceError::invalid("documents", e.message())),
            }
        }
    }
    let first_step_due = super::guide::process_of(&proc)
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
        documents: received_docs,
    };
    Ok(store::dossier::intake(&state.db, &nd, &user.actor()).await?)
}
