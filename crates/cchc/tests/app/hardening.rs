//! Hardening (issue 20): the public look-up cannot be brute-forced, uploads of the size
//! the pages promise go through and larger bodies are refused with their limit, every
//! page carries security headers, a sparse workbook is refused instead of allocating
//! its declared range, and a DOCX bomb is refused in seconds while the server keeps
//! answering.

use std::io::{Cursor, Write};
use std::time::{Duration, Instant};

use reqwest::multipart::{Form, Part};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::*;

fn client_from(ip: &str) -> reqwest::Client {
    app::sync::install_tls();
    reqwest::Client::builder()
        .local_address(ip.parse::<std::net::IpAddr>().unwrap())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_public_look_up_cannot_be_brute_forced() {
    let app = spawn_app().await;
    let desk = app.token("motcua.tinh").await;
    let (_, list) = app
        .get_json(&desk, "/api/v1/procedures?level=tinh&limit=5")
        .await;
    let code = list["items"][0]["code"].clone();
    let (s, d) = app
        .send_json(
            &desk,
            Method::POST,
            "/api/v1/dossiers",
            &json!({"procedure": code, "applicant_name": "Đặng Văn Sơn", "applicant_phone": "0912345678"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let ma = d["code"].as_str().unwrap().to_string();
    let look = |ip: &'static str, so: &'static str| {
        let url = app.url(&format!("/tra-cuu?ma={ma}&so={so}"));
        async move { client_from(ip).get(url).send().await.unwrap() }
    };
    // Ten wrong guesses on one code from one address…
    for i in 0..10 {
        let so: &'static str = Box::leak(format!("{:04}", 1000 + i).into_boxed_str());
        assert_eq!(look("127.0.0.4", so).await.status(), StatusCode::OK);
    }
    // …and the eleventh from that address is refused, with the time to wait.
    let res = look("127.0.0.4", "2000").await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().contains_key("retry-after"));
    assert!(res.text().await.unwrap().contains("Tra cứu quá nhiều lần"));
    // Another address guessing the same code is refused too (10 misses per code per hour).
    assert_eq!(
        look("127.0.0.5", "3000").await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    // The applicant, with the right digits, still finds the dossier.
    let res = look("127.0.0.6", "5678").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains(&ma));
}

#[tokio::test]
async fn pages_carry_security_headers() {
    let app = spawn_app().await;
    for path in ["/dang-nhap", "/tra-cuu", "/thu-tuc"] {
        let res = client().get(app.url(path)).send().await.unwrap();
        let h = res.headers();
        let csp = h
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert!(
            csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("script-src 'self' 'unsafe-inline'"));
        assert_eq!(h.get("x-frame-options").unwrap(), "DENY");
        assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
        assert_eq!(h.get("referrer-policy").unwrap(), "same-origin");
        assert!(h.contains_key("permissions-policy"));
        // No inline script or inline event handler on the page.
        let html = res.text().await.unwrap();
        assert!(
            !html.contains("onclick=") && !html.contains("onsubmit="),
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_ten_megabyte_upload_goes_through_and_bodies_over_their_limit_are_refused() {
    let app = spawn_app().await;
    let token = app.token("sonoivu").await;
    let (_, dirs) = app.get_json(&token, "/api/v1/directives?limit=1").await;
    let id = dirs["items"][0]["id"].as_i64().expect("a directive");
    let upload = |size: usize, name: &'static str| {
        let form = reqwest::multipart::Form::new().part(
            "files",
            reqwest::multipart::Part::bytes(vec![b'%'; size])
                .file_name(name)
                .mime_str("application/pdf")
                .unwrap(),
        );
        client()
            .post(app.url(&format!("/api/v1/directives/{id}/files")))
            .bearer_auth(&token)
            .multipart(form)
            .send()
    };
    // 10 MB: refused before (the framework's 2 MB default), accepted now (15 MB per file).
    let res = upload(10 * 1024 * 1024, "ban-ky.pdf").await.unwrap();
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    // A file over 15 MB: refused on its size.
    let res = upload(16 * 1024 * 1024, "qua-lon.pdf").await.unwrap();
    assert!(res.status().is_client_error());
    let v: serde_json::Value = res.json().await.unwrap();
    assert!(message(&v).contains("15 MB"), "{v}");
    // A JSON body over 2 MB: 413 naming the limit, nothing written.
    let note = "x".repeat(3 * 1024 * 1024);
    let (s, v) = app
        .send_json(
            &token,
            Method::POST,
            "/api/v1/directives",
            &json!({"number": "1/2026", "subject": note}),
        )
        .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{v}");
    assert!(message(&v).contains("2 MB"), "{v}");
}

#[tokio::test]
async fn a_sparse_workbook_is_refused_not_allocated() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    // Two cells, A1 and XFD1048576: 1.5 KB that used to ask for 549 GB.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Mã TTHC").unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    assert!(bytes.len() < 10_000);
    let res = client()
        .post(app.url("/api/v1/procedures/import"))
        .bearer_auth(&admin)
        .header(
            "content-type",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        .body(bytes)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error(), "{}", res.status());
    let v: serde_json::Value = res.json().await.unwrap();
    assert!(message(&v).contains("XFD1048576"), "{v}");
    // The server is still up.
    let (s, _) = app.get_json(&admin, "/api/v1/auth/me").await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn passwords_follow_the_rules_and_ones_own_needs_the_current_one() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let stp = app.agency_id("STP").await;
    let user = |password: &str| json!({"username": "canbo.matkhau", "full_name": "Lê Thị Hoa", "agency_id": stp, "roles": ["chuyen_vien"], "password": password});
    for (bad, says) in [
        ("matkhau123", "phổ biến"),
        ("canbo.matkhau9", "tên đăng nhập"),
    ] {
        let (s, v) = app
            .send_json(&admin, Method::POST, "/api/v1/users", &user(bad))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(message(&v).contains(says), "{v}");
    }
    let (s, v) = app
        .send_json(
            &admin,
            Method::POST,
            "/api/v1/users",
            &user("Bien-Cua-Lo-2026"),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // A unit head cannot reset their own password through the manager's reset (which
    // skips the current password).
    let head = app.token("lanhdao.stp").await;
    let me = app.user_id("lanhdao.stp").await;
    let (s, v) = app
        .send_json(
            &head,
            Method::POST,
            &format!("/api/v1/users/{me}/password"),
            &json!({"password": "Bien-Cua-Lo-2026"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    assert!(message(&v).contains("mật khẩu hiện tại"), "{v}");
}

/// `cchc backup` on a served database taking writes, then `cchc restore` into a new one:
/// every dossier committed before the backup began is there (copying the SQLite file
/// without its WAL lost committed rows).
#[tokio::test]
async fn backup_while_serving_then_restore() {
    let app = spawn_app().await;
    let (url, fresh) = match &app.db {
        store::Db::Sqlite(p) => {
            let (file,): (String,) =
                store::sqlx::query_as("select file from pragma_database_list where name = 'main'")
                    .fetch_one(p)
                    .await
                    .unwrap();
            let fresh =
                std::env::temp_dir().join(format!("cchc-test-restore-{}.db", std::process::id()));
            let _ = std::fs::remove_file(&fresh);
            (
                format!("sqlite://{file}?mode=rwc"),
                format!("sqlite://{}?mode=rwc", fresh.display()),
            )
        }
        store::Db::Pg(p) => {
            let (name,): (String,) = store::sqlx::query_as("select current_database()")
                .fetch_one(p)
                .await
                .unwrap();
            let base = std::env::var("CCHC_TEST_DATABASE_URL").unwrap();
            let base = base.rsplit_once('/').unwrap().0.to_string();
            let copy = format!("{name}_r");
            let admin = store::sqlx::PgPool::connect(&format!("{base}/postgres"))
                .await
                .unwrap();
            store::sqlx::query(store::sqlx::AssertSqlSafe(format!(
                "create database {copy}"
            )))
            .execute(&admin)
            .await
            .unwrap();
            admin.close().await;
            (format!("{base}/{name}"), format!("{base}/{copy}"))
        }
    };
    let count = |db: store::Db| async move {
        let n: i64 = store::on_db!(&db, |p| store::sqlx::query_scalar(
            "select count(*) from dossier"
        )
        .fetch_one(p)
        .await
        .unwrap());
        n
    };
    let desk = app.token("motcua.tinh").await;
    let (_, list) = app
        .get_json(&desk, "/api/v1/procedures?level=tinh&limit=5")
        .await;
    let code = list["items"][0]["code"].clone();
    let before = count(app.db.clone()).await;
    // Writes go on during the backup.
    let writer = {
        let (addr, desk, code) = (app.addr, desk.clone(), code.clone());
        tokio::spawn(async move {
            for i in 0..20 {
                let _ = client()
                    .post(format!("http://{addr}/api/v1/dossiers"))
                    .bearer_auth(&desk)
                    .json(&json!({"procedure": code, "applicant_name": format!("Người nộp {i}"), "applicant_phone": "0900000007"}))
                    .send()
                    .await;
            }
        })
    };
    let out = std::env::temp_dir().join(format!("cchc-test-{}.bak", std::process::id()));
    let _ = std::fs::remove_file(&out);
    let run = |args: Vec<String>| {
        std::process::Command::new(env!("CARGO_BIN_EXE_cchc"))
            .args(args)
            .env_remove("CCHC_DATABASE_URL")
            .output()
            .unwrap()
    };
    let o = run(vec![
        "backup".into(),
        "--database".into(),
        url.clone(),
        "--output".into(),
        out.display().to_string(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    writer.await.unwrap();
    // An existing output is refused (exit 2), nothing overwritten.
    let o = run(vec![
        "backup".into(),
        "--database".into(),
        url.clone(),
        "--output".into(),
        out.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(vec![
        "restore".into(),
        "--database".into(),
        fresh.clone(),
        "--input".into(),
        out.display().to_string(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let restored = cchc::server::open_db(&fresh).await.unwrap();
    let n = count(restored.clone()).await;
    assert!(
        n >= before,
        "{n} dossiers restored, {before} before the backup"
    );
    restored.close().await;
    let _ = std::fs::remove_file(&out);
}

/// Behind a trusted proxy the client address comes from `X-Forwarded-For`; from anyone
/// else the header is ignored, so it cannot be rotated to dodge throttling.
#[tokio::test]
async fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
    let db = demo_db().await;
    let config = web::AppConfig {
        trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
        ..Default::default()
    };
    let (addr, server) = cchc::server::bind(db.clone(), config, "127.0.0.1:0")
        .await
        .unwrap();
    tokio::spawn(server);
    let url = format!("http://{addr}/api/v1/auth/login");
    let login = |from: &'static str, xff: &'static str, password: &'static str| {
        let url = url.clone();
        async move {
            client_from(from)
                .post(url)
                .header("x-forwarded-for", xff)
                .json(&json!({"username": "chuyenvien.stp", "password": password}))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    for _ in 0..5 {
        assert_eq!(
            login("127.0.0.1", "10.1.2.3", "sai-mat-khau-1").await,
            StatusCode::UNAUTHORIZED
        );
    }
    // The proxy forwards for 10.1.2.3: that client is stopped, another one is not.
    assert_eq!(
        login("127.0.0.1", "10.1.2.3", PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        login("127.0.0.1", "10.9.9.9", PASSWORD).await,
        StatusCode::OK
    );
    // An untrusted peer's header is ignored: rotating it does not help.
    let spoofs = ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"];
    for s in spoofs {
        assert_eq!(
            login("127.0.0.2", s, "sai-mat-khau-2").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        login("127.0.0.2", "10.0.0.6", PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

/// `cchc serve` without `--demo` warns about demo accounts still on the demo password.
#[tokio::test]
async fn demo_accounts_on_the_demo_password_are_found() {
    let app = spawn_app().await;
    let weak = cchc::server::demo_password_accounts(&app.db, PASSWORD).await;
    assert!(weak.iter().any(|u| u == "admin"), "{weak:?}");
    let admin = app.token("admin").await;
    let id = app.user_id("sonoivu").await;
    let (s, _) = app
        .send_json(
            &admin,
            Method::POST,
            &format!("/api/v1/users/{id}/password"),
            &json!({"password": "Bien-Cua-Lo-2026"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let weak = cchc::server::demo_password_accounts(&app.db, PASSWORD).await;
    assert!(!weak.iter().any(|u| u == "sonoivu"), "{weak:?}");
}

/// A DOCX whose `word/document.xml` is `head`, `fill` repeated `times`, then `tail`.
fn docx(head: &str, fill: &[u8], times: usize, tail: &str) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    w.start_file("[Content_Types].xml", opts).unwrap();
    w.write_all(b"<Types/>").unwrap();
    w.start_file("word/document.xml", opts).unwrap();
    w.write_all(head.as_bytes()).unwrap();
    for _ in 0..times {
        w.write_all(fill).unwrap();
    }
    w.write_all(tail.as_bytes()).unwrap();
    w.finish().unwrap().into_inner()
}

const DOCX_HEAD: &str = r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#;

/// Issue 20: a small DOCX that inflates to 100 MB kept a worker busy for minutes, out of
/// reach of the request timeout. Now it is refused at once with the limit it is over, a
/// DOCX whose one task runs over thousands of lines is read in seconds, and the server
/// keeps answering.
#[tokio::test]
async fn a_docx_bomb_is_refused_in_seconds_and_the_import_still_works() {
    let app = spawn_app().await;
    let (c, csrf) = app.browser("sonoivu").await;
    let post = |name: &'static str, bytes: Vec<u8>| {
        let form = Form::new().part("file", Part::bytes(bytes).file_name(name));
        c.post(app.url(&format!("/van-ban/nhap?_csrf={csrf}")))
            .multipart(form)
            .timeout(Duration::from_secs(60))
            .send()
    };
    // 100 MB of one letter in about 100 KB.
    let bomb = docx(
        &format!("{DOCX_HEAD}<w:p><w:r><w:t>"),
        &vec![b'a'; 1 << 20],
        100,
        "</w:t></w:r></w:p></w:body></w:document>",
    );
    assert!(bomb.len() < 1 << 20);
    let t0 = Instant::now();
    let res = post("bom.docx", bomb).await.unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(t0.elapsed() < Duration::from_secs(5), "{:?}", t0.elapsed());
    let html = res.text().await.unwrap();
    assert!(
        html.contains("giải nén vượt quá 64 MB"),
        "the page names the limit"
    );
    // One task over 3,000 wrapped lines, naming coordinators on each: the old reader
    // rescanned the rest of the task at every line and took minutes.
    let head = format!(
        "{DOCX_HEAD}{}",
        [
            "ỦY BAN NHÂN DÂN",
            "TỈNH NGHỆ AN",
            "Số: 575/KH-UBND",
            "Nghệ An, ngày 04 tháng 8 năm 2023",
            "KẾ HOẠCH",
            "Rà soát thủ tục hành chính",
            "I. NHIỆM VỤ",
            "1. Sở Nội vụ chủ trì, phối hợp với các sở, ban, ngành rà soát thủ tục hành chính",
        ]
        .map(|l| format!("<w:p><w:r><w:t>{l}</w:t></w:r></w:p>"))
        .concat()
    );
    let line = "<w:p><w:r><w:t>phối hợp với Sở Tư pháp, Sở Tài chính thực hiện rà soát, đơn giản hóa thủ tục hành chính và báo cáo kết quả</w:t></w:r></w:p>";
    let long = docx(&head, line.as_bytes(), 3_000, "</w:body></w:document>");
    let t0 = Instant::now();
    let res = post("575-kh-ubnd.docx", long).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(t0.elapsed() < Duration::from_secs(30), "{:?}", t0.elapsed());
    assert!(res.text().await.unwrap().contains("575/KH-UBND"));
    // An ordinary directive still goes through.
    const UNSEEN: &str =
        include_str!("../../../docparse/tests/fixtures/unseen/tuyen-quang-87-kh-ubnd-2013.txt");
    let res = post("87-kh-ubnd.txt", UNSEEN.as_bytes().to_vec())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("87/KH-UBND"));
}
