//! Kiểm tra công tác CCHC — record an inspection (planned or surprise) with its team, its
//! findings, the conclusion notice that turns each finding needing remediation into a
//! task of the inspected unit (through the task module, the notice as its source
//! document), and closing once every remediation is verified (`domain::inspection`).
//!
//! Who: the inspecting side (Sở Nội vụ, VP UBND – KSTT, the province's leaders,
//! administrators) and the team's members work on the file; the inspected unit sees it
//! once the conclusion is issued (404 before, so its existence does not leak), together
//! with its remediation tasks. Every write is audited.

use chrono::NaiveDate;
use domain::inspection::{
    FINDING_KINDS, InspectionKind, InspectionStatus, MEMBER_ROLES, Remediation, label_of,
};
use domain::org::{Principal, Role};
use domain::validate::Checker;
use serde::{Deserialize, Serialize};
use store::Page;
use store::inspection::{FindingRow, InspectionFilter, InspectionRow, MemberRow};

use crate::{App, Caller, ServiceError};

/// Who inspects: the offices that follow reform for the UBND tỉnh, its leaders, admins.
pub fn can_inspect(p: &Principal) -> bool {
    p.roles.iter().any(|r| {
        matches!(
            r,
            Role::Admin | Role::LanhDaoTinh | Role::SoNoiVu | Role::VanPhongKstt
        )
    })
}

/// A team member as sent: a user of the registry or an outside person, and a role.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct MemberInput {
    pub user_id: Option<i64>,
    pub name: Option<String>,
    /// truong_doan, pho_truong_doan, thanh_vien, thu_ky
    pub role: String,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct InspectionInput {
    /// ke_hoach (in the yearly plan) or dot_xuat (surprise).
    pub kind: String,
    /// The decision that sets up the inspection, e.g. 125/QĐ-SNV.
    pub decision_number: String,
    /// dd/mm/yyyy or YYYY-MM-DD
    pub decision_date: String,
    /// The inspected unit: its code (STP) or id.
    pub target: String,
    /// What is inspected.
    #[serde(default)]
    pub subjects: String,
    /// The planned month (1–12), for a planned inspection.
    pub planned_month: Option<i32>,
    pub start_on: Option<String>,
    pub end_on: Option<String>,
    #[serde(default)]
    pub members: Vec<MemberInput>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct FindingInput {
    /// domain::inspection::FINDING_KINDS: chi_dao_dieu_hanh, thu_tuc_hanh_chinh, mot_cua,
    /// ky_luat_ky_cuong, che_do_bao_cao, khac.
    pub kind: String,
    pub content: String,
    /// The unit responsible (code or id); default the inspected unit.
    pub responsible: Option<String>,
    /// The official responsible, as named in the finding.
    pub responsible_person: Option<String>,
    /// Whether the unit must remediate (a task is created at the conclusion).
    #[serde(default)]
    pub remediation: bool,
    /// The remediation deadline (dd/mm/yyyy or YYYY-MM-DD); required with `remediation`.
    pub deadline: Option<String>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct ConclusionInput {
    /// The notice's number, e.g. 45/TB-SNV.
    pub number: String,
    pub date: String,
    /// The conclusion's text (editable before issue).
    #[serde(default)]
    pub text: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FindingOut {
    pub id: i64,
    pub seq: i32,
    pub kind: String,
    pub kind_label: String,
    pub content: String,
    pub responsible_agency_id: i64,
    pub responsible_agency_name: String,
    pub responsible_person: Option<String>,
    pub remediation: bool,
    pub deadline: Option<NaiveDate>,
    /// The remediation task (after the conclusion).
    pub task_id: Option<i64>,
    pub remediation_status: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MemberOut {
    pub user_id: Option<i64>,
    pub name: String,
    pub role: String,
    pub role_label: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InspectionOut {
    pub id: i64,
    pub kind: String,
    pub kind_label: String,
    pub decision_number: String,
    pub decision_date: NaiveDate,
    pub target_agency_id: i64,
    pub target_code: String,
    pub target_name: String,
    pub subjects: String,
    pub planned_month: Option<i32>,
    pub start_on: Option<NaiveDate>,
    pub end_on: Option<NaiveDate>,
    pub status: String,
    pub status_label: String,
    pub conclusion_number: Option<String>,
    pub conclusion_date: Option<NaiveDate>,
    /// The conclusion notice registered as a directive (the tasks' source document).
    pub directive_id: Option<i64>,
}

impl From<&InspectionRow> for InspectionOut {
    fn from(r: &InspectionRow) -> Self {
        InspectionOut {
            id: r.id,
            kind: r.kind.clone(),
            kind_label: InspectionKind::parse(&r.kind)
                .map_or("", InspectionKind::label)
                .into(),
            decision_number: r.decision_number.clone(),
            decision_date: r.decision_date,
            target_agency_id: r.target_agency_id,
            target_code: r.target_code.clone(),
            target_name: r.target_name.clone(),
            subjects: r.subjects.clone(),
            planned_month: r.planned_month,
            start_on: r.start_on,
            end_on: r.end_on,
            status: r.status.clone(),
            status_label: InspectionStatus::parse(&r.status)
                .map_or("", InspectionStatus::label)
                .into(),
            conclusion_number: r.conclusion_number.clone(),
            conclusion_date: r.conclusion_date,
            directive_id: r.directive_id,
        }
    }
}

/// One inspection with its team and findings (and, for each, its task).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InspectionDetail {
    #[serde(flatten)]
    pub inspection: InspectionOut,
    pub conclusion_text: Option<String>,
    pub members: Vec<MemberOut>,
    pub findings: Vec<FindingOut>,
    /// Findings needing remediation remediated on time and verified, in percent.
    pub remediated_on_time_percent: Option<f64>,
}

fn remediation_of(f: &FindingRow, today: NaiveDate) -> Remediation {
    Remediation::of(
        f.remediation,
        f.deadline,
        f.task_submitted_on,
        f.task_verified.unwrap_or(false),
        today,
    )
}

fn finding_out(f: &FindingRow, today: NaiveDate) -> FindingOut {
    FindingOut {
        id: f.id,
        seq: f.seq,
        kind: f.kind.clone(),
        kind_label: label_of(&FINDING_KINDS, &f.kind).unwrap_or("").into(),
        content: f.content.clone(),
        responsible_agency_id: f.responsible_agency_id,
        responsible_agency_name: f.responsible_agency_name.clone(),
        responsible_person: f.responsible_person.clone(),
        remediation: f.remediation,
        deadline: f.deadline,
        task_id: f.task_id,
        remediation_status: remediation_of(f, today).label().into(),
    }
}

fn member_out(m: MemberRow) -> MemberOut {
    MemberOut {
        role_label: label_of(&MEMBER_ROLES, &m.role).unwrap_or("").into(),
        user_id: m.user_id,
        name: m.name,
        role: m.role,
    }
}

/// The inspection if the principal may see it (404 otherwise).
pub async fn visible(state: &App, p: &Principal, id: i64) -> Result<InspectionRow, ServiceError> {
    let r = store::inspection::get(&state.db, id).await?;
    if can_inspect(p) || store::inspection::is_member(&state.db, id, p.user_id).await? {
        return Ok(r);
    }
    let public = InspectionStatus::parse(&r.status).is_some_and(InspectionStatus::public_to_unit);
    if public && r.target_path.starts_with(p.agency_path.as_str()) {
        return Ok(r);
    }
    Err(ServiceError::NotFound)
}

/// Whether the principal works on the file (the inspecting side or the team).
async fn works_on(state: &App, p: &Principal, id: i64) -> Result<bool, ServiceError> {
    Ok(can_inspect(p) || store::inspection::is_member(&state.db, id, p.user_id).await?)
}

async fn agency_of(
    state: &App,
    key: &str,
    field: &str,
) -> Result<store::agency::Agency, ServiceError> {
    let key = key.trim();
    let found = match key.parse::<i64>() {
        Ok(id) => store::agency::get(&state.db, id).await,
        Err(_) => store::agency::get_by_code(&state.db, key).await,
    };
    match found {
        Ok(a) if a.active => Ok(a),
        Ok(_) | Err(store::StoreError::NotFound) => Err(ServiceError::invalid(
            field,
            format!("Không có cơ quan, đơn vị đang hoạt động với mã «{key}»."),
        )),
        Err(e) => Err(e.into()),
    }
}

/// Records an inspection (the inspecting side only).
pub async fn create(
    state: &App,
    caller: &Caller,
    b: &InspectionInput,
) -> Result<InspectionDetail, ServiceError> {
    let p = &caller.principal;
    if !can_inspect(p) {
        return Err(ServiceError::Forbidden(
            "Chỉ Sở Nội vụ, Văn phòng UBND tỉnh và lãnh đạo tỉnh lập cuộc kiểm tra.".into(),
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
        Ok(a) => Some(a),
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
            plan_id: None,
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
    .await?;
    detail(state, p, id).await
}

/// Records a finding while the inspection is under way (the inspecting side, the team).
pub async fn add_finding(
    state: &App,
    caller: &Caller,
    id: i64,
    b: &FindingInput,
) -> Result<InspectionDetail, ServiceError> {
    let p = &caller.principal;
    let r = visible(state, p, id).await?;
    if !works_on(state, p, id).await? {
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
    if !can_inspect(p) {
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
    if !can_inspect(p) {
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

/// One inspection with its team, findings and their remediation.
pub async fn detail(state: &App, p: &Principal, id: i64) -> Result<InspectionDetail, ServiceError> {
    let r = visible(state, p, id).await?;
    let today = domain::time::today();
    let findings = store::inspection::findings(&state.db, id).await?;
    let states: Vec<Remediation> = findings.iter().map(|f| remediation_of(f, today)).collect();
    Ok(InspectionDetail {
        inspection: InspectionOut::from(&r),
        conclusion_text: r.conclusion_text.clone(),
        members: store::inspection::members(&state.db, id)
            .await?
            .into_iter()
            .map(member_out)
            .collect(),
        findings: findings.iter().map(|f| finding_out(f, today)).collect(),
        // Only once the conclusion has given the findings their tasks.
        remediated_on_time_percent: InspectionStatus::parse(&r.status)
            .filter(|s| s.public_to_unit())
            .and_then(|_| domain::inspection::remediated_on_time_percent(&states)),
    })
}

/// The inspections the principal may see: all for the inspecting side; else those of the
/// team they are in and the concluded ones of their unit's subtree.
pub async fn list(
    state: &App,
    p: &Principal,
    year: Option<i32>,
    target: Option<&str>,
    status: Option<&str>,
    page: Page,
) -> Result<(Vec<InspectionOut>, i64), ServiceError> {
    let target_agency_id = match target.map(str::trim).filter(|s| !s.is_empty()) {
        Some(k) => Some(agency_of(state, k, "unit").await?.id),
        None => None,
    };
    if let Some(s) = status.filter(|s| !s.is_empty())
        && InspectionStatus::parse(s).is_none()
    {
        return Err(ServiceError::bad(
            "Trạng thái là du_kien, dang_kiem_tra, da_ket_luan hoặc da_dong.",
        ));
    }
    let f = InspectionFilter {
        all: can_inspect(p),
        member: Some(p.user_id),
        unit_prefix: Some(p.agency_path.clone()),
        year,
        target_agency_id,
        status: status.filter(|s| !s.is_empty()).map(str::to_string),
    };
    let (rows, total) = store::inspection::list(&state.db, &f, page).await?;
    Ok((rows.iter().map(InspectionOut::from).collect(), total))
}

/// A draft of the conclusion notice from the findings, for the team to edit before issue:
/// the inspection's basis, what was done well, the shortcomings with who is responsible,
/// and what must be remediated by when.
pub fn draft_conclusion(d: &InspectionDetail) -> String {
    let i = &d.inspection;
    let date = |x: NaiveDate| x.format("%d/%m/%Y").to_string();
    let mut out = format!(
        "Thực hiện Quyết định số {} ngày {}, Đoàn kiểm tra đã kiểm tra công tác cải cách hành chính tại {}",
        i.decision_number,
        date(i.decision_date),
        i.target_name
    );
    if let (Some(s), Some(e)) = (i.start_on, i.end_on) {
        out.push_str(&format!(" từ ngày {} đến ngày {}", date(s), date(e)));
    }
    out.push_str(". Đoàn kiểm tra kết luận như sau:\n\nI. Ưu điểm\n");
    let good: Vec<&FindingOut> = d.findings.iter().filter(|f| !f.remediation).collect();
    if good.is_empty() {
        out.push_str("- (Đoàn kiểm tra ghi nhận)\n");
    }
    for f in good {
        out.push_str(&format!("- {}\n", f.content));
    }
    out.push_str("\nII. Tồn tại, hạn chế\n");
    let bad: Vec<&FindingOut> = d.findings.iter().filter(|f| f.remediation).collect();
    if bad.is_empty() {
        out.push_str("- Không có.\n");
    }
    for (n, f) in bad.iter().enumerate() {
        let who = match &f.responsible_person {
            Some(p) => format!("{}, {p}", f.responsible_agency_name),
            None => f.responsible_agency_name.clone(),
        };
        out.push_str(&format!("{}. {} (trách nhiệm: {who}).\n", n + 1, f.content));
    }
    out.push_str("\nIII. Yêu cầu khắc phục\n");
    for (n, f) in bad.iter().enumerate() {
        out.push_str(&format!(
            "{}. {} khắc phục: {}; hoàn thành trước ngày {} và báo cáo kết quả về cơ quan chủ trì kiểm tra.\n",
            n + 1,
            f.responsible_agency_name,
            f.content,
            f.deadline.map(date).unwrap_or_default()
        ));
    }
    out
}
