//! Notifications of events (issue 23): whoever must act next hears of it — the lead unit
//! of a new task, the assigning offices of a completion to verify, the unit of a returned
//! or accepted completion; the officer a feedback is assigned to, the head of a draft
//! answer, the officer of a returned draft. Never the one who acted, never another unit.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

/// "kind" of each of a user's notifications whose link is `link`, oldest first.
async fn kinds(app: &TestApp, username: &str, link: &str) -> Vec<(String, String)> {
    let uid = app.user_id(username).await;
    let (items, _) =
        store::notification::list_for_user(&app.db, uid, store::Page::new(Some(500), None))
            .await
            .unwrap();
    let mut v: Vec<_> = items
        .into_iter()
        .filter(|n| n.link == link)
        .map(|n| (n.created_at, n.kind, n.body))
        .collect();
    v.sort();
    v.into_iter().map(|(_, k, b)| (k, b)).collect()
}

fn only_kinds(v: &[(String, String)]) -> Vec<&str> {
    v.iter().map(|(k, _)| k.as_str()).collect()
}

#[tokio::test]
async fn the_next_person_to_act_is_told() {
    let app = spawn_app().await;
    let snv = app.token("sonoivu").await;
    let stp = app.agency_id("STP").await;
    let (s, d) = app
        .send_json(&snv, Method::POST, "/api/v1/directives", &json!({"number": "77/KH-UBND", "type": "Kế hoạch", "issuer": "Ủy ban nhân dân tỉnh Nghệ An", "date": "2026-11-02", "subject": "Thử nghiệm thông báo"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let (s, t) = app
        .send_json(&snv, Method::POST, "/api/v1/tasks", &json!({"directive_id": d["id"], "content": "Công khai quy trình nội bộ giải quyết TTHC", "lead_agency_id": stp, "item_ref": "mục 1", "deadline": "2027-01-15"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    let tid = t["id"].as_i64().unwrap();
    let link = format!("/nhiem-vu/{tid}");
    for u in ["chuyenvien.stp", "lanhdao.stp"] {
        let k = kinds(&app, u, &link).await;
        assert_eq!(only_kinds(&k), ["assigned"], "{u}");
        assert!(k[0].1.contains("77/KH-UBND, mục 1:"), "{}", k[0].1);
        assert!(!k[0].1.contains("mục mục"), "{}", k[0].1);
        assert!(k[0].1.contains("15/01/2027"));
    }
    assert!(
        kinds(&app, "sonoivu", &link).await.is_empty(),
        "not the one who acted"
    );
    assert!(
        kinds(&app, "lanhdao.sxd", &link).await.is_empty(),
        "not another unit"
    );

    // The lead reports completion: the assigning offices are asked to verify.
    let lead = app.token("lanhdao.stp").await;
    let path = |a: &str| format!("/api/v1/tasks/{tid}/{a}");
    let (s, v) = app
        .send_json(
            &lead,
            Method::POST,
            &path("submit"),
            &json!({"note": "Đã công khai trên cổng."}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        only_kinds(&kinds(&app, "vanphong", &link).await),
        ["awaiting_verification"]
    );
    assert_eq!(
        only_kinds(&kinds(&app, "sonoivu", &link).await),
        ["awaiting_verification"]
    );
    // Returned with a reason: the unit hears it, with the reason.
    let (s, v) = app
        .send_json(
            &snv,
            Method::POST,
            &path("verify"),
            &json!({"accept": false, "note": "Thiếu đường dẫn minh chứng"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let k = kinds(&app, "chuyenvien.stp", &link).await;
    assert_eq!(only_kinds(&k), ["assigned", "returned"]);
    assert!(k[1].1.contains("Thiếu đường dẫn minh chứng"), "{}", k[1].1);
    // Submitted again: a second request to verify; accepted: the head is told.
    let (s, _) = app
        .send_json(
            &lead,
            Method::POST,
            &path("submit"),
            &json!({"note": "Bổ sung đường dẫn."}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        only_kinds(&kinds(&app, "vanphong", &link).await),
        ["awaiting_verification", "awaiting_verification"]
    );
    let vp = app.token("vanphong").await;
    let (s, _) = app
        .send_json(&vp, Method::POST, &path("verify"), &json!({"accept": true}))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        only_kinds(&kinds(&app, "lanhdao.stp", &link).await),
        ["assigned", "returned", "accepted"]
    );
    assert_eq!(
        only_kinds(&kinds(&app, "chuyenvien.stp", &link).await),
        ["assigned", "returned"],
        "an acceptance goes to the head only"
    );

    // A feedback: assigned, drafted, returned.
    let res = client()
        .post(app.url("/api/v1/feedback"))
        .json(&json!({"kind": "procedure", "agency_code": "STP", "name": "Lê Văn Tư", "phone": "0915000111",
                      "title": "Hướng dẫn chứng thực chưa rõ",
                      "content": "Trang hướng dẫn chứng thực bản sao không nêu rõ lệ phí và thời hạn giải quyết."}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let code = res.json::<Value>().await.unwrap()["code"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, list) = app
        .get_json(&lead, &format!("/api/v1/feedback?q={code}"))
        .await;
    let fid = list["items"][0]["id"].as_i64().expect("in the queue");
    let flink = format!("/phan-anh-kien-nghi/{fid}");
    let officer = app.token("chuyenvien.stp").await;
    let ev = |token: String, body: Value| {
        let app = &app;
        async move {
            app.send_json(
                &token,
                Method::POST,
                &format!("/api/v1/feedback/{fid}/events"),
                &body,
            )
            .await
        }
    };
    let (s, v) = ev(officer.clone(), json!({"action": "accept"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = ev(
        lead.clone(),
        json!({"action": "assign", "assignee": "chuyenvien.stp"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let k = kinds(&app, "chuyenvien.stp", &flink).await;
    assert_eq!(only_kinds(&k), ["assigned"]);
    assert!(k[0].1.contains(&code));
    let (s, v) = ev(officer.clone(), json!({"action": "draft", "answer": "Lệ phí và thời hạn đã được bổ sung trên trang hướng dẫn."})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        only_kinds(&kinds(&app, "lanhdao.stp", &flink).await),
        ["awaiting_approval"]
    );
    let (s, v) = ev(
        lead.clone(),
        json!({"action": "return_draft", "note": "Ghi rõ ngày cập nhật."}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        only_kinds(&kinds(&app, "chuyenvien.stp", &flink).await),
        ["assigned", "returned"]
    );
    assert!(kinds(&app, "lanhdao.sxd", &flink).await.is_empty());
    // The navigation's unread count shows them.
    let (c, _) = app.browser("chuyenvien.stp").await;
    let count = c
        .get(app.url("/thong-bao/so-luong"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        count.chars().any(|ch| ch.is_ascii_digit() && ch != '0'),
        "{count}"
    );
}

/// A local SMTP sink: accepts every message and keeps (recipients, message text).
async fn smtp_sink() -> (
    u16,
    std::sync::Arc<std::sync::Mutex<Vec<(Vec<String>, String)>>>,
) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let inbox = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let keep = inbox.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let keep = keep.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut lines = BufReader::new(r).lines();
                let _ = w.write_all(b"220 sink ESMTP\r\n").await;
                let mut rcpt = Vec::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    let up = line.to_ascii_uppercase();
                    let reply: &[u8] = if up.starts_with("EHLO") {
                        b"250-sink\r\n250 8BITMIME\r\n"
                    } else if up.starts_with("RCPT TO:") {
                        rcpt.push(
                            line[8..]
                                .trim()
                                .trim_matches(|c| c == '<' || c == '>')
                                .to_string(),
                        );
                        b"250 OK\r\n"
                    } else if up.starts_with("DATA") {
                        let _ = w.write_all(b"354 go ahead\r\n").await;
                        let mut text = String::new();
                        while let Ok(Some(l)) = lines.next_line().await {
                            if l == "." {
                                break;
                            }
                            text.push_str(&l);
                            text.push('\n');
                        }
                        keep.lock().unwrap().push((std::mem::take(&mut rcpt), text));
                        b"250 queued\r\n"
                    } else if up.starts_with("QUIT") {
                        let _ = w.write_all(b"221 bye\r\n").await;
                        break;
                    } else {
                        b"250 OK\r\n"
                    };
                    if w.write_all(reply).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    (port, inbox)
}

#[tokio::test]
async fn notifications_are_e_mailed_through_smtp() {
    let app = spawn_app().await;
    let (port, inbox) = smtp_sink().await;
    for (user, email) in [
        ("chuyenvien.stp", "khoa.vd@stp.nghean.gov.vn"),
        ("lanhdao.stp", "chau.ltm@stp.nghean.gov.vn"),
    ] {
        let uid = app.user_id(user).await;
        store::on_db!(&app.db, |p| {
            store::sqlx::query("update app_user set email = $1 where id = $2")
                .bind(email)
                .bind(uid)
                .execute(p)
                .await
                .unwrap();
        });
    }
    let snv = app.token("sonoivu").await;
    let stp = app.agency_id("STP").await;
    let (s, d) = app
        .send_json(&snv, Method::POST, "/api/v1/directives", &json!({"number": "78/KH-UBND", "type": "Kế hoạch", "issuer": "Ủy ban nhân dân tỉnh Nghệ An", "date": "2026-11-03", "subject": "Thử nghiệm thư"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let (s, t) = app
        .send_json(&snv, Method::POST, "/api/v1/tasks", &json!({"directive_id": d["id"], "content": "Rà soát niêm yết TTHC tại bộ phận một cửa", "lead_agency_id": stp, "deadline": "2027-02-10"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    let mailer = app::jobs::Mailer::new(
        &format!("smtp://127.0.0.1:{port}"),
        "CCHC Nghệ An <cchc@nghean.gov.vn>",
    )
    .unwrap();
    let sent = app::jobs::email_notifications(&app.db, &mailer)
        .await
        .unwrap();
    assert!(sent >= 2, "{sent}");
    let got = inbox.lock().unwrap().clone();
    for email in ["khoa.vd@stp.nghean.gov.vn", "chau.ltm@stp.nghean.gov.vn"] {
        // (The demo's own notifications, e.g. of its inspections, go out too.)
        let m = got
            .iter()
            .find(|(to, body)| to.iter().any(|x| x == email) && body.contains("78/KH-UBND"))
            .unwrap_or_else(|| panic!("a message to {email}: {got:?}"));
        assert!(
            m.1.contains("Subject:") && m.1.contains("78/KH-UBND"),
            "{}",
            m.1
        );
        assert!(m.1.contains("<cchc@nghean.gov.vn>"), "{}", m.1);
        assert!(m.1.contains("charset=utf-8"), "{}", m.1);
    }
    // Sent once: the next run has nothing for them.
    let again = app::jobs::email_notifications(&app.db, &mailer)
        .await
        .unwrap();
    assert_eq!(again, 0);
}
