//! Kiểm tra công tác CCHC: an inspection with its team and findings; the unit sees it only
//! once the conclusion is issued; the conclusion creates a remediation task per finding
//! (the notice as its source document); the inspection closes only when every task is
//! verified. Bad input is a Vietnamese 4xx that changes nothing.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    app.send_json(token, Method::POST, path, &body).await
}

#[tokio::test]
async fn an_inspection_from_decision_to_verified_remediation() {
    let app = spawn_app().await;
    let snv = app.token("sonoivu").await;
    let unit = app.token("lanhdao.stp").await;
    let other = app.token("lanhdao.sxd").await;
    let member = app.user_id("chuyenvien.sxd").await;
    // Remediation deadlines ahead of today, so that done today is on time.
    let day = |n: i64| chrono::Utc::now().date_naive() + chrono::Duration::days(n);
    let (soon, later) = (day(40), day(70));
    let vn = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();

    // Bad input: Vietnamese messages naming the fields, nothing created.
    let (s, v) = post(&app, &snv, "/api/v1/inspections", json!({"kind": "x", "decision_number": "", "decision_date": "31/02/2026", "target": "KHONGCO"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let m = message(&v);
    assert!(
        m.contains("Loại kiểm tra") && m.contains("Số quyết định") && m.contains("KHONGCO"),
        "{m}"
    );
    // An officer cannot open an inspection; a unit's head only of the units below it.
    let officer = app.token("chuyenvien.stp").await;
    let (s, _) = post(&app, &officer, "/api/v1/inspections", json!({"kind": "dot_xuat", "decision_number": "1/QĐ", "decision_date": "01/10/2026", "target": "STP"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = post(&app, &unit, "/api/v1/inspections", json!({"kind": "dot_xuat", "decision_number": "1/QĐ", "decision_date": "01/10/2026", "target": "STP"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(message(&v).contains("trực thuộc"), "{v}");

    let (s, d) = post(
        &app,
        &snv,
        "/api/v1/inspections",
        json!({"kind": "dot_xuat", "decision_number": "215/QĐ-SNV", "decision_date": "05/10/2026", "target": "STP",
               "subjects": "Kỷ luật, kỷ cương hành chính; giải quyết hồ sơ trễ hạn",
               "start_on": "12/10/2026", "end_on": "14/10/2026",
               "members": [{"name": "Hoàng Thị Thu Hà", "role": "truong_doan"}, {"user_id": member, "role": "thanh_vien"}]}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let id = d["id"].as_i64().unwrap();
    assert_eq!(d["status"], "dang_kiem_tra");
    assert_eq!(d["members"].as_array().unwrap().len(), 2);
    assert_eq!(d["members"][1]["name"], "Bùi Thị Lan");
    let path = format!("/api/v1/inspections/{id}");

    // Before the conclusion the unit does not see it; the team member does.
    let (s, _) = app.get_json(&unit, &path).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, l) = app.get_json(&unit, "/api/v1/inspections?year=2026").await;
    assert_eq!(l["total"], 0, "{l}");
    let (s, _) = app
        .get_json(&app.token("chuyenvien.sxd").await, &path)
        .await;
    assert_eq!(s, StatusCode::OK);

    // Findings: a remediation needs its deadline; the responsible unit is inside the
    // inspected one.
    let f = format!("{path}/findings");
    let (s, v) = post(&app, &snv, &f, json!({"kind": "mot_cua", "content": "12 hồ sơ trễ hạn chưa có phiếu xin lỗi", "remediation": true})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(message(&v).contains("hạn khắc phục"));
    let (s, v) = post(
        &app,
        &snv,
        &f,
        json!({"kind": "mot_cua", "content": "x", "responsible": "SXD", "remediation": false}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, _) = post(&app, &snv, &f, json!({"kind": "mot_cua", "content": "12 hồ sơ trễ hạn chưa có phiếu xin lỗi", "responsible_person": "Vũ Đình Khoa", "remediation": true, "deadline": vn(soon)})).await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, _) = post(&app, &snv, &f, json!({"kind": "che_do_bao_cao", "content": "Báo cáo quý III gửi chậm 5 ngày", "remediation": true, "deadline": vn(later)})).await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, d) = post(&app, &snv, &f, json!({"kind": "khac", "content": "Niêm yết thủ tục đầy đủ, đúng quy định", "remediation": false})).await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    assert_eq!(d["findings"].as_array().unwrap().len(), 3);
    assert_eq!(d["findings"][2]["seq"], 3);

    // A finding recorded on the page by a team member, with its evidence file.
    let (c, csrf) = app.browser("chuyenvien.sxd").await;
    let form = reqwest::multipart::Form::new()
        .text("action", "finding")
        .text("kind", "mot_cua")
        .text("content", "Sổ theo dõi hồ sơ ghi thiếu ngày trả kết quả")
        .part(
            "files",
            reqwest::multipart::Part::bytes(b"%PDF-1.4 bien ban".to_vec())
                .file_name("bien-ban-kiem-tra.pdf")
                .mime_str("application/pdf")
                .unwrap(),
        );
    let res = c
        .post(app.url(&format!("/kiem-tra/{id}/thao-tac?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, d) = app.get_json(&snv, &path).await;
    let file = &d["findings"][3]["files"][0];
    assert_eq!(file["name"], "bien-ban-kiem-tra.pdf", "{d}");
    let url = file["url"].as_str().unwrap().to_string();
    let res = client()
        .get(app.url(&url))
        .bearer_auth(&snv)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // The unit cannot fetch the evidence before the conclusion (nor anyone outside).
    let res = client()
        .get(app.url(&url))
        .bearer_auth(&unit)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = client()
        .get(app.url(&url))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // The conclusion: one task per finding to remediate, led by the unit, the notice as
    // its directive; the unit now sees the inspection.
    // (The unit does not even see the file yet: 404, not 403.)
    let (s, v) = post(
        &app,
        &unit,
        &format!("{path}/conclusion"),
        json!({"number": "45/TB-SNV", "date": "20/10/2026"}),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    let (s, v) = post(
        &app,
        &app.token("chuyenvien.sxd").await,
        &format!("{path}/conclusion"),
        json!({"number": "45/TB-SNV", "date": "20/10/2026"}),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "a team member does not issue it: {v}"
    );
    let (s, d) = post(&app, &snv, &format!("{path}/conclusion"), json!({"number": "45/TB-SNV", "date": "20/10/2026", "text": "Đơn vị cơ bản thực hiện tốt; còn tồn tại cần khắc phục."})).await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["status"], "da_ket_luan");
    let tasks: Vec<i64> = d["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|x| x["task_id"].as_i64())
        .collect();
    assert_eq!(tasks.len(), 2);
    assert!(d["findings"][2]["task_id"].is_null());
    let (s, t) = app
        .get_json(&unit, &format!("/api/v1/tasks/{}", tasks[0]))
        .await;
    assert_eq!(s, StatusCode::OK, "{t}");
    assert_eq!(t["task"]["deadline"], soon.format("%Y-%m-%d").to_string());
    assert_eq!(t["task"]["directive_id"], d["directive_id"]);
    assert!(
        t["task"]["content"]
            .as_str()
            .unwrap()
            .contains("12 hồ sơ trễ hạn")
    );
    let (s, _) = app.get_json(&unit, &path).await;
    assert_eq!(s, StatusCode::OK);
    // The issued notice as a paper, for the unit too.
    let (c, _) = app.browser("lanhdao.stp").await;
    let res = c
        .get(app.url(&format!("/kiem-tra/{id}/ket-luan?format=pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.bytes().await.unwrap().starts_with(b"%PDF"));
    let html = c
        .get(app.url(&format!("/kiem-tra/{id}/ket-luan")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("45/TB-SNV")
            && html.contains("Hoàng Thị Thu Hà")
            && !html.contains("Dự thảo"),
        "issued notice"
    );
    let (s, _) = app.get_json(&other, &path).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "another unit");
    // No more findings after the conclusion.
    let (s, _) = post(
        &app,
        &snv,
        &f,
        json!({"kind": "khac", "content": "Thêm", "remediation": false}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);

    // Closing waits for every remediation to be verified.
    let (s, v) = post(&app, &snv, &format!("{path}/close"), json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert!(message(&v).contains("1, 2"), "{v}");
    for t in &tasks {
        let (s, v) = post(
            &app,
            &unit,
            &format!("/api/v1/tasks/{t}/submit"),
            json!({"note": "Đã khắc phục, gửi minh chứng"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (s, v) = post(
            &app,
            &snv,
            &format!("/api/v1/tasks/{t}/verify"),
            json!({"accept": true}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
    }
    let (_, d) = app.get_json(&snv, &path).await;
    assert_eq!(d["remediated_on_time_percent"], 100.0, "{d}");
    assert_eq!(
        d["findings"][0]["remediation_status"],
        "Đã khắc phục đúng hạn"
    );
    let (s, d) = post(&app, &snv, &format!("{path}/close"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["status"], "da_dong");
    let (_, l) = app.get_json(&unit, "/api/v1/inspections?year=2026").await;
    assert_eq!(l["total"], 1, "{l}");

    // Audited.
    let admin = app.token("admin").await;
    let (_, audit) = app
        .get_json(
            &admin,
            &format!("/api/v1/audit?entity=inspection&entity_id={id}&limit=50"),
        )
        .await;
    assert_eq!(audit["total"], 7, "{audit}");
}
