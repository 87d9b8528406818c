//! The one error type of every service. Each variant says what the caller must do, in
//! Vietnamese; the web layer maps it to a status (`web::ServiceError: From<ServiceError>`), the
//! CLI prints it. A store error is mapped where the service knows what it means (a
//! constraint name to the field the user must change: [`ServiceError::duplicate_of`]);
//! what reaches [`From<StoreError>`] unmapped gets a generic sentence.

use domain::validate::FieldError;
use store::StoreError;

#[derive(Debug, Clone, thiserror::Error)]
pub enum ServiceError {
    /// Absent, or outside the caller's scope (existence does not leak): 404.
    #[error("Không tìm thấy.")]
    NotFound,
    /// The caller may see the object but not do this: 403.
    #[error("{0}")]
    Forbidden(String),
    /// Input that fails validation, field by field: 422.
    #[error("{}", summary(.0))]
    Invalid(Vec<FieldError>),
    /// The request as a whole cannot be carried out as sent: 400.
    #[error("{0}")]
    BadRequest(String),
    /// The object's state forbids the action (a closed period, a finished dossier): 409.
    #[error("{0}")]
    Conflict(String),
    /// A guarded write lost a race: someone changed the object since the caller read it.
    /// The message says what happened and to reload: 409.
    #[error("{0}")]
    Stale(String),
    /// A unique value already taken: the field to change and the sentence to show: 409.
    #[error("{message}")]
    Duplicate { field: String, message: String },
    /// Too many attempts from a client or on an object; wait `retry_after` seconds: 429.
    #[error("{message}")]
    TooMany { message: String, retry_after: u64 },
    /// An upload over a limit of what the server reads (size, nesting, time to read);
    /// the sentence names the limit: 413.
    #[error("{0}")]
    TooLarge(String),
    /// The server cannot take the work now (every reader busy); not the client's fault,
    /// try again in `retry_after` seconds: 503.
    #[error("{message}")]
    Busy { message: String, retry_after: u64 },
    /// Anything else; the detail is logged, never shown: 500.
    #[error("Lỗi hệ thống. Vui lòng thử lại sau.")]
    Internal(String),
}

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;

fn summary(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| e.message.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The generic sentence of a lost race.
pub const STALE: &str = "Dữ liệu vừa được người khác cập nhật trong lúc bạn thao tác; vui lòng tải lại trang để xem trạng thái mới rồi thực hiện lại.";

impl ServiceError {
    pub fn forbidden() -> Self {
        ServiceError::Forbidden("Bạn không có quyền thực hiện thao tác này.".into())
    }

    pub fn bad(msg: impl Into<String>) -> Self {
        ServiceError::BadRequest(msg.into())
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        ServiceError::Invalid(vec![FieldError {
            field: field.into(),
            message: message.into(),
        }])
    }

    pub fn internal(detail: impl std::fmt::Display) -> Self {
        ServiceError::Internal(detail.to_string())
    }

    /// Maps a store error at a call site that knows its unique constraints: a
    /// `Conflict` naming one of `fields`' constraints (by substring of the constraint or
    /// index name) becomes `Duplicate` on that field with its sentence; a lost race
    /// becomes `Stale` with `stale` (or the generic sentence); anything else as
    /// [`From<StoreError>`].
    pub fn from_store(e: StoreError, fields: &[(&str, &str, &str)], stale: Option<&str>) -> Self {
        match e {
            StoreError::Conflict(c) => {
                match fields
                    .iter()
                    .find(|(constraint, _, _)| c.contains(constraint))
                {
                    Some((_, field, message)) => ServiceError::Duplicate {
                        field: (*field).into(),
                        message: (*message).into(),
                    },
                    None => StoreError::Conflict(c).into(),
                }
            }
            StoreError::Stale(_) => ServiceError::Stale(stale.unwrap_or(STALE).into()),
            e => e.into(),
        }
    }

    /// [`Self::from_store`] as a closure for `map_err`.
    pub fn duplicate_of<'a>(
        fields: &'a [(&'a str, &'a str, &'a str)],
    ) -> impl Fn(StoreError) -> ServiceError + 'a {
        move |e| ServiceError::from_store(e, fields, None)
    }

    /// [`Self::from_store`] for a guarded write: a lost race says `message`.
    pub fn stale_as(message: &str) -> impl Fn(StoreError) -> ServiceError + '_ {
        move |e| ServiceError::from_store(e, &[], Some(message))
    }
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ServiceError::NotFound,
            StoreError::Conflict(c) => {
                tracing::debug!(constraint = %c, "unmapped constraint violation");
                ServiceError::Conflict(
                    "Dữ liệu trùng hoặc đang được tham chiếu, không thể lưu.".into(),
                )
            }
            StoreError::Stale(_) => ServiceError::Stale(STALE.into()),
            StoreError::Invalid(m) => ServiceError::BadRequest(capitalise(&m)),
            e => ServiceError::Internal(e.to_string()),
        }
    }
}

/// First letter upper case and a final full stop: a store's message as a sentence.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => {
            f.to_uppercase().chain(c).collect::<String>() + if s.ends_with('.') { "" } else { "." }
        }
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraints_map_to_fields_and_races_to_stale() {
        let fields = [("agency_code", "code", "Mã cơ quan này đã được dùng.")];
        let e = ServiceError::from_store(
            StoreError::Conflict("agency_code_key".into()),
            &fields,
            None,
        );
        assert!(
            matches!(&e, ServiceError::Duplicate { field, .. } if field == "code"),
            "{e:?}"
        );
        // A constraint the call site does not name is not blamed on a field.
        let e = ServiceError::from_store(StoreError::Conflict("x_fkey".into()), &fields, None);
        assert!(matches!(e, ServiceError::Conflict(_)), "{e:?}");
        let e = ServiceError::from_store(StoreError::Stale("s".into()), &fields, Some("Tải lại."));
        assert_eq!(e.to_string(), "Tải lại.");
        assert!(matches!(
            ServiceError::from(StoreError::Stale("s".into())),
            ServiceError::Stale(_)
        ));
        assert_eq!(
            ServiceError::from(StoreError::Invalid("sai".into())).to_string(),
            "Sai."
        );
    }
}
