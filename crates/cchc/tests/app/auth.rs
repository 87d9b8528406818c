//! Login, logout, sessions, bearer tokens, CSRF and throttling.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn healthz_reports_the_backend() {
    let app = spawn_app().await;
    let res = client().get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let v: serde_json::Value = res.json().await.unwrap();
    assert_eq!(v["status"], "ok");
    assert_eq!(v["database"], app.db.backend());
}

#[tokio::test]
async fn api_login_success_failure_and_logout() {
    let app = spawn_app().await;
    // Wrong password and unknown user: 401 with a Vietnamese message, same answer.
    for (u, p) in [("admin", "sai-mat-khau"), ("khongcoai", PASSWORD)] {
        let res = client()
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"username": u, "password": p}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        let v: serde_json::Value = res.json().await.unwrap();
        assert_eq!(message(&v), "Tên đăng nhập hoặc mật khẩu không đúng.");
    }
    let token = app.token("sonoivu").await;
    let (s, me) = app.get_json(&token, "/api/v1/auth/me").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(me["username"], "sonoivu");
    assert_eq!(me["scope"], "province");
    let res = client()
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let (s, v) = app.get_json(&token, "/api/v1/auth/me").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(is_vietnamese(&message(&v)));
}

#[tokio::test]
async fn no_credentials_is_401_on_api_and_a_redirect_on_pages() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/agencies",
        "/api/v1/users",
        "/api/v1/auth/me",
        "/api/v1/audit",
    ] {
        let res = client().get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{path}");
        let v: serde_json::Value = res.json().await.unwrap();
        assert_eq!(v["error"]["code"], "unauthorized");
        assert!(is_vietnamese(&message(&v)));
    }
    let res = client()
        .get(app.url("/api/v1/agencies"))
        .bearer_auth("khong-hop-le")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = client().get(app.url("/co-quan")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/dang-nhap?next=%2Fco-quan");
}

#[tokio::test]
async fn the_same_api_answers_to_a_session_cookie_and_to_a_bearer_token() {
    let app = spawn_app().await;
    let token = app.token("lanhdao.concuong").await;
    let (s, by_token) = app.get_json(&token, "/api/v1/agencies?limit=500").await;
    assert_eq!(s, StatusCode::OK);
    let (browser, _) = app.browser("lanhdao.concuong").await;
    let res = browser
        .get(app.url("/api/v1/agencies?limit=500"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let by_cookie: serde_json::Value = res.json().await.unwrap();
    assert_eq!(by_token, by_cookie);
    assert!(by_token["total"].as_i64().unwrap() > 3);
}

#[tokio::test]
async fn browser_login_failure_logout_and_pages() {
    let app = spawn_app().await;
    let c = client();
    let page = c
        .get(app.url("/dang-nhap"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Đăng nhập") && page.contains("Tên đăng nhập"));
    let csrf = csrf_in(&page);
    let res = c
        .post(app.url("/dang-nhap"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("username", "admin"),
            ("password", "sai"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Tên đăng nhập hoặc mật khẩu không đúng.")
    );

    let (c, csrf) = app.browser("admin").await;
    let home = c
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("Xin chào, Nguyễn Văn Quản"));
    assert!(
        home.contains("Nhật ký hệ thống"),
        "admin navigation shows the audit log"
    );
    let res = c
        .post(app.url("/dang-xuat"))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = c.get(app.url("/")).send().await.unwrap();
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "after logout the home page asks to log in"
    );
}

#[tokio::test]
async fn role_specific_navigation() {
    let app = spawn_app().await;
    let (c, _) = app.browser("motcua.monson").await;
    let home = c
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !home.contains("/nhat-ky"),
        "a desk officer does not see the audit log"
    );
    // A desk officer opens on the desk of their unit.
    assert!(
        home.contains("Quầy một cửa — Ủy ban nhân dân xã Môn Sơn"),
        "{home}"
    );
    let res = c.get(app.url("/nhat-ky")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Không có quyền truy cập")
    );
}

#[tokio::test]
async fn cross_site_form_posts_are_refused() {
    let app = spawn_app().await;
    let (c, csrf) = app.browser("admin").await;
    let parent = app.agency_id("H-CONCUONG").await.to_string();
    let before = app.counts().await;
    let form = |token: &str| {
        vec![
            ("_csrf".to_string(), token.to_string()),
            ("code".into(), "X-TEST-CSRF".into()),
            ("name".into(), "Ủy ban nhân dân xã Thử".into()),
            ("kind".into(), "ubnd_xa".into()),
            ("parent_id".into(), parent.clone()),
            ("valid_from".into(), "01/01/2024".into()),
        ]
    };
    // No token, a wrong token, and a right token from a foreign origin: all refused.
    let no_token: Vec<_> = form("").into_iter().filter(|(k, _)| k != "_csrf").collect();
    let res = c
        .post(app.url("/co-quan"))
        .form(&no_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().await.unwrap().contains("CSRF"));
    let res = c
        .post(app.url("/co-quan"))
        .form(&form("abc"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = c
        .post(app.url("/co-quan"))
        .header("Origin", "https://evil.example")
        .form(&form(&csrf))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = c
        .post(app.url("/co-quan"))
        .header("Sec-Fetch-Site", "cross-site")
        .form(&form(&csrf))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // A JSON call riding on the cookie needs the header too.
    let res = c
        .post(app.url("/api/v1/agencies"))
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.counts().await, before, "nothing changed");
    // The same form from the page itself goes through.
    let res = c
        .post(app.url("/co-quan"))
        .form(&form(&csrf))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        store::agency::get_by_code(&app.db, "X-TEST-CSRF")
            .await
            .is_ok()
    );
}

/// A client whose requests come from `ip` (a loopback address).
fn client_from(ip: &str) -> reqwest::Client {
    app::sync::install_tls();
    reqwest::Client::builder()
        .local_address(ip.parse::<std::net::IpAddr>().unwrap())
        .build()
        .unwrap()
}

async fn login_from(app: &TestApp, ip: &str, user: &str, password: &str) -> reqwest::Response {
    client_from(ip)
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": user, "password": password}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn failures_stop_their_address_not_the_owner() {
    let app = spawn_app().await;
    // Five wrong passwords from one address stop that address for that account…
    for _ in 0..5 {
        let res = login_from(&app, "127.0.0.2", "chuyenvien.stp", "doan-sai-1").await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let res = login_from(&app, "127.0.0.2", "chuyenvien.stp", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        res.headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("900")
    );
    let v: serde_json::Value = res.json().await.unwrap();
    assert!(message(&v).contains("tạm dừng"), "{v}");
    // …but the owner, from their own address, still signs in (before: locked for 15 min).
    let res = login_from(&app, "127.0.0.1", "chuyenvien.stp", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK);
    // Spraying one password over many accounts from one address is stopped too.
    let users = [
        "admin",
        "sonoivu",
        "lanhdao.sxd",
        "chuyenvien.sxd",
        "motcua.tinh",
    ];
    for i in 0..20 {
        let res = login_from(&app, "127.0.0.3", users[i % users.len()], "matkhau123").await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let res = login_from(&app, "127.0.0.3", "lanhdao.stp", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    // Other addresses are not affected.
    app.token("lanhdao.stp").await;
}

#[tokio::test]
async fn deactivating_or_resetting_ends_sessions() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let victim = app.token("chuyenvien.sxd").await;
    let id = app.user_id("chuyenvien.sxd").await;
    let (s, _) = app
        .send_json(
            &admin,
            reqwest::Method::POST,
            &format!("/api/v1/users/{id}/deactivate"),
            &json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = app.get_json(&victim, "/api/v1/auth/me").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let res = client()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "chuyenvien.sxd", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::UNAUTHORIZED,
        "a locked account cannot log in"
    );
    let (s, _) = app
        .send_json(
            &admin,
            reqwest::Method::POST,
            &format!("/api/v1/users/{id}/activate"),
            &json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = app
        .send_json(
            &admin,
            reqwest::Method::POST,
            &format!("/api/v1/users/{id}/password"),
            &json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let temp = v["temporary_password"].as_str().unwrap().to_string();
    let res = client()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "chuyenvien.sxd", "password": temp}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "the temporary password works");
}

#[tokio::test]
async fn openapi_and_swagger_ui_are_served() {
    let app = spawn_app().await;
    let v: serde_json::Value = client()
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(v["openapi"].as_str().unwrap().starts_with("3."));
    for p in [
        "/api/v1/auth/login",
        "/api/v1/agencies",
        "/api/v1/agencies/{id}",
        "/api/v1/users",
        "/api/v1/users/{id}",
        "/api/v1/audit",
    ] {
        assert!(v["paths"][p].is_object(), "{p} documented");
    }
    let res = client().get(app.url("/api/docs")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = client()
        .get(app.url("/static/vendor/swagger-ui/swagger-ui-bundle.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

/// A password an administrator set (a reset, or a new account) is good only for changing
/// it: every other call answers 403 `password_change_required` and pages lead to the
/// account page, until the owner picks their own (which must differ from it).
#[tokio::test]
async fn a_password_set_by_an_administrator_must_be_changed_first() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let id = app.user_id("chuyenvien.sxd").await;
    let (s, v) = app
        .send_json(
            &admin,
            reqwest::Method::POST,
            &format!("/api/v1/users/{id}/password"),
            &json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let temp = v["temporary_password"].as_str().unwrap().to_string();
    let login = |password: String| {
        let app = &app;
        async move {
            let res = client()
                .post(app.url("/api/v1/auth/login"))
                .json(&json!({"username": "chuyenvien.sxd", "password": password}))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::OK);
            res.json::<serde_json::Value>().await.unwrap()
        }
    };
    let v = login(temp.clone()).await;
    assert_eq!(v["user"]["must_change_password"], json!(true), "{v}");
    let token = v["token"].as_str().unwrap().to_string();
    let (s, v) = app.get_json(&token, "/api/v1/tasks").await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    assert_eq!(v["error"]["code"], "password_change_required", "{v}");
    assert!(is_vietnamese(&message(&v)), "{v}");
    let (s, v) = app.get_json(&token, "/api/v1/auth/me").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["must_change_password"], json!(true));

    // In the browser every page leads to the account page, which says why.
    let c = client();
    let page = c.get(app.url("/dang-nhap")).send().await.unwrap();
    let csrf = csrf_in(&page.text().await.unwrap());
    let res = c
        .post(app.url("/dang-nhap"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("username", "chuyenvien.sxd"),
            ("password", temp.as_str()),
            ("next", "/nhiem-vu"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = c.get(app.url("/nhiem-vu")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/tai-khoan");
    let page = c
        .get(app.url("/tai-khoan"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Cần đổi mật khẩu"), "{page}");

    // The same password again is refused; a new one ends every session.
    let change = |new: &str| json!({"current": temp, "new": new, "confirm": new});
    let (s, v) = app
        .send_json(
            &token,
            reqwest::Method::POST,
            "/api/v1/auth/password",
            &change(&temp),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(message(&v).contains("khác mật khẩu hiện tại"), "{v}");
    let (s, _) = app
        .send_json(
            &token,
            reqwest::Method::POST,
            "/api/v1/auth/password",
            &change("Song-Lam-2026"),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = app.get_json(&token, "/api/v1/auth/me").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "the old token ended");
    let v = login("Song-Lam-2026".into()).await;
    assert_eq!(v["user"]["must_change_password"], json!(false), "{v}");
    let (s, v) = app
        .get_json(v["token"].as_str().unwrap(), "/api/v1/tasks")
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

/// Requests without a session are counted per address: past the limit a minute, 429 with
/// `Retry-After` on every public endpoint, while a signed-in user from the same address
/// and the static files are not slowed.
#[tokio::test]
async fn anonymous_floods_are_limited_per_address() {
    let app = spawn_app().await;
    let token = app.token("sonoivu").await;
    let c = client_from("127.0.0.4");
    let limit = app::throttle::ANONYMOUS_REQUESTS_PER_MINUTE;
    for _ in 0..limit {
        let res = c.get(app.url("/dang-nhap")).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
    }
    for path in [
        "/thu-tuc?q=ho+tich",
        "/tra-cuu",
        "/api/v1/procedures?q=ho+tich",
    ] {
        let res = c.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "{path}");
        let wait: u64 = res.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=60).contains(&wait), "{wait}");
    }
    // A bogus session cookie does not get around it.
    let res = c
        .get(app.url("/thu-tuc"))
        .header("cookie", "cchc_session=khong-co-that")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let res = c
        .get(app.url("/api/v1/procedures?q=ho+tich"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "a signed-in user is not slowed"
    );
    let res = c.get(app.url("/static/app.css")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // Another address is not affected.
    let res = client_from("127.0.0.5")
        .get(app.url("/thu-tuc"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}
