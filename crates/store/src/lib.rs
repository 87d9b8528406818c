//! The only crate that knows SQL. `Db` is SQLite (embedded default) or PostgreSQL
//! (production); the same SQL text with `$N` placeholders runs on both, and the few
//! statements that differ are written per backend inside `on_db!`.

pub mod agency;
pub mod agg;
pub mod arg;
pub mod audit;
pub mod backup;
pub mod bench;
pub mod calendar;
pub mod directive;
pub mod dossier;
pub mod feedback;
pub mod file;
pub mod group_commit;
pub mod indicator;
pub mod inspection;
pub mod lease;
pub mod login;
pub mod notification;
pub mod ops;
pub mod overdue;
pub mod par;
pub mod procedure;
pub mod report;
pub mod schema;
pub mod session;
pub mod task;
pub mod user;
pub mod writer;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

pub use sqlx;

/// A connection pool on one of the two supported databases.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Pg(PgPool),
}

/// Runs the same body against whichever pool `Db` holds. The body is compiled once per
/// backend, so generic sqlx calls type-check against both.
#[macro_export]
macro_rules! on_db {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::Db::Sqlite($pool) => $body,
            $crate::Db::Pg($pool) => $body,
        }
    };
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("không tìm thấy")]
    NotFound,
    /// A unique or foreign-key constraint refused the change; the string is the
    /// constraint's (or index's) name, or the database's message when it gave none. The
    /// service layer maps it, at the call site, to the field the user must change.
    #[error("trùng hoặc vi phạm ràng buộc dữ liệu: {0}")]
    Conflict(String),
    /// A guarded write lost a race: the row no longer satisfies the precondition the
    /// `update … where` repeats (someone else changed it since it was read). The string
    /// says what moved, for the log; the user is told to reload.
    #[error("dữ liệu vừa được người khác cập nhật: {0}")]
    Stale(String),
    #[error("đầu vào không hợp lệ: {0}")]
    Invalid(String),
    #[error(transparent)]
    Db(sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// An error of the SQLite writer thread (`writer`).
    #[error("lỗi ghi SQLite: {0}")]
    Sqlite(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::RowNotFound = e {
            return StoreError::NotFound;
        }
        if let Some(d) = e.as_database_error()
            && (d.is_unique_violation() || d.is_foreign_key_violation())
        {
            return StoreError::Conflict(d.constraint().unwrap_or(d.message()).to_string());
        }
        StoreError::Db(e)
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Begins a transaction that will write.
///
/// On SQLite it is `BEGIN IMMEDIATE`, which takes the write lock at once, waiting under
/// the busy timeout. A deferred `BEGIN` that reads first and writes later cannot upgrade
/// its lock when another connection committed in between: SQLite then answers
/// `SQLITE_BUSY_SNAPSHOT` ("database is locked") at once, without calling the busy handler,
/// which is what start-up housekeeping ran into beside the demo loader and the aggregate
/// writer. PostgreSQL takes row locks as it goes: a plain `BEGIN`.
pub(crate) trait BeginWrite {
    type Database: sqlx::Database;
    async fn begin_write(
        &self,
    ) -> std::result::Result<sqlx::Transaction<'static, Self::Database>, sqlx::Error>;
}

impl BeginWrite for SqlitePool {
    type Database = sqlx::Sqlite;
    async fn begin_write(
        &self,
    ) -> std::result::Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl BeginWrite for PgPool {
    type Database = sqlx::Postgres;
    async fn begin_write(
        &self,
    ) -> std::result::Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        self.begin().await
    }
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static PG_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// SQLite lets one transaction write at a time; when several connections try at once the
/// losers sleep in SQLite's busy handler (1, 2, 5, 10 … ms), which collapses throughput
/// under load. Hot write paths (dossier intake and transitions) queue here instead, in
/// arrival order, without sleeping. One process serves one database, so one gate per
/// process suffices; PostgreSQL needs none (row locks).
pub(crate) static SQLITE_WRITE_GATE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

impl Db {
    /// Connects to `sqlite://…` or `postgres://…`. For SQLite the folder of the file is
    /// created when missing; WAL mode, `synchronous=NORMAL`, foreign keys on, busy timeout.
    /// Reads go through a memory map (`mmap_size` below, since session 5); an earlier trial
    /// had dropped it while the file grew during a load test (ARCHITECTURE.md).
    pub async fn connect(url: &str) -> Result<Db> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            // JIT off: PostgreSQL compiles any query whose estimated cost passes 100,000,
            // and an estimate that far off (a partial index's range) cost the province's
            // overdue list 0.6 s of compiling for 20 ms of work.
            let options = PgConnectOptions::from_str(url)?.options([("jit", "off")]);
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await?;
            return Ok(Db::Pg(pool));
        }
        if !url.starts_with("sqlite:") {
            return Err(StoreError::Invalid(format!(
                "địa chỉ cơ sở dữ liệu phải bắt đầu bằng sqlite:// hoặc postgres:// (nhận được «{url}»)"
            )));
        }
        let opts = SqliteConnectOptions::from_str(url)?
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // Checkpoint the WAL every ~40 MB instead of every 4 MB: pages written again
            // and again (the dossier table's hot pages, its indexes) are copied back to the
            // database file less often. The writer thread (`writer`) does the same.
            .pragma("wal_autocheckpoint", "10000")
            // 64 MiB of page cache per connection instead of 2 MiB: a province-wide list
            // reads tens of thousands of rows scattered over a multi-gigabyte file, and
            // every page missing from the cache is a system call.
            .pragma("cache_size", "-65536")
            // Read the file through a memory map (up to 16 GiB, capped by SQLite's build
            // limit): pages already in the OS cache cost no system call.
            .pragma("mmap_size", "17179869184");
        let memory = url.contains(":memory:") || url.contains("mode=memory");
        if !memory
            && let Some(dir) = std::path::Path::new(opts.get_filename()).parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Invalid(format!("không tạo được thư mục dữ liệu: {e}")))?;
        }
        let pool = SqlitePoolOptions::new()
            // An in-memory database lives as long as its one connection.
            .max_connections(if memory { 1 } else { 8 })
            .min_connections(if memory { 1 } else { 0 })
            .idle_timeout(if memory {
                None
            } else {
                Some(Duration::from_secs(600))
            })
            .max_lifetime(if memory {
                None
            } else {
                Some(Duration::from_secs(3600))
            })
            .connect_with(opts)
            .await?;
        Ok(Db::Sqlite(pool))
    }

    /// Applies pending migrations of this backend.
    pub async fn migrate(&self) -> Result<()> {
        match self {
            Db::Sqlite(p) => SQLITE_MIGRATIONS.run(p).await?,
            Db::Pg(p) => PG_MIGRATIONS.run(p).await?,
        }
        Ok(())
    }

    /// Waits for the write gate on SQLite (see [`SQLITE_WRITE_GATE`]); `None` on
    /// PostgreSQL. Hold the guard only around one transaction, never across another call
    /// that takes it.
    pub async fn write_gate(&self) -> Option<tokio::sync::MutexGuard<'static, ()>> {
        match self {
            Db::Sqlite(_) => Some(SQLITE_WRITE_GATE.lock().await),
            Db::Pg(_) => None,
        }
    }

    /// "sqlite" or "postgres", as `/healthz` reports it.
    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Pg(_) => "postgres",
        }
    }

    /// A cheap round trip, for health checks.
    pub async fn ping(&self) -> Result<()> {
        on_db!(self, |p| sqlx::query("select 1")
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    pub async fn close(&self) {
        on_db!(self, |p| p.close().await)
    }
}

/// The current instant, always bound from Rust (no database-side time defaults).
pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

/// A LIKE pattern that matches `needle` anywhere, with `%`, `_` and `\` escaped
/// (use with `escape '\'`).
pub fn like_contains(needle: &str) -> String {
    let mut s = String::with_capacity(needle.len() + 2);
    s.push('%');
    for c in needle.chars() {
        if matches!(c, '%' | '_' | '\\') {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('%');
    s
}

/// A LIKE pattern for "starts with `prefix`".
pub fn like_prefix(prefix: &str) -> String {
    let mut s = like_contains(prefix);
    s.remove(0);
    s
}

/// The LIKE pattern of the subtree at `scope_path`, or `None` when that subtree holds
/// every agency (the province's people's committee): then no per-row scope test is needed.
pub(crate) async fn subtree_pattern(db: &Db, scope_path: Option<&str>) -> Result<Option<String>> {
    let Some(p) = scope_path.map(like_prefix) else {
        return Ok(None);
    };
    let outside: i64 = on_db!(db, |c| {
        sqlx::query_scalar("select count(*) from agency where path not like $1 escape '\\'")
            .bind(&p)
            .fetch_one(c)
            .await?
    });
    Ok((outside > 0).then_some(p))
}

/// Paging with sane bounds: limit 1..=500 (default 50), offset ≥ 0.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub limit: i64,
    pub offset: i64,
}

impl Page {
    pub fn new(limit: Option<i64>, offset: Option<i64>) -> Page {
        Page {
            limit: limit.unwrap_or(50).clamp(1, 500),
            offset: offset.unwrap_or(0).max(0),
        }
    }

    pub fn all() -> Page {
        Page {
            limit: i64::MAX / 2,
            offset: 0,
        }
    }
}
