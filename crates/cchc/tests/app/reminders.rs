//! Reminders and escalations: the province's schedule fires each rule once per user and
//! task, for the right people, only while the task is unfinished; users see and mark only
//! their own notifications.

use chrono::{Duration, NaiveDate};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

fn today_vn() -> NaiveDate {
    (chrono::Utc::now() + Duration::hours(7)).date_naive()
}

/// The schedule's notifications a user has about one task (not the events', `notify`).
async fn kinds(app: &TestApp, username: &str, task_id: i64) -> Vec<String> {
    let uid = app.user_id(username).await;
    let (items, _) =
        store::notification::list_for_user(&app.db, uid, store::Page::new(Some(500), None))
            .await
            .unwrap();
    let mut k: Vec<String> = items
        .into_iter()
        .filter(|n| n.task_id == Some(task_id) && n.rule.starts_with('D'))
        .map(|n| format!("{} {}", n.rule, n.kind))
        .collect();
    k.sort();
    k
}

async fn new_task(app: &TestApp, number: &str, deadline: NaiveDate) -> i64 {
    let snv = app.token("sonoivu").await;
    let (s, d) = app
        .send_json(&snv, Method::POST, "/api/v1/directives", &json!({"number": number, "type": "Kế hoạch", "issuer": "UBND tỉnh Nghệ An", "date": today_vn().to_string(), "subject": "Thử nghiệm nhắc việc"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let stp = app.agency_id("STP").await;
    let (s, t) = app
        .send_json(&snv, Method::POST, "/api/v1/tasks", &json!({"directive_id": d["id"], "content": "Rà soát quy trình nội bộ giải quyết TTHC", "lead_agency_id": stp, "deadline": deadline.to_string()}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    t["id"].as_i64().unwrap()
}

#[tokio::test]
async fn reminders_escalate_once_per_rule_to_the_right_people() {
    let app = spawn_app().await;
    let schedule = app::jobs::reminder_schedule().unwrap();
    let today = today_vn();
    let deadline = today + Duration::days(3);
    let id = new_task(&app, "97/KH-UBND", deadline).await;

    // D-3: the officers of the lead agency itself.
    let n = app::jobs::send_reminders(&app.db, &schedule, today)
        .await
        .unwrap();
    assert!(n >= 2, "{n} new notifications");
    for u in ["chuyenvien.stp", "lanhdao.stp"] {
        assert_eq!(kinds(&app, u, id).await, ["D-3 before_due"], "{u}");
    }
    for u in [
        "chuyenvien.sxd",
        "lanhdao.sxd",
        "sonoivu",
        "lanhdao.snv",
        "admin",
    ] {
        assert!(kinds(&app, u, id).await.is_empty(), "{u} not reminded");
    }
    // Idempotent: the same day again creates nothing.
    let again = app::jobs::send_reminders(&app.db, &schedule, today)
        .await
        .unwrap();
    assert_eq!(again, 0);

    // D+3: the head is warned; the officers get the latest officer rule (D+1).
    app::jobs::send_reminders(&app.db, &schedule, deadline + Duration::days(3))
        .await
        .unwrap();
    assert_eq!(
        kinds(&app, "lanhdao.stp", id).await,
        ["D+1 overdue", "D+3 escalation_head", "D-3 before_due"]
    );
    assert_eq!(
        kinds(&app, "chuyenvien.stp", id).await,
        ["D+1 overdue", "D-3 before_due"]
    );
    assert!(kinds(&app, "sonoivu", id).await.is_empty());

    // D+7: the assigning office (Sở Nội vụ, VP UBND – KSTT).
    app::jobs::send_reminders(&app.db, &schedule, deadline + Duration::days(7))
        .await
        .unwrap();
    for u in ["sonoivu", "lanhdao.snv", "vanphong"] {
        assert_eq!(kinds(&app, u, id).await, ["D+7 escalation_office"], "{u}");
    }
    assert!(kinds(&app, "chuyenvien.sxd", id).await.is_empty());
    let uid = app.user_id("sonoivu").await;
    let (items, _) =
        store::notification::list_for_user(&app.db, uid, store::Page::new(Some(500), None))
            .await
            .unwrap();
    let n = items.iter().find(|n| n.task_id == Some(id)).unwrap();
    assert!(n.title.contains("quá hạn 7 ngày"), "{}", n.title);
    assert!(
        n.body.contains(&deadline.format("%d/%m/%Y").to_string()) && n.body.contains("Sở Tư pháp"),
        "{}",
        n.body
    );
    assert_eq!(n.link, format!("/nhiem-vu/{id}"));
}

#[tokio::test]
async fn a_submitted_task_is_not_reminded() {
    let app = spawn_app().await;
    let schedule = app::jobs::reminder_schedule().unwrap();
    let today = today_vn();
    let deadline = today + Duration::days(3);
    let id = new_task(&app, "96/KH-UBND", deadline).await;
    let officer = app.token("chuyenvien.stp").await;
    let (s, t) = app
        .send_json(
            &officer,
            Method::POST,
            &format!("/api/v1/tasks/{id}/submit"),
            &json!({"note": "Đã hoàn thành."}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{t}");
    for day in [
        today,
        deadline,
        deadline + Duration::days(3),
        deadline + Duration::days(7),
    ] {
        app::jobs::send_reminders(&app.db, &schedule, day)
            .await
            .unwrap();
    }
    for u in ["chuyenvien.stp", "lanhdao.stp", "sonoivu"] {
        assert!(kinds(&app, u, id).await.is_empty(), "{u}");
    }
}

#[tokio::test]
async fn users_see_and_mark_only_their_own_notifications() {
    let app = spawn_app().await;
    let schedule = app::jobs::reminder_schedule().unwrap();
    let today = today_vn();
    let id = new_task(&app, "95/KH-UBND", today + Duration::days(3)).await;
    app::jobs::send_reminders(&app.db, &schedule, today)
        .await
        .unwrap();

    let officer = app.token("chuyenvien.stp").await;
    let (s, v) = app.get_json(&officer, "/api/v1/notifications").await;
    assert_eq!(s, StatusCode::OK);
    let mine: Vec<&Value> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["task_id"] == json!(id) && n["kind"] == "before_due")
        .collect();
    assert_eq!(mine.len(), 1, "{v}");
    assert_eq!(mine[0]["kind"], "before_due");
    assert!(mine[0]["read_at"].is_null());
    assert!(v["total"].as_i64().unwrap() >= 1);
    let nid = mine[0]["id"].as_i64().unwrap();

    let other = app.token("chuyenvien.sxd").await;
    let (_, v) = app.get_json(&other, "/api/v1/notifications").await;
    assert!(
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["task_id"] != json!(id))
    );
    let path = format!("/api/v1/notifications/{nid}/read");
    let (s, e) = app.send_json(&other, Method::POST, &path, &json!({})).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(is_vietnamese(&message(&e)));
    let (s, _) = app
        .send_json(&officer, Method::POST, &path, &json!({}))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (_, v) = app.get_json(&officer, "/api/v1/notifications").await;
    let n = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == json!(nid))
        .unwrap()
        .clone();
    assert!(n["read_at"].is_string(), "{n}");
    let (s, _) = app
        .send_json(
            &officer,
            Method::POST,
            "/api/v1/notifications/0/read",
            &json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = client()
        .get(app.url("/api/v1/notifications"))
        .send()
        .await
        .map(|r| (r.status(), ()))
        .unwrap();
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_page_lists_notifications_and_marks_them_read() {
    let app = spawn_app().await;
    let schedule = app::jobs::reminder_schedule().unwrap();
    let today = today_vn();
    let id = new_task(&app, "94/KH-UBND", today + Duration::days(3)).await;
    app::jobs::send_reminders(&app.db, &schedule, today)
        .await
        .unwrap();
    let (c, csrf) = app.browser("lanhdao.stp").await;
    let count = c
        .get(app.url("/thong-bao/so-luong"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(count.contains("chưa đọc"), "{count}");
    let page = c.get(app.url("/thong-bao")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains(&format!(
            "<strong>Nhắc việc: nhiệm vụ số {id} còn 3 ngày đến hạn</strong>"
        )),
        "{html}"
    );
    assert!(html.contains(&format!("href=\"/nhiem-vu/{id}\"")));
    assert!(
        html.contains("3 ngày trước hạn: nhắc chuyên viên"),
        "the schedule is shown"
    );
    let uid = app.user_id("lanhdao.stp").await;
    let (items, _) =
        store::notification::list_for_user(&app.db, uid, store::Page::new(Some(500), None))
            .await
            .unwrap();
    let nid = items.iter().find(|n| n.task_id == Some(id)).unwrap().id;
    let res = c
        .post(app.url(&format!("/thong-bao/{nid}/da-doc")))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = c
        .get(app.url("/thong-bao"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains(&format!("<strong>Nhắc việc: nhiệm vụ số {id}")));
    // Someone else's notification is not found, and the schedule is public to all users.
    let (c2, csrf2) = app.browser("chuyenvien.sxd").await;
    let res = c2
        .post(app.url(&format!("/thong-bao/{nid}/da-doc")))
        .form(&[("_csrf", csrf2.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let html = c2
        .get(app.url("/lich-nhac-viec"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("7 ngày sau hạn: cảnh báo cơ quan giao nhiệm vụ"),
        "{html}"
    );
}
