//! Người dùng — user accounts, their roles and the agency they belong to.

use crate::BeginWrite;
use chrono::{DateTime, Utc};
use domain::org::Role;
use domain::text::fold_vi;
use serde::Serialize;

use crate::audit::{self, AuditEntry};
use crate::{Db, Page, Result, StoreError, like_contains, like_prefix, now, on_db};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub agency_id: i64,
    pub agency_code: String,
    pub agency_name: String,
    #[serde(skip)]
    pub agency_path: String,
    pub active: bool,
    /// The password was set by someone else (a reset or a new account): the owner must
    /// change it before doing anything else.
    pub must_change_password: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[sqlx(skip)]
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UserInput {
    pub username: String,
    pub full_name: String,
    pub title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub agency_id: i64,
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub scope_prefix: Option<String>,
    pub q: Option<String>,
    pub agency_id: Option<i64>,
    pub role: Option<String>,
    pub active: Option<bool>,
}

const COLUMNS: &str = "u.id, u.username, u.full_name, u.title, u.email, u.phone, u.agency_id, \
     a.code as agency_code, a.name as agency_name, a.path as agency_path, u.active, u.must_change_password, u.created_at, u.updated_at";

const FILTER: &str = " from app_user u join agency a on a.id = u.agency_id \
     where (cast($1 as text) is null or a.path like $1 escape '\\') \
     and (cast($2 as text) is null or u.search_text like $2 escape '\\') \
     and (cast($3 as bigint) is null or u.agency_id = $3) \
     and (cast($4 as text) is null or exists (select 1 from user_role r where r.user_id = u.id and r.role = $4)) \
     and (cast($5 as boolean) is null or u.active = $5)";

fn search_text(i: &UserInput) -> String {
    fold_vi(&format!(
        "{} {} {} {}",
        i.username,
        i.full_name,
        i.email.as_deref().unwrap_or(""),
        i.phone.as_deref().unwrap_or("")
    ))
}

async fn load_roles(db: &Db, users: &mut [User]) -> Result<()> {
    for u in users.iter_mut() {
        let rows: Vec<(String,)> = on_db!(db, |p| {
            sqlx::query_as("select role from user_role where user_id = $1 order by role")
                .bind(u.id)
                .fetch_all(p)
                .await?
        });
        u.roles = rows.iter().filter_map(|(r,)| Role::parse(r)).collect();
        u.roles.sort();
    }
    Ok(())
}

pub async fn list(db: &Db, f: &UserFilter, page: Page) -> Result<(Vec<User>, i64)> {
    let prefix = f.scope_prefix.as_deref().map(like_prefix);
    let q =
        f.q.as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(|q| like_contains(&fold_vi(q)));
    let items_sql =
        format!("select {COLUMNS}{FILTER} order by a.path, u.username limit $6 offset $7");
    let count_sql = format!("select count(*){FILTER}");
    let (mut items, total): (Vec<User>, i64) = on_db!(db, |p| {
        let items = sqlx::query_as(sqlx::AssertSqlSafe(items_sql))
            .bind(&prefix)
            .bind(&q)
            .bind(f.agency_id)
            .bind(&f.role)
            .bind(f.active)
            .bind(page.limit)
            .bind(page.offset)
            .fetch_all(p)
            .await?;
        let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(count_sql))
            .bind(&prefix)
            .bind(&q)
            .bind(f.agency_id)
            .bind(&f.role)
            .bind(f.active)
            .fetch_one(p)
            .await?;
        (items, n)
    });
    load_roles(db, &mut items).await?;
    Ok((items, total))
}

pub async fn get(db: &Db, id: i64) -> Result<User> {
    let sql = format!(
        "select {COLUMNS} from app_user u join agency a on a.id = u.agency_id where u.id = $1"
    );
    let row: Option<User> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(p)
            .await?
    });
    let mut users = vec![row.ok_or(StoreError::NotFound)?];
    load_roles(db, &mut users).await?;
    Ok(users.remove(0))
}

pub async fn get_by_username(db: &Db, username: &str) -> Result<User> {
    let (id,): (i64,) = on_db!(db, |p| {
        sqlx::query_as("select id from app_user where username = $1")
            .bind(username)
            .fetch_optional(p)
            .await?
    })
    .ok_or(StoreError::NotFound)?;
    get(db, id).await
}

/// The stored hash and active flag, for login.
pub async fn credentials(db: &Db, username: &str) -> Result<Option<(i64, String, bool)>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as("select id, password_hash, active from app_user where username = $1")
            .bind(username)
            .fetch_optional(p)
            .await?
    }))
}

async fn ensure_agency(db: &Db, agency_id: i64) -> Result<()> {
    crate::agency::get(db, agency_id)
        .await
        .map(|_| ())
        .map_err(|e| match e {
            StoreError::NotFound => {
                StoreError::Invalid("cơ quan của người dùng không tồn tại".into())
            }
            e => e,
        })
}

/// Creates a user with an already computed password hash; `must_change` when the
/// password was chosen by someone other than its owner.
pub async fn create(
    db: &Db,
    input: &UserInput,
    password_hash: &str,
    must_change: bool,
    actor: &audit::Actor,
) -> Result<User> {
    ensure_agency(db, input.agency_id).await?;
    let t = now();
    let search = search_text(input);
    let id: i64 = on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "insert into app_user (username, full_name, title, email, phone, password_hash, agency_id, active, \
             search_text, created_at, updated_at, must_change_password) \
             values ($1, $2, $3, $4, $5, $6, $7, true, $8, $9, $9, $10) returning id",
        )
        .bind(&input.username)
        .bind(&input.full_name)
        .bind(&input.title)
        .bind(&input.email)
        .bind(&input.phone)
        .bind(password_hash)
        .bind(input.agency_id)
        .bind(&search)
        .bind(t)
        .bind(must_change)
        .fetch_one(&mut *tx)
        .await?;
        for r in &input.roles {
            sqlx::query("insert into user_role (user_id, role) values ($1, $2)")
                .bind(id)
                .bind(r.code())
                .execute(&mut *tx)
                .await?;
        }
        let entry = AuditEntry::new(
            actor,
            "create",
            "user",
            id,
            format!("Tạo tài khoản {} – {}", input.username, input.full_name),
        )
        .after(input);
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
        id
    });
    get(db, id).await
}

/// Updates profile, agency and roles (the user name never changes).
pub async fn update(db: &Db, id: i64, input: &UserInput, actor: &audit::Actor) -> Result<User> {
    let before = get(db, id).await?;
    ensure_agency(db, input.agency_id).await?;
    let t = now();
    let search = search_text(&UserInput {
        username: before.username.clone(),
        ..input.clone()
    });
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        sqlx::query(
            "update app_user set full_name = $1, title = $2, email = $3, phone = $4, agency_id = $5, \
             search_text = $6, updated_at = $7 where id = $8",
        )
        .bind(&input.full_name)
        .bind(&input.title)
        .bind(&input.email)
        .bind(&input.phone)
        .bind(input.agency_id)
        .bind(&search)
        .bind(t)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("delete from user_role where user_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for r in &input.roles {
            sqlx::query("insert into user_role (user_id, role) values ($1, $2)")
                .bind(id)
                .bind(r.code())
                .execute(&mut *tx)
                .await?;
        }
        // A changed agency or role set changes what the sessions may see: end them.
        if before.agency_id != input.agency_id || before.roles != sorted(&input.roles) {
            sqlx::query("delete from session where user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let entry = AuditEntry::new(
            actor,
            "update",
            "user",
            id,
            format!("Sửa tài khoản {}", before.username),
        )
        .before(&before)
        .after(input);
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
    });
    get(db, id).await
}

fn sorted(roles: &[Role]) -> Vec<Role> {
    let mut r = roles.to_vec();
    r.sort();
    r.dedup();
    r
}

/// Sets a new password hash and ends every session of the user; `must_change` when the
/// password was set by someone other than its owner (an administrator's reset).
pub async fn set_password(
    db: &Db,
    id: i64,
    password_hash: &str,
    must_change: bool,
    actor: &audit::Actor,
    summary: String,
) -> Result<()> {
    let user = get(db, id).await?;
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        sqlx::query(
            "update app_user set password_hash = $1, updated_at = $2, must_change_password = $3 \
             where id = $4",
        )
        .bind(password_hash)
        .bind(now())
        .bind(must_change)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("delete from session where user_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let entry = AuditEntry::new(
            actor,
            "password",
            "user",
            id,
            format!("{summary} ({})", user.username),
        );
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
    });
    Ok(())
}

/// Deactivates (ending all sessions) or reactivates an account.
pub async fn set_active(db: &Db, id: i64, active: bool, actor: &audit::Actor) -> Result<User> {
    let before = get(db, id).await?;
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        sqlx::query("update app_user set active = $1, updated_at = $2 where id = $3")
            .bind(active)
            .bind(now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if !active {
            sqlx::query("delete from session where user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let (action, verb) = if active {
            ("activate", "Kích hoạt")
        } else {
            ("deactivate", "Khóa")
        };
        let entry = AuditEntry::new(
            actor,
            action,
            "user",
            id,
            format!("{verb} tài khoản {}", before.username),
        )
        .before(&serde_json::json!({"active": before.active}))
        .after(&serde_json::json!({"active": active}));
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
    });
    get(db, id).await
}

pub async fn count(db: &Db) -> Result<i64> {
    let (n,): (i64,) = on_db!(db, |p| sqlx::query_as("select count(*) from app_user")
        .fetch_one(p)
        .await?);
    Ok(n)
}
