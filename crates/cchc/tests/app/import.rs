//! Importing directives from their text and tasks from appendix tables: a proposal first,
//! nothing saved until confirmed, bad rows reported by line.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use crate::helpers::*;

const UNSEEN: &str =
    include_str!("../../../docparse/tests/fixtures/unseen/tuyen-quang-87-kh-ubnd-2013.txt");

#[tokio::test]
async fn a_directive_text_becomes_a_proposal_then_a_directive() {
    let app = spawn_app().await;
    let (c, csrf) = app.browser("sonoivu").await;
    let before = store::directive::count(&app.db).await.unwrap();
    // Without the form token, an upload is refused.
    let form = Form::new().part(
        "file",
        Part::bytes(UNSEEN.as_bytes().to_vec()).file_name("87-kh-ubnd.txt"),
    );
    let res = c
        .post(app.url("/van-ban/nhap"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let form = Form::new().part(
        "file",
        Part::bytes(UNSEEN.as_bytes().to_vec()).file_name("87-kh-ubnd.txt"),
    );
    let res = c
        .post(app.url(&format!("/van-ban/nhap?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("value=\"87/KH-UBND\"") && html.contains("value=\"10/12/2013\""),
        "the proposal shows the number and the date"
    );
    assert!(
        html.contains("<mark>87/KH-UBND</mark>"),
        "the extracted number is highlighted in the source"
    );
    assert_eq!(
        store::directive::count(&app.db).await.unwrap(),
        before,
        "nothing saved before confirmation"
    );
    // Unsupported file and empty input: a Vietnamese reason, nothing saved.
    let form = Form::new().part(
        "file",
        Part::bytes(b"\x89PNG....".to_vec()).file_name("scan.png"),
    );
    let res = c
        .post(app.url(&format!("/van-ban/nhap?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Định dạng tệp không được hỗ trợ")
    );
    // Confirming: a row without a lead blocks the whole save.
    let stp = app.agency_id("STP").await;
    let base = vec![
        ("_csrf", csrf.clone()),
        ("d0_include", "1".into()),
        ("d0_number", "87/KH-UBND".into()),
        ("d0_type", "Kế hoạch".into()),
        ("d0_issuer", "Ủy ban nhân dân tỉnh Tuyên Quang".into()),
        ("d0_date", "10/12/2013".into()),
        (
            "d0_subject",
            "Cải cách hành chính tỉnh Tuyên Quang năm 2014".into(),
        ),
        ("d0_t0_include", "1".into()),
        (
            "d0_t0_content",
            "Rà soát, đơn giản hóa thủ tục hành chính".into(),
        ),
        ("d0_t0_lead_text", "Sở Tư pháp".into()),
        ("d0_t0_deadline", "31/12/2014".into()),
        ("d0_t1_include", "1".into()),
        ("d0_t1_content", "Nhiệm vụ chưa rõ cơ quan".into()),
        ("d0_t1_lead_text", "".into()),
    ];
    let mut bad = base.clone();
    bad.push(("d0_t0_lead", format!("a:{stp}")));
    let res = c
        .post(app.url("/van-ban/nhap/xac-nhan"))
        .form(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Chưa chọn cơ quan chủ trì.")
    );
    assert_eq!(store::directive::count(&app.db).await.unwrap(), before);
    // The officer types the agency code for the second row and confirms.
    let mut good = bad.clone();
    good.push(("d0_t1_lead_code", "sxd".into()));
    let res = c
        .post(app.url("/van-ban/nhap/xac-nhan"))
        .form(&good)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let loc = res.headers()["location"].to_str().unwrap().to_string();
    let page = c
        .get(app.url(&loc))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Đã lưu 1 văn bản và giao 2 nhiệm vụ."),
        "{}",
        &page[page.find("<main>").unwrap_or(0)..][..600]
    );
    assert!(
        page.contains("Rà soát, đơn giản hóa thủ tục hành chính") && page.contains("Sở Xây dựng")
    );
    // The same document again is refused, not duplicated.
    let res = c
        .post(app.url("/van-ban/nhap/xac-nhan"))
        .form(&good)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    // Units cannot import directives.
    let (o, ocsrf) = app.browser("chuyenvien.stp").await;
    let res = o
        .post(app.url(&format!("/van-ban/nhap?_csrf={ocsrf}")))
        .multipart(Form::new().text("text", UNSEEN))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_appendix_table_reports_bad_rows_and_imports_only_on_confirmation() {
    let app = spawn_app().await;
    let (c, csrf) = app.browser("sonoivu").await;
    let token = app.token("sonoivu").await;
    let (_, dirs) = app.get_json(&token, "/api/v1/directives?q=574").await;
    let did = dirs["items"][0]["id"].as_i64().unwrap();
    let (_, before) = app
        .get_json(&token, &format!("/api/v1/tasks/stats?directive_id={did}"))
        .await;
    let csv = "STT;Nội dung;Cơ quan chủ trì;Cơ quan phối hợp;Thời gian thực hiện;Ghi chú\n\
               1;Rà soát quy trình nội bộ;Sở Tư pháp;Sở Nội vụ;Quý IV/2023;\n\
               2;Nhiệm vụ không có cơ quan;;;Thường xuyên;\n\
               3;Công khai TTHC;Văn phòng UBND tỉnh;;trong tháng 12 năm 2023;\n";
    let form = Form::new().part(
        "file",
        Part::bytes(csv.as_bytes().to_vec()).file_name("phu-luc.csv"),
    );
    let res = c
        .post(app.url(&format!("/van-ban/{did}/nhap-bang?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Dòng 3"),
        "the bad row is reported with its line number"
    );
    assert!(html.contains("chưa nhập gì"));
    assert!(
        html.contains("Rà soát quy trình nội bộ") && html.contains("value=\"31/12/2023\""),
        "Quý IV/2023 → 31/12/2023"
    );
    let (_, same) = app
        .get_json(&token, &format!("/api/v1/tasks/stats?directive_id={did}"))
        .await;
    assert_eq!(same["assigned"], before["assigned"], "nothing imported yet");
    let stp = app.agency_id("STP").await;
    let vp = app.agency_id("VP-UBND").await;
    let fields = vec![
        ("_csrf", csrf.clone()),
        ("d0_include", "1".into()),
        ("d0_number", "574/KH-UBND".into()),
        ("d0_type", "Kế hoạch".into()),
        ("d0_issuer", "x".into()),
        ("d0_date", "02/08/2023".into()),
        ("d0_subject", "x".into()),
        ("d0_t0_include", "1".into()),
        ("d0_t0_content", "Rà soát quy trình nội bộ".into()),
        ("d0_t0_lead_text", "Sở Tư pháp".into()),
        ("d0_t0_lead", format!("a:{stp}")),
        ("d0_t0_support_text", "Sở Nội vụ".into()),
        ("d0_t0_deadline", "31/12/2023".into()),
        ("d0_t1_include", "1".into()),
        ("d0_t1_content", "Công khai TTHC".into()),
        ("d0_t1_lead_text", "Văn phòng UBND tỉnh".into()),
        ("d0_t1_lead", format!("a:{vp}")),
        ("d0_t1_deadline", "31/12/2023".into()),
    ];
    let res = c
        .post(app.url(&format!("/van-ban/{did}/nhap-bang/xac-nhan")))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, after) = app
        .get_json(&token, &format!("/api/v1/tasks/stats?directive_id={did}"))
        .await;
    assert_eq!(
        after["assigned"].as_i64().unwrap(),
        before["assigned"].as_i64().unwrap() + 2
    );
    let snv = app.agency_id("SNV").await;
    let (_, t) = app
        .get_json(
            &token,
            &format!("/api/v1/tasks?directive_id={did}&agency_id={snv}&q=ra soat quy trinh noi bo"),
        )
        .await;
    assert_eq!(t["total"], 1, "the supporting agency was matched: {t}");
}

/// `POST /api/v1/directives/parse` answers what `cchc directive parse --json` prints, from
/// JSON text or a file, and saves nothing.
#[tokio::test]
async fn the_parse_api_answers_the_readers_json_and_saves_nothing() {
    let app = spawn_app().await;
    let token = app.token("sonoivu").await;
    let before = store::directive::count(&app.db).await.unwrap();
    let expected = serde_json::json!({ "documents": docparse::parse(UNSEEN) });
    let (s, v) = app
        .send_json(
            &token,
            reqwest::Method::POST,
            "/api/v1/directives/parse",
            &serde_json::json!({ "text": UNSEEN }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v, expected);
    assert_eq!(v["documents"][0]["number"], "87/KH-UBND");
    // The same text as a file.
    let form = Form::new().part(
        "file",
        Part::bytes(UNSEEN.as_bytes().to_vec()).file_name("87-kh-ubnd.txt"),
    );
    let res = client()
        .post(app.url("/api/v1/directives/parse"))
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<serde_json::Value>().await.unwrap(), expected);
    // Nothing to read, an unknown file kind, no login.
    let (s, v) = app
        .send_json(
            &token,
            reqwest::Method::POST,
            "/api/v1/directives/parse",
            &serde_json::json!({ "text": "  " }),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(is_vietnamese(&message(&v)), "{v}");
    let form = Form::new().part("file", Part::bytes(b"abc".to_vec()).file_name("x.exe"));
    let res = client()
        .post(app.url("/api/v1/directives/parse"))
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = client()
        .post(app.url("/api/v1/directives/parse"))
        .json(&serde_json::json!({ "text": UNSEEN }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(store::directive::count(&app.db).await.unwrap(), before);
}
