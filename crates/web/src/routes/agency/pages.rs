//! Pages: the agency tree, an agency's details, and the forms administrators use.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use domain::org::AgencyKind;
use domain::validate::FieldError;
use serde::Deserialize;
use store::Page;
use store::agency::{Agency, AgencyFilter};

use super::{AgencyFields, check, tree_order, visible};
use crate::auth::CurrentUser;
use crate::extract::{PageForm, Q, set_flash, take_flash};
use crate::routes::parse_id;
use crate::views::{Chrome, date_vn, opt_date_vn};
use crate::{AppError, AppState};

/// One row of the tree as shown.
pub struct TreeRow {
    pub a: Agency,
    pub indent: usize,
    pub period: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "agency/list.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<TreeRow>,
    total: usize,
    q: String,
    kind: String,
    on: String,
    show_inactive: bool,
    kinds: Vec<(&'static str, &'static str)>,
    can_manage: bool,
    flat: bool,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    kind: Option<String>,
    on: Option<String>,
    inactive: Option<String>,
}

fn period_of(a: &Agency) -> String {
    match a.valid_to {
        Some(to) => format!("{} – {}", date_vn(&a.valid_from), date_vn(&to)),
        None => format!("từ {}", date_vn(&a.valid_from)),
    }
}

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Q(q): Q<ListQuery>,
) -> Result<Response, AppError> {
    let on = q.on.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let on_date = match on {
        Some(s) => Some(
            domain::validate::parse_date(s)
                .ok_or_else(|| AppError::bad("Ngày lọc không đúng định dạng dd/mm/yyyy."))?,
        ),
        None => None,
    };
    let kind = q.kind.clone().filter(|k| !k.is_empty());
    if let Some(k) = &kind
        && AgencyKind::parse(k).is_none()
    {
        return Err(AppError::bad("Loại cơ quan không hợp lệ."));
    }
    let show_inactive = q.inactive.as_deref() == Some("1");
    let search = q.q.clone().unwrap_or_default();
    let filter = AgencyFilter {
        q: Some(search.clone()),
        kind: kind.clone(),
        active: if show_inactive { None } else { Some(true) },
        on_date,
        ..Default::default()
    };
    let (items, _) = app::agency::list(&state, &user.principal, filter, Page::all()).await?;
    let flat = !search.trim().is_empty() || kind.is_some();
    let today = chrono::Utc::now().date_naive();
    let rows: Vec<TreeRow> = if flat {
        items
            .into_iter()
            .map(|a| TreeRow {
                period: period_of(&a),
                current: a.valid_on(today),
                a,
                indent: 0,
            })
            .collect()
    } else {
        tree_order(items)
            .into_iter()
            .map(|(a, indent)| TreeRow {
                period: period_of(&a),
                current: a.valid_on(today),
                a,
                indent,
            })
            .collect()
    };
    let (jar, flash) = take_flash(jar);
    let page = ListPage {
        chrome: Chrome::new(&user, "/co-quan", "Cơ quan, đơn vị", flash),
        total: rows.len(),
        rows,
        q: search,
        kind: kind.unwrap_or_default(),
        on: on.unwrap_or_default().to_string(),
        show_inactive,
        kinds: AgencyKind::ALL
            .iter()
            .map(|k| (k.code(), k.label()))
            .collect(),
        can_manage: user.principal.can_manage_agencies(),
        flat,
    };
    Ok((jar, Html(page.render()?)).into_response())
}

#[derive(Template)]
#[template(path = "agency/detail.html")]
struct DetailPage {
    chrome: Chrome,
    a: Agency,
    ancestors: Vec<Agency>,
    children: Vec<TreeRow>,
    merged_into: Option<Agency>,
    predecessors: Vec<Agency>,
    users: Vec<store::user::User>,
    can_manage: bool,
    can_see_users: bool,
    valid_from: String,
    valid_to: String,
    status: String,
}

/// "Đang hoạt động", "Đã kết thúc hoạt động từ dd/mm/yyyy" or "Chưa hoạt động".
fn status_text(a: &Agency, today: chrono::NaiveDate) -> String {
    if !a.active {
        return "Ngừng hoạt động trên hệ thống".into();
    }
    match a.valid_to {
        Some(to) if to < today => format!(
            "Đã kết thúc hoạt động từ {}",
            to.succ_opt().map(|d| date_vn(&d)).unwrap_or_default()
        ),
        _ if a.valid_from > today => format!("Bắt đầu hoạt động từ {}", date_vn(&a.valid_from)),
        _ => "Đang hoạt động".into(),
    }
}

pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let p = &user.principal;
    let v = app::agency::view(&state, p, parse_id(&id)?).await?;
    let a = v.agency;
    let children = v
        .children
        .into_iter()
        .map(|c| TreeRow {
            period: period_of(&c),
            current: c.valid_to.is_none(),
            a: c,
            indent: 0,
        })
        .collect();
    let (jar, flash) = take_flash(jar);
    let page = DetailPage {
        chrome: Chrome::new(&user, "/co-quan", a.name.clone(), flash),
        valid_from: date_vn(&a.valid_from),
        valid_to: opt_date_vn(&a.valid_to),
        status: status_text(&a, chrono::Utc::now().date_naive()),
        ancestors: v.ancestors,
        children,
        merged_into: v.merged_into,
        predecessors: v.predecessors,
        users: v.users,
        can_manage: p.can_manage_agencies(),
        can_see_users: true,
        a,
    };
    Ok((jar, Html(page.render()?)).into_response())
}

#[derive(Template)]
#[template(path = "agency/form.html")]
struct FormPage {
    chrome: Chrome,
    editing: Option<Agency>,
    f: AgencyFields,
    errors: Vec<FieldError>,
    parents: Vec<(i64, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    show_parent: bool,
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
}

async fn render_form(
    state: &AppState,
    user: &CurrentUser,
    editing: Option<Agency>,
    f: AgencyFields,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let parents = tree_order(app::agency::all(state).await?)
        .into_iter()
        .filter(|(a, _)| {
            editing
                .as_ref()
                .is_none_or(|e| !a.path.starts_with(&e.path))
        })
        .map(|(a, depth)| {
            (
                a.id,
                format!("{}{} ({})", "— ".repeat(depth), a.name, a.code),
            )
        })
        .collect();
    let title = match &editing {
        Some(a) => format!("Sửa cơ quan: {}", a.name),
        None => "Thêm cơ quan, đơn vị".to_string(),
    };
    let page = FormPage {
        chrome: Chrome::new(user, "/co-quan", title, None),
        show_parent: editing.as_ref().is_none_or(|a| a.parent_id.is_some()),
        editing,
        f,
        errors,
        parents,
        kinds: AgencyKind::ALL
            .iter()
            .map(|k| (k.code(), k.label()))
            .collect(),
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn new_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<HashMap<String, String>>,
) -> Result<Response, AppError> {
    if !user.principal.can_manage_agencies() {
        return Err(AppError::forbidden());
    }
    let f = AgencyFields {
        parent_id: q.get("parent_id").cloned().unwrap_or_default(),
        valid_from: chrono::Utc::now()
            .date_naive()
            .format("%d/%m/%Y")
            .to_string(),
        kind: "ubnd_xa".into(),
        ..Default::default()
    };
    render_form(&state, &user, None, f, Vec::new(), StatusCode::OK).await
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    PageForm(f): PageForm<AgencyFields>,
) -> Result<Response, AppError> {
    if !user.principal.can_manage_agencies() {
        return Err(AppError::forbidden());
    }
    let input = match check(&f, false) {
        Ok(i) => i,
        Err(errors) => {
            return render_form(
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
    match app::agency::create(&state, &user, &input).await {
        Ok(a) => {
            let jar = set_flash(jar, &format!("Đã thêm cơ quan «{}».", a.name));
            Ok((jar, Redirect::to(&format!("/co-quan/{}", a.id))).into_response())
        }
        Err(e) => form_error(&state, &user, None, f, e.into()).await,
    }
}

/// Shows a store or reference error next to the form instead of a bare error page.
async fn form_error(
    state: &AppState,
    user: &CurrentUser,
    editing: Option<Agency>,
    f: AgencyFields,
    e: AppError,
) -> Result<Response, AppError> {
    let (status, errors) = e.into_form_errors("code")?;
    render_form(state, user, editing, f, errors, status).await
}

pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let a = visible(&state, &user.principal, parse_id(&id)?).await?;
    if !user.principal.can_manage_agencies() {
        return Err(AppError::forbidden());
    }
    let f = AgencyFields::from_agency(&a);
    render_form(&state, &user, Some(a), f, Vec::new(), StatusCode::OK).await
}

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    PageForm(f): PageForm<AgencyFields>,
) -> Result<Response, AppError> {
    let a = visible(&state, &user.principal, parse_id(&id)?).await?;
    if !user.principal.can_manage_agencies() {
        return Err(AppError::forbidden());
    }
    let input = match check(&f, a.parent_id.is_none()) {
        Ok(i) => i,
        Err(errors) => {
            return render_form(
                &state,
                &user,
                Some(a),
                f,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match app::agency::update(&state, &user, a.id, &input).await {
        Ok(a) => {
            let jar = set_flash(jar, &format!("Đã lưu thay đổi của «{}».", a.name));
            Ok((jar, Redirect::to(&format!("/co-quan/{}", a.id))).into_response())
        }
        Err(e) => form_error(&state, &user, Some(a), f, e.into()).await,
    }
}

#[derive(Deserialize)]
pub struct ActiveForm {
    active: String,
}

pub async fn set_active(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    PageForm(f): PageForm<ActiveForm>,
) -> Result<Response, AppError> {
    let active = match f.active.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(AppError::bad("Trạng thái không hợp lệ.")),
    };
    let a = app::agency::set_active(&state, &user, parse_id(&id)?, active).await?;
    let msg = if active {
        "Đã kích hoạt lại"
    } else {
        "Đã ngừng hoạt động"
    };
    let jar = set_flash(jar, &format!("{msg} «{}».", a.name));
    Ok((jar, Redirect::to(&format!("/co-quan/{}", a.id))).into_response())
}
