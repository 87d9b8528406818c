//! The OpenAPI document (issue 20 "Hardening"): what `/api/openapi.json` says must be what
//! the handlers do, so that generated clients and fuzzers (schemathesis in CI,
//! `.ci/schemathesis.sh`) can use it. Filters are query parameters, path parameters are
//! the template's, every operation documents its errors with the error body, and every
//! `$ref` resolves.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::helpers::*;

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

/// `{id}` and `{extension_id}` of `/api/v1/tasks/{id}/extensions/{extension_id}/decision`.
fn template_names(path: &str) -> BTreeSet<String> {
    path.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name.to_string()))
        .collect()
}

/// The value a JSON pointer `#/a/b` names in the document.
fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    doc.pointer(reference.strip_prefix('#')?)
}

/// Every `$ref` anywhere below `v`.
fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "$ref"
                    && let Some(r) = x.as_str()
                {
                    out.push(r);
                }
                refs(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

/// The parameters of an operation, its path item's included, with `$ref`s followed.
fn parameters<'a>(doc: &'a Value, item: &'a Value, op: &'a Value) -> Vec<&'a Value> {
    let listed = |v: &'a Value| v["parameters"].as_array().into_iter().flatten();
    listed(item)
        .chain(listed(op))
        .map(|p| match p["$ref"].as_str() {
            Some(r) => resolve(doc, r).unwrap_or(p),
            None => p,
        })
        .collect()
}

/// The schema a response or property points at, `$ref` followed.
fn schema_of<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v["$ref"].as_str() {
        Some(r) => resolve(doc, r).unwrap_or(v),
        None => v,
    }
}

/// The problems of the document, one line each.
fn problems(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let paths = doc["paths"].as_object().expect("paths");
    for (path, item) in paths {
        let names = template_names(path);
        for method in METHODS {
            let op = &item[method];
            if !op.is_object() {
                continue;
            }
            let at = format!("{} {path}", method.to_uppercase());
            let params = parameters(doc, item, op);
            let mut declared = BTreeSet::new();
            for p in &params {
                let name = p["name"].as_str().unwrap_or("?");
                match p["in"].as_str() {
                    Some("path") => {
                        if !names.contains(name) {
                            out.push(format!(
                                "{at}: «{name}» is declared in: path but the template has no {{{name}}} (a query filter?)"
                            ));
                        }
                        if p["required"] != Value::Bool(true) {
                            out.push(format!("{at}: path parameter «{name}» must be required"));
                        }
                        declared.insert(name.to_string());
                    }
                    Some("query" | "header" | "cookie") => {}
                    other => out.push(format!("{at}: «{name}» has in: {other:?}")),
                }
                if !p["schema"].is_object() && !p["content"].is_object() {
                    out.push(format!("{at}: parameter «{name}» has no schema"));
                }
            }
            for name in names.difference(&declared) {
                out.push(format!("{at}: {{{name}}} of the template is not declared"));
            }
            let responses = op["responses"].as_object();
            let statuses: Vec<&String> = responses.map(|r| r.keys().collect()).unwrap_or_default();
            if !statuses.iter().any(|s| s.starts_with('2')) {
                out.push(format!("{at}: no success response documented"));
            }
            if !statuses.iter().any(|s| s.starts_with('4')) {
                out.push(format!("{at}: no 4xx response documented"));
            }
            for (status, r) in responses.into_iter().flatten() {
                if !status.starts_with('4') {
                    continue;
                }
                let r = schema_of(doc, r);
                if r["content"]["application/json"]["schema"]["$ref"]
                    != "#/components/schemas/ErrorBody"
                {
                    out.push(format!("{at}: {status} without the error body"));
                }
            }
            let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
            if secured && !statuses.iter().any(|s| *s == "401") {
                out.push(format!("{at}: bearer security without a documented 401"));
            }
        }
    }
    let mut all = Vec::new();
    refs(doc, &mut all);
    for r in all {
        if resolve(doc, r).is_none() {
            out.push(format!("$ref {r} does not resolve"));
        }
    }
    out
}

#[tokio::test]
async fn the_openapi_document_says_what_the_handlers_do() {
    let app = spawn_app().await;
    let res = client()
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::OK);
    let doc: Value = res.json().await.unwrap();

    let found = problems(&doc);
    assert!(
        found.is_empty(),
        "{} problems in the OpenAPI document:\n{}",
        found.len(),
        found.join("\n")
    );

    // Filters are query parameters, with their types.
    let tasks = &doc["paths"]["/api/v1/tasks"]["get"];
    let p = parameters(&doc, &doc["paths"]["/api/v1/tasks"], tasks);
    let status = p.iter().find(|p| p["name"] == "status").expect("status");
    assert_eq!(status["in"], "query");
    let limit = p.iter().find(|p| p["name"] == "limit").expect("limit");
    assert_eq!(limit["in"], "query");
    assert!(
        limit["schema"]["type"].to_string().contains("integer"),
        "{limit}"
    );

    // The login is public; the rest of the API needs the bearer token.
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    let login = &doc["paths"]["/api/v1/auth/login"]["post"];
    assert!(
        login["security"].as_array().is_none_or(|s| s
            .iter()
            .all(|x| x.as_object().is_some_and(|o| o.is_empty()))),
        "{login}"
    );
    assert!(login["responses"]["429"]["headers"]["Retry-After"].is_object());
    assert!(doc["paths"]["/api/v1/tasks"]["get"]["security"].is_array());

    // The response types that were wrong: a task's report history is the task's own
    // report type (not the periodic reports' `ReportOut`), the 766 groups and KPIs are
    // arrays, the overdue list's times are local times without an offset.
    let schemas = &doc["components"]["schemas"];
    let detail = &schemas["TaskDetail"]["properties"]["reports"];
    assert_eq!(
        detail["items"]["$ref"], "#/components/schemas/TaskReportOut",
        "{detail}"
    );
    assert!(schemas["TaskReportOut"]["properties"]["percent"].is_object());
    assert!(schemas["ReportOut"]["properties"]["template"].is_object());
    let report = &schemas["IndicatorReport"]["properties"];
    for key in ["groups", "kpis", "unmeasured"] {
        assert_eq!(report[key]["type"], "array", "{key}: {}", report[key]);
    }
    let row = &schemas["OverdueRow"]["properties"]["due"];
    assert_eq!(row["type"], "string", "{row}");
    assert!(row["format"].is_null(), "not an RFC 3339 date-time: {row}");

    // File downloads say their media types.
    let file = &doc["paths"]["/api/v1/reports/{id}/file"]["get"]["responses"]["200"]["content"];
    assert!(
        file["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"].is_object()
            && file["application/pdf"].is_object(),
        "{file}"
    );
}

/// The fuzzer signs in as `admin` and may send any documented request with that token;
/// nothing it can send ends its own session (logout aside, which `.ci/schemathesis.sh`
/// leaves out): changing one's own agency or roles is refused like locking oneself out.
#[tokio::test]
async fn an_administrator_cannot_end_their_own_session_through_the_user_api() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let me = app.user_id("admin").await;
    let (_, mine) = app.get_json(&admin, &format!("/api/v1/users/{me}")).await;
    let (_, other) = app
        .get_json(&admin, "/api/v1/agencies?kind=so_nganh&limit=1")
        .await;
    let other_agency = other["items"][0]["id"].as_i64().expect("an agency");
    assert_ne!(Some(other_agency), mine["agency_id"].as_i64());
    let body = |agency: i64, roles: serde_json::Value| serde_json::json!({"full_name": mine["full_name"], "agency_id": agency, "roles": roles});
    let own_agency = mine["agency_id"].as_i64().unwrap();
    for b in [
        body(other_agency, mine["roles"].clone()),
        body(own_agency, serde_json::json!(["admin", "so_noi_vu"])),
    ] {
        let (s, v) = app
            .send_json(
                &admin,
                reqwest::Method::PUT,
                &format!("/api/v1/users/{me}"),
                &b,
            )
            .await;
        assert_eq!(s, reqwest::StatusCode::BAD_REQUEST, "{b}: {v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap_or("")
                .contains("chính mình"),
            "{v}"
        );
    }
    // The profile itself may still be edited, and the token still works.
    let (s, v) = app
        .send_json(
            &admin,
            reqwest::Method::PUT,
            &format!("/api/v1/users/{me}"),
            &serde_json::json!({"full_name": "Nguyễn Văn Quản", "title": "Quản trị hệ thống",
                                "agency_id": own_agency, "roles": mine["roles"]}),
        )
        .await;
    assert_eq!(s, reqwest::StatusCode::OK, "{v}");
    let (s, _) = app.get_json(&admin, "/api/v1/auth/me").await;
    assert_eq!(s, reqwest::StatusCode::OK);
}

/// Bad input the fuzzer sends is refused with a 400 whose message is Vietnamese (it used
/// to carry serde's or the calendar's English text).
#[tokio::test]
async fn bad_query_input_is_refused_in_vietnamese() {
    let app = spawn_app().await;
    let token = app.token("admin").await;
    for (path, expected) in [
        (
            "/api/v1/agencies?on=262142-01-01",
            "Tham số truy vấn «on» không hợp lệ",
        ),
        (
            "/api/v1/users?limit=abc",
            "Tham số truy vấn «limit» không hợp lệ",
        ),
        (
            "/api/v1/calendar/add?days=1",
            "Thiếu tham số truy vấn «date»",
        ),
        (
            "/api/v1/deadline?limit=30%20ng%C3%A0y&received=9999-12-31T10:00",
            "ngày 31/12/9999 nằm ngoài phạm vi lịch (01/01/1900–31/12/2199)",
        ),
    ] {
        let (s, v) = app.get_json(&token, path).await;
        assert_eq!(s, reqwest::StatusCode::BAD_REQUEST, "{path}: {v}");
        let m = v["error"]["message"].as_str().unwrap_or("");
        assert!(m.contains(expected), "{path}: «{m}»");
        for english in ["Failed", "deserialize", "outside", "missing"] {
            assert!(!m.contains(english), "{path}: «{m}»");
        }
    }
}
