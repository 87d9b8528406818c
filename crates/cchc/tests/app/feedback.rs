//! Phản ánh, kiến nghị (issue 22) through HTTP: public submission with its limits, the
//! tracking code guarded by the phone's last four digits (locked after wrong guesses),
//! the staff's steps by role and scope, publication without personal data, rating once,
//! forwarding the unassigned, supplement.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

const NAME: &str = "Nguyễn Văn Bình";
const PHONE: &str = "0912 345 678";
const EMAIL: &str = "binh.nguyen@example.vn";

async fn public_post(app: &TestApp, path: &str, body: &Value) -> (StatusCode, Value) {
    let res = client()
        .post(app.url(path))
        .json(body)
        .send()
        .await
        .unwrap();
    let st = res.status();
    (st, res.json().await.unwrap_or(Value::Null))
}

async fn public_get(app: &TestApp, path: &str) -> (StatusCode, String) {
    let res = client().get(app.url(path)).send().await.unwrap();
    let st = res.status();
    (st, res.text().await.unwrap())
}

fn no_personal_data(body: &str) {
    for p in [
        NAME,
        "0912345678",
        "0912 345 678",
        "345678",
        EMAIL,
        "binh.nguyen",
    ] {
        assert!(
            !body.contains(p),
            "personal data {p:?} in a public answer: {body}"
        );
    }
}

fn feedback(phone: &str, agency: Option<&str>) -> Value {
    let mut v = json!({
        "kind": "regulation",
        "name": NAME,
        "phone": phone,
        "email": EMAIL,
        "title": format!("{NAME} ({PHONE}) phản ánh quy định về hồ sơ đăng ký hộ tịch"),
        "content": format!("Tôi là {NAME}, số điện thoại {PHONE}. Quy định yêu cầu nộp bản sao chứng thực giấy khai sinh là không cần thiết vì đã có cơ sở dữ liệu dân cư."),
    });
    if let Some(a) = agency {
        v["agency_code"] = json!(a);
    }
    v
}

/// The unit's 766 facts of the current month (Vietnam time) and its 5.2 indicator.
async fn group5(app: &TestApp, token: &str) -> (Value, Value) {
    let month = (chrono::Utc::now() + chrono::Duration::hours(7))
        .format("%Y-%m")
        .to_string();
    let (st, v) = app
        .get_json(
            token,
            &format!("/api/v1/indicators?unit=STP&period={month}"),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let i52 = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["indicators"].as_array().unwrap().iter())
        .find(|i| i["code"] == "5.2")
        .expect("5.2")
        .clone();
    (v["facts"].clone(), i52)
}

#[tokio::test]
async fn feedback_from_the_public_to_a_published_answer() {
    let app = spawn_app().await;
    let head = app.token("lanhdao.stp").await;
    let (facts_before, _) = group5(&app, &head).await;
    let (st, v) = public_post(&app, "/api/v1/feedback", &feedback(PHONE, Some("STP"))).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let code = v["code"].as_str().unwrap().to_string();
    assert!(code.starts_with("PA"), "{code}");
    let due = v["due_on"].as_str().unwrap().to_string();

    // Bad input: a Vietnamese 422, nothing stored.
    let stp_head = app.token("lanhdao.stp").await;
    let count = |token: String| {
        let app = &app;
        async move {
            let (_, v) = app.get_json(&token, "/api/v1/feedback").await;
            v["total"].as_i64().unwrap()
        }
    };
    let before = count(app.token("vanphong").await).await;
    for (field, bad) in [
        ("kind", json!("khieu_nai")),
        ("phone", json!("12ab")),
        ("content", json!("ngắn")),
        ("agency_code", json!("KHONG-CO")),
    ] {
        let mut b = feedback("0987000111", Some("STP"));
        b[field] = bad;
        let (st, v) = public_post(&app, "/api/v1/feedback", &b).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {v}");
        assert!(is_vietnamese(&message(&v)), "{v}");
    }
    let mut b = feedback("0987000111", None);
    b["kind"] = json!("dossier");
    let (st, _) = public_post(&app, "/api/v1/feedback", &b).await;
    assert_eq!(
        st,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a dossier feedback needs its code"
    );
    assert_eq!(count(app.token("vanphong").await).await, before);

    // Tracking: the last four digits, never personal data.
    let (st, _) = public_get(&app, &format!("/api/v1/feedback/track/{code}?phone=0000")).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, _) = public_get(&app, &format!("/api/v1/feedback/track/{code}?phone=12")).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let (st, body) = public_get(
        &app,
        &format!("/api/v1/feedback/track/{}?phone=5678", code.to_lowercase()),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{body}");
    no_personal_data(&body);
    let t: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(t["status"], "received");
    assert_eq!(t["due_on"], due.as_str());

    // Scope: another unit does not see it; the unit does.
    let other = app.token("lanhdao.sxd").await;
    let (_, v) = app.get_json(&stp_head, "/api/v1/feedback?q=ho tich").await;
    let id = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == code.as_str())
        .expect("in the unit's queue, found without diacritics")["id"]
        .as_i64()
        .unwrap();
    let (st, _) = app
        .get_json(&other, &format!("/api/v1/feedback/{id}"))
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (_, v) = app.get_json(&other, "/api/v1/feedback").await;
    assert!(
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["code"] != code.as_str())
    );
    let (st, _) = app
        .send_json(
            &other,
            Method::POST,
            &format!("/api/v1/feedback/{id}/events"),
            &json!({"action": "accept"}),
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);

    // The steps, by role.
    let officer = app.token("chuyenvien.stp").await;
    let ev = |token: String, body: Value| {
        let app = &app;
        async move {
            app.send_json(
                &token,
                Method::POST,
                &format!("/api/v1/feedback/{id}/events"),
                &body,
            )
            .await
        }
    };
    let (st, v) = ev(officer.clone(), json!({"action": "reject"})).await;
    assert_eq!(
        st,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a rejection needs its reason: {v}"
    );
    let (st, v) = ev(stp_head.clone(), json!({"action": "approve"})).await;
    assert_eq!(st, StatusCode::CONFLICT, "nothing to approve yet: {v}");
    let (st, v) = ev(officer.clone(), json!({"action": "accept"})).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "processing");
    let (st, _) = ev(
        officer.clone(),
        json!({"action": "assign", "assignee": "chuyenvien.stp"}),
    )
    .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "only the head assigns");
    let (st, v) = ev(
        stp_head.clone(),
        json!({"action": "assign", "assignee": "chuyenvien.sxd"}),
    )
    .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (st, v) = ev(
        stp_head.clone(),
        json!({"action": "assign", "assignee": "chuyenvien.stp"}),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["assignee_name"], "Vũ Đình Khoa");
    let answer = format!(
        "Kính gửi ông {NAME} (điện thoại {PHONE}, thư {EMAIL}): Sở Tư pháp đã đề nghị bãi bỏ yêu cầu bản sao chứng thực giấy khai sinh trong Quyết định công bố thủ tục."
    );
    let (st, v) = ev(
        officer.clone(),
        json!({"action": "draft", "answer": answer}),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "awaiting_approval");
    let (st, _) = ev(officer.clone(), json!({"action": "approve"})).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "only the head approves");
    let (st, v) = ev(
        stp_head.clone(),
        json!({"action": "return_draft", "note": "Nêu rõ số quyết định."}),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let (st, _) = ev(
        officer.clone(),
        json!({"action": "draft", "answer": answer}),
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    let (st, v) = ev(stp_head.clone(), json!({"action": "approve"})).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "awaiting_publication");
    assert!(v["publish_due_on"].is_string());
    let (st, v) = ev(officer.clone(), json!({"action": "publish"})).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "published");
    let steps: Vec<&str> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        [
            "receive",
            "accept",
            "assign",
            "draft",
            "return_draft",
            "draft",
            "approve",
            "publish"
        ]
    );
    let (st, _) = ev(officer.clone(), json!({"action": "publish"})).await;
    assert_eq!(st, StatusCode::CONFLICT, "closed");

    // Published: searchable without diacritics, no personal data anywhere.
    let (st, body) = public_get(
        &app,
        "/api/v1/feedback/published?q=bai bo yeu cau ban sao chung thuc giay khai sinh",
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    no_personal_data(&body);
    let p: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(p["items"][0]["code"], code.as_str());
    assert!(
        p["items"][0]["answer"]
            .as_str()
            .unwrap()
            .contains("Sở Tư pháp đã đề nghị bãi bỏ")
    );
    let (_, body) = public_get(&app, &format!("/api/v1/feedback/track/{code}?phone=5678")).await;
    no_personal_data(&body);
    assert!(
        body.contains("bãi bỏ") && body.contains("\"can_rate\":true"),
        "{body}"
    );

    // Rating once.
    let (st, v) = public_post(
        &app,
        &format!("/api/v1/feedback/track/{code}/rating"),
        &json!({"phone": "5678", "satisfied": true}),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    no_personal_data(&v.to_string());
    let (st, v) = public_post(
        &app,
        &format!("/api/v1/feedback/track/{code}/rating"),
        &json!({"phone": "5678", "satisfied": false}),
    )
    .await;
    assert_eq!(st, StatusCode::CONFLICT, "{v}");
    let (_, v) = app
        .get_json(&stp_head, &format!("/api/v1/feedback/{id}"))
        .await;
    assert_eq!(
        (v["likes"].as_i64(), v["dislikes"].as_i64()),
        (Some(1), Some(0))
    );

    // 766 group 5 counts it: received this month, about a regulation, answered on time,
    // not unsatisfactory; 5.2 is measured, not "no data".
    let (after, i52) = group5(&app, &head).await;
    let d = |k: &str| after[k].as_i64().unwrap() - facts_before[k].as_i64().unwrap();
    assert_eq!(d("feedback_received"), 1);
    assert_eq!(d("feedback_about_regulations"), 1);
    assert_eq!(d("feedback_answered_on_time"), 1);
    assert_eq!(d("feedback_unsatisfactory"), 0);
    assert_ne!(i52["basis"], "no_data", "{i52}");
    assert!(i52["denominator"].as_i64().unwrap() >= 1, "{i52}");
}

#[tokio::test]
async fn limits_lockout_forwarding_and_supplement() {
    let app = spawn_app().await;
    // Without an agency: the Văn phòng UBND – KSTT's queue, not a unit's.
    let (st, v) = public_post(&app, "/api/v1/feedback", &feedback("0903111222", None)).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let code = v["code"].as_str().unwrap().to_string();
    let kstt = app.token("vanphong").await;
    let stp = app.token("lanhdao.stp").await;
    let (_, v) = app
        .get_json(&kstt, "/api/v1/feedback?status=received")
        .await;
    let f = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == code.as_str())
        .expect("KSTT queue")
        .clone();
    let id = f["id"].as_i64().unwrap();
    assert!(f["agency_code"].is_null());
    let (st, _) = app.get_json(&stp, &format!("/api/v1/feedback/{id}")).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, v) = app
        .send_json(&kstt, Method::POST, &format!("/api/v1/feedback/{id}/events"), &json!({"action": "forward", "agency_code": "STP", "note": "Thuộc thẩm quyền Sở Tư pháp"}))
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["agency_code"], "STP");
    assert_eq!(v["status"], "received");
    let (st, v) = app.get_json(&stp, &format!("/api/v1/feedback/{id}")).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    // Ask once to supplement; the sender supplies; the limits start again.
    let step = |body: Value| {
        let app = &app;
        let stp = stp.clone();
        async move {
            app.send_json(
                &stp,
                Method::POST,
                &format!("/api/v1/feedback/{id}/events"),
                &body,
            )
            .await
        }
    };
    let (st, v) = step(
        json!({"action": "request_supplement", "note": "Ghi rõ số, ngày của văn bản quy định."}),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let (_, body) = public_get(&app, &format!("/api/v1/feedback/track/{code}?phone=1222")).await;
    assert!(
        body.contains("Ghi rõ số, ngày") && body.contains("\"can_supplement\":true"),
        "{body}"
    );
    let (st, v) = public_post(
        &app,
        &format!("/api/v1/feedback/track/{code}/supplement"),
        &json!({"phone": "1222", "text": "Quyết định 1234/QĐ-UBND ngày 05/6/2023."}),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "received");
    let (st, v) = step(json!({"action": "request_supplement", "note": "Lần nữa"})).await;
    assert_eq!(st, StatusCode::CONFLICT, "only once: {v}");
    let (st, v) = step(json!({"action": "reject", "note": "Nội dung không thuộc phạm vi phản ánh, kiến nghị về quy định hành chính."})).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "rejected");

    // Wrong digits five times lock the code, even for the right ones.
    for _ in 0..5 {
        let (st, _) = public_get(&app, &format!("/api/v1/feedback/track/{code}?phone=9999")).await;
        assert_eq!(st, StatusCode::NOT_FOUND);
    }
    let (st, body) = public_get(&app, &format!("/api/v1/feedback/track/{code}?phone=1222")).await;
    assert_eq!(st, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(body.contains("tạm khóa"), "{body}");
    // The address's look-ups are limited too (10 a minute: 1 + 5 + 1 + 3 used).
    let mut limited = false;
    for _ in 0..5 {
        let (st, _) = public_get(&app, "/api/v1/feedback/track/PA20260101-ZZZZZ?phone=1234").await;
        if st == StatusCode::TOO_MANY_REQUESTS {
            limited = true;
            break;
        }
    }
    assert!(limited, "look-ups per address are limited");

    // Per phone: three a day.
    for i in 0..2 {
        let (st, v) = public_post(
            &app,
            "/api/v1/feedback",
            &feedback("0903111222", Some("STP")),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{i}: {v}");
    }
    let (st, v) = public_post(
        &app,
        "/api/v1/feedback",
        &feedback("0903111222", Some("STP")),
    )
    .await;
    assert_eq!(st, StatusCode::TOO_MANY_REQUESTS, "{v}");
    assert!(message(&v).contains("24 giờ"), "{v}");
    // Per address: ten an hour (four used above).
    let mut sent = 0;
    loop {
        let phone = format!("09040000{sent:02}");
        let (st, v) = public_post(&app, "/api/v1/feedback", &feedback(&phone, Some("STP"))).await;
        if st == StatusCode::TOO_MANY_REQUESTS {
            assert!(message(&v).contains("một giờ"), "{v}");
            break;
        }
        assert_eq!(st, StatusCode::CREATED, "{v}");
        sent += 1;
        assert!(sent < 20, "no per-address limit");
    }
    assert_eq!(sent, 6);
}

#[tokio::test]
async fn attachments_are_checked_and_every_step_is_audited() {
    let app = spawn_app().await;
    let send = |name: &'static str, bytes: Vec<u8>| {
        let url = app.url("/api/v1/feedback");
        async move {
            let form = reqwest::multipart::Form::new()
                .text("kind", "procedure")
                .text("agency_code", "STP")
                .text("name", NAME)
                .text("phone", "0966 111 222")
                .text(
                    "content",
                    "Thủ tục yêu cầu nộp giấy tờ không có trong quyết định công bố; gửi kèm ảnh chụp phiếu hướng dẫn.",
                )
                .part(
                    "files",
                    reqwest::multipart::Part::bytes(bytes).file_name(name),
                );
            let r = client().post(url).multipart(form).send().await.unwrap();
            let st = r.status();
            (st, r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    // A type that is not a document, an empty file: refused in Vietnamese.
    let (st, v) = send("virus.exe", b"MZ".to_vec()).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{v}");
    assert!(message(&v).contains("chỉ nhận PDF"), "{v}");
    let (st, v) = send("rong.pdf", Vec::new()).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{v}");
    // Too large: over the upload limit.
    let (st, _) = send("lon.pdf", vec![b'x'; 30 * 1024 * 1024]).await;
    assert!(
        st == StatusCode::PAYLOAD_TOO_LARGE || st == StatusCode::BAD_REQUEST,
        "{st}"
    );
    // A PDF goes with the feedback; the staff see it, the public never do.
    let (st, v) = send("phieu-huong-dan.pdf", b"%PDF-1.4 demo".to_vec()).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let code = v["code"].as_str().unwrap().to_string();
    let head = app.token("lanhdao.stp").await;
    let (_, list) = app
        .get_json(&head, &format!("/api/v1/feedback?q={code}"))
        .await;
    let id = list["items"][0]["id"].as_i64().expect("found by its code");
    let (_, f) = app.get_json(&head, &format!("/api/v1/feedback/{id}")).await;
    assert_eq!(f["files"][0]["name"], "phieu-huong-dan.pdf");
    let url = f["files"][0]["url"].as_str().unwrap().to_string();
    let other = app.token("lanhdao.sxd").await;
    let r = client()
        .get(app.url(&url))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "another unit's file");
    let r = client()
        .get(app.url(&url))
        .bearer_auth(&head)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body = client()
        .get(app.url(&format!("/api/v1/feedback/track/{code}?phone=1222")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        body.contains("\"status\":\"received\"") && !body.contains("phieu-huong-dan"),
        "the public see no attachment: {body}"
    );
    // Every step leaves an audit row: who, the state before and after.
    let (st, _) = app
        .send_json(
            &head,
            Method::POST,
            &format!("/api/v1/feedback/{id}/events"),
            &json!({"action": "accept"}),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let admin = app.token("admin").await;
    let (_, a) = app
        .get_json(
            &admin,
            &format!("/api/v1/audit?entity=feedback&entity_id={id}"),
        )
        .await;
    let rows = a["items"].as_array().unwrap();
    assert!(rows.iter().any(|r| r["action"] == "create"), "{a}");
    let accept = rows
        .iter()
        .find(|r| r["action"] == "accept")
        .expect("the step is audited");
    assert_eq!(accept["username"], "lanhdao.stp");
    assert_eq!(accept["before"]["status"], "received");
    assert_eq!(accept["after"]["to_status"], "processing");
    assert!(
        !a.to_string().contains("0966"),
        "no phone in the audit summary"
    );
}
