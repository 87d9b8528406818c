//! Bad input on every form and endpoint: a 4xx with a Vietnamese message, nothing changed.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

async fn raw(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let res = client()
        .request(method, app.url(path))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let s = res.status();
    (s, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn bad_agency_input_through_the_api_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let parent = app.agency_id("H-TANKY").await;
    let before = app.counts().await;
    let good = json!({"code": "X-TANKY-MOI", "parent_id": parent, "kind": "ubnd_xa", "name": "Ủy ban nhân dân xã Mới", "valid_from": "2024-01-01"});
    let with = |k: &str, v: Value| {
        let mut b = good.clone();
        b[k] = v;
        b
    };
    let cases: Vec<(Value, StatusCode, &str)> = vec![
        (
            with("name", json!("")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Tên cơ quan không được để trống.",
        ),
        (
            with("name", json!("   ")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Tên cơ quan không được để trống.",
        ),
        (
            with("name", json!("x".repeat(256))),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Tên cơ quan dài quá 255 ký tự.",
        ),
        (
            with("name", json!("a\u{0007}b")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Tên cơ quan chứa ký tự không hợp lệ.",
        ),
        (
            with("code", json!("xã-mới")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Mã cơ quan",
        ),
        (
            with("code", json!("H-CONCUONG")),
            StatusCode::CONFLICT,
            "Mã cơ quan này đã được dùng.",
        ),
        (
            with("kind", json!("tinh_uy")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Loại cơ quan không hợp lệ.",
        ),
        (
            with("valid_from", json!("31/02/2024")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "không đúng định dạng ngày",
        ),
        (
            with("valid_to", json!("2023-01-01")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Ngày kết thúc phải sau ngày bắt đầu.",
        ),
        (
            with("parent_id", json!(999999)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Cơ quan cấp trên không tồn tại.",
        ),
        (
            with("parent_id", json!("abc")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Dữ liệu không đúng kiểu",
        ),
        (
            with("merged_into_id", json!(-5)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Cơ quan sáp nhập vào không hợp lệ.",
        ),
        (
            json!({"code": "X-A"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Dữ liệu không đúng kiểu",
        ),
        (
            json!([1, 2]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Dữ liệu không đúng kiểu",
        ),
    ];
    for (body, status, msg) in cases {
        let (s, v) = app
            .send_json(&admin, Method::POST, "/api/v1/agencies", &body)
            .await;
        assert_eq!(s, status, "{body}: {v}");
        assert!(message(&v).contains(msg), "{body}: got «{}»", message(&v));
    }
    // Not JSON, not UTF-8, wrong content type.
    let (s, v) = raw(
        &app,
        &admin,
        Method::POST,
        "/api/v1/agencies",
        "application/json",
        b"{\"code\": ".to_vec(),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(is_vietnamese(&message(&v)));
    let (s, v) = raw(
        &app,
        &admin,
        Method::POST,
        "/api/v1/agencies",
        "application/json",
        b"{\"code\": \"X-\xff\xfe\"}".to_vec(),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(is_vietnamese(&message(&v)));
    let (s, v) = raw(
        &app,
        &admin,
        Method::POST,
        "/api/v1/agencies",
        "text/plain",
        b"hello".to_vec(),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(message(&v).contains("Content-Type"));
    // Unknown ids and malformed ids.
    for path in [
        "/api/v1/agencies/999999",
        "/api/v1/agencies/abc",
        "/api/v1/agencies/-1",
        "/api/v1/users/0",
        "/api/v1/khong-co",
    ] {
        let (s, v) = app.get_json(&admin, path).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}");
        assert!(is_vietnamese(&message(&v)), "{path}");
    }
    let (s, _) = app
        .send_json(&admin, Method::PUT, "/api/v1/agencies/999999", &good)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Bad query parameters.
    for path in [
        "/api/v1/agencies?limit=abc",
        "/api/v1/agencies?on=hom-nay",
        "/api/v1/agencies?active=maybe",
    ] {
        let (s, v) = app.get_json(&admin, path).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{path}");
        assert!(is_vietnamese(&message(&v)), "{path}");
    }
    assert_eq!(app.counts().await, before, "nothing was written");
    // Decomposed (NFD) text is stored composed (NFC), so it matches what users type.
    let nfd = "U\u{300}y ban nha\u{302}n da\u{302}n xa\u{303} Mo\u{31b}\u{301}i";
    let (s, v) = app
        .send_json(
            &admin,
            Method::POST,
            "/api/v1/agencies",
            &with("name", json!(nfd)),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["name"], "Ùy ban nhân dân xã Mới");
}

#[tokio::test]
async fn bad_user_input_through_the_api_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let agency = app.agency_id("STP").await;
    let before = app.counts().await;
    let good = json!({"username": "canbo.moi", "full_name": "Nguyễn Thị Mới", "agency_id": agency, "roles": ["chuyen_vien"], "password": "SongLam2026"});
    let with = |k: &str, v: Value| {
        let mut b = good.clone();
        b[k] = v;
        b
    };
    let cases: Vec<(Value, StatusCode, &str)> = vec![
        (
            with("username", json!("ab")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Tên đăng nhập phải dài từ 3 đến 64 ký tự.",
        ),
        (
            with("username", json!("Người.Dùng")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Tên đăng nhập chỉ gồm",
        ),
        (
            with("username", json!("admin")),
            StatusCode::CONFLICT,
            "Tên đăng nhập này đã được dùng.",
        ),
        (
            with("full_name", json!("")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Họ và tên không được để trống.",
        ),
        (
            with("email", json!("khong-phai-email")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Thư điện tử không đúng định dạng.",
        ),
        (
            with("phone", json!("09xx")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Số điện thoại chỉ gồm chữ số.",
        ),
        (
            with("roles", json!([])),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Phải chọn ít nhất một vai trò.",
        ),
        (
            with("roles", json!(["sieu_quan_tri"])),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Vai trò «sieu_quan_tri» không tồn tại.",
        ),
        (
            with("agency_id", json!(424242)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Cơ quan của người dùng không tồn tại.",
        ),
        (
            with("agency_id", json!("STP")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Dữ liệu không đúng kiểu",
        ),
        (
            with("password", json!("ngan")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Mật khẩu phải có ít nhất 8 ký tự.",
        ),
    ];
    for (body, status, msg) in cases {
        let (s, v) = app
            .send_json(&admin, Method::POST, "/api/v1/users", &body)
            .await;
        assert_eq!(s, status, "{body}: {v}");
        assert!(message(&v).contains(msg), "{body}: got «{}»", message(&v));
    }
    let me = app.user_id("admin").await;
    let (s, v) = app
        .send_json(
            &admin,
            Method::POST,
            &format!("/api/v1/users/{me}/deactivate"),
            &json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(message(&v).contains("chính mình"));
    assert_eq!(app.counts().await, before, "nothing was written");
}

#[tokio::test]
async fn bad_page_forms_show_errors_next_to_the_fields() {
    let app = spawn_app().await;
    let (c, csrf) = app.browser("admin").await;
    let before = app.counts().await;
    let res = c
        .post(app.url("/co-quan"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("code", "sai mã"),
            ("name", ""),
            ("kind", "ubnd_xa"),
            ("parent_id", "abc"),
            ("valid_from", "hôm nay"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    for msg in [
        "Tên cơ quan không được để trống.",
        "Cơ quan cấp trên không hợp lệ.",
        "Ngày bắt đầu hoạt động không đúng định dạng ngày (dd/mm/yyyy).",
        "Mã cơ quan",
    ] {
        assert!(html.contains(msg), "form shows «{msg}»");
    }
    assert!(
        html.contains("value=\"sai mã\""),
        "the user's input is kept"
    );
    let res = c
        .post(app.url("/nguoi-dung"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("username", "x"),
            ("full_name", ""),
            ("agency_id", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Tên đăng nhập phải dài từ 3 đến 64 ký tự.")
            && html.contains("Phải chọn ít nhất một vai trò.")
    );
    let res = c
        .post(app.url("/co-quan/1/trang-thai"))
        .form(&[("_csrf", csrf.as_str()), ("active", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = c.get(app.url("/co-quan/khong-co")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.text().await.unwrap().contains("Không tìm thấy"));
    let res = c
        .get(app.url("/co-quan?on=32/13/2023"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.counts().await, before, "nothing was written");
}

#[tokio::test]
async fn page_forms_create_and_edit_with_audit() {
    let app = spawn_app().await;
    let (c, csrf) = app.browser("admin").await;
    let parent = app.agency_id("H-DOLUONG").await.to_string();
    let res = c
        .post(app.url("/co-quan"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("code", "X-DOLUONG-THU"),
            ("name", "Ủy ban nhân dân xã Thử"),
            ("kind", "ubnd_xa"),
            ("parent_id", parent.as_str()),
            ("valid_from", "01/01/2024"),
        ])
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
    assert!(page.contains("Đã thêm cơ quan «Ủy ban nhân dân xã Thử»."));
    assert!(page.contains("01/01/2024"), "dates in dd/mm/yyyy");
    let agency = app.agency_id("X-DOLUONG-THU").await.to_string();
    let res = c
        .post(app.url("/nguoi-dung"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("username", "canbo.thu"),
            ("full_name", "Trần Văn Thử"),
            ("agency_id", agency.as_str()),
            ("roles", "chuyen_vien"),
            ("roles", "mot_cua"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let u = store::user::get_by_username(&app.db, "canbo.thu")
        .await
        .unwrap();
    assert_eq!(u.roles.len(), 2);
    let audit = c
        .get(app.url("/nhat-ky"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(audit.contains("Tạo tài khoản canbo.thu – Trần Văn Thử"));
    assert!(audit.contains("Tạo cơ quan X-DOLUONG-THU"));
}
