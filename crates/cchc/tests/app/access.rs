//! The access matrix: for each role, which agencies and users it can read and change,
//! through the API and through the pages.

use std::collections::{HashMap, HashSet};

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::*;

/// Agency codes in the subtree of `root`, computed from the demo CSV's parent links
/// (independently of the materialised paths the server uses).
fn subtree(root: &str) -> HashSet<String> {
    let csv = include_str!("../../../../data/demo/agencies.csv");
    let mut children: HashMap<String, Vec<String>> = HashMap::new();
    for line in csv.lines().skip(1) {
        let mut cols = line.split(',');
        let code = cols.next().unwrap().to_string();
        let parent = cols.next().unwrap().to_string();
        children.entry(parent).or_default().push(code);
    }
    let mut out = HashSet::new();
    let mut stack = vec![root.to_string()];
    while let Some(c) = stack.pop() {
        stack.extend(children.get(&c).cloned().unwrap_or_default());
        out.insert(c);
    }
    out
}

fn users_in(codes: &HashSet<String>) -> HashSet<String> {
    let csv = include_str!("../../../../data/demo/users.csv");
    csv.lines()
        .skip(1)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split(',').collect();
            codes.contains(cols[4]).then(|| cols[0].to_string())
        })
        .collect()
}

async fn visible_agencies(app: &TestApp, token: &str) -> HashSet<String> {
    let (s, v) = app.get_json(token, "/api/v1/agencies?limit=500").await;
    assert_eq!(s, StatusCode::OK);
    let items: HashSet<String> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(v["total"].as_i64().unwrap() as usize, items.len());
    items
}

async fn visible_users(app: &TestApp, token: &str) -> HashSet<String> {
    let (s, v) = app.get_json(token, "/api/v1/users?limit=500").await;
    assert_eq!(s, StatusCode::OK);
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["username"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn each_role_reads_exactly_its_scope() {
    let app = spawn_app().await;
    let province = subtree("UBND-TINH");
    assert!(province.len() > 150);
    // (user, root of the expected reading scope)
    let cases = [
        ("admin", "UBND-TINH"),
        ("lanhdao", "UBND-TINH"),
        ("sonoivu", "UBND-TINH"),
        ("vanphong", "UBND-TINH"),
        ("lanhdao.stp", "STP"),
        ("lanhdao.concuong", "H-CONCUONG"),
        ("chuyenvien.concuong", "H-CONCUONG"),
        ("chuyenvien.monson", "X-CONCUONG-MONSON"),
        ("motcua.monson", "X-CONCUONG-MONSON"),
        ("lanhdao.xaconcuong", "XM-CONCUONG"),
        ("motcua.xaconcuong", "TTPV-CONCUONG"),
    ];
    for (user, root) in cases {
        let token = app.token(user).await;
        let expected = subtree(root);
        assert_eq!(
            visible_agencies(&app, &token).await,
            expected,
            "agencies of {user}"
        );
        // The accounts of data/demo/users.csv in the scope, and the heads' accounts the
        // demo makes for units that owe reports (`lanhdao.<code>`) of units in the scope.
        let seen = visible_users(&app, &token).await;
        let listed = users_in(&province);
        let (from_csv, made): (HashSet<String>, HashSet<String>) =
            seen.into_iter().partition(|u| listed.contains(u));
        assert_eq!(from_csv, users_in(&expected), "users of {user}");
        for u in &made {
            let code = u
                .strip_prefix("lanhdao.")
                .unwrap_or_default()
                .to_uppercase();
            assert!(expected.contains(&code), "{user} sees {u}");
        }
        // Single reads: inside the scope 200, outside 404 (existence does not leak).
        for code in [
            "X-CONCUONG-MONSON",
            "X-CONCUONG-YENKHE",
            "H-TANKY",
            "SNV",
            "UBND-TINH",
        ] {
            let id = app.agency_id(code).await;
            let (s, v) = app
                .get_json(&token, &format!("/api/v1/agencies/{id}"))
                .await;
            if expected.contains(code) {
                assert_eq!(s, StatusCode::OK, "{user} reads {code}");
            } else {
                assert_eq!(s, StatusCode::NOT_FOUND, "{user} must not read {code}");
                assert!(is_vietnamese(&message(&v)));
            }
        }
        for other in ["chuyenvien.yenkhe", "motcua.monson", "lanhdao.tanky"] {
            let id = app.user_id(other).await;
            let (s, _) = app.get_json(&token, &format!("/api/v1/users/{id}")).await;
            let expect = if users_in(&expected).contains(other) {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            assert_eq!(s, expect, "{user} reads user {other}");
        }
    }
}

#[tokio::test]
async fn only_administrators_change_agencies() {
    let app = spawn_app().await;
    let parent = app.agency_id("H-CONCUONG").await;
    let body = |code: &str| json!({"code": code, "parent_id": parent, "kind": "ubnd_xa", "name": "Ủy ban nhân dân xã Thử Nghiệm", "valid_from": "2024-01-01"});
    for user in [
        "lanhdao",
        "sonoivu",
        "vanphong",
        "lanhdao.concuong",
        "chuyenvien.concuong",
    ] {
        let token = app.token(user).await;
        let (s, v) = app
            .send_json(&token, Method::POST, "/api/v1/agencies", &body("X-THU"))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{user} creates an agency");
        assert_eq!(message(&v), "Bạn không có quyền thực hiện thao tác này.");
        let (s, _) = app
            .send_json(
                &token,
                Method::POST,
                &format!("/api/v1/agencies/{parent}/deactivate"),
                &json!({}),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{user} deactivates an agency");
    }
    let admin = app.token("admin").await;
    let (s, v) = app
        .send_json(&admin, Method::POST, "/api/v1/agencies", &body("X-THU"))
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let id = v["id"].as_i64().unwrap();
    // The commune head now sees it, a neighbouring district head does not.
    let head = app.token("lanhdao.concuong").await;
    assert_eq!(
        app.get_json(&head, &format!("/api/v1/agencies/{id}"))
            .await
            .0,
        StatusCode::OK
    );
    let other = app.token("lanhdao.tanky").await;
    assert_eq!(
        app.get_json(&other, &format!("/api/v1/agencies/{id}"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    // Every change is in the audit log with its after-image.
    let (s, log) = app
        .get_json(
            &admin,
            &format!("/api/v1/audit?entity=agency&entity_id={id}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(log["items"][0]["action"], "create");
    assert_eq!(log["items"][0]["username"], "admin");
    assert_eq!(log["items"][0]["after"]["code"], "X-THU");
    // Only administrators read the log.
    assert_eq!(
        app.get_json(&head, "/api/v1/audit").await.0,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn moving_an_agency_moves_its_subtree_and_the_scope_follows() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let monson = app.agency_id("X-CONCUONG-MONSON").await;
    let tanky = app.agency_id("H-TANKY").await;
    let (s, a) = app
        .get_json(&admin, &format!("/api/v1/agencies/{monson}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    let mut body = a.clone();
    body["parent_id"] = json!(tanky);
    let (s, moved) = app
        .send_json(
            &admin,
            Method::PUT,
            &format!("/api/v1/agencies/{monson}"),
            &body,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{moved}");
    let tanky_head = app.token("lanhdao.tanky").await;
    assert_eq!(
        app.get_json(&tanky_head, &format!("/api/v1/agencies/{monson}"))
            .await
            .0,
        StatusCode::OK
    );
    let cc_head = app.token("lanhdao.concuong").await;
    assert_eq!(
        app.get_json(&cc_head, &format!("/api/v1/agencies/{monson}"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    // The commune's users moved with it.
    let mid = app.user_id("motcua.monson").await;
    assert_eq!(
        app.get_json(&tanky_head, &format!("/api/v1/users/{mid}"))
            .await
            .0,
        StatusCode::OK
    );
    // A cycle is refused and changes nothing.
    let cc = app.agency_id("H-CONCUONG").await;
    let (_, cc_body) = app
        .get_json(&admin, &format!("/api/v1/agencies/{cc}"))
        .await;
    let yenkhe = app.agency_id("X-CONCUONG-YENKHE").await;
    let mut cyc = cc_body.clone();
    cyc["parent_id"] = json!(yenkhe);
    let (s, v) = app
        .send_json(&admin, Method::PUT, &format!("/api/v1/agencies/{cc}"), &cyc)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(is_vietnamese(&message(&v)));
    assert_eq!(
        app.get_json(&admin, &format!("/api/v1/agencies/{cc}"))
            .await
            .1,
        cc_body
    );
}

#[tokio::test]
async fn unit_heads_manage_accounts_only_inside_their_unit() {
    let app = spawn_app().await;
    let head = app.token("lanhdao.concuong").await;
    let monson = app.agency_id("X-CONCUONG-MONSON").await;
    let tanky = app.agency_id("H-TANKY").await;
    let new_user = |username: &str, agency: i64, role: &str| json!({"username": username, "full_name": "Lò Văn Thử", "agency_id": agency, "roles": [role], "password": "SongLam2026"});
    let (s, v) = app
        .send_json(
            &head,
            Method::POST,
            "/api/v1/users",
            &new_user("canbo.moi", monson, "chuyen_vien"),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, v) = app
        .send_json(
            &head,
            Method::POST,
            "/api/v1/users",
            &new_user("canbo.quantri", monson, "admin"),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(message(&v).contains("Quản trị hệ thống"));
    let (s, _) = app
        .send_json(
            &head,
            Method::POST,
            "/api/v1/users",
            &new_user("canbo.tanky", tanky, "chuyen_vien"),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an agency outside the scope does not exist for the caller"
    );
    // Users outside the unit are invisible; users holding province roles are untouchable.
    let outside = app.user_id("chuyenvien.tanky").await;
    let (s, _) = app
        .send_json(
            &head,
            Method::POST,
            &format!("/api/v1/users/{outside}/deactivate"),
            &json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // An officer manages nobody, not even a colleague.
    let officer = app.token("chuyenvien.monson").await;
    let colleague = app.user_id("motcua.monson").await;
    let (s, _) = app
        .send_json(
            &officer,
            Method::POST,
            &format!("/api/v1/users/{colleague}/deactivate"),
            &json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app
        .send_json(
            &officer,
            Method::POST,
            "/api/v1/users",
            &new_user("canbo.khac", monson, "chuyen_vien"),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // The head resets a colleague's password inside the unit.
    let (s, v) = app
        .send_json(
            &head,
            Method::POST,
            &format!("/api/v1/users/{colleague}/password"),
            &json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["temporary_password"].as_str().unwrap().len(), 12);
}

#[tokio::test]
async fn a_commune_officer_cannot_open_another_communes_pages() {
    let app = spawn_app().await;
    let (c, _) = app.browser("chuyenvien.monson").await;
    let own = app.agency_id("X-CONCUONG-MONSON").await;
    let other = app.agency_id("X-CONCUONG-YENKHE").await;
    let res = c
        .get(app.url(&format!("/co-quan/{own}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("Ủy ban nhân dân xã Môn Sơn"));
    for path in [
        format!("/co-quan/{other}"),
        format!("/co-quan/{other}/sua"),
        format!("/nguoi-dung/{}", app.user_id("chuyenvien.yenkhe").await),
    ] {
        let res = c.get(app.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        let html = res.text().await.unwrap();
        assert!(
            html.contains("Không tìm thấy"),
            "{path} shows a Vietnamese error page"
        );
        assert!(!html.contains("Yên Khê"), "{path} leaks nothing");
    }
    let list = c
        .get(app.url("/co-quan"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("Môn Sơn") && !list.contains("Yên Khê") && !list.contains("Tân Kỳ"));
    let users = c
        .get(app.url("/nguoi-dung"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(users.contains("motcua.monson") && !users.contains("chuyenvien.yenkhe"));
    // Forms of another unit are refused too.
    let res = c
        .get(app.url(&format!("/co-quan/{own}/sua")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn agency_history_is_kept_and_filterable_by_date() {
    let app = spawn_app().await;
    let token = app.token("lanhdao").await;
    // Districts existed in 2023 and not in 2026; the 2025 communes the other way round.
    let (_, in_2023) = app
        .get_json(
            &token,
            "/api/v1/agencies?kind=ubnd_huyen&on=2023-08-15&limit=500",
        )
        .await;
    let (_, in_2026) = app
        .get_json(
            &token,
            "/api/v1/agencies?kind=ubnd_huyen&on=2026-01-01&limit=500",
        )
        .await;
    assert!(in_2023["total"].as_i64().unwrap() >= 20);
    assert_eq!(in_2026["total"], 0);
    let (_, x2023) = app
        .get_json(
            &token,
            "/api/v1/agencies?q=con%20cuong&on=2023-08-15&limit=500",
        )
        .await;
    let names: Vec<&str> = x2023["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Ủy ban nhân dân huyện Con Cuông"),
        "search without diacritics finds {names:?}"
    );
    let monson = app.agency_id("X-CONCUONG-MONSON").await;
    let (_, m) = app
        .get_json(&token, &format!("/api/v1/agencies/{monson}"))
        .await;
    assert_eq!(m["valid_to"], "2025-06-30");
    assert_eq!(m["merged_into_id"], app.agency_id("XM-MONSON").await);
}
