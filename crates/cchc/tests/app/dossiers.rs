//! The one-stop shop: idempotent intake with the appointment date, the state machine over
//! HTTP with its control sheet, outbox and audit, scoped access, the public look-up and the
//! official forms.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

/// A province-level procedure handled by the given department, with a working-day limit.
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
        .expect("a procedure of the department with a limit in days")
}

async fn count(app: &TestApp, token: &str, query: &str) -> i64 {
    let (s, v) = app
        .get_json(token, &format!("/api/v1/dossiers?limit=1{query}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["total"].as_i64().unwrap()
}

/// Posts; after a successful event, the answer (built in memory from the dossier before
/// and the effects) must equal a fresh read of the stored dossier, field by field.
async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    let (s, v) = app.send_json(token, Method::POST, path, &body).await;
    if s == StatusCode::OK && path.ends_with("/events") {
        let (_, detail) = app.get_json(token, path.trim_end_matches("/events")).await;
        let stored = detail.get("dossier").unwrap_or(&detail);
        for (k, x) in v.as_object().expect("a dossier") {
            if k != "overdue" {
                assert_eq!(
                    &stored[k], x,
                    "{k} after {body}: answered {x}, stored {}",
                    stored[k]
                );
            }
        }
    }
    (s, v)
}

#[tokio::test]
async fn a_dossier_goes_from_the_desk_to_the_result() {
    let app = spawn_app().await;
    let desk = app.token("motcua.tinh").await;
    let sxd = app.agency_id("SXD").await;
    let proc = procedure_of(&app, &desk, sxd).await;
    let before = count(&app, &desk, "").await;

    // Bad input: nothing is created, the messages are Vietnamese and name the fields.
    let (s, v) = post(
        &app,
        &desk,
        "/api/v1/dossiers",
        json!({"procedure": "9.999999", "applicant_name": " ", "applicant_phone": "abc"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let m = message(&v);
    assert!(
        m.contains("Họ tên người nộp")
            && m.contains("Không tìm thấy thủ tục")
            && m.contains("Số điện thoại"),
        "{m}"
    );
    assert_eq!(count(&app, &desk, "").await, before);

    // Intake with an idempotency key: a retry returns the same dossier.
    let body = json!({"procedure": proc["code"], "applicant_name": "Nguyễn Thị Hằng", "applicant_phone": "0912 345 678",
        "applicant_address": "Phường Trường Vinh, Nghệ An", "channel": 1});
    let send = |key: &'static str| {
        client()
            .post(app.url("/api/v1/dossiers"))
            .bearer_auth(&desk)
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
    };
    let res = send("k-001").await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let d: Value = res.json().await.unwrap();
    let res = send("k-001").await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let again: Value = res.json().await.unwrap();
    assert_eq!(again["id"], d["id"]);
    assert_eq!(count(&app, &desk, "").await, before + 1);
    let code = d["code"].as_str().unwrap().to_string();
    assert!(domain::dossier::DossierCode::parse(&code).is_ok(), "{code}");
    assert_eq!(d["status"], 2);
    assert_eq!(d["handling_agency_id"], json!(sxd));
    assert_eq!(d["regime"], "nd118");
    // The appointment is the domain's, from the legal calendar.
    let received =
        chrono::DateTime::parse_from_rfc3339(d["received_at"].as_str().unwrap()).unwrap();
    let appointment =
        chrono::DateTime::parse_from_rfc3339(d["appointment_at"].as_str().unwrap()).unwrap();
    let cal = domain::calendar::Calendar::from_sources(
        include_str!("../../../../data/calendar/vn-holiday-rules.toml"),
        include_str!("../../../../data/calendar/vn-civil-service-days-off.csv"),
    )
    .unwrap();
    let local = |t: chrono::DateTime<chrono::FixedOffset>| {
        (t.to_utc() + chrono::Duration::hours(7)).naive_utc()
    };
    let days = proc["limit_amount"].as_i64().unwrap() as u32;
    let expected = domain::dossier::appointment(
        local(received),
        domain::dossier::WorkingLimit::Days(days),
        &cal,
        &domain::dossier::IntakePolicy::default(),
    )
    .unwrap();
    assert_eq!(local(appointment), expected);
    let id = d["id"].as_i64().unwrap();
    let ev = format!("/api/v1/dossiers/{id}/events");

    // Illegal: returning a result that does not exist yet.
    let (s, v) = post(&app, &desk, &ev, json!({"event": "return_result"})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert!(is_vietnamese(&message(&v)));
    // The desk cannot do the department's work; another department cannot see it.
    let (s, _) = post(&app, &desk, &ev, json!({"event": "finish_processing"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let stp = app.token("chuyenvien.stp").await;
    let (s, _) = app.get_json(&stp, &format!("/api/v1/dossiers/{id}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = post(&app, &stp, &ev, json!({"event": "assign"})).await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    let officer = app.token("chuyenvien.sxd").await;
    // Assigned to a person: an officer of the handling unit, not one of another unit.
    let other = app.user_id("chuyenvien.stp").await;
    let (s, v) = post(
        &app,
        &officer,
        &ev,
        json!({"event": "assign", "to_user_id": other}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(message(&v).contains("cơ quan giải quyết"), "{v}");
    let me = app.user_id("chuyenvien.sxd").await;
    let (s, v) = post(
        &app,
        &officer,
        &ev,
        json!({"event": "assign", "to_user_id": me}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], 4);
    assert_eq!(v["assignee_id"], json!(me));
    // A supplement request needs its reason; then the clock pauses.
    let (s, v) = post(&app, &officer, &ev, json!({"event": "request_supplement"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, v) = post(
        &app,
        &officer,
        &ev,
        json!({"event": "request_supplement", "reason": "Thiếu bản vẽ mặt bằng công trình"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], 5);
    assert_eq!(v["supplement_count"], 1);
    let (s, v) = post(&app, &desk, &ev, json!({"event": "supplement_provided"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], 4);
    assert!(v["due_at"].as_str().unwrap() >= d["due_at"].as_str().unwrap());
    // The signing step cannot be skipped: the officer submits for signature, the
    // leader signs; the officer cannot sign in the leader's place.
    let finish = json!({"event": "finish_processing", "result_code": "125/GPXD", "e_result": true});
    let (s, v) = post(&app, &officer, &ev, finish.clone()).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert!(message(&v).contains("ký duyệt"), "{v}");
    let (s, v) = post(&app, &officer, &ev, json!({"event": "assign"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["step_seq"], 2);
    let (s, v) = post(&app, &officer, &ev, finish.clone()).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    let head = app.token("lanhdao.sxd").await;
    let (s, v) = post(&app, &head, &ev, finish).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], 9);
    let (s, v) = post(&app, &desk, &ev, json!({"event": "return_result"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], 10);
    let (s, v) = post(
        &app,
        &desk,
        &format!("/api/v1/dossiers/{id}/rating"),
        json!({"rating": 5}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, v) = post(
        &app,
        &desk,
        &format!("/api/v1/dossiers/{id}/rating"),
        json!({"rating": 3}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");

    // The control sheet, the audit log and the outbox hold every step.
    let (_, detail) = app
        .get_json(&officer, &format!("/api/v1/dossiers/{id}"))
        .await;
    let kinds: Vec<&str> = detail["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "receive",
            "assign",
            "request_supplement",
            "supplement_provided",
            "assign",
            "finish_processing",
            "return_result",
            "rating"
        ]
    );
    let admin = app.token("admin").await;
    let (_, audit) = app
        .get_json(
            &admin,
            &format!("/api/v1/audit?entity=dossier&entity_id={id}&limit=50"),
        )
        .await;
    assert_eq!(audit["total"], 8, "{audit}");
    // The demo's unsynchronised rows come first in the API's oldest-first page; count
    // this dossier's pending rows in the table.
    let (s, _) = app.get_json(&admin, "/api/v1/dossiers/outbox").await;
    assert_eq!(s, StatusCode::OK);
    let sql = "select count(*) from dossier_outbox where dossier_id = $1 and sent_at is null";
    let mine: i64 = match &app.db {
        store::Db::Sqlite(p) => store::sqlx::query_scalar(sql).bind(id).fetch_one(p).await,
        store::Db::Pg(p) => store::sqlx::query_scalar(sql).bind(id).fetch_one(p).await,
    }
    .unwrap();
    assert_eq!(mine, 8);

    // The public look-up: code plus the phone's last four digits, no login.
    let page = client()
        .get(app.url(&format!("/tra-cuu?ma={code}&so=5678")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Đã trả kết quả") && html.contains(&code),
        "{html}"
    );
    let html = client()
        .get(app.url(&format!("/tra-cuu?ma={code}&so=0000")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Không tìm thấy hồ sơ") && !html.contains("Nguyễn Thị Hằng"));

    // The receipt (Mẫu 01) and the control sheet print as HTML and PDF.
    let (c, _) = app.browser("motcua.tinh").await;
    let html = c
        .get(app.url(&format!("/ho-so/{id}/mau/phieu-tiep-nhan")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(&code) && html.contains("Nguyễn Thị Hằng"));
    let pdf = c
        .get(app.url(&format!("/ho-so/{id}/mau/kiem-soat?dinh-dang=pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
}

#[tokio::test]
async fn desks_see_their_own_dossiers_only() {
    let app = spawn_app().await;
    let centre = app.token("motcua.xaconcuong").await;
    let other = app.token("motcua.truongvinh").await;
    let (_, procs) = app
        .get_json(&centre, "/api/v1/procedures?level=xa&limit=500")
        .await;
    let p = procs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["limit_unit"] == "days")
        .unwrap()
        .clone();
    let (s, d) = post(&app, &centre, "/api/v1/dossiers", json!({"procedure": p["id"].to_string(), "applicant_name": "Lô Văn Bình", "applicant_phone": "0987001122"})).await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let id = d["id"].as_i64().unwrap();
    // Received at the commune's centre, processed by the commune.
    assert_eq!(
        d["handling_agency_id"],
        json!(app.agency_id("XM-CONCUONG").await)
    );
    let (s, _) = app
        .get_json(&other, &format!("/api/v1/dossiers/{id}"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, list) = app.get_json(&other, "/api/v1/dossiers?limit=500").await;
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["id"] != json!(id))
    );
    let commune = app.token("chuyenvien.xaconcuong").await;
    let (s, _) = app
        .get_json(&commune, &format!("/api/v1/dossiers/{id}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    // Officers do not receive at the desk.
    let (s, _) = post(
        &app,
        &commune,
        "/api/v1/dossiers",
        json!({"procedure": p["code"], "applicant_name": "X"}),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // A second supplementation request makes the dossier late (QĐ 766), shown on the page.
    let ev = format!("/api/v1/dossiers/{id}/events");
    for _ in 0..2 {
        let (s, v) = post(
            &app,
            &commune,
            &ev,
            json!({"event": "request_supplement", "reason": "Thiếu giấy tờ"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (s, v) = post(&app, &centre, &ev, json!({"event": "supplement_provided"})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
    }
    let (c, _) = app.browser("chuyenvien.xaconcuong").await;
    let html = c
        .get(app.url(&format!("/ho-so/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("tính là trễ hạn theo QĐ 766"));
    // The public needs the second factor; without login, the pages are closed.
    let res = client()
        .get(app.url(&format!("/ho-so/{id}")))
        .send()
        .await
        .unwrap();
    assert_ne!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_desk_page_receives_once_per_form() {
    let app = spawn_app().await;
    let (c, csrf) = app.browser("motcua.tinh").await;
    let html = c
        .get(app.url("/ho-so/tiep-nhan"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let key = html
        .split("name=\"form_key\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let desk = app.token("motcua.tinh").await;
    let p = procedure_of(&app, &desk, app.agency_id("SXD").await).await;
    let before = count(&app, &desk, "").await;
    // The checklist: every required document (of the first alternative, if any) was
    // handed in.
    let docs = p["required_documents"].as_array().unwrap();
    let first_alt = docs
        .iter()
        .find(|d| d["alternative"] == true)
        .map(|d| d["case"].clone());
    let ticks: Vec<String> = docs
        .iter()
        .filter(|d| d["conditional"] == false)
        .filter(|d| d["alternative"] == false || Some(d["case"].clone()) == first_alt)
        .map(|d| format!("doc_{}", d["seq"]))
        .collect();
    let form = || {
        let mut f = reqwest::multipart::Form::new();
        for t in &ticks {
            f = f.text(t.clone(), "1");
        }
        f.text(
            "tthc",
            format!(
                "{} – {}",
                p["code"].as_str().unwrap(),
                p["name"].as_str().unwrap()
            ),
        )
        .text("channel", "1")
        .text("applicant_name", "Trần Văn An")
        .text("applicant_phone", "0911222333")
        .text("form_key", key.clone())
        .text("digitized", "1")
        .part(
            "files",
            reqwest::multipart::Part::bytes(b"%PDF-1.4 don".to_vec()).file_name("Đơn đề nghị.pdf"),
        )
    };
    for _ in 0..2 {
        let res = c
            .post(app.url(&format!("/ho-so/tiep-nhan?_csrf={csrf}")))
            .multipart(form())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(count(&app, &desk, "").await, before + 1);
    // Bad input re-renders the form with the message, nothing created.
    let bad = reqwest::multipart::Form::new()
        .text("tthc", "")
        .text("applicant_name", "")
        .text("form_key", "x2");
    let res = c
        .post(app.url(&format!("/ho-so/tiep-nhan?_csrf={csrf}")))
        .multipart(bad)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Chưa chọn thủ tục hành chính.")
    );
    assert_eq!(count(&app, &desk, "").await, before + 1);
    let (_, list) = app.get_json(&desk, "/api/v1/dossiers?q=tran van an").await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["digitized"], true);
    // The desk's register (Mẫu 06/07) lists it, as HTML and PDF; a bad date is refused.
    let html = c
        .get(app.url("/ho-so/so-theo-doi"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Trần Văn An"), "{html}");
    let pdf = c
        .get(app.url("/ho-so/so-theo-doi?dinh-dang=pdf"))
        .send()
        .await
        .unwrap();
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
    let res = c
        .get(app.url("/ho-so/so-theo-doi?tu=32/13/2026"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_outbox_is_delivered_in_order_and_reconciled() {
    let app = spawn_app().await;
    let desk = app.token("motcua.tinh").await;
    let p = procedure_of(&app, &desk, app.agency_id("SXD").await).await;
    let (s, d) = post(&app, &desk, "/api/v1/dossiers", json!({"procedure": p["code"], "applicant_name": "Hồ Văn Sơn", "applicant_phone": "0900000001"})).await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let admin = app.token("admin").await;
    let (_, pending) = app.get_json(&admin, "/api/v1/dossiers/outbox").await;
    let n = pending["total"].as_i64().unwrap();
    assert!(n >= 1);
    let dir = std::env::temp_dir().join(format!("cchc-sync-{}", d["id"]));
    let sender = app::sync::Sender::new(None, None, dir.clone()).unwrap();
    let (sent, failed) = app::sync::run_once(&app.db, &sender, 100_000)
        .await
        .unwrap();
    assert_eq!((sent as i64, failed), (n, 0));
    let (_, pending) = app.get_json(&admin, "/api/v1/dossiers/outbox").await;
    assert_eq!(pending["total"], 0);
    let written: String = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(written.contains(d["code"].as_str().unwrap()));
    // An unreachable portal: the row stays pending with its error, in order.
    let (s, _) = post(
        &app,
        &desk,
        &format!("/api/v1/dossiers/{}/events", d["id"]),
        json!({"event": "withdraw"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let bad = app::sync::Sender::new(Some("http://127.0.0.1:9/portal"), None, dir.clone()).unwrap();
    let (sent, failed) = app::sync::run_once(&app.db, &bad, 100).await.unwrap();
    assert_eq!((sent, failed), (0, 1));
    let (_, pending) = app.get_json(&admin, "/api/v1/dossiers/outbox").await;
    assert_eq!(pending["total"], 1);
    assert!(
        pending["items"][0]["last_error"]
            .as_str()
            .unwrap()
            .contains("không kết nối được Cổng")
    );
    let (c, _) = app.browser("admin").await;
    let html = c
        .get(app.url("/ho-so/dong-bo"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("chưa được Cổng tiếp nhận"));
    let _ = std::fs::remove_dir_all(dir);
}

/// Moves a dossier's deadline in force (as if received earlier or later).
pub async fn set_due(app: &TestApp, id: i64, due: chrono::DateTime<chrono::Utc>) {
    store::on_db!(&app.db, |pool| {
        store::sqlx::query("update dossier set step_due_at = $1, due_at = $1 where id = $2")
            .bind(due)
            .bind(id)
            .execute(pool)
            .await
            .unwrap();
    });
}

#[tokio::test]
async fn a_late_finish_needs_the_reason_and_names_who_held_it() {
    let app = spawn_app().await;
    let desk = app.token("motcua.tinh").await;
    let sxd = app.agency_id("SXD").await;
    let p = procedure_of(&app, &desk, sxd).await;
    let (_, d) = post(&app, &desk, "/api/v1/dossiers", json!({"procedure": p["code"], "applicant_name": "Phan Văn Tú", "applicant_phone": "0900000002"})).await;
    let id = d["id"].as_i64().unwrap();
    // Its deadline passed (as if received weeks ago).
    let past = chrono::Utc::now() - chrono::Duration::days(3);
    store::on_db!(&app.db, |pool| {
        // At the signing step of its process (assigned, appraised, submitted).
        store::sqlx::query(
            "update dossier set step_due_at = $1, due_at = $1, status = 4, step_seq = 2 where id = $2",
        )
        .bind(past)
        .bind(id)
        .execute(pool)
        .await
        .unwrap();
    });
    let officer = app.token("chuyenvien.sxd").await;
    let head = app.token("lanhdao.sxd").await;
    let ev = format!("/api/v1/dossiers/{id}/events");
    let (_, listed) = app
        .get_json(
            &officer,
            &format!("/api/v1/dossiers?overdue=true&agency_id={sxd}&limit=500"),
        )
        .await;
    assert!(
        listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["id"] == json!(id) && x["overdue"] == true)
    );
    // The apology letter (Mẫu 04) comes at the latest one day before the due date (NĐ
    // 118/2025 Điều 19 khoản 6): on an overdue dossier it is refused.
    let apology = format!("/api/v1/dossiers/{id}/apology");
    let (s, v) = post(
        &app,
        &officer,
        &apology,
        json!({"reason": "Cần xác minh thực địa", "new_date": "18/12/2030"}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert!(
        message(&v).contains("chậm nhất 1 ngày trước ngày hết hạn"),
        "{v}"
    );
    // In time: a reason and a new working-day date after the old one.
    set_due(&app, id, chrono::Utc::now() + chrono::Duration::days(5)).await;
    let (s, v) = post(
        &app,
        &officer,
        &apology,
        json!({"reason": "", "new_date": "15/12/2030"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, v) = post(
        &app,
        &officer,
        &apology,
        json!({"reason": "Cần xác minh thực địa", "new_date": "18/12/2030"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(
        v["rescheduled_at"]
            .as_str()
            .unwrap()
            .starts_with("2030-12-18")
    );
    assert_ne!(v["appointment_at"], v["rescheduled_at"]);
    // Only once.
    let (s, v) = post(
        &app,
        &officer,
        &apology,
        json!({"reason": "Lần nữa", "new_date": "20/12/2030"}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert!(message(&v).contains("không quá 1 lần"), "{v}");
    // The dossier still runs late.
    set_due(&app, id, past).await;
    let (c, _) = app.browser("chuyenvien.sxd").await;
    let html = c
        .get(app.url(&format!("/ho-so/{id}/mau/xin-loi")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Cần xác minh thực địa") && html.contains("Phan Văn Tú"),
        "{html}"
    );
    let (s, v) = post(&app, &head, &ev, json!({"event": "finish_processing"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(
        message(&v).contains("quá hạn giải quyết: ghi rõ lý do chậm"),
        "{v}"
    );
    let (s, v) = post(
        &app,
        &head,
        &ev,
        json!({"event": "finish_processing", "reason": "Chờ ý kiến Sở Tài chính"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // The apology's reason was recorded first and stays the delay's reason.
    assert_eq!(v["delay_reason"], "Cần xác minh thực địa");
    let (_, detail) = app
        .get_json(&officer, &format!("/api/v1/dossiers/{id}"))
        .await;
    let last = detail["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["step_late"], true);
    // An apology on a finished dossier is refused.
    let (s, _) = post(
        &app,
        &officer,
        &format!("/api/v1/dossiers/{id}/apology"),
        json!({"reason": "x", "new_date": "01/01/2030"}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
}

#[tokio::test]
async fn indicators_come_from_the_dossiers_and_agree_on_page_and_api() {
    let app = spawn_app().await;
    let desk = app.token("motcua.tinh").await;
    let sxd = app.agency_id("SXD").await;
    let p = procedure_of(&app, &desk, sxd).await;
    let officer = app.token("chuyenvien.sxd").await;
    let head = app.token("lanhdao.sxd").await;
    for (i, online) in [(1, 1), (2, 2), (3, 2)] {
        let (s, d) = post(&app, &desk, "/api/v1/dossiers", json!({"procedure": p["code"], "applicant_name": format!("Người nộp {i}"), "channel": online})).await;
        assert_eq!(s, StatusCode::CREATED, "{d}");
        if i == 1 {
            let ev = format!("/api/v1/dossiers/{}/events", d["id"]);
            for (who, e) in [
                (&officer, "assign"),
                (&officer, "assign"),
                (&head, "finish_processing"),
                (&desk, "return_result"),
            ] {
                let (s, v) = post(&app, who, &ev, json!({"event": e, "e_result": true})).await;
                assert_eq!(s, StatusCode::OK, "{v}");
            }
        }
    }
    let month = (chrono::Utc::now() + chrono::Duration::hours(7))
        .format("%Y-%m")
        .to_string();
    let (s, v) = app
        .get_json(
            &officer,
            &format!("/api/v1/indicators?unit=SXD&period={month}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v["facts"]["dossiers_received"].as_u64().unwrap() >= 3);
    assert!(v["facts"]["online_dossiers"].as_u64().unwrap() >= 2);
    assert!(
        v["facts"]["finished_early"].as_u64().unwrap()
            + v["facts"]["finished_on_time"].as_u64().unwrap()
            >= 1
    );
    let total = v["total_766"].as_f64().unwrap();
    let groups: f64 = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["points"].as_f64().unwrap())
        .sum();
    assert!((total - groups).abs() < 0.011, "{total} vs {groups}");
    assert!(v["groups"].as_array().unwrap().len() == 5);
    // The page shows the same total.
    let (c, _) = app.browser("chuyenvien.sxd").await;
    let html = c
        .get(app.url(&format!("/chi-so?unit=SXD&period={month}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(&format!("{total:.2}").replace('.', ",")),
        "{total}"
    );
    // Outside the caller's subtree: 404; a bad period: 400 in Vietnamese.
    let stp = app.token("chuyenvien.stp").await;
    let (s, _) = app
        .get_json(&stp, &format!("/api/v1/indicators?unit=SXD&period={month}"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, v) = app
        .get_json(&officer, "/api/v1/indicators?unit=SXD&period=2023-13")
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(is_vietnamese(&message(&v)));
    // The province-wide view for provincial roles.
    let leader = app.token("lanhdao").await;
    let (s, v) = app
        .get_json(&leader, &format!("/api/v1/indicators?period={month}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["unit"], "TINH");
}

/// Two officers act on the same dossier from the same page: the second write finds the
/// status moved on and is refused as a conflict, writing nothing (no control-sheet row,
/// outbox row or audit entry), on both the one-batch SQLite path and the general path.
#[tokio::test]
async fn a_stale_transition_is_a_conflict_and_writes_nothing() {
    let app = spawn_app().await;
    let desk = app.token("motcua.tinh").await;
    let sxd = store::agency::get_by_code(&app.db, "SXD").await.unwrap();
    let p = procedure_of(&app, &desk, sxd.id).await;
    let (s, d) = post(
        &app,
        &desk,
        "/api/v1/dossiers",
        json!({"procedure": p["code"], "applicant_name": "Lê Thị Hoa", "applicant_phone": "0912000111"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let id = d["id"].as_i64().unwrap();
    let before = store::dossier::get(&app.db, id).await.unwrap();
    let actor = store::audit::Actor {
        user_id: None,
        username: Some("kiem-thu".into()),
        ip: None,
    };
    let ev = domain::dossier::DossierEvent::Assign {
        step: "Thẩm định".into(),
    };
    let fx = store::dossier::Effects::default();
    let rows = |sql: &'static str| app.count_by_id(sql, id);
    let counts = || async {
        (
            rows("select count(*) from dossier_event where dossier_id = $1").await,
            rows("select count(*) from dossier_outbox where dossier_id = $1").await,
            rows("select count(*) from audit_log where entity = 'dossier' and entity_id = cast($1 as text)").await,
        )
    };
    let now = chrono::Utc::now();
    let first = store::dossier::transition(&app.db, &before, &ev, &fx, now, &actor, None)
        .await
        .unwrap();
    assert_eq!(first.status, domain::dossier::DossierStatus::Processing);
    let after_first = counts().await;
    let second = store::dossier::transition(&app.db, &before, &ev, &fx, now, &actor, None).await;
    assert!(
        matches!(second, Err(store::StoreError::Stale(_))),
        "{second:?}"
    );
    assert_eq!(counts().await, after_first);
    let stored = store::dossier::get(&app.db, id).await.unwrap();
    assert_eq!(
        serde_json::to_value(&stored).unwrap(),
        serde_json::to_value(&first).unwrap()
    );
}

/// Many officers at once: concurrent transitions share transactions (group commit on
/// SQLite), yet each keeps its own optimistic check — of two moves made from the same
/// stale read, exactly one applies, and every applied move has its control-sheet row,
/// outbox row and audit entry.
#[tokio::test]
async fn concurrent_transitions_apply_once_each() {
    let app = spawn_app().await;
    let desk = app.token("motcua.tinh").await;
    let sxd = store::agency::get_by_code(&app.db, "SXD").await.unwrap();
    let p = procedure_of(&app, &desk, sxd.id).await;
    let mut dossiers = Vec::new();
    for i in 0..16 {
        let (s, d) = post(
            &app,
            &desk,
            "/api/v1/dossiers",
            json!({"procedure": p["code"], "applicant_name": format!("Người nộp {i}"), "applicant_phone": "0912000111"}),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{d}");
        dossiers.push(
            store::dossier::get(&app.db, d["id"].as_i64().unwrap())
                .await
                .unwrap(),
        );
    }
    let actor = store::audit::Actor {
        user_id: None,
        username: Some("kiem-thu".into()),
        ip: None,
    };
    let mut set = tokio::task::JoinSet::new();
    for d in dossiers.iter().chain(dossiers.iter()) {
        let (db, d, actor) = (app.db.clone(), d.clone(), actor.clone());
        set.spawn(async move {
            let ev = domain::dossier::DossierEvent::Assign {
                step: "Thẩm định".into(),
            };
            let fx = store::dossier::Effects {
                note: format!("phân công {}", d.code),
                ..Default::default()
            };
            store::dossier::transition(&db, &d, &ev, &fx, chrono::Utc::now(), &actor, None)
                .await
                .map(|x| x.id)
        });
    }
    let (mut ok, mut conflicts) = (Vec::new(), 0);
    while let Some(r) = set.join_next().await {
        match r.unwrap() {
            Ok(id) => ok.push(id),
            Err(store::StoreError::Stale(_)) => conflicts += 1,
            Err(e) => panic!("{e}"),
        }
    }
    ok.sort();
    let mut want: Vec<i64> = dossiers.iter().map(|d| d.id).collect();
    want.sort();
    assert_eq!(ok, want, "each dossier moved exactly once");
    assert_eq!(conflicts, 16);
    for d in &dossiers {
        let stored = store::dossier::get(&app.db, d.id).await.unwrap();
        assert_eq!(stored.status, domain::dossier::DossierStatus::Processing);
        let events = store::dossier::events(&app.db, d.id).await.unwrap();
        assert_eq!(
            events.iter().filter(|e| e.kind == "assign").count(),
            1,
            "{}",
            d.code
        );
        assert!(
            events
                .iter()
                .any(|e| e.note == format!("phân công {}", d.code)),
            "the event is the dossier's own"
        );
    }
}
