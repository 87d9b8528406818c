//! Cơ quan, đơn vị — the agency tree with history (valid from/to, merged into).

use crate::BeginWrite;
use chrono::{DateTime, NaiveDate, Utc};
use domain::org::{AgencyKind, child_path};
use domain::text::fold_vi;
use serde::Serialize;

use crate::audit::{self, AuditEntry};
use crate::{Db, Page, Result, StoreError, like_contains, like_prefix, now, on_db};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Agency {
    pub id: i64,
    pub code: String,
    pub parent_id: Option<i64>,
    pub path: String,
    pub depth: i32,
    pub kind: String,
    pub name: String,
    pub short_name: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub merged_into_id: Option<i64>,
    pub legal_basis: Option<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Agency {
    pub fn kind_label(&self) -> &'static str {
        AgencyKind::parse(&self.kind).map_or("Khác", AgencyKind::label)
    }

    /// Whether the agency existed on the given day.
    pub fn valid_on(&self, day: NaiveDate) -> bool {
        self.valid_from <= day && self.valid_to.is_none_or(|to| day <= to)
    }
}

/// The fields a user sets; validated by the caller.
#[derive(Debug, Clone, Serialize)]
pub struct AgencyInput {
    pub code: String,
    pub parent_id: Option<i64>,
    pub kind: AgencyKind,
    pub name: String,
    pub short_name: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub merged_into_id: Option<i64>,
    pub legal_basis: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct AgencyFilter {
    /// Restrict to this materialised-path prefix (the caller's scope).
    pub scope_prefix: Option<String>,
    /// Searched without diacritics in code, name and short name.
    pub q: Option<String>,
    pub kind: Option<String>,
    pub active: Option<bool>,
    /// Only agencies that existed on this day.
    pub on_date: Option<NaiveDate>,
    pub parent_id: Option<i64>,
}

const COLUMNS: &str = "id, code, parent_id, path, depth, kind, name, short_name, valid_from, valid_to, \
     merged_into_id, legal_basis, active, created_at, updated_at";

const FILTER: &str = " from agency where (cast($1 as text) is null or path like $1 escape '\\') \
     and (cast($2 as text) is null or search_text like $2 escape '\\') \
     and (cast($3 as text) is null or kind = $3) \
     and (cast($4 as boolean) is null or active = $4) \
     and (cast($5 as date) is null or (valid_from <= $5 and (valid_to is null or valid_to >= $5))) \
     and (cast($6 as bigint) is null or parent_id = $6)";

fn search_text(code: &str, name: &str, short_name: &str) -> String {
    fold_vi(&format!("{code} {name} {short_name}"))
}

/// Agencies matching the filter, ordered by depth then name, and the total count.
pub async fn list(db: &Db, f: &AgencyFilter, page: Page) -> Result<(Vec<Agency>, i64)> {
    let prefix = f.scope_prefix.as_deref().map(like_prefix);
    let q =
        f.q.as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(|q| like_contains(&fold_vi(q)));
    let items_sql = format!("select {COLUMNS}{FILTER} order by depth, name limit $7 offset $8");
    let count_sql = format!("select count(*){FILTER}");
    let (items, total): (Vec<Agency>, i64) = on_db!(db, |p| {
        let items = sqlx::query_as(sqlx::AssertSqlSafe(items_sql))
            .bind(&prefix)
            .bind(&q)
            .bind(&f.kind)
            .bind(f.active)
            .bind(f.on_date)
            .bind(f.parent_id)
            .bind(page.limit)
            .bind(page.offset)
            .fetch_all(p)
            .await?;
        let total: (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(count_sql))
            .bind(&prefix)
            .bind(&q)
            .bind(&f.kind)
            .bind(f.active)
            .bind(f.on_date)
            .bind(f.parent_id)
            .fetch_one(p)
            .await?;
        (items, total.0)
    });
    Ok((items, total))
}

pub async fn get(db: &Db, id: i64) -> Result<Agency> {
    let sql = format!("select {COLUMNS} from agency where id = $1");
    let row = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(p)
            .await?
    });
    row.ok_or(StoreError::NotFound)
}

pub async fn get_by_code(db: &Db, code: &str) -> Result<Agency> {
    let sql = format!("select {COLUMNS} from agency where code = $1");
    let row = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(code)
            .fetch_optional(p)
            .await?
    });
    row.ok_or(StoreError::NotFound)
}

/// Ancestors from the root down to the agency's parent, for breadcrumbs.
pub async fn ancestors(db: &Db, agency: &Agency) -> Result<Vec<Agency>> {
    let ids: Vec<i64> = agency
        .path
        .split('/')
        .filter_map(|s| s.parse().ok())
        .filter(|id| *id != agency.id)
        .collect();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(get(db, id).await?);
    }
    Ok(out)
}

/// Creates an agency under its parent and records it in the audit log, in one transaction.
pub async fn create(db: &Db, input: &AgencyInput, actor: &audit::Actor) -> Result<Agency> {
    let parent = match input.parent_id {
        Some(pid) => Some(get(db, pid).await.map_err(|e| match e {
            StoreError::NotFound => StoreError::Invalid("cơ quan cấp trên không tồn tại".into()),
            e => e,
        })?),
        None => None,
    };
    check_merged_into(db, input.merged_into_id, None).await?;
    let t = now();
    let search = search_text(&input.code, &input.name, &input.short_name);
    let depth = parent.as_ref().map_or(0, |p| p.depth + 1);
    let id: i64 = on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "insert into agency (code, parent_id, path, depth, kind, name, short_name, valid_from, valid_to, \
             merged_into_id, legal_basis, active, search_text, created_at, updated_at) \
             values ($1, $2, '', $3, $4, $5, $6, $7, $8, $9, $10, true, $11, $12, $12) returning id",
        )
        .bind(&input.code)
        .bind(input.parent_id)
        .bind(depth)
        .bind(input.kind.code())
        .bind(&input.name)
        .bind(&input.short_name)
        .bind(input.valid_from)
        .bind(input.valid_to)
        .bind(input.merged_into_id)
        .bind(&input.legal_basis)
        .bind(&search)
        .bind(t)
        .fetch_one(&mut *tx)
        .await?;
        let path = child_path(parent.as_ref().map(|p| p.path.as_str()), id);
        sqlx::query("update agency set path = $1 where id = $2")
            .bind(&path)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let entry = AuditEntry::new(
            actor,
            "create",
            "agency",
            id,
            format!("Tạo cơ quan {} – {}", input.code, input.name),
        )
        .after(input);
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
        id
    });
    get(db, id).await
}

async fn check_merged_into(db: &Db, merged_into: Option<i64>, self_id: Option<i64>) -> Result<()> {
    if let Some(m) = merged_into {
        if Some(m) == self_id {
            return Err(StoreError::Invalid(
                "cơ quan không thể sáp nhập vào chính nó".into(),
            ));
        }
        get(db, m).await.map_err(|e| match e {
            StoreError::NotFound => {
                StoreError::Invalid("cơ quan sáp nhập vào không tồn tại".into())
            }
            e => e,
        })?;
    }
    Ok(())
}

/// Updates an agency; moving it under another parent re-paths its whole subtree.
pub async fn update(db: &Db, id: i64, input: &AgencyInput, actor: &audit::Actor) -> Result<Agency> {
    let before = get(db, id).await?;
    check_merged_into(db, input.merged_into_id, Some(id)).await?;
    let new_parent = match input.parent_id {
        Some(pid) if pid == id => {
            return Err(StoreError::Invalid(
                "cơ quan không thể là cấp trên của chính nó".into(),
            ));
        }
        Some(pid) => Some(get(db, pid).await.map_err(|e| match e {
            StoreError::NotFound => StoreError::Invalid("cơ quan cấp trên không tồn tại".into()),
            e => e,
        })?),
        None => None,
    };
    if let Some(np) = &new_parent
        && np.path.starts_with(&before.path)
    {
        return Err(StoreError::Invalid(
            "không thể chuyển cơ quan về dưới một đơn vị trực thuộc của chính nó".into(),
        ));
    }
    if new_parent.is_none() && before.parent_id.is_some() {
        return Err(StoreError::Invalid(
            "chỉ UBND tỉnh là gốc của cây cơ quan".into(),
        ));
    }
    let new_path = child_path(new_parent.as_ref().map(|p| p.path.as_str()), id);
    let new_depth = new_parent.as_ref().map_or(0, |p| p.depth + 1);
    let t = now();
    let search = search_text(&input.code, &input.name, &input.short_name);
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        sqlx::query(
            "update agency set code = $1, parent_id = $2, kind = $3, name = $4, short_name = $5, valid_from = $6, \
             valid_to = $7, merged_into_id = $8, legal_basis = $9, search_text = $10, updated_at = $11 where id = $12",
        )
        .bind(&input.code)
        .bind(input.parent_id)
        .bind(input.kind.code())
        .bind(&input.name)
        .bind(&input.short_name)
        .bind(input.valid_from)
        .bind(input.valid_to)
        .bind(input.merged_into_id)
        .bind(&input.legal_basis)
        .bind(&search)
        .bind(t)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if new_path != before.path {
            sqlx::query(
                "update agency set path = $1 || substr(path, $2), depth = depth + $3 \
                 where path like $4 escape '\\'",
            )
            .bind(&new_path)
            .bind((before.path.len() + 1) as i32)
            .bind(new_depth - before.depth)
            .bind(like_prefix(&before.path))
            .execute(&mut *tx)
            .await?;
        }
        let entry = AuditEntry::new(
            actor,
            "update",
            "agency",
            id,
            format!("Sửa cơ quan {} – {}", input.code, input.name),
        )
        .before(&before)
        .after(input);
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
    });
    get(db, id).await
}

/// Deactivates (or reactivates) an agency. Agencies are never deleted: their history
/// keeps the facts of the years they existed.
pub async fn set_active(db: &Db, id: i64, active: bool, actor: &audit::Actor) -> Result<Agency> {
    let before = get(db, id).await?;
    let t = now();
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        sqlx::query("update agency set active = $1, updated_at = $2 where id = $3")
            .bind(active)
            .bind(t)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let (action, verb) = if active {
            ("activate", "Kích hoạt")
        } else {
            ("deactivate", "Ngừng hoạt động")
        };
        let entry = AuditEntry::new(
            actor,
            action,
            "agency",
            id,
            format!("{verb} cơ quan {} – {}", before.code, before.name),
        )
        .before(&serde_json::json!({"active": before.active}))
        .after(&serde_json::json!({"active": active}));
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
    });
    get(db, id).await
}

/// Number of agencies, for start-up messages and the empty-database check.
pub async fn count(db: &Db) -> Result<i64> {
    let (n,): (i64,) = on_db!(db, |p| sqlx::query_as("select count(*) from agency")
        .fetch_one(p)
        .await?);
    Ok(n)
}

/// Validity and successor of every agency: id → (valid_from, valid_to, merged_into_id).
pub async fn succession(
    db: &Db,
) -> Result<std::collections::HashMap<i64, (NaiveDate, Option<NaiveDate>, Option<i64>)>> {
    let rows: Vec<(i64, NaiveDate, Option<NaiveDate>, Option<i64>)> = on_db!(db, |p| {
        sqlx::query_as("select id, valid_from, valid_to, merged_into_id from agency")
            .fetch_all(p)
            .await?
    });
    Ok(rows
        .into_iter()
        .map(|(i, f, t, m)| (i, (f, t, m)))
        .collect())
}

/// The agency that holds `id`'s duties on `day`: `id` itself while it exists, else the
/// agency it was merged into (following a chain of mergers); `None` when `id` was dissolved
/// without a successor, or `day` is before it existed.
pub fn holder_on(
    map: &std::collections::HashMap<i64, (NaiveDate, Option<NaiveDate>, Option<i64>)>,
    id: i64,
    day: NaiveDate,
) -> Option<i64> {
    let mut cur = id;
    for _ in 0..16 {
        let (from, to, merged) = map.get(&cur)?;
        if day < *from {
            return None;
        }
        match to {
            Some(to) if *to < day => cur = (*merged)?,
            _ => return Some(cur),
        }
    }
    None
}
