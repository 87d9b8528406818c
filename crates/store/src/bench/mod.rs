//! Province-scale generated data for benchmarks (`cchc bench tasks`): directives, tasks
//! spread over the agencies, progress reports and completions, written in large batches.

use crate::BeginWrite;
use chrono::{Duration, NaiveDate};

use crate::{Db, Result, now, on_db};

/// How much to generate.
#[derive(Debug, Clone, Copy)]
pub struct TaskVolume {
    pub directives: usize,
    pub tasks: usize,
    pub reports: usize,
}

/// A small deterministic generator (xorshift), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const BATCH: usize = 400;

/// Generates the volume over the given lead agencies. Returns the ids of the tasks.
pub async fn generate_tasks(db: &Db, agencies: &[i64], v: TaskVolume) -> Result<usize> {
    let mut rng = Rng(0x2023_0815_6794);
    let t = now();
    let base = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or_default();
    let mut directive_ids = Vec::with_capacity(v.directives);
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        for i in 0..v.directives {
            let issued = base + Duration::days(rng.below(1300) as i64);
            let (id,): (i64,) = sqlx::query_as(
                "insert into directive (number, doc_type, issuer, place, issued_on, subject, recipients_json, search_text, created_at, updated_at) \
                 values ($1, 'Kế hoạch', 'Ủy ban nhân dân tỉnh Nghệ An', 'Nghệ An', $2, $3, '[]', $4, $5, $5) returning id",
            )
            .bind(format!("{}/KH-UBND-BENCH", i + 1))
            .bind(issued)
            .bind(format!("Kế hoạch thử nghiệm số {}", i + 1))
            .bind(format!("ke hoach thu nghiem so {}", i + 1))
            .bind(t)
            .fetch_one(&mut *tx)
            .await?;
            directive_ids.push((id, issued));
        }
        tx.commit().await?;
    });
    let first_task: i64 = on_db!(db, |p| {
        let (m,): (Option<i64>,) = sqlx::query_as("select max(id) from task")
            .fetch_one(p)
            .await?;
        m.unwrap_or(0) + 1
    });
    // Tasks, in multi-row inserts.
    let mut rows = Vec::with_capacity(v.tasks);
    for _ in 0..v.tasks {
        let (did, issued) = directive_ids[rng.below(directive_ids.len() as u64) as usize];
        let lead = agencies[rng.below(agencies.len() as u64) as usize];
        let deadline = issued + Duration::days(15 + rng.below(200) as i64);
        let roll = rng.below(100);
        let submitted = (roll < 60).then(|| deadline + Duration::days(rng.below(30) as i64 - 20));
        let verified = roll < 50;
        rows.push((did, lead, deadline, submitted, verified));
    }
    for chunk in rows.chunks(BATCH) {
        let mut sql = String::from(
            "insert into task (directive_id, content, lead_agency_id, deadline, original_deadline, percent, submitted_on, verified, search_text, created_at, updated_at) values ",
        );
        for (i, _) in chunk.iter().enumerate() {
            let b = i * 6;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "(${}, 'Nhiệm vụ thử nghiệm', ${}, ${}, ${}, 50, ${}, ${}, 'nhiem vu thu nghiem', ${}, ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 3,
                b + 4,
                b + 5,
                b + 6,
                b + 6
            ));
        }
        on_db!(db, |p| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for (did, lead, deadline, submitted, verified) in chunk {
                q = q
                    .bind(*did)
                    .bind(*lead)
                    .bind(*deadline)
                    .bind(*submitted)
                    .bind(*verified)
                    .bind(t);
            }
            q.execute(p).await?;
        });
    }
    // Progress reports.
    let n_tasks = rows.len() as u64;
    let mut reports = Vec::with_capacity(v.reports);
    for _ in 0..v.reports {
        let idx = rng.below(n_tasks) as usize;
        reports.push((
            first_task + idx as i64,
            rows[idx].1,
            (rng.below(10) * 10) as i32,
        ));
    }
    for chunk in reports.chunks(BATCH) {
        let mut sql = String::from(
            "insert into task_report (task_id, agency_id, kind, percent, note, created_at) values ",
        );
        for (i, _) in chunk.iter().enumerate() {
            let b = i * 4;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "(${}, ${}, 'progress', ${}, 'Báo cáo tiến độ', ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4
            ));
        }
        on_db!(db, |p| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for (task, agency, percent) in chunk {
                q = q.bind(*task).bind(*agency).bind(*percent).bind(t);
            }
            q.execute(p).await?;
        });
    }
    on_db!(db, |p| {
        match db {
            Db::Sqlite(_) => sqlx::query("analyze").execute(p).await?,
            Db::Pg(_) => sqlx::query("analyze").execute(p).await?,
        };
    });
    Ok(rows.len())
}

// ---------------------------------------------------------------------------------------
// Dossiers: bulk writing shared by the demo loader and `cchc bench dossiers`.
// ---------------------------------------------------------------------------------------

use std::collections::HashMap;

use chrono::{DateTime, Utc};

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
/// indicator aggregates rebuilt from the tables ([`crate::agg::rebuild`]: bulk rows bypass
/// the per-write maintenance).
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

/// A procedure as the generators need it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GenProcedure {
    pub id: i64,
    pub code: String,
    pub level: String,
    pub agency_id: Option<i64>,
    pub limit_unit: Option<String>,
    pub limit_amount: Option<i32>,
    pub fee_text: String,
}

impl GenProcedure {
    pub fn limit(&self) -> Option<domain::dossier::WorkingLimit> {
        let n = u32::try_from(self.limit_amount?).ok()?;
        match self.limit_unit.as_deref()? {
            "days" => Some(domain::dossier::WorkingLimit::Days(n)),
            "hours" => Some(domain::dossier::WorkingLimit::Hours(n)),
            _ => None,
        }
    }
}

/// Active procedures, by id.
pub async fn gen_procedures(db: &Db) -> Result<Vec<GenProcedure>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
            "select id, code, level, agency_id, limit_unit, limit_amount, fee_text from tthc \
             where active order by id",
        )
        .fetch_all(p)
        .await?
    }))
}

/// A desk of the benchmark province: where dossiers are received, who handles them.
#[derive(Debug, Clone)]
pub struct BenchDesk {
    pub id: i64,
    /// The agency e-ID used in dossier codes.
    pub eid: String,
    pub handling_id: i64,
    pub desk_user: Option<i64>,
    pub officer: Option<i64>,
    /// Indices into the procedure list this desk receives.
    pub procs: Vec<usize>,
}

/// What a generator run wrote.
#[derive(Debug, Clone, Copy, Default)]
pub struct GenCount {
    pub dossiers: usize,
    pub events: usize,
    pub rows: usize,
    /// The aggregates rebuilt after generation.
    pub aggregates: crate::agg::Rebuilt,
}

const STEP_NAMES: [&str; 4] = [
    "Thẩm định hồ sơ",
    "Trình lãnh đạo phòng",
    "Lãnh đạo đơn vị phê duyệt",
    "Vào sổ, đóng dấu",
];

fn ts(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}

/// `n` dossiers (≈10 events each) received from 1/1/2023 to `now` across the desks, with
/// supplements, payments, ratings, a few late, withdrawn or stopped, the recent ones and
/// about 1% of the older ones still open. Written in transactions of a few thousand
/// dossiers; `progress` is called after each with the running count.
pub async fn generate_dossiers(
    db: &Db,
    desks: &[BenchDesk],
    procs: &[GenProcedure],
    n: usize,
    now: DateTime<Utc>,
    mut progress: impl FnMut(GenCount),
) -> Result<GenCount> {
    let mut rng = Rng(0x3000_0000_2023_0101);
    let (mut next_id, mut next_event) = next_dossier_ids(db).await?;
    let mut seqs = dossier_seqs(db).await?;
    let start = NaiveDate::from_ymd_opt(2023, 1, 1)
        .unwrap_or_default()
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc()
        .timestamp();
    let end = now.timestamp();
    let span = (end - start).max(86_400) as u64;
    let mut count = GenCount::default();
    let mut batch = GenBatch::default();
    let desks: Vec<&BenchDesk> = desks.iter().filter(|d| !d.procs.is_empty()).collect();
    if desks.is_empty() || procs.is_empty() {
        return Ok(count);
    }
    for i in 0..n {
        // Spread evenly in time (so the ids grow with the reception time), jittered.
        let base = start + (span as i64 * i as i64 / n.max(1) as i64);
        let day_start = base - base.rem_euclid(86_400);
        // 00:30–10:00 UTC = 07:30–17:00 local.
        let received = day_start + 1_800 + rng.below(34_200) as i64;
        let desk = desks[rng.below(desks.len() as u64) as usize];
        let proc = &procs[desk.procs[rng.below(desk.procs.len() as u64) as usize]];
        let id = next_id;
        next_id += 1;
        let local_day = ts(received + 7 * 3600).date_naive();
        let seq = seqs.entry((desk.id, local_day)).or_insert(0);
        if *seq >= 9_999 {
            continue;
        }
        *seq += 1;
        let Ok(code) = domain::dossier::DossierCode::new(&desk.eid, local_day, *seq as u16) else {
            continue;
        };
        let code = code.to_string();
        let days = i64::from(proc.limit_amount.unwrap_or(5).clamp(0, 60));
        let due = received + (days.max(1) * 86_400 * 7) / 5;
        let channel = match rng.below(10) {
            0..=4 => 2,
            5 => 3,
            _ => 1,
        };
        let handling = proc
            .agency_id
            .filter(|_| proc.level == "tinh")
            .unwrap_or(desk.handling_id);
        let age = end - received;
        let open = age < (due - received) || rng.below(100) == 0;
        let mut d = GenDossier {
            id,
            code: code.clone(),
            tthc_id: proc.id,
            agency_id: desk.id,
            handling_agency_id: Some(handling),
            channel,
            status: 2,
            applicant_name: format!("Người nộp {id}"),
            applicant_phone: Some(format!("09{:08}", id % 100_000_000)),
            submitted_at: ts(received - if channel == 2 { 3_600 } else { 0 }),
            received_at: Some(ts(received)),
            appointment_at: Some(ts(due)),
            due_at: Some(ts(due)),
            digitized: rng.below(100) < 60,
            regime: if local_day < NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or_default() {
                "nd61"
            } else {
                "nd118"
            },
            search_text: format!("nguoi nop {id} 09{:08}", id % 100_000_000),
            updated_at: ts(received),
            ..Default::default()
        };
        let mut t = received;
        let mut status = 2;
        let mut events: Vec<(&'static str, i32, i64, Option<&'static str>)> =
            Vec::with_capacity(12);
        if channel == 2 {
            events.push(("submit_online", 1, received - 3_600, None));
        }
        events.push(("receive", 2, received, None));
        let mut plan: Vec<(&'static str, i32, Option<&'static str>)> =
            vec![("assign", 4, Some(STEP_NAMES[0]))];
        for s in 0..(2 + rng.below(3) as usize) {
            plan.push(("transfer", 4, Some(STEP_NAMES[(s + 1).min(3)])));
        }
        if rng.below(100) < 30 {
            plan.push(("request_supplement", 5, None));
            plan.push(("supplement_provided", 4, None));
        }
        if rng.below(100) < 30 {
            plan.push(("request_payment", 6, None));
            plan.push(("payment_done", 4, None));
            plan.push(("payment", 4, None));
        }
        match rng.below(100) {
            0 => plan.push(("withdraw", 7, None)),
            1 => plan.push(("stop", 8, None)),
            _ => {
                plan.push(("finish_processing", 9, None));
                plan.push(("return_result", 10, None));
                if rng.below(2) == 0 {
                    plan.push(("rating", 10, None));
                }
            }
        }
        let stop_at = if open {
            1 + rng.below(plan.len() as u64 - 1) as usize
        } else {
            plan.len()
        };
        let step = ((due - received) / (plan.len() as i64 + 1)).max(600);
        for (k, (kind, to, name)) in plan.into_iter().enumerate() {
            if k >= stop_at {
                break;
            }
            let next = t + step / 2 + rng.below(step as u64) as i64;
            if next >= end {
                break;
            }
            t = next;
            events.push((kind, to, t, name));
        }
        let mut from: Option<i32> = None;
        let mut step_seq = 0;
        for (kind, to, at, name) in events {
            let to = if kind == "payment" || kind == "rating" {
                status
            } else {
                to
            };
            match kind {
                "assign" | "transfer" => {
                    step_seq += 1;
                    d.assignee_id = desk.officer;
                }
                "request_supplement" => {
                    d.supplement_count += 1;
                    batch.pauses.push(GenPause {
                        dossier_id: id,
                        kind: "supplement",
                        started_at: ts(at),
                        ended_at: None,
                        reason: "Bổ sung giấy tờ",
                    });
                }
                "request_payment" => batch.pauses.push(GenPause {
                    dossier_id: id,
                    kind: "payment",
                    started_at: ts(at),
                    ended_at: None,
                    reason: "",
                }),
                "supplement_provided" | "payment_done" => {
                    if let Some(p) = batch.pauses.last_mut().filter(|p| p.dossier_id == id) {
                        p.ended_at = Some(ts(at));
                    }
                    if kind == "payment_done" {
                        d.paid_at = Some(ts(at));
                        d.fee_amount = Some(50_000);
                    }
                }
                "finish_processing" => d.finished_at = Some(ts(at)),
                "return_result" => d.returned_at = Some(ts(at)),
                "withdraw" => d.withdrawn_at = Some(ts(at)),
                "stop" => d.stopped_at = Some(ts(at)),
                "rating" => d.rating = Some(2 + i32::from(rng.below(4) > 0)),
                _ => {}
            }
            status = to;
            let desk_side = matches!(
                kind,
                "submit_online"
                    | "receive"
                    | "return_result"
                    | "payment_done"
                    | "supplement_provided"
                    | "payment"
                    | "rating"
                    | "withdraw"
            );
            let sent = at < end - 3_600 && rng.below(100) < 90;
            batch.events.push(GenEvent {
                id: next_event,
                dossier_id: id,
                kind,
                from_status: from,
                to_status: to,
                at: ts(at),
                user_id: if desk_side { desk.desk_user } else { desk.officer },
                agency_id: Some(if desk_side { desk.id } else { handling }),
                to_agency_id: matches!(kind, "assign" | "transfer").then_some(handling),
                step_seq: Some(step_seq),
                step_name: name,
                note: String::new(),
                payload: format!(
                    "{{\"MaHoSo\":\"{code}\",\"TrangThaiHoSo\":{to},\"KenhThucHien\":{channel},\"SuKien\":\"{kind}\"}}"
                ),
                sent_at: sent.then(|| ts(at + 60)),
                attempts: i32::from(sent),
                last_error: None,
            });
            next_event += 1;
            from = Some(to);
            d.updated_at = ts(at);
        }
        d.status = status;
        d.step_seq = step_seq;
        batch.dossiers.push(d);
        if batch.dossiers.len() >= 5_000 {
            flush(db, &mut batch, &mut count).await?;
            progress(count);
        }
    }
    flush(db, &mut batch, &mut count).await?;
    progress(count);
    count.aggregates = finish_dossiers(db, &seqs).await?;
    Ok(count)
}

async fn flush(db: &Db, batch: &mut GenBatch, count: &mut GenCount) -> Result<()> {
    count.dossiers += batch.dossiers.len();
    count.events += batch.events.len();
    count.rows += batch.rows();
    write_batch(db, batch).await?;
    *batch = GenBatch::default();
    Ok(())
}
