//! `/api/v1/procedures` — the TTHC catalog. Reading is public like the `/thu-tuc` page
//! (the catalog is published information, NĐ 63/2010/NĐ-CP Điều 8 k2 lists its parts);
//! writes need a catalog manager (admin, VP UBND – KSTT).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{StatusCode, header};
use chrono::{Datelike, NaiveDate};
use domain::procedure::process::StepDraft;
use domain::procedure::publication::{DecisionKind, Punctuality};
use domain::procedure::{CostItem, ProcedureCost, reduction_percent};
use domain::validate::{Checker, FieldError};
use serde::{Deserialize, Serialize};
use store::Page;
use store::procedure::{CostSheet, ProcedureFilter, Version, VersionInput};

pub use super::{ImportOut, RejectedOut, run_import};
use super::{ProcedureFields, ProcedureOut, StepOut, ensure_manager, find};
use crate::auth::{CurrentUser, MaybeUser};
use crate::extract::{ApiJson, Q};
use crate::routes::ListOf;
use crate::{AppError, AppState};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProcedureQuery {
    /// Words of the code, name, field or agency, with or without diacritics.
    pub q: Option<String>,
    /// Lĩnh vực, exactly as listed.
    pub field: Option<String>,
    /// tinh | huyen | xa | lien_thong.
    pub level: Option<String>,
    /// toan_trinh | mot_phan | khong.
    pub online_level: Option<String>,
    /// Catalog managers only: `false` lists abolished procedures, `all` both.
    pub active: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// The filter of a query (whether the caller may see abolished procedures is
/// [`super::list`]'s to decide).
pub fn filter_of(q: &ProcedureQuery) -> Result<ProcedureFilter, AppError> {
    let level = q.level.clone().filter(|l| !l.trim().is_empty());
    if let Some(l) = &level
        && domain::procedure::ProcedureLevel::from_code(l).is_none()
    {
        return Err(AppError::bad(
            "Cấp thực hiện không hợp lệ (tinh, huyen, xa, lien_thong).",
        ));
    }
    let level = level
        .and_then(|l| domain::procedure::ProcedureLevel::from_code(&l))
        .map(|l| l.code().to_string());
    let online_level = match q.online_level.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(
            domain::procedure::OnlineLevel::from_code(s)
                .ok_or_else(|| {
                    AppError::bad("Mức độ trực tuyến không hợp lệ (toan_trinh, mot_phan, khong).")
                })?
                .code()
                .to_string(),
        ),
    };
    let active = match q.active.as_deref() {
        Some("all") => None,
        Some("false" | "0") => Some(false),
        _ => Some(true),
    };
    Ok(ProcedureFilter {
        q: q.q.clone().filter(|s| !s.trim().is_empty()),
        field: q.field.clone().filter(|s| !s.trim().is_empty()),
        level,
        online_level,
        active,
    })
}

/// Search the catalog (public; `?q=` without diacritics finds words with them).
#[utoipa::path(get, path = "/api/v1/procedures", tag = "procedures", params(ProcedureQuery),
    responses((status = 200, body = ListOf<ProcedureOut>), (status = 400)))]
pub async fn list(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Q(q): Q<ProcedureQuery>,
) -> Result<Json<ListOf<ProcedureOut>>, AppError> {
    let page = Page::new(q.limit, q.offset);
    let viewer = user.as_ref().map(|u| &u.principal);
    let (items, total) = super::list(&state, viewer, filter_of(&q)?, page).await?;
    Ok(Json(ListOf {
        items: items.iter().map(ProcedureOut::from).collect(),
        total,
        limit: page.limit,
        offset: page.offset,
    }))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VersionOut {
    pub id: i64,
    pub kind: String,
    pub kind_label: String,
    pub decision_number: String,
    pub decision_date: NaiveDate,
    pub effective_date: NaiveDate,
    pub law_effective_date: Option<NaiveDate>,
    pub note: String,
    /// on_time | late | unknown (NĐ 63/2010 Điều 15 k1, rule rows of tthc_publication_rule).
    pub punctuality: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProcedureDetail {
    #[serde(flatten)]
    pub procedure: ProcedureOut,
    pub steps: Vec<StepOut>,
    pub versions: Vec<VersionOut>,
}

/// The API's shape of a publication decision and its punctuality.
pub fn version_out((v, p): (Version, Punctuality)) -> VersionOut {
    VersionOut {
        id: v.id,
        kind_label: v.kind().map(|k| k.label().to_string()).unwrap_or_default(),
        kind: v.kind,
        decision_number: v.decision_number,
        decision_date: v.decision_date,
        effective_date: v.effective_date,
        law_effective_date: v.law_effective_date,
        note: v.note,
        punctuality: serde_json::to_value(p)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
    }
}

async fn versions_out(state: &AppState, id: i64) -> Result<Vec<VersionOut>, AppError> {
    Ok(super::versions(state, id)
        .await?
        .into_iter()
        .map(version_out)
        .collect())
}

/// One procedure with its internal process and publication decisions (public; by id or code).
#[utoipa::path(get, path = "/api/v1/procedures/{id}", tag = "procedures",
    params(("id" = String, Path, description = "id or code")), responses((status = 200, body = ProcedureDetail), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<ProcedureDetail>, AppError> {
    let p = find(&state.db, &id).await?;
    let v = super::view(&state, p.id).await?;
    Ok(Json(ProcedureDetail {
        procedure: ProcedureOut::from(&p),
        steps: v.steps.iter().map(StepOut::from).collect(),
        versions: v.versions.into_iter().map(version_out).collect(),
    }))
}

/// Add a procedure (catalog managers).
#[utoipa::path(post, path = "/api/v1/procedures", tag = "procedures", security(("bearer" = [])), request_body = ProcedureFields,
    responses((status = 201, body = ProcedureOut), (status = 401), (status = 403), (status = 409), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<ProcedureFields>,
) -> Result<(StatusCode, Json<ProcedureOut>), AppError> {
    ensure_manager(&user.principal)?;
    let input = body.check().map_err(AppError::Validation)?;
    let p = app::procedure::create(&state, &user, &input).await?;
    Ok((StatusCode::CREATED, Json(ProcedureOut::from(&p))))
}

/// Replace a procedure's fields (catalog managers).
#[utoipa::path(put, path = "/api/v1/procedures/{id}", tag = "procedures", security(("bearer" = [])), request_body = ProcedureFields,
    params(("id" = String, Path)), responses((status = 200, body = ProcedureOut), (status = 403), (status = 404),
        (status = 409, description = "Mã thủ tục đã được dùng (`error.fields`)"), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ProcedureFields>,
) -> Result<Json<ProcedureOut>, AppError> {
    ensure_manager(&user.principal)?;
    let current = find(&state.db, &id).await?;
    let input = body.check().map_err(AppError::Validation)?;
    let p = app::procedure::update(&state, &user, current.id, &input).await?;
    Ok(Json(ProcedureOut::from(&p)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct StepBody {
    pub name: String,
    /// mot_cua | chuyen_vien | lanh_dao_don_vi.
    pub role: String,
    pub agency_id: Option<i64>,
    /// Allotted working minutes.
    pub minutes: i64,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct StepsBody {
    pub steps: Vec<StepBody>,
    /// Provincial target for online dossiers in working minutes; null = 20% shorter than
    /// the legal limit (CV 6486/UBND-KSTT item 1).
    pub online_limit_minutes: Option<i64>,
}

/// Replace the internal process (quy trình nội bộ): Σ step minutes ≤ the legal limit.
#[utoipa::path(put, path = "/api/v1/procedures/{id}/steps", tag = "procedures", security(("bearer" = [])), request_body = StepsBody,
    params(("id" = String, Path)), responses((status = 200, body = Vec<StepOut>), (status = 403), (status = 404), (status = 422)))]
pub async fn put_steps(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<StepsBody>,
) -> Result<Json<Vec<StepOut>>, AppError> {
    let drafts = body
        .steps
        .into_iter()
        .map(|s| StepDraft {
            name: domain::validate::clean(&s.name),
            role: s.role.trim().to_string(),
            agency_id: s.agency_id,
            minutes: s.minutes,
        })
        .collect();
    let steps =
        app::procedure::save_steps(&state, &user, &id, drafts, body.online_limit_minutes).await?;
    Ok(Json(steps.iter().map(StepOut::from).collect()))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct VersionBody {
    /// new | amended | replaced | abolished.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub decision_number: String,
    /// dd/mm/yyyy or YYYY-MM-DD.
    #[serde(default)]
    pub decision_date: String,
    #[serde(default)]
    pub effective_date: String,
    /// The legal document's effective date, if it differs from the decision's.
    #[serde(default)]
    pub law_effective_date: String,
    #[serde(default)]
    pub note: String,
}

impl VersionBody {
    pub fn check(&self) -> Result<VersionInput, Vec<FieldError>> {
        let mut c = Checker::new();
        let kind = DecisionKind::parse(&self.kind);
        if kind.is_none() {
            c.fail(
                "kind",
                "Loại quyết định không hợp lệ (ban hành mới, sửa đổi bổ sung, thay thế, bãi bỏ).",
            );
        }
        let number = c.required(
            "decision_number",
            "Số quyết định công bố",
            &self.decision_number,
            100,
        );
        let date = |c: &mut Checker, field: &str, label: &str, v: &str, required: bool| {
            if v.trim().is_empty() {
                if required {
                    c.fail(field, format!("{label} không được để trống."));
                }
                None
            } else {
                c.date(field, label, v)
            }
        };
        let decision_date = date(
            &mut c,
            "decision_date",
            "Ngày quyết định",
            &self.decision_date,
            true,
        );
        let effective_date = date(
            &mut c,
            "effective_date",
            "Ngày có hiệu lực",
            &self.effective_date,
            true,
        );
        let law = date(
            &mut c,
            "law_effective_date",
            "Ngày văn bản quy phạm pháp luật có hiệu lực",
            &self.law_effective_date,
            false,
        );
        if let (Some(d), Some(e)) = (decision_date, effective_date)
            && e < d
        {
            c.fail(
                "effective_date",
                "Ngày có hiệu lực không được trước ngày quyết định.",
            );
        }
        let note = c
            .optional("note", "Ghi chú", Some(&self.note), 2000)
            .unwrap_or_default();
        match (c.is_ok(), kind, decision_date, effective_date) {
            (true, Some(kind), Some(decision_date), Some(effective_date)) => Ok(VersionInput {
                kind,
                decision_number: number,
                decision_date,
                effective_date,
                law_effective_date: law,
                note,
            }),
            _ => Err(c.errors),
        }
    }
}

/// Record a publication decision (quyết định công bố); "abolished" deactivates the procedure.
#[utoipa::path(post, path = "/api/v1/procedures/{id}/versions", tag = "procedures", security(("bearer" = [])), request_body = VersionBody,
    params(("id" = String, Path)), responses((status = 201, body = Vec<VersionOut>), (status = 403), (status = 404), (status = 422)))]
pub async fn add_version(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<VersionBody>,
) -> Result<(StatusCode, Json<Vec<VersionOut>>), AppError> {
    ensure_manager(&user.principal)?;
    let p = find(&state.db, &id).await?;
    let input = body.check().map_err(AppError::Validation)?;
    app::procedure::add_version(&state, &user, p.id, &input).await?;
    Ok((StatusCode::CREATED, Json(versions_out(&state, p.id).await?)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CostItemBody {
    pub label: String,
    pub amount_vnd: i64,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CostBody {
    pub work: Vec<CostItemBody>,
    pub fees_vnd: i64,
    pub times_per_year: i64,
    pub subjects_per_year: i64,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CostOut {
    pub phase: String,
    pub per_dossier_vnd: Option<u64>,
    pub annual_vnd: Option<u64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CostsOut {
    pub sheets: Vec<CostOut>,
    /// (annual before − annual after) / annual before × 100 (TT 02/2017/TT-VPCP Điều 27).
    pub reduction_percent: Option<f64>,
    /// CV 6486/UBND-KSTT asks at least 20%.
    pub meets_target: Option<bool>,
}

pub fn check_cost(b: &CostBody) -> Result<ProcedureCost, Vec<FieldError>> {
    let mut c = Checker::new();
    let nonneg = |c: &mut Checker, field: &str, label: &str, v: i64| -> u64 {
        u64::try_from(v).unwrap_or_else(|_| {
            c.fail(field, format!("{label} không được âm."));
            0
        })
    };
    let fees = nonneg(&mut c, "fees_vnd", "Phí, lệ phí", b.fees_vnd);
    let times = nonneg(
        &mut c,
        "times_per_year",
        "Số lần thực hiện mỗi năm",
        b.times_per_year,
    );
    let subjects = nonneg(
        &mut c,
        "subjects_per_year",
        "Số đối tượng mỗi năm",
        b.subjects_per_year,
    );
    let mut work = Vec::new();
    for (i, it) in b.work.iter().enumerate() {
        let label = c.required(
            &format!("work[{i}].label"),
            &format!("Khoản chi phí {}", i + 1),
            &it.label,
            255,
        );
        let amount = nonneg(
            &mut c,
            &format!("work[{i}].amount_vnd"),
            &format!("Khoản chi phí {}", i + 1),
            it.amount_vnd,
        );
        work.push(CostItem {
            label,
            amount_vnd: amount,
        });
    }
    let cost = ProcedureCost {
        work,
        fees_vnd: fees,
        times_per_year: times,
        subjects_per_year: subjects,
    };
    if cost.annual().is_err() {
        c.fail("work", "Chi phí vượt quá giới hạn tính toán.");
    }
    if c.is_ok() { Ok(cost) } else { Err(c.errors) }
}

/// The API's shape of a procedure's cost sheets, with the reduction they show.
pub fn costs_out(sheets: &[CostSheet]) -> CostsOut {
    let of = |phase: &str| {
        sheets
            .iter()
            .find(|s| s.phase == phase)
            .map(|s| s.cost.clone())
    };
    let reduction = match (of("baseline"), of("after")) {
        (Some(b), Some(a)) => reduction_percent(&[b], &[a]).ok().flatten(),
        _ => None,
    };
    CostsOut {
        sheets: sheets
            .iter()
            .map(|s| CostOut {
                phase: s.phase.clone(),
                per_dossier_vnd: s.cost.per_dossier().ok(),
                annual_vnd: s.cost.annual().ok(),
            })
            .collect(),
        reduction_percent: reduction,
        meets_target: reduction.map(|r| r >= 20.0),
    }
}

/// Save the compliance cost sheet of one phase (baseline | after) and get the reduction.
#[utoipa::path(put, path = "/api/v1/procedures/{id}/costs/{phase}", tag = "procedures", security(("bearer" = [])), request_body = CostBody,
    params(("id" = String, Path), ("phase" = String, Path)), responses((status = 200, body = CostsOut), (status = 403), (status = 422)))]
pub async fn put_cost(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, phase)): Path<(String, String)>,
    ApiJson(body): ApiJson<CostBody>,
) -> Result<Json<CostsOut>, AppError> {
    ensure_manager(&user.principal)?;
    let p = find(&state.db, &id).await?;
    if !store::procedure::COST_PHASES
        .iter()
        .any(|(c, _)| *c == phase)
    {
        return Err(AppError::bad(
            "Giai đoạn phải là baseline (trước) hoặc after (sau khi đơn giản hóa).",
        ));
    }
    let cost = check_cost(&body).map_err(AppError::Validation)?;
    let note = domain::validate::clean(&body.note);
    app::procedure::save_cost(&state, &user, p.id, &phase, &cost, &note).await?;
    Ok(Json(costs_out(&super::costs(&state, p.id).await?)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ImportBody {
    /// The catalog as CSV text (header code,name,field,level,agency,time_limit,time_limit_days,fee,online_level,source).
    pub csv: String,
    /// false (default): preview only, nothing written.
    #[serde(default)]
    pub confirm: bool,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// For an .xlsx body: `true` writes, anything else previews only.
    pub confirm: Option<bool>,
}

/// The media type of an .xlsx workbook.
pub const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Preview, then (with `confirm`) import a catalog; every rejected row comes back with its
/// line and a Vietnamese reason, and nothing is written without `confirm`. The body is JSON
/// `{"csv", "confirm"}`, or the .xlsx workbook itself (Content-Type
/// `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet` or
/// `application/octet-stream`, `?confirm=true` to write); a workbook's rejected rows carry
/// the sheet's row numbers.
#[utoipa::path(post, path = "/api/v1/procedures/import", tag = "procedures", security(("bearer" = [])), params(ImportParams),
    request_body(content((ImportBody = "application/json"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
    responses((status = 200, body = ImportOut), (status = 403), (status = 400)))]
pub async fn import(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(params): Q<ImportParams>,
    req: Request,
) -> Result<Json<ImportOut>, AppError> {
    ensure_manager(&user.principal)?;
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.starts_with(XLSX_TYPE) || content_type.starts_with("application/octet-stream") {
        let bytes = Bytes::from_request(req, &state)
            .await
            .map_err(|_| AppError::bad("Không đọc được tệp gửi lên (tối đa 2 MB)."))?;
        if !app::procedure::workbook::is_xlsx("", &bytes) {
            return Err(AppError::bad(
                "Nội dung gửi lên không phải tệp Excel (.xlsx).",
            ));
        }
        let csv = app::reader::catalog_workbook(bytes.to_vec()).await?;
        return Ok(Json(
            run_import(
                &state,
                &user,
                &csv,
                "API (.xlsx)",
                params.confirm.unwrap_or(false),
            )
            .await?,
        ));
    }
    let ApiJson(body) = ApiJson::<ImportBody>::from_request(req, &state).await?;
    Ok(Json(
        run_import(&state, &user, &body.csv, "API", body.confirm).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// Year (default: this year).
    pub year: Option<i32>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MonthOut {
    pub month: String,
    pub new: u32,
    pub amended: u32,
    pub replaced: u32,
    pub abolished: u32,
    pub on_time: u32,
    pub late: u32,
    pub unknown: u32,
}

/// Monthly catalog changes (new / amended / replaced / abolished) and whether each was
/// published on time (signed-in users).
#[utoipa::path(get, path = "/api/v1/procedures/stats", tag = "procedures", security(("bearer" = [])), params(StatsQuery),
    responses((status = 200, body = Vec<MonthOut>), (status = 401)))]
pub async fn stats(
    State(state): State<AppState>,
    _user: CurrentUser,
    Q(q): Q<StatsQuery>,
) -> Result<Json<Vec<MonthOut>>, AppError> {
    let year = q.year.unwrap_or_else(|| chrono::Utc::now().year());
    let rows = super::month_stats(&state, year).await?;
    Ok(Json(
        rows.into_iter()
            .map(|s| MonthOut {
                month: s.month,
                new: s.new,
                amended: s.amended,
                replaced: s.replaced,
                abolished: s.abolished,
                on_time: s.on_time,
                late: s.late,
                unknown: s.unknown,
            })
            .collect(),
    ))
}
