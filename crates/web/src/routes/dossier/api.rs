//! `/api/v1/dossiers`: list, detail, intake (idempotent with `Idempotency-Key`), actions,
//! apology letters, payment, rating, and the synchronisation outbox.

use axum::Json;
use axum::extract::{FromRequest, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use store::Page;
use store::dossier::{Dossier, DossierFilter, Note};

use super::{ActionInput, DossierView, IntakeInput, act, apologize, channel_label, record};
use crate::auth::CurrentUser;
use crate::extract::{ApiJson, Q};
use crate::routes::task::api::{FileList, FileOut};
use crate::routes::{ListOf, parse_id};
use crate::{AppError, AppState};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DossierOut {
    pub id: i64,
    /// Mã hồ sơ, e.g. 000.00.12.H40-231005-0001.
    pub code: String,
    pub procedure_id: i64,
    pub procedure_code: String,
    pub procedure_name: String,
    pub agency_id: i64,
    pub agency_name: String,
    pub handling_agency_id: Option<i64>,
    pub handling_agency_name: Option<String>,
    /// 1 trực tiếp, 2 trực tuyến, 3 bưu chính công ích.
    pub channel: i32,
    pub channel_label: &'static str,
    /// National status code 1–10.
    pub status: i32,
    pub status_label: &'static str,
    pub applicant_name: String,
    pub applicant_phone: Option<String>,
    pub received_at: Option<DateTime<Utc>>,
    /// NgayHenTra as issued (never moved).
    pub appointment_at: Option<DateTime<Utc>>,
    /// The new date of an apology letter.
    pub rescheduled_at: Option<DateTime<Utc>>,
    /// The deadline in force (the appointment moved by pauses).
    pub due_at: Option<DateTime<Utc>>,
    /// The provincial shorter target for online dossiers.
    pub target_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub returned_at: Option<DateTime<Utc>>,
    pub supplement_count: i32,
    pub overdue: bool,
    pub step_seq: i32,
    /// The officer the current step is assigned to.
    pub assignee_id: Option<i64>,
    pub step_due_at: Option<DateTime<Utc>>,
    pub fee_amount: Option<i64>,
    pub paid_online: bool,
    pub rating: Option<i32>,
    pub digitized: bool,
    pub e_result: bool,
    pub result_code: Option<String>,
    pub delay_reason: Option<String>,
    /// nd61 (NĐ 61/2018) or nd118 (NĐ 118/2025), by reception date.
    pub regime: String,
}

impl DossierOut {
    pub fn of(d: &Dossier, now: DateTime<Utc>) -> DossierOut {
        DossierOut {
            id: d.id,
            code: d.code.clone(),
            procedure_id: d.tthc_id,
            procedure_code: d.tthc_code.clone(),
            procedure_name: d.tthc_name.clone(),
            agency_id: d.agency_id,
            agency_name: d.agency_name.clone(),
            handling_agency_id: d.handling_agency_id,
            handling_agency_name: d.handling_agency_name.clone(),
            channel: d.channel,
            channel_label: channel_label(d.channel),
            status: i32::from(d.status),
            status_label: d.status.label(),
            applicant_name: d.applicant_name.clone(),
            applicant_phone: d.applicant_phone.clone(),
            received_at: d.received_at,
            appointment_at: d.appointment_at,
            rescheduled_at: d.rescheduled_at,
            due_at: d.due_at,
            target_at: d.target_at,
            finished_at: d.finished_at,
            returned_at: d.returned_at,
            supplement_count: d.supplement_count,
            overdue: d.is_overdue(now),
            step_seq: d.step_seq,
            assignee_id: d.assignee_id,
            step_due_at: d.step_due_at,
            fee_amount: d.fee_amount,
            paid_online: d.paid_online,
            rating: d.rating,
            digitized: d.digitized,
            e_result: d.e_result,
            result_code: d.result_code.clone(),
            delay_reason: d.delay_reason.clone(),
            regime: d.regime.clone(),
        }
    }
}

#[derive(Debug, Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DossierQuery {
    /// National status code 1–10.
    pub status: Option<String>,
    /// `true`: only dossiers past their deadline and still being worked on.
    pub overdue: Option<String>,
    pub agency_id: Option<String>,
    pub procedure_id: Option<String>,
    /// Applicant name or phone (without diacritics too), or an exact dossier code.
    pub q: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// The filter of a list request; the caller's scope is added by [`super::list`].
pub fn filter(q: &DossierQuery, now: DateTime<Utc>) -> Result<DossierFilter, AppError> {
    let status = match q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => match s.parse::<i32>() {
            Ok(n) if (1..=10).contains(&n) => Some(n),
            _ => return Err(AppError::bad("Trạng thái hồ sơ là số từ 1 đến 10.")),
        },
        None => None,
    };
    Ok(DossierFilter {
        agency_id: crate::extract::opt_i64(&q.agency_id, "Cơ quan")?,
        status,
        overdue_at: crate::extract::opt_bool(&q.overdue, "Quá hạn")?
            .unwrap_or(false)
            .then_some(now),
        tthc_id: crate::extract::opt_i64(&q.procedure_id, "Thủ tục")?,
        q: q.q.clone(),
        ..Default::default()
    })
}

/// Dossiers in the caller's scope: received by or handled by an agency in it.
#[utoipa::path(get, path = "/api/v1/dossiers", tag = "dossiers", params(DossierQuery), security(("bearer" = [])),
    responses((status = 200, body = ListOf<DossierOut>), (status = 400)))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<DossierQuery>,
) -> Result<Json<ListOf<DossierOut>>, AppError> {
    let now = Utc::now();
    let f = filter(&q, now)?;
    let page = Page::new(q.limit, q.offset);
    let (items, total) = super::list(&state, &user.principal, f, page).await?;
    Ok(Json(ListOf {
        items: items.iter().map(|d| DossierOut::of(d, now)).collect(),
        total,
        limit: page.limit,
        offset: page.offset,
    }))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EventOut {
    pub kind: String,
    pub label: &'static str,
    pub from_status: Option<i32>,
    pub to_status: i32,
    pub at: DateTime<Utc>,
    pub by: Option<String>,
    pub agency: Option<String>,
    pub to_agency: Option<String>,
    pub step: Option<String>,
    pub note: String,
    /// For hand-overs and finishing: whether the step it closed ran past its allotted time.
    pub step_late: Option<bool>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DossierDetail {
    pub dossier: DossierOut,
    /// The control sheet (phiếu kiểm soát): every hand-over and action.
    pub events: Vec<EventOut>,
    pub documents: Vec<FileOut>,
    pub results: Vec<FileOut>,
}

/// The API's shape of a dossier with its control sheet and files.
pub fn detail_of(v: DossierView) -> DossierDetail {
    DossierDetail {
        dossier: DossierOut::of(&v.dossier, Utc::now()),
        events: v
            .events
            .into_iter()
            .map(|e| EventOut {
                step_late: e.step_late(),
                label: domain::dossier::event_title(&e.kind),
                kind: e.kind,
                from_status: e.from_status,
                to_status: e.to_status,
                at: e.at,
                by: e.full_name.or(e.username),
                agency: e.agency_name,
                to_agency: e.to_agency_name,
                step: e.step_name,
                note: e.note,
            })
            .collect(),
        documents: FileList::of(v.documents).items,
        results: FileList::of(v.results).items,
    }
}

/// One dossier with its control sheet and files (404 outside the caller's scope).
#[utoipa::path(get, path = "/api/v1/dossiers/{id}", tag = "dossiers", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = DossierDetail), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<DossierDetail>, AppError> {
    let v = super::view(&state, &user.principal, parse_id(&id)?).await?;
    Ok(Json(detail_of(v)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct IntakeBody {
    /// Procedure id or code (1.001234).
    pub procedure: String,
    /// 1 trực tiếp (default), 2 trực tuyến, 3 bưu chính công ích.
    #[serde(default)]
    pub channel: Option<i32>,
    pub applicant_name: String,
    #[serde(default)]
    pub applicant_id_no: String,
    #[serde(default)]
    pub applicant_phone: String,
    #[serde(default)]
    pub applicant_email: String,
    #[serde(default)]
    pub applicant_address: String,
    /// Set to refuse at intake (Mẫu 03) with this reason.
    #[serde(default)]
    pub refuse_reason: String,
    #[serde(default)]
    pub note: String,
    /// Submitted online, awaiting the desk's check (status 1).
    #[serde(default)]
    pub online_pending: bool,
    /// The competent agency when the desk receives for another unit (reception
    /// independent of administrative boundaries, NĐ 118/2025 Điều 20): for a commune
    /// procedure, the UBND xã/phường that decides it; default the desk's own unit.
    pub handling_agency_id: Option<i64>,
    /// The documents received, from the procedure's published list (`documents` of
    /// `GET /api/v1/procedures/{id}`): each its number in the list ("1", "2"…) or its
    /// published name. When sent and the procedure has a published list, a document
    /// outside it is refused (400: no document beyond the published list may be asked
    /// for, NĐ 61/2018 Điều 5) and a missing required one is a 422.
    #[serde(default)]
    pub documents: Option<Vec<String>>,
    /// With `documents`: the desk confirms the dossier complete for the applicant's
    /// situation although listed documents of other situations are not among them.
    #[serde(default)]
    pub documents_complete: bool,
}

/// Receive a dossier at the caller's desk. Send an `Idempotency-Key` header (up to 100
/// characters): a retry with the same key returns the dossier already created (200)
/// instead of creating a second one (201).
#[utoipa::path(post, path = "/api/v1/dossiers", tag = "dossiers", request_body = IntakeBody, security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = DossierOut), (status = 200, body = DossierOut), (status = 400), (status = 403), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    ApiJson(b): ApiJson<IntakeBody>,
) -> Result<Response, AppError> {
    let key = match headers.get("idempotency-key") {
        Some(v) => {
            let k = v
                .to_str()
                .map_err(|_| AppError::bad("Idempotency-Key phải là chuỗi ASCII."))?
                .trim()
                .to_string();
            if k.is_empty() || k.len() > 100 {
                return Err(AppError::bad("Idempotency-Key dài từ 1 đến 100 ký tự."));
            }
            // Keys are per account, so two clients cannot collide.
            Some(format!("{}:{k}", user.principal.user_id))
        }
        None => None,
    };
    let input = IntakeInput {
        tthc: b.procedure,
        channel: b.channel.map(|c| c.to_string()).unwrap_or_default(),
        applicant_name: b.applicant_name,
        applicant_id_no: b.applicant_id_no,
        applicant_phone: b.applicant_phone,
        applicant_email: b.applicant_email,
        applicant_address: b.applicant_address,
        refuse_reason: b.refuse_reason,
        note: b.note,
        idempotency_key: key,
        files: Vec::new(),
        online_pending: b.online_pending,
        handling_agency_id: b.handling_agency_id,
        documents: b.documents,
        documents_complete: b.documents_complete,
    };
    let now = Utc::now();
    let (d, created) = super::intake(&state, &user, input, now).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(DossierOut::of(&d, now))).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ActionBody {
    /// receive, refuse_at_intake, assign, transfer, request_supplement, supplement_provided,
    /// request_payment, payment_done, withdraw, stop, finish_processing, return_result.
    pub event: String,
    /// Reason (refusal, supplement, stop) or note.
    #[serde(default)]
    pub reason: String,
    /// For assign/transfer: the receiving agency (default: the next step's owner).
    pub to_agency_id: Option<i64>,
    pub to_user_id: Option<i64>,
    /// For finish_processing: the result's number (MaKetQua).
    #[serde(default)]
    pub result_code: String,
    /// For finish_processing: the result is electronic.
    #[serde(default)]
    pub e_result: bool,
    /// The status code (1–10) the caller last saw; when the dossier has moved since, the
    /// action is refused (409) instead of being applied to a state the caller never saw.
    pub expected_status: Option<i32>,
}

/// Apply an action; illegal transitions are refused (409) with the reason.
#[utoipa::path(post, path = "/api/v1/dossiers/{id}/events", tag = "dossiers", request_body = ActionBody, security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = DossierOut), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn event(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    req: axum::extract::Request,
) -> Result<Json<DossierOut>, AppError> {
    let id = parse_id(&id)?;
    let input = if crate::upload::is_multipart(&req) {
        let mp = axum::extract::Multipart::from_request(req, &state)
            .await
            .map_err(|_| AppError::bad("Dữ liệu multipart không hợp lệ."))?;
        let up = crate::upload::Upload::read(mp, "files").await?;
        ActionInput {
            event: up.field("event"),
            reason: up.field("reason"),
            to_agency_id: crate::extract::opt_i64(
                &up.fields.get("to_agency_id").cloned(),
                "Cơ quan nhận",
            )?,
            to_user_id: crate::extract::opt_i64(
                &up.fields.get("to_user_id").cloned(),
                "Người nhận",
            )?,
            result_code: up.field("result_code"),
            e_result: matches!(up.field("e_result").as_str(), "1" | "true" | "on"),
            files: up.files,
            expected_status: crate::extract::opt_i64(
                &up.fields.get("expected_status").cloned(),
                "Trạng thái",
            )?
            .and_then(|s| i32::try_from(s).ok()),
        }
    } else {
        let ApiJson(b) = ApiJson::<ActionBody>::from_request(req, &state).await?;
        ActionInput {
            event: b.event,
            reason: b.reason,
            to_agency_id: b.to_agency_id,
            to_user_id: b.to_user_id,
            result_code: b.result_code,
            e_result: b.e_result,
            files: Vec::new(),
            expected_status: b.expected_status,
        }
    };
    let now = Utc::now();
    let d = act(&state, &user, id, input, now).await?;
    Ok(Json(DossierOut::of(&d, now)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ApologyBody {
    pub reason: String,
    /// dd/mm/yyyy or YYYY-MM-DD, a working day after the old appointment.
    pub new_date: String,
    /// The officer who caused the delay, if known.
    pub delay_user_id: Option<i64>,
}

/// Apology letter with a new date (Mẫu 04), recording who caused the delay.
#[utoipa::path(post, path = "/api/v1/dossiers/{id}/apology", tag = "dossiers", request_body = ApologyBody, security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = DossierOut), (status = 403), (status = 409), (status = 422)))]
pub async fn apology(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ApologyBody>,
) -> Result<Json<DossierOut>, AppError> {
    let now = Utc::now();
    let d = apologize(
        &state,
        &user,
        parse_id(&id)?,
        &b.reason,
        &b.new_date,
        b.delay_user_id,
        now,
    )
    .await?;
    Ok(Json(DossierOut::of(&d, now)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PaymentBody {
    /// Đồng.
    pub amount: i64,
    #[serde(default)]
    pub online: bool,
}

/// Record a fee or charge collected (at the desk or online).
#[utoipa::path(post, path = "/api/v1/dossiers/{id}/payment", tag = "dossiers", request_body = PaymentBody, security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = DossierOut), (status = 403), (status = 422)))]
pub async fn payment(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<PaymentBody>,
) -> Result<Json<DossierOut>, AppError> {
    let now = Utc::now();
    let d = record(
        &state,
        &user,
        parse_id(&id)?,
        Note::Payment {
            amount: b.amount,
            online: b.online,
        },
        now,
    )
    .await?;
    Ok(Json(DossierOut::of(&d, now)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RatingBody {
    /// 1 không hài lòng, 2 hài lòng, 3 rất hài lòng.
    pub rating: i32,
}

/// Record the applicant's satisfaction after the result is returned.
#[utoipa::path(post, path = "/api/v1/dossiers/{id}/rating", tag = "dossiers", request_body = RatingBody, security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = DossierOut), (status = 403), (status = 409), (status = 422)))]
pub async fn rating(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<RatingBody>,
) -> Result<Json<DossierOut>, AppError> {
    let now = Utc::now();
    let d = record(
        &state,
        &user,
        parse_id(&id)?,
        Note::Rating { rating: b.rating },
        now,
    )
    .await?;
    Ok(Json(DossierOut::of(&d, now)))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OutboxOut {
    pub id: i64,
    pub dossier_id: i64,
    pub code: String,
    /// The state change as sent to the national portal.
    pub payload: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub attempts: i32,
    pub last_error: Option<String>,
}

/// State changes not yet accepted by the national portal (reconciliation), oldest first.
#[utoipa::path(get, path = "/api/v1/dossiers/outbox", tag = "dossiers", security(("bearer" = [])),
    responses((status = 200, body = ListOf<OutboxOut>)))]
pub async fn outbox(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<ListOf<OutboxOut>>, AppError> {
    let (rows, total) = super::outbox(&state, &user.principal, 500).await?;
    Ok(Json(ListOf {
        items: rows
            .into_iter()
            .map(|r| OutboxOut {
                payload: serde_json::from_str(&r.payload).unwrap_or(serde_json::Value::Null),
                id: r.id,
                dossier_id: r.dossier_id,
                code: r.code,
                created_at: r.created_at,
                attempts: r.attempts,
                last_error: r.last_error,
            })
            .collect(),
        total,
        limit: 500,
        offset: 0,
    }))
}
