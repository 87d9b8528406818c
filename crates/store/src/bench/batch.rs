//! Dossiers: bulk writing shared by the demo loader and `cchc bench dossiers` (generated
//! rows with explicit ids, multi-row inserts, and the sequences, statistics and aggregates
//! to bring up to date afterwards).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::{BeginWrite, Db, Result, on_db};

/// A generated dossier row (explicit id, so events can point at it without a round trip).
#[derive(Debug, Clone, Default)]
pub struct GenDossier {
    pub id: i64,
    pub code: String,
    pub tthc_id: i64,
    pub agency_id: i64,
    pub handling_agency_id: Option<i64>,
    pub assignee_id: Option<i64>,
    pub channel: i32,
    pub status: i32,
    pub applicant_name: String,
    pub applicant_id_no: Option<String>,
    pub applicant_phone: Option<String>,
    pub submitted_at: DateTime<Utc>,
    pub received_at: Option<DateTime<Utc>>,
    pub appointment_at: Option<DateTime<Utc>>,
    pub rescheduled_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
    pub target_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub returned_at: Option<DateTime<Utc>>,
    pub stopped_at: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub supplement_count: i32,
    pub step_seq: i32,
    pub step_due_at: Option<DateTime<Utc>>,
    pub fee_amount: Option<i64>,
    pub paid_at: Option<DateTime<Utc>>,
    pub paid_online: bool,
    pub rating: Option<i32>,
    pub digitized: bool,
    pub e_result: bool,
    pub result_code: Option<String>,
    pub delay_reason: Option<String>,
    pub delay_agency_id: Option<i64>,
    pub delay_user_id: Option<i64>,
    pub regime: &'static str,
    pub search_text: String,
    pub updated_at: DateTime<Utc>,
}

/// A generated control-sheet row with its outbox row.
#[derive(Debug, Clone)]
pub struct GenEvent {
    pub id: i64,
    pub dossier_id: i64,
    pub kind: &'static str,
    pub from_status: Option<i32>,
    pub to_status: i32,
    pub at: DateTime<Utc>,
    pub user_id: Option<i64>,
    pub agency_id: Option<i64>,
    pub to_agency_id: Option<i64>,
    pub step_seq: Option<i32>,
    pub step_name: Option<&'static str>,
    pub note: String,
    /// The outbox row: its payload, and when the portal accepted it (`None`: pending).
    pub payload: String,
    pub sent_at: Option<DateTime<Utc>>,
    pub attempts: i32,
    pub last_error: Option<&'static str>,
}

/// A supplementation or payment pause.
#[derive(Debug, Clone)]
pub struct GenPause {
    pub dossier_id: i64,
    pub kind: &'static str,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub reason: &'static str,
}

/// A batch written in one transaction.
#[derive(Debug, Default)]
pub struct GenBatch {
    pub dossiers: Vec<GenDossier>,
    pub events: Vec<GenEvent>,
    pub pauses: Vec<GenPause>,
}

impl GenBatch {
    pub fn rows(&self) -> usize {
        self.dossiers.len() + 2 * self.events.len() + self.pauses.len()
    }
}

/// The first free dossier and event ids.
pub async fn next_dossier_ids(db: &Db) -> Result<(i64, i64)> {
    Ok(on_db!(db, |p| {
        let (d,): (Option<i64>,) = sqlx::query_as("select max(id) from dossier")
            .fetch_one(p)
            .await?;
        let (e,): (Option<i64>,) = sqlx::query_as("select max(id) from dossier_event")
            .fetch_one(p)
            .await?;
        (d.unwrap_or(0) + 1, e.unwrap_or(0) + 1)
    }))
}

/// The last sequence number used per (desk, local day), to continue codes without
/// collisions.
pub async fn dossier_seqs(db: &Db) -> Result<HashMap<(i64, NaiveDate), i32>> {
    let rows: Vec<(i64, NaiveDate, i32)> = on_db!(db, |p| {
        sqlx::query_as("select agency_id, day, last from dossier_seq")
            .fetch_all(p)
            .await?
    });
    Ok(rows.into_iter().map(|(a, d, l)| ((a, d), l)).collect())
}

const DOSSIER_COLS: usize = 38;
const EVENT_COLS: usize = 12;
const OUTBOX_COLS: usize = 7;
const PAUSE_COLS: usize = 5;

/// `(…),(…)` value lists. SQLite gets anonymous `?` parameters: its look-up of a numbered
/// `$N` parameter's name walks the whole list (quadratic on multi-row inserts — 88% of the
/// time in a profile); PostgreSQL needs `$N`.
pub(crate) fn placeholders(db: &Db, rows: usize, cols: usize) -> String {
    let numbered = matches!(db, Db::Pg(_));
    let mut s = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        if r > 0 {
            s.push(',');
        }
        s.push('(');
        for c in 0..cols {
            if c > 0 {
                s.push(',');
            }
            if numbered {
                s.push('$');
                s.push_str(&(r * cols + c + 1).to_string());
            } else {
                s.push('?');
            }
        }
        s.push(')');
    }
    s
}

/// Writes a batch in one transaction with multi-row inserts (both backends).
pub async fn write_batch(db: &Db, b: &GenBatch) -> Result<()> {
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        for chunk in b.dossiers.chunks(200) {
            let sql = format!(
                "insert into dossier (id, code, tthc_id, agency_id, handling_agency_id, assignee_id, channel, status, \
                 applicant_name, applicant_id_no, applicant_phone, submitted_at, received_at, appointment_at, \
                 rescheduled_at, due_at, target_at, finished_at, returned_at, stopped_at, withdrawn_at, \
                 supplement_count, step_seq, step_due_at, fee_amount, paid_at, paid_online, rating, digitized, \
                 e_result, result_code, delay_reason, delay_agency_id, delay_user_id, regime, search_text, \
                 created_at, updated_at) values {}",
                placeholders(db, chunk.len(), DOSSIER_COLS)
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for d in chunk {
                q = q
                    .bind(d.id)
                    .bind(&d.code)
                    .bind(d.tthc_id)
                    .bind(d.agency_id)
                    .bind(d.handling_agency_id)
                    .bind(d.assignee_id)
                    .bind(d.channel)
                    .bind(d.status)
                    .bind(&d.applicant_name)
                    .bind(&d.applicant_id_no)
                    .bind(&d.applicant_phone)
                    .bind(d.submitted_at)
                    .bind(d.received_at)
                    .bind(d.appointment_at)
                    .bind(d.rescheduled_at)
                    .bind(d.due_at)
                    .bind(d.target_at)
                    .bind(d.finished_at)
                    .bind(d.returned_at)
                    .bind(d.stopped_at)
                    .bind(d.withdrawn_at)
                    .bind(d.supplement_count)
                    .bind(d.step_seq)
                    .bind(d.step_due_at)
                    .bind(d.fee_amount)
                    .bind(d.paid_at)
                    .bind(d.paid_online)
                    .bind(d.rating)
                    .bind(d.digitized)
                    .bind(d.e_result)
                    .bind(&d.result_code)
                    .bind(&d.delay_reason)
                    .bind(d.delay_agency_id)
                    .bind(d.delay_user_id)
                    .bind(d.regime)
                    .bind(&d.search_text)
                    .bind(d.submitted_at)
                    .bind(d.updated_at);
            }
            q.execute(&mut *tx).await?;
        }
        for chunk in b.events.chunks(1000) {
            let sql = format!(
                "insert into dossier_event (id, dossier_id, kind, from_status, to_status, at, user_id, agency_id, \
                 to_agency_id, step_seq, step_name, note) values {}",
                placeholders(db, chunk.len(), EVENT_COLS)
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for e in chunk {
                q = q
                    .bind(e.id)
                    .bind(e.dossier_id)
                    .bind(e.kind)
                    .bind(e.from_status)
                    .bind(e.to_status)
                    .bind(e.at)
                    .bind(e.user_id)
                    .bind(e.agency_id)
                    .bind(e.to_agency_id)
                    .bind(e.step_seq)
                    .bind(e.step_name)
                    .bind(&e.note);
            }
            q.execute(&mut *tx).await?;
        }
        for chunk in b.events.chunks(1500) {
            let sql = format!(
                "insert into dossier_outbox (dossier_id, event_id, payload, created_at, sent_at, attempts, last_error) values {}",
                placeholders(db, chunk.len(), OUTBOX_COLS)
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for e in chunk {
                q = q
                    .bind(e.dossier_id)
                    .bind(e.id)
                    .bind(&e.payload)
                    .bind(e.at)
                    .bind(e.sent_at)
                    .bind(e.attempts)
                    .bind(e.last_error);
            }
            q.execute(&mut *tx).await?;
        }
        for chunk in b.pauses.chunks(1500) {
            let sql = format!(
                "insert into dossier_pause (dossier_id, kind, started_at, ended_at, reason) values {}",
                placeholders(db, chunk.len(), PAUSE_COLS)
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for x in chunk {
                q = q
                    .bind(x.dossier_id)
                    .bind(x.kind)
                    .bind(x.started_at)
                    .bind(x.ended_at)
                    .bind(x.reason);
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
    });
    Ok(())
}

/// After generation: the per-desk-per-day sequences (so live intake continues after the
/// generated codes), the PostgreSQL identity sequences, fresh planner statistics, and the
/// indicator aggregates rebuilt from the tables
/// ([`crate::agg::rebuild`](fn@crate::agg::rebuild): bulk rows bypass the per-write
/// maintenance).
pub async fn finish_dossiers(
    db: &Db,
    seqs: &HashMap<(i64, NaiveDate), i32>,
) -> Result<crate::agg::Rebuilt> {
    let rows: Vec<_> = seqs.iter().collect();
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        for chunk in rows.chunks(1000) {
            let sql = format!(
                "insert into dossier_seq (agency_id, day, last) values {} \
                 on conflict (agency_id, day) do update set last = excluded.last \
                 where excluded.last > dossier_seq.last",
                placeholders(db, chunk.len(), 3)
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for ((a, d), l) in chunk {
                q = q.bind(*a).bind(*d).bind(*l);
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
    });
    match db {
        Db::Pg(p) => {
            for t in ["dossier", "dossier_event"] {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "select setval(pg_get_serial_sequence('{t}', 'id'), coalesce((select max(id) from {t}), 0) + 1, false)"
                )))
                .execute(p)
                .await?;
            }
            sqlx::query(
                "analyze dossier, dossier_event, dossier_outbox, dossier_pause, dossier_seq",
            )
            .execute(p)
            .await?;
        }
        Db::Sqlite(p) => {
            sqlx::query("analyze").execute(p).await?;
        }
    }
    crate::agg::rebuild(db).await
}
