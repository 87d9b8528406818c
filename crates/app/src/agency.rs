//! Cơ quan, đơn vị — the agency tree: validation, access (the caller's subtree), and the
//! writes, with a taken code reported on the code field.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use domain::org::{AgencyCode, AgencyKind, Principal};
use domain::text::fold_vi;
use domain::validate::{Checker, FieldError};
use serde::{Deserialize, Serialize};
use store::Page;
use store::agency::{Agency, AgencyFilter, AgencyInput};
use store::user::{User, UserFilter};

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

/// Agencies inside the principal's scope matching `f` (whatever scope `f` names is
/// replaced by the principal's), with the total.
pub async fn list(
    state: &App,
    p: &Principal,
    f: AgencyFilter,
    page: Page,
) -> Result<(Vec<Agency>, i64), ServiceError> {
    let f = AgencyFilter {
        scope_prefix: p.scope().prefix().map(str::to_string),
        ..f
    };
    Ok(store::agency::list(state.read_db(), &f, page).await?)
}

/// The units offered in a unit picker (reports, indicators, the overdue list): the first
/// 500 agencies of the principal's scope, as (code, name).
pub async fn choices(state: &App, p: &Principal) -> Result<Vec<(String, String)>, ServiceError> {
    let (agencies, _) = list(
        state,
        p,
        AgencyFilter::default(),
        Page::new(Some(500), None),
    )
    .await?;
    Ok(agencies.into_iter().map(|a| (a.code, a.name)).collect())
}

/// Every agency of the registry, past and present, active or not: the parents offered by
/// the agency form, the implementing agencies of the procedure form and the agencies the
/// directive import matches names against.
pub async fn all(state: &App) -> Result<Vec<Agency>, ServiceError> {
    let (all, _) = store::agency::list(&state.db, &AgencyFilter::default(), Page::all()).await?;
    Ok(all)
}

fn kind_rank(kind: &str) -> usize {
    AgencyKind::ALL
        .iter()
        .position(|k| k.code() == kind)
        .unwrap_or(99)
}

/// Orders agencies as a tree: parents before children, siblings by kind then name; each
/// with its depth in the view.
pub fn tree_order(agencies: Vec<Agency>) -> Vec<(Agency, usize)> {
    let ids: HashSet<i64> = agencies.iter().map(|a| a.id).collect();
    let mut children: HashMap<Option<i64>, Vec<Agency>> = HashMap::new();
    for a in agencies {
        // Agencies whose parent is outside the visible set become roots of the view.
        let key = a.parent_id.filter(|p| ids.contains(p));
        children.entry(key).or_default().push(a);
    }
    for list in children.values_mut() {
        list.sort_by_cached_key(|a| (kind_rank(&a.kind), a.valid_to.is_some(), fold_vi(&a.name)));
    }
    let mut out = Vec::new();
    let mut stack: Vec<(Agency, usize)> = children
        .remove(&None)
        .unwrap_or_default()
        .into_iter()
        .rev()
        .map(|a| (a, 0))
        .collect();
    while let Some((a, depth)) = stack.pop() {
        if let Some(kids) = children.remove(&Some(a.id)) {
            for k in kids.into_iter().rev() {
                stack.push((k, depth + 1));
            }
        }
        out.push((a, depth));
    }
    out
}

/// Everything an agency's page shows.
pub struct AgencyView {
    pub agency: Agency,
    /// Its ancestors inside the caller's scope, root first.
    pub ancestors: Vec<Agency>,
    /// Its direct children, as a tree orders siblings.
    pub children: Vec<Agency>,
    /// The agency it was merged into, if any.
    pub merged_into: Option<Agency>,
    /// The agencies merged into it.
    pub predecessors: Vec<Agency>,
    /// Its accounts (the first 200).
    pub users: Vec<User>,
}

/// One agency the principal may see (404 outside the scope) with its place in the tree,
/// its history of mergers and its accounts.
pub async fn view(state: &App, p: &Principal, id: i64) -> Result<AgencyView, ServiceError> {
    let a = visible(state, p, id).await?;
    let scope = p.scope();
    let ancestors = store::agency::ancestors(&state.db, &a)
        .await?
        .into_iter()
        .filter(|x| scope.contains(&x.path))
        .collect();
    let (kids, _) = store::agency::list(
        &state.db,
        &AgencyFilter {
            parent_id: Some(a.id),
            ..Default::default()
        },
        Page::all(),
    )
    .await?;
    let children = tree_order(kids).into_iter().map(|(c, _)| c).collect();
    let merged_into = match a.merged_into_id {
        Some(m) => store::agency::get(&state.db, m).await.ok(),
        None => None,
    };
    let predecessors = all(state)
        .await?
        .into_iter()
        .filter(|x| x.merged_into_id == Some(a.id))
        .collect();
    let (users, _) = store::user::list(
        &state.db,
        &UserFilter {
            agency_id: Some(a.id),
            ..Default::default()
        },
        Page::new(Some(200), None),
    )
    .await?;
    Ok(AgencyView {
        agency: a,
        ancestors,
        children,
        merged_into,
        predecessors,
        users,
    })
}

/// The communes and wards in force on `day` (id, name, by name): the competent agencies a
/// desk may receive a commune procedure for (NĐ 118/2025 Điều 14 khoản 2, Điều 20).
pub async fn communes(
    state: &App,
    day: chrono::NaiveDate,
) -> Result<Vec<(i64, String)>, ServiceError> {
    let (all, _) = store::agency::list(
        &state.db,
        &AgencyFilter {
            active: Some(true),
            on_date: Some(day),
            ..Default::default()
        },
        Page::all(),
    )
    .await?;
    let mut out: Vec<(i64, String)> = all
        .into_iter()
        .filter(|a| a.kind == "ubnd_xa")
        .map(|a| (a.id, a.name))
        .collect();
    out.sort_by_key(|(_, n)| domain::text::fold_vi(n));
    Ok(out)
}
