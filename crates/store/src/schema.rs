//! Introspection of the live schema, so a test can prove the SQLite and PostgreSQL
//! migrations stay in lock-step.

use crate::{Db, Result};

/// Every (table, column) of the application schema, sorted.
pub async fn columns(db: &Db) -> Result<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = match db {
        Db::Sqlite(p) => {
            sqlx::query_as(
                "select m.name, c.name from sqlite_master m, pragma_table_info(m.name) c \
                 where m.type = 'table' and m.name not like 'sqlite_%' and m.name not like '_sqlx%'",
            )
            .fetch_all(p)
            .await?
        }
        Db::Pg(p) => {
            sqlx::query_as(
                "select table_name::text, column_name::text from information_schema.columns \
                 where table_schema = current_schema() and table_name not like '_sqlx%'",
            )
            .fetch_all(p)
            .await?
        }
    };
    out.sort();
    Ok(out)
}
