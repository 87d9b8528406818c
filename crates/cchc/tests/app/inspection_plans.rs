//! The yearly inspection plan carried out row by row, inspections led by a unit's head
//! for the units below it, and the figures that follow the findings: the statistics per
//! unit (page and Excel), the reports' inspection counts and the PAR INDEX criteria
//! "tỷ lệ đơn vị được kiểm tra theo kế hoạch" and "xử lý các vấn đề phát hiện qua kiểm tra".

use chrono::Datelike;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    app.send_json(token, Method::POST, path, &body).await
}

#[tokio::test]
async fn a_yearly_plan_carried_out_row_by_row() {
    let app = spawn_app().await;
    let snv = app.token("sonoivu").await;
    let stp = app.token("lanhdao.stp").await;
    let ward = app.token("lanhdao.truongvinh").await;
    let plans = "/api/v1/inspection-plans";

    // Bad input: Vietnamese messages naming the fields, nothing created.
    let (_, before) = app.get_json(&snv, plans).await;
    let (s, v) = post(
        &app,
        &snv,
        plans,
        json!({"year": 2025, "decision_number": "", "decision_date": "", "items": []}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let m = message(&v);
    assert!(
        m.contains("Số quyết định") && m.contains("ít nhất một đơn vị"),
        "{m}"
    );
    let (s, v) = post(
        &app,
        &snv,
        plans,
        json!({"year": 2025, "decision_number": "15/QĐ-SNV", "decision_date": "10/01/2025",
        "items": [{"target": "KHONGCO", "month": 5}, {"target": "STP", "month": 13}]}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let m = message(&v);
    assert!(m.contains("KHONGCO") && m.contains("Tháng"), "{m}");
    let (s, v) = post(
        &app,
        &stp,
        plans,
        json!({"year": 2025, "decision_number": "1/KH-STP", "decision_date": "10/01/2025",
        "items": [{"target": "SXD", "month": 5}]}),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a department does not plan for another: {v}"
    );
    let (_, l) = app.get_json(&snv, plans).await;
    assert_eq!(l, before, "nothing created");

    // The province's plan.
    let (s, p) = post(&app, &snv, plans, json!({"year": 2025, "decision_number": "15/QĐ-SNV", "decision_date": "10/01/2025",
        "items": [{"target": "STP", "month": 5, "subjects": "Kiểm soát thủ tục hành chính; một cửa"}, {"target": "SXD", "month": 9}]})).await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    assert_eq!(p["items_total"], 2);
    assert_eq!(p["items_started"], 0);
    assert_eq!(
        p["title"],
        "Kế hoạch kiểm tra công tác cải cách hành chính năm 2025"
    );
    assert_eq!(p["items"][0]["status"], "du_kien");
    let plan_id = p["id"].as_i64().unwrap();
    let item = p["items"][0]["id"].as_i64().unwrap();
    let (s, v) = post(
        &app,
        &snv,
        plans,
        json!({"year": 2025, "decision_number": "15/QĐ-SNV", "decision_date": "12/01/2025",
        "items": [{"target": "STP", "month": 5}]}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(message(&v).contains("đã có một kế hoạch"), "{v}");

    // The units named read the plan; they do not carry it out.
    let (s, v) = app.get_json(&stp, &format!("{plans}/{plan_id}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let start = format!("{plans}/items/{item}/start");
    let team = json!({"decision_number": "120/QĐ-SNV", "decision_date": "05/05/2025", "start_on": "12/05/2025", "end_on": "14/05/2025",
        "members": [{"name": "Trần Văn An, Phó Giám đốc Sở Nội vụ", "role": "truong_doan"}, {"name": "chuyenvien.sxd", "role": "thanh_vien"}]});
    let (s, _) = post(&app, &stp, &start, team.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // A login name that does not exist is named; nothing is recorded.
    let mut bad = team.clone();
    bad["members"][1]["name"] = json!("khong.co");
    let (s, v) = post(&app, &snv, &start, bad).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(message(&v).contains("khong.co"), "{v}");

    // Carrying out row 1: a planned inspection with its own decision and the team; the
    // member named by login works on the file.
    let (s, d) = post(&app, &snv, &start, team.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    assert_eq!(d["kind"], "ke_hoach");
    assert_eq!(d["planned_month"], 5);
    assert_eq!(d["subjects"], "Kiểm soát thủ tục hành chính; một cửa");
    assert_eq!(
        d["members"][1]["user_id"],
        app.user_id("chuyenvien.sxd").await
    );
    let id = d["id"].as_i64().unwrap();
    let (s, _) = app
        .get_json(
            &app.token("chuyenvien.sxd").await,
            &format!("/api/v1/inspections/{id}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = post(&app, &snv, &start, team).await;
    assert_eq!(s, StatusCode::CONFLICT, "a row is carried out once: {v}");
    let (_, p) = app.get_json(&snv, &format!("{plans}/{plan_id}")).await;
    assert_eq!(p["items_started"], 1);
    assert_eq!(p["items"][0]["inspection_id"], id);
    assert_eq!(p["items"][0]["status"], "dang_kiem_tra");
    // The unit learns that it has begun, not the working file.
    let (_, p) = app.get_json(&stp, &format!("{plans}/{plan_id}")).await;
    assert_eq!(p["items"][0]["status"], "da_trien_khai");
    assert!(p["items"][0]["inspection_id"].is_null());

    // A ward's head plans and leads inspections of its own service centre.
    let (s, v) = post(
        &app,
        &ward,
        plans,
        json!({"year": 2025, "decision_number": "3/KH-UBND", "decision_date": "15/01/2025",
        "items": [{"target": "STP", "month": 3}]}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, p) = post(
        &app,
        &ward,
        plans,
        json!({"year": 2025, "decision_number": "3/KH-UBND", "decision_date": "15/01/2025",
        "items": [{"target": "TTPV-TRUONGVINH", "month": 3}]}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let ward_item = p["items"][0]["id"].as_i64().unwrap();
    let (s, d) = post(
        &app,
        &ward,
        &format!("{plans}/items/{ward_item}/start"),
        json!({"decision_number": "9/QĐ-UBND", "decision_date": "02/03/2025"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let ward_id = d["id"].as_i64().unwrap();
    assert_eq!(d["lead_agency_name"], "Ủy ban nhân dân phường Trường Vinh");
    let (_, l) = app.get_json(&ward, "/api/v1/inspections").await;
    assert_eq!(l["total"], 1, "its own file, not the province's: {l}");
    let (s, _) = app
        .get_json(&stp, &format!("/api/v1/inspections/{ward_id}"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app
        .get_json(&snv, &format!("/api/v1/inspections/{ward_id}"))
        .await;
    assert_eq!(s, StatusCode::OK);

    // The PAR INDEX criterion "tỷ lệ đơn vị được kiểm tra theo kế hoạch" of each body
    // that issued a plan: the Sở Nội vụ carried out 1 row of 2, the ward 1 of 1.
    let (s, r) = post(&app, &snv, "/api/v1/par/rounds", json!({"year": 2025})).await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let round = r["id"].as_i64().unwrap();
    // (The demo's own 2025 plan counts too.)
    let (_, all) = app.get_json(&snv, &format!("{plans}?year=2025")).await;
    let (done, due) = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["lead_agency_name"] == "Sở Nội vụ")
        .fold((0, 0), |(d, t), p| {
            (
                d + p["items_started"].as_i64().unwrap(),
                t + p["items_total"].as_i64().unwrap(),
            )
        });
    let snv_pct = (done as f64 * 10000.0 / due as f64).round() / 100.0;
    for (unit, pct) in [("SNV", snv_pct), ("XM-TRUONGVINH", 100.0)] {
        let (s, card) = app
            .get_json(&snv, &format!("/api/v1/par/rounds/{round}/units/{unit}"))
            .await;
        assert_eq!(s, StatusCode::OK, "{unit}: {card}");
        let c = card["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == "1.3.2")
            .cloned()
            .unwrap();
        assert_eq!(c["metric"], "inspection_plan_done", "{c}");
        assert_eq!(c["computed_value"], pct, "{unit}: {c}");
    }

    // The team's brief before going, and the draft notice; not for the unit yet.
    let brief = format!("/kiem-tra/{id}/ho-so-chuan-bi");
    for (user, status) in [
        ("sonoivu", StatusCode::OK),
        ("chuyenvien.sxd", StatusCode::OK),
        ("lanhdao.stp", StatusCode::NOT_FOUND),
    ] {
        let (c, _) = app.browser(user).await;
        let res = c.get(app.url(&brief)).send().await.unwrap();
        assert_eq!(res.status(), status, "{user}");
        if status == StatusCode::OK {
            let html = res.text().await.unwrap();
            assert!(
                html.contains("Hồ sơ chuẩn bị kiểm tra tại Sở Tư pháp")
                    && html.contains("Chỉ số CCHC")
                    && html.contains("Hồ sơ thủ tục hành chính quá hạn"),
                "{user}"
            );
        }
    }
    let (c, _) = app.browser("sonoivu").await;
    let html = c
        .get(app.url(&format!("/kiem-tra/{id}/ket-luan")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("THÔNG BÁO") && html.contains("Dự thảo"),
        "draft notice"
    );

    // The pages: the plans of the year, the plan with its rows.
    let (c, _) = app.browser("sonoivu").await;
    let html = c
        .get(app.url("/kiem-tra/ke-hoach?nam=2025"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("15/QĐ-SNV") && html.contains("1/2"),
        "plans page"
    );
    let html = c
        .get(app.url(&format!("/kiem-tra/ke-hoach/{plan_id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Sở Xây dựng") && html.contains("Triển khai cuộc kiểm tra"),
        "plan page"
    );
}

#[tokio::test]
async fn the_figures_follow_the_findings() {
    let app = spawn_app().await;
    let snv = app.token("sonoivu").await;
    let stp = app.token("lanhdao.stp").await;
    let year = chrono::Utc::now().year();
    let end = format!("31/12/{year}");
    let today = chrono::Utc::now()
        .date_naive()
        .format("%d/%m/%Y")
        .to_string();

    let (s, d) = post(
        &app,
        &snv,
        "/api/v1/inspections",
        json!({"kind": "dot_xuat", "decision_number": "301/QĐ-SNV",
        "decision_date": format!("02/01/{year}"), "target": "STP"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let id = d["id"].as_i64().unwrap();
    let f = format!("/api/v1/inspections/{id}/findings");
    for (kind, remediation) in [("mot_cua", true), ("khac", false)] {
        let (s, v) = post(
            &app,
            &snv,
            &f,
            json!({"kind": kind, "content": "Nội dung", "remediation": remediation,
            "deadline": if remediation { Some(end.clone()) } else { None }}),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    let (s, d) = post(
        &app,
        &snv,
        &format!("/api/v1/inspections/{id}/conclusion"),
        json!({"number": "301/TB-SNV", "date": today}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    let task = d["findings"][0]["task_id"].as_i64().unwrap();

    // The statistics: one inspection of STP, two findings, one being remediated.
    let (c, _) = app.browser("sonoivu").await;
    let html = c
        .get(app.url(&format!("/kiem-tra/thong-ke?nam={year}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Sở Tư pháp"), "stats page");
    let (st, s) = app
        .get_json(&snv, &format!("/api/v1/inspections/stats?year={year}"))
        .await;
    assert_eq!(st, StatusCode::OK, "{s}");
    let rows = s["rows"].as_array().unwrap();
    let row = &rows
        .iter()
        .find(|r| r["unit_code"] == "STP")
        .expect("STP row")["tally"];
    assert_eq!(
        (
            &row["inspections"],
            &row["findings"],
            &row["remediation_required"]
        ),
        (&json!(1), &json!(2), &json!(1)),
        "{row}"
    );
    assert_eq!(
        (&row["in_progress"], &row["on_time_percent"]),
        (&json!(1), &json!(0.0)),
        "{row}"
    );
    let sum: i64 = rows
        .iter()
        .map(|r| r["tally"]["findings"].as_i64().unwrap())
        .sum();
    assert_eq!(s["total"]["findings"], sum, "{s}");
    let res = c
        .get(app.url(&format!("/kiem-tra/thong-ke.xlsx?nam={year}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.bytes().await.unwrap().starts_with(b"PK"),
        "an xlsx file"
    );
    // A unit sees only what concerns it; nothing before a conclusion.
    let (_, s) = app
        .get_json(
            &app.token("lanhdao.sxd").await,
            &format!("/api/v1/inspections/stats?year={year}"),
        )
        .await;
    assert_eq!(s["rows"].as_array().unwrap().len(), 0, "{s}");

    // The reports' counts: led by the Sở Nội vụ, held at the STP.
    let path = |code: &str| {
        let db = app.db.clone();
        let code = code.to_string();
        async move { store::agency::get_by_code(&db, &code).await.unwrap().path }
    };
    let (from, to) = (
        chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap(),
        chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap(),
    );
    let snv_path = path("SNV").await;
    let stp_path = path("STP").await;
    let (snv_led, snv_held) = store::inspection::counts(&app.db, Some(&snv_path), from, to)
        .await
        .unwrap();
    let (stp_led, stp_held) = store::inspection::counts(&app.db, Some(&stp_path), from, to)
        .await
        .unwrap();
    let (all_led, all_held) = store::inspection::counts(&app.db, None, from, to)
        .await
        .unwrap();
    assert!(snv_led >= 1 && snv_held == 0 && stp_led == 0 && stp_held >= 1);
    assert_eq!(
        all_led, all_held,
        "every inspection has a lead and a target"
    );

    // The PAR INDEX criterion follows the remediation: no figure while the finding is
    // neither due nor done, 100% once the unit's report is verified before the deadline.
    let (s, r) = post(&app, &snv, "/api/v1/par/rounds", json!({"year": year})).await;
    assert!(
        s == StatusCode::CREATED || s == StatusCode::CONFLICT,
        "{s} {r}"
    );
    let (_, rounds) = app.get_json(&snv, "/api/v1/par/rounds").await;
    let round = rounds["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["year"] == year)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let criterion = |card: &Value, code: &str| -> Value {
        card["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == code)
            .cloned()
            .unwrap_or(Value::Null)
    };
    let (_, card) = app
        .get_json(&snv, &format!("/api/v1/par/rounds/{round}/units/STP"))
        .await;
    let c = criterion(&card, "1.3.3");
    assert_eq!(c["source"], "computed", "{c}");
    assert!(c["computed_value"].is_null(), "{c}");
    let (s, v) = post(
        &app,
        &stp,
        &format!("/api/v1/tasks/{task}/submit"),
        json!({"note": "Đã khắc phục"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = post(
        &app,
        &snv,
        &format!("/api/v1/tasks/{task}/verify"),
        json!({"accept": true}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, card) = app
        .get_json(&snv, &format!("/api/v1/par/rounds/{round}/units/STP"))
        .await;
    let c = criterion(&card, "1.3.3");
    assert_eq!(c["computed_value"], 100.0, "{c}");
    assert_eq!(c["computed_score"], 0.5, "{c}");
}
