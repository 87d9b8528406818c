//! The read replica (issue 26): lists, dashboards and indicators read a PostgreSQL
//! streaming standby and say how fresh their figures are; a browser that has just written
//! reads the primary. Needs the pair of `scripts/pg-replica.sh up`, named by
//! `CCHC_TEST_REPLICA_PRIMARY` and `CCHC_TEST_REPLICA_URL` (server URLs ending in a
//! database name, which the test replaces); `.ci/run` starts it and sets both. Without
//! them the test says so and does nothing.

use std::time::Duration;

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;

fn base(url: &str) -> String {
    url.rsplit_once('/')
        .map(|(b, _)| b.to_string())
        .expect("a URL with a database")
}

async fn count_on(url: &str) -> Option<i64> {
    let pool = store::sqlx::PgPool::connect(url).await.ok()?;
    let n = store::sqlx::query_scalar("select count(*) from dossier")
        .fetch_one(&pool)
        .await
        .ok();
    pool.close().await;
    n
}

#[tokio::test]
async fn lists_read_the_replica_and_say_how_fresh_they_are() {
    let (Ok(primary), Ok(replica)) = (
        std::env::var("CCHC_TEST_REPLICA_PRIMARY"),
        std::env::var("CCHC_TEST_REPLICA_URL"),
    ) else {
        eprintln!(
            "CCHC_TEST_REPLICA_PRIMARY / CCHC_TEST_REPLICA_URL not set: the replica test did not run"
        );
        return;
    };
    // A database of its own on the pair, with the demo province.
    let name = format!(
        "cchc_r_{}_{}",
        std::process::id(),
        chrono::Utc::now().timestamp_micros() % 1_000_000
    );
    let admin = store::sqlx::PgPool::connect(&primary)
        .await
        .expect("the pair's primary");
    store::sqlx::query(store::sqlx::AssertSqlSafe(format!(
        "create database {name}"
    )))
    .execute(&admin)
    .await
    .unwrap();
    let primary_url = format!("{}/{name}", base(&primary));
    let replica_url = format!("{}/{name}", base(&replica));
    let db = cchc::server::open_db(&primary_url).await.unwrap();
    cchc::demo::load_sized(&db, PASSWORD, DEMO_DOSSIERS_PER_YEAR)
        .await
        .unwrap()
        .unwrap();
    let on_primary = count_on(&primary_url).await.unwrap();
    // The standby has replayed the load.
    let mut caught_up = false;
    for _ in 0..120 {
        if count_on(&replica_url).await == Some(on_primary) {
            caught_up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(caught_up, "the replica did not catch up");
    let config = web::AppConfig {
        read_database_url: Some(replica_url.clone()),
        ..Default::default()
    };
    let (addr, server) = cchc::server::bind(db.clone(), config, "127.0.0.1:0")
        .await
        .unwrap();
    tokio::spawn(server);
    let app = TestApp {
        addr,
        db: db.clone(),
    };

    let h: serde_json::Value = client()
        .get(app.url("/healthz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(h["role"], "primary");
    assert_eq!(h["read_database"]["role"], "replica", "{h}");
    assert_eq!(h["read_database"]["in_use"], true, "{h}");

    let desk = app.token("motcua.tinh").await;
    // A list through the API: read on the replica, with the instant it is true at.
    let res = client()
        .get(app.url("/api/v1/dossiers?limit=1"))
        .bearer_auth(&desk)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers().contains_key("x-data-as-of"),
        "{:?}",
        res.headers()
    );
    let before: serde_json::Value = res.json().await.unwrap();
    // The same list as a page: "Số liệu tính đến HH:MM:SS".
    let page = client()
        .get(app.url("/ho-so"))
        .bearer_auth(&desk)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let note = page
        .find("Số liệu tính đến ")
        .expect("the page says how fresh its figures are");
    let clock = &page[note + "Số liệu tính đến ".len()..][..8];
    assert!(
        chrono::NaiveTime::parse_from_str(clock, "%H:%M:%S").is_ok(),
        "{clock}"
    );
    // A detail page is not a list: no note.
    let home = client()
        .get(app.url("/tai-khoan"))
        .bearer_auth(&desk)
        .send()
        .await
        .unwrap();
    if home.status() == StatusCode::OK {
        assert!(!home.text().await.unwrap().contains("Số liệu tính đến"));
    }

    // A write, then the list from the same client: the primary, with the new dossier.
    let writer = client();
    let (_, procs) = app
        .get_json(&desk, "/api/v1/procedures?level=tinh&limit=500")
        .await;
    let sxd = app.agency_id("SXD").await;
    let p = procs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["agency_id"] == json!(sxd) && p["limit_unit"] == "days")
        .unwrap()
        .clone();
    let res = writer
        .post(app.url("/api/v1/dossiers"))
        .bearer_auth(&desk)
        .json(&json!({"procedure": p["code"], "applicant_name": "Lê Thị Bản Sao", "applicant_phone": "0900000009"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = writer
        .get(app.url("/api/v1/dossiers?limit=1"))
        .bearer_auth(&desk)
        .send()
        .await
        .unwrap();
    assert!(
        !res.headers().contains_key("x-data-as-of"),
        "read-your-own-write goes to the primary"
    );
    let after: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        after["total"].as_i64(),
        before["total"].as_i64().map(|n| n + 1)
    );
    // Another reader sees it on the replica once replayed.
    let mut seen = false;
    for _ in 0..40 {
        let res = client()
            .get(app.url("/api/v1/dossiers?limit=1"))
            .bearer_auth(&desk)
            .send()
            .await
            .unwrap();
        let on_replica = res.headers().contains_key("x-data-as-of");
        let v: serde_json::Value = res.json().await.unwrap();
        if on_replica && v["total"] == after["total"] {
            seen = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(seen, "the replica shows the new dossier");
    db.close().await;
    // The server's pools still hold connections: force them out.
    let _ = store::sqlx::query(store::sqlx::AssertSqlSafe(format!(
        "drop database if exists {name} with (force)"
    )))
    .execute(&admin)
    .await;
}
