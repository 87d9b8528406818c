//! Evidence files on task reports, files attached to directives, tasks of merged agencies
//! moving to their successors, and periods by reporting window.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::helpers::*;

async fn list(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let mut items = Vec::new();
    loop {
        let (s, v) = app
            .get_json(
                token,
                &format!("/api/v1/tasks?limit=500&offset={}{query}", items.len()),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let page = v["items"].as_array().unwrap().clone();
        let total = v["total"].as_i64().unwrap() as usize;
        items.extend(page);
        if items.len() >= total {
            return items;
        }
    }
}

fn pdf(name: &str, bytes: &[u8]) -> Part {
    Part::bytes(bytes.to_vec())
        .file_name(name.to_string())
        .mime_str("application/pdf")
        .unwrap()
}

#[tokio::test]
async fn evidence_files_travel_with_reports_and_stay_in_scope() {
    let app = spawn_app().await;
    let head = app.token("lanhdao.concuong").await;
    let cc = app.agency_id("H-CONCUONG").await;
    let open = list(&app, &head, "&status=in_progress").await;
    let id = open
        .iter()
        .find(|t| t["lead_agency_id"] == json!(cc))
        .expect("an open Con Cuông task")["id"]
        .as_i64()
        .unwrap();
    let reports = |v: &Value| v["reports"].as_array().unwrap().len();
    let (_, before) = app.get_json(&head, &format!("/api/v1/tasks/{id}")).await;

    // Through the page: multipart with two files.
    let (c, csrf) = app.browser("lanhdao.concuong").await;
    let content = b"%PDF-1.4 bien ban hoi nghi".to_vec();
    let form = Form::new()
        .text("percent", "55")
        .text("note", "Đã tổ chức hội nghị, gửi kèm biên bản.")
        .part("files", pdf("Biên bản hội nghị.pdf", &content))
        .part(
            "files",
            Part::bytes(vec![0x89, b'P', b'N', b'G'])
                .file_name("ảnh.png")
                .mime_str("image/png")
                .unwrap(),
        );
    let res = c
        .post(app.url(&format!("/nhiem-vu/{id}/bao-cao?_csrf={csrf}")))
        .multipart(form)
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
    assert!(html.contains("Biên bản hội nghị.pdf") && html.contains("ảnh.png"));
    let (_, after) = app.get_json(&head, &format!("/api/v1/tasks/{id}")).await;
    assert_eq!(reports(&after), reports(&before) + 1);
    let last = after["reports"].as_array().unwrap().last().unwrap().clone();
    let files = last["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    let url = files[0]["url"].as_str().unwrap().to_string();
    let file_id = files[0]["id"].as_i64().unwrap();

    // Download: the owner's browser and token get the exact bytes with a UTF-8 name.
    let res = c
        .get(app.url(&format!("/tep/{file_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let cd = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cd.contains("filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n"),
        "{cd}"
    );
    assert_eq!(res.bytes().await.unwrap().to_vec(), content);
    let res = client()
        .get(app.url(&url))
        .bearer_auth(&head)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // Another agency's officer, and the public, do not see it.
    let other = app.token("chuyenvien.stp").await;
    let (s, _) = app.get_json(&other, &url).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let res = client().get(app.url(&url)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    // Through the API: multipart with one file.
    let form = Form::new()
        .text("percent", "60")
        .text("note", "Bổ sung kế hoạch chi tiết.")
        .part("files", pdf("Kế hoạch.pdf", b"%PDF-1.4 ke hoach"));
    let res = client()
        .post(app.url(&format!("/api/v1/tasks/{id}/reports")))
        .bearer_auth(&head)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    // Refused: an executable, and an empty file; nothing is recorded.
    let (_, before) = app.get_json(&head, &format!("/api/v1/tasks/{id}")).await;
    for (name, bytes) in [("virus.exe", b"MZ".to_vec()), ("rong.pdf", Vec::new())] {
        let form = Form::new()
            .text("percent", "70")
            .text("note", "Thử tệp không hợp lệ.")
            .part("files", Part::bytes(bytes).file_name(name.to_string()));
        let res = client()
            .post(app.url(&format!("/api/v1/tasks/{id}/reports")))
            .bearer_auth(&head)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{name}");
        let v: Value = res.json().await.unwrap();
        assert!(is_vietnamese(&message(&v)), "{v}");
    }
    let (_, after) = app.get_json(&head, &format!("/api/v1/tasks/{id}")).await;
    assert_eq!(reports(&after), reports(&before));
}

#[tokio::test]
async fn directives_carry_their_signed_copy() {
    let app = spawn_app().await;
    let snv = app.token("sonoivu").await;
    let (_, v) = app.get_json(&snv, "/api/v1/directives?q=6794").await;
    let did = v["items"][0]["id"].as_i64().unwrap();
    let (c, csrf) = app.browser("sonoivu").await;
    let form = Form::new().part("files", pdf("6794-UBND-KSTT.pdf", b"%PDF-1.4 6794"));
    let res = c
        .post(app.url(&format!("/van-ban/{did}/tep?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (s, files) = app
        .get_json(&snv, &format!("/api/v1/directives/{did}/files"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(files["total"], 1);
    assert_eq!(files["items"][0]["name"], "6794-UBND-KSTT.pdf");
    let html = c
        .get(app.url(&format!("/van-ban/{did}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("6794-UBND-KSTT.pdf"));
    // Without the CSRF token: refused.
    let form = Form::new().part("files", pdf("x.pdf", b"%PDF"));
    let res = c
        .post(app.url(&format!("/van-ban/{did}/tep")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // A unit officer may read the directive (it assigns them tasks) but not attach.
    let unit = app.token("lanhdao.concuong").await;
    let form = Form::new().part("files", pdf("x.pdf", b"%PDF"));
    let res = client()
        .post(app.url(&format!("/api/v1/directives/{did}/files")))
        .bearer_auth(&unit)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert!(
        matches!(res.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{}",
        res.status()
    );
    let (_, files) = app
        .get_json(&snv, &format!("/api/v1/directives/{did}/files"))
        .await;
    assert_eq!(files["total"], 1);
}

#[tokio::test]
async fn open_tasks_of_merged_agencies_belong_to_their_successors() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let tasks = list(&app, &admin, "").await;
    // Agencies merged into another one, from the demo registry.
    let csv = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/demo/agencies.csv"
    ))
    .unwrap();
    // code -> (ended, merged into)
    let rows: std::collections::HashMap<&str, (bool, &str)> = csv
        .lines()
        .skip(1)
        .filter_map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            (c.len() > 7).then(|| (c[0], (!c[6].is_empty(), c[7])))
        })
        .collect();
    // Agencies ended with a chain of mergers leading to an agency in force today.
    let mut merged = Vec::new();
    for (code, (ended, into)) in &rows {
        if !ended || into.is_empty() {
            continue;
        }
        let mut cur = *into;
        while let Some((true, next)) = rows.get(cur) {
            cur = next;
        }
        if rows.get(cur).is_some_and(|(ended, _)| !ended) {
            merged.push(app.agency_id(code).await);
        }
    }
    assert!(!merged.is_empty());
    let done = ["done_on_time", "done_late"];
    let template = |t: &Value| {
        t["parent_id"].is_null() && t["recurrence"].as_str().is_some_and(|r| r != "continuous")
    };
    let stranded: Vec<&Value> = tasks
        .iter()
        .filter(|t| !done.contains(&t["status"].as_str().unwrap()) && !template(t))
        .filter(|t| {
            t["lead_agency_id"]
                .as_i64()
                .is_some_and(|a| merged.contains(&a))
        })
        .collect();
    assert!(stranded.is_empty(), "{:?}", stranded.first());
    let moved: Vec<&Value> = tasks
        .iter()
        .filter(|t| t["transferred_from"].is_string())
        .collect();
    assert!(!moved.is_empty());
    let id = moved[0]["id"].as_i64().unwrap();
    let (_, audit) = app
        .get_json(&admin, &format!("/api/v1/audit?entity=task&entity_id={id}"))
        .await;
    assert!(
        audit.to_string().contains("do sáp nhập, giải thể"),
        "{audit}"
    );
    // Running it again moves nothing.
    let again = store::task::transfer_dissolved(
        &app.db,
        (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive(),
        &store::audit::Actor::system("test"),
    )
    .await
    .unwrap();
    assert!(again.is_empty());
}

#[tokio::test]
async fn periods_by_calendar_or_reporting_window() {
    let app = spawn_app().await;
    let snv = app.token("sonoivu").await;
    let cal = list(&app, &snv, "&period=2023-09&period_mode=calendar").await;
    let win = list(&app, &snv, "&period=2023-09&period_mode=window").await;
    for t in &cal {
        let d = t["deadline"].as_str().unwrap();
        assert!(("2023-09-01"..="2023-09-30").contains(&d), "{d}");
    }
    for t in &win {
        let d = t["deadline"].as_str().unwrap();
        assert!(("2023-08-15"..="2023-09-14").contains(&d), "{d}");
    }
    assert!(!win.is_empty() && !cal.is_empty());
    let (s, v) = app
        .get_json(&snv, "/api/v1/tasks?period=2023-09&period_mode=tuan")
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(message(&v).contains("Cách tính kỳ"));
    let (c, _) = app.browser("sonoivu").await;
    let html = c
        .get(app.url("/nhiem-vu/thong-ke?period=2023-Q3&period_mode=window"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Kỳ báo cáo (15 tháng trước → 14)"));
}
