//! Báo cáo định kỳ (issue 7): templates as data, the lifecycle draft → submitted →
//! accepted / returned with the due task, validation, scope, the province's sums, and the
//! period freeze with late data shown as corrections and byte-identical files.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

const MONTHLY: &str = "TTHC-THANG";

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    app.send_json(token, Method::POST, path, &body).await
}

async fn put(app: &TestApp, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    app.send_json(token, Method::PUT, path, &body).await
}

/// Opens a period for every obliged unit (as VP UBND – KSTT); returns how many units.
async fn open_period(app: &TestApp, period: &str) -> u64 {
    let vp = app.token("vanphong").await;
    let (s, v) = post(
        app,
        &vp,
        "/api/v1/reports/periods/open",
        json!({"template": MONTHLY, "period": period}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["created"], v["obliged"], "a fresh period: {v}");
    v["obliged"].as_u64().unwrap()
}

/// The id of a unit's report of the period.
async fn report_id(app: &TestApp, token: &str, period: &str, unit: &str) -> i64 {
    let (s, v) = app
        .get_json(
            token,
            &format!("/api/v1/reports?template={MONTHLY}&period={period}&unit={unit}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["total"], 1, "{v}");
    v["items"][0]["id"].as_i64().unwrap()
}

fn field<'a>(d: &'a Value, key: &str) -> &'a Value {
    d["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == key)
        .unwrap_or_else(|| panic!("field {key}"))
}

fn typed_ok() -> Value {
    json!({"values": {"tthc_ban_hanh_moi": 2, "tthc_sua_doi": "1", "tthc_bai_bo": 0,
                      "pakn_tiep_nhan": "1.234", "kho_khan": "Thiếu máy quét tại bộ phận một cửa"}})
}

#[tokio::test]
async fn a_report_goes_from_draft_to_accepted_and_its_due_task_follows() {
    let app = spawn_app().await;
    let head = app.token("lanhdao.sxd").await;
    let officer = app.token("chuyenvien.sxd").await;
    let vp = app.token("vanphong").await;
    // The demo's history sends most monthly reports of the 6486 task (70% on time, 15%
    // late): take the first month of 2024 whose report from SXD is still to be sent.
    let mut chosen = None;
    for m in 1..=12u32 {
        let period = format!("2024-{m:02}");
        let obliged = open_period(&app, &period).await;
        assert!(obliged >= 40, "departments and districts: {obliged}");
        let id = report_id(&app, &head, &period, "SXD").await;
        let (_, d) = app.get_json(&head, &format!("/api/v1/reports/{id}")).await;
        let task_id = d["task_id"].as_i64().expect("due task");
        let (_, t) = app
            .get_json(&head, &format!("/api/v1/tasks/{task_id}"))
            .await;
        if t["task"]["submitted_on"].is_null() {
            chosen = Some((period, m, id));
            break;
        }
    }
    let (period, month, id) = chosen.expect("a month of 2024 whose SXD report is unsent");
    let period = period.as_str();
    let previous = if month == 1 {
        "2023-12".to_string()
    } else {
        format!("2024-{:02}", month - 1)
    };
    let path = format!("/api/v1/reports/{id}");

    // A draft: the window 15th of the month before → 14th, due the 18th (or the working
    // day before), its task in the unit's list.
    let (s, d) = app.get_json(&head, &path).await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["status"], "draft");
    assert_eq!(d["status_label"], "Đang soạn");
    assert_eq!(d["from"], format!("{previous}-15"));
    assert_eq!(d["to"], format!("{period}-14"));
    let due = d["due_on"].as_str().unwrap().to_string();
    assert!(
        due.as_str() <= format!("{period}-18").as_str()
            && due.as_str() >= format!("{period}-15").as_str(),
        "{due}"
    );
    let task_id = d["task_id"].as_i64().expect("due task");
    let (s, t) = app
        .get_json(&head, &format!("/api/v1/tasks/{task_id}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{t}");
    assert_eq!(t["task"]["deadline"], due.as_str());
    assert_eq!(t["task"]["lead_agency_id"], app.agency_id("SXD").await);
    assert_eq!(t["task"]["directive_number"], "6486/UBND-KSTT");
    let (_, mine) = app
        .get_json(&head, "/api/v1/tasks?limit=500&q=bao cao ket qua")
        .await;
    let listed = |v: &Value| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["id"] == task_id)
    };
    let (_, all) = app.get_json(&head, "/api/v1/tasks?limit=500").await;
    assert!(
        listed(&mine) || listed(&all),
        "the due task is in the unit's list"
    );

    // Computed fields are the indicators' and the overdue list's numbers, live.
    let q = format!("unit=SXD&period={period}&period_mode=window");
    let (_, ind) = app
        .get_json(&head, &format!("/api/v1/indicators?{q}"))
        .await;
    let (_, od) = app.get_json(&head, &format!("/api/v1/overdue?{q}")).await;
    assert_eq!(
        field(&d, "ho_so_tiep_nhan")["value"],
        ind["facts"]["dossiers_received"]
    );
    assert_eq!(
        field(&d, "ho_so_truc_tuyen")["value"],
        ind["facts"]["online_dossiers"]
    );
    assert_eq!(
        field(&d, "tthc_thuoc_tham_quyen")["value"],
        ind["facts"]["procedures_total"]
    );
    let kpi = |code: &str| {
        ind["kpis"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["code"] == code)
            .unwrap()["percent"]
            .clone()
    };
    assert_eq!(field(&d, "ho_so_dung_han")["value"], kpi("dossier_on_time"));
    assert_eq!(field(&d, "ho_so_so_hoa")["value"], kpi("digitisation"));
    assert_eq!(
        field(&d, "diem_766")["value"].as_f64(),
        ind["total_766"].as_f64()
    );
    assert_eq!(field(&d, "ho_so_qua_han")["value"], od["total"]["dossiers"]);
    assert!(ind["facts"]["dossiers_received"].as_u64().unwrap() > 0);

    // The officer fills it in; only the head sends it.
    let (s, d) = put(&app, &officer, &path, typed_ok()).await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(field(&d, "pakn_tiep_nhan")["value"], 1234);
    assert_eq!(field(&d, "tthc_bai_bo")["value"], 0);
    let (s, e) = post(&app, &officer, &format!("{path}/submit"), json!({})).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    assert!(is_vietnamese(&message(&e)));
    let (s, d) = post(&app, &head, &format!("{path}/submit"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["status"], "submitted");
    assert_eq!(d["submitted_by"], "lanhdao.sxd");
    let (_, t) = app
        .get_json(&head, &format!("/api/v1/tasks/{task_id}"))
        .await;
    assert_eq!(t["task"]["status"], "awaiting_verification", "{t}");
    // Sent: no more edits.
    let (s, e) = put(&app, &head, &path, typed_ok()).await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");

    // The compiling office of TTHC reports is VP UBND – KSTT, not Sở Nội vụ.
    let snv = app.token("sonoivu").await;
    let (s, _) = post(&app, &snv, &format!("{path}/accept"), json!({})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, e) = post(
        &app,
        &vp,
        &format!("{path}/return"),
        json!({"reason": "  "}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (s, d) = post(
        &app,
        &vp,
        &format!("{path}/return"),
        json!({"reason": "Số TTHC sửa đổi chưa khớp quyết định công bố"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["status"], "returned");
    assert_eq!(
        d["return_reason"],
        "Số TTHC sửa đổi chưa khớp quyết định công bố"
    );
    let (_, t) = app
        .get_json(&head, &format!("/api/v1/tasks/{task_id}"))
        .await;
    assert!(t["task"]["submitted_on"].is_null(), "{t}");
    assert!(t["task"]["return_reason"].is_string());

    // Corrected and sent again, then accepted: the task is done.
    let (s, _) = put(
        &app,
        &officer,
        &path,
        json!({"values": {"tthc_sua_doi": 2}}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = post(&app, &head, &format!("{path}/submit"), json!({})).await;
    assert_eq!(s, StatusCode::OK);
    let (s, d) = post(&app, &vp, &format!("{path}/accept"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["status"], "accepted");
    assert_eq!(d["decided_by"], "vanphong");
    let (_, t) = app
        .get_json(&head, &format!("/api/v1/tasks/{task_id}"))
        .await;
    assert!(
        t["task"]["status"].as_str().unwrap().starts_with("done_"),
        "{t}"
    );
    let (s, _) = post(&app, &vp, &format!("{path}/accept"), json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT);

    // Every change left its audit row.
    let admin = app.token("admin").await;
    let (_, audit) = app
        .get_json(
            &admin,
            &format!("/api/v1/audit?entity=unit_report&entity_id={id}&limit=50"),
        )
        .await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    for a in ["create", "save", "submit", "return", "accept"] {
        assert!(actions.contains(&a), "audit {a}: {actions:?}");
    }

    // The page shows it, in Vietnamese, with dd/mm/yyyy dates and the downloads.
    let (c, _) = app.browser("lanhdao.sxd").await;
    let html = c
        .get(app.url(&format!("/bao-cao/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Đã tiếp nhận"));
    let due_vn = format!("{}/{}/{}", &due[8..10], &due[5..7], &due[..4]);
    assert!(html.contains(&due_vn), "{due_vn}");
    assert!(html.contains("1.234"));
    assert!(html.contains(&format!("/bao-cao/{id}/tai-ve?format=pdf")));
    let list = c
        .get(app.url(&format!("/bao-cao?period={period}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("Báo cáo định kỳ") && list.contains(&format!("/bao-cao/{id}")));
    // In the OpenAPI document.
    let (_, doc) = app.get_json(&head, "/api/openapi.json").await;
    assert!(doc["paths"]["/api/v1/reports"]["get"].is_object());
    assert!(doc["paths"]["/api/v1/reports/{id}/submit"]["post"].is_object());
}

#[tokio::test]
async fn bad_input_is_refused_in_vietnamese_and_changes_nothing() {
    let app = spawn_app().await;
    let period = "2024-03";
    open_period(&app, period).await;
    let head = app.token("lanhdao.sxd").await;
    let id = report_id(&app, &head, period, "SXD").await;
    let path = format!("/api/v1/reports/{id}");
    let (_, before) = app.get_json(&head, &path).await;
    let (s, e) = put(
        &app,
        &head,
        &path,
        json!({"values": {"tthc_ban_hanh_moi": -1, "ho_so_tiep_nhan": 5, "khong_co": 1,
                          "pakn_tiep_nhan": "mười", "tthc_sua_doi": 3}}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let m = message(&e);
    assert!(is_vietnamese(&m), "{m}");
    assert!(
        m.contains("không âm") && m.contains("do hệ thống tính"),
        "{m}"
    );
    let (_, after) = app.get_json(&head, &path).await;
    assert_eq!(before["fields"], after["fields"], "nothing saved");
    let (s, e) = put(&app, &head, &path, json!({"values": {"kho_khan": ["x"]}})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (s, e) = put(&app, &head, &path, json!({"giatri": 1})).await;
    assert!(s.is_client_error(), "{e}");
    // Required fields before sending.
    let (s, e) = post(&app, &head, &format!("{path}/submit"), json!({})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(message(&e).contains("không được để trống"));
    let (_, d) = app.get_json(&head, &path).await;
    assert_eq!(d["status"], "draft");
    // Accepting a draft is a conflict, not a 500.
    let vp = app.token("vanphong").await;
    let (s, _) = post(&app, &vp, &format!("{path}/accept"), json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT);
    // Bad template, period or filters: 400 with a Vietnamese message.
    for body in [
        json!({"template": "KHONG-CO", "period": "2024-03", "unit": "SXD"}),
        json!({"template": MONTHLY, "period": "2024-13", "unit": "SXD"}),
        json!({"template": MONTHLY, "period": "2024-Q1", "unit": "SXD"}),
        json!({"template": MONTHLY, "period": "2023-07", "unit": "SXD"}),
        json!({"template": MONTHLY, "period": "2024-03", "unit": "KHONGCO"}),
    ] {
        let (s, e) = post(&app, &head, "/api/v1/reports", body.clone()).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}: {e}");
        assert!(is_vietnamese(&message(&e)), "{e}");
    }
    for q in ["status=xyz", "period=2024-99", "template=XYZ"] {
        let (s, e) = app.get_json(&head, &format!("/api/v1/reports?{q}")).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{q}: {e}");
    }
    let (s, _) = app.get_json(&head, "/api/v1/reports/abc").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // The page form: the message next to the field, nothing saved.
    let (c, csrf) = app.browser("chuyenvien.sxd").await;
    let res = c
        .post(app.url(&format!("/bao-cao/{id}/luu")))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("f_tthc_ban_hanh_moi", "12,5"),
            ("f_tthc_sua_doi", "4"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("phải là số nguyên"), "field message");
    assert!(html.contains("value=\"12,5\""), "the typed value is kept");
    let (_, after) = app.get_json(&head, &path).await;
    assert_eq!(
        before["fields"], after["fields"],
        "nothing saved from the page"
    );
    // A good form saves.
    let res = c
        .post(app.url(&format!("/bao-cao/{id}/luu")))
        .form(&[("_csrf", csrf.as_str()), ("f_tthc_sua_doi", "4")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, d) = app.get_json(&head, &path).await;
    assert_eq!(field(&d, "tthc_sua_doi")["value"], 4);
}

#[tokio::test]
async fn a_unit_sees_and_changes_only_its_own_subtree() {
    let app = spawn_app().await;
    let period = "2024-03";
    open_period(&app, period).await;
    let cc = app.token("lanhdao.concuong").await;
    let sxd_head = app.token("lanhdao.sxd").await;
    let sxd = report_id(&app, &sxd_head, period, "SXD").await;
    // Con Cuông lists only its own reports.
    let (s, v) = app.get_json(&cc, "/api/v1/reports?limit=500").await;
    assert_eq!(s, StatusCode::OK);
    let items = v["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|r| r["unit"] == "H-CONCUONG"), "{v}");
    assert_eq!(v["total"].as_u64().unwrap() as usize, items.len());
    // Another unit's report does not exist for it: 404 on every read and write.
    let path = format!("/api/v1/reports/{sxd}");
    let (s, _) = app.get_json(&cc, &path).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = put(&app, &cc, &path, typed_ok()).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = post(&app, &cc, &format!("{path}/submit"), json!({})).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app.get_json(&cc, &format!("{path}/file?format=xlsx")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app.get_json(&cc, "/api/v1/reports?unit=SXD").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let stp = app.token("chuyenvien.stp").await;
    let (s, _) = app.get_json(&stp, &path).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = post(
        &app,
        &cc,
        "/api/v1/reports",
        json!({"template": MONTHLY, "period": "2024-04", "unit": "SXD"}),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // A unit opens its own report, not a period.
    let (s, v) = post(
        &app,
        &cc,
        "/api/v1/reports",
        json!({"template": MONTHLY, "period": "2024-04", "unit": "H-CONCUONG"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, _) = post(
        &app,
        &cc,
        "/api/v1/reports",
        json!({"template": MONTHLY, "period": "2024-04", "unit": "H-CONCUONG"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "opening twice gives the same report");
    for p in ["open", "close"] {
        let (s, _) = post(
            &app,
            &sxd_head,
            &format!("/api/v1/reports/periods/{p}"),
            json!({"template": MONTHLY, "period": period}),
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{p}");
    }
    // Province roles see every unit but do not fill in another unit's report.
    let snv = app.token("sonoivu").await;
    let (s, _) = app.get_json(&snv, &path).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = put(&app, &snv, &path, typed_ok()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (_, all) = app
        .get_json(&snv, &format!("/api/v1/reports?period={period}&limit=500"))
        .await;
    assert!(all["total"].as_u64().unwrap() >= 40);
    // Pages: the same scope.
    let (c, _) = app.browser("lanhdao.concuong").await;
    let res = c
        .get(app.url(&format!("/bao-cao/{sxd}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let html = c
        .get(app.url(&format!("/bao-cao?period={period}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("UBND huyện Con Cuông") || html.contains("Ủy ban nhân dân huyện Con Cuông")
    );
    assert!(
        !html.contains("Sở Xây dựng"),
        "no other unit's report on the page"
    );
    let (c, csrf) = app.browser("chuyenvien.sxd").await;
    let res = c
        .post(app.url("/bao-cao/khoa-so"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("template", MONTHLY),
            ("period", period),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

/// Fills in and sends a unit's report with `new` procedures published in the month.
async fn send(app: &TestApp, head: &str, period: &str, unit: &str, new: i64) -> Value {
    let token = app.token(head).await;
    let id = report_id(app, &token, period, unit).await;
    let path = format!("/api/v1/reports/{id}");
    let mut body = typed_ok();
    body["values"]["tthc_ban_hanh_moi"] = json!(new);
    let (s, d) = put(app, &token, &path, body).await;
    assert_eq!(s, StatusCode::OK, "{d}");
    let (s, d) = post(app, &token, &format!("{path}/submit"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{d}");
    d
}

fn xlsx_text(bytes: &[u8]) -> Vec<String> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("xlsx");
    let range = book.worksheet_range("Báo cáo").expect("sheet");
    range
        .rows()
        .flat_map(|r| r.to_vec())
        .filter_map(|c| match c {
            Data::String(s) => Some(s),
            Data::Empty => None,
            other => Some(other.to_string()),
        })
        .collect()
}

#[tokio::test]
async fn the_province_sums_the_sent_reports_and_lists_who_has_not_sent() {
    let app = spawn_app().await;
    let period = "2024-04";
    let obliged = open_period(&app, period).await;
    let a = send(&app, "lanhdao.sxd", period, "SXD", 3).await;
    let b = send(&app, "lanhdao.stp", period, "STP", 4).await;
    let vp = app.token("vanphong").await;
    let (s, v) = app
        .get_json(
            &vp,
            &format!("/api/v1/reports/summary?template={MONTHLY}&period={period}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["obliged"].as_u64(), Some(obliged));
    assert_eq!(v["sent"], 2);
    assert_eq!(v["missing"].as_array().unwrap().len() as u64, obliged - 2);
    assert!(
        v["missing"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["unit"] == "H-TANKY")
    );
    let total = |k: &str| {
        v["totals"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["key"] == k)
            .unwrap()
            .clone()
    };
    assert_eq!(total("tthc_ban_hanh_moi")["value"], 7.0);
    assert_eq!(total("tthc_ban_hanh_moi")["reports"], 2);
    assert_eq!(total("pakn_tiep_nhan")["value"], 2468.0);
    let received = field(&a, "ho_so_tiep_nhan")["value"].as_f64().unwrap()
        + field(&b, "ho_so_tiep_nhan")["value"].as_f64().unwrap();
    assert_eq!(total("ho_so_tiep_nhan")["value"].as_f64(), Some(received));
    assert!(
        v["totals"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["key"] != "kho_khan")
    );
    // A unit's head sees the sums of its own subtree only.
    let head = app.token("lanhdao.sxd").await;
    let (_, mine) = app
        .get_json(
            &head,
            &format!("/api/v1/reports/summary?template={MONTHLY}&period={period}"),
        )
        .await;
    assert_eq!(mine["obliged"], 1);
    assert_eq!(mine["sent"], 1);
    // Exports: XLSX and PDF with the official header.
    let (c, _) = app.browser("vanphong").await;
    let url = format!("/bao-cao/tong-hop?template={MONTHLY}&period={period}");
    let res = c
        .get(app.url(&format!("{url}&format=xlsx")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let text = xlsx_text(&res.bytes().await.unwrap());
    assert!(
        text.iter()
            .any(|t| t == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    );
    assert!(text.iter().any(|t| t.starts_with("TỔNG HỢP BÁO CÁO")));
    assert!(text.iter().any(|t| t == "7"), "{text:?}");
    let res = c
        .get(app.url(&format!("{url}&format=pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let pdf = res.bytes().await.unwrap();
    let pdf_text = pdf_extract::extract_text_from_mem(&pdf).expect("pdf text");
    assert!(pdf_text.contains("Đơn vị chưa gửi báo cáo"), "{pdf_text}");
    let html = c
        .get(app.url(&url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("2/") && html.contains("đơn vị đã gửi báo cáo"));
    assert!(html.contains("Khóa sổ kỳ"));
}

async fn file(app: &TestApp, token: &str, id: i64, format: &str) -> Vec<u8> {
    let res = client()
        .get(app.url(&format!(
            "/api/v1/reports/{id}/file?format={format}&as_of=freeze"
        )))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.bytes().await.unwrap().to_vec()
}

#[tokio::test]
async fn closing_freezes_the_numbers_late_data_shows_as_corrections_and_files_stay_identical() {
    let app = spawn_app().await;
    let period = "2024-05";
    let obliged = open_period(&app, period).await;
    let sent = send(&app, "lanhdao.sxd", period, "SXD", 1).await;
    let id = sent["id"].as_i64().unwrap();
    let path = format!("/api/v1/reports/{id}");
    let vp = app.token("vanphong").await;
    // No frozen file before closing.
    let res = client()
        .get(app.url(&format!("{path}/file?format=pdf&as_of=freeze")))
        .bearer_auth(&vp)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let (s, v) = post(
        &app,
        &vp,
        "/api/v1/reports/periods/close",
        json!({"template": MONTHLY, "period": period}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["frozen"].as_u64(), Some(obliged));
    let (s, _) = post(
        &app,
        &vp,
        "/api/v1/reports/periods/close",
        json!({"template": MONTHLY, "period": period}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "closed once");
    let (_, frozen) = app.get_json(&vp, &path).await;
    assert!(frozen["closed_at"].is_string() && frozen["frozen_as_of"].is_string());
    assert_eq!(frozen["corrections"], json!([]));
    let procedures = field(&frozen, "tthc_thuoc_tham_quyen")["value"]
        .as_i64()
        .unwrap();
    let snapshot = &frozen["revisions"][0]["snapshot"];
    assert_eq!(frozen["revisions"][0]["kind"], "freeze");
    assert_eq!(snapshot["values"]["tthc_thuoc_tham_quyen"], procedures);
    assert_eq!(snapshot["values"]["tthc_ban_hanh_moi"], 1);
    let xlsx = file(&app, &vp, id, "xlsx").await;
    let pdf = file(&app, &vp, id, "pdf").await;
    let text = xlsx_text(&xlsx);
    assert!(
        text.iter()
            .any(|t| t == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    );
    assert!(text.iter().any(|t| t.starts_with("Số liệu khóa sổ lúc: ")));

    // Late data: a procedure of the department is added to the catalog after the freeze.
    let sxd = app.agency_id("SXD").await.to_string();
    let (s, p) = post(
        &app,
        &vp,
        "/api/v1/procedures",
        json!({"code": "1.999777", "name": "Thủ tục bổ sung sau khóa sổ", "field": "Xây dựng",
               "level": "tinh", "agency_text": "Sở Xây dựng", "agency_id": sxd, "limit_text": "05 ngày làm việc",
               "online_level": "toan_trinh", "fee_text": "Không", "documents": "Đơn đề nghị"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let (_, later) = app.get_json(&vp, &path).await;
    let f = field(&later, "tthc_thuoc_tham_quyen");
    assert_eq!(f["value"], procedures, "frozen numbers never change");
    assert_eq!(f["live_value"], procedures + 1);
    let corrections = later["corrections"].as_array().unwrap();
    assert_eq!(corrections.len(), 1, "{later}");
    assert_eq!(corrections[0]["key"], "tthc_thuoc_tham_quyen");
    assert_eq!(corrections[0]["difference"], 1.0);
    // The province's sums keep the frozen numbers too.
    let (_, sum) = app
        .get_json(
            &vp,
            &format!("/api/v1/reports/summary?template={MONTHLY}&period={period}"),
        )
        .await;
    let t = sum["totals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["key"] == "tthc_thuoc_tham_quyen")
        .unwrap()
        .clone();
    assert_eq!(t["value"].as_f64(), Some(procedures as f64));
    // Nothing of a closed period changes any more.
    let head = app.token("lanhdao.sxd").await;
    let (s, e) = put(&app, &head, &path, typed_ok()).await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert!(message(&e).contains("khóa sổ"));
    let (s, _) = post(&app, &vp, &format!("{path}/accept"), json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, _) = post(
        &app,
        &vp,
        "/api/v1/reports",
        json!({"template": MONTHLY, "period": period, "unit": "SXD"}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    // A correction is a new revision, never an edit of the frozen numbers.
    let (s, _) = post(
        &app,
        &head,
        &format!("{path}/corrections"),
        json!({"note": "x"}),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, d) = post(
        &app,
        &vp,
        &format!("{path}/corrections"),
        json!({"note": "Bổ sung 01 TTHC công bố muộn"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let revs = d["revisions"].as_array().unwrap();
    assert_eq!(revs.len(), 2);
    assert_eq!(revs[1]["kind"], "correction");
    assert_eq!(
        revs[1]["snapshot"]["values"]["tthc_thuoc_tham_quyen"],
        procedures + 1
    );
    assert_eq!(revs[0]["snapshot"], *snapshot, "revision 1 untouched");
    assert_eq!(field(&d, "tthc_thuoc_tham_quyen")["value"], procedures);

    // Regenerated as of the freeze: the same bytes, whatever arrived since.
    assert!(
        file(&app, &vp, id, "xlsx").await == xlsx,
        "XLSX byte-identical"
    );
    assert!(
        file(&app, &head, id, "pdf").await == pdf,
        "PDF byte-identical"
    );
    let pdf_text = pdf_extract::extract_text_from_mem(&pdf).expect("pdf text");
    assert!(pdf_text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    // The report as it stands now shows the corrections section.
    let res = client()
        .get(app.url(&format!("{path}/file?format=xlsx")))
        .bearer_auth(&vp)
        .send()
        .await
        .unwrap();
    let now = xlsx_text(&res.bytes().await.unwrap());
    assert!(now.iter().any(|t| t == "Điều chỉnh sau khi khóa sổ"));
    let (c, _) = app.browser("vanphong").await;
    let html = c
        .get(app.url(&format!("/bao-cao/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Điều chỉnh sau khi khóa sổ"));
    assert!(html.contains("+1"));
    assert!(html.contains("as_of=freeze"));

    // The CLI regenerates the same frozen bytes from the database.
    let url = db_url(&app.db).await;
    for (format, web) in [("xlsx", &xlsx), ("pdf", &pdf)] {
        let out =
            std::env::temp_dir().join(format!("cchc-frozen-{}-{id}.{format}", std::process::id()));
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_cchc"))
            .args([
                "report",
                "render",
                "--id",
                &id.to_string(),
                "--format",
                format,
                "--as-of-freeze",
                "--output",
                out.to_str().unwrap(),
                "--database",
                &url,
            ])
            .env_remove("CCHC_DATABASE_URL")
            .output()
            .expect("run cchc");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let bytes = std::fs::read(&out).expect("cli file");
        let _ = std::fs::remove_file(&out);
        assert!(&bytes == web, "CLI {format} = web {format}");
    }
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_cchc"))
        .args(["report", "render", "--id", "999999", "--database", &url])
        .env_remove("CCHC_DATABASE_URL")
        .output()
        .expect("run cchc");
    assert_eq!(o.status.code(), Some(2));
}

#[tokio::test]
async fn the_demo_has_sent_accepted_and_frozen_reports_of_2023() {
    let app = spawn_app().await;
    let vp = app.token("vanphong").await;
    let (s, v) = app
        .get_json(
            &vp,
            &format!("/api/v1/reports?template={MONTHLY}&period=2023-10&status=accepted&limit=500"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(v["total"].as_u64().unwrap() >= 20, "{}", v["total"]);
    assert!(v["items"][0]["closed_at"].is_string(), "October is closed");
    // Each was sent by its own unit's head, never by a system name.
    for r in v["items"].as_array().unwrap() {
        let by = r["submitted_by"].as_str().unwrap_or_default();
        let unit = r["unit"].as_str().unwrap().to_lowercase();
        assert!(
            by.starts_with("lanhdao."),
            "{unit} sent by «{by}», not by its head"
        );
        if ![
            "lanhdao.tanky",
            "lanhdao.concuong",
            "lanhdao.doluong",
            "lanhdao.vinh",
        ]
        .contains(&by)
        {
            assert!(by.ends_with(&unit), "{unit} sent by «{by}»");
        }
    }
    let (_, nov) = app
        .get_json(
            &vp,
            &format!("/api/v1/reports?template={MONTHLY}&period=2023-11"),
        )
        .await;
    assert!(nov["items"][0]["closed_at"].is_null());
    let (_, q3) = app
        .get_json(
            &vp,
            "/api/v1/reports/summary?template=CCHC-QUY&period=2023-Q3",
        )
        .await;
    assert!(q3["closed_at"].is_string());
    assert!(q3["sent"].as_u64().unwrap() > 0);
    // The monthly report tasks of the demo.
    let head = app.token("lanhdao.tanky").await;
    let id = report_id(&app, &head, "2023-10", "H-TANKY").await;
    let (_, d) = app.get_json(&head, &format!("/api/v1/reports/{id}")).await;
    assert!(d["task_id"].is_i64());
    assert!(d["frozen_as_of"].is_string());
}

async fn db_url(db: &store::Db) -> String {
    match db {
        store::Db::Sqlite(p) => {
            let file: (String,) =
                store::sqlx::query_as("select file from pragma_database_list where name = 'main'")
                    .fetch_one(p)
                    .await
                    .expect("sqlite file");
            format!("sqlite://{}?mode=rwc", file.0)
        }
        store::Db::Pg(p) => {
            let name: (String,) = store::sqlx::query_as("select current_database()")
                .fetch_one(p)
                .await
                .expect("name");
            let url = std::env::var("CCHC_TEST_DATABASE_URL").expect("pg url");
            let base = url.rsplit_once('/').map(|(b, _)| b).expect("base");
            format!("{base}/{}", name.0)
        }
    }
}

#[tokio::test]
async fn the_pages_send_return_and_accept_a_report() {
    let app = spawn_app().await;
    let period = "2024-06";
    let (vp_page, vp_csrf) = app.browser("vanphong").await;
    // A province role opens the period from the list page.
    let res = vp_page
        .post(app.url("/bao-cao/mo-ky"))
        .form(&[
            ("_csrf", vp_csrf.as_str()),
            ("template", MONTHLY),
            ("period", period),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let head = app.token("lanhdao.sxd").await;
    let id = report_id(&app, &head, period, "SXD").await;
    let (c, csrf) = app.browser("lanhdao.sxd").await;
    let act = |c: &reqwest::Client, csrf: &str, action: &str, reason: &str| {
        c.post(app.url(&format!("/bao-cao/{id}/thao-tac")))
            .form(&[("_csrf", csrf), ("action", action), ("reason", reason)])
            .send()
    };
    // Sending before the required fields are filled: the page says which.
    let res = act(&c, &csrf, "submit", "").await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("không được để trống"));
    let res = c
        .post(app.url(&format!("/bao-cao/{id}/luu")))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("f_tthc_ban_hanh_moi", "1"),
            ("f_tthc_sua_doi", "0"),
            ("f_tthc_bai_bo", "0"),
            ("f_pakn_tiep_nhan", "12"),
            ("f_kho_khan", "Không có"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // An officer may fill in but not send.
    let (o, o_csrf) = app.browser("chuyenvien.sxd").await;
    let res = act(&o, &o_csrf, "submit", "").await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = act(&c, &csrf, "submit", "").await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // The office: a return needs a reason; then accepted after sending again.
    let res = act(&vp_page, &vp_csrf, "return", "").await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Lý do trả lại"));
    let res = act(&vp_page, &vp_csrf, "return", "Thiếu số liệu PAKN đã xử lý")
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = c
        .get(app.url(&format!("/bao-cao/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Bị trả lại") && html.contains("Thiếu số liệu PAKN đã xử lý"));
    let res = act(&c, &csrf, "submit", "").await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = act(&vp_page, &vp_csrf, "accept", "").await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, d) = app.get_json(&head, &format!("/api/v1/reports/{id}")).await;
    assert_eq!(d["status"], "accepted");
    // Closing from the summary page.
    let res = vp_page
        .post(app.url("/bao-cao/khoa-so"))
        .form(&[
            ("_csrf", vp_csrf.as_str()),
            ("template", MONTHLY),
            ("period", period),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = vp_page
        .get(app.url(&format!(
            "/bao-cao/tong-hop?template={MONTHLY}&period={period}"
        )))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Đã khóa sổ lúc"));
    assert!(
        !html.contains("Khóa sổ kỳ tháng"),
        "no second closing button"
    );
    // The report's history, oldest first, from the audit log: who did what, the reason of
    // the return, and the closing of the period.
    let html = c
        .get(app.url(&format!("/bao-cao/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let start = html.find("Lịch sử xử lý").expect("history section");
    let timeline = &html[start..];
    let order = [
        "Lập báo cáo",
        "Lưu số liệu",
        "Gửi báo cáo</strong> · lanhdao.sxd",
        "Trả lại</strong> · vanphong",
        "Lý do: Thiếu số liệu PAKN đã xử lý",
        "Gửi báo cáo</strong> · lanhdao.sxd",
        "Tiếp nhận</strong> · vanphong",
        "Khóa sổ</strong> · vanphong",
    ];
    let mut at = 0;
    for step in order {
        let i = timeline[at..]
            .find(step)
            .unwrap_or_else(|| panic!("{step} after byte {at} of the timeline: {timeline}"));
        at += i + step.len();
    }
    assert_eq!(
        timeline.matches("<li class=").count(),
        7,
        "created, saved, sent, returned, sent, accepted, closed"
    );
}

#[tokio::test]
async fn only_obliged_units_open_a_report() {
    let app = spawn_app().await;
    let vp = app.token("vanphong").await;
    // The monthly TTHC report is owed by departments and district people's committees
    // (data/reports/tthc-thang.toml), not by the province itself nor by a commune.
    for unit in ["UBND-TINH", "X-CONCUONG-MONSON"] {
        let (s, e) = post(
            &app,
            &vp,
            "/api/v1/reports",
            json!({"template": MONTHLY, "period": "2024-03", "unit": unit}),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{unit}: {e}");
        let m = message(&e);
        assert!(
            is_vietnamese(&m) && m.contains("không phải gửi báo cáo"),
            "{m}"
        );
        let (_, v) = app.get_json(&vp, "/api/v1/reports?limit=1000").await;
        assert!(
            v["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["unit"] != unit),
            "nothing created for {unit}"
        );
    }
    // A department merged away before the period's window ended owes nothing either
    // (Sở GTVT ended on 28/02/2025); while it existed, it did. From 01/7/2025 (two-level
    // local government) the new communes owe it in place of the districts:
    // data/reports/tthc-thang.toml, `obliged_since`.
    for (period, unit, owes) in [
        ("2025-06", "SGTVT", false),
        ("2024-03", "SGTVT", true),
        ("2025-10", "XM-CONCUONG", true),
        ("2025-10", "H-CONCUONG", false),
    ] {
        let (s, e) = post(
            &app,
            &vp,
            "/api/v1/reports",
            json!({"template": MONTHLY, "period": period, "unit": unit}),
        )
        .await;
        if owes {
            assert_eq!(s, StatusCode::CREATED, "{unit} {period}: {e}");
        } else {
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{unit} {period}: {e}");
            let m = message(&e);
            assert!(m.contains("không phải gửi báo cáo"), "{m}");
            // The message names the kinds owed in that period.
            assert_eq!(m.contains("UBND xã"), period == "2025-10", "{m}");
        }
    }
    // The page offers "Lập báo cáo" only to units that owe a report today, with only the
    // templates they owe: a department's or a new commune's officer sees it, an ended
    // commune's does not.
    for (user, offered) in [
        ("chuyenvien.stp", true),
        ("chuyenvien.xaconcuong", true),
        ("chuyenvien.monson", false),
    ] {
        let (c, _) = app.browser(user).await;
        let html = c
            .get(app.url("/bao-cao"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(
            html.contains("Lập báo cáo của đơn vị"),
            offered,
            "{user}: the form to open the unit's own report"
        );
        if offered {
            let form = &html[html.find("Lập báo cáo của đơn vị").unwrap()..];
            let form = &form[..form.find("</form>").unwrap()];
            assert!(form.contains(MONTHLY), "{form}");
        }
    }
}

#[tokio::test]
async fn a_merged_units_unfinished_report_is_its_successors_to_send() {
    let app = spawn_app().await;
    let period = "2024-03";
    open_period(&app, period).await;
    // Sở Giao thông vận tải was merged into Sở Xây dựng on 01/03/2025 (NQ 07/NQ-HĐND):
    // its report of 2024-03, never sent, is now Sở Xây dựng's to finish.
    let head = app.token("lanhdao.sxd").await;
    let (s, v) = app
        .get_json(
            &head,
            &format!("/api/v1/reports?template={MONTHLY}&period={period}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let units: Vec<&str> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["unit"].as_str().unwrap())
        .collect();
    assert!(
        units.contains(&"SXD") && units.contains(&"SGTVT"),
        "{units:?}"
    );
    let id = report_id(&app, &head, period, "SGTVT").await;
    let path = format!("/api/v1/reports/{id}");
    let (s, d) = app.get_json(&head, &path).await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["allowed"]["edit"], true, "{d}");
    assert_eq!(d["allowed"]["submit"], true, "{d}");
    let officer = app.token("chuyenvien.sxd").await;
    let (s, e) = put(&app, &officer, &path, typed_ok()).await;
    assert_eq!(s, StatusCode::OK, "{e}");
    let (s, e) = post(&app, &head, &format!("{path}/submit"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{e}");
    let (_, d) = app.get_json(&head, &path).await;
    assert_eq!(d["status"], "submitted");
    assert_eq!(d["unit"], "SGTVT", "the report keeps its unit and numbers");
    // Nobody else gained it.
    let other = app.token("lanhdao.concuong").await;
    let (s, _) = app.get_json(&other, &path).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, v) = app
        .get_json(
            &other,
            &format!("/api/v1/reports?period={period}&limit=500"),
        )
        .await;
    assert!(
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["unit"] == "H-CONCUONG"),
        "{v}"
    );
    // The page too.
    let (c, _) = app.browser("lanhdao.sxd").await;
    let res = c
        .get(app.url(&format!("/bao-cao/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_housekeeping_opens_the_periods_in_progress_once() {
    let app = spawn_app().await;
    let state = web::AppState::new(app.db.clone(), web::AppConfig::default())
        .await
        .expect("state");
    let day = chrono::NaiveDate::from_ymd_opt(2024, 7, 20).unwrap();
    let created = app::report::open_current_periods(&state, day)
        .await
        .expect("open");
    assert!(created > 0);
    let again = app::report::open_current_periods(&state, day)
        .await
        .expect("open again");
    assert_eq!(again, 0, "idempotent");
    let vp = app.token("vanphong").await;
    // 20/7/2024 lies in the window of August (15/7 → 14/8), of Q3 and of 2024.
    for (template, period) in [
        (MONTHLY, "2024-08"),
        ("CCHC-QUY", "2024-Q3"),
        ("CCHC-NAM", "2024"),
    ] {
        let (_, v) = app
            .get_json(
                &vp,
                &format!("/api/v1/reports?template={template}&period={period}"),
            )
            .await;
        assert!(
            v["total"].as_u64().unwrap() >= 40,
            "{template} {period}: {v}"
        );
    }
    let (_, v) = app
        .get_json(
            &vp,
            &format!("/api/v1/reports?template={MONTHLY}&period=2024-08&unit=SXD"),
        )
        .await;
    assert_eq!(
        v["items"][0]["due_on"], "2024-08-16",
        "18/8/2024 is a Sunday"
    );
}
