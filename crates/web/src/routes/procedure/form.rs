//! Pages for catalog managers (admin, Văn phòng UBND – KSTT): adding a procedure
//! (`/thu-tuc/moi`) and editing one (`/thu-tuc/{code}/sua`). Every field of the published
//! procedure is on the form — NĐ 63/2010/NĐ-CP Điều 8 k2 lists them: name, order and manner
//! of filing, dossier documents, time limit, subjects, implementing agency, result, fee and
//! legal basis. Bad input is shown next to its field (status 422) and nothing is saved;
//! the store functions write the audit entry of every change.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use domain::procedure::{OnlineLevel, ProcedureLevel};
use domain::validate::FieldError;
use store::procedure::{Procedure, ProcedureInput};

use super::{ProcedureFields, ensure_manager, find};
use crate::auth::CurrentUser;
use crate::extract::{PageForm, set_flash};
use crate::views::Chrome;
use crate::{AppError, AppState};

#[derive(Template)]
#[template(path = "procedure/form.html")]
struct FormPage {
    chrome: Chrome,
    /// The code of the procedure being edited (None when adding).
    editing: Option<String>,
    f: ProcedureFields,
    errors: Vec<FieldError>,
    levels: Vec<(&'static str, &'static str)>,
    online_levels: Vec<(&'static str, &'static str)>,
    agencies: Vec<(String, String)>,
    internal: bool,
}

impl FormPage {
    fn error(&self, field: &str) -> String {
        self.errors
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn agency_selected(&self, id: &str) -> bool {
        self.f.agency_id.as_deref().map(str::trim) == Some(id)
    }
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    editing: Option<&Procedure>,
    f: ProcedureFields,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let today = chrono::Utc::now().date_naive();
    let all = app::agency::all(state).await?;
    let current = f.agency_id.clone().unwrap_or_default();
    let agencies = all
        .into_iter()
        .filter(|a| a.valid_to.is_none_or(|d| d >= today) || a.id.to_string() == current)
        .map(|a| (a.id.to_string(), format!("{} ({})", a.name, a.code)))
        .collect();
    let title = match editing {
        Some(p) => format!("Sửa thủ tục {}", p.code),
        None => "Thêm thủ tục hành chính".to_string(),
    };
    let view = FormPage {
        chrome: Chrome::new(user, "/thu-tuc", title, None),
        editing: editing.map(|p| p.code.clone()),
        internal: super::truthy(&f.internal, false),
        f,
        errors,
        levels: ProcedureLevel::ALL
            .iter()
            .map(|l| (l.code(), l.label()))
            .collect(),
        online_levels: OnlineLevel::ALL
            .iter()
            .map(|l| (l.code(), l.label()))
            .collect(),
        agencies,
    };
    Ok((status, Html(view.render()?)).into_response())
}

/// Validates the form and the registry agency it names.
async fn check(state: &AppState, f: &ProcedureFields) -> Result<ProcedureInput, Vec<FieldError>> {
    let checked = f.check();
    let mut errors = checked.as_ref().err().cloned().unwrap_or_default();
    if let Some(id) = f
        .agency_id
        .as_deref()
        .map(str::trim)
        .and_then(|s| s.parse::<i64>().ok())
        && id > 0
        && state.agency(id).await.is_err()
    {
        errors.push(FieldError {
            field: "agency_id".into(),
            message: "Cơ quan trong danh mục không tồn tại.".into(),
        });
    }
    match checked {
        Ok(input) if errors.is_empty() => Ok(input),
        _ => Err(errors),
    }
}

/// `GET /thu-tuc/moi` — the empty form.
pub async fn new_form(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    ensure_manager(&user.principal)?;
    let f = ProcedureFields {
        level: "xa".into(),
        online_level: "toan_trinh".into(),
        active: Some("true".into()),
        ..Default::default()
    };
    render(&state, &user, None, f, Vec::new(), StatusCode::OK).await
}

/// `POST /thu-tuc/moi` — add the procedure.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    PageForm(f): PageForm<ProcedureFields>,
) -> Result<Response, AppError> {
    ensure_manager(&user.principal)?;
    let input = match check(&state, &f).await {
        Ok(i) => i,
        Err(errors) => {
            return render(
                &state,
                &user,
                None,
                f,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match app::procedure::create(&state, &user, &input).await {
        Ok(p) => {
            let jar = set_flash(jar, &format!("Đã thêm thủ tục {} – {}.", p.code, p.name));
            Ok((jar, Redirect::to(&format!("/thu-tuc/{}", p.code))).into_response())
        }
        Err(e) => {
            let (status, errors) = AppError::from(e).into_form_errors("code")?;
            render(&state, &user, None, f, errors, status).await
        }
    }
}

/// `GET /thu-tuc/{code}/sua` — the form filled with the procedure.
pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    ensure_manager(&user.principal)?;
    let p = find(&state.db, &code).await?;
    let f = ProcedureFields::from_procedure(&p);
    render(&state, &user, Some(&p), f, Vec::new(), StatusCode::OK).await
}

/// `POST /thu-tuc/{code}/sua` — save the changes.
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(code): Path<String>,
    PageForm(mut f): PageForm<ProcedureFields>,
) -> Result<Response, AppError> {
    ensure_manager(&user.principal)?;
    let p = find(&state.db, &code).await?;
    // Abolition goes through a publication decision (NĐ 63/2010 Điều 15), not this form.
    f.active = Some(p.active.to_string());
    let input = match check(&state, &f).await {
        Ok(i) => i,
        Err(errors) => {
            return render(
                &state,
                &user,
                Some(&p),
                f,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match app::procedure::update(&state, &user, p.id, &input).await {
        Ok(saved) => {
            let jar = set_flash(jar, &format!("Đã lưu thay đổi của thủ tục {}.", saved.code));
            Ok((jar, Redirect::to(&format!("/thu-tuc/{}", saved.code))).into_response())
        }
        Err(e) => {
            let (status, errors) = AppError::from(e).into_form_errors("code")?;
            render(&state, &user, Some(&p), f, errors, status).await
        }
    }
}
