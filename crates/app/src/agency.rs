//! Cơ quan, đơn vị — the agency tree: validation, access (the caller's subtree), and the
//! writes, with a taken code reported on the code field.

use chrono::NaiveDate;
use domain::org::{AgencyCode, AgencyKind, Principal};
use domain::validate::{Checker, FieldError};
use serde::{Deserialize, Serialize};
use store::agency::{Agency, AgencyInput};

use crate::{App, Caller, ServiceError};

/// The editable fields as text, whether they come from a form or from JSON.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct AgencyFields {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub parent_id: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub short_name: String,
    #[serde(default)]
    pub valid_from: String,
    #[serde(default)]
    pub valid_to: String,
    #[serde(default)]
    pub merged_into_id: String,
    #[serde(default)]
    pub legal_basis: String,
}

impl AgencyFields {
    pub fn from_agency(a: &Agency) -> AgencyFields {
        AgencyFields {
            code: a.code.clone(),
            parent_id: a.parent_id.map(|p| p.to_string()).unwrap_or_default(),
            kind: a.kind.clone(),
            name: a.name.clone(),
            short_name: a.short_name.clone(),
            valid_from: a.valid_from.format("%d/%m/%Y").to_string(),
            valid_to: a
                .valid_to
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_default(),
            merged_into_id: a.merged_into_id.map(|p| p.to_string()).unwrap_or_default(),
            legal_basis: a.legal_basis.clone().unwrap_or_default(),
        }
    }
}

fn opt_id(c: &mut Checker, field: &str, label: &str, v: &str) -> Option<i64> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<i64>() {
        Ok(id) if id > 0 => Some(id),
        _ => {
            c.fail(field, format!("{label} không hợp lệ."));
            None
        }
    }
}

/// Validates the fields into an [`AgencyInput`]; every problem is reported at once.
pub fn check(f: &AgencyFields, is_root: bool) -> Result<AgencyInput, Vec<FieldError>> {
    let mut c = Checker::new();
    let code = match AgencyCode::parse(&f.code) {
        Ok(code) => code.as_str().to_string(),
        Err(m) => {
            c.fail("code", m);
            String::new()
        }
    };
    let kind = AgencyKind::parse(f.kind.trim());
    if kind.is_none() {
        c.fail("kind", "Loại cơ quan không hợp lệ.");
    }
    let parent_id = opt_id(&mut c, "parent_id", "Cơ quan cấp trên", &f.parent_id);
    if parent_id.is_none() && !is_root && f.parent_id.trim().is_empty() {
        c.fail("parent_id", "Phải chọn cơ quan cấp trên.");
    }
    let name = c.required("name", "Tên cơ quan", &f.name, 255);
    let short_name = c.optional("short_name", "Tên viết tắt", Some(&f.short_name), 120);
    let valid_from = if f.valid_from.trim().is_empty() {
        c.fail("valid_from", "Ngày bắt đầu hoạt động không được để trống.");
        None
    } else {
        c.date("valid_from", "Ngày bắt đầu hoạt động", &f.valid_from)
    };
    let valid_to = c.date("valid_to", "Ngày kết thúc hoạt động", &f.valid_to);
    if let (Some(a), Some(b)) = (valid_from, valid_to)
        && b < a
    {
        c.fail("valid_to", "Ngày kết thúc phải sau ngày bắt đầu.");
    }
    let merged_into_id = opt_id(
        &mut c,
        "merged_into_id",
        "Cơ quan sáp nhập vào",
        &f.merged_into_id,
    );
    let legal_basis = c.optional("legal_basis", "Căn cứ pháp lý", Some(&f.legal_basis), 500);
    match (c.is_ok(), kind, valid_from) {
        (true, Some(kind), Some(valid_from)) => Ok(AgencyInput {
            short_name: short_name.unwrap_or_else(|| name.clone()),
            code,
            parent_id,
            kind,
            name,
            valid_from,
            valid_to,
            merged_into_id,
            legal_basis,
        }),
        _ => Err(c.errors),
    }
}

/// An agency as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AgencyOut {
    pub id: i64,
    pub code: String,
    pub parent_id: Option<i64>,
    pub depth: i32,
    pub kind: String,
    pub kind_label: String,
    pub name: String,
    pub short_name: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub merged_into_id: Option<i64>,
    pub legal_basis: Option<String>,
    pub active: bool,
}

impl From<&Agency> for AgencyOut {
    fn from(a: &Agency) -> Self {
        AgencyOut {
            id: a.id,
            code: a.code.clone(),
            parent_id: a.parent_id,
            depth: a.depth,
            kind: a.kind.clone(),
            kind_label: a.kind_label().to_string(),
            name: a.name.clone(),
            short_name: a.short_name.clone(),
            valid_from: a.valid_from,
            valid_to: a.valid_to,
            merged_into_id: a.merged_into_id,
            legal_basis: a.legal_basis.clone(),
            active: a.active,
        }
    }
}

/// Loads an agency the principal may see; outside the scope it does not exist for them.
pub async fn visible(state: &App, p: &Principal, id: i64) -> Result<Agency, ServiceError> {
    let a = store::agency::get(&state.db, id).await?;
    if !p.scope().contains(&a.path) {
        return Err(ServiceError::NotFound);
    }
    Ok(a)
}

/// Checks that referenced agencies (parent, merged into) are visible to the principal.
pub async fn check_refs(
    state: &App,
    p: &Principal,
    input: &AgencyInput,
) -> Result<(), ServiceError> {
    for (id, label) in [
        (input.parent_id, "Cơ quan cấp trên"),
        (input.merged_into_id, "Cơ quan sáp nhập vào"),
    ] {
        if let Some(id) = id {
            match visible(state, p, id).await {
                Ok(_) => {}
                Err(ServiceError::NotFound) => {
                    return Err(ServiceError::Invalid(vec![FieldError {
                        field: if label.starts_with("Cơ quan cấp") {
                            "parent_id".into()
                        } else {
                            "merged_into_id".into()
                        },
                        message: format!("{label} không tồn tại."),
                    }]));
                }
                Err(e) => return Err(e),
            }
        }
    }
    Ok(())
}

/// The unique constraints of `agency` and the field each one blames.
const UNIQUE: &[(&str, &str, &str)] = &[("code", "code", "Mã cơ quan này đã được dùng.")];

/// Creates an agency (administrators): the references must be visible; a taken code is
/// a `Duplicate` on `code`.
pub async fn create(
    state: &App,
    caller: &Caller,
    input: &AgencyInput,
) -> Result<Agency, ServiceError> {
    if !caller.principal.can_manage_agencies() {
        return Err(ServiceError::forbidden());
    }
    check_refs(state, &caller.principal, input).await?;
    store::agency::create(&state.db, input, &caller.actor())
        .await
        .map_err(ServiceError::duplicate_of(UNIQUE))
}

/// Replaces an agency's fields (administrators); moving it re-parents its subtree.
pub async fn update(
    state: &App,
    caller: &Caller,
    id: i64,
    input: &AgencyInput,
) -> Result<Agency, ServiceError> {
    if !caller.principal.can_manage_agencies() {
        return Err(ServiceError::forbidden());
    }
    check_refs(state, &caller.principal, input).await?;
    store::agency::update(&state.db, id, input, &caller.actor())
        .await
        .map_err(ServiceError::duplicate_of(UNIQUE))
}

/// Deactivates or reactivates an agency (administrators). Agencies are never deleted; the
/// province's people's committee (the root of the tree) is never deactivated.
pub async fn set_active(
    state: &App,
    caller: &Caller,
    id: i64,
    active: bool,
) -> Result<Agency, ServiceError> {
    let current = visible(state, &caller.principal, id).await?;
    if !caller.principal.can_manage_agencies() {
        return Err(ServiceError::forbidden());
    }
    if current.parent_id.is_none() && !active {
        return Err(ServiceError::bad(
            "Không thể ngừng hoạt động UBND tỉnh (gốc của cây cơ quan).",
        ));
    }
    let a = store::agency::set_active(&state.db, current.id, active, &caller.actor()).await?;
    state.agencies.clear();
    Ok(a)
}
