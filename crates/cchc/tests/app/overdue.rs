//! Danh sách hồ sơ, nhiệm vụ quá hạn (CV 6486/UBND-KSTT item 3): the API and the XLSX list
//! the same rows; a dossier made late shows its officer and reason; scope by subtree; bad
//! input is a Vietnamese 400.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    app.send_json(token, Method::POST, path, &body).await
}

/// A province-level procedure of the department with a limit in working days.
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
        .expect("a procedure of the department")
}

fn cell(c: Option<&Data>) -> String {
    match c {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => format!("{f}"),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// The detail rows of the exported list: (code, unit, days late, officer, reason).
pub(crate) async fn xlsx_rows(app: &TestApp, token: &str, query: &str) -> Vec<[String; 5]> {
    let res = client()
        .get(app.url(&format!("/bao-cao/qua-han/xlsx?{query}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("xlsx");
    let range = book.worksheet_range("Quá hạn").expect("sheet");
    let rows: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
    let text: Vec<String> = rows.iter().flatten().map(|c| cell(Some(c))).collect();
    assert!(
        text.iter()
            .any(|t| t == "DANH SÁCH HỒ SƠ, NHIỆM VỤ, PHẢN ÁNH, KIẾN NGHỊ QUÁ HẠN")
    );
    assert!(text.iter().any(|t| t.starts_with("Thời điểm lập: ")));
    let head = rows
        .iter()
        .position(|r| r.iter().any(|c| cell(Some(c)) == "Mã hồ sơ / nhiệm vụ"))
        .expect("table head");
    rows[head + 1..]
        .iter()
        .filter(|r| !cell(r.get(3)).is_empty())
        .map(|r| {
            [
                cell(r.get(3)),
                cell(r.get(2)),
                cell(r.get(11)),
                cell(r.get(8)),
                cell(r.get(13)),
            ]
        })
        .collect()
}

fn api_rows(v: &Value) -> Vec<[String; 5]> {
    v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            [
                r["code"].as_str().unwrap().to_string(),
                r["unit"].as_str().unwrap().to_string(),
                r["days_late"].as_i64().unwrap().to_string(),
                r["officer"].as_str().unwrap_or("").to_string(),
                r["reason"].as_str().unwrap_or("Chưa có lý do").to_string(),
            ]
        })
        .collect()
}

#[tokio::test]
async fn the_api_and_the_xlsx_list_the_same_rows_sorted_with_totals() {
    let app = spawn_app().await;
    let token = app.token("vanphong").await;
    let query = "period=2023-10";
    let (s, v) = app
        .get_json(&token, &format!("/api/v1/overdue?{query}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["unit"], "TINH");
    assert_eq!(v["from"], "2023-10-01");
    assert_eq!(v["to"], "2023-10-31");
    assert_eq!(v["cut_off"], "2023-11-01T00:00:00");
    let rows = v["rows"].as_array().unwrap();
    let dossiers = rows.iter().filter(|r| r["kind"] == "dossier").count() as u64;
    let tasks = rows.iter().filter(|r| r["kind"] == "task").count() as u64;
    assert!(dossiers > 0, "the demo has late dossiers in October 2023");
    assert_eq!(v["total"]["dossiers"], json!(dossiers));
    assert_eq!(v["total"]["tasks"], json!(tasks));
    let without = rows.iter().filter(|r| r["reason"].is_null()).count() as u64;
    assert_eq!(v["total"]["without_reason"], json!(without));
    assert_eq!(v["total"]["with_reason"], json!(dossiers + tasks - without));
    // Per-unit totals add up, in the order of the rows.
    let totals = v["totals"].as_array().unwrap();
    let sum: u64 = totals
        .iter()
        .map(|t| t["dossiers"].as_u64().unwrap() + t["tasks"].as_u64().unwrap())
        .sum();
    assert_eq!(sum, dossiers + tasks);
    // Sorted by unit, then days late (most first); days late in working days, ≥ 0.
    for w in rows.windows(2) {
        if w[0]["unit"] == w[1]["unit"] {
            assert!(w[0]["days_late"].as_i64() >= w[1]["days_late"].as_i64());
        }
    }
    let units: Vec<&str> = rows.iter().map(|r| r["unit"].as_str().unwrap()).collect();
    let mut seen = Vec::new();
    for u in &units {
        if seen.last() != Some(u) {
            assert!(!seen.contains(u), "unit {u} appears in two blocks");
            seen.push(*u);
        }
    }
    assert_eq!(
        seen,
        totals
            .iter()
            .map(|t| t["unit"].as_str().unwrap())
            .collect::<Vec<_>>()
    );
    // Every row is genuinely late: finished late within October, or open at its end.
    for r in rows {
        let due = r["due"].as_str().unwrap();
        assert!(due < "2023-11-01", "{r}");
        match r["state"].as_str().unwrap() {
            "finished_late" => {
                let f = r["finished"].as_str().unwrap();
                assert!(("2023-10-01".."2023-11-01").contains(&f) && f > due, "{r}");
            }
            "unfinished" => assert!(r["finished"].is_null(), "{r}"),
            other => panic!("state {other}"),
        }
        if r["kind"] == "dossier" {
            assert_eq!(r["days_unit"], "working");
            assert!(r["apology"].is_boolean());
        }
    }
    // The demo records who caused some delays, with a reason.
    assert!(
        rows.iter()
            .any(|r| r["officer"].is_string() && r["reason"].is_string())
    );
    // The XLSX has exactly the same rows, in the same order.
    let xlsx = xlsx_rows(&app, &token, query).await;
    assert_eq!(xlsx, api_rows(&v));
    // The page shows them too.
    let (c, _) = app.browser("vanphong").await;
    let res = c
        .get(app.url(&format!("/bao-cao/qua-han?{query}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("Danh sách hồ sơ, nhiệm vụ, phản ánh, kiến nghị quá hạn"));
    assert!(html.contains(rows[0]["code"].as_str().unwrap()));
    assert!(html.contains("/bao-cao/qua-han/xlsx?"));
    // Documented in the OpenAPI.
    let (_, doc) = app.get_json(&token, "/api/openapi.json").await;
    assert!(doc["paths"]["/api/v1/overdue"]["get"].is_object());
    // Paged: the same totals, the same rows (steps included) at the same positions.
    assert_eq!(v["rows_total"], json!(rows.len()));
    let some_step = rows
        .iter()
        .position(|r| r["step"].is_string())
        .expect("a row with its step");
    let (s, p) = app
        .get_json(
            &token,
            &format!("/api/v1/overdue?{query}&limit=2&offset={some_step}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["rows_total"], v["rows_total"]);
    assert_eq!(p["total"], v["total"]);
    assert_eq!(p["totals"], v["totals"]);
    assert_eq!(p["offset"], json!(some_step));
    assert_eq!(p["rows"][0], rows[some_step]);
    assert_eq!(
        p["rows"].as_array().unwrap().len(),
        2.min(rows.len() - some_step)
    );
    for bad in ["limit=0", "limit=9000", "limit=abc", "offset=-1"] {
        let (s, e) = app
            .get_json(&token, &format!("/api/v1/overdue?{query}&{bad}"))
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {e}");
    }
}

#[tokio::test]
async fn a_dossier_made_late_shows_its_officer_and_reason() {
    let app = spawn_app().await;
    let desk = app.token("motcua.tinh").await;
    let sxd = app.agency_id("SXD").await;
    let p = procedure_of(&app, &desk, sxd).await;
    let mut ids = Vec::new();
    for name in ["Phan Văn Tú", "Lê Thị Mơ"] {
        let (s, d) = post(&app, &desk, "/api/v1/dossiers", json!({"procedure": p["code"], "applicant_name": name, "applicant_phone": "0900000002"})).await;
        assert_eq!(s, StatusCode::CREATED, "{d}");
        ids.push((
            d["id"].as_i64().unwrap(),
            d["code"].as_str().unwrap().to_string(),
        ));
    }
    // Their deadlines passed ten days ago (as if received weeks ago).
    let past = chrono::Utc::now() - chrono::Duration::days(10);
    for (id, _) in &ids {
        store::on_db!(&app.db, |pool| {
            store::sqlx::query("update dossier set step_due_at = $1, due_at = $1 where id = $2")
                .bind(past)
                .bind(id)
                .execute(pool)
                .await
                .unwrap();
        });
    }
    let officer = app.token("chuyenvien.sxd").await;
    // The first one reached the signing step, held by the officer who appraised it; its
    // leader signs it late, with the reason.
    let held_by = app.user_id("chuyenvien.sxd").await;
    store::on_db!(&app.db, |pool| {
        store::sqlx::query(
            "update dossier set status = 4, step_seq = 2, assignee_id = $2 where id = $1",
        )
        .bind(ids[0].0)
        .bind(held_by)
        .execute(pool)
        .await
        .unwrap();
    });
    let head = app.token("lanhdao.sxd").await;
    let (s, v) = post(
        &app,
        &head,
        &format!("/api/v1/dossiers/{}/events", ids[0].0),
        json!({"event": "finish_processing", "reason": "Chờ ý kiến Sở Tài chính"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let month = (chrono::Utc::now() + chrono::Duration::hours(7))
        .format("%Y-%m")
        .to_string();
    let (s, v) = app
        .get_json(&officer, &format!("/api/v1/overdue?period={month}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["unit"], "SXD");
    let rows = v["rows"].as_array().unwrap();
    let find = |code: &str| {
        rows.iter()
            .find(|r| r["code"] == code)
            .cloned()
            .unwrap_or_else(|| panic!("{code} not listed: {v}"))
    };
    let late = find(&ids[0].1);
    assert_eq!(late["kind"], "dossier");
    assert_eq!(late["state"], "finished_late");
    assert_eq!(late["officer"], "Bùi Thị Lan");
    assert_eq!(late["reason"], "Chờ ý kiến Sở Tài chính");
    assert_eq!(late["unit"], "Sở Xây dựng");
    assert_eq!(late["apology"], false);
    // Ten calendar days hold at least six working days.
    assert!(late["days_late"].as_i64().unwrap() >= 6, "{late}");
    let open = find(&ids[1].1);
    assert_eq!(open["state"], "unfinished");
    assert!(open["reason"].is_null(), "{open}");
    assert!(open["finished"].is_null());
    // Totals of the unit count the one without a reason.
    let sxd_total = v["totals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["unit"] == "Sở Xây dựng")
        .cloned()
        .unwrap();
    assert!(sxd_total["without_reason"].as_u64().unwrap() >= 1);
    // The export marks it "Chưa có lý do".
    let xlsx = xlsx_rows(&app, &officer, &format!("period={month}")).await;
    let line = xlsx.iter().find(|r| r[0] == ids[1].1).expect("in the xlsx");
    assert_eq!(line[4], "Chưa có lý do");
    assert_eq!(xlsx, api_rows(&v));
    // An apology letter (Mẫu 04) sent in time on the open one shows with its reason once
    // the dossier has run late anyway.
    crate::dossiers::set_due(
        &app,
        ids[1].0,
        chrono::Utc::now() + chrono::Duration::days(5),
    )
    .await;
    let (s, v) = post(
        &app,
        &officer,
        &format!("/api/v1/dossiers/{}/apology", ids[1].0),
        json!({"reason": "Cần xác minh thực địa", "new_date": "18/12/2030", "delay_user_id": app.user_id("chuyenvien.sxd").await}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    crate::dossiers::set_due(&app, ids[1].0, past).await;
    let (_, v) = app
        .get_json(&officer, &format!("/api/v1/overdue?period={month}"))
        .await;
    let open = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == ids[1].1.as_str())
        .cloned()
        .unwrap();
    assert_eq!(open["apology"], true);
    assert_eq!(open["reason"], "Cần xác minh thực địa");
    assert_eq!(open["officer"], "Bùi Thị Lan");
}

#[tokio::test]
async fn a_commune_sees_only_its_rows_and_bad_input_is_refused() {
    let app = spawn_app().await;
    let commune = app.token("chuyenvien.xaconcuong").await;
    let province = app.token("vanphong").await;
    // One overdue dossier at each of two communes' centres.
    let mut codes = Vec::new();
    for desk in ["motcua.xaconcuong", "motcua.truongvinh"] {
        let t = app.token(desk).await;
        let (_, procs) = app
            .get_json(&t, "/api/v1/procedures?level=xa&limit=500")
            .await;
        let p = procs["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["limit_unit"] == "days")
            .unwrap()
            .clone();
        let (s, d) = post(&app, &t, "/api/v1/dossiers", json!({"procedure": p["id"].to_string(), "applicant_name": "Lô Văn Bình", "applicant_phone": "0987001122"})).await;
        assert_eq!(s, StatusCode::CREATED, "{d}");
        let past = chrono::Utc::now() - chrono::Duration::days(2);
        store::on_db!(&app.db, |pool| {
            store::sqlx::query("update dossier set due_at = $1 where id = $2")
                .bind(past)
                .bind(d["id"].as_i64().unwrap())
                .execute(pool)
                .await
                .unwrap();
        });
        codes.push(d["code"].as_str().unwrap().to_string());
    }
    let month = (chrono::Utc::now() + chrono::Duration::hours(7))
        .format("%Y-%m")
        .to_string();
    let q = format!("/api/v1/overdue?period={month}");
    let (s, all) = app.get_json(&province, &q).await;
    assert_eq!(s, StatusCode::OK, "{all}");
    let (s, mine) = app.get_json(&commune, &q).await;
    assert_eq!(s, StatusCode::OK, "{mine}");
    assert_eq!(mine["unit"], "XM-CONCUONG");
    let codes_of = |v: &Value| -> Vec<String> {
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["code"].as_str().unwrap().to_string())
            .collect()
    };
    let (all_codes, mine_codes) = (codes_of(&all), codes_of(&mine));
    assert!(all_codes.contains(&codes[0]) && all_codes.contains(&codes[1]));
    assert!(mine_codes.contains(&codes[0]), "{mine}");
    assert!(!mine_codes.contains(&codes[1]), "{mine}");
    // Every row is one the commune may open; the province's list holds it too.
    for r in mine["rows"].as_array().unwrap() {
        assert!(all_codes.contains(&r["code"].as_str().unwrap().to_string()));
        let path = if r["kind"] == "task" {
            format!("/api/v1/tasks/{}", r["id"])
        } else {
            format!("/api/v1/dossiers/{}", r["id"])
        };
        let (s, _) = app.get_json(&commune, &path).await;
        assert_eq!(s, StatusCode::OK, "{r}");
    }
    // The province may look at the other commune alone.
    let (s, other) = app
        .get_json(&province, &format!("{q}&unit=XM-TRUONGVINH"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(codes_of(&other).contains(&codes[1]));
    assert!(!codes_of(&other).contains(&codes[0]));
    // Another unit: 404, page and API alike.
    for unit in ["XM-TRUONGVINH", "SXD"] {
        let (s, _) = app
            .get_json(&commune, &format!("/api/v1/overdue?unit={unit}"))
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{unit}");
    }
    let res = client()
        .get(app.url("/bao-cao/qua-han/xlsx?unit=SXD"))
        .bearer_auth(&commune)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // Bad input: a Vietnamese 400, nothing listed.
    let (s, v) = app
        .get_json(&commune, "/api/v1/overdue?period=2023-13")
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(message(&v).contains("Kỳ không hợp lệ"), "{v}");
    let (s, v) = app
        .get_json(&commune, "/api/v1/overdue?period=2023-10&period_mode=tuan")
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(message(&v).contains("Cách tính kỳ không hợp lệ"), "{v}");
    let (s, v) = app
        .get_json(&commune, "/api/v1/overdue?unit=KHONG-CO")
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(message(&v).contains("Không có đơn vị"), "{v}");
    // The public: 401 on the API, sent to the login page from the page.
    let res = client()
        .get(app.url("/api/v1/overdue"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = client()
        .get(app.url("/bao-cao/qua-han"))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
}
