//! The legal calendar through the API and the page: official schedules, arithmetic, and
//! an administrator's correction producing a new calendar version.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn official_2026_schedule_and_arithmetic() {
    let app = spawn_app().await;
    let token = app.token("chuyenvien.monson").await;
    let (s, y) = app.get_json(&token, "/api/v1/calendar?year=2026").await;
    assert_eq!(s, StatusCode::OK);
    let day = |d: &str| {
        y["days"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["date"] == d)
            .cloned()
    };
    assert_eq!(
        day("2026-01-02").unwrap()["working"],
        false,
        "2/1/2026 off (swap)"
    );
    assert_eq!(
        day("2026-01-10").unwrap()["working"],
        true,
        "10/1/2026 worked (make-up)"
    );
    for d in ["2026-02-16", "2026-02-17", "2026-02-20"] {
        assert_eq!(day(d).unwrap()["working"], false, "Tết Bính Ngọ {d}");
    }
    // 5 working days after Tue 10/2/2026 skips Tết (14/2–22/2): 11, 12, 13, 23, 24.
    let (s, r) = app
        .get_json(&token, "/api/v1/calendar/add?date=2026-02-10&days=5")
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(r["result"], "2026-02-24");
    assert_eq!(r["version"], y["version"]);
    let (s, v) = app
        .get_json(&token, "/api/v1/calendar/add?date=10-02-2026&days=5")
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(is_vietnamese(&message(&v)));
    let (s, _) = app.get_json(&token, "/api/v1/calendar?year=1800").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_administrator_adds_a_swap_and_the_calendar_changes_version() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let officer = app.token("chuyenvien.stp").await;
    let (_, before) = app
        .get_json(&officer, "/api/v1/calendar/add?date=2027-03-04&days=1")
        .await;
    assert_eq!(before["result"], "2027-03-05");
    let swap = json!({"date": "2027-03-05", "kind": "swapped_off", "name": "Hoán đổi ngày làm việc (thử)", "decided_by": "Thông báo 1/TB-BNV", "confirmed": true});
    // Only administrators change the calendar; bad rows are refused with reasons.
    let (s, _) = app
        .send_json(&officer, Method::POST, "/api/v1/calendar/entries", &swap)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let mut bad = swap.clone();
    bad["kind"] = json!("makeup_workday");
    let (s, v) = app
        .send_json(&admin, Method::POST, "/api/v1/calendar/entries", &bad)
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(message(&v), "Ngày làm bù phải là thứ Bảy hoặc Chủ nhật.");
    let mut bad = swap.clone();
    bad["name"] = json!("");
    bad["date"] = json!("30/02/2027");
    let (s, v) = app
        .send_json(&admin, Method::POST, "/api/v1/calendar/entries", &bad)
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        message(&v).contains("Tên ngày nghỉ không được để trống.")
            && message(&v).contains("dd/mm/yyyy")
    );
    let (_, unchanged) = app
        .get_json(&officer, "/api/v1/calendar/add?date=2027-03-04&days=1")
        .await;
    assert_eq!(
        unchanged["version"], before["version"],
        "refused input changed nothing"
    );

    let (s, created) = app
        .send_json(&admin, Method::POST, "/api/v1/calendar/entries", &swap)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    let (_, after) = app
        .get_json(&officer, "/api/v1/calendar/add?date=2027-03-04&days=1")
        .await;
    assert_eq!(after["result"], "2027-03-08", "Friday 5/3/2027 is now off");
    assert_ne!(after["version"], before["version"]);
    assert_eq!(after["version"], created["calendar_version"]);
    // The change is audited, and withdrawing it restores the previous calendar.
    let id = created["id"].as_i64().unwrap();
    let (_, log) = app
        .get_json(
            &admin,
            &format!("/api/v1/audit?entity=calendar_entry&entity_id={id}"),
        )
        .await;
    assert_eq!(log["total"], 1);
    let (s, _) = app
        .send_json(
            &admin,
            Method::POST,
            &format!("/api/v1/calendar/entries/{id}/deactivate"),
            &json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, restored) = app
        .get_json(&officer, "/api/v1/calendar/add?date=2027-03-04&days=1")
        .await;
    assert_eq!(restored["result"], "2027-03-05");
    assert_eq!(
        restored["version"], before["version"],
        "same inputs, same version"
    );
}

#[tokio::test]
async fn the_calendar_page_lists_reasons_and_computes_deadlines() {
    let app = spawn_app().await;
    let (c, csrf) = app.browser("admin").await;
    let html = c
        .get(app.url("/lich-lam-viec?nam=2026&tu=10/02/2026&so=5"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Tết Nguyên đán") && html.contains("14/02/2026 – 22/02/2026 (9 ngày)"));
    assert!(html.contains("Công văn 12729/VPCP-KGVX"));
    assert!(html.contains("5 ngày làm việc sau 10/02/2026 là Thứ Ba 24/02/2026"));
    let res = c
        .post(app.url("/lich-lam-viec"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("date", "06/03/2027"),
            ("kind", "makeup_workday"),
            ("name", "Làm bù"),
            ("confirmed", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = c
        .get(app.url("/lich-lam-viec?nam=2027"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("06/03/2027") && html.contains("Đã thêm ngày 06/03/2027 (làm bù)"));
    let res = c
        .post(app.url("/lich-lam-viec"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("date", "ngày mai"),
            ("kind", "holiday"),
            ("name", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Ngày không đúng định dạng ngày (dd/mm/yyyy).")
    );
    let (officer, ocsrf) = app.browser("chuyenvien.stp").await;
    let res = officer
        .post(app.url("/lich-lam-viec"))
        .form(&[
            ("_csrf", ocsrf.as_str()),
            ("date", "06/03/2027"),
            ("kind", "makeup_workday"),
            ("name", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_new_day_off_moves_the_open_deadlines_it_affects() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let snv = app.token("sonoivu").await;
    // An open monthly report due on an 18th that is a working day.
    let (_, open) = app
        .get_json(&snv, "/api/v1/tasks?status=overdue&limit=500")
        .await;
    let t = open["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| {
            t["period"].is_string() && t["deadline"].as_str().is_some_and(|d| d.ends_with("-18"))
        })
        .cloned()
        .expect("an open occurrence due on the 18th");
    let day = t["deadline"].as_str().unwrap().to_string();
    let (s, e) = app
        .send_json(&admin, Method::POST, "/api/v1/calendar/entries", &json!({"date": day, "kind": "swapped_off", "name": "Nghỉ hoán đổi (thử)", "decided_by": "Thông báo thử", "confirmed": true}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    assert!(e["rescheduled"].as_u64().unwrap() >= 1);
    let (_, moved) = app
        .get_json(&snv, &format!("/api/v1/tasks/{}", t["id"]))
        .await;
    let new = moved["task"]["deadline"].as_str().unwrap().to_string();
    assert!(
        new < day,
        "moved to the previous working day: {day} → {new}"
    );
    let (_, log) = app
        .get_json(
            &admin,
            &format!("/api/v1/audit?entity=task&entity_id={}", t["id"]),
        )
        .await;
    let rows = log["items"].as_array().unwrap();
    assert!(
        rows.iter().any(|r| r["action"] == "reschedule"
            && r["after"]["calendar_version"] == e["calendar_version"]),
        "audited with the version"
    );
    // Withdrawing the decision moves it back.
    let (_, back) = app
        .send_json(
            &admin,
            Method::POST,
            &format!("/api/v1/calendar/entries/{}/deactivate", e["id"]),
            &json!({}),
        )
        .await;
    assert!(back["rescheduled"].as_u64().unwrap() >= 1);
    let (_, again) = app
        .get_json(&snv, &format!("/api/v1/tasks/{}", t["id"]))
        .await;
    assert_eq!(again["task"]["deadline"].as_str().unwrap(), day);
}
