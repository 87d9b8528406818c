//! Extractors with Vietnamese rejections, and small helpers for flash messages.

use axum::extract::rejection::{FormRejection, JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum_extra::extract::cookie::{Cookie, CookieJar};
use serde::de::DeserializeOwned;

use crate::AppError;

/// `axum::Json` whose rejections are Vietnamese `AppError`s.
pub struct ApiJson<T>(pub T);

/// Most bytes of a JSON or urlencoded body (files travel as multipart forms).
pub const MAX_JSON_BYTES: usize = 2 * 1024 * 1024;

/// The request with its body read up to `max` bytes; over it, a 413 naming the limit.
async fn within(req: Request, max: usize, what: &str) -> Result<Request, AppError> {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, max).await.map_err(|_| {
        AppError::TooLarge(format!(
            "Dữ liệu {what} gửi lên vượt quá {} MB.",
            max / 1024 / 1024
        ))
    })?;
    Ok(Request::from_parts(parts, axum::body::Body::from(bytes)))
}

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let req = within(req, MAX_JSON_BYTES, "JSON").await?;
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(e) => Err(json_rejection(e)),
        }
    }
}

fn json_rejection(e: JsonRejection) -> AppError {
    match e {
        JsonRejection::MissingJsonContentType(_) => {
            AppError::bad("Thiếu tiêu đề Content-Type: application/json.")
        }
        JsonRejection::JsonSyntaxError(_) => {
            AppError::bad("Dữ liệu JSON không hợp lệ (sai cú pháp hoặc không phải UTF-8).")
        }
        JsonRejection::JsonDataError(e) => {
            // serde names the field ("…target type: percent: invalid type…"); keep only the
            // name, the rest of its English text is no use to the user.
            let text = e.body_text();
            let field = text
                .split_once("target type: ")
                .and_then(|(_, rest)| rest.split_once(':'))
                .map(|(f, _)| f.trim().to_string())
                .filter(|f| !f.is_empty() && !f.contains(' '));
            let message = match &field {
                Some(f) => {
                    format!("Dữ liệu không đúng kiểu hoặc thiếu trường bắt buộc: trường «{f}».")
                }
                None => "Dữ liệu không đúng kiểu hoặc thiếu trường bắt buộc.".to_string(),
            };
            AppError::Validation(vec![domain::validate::FieldError {
                field: field.unwrap_or_else(|| "body".into()),
                message,
            }])
        }
        JsonRejection::BytesRejection(_) => AppError::bad("Không đọc được dữ liệu gửi lên."),
        _ => AppError::bad("Dữ liệu gửi lên không hợp lệ."),
    }
}

/// `axum::Form` with Vietnamese rejections.
pub struct PageForm<T>(pub T);

impl<S, T> FromRequest<S> for PageForm<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let req = within(req, MAX_JSON_BYTES, "biểu mẫu").await?;
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(PageForm(v)),
            Err(
                FormRejection::FailedToDeserializeForm(_)
                | FormRejection::FailedToDeserializeFormBody(_),
            ) => Err(AppError::bad("Dữ liệu biểu mẫu không hợp lệ.")),
            Err(_) => Err(AppError::bad("Không đọc được dữ liệu biểu mẫu.")),
        }
    }
}

/// `axum::Query` with Vietnamese rejections.
pub struct Q<T>(pub T);

impl<S, T> FromRequestParts<S> for Q<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Q(v)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => {
                // serde_urlencoded names the parameter ("…query string: on: input contains
                // invalid characters"); keep the name, not its English text.
                let text = e.body_text();
                let rest = text.split_once("query string: ").map_or("", |(_, r)| r);
                let missing = rest
                    .strip_prefix("missing field `")
                    .and_then(|r| r.split_once('`'))
                    .map(|(n, _)| n);
                let name = rest
                    .split_once(':')
                    .map(|(n, _)| n.trim())
                    .filter(|n| !n.is_empty() && !n.contains(' '));
                Err(AppError::bad(match (missing, name) {
                    (Some(n), _) => format!("Thiếu tham số truy vấn «{n}»."),
                    (None, Some(n)) => {
                        format!("Tham số truy vấn «{n}» không hợp lệ (sai kiểu hoặc giá trị).")
                    }
                    (None, None) => "Tham số truy vấn không hợp lệ.".to_string(),
                }))
            }
            Err(_) => Err(AppError::bad("Tham số truy vấn không hợp lệ.")),
        }
    }
}

/// Parses an optional numeric query/form value where an empty string means "none".
pub fn opt_i64(v: &Option<String>, label: &str) -> Result<Option<i64>, AppError> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => s
            .parse()
            .map(Some)
            .map_err(|_| AppError::bad(format!("{label} phải là số nguyên."))),
    }
}

/// An instant sent back by a form (RFC 3339, as the API wrote it), or nothing.
pub fn opt_instant(v: &str) -> Result<Option<chrono::DateTime<chrono::Utc>>, AppError> {
    match v.trim() {
        "" => Ok(None),
        s => chrono::DateTime::parse_from_rfc3339(s)
            .map(|t| Some(t.to_utc()))
            .map_err(|_| AppError::bad("Mốc thời gian của dữ liệu đã xem không hợp lệ.")),
    }
}

pub fn opt_bool(v: &Option<String>, label: &str) -> Result<Option<bool>, AppError> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some("true" | "1" | "on") => Ok(Some(true)),
        Some("false" | "0" | "off") => Ok(Some(false)),
        Some(_) => Err(AppError::bad(format!("{label} phải là true hoặc false."))),
    }
}

const FLASH_COOKIE: &str = "cchc_flash";

/// Stores a one-time message shown on the next page.
pub fn set_flash(jar: CookieJar, message: &str) -> CookieJar {
    let encoded: String = serde_urlencoded::to_string([("m", message)]).unwrap_or_default();
    jar.add(
        Cookie::build((FLASH_COOKIE, encoded))
            .path("/")
            .http_only(true)
            .build(),
    )
}

/// The mark of a message that reports a refusal (drawn as an alert by the layout).
pub const FLASH_ERROR_MARK: &str = "⚠ ";

/// Takes the one-time message, if any.
pub fn take_flash(jar: CookieJar) -> (CookieJar, Option<String>) {
    let Some(c) = jar.get(FLASH_COOKIE) else {
        return (jar, None);
    };
    let msg = serde_urlencoded::from_str::<Vec<(String, String)>>(c.value())
        .ok()
        .and_then(|v| v.into_iter().next().map(|(_, m)| m));
    (
        jar.remove(Cookie::build(FLASH_COOKIE).path("/").build()),
        msg,
    )
}

/// The peer address, when the server was started with connection info.
pub struct ClientIp(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(crate::auth::client_ip(parts)))
    }
}
