//! What operators watch: the database's role (primary or streaming replica) with the
//! replica's lag, the connection pool's use, and the outbox depth (`/healthz`,
//! `/metrics`).

use crate::{Db, Result, on_db};

/// The role of the database behind a pool.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Role {
    /// `primary`, `replica` (a PostgreSQL standby in recovery) or `embedded` (SQLite).
    pub role: &'static str,
    /// On a replica: seconds since the last transaction it replayed was committed on the
    /// primary (0 when it has replayed everything it received and nothing new came).
    pub lag_seconds: Option<f64>,
    /// On a replica: the primary's commit time of the last replayed transaction — the
    /// instant its figures are true at ("số liệu tính đến …").
    pub replayed_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Asks the database what it is. On a PostgreSQL standby the lag is measured as the age
/// of the last replayed commit, and counted as 0 when the standby has replayed all the
/// WAL it received (an idle primary commits nothing, which is no lag).
pub async fn role(db: &Db) -> Result<Role> {
    match db {
        Db::Sqlite(_) => Ok(Role {
            role: "embedded",
            lag_seconds: None,
            replayed_at: None,
        }),
        Db::Pg(p) => {
            let (recovery, lag, replayed): (bool, Option<f64>, Option<chrono::DateTime<chrono::Utc>>) =
                sqlx::query_as(
                    "select pg_is_in_recovery(), \
                     case when pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0::float8 \
                     else extract(epoch from clock_timestamp() - pg_last_xact_replay_timestamp())::float8 end, \
                     pg_last_xact_replay_timestamp()",
                )
                .fetch_one(p)
                .await?;
            Ok(if recovery {
                Role {
                    role: "replica",
                    lag_seconds: Some(lag.unwrap_or(0.0).max(0.0)),
                    replayed_at: replayed,
                }
            } else {
                Role {
                    role: "primary",
                    lag_seconds: None,
                    replayed_at: None,
                }
            })
        }
    }
}

/// Connections of a pool: open, idle, and the most it may open.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct PoolUse {
    pub open: u32,
    pub idle: u32,
    pub max: u32,
}

pub fn pool_use(db: &Db) -> PoolUse {
    on_db!(db, |p| PoolUse {
        open: p.size(),
        idle: p.num_idle() as u32,
        max: p.options().get_max_connections(),
    })
}

/// Outbox rows not yet accepted by the national portal (the partial index alone).
pub async fn outbox_depth(db: &Db) -> Result<i64> {
    Ok(on_db!(db, |p| {
        sqlx::query_scalar("select count(*) from dossier_outbox where sent_at is null")
            .fetch_one(p)
            .await?
    }))
}
