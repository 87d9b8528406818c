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
use serde::{Deserialize, Serialize};
use store::Page;
use store::inspection::{FindingRow, InspectionFilter, InspectionRow, MemberRow};

use crate::{App, Caller, ServiceError};

mod brief;
mod notice;
mod plan;
mod stats;
mod write;
pub use brief::{Brief, IndicatorLine, ParBrief, ParLine, brief};
pub use notice::notice;
pub use plan::{
    PlanInput, PlanItemInput, PlanItemOut, PlanOut, StartInput, create_plan, plan, plans,
    start_item,
};
pub use stats::{InspectionStats, UnitStats, stats};
pub use write::{add_finding, add_finding_with_files, close, conclude, create};

/// Who may record inspections: the province's inspecting side (Sở Nội vụ, VP UBND –
/// KSTT, the province's leaders, admins) and the heads of units, for the units below
/// their own (`domain::inspection::may_inspect`).
pub fn can_inspect(p: &Principal) -> bool {
    domain::inspection::inspects_province(p) || p.has(Role::LanhDaoDonVi)
}

/// Whether the principal leads the file of `r` (`domain::inspection::leads`).
pub fn leads(p: &Principal, r: &InspectionRow) -> bool {
    domain::inspection::leads(p, r.lead_path.as_deref())
}

/// A team member as sent: a user of the registry or an outside person, and a role.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct MemberInput {
    pub user_id: Option<i64>,
    pub name: Option<String>,
    /// truong_doan, pho_truong_doan, thanh_vien, thu_ky
    pub role: String,
}

/// The team as typed on a page: the head on one field, the others one a line. A login
/// name ("chuyenvien.snv") stands for that user, who then works on the file; anything else
/// is the name of a person outside the registry.
pub fn members_from_text(head: &str, others: &str) -> Vec<MemberInput> {
    let person = |name: &str, role: &str| MemberInput {
        user_id: None,
        name: Some(name.trim().to_string()),
        role: role.into(),
    };
    let mut out = Vec::new();
    if !head.trim().is_empty() {
        out.push(person(head, "truong_doan"));
    }
    out.extend(
        others
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| person(l, "thanh_vien")),
    );
    out
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
    /// Its evidence files (download each at its `url`).
    pub files: Vec<crate::file::FileOut>,
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
    /// The body that leads it (cơ quan chủ trì).
    pub lead_agency_name: Option<String>,
    /// The yearly plan it carries out, if any.
    pub plan_id: Option<i64>,
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
            lead_agency_name: r.lead_agency_name.clone(),
            plan_id: r.plan_id,
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
    /// Whether the reader leads the file (concludes, closes) and works on it (records
    /// findings): for the pages, not sent.
    #[serde(skip)]
    pub leads: bool,
    #[serde(skip)]
    pub works_on: bool,
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
        files: Vec::new(),
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
    if leads(p, &r) || store::inspection::is_member(&state.db, id, p.user_id).await? {
        return Ok(r);
    }
    let public = InspectionStatus::parse(&r.status).is_some_and(InspectionStatus::public_to_unit);
    if public && r.target_path.starts_with(p.agency_path.as_str()) {
        return Ok(r);
    }
    Err(ServiceError::NotFound)
}

/// Whether the principal works on the file (the leading side or the team).
pub async fn works_on(state: &App, p: &Principal, r: &InspectionRow) -> Result<bool, ServiceError> {
    Ok(leads(p, r) || store::inspection::is_member(&state.db, r.id, p.user_id).await?)
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
        findings: {
            let ids: Vec<i64> = findings.iter().map(|f| f.id).collect();
            let mut files = store::file::list_many(&state.db, "inspection_finding", &ids).await?;
            findings
                .iter()
                .map(|f| {
                    let mut out = finding_out(f, today);
                    let (mine, rest) = files.drain(..).partition(|m| m.owner_id == f.id);
                    files = rest;
                    out.files = crate::file::FileList::of(mine).items;
                    out
                })
                .collect()
        },
        // Only once the conclusion has given the findings their tasks.
        remediated_on_time_percent: InspectionStatus::parse(&r.status)
            .filter(|s| s.public_to_unit())
            .and_then(|_| domain::inspection::remediated_on_time_percent(&states)),
        leads: leads(p, &r),
        works_on: works_on(state, p, &r).await?,
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
        all: domain::inspection::inspects_province(p),
        lead_prefix: p.has(Role::LanhDaoDonVi).then(|| p.agency_path.clone()),
        member: Some(p.user_id),
        unit_prefix: Some(p.agency_path.clone()),
        year,
        target_agency_id,
        status: status.filter(|s| !s.is_empty()).map(str::to_string),
    };
    let (rows, total) = store::inspection::list(state.read_db(), &f, page).await?;
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
