//! Thủ tục hành chính — the catalog's rules of access (reading is public, writing is for
//! catalog managers), the fields a procedure is written with and their validation, the
//! shapes the API shows, and the writes: a procedure (a taken code is a `Duplicate` on
//! `code`) and its internal process (quy trình nội bộ).

pub mod import;
pub mod read;
pub mod workbook;

pub use import::*;
pub use read::*;

use domain::calendar::OfficeHours;
use domain::dossier::{IntakePolicy, WorkingLimit};
use domain::org::{Principal, Role};
use domain::procedure::codes::{level_label, online_label};
use domain::procedure::process::{budget_minutes, default_online_minutes, format_working};
use domain::procedure::{OnlineLevel, ProcedureCode, ProcedureLevel, parse_time_limit};
use domain::validate::{Checker, FieldError};
use serde::{Deserialize, Serialize};
use store::procedure::{Procedure, ProcedureInput, Step};

use crate::{App, Caller, ServiceError};

/// Văn phòng UBND – KSTT and administrators manage the catalog; everyone else reads it
/// (product.md, roles).
pub fn can_manage(p: &Principal) -> bool {
    p.is_admin() || p.has(Role::VanPhongKstt)
}

pub fn ensure_manager(p: &Principal) -> Result<(), ServiceError> {
    if can_manage(p) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(
            "Chỉ Văn phòng UBND tỉnh (Kiểm soát TTHC) và quản trị hệ thống được sửa danh mục thủ tục hành chính."
                .into(),
        ))
    }
}

/// The intake policy's office hours and online reduction (CV 6486/UBND-KSTT item 1).
pub fn policy() -> IntakePolicy {
    IntakePolicy::default()
}

pub fn per_day(hours: &OfficeHours) -> i64 {
    hours.minutes_per_day()
}

/// The editable fields as text, from a form or from JSON.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct ProcedureFields {
    /// Mã TTHC (1.001234 or 1.000948.H38).
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    /// Lĩnh vực.
    #[serde(default)]
    pub field: String,
    /// tinh | huyen | xa | lien_thong.
    #[serde(default)]
    pub level: String,
    /// Cơ quan thực hiện as published.
    #[serde(default)]
    pub agency_text: String,
    /// Registry agency id (optional).
    #[serde(default)]
    pub agency_id: Option<String>,
    /// Thời hạn giải quyết as published ("05 ngày làm việc", "08 giờ", "trong ngày").
    #[serde(default)]
    pub limit_text: String,
    #[serde(default)]
    pub fee_text: String,
    /// toan_trinh | mot_phan | khong.
    #[serde(default)]
    pub online_level: String,
    #[serde(default)]
    pub internal: Option<String>,
    #[serde(default)]
    pub result_type: String,
    /// Thành phần hồ sơ, one per line.
    #[serde(default)]
    pub documents: String,
    #[serde(default)]
    pub legal_basis: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub active: Option<String>,
}

pub fn truthy(v: &Option<String>, default: bool) -> bool {
    match v.as_deref().map(str::trim) {
        None | Some("") => default,
        Some(s) => matches!(s, "1" | "true" | "on" | "co" | "có"),
    }
}

impl ProcedureFields {
    pub fn from_procedure(p: &Procedure) -> ProcedureFields {
        ProcedureFields {
            code: p.code.clone(),
            name: p.name.clone(),
            field: p.field.clone(),
            level: p.level.clone(),
            agency_text: p.agency_text.clone(),
            agency_id: p.agency_id.map(|i| i.to_string()),
            limit_text: p.limit_text.clone(),
            fee_text: p.fee_text.clone(),
            online_level: p.online_level.clone(),
            internal: Some(p.internal.to_string()),
            result_type: p.result_type.clone().unwrap_or_default(),
            documents: p.documents.clone(),
            legal_basis: p.legal_basis.clone(),
            source: p.source.clone(),
            active: Some(p.active.to_string()),
        }
    }

    /// Validates into a [`ProcedureInput`]; every problem is reported at once.
    pub fn check(&self) -> Result<ProcedureInput, Vec<FieldError>> {
        let mut c = Checker::new();
        let name = c.required("name", "Tên thủ tục", &self.name, 1000);
        let level = ProcedureLevel::from_code(&self.level);
        if level.is_none() {
            c.fail(
                "level",
                "Cấp thực hiện không hợp lệ (tỉnh, huyện, xã hoặc liên thông).",
            );
        }
        let code = if self.code.trim().is_empty() {
            level.map(|l| domain::procedure::codes::provisional_code(&name, l))
        } else {
            match ProcedureCode::parse(&self.code) {
                Ok(code) => Some(code.as_str().to_string()),
                Err(e) => {
                    c.fail("code", e.to_string());
                    None
                }
            }
        };
        let field = c.required("field", "Lĩnh vực", &self.field, 255);
        let agency_text = c.required("agency_text", "Cơ quan thực hiện", &self.agency_text, 1000);
        let limit_text = c.required("limit_text", "Thời hạn giải quyết", &self.limit_text, 1000);
        let limit = if limit_text.is_empty() {
            None
        } else {
            match parse_time_limit(&limit_text) {
                Ok(l) => Some(l),
                Err(m) => {
                    c.fail("limit_text", m);
                    None
                }
            }
        };
        let online = OnlineLevel::from_code(&self.online_level);
        if online.is_none() {
            c.fail(
                "online_level",
                "Mức độ trực tuyến không hợp lệ (toàn trình, một phần hoặc không).",
            );
        }
        let agency_id = match self.agency_id.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => match s.parse::<i64>() {
                Ok(id) if id > 0 => Some(id),
                _ => {
                    c.fail("agency_id", "Cơ quan trong danh mục không hợp lệ.");
                    None
                }
            },
        };
        let fee_text = c
            .optional("fee_text", "Phí, lệ phí", Some(&self.fee_text), 2000)
            .unwrap_or_default();
        let result_type = c.optional("result_type", "Kết quả", Some(&self.result_type), 1000);
        let documents = c
            .optional(
                "documents",
                "Thành phần hồ sơ",
                Some(&self.documents),
                10_000,
            )
            .unwrap_or_default();
        let legal_basis = c
            .optional(
                "legal_basis",
                "Căn cứ pháp lý",
                Some(&self.legal_basis),
                4000,
            )
            .unwrap_or_default();
        let source = c
            .optional("source", "Nguồn", Some(&self.source), 2000)
            .unwrap_or_default();
        match (c.is_ok(), code, level, limit, online) {
            (true, Some(code), Some(level), Some(limit), Some(online)) => Ok(ProcedureInput {
                code,
                name,
                field,
                level: level.code().to_string(),
                agency_text,
                agency_id,
                limit_text,
                limit: limit.working(),
                fee_text,
                online_level: online.code().to_string(),
                internal: truthy(&self.internal, false),
                result_type,
                source,
                documents,
                legal_basis,
                active: truthy(&self.active, true),
            }),
            _ => Err(c.errors),
        }
    }
}

/// One published document of a procedure (thành phần hồ sơ).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DocumentOut {
    /// Its number in the list: what `POST /api/v1/dossiers` `documents` refers to.
    pub seq: u32,
    /// The case (trường hợp) it belongs to, when the list has several.
    pub case: Option<String>,
    pub name: String,
    /// "1 bản chính", "1 bản sao"… as published.
    pub copies: String,
    /// Asked for only in some situations: not required for the dossier to be complete.
    pub conditional: bool,
    /// Its case is one of several ways to file: the applicant files one of them.
    pub alternative: bool,
}

impl From<domain::procedure::documents::RequiredDocument> for DocumentOut {
    fn from(d: domain::procedure::documents::RequiredDocument) -> Self {
        DocumentOut {
            seq: d.seq,
            case: d.case,
            name: d.name,
            copies: d.copies,
            conditional: d.conditional,
            alternative: d.alternative,
        }
    }
}

/// A procedure as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProcedureOut {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub field: String,
    pub level: String,
    pub level_label: String,
    pub agency_text: String,
    pub agency_id: Option<i64>,
    pub limit_text: String,
    /// "days" | "hours" when the limit is working time.
    pub limit_unit: Option<String>,
    pub limit_amount: Option<i32>,
    /// The legal limit in working minutes (office day of 8 hours).
    pub limit_minutes: Option<i64>,
    /// The target for online dossiers in working minutes: the stored one, or the default
    /// 20% shorter (CV 6486/UBND-KSTT item 1).
    pub online_target_minutes: Option<i64>,
    pub online_limit_minutes: Option<i32>,
    pub fee_text: String,
    pub online_level: String,
    pub online_level_label: String,
    pub internal: bool,
    pub result_type: Option<String>,
    /// The stored lines of the documents list, as entered.
    pub documents: Vec<String>,
    /// The documents list read (`domain::procedure::documents`): the desk's checklist.
    pub required_documents: Vec<DocumentOut>,
    pub legal_basis: String,
    pub source: String,
    pub active: bool,
}

/// Legal minutes and the online target of a procedure.
pub fn minutes_of(p: &Procedure) -> (Option<i64>, Option<i64>) {
    let pol = policy();
    let legal = p
        .limit()
        .map(|l: WorkingLimit| budget_minutes(l, &pol.hours));
    let online = p
        .online_limit_minutes
        .map(i64::from)
        .or_else(|| legal.map(|m| default_online_minutes(m, pol.online_reduction_percent)));
    (legal, online)
}

impl From<&Procedure> for ProcedureOut {
    fn from(p: &Procedure) -> Self {
        let (legal, online) = minutes_of(p);
        ProcedureOut {
            id: p.id,
            code: p.code.clone(),
            name: p.name.clone(),
            field: p.field.clone(),
            level: p.level.clone(),
            level_label: level_label(&p.level),
            agency_text: p.agency_text.clone(),
            agency_id: p.agency_id,
            limit_text: p.limit_text.clone(),
            limit_unit: p.limit_unit.clone(),
            limit_amount: p.limit_amount,
            limit_minutes: legal,
            online_target_minutes: online,
            online_limit_minutes: p.online_limit_minutes,
            fee_text: p.fee_text.clone(),
            online_level: p.online_level.clone(),
            online_level_label: online_label(&p.online_level),
            internal: p.internal,
            result_type: p.result_type.clone(),
            documents: p
                .documents
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect(),
            required_documents: domain::procedure::documents::parse(&p.documents)
                .into_iter()
                .map(DocumentOut::from)
                .collect(),
            legal_basis: p.legal_basis.clone(),
            source: p.source.clone(),
            active: p.active,
        }
    }
}

/// A step as shown.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StepOut {
    pub seq: i32,
    pub name: String,
    pub role: String,
    pub role_label: String,
    pub agency_id: Option<i64>,
    pub minutes: i32,
    pub duration: String,
}

impl From<&Step> for StepOut {
    fn from(s: &Step) -> Self {
        StepOut {
            seq: s.seq,
            name: s.name.clone(),
            role: s.role.clone(),
            role_label: domain::procedure::process::role_label(&s.role).to_string(),
            agency_id: s.agency_id,
            minutes: s.minutes,
            duration: format_working(i64::from(s.minutes), per_day(&policy().hours)),
        }
    }
}

/// Loads a procedure by numeric id or by code (public pages use codes).
pub async fn find(db: &store::Db, key: &str) -> Result<Procedure, ServiceError> {
    let p = match key.parse::<i64>() {
        Ok(id) if id > 0 => store::procedure::get(db, id).await,
        _ => store::procedure::get_by_code(db, key).await,
    };
    Ok(p?)
}

/// The unique constraint of the catalog and the field it blames.
const UNIQUE: &[(&str, &str, &str)] = &[("code", "code", "Mã thủ tục này đã có trong danh mục.")];

/// Adds a procedure (catalog managers).
pub async fn create(
    state: &App,
    caller: &Caller,
    input: &ProcedureInput,
) -> Result<Procedure, ServiceError> {
    ensure_manager(&caller.principal)?;
    store::procedure::create(&state.db, input, &caller.actor())
        .await
        .map_err(ServiceError::duplicate_of(UNIQUE))
}

/// Replaces a procedure's fields (catalog managers).
pub async fn update(
    state: &App,
    caller: &Caller,
    id: i64,
    input: &ProcedureInput,
) -> Result<Procedure, ServiceError> {
    ensure_manager(&caller.principal)?;
    store::procedure::update(&state.db, id, input, &caller.actor())
        .await
        .map_err(ServiceError::duplicate_of(UNIQUE))
}

/// Validates and saves an internal process (quy trình nội bộ): Σ step minutes within the
/// legal limit, every named agency known (catalog managers).
pub async fn save_steps(
    state: &App,
    user: &Caller,
    key: &str,
    drafts: Vec<domain::procedure::process::StepDraft>,
    online: Option<i64>,
) -> Result<Vec<store::procedure::Step>, ServiceError> {
    ensure_manager(&user.principal)?;
    let p = find(&state.db, key).await?;
    let (legal, _) = minutes_of(&p);
    domain::procedure::process::check_process(&drafts, legal, online, per_day(&policy().hours))
        .map_err(ServiceError::Invalid)?;
    for (i, d) in drafts.iter().enumerate() {
        if let Some(a) = d.agency_id
            && store::agency::get(&state.db, a).await.is_err()
        {
            return Err(ServiceError::Invalid(vec![FieldError {
                field: format!("steps[{i}].agency_id"),
                message: format!("Bước {}: cơ quan không tồn tại.", i + 1),
            }]));
        }
    }
    Ok(store::procedure::set_steps(&state.db, p.id, &drafts, online, &user.actor()).await?)
}

/// Records a publication decision (công bố, sửa đổi, bãi bỏ) on a procedure (catalog
/// managers).
pub async fn add_version(
    state: &App,
    caller: &Caller,
    id: i64,
    input: &store::procedure::VersionInput,
) -> Result<store::procedure::Version, ServiceError> {
    ensure_manager(&caller.principal)?;
    Ok(store::procedure::add_version(&state.db, id, input, &caller.actor()).await?)
}

/// Saves a compliance-cost sheet of one phase (catalog managers).
pub async fn save_cost(
    state: &App,
    caller: &Caller,
    id: i64,
    phase: &str,
    cost: &domain::procedure::ProcedureCost,
    note: &str,
) -> Result<(), ServiceError> {
    ensure_manager(&caller.principal)?;
    Ok(store::procedure::save_cost(&state.db, id, phase, cost, note, &caller.actor()).await?)
}
