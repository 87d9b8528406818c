//! `/api/v1/par` — Chỉ số CCHC (product.md contract): criteria sets, rounds, scorecards,
//! the unit's self-assessment and evidence, the appraisal, the survey import, the ranking,
//! the criteria below their maximum, remediation tasks and a unit's history.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use app::par::{
    AppraiseItem, EvidenceInput, GapOut, OpenRound, PublishInput, RankItem, RemediationInput,
    RoundOut, Scorecard, SelfItem, SetDetail, SetSummary, YearResult,
};

use crate::auth::CurrentUser;
use crate::extract::{ApiJson, Q};
use crate::routes::{ListOf, parse_id};
use crate::{AppError, AppState};

fn list<T: utoipa::ToSchema>(items: Vec<T>) -> ListOf<T> {
    let n = items.len() as i64;
    ListOf {
        items,
        total: n,
        limit: n,
        offset: 0,
    }
}

/// Every criteria set version (lĩnh vực → tiêu chí → tiêu chí thành phần).
#[utoipa::path(get, path = "/api/v1/par/sets", tag = "par", security(("bearer" = [])),
    responses((status = 200, body = ListOf<SetSummary>)))]
pub async fn sets(
    State(state): State<AppState>,
    _user: CurrentUser,
) -> Result<Json<ListOf<SetSummary>>, AppError> {
    Ok(Json(list(app::par::list_sets(&state).await?)))
}

/// One set version with its tree.
#[utoipa::path(get, path = "/api/v1/par/sets/{id}", tag = "par", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = SetDetail), (status = 404)))]
pub async fn set(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<SetDetail>, AppError> {
    Ok(Json(app::par::get_set(&state, parse_id(&id)?).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ImportSet {
    /// The set in the YAML format of `data/par/README.md`.
    pub yaml: String,
}

/// Imports a set (a new version of its code). Sở Nội vụ.
#[utoipa::path(post, path = "/api/v1/par/sets", tag = "par", request_body = ImportSet, security(("bearer" = [])),
    responses((status = 201, body = SetDetail), (status = 403), (status = 413), (status = 422)))]
pub async fn import_set(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(b): ApiJson<ImportSet>,
) -> Result<Response, AppError> {
    let s = app::par::import_set_yaml(&state, &user, &b.yaml).await?;
    Ok((StatusCode::CREATED, Json(s)).into_response())
}

/// Every round, newest first: `{id, year, set_id, status: open|appraisal|published, …}`.
#[utoipa::path(get, path = "/api/v1/par/rounds", tag = "par", security(("bearer" = [])),
    responses((status = 200, body = ListOf<RoundOut>)))]
pub async fn rounds(
    State(state): State<AppState>,
    _user: CurrentUser,
) -> Result<Json<ListOf<RoundOut>>, AppError> {
    Ok(Json(list(app::par::list_rounds(&state).await?)))
}

/// Opens the round of a year for every unit in force (Sở Nội vụ).
#[utoipa::path(post, path = "/api/v1/par/rounds", tag = "par", request_body = OpenRound, security(("bearer" = [])),
    responses((status = 201, body = RoundOut), (status = 403), (status = 409), (status = 422)))]
pub async fn open_round(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(b): ApiJson<OpenRound>,
) -> Result<Response, AppError> {
    let r = app::par::open_round(&state, &user, &b).await?;
    Ok((StatusCode::CREATED, Json(r)).into_response())
}

#[utoipa::path(get, path = "/api/v1/par/rounds/{id}", tag = "par", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = RoundOut), (status = 404)))]
pub async fn round(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<RoundOut>, AppError> {
    Ok(Json(app::par::get_round(&state, parse_id(&id)?).await?))
}

/// Closes self-assessment: the round moves to appraisal (Sở Nội vụ).
#[utoipa::path(post, path = "/api/v1/par/rounds/{id}/appraisal", tag = "par", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = RoundOut), (status = 403), (status = 404), (status = 409)))]
pub async fn start_appraisal(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<RoundOut>, AppError> {
    Ok(Json(
        app::par::start_appraisal(&state, &user, parse_id(&id)?).await?,
    ))
}

/// Publishes the results by decision; freezes the round (Sở Nội vụ).
#[utoipa::path(post, path = "/api/v1/par/rounds/{id}/publish", tag = "par", params(("id" = i64, Path)), request_body = PublishInput,
    security(("bearer" = [])), responses((status = 200, body = RoundOut), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn publish(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<PublishInput>,
) -> Result<Json<RoundOut>, AppError> {
    Ok(Json(
        app::par::publish(&state, &user, parse_id(&id)?, &b).await?,
    ))
}

/// A card as the round's list shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CardOut {
    pub unit_code: String,
    pub unit_name: String,
    pub unit_kind: String,
    pub status: String,
    pub status_label: String,
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
    pub appraised_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The scorecards of a round the caller may see (their subtree; all for province roles).
#[utoipa::path(get, path = "/api/v1/par/rounds/{id}/units", tag = "par", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = ListOf<CardOut>), (status = 404)))]
pub async fn units(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<ListOf<CardOut>>, AppError> {
    let id = parse_id(&id)?;
    app::par::round_row(&state, id).await?;
    let cards = app::par::cards_for(&state, &user.principal, id).await?;
    Ok(Json(list(
        cards
            .into_iter()
            .map(|c| CardOut {
                status_label: app::par::card_status_label(&c.status).into(),
                unit_code: c.agency_code,
                unit_name: c.agency_name,
                unit_kind: c.unit_kind,
                status: c.status,
                submitted_at: c.submitted_at,
                appraised_at: c.appraised_at,
            })
            .collect(),
    )))
}

/// A unit's scorecard: per criterion `{code, title, max, self_score, appraised_score,
/// computed_score, evidence}` and the totals.
#[utoipa::path(get, path = "/api/v1/par/rounds/{id}/units/{code}", tag = "par", params(("id" = i64, Path), ("code" = String, Path)),
    security(("bearer" = [])), responses((status = 200, body = Scorecard), (status = 404)))]
pub async fn card(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, code)): Path<(String, String)>,
) -> Result<Json<Scorecard>, AppError> {
    Ok(Json(
        app::par::scorecard(&state, &user.principal, parse_id(&id)?, &code).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SelfBody {
    pub items: Vec<SelfItem>,
}

/// Saves the unit's self-assessment (all items or none).
#[utoipa::path(put, path = "/api/v1/par/rounds/{id}/units/{code}/self", tag = "par", params(("id" = i64, Path), ("code" = String, Path)),
    request_body = SelfBody, security(("bearer" = [])),
    responses((status = 200, body = Scorecard), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn save_self(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, code)): Path<(String, String)>,
    ApiJson(b): ApiJson<SelfBody>,
) -> Result<Json<Scorecard>, AppError> {
    Ok(Json(
        app::par::save_self(&state, &user, parse_id(&id)?, &code, &b.items).await?,
    ))
}

/// The unit's head sends the card to appraisal.
#[utoipa::path(post, path = "/api/v1/par/rounds/{id}/units/{code}/submit", tag = "par", params(("id" = i64, Path), ("code" = String, Path)),
    security(("bearer" = [])), responses((status = 200, body = Scorecard), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, code)): Path<(String, String)>,
) -> Result<Json<Scorecard>, AppError> {
    Ok(Json(
        app::par::submit(&state, &user, parse_id(&id)?, &code).await?,
    ))
}

/// Adds evidence: a link, a task or a directive (files through the page's form).
#[utoipa::path(post, path = "/api/v1/par/rounds/{id}/units/{code}/evidence", tag = "par", params(("id" = i64, Path), ("code" = String, Path)),
    request_body = EvidenceInput, security(("bearer" = [])),
    responses((status = 200, body = Scorecard), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn add_evidence(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, code)): Path<(String, String)>,
    ApiJson(b): ApiJson<EvidenceInput>,
) -> Result<Json<Scorecard>, AppError> {
    if b.kind == "file" {
        return Err(AppError::bad(
            "Tệp kiểm chứng gửi qua biểu mẫu trang phiếu chấm (multipart).",
        ));
    }
    Ok(Json(
        app::par::add_evidence(&state, &user, parse_id(&id)?, &code, &b, None).await?,
    ))
}

/// Removes one piece of evidence.
#[utoipa::path(delete, path = "/api/v1/par/rounds/{id}/units/{code}/evidence/{eid}", tag = "par",
    params(("id" = i64, Path), ("code" = String, Path), ("eid" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Scorecard), (status = 403), (status = 404), (status = 409)))]
pub async fn remove_evidence(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, code, eid)): Path<(String, String, String)>,
) -> Result<Json<Scorecard>, AppError> {
    Ok(Json(
        app::par::remove_evidence(&state, &user, parse_id(&id)?, &code, parse_id(&eid)?).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct AppraiseBody {
    pub items: Vec<AppraiseItem>,
}

/// The appraisal group confirms or adjusts scores, with reasons (Sở Nội vụ).
#[utoipa::path(put, path = "/api/v1/par/rounds/{id}/units/{code}/appraisal", tag = "par", params(("id" = i64, Path), ("code" = String, Path)),
    request_body = AppraiseBody, security(("bearer" = [])),
    responses((status = 200, body = Scorecard), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn appraise(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, code)): Path<(String, String)>,
    ApiJson(b): ApiJson<AppraiseBody>,
) -> Result<Json<Scorecard>, AppError> {
    Ok(Json(
        app::par::appraise(&state, &user, parse_id(&id)?, &code, &b.items).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ReturnBody {
    pub reason: String,
}

/// Sends the card back for explanation, once (Sở Nội vụ).
#[utoipa::path(post, path = "/api/v1/par/rounds/{id}/units/{code}/return", tag = "par", params(("id" = i64, Path), ("code" = String, Path)),
    request_body = ReturnBody, security(("bearer" = [])),
    responses((status = 200, body = Scorecard), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn return_card(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, code)): Path<(String, String)>,
    ApiJson(b): ApiJson<ReturnBody>,
) -> Result<Json<Scorecard>, AppError> {
    Ok(Json(
        app::par::return_card(&state, &user, parse_id(&id)?, &code, &b.reason).await?,
    ))
}

/// Closes the appraisal of the card (Sở Nội vụ).
#[utoipa::path(post, path = "/api/v1/par/rounds/{id}/units/{code}/appraised", tag = "par", params(("id" = i64, Path), ("code" = String, Path)),
    security(("bearer" = [])), responses((status = 200, body = Scorecard), (status = 403), (status = 404), (status = 409)))]
pub async fn finish(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, code)): Path<(String, String)>,
) -> Result<Json<Scorecard>, AppError> {
    Ok(Json(
        app::par::finish_appraisal(&state, &user, parse_id(&id)?, &code).await?,
    ))
}

/// Reopens the appraisal of the card before publication (Sở Nội vụ).
#[utoipa::path(post, path = "/api/v1/par/rounds/{id}/units/{code}/reopen", tag = "par", params(("id" = i64, Path), ("code" = String, Path)),
    security(("bearer" = [])), responses((status = 200, body = Scorecard), (status = 403), (status = 404), (status = 409)))]
pub async fn reopen(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, code)): Path<(String, String)>,
) -> Result<Json<Scorecard>, AppError> {
    Ok(Json(
        app::par::reopen_appraisal(&state, &user, parse_id(&id)?, &code).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SurveyBody {
    /// CSV: header, then `mã đơn vị, mã tiêu chí, điểm` per line.
    pub csv: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Imported {
    pub imported: usize,
}

/// Imports survey scores (điều tra xã hội học) for the round (Sở Nội vụ).
#[utoipa::path(post, path = "/api/v1/par/rounds/{id}/survey", tag = "par", params(("id" = i64, Path)), request_body = SurveyBody,
    security(("bearer" = [])), responses((status = 200, body = Imported), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn survey(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<SurveyBody>,
) -> Result<Json<Imported>, AppError> {
    let n = app::par::import_survey(&state, &user, parse_id(&id)?, &b.csv).await?;
    Ok(Json(Imported { imported: n }))
}

#[derive(Debug, Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RankingQuery {
    /// department | district | commune; absent: every kind, each ranked within itself.
    pub kind: Option<String>,
}

/// The ranking within a kind of unit: `{unit_code, unit_name, score, max, index, rank}`.
#[utoipa::path(get, path = "/api/v1/par/rounds/{id}/ranking", tag = "par", params(("id" = i64, Path), RankingQuery),
    security(("bearer" = [])), responses((status = 200, body = ListOf<RankItem>), (status = 400), (status = 403), (status = 404)))]
pub async fn ranking(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Q(q): Q<RankingQuery>,
) -> Result<Json<ListOf<RankItem>>, AppError> {
    Ok(Json(list(
        app::par::ranking(&state, &user.principal, parse_id(&id)?, q.kind.as_deref()).await?,
    )))
}

#[derive(Debug, Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GapsQuery {
    /// Agency code; absent: every unit (province-wide roles).
    pub unit: Option<String>,
}

/// Criteria below their maximum with the points lost, most first.
#[utoipa::path(get, path = "/api/v1/par/rounds/{id}/gaps", tag = "par", params(("id" = i64, Path), GapsQuery),
    security(("bearer" = [])), responses((status = 200, body = ListOf<GapOut>), (status = 403), (status = 404)))]
pub async fn gaps(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Q(q): Q<GapsQuery>,
) -> Result<Json<ListOf<GapOut>>, AppError> {
    Ok(Json(list(
        app::par::gaps(&state, &user.principal, parse_id(&id)?, q.unit.as_deref()).await?,
    )))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TaskCreated {
    pub task_id: i64,
    pub url: String,
}

/// Creates a remediation task for a criterion below its maximum (published rounds).
#[utoipa::path(post, path = "/api/v1/par/rounds/{id}/remediation", tag = "par", params(("id" = i64, Path)), request_body = RemediationInput,
    security(("bearer" = [])), responses((status = 201, body = TaskCreated), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn remediation(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<RemediationInput>,
) -> Result<Response, AppError> {
    let t = app::par::create_remediation(&state, &user, parse_id(&id)?, &b).await?;
    Ok((
        StatusCode::CREATED,
        Json(TaskCreated {
            task_id: t.id,
            url: format!("/nhiem-vu/{}", t.id),
        }),
    )
        .into_response())
}

/// A unit's results year by year.
#[utoipa::path(get, path = "/api/v1/par/units/{code}/history", tag = "par", params(("code" = String, Path)),
    security(("bearer" = [])), responses((status = 200, body = ListOf<YearResult>)))]
pub async fn history(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
) -> Result<Json<ListOf<YearResult>>, AppError> {
    Ok(Json(list(
        app::par::history(&state, &user.principal, &code).await?,
    )))
}

#[derive(Debug, Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TableParams {
    /// Stable code of the set (A–Z, 0–9, _ and -).
    pub code: Option<String>,
    pub title: Option<String>,
    /// department | district | commune
    pub unit_kind: Option<String>,
    pub applies_from_year: Option<String>,
    pub decision: Option<String>,
    /// dd/mm/yyyy or yyyy-mm-dd
    pub decision_date: Option<String>,
    pub issuer: Option<String>,
    pub source: Option<String>,
    pub survey_points: Option<String>,
}

/// Imports a set from the appendix table: the body is the .xlsx workbook or CSV text
/// (columns Mã | Tiêu chí | Điểm tối đa | Nguồn điểm | Cách chấm | Thang điểm | Tài liệu
/// kiểm chứng | Số liệu hệ thống); the set's identity in the query. Sở Nội vụ.
#[utoipa::path(post, path = "/api/v1/par/sets/table", tag = "par", params(TableParams), security(("bearer" = [])),
    request_body(content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (String = "text/csv"))),
    responses((status = 201, body = SetDetail), (status = 403), (status = 413), (status = 422)))]
pub async fn import_table(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<TableParams>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let meta = app::par::TableMeta {
        code: q.code.unwrap_or_default(),
        title: q.title.unwrap_or_default(),
        unit_kind: q.unit_kind.unwrap_or_default(),
        applies_from_year: q.applies_from_year.unwrap_or_default(),
        decision: q.decision,
        decision_date: q.decision_date,
        issuer: q.issuer,
        source: q.source,
        survey_points: q.survey_points,
    };
    let s = app::par::import_set_table(&state, &user, &meta, "", body.to_vec()).await?;
    Ok((StatusCode::CREATED, Json(s)).into_response())
}

#[derive(Debug, Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FormatQuery {
    /// xlsx (default) or pdf
    pub format: Option<String>,
}

/// The appendix of the publishing decision (ranking per kind of unit) as .xlsx or .pdf;
/// a draft before publication (province-wide readers).
#[utoipa::path(get, path = "/api/v1/par/rounds/{id}/appendix", tag = "par", params(("id" = i64, Path), FormatQuery),
    security(("bearer" = [])), responses((status = 200, description = "the file"), (status = 400), (status = 403), (status = 404)))]
pub async fn appendix(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Q(q): Q<FormatQuery>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let doc = app::par::appendix(&state, &user.principal, id).await?;
    let year = app::par::get_round(&state, id).await?.year;
    crate::routes::report::file_response(
        &doc,
        q.format.as_deref().unwrap_or("xlsx"),
        &format!("chi-so-cchc-{year}-phu-luc"),
    )
}

/// A set version as its table (CSV in the layout `POST /api/v1/par/sets/table` reads):
/// export, edit, import again.
#[utoipa::path(get, path = "/api/v1/par/sets/{id}/table", tag = "par", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, description = "text/csv"), (status = 404)))]
pub async fn set_table(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (name, bytes) = app::par::set_table_csv(&state, parse_id(&id)?).await?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/csv; charset=utf-8".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
