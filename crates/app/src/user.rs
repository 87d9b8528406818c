//! Người dùng — user accounts: validation, who may manage whom and grant which role, and
//! the writes, with a taken username reported on its field.

use domain::org::{Principal, Role};
use domain::validate::{self, Checker, FieldError};
use serde::{Deserialize, Serialize};
use store::Page;
use store::agency::{Agency, AgencyFilter};
use store::audit::{AuditFilter, AuditRow};
use store::user::{User, UserFilter, UserInput};

use crate::{App, Caller, ServiceError};

/// Editable fields as text; roles as a list of codes.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct UserFields {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub agency_id: String,
    #[serde(default)]
    pub roles: Vec<String>,
}

impl UserFields {
    pub fn from_user(u: &User) -> UserFields {
        UserFields {
            username: u.username.clone(),
            full_name: u.full_name.clone(),
            title: u.title.clone().unwrap_or_default(),
            email: u.email.clone().unwrap_or_default(),
            phone: u.phone.clone().unwrap_or_default(),
            agency_id: u.agency_id.to_string(),
            roles: u.roles.iter().map(|r| r.code().to_string()).collect(),
        }
    }
}

/// Validates the fields; every problem is reported at once.
pub fn check(f: &UserFields) -> Result<UserInput, Vec<FieldError>> {
    let mut c = Checker::new();
    let username = match validate::username(&f.username) {
        Ok(u) => u,
        Err(m) => {
            c.fail("username", m);
            String::new()
        }
    };
    let full_name = c.required("full_name", "Họ và tên", &f.full_name, 120);
    let title = c.optional("title", "Chức vụ", Some(&f.title), 120);
    let email = c.optional("email", "Thư điện tử", Some(&f.email), 254);
    if let Some(e) = &email
        && (!e.contains('@') || e.contains(' ') || e.starts_with('@') || e.ends_with('@'))
    {
        c.fail("email", "Thư điện tử không đúng định dạng.");
    }
    let phone = c.optional("phone", "Số điện thoại", Some(&f.phone), 20);
    if let Some(p) = &phone
        && !p
            .chars()
            .all(|ch| ch.is_ascii_digit() || matches!(ch, '+' | ' ' | '.' | '-'))
    {
        c.fail("phone", "Số điện thoại chỉ gồm chữ số.");
    }
    let agency_id = match f.agency_id.trim().parse::<i64>() {
        Ok(id) if id > 0 => id,
        _ => {
            c.fail("agency_id", "Phải chọn cơ quan của người dùng.");
            0
        }
    };
    let mut roles = Vec::new();
    for r in &f.roles {
        if r.is_empty() {
            continue;
        }
        match Role::parse(r) {
            Some(role) => roles.push(role),
            None => c.fail("roles", format!("Vai trò «{r}» không tồn tại.")),
        }
    }
    roles.sort();
    roles.dedup();
    if roles.is_empty() {
        c.fail("roles", "Phải chọn ít nhất một vai trò.");
    }
    if c.is_ok() {
        Ok(UserInput {
            username,
            full_name,
            title,
            email,
            phone,
            agency_id,
            roles,
        })
    } else {
        Err(c.errors)
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UserOut {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub agency_id: i64,
    pub agency_code: String,
    pub agency_name: String,
    pub roles: Vec<String>,
    pub active: bool,
}

impl From<&User> for UserOut {
    fn from(u: &User) -> Self {
        UserOut {
            id: u.id,
            username: u.username.clone(),
            full_name: u.full_name.clone(),
            title: u.title.clone(),
            email: u.email.clone(),
            phone: u.phone.clone(),
            agency_id: u.agency_id,
            agency_code: u.agency_code.clone(),
            agency_name: u.agency_name.clone(),
            roles: u.roles.iter().map(|r| r.code().to_string()).collect(),
            active: u.active,
        }
    }
}

/// A user the principal may see (404 outside the scope).
pub async fn visible(state: &App, p: &Principal, id: i64) -> Result<User, ServiceError> {
    let u = store::user::get(&state.db, id).await?;
    if !p.scope().contains(&u.agency_path) {
        return Err(ServiceError::NotFound);
    }
    Ok(u)
}

/// An account the caller sees (404 otherwise) and may manage (403 otherwise).
pub async fn managed(state: &App, caller: &Caller, id: i64) -> Result<User, ServiceError> {
    let target = visible(state, &caller.principal, id).await?;
    if !may_manage(&caller.principal, &target) {
        return Err(ServiceError::forbidden());
    }
    Ok(target)
}

/// May the principal change this existing account? Administrators may; a unit head may
/// for accounts inside their subtree that hold no role they could not grant themselves.
pub fn may_manage(p: &Principal, target: &User) -> bool {
    p.can_manage_users_in(&target.agency_path) && target.roles.iter().all(|r| p.can_grant(*r))
}

/// Checks the target agency and roles of a create or update.
pub async fn check_assignment(
    state: &App,
    p: &Principal,
    input: &UserInput,
) -> Result<(), ServiceError> {
    let agency = match store::agency::get(&state.db, input.agency_id).await {
        Ok(a) if p.scope().contains(&a.path) => a,
        Ok(_) | Err(store::StoreError::NotFound) => {
            return Err(ServiceError::Invalid(vec![FieldError {
                field: "agency_id".into(),
                message: "Cơ quan của người dùng không tồn tại.".into(),
            }]));
        }
        Err(e) => return Err(e.into()),
    };
    if !agency.active {
        return Err(ServiceError::Invalid(vec![FieldError {
            field: "agency_id".into(),
            message: "Cơ quan đã ngừng hoạt động, không thể gán người dùng.".into(),
        }]));
    }
    if !p.can_manage_users_in(&agency.path) {
        return Err(ServiceError::Forbidden(
            "Bạn chỉ quản lý được người dùng thuộc đơn vị của mình.".into(),
        ));
    }
    if let Some(r) = input.roles.iter().find(|r| !p.can_grant(**r)) {
        return Err(ServiceError::Forbidden(format!(
            "Bạn không được cấp vai trò «{}».",
            r.label()
        )));
    }
    Ok(())
}

/// A readable temporary password: 12 characters, letters and digits, no look-alikes.
pub fn temporary_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    loop {
        let p: String = (0..12)
            .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
            .collect();
        if validate::password(&p).is_ok() {
            return p;
        }
    }
}

/// The unique constraints of `app_user` and the field each one blames.
const UNIQUE: &[(&str, &str, &str)] =
    &[("username", "username", "Tên đăng nhập này đã được dùng.")];

/// The password given (checked against the rules, `Invalid` on `password`), or a
/// generated temporary one; the second value is the generated one, to hand over.
async fn password_or_temporary(
    username: &str,
    password: Option<String>,
) -> Result<(String, Option<String>), ServiceError> {
    let (password, generated) = match password {
        Some(p) => {
            validate::password_for(username, &p)
                .map_err(|m| ServiceError::invalid("password", m))?;
            (p, None)
        }
        None => {
            let p = temporary_password();
            (p.clone(), Some(p))
        }
    };
    Ok((crate::password::hash(password).await?, generated))
}

/// Creates an account with the password given or a generated temporary one (returned);
/// the agency and roles must be the caller's to give. A taken username is a `Duplicate`
/// on `username`.
pub async fn create(
    state: &App,
    caller: &Caller,
    input: &UserInput,
    password: Option<String>,
) -> Result<(User, Option<String>), ServiceError> {
    check_assignment(state, &caller.principal, input).await?;
    let (hash, generated) = password_or_temporary(&input.username, password).await?;
    // Whoever chose it, the new account's password is known to someone else: the owner
    // changes it at the first sign-in.
    let u = store::user::create(&state.db, input, &hash, true, &caller.actor())
        .await
        .map_err(ServiceError::duplicate_of(UNIQUE))?;
    Ok((u, generated))
}

/// Updates an account the caller may manage.
pub async fn update(
    state: &App,
    caller: &Caller,
    target: &User,
    input: &UserInput,
) -> Result<User, ServiceError> {
    if !may_manage(&caller.principal, target) {
        return Err(ServiceError::forbidden());
    }
    check_assignment(state, &caller.principal, input).await?;
    if target.id == caller.principal.user_id
        && target.roles.contains(&Role::Admin)
        && !input.roles.contains(&Role::Admin)
    {
        return Err(ServiceError::bad(
            "Không thể tự gỡ vai trò quản trị của chính mình.",
        ));
    }
    // A changed agency or role set ends the account's sessions (store::user::update): one's
    // own would end in the middle of the request that asked for it.
    let roles = |r: &[Role]| {
        let mut r = r.to_vec();
        r.sort();
        r.dedup();
        r
    };
    if target.id == caller.principal.user_id
        && (target.agency_id != input.agency_id || roles(&target.roles) != roles(&input.roles))
    {
        return Err(ServiceError::bad(
            "Không thể tự đổi đơn vị hoặc vai trò của chính mình; nhờ một quản trị viên khác thực hiện.",
        ));
    }
    store::user::update(&state.db, target.id, input, &caller.actor())
        .await
        .map_err(ServiceError::duplicate_of(UNIQUE))
}

/// Sets a new password for an account the caller may manage: the one given (checked
/// against the password rules) or, when none, a generated temporary one, returned so the
/// administrator can hand it over. The account's sessions end, and its owner must change
/// the password at the next sign-in (only they should know it).
pub async fn reset_password(
    state: &App,
    caller: &Caller,
    id: i64,
    password: Option<String>,
) -> Result<(User, Option<String>), ServiceError> {
    let target = managed(state, caller, id).await?;
    // One's own password changes with the current one (change_own_password), never by a
    // reset that skips it.
    if target.id == caller.principal.user_id {
        return Err(ServiceError::Forbidden(
            "Đổi mật khẩu của chính mình tại trang Tài khoản, với mật khẩu hiện tại.".into(),
        ));
    }
    let (hash, generated) = password_or_temporary(&target.username, password).await?;
    store::user::set_password(
        &state.db,
        target.id,
        &hash,
        true,
        &caller.actor(),
        "Đặt lại mật khẩu".into(),
    )
    .await?;
    Ok((target, generated))
}

/// Locks (`active = false`, its sessions end at once) or unlocks an account the caller may
/// manage; nobody locks their own account.
pub async fn set_active(
    state: &App,
    caller: &Caller,
    id: i64,
    active: bool,
) -> Result<User, ServiceError> {
    let target = managed(state, caller, id).await?;
    if target.id == caller.principal.user_id && !active {
        return Err(ServiceError::bad(
            "Không thể tự khóa tài khoản của chính mình.",
        ));
    }
    Ok(store::user::set_active(&state.db, target.id, active, &caller.actor()).await?)
}

/// The caller's own account.
pub async fn me(state: &App, caller: &Caller) -> Result<User, ServiceError> {
    Ok(store::user::get(&state.db, caller.principal.user_id).await?)
}

/// The caller changes their own password: the current one must match, the new one must
/// follow the password rules and be typed twice alike. Problems are `Invalid` on
/// `current`, `new` or `confirm`.
pub async fn change_own_password(
    state: &App,
    caller: &Caller,
    current: &str,
    new: &str,
    confirm: &str,
) -> Result<(), ServiceError> {
    let u = me(state, caller).await?;
    let Some((_, hash, _)) = store::user::credentials(&state.db, &u.username).await? else {
        return Err(ServiceError::NotFound);
    };
    if !crate::password::verify(current.to_string(), hash).await {
        return Err(ServiceError::invalid(
            "current",
            "Mật khẩu hiện tại không đúng.",
        ));
    }
    validate::password_for(&u.username, new).map_err(|m| ServiceError::invalid("new", m))?;
    if new == current {
        return Err(ServiceError::invalid(
            "new",
            "Mật khẩu mới phải khác mật khẩu hiện tại.",
        ));
    }
    if new != confirm {
        return Err(ServiceError::invalid(
            "confirm",
            "Mật khẩu nhập lại không khớp.",
        ));
    }
    let hash = crate::password::hash(new.to_string()).await?;
    store::user::set_password(
        &state.db,
        u.id,
        &hash,
        false,
        &caller.actor(),
        "Tự đổi mật khẩu".into(),
    )
    .await?;
    Ok(())
}

/// An account by id, for the one who has just proven to own it (sign-in).
pub async fn get(state: &App, id: i64) -> Result<User, ServiceError> {
    Ok(store::user::get(&state.db, id).await?)
}

/// Accounts inside the principal's scope matching `f` (whatever scope `f` names is
/// replaced by the principal's), with the total.
pub async fn list(
    state: &App,
    p: &Principal,
    f: UserFilter,
    page: Page,
) -> Result<(Vec<User>, i64), ServiceError> {
    let f = UserFilter {
        scope_prefix: p.scope().prefix().map(str::to_string),
        ..f
    };
    Ok(store::user::list(state.read_db(), &f, page).await?)
}

/// An account's page: the account (404 outside the scope), whether the principal may
/// manage it and, for those who may, its last 20 audit entries.
pub struct UserView {
    pub user: User,
    pub can_manage: bool,
    pub history: Vec<AuditRow>,
}

/// One visible account with what its page shows to the principal.
pub async fn view(state: &App, p: &Principal, id: i64) -> Result<UserView, ServiceError> {
    let user = visible(state, p, id).await?;
    let can_manage = may_manage(p, &user);
    let history = if can_manage {
        store::audit::list(
            &state.db,
            &AuditFilter {
                entity: Some("user".into()),
                entity_id: Some(user.id.to_string()),
                ..Default::default()
            },
            Page::new(Some(20), None),
        )
        .await?
        .0
    } else {
        Vec::new()
    };
    Ok(UserView {
        user,
        can_manage,
        history,
    })
}

/// The agencies the principal may put an account in, in tree order with their depth:
/// the active agencies of their scope where they manage accounts.
pub async fn agency_choices(
    state: &App,
    p: &Principal,
) -> Result<Vec<(Agency, usize)>, ServiceError> {
    let (all, _) = crate::agency::list(
        state,
        p,
        AgencyFilter {
            active: Some(true),
            ..Default::default()
        },
        Page::all(),
    )
    .await?;
    Ok(crate::agency::tree_order(all)
        .into_iter()
        .filter(|(a, _)| p.can_manage_users_in(&a.path))
        .collect())
}
