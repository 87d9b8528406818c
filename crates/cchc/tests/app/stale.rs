//! Lost races and taken values through HTTP: an action made from a stale view is a 409
//! that says what happened and to reload, and changes nothing; a taken unique value is a
//! 409 on the field the user must change (issue 18).

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

async fn count(app: &TestApp, sql: &'static str, id: i64) -> i64 {
    app.count_by_id(sql, id).await
}

/// Two clerks have the same dossier open (status 2); the first assigns it, the second
/// then sends "request supplement" from the page they loaded before: refused as stale,
/// nothing recorded.
#[tokio::test]
async fn two_clerks_act_on_one_dossier() {
    let app = spawn_app().await;
    let desk = app.token("motcua.tinh").await;
    let sxd = app.agency_id("SXD").await;
    let (s, p) = app
        .get_json(
            &desk,
            &format!("/api/v1/procedures?agency_id={sxd}&limit=1"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    let code = p["items"][0]["code"].clone();
    let (s, d) = app
        .send_json(
            &desk,
            Method::POST,
            "/api/v1/dossiers",
            &json!({"procedure": code, "applicant_name": "Trần Văn Bình", "applicant_phone": "0912000222"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let id = d["id"].as_i64().unwrap();
    let seen = d["status"].as_i64().unwrap();
    assert_eq!(seen, 2);
    let ev = format!("/api/v1/dossiers/{id}/events");
    // The two clerks of the desk (two sessions of the one-stop desk).
    let a = app.token("motcua.tinh").await;
    let b = app.token("motcua.tinh").await;
    let (s, v) = app
        .send_json(
            &a,
            Method::POST,
            &ev,
            &json!({"event": "request_supplement", "reason": "Thiếu bản vẽ mặt bằng", "expected_status": seen}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], 5);
    let events = count(
        &app,
        "select count(*) from dossier_event where dossier_id = $1",
        id,
    )
    .await;
    let (s, v) = app
        .send_json(
            &b,
            Method::POST,
            &ev,
            &json!({"event": "withdraw", "reason": "Công dân xin rút", "expected_status": seen}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    let m = message(&v);
    assert!(
        m.contains("Hồ sơ vừa được người khác cập nhật") && m.contains("tải lại trang"),
        "{m}"
    );
    assert!(is_vietnamese(&m));
    assert_eq!(
        count(
            &app,
            "select count(*) from dossier_event where dossier_id = $1",
            id
        )
        .await,
        events,
        "nothing recorded"
    );
    let (_, now) = app.get_json(&a, &format!("/api/v1/dossiers/{id}")).await;
    let now = now.get("dossier").unwrap_or(&now).clone();
    assert_eq!(now["status"], 5);
    // From the fresh view the desk records the supplement.
    let (s, v) = app
        .send_json(
            &b,
            Method::POST,
            &ev,
            &json!({"event": "supplement_provided", "expected_status": 5}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

#[tokio::test]
async fn two_officers_report_on_one_task() {
    let app = spawn_app().await;
    let snv = app.token("sonoivu").await;
    let stp = app.agency_id("STP").await;
    let sxd = app.agency_id("SXD").await;
    let (s, d) = app
        .send_json(&snv, Method::POST, "/api/v1/directives", &json!({"number": "98/KH-UBND", "type": "Kế hoạch", "issuer": "Ủy ban nhân dân tỉnh Nghệ An", "date": "01/03/2030", "subject": "Thử nghiệm cập nhật đồng thời"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let (s, t) = app
        .send_json(&snv, Method::POST, "/api/v1/tasks", &json!({"directive_id": d["id"], "content": "Rà soát quy trình nội bộ", "lead_agency_id": stp, "support_agency_ids": [sxd], "deadline": "2030-03-30"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    let id = t["id"].as_i64().unwrap();
    let seen: Value = t["updated_at"].clone();
    assert!(seen.is_string(), "{t}");
    let lead = app.token("chuyenvien.stp").await;
    let support = app.token("chuyenvien.sxd").await;
    let path = format!("/api/v1/tasks/{id}/reports");
    let (s, v) = app
        .send_json(&lead, Method::POST, &path, &json!({"percent": 40, "note": "Đã rà soát 4/10 quy trình.", "expected_updated_at": seen}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let reports = count(
        &app,
        "select count(*) from task_report where task_id = $1",
        id,
    )
    .await;
    let (s, v) = app
        .send_json(
            &support,
            Method::POST,
            &path,
            &json!({"percent": 20, "note": "Phối hợp rà soát.", "expected_updated_at": seen}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    let m = message(&v);
    assert!(
        m.contains("Nhiệm vụ vừa được người khác cập nhật") && m.contains("tải lại trang"),
        "{m}"
    );
    assert_eq!(
        count(
            &app,
            "select count(*) from task_report where task_id = $1",
            id
        )
        .await,
        reports
    );
    let (_, now) = app.get_json(&lead, &format!("/api/v1/tasks/{id}")).await;
    let now = now.get("task").unwrap_or(&now).clone();
    assert_eq!(now["percent"], 40, "the lead's report stands");
}

/// A taken agency code or username: 409 with the sentence on the field to change, and
/// nothing created.
#[tokio::test]
async fn a_taken_code_or_username_is_reported_on_its_field() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let root = app.agency_id("UBND-TINH").await;
    let (s, v) = app
        .send_json(&admin, Method::POST, "/api/v1/agencies", &json!({"code": "STP", "name": "Sở Tư pháp (trùng)", "kind": "so_nganh", "parent_id": root, "valid_from": "2024-01-01"}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert_eq!(message(&v), "Mã cơ quan này đã được dùng.");
    assert_eq!(v["error"]["fields"][0]["field"], "code", "{v}");
    let sxd = app.agency_id("SXD").await;
    let (s, v) = app
        .send_json(&admin, Method::POST, "/api/v1/users", &json!({"username": "chuyenvien.sxd", "full_name": "Người Trùng Tên", "agency_id": sxd, "roles": ["chuyen_vien"]}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert_eq!(message(&v), "Tên đăng nhập này đã được dùng.");
    assert_eq!(v["error"]["fields"][0]["field"], "username", "{v}");
}
