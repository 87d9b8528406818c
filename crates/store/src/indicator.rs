//! The raw facts the 766 indicators and the seed's KPIs are computed from, for one unit
//! (an agency subtree, or the province) and one period, by a **full scan**: the dossiers
//! that matter for the period (received by its end and not ended before its start, or
//! returned within it) with their supplement pauses. The indicator pages read the
//! maintained aggregates instead (`crate::agg`); this scan is what tests verify them
//! against and what the benchmark compares them with. Both attribute a dossier to its
//! `unit_id` (`crate::agg::unit_of`).

use chrono::{DateTime, Utc};

use crate::{Db, Result, like_prefix, on_db};

/// One dossier as the indicators see it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DossierFacts {
    pub id: i64,
    #[sqlx(try_from = "i32")]
    pub status: domain::dossier::DossierStatus,
    pub channel: i32,
    pub received_at: Option<DateTime<Utc>>,
    pub appointment_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub returned_at: Option<DateTime<Utc>>,
    pub stopped_at: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub digitized: bool,
    pub e_result: bool,
    pub fee_amount: Option<i64>,
    pub paid_online: bool,
    pub rating: Option<i32>,
    /// The procedure's online level at intake.
    pub online_level: String,
    /// Every state change of the dossier reached the national portal.
    pub synced: bool,
}

/// A supplementation pause of one of those dossiers.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PauseFacts {
    pub dossier_id: i64,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
}

/// Dossiers received by `to` (exclusive) and not ended before `from` (or returned in
/// `from..to`, for their rating), counted for a unit under `scope_path` (`None`: the
/// province).
pub async fn dossiers(
    db: &Db,
    scope_path: Option<&str>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<(Vec<DossierFacts>, Vec<PauseFacts>)> {
    let pattern = scope_path.map(like_prefix);
    let (unit_join, scope) = if scope_path.is_some() {
        (
            "join agency u on u.id = h.unit_id",
            "u.path like $1 escape '\\'",
        )
    } else {
        ("", "cast($1 as text) is null")
    };
    let filter = format!(
        "from dossier h {unit_join} join tthc p on p.id = h.tthc_id \
         where {scope} and h.received_at is not null and h.received_at < $2 \
         and (coalesce(h.finished_at, h.returned_at, h.stopped_at, h.withdrawn_at, $3) >= $3 \
              or (h.returned_at >= $3 and h.returned_at < $2))"
    );
    let rows_sql = format!(
        "select h.id, h.status, h.channel, h.received_at, coalesce(h.due_at, h.appointment_at) as appointment_at, \
         h.finished_at, h.returned_at, h.stopped_at, h.withdrawn_at, h.digitized, h.e_result, h.fee_amount, h.paid_online, h.rating, \
         coalesce(h.online_level, p.online_level) as online_level, not exists (select 1 from dossier_outbox o where o.dossier_id = h.id and o.sent_at is null) as synced \
         {filter} order by h.id"
    );
    let pause_sql = format!(
        "select x.dossier_id, x.started_at, x.ended_at from dossier_pause x where x.kind = 'supplement' \
         and x.dossier_id in (select h.id {filter}) order by x.dossier_id, x.id"
    );
    Ok(on_db!(db, |p| {
        let rows = sqlx::query_as(sqlx::AssertSqlSafe(rows_sql))
            .bind(&pattern)
            .bind(to)
            .bind(from)
            .fetch_all(p)
            .await?;
        let pauses = sqlx::query_as(sqlx::AssertSqlSafe(pause_sql))
            .bind(&pattern)
            .bind(to)
            .bind(from)
            .fetch_all(p)
            .await?;
        (rows, pauses)
    }))
}

/// Active procedures in a unit's remit by online level: (total, full online, partial).
/// The province: every active procedure; a unit: those its agencies implement.
pub async fn procedure_counts(db: &Db, scope_path: Option<&str>) -> Result<(i64, i64, i64)> {
    let pattern = scope_path.map(like_prefix);
    Ok(on_db!(db, |p| {
        sqlx::query_as(
            "select count(*), coalesce(sum(case when t.online_level = 'toan_trinh' then 1 else 0 end), 0), \
             coalesce(sum(case when t.online_level = 'mot_phan' then 1 else 0 end), 0) \
             from tthc t left join agency a on a.id = t.agency_id \
             where t.active = true and (cast($1 as text) is null or a.path like $1 escape '\\')",
        )
        .bind(&pattern)
        .fetch_one(p)
        .await?
    }))
}

/// [`procedure_counts`] for several subtrees at once (a ranking): the active procedures
/// counted by their agency's path once, then added up under each of `paths`.
pub async fn procedure_counts_subtrees(db: &Db, paths: &[&str]) -> Result<Vec<(i64, i64, i64)>> {
    let rows: Vec<(String, i64, i64, i64)> = on_db!(db, |p| {
        sqlx::query_as(
            "select a.path, count(*), coalesce(sum(case when t.online_level = 'toan_trinh' then 1 else 0 end), 0), \
             coalesce(sum(case when t.online_level = 'mot_phan' then 1 else 0 end), 0) \
             from tthc t join agency a on a.id = t.agency_id \
             where t.active = true group by a.path",
        )
        .fetch_all(p)
        .await?
    });
    Ok(paths
        .iter()
        .map(|path| {
            rows.iter()
                .filter(|r| r.0.starts_with(path))
                .fold((0, 0, 0), |t, r| (t.0 + r.1, t.1 + r.2, t.2 + r.3))
        })
        .collect())
}

/// One dossier as exported for an outside analysis tool (`cchc bench indicators` hands it
/// to DuckDB): the province's dossiers with the fields the 766 facts read.
#[derive(Debug, Clone, sqlx::FromRow)]
struct ExportRow {
    id: i64,
    status: i32,
    channel: i32,
    received_at: Option<DateTime<Utc>>,
    appointment_at: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
    returned_at: Option<DateTime<Utc>>,
    stopped_at: Option<DateTime<Utc>>,
    withdrawn_at: Option<DateTime<Utc>>,
    digitized: bool,
    e_result: bool,
    fee_amount: Option<i64>,
    paid_online: bool,
    rating: Option<i32>,
    online_level: String,
    synced: bool,
    /// The deadline in force (overdue list).
    due_at: Option<DateTime<Utc>>,
    /// The unit responsible for a delay (overdue list).
    unit_id: i64,
}

/// Writes `dossiers.csv` and `pauses.csv` (supplement pauses) into `dir`, times in local
/// time (UTC+07:00) to the microsecond. Returns (dossiers, pauses) written.
pub async fn export_csv(db: &Db, dir: &std::path::Path) -> Result<(usize, usize)> {
    use std::io::Write;
    let io = |e: std::io::Error| crate::StoreError::Invalid(format!("không ghi được tệp: {e}"));
    std::fs::create_dir_all(dir).map_err(io)?;
    let ts = |t: Option<DateTime<Utc>>| {
        t.map(|t| {
            domain::time::local(t)
                .format("%Y-%m-%d %H:%M:%S%.6f")
                .to_string()
        })
        .unwrap_or_default()
    };
    let mut d =
        std::io::BufWriter::new(std::fs::File::create(dir.join("dossiers.csv")).map_err(io)?);
    writeln!(d, "id,status,channel,received_at,appointment_at,finished_at,returned_at,stopped_at,withdrawn_at,digitized,e_result,fee_amount,paid_online,rating,online_level,synced,due_at,unit_id").map_err(io)?;
    // appointment_at: the appointment in force, as the aggregates judge it.
    let sql = "select h.id, h.status, h.channel, h.received_at, coalesce(h.due_at, h.appointment_at) as appointment_at, \
         h.finished_at, h.returned_at, \
         h.stopped_at, h.withdrawn_at, h.digitized, h.e_result, h.fee_amount, h.paid_online, h.rating, \
         coalesce(h.online_level, p.online_level) as online_level, \
         not exists (select 1 from dossier_outbox o where o.dossier_id = h.id and o.sent_at is null) as synced, \
         h.due_at, coalesce(h.delay_agency_id, h.handling_agency_id, h.agency_id) as unit_id \
         from dossier h join tthc p on p.id = h.tthc_id where h.id > $1 order by h.id limit 50000";
    let (mut n, mut last) = (0usize, 0i64);
    loop {
        let rows: Vec<ExportRow> = on_db!(db, |p| {
            sqlx::query_as(sql).bind(last).fetch_all(p).await?
        });
        let Some(hi) = rows.last().map(|r| r.id) else {
            break;
        };
        for r in &rows {
            writeln!(
                d,
                "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
                r.id,
                r.status,
                r.channel,
                ts(r.received_at),
                ts(r.appointment_at),
                ts(r.finished_at),
                ts(r.returned_at),
                ts(r.stopped_at),
                ts(r.withdrawn_at),
                r.digitized,
                r.e_result,
                r.fee_amount.map(|x| x.to_string()).unwrap_or_default(),
                r.paid_online,
                r.rating.map(|x| x.to_string()).unwrap_or_default(),
                r.online_level,
                r.synced,
                ts(r.due_at),
                r.unit_id
            )
            .map_err(io)?;
        }
        n += rows.len();
        last = hi;
    }
    d.flush().map_err(io)?;
    let mut w = std::io::BufWriter::new(std::fs::File::create(dir.join("pauses.csv")).map_err(io)?);
    writeln!(w, "dossier_id,started_at,ended_at").map_err(io)?;
    let pauses: Vec<PauseFacts> = on_db!(db, |p| {
        sqlx::query_as(
            "select dossier_id, started_at, ended_at from dossier_pause where kind = 'supplement' order by dossier_id, id",
        )
        .fetch_all(p)
        .await?
    });
    for x in &pauses {
        writeln!(
            w,
            "{},{},{}",
            x.dossier_id,
            ts(Some(x.started_at)),
            ts(x.ended_at)
        )
        .map_err(io)?;
    }
    w.flush().map_err(io)?;
    Ok((n, pauses.len()))
}
