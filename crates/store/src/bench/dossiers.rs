//! The dossier generator of `cchc bench dossiers`: dossiers received across the desks of
//! the benchmark province over the years, with their events, pauses and outbox rows.

use chrono::{DateTime, NaiveDate, Utc};

use super::Rng;
use super::batch::{
    GenBatch, GenDossier, GenEvent, GenPause, dossier_seqs, finish_dossiers, next_dossier_ids,
    write_batch,
};
use crate::{Db, Result, on_db};

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
        let local_day = domain::time::day_of(ts(received));
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
            regime: domain::time::regime_on(local_day),
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
