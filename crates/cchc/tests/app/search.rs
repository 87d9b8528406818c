//! One search box across directives, tasks, procedures and dossiers: diacritics and
//! spacing folded, a task found by its lead agency's name, every group scoped like its
//! list.

use crate::helpers::*;
use reqwest::StatusCode;

async fn page(c: &reqwest::Client, app: &TestApp, q: &str) -> String {
    let res = c
        .get(app.url(&format!(
            "/tim-kiem?{}",
            serde_urlencoded::to_string([("q", q)]).unwrap()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.text().await.unwrap()
}

#[tokio::test]
async fn one_box_finds_every_kind_inside_the_scope() {
    let app = spawn_app().await;
    let (c, _) = app.browser("chuyenvien.sxd").await;
    // The box is on every staff page.
    assert!(page(&c, &app, "").await.contains("action=\"/tim-kiem\""));
    // Procedures by relevance, without diacritics or spaces.
    let html = page(&c, &app, "khaisinh").await;
    assert!(html.contains(">Thủ tục đăng ký khai sinh</a>"), "{html}");
    // A task found by its lead agency's name; the task list agrees.
    let html = page(&c, &app, "Sở Xây dựng").await;
    let token = app.token("chuyenvien.sxd").await;
    let (_, v) = app
        .get_json(
            &token,
            "/api/v1/tasks?q=S%E1%BB%9F%20X%C3%A2y%20d%E1%BB%B1ng&limit=1",
        )
        .await;
    let tasks = v["total"].as_i64().unwrap();
    assert!(tasks > 0, "{v}");
    assert!(
        html.contains(&format!("Nhiệm vụ <small class=\"muted\">{tasks}</small>")),
        "{html}"
    );
    // A dossier by its code, for its unit and not for another unit.
    let (_, d) = app.get_json(&token, "/api/v1/dossiers?limit=1").await;
    let code = d["items"][0]["code"].as_str().unwrap().to_string();
    assert!(page(&c, &app, &code).await.contains(&format!("{code} — ")));
    let (other, _) = app.browser("chuyenvien.stp").await;
    let html = page(&other, &app, &code).await;
    assert!(
        !html.contains(&format!("{code} — ")),
        "another unit's dossier"
    );
}
