//! Several nodes on one database (issue 26): each test opens a second pool on the test's
//! database — another node as far as the database can tell — and runs the same work on
//! both at once. On PostgreSQL this exercises the leases' upsert and the outbox's
//! `for update skip locked`; on SQLite the same statements under its single writer.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use crate::helpers::*;
use reqwest::StatusCode;

/// Every outbox row delivered exactly once by two nodes working at the same time, and the
/// changes of each dossier marked sent in their order.
#[tokio::test]
async fn two_nodes_share_the_outbox_without_sending_a_row_twice() {
    let a = demo_db().await;
    let b = second_node(&a).await;
    let pending = store::ops::outbox_depth(&a).await.unwrap();
    assert!(
        pending > 50,
        "the demo leaves changes to deliver: {pending}"
    );
    let tag = format!("{}-{}", std::process::id(), pending);
    let dir_a = std::env::temp_dir().join(format!("cchc-node-a-{tag}"));
    let dir_b = std::env::temp_dir().join(format!("cchc-node-b-{tag}"));
    let send_a = app::sync::Sender::new(None, None, dir_a.clone()).unwrap();
    let send_b = app::sync::Sender::new(None, None, dir_b.clone()).unwrap();
    let started = chrono::Utc::now();
    // Small batches, many rounds each: the two nodes interleave their claims.
    let (ra, rb) = tokio::join!(
        async {
            let mut total = 0;
            loop {
                let (n, failed) = app::sync::run_once_as(&a, &send_a, 40, "node-a")
                    .await
                    .unwrap();
                assert_eq!(failed, 0);
                total += n;
                if n == 0 {
                    break total;
                }
            }
        },
        async {
            let mut total = 0;
            loop {
                let (n, failed) = app::sync::run_once_as(&b, &send_b, 40, "node-b")
                    .await
                    .unwrap();
                assert_eq!(failed, 0);
                total += n;
                if n == 0 {
                    break total;
                }
            }
        }
    );
    assert_eq!((ra + rb) as i64, pending, "node a {ra}, node b {rb}");
    assert!(ra > 0 && rb > 0, "both nodes delivered: {ra} + {rb}");
    assert_eq!(store::ops::outbox_depth(&a).await.unwrap(), 0);
    // The files the two nodes wrote: each row once.
    let mut seen: HashMap<i64, usize> = HashMap::new();
    for dir in [&dir_a, &dir_b] {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            for line in std::fs::read_to_string(e.path()).unwrap().lines() {
                let v: serde_json::Value = serde_json::from_str(line).unwrap();
                *seen.entry(v["outbox_id"].as_i64().unwrap()).or_default() += 1;
            }
        }
        let _ = std::fs::remove_dir_all(dir);
    }
    assert_eq!(seen.len() as i64, pending);
    assert!(seen.values().all(|n| *n == 1), "a row was sent twice");
    // Per dossier, a later change was never marked sent before an earlier one (of the
    // rows sent now).
    let rows: Vec<(i64, i64, chrono::DateTime<chrono::Utc>)> = match &a {
        store::Db::Sqlite(p) => store::sqlx::query_as(
            "select dossier_id, id, sent_at from dossier_outbox where sent_at is not null order by dossier_id, id",
        )
        .fetch_all(p)
        .await
        .unwrap(),
        store::Db::Pg(p) => store::sqlx::query_as(
            "select dossier_id, id, sent_at from dossier_outbox where sent_at is not null order by dossier_id, id",
        )
        .fetch_all(p)
        .await
        .unwrap(),
    };
    let mut last: BTreeMap<i64, chrono::DateTime<chrono::Utc>> = BTreeMap::new();
    // (Rows the demo's history marked sent keep their past instants.)
    for (dossier, id, at) in rows.into_iter().filter(|r| r.2 >= started) {
        if let Some(prev) = last.insert(dossier, at) {
            assert!(
                prev <= at,
                "dossier {dossier}: row {id} sent before an earlier row"
            );
        }
    }
    b.close().await;
}

/// A claim left by a node that died is taken over once it expires, not before.
#[tokio::test]
async fn a_dead_nodes_claim_expires() {
    let a = demo_db().await;
    let now = chrono::Utc::now();
    let claimed = store::dossier::outbox_claim(
        &a,
        "dead-node",
        10,
        now,
        now + chrono::Duration::minutes(15),
    )
    .await
    .unwrap();
    assert_eq!(claimed.len(), 10);
    let ids: Vec<i64> = claimed.iter().map(|r| r.id).collect();
    // Another node now: none of the dead node's rows.
    let other = store::dossier::outbox_claim(
        &a,
        "node-b",
        100_000,
        now,
        now + chrono::Duration::minutes(15),
    )
    .await
    .unwrap();
    assert!(other.iter().all(|r| !ids.contains(&r.id)));
    // Twenty minutes later the claim has lapsed.
    let later = now + chrono::Duration::minutes(20);
    let retaken = store::dossier::outbox_claim(
        &a,
        "node-c",
        100_000,
        later,
        later + chrono::Duration::minutes(15),
    )
    .await
    .unwrap();
    for id in &ids {
        assert!(retaken.iter().any(|r| r.id == *id), "row {id} taken over");
    }
}

/// Of many nodes asking for a job's lease at the same instant, one gets it; it is free
/// again after its expiry, or at once when the run failed.
#[tokio::test]
async fn a_job_lease_goes_to_one_node() {
    let a = demo_db().await;
    let b = second_node(&a).await;
    let ttl = Duration::from_secs(3300);
    let mut tries = Vec::new();
    for i in 0..16 {
        let db = if i % 2 == 0 { a.clone() } else { b.clone() };
        tries.push(tokio::spawn(async move {
            store::lease::acquire(&db, "reminders-test", &format!("node-{i}"), ttl)
                .await
                .unwrap()
        }));
    }
    let mut won = 0;
    for t in tries {
        if t.await.unwrap() {
            won += 1;
        }
    }
    assert_eq!(won, 1, "exactly one node runs the job");
    let lease = store::lease::all(&a).await.unwrap();
    let l = lease.iter().find(|l| l.name == "reminders-test").unwrap();
    assert_eq!(l.runs, 1);
    let holder = l.holder.clone();
    // Still held: nobody else; after the expiry: the next node.
    assert!(
        !store::lease::acquire(&b, "reminders-test", "late-node", ttl)
            .await
            .unwrap()
    );
    let after = chrono::Utc::now() + chrono::Duration::seconds(3301);
    assert!(
        store::lease::acquire_at(&b, "reminders-test", "late-node", ttl, after)
            .await
            .unwrap()
    );
    // A failed run gives the lease back at once; a successful one keeps it.
    store::lease::finish(
        &a,
        "reminders-test",
        &holder,
        Some("ignored: not the holder"),
    )
    .await
    .unwrap();
    let far = after + chrono::Duration::seconds(10);
    assert!(
        !store::lease::acquire_at(&a, "reminders-test", "x", ttl, far)
            .await
            .unwrap()
    );
    store::lease::finish(
        &b,
        "reminders-test",
        "late-node",
        Some("SMTP không trả lời"),
    )
    .await
    .unwrap();
    assert!(
        store::lease::acquire(&a, "reminders-test", "retry-node", ttl)
            .await
            .unwrap()
    );
    store::lease::finish(&a, "reminders-test", "retry-node", None)
        .await
        .unwrap();
    assert!(
        !store::lease::acquire(&b, "reminders-test", "y", ttl)
            .await
            .unwrap()
    );
    let l = store::lease::all(&a)
        .await
        .unwrap()
        .into_iter()
        .find(|l| l.name == "reminders-test")
        .unwrap();
    assert_eq!(
        (l.runs, l.holder.as_str(), l.last_error),
        (3, "retry-node", None)
    );
    b.close().await;
}

/// Two nodes' hourly housekeeping at the same time: each job runs on one of them, and
/// the reminders it creates exist once.
#[tokio::test]
async fn housekeeping_on_two_nodes_runs_each_job_once() {
    let a = demo_db().await;
    let b = second_node(&a).await;
    let (app_a, app_b) = (
        app::App::new(a.clone()).await.unwrap(),
        app::App::new(b.clone()).await.unwrap(),
    );
    let schedule = app::jobs::reminder_schedule().unwrap();
    tokio::join!(
        app::housekeeping::tick(&app_a, None, Some(&schedule)),
        app::housekeeping::tick(&app_b, None, Some(&schedule)),
    );
    let leases = store::lease::all(&a).await.unwrap();
    let names: Vec<&str> = leases.iter().map(|l| l.name.as_str()).collect();
    for job in [
        "occurrences",
        "report-periods",
        "agency-transfers",
        "task-reminders",
        "feedback-reminders",
        "dossier-reminders",
        "session-purge",
    ] {
        let l = leases
            .iter()
            .find(|l| l.name == job)
            .unwrap_or_else(|| panic!("{job} in {names:?}"));
        assert_eq!(l.runs, 1, "{job} ran once");
        assert_eq!(l.last_error, None, "{job}");
    }
    // A second tick within the hour, on either node, runs nothing.
    let before = store::lease::all(&a).await.unwrap();
    app::housekeeping::tick(&app_b, None, Some(&schedule)).await;
    let after = store::lease::all(&a).await.unwrap();
    assert_eq!(
        before.iter().map(|l| l.runs).sum::<i64>(),
        after.iter().map(|l| l.runs).sum::<i64>()
    );
    b.close().await;
}

/// Two leaders closing the same report period from two nodes at once: one closes it, the
/// other is told it is closed; the period is frozen once.
#[tokio::test]
async fn a_period_is_frozen_once_from_two_nodes() {
    let a = demo_db().await;
    let b = second_node(&a).await;
    let (app_a, app_b) = (
        app::App::new(a.clone()).await.unwrap(),
        app::App::new(b.clone()).await.unwrap(),
    );
    let actor = store::audit::Actor::system("thử nghiệm");
    let mut done = None;
    for m in 1..=12 {
        let period = format!("2026-{m:02}");
        if store::report::closed(&a, "TTHC-THANG", &period)
            .await
            .unwrap()
            .is_some()
        {
            continue;
        }
        let (x, y) = tokio::join!(
            app::report::close(&app_a, &actor, "TTHC-THANG", &period),
            app::report::close(&app_b, &actor, "TTHC-THANG", &period),
        );
        if x.is_err() && y.is_err() && !matches!(x, Err(app::error::ServiceError::Conflict(_))) {
            continue;
        }
        let ok = [&x, &y].iter().filter(|r| r.is_ok()).count();
        assert_eq!(ok, 1, "{x:?} {y:?}");
        assert!(
            [&x, &y]
                .iter()
                .any(|r| matches!(r, Err(app::error::ServiceError::Conflict(_)))),
            "{x:?} {y:?}"
        );
        done = Some(period);
        break;
    }
    let period = done.expect("an open monthly period of 2026");
    let frozen = store::report::frozen_of_period(&a, "TTHC-THANG", &period)
        .await
        .unwrap();
    let mut ids: Vec<i64> = frozen.iter().map(|r| r.report_id).collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "one freeze per report");
    b.close().await;
}

/// `/healthz` names the node and the database's role; `/metrics` is Prometheus text with
/// the requests counted by route pattern, for the inside network only.
#[tokio::test]
async fn health_and_metrics_for_the_operators() {
    let app = spawn_app().await;
    let res = client().get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let h: serde_json::Value = res.json().await.unwrap();
    assert_eq!(h["status"], "ok");
    let role = match app.db {
        store::Db::Sqlite(_) => "embedded",
        store::Db::Pg(_) => "primary",
    };
    assert_eq!(h["role"], role, "{h}");
    assert!(h["node"].as_str().is_some_and(|n| !n.is_empty()));
    let token = app.token("admin").await;
    let (s, _) = app.get_json(&token, "/api/v1/dossiers?limit=1").await;
    assert_eq!(s, StatusCode::OK);
    let (s, d) = app.get_json(&token, "/api/v1/tasks/1").await;
    assert!(s.is_success() || s == StatusCode::NOT_FOUND, "{d}");
    let res = client().get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let text = res.text().await.unwrap();
    assert!(
        text.contains(
            r#"cchc_http_requests_total{method="GET",route="/api/v1/dossiers",status="200"}"#
        ),
        "{text}"
    );
    assert!(
        text.contains(r#"route="/api/v1/tasks/{id}""#),
        "ids stay out of the series"
    );
    assert!(!text.contains(r#"route="/api/v1/tasks/1""#));
    assert!(text.contains("# TYPE cchc_http_request_duration_seconds histogram"));
    assert!(text.contains("\ncchc_outbox_pending "), "{text}");
    assert!(text.contains(r#"cchc_db_pool_connections{pool="primary",state="max"}"#));
    assert!(text.contains(&format!(r#"cchc_db_role{{role="{role}"}} 1"#)));
}

/// Behind a trusted proxy, a client from the internet is refused the metrics; with a
/// token, whoever presents it reads them.
#[tokio::test]
async fn metrics_are_refused_to_the_internet() {
    let db = demo_db().await;
    let config = web::AppConfig {
        trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
        ..Default::default()
    };
    let (addr, server) = cchc::server::bind(db.clone(), config, "127.0.0.1:0")
        .await
        .unwrap();
    tokio::spawn(server);
    let url = format!("http://{addr}/metrics");
    let res = client()
        .get(&url)
        .header("x-forwarded-for", "203.113.5.6")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(is_vietnamese(&res.text().await.unwrap()));
    let res = client()
        .get(&url)
        .header("x-forwarded-for", "10.0.0.7")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let config = web::AppConfig {
        metrics_token: Some("bi-mat-van-hanh".into()),
        ..Default::default()
    };
    let (addr, server) = cchc::server::bind(db, config, "127.0.0.1:0").await.unwrap();
    tokio::spawn(server);
    let url = format!("http://{addr}/metrics");
    let res = client().get(&url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = client()
        .get(&url)
        .bearer_auth("bi-mat-van-hanh")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}
