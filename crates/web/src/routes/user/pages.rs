//! Pages: the user directory, account details, and the account forms.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use domain::org::Role;
use domain::validate::FieldError;
use serde::Deserialize;
use store::Page;
use store::user::{User, UserFilter};

use super::{UserFields, check, may_manage, visible};
use crate::auth::CurrentUser;
use crate::extract::{PageForm, Q, set_flash, take_flash};
use crate::routes::parse_id;
use crate::views::{Chrome, datetime_vn};
use crate::{AppError, AppState};

#[derive(Template)]
#[template(path = "user/list.html")]
struct ListPage {
    chrome: Chrome,
    users: Vec<User>,
    total: i64,
    q: String,
    role: String,
    roles: Vec<(&'static str, &'static str)>,
    can_create: bool,
    page: i64,
    pages: i64,
    prev_href: String,
    next_href: String,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    role: Option<String>,
    trang: Option<String>,
}

const PER_PAGE: i64 = 50;

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Q(q): Q<ListQuery>,
) -> Result<Response, AppError> {
    let role = q.role.clone().filter(|r| !r.is_empty());
    if let Some(r) = &role
        && Role::parse(r).is_none()
    {
        return Err(AppError::bad("Vai trò không hợp lệ."));
    }
    let page_no = crate::extract::opt_i64(&q.trang, "Số trang")?
        .unwrap_or(1)
        .max(1);
    let search = q.q.clone().unwrap_or_default();
    let filter = UserFilter {
        q: Some(search.clone()),
        role: role.clone(),
        ..Default::default()
    };
    let (users, total) = app::user::list(
        &state,
        &user.principal,
        filter,
        Page::new(Some(PER_PAGE), Some((page_no - 1) * PER_PAGE)),
    )
    .await?;
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let href = |p: i64| {
        serde_urlencoded::to_string([
            ("q", search.as_str()),
            ("role", role.as_deref().unwrap_or("")),
            ("trang", &p.to_string()),
        ])
        .map(|s| format!("/nguoi-dung?{s}"))
        .unwrap_or_default()
    };
    let (jar, flash) = take_flash(jar);
    let p = &user.principal;
    let page = ListPage {
        chrome: Chrome::new(&user, "/nguoi-dung", "Người dùng", flash),
        users,
        total,
        q: search.clone(),
        role: role.clone().unwrap_or_default(),
        roles: Role::ALL.iter().map(|r| (r.code(), r.label())).collect(),
        can_create: p.is_admin() || p.has(Role::LanhDaoDonVi),
        page: page_no,
        pages,
        prev_href: href(page_no - 1),
        next_href: href(page_no + 1),
    };
    Ok((jar, Html(page.render()?)).into_response())
}

#[derive(Template)]
#[template(path = "user/detail.html")]
struct DetailPage {
    chrome: Chrome,
    u: User,
    can_manage: bool,
    is_self: bool,
    created: String,
    updated: String,
    history: Vec<store::audit::AuditRow>,
}

impl DetailPage {
    fn when(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        datetime_vn(t)
    }
}

pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let v = app::user::view(&state, &user.principal, parse_id(&id)?).await?;
    let (u, can_manage, history) = (v.user, v.can_manage, v.history);
    let (jar, flash) = take_flash(jar);
    let page = DetailPage {
        chrome: Chrome::new(&user, "/nguoi-dung", u.full_name.clone(), flash),
        can_manage,
        is_self: u.id == user.principal.user_id,
        created: datetime_vn(&u.created_at),
        updated: datetime_vn(&u.updated_at),
        history,
        u,
    };
    Ok((jar, Html(page.render()?)).into_response())
}

#[derive(Template)]
#[template(path = "user/form.html")]
struct FormPage {
    chrome: Chrome,
    editing: Option<User>,
    f: UserFields,
    errors: Vec<FieldError>,
    agencies: Vec<(i64, String)>,
    roles: Vec<(&'static str, &'static str, bool)>,
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

    fn has_role(&self, code: &str) -> bool {
        self.f.roles.iter().any(|r| r == code)
    }
}

async fn render_form(
    state: &AppState,
    user: &CurrentUser,
    editing: Option<User>,
    f: UserFields,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let p = &user.principal;
    let agencies = app::user::agency_choices(state, p)
        .await?
        .into_iter()
        .map(|(a, depth)| (a.id, format!("{}{}", "— ".repeat(depth), a.name)))
        .collect();
    let title = match &editing {
        Some(u) => format!("Sửa tài khoản: {}", u.username),
        None => "Thêm người dùng".to_string(),
    };
    let page = FormPage {
        chrome: Chrome::new(user, "/nguoi-dung", title, None),
        editing,
        f,
        errors,
        agencies,
        roles: Role::ALL
            .iter()
            .map(|r| (r.code(), r.label(), p.can_grant(*r)))
            .collect(),
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn form_error(
    state: &AppState,
    user: &CurrentUser,
    editing: Option<User>,
    f: UserFields,
    e: AppError,
) -> Result<Response, AppError> {
    let (status, errors) = e.into_form_errors("username")?;
    render_form(state, user, editing, f, errors, status).await
}

/// HTML forms send repeated `roles=` fields; serde_urlencoded wants them collected by hand.
fn parse_user_form(body: &[u8]) -> Result<UserFields, AppError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
        .map_err(|_| AppError::bad("Dữ liệu biểu mẫu không hợp lệ."))?;
    let mut f = UserFields::default();
    for (k, v) in pairs {
        match k.as_str() {
            "username" => f.username = v,
            "full_name" => f.full_name = v,
            "title" => f.title = v,
            "email" => f.email = v,
            "phone" => f.phone = v,
            "agency_id" => f.agency_id = v,
            "roles" => f.roles.push(v),
            _ => {}
        }
    }
    Ok(f)
}

pub async fn new_form(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let p = &user.principal;
    if !(p.is_admin() || p.has(Role::LanhDaoDonVi)) {
        return Err(AppError::forbidden());
    }
    let f = UserFields {
        agency_id: p.agency_id.to_string(),
        roles: vec!["chuyen_vien".into()],
        ..Default::default()
    };
    render_form(&state, &user, None, f, Vec::new(), StatusCode::OK).await
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    body: Bytes,
) -> Result<Response, AppError> {
    let p = &user.principal;
    if !(p.is_admin() || p.has(Role::LanhDaoDonVi)) {
        return Err(AppError::forbidden());
    }
    let f = parse_user_form(&body)?;
    let input = match check(&f) {
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
    match app::user::create(&state, &user, &input, None).await {
        Ok((u, password)) => {
            let password = password.unwrap_or_default();
            let jar = set_flash(
                jar,
                &format!(
                    "Đã tạo tài khoản «{}». Mật khẩu tạm thời: {password} — hãy chuyển cho người dùng; họ sẽ phải đổi mật khẩu ở lần đăng nhập đầu tiên.",
                    u.username
                ),
            );
            Ok((jar, Redirect::to(&format!("/nguoi-dung/{}", u.id))).into_response())
        }
        Err(e) => form_error(&state, &user, None, f, e.into()).await,
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let u = visible(&state, &user.principal, parse_id(&id)?).await?;
    if !may_manage(&user.principal, &u) {
        return Err(AppError::forbidden());
    }
    let f = UserFields::from_user(&u);
    render_form(&state, &user, Some(u), f, Vec::new(), StatusCode::OK).await
}

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let target = app::user::managed(&state, &user, parse_id(&id)?).await?;
    let mut f = parse_user_form(&body)?;
    f.username = target.username.clone();
    let input = match check(&f) {
        Ok(i) => i,
        Err(errors) => {
            return render_form(
                &state,
                &user,
                Some(target),
                f,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match app::user::update(&state, &user, &target, &input).await {
        Ok(u) => {
            let jar = set_flash(jar, &format!("Đã lưu tài khoản «{}».", u.username));
            Ok((jar, Redirect::to(&format!("/nguoi-dung/{}", u.id))).into_response())
        }
        Err(e) => form_error(&state, &user, Some(target), f, e.into()).await,
    }
}

pub async fn reset_password(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (target, password) = app::user::reset_password(&state, &user, parse_id(&id)?, None).await?;
    let password = password.unwrap_or_default();
    let jar = set_flash(
        jar,
        &format!(
            "Đã đặt lại mật khẩu của «{}». Mật khẩu tạm thời: {password} — người dùng sẽ phải đổi mật khẩu ở lần đăng nhập tiếp theo.",
            target.username
        ),
    );
    Ok((jar, Redirect::to(&format!("/nguoi-dung/{}", target.id))).into_response())
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
    let u = app::user::set_active(&state, &user, parse_id(&id)?, active).await?;
    let msg = if active {
        "Đã mở khóa"
    } else {
        "Đã khóa"
    };
    let jar = set_flash(jar, &format!("{msg} tài khoản «{}».", u.username));
    Ok((jar, Redirect::to(&format!("/nguoi-dung/{}", u.id))).into_response())
}

#[derive(Template)]
#[template(path = "user/profile.html")]
struct ProfilePage {
    chrome: Chrome,
    u: User,
    error: Option<String>,
}

pub async fn profile(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
) -> Result<Response, AppError> {
    let u = app::user::me(&state, &user).await?;
    let (jar, flash) = take_flash(jar);
    let page = ProfilePage {
        chrome: Chrome::new(&user, "/tai-khoan", "Tài khoản của tôi", flash),
        u,
        error: None,
    };
    Ok((jar, Html(page.render()?)).into_response())
}

#[derive(Deserialize)]
pub struct OwnPasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

pub async fn change_own_password(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    PageForm(f): PageForm<OwnPasswordForm>,
) -> Result<Response, AppError> {
    match app::user::change_own_password(&state, &user, &f.current, &f.new, &f.confirm).await {
        Ok(()) => {}
        Err(app::ServiceError::Invalid(errors)) => {
            let page = ProfilePage {
                chrome: Chrome::new(&user, "/tai-khoan", "Tài khoản của tôi", None),
                u: app::user::me(&state, &user).await?,
                error: errors.into_iter().next().map(|e| e.message),
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response());
        }
        Err(e) => return Err(e.into()),
    }
    let jar = set_flash(jar, "Đã đổi mật khẩu. Vui lòng đăng nhập lại.");
    Ok((jar, Redirect::to("/dang-nhap")).into_response())
}
