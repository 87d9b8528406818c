//! One error type for pages and API. Handlers return `AppError`; the `render_errors`
//! middleware turns it into JSON `{"error": {"code", "message"}}` under `/api/` and into a
//! Vietnamese error page elsewhere. Internals are logged, never shown.

use app::ServiceError;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::validate::FieldError;
use store::StoreError;

use crate::views;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("Vui lòng đăng nhập.")]
    Unauthorized,
    #[error("{0}")]
    BadCredentials(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("Không tìm thấy.")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    /// A unique value already taken: 409 with the field to change.
    #[error("{message}")]
    Duplicate { field: String, message: String },
    /// The object changed since the caller read it: 409, "reload".
    #[error("{0}")]
    Stale(String),
    #[error("{}", summary(.0))]
    Validation(Vec<FieldError>),
    /// Too many attempts: the message and the seconds to wait (`Retry-After`).
    #[error("{0}")]
    TooManyRequests(String, u64),
    /// The request body is over a limit; the message names it.
    #[error("{0}")]
    TooLarge(String),
    /// The caller's password was set by an administrator: 403 until they change it; a page
    /// request goes to the account page to do so.
    #[error(
        "Mật khẩu của bạn do quản trị đặt lại: hãy đổi mật khẩu trước khi tiếp tục (trang Tài khoản, hoặc POST /api/v1/auth/password)."
    )]
    PasswordChangeRequired,
    /// The server is busy: the message and the seconds to wait (`Retry-After`): 503.
    #[error("{0}")]
    Unavailable(String, u64),
    #[error("Lỗi hệ thống. Vui lòng thử lại sau.")]
    Internal(String),
}

fn summary(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| e.message.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

impl AppError {
    pub fn forbidden() -> Self {
        AppError::Forbidden("Bạn không có quyền thực hiện thao tác này.".into())
    }

    pub fn bad(msg: impl Into<String>) -> Self {
        AppError::BadRequest(msg.into())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized | AppError::BadCredentials(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) | AppError::PasswordChangeRequired => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict(_) | AppError::Duplicate { .. } | AppError::Stale(_) => {
                StatusCode::CONFLICT
            }
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooManyRequests(..) => StatusCode::TOO_MANY_REQUESTS,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unavailable(..) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest(_) => "bad_request",
            AppError::Unauthorized => "unauthorized",
            AppError::BadCredentials(_) => "bad_credentials",
            AppError::Forbidden(_) => "forbidden",
            AppError::PasswordChangeRequired => "password_change_required",
            AppError::NotFound => "not_found",
            AppError::Conflict(_) | AppError::Duplicate { .. } | AppError::Stale(_) => "conflict",
            AppError::Validation(_) => "validation",
            AppError::TooManyRequests(..) => "too_many_requests",
            AppError::TooLarge(_) => "payload_too_large",
            AppError::Unavailable(..) => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }
}

impl AppError {
    /// For a page form: the errors to show next to the fields, with the status to answer.
    /// A conflict belongs to `conflict_field` (the unique code or name); other refusals are
    /// shown on the form as a whole. Anything else stays an error page.
    pub fn into_form_errors(
        self,
        conflict_field: &str,
    ) -> Result<(StatusCode, Vec<FieldError>), AppError> {
        let one = |field: &str, message: String| {
            vec![FieldError {
                field: field.into(),
                message,
            }]
        };
        match self {
            AppError::Validation(errs) => Ok((StatusCode::UNPROCESSABLE_ENTITY, errs)),
            AppError::Conflict(m) => Ok((StatusCode::CONFLICT, one(conflict_field, m))),
            AppError::Stale(m) => Ok((StatusCode::CONFLICT, one("form", m))),
            AppError::Duplicate { field, message } => {
                Ok((StatusCode::CONFLICT, one(&field, message)))
            }
            AppError::BadRequest(m) => Ok((StatusCode::BAD_REQUEST, one("form", m))),
            AppError::Forbidden(m) => Ok((StatusCode::FORBIDDEN, one("form", m))),
            e => Err(e),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        ServiceError::from(e).into()
    }
}

/// One status per service outcome; the service's Vietnamese sentence is shown as it is.
impl From<ServiceError> for AppError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound => AppError::NotFound,
            ServiceError::Forbidden(m) => AppError::Forbidden(m),
            ServiceError::Invalid(f) => AppError::Validation(f),
            ServiceError::BadRequest(m) => AppError::BadRequest(m),
            ServiceError::Conflict(m) => AppError::Conflict(m),
            ServiceError::Stale(m) => AppError::Stale(m),
            ServiceError::Duplicate { field, message } => AppError::Duplicate { field, message },
            ServiceError::TooMany {
                message,
                retry_after,
            } => AppError::TooManyRequests(message, retry_after),
            ServiceError::TooLarge(m) => AppError::TooLarge(m),
            ServiceError::Busy {
                message,
                retry_after,
            } => AppError::Unavailable(message, retry_after),
            ServiceError::Internal(d) => AppError::Internal(d),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

/// The body of every error under `/api/` (documentation of what [`render_errors`] writes).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// `{"code", "message"}`, with `fields` when the error belongs to fields (422, and a taken
/// value's 409).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// bad_request, unauthorized, bad_credentials, forbidden, not_found, conflict,
    /// validation, too_many_requests, payload_too_large, method_not_allowed, timeout,
    /// unsupported_media_type, internal.
    pub code: String,
    /// The Vietnamese sentence to show.
    pub message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldErrorOut>,
}

/// One field's problem.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[schema(as = FieldError)]
pub struct FieldErrorOut {
    pub field: String,
    pub message: String,
}

/// What `render_errors` needs to know about a failed response.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub code: &'static str,
    pub message: String,
    pub fields: Vec<FieldError>,
    /// The error page's heading when the status alone does not say it (a taken value,
    /// a stale view).
    pub title: Option<&'static str>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(detail) = &self {
            tracing::error!(error = %detail, "internal error");
        }
        let fields = match &self {
            AppError::Validation(f) => f.clone(),
            AppError::Duplicate { field, message } => vec![FieldError {
                field: field.clone(),
                message: message.clone(),
            }],
            _ => Vec::new(),
        };
        let mut res = self.status().into_response();
        if let AppError::TooManyRequests(_, after) | AppError::Unavailable(_, after) = &self {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(*after));
        }
        let title = match &self {
            AppError::Duplicate { .. } => Some("Dữ liệu bị trùng"),
            AppError::Stale(_) => Some("Dữ liệu vừa thay đổi"),
            _ => None,
        };
        res.extensions_mut().insert(ErrorInfo {
            code: self.code(),
            message: self.to_string(),
            fields,
            title,
        });
        res
    }
}

/// Vietnamese text for errors that axum or tower produced themselves (bad path
/// parameters, wrong content type, body too large, unknown route…).
fn generic(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        400 => ("bad_request", "Yêu cầu không hợp lệ."),
        401 => ("unauthorized", "Vui lòng đăng nhập."),
        403 => ("forbidden", "Bạn không có quyền truy cập."),
        404 => ("not_found", "Không tìm thấy trang hoặc dữ liệu yêu cầu."),
        405 => ("method_not_allowed", "Phương thức không được hỗ trợ."),
        408 => ("timeout", "Yêu cầu quá thời gian xử lý."),
        413 => ("payload_too_large", "Dữ liệu gửi lên quá lớn."),
        415 => (
            "unsupported_media_type",
            "Kiểu dữ liệu gửi lên không được hỗ trợ.",
        ),
        422 => ("validation", "Dữ liệu gửi lên không hợp lệ."),
        429 => (
            "too_many_requests",
            "Quá nhiều yêu cầu, vui lòng thử lại sau.",
        ),
        503 => (
            "unavailable",
            "Máy chủ đang bận, vui lòng thử lại sau ít phút.",
        ),
        _ => ("internal", "Lỗi hệ thống. Vui lòng thử lại sau."),
    }
}

/// Renders every error response in the caller's language of choice: JSON for the API,
/// a page for the browser.
pub async fn render_errors(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let query = req.uri().query().map(str::to_string);
    let is_api = path.starts_with("/api/");
    let is_htmx = req.headers().contains_key("hx-request");
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let info = match res.extensions().get::<ErrorInfo>() {
        Some(i) => i.clone(),
        None => {
            // Responses a handler rendered itself (e.g. a form with its errors) pass as they are.
            let has_body_type = res.headers().contains_key(header::CONTENT_TYPE)
                && !res
                    .headers()
                    .get(header::CONTENT_TYPE)
                    .is_some_and(|v| v.as_bytes().starts_with(b"text/plain"));
            if has_body_type {
                return res;
            }
            let (code, message) = generic(status);
            ErrorInfo {
                code,
                message: message.to_string(),
                fields: Vec::new(),
                title: None,
            }
        }
    };
    let request_id = res.headers().get("x-request-id").cloned();
    let retry_after = res.headers().get(header::RETRY_AFTER).cloned();
    let mut out = if is_api {
        let mut body = serde_json::json!({"error": {"code": info.code, "message": info.message}});
        if !info.fields.is_empty() {
            body["error"]["fields"] = serde_json::to_value(&info.fields).unwrap_or_default();
        }
        let mut r = (status, axum::Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            r.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        r
    } else if status == StatusCode::UNAUTHORIZED && !is_htmx {
        let next_url = match &query {
            Some(q) => format!("{path}?{q}"),
            None => path.clone(),
        };
        let target = format!(
            "/dang-nhap?next={}",
            serde_urlencoded::to_string([("", next_url.as_str())])
                .unwrap_or_default()
                .trim_start_matches('=')
        );
        Redirect::to(&target).into_response()
    } else if info.code == "password_change_required" && !is_htmx {
        Redirect::to(crate::auth::PASSWORD_CHANGE_PAGE).into_response()
    } else {
        let page = views::ErrorPage {
            status: status.as_u16(),
            title: info
                .title
                .unwrap_or_else(|| views::error_title(status.as_u16())),
            message: info.message.clone(),
        };
        match askama::Template::render(&page) {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, info.message.clone()).into_response(),
        }
    };
    if let Some(id) = request_id {
        out.headers_mut().insert("x-request-id", id);
    }
    if let Some(after) = retry_after {
        out.headers_mut().insert(header::RETRY_AFTER, after);
    }
    out
}

/// The status and Vietnamese sentence a page shows for a refused operation (the page is
/// rendered again with it); `None` for what goes to the error page instead: an object
/// not found (or outside the caller's scope) and an internal error.
pub fn page_message(e: &app::ServiceError) -> (StatusCode, Option<String>) {
    use app::ServiceError as E;
    match e {
        E::Invalid(errs) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(
                errs.iter()
                    .map(|e| e.message.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
        ),
        E::Conflict(m) | E::Stale(m) => (StatusCode::CONFLICT, Some(m.clone())),
        E::Duplicate { message, .. } => (StatusCode::CONFLICT, Some(message.clone())),
        E::BadRequest(m) => (StatusCode::BAD_REQUEST, Some(m.clone())),
        E::Forbidden(m) => (StatusCode::FORBIDDEN, Some(m.clone())),
        E::TooMany { message, .. } => (StatusCode::TOO_MANY_REQUESTS, Some(message.clone())),
        E::TooLarge(m) => (StatusCode::PAYLOAD_TOO_LARGE, Some(m.clone())),
        E::NotFound => (StatusCode::NOT_FOUND, None),
        E::Busy { message, .. } => (StatusCode::SERVICE_UNAVAILABLE, Some(message.clone())),
        E::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, None),
    }
}
