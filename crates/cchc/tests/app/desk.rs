//! The guided one-stop desk: the clerk's home with what waits today (each figure equal to
//! the list behind it), the published documents as the intake checklist (nothing outside
//! it, nothing required missing), one form per action following the process, assignment
//! to a person, and the signing step no officer can skip — on pages and through the API.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

const LIST: &str = "* Cấp mới\n\
    Đơn đề nghị cấp giấy phép (Mẫu số 01) | 1 bản chính\n\
    Bản vẽ thiết kế | 2 bản chính\n\
    Trường hợp ủy quyền: văn bản ủy quyền | 1 bản sao\n\
    * Cấp lại\n\
    Đơn đề nghị cấp lại giấy phép | 1 bản chính\n";

/// A province procedure of the Sở Xây dựng with a working-day limit, given `LIST` as its
/// published documents.
async fn procedure_with_list(app: &TestApp, token: &str) -> Value {
    let sxd = app.agency_id("SXD").await;
    let (_, v) = app
        .get_json(token, "/api/v1/procedures?level=tinh&limit=500")
        .await;
    let p = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["agency_id"] == json!(sxd) && p["limit_unit"] == "days")
        .cloned()
        .expect("a procedure of the Sở Xây dựng");
    let id = p["id"].as_i64().unwrap();
    store::on_db!(&app.db, |pool| {
        store::sqlx::query("update tthc set documents = $1 where id = $2")
            .bind(LIST)
            .bind(id)
            .execute(pool)
            .await
            .unwrap();
    });
    let (s, p) = app
        .get_json(
            token,
            &format!("/api/v1/procedures/{}", p["code"].as_str().unwrap()),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    p
}

async fn total(app: &TestApp, token: &str, query: &str) -> i64 {
    let (s, v) = app
        .get_json(token, &format!("/api/v1/dossiers?limit=1{query}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["total"].as_i64().unwrap()
}

fn figure(html: &str, key: &str) -> i64 {
    let at = html
        .find(&format!("data-figure=\"{key}\""))
        .unwrap_or_else(|| panic!("figure {key}"));
    html[at..]
        .split('>')
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn the_desk_home_shows_what_waits_with_the_lists_behind() {
    let app = spawn_app().await;
    let (c, _) = app.browser("motcua.tinh").await;
    let html = c
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Quầy một cửa") && html.contains("Tiếp nhận hồ sơ"),
        "{html}"
    );
    let token = app.token("motcua.tinh").await;
    for (key, query) in [
        ("online", "&status=1"),
        ("return", "&status=9"),
        ("overdue", "&overdue=true"),
        ("supplement", "&status=5"),
        ("payment", "&status=6"),
    ] {
        assert_eq!(
            figure(&html, key),
            total(&app, &token, query).await,
            "{key}"
        );
    }
    // The near-deadline list behind its link holds the figure shown.
    let near = figure(&html, "near");
    let list = c
        .get(app.url("/ho-so?sap_han=1"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains(&format!("{near} hồ sơ.")), "near {near}");
    // Officers keep their own home; the desk is in the clerk's menu only.
    let (o, _) = app.browser("chuyenvien.sxd").await;
    let home = o
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!home.contains("href=\"/mot-cua\""));
}

#[tokio::test]
async fn intake_checks_the_published_documents() {
    let app = spawn_app().await;
    let desk = app.token("motcua.tinh").await;
    let p = procedure_with_list(&app, &desk).await;
    let docs = p["required_documents"].as_array().unwrap();
    assert_eq!(docs.len(), 4);
    assert_eq!(docs[2]["conditional"], true);
    assert_eq!(docs[3]["case"], "Cấp lại");
    let code = p["code"].as_str().unwrap().to_string();
    let before = total(&app, &desk, "").await;
    let body = |documents: Value| json!({"procedure": code, "applicant_name": "Hồ Thị Lam", "applicant_phone": "0912000222", "documents": documents});
    // A document beyond the published list is refused (400), nothing is created.
    let (s, v) = app
        .send_json(
            &desk,
            Method::POST,
            "/api/v1/dossiers",
            &body(json!(["1", "2", "Giấy xác nhận của tổ dân phố"])),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(
        message(&v).contains("ngoài quy định") && message(&v).contains("tổ dân phố"),
        "{v}"
    );
    // A required document missing: 422 naming it.
    let (s, v) = app
        .send_json(&desk, Method::POST, "/api/v1/dossiers", &body(json!(["1"])))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(
        message(&v).contains("Bản vẽ thiết kế") && message(&v).contains("Mẫu 02"),
        "{v}"
    );
    // Two cases at once are refused.
    let (s, _) = app
        .send_json(
            &desk,
            Method::POST,
            "/api/v1/dossiers",
            &body(json!(["1", "2", "4"])),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(total(&app, &desk, "").await, before);
    // Complete (the conditional one is optional; a published name counts as well).
    let (s, d) = app
        .send_json(
            &desk,
            Method::POST,
            "/api/v1/dossiers",
            &body(json!(["1", "bản vẽ thiết kế"])),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    // The desk may confirm a dossier complete for the applicant's situation (a listed
    // paper of another situation not ticked) — never with a paper outside the list.
    let mut confirmed = body(json!(["1"]));
    confirmed["documents_complete"] = json!(true);
    let (s, v) = app
        .send_json(&desk, Method::POST, "/api/v1/dossiers", &confirmed)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    confirmed["documents"] = json!(["1", "Sổ hộ khẩu"]);
    let (s, _) = app
        .send_json(&desk, Method::POST, "/api/v1/dossiers", &confirmed)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    // The receipt (Mẫu 01) lists the documents received, not file names.
    let (c, csrf) = app.browser("motcua.tinh").await;
    let receipt = c
        .get(app.url(&format!("/ho-so/{}/mau/phieu-tiep-nhan", d["id"])))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        receipt.contains("Đơn đề nghị cấp giấy phép (Mẫu số 01)")
            && receipt.contains("Bản vẽ thiết kế"),
        "{receipt}"
    );
    assert!(!receipt.contains("Đơn đề nghị cấp lại"));

    // On the page: the checklist of the chosen procedure, then a refusal that keeps the
    // clerk's input and ticks.
    let frag = c
        .get(app.url(&format!("/ho-so/thanh-phan?tthc={code}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        frag.contains("name=\"doc_2\"") && frag.contains("Trường hợp (chọn một): Cấp lại"),
        "{frag}"
    );
    let form = reqwest::multipart::Form::new()
        .text("tthc", format!("{code} – {}", p["name"].as_str().unwrap()))
        .text("applicant_name", "Lương Văn Khánh")
        .text("form_key", "desk-1")
        .text("doc_1", "1");
    let res = c
        .post(app.url(&format!("/ho-so/tiep-nhan?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Hồ sơ chưa đủ thành phần") && html.contains("Lương Văn Khánh"),
        "{html}"
    );
    assert!(
        html.contains("name=\"doc_1\" value=\"1\" checked"),
        "{html}"
    );
    assert!(
        html.contains("name=\"documents_complete\""),
        "the confirmation is offered"
    );
    assert_eq!(total(&app, &desk, "").await, before + 2);

    // The public page lists the documents by case.
    let public = client()
        .get(app.url(&format!("/thu-tuc/{code}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(public.contains("Trường hợp: Cấp mới") && public.contains("Bản vẽ thiết kế"));
    assert!(!public.contains("github"));
}

#[tokio::test]
async fn each_action_has_its_form_and_the_signing_step_is_the_leaders() {
    let app = spawn_app().await;
    let desk = app.token("motcua.tinh").await;
    let p = procedure_with_list(&app, &desk).await;
    let (s, d) = app
        .send_json(
            &desk,
            Method::POST,
            "/api/v1/dossiers",
            &json!({"procedure": p["code"], "applicant_name": "Đậu Văn Bình", "documents": ["4"]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let id = d["id"].as_i64().unwrap();
    let page = |c: &reqwest::Client| {
        let c = c.clone();
        let url = app.url(&format!("/ho-so/{id}"));
        async move { c.get(url).send().await.unwrap().text().await.unwrap() }
    };
    let (officer, csrf) = app.browser("chuyenvien.sxd").await;
    let html = page(&officer).await;
    // Step one: assign to a person of the unit, in its own form.
    assert!(html.contains("Phân công xử lý: Thẩm định hồ sơ"), "{html}");
    assert!(html.contains("name=\"to_user_id\"") && html.contains("Bùi Thị Lan"));
    assert!(!html.contains("Nguyễn Văn Quản"), "no one outside the unit");
    assert!(!html.contains("Ký duyệt, ghi nhận kết quả"));
    assert!(!html.contains("— Chọn thao tác —"), "no generic drop-down");
    assert!(
        html.contains("Đơn đề nghị cấp lại giấy phép"),
        "the documents received"
    );
    let me = app.user_id("chuyenvien.sxd").await;
    let post = |event: &'static str, extra: Vec<(&'static str, String)>| {
        let mut f = reqwest::multipart::Form::new()
            .text("event", event)
            .text("expected_status", "");
        for (k, v) in extra {
            f = f.text(k, v);
        }
        officer
            .post(app.url(&format!("/ho-so/{id}/thao-tac?_csrf={csrf}")))
            .multipart(f)
            .send()
    };
    let res = post("assign", vec![("to_user_id", me.to_string())])
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // Finishing now is refused on the page: the dossier page again, with the reason, 409.
    let res = post("finish_processing", vec![("result_code", "9/GP".into())])
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("role=\"alert\"") && html.contains("ký duyệt"),
        "{html}"
    );
    assert!(html.contains(&format!("Hồ sơ {}", d["code"].as_str().unwrap())));
    // Submitted for signature: the officer has no signing button, the leader has.
    let html = page(&officer).await;
    assert!(html.contains("Trình lãnh đạo ký duyệt"), "{html}");
    let res = post("assign", vec![]).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = page(&officer).await;
    assert!(!html.contains("Ký duyệt, ghi nhận kết quả"), "{html}");
    let (head, head_csrf) = app.browser("lanhdao.sxd").await;
    let html = page(&head).await;
    assert!(html.contains("Ký duyệt, ghi nhận kết quả") && html.contains("name=\"result_code\""));
    let res = head
        .post(app.url(&format!("/ho-so/{id}/thao-tac?_csrf={head_csrf}")))
        .multipart(
            reqwest::multipart::Form::new()
                .text("event", "finish_processing")
                .text("result_code", "9/GP"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // The desk returns it: its only button.
    let (clerk, _) = app.browser("motcua.tinh").await;
    let html = page(&clerk).await;
    assert!(html.contains("Trả kết quả cho người nộp"), "{html}");
    let (_, v) = app.get_json(&desk, &format!("/api/v1/dossiers/{id}")).await;
    let kinds: Vec<&str> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["receive", "assign", "assign", "finish_processing"]);
    // Whoever acts next was told: the leader at the signing step, the desk once the
    // result is ready; never the one who acted.
    let link = format!("/ho-so/{id}");
    assert_eq!(
        notes(&app, "lanhdao.sxd", &link).await,
        ["awaiting_signature"]
    );
    assert_eq!(notes(&app, "motcua.tinh", &link).await, ["result_ready"]);
    assert!(notes(&app, "chuyenvien.sxd", &link).await.is_empty());
    assert!(notes(&app, "lanhdao.stp", &link).await.is_empty());
}

/// The kinds of a user's notifications about `link`, oldest first.
async fn notes(app: &TestApp, username: &str, link: &str) -> Vec<String> {
    let uid = app.user_id(username).await;
    let (items, _) =
        store::notification::list_for_user(&app.db, uid, store::Page::new(Some(500), None))
            .await
            .unwrap();
    let mut v: Vec<_> = items
        .into_iter()
        .filter(|n| n.link == link)
        .map(|n| (n.created_at, n.kind))
        .collect();
    v.sort();
    v.into_iter().map(|(_, k)| k).collect()
}

#[tokio::test]
async fn dossiers_near_and_past_their_deadline_are_reminded_once() {
    let app = spawn_app().await;
    let desk = app.token("motcua.tinh").await;
    let p = procedure_with_list(&app, &desk).await;
    let mut ids = Vec::new();
    for name in ["Hồ Văn Nhắc", "Hồ Thị Trễ"] {
        let (s, d) = app
            .send_json(
                &desk,
                Method::POST,
                "/api/v1/dossiers",
                &json!({"procedure": p["code"], "applicant_name": name, "documents": ["4"]}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{d}");
        ids.push(d["id"].as_i64().unwrap());
    }
    let officer = app.user_id("chuyenvien.sxd").await;
    let now = chrono::Utc::now();
    // One due tomorrow and assigned to the officer; one three days late.
    store::on_db!(&app.db, |pool| {
        store::sqlx::query("update dossier set status = 4, step_seq = 1, assignee_id = $1, due_at = $2 where id = $3")
            .bind(officer)
            .bind(now + chrono::Duration::hours(20))
            .bind(ids[0])
            .execute(pool)
            .await
            .unwrap();
        store::sqlx::query("update dossier set status = 4, due_at = $1 where id = $2")
            .bind(now - chrono::Duration::days(3))
            .bind(ids[1])
            .execute(pool)
            .await
            .unwrap();
    });
    let cal = domain::calendar::Calendar::from_sources(
        include_str!("../../../../data/calendar/vn-holiday-rules.toml"),
        include_str!("../../../../data/calendar/vn-civil-service-days-off.csv"),
    )
    .unwrap();
    let made = app::dossier::remind::send_reminders(&app.db, &cal, now)
        .await
        .unwrap();
    assert!(made >= 2, "{made}");
    assert_eq!(
        notes(&app, "chuyenvien.sxd", &format!("/ho-so/{}", ids[0])).await,
        ["near_due"]
    );
    assert_eq!(
        notes(&app, "lanhdao.sxd", &format!("/ho-so/{}", ids[1])).await,
        ["overdue"]
    );
    assert!(
        notes(&app, "lanhdao.stp", &format!("/ho-so/{}", ids[1]))
            .await
            .is_empty()
    );
    // Once: a second run adds nothing for them; a new deadline is reminded again.
    app::dossier::remind::send_reminders(&app.db, &cal, now)
        .await
        .unwrap();
    assert_eq!(
        notes(&app, "chuyenvien.sxd", &format!("/ho-so/{}", ids[0]))
            .await
            .len(),
        1
    );
    store::on_db!(&app.db, |pool| {
        store::sqlx::query("update dossier set due_at = $1 where id = $2")
            .bind(now + chrono::Duration::hours(30))
            .bind(ids[0])
            .execute(pool)
            .await
            .unwrap();
    });
    app::dossier::remind::send_reminders(&app.db, &cal, now)
        .await
        .unwrap();
    assert_eq!(
        notes(&app, "chuyenvien.sxd", &format!("/ho-so/{}", ids[0]))
            .await
            .len(),
        2
    );
}
