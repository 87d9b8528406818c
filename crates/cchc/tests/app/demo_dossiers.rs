//! The demo dossiers: volumes per year, the district desks before 1/7/2025 and the commune
//! centres after, appointment dates equal to the domain's, open overdue dossiers, a
//! partly unsynchronised outbox; and the benchmark generator at a small size.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use reqwest::{Method, StatusCode};
use serde_json::json;
use store::Db;
use store::sqlx;

use crate::helpers::*;

fn local_midnight(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
        - Duration::hours(7)
}

async fn scalar(db: &Db, sql: &str, a: DateTime<Utc>, b: DateTime<Utc>) -> i64 {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    match db {
        Db::Sqlite(p) => sqlx::query_scalar(sql).bind(a).bind(b).fetch_one(p).await,
        Db::Pg(p) => sqlx::query_scalar(sql).bind(a).bind(b).fetch_one(p).await,
    }
    .unwrap()
}

#[tokio::test]
async fn demo_dossiers_follow_the_two_structures_and_the_calendar() {
    let app = spawn_app().await;
    let db = &app.db;
    let now = Utc::now();
    let count_between =
        "select count(*) from dossier where submitted_at >= $1 and submitted_at < $2";
    for y in [2023, 2024, 2025] {
        let n = scalar(
            db,
            count_between,
            local_midnight(y, 1, 1),
            local_midnight(y + 1, 1, 1),
        )
        .await;
        // 18,000 a year in the served demo; the tests' province is ten times smaller.
        let per_year = DEMO_DOSSIERS_PER_YEAR as i64;
        assert!(
            (per_year / 2..=per_year * 2).contains(&n),
            "{y}: {n} dossiers"
        );
    }
    // Tết dip: February below March.
    let feb = scalar(
        db,
        count_between,
        local_midnight(2024, 2, 1),
        local_midnight(2024, 3, 1),
    )
    .await;
    let mar = scalar(
        db,
        count_between,
        local_midnight(2024, 3, 1),
        local_midnight(2024, 4, 1),
    )
    .await;
    assert!(feb < mar, "Tết: {feb} in February, {mar} in March");

    // District desks until 30/6/2025, commune centres from 1/7/2025.
    let cut = local_midnight(2025, 7, 1);
    let by_kind = "select count(*) from dossier h join agency a on a.id = h.agency_id \
                   where a.kind = 'ubnd_huyen' and h.submitted_at >= $1 and h.submitted_at < $2";
    assert!(scalar(db, by_kind, local_midnight(2023, 1, 1), cut).await > 100);
    assert_eq!(scalar(db, by_kind, cut, now).await, 0);
    let centres = "select count(*) from dossier h join agency a on a.id = h.agency_id \
                   where a.code like 'TTPV-%' and h.submitted_at >= $1 and h.submitted_at < $2";
    assert_eq!(
        scalar(db, centres, local_midnight(2023, 1, 1), cut).await,
        0
    );
    assert!(scalar(db, centres, cut, now).await > 100);
    let province = "select count(*) from dossier h join agency a on a.id = h.agency_id \
                    where a.code = 'TTPVHCC-TINH' and h.submitted_at >= $1 and h.submitted_at < $2";
    assert!(scalar(db, province, local_midnight(2023, 1, 1), cut).await > 100);
    assert!(scalar(db, province, cut, now).await > 500);

    // Open and overdue today; some withdrawn, stopped, refused; late with apology letters.
    let overdue =
        "select count(*) from dossier where status in (1, 2, 4, 6) and due_at < $1 and due_at > $2";
    assert!(scalar(db, overdue, now, local_midnight(2000, 1, 1)).await > 10);
    for status in [3, 7, 8, 10] {
        let sql = format!(
            "select count(*) from dossier where status = {status} and submitted_at >= $1 and submitted_at < $2"
        );
        assert!(
            scalar(db, &sql, local_midnight(2023, 1, 1), now).await > 0,
            "status {status}"
        );
    }
    let apologies = "select count(*) from dossier where rescheduled_at is not null and delay_reason is not null \
                     and submitted_at >= $1 and submitted_at < $2";
    assert!(scalar(db, apologies, local_midnight(2023, 1, 1), now).await > 50);

    // The outbox: partly unsynchronised, less so over time.
    let unsent = "select count(*) from dossier_outbox where sent_at is null and created_at >= $1 and created_at < $2";
    let all = "select count(*) from dossier_outbox where created_at >= $1 and created_at < $2";
    let share = |u: i64, a: i64| u as f64 / a.max(1) as f64;
    let (y23a, y23b) = (local_midnight(2023, 1, 1), local_midnight(2024, 1, 1));
    let s2023 = share(
        scalar(db, unsent, y23a, y23b).await,
        scalar(db, all, y23a, y23b).await,
    );
    let (y26a, y26b) = (local_midnight(2026, 1, 1), local_midnight(2027, 1, 1));
    let s2026 = share(
        scalar(db, unsent, y26a, y26b).await,
        scalar(db, all, y26a, y26b).await,
    );
    assert!((0.2..0.6).contains(&s2023), "2023 unsynchronised {s2023}");
    assert!(s2026 < s2023 && s2026 > 0.0, "2026 unsynchronised {s2026}");

    // Appointment dates are the domain's, from the intake instant.
    type Row = (
        i64,
        Option<String>,
        Option<i32>,
        DateTime<Utc>,
        Option<DateTime<Utc>>,
    );
    let sql = "select h.id, p.limit_unit, p.limit_amount, h.submitted_at, h.appointment_at \
               from dossier h join tthc p on p.id = h.tthc_id where h.id % 29 = 0 order by h.id limit 300";
    let rows: Vec<Row> = match db {
        Db::Sqlite(p) => sqlx::query_as(sql).fetch_all(p).await,
        Db::Pg(p) => sqlx::query_as(sql).fetch_all(p).await,
    }
    .unwrap();
    assert!(rows.len() > 100);
    let cal = cchc::demo_dossiers::calendar().unwrap();
    let policy = domain::dossier::IntakePolicy::default();
    for (id, unit, amount, submitted, appointment) in rows {
        let n = amount.unwrap() as u32;
        let limit = match unit.as_deref() {
            Some("days") => domain::dossier::WorkingLimit::Days(n),
            _ => domain::dossier::WorkingLimit::Hours(n),
        };
        let local = (submitted + Duration::hours(7)).naive_utc();
        let want = domain::dossier::appointment(local, limit, &cal, &policy).unwrap();
        assert_eq!(
            appointment.map(|a| (a + Duration::hours(7)).naive_utc()),
            Some(want),
            "dossier {id}"
        );
    }

    // The overdue list over HTTP shows them.
    let token = app.token("motcua.tinh").await;
    let centre = app.agency_id("TTPVHCC-TINH").await;
    let (s, v) = app
        .get_json(
            &token,
            &format!("/api/v1/dossiers?overdue=true&agency_id={centre}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v["total"].as_i64().unwrap() > 0, "{v}");
}

#[tokio::test]
async fn the_benchmark_generator_writes_consistent_dossiers() {
    let app = spawn_app().await;
    let db = &app.db;
    let procs = store::bench::gen_procedures(db).await.unwrap();
    let centre = app.agency_id("TTPVHCC-TINH").await;
    let desks = vec![store::bench::BenchDesk {
        id: centre,
        eid: app::dossier::agency_eid(centre),
        handling_id: centre,
        desk_user: None,
        officer: None,
        procs: (0..procs.len())
            .filter(|&i| procs[i].level == "tinh" && procs[i].limit().is_some())
            .collect(),
    }];
    let before = store::bench::next_dossier_ids(db).await.unwrap();
    let c = store::bench::generate_dossiers(db, &desks, &procs, 600, Utc::now(), |_| {})
        .await
        .unwrap();
    assert!(c.dossiers > 550, "{c:?}");
    assert!(c.events > c.dossiers * 6, "{c:?}");
    let after = store::bench::next_dossier_ids(db).await.unwrap();
    assert_eq!(after.0 - before.0, c.dossiers as i64);
    assert_eq!(after.1 - before.1, c.events as i64);

    // Live intake after generation: the per-desk sequence continues, no code collides.
    let token = app.token("motcua.tinh").await;
    let code = &procs[desks[0].procs[0]].code;
    for k in 0..3 {
        let (s, v) = app
            .send_json(
                &token,
                Method::POST,
                "/api/v1/dossiers",
                &json!({"procedure": code, "applicant_name": format!("Người nộp {k}")}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
}
