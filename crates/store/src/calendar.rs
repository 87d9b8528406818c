//! Lịch làm việc — the government's yearly calendar decisions as rows, and the versions of
//! the calendar they produced (each deadline records the version that computed it).

use crate::BeginWrite;
use chrono::{DateTime, NaiveDate, Utc};
use domain::calendar::{CalendarEntry, DayKind};
use serde::Serialize;

use crate::audit::{Actor, AuditEntry};
use crate::{Db, Result, StoreError, now, on_db};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct EntryRow {
    pub id: i64,
    pub day: NaiveDate,
    pub kind: String,
    pub name: String,
    pub decided_by: String,
    pub confirmed: bool,
    pub source: String,
    pub active: bool,
    pub updated_at: DateTime<Utc>,
}

impl EntryRow {
    /// The domain record, if the stored kind is known.
    pub fn entry(&self) -> Option<CalendarEntry> {
        Some(CalendarEntry {
            date: self.day,
            kind: DayKind::parse(&self.kind)?,
            name: self.name.clone(),
            decided_by: self.decided_by.clone(),
            confirmed: self.confirmed,
            source: self.source.clone(),
        })
    }
}

const COLUMNS: &str = "id, day, kind, name, decided_by, confirmed, source, active, updated_at";

/// Every entry, active or not, by date.
pub async fn entries(db: &Db) -> Result<Vec<EntryRow>> {
    let sql = format!("select {COLUMNS} from calendar_entry order by day, id");
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(p)
        .await?))
}

pub async fn entries_of_year(db: &Db, year: i32) -> Result<Vec<EntryRow>> {
    let from = NaiveDate::from_ymd_opt(year, 1, 1)
        .ok_or_else(|| StoreError::Invalid("năm không hợp lệ".into()))?;
    let to = NaiveDate::from_ymd_opt(year, 12, 31)
        .ok_or_else(|| StoreError::Invalid("năm không hợp lệ".into()))?;
    let sql = format!(
        "select {COLUMNS} from calendar_entry where day >= $1 and day <= $2 order by day, id"
    );
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(from)
        .bind(to)
        .fetch_all(p)
        .await?))
}

pub async fn get(db: &Db, id: i64) -> Result<EntryRow> {
    let sql = format!("select {COLUMNS} from calendar_entry where id = $1");
    let row: Option<EntryRow> = on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(p)
        .await?);
    row.ok_or(StoreError::NotFound)
}

/// The active entries as domain records, for building the calendar.
pub async fn active_entries(db: &Db) -> Result<Vec<CalendarEntry>> {
    Ok(entries(db)
        .await?
        .iter()
        .filter(|r| r.active)
        .filter_map(EntryRow::entry)
        .collect())
}

/// Loads the shipped decisions into an empty table (first start). Returns how many.
pub async fn seed_if_empty(db: &Db, seed: &[CalendarEntry], version: &str) -> Result<usize> {
    let (n,): (i64,) = on_db!(db, |p| sqlx::query_as(
        "select count(*) from calendar_entry"
    )
    .fetch_one(p)
    .await?);
    if n > 0 {
        return Ok(0);
    }
    let t = now();
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        for e in seed {
            sqlx::query(
                "insert into calendar_entry (day, kind, name, decided_by, confirmed, source, active, created_at, updated_at) \
                 values ($1, $2, $3, $4, $5, $6, true, $7, $7)",
            )
            .bind(e.date)
            .bind(e.kind.as_str())
            .bind(&e.name)
            .bind(&e.decided_by)
            .bind(e.confirmed)
            .bind(&e.source)
            .bind(t)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("insert into calendar_version (version, reason, username, created_at) values ($1, $2, $3, $4)")
            .bind(version)
            .bind("Nạp lịch nghỉ chính thức 2019–2026 từ dữ liệu công bố")
            .bind("system")
            .bind(t)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    });
    Ok(seed.len())
}

/// Adds or replaces (when `id` is given) an entry, with its audit row.
pub async fn save(db: &Db, id: Option<i64>, e: &CalendarEntry, actor: &Actor) -> Result<EntryRow> {
    let before = match id {
        Some(id) => Some(get(db, id).await?),
        None => None,
    };
    let t = now();
    let id: i64 = on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let id = match id {
            Some(id) => {
                sqlx::query(
                    "update calendar_entry set day = $1, kind = $2, name = $3, decided_by = $4, confirmed = $5, source = $6, \
                     updated_at = $7 where id = $8",
                )
                .bind(e.date)
                .bind(e.kind.as_str())
                .bind(&e.name)
                .bind(&e.decided_by)
                .bind(e.confirmed)
                .bind(&e.source)
                .bind(t)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                id
            }
            None => {
                let (id,): (i64,) = sqlx::query_as(
                    "insert into calendar_entry (day, kind, name, decided_by, confirmed, source, active, created_at, updated_at) \
                     values ($1, $2, $3, $4, $5, $6, true, $7, $7) returning id",
                )
                .bind(e.date)
                .bind(e.kind.as_str())
                .bind(&e.name)
                .bind(&e.decided_by)
                .bind(e.confirmed)
                .bind(&e.source)
                .bind(t)
                .fetch_one(&mut *tx)
                .await?;
                id
            }
        };
        let (action, verb) = if before.is_some() {
            ("update", "Sửa")
        } else {
            ("create", "Thêm")
        };
        let mut entry = AuditEntry::new(
            actor,
            action,
            "calendar_entry",
            id,
            format!(
                "{verb} ngày {} – {} ({})",
                e.date.format("%d/%m/%Y"),
                e.name,
                e.kind.label_vi()
            ),
        )
        .after(e);
        if let Some(b) = &before {
            entry = entry.before(b);
        }
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
        id
    });
    get(db, id).await
}

/// Withdraws (or restores) an entry without deleting it.
pub async fn set_active(db: &Db, id: i64, active: bool, actor: &Actor) -> Result<EntryRow> {
    let before = get(db, id).await?;
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        sqlx::query("update calendar_entry set active = $1, updated_at = $2 where id = $3")
            .bind(active)
            .bind(now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let verb = if active { "Khôi phục" } else { "Hủy bỏ" };
        let entry = AuditEntry::new(
            actor,
            if active { "activate" } else { "deactivate" },
            "calendar_entry",
            id,
            format!(
                "{verb} ngày {} – {}",
                before.day.format("%d/%m/%Y"),
                before.name
            ),
        )
        .before(&serde_json::json!({"active": before.active}))
        .after(&serde_json::json!({"active": active}));
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
    });
    get(db, id).await
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct VersionRow {
    pub id: i64,
    pub version: String,
    pub reason: String,
    pub username: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Records the version a change produced (skipped when it equals the latest).
pub async fn record_version(
    db: &Db,
    version: &str,
    reason: &str,
    username: Option<&str>,
) -> Result<()> {
    if latest_version(db)
        .await?
        .is_some_and(|v| v.version == version)
    {
        return Ok(());
    }
    on_db!(db, |p| {
        sqlx::query("insert into calendar_version (version, reason, username, created_at) values ($1, $2, $3, $4)")
            .bind(version)
            .bind(reason)
            .bind(username)
            .bind(now())
            .execute(p)
            .await?;
    });
    Ok(())
}

pub async fn latest_version(db: &Db) -> Result<Option<VersionRow>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as("select id, version, reason, username, created_at from calendar_version order by id desc limit 1")
            .fetch_optional(p)
            .await?
    }))
}

pub async fn versions(db: &Db, limit: i64) -> Result<Vec<VersionRow>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as("select id, version, reason, username, created_at from calendar_version order by id desc limit $1")
            .bind(limit)
            .fetch_all(p)
            .await?
    }))
}
