//! Indicator aggregates (issue 7, "Speed at province scale"): the facts read from the
//! per-unit per-day counters equal, field by field, the full recomputation from the
//! dossiers — on the demo history, and again after live transitions, notes and an outbox
//! delivery maintained them incrementally; a rebuild from the tables gives the very same
//! rows as the incremental maintenance.

use chrono::Datelike;
use domain::indicator::UnitPeriodFacts;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

const UNITS: [&str; 5] = ["TINH", "SXD", "H-CONCUONG", "XM-TRUONGVINH", "TTPVHCC-TINH"];

/// (period, mode) pairs: old and recent months, the current month (dossiers still open at
/// its end), a quarter, a half, a year, and 15th→14th windows.
fn periods() -> Vec<(String, &'static str)> {
    let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
    let this_month = today.format("%Y-%m").to_string();
    let last_month = (today.with_day0(0).unwrap() - chrono::Duration::days(1))
        .format("%Y-%m")
        .to_string();
    vec![
        ("2023-10".into(), "calendar"),
        ("2024-02".into(), "calendar"),
        (last_month.clone(), "calendar"),
        (this_month.clone(), "calendar"),
        ("2024-Q3".into(), "calendar"),
        ("2025-H2".into(), "calendar"),
        ("2024".into(), "calendar"),
        ("2025-09".into(), "window"),
        (this_month, "window"),
        (last_month, "window"),
    ]
}

async fn state(app: &TestApp) -> web::AppState {
    web::AppState::new(app.db.clone(), web::AppConfig::default())
        .await
        .expect("state")
}

async fn path_of(app: &TestApp, unit: &str) -> Option<String> {
    if unit == "TINH" {
        return None;
    }
    Some(
        store::agency::get_by_code(&app.db, unit)
            .await
            .expect("unit")
            .path,
    )
}

/// Compares both computations for every unit and period; returns the facts compared.
async fn compare_all(app: &TestApp, st: &web::AppState) -> Vec<UnitPeriodFacts> {
    let mut seen = Vec::new();
    for unit in UNITS {
        let path = path_of(app, unit).await;
        for (period, mode) in periods() {
            let (_, from, to) =
                app::indicator::resolve_period(Some(&period), Some(mode)).expect("period");
            let agg = app::indicator::unit_period_facts(st, path.as_deref(), from, to)
                .await
                .expect("aggregates");
            let scan = app::indicator::unit_period_facts_full_scan(st, path.as_deref(), from, to)
                .await
                .expect("full scan");
            assert_eq!(
                agg, scan,
                "aggregates vs full scan for {unit} {period} ({mode}: {from} – {to})"
            );
            seen.push(agg);
        }
    }
    // The batched reads give the very same facts: a trend's periods in one read per unit,
    // a ranking's units in one read per period.
    let ranges: Vec<_> = periods()
        .iter()
        .map(|(p, m)| {
            let (_, from, to) = app::indicator::resolve_period(Some(p), Some(m)).expect("period");
            (from, to)
        })
        .collect();
    let n = ranges.len();
    let mut units = Vec::new();
    for (u, unit) in UNITS.iter().enumerate() {
        let path = path_of(app, unit).await;
        let many = app::indicator::unit_period_facts_many(st, path.as_deref(), &ranges)
            .await
            .expect("periods at once");
        assert_eq!(many, seen[u * n..(u + 1) * n], "periods at once for {unit}");
        if let Some(path) = path {
            units.push((u, (unit.to_string(), unit.to_string(), path)));
        }
    }
    let keys: Vec<_> = units.iter().map(|x| x.1.clone()).collect();
    for (j, (from, to)) in ranges.iter().enumerate() {
        let all = app::indicator::indicators_units(st, &keys, "kỳ", *from, *to)
            .await
            .expect("units at once");
        for ((u, key), c) in units.iter().zip(all) {
            assert_eq!(
                c.facts,
                seen[u * n + j],
                "units at once: {} {from} – {to}",
                key.0
            );
        }
    }
    seen
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    let (s, v) = app.send_json(token, Method::POST, path, &body).await;
    assert!(s.is_success(), "{path} {body}: {s} {v}");
    (s, v)
}

/// A province-level procedure of the department with a limit in working days.
async fn procedure_of(app: &TestApp, token: &str, agency: i64) -> Value {
    let (s, v) = app
        .get_json(token, "/api/v1/procedures?level=tinh&limit=500")
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["agency_id"] == json!(agency) && p["limit_unit"] == "days")
        .cloned()
        .expect("a procedure with a limit in days")
}

#[tokio::test]
async fn aggregates_equal_the_full_scan_before_and_after_live_changes() {
    let app = spawn_app().await;
    let st = state(&app).await;

    // 1. The demo history (2023 → today, built by the bulk loader + rebuild).
    let seen = compare_all(&app, &st).await;
    // The comparison is not vacuous: every kind of count occurs somewhere.
    let max = |f: fn(&UnitPeriodFacts) -> u64| seen.iter().map(f).max().unwrap_or(0);
    assert!(max(|f| f.dossiers_received) > 100);
    assert!(max(|f| f.finished_early) > 0 && max(|f| f.finished_on_time) > 0);
    assert!(max(|f| f.finished_late) > 0);
    assert!(max(|f| f.unfinished_on_time_at_period_end) > 0);
    assert!(max(|f| f.unfinished_overdue_at_period_end) > 0);
    assert!(max(|f| f.dossiers_dissatisfied_not_late) > 0);
    assert!(max(|f| f.dossiers_received - f.synced_dossiers) > 0);
    assert!(max(|f| f.full_online_dossiers) > 0 && max(|f| f.paid_online) > 0);
    assert!(max(|f| f.digitised_dossiers) > 0 && max(|f| f.e_results) > 0);
    assert!(max(|f| f.ratings_total - f.ratings_positive) > 0);

    // 2. Live changes through the API, maintained in their transactions.
    let desk = app.token("motcua.tinh").await;
    let officer = app.token("chuyenvien.sxd").await;
    let head = app.token("lanhdao.sxd").await;
    let sxd = app.agency_id("SXD").await;
    let p = procedure_of(&app, &desk, sxd).await;
    let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
    let sxd_path = path_of(&app, "SXD").await;
    let before = app::indicator::unit_period_facts(&st, sxd_path.as_deref(), today, today)
        .await
        .unwrap();
    let new = |name: &str, extra: Value| {
        let mut body = json!({"procedure": p["code"], "applicant_name": name, "applicant_phone": "0912000111"});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let ev = |id: &Value| format!("/api/v1/dossiers/{id}/events");
    // (a) Two supplement requests (late by the national rule), finished, returned, rated.
    let (_, a) = post(
        &app,
        &desk,
        "/api/v1/dossiers",
        new("Trần Văn An", json!({})),
    )
    .await;
    let a = a["id"].clone();
    post(&app, &officer, &ev(&a), json!({"event": "assign"})).await;
    for _ in 0..2 {
        post(
            &app,
            &officer,
            &ev(&a),
            json!({"event": "request_supplement", "reason": "Thiếu bản vẽ"}),
        )
        .await;
        post(
            &app,
            &desk,
            &ev(&a),
            json!({"event": "supplement_provided"}),
        )
        .await;
    }
    // Submitted for signature; the unit's leader signs (the step cannot be skipped).
    post(&app, &officer, &ev(&a), json!({"event": "assign"})).await;
    post(
        &app,
        &head,
        &ev(&a),
        json!({"event": "finish_processing", "result_code": "1/GP", "e_result": true}),
    )
    .await;
    post(&app, &desk, &ev(&a), json!({"event": "return_result"})).await;
    post(
        &app,
        &desk,
        &format!("/api/v1/dossiers/{a}/rating"),
        json!({"rating": 1}),
    )
    .await;
    // (b) Online, received later, paid online, finished early without an e-result, rated
    // "không hài lòng" (dissatisfied, not late).
    let (_, b) = post(
        &app,
        &desk,
        "/api/v1/dossiers",
        new("Lê Thị Bình", json!({"channel": 2, "online_pending": true})),
    )
    .await;
    let b = b["id"].clone();
    post(&app, &desk, &ev(&b), json!({"event": "receive"})).await;
    post(
        &app,
        &desk,
        &format!("/api/v1/dossiers/{b}/payment"),
        json!({"amount": 50000, "online": true}),
    )
    .await;
    post(&app, &officer, &ev(&b), json!({"event": "assign"})).await;
    // Submitted for signature; the unit's leader signs (the step cannot be skipped).
    post(&app, &officer, &ev(&b), json!({"event": "assign"})).await;
    post(
        &app,
        &head,
        &ev(&b),
        json!({"event": "finish_processing", "result_code": "2/GP"}),
    )
    .await;
    post(&app, &desk, &ev(&b), json!({"event": "return_result"})).await;
    post(
        &app,
        &desk,
        &format!("/api/v1/dossiers/{b}/rating"),
        json!({"rating": 1}),
    )
    .await;
    // (c) Waiting for the citizen's papers (an open pause stops the clock).
    let (_, c) = post(
        &app,
        &desk,
        "/api/v1/dossiers",
        new("Phạm Văn Cường", json!({})),
    )
    .await;
    let c = c["id"].clone();
    post(
        &app,
        &officer,
        &ev(&c),
        json!({"event": "request_supplement", "reason": "Thiếu giấy tờ"}),
    )
    .await;
    // (d) Withdrawn; (e) refused at intake (never counted); (f) just received.
    let (_, d) = post(
        &app,
        &desk,
        "/api/v1/dossiers",
        new("Hồ Thị Dung", json!({})),
    )
    .await;
    post(&app, &desk, &ev(&d["id"]), json!({"event": "withdraw"})).await;
    post(
        &app,
        &desk,
        "/api/v1/dossiers",
        new(
            "Vi Văn Em",
            json!({"refuse_reason": "Không thuộc thẩm quyền"}),
        ),
    )
    .await;
    post(
        &app,
        &desk,
        "/api/v1/dossiers",
        new("Lương Thị Giang", json!({})),
    )
    .await;

    let after = app::indicator::unit_period_facts(&st, sxd_path.as_deref(), today, today)
        .await
        .unwrap();
    assert_eq!(after.dossiers_received, before.dossiers_received + 5);
    assert_eq!(after.online_dossiers, before.online_dossiers + 1);
    assert_eq!(after.paid_online, before.paid_online + 1);
    assert_eq!(after.finished_late, before.finished_late + 1);
    assert_eq!(
        after.finished_early + after.finished_on_time + after.finished_late,
        before.finished_early + before.finished_on_time + before.finished_late + 3
    );
    assert_eq!(
        after.dossiers_dissatisfied_not_late,
        before.dossiers_dissatisfied_not_late + 1
    );
    assert_eq!(
        after.unfinished_on_time_at_period_end,
        before.unfinished_on_time_at_period_end + 2
    );
    assert_eq!(after.ratings_total, before.ratings_total + 2);
    assert_eq!(after.e_results, before.e_results + 1);
    // Every change is waiting for Cổng DVCQG: none of the new dossiers is synchronised.
    assert_eq!(after.synced_dossiers, before.synced_dossiers);

    // 3. An outbox delivery: the oldest pending rows (demo history and today's) go out,
    // their dossiers become synchronised.
    let dir = std::env::temp_dir().join(format!("cchc-agg-sync-{}", a));
    let sender = app::sync::Sender::new(None, None, dir.clone()).unwrap();
    let (sent, failed) = app::sync::run_once(&app.db, &sender, 100_000)
        .await
        .unwrap();
    assert!(sent > 0 && failed == 0);
    let _ = std::fs::remove_dir_all(dir);
    let synced = app::indicator::unit_period_facts(&st, sxd_path.as_deref(), today, today)
        .await
        .unwrap();
    assert_eq!(synced.synced_dossiers, synced.dossiers_received);

    // The page's API shows the same facts as the full scan.
    let (_, from, to) =
        app::indicator::resolve_period(Some(&today.format("%Y-%m").to_string()), None).unwrap();
    let scan = app::indicator::unit_period_facts_full_scan(&st, sxd_path.as_deref(), from, to)
        .await
        .unwrap();
    let (s, v) = app
        .get_json(
            &officer,
            &format!(
                "/api/v1/indicators?unit=SXD&period={}",
                today.format("%Y-%m")
            ),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["facts"], serde_json::to_value(&scan).unwrap());

    // 4. Every unit and period again, after incremental maintenance.
    compare_all(&app, &st).await;

    // 5. A rebuild from the tables gives exactly the incrementally maintained rows.
    let incremental = store::agg::snapshot(&app.db).await.unwrap();
    assert!(incremental.days.len() > 100 && !incremental.dossiers.is_empty());
    let r = store::agg::rebuild(&app.db).await.unwrap();
    assert_eq!(r.dossiers, incremental.dossiers.len());
    let rebuilt = store::agg::snapshot(&app.db).await.unwrap();
    assert_eq!(incremental.dossiers, rebuilt.dossiers);
    assert_eq!(incremental.days, rebuilt.days);
    assert_eq!(incremental.months, rebuilt.months);
}

#[tokio::test]
async fn a_unit_outside_the_callers_subtree_gets_no_aggregates() {
    let app = spawn_app().await;
    // A commune officer asks for the province, a department and another commune: 404.
    let token = app.token("chuyenvien.truongvinh").await;
    for unit in ["UBND-TINH", "SXD", "XM-CONCUONG"] {
        let (s, _) = app
            .get_json(
                &token,
                &format!("/api/v1/indicators?unit={unit}&period=2025-09"),
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{unit}");
    }
    // Its own unit by default: the facts of its subtree only, equal to the full scan.
    let (s, v) = app
        .get_json(
            &token,
            "/api/v1/indicators?period=2025-09&period_mode=window",
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["unit"], "XM-TRUONGVINH");
    let st = state(&app).await;
    let path = path_of(&app, "XM-TRUONGVINH").await;
    let (_, from, to) = app::indicator::resolve_period(Some("2025-09"), Some("window")).unwrap();
    let scan = app::indicator::unit_period_facts_full_scan(&st, path.as_deref(), from, to)
        .await
        .unwrap();
    assert_eq!(v["facts"], serde_json::to_value(&scan).unwrap());
    assert!(scan.dossiers_received > 0);
    // The province's total is larger: the subtree's sum counts no one else's dossiers.
    let leader = app.token("lanhdao").await;
    let (_, prov) = app
        .get_json(
            &leader,
            "/api/v1/indicators?period=2025-09&period_mode=window",
        )
        .await;
    assert!(
        prov["facts"]["dossiers_received"].as_u64().unwrap() > scan.dossiers_received,
        "{prov}"
    );
}
