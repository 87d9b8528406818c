//! `/api/v1/feedback…`: public submission (JSON or multipart with attachments), tracking
//! by code and the last four phone digits, supplement and rating, published answers; the
//! staff queue, one feedback and its steps.

use axum::Json;
use axum::extract::{FromRequest, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use app::feedback::{
    FeedbackDetail, FeedbackEventInput, FeedbackOut, FeedbackQuery, NewFeedbackInput, Submitted,
    Tracked,
};

use crate::auth::CurrentUser;
use crate::extract::{ApiJson, ClientIp, Q};
use crate::routes::{ListOf, parse_id};
use crate::{AppError, AppState};

/// Sends a feedback (public, no account): JSON, or multipart with the same fields and
/// attachments in `files`. Limited per address and per phone (429).
#[utoipa::path(post, path = "/api/v1/feedback", tag = "feedback", request_body = NewFeedbackInput,
    responses((status = 201, body = Submitted), (status = 413), (status = 422), (status = 429)))]
pub async fn submit(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    req: axum::extract::Request,
) -> Result<Response, AppError> {
    let (input, files) = if crate::upload::is_multipart(&req) {
        let mp = axum::extract::Multipart::from_request(req, &state)
            .await
            .map_err(|_| AppError::bad("Dữ liệu multipart không hợp lệ."))?;
        let up = crate::upload::Upload::read(mp, "files").await?;
        (input_of(&up), up.files)
    } else {
        let ApiJson(b) = ApiJson::<NewFeedbackInput>::from_request(req, &state).await?;
        (b, Vec::new())
    };
    let s = app::feedback::submit(&state, ip.as_deref(), &input, files).await?;
    Ok((StatusCode::CREATED, Json(s)).into_response())
}

/// The submission fields of a form or multipart body.
pub fn input_of(up: &crate::upload::Upload) -> NewFeedbackInput {
    let opt = |k: &str| Some(up.field(k)).filter(|s| !s.trim().is_empty());
    NewFeedbackInput {
        kind: up.field("kind"),
        agency_code: opt("agency_code"),
        procedure_code: opt("procedure_code"),
        dossier_code: opt("dossier_code"),
        parent_code: opt("parent_code"),
        title: opt("title"),
        name: up.field("name"),
        phone: up.field("phone"),
        email: opt("email"),
        address: opt("address"),
        content: up.field("content"),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrackQuery {
    /// The last four digits of the phone given when sending.
    pub phone: Option<String>,
}

/// Follows a feedback (public): its state, due date and answer, without any personal
/// data. 404 when the code or the digits are wrong; a code is locked after five wrong
/// guesses (429).
#[utoipa::path(get, path = "/api/v1/feedback/track/{code}", tag = "feedback",
    params(("code" = String, Path), TrackQuery),
    responses((status = 200, body = Tracked), (status = 404), (status = 422), (status = 429)))]
pub async fn track(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(code): Path<String>,
    Q(q): Q<TrackQuery>,
) -> Result<Json<Tracked>, AppError> {
    let last4 = q.phone.unwrap_or_default();
    app::feedback::track(&state, ip.as_deref(), &code, &last4)
        .await?
        .map(Json)
        .ok_or(AppError::NotFound)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RateBody {
    /// The last four digits of the phone.
    pub phone: String,
    /// Satisfied with the answer (`true`) or not.
    pub satisfied: bool,
}

/// The sender rates the published answer, once (public).
#[utoipa::path(post, path = "/api/v1/feedback/track/{code}/rating", tag = "feedback",
    params(("code" = String, Path)), request_body = RateBody,
    responses((status = 200, body = Tracked), (status = 404), (status = 409), (status = 429)))]
pub async fn rate(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<RateBody>,
) -> Result<Json<Tracked>, AppError> {
    Ok(Json(
        app::feedback::rate(&state, ip.as_deref(), &code, &b.phone, b.satisfied).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SupplementBody {
    pub phone: String,
    /// What the agency asked for.
    pub text: String,
}

/// The sender supplies what the agency asked for (public); the time limits start again.
#[utoipa::path(post, path = "/api/v1/feedback/track/{code}/supplement", tag = "feedback",
    params(("code" = String, Path)), request_body = SupplementBody,
    responses((status = 200, body = Tracked), (status = 404), (status = 409), (status = 422), (status = 429)))]
pub async fn supplement(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<SupplementBody>,
) -> Result<Json<Tracked>, AppError> {
    Ok(Json(
        app::feedback::supplement(&state, ip.as_deref(), &code, &b.phone, &b.text).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublishedQuery {
    /// Words to find (no diacritics needed).
    pub q: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// A published answer (public): no personal data.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PublishedOut {
    pub code: String,
    pub kind: String,
    pub agency_name: Option<String>,
    pub title: String,
    pub content: Option<String>,
    pub answer: Option<String>,
    pub received_at: chrono::DateTime<chrono::Utc>,
    pub published_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Demonstration data.
    pub demo: bool,
}

/// Published answers, newest first (public).
#[utoipa::path(get, path = "/api/v1/feedback/published", tag = "feedback", params(PublishedQuery),
    responses((status = 200, body = ListOf<PublishedOut>)))]
pub async fn published(
    State(state): State<AppState>,
    Q(q): Q<PublishedQuery>,
) -> Result<Json<ListOf<PublishedOut>>, AppError> {
    let page = store::Page::new(q.limit, q.offset);
    let (rows, total) = app::feedback::published(&state, q.q.as_deref(), page).await?;
    Ok(Json(ListOf {
        items: rows
            .into_iter()
            .map(|r| PublishedOut {
                code: r.code,
                kind: r.kind,
                agency_name: r.agency_name,
                title: r.title,
                content: r.public_content,
                answer: r.public_answer,
                received_at: r.received_at,
                published_at: r.published_at,
                demo: r.demo,
            })
            .collect(),
        total,
        limit: page.limit,
        offset: page.offset,
    }))
}

/// The queue of the caller's agency subtree (staff), earliest due first.
#[utoipa::path(get, path = "/api/v1/feedback", tag = "feedback", params(FeedbackQuery), security(("bearer" = [])),
    responses((status = 200, body = ListOf<FeedbackOut>), (status = 422)))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<FeedbackQuery>,
) -> Result<Json<ListOf<FeedbackOut>>, AppError> {
    let page = store::Page::new(q.limit, q.offset);
    let (items, total) = app::feedback::list(&state, &user.principal, &q).await?;
    Ok(Json(ListOf {
        items,
        total,
        limit: page.limit,
        offset: page.offset,
    }))
}

/// One feedback with its steps and the steps the caller may take (staff, in scope).
#[utoipa::path(get, path = "/api/v1/feedback/{id}", tag = "feedback", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = FeedbackDetail), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<FeedbackDetail>, AppError> {
    Ok(Json(
        app::feedback::get(&state, &user.principal, parse_id(&id)?).await?,
    ))
}

/// A step: accept, reject (`note` = reason), request_supplement (`note`), forward
/// (`agency_code`), merge (`merge_into`), assign (`assignee`), draft (`answer`),
/// return_draft (`note`), approve, publish.
#[utoipa::path(post, path = "/api/v1/feedback/{id}/events", tag = "feedback", params(("id" = i64, Path)),
    request_body = FeedbackEventInput, security(("bearer" = [])),
    responses((status = 200, body = FeedbackDetail), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn event(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<FeedbackEventInput>,
) -> Result<Json<FeedbackDetail>, AppError> {
    Ok(Json(
        app::feedback::act(&state, &user, parse_id(&id)?, &b).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// "2026-11", "2026-Q3", "2026" (default: this month).
    pub period: Option<String>,
}

/// Statistics per unit of the caller's scope for a period (766 group 5's rule).
#[utoipa::path(get, path = "/api/v1/feedback/stats", tag = "feedback", params(StatsQuery), security(("bearer" = [])),
    responses((status = 200, body = app::feedback::FeedbackStats), (status = 400)))]
pub async fn stats(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<StatsQuery>,
) -> Result<Json<app::feedback::FeedbackStats>, AppError> {
    Ok(Json(
        app::feedback::stats(&state, &user, q.period.as_deref()).await?,
    ))
}
