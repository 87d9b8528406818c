//! Bảng điều hành (issue 23): each figure equals the list it links to, in the caller's
//! scope; a unit outside it is a 404; a period as people write it.

use reqwest::StatusCode;

use crate::helpers::*;

/// The number shown for `data-figure="{name}"`.
fn figure(html: &str, name: &str) -> i64 {
    let at = html
        .find(&format!("data-figure=\"{name}\""))
        .unwrap_or_else(|| panic!("figure {name}"));
    let rest = &html[at..];
    let start = rest.find('>').unwrap() + 1;
    let digits: String = rest[start..]
        .trim_start_matches("<strong class=\"late\">")
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("{name}: {}", &rest[..80.min(rest.len())]))
}

#[tokio::test]
async fn the_dashboard_figures_are_the_lists_behind_them() {
    let app = spawn_app().await;
    for (user, unit) in [("sonoivu", None), ("lanhdao.stp", Some("STP"))] {
        let (c, _) = app.browser(user).await;
        let res = c
            .get(app.url("/dieu-hanh?ky=T10/2023"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{user}");
        let html = res.text().await.unwrap();
        assert!(html.contains("tháng 10 năm 2023"), "{user}");
        assert!(html.contains("/static/vendor/chartjs/chart.umd.js"));
        let token = app.token(user).await;
        let u = unit.map(|u| format!("&unit={u}")).unwrap_or_default();
        let (_, od) = app
            .get_json(&token, &format!("/api/v1/overdue?period=2023-10{u}"))
            .await;
        assert_eq!(
            figure(&html, "overdue-dossiers"),
            od["total"]["dossiers"].as_i64().unwrap(),
            "{user}"
        );
        assert_eq!(
            figure(&html, "overdue-tasks"),
            od["total"]["tasks"].as_i64().unwrap(),
            "{user}"
        );
        assert_eq!(
            figure(&html, "overdue-feedback"),
            od["total"]["feedback"].as_i64().unwrap(),
            "{user}"
        );
        let agency = match unit {
            Some(code) => format!("&agency_id={}", app.agency_id(code).await),
            None => String::new(),
        };
        let (_, all) = app
            .get_json(&token, &format!("/api/v1/tasks?limit=1{agency}"))
            .await;
        assert_eq!(
            figure(&html, "tasks-assigned"),
            all["total"].as_i64().unwrap(),
            "{user}"
        );
        let (_, late) = app
            .get_json(
                &token,
                &format!("/api/v1/tasks?limit=1&status=overdue{agency}"),
            )
            .await;
        assert_eq!(
            figure(&html, "tasks-overdue"),
            late["total"].as_i64().unwrap(),
            "{user}"
        );
        let (_, drafts) = app
            .get_json(
                &token,
                &format!("/api/v1/reports?template=TTHC-THANG&period=2023-10&status=draft{u}"),
            )
            .await;
        assert_eq!(
            figure(&html, "reports-draft"),
            drafts["total"].as_i64().unwrap(),
            "{user}"
        );
    }
    // Scope and bad input.
    let (c, _) = app.browser("lanhdao.stp").await;
    let res = c.get(app.url("/dieu-hanh?unit=SXD")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = c
        .get(app.url("/dieu-hanh?ky=13/2026"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    // In the menu of heads and province roles, not of officers.
    let home = c
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("href=\"/dieu-hanh\""));
    assert!(
        home.contains("Bảng điều hành — Sở Tư pháp"),
        "a unit head opens on the dashboard"
    );
    let (c, _) = app.browser("chuyenvien.stp").await;
    let home = c
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!home.contains("href=\"/dieu-hanh\""));
    assert!(
        home.contains("Xin chào"),
        "an officer keeps the home page of tasks"
    );
}
