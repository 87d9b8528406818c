//! Demo dossiers: one-stop dossiers from 1/1/2023 up to today across the demo desks, with
//! realistic volumes (seasonality, the Tết dip), channels, digitisation and
//! synchronisation rates varying by unit as the 2023 provincial report describes (Con
//! Cuông 18% digitised, 60% synchronised province-wide), supplements, payments, ratings,
//! late dossiers with apology letters, open and overdue ones, withdrawals, stops and
//! refusals.
//!
//! Before 1/7/2025 dossiers are received at the district one-stop desks (UBND huyện) and
//! the provincial service centre; from 1/7/2025 at the commune service centres (two-level
//! local government) and the provincial centre — by the registry's validity dates.
//! Appointment dates are the domain's (`domain::dossier::appointment` over the legal
//! calendar of data/calendar), exactly as live intake computes them. Deterministic (seeded).

use std::collections::HashMap;

use anyhow::Context;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use domain::calendar::{Calendar, OfficeHours};
use domain::dossier::IntakePolicy;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use store::Db;
use store::agency::AgencyFilter;
use store::bench::{GenBatch, GenDossier, GenEvent, GenPause, GenProcedure};

const RULES_TOML: &str = include_str!("../../../data/calendar/vn-holiday-rules.toml");
const DAYS_OFF_CSV: &str = include_str!("../../../data/calendar/vn-civil-service-days-off.csv");

/// Dossiers per year across the province's demo desks (before growth and seasonality).
pub const PER_YEAR: f64 = 18_000.0;

/// The day the two-level local government started (NĐ 118/2025, desks move to communes).
pub fn two_level_start() -> NaiveDate {
    domain::time::regime_start("nd118").unwrap_or_default()
}

/// The legal calendar the demo (and live intake on a fresh database) uses.
pub fn calendar() -> anyhow::Result<Calendar> {
    Calendar::from_sources(RULES_TOML, DAYS_OFF_CSV).map_err(|e| anyhow::anyhow!("lịch: {e}"))
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub dossiers: usize,
    pub events: usize,
}

struct Desk {
    id: i64,
    code: String,
    eid: String,
    /// Who processes dossiers of non-provincial procedures (the UBND itself, or the
    /// commune UBND a centre serves).
    handling_id: i64,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
    provincial: bool,
    weight: f64,
    digitised: f64,
    late: f64,
    unsync: f64,
    procs: Vec<usize>,
}

use domain::time::{local, utc};

/// A stable pseudo-random number in [0, 1) from a string (per-unit characteristics).
fn unit_hash(s: &str) -> f64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h >> 11) as f64 / (1u64 << 53) as f64
}

const MONTH_FACTOR: [f64; 12] = [
    1.10, 0.80, 1.15, 1.00, 0.95, 1.05, 1.10, 1.00, 0.95, 1.05, 1.10, 1.20,
];

const DELAY_REASONS: [&str; 5] = [
    "Hồ sơ phải xác minh thực địa, lấy ý kiến cơ quan liên quan",
    "Cơ quan phối hợp chậm trả lời",
    "Cán bộ thụ lý nghỉ ốm đột xuất",
    "Hệ thống phần mềm gặp sự cố, không ký số được",
    "Chờ kết quả đo đạc địa chính",
];
const SUPPLEMENT_REASONS: [&str; 3] = [
    "Thiếu bản sao giấy tờ tùy thân",
    "Tờ khai chưa đủ chữ ký",
    "Bổ sung giấy xác nhận của UBND cấp xã",
];
const STEPS: [&str; 3] = [
    "Thẩm định hồ sơ",
    "Trình lãnh đạo phê duyệt",
    "Ký duyệt, vào sổ kết quả",
];
const FAMILY: [&str; 12] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Hồ", "Lô", "Vi", "Lương",
];
const MIDDLE: [&str; 6] = ["Văn", "Thị", "Đình", "Hữu", "Minh", "Thị Thu"];
const GIVEN: [&str; 12] = [
    "Quang", "Bình", "Cường", "Dung", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Nam", "Phương", "Tâm",
];

/// Days near Tết (a week before, ten days after the long holiday) get fewer dossiers.
fn tet_days(cal: &Calendar, years: std::ops::RangeInclusive<i32>) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    for y in years {
        for run in cal.days_off_runs(y) {
            if run.days >= 5 && run.first.month() <= 2 {
                out.push((run.first - Duration::days(7), run.last + Duration::days(10)));
            }
        }
    }
    out
}

/// Generates and writes the demo dossiers up to `now`.
pub async fn load(db: &Db, now: DateTime<Utc>, per_year: f64) -> anyhow::Result<Summary> {
    let cal = calendar()?;
    let policy = IntakePolicy::default();
    let work_hours = OfficeHours::default();
    let mut rng = StdRng::seed_from_u64(0x4E41_2023_0701);
    let procs = store::bench::gen_procedures(db).await?;
    let (agencies, _) =
        store::agency::list(db, &AgencyFilter::default(), store::Page::all()).await?;
    // Demo officers: one-stop staff by desk, officers and heads by agency.
    let mut desk_users: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut officers: HashMap<i64, Vec<i64>> = HashMap::new();
    for u in crate::demo::demo_users()? {
        let Ok(user) = store::user::get_by_username(db, &u.username).await else {
            continue;
        };
        if u.roles.contains("mot_cua") {
            desk_users.entry(user.agency_id).or_default().push(user.id);
        }
        if u.roles.contains("chuyen_vien") || u.roles.contains("lanh_dao_don_vi") {
            officers.entry(user.agency_id).or_default().push(user.id);
        }
    }
    let with_limit = |p: &GenProcedure| p.limit().is_some();
    let pool = |levels: &[&str], need_agency: bool| -> Vec<usize> {
        procs
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                with_limit(p)
                    && levels.contains(&p.level.as_str())
                    && (!need_agency || p.agency_id.is_some())
            })
            .map(|(i, _)| i)
            .collect()
    };
    let province_procs = pool(&["tinh"], true);
    let local_procs = pool(&["huyen", "xa", "lien_thong"], false);
    let mut desks = Vec::new();
    for a in &agencies {
        let provincial = a.code == "TTPVHCC-TINH";
        let district = a.kind == "ubnd_huyen";
        let commune_centre = a.kind == "trung_tam_phvhcc" && a.code.starts_with("TTPV-");
        if !(provincial || district || commune_centre) {
            continue;
        }
        let h = unit_hash(&a.code);
        let weight = if provincial {
            7.0
        } else if a.code == "H-VINH" {
            4.0
        } else if district {
            0.8 + h
        } else if a.code.contains("VINH") || a.code.contains("CUALO") {
            1.0 + 0.5 * h
        } else {
            0.4 + 0.6 * h
        };
        // The report's weak units: Con Cuông 18% digitised; Kỳ Sơn, Cửa Lò poorly synchronised.
        let digitised = if a.code.contains("CONCUONG") {
            0.18
        } else {
            0.25 + 0.5 * unit_hash(&format!("{}d", a.code))
        };
        let unsync = if a.code.contains("KYSON") || a.code.contains("CUALO") {
            1.6
        } else {
            0.6 + 0.8 * unit_hash(&format!("{}s", a.code))
        };
        desks.push(Desk {
            id: a.id,
            code: a.code.clone(),
            eid: app::dossier::agency_eid(a.id),
            handling_id: if commune_centre {
                a.parent_id.unwrap_or(a.id)
            } else {
                a.id
            },
            valid_from: a.valid_from,
            valid_to: a.valid_to,
            provincial,
            weight,
            digitised,
            late: 0.02 + 0.06 * unit_hash(&format!("{}l", a.code)),
            unsync,
            procs: if provincial {
                province_procs.clone()
            } else {
                local_procs.clone()
            },
        });
    }
    desks.retain(|d| !d.procs.is_empty());
    if desks.is_empty() {
        return Ok(Summary::default());
    }
    let today = local(now).date();
    let start = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or_default();
    let tet = tet_days(&cal, 2023..=today.year());
    let (mut next_id, mut next_event) = store::bench::next_dossier_ids(db).await?;
    let mut seqs = store::bench::dossier_seqs(db).await?;
    let mut batch = GenBatch::default();
    let mut summary = Summary::default();
    let mut day = start;
    while day <= today {
        let working = cal.is_working_day(day).unwrap_or(false);
        let valid: Vec<&Desk> = desks
            .iter()
            .filter(|d| d.valid_from <= day && d.valid_to.is_none_or(|t| day <= t))
            .filter(|d| d.provincial || (d.code.starts_with("TTPV-") == (day >= two_level_start())))
            .collect();
        let total_w: f64 = valid.iter().map(|d| d.weight).sum();
        let growth = 1.0 + 0.05 * f64::from(day.year() - 2023);
        let mut expected = if working {
            per_year / 248.0 * MONTH_FACTOR[day.month0() as usize] * growth
        } else {
            // Online submissions come in on days off too; the desk receives them later.
            per_year / 248.0 * 0.06
        };
        if tet.iter().any(|(a, b)| *a <= day && day <= *b) {
            expected *= 0.55;
        }
        let n = (expected * rng.random_range(0.85..1.15)).round() as usize;
        for _ in 0..n {
            if total_w <= 0.0 {
                break;
            }
            let mut pick = rng.random_range(0.0..total_w);
            let mut desk = valid[0];
            for d in &valid {
                if pick < d.weight {
                    desk = d;
                    break;
                }
                pick -= d.weight;
            }
            let ctx = Ctx {
                cal: &cal,
                policy: &policy,
                hours: &work_hours,
                now,
                desk_users: &desk_users,
                officers: &officers,
            };
            if let Some(events) = dossier(
                &ctx,
                &mut rng,
                desk,
                &procs,
                day,
                working,
                &mut next_id,
                &mut next_event,
                &mut seqs,
                &mut batch,
            ) {
                summary.dossiers += 1;
                summary.events += events;
            }
        }
        if batch.dossiers.len() >= 4_000 {
            store::bench::write_batch(db, &batch).await?;
            batch = GenBatch::default();
        }
        day += Duration::days(1);
    }
    store::bench::write_batch(db, &batch).await?;
    store::bench::finish_dossiers(db, &seqs)
        .await
        .context("dossier_seq")?;
    Ok(summary)
}

struct Ctx<'a> {
    cal: &'a Calendar,
    policy: &'a IntakePolicy,
    hours: &'a OfficeHours,
    now: DateTime<Utc>,
    desk_users: &'a HashMap<i64, Vec<i64>>,
    officers: &'a HashMap<i64, Vec<i64>>,
}

impl Ctx<'_> {
    /// `minutes` working minutes after `from` (office hours, no cut-off).
    fn after(&self, from: NaiveDateTime, minutes: i64) -> NaiveDateTime {
        self.cal
            .add_working_minutes(self.hours, from, u32::try_from(minutes.max(0)).unwrap_or(0))
            .unwrap_or(from + Duration::minutes(minutes))
    }
}

fn pick(rng: &mut StdRng, v: Option<&Vec<i64>>) -> Option<i64> {
    let v = v?;
    (!v.is_empty()).then(|| v[rng.random_range(0..v.len())])
}

/// A random instant within office hours of `day` (local).
fn office_time(rng: &mut StdRng, day: NaiveDate) -> NaiveDateTime {
    let m = rng.random_range(0..480u32);
    let minutes = if m < 240 { 450 + m } else { 810 + m - 240 };
    day.and_time(
        NaiveTime::from_hms_opt(minutes / 60, minutes % 60, rng.random_range(0..60))
            .unwrap_or_default(),
    )
}

fn fmt_ts(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[allow(clippy::too_many_arguments)]
fn dossier(
    ctx: &Ctx,
    rng: &mut StdRng,
    desk: &Desk,
    procs: &[GenProcedure],
    day: NaiveDate,
    working: bool,
    next_id: &mut i64,
    next_event: &mut i64,
    seqs: &mut HashMap<(i64, NaiveDate), i32>,
    batch: &mut GenBatch,
) -> Option<usize> {
    let proc = &procs[desk.procs[rng.random_range(0..desk.procs.len())]];
    let limit = proc.limit()?;
    let years = f64::from(day.year() - 2023) + f64::from(day.ordinal()) / 365.0;
    let online_share = (0.22 + 0.09 * years + if desk.provincial { 0.1 } else { 0.0 }).min(0.7);
    let channel = if !working || rng.random_bool(online_share) {
        2
    } else if rng.random_bool(0.04) {
        3
    } else {
        1
    };
    // Submission: desk and post within office hours; online at any hour.
    let submitted = if channel == 2 {
        day.and_time(
            NaiveTime::from_hms_opt(rng.random_range(6..23), rng.random_range(0..60), 0)
                .unwrap_or_default(),
        )
    } else {
        office_time(rng, day)
    };
    if utc(submitted) > ctx.now {
        return None;
    }
    let seq = seqs.entry((desk.id, day)).or_insert(0);
    if *seq >= 9_999 {
        return None;
    }
    *seq += 1;
    let code = domain::dossier::DossierCode::new(&desk.eid, day, *seq as u16)
        .ok()?
        .to_string();
    // As live intake: the appointment counts from the intake instant (Mẫu 01).
    let appointment = domain::dossier::appointment(submitted, limit, ctx.cal, ctx.policy).ok()?;
    let target = (channel == 2)
        .then(|| domain::dossier::online_target(submitted, limit, ctx.cal, ctx.policy).ok())
        .flatten();
    let received = if channel == 2 {
        // The desk checks online submissions within the next working hours.
        let start = ctx
            .cal
            .reception_start(ctx.hours, submitted)
            .unwrap_or(submitted);
        ctx.after(start, rng.random_range(5..240))
    } else {
        submitted
    };
    let id = *next_id;
    *next_id += 1;
    let handling = proc
        .agency_id
        .filter(|_| desk.provincial)
        .unwrap_or(desk.handling_id);
    let desk_user = pick(rng, ctx.desk_users.get(&desk.id));
    let officer = pick(rng, ctx.officers.get(&handling));
    let regime = domain::time::regime_on(day);
    let name = format!(
        "{} {} {}",
        FAMILY[rng.random_range(0..FAMILY.len())],
        MIDDLE[rng.random_range(0..MIDDLE.len())],
        GIVEN[rng.random_range(0..GIVEN.len())]
    );
    let phone = format!("09{:08}", rng.random_range(0..100_000_000u32));
    let digit_rate = (desk.digitised + 0.12 * years).min(0.95);
    let late_rate = (desk.late * (1.0 - 0.15 * years)).max(0.01);
    let total = limit.minutes(&ctx.policy.hours).max(60);
    let fee = (!proc.fee_text.trim().is_empty() && rng.random_bool(0.7))
        .then(|| i64::from(rng.random_range(1..=40u32)) * 10_000);

    // The plan: (kind, to_status, instant, step name, note).
    type Plan = Vec<(
        &'static str,
        i32,
        NaiveDateTime,
        Option<&'static str>,
        String,
    )>;
    let mut plan: Plan = Vec::with_capacity(12);
    let mut pauses: Vec<GenPause> = Vec::new();
    if channel == 2 {
        plan.push(("submit_online", 1, submitted, None, String::new()));
    }
    let roll: f64 = rng.random();
    if roll < 0.015 {
        plan.push((
            "refuse_at_intake",
            3,
            received,
            None,
            "Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan".into(),
        ));
    } else {
        plan.push(("receive", 2, received, None, String::new()));
        let finish_at = (total as f64 * rng.random_range(0.25..0.95)) as i64;
        let late = rng.random_bool(late_rate);
        let mut clock = received;
        let mut due = appointment;
        let mut paused = 0i64;
        let assign = ctx.after(clock, rng.random_range(10..120));
        plan.push(("assign", 4, assign, Some(STEPS[0]), String::new()));
        clock = assign;
        let supplements = match rng.random_range(0..1000) {
            0..=24 => 2,
            25..=109 => 1,
            _ => 0,
        };
        for k in 0..supplements {
            let ask = ctx.after(clock, rng.random_range(30..(finish_at / 3).max(60)));
            let back = ctx.after(ask, rng.random_range(240..2400));
            let reason = SUPPLEMENT_REASONS[(id as usize + k) % SUPPLEMENT_REASONS.len()];
            plan.push(("request_supplement", 5, ask, None, reason.into()));
            plan.push(("supplement_provided", 4, back, None, String::new()));
            pauses.push(GenPause {
                dossier_id: id,
                kind: "supplement",
                started_at: utc(ask),
                ended_at: Some(utc(back)),
                reason,
            });
            let p = ctx
                .cal
                .elapsed_working_minutes(ctx.hours, ask, back, &[])
                .unwrap_or(0);
            paused += p;
            clock = back;
        }
        let transfer = ctx.after(clock, rng.random_range(30..(finish_at / 2).max(60)));
        plan.push(("transfer", 4, transfer, Some(STEPS[1]), String::new()));
        clock = transfer;
        if let Some(amount) = fee.filter(|_| rng.random_bool(0.5)) {
            let ask = ctx.after(clock, rng.random_range(10..240));
            let paid = ctx.after(ask, rng.random_range(30..960));
            plan.push(("request_payment", 6, ask, None, String::new()));
            plan.push(("payment_done", 4, paid, None, String::new()));
            plan.push(("payment", 4, paid, None, format!("Thu {amount} đồng")));
            pauses.push(GenPause {
                dossier_id: id,
                kind: "payment",
                started_at: utc(ask),
                ended_at: Some(utc(paid)),
                reason: "",
            });
            paused += ctx
                .cal
                .elapsed_working_minutes(ctx.hours, ask, paid, &[])
                .unwrap_or(0);
            clock = paid;
        } else if let Some(amount) = fee {
            plan.push(("payment", 2, received, None, format!("Thu {amount} đồng")));
        }
        if paused > 0 {
            due = ctx.after(appointment, paused);
        }
        let sign = ctx.after(clock, rng.random_range(30..(finish_at / 2).max(60)));
        plan.push(("transfer", 4, sign, Some(STEPS[2]), String::new()));
        let end = if late {
            // Late: an apology letter the day before the deadline, a new date, then the
            // result after the deadline.
            let apology = due - Duration::hours(20);
            let extra = rng.random_range(1..=5u32);
            let new_date = ctx
                .cal
                .add_working_days(due.date(), extra + 1)
                .unwrap_or(due.date())
                .and_time(NaiveTime::from_hms_opt(17, 30, 0).unwrap_or_default());
            let reason = DELAY_REASONS[rng.random_range(0..DELAY_REASONS.len())];
            plan.push((
                "apology",
                4,
                apology.max(sign),
                None,
                format!(
                    "{reason} — hẹn lại ngày trả {}",
                    new_date.format("%d/%m/%Y %H:%M")
                ),
            ));
            ctx.after(due, i64::from(extra) * 480 - rng.random_range(0..240))
        } else {
            let at = ctx.after(clock, rng.random_range(30..(total - finish_at / 2).max(60)));
            at.min(due - Duration::minutes(5)).max(sign)
        };
        let end = end.max(sign + Duration::minutes(5));
        match rng.random_range(0..1000) {
            0..=11 => plan.push(("withdraw", 7, sign, None, "Công dân xin rút hồ sơ".into())),
            12..=19 => plan.push((
                "stop",
                8,
                sign,
                None,
                "Hồ sơ có dấu hiệu giả mạo giấy tờ".into(),
            )),
            _ => {
                plan.push(("finish_processing", 9, end, None, String::new()));
                let ret = ctx.after(end, rng.random_range(10..960));
                plan.push(("return_result", 10, ret, None, String::new()));
                if rng.random_bool(0.45) {
                    plan.push((
                        "rating",
                        10,
                        ret + Duration::minutes(3),
                        None,
                        String::new(),
                    ));
                }
            }
        }
        let _ = due;
    }
    // Some dossiers of the last months get stuck at a step: open and overdue today.
    let recent = (local(ctx.now).date() - day).num_days() < 200;
    let stuck = recent && rng.random_bool(0.015);
    plan.sort_by_key(|p| p.2);
    let now_local = local(ctx.now);
    let mut d = GenDossier {
        id,
        code: code.clone(),
        tthc_id: proc.id,
        agency_id: desk.id,
        handling_agency_id: Some(handling),
        channel,
        status: 1,
        applicant_name: name.clone(),
        applicant_id_no: Some(format!("040{:09}", rng.random_range(0..1_000_000_000u32))),
        applicant_phone: Some(phone.clone()),
        submitted_at: utc(submitted),
        appointment_at: Some(utc(appointment)),
        due_at: Some(utc(appointment)),
        target_at: target.map(utc),
        digitized: rng.random_bool(digit_rate),
        regime,
        search_text: domain::text::fold_vi(&format!("{name} {phone}")),
        updated_at: utc(submitted),
        ..Default::default()
    };
    let mut status: i32 = 1;
    let mut step_seq = 0;
    let mut n = 0;
    let mut from: Option<i32> = None;
    let mut due_now = appointment;
    for (kind, to, at, step, note) in plan {
        if at > now_local || (stuck && matches!(kind, "finish_processing" | "transfer") && n > 2) {
            break;
        }
        let to = if matches!(kind, "payment" | "rating" | "apology") {
            status
        } else {
            to
        };
        let desk_side = matches!(
            kind,
            "receive"
                | "refuse_at_intake"
                | "supplement_provided"
                | "payment_done"
                | "payment"
                | "withdraw"
                | "return_result"
                | "rating"
        );
        match kind {
            "receive" => d.received_at = Some(utc(at)),
            "refuse_at_intake" => {
                d.stopped_at = Some(utc(at));
            }
            "assign" | "transfer" => {
                step_seq += 1;
                d.assignee_id = officer;
                d.step_due_at = Some(utc(ctx.after(at, (total / 3).max(60))));
            }
            "request_supplement" => d.supplement_count += 1,
            "supplement_provided" | "payment_done" => {
                if let Some(p) = pauses
                    .iter()
                    .find(|p| p.started_at < utc(at) && p.ended_at == Some(utc(at)))
                {
                    let m = ctx
                        .cal
                        .elapsed_working_minutes(ctx.hours, local(p.started_at), at, &[])
                        .unwrap_or(0);
                    due_now = ctx.after(due_now, m);
                    d.due_at = Some(utc(due_now));
                }
                if kind == "payment_done" {
                    d.paid_at = Some(utc(at));
                }
            }
            "payment" => {
                d.fee_amount = fee;
                d.paid_at = d.paid_at.or(Some(utc(at)));
                d.paid_online = channel == 2 && rng.random_bool(0.6);
            }
            "apology" => {
                d.rescheduled_at = note
                    .rsplit("ngày trả ")
                    .next()
                    .and_then(|s| NaiveDateTime::parse_from_str(s, "%d/%m/%Y %H:%M").ok())
                    .map(utc);
                d.delay_reason = note.split(" — ").next().map(str::to_string);
                d.delay_agency_id = Some(handling);
                d.delay_user_id = officer;
            }
            "finish_processing" => {
                d.finished_at = Some(utc(at));
                d.e_result = rng.random_bool(0.3 + 0.1 * years);
                d.result_code = Some(format!("KQ-{id}"));
            }
            "return_result" => d.returned_at = Some(utc(at)),
            "withdraw" => d.withdrawn_at = Some(utc(at)),
            "stop" => d.stopped_at = Some(utc(at)),
            "rating" => {
                d.rating = Some(match rng.random_range(0..100) {
                    0..=3 => 1,
                    4..=30 => 2,
                    _ => 3,
                })
            }
            _ => {}
        }
        let at_utc = utc(at);
        let age_days = (ctx.now - at_utc).num_days();
        let year_unsync = match at.year() {
            ..=2023 => 0.40,
            2024 => 0.28,
            2025 => 0.15,
            _ => 0.07,
        };
        let sent = age_days >= 1 && !rng.random_bool((year_unsync * desk.unsync).min(0.9));
        let attempts = if sent { 1 } else { rng.random_range(0..4) };
        batch.events.push(GenEvent {
            id: *next_event,
            dossier_id: id,
            kind,
            from_status: from,
            to_status: to,
            at: at_utc,
            user_id: match kind {
                "submit_online" => None,
                _ if desk_side => desk_user,
                _ => officer,
            },
            agency_id: Some(if desk_side || kind == "submit_online" {
                desk.id
            } else {
                handling
            }),
            to_agency_id: matches!(kind, "receive" | "assign" | "transfer").then_some(handling),
            step_seq: Some(step_seq),
            step_name: if kind == "receive" {
                Some("Tiếp nhận hồ sơ")
            } else {
                step
            },
            note,
            payload: format!(
                "{{\"MaHoSo\":\"{code}\",\"MaTTHC\":\"{}\",\"TrangThaiHoSo\":{to},\"KenhThucHien\":{channel},\
                 \"NgayHenTra\":\"{}\",\"HoSoCoThanhPhanSoHoa\":{},\"SuKien\":\"{kind}\",\"ThoiDiem\":\"{}\"}}",
                proc.code,
                fmt_ts(utc(appointment)),
                d.digitized,
                fmt_ts(at_utc)
            ),
            sent_at: sent.then(|| at_utc + Duration::minutes(rng.random_range(1..180))),
            attempts,
            last_error: (!sent && attempts > 0)
                .then_some("Cổng DVCQG chưa phản hồi (hết thời gian chờ)"),
        });
        *next_event += 1;
        n += 1;
        from = Some(to);
        status = to;
        d.updated_at = at_utc;
    }
    d.status = status;
    d.step_seq = step_seq;
    if matches!(status, 1 | 3) {
        d.digitized = false;
    }
    batch.pauses.extend(
        pauses
            .into_iter()
            .filter(|p| p.started_at <= utc(now_local))
            .map(|mut p| {
                if p.ended_at.is_some_and(|e| e > utc(now_local)) {
                    p.ended_at = None;
                }
                p
            }),
    );
    batch.dossiers.push(d);
    Some(n)
}
