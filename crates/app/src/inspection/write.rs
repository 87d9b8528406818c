//! Writing an inspection's file: recording it with its team, its findings, issuing the
//! conclusion notice (which gives each finding needing remediation its task) and closing
//! it once every remediation is verified. Every write is audited (`store::inspection`).

use domain::inspection::{
    FINDING_KINDS, InspectionKind, InspectionStatus, MEMBER_ROLES, Remediation, label_of,
};
use domain::validate::Checker;

use super::*;

/// Records an inspection (the inspecting side; a unit's head for the units below it).
pub async fn create(
    state: &App,
    caller: &Caller,
    b: &InspectionInput,
) -> Result<InspectionDetail, ServiceError> {
    record(state, caller, b, None).await
}

/// [`create`], carrying out row `item` of a yearly plan when given.
pub(super) async fn record(
    state: &App,
    caller: &Caller,
    b: &InspectionInput,
    item: Option<&store::inspection::PlanItemRow>,
) -> Result<InspectionDetail, ServiceError> {
    let p = &caller.principal;
    if !can_inspect(p) {
        return Err(ServiceError::Forbidden(
            "Chỉ Sở Nội vụ, Văn phòng UBND tỉnh, lãnh đạo tỉnh và lãnh đạo đơn vị (với đơn vị trực thuộc) lập cuộc kiểm tra.".into(),
        ));
    }
    let mut c = Checker::new();
    let kind = InspectionKind::parse(&b.kind);
    if kind.is_none() {
        c.fail(
            "kind",
            "Loại kiểm tra là ke_hoach (theo kế hoạch) hoặc dot_xuat (đột xuất).",
        );
    }
    let number = c.required(
        "decision_number",
        "Số quyết định kiểm tra",
        &b.decision_number,
        100,
    );
    let date = c.date("decision_date", "Ngày quyết định", &b.decision_date);
    if b.decision_date.trim().is_empty() {
        c.fail("decision_date", "Ngày quyết định không được để trống.");
    }
    let subjects = c
        .optional(
            "subjects",
            "Nội dung kiểm tra",
            Some(b.subjects.as_str()),
            4000,
        )
        .unwrap_or_default();
    let start_on = b
        .start_on
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .and_then(|s| c.date("start_on", "Ngày bắt đầu", s));
    let end_on = b
        .end_on
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .and_then(|s| c.date("end_on", "Ngày kết thúc", s));
    if let (Some(s), Some(e)) = (start_on, end_on)
        && e < s
    {
        c.fail("end_on", "Ngày kết thúc không được trước ngày bắt đầu.");
    }
    if b.planned_month.is_some_and(|m| !(1..=12).contains(&m)) {
        c.fail("planned_month", "Tháng dự kiến từ 1 đến 12.");
    }
    let mut members = Vec::new();
    for (i, m) in b.members.iter().enumerate() {
        if label_of(&MEMBER_ROLES, m.role.trim()).is_none() {
            c.fail(
                &format!("members[{i}].role"),
                "Vai trò là truong_doan, pho_truong_doan, thanh_vien hoặc thu_ky.",
            );
        }
        let name = m.name.as_deref().map(str::trim).filter(|s| !s.is_empty());
        match (m.user_id, name) {
            (Some(u), _) => {
                if store::user::get(&state.db, u).await.is_err() {
                    c.fail(
                        &format!("members[{i}].user_id"),
                        "Người dùng không tồn tại.",
                    );
                }
                members.push((Some(u), None, m.role.trim().to_string()));
            }
            // A login name ("chuyenvien.snv") is that user, who then works on the file.
            (None, Some(n)) if !n.contains(char::is_whitespace) && n.contains('.') => {
                match store::user::get_by_username(&state.db, n).await {
                    Ok(u) if u.active => members.push((Some(u.id), None, m.role.trim().to_string())),
                    _ => c.fail(
                        &format!("members[{i}]"),
                        format!("Không có tài khoản đang hoạt động «{n}»; ghi họ tên đầy đủ nếu là người ngoài hệ thống."),
                    ),
                }
            }
            (None, Some(n)) if n.chars().count() <= 200 => {
                members.push((None, Some(n.to_string()), m.role.trim().to_string()))
            }
            _ => c.fail(
                &format!("members[{i}]"),
                "Mỗi thành viên là một người dùng (user_id) hoặc ghi họ tên người ngoài hệ thống.",
            ),
        }
    }
    let target = match agency_of(state, &b.target, "target").await {
        Ok(a) if domain::inspection::may_inspect(p, &a.path) => Some(a),
        Ok(_) => {
            c.fail(
                "target",
                "Lãnh đạo đơn vị chỉ kiểm tra các đơn vị trực thuộc đơn vị mình.",
            );
            None
        }
        Err(ServiceError::Invalid(mut e)) => {
            c.errors.append(&mut e);
            None
        }
        Err(e) => return Err(e),
    };
    if !c.is_ok() {
        return Err(ServiceError::Invalid(c.errors));
    }
    let (Some(kind), Some(date), Some(target)) = (kind, date, target) else {
        return Err(ServiceError::bad("Dữ liệu cuộc kiểm tra không hợp lệ."));
    };
    let id = store::inspection::create(
        &state.db,
        &store::inspection::NewInspection {
            plan_id: item.map(|i| i.plan_id),
            plan_item_id: item.map(|i| i.id),
            lead_agency_id: p.agency_id,
            kind: kind.code().into(),
            decision_number: number,
            decision_date: date,
            target_agency_id: target.id,
            subjects,
            planned_month: b.planned_month,
            start_on,
            end_on,
            status: InspectionStatus::Conducting.code().into(),
            members,
        },
        &caller.actor(),
    )
    .await
    .map_err(ServiceError::stale_as(
        "Dòng kế hoạch này vừa được người khác triển khai; vui lòng tải lại trang.",
    ))?;
    detail(state, p, id).await
}

/// Records a finding while the inspection is under way (the inspecting side, the team).
pub async fn add_finding(
    state: &App,
    caller: &Caller,
    id: i64,
    b: &FindingInput,
) -> Result<InspectionDetail, ServiceError> {
    add_finding_with_files(state, caller, id, b, Vec::new()).await
}

/// [`add_finding`] with its evidence (minh chứng: records, photos, extracts), stored with
/// the finding in one transaction.
pub async fn add_finding_with_files(
    state: &App,
    caller: &Caller,
    id: i64,
    b: &FindingInput,
    files: Vec<store::file::NewFile>,
) -> Result<InspectionDetail, ServiceError> {
    let p = &caller.principal;
    let r = visible(state, p, id).await?;
    if !works_on(state, p, &r).await? {
        return Err(ServiceError::Forbidden(
            "Chỉ đoàn kiểm tra ghi nhận phát hiện.".into(),
        ));
    }
    if !InspectionStatus::parse(&r.status).is_some_and(InspectionStatus::takes_findings) {
        return Err(ServiceError::Conflict(
            "Đã ban hành kết luận kiểm tra: không thêm phát hiện.".into(),
        ));
    }
    let mut c = Checker::new();
    if label_of(&FINDING_KINDS, b.kind.trim()).is_none() {
        c.fail("kind", "Loại phát hiện không hợp lệ.");
    }
    let content = c.required("content", "Nội dung phát hiện", &b.content, 4000);
    let person = c.optional(
        "responsible_person",
        "Người chịu trách nhiệm",
        b.responsible_person.as_deref(),
        200,
    );
    let deadline = b
        .deadline
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .and_then(|s| c.date("deadline", "Hạn khắc phục", s));
    if b.remediation && deadline.is_none() && c.is_ok() {
        c.fail("deadline", "Phát hiện phải khắc phục cần có hạn khắc phục.");
    }
    let responsible = match b.responsible.as_deref().filter(|s| !s.trim().is_empty()) {
        None => Some(r.target_agency_id),
        Some(k) => {
            match agency_of(state, k, "responsible").await {
                Ok(a) if a.path.starts_with(&r.target_path) => Some(a.id),
                Ok(_) => {
                    c.fail("responsible", "Đơn vị chịu trách nhiệm phải là đơn vị được kiểm tra hoặc đơn vị trực thuộc.");
                    None
                }
                Err(ServiceError::Invalid(mut e)) => {
                    c.errors.append(&mut e);
                    None
                }
                Err(e) => return Err(e),
            }
        }
    };
    if !c.is_ok() {
        return Err(ServiceError::Invalid(c.errors));
    }
    let Some(responsible) = responsible else {
        return Err(ServiceError::bad("Đơn vị chịu trách nhiệm không hợp lệ."));
    };
    let open = [
        InspectionStatus::Planned.code(),
        InspectionStatus::Conducting.code(),
    ];
    store::inspection::add_finding(
        &state.db,
        id,
        &store::inspection::NewFinding {
            kind: b.kind.trim().into(),
            content,
            responsible_agency_id: responsible,
            responsible_person: person,
            remediation: b.remediation,
            deadline,
        },
        &files,
        &open,
        &caller.actor(),
    )
    .await
    .map_err(ServiceError::stale_as(MOVED))?;
    detail(state, p, id).await
}

const MOVED: &str = "Cuộc kiểm tra vừa được người khác cập nhật; vui lòng tải lại trang.";

/// Issues the conclusion notice: registers it as a directive (the remediation tasks'
/// source document), creates a task of the responsible unit for each finding needing
/// remediation with its deadline, and opens the file to the inspected unit.
pub async fn conclude(
    state: &App,
    caller: &Caller,
    id: i64,
    b: &ConclusionInput,
) -> Result<InspectionDetail, ServiceError> {
    let p = &caller.principal;
    let r = visible(state, p, id).await?;
    if !leads(p, &r) {
        return Err(ServiceError::Forbidden(
            "Thông báo kết luận do cơ quan chủ trì kiểm tra ban hành.".into(),
        ));
    }
    if !InspectionStatus::parse(&r.status).is_some_and(InspectionStatus::takes_findings) {
        return Err(ServiceError::Conflict(
            "Đã ban hành kết luận kiểm tra.".into(),
        ));
    }
    let mut c = Checker::new();
    let number = c.required("number", "Số thông báo kết luận", &b.number, 100);
    let date = c.date("date", "Ngày thông báo", &b.date);
    let text = c
        .optional("text", "Nội dung kết luận", Some(b.text.as_str()), 20000)
        .unwrap_or_default();
    if let Some(d) = date
        && d < r.decision_date
    {
        c.fail(
            "date",
            "Ngày kết luận không được trước ngày quyết định kiểm tra.",
        );
    }
    if !c.is_ok() {
        return Err(ServiceError::Invalid(c.errors));
    }
    let Some(date) = date else {
        return Err(ServiceError::bad("Ngày thông báo không hợp lệ."));
    };
    let findings = store::inspection::findings(&state.db, id).await?;
    let directive = crate::task::register_directive(
        state,
        caller,
        &store::directive::DirectiveInput {
            number: number.clone(),
            doc_type: "Thông báo".into(),
            issuer: caller.agency_name.clone(),
            place: Some("Nghệ An".into()),
            issued_on: date,
            subject: format!(
                "Kết luận kiểm tra công tác cải cách hành chính tại {}",
                r.target_name
            ),
            signer_name: None,
            signer_title: None,
            signer_authority: None,
            recipients: vec![r.target_name.clone()],
            citations: vec![(r.decision_number.clone(), "implements".into())],
        },
    )
    .await
    .map_err(|e| match e {
        ServiceError::Duplicate { .. } => ServiceError::invalid(
            "number",
            "Số thông báo này đã được đăng ký cho một văn bản khác.",
        ),
        e => e,
    })?;
    let mut links = Vec::new();
    for f in findings.iter().filter(|f| f.remediation) {
        let t = store::task::create(
            &state.db,
            &store::task::TaskInput {
                directive_id: directive.id,
                parent_id: None,
                item_ref: Some(format!("Phát hiện {}", f.seq)),
                content: format!("Khắc phục tồn tại qua kiểm tra: {}", f.content),
                lead_agency_id: Some(f.responsible_agency_id),
                lead_text: None,
                support_agency_ids: Vec::new(),
                deadline: f.deadline,
                deadline_text: None,
                recurrence: None,
            },
            &caller.actor(),
        )
        .await?;
        crate::notify::task_assigned(state, &t, p.user_id).await;
        links.push((f.id, t.id));
    }
    let from = [
        InspectionStatus::Planned.code(),
        InspectionStatus::Conducting.code(),
    ];
    store::inspection::conclude(
        &state.db,
        id,
        &from,
        InspectionStatus::Concluded.code(),
        &number,
        date,
        &text,
        directive.id,
        &links,
        &caller.actor(),
    )
    .await
    .map_err(ServiceError::stale_as(MOVED))?;
    detail(state, p, id).await
}

/// Closes an inspection once every finding is remediated and verified.
pub async fn close(
    state: &App,
    caller: &Caller,
    id: i64,
) -> Result<InspectionDetail, ServiceError> {
    let p = &caller.principal;
    let r = visible(state, p, id).await?;
    if !leads(p, &r) {
        return Err(ServiceError::forbidden());
    }
    if r.status != InspectionStatus::Concluded.code() {
        return Err(ServiceError::Conflict(
            "Chỉ kết thúc cuộc kiểm tra đã có kết luận và chưa kết thúc.".into(),
        ));
    }
    let today = domain::time::today();
    let findings = store::inspection::findings(&state.db, id).await?;
    let states: Vec<(u32, Remediation)> = findings
        .iter()
        .map(|f| (f.seq as u32, remediation_of(f, today)))
        .collect();
    if let Some(why) = domain::inspection::close_refusal(&states) {
        return Err(ServiceError::Conflict(why));
    }
    store::inspection::set_status(
        &state.db,
        id,
        InspectionStatus::Concluded.code(),
        InspectionStatus::Closed.code(),
        &caller.actor(),
    )
    .await
    .map_err(ServiceError::stale_as(MOVED))?;
    detail(state, p, id).await
}
