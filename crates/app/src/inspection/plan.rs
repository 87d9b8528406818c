//! Kế hoạch kiểm tra công tác CCHC hằng năm — the yearly plan as one document (the
//! decision that issues it, the units to inspect, the subjects and the month of each),
//! and carrying out one of its rows: the inspection's own decision, its team and dates
//! (574/KH-UBND II.1 and III.3; CV 6486 item 5 for the surprise ones, outside any plan).
//!
//! Who: the province's inspecting side issues the province's plan; a unit's head issues
//! the plan of the units below their own (`domain::inspection::may_inspect`). Every staff
//! user reads the plans — a plan is sent to the units it names so that they prepare — but
//! an inspection's working file stays with its team until the conclusion is issued.

use chrono::NaiveDate;
use domain::inspection::InspectionStatus;
use domain::org::Principal;
use domain::validate::Checker;
use serde::{Deserialize, Serialize};

use super::{InspectionDetail, InspectionInput, MemberInput, agency_of};
use crate::{App, Caller, ServiceError};

/// At most this many rows in one plan.
const MAX_ITEMS: usize = 200;

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct PlanItemInput {
    /// The unit to inspect: its code (STP) or id.
    pub target: String,
    /// What is inspected there.
    #[serde(default)]
    pub subjects: String,
    /// The planned month, 1–12.
    pub month: i32,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct PlanInput {
    pub year: i32,
    /// The decision that issues the plan, e.g. 15/QĐ-SNV.
    pub decision_number: String,
    /// dd/mm/yyyy or YYYY-MM-DD
    pub decision_date: String,
    /// e.g. "Kế hoạch kiểm tra công tác cải cách hành chính năm 2025".
    #[serde(default)]
    pub title: String,
    pub items: Vec<PlanItemInput>,
}

/// Carrying out a row of a plan: the inspection's own decision, dates and team.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct StartInput {
    pub decision_number: String,
    pub decision_date: String,
    pub start_on: Option<String>,
    pub end_on: Option<String>,
    /// The subjects, when they differ from the plan's.
    pub subjects: Option<String>,
    #[serde(default)]
    pub members: Vec<MemberInput>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlanItemOut {
    pub id: i64,
    pub seq: i32,
    pub target_code: String,
    pub target_name: String,
    pub subjects: String,
    pub month: i32,
    /// The inspection carrying this row out, once begun (shown to those who may see it).
    pub inspection_id: Option<i64>,
    /// du_kien until the inspection begins, then the inspection's status (or
    /// "da_trien_khai" for a reader who may not see its file yet).
    pub status: String,
    pub status_label: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlanOut {
    pub id: i64,
    pub year: i32,
    pub decision_number: String,
    pub decision_date: NaiveDate,
    pub title: String,
    pub lead_agency_name: Option<String>,
    pub items_total: i64,
    pub items_started: i64,
    pub items: Vec<PlanItemOut>,
    /// Whether the reader may carry out its rows (not sent).
    #[serde(skip)]
    pub leads: bool,
}

fn plan_out(r: store::inspection::PlanRow, items: Vec<PlanItemOut>, leads: bool) -> PlanOut {
    PlanOut {
        id: r.id,
        year: r.year,
        decision_number: r.decision_number,
        decision_date: r.decision_date,
        title: r.title,
        lead_agency_name: r.lead_agency_name,
        items_total: r.items,
        items_started: r.started,
        items,
        leads,
    }
}

/// Whether the reader leads a plan issued by the body with `lead_agency_id`.
async fn leads_plan(
    state: &App,
    p: &Principal,
    plan: &store::inspection::PlanRow,
) -> Result<bool, ServiceError> {
    let path = match plan.lead_agency_id {
        Some(id) => Some(store::agency::get(&state.db, id).await?.path),
        None => None,
    };
    Ok(domain::inspection::leads(p, path.as_deref()))
}

/// Issues a yearly plan with its rows.
pub async fn create_plan(
    state: &App,
    caller: &Caller,
    b: &PlanInput,
) -> Result<PlanOut, ServiceError> {
    let p = &caller.principal;
    if !super::can_inspect(p) {
        return Err(ServiceError::Forbidden(
            "Chỉ cơ quan chủ trì kiểm tra ban hành kế hoạch kiểm tra.".into(),
        ));
    }
    let mut c = Checker::new();
    if !(2000..=2100).contains(&b.year) {
        c.fail("year", "Năm kế hoạch không hợp lệ.");
    }
    let number = c.required(
        "decision_number",
        "Số quyết định ban hành kế hoạch",
        &b.decision_number,
        100,
    );
    let date = c.date("decision_date", "Ngày quyết định", &b.decision_date);
    if b.decision_date.trim().is_empty() {
        c.fail("decision_date", "Ngày quyết định không được để trống.");
    }
    let title = c
        .optional("title", "Tên kế hoạch", Some(b.title.as_str()), 300)
        .unwrap_or_else(|| {
            format!(
                "Kế hoạch kiểm tra công tác cải cách hành chính năm {}",
                b.year
            )
        });
    if b.items.is_empty() {
        c.fail(
            "items",
            "Kế hoạch phải có ít nhất một đơn vị được kiểm tra.",
        );
    }
    if b.items.len() > MAX_ITEMS {
        c.fail(
            "items",
            format!("Một kế hoạch có tối đa {MAX_ITEMS} đơn vị được kiểm tra."),
        );
    }
    let mut items = Vec::new();
    for (i, it) in b.items.iter().take(MAX_ITEMS).enumerate() {
        if !(1..=12).contains(&it.month) {
            c.fail(&format!("items[{i}].month"), "Tháng dự kiến từ 1 đến 12.");
        }
        let subjects = c
            .optional(
                &format!("items[{i}].subjects"),
                "Nội dung kiểm tra",
                Some(it.subjects.as_str()),
                2000,
            )
            .unwrap_or_default();
        match agency_of(state, &it.target, &format!("items[{i}].target")).await {
            Ok(a) if domain::inspection::may_inspect(p, &a.path) => {
                items.push((a.id, subjects, it.month))
            }
            Ok(a) => c.fail(
                &format!("items[{i}].target"),
                format!(
                    "{} không thuộc các đơn vị mà đơn vị anh/chị được kiểm tra.",
                    a.name
                ),
            ),
            Err(ServiceError::Invalid(mut e)) => c.errors.append(&mut e),
            Err(e) => return Err(e),
        }
    }
    if !c.is_ok() {
        return Err(ServiceError::Invalid(c.errors));
    }
    let Some(date) = date else {
        return Err(ServiceError::bad("Ngày quyết định không hợp lệ."));
    };
    let id = store::inspection::create_plan(
        &state.db,
        &store::inspection::NewPlan {
            year: b.year,
            decision_number: number,
            decision_date: date,
            title,
            lead_agency_id: p.agency_id,
            items,
        },
        &caller.actor(),
    )
    .await
    .map_err(|e| match e {
        store::StoreError::Conflict(_) => ServiceError::invalid(
            "decision_number",
            "Số quyết định này đã có một kế hoạch kiểm tra cùng năm.",
        ),
        e => e.into(),
    })?;
    plan(state, p, id).await
}

/// The plans of a year (every year without one), rows included.
pub async fn plans(
    state: &App,
    p: &Principal,
    year: Option<i32>,
) -> Result<Vec<PlanOut>, ServiceError> {
    let mut out = Vec::new();
    for r in store::inspection::plans(&state.db, year).await? {
        out.push(plan_of(state, p, r).await?);
    }
    Ok(out)
}

/// One plan with its rows; a row's inspection is linked for those who may see its file.
pub async fn plan(state: &App, p: &Principal, id: i64) -> Result<PlanOut, ServiceError> {
    let r = store::inspection::plan(&state.db, id).await?;
    plan_of(state, p, r).await
}

/// [`plan`] of a plan row already read.
async fn plan_of(
    state: &App,
    p: &Principal,
    r: store::inspection::PlanRow,
) -> Result<PlanOut, ServiceError> {
    let leads = leads_plan(state, p, &r).await?;
    let mut items = Vec::new();
    for x in store::inspection::plan_items(&state.db, r.id).await? {
        let seen = match x.inspection_id {
            Some(iid) => match super::visible(state, p, iid).await {
                Ok(_) => true,
                Err(ServiceError::NotFound) => false,
                Err(e) => return Err(e),
            },
            None => false,
        };
        let (status, label) = match (&x.inspection_status, seen) {
            (None, _) => (
                InspectionStatus::Planned.code().to_string(),
                InspectionStatus::Planned.label().to_string(),
            ),
            (Some(s), true) => (
                s.clone(),
                InspectionStatus::parse(s)
                    .map_or("", InspectionStatus::label)
                    .to_string(),
            ),
            (Some(_), false) => ("da_trien_khai".into(), "Đã triển khai".into()),
        };
        items.push(PlanItemOut {
            id: x.id,
            seq: x.seq,
            target_code: x.target_code,
            target_name: x.target_name,
            subjects: x.subjects,
            month: x.planned_month,
            inspection_id: x.inspection_id.filter(|_| seen),
            status,
            status_label: label,
        });
    }
    Ok(plan_out(r, items, leads))
}

/// Carries out row `item_id` of a plan: records the inspection (kind "theo kế hoạch")
/// with its own decision, team and dates, linked to the row. A row already begun is 409.
pub async fn start_item(
    state: &App,
    caller: &Caller,
    item_id: i64,
    b: &StartInput,
) -> Result<InspectionDetail, ServiceError> {
    let p = &caller.principal;
    let item = store::inspection::plan_item(&state.db, item_id).await?;
    let plan = store::inspection::plan(&state.db, item.plan_id).await?;
    if !leads_plan(state, p, &plan).await? {
        return Err(ServiceError::Forbidden(
            "Chỉ cơ quan ban hành kế hoạch triển khai các cuộc kiểm tra của kế hoạch.".into(),
        ));
    }
    if item.inspection_id.is_some() {
        return Err(ServiceError::Conflict(
            "Dòng kế hoạch này đã được triển khai thành một cuộc kiểm tra.".into(),
        ));
    }
    let input = InspectionInput {
        kind: domain::inspection::InspectionKind::Planned.code().into(),
        decision_number: b.decision_number.clone(),
        decision_date: b.decision_date.clone(),
        target: item.target_agency_id.to_string(),
        subjects: b
            .subjects
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| item.subjects.clone()),
        planned_month: Some(item.planned_month),
        start_on: b.start_on.clone(),
        end_on: b.end_on.clone(),
        members: b.members.clone(),
    };
    super::write::record(state, caller, &input, Some(&item)).await
}
