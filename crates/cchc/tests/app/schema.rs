//! The SQLite and PostgreSQL migrations stay in lock-step, and the audit log is append-only.

use std::collections::BTreeSet;

use crate::helpers::*;

/// (table, column) pairs declared in the PostgreSQL migration files, read from the SQL text.
fn declared_pg_columns() -> BTreeSet<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../store/migrations/postgres");
    let mut out = BTreeSet::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        let sql = std::fs::read_to_string(f).unwrap();
        let mut table: Option<String> = None;
        for line in sql.lines() {
            let l = line.trim();
            if let Some(rest) = l.strip_prefix("alter table ")
                && let Some((t, col)) = rest.split_once(" add column ")
            {
                let name = col.split_whitespace().next().unwrap_or("");
                out.insert((t.trim().to_string(), name.to_string()));
                continue;
            }
            if let Some(rest) = l.strip_prefix("create table ") {
                table = Some(
                    rest.trim_end_matches(" (")
                        .trim_end_matches('(')
                        .trim()
                        .to_string(),
                );
                continue;
            }
            if l.starts_with(");") {
                table = None;
                continue;
            }
            if let Some(t) = &table {
                let word = l.split_whitespace().next().unwrap_or("");
                if !word.is_empty()
                    && !matches!(
                        word,
                        "primary" | "unique" | "foreign" | "constraint" | "check"
                    )
                {
                    out.insert((t.clone(), word.trim_end_matches(',').to_string()));
                }
            }
        }
    }
    out
}

#[tokio::test]
async fn sqlite_and_postgres_schemas_match() {
    let sqlite = store::Db::connect("sqlite::memory:").await.unwrap();
    sqlite.migrate().await.unwrap();
    let live: BTreeSet<(String, String)> = store::schema::columns(&sqlite)
        .await
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(
        live,
        declared_pg_columns(),
        "SQLite live schema vs PostgreSQL migration text"
    );
    if std::env::var("CCHC_TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        let pg = fresh_db().await;
        let pg_live: BTreeSet<(String, String)> = store::schema::columns(&pg)
            .await
            .unwrap()
            .into_iter()
            .collect();
        assert_eq!(live, pg_live, "SQLite vs PostgreSQL live schemas");
    }
}

#[tokio::test]
async fn the_audit_log_refuses_updates_and_deletes() {
    let app = spawn_app().await;
    let r = store::on_db!(&app.db, |p| store::sqlx::query(
        "update audit_log set summary = 'sửa'"
    )
    .execute(p)
    .await
    .map(|_| ()));
    assert!(r.is_err(), "update refused");
    let r = store::on_db!(&app.db, |p| store::sqlx::query("delete from audit_log")
        .execute(p)
        .await
        .map(|_| ()));
    assert!(r.is_err(), "delete refused");
    let (_, n) = store::audit::list(
        &app.db,
        &Default::default(),
        store::Page::new(Some(1), None),
    )
    .await
    .unwrap();
    assert!(n > 100, "demo loading was audited ({n} rows)");
}
