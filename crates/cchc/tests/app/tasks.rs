//! Directives and tasks: the seed's documents in the demo, scoped access, derived status,
//! and the report → submit → verify cycle with its audit trail.

use std::collections::HashSet;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

async fn all_tasks(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let (s, v) = app
        .get_json(token, &format!("/api/v1/tasks?limit=500{query}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let mut items = v["items"].as_array().unwrap().clone();
    let total = v["total"].as_i64().unwrap();
    let mut offset = 500;
    while (items.len() as i64) < total {
        let (_, more) = app
            .get_json(
                token,
                &format!("/api/v1/tasks?limit=500&offset={offset}{query}"),
            )
            .await;
        items.extend(more["items"].as_array().unwrap().iter().cloned());
        offset += 500;
    }
    items
}

#[tokio::test]
async fn the_demo_holds_the_seed_documents_and_their_tasks() {
    let app = spawn_app().await;
    let token = app.token("sonoivu").await;
    let (s, v) = app.get_json(&token, "/api/v1/directives").await;
    assert_eq!(s, StatusCode::OK);
    let numbers: HashSet<String> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["number"].as_str().unwrap().to_string())
        .collect();
    for n in [
        "6794/UBND-KSTT",
        "304/TB-VPCP",
        "03-TB/BCĐ",
        "5768/UBND-KSTT",
        "6219/UBND-KSTT",
        "574/KH-UBND",
        "6486/UBND-KSTT",
    ] {
        assert!(numbers.contains(n), "{n} registered");
    }
    let id = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["number"] == "6794/UBND-KSTT")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let (_, d) = app
        .get_json(&token, &format!("/api/v1/directives/{id}"))
        .await;
    let enclosed: Vec<&str> = d["citations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["relation"] == "encloses")
        .map(|c| c["number"].as_str().unwrap())
        .collect();
    assert_eq!(
        enclosed.len(),
        6,
        "6794 encloses the six other documents: {enclosed:?}"
    );
    assert!(
        d["citations"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["relation"] != "encloses" || c["directive_id"].is_i64())
    );
    assert!(d["stats"]["assigned"].as_i64().unwrap() > 20);
    // Collective leads fan out: "Các Sở, ban, ngành" gives Sở Tư pháp its own tasks.
    let stp = app.agency_id("STP").await;
    let (_, t) = app
        .get_json(
            &token,
            &format!("/api/v1/tasks?agency_id={stp}&directive_id={id}"),
        )
        .await;
    assert!(t["total"].as_i64().unwrap() > 0);
}

#[tokio::test]
async fn tasks_are_scoped_to_the_agency_subtree() {
    let app = spawn_app().await;
    let head = app.token("lanhdao.concuong").await;
    let cc = app.agency_id("H-CONCUONG").await;
    let tasks = all_tasks(&app, &head, "").await;
    assert!(!tasks.is_empty());
    for t in &tasks {
        let (s, d) = app
            .get_json(&head, &format!("/api/v1/tasks/{}", t["id"]))
            .await;
        assert_eq!(s, StatusCode::OK);
        let ours = t["lead_agency_id"] == json!(cc)
            || d["support"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["agency_id"] == json!(cc));
        assert!(ours, "task {} belongs to Con Cuông", t["id"]);
    }
    // Another district's task is invisible through the API, the page and the directive.
    let other = app.token("lanhdao.tanky").await;
    let theirs = all_tasks(&app, &other, "").await;
    let foreign = theirs
        .iter()
        .find(|t| !tasks.iter().any(|m| m["id"] == t["id"]))
        .unwrap();
    let (s, _) = app
        .get_json(&head, &format!("/api/v1/tasks/{}", foreign["id"]))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (c, _) = app.browser("lanhdao.concuong").await;
    let res = c
        .get(app.url(&format!("/nhiem-vu/{}", foreign["id"])))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // A commune officer whose commune received no task sees no directive at all.
    let officer = app.token("chuyenvien.monson").await;
    let (_, dirs) = app.get_json(&officer, "/api/v1/directives").await;
    assert_eq!(dirs["total"], 0);
    let (s, _) = app
        .get_json(
            &officer,
            &format!("/api/v1/directives/{}", foreign["directive_id"]),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn status_filters_agree_with_the_derived_status() {
    let app = spawn_app().await;
    let token = app.token("lanhdao").await;
    let (_, stats) = app.get_json(&token, "/api/v1/tasks/stats").await;
    let mut sum = 0;
    for st in [
        "in_progress",
        "overdue",
        "awaiting_verification",
        "done_on_time",
        "done_late",
    ] {
        let items = all_tasks(&app, &token, &format!("&status={st}")).await;
        assert!(
            items.iter().all(|t| t["status"] == st),
            "every {st} row derives {st}"
        );
        assert_eq!(
            items.len() as i64,
            stats[st].as_i64().unwrap(),
            "{st} count"
        );
        sum += items.len() as i64;
    }
    assert_eq!(sum, stats["assigned"].as_i64().unwrap());
    assert!(
        stats["overdue"].as_i64().unwrap() > 0 && stats["done_on_time"].as_i64().unwrap() > 0,
        "the demo shows both"
    );
    let (s, v) = app.get_json(&token, "/api/v1/tasks?status=xong").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(is_vietnamese(&message(&v)));
}

#[tokio::test]
async fn report_submit_verify_cycle() {
    let app = spawn_app().await;
    let snv = app.token("sonoivu").await;
    let stp = app.agency_id("STP").await;
    let sxd = app.agency_id("SXD").await;
    let (s, d) = app
        .send_json(&snv, Method::POST, "/api/v1/directives", &json!({"number": "99/KH-UBND", "type": "Kế hoạch", "issuer": "Ủy ban nhân dân tỉnh Nghệ An", "date": "01/03/2024", "subject": "Thử nghiệm theo dõi nhiệm vụ"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let (s, v) = app
        .send_json(&snv, Method::POST, "/api/v1/directives", &json!({"number": "99/KH-UBND", "type": "Kế hoạch", "issuer": "Ủy ban nhân dân tỉnh Nghệ An", "date": "2024-03-01", "subject": "Trùng"}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    let did = d["id"].as_i64().unwrap();
    let body = json!({"directive_id": did, "content": "Rà soát thủ tục hành chính nội bộ", "lead_agency_id": stp, "support_agency_ids": [sxd], "deadline": "2024-03-30", "deadline_text": "trước ngày 30/3/2024"});
    let officer = app.token("chuyenvien.stp").await;
    let (s, _) = app
        .send_json(&officer, Method::POST, "/api/v1/tasks", &body)
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "units do not assign top-level tasks"
    );
    let (s, t) = app
        .send_json(&snv, Method::POST, "/api/v1/tasks", &body)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    assert_eq!(
        t["status"], "overdue",
        "a past deadline with no completion is overdue"
    );
    let tid = t["id"].as_i64().unwrap();
    let path = |a: &str| format!("/api/v1/tasks/{tid}/{a}");
    // Progress: bad input refused, the supporting agency may report, the lead too.
    let (s, v) = app
        .send_json(
            &officer,
            Method::POST,
            &path("reports"),
            &json!({"percent": 150, "note": ""}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        message(&v).contains("Nội dung báo cáo không được để trống.")
            && message(&v).contains("từ 0 đến 100")
    );
    let support = app.token("chuyenvien.sxd").await;
    let (s, _) = app
        .send_json(
            &support,
            Method::POST,
            &path("reports"),
            &json!({"percent": 30, "note": "Sở Xây dựng đã gửi ý kiến."}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = app
        .send_json(
            &support,
            Method::POST,
            &path("submit"),
            &json!({"note": "xong"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "only the lead submits");
    let outsider = app.token("chuyenvien.concuong").await;
    let (s, _) = app
        .send_json(
            &outsider,
            Method::POST,
            &path("reports"),
            &json!({"percent": 30, "note": "x"}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, t) = app
        .send_json(
            &officer,
            Method::POST,
            &path("submit"),
            &json!({"note": "Đã rà soát 45 TTHC nội bộ."}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(t["status"], "awaiting_verification");
    // Verification: not by the unit itself; a return needs a reason and reopens the task.
    let unit_head = app.token("lanhdao.stp").await;
    let (s, _) = app
        .send_json(
            &unit_head,
            Method::POST,
            &path("verify"),
            &json!({"accept": true}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = app
        .send_json(
            &snv,
            Method::POST,
            &path("verify"),
            &json!({"accept": false, "note": ""}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&v).contains("Lý do trả lại"));
    let (s, t) = app
        .send_json(
            &snv,
            Method::POST,
            &path("verify"),
            &json!({"accept": false, "note": "Thiếu danh mục TTHC đề xuất cắt giảm."}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(t["status"], "overdue");
    assert_eq!(t["return_reason"], "Thiếu danh mục TTHC đề xuất cắt giảm.");
    let (s, _) = app
        .send_json(
            &snv,
            Method::POST,
            &path("verify"),
            &json!({"accept": true}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "nothing to verify");
    app.send_json(
        &officer,
        Method::POST,
        &path("submit"),
        &json!({"note": "Bổ sung danh mục."}),
    )
    .await;
    let (s, t) = app
        .send_json(
            &snv,
            Method::POST,
            &path("verify"),
            &json!({"accept": true, "note": "Đạt"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(t["status"], "done_late", "submitted after 30/3/2024");
    assert!(t["days_late"].as_i64().unwrap() > 0);
    let (_, detail) = app
        .get_json(&officer, &format!("/api/v1/tasks/{tid}"))
        .await;
    let kinds: Vec<&str> = detail["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["progress", "submit", "return", "submit", "accept"]);
    let admin = app.token("admin").await;
    let (_, log) = app
        .get_json(
            &admin,
            &format!("/api/v1/audit?entity=task&entity_id={tid}"),
        )
        .await;
    assert_eq!(log["total"], 6, "creation and five events are audited");
    let (_, st) = app
        .get_json(&snv, &format!("/api/v1/tasks/stats?directive_id={did}"))
        .await;
    assert_eq!(st["assigned"], 1);
    assert_eq!(st["done_late"], 1);
    assert_eq!(st["completion_rate"], 100.0);
}

#[tokio::test]
async fn a_lead_agency_splits_its_task_for_its_communes() {
    let app = spawn_app().await;
    let head = app.token("lanhdao.concuong").await;
    let cc = app.agency_id("H-CONCUONG").await;
    let tasks = all_tasks(&app, &head, "").await;
    let mine = tasks
        .iter()
        .find(|t| t["lead_agency_id"] == json!(cc))
        .unwrap();
    let monson = app.agency_id("X-CONCUONG-MONSON").await;
    let tanky = app.agency_id("H-TANKY").await;
    let sub = |lead: i64| json!({"directive_id": mine["directive_id"], "parent_id": mine["id"], "content": "Xã triển khai phần việc được phân công", "lead_agency_id": lead, "deadline": "2023-09-15"});
    let (s, t) = app
        .send_json(&head, Method::POST, "/api/v1/tasks", &sub(monson))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    let (s, _) = app
        .send_json(&head, Method::POST, "/api/v1/tasks", &sub(tanky))
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "outside the subtree the agency does not exist for the caller"
    );
    let officer = app.token("chuyenvien.monson").await;
    let (s, _) = app
        .get_json(&officer, &format!("/api/v1/tasks/{}", t["id"]))
        .await;
    assert_eq!(s, StatusCode::OK, "the commune sees its sub-task");
    let (s, v) = app
        .send_json(&officer, Method::POST, "/api/v1/tasks", &sub(monson))
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the district's task is invisible to the commune"
    );
    assert_eq!(message(&v), "Nhiệm vụ cha không tồn tại.");
    let other_head = app.token("lanhdao.tanky").await;
    let (s, _) = app
        .send_json(&other_head, Method::POST, "/api/v1/tasks", &sub(tanky))
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "nor can another district split it"
    );
}

#[tokio::test]
async fn task_pages_show_the_overdue_list_and_take_reports() {
    let app = spawn_app().await;
    let (c, csrf) = app.browser("lanhdao.concuong").await;
    let html = c
        .get(app.url("/nhiem-vu?status=overdue"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Danh sách nhiệm vụ quá hạn"));
    let head = app.token("lanhdao.concuong").await;
    let open = all_tasks(&app, &head, "&status=in_progress").await;
    let cc = app.agency_id("H-CONCUONG").await;
    let t = open
        .iter()
        .find(|t| t["lead_agency_id"] == json!(cc))
        .unwrap();
    let id = t["id"].as_i64().unwrap();
    let res = c
        .post(app.url(&format!("/nhiem-vu/{id}/bao-cao")))
        .form(&[("_csrf", csrf.as_str()), ("percent", "abc"), ("note", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Tỷ lệ hoàn thành phải từ 0 đến 100.")
    );
    let res = c
        .post(app.url(&format!("/nhiem-vu/{id}/bao-cao")))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("percent", "70"),
            ("note", "Đã tổ chức hội nghị triển khai tới các xã."),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = c
        .get(app.url(&format!("/nhiem-vu/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Đã gửi báo cáo tiến độ.")
            && html.contains("Đã tổ chức hội nghị triển khai tới các xã.")
            && html.contains("70%")
    );
    let dirs = c
        .get(app.url("/van-ban"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(dirs.contains("574/KH-UBND"));
}

#[tokio::test]
async fn extensions_keep_the_original_deadline() {
    let app = spawn_app().await;
    let snv = app.token("sonoivu").await;
    let stp = app.agency_id("STP").await;
    let (_, d) = app
        .send_json(&snv, Method::POST, "/api/v1/directives", &json!({"number": "98/KH-UBND", "type": "Kế hoạch", "issuer": "UBND tỉnh Nghệ An", "date": "2030-01-02", "subject": "Gia hạn"}))
        .await;
    let (_, t) = app
        .send_json(&snv, Method::POST, "/api/v1/tasks", &json!({"directive_id": d["id"], "content": "Xây dựng đề án", "lead_agency_id": stp, "deadline": "2030-03-31"}))
        .await;
    let tid = t["id"].as_i64().unwrap();
    let lead = app.token("chuyenvien.stp").await;
    let ext = format!("/api/v1/tasks/{tid}/extensions");
    let (s, v) = app
        .send_json(
            &lead,
            Method::POST,
            &ext,
            &json!({"new_deadline": "2030-03-01", "reason": "Chờ ý kiến các sở"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(message(&v), "Hạn mới phải sau hạn hiện tại.");
    let (s, _) = app
        .send_json(
            &snv,
            Method::POST,
            &ext,
            &json!({"new_deadline": "2030-04-30", "reason": "x"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "only the lead asks");
    let (s, e) = app
        .send_json(
            &lead,
            Method::POST,
            &ext,
            &json!({"new_deadline": "30/04/2030", "reason": "Chờ ý kiến các sở"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    let (s, _) = app
        .send_json(
            &lead,
            Method::POST,
            &ext,
            &json!({"new_deadline": "2030-05-30", "reason": "Lần nữa"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "one pending request at a time");
    let dec = format!("{ext}/{}/decision", e["id"]);
    let (s, _) = app
        .send_json(&lead, Method::POST, &dec, &json!({"approve": true}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = app
        .send_json(&snv, Method::POST, &dec, &json!({"approve": false}))
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a refusal needs a reason: {v}"
    );
    let (s, e2) = app
        .send_json(
            &snv,
            Method::POST,
            &dec,
            &json!({"approve": true, "note": "Đồng ý"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(e2["decision"], "approved");
    let (_, detail) = app.get_json(&lead, &format!("/api/v1/tasks/{tid}")).await;
    assert_eq!(detail["task"]["deadline"], "2030-04-30");
    assert_eq!(
        detail["task"]["original_deadline"], "2030-03-31",
        "the original deadline stays visible"
    );
    assert_eq!(detail["extensions"][0]["old_deadline"], "2030-03-31");
    let (s, _) = app
        .send_json(&snv, Method::POST, &dec, &json!({"approve": true}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "decided once");
}

#[tokio::test]
async fn recurring_reports_have_one_occurrence_per_period() {
    let app = spawn_app().await;
    let token = app.token("sonoivu").await;
    let (_, dirs) = app.get_json(&token, "/api/v1/directives?q=6486").await;
    let did = dirs["items"][0]["id"].as_i64().unwrap();
    let tasks = all_tasks(&app, &token, &format!("&directive_id={did}")).await;
    let monthly: Vec<&Value> = tasks
        .iter()
        .filter(|t| t["recurrence"] == "monthly:18")
        .collect();
    assert!(
        !monthly.is_empty(),
        "6486 asks for a report before the 18th of each month"
    );
    // Occurrences carry the parent's lead; September 2023's is due on Mon 18/9/2023.
    let ids: HashSet<i64> = monthly.iter().map(|t| t["id"].as_i64().unwrap()).collect();
    let of = |period: &str| -> Vec<&Value> {
        tasks
            .iter()
            .filter(|t| {
                t["period"] == period && t["parent_id"].as_i64().is_some_and(|p| ids.contains(&p))
            })
            .collect()
    };
    let sept = of("2023-09");
    assert!(!sept.is_empty());
    assert!(sept.iter().all(|t| t["deadline"] == "2023-09-18"));
    // November 2023: the 18th is a Saturday, so the report is due Friday 17/11/2023.
    let nov = of("2023-11");
    assert!(
        !nov.is_empty() && nov.iter().all(|t| t["deadline"] == "2023-11-17"),
        "{:?}",
        nov.first().map(|t| &t["deadline"])
    );
    // Districts stop reporting when they cease to exist (30/6/2025).
    let cc = app.agency_id("H-CONCUONG").await;
    let late = tasks
        .iter()
        .filter(|t| {
            t["lead_agency_id"] == json!(cc)
                && t["deadline"].as_str().is_some_and(|d| d > "2025-06-30")
        })
        .count();
    assert_eq!(late, 0);
    // Running the job again creates nothing twice.
    let cal = domain::calendar::Calendar::from_sources(
        include_str!("../../../../data/calendar/vn-holiday-rules.toml"),
        include_str!("../../../../data/calendar/vn-civil-service-days-off.csv"),
    )
    .unwrap();
    let n = app::jobs::generate_occurrences(
        &app.db,
        &cal,
        (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive(),
    )
    .await
    .unwrap();
    assert_eq!(n, 0);
}

#[tokio::test]
async fn statistics_by_agency_and_excel_exports() {
    let app = spawn_app().await;
    let token = app.token("sonoivu").await;
    let (s, rows) = app
        .get_json(&token, "/api/v1/tasks/stats/by-agency?period=2023")
        .await;
    assert_eq!(s, StatusCode::OK);
    let rows = rows.as_array().unwrap();
    assert!(rows.len() > 20);
    let (_, total) = app
        .get_json(&token, "/api/v1/tasks/stats?period=2023")
        .await;
    let with_lead: i64 = rows.iter().map(|r| r["assigned"].as_i64().unwrap()).sum();
    assert!(with_lead <= total["assigned"].as_i64().unwrap());
    let rates: Vec<f64> = rows
        .iter()
        .map(|r| r["completion_rate"].as_f64().unwrap_or(0.0))
        .collect();
    assert!(
        rates.windows(2).all(|w| w[0] >= w[1]),
        "ranked by completion rate"
    );
    let (s, v) = app
        .get_json(&token, "/api/v1/tasks/stats/by-agency?period=2023-Q9")
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(message(&v).contains("Kỳ không hợp lệ"));
    // The same numbers in the Excel file, for the meeting.
    let res = client()
        .get(app.url("/nhiem-vu/thong-ke/xlsx?period=2023"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap().to_vec();
    use calamine::Reader;
    let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = wb.worksheet_range_at(0).unwrap().unwrap();
    let cells: Vec<String> = sheet
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    let first = rows[0]["agency_name"].as_str().unwrap();
    assert!(cells.iter().any(|c| c == first), "{first} in the workbook");
    assert!(cells.iter().any(|c| c == &rows[0]["assigned"].to_string()));
    // A commune officer's export holds only their scope.
    let officer = app.token("chuyenvien.concuong").await;
    let res = client()
        .get(app.url("/nhiem-vu/xlsx"))
        .bearer_auth(&officer)
        .send()
        .await
        .unwrap();
    let mut wb =
        calamine::Xlsx::new(std::io::Cursor::new(res.bytes().await.unwrap().to_vec())).unwrap();
    let sheet = wb.worksheet_range_at(0).unwrap().unwrap();
    let text: String = sheet
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect::<Vec<_>>()
        .join("|");
    assert!(text.contains("Ủy ban nhân dân huyện Con Cuông"));
    let (_, visible) = app.get_json(&officer, "/api/v1/tasks?limit=1").await;
    let exported = sheet
        .rows()
        .filter(|r| {
            r.iter()
                .any(|c| c.to_string().starts_with('#') || c.to_string().contains("(#"))
        })
        .count();
    assert_eq!(
        exported as i64,
        visible["total"].as_i64().unwrap(),
        "exactly the caller's tasks are exported"
    );
}

#[tokio::test]
async fn the_task_page_splits_a_task_for_a_commune() {
    let app = spawn_app().await;
    let snv = app.token("sonoivu").await;
    let cc = app.agency_id("H-CONCUONG").await;
    let (_, d) = app
        .send_json(&snv, Method::POST, "/api/v1/directives", &json!({"number": "97/KH-UBND", "type": "Kế hoạch", "issuer": "UBND tỉnh Nghệ An", "date": "2024-03-01", "subject": "Tách nhiệm vụ"}))
        .await;
    let (_, t) = app
        .send_json(&snv, Method::POST, "/api/v1/tasks", &json!({"directive_id": d["id"], "content": "Rà soát TTHC cấp xã", "lead_agency_id": cc, "deadline": "2024-05-31"}))
        .await;
    let id = t["id"].as_i64().unwrap();
    let (c, csrf) = app.browser("lanhdao.concuong").await;
    let html = c
        .get(app.url(&format!("/nhiem-vu/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Giao nhiệm vụ con") && html.contains("Ủy ban nhân dân xã Môn Sơn"));
    let res = c
        .post(app.url(&format!("/nhiem-vu/{id}/tach")))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("content", "Xã rà soát"),
            ("lead_agency_id", ""),
            ("deadline", "15/05/2024"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Chưa chọn đơn vị thực hiện nhiệm vụ con.")
    );
    let monson = app.agency_id("X-CONCUONG-MONSON").await.to_string();
    let res = c
        .post(app.url(&format!("/nhiem-vu/{id}/tach")))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("content", "Xã Môn Sơn rà soát"),
            ("lead_agency_id", monson.as_str()),
            ("deadline", "15/05/2024"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = c
        .get(app.url(&format!("/nhiem-vu/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Đã giao nhiệm vụ con.") && html.contains("Xã Môn Sơn rà soát"));
    let (_, kids) = app
        .get_json(&snv, &format!("/api/v1/tasks?parent_id={id}"))
        .await;
    assert_eq!(kids["total"], 1);
    // A commune officer cannot split the district's task.
    let (o, ocsrf) = app.browser("chuyenvien.monson").await;
    let res = o
        .post(app.url(&format!("/nhiem-vu/{id}/tach")))
        .form(&[
            ("_csrf", ocsrf.as_str()),
            ("content", "x"),
            ("lead_agency_id", monson.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
