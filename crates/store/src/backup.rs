//! A consistent copy of the database while it serves, and putting one back.
//!
//! - SQLite: `VACUUM INTO` writes a complete, compacted copy of the database as of one
//!   transaction (readers and writers go on; the copy includes what sits in the WAL, which
//!   copying the file alone loses).
//! - PostgreSQL: `pg_dump --format=custom` (one snapshot) and `pg_restore --clean`.

use std::path::Path;

use crate::{Db, Result, StoreError};

/// Writes a backup of `db` to `output` (which must not exist).
pub async fn backup(db: &Db, url: &str, output: &Path) -> Result<()> {
    if output.exists() {
        return Err(StoreError::Invalid(format!(
            "tệp {} đã có; chọn tên tệp khác",
            output.display()
        )));
    }
    match db {
        Db::Sqlite(p) => {
            let target = output.to_string_lossy().to_string();
            sqlx::query("vacuum into $1")
                .bind(target)
                .execute(p)
                .await?;
            Ok(())
        }
        Db::Pg(_) => run(
            "pg_dump",
            &[
                "--format=custom",
                "--no-owner",
                "--file",
                &output.to_string_lossy(),
                url,
            ],
        ),
    }
}

/// Puts a backup back: SQLite copies it over the database file (the server must be
/// stopped); PostgreSQL restores into the database of `url`, replacing its objects.
pub fn restore(url: &str, input: &Path) -> Result<()> {
    if !input.is_file() {
        return Err(StoreError::Invalid(format!(
            "không có tệp sao lưu {}",
            input.display()
        )));
    }
    if let Some(rest) = url.strip_prefix("sqlite:") {
        let path = rest.trim_start_matches("//");
        let path = path.split('?').next().unwrap_or(path);
        if path.is_empty() || path.contains(":memory:") {
            return Err(StoreError::Invalid("cần đường dẫn tệp SQLite".into()));
        }
        let io = |e: std::io::Error| StoreError::Invalid(format!("ghi tệp cơ sở dữ liệu: {e}"));
        for suffix in ["-wal", "-shm"] {
            let side = format!("{path}{suffix}");
            if Path::new(&side).exists() {
                std::fs::remove_file(&side).map_err(io)?;
            }
        }
        std::fs::copy(input, path).map_err(io)?;
        return Ok(());
    }
    run(
        "pg_restore",
        &[
            "--clean",
            "--if-exists",
            "--no-owner",
            "--dbname",
            url,
            &input.to_string_lossy(),
        ],
    )
}

fn run(program: &str, args: &[&str]) -> Result<()> {
    let out = std::process::Command::new(program)
        .args(args)
        .output()
        .map_err(|e| StoreError::Invalid(format!("không chạy được {program}: {e}")))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!(
            "{program} lỗi: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )))
    }
}
