//! The public feedback pages (issue 22): the form's honeypot, time trap and proof of work,
//! the code shown after sending, tracking and rating on the page, published answers —
//! and no personal data on any public page.

use reqwest::StatusCode;

use crate::helpers::*;

fn attr(html: &str, marker: &str) -> String {
    let i = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} not in page"));
    let rest = &html[i + marker.len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

#[tokio::test]
async fn the_public_form_checks_robots_and_keeps_personal_data_private() {
    let app = spawn_app().await;
    let c = client();
    let page = c.get(app.url("/phan-anh")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Gửi phản ánh, kiến nghị") && html.contains("Sở Tư pháp"));
    let token = csrf_in(&html);
    let shown_at = attr(&html, "name=\"shown_at\" value=\"");
    let challenge = attr(&html, "data-pow=\"");
    assert_eq!(challenge, format!("{token}.{shown_at}"));
    let nonce = domain::feedback::pow::solve(&challenge);
    let fields = |nonce: &str, website: &str| {
        vec![
            ("_csrf", token.clone()),
            ("shown_at", shown_at.clone()),
            ("nonce", nonce.to_string()),
            ("website", website.to_string()),
            ("kind", "conduct".to_string()),
            ("agency_code", "STP".to_string()),
            ("content", "Cán bộ tiếp nhận hẹn lại nhiều lần mà không ghi rõ lý do, yêu cầu nộp thêm giấy tờ không có trong thủ tục.".to_string()),
            ("name", "Trần Thị Cúc".to_string()),
            ("phone", "0977 654 321".to_string()),
            ("email", "cuc.tran@example.vn".to_string()),
        ]
    };
    let post = |f: Vec<(&'static str, String)>| {
        let c = c.clone();
        let url = app.url(&format!("/phan-anh?_csrf={token}"));
        async move {
            let mut form = reqwest::multipart::Form::new();
            for (k, v) in f {
                form = form.text(k, v);
            }
            let r = c.post(url).multipart(form).send().await.unwrap();
            (r.status(), r.text().await.unwrap())
        }
    };
    // Too fast, then a robot's honeypot, then no proof of work: refused, nothing stored.
    let (st, body) = post(fields(&nonce, "")).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "sent within the time trap");
    assert!(body.contains("quá nhanh"));
    tokio::time::sleep(std::time::Duration::from_millis(3100)).await;
    let (st, _) = post(fields(&nonce, "http://spam.example")).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "honeypot");
    let (st, body) = post(fields("1", "")).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "proof of work");
    assert!(body.contains("xác minh"));
    let kstt = app.token("vanphong").await;
    let (_, v) = app
        .get_json(
            &kstt,
            "/api/v1/feedback?q=hen lai nhieu lan ma khong ghi ro",
        )
        .await;
    assert_eq!(v["total"], 0, "nothing stored");
    // A bad field comes back with what was typed.
    let mut bad = fields(&nonce, "");
    bad.retain(|(k, _)| *k != "phone");
    bad.push(("phone", "abc".into()));
    let (st, body) = post(bad).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("Số điện thoại không hợp lệ") && body.contains("Cán bộ tiếp nhận hẹn lại")
    );
    // Sent: the code and the due date.
    let (st, body) = post(fields(&nonce, "")).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert!(body.contains("Đã tiếp nhận phản ánh"));
    let code = attr(&body, "<strong class=\"code\">").replace("</strong>", "");
    let code = code.split('<').next().unwrap().to_string();
    assert!(code.starts_with("PA"), "{code}");

    // Tracking on the page: wrong digits say nothing; right ones show the state.
    let r = c
        .get(app.url(&format!("/phan-anh/tra-cuu?ma={code}&so=0000")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = c
        .get(app.url(&format!("/phan-anh/tra-cuu?ma={code}&so=4321")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("Mới tiếp nhận") && body.contains("Sở Tư pháp"),
        "{body}"
    );
    for p in ["Trần Thị Cúc", "0977", "654 321", "cuc.tran"] {
        assert!(!body.contains(p), "{p} on the public tracking page");
    }
    let portal = c.get(app.url("/cong-khai")).send().await.unwrap();
    assert_eq!(portal.status(), StatusCode::OK);
    let body = portal.text().await.unwrap();
    for section in [
        "Tra cứu thủ tục hành chính",
        "Tra cứu hồ sơ",
        "Gửi phản ánh",
        "Trả lời phản ánh, kiến nghị mới công khai",
        "Chỉ số CCHC năm 2023 đã công bố",
        "Bộ chỉ số 766",
    ] {
        assert!(body.contains(section), "{section} on the portal");
    }
    for path in [
        "/cong-khai",
        "/phan-anh",
        "/phan-anh/cong-khai",
        "/phan-anh/cong-khai?q=can bo",
        "/cong-khai/chi-so-766",
        "/cong-khai/chi-so-766?ky=10/2023&loai=ubnd_huyen",
    ] {
        let body = c
            .get(app.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        for p in ["Trần Thị Cúc", "0977 654 321", "cuc.tran"] {
            assert!(!body.contains(p), "{p} on {path}");
        }
    }
}

#[tokio::test]
async fn statistics_agree_with_766_group_5_and_export() {
    let app = spawn_app().await;
    let head = app.token("lanhdao.stp").await;
    let year = (chrono::Utc::now() + chrono::Duration::hours(7))
        .format("%Y")
        .to_string();
    let (st, s) = app
        .get_json(&head, &format!("/api/v1/feedback/stats?period={year}"))
        .await;
    assert_eq!(st, StatusCode::OK, "{s}");
    let n = |v: &serde_json::Value, k: &str| v[k].as_u64().unwrap();
    let units = s["units"].as_array().unwrap();
    assert!(!units.is_empty(), "the demo's feedback to the Sở Tư pháp");
    // The unit sees only its own subtree.
    assert!(units.iter().all(|u| u["unit_code"] != "SXD"), "{s}");
    let t = &s["total"];
    for k in ["received", "on_time", "late", "published", "unsatisfactory"] {
        let sum: u64 = units.iter().map(|u| n(u, k)).sum();
        assert_eq!(sum, n(t, k), "{k}");
    }
    assert_eq!(
        n(t, "received"),
        n(t, "on_time") + n(t, "pending_within") + n(t, "late")
    );
    assert_eq!(
        n(t, "received"),
        n(t, "about_regulations") + n(t, "about_conduct")
    );
    // The same numbers as the 766 scorecard's group 5.
    let (_, ind) = app
        .get_json(&head, &format!("/api/v1/indicators?unit=STP&period={year}"))
        .await;
    let f = &ind["facts"];
    assert_eq!(n(t, "received"), n(f, "feedback_received"));
    assert_eq!(n(t, "on_time"), n(f, "feedback_answered_on_time"));
    assert_eq!(n(t, "unsatisfactory"), n(f, "feedback_unsatisfactory"));
    // A bad period is a Vietnamese 400.
    let (st, v) = app
        .get_json(&head, "/api/v1/feedback/stats?period=khong-co")
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{v}");
    assert!(is_vietnamese(&message(&v)));
    // The page and its workbook.
    let (c, _) = app.browser("lanhdao.stp").await;
    let page = c
        .get(app.url(&format!("/phan-anh-kien-nghi/thong-ke?period={year}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("Sở Tư pháp"));
    let x = c
        .get(app.url(&format!(
            "/phan-anh-kien-nghi/thong-ke?period={year}&format=xlsx"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(x.status(), StatusCode::OK);
    let bytes = x.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"), "an xlsx workbook");
}
