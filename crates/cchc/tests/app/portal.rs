//! The 766 ranking on the public portal (issue 22): anyone sees, for a period that is
//! over, each kind of unit ranked as staff see it; a running period is refused.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

async fn public(app: &TestApp, path: &str) -> (StatusCode, String) {
    let r = client().get(app.url(path)).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

#[tokio::test]
async fn the_public_766_ranking_is_the_staff_ranking_of_a_finished_period() {
    let app = spawn_app().await;
    let snv = app.token("sonoivu").await;
    for (kind, written) in [("so_nganh", "T10/2023"), ("ubnd_huyen", "10/2023")] {
        let (st, staff) = app
            .get_json(
                &snv,
                &format!("/api/v1/indicators/ranking?unit=UBND-TINH&period=2023-10&kind={kind}"),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{staff}");
        let (st, page) = public(
            &app,
            &format!("/cong-khai/chi-so-766?ky={written}&loai={kind}"),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{page}");
        assert!(page.contains("tháng 10 năm 2023"), "the period as written");
        let units: &Vec<Value> = staff["units"].as_array().unwrap();
        assert!(units.iter().any(|u| u["rank"] == 1), "{staff}");
        // Every unit in the staff order, and the first's score.
        let mut at = 0;
        for u in units {
            let name = u["unit_name"].as_str().unwrap();
            let pos = page[at..]
                .find(name)
                .unwrap_or_else(|| panic!("{name} after {at}"));
            at += pos + name.len();
        }
        let first = &units[0];
        let score = format!("{:.2}", first["score_100"].as_f64().unwrap()).replace('.', ",");
        assert!(page.contains(&score), "{score}");
    }
    // The default is the last complete month; the running month is not shown.
    let (st, page) = public(&app, "/cong-khai/chi-so-766").await;
    assert_eq!(st, StatusCode::OK);
    let last = {
        let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
        let first = today.with_day0(0).unwrap();
        first - chrono::Duration::days(1)
    };
    use chrono::Datelike;
    assert!(
        page.contains(&format!("tháng {} năm {}", last.month(), last.year())),
        "last complete month"
    );
    let now = (chrono::Utc::now() + chrono::Duration::hours(7))
        .format("%Y-%m")
        .to_string();
    for bad in [now.as_str(), "13/2023", "2017-05"] {
        let (st, page) = public(&app, &format!("/cong-khai/chi-so-766?ky={bad}")).await;
        assert_eq!(st, StatusCode::BAD_REQUEST, "{bad}");
        assert!(is_vietnamese(&page), "{bad}: a Vietnamese message");
    }
    let (st, _) = public(&app, "/cong-khai/chi-so-766?loai=tinh").await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn periods_as_people_write_them_and_the_api_docs_for_administrators() {
    let app = spawn_app().await;
    let snv = app.token("sonoivu").await;
    // The same answer for the code and for the ways people write a period.
    let (st, code) = app
        .get_json(&snv, "/api/v1/tasks/stats/by-agency?period=2023-10")
        .await;
    assert_eq!(st, StatusCode::OK, "{code}");
    for written in ["10/2023", "T10/2023", "tháng 10/2023"] {
        let (st, v) = app
            .get_json(
                &snv,
                &format!("/api/v1/tasks/stats/by-agency?period={written}"),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{written}: {v}");
        assert_eq!(v, code, "{written}");
    }
    let (st, v) = app
        .get_json(&snv, "/api/v1/indicators?unit=STP&period=Q4/2023")
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["period"], "2023-Q4");
    let (st, a) = app
        .get_json(&snv, "/api/v1/reports?template=TTHC-THANG&period=2023-10")
        .await;
    assert_eq!(st, StatusCode::OK, "{a}");
    let (_, b) = app
        .get_json(&snv, "/api/v1/reports?template=TTHC-THANG&period=T10/2023")
        .await;
    assert_eq!(a["total"], b["total"]);
    // The API documentation is in the administrators' menu only.
    for (user, shown) in [("lanhdao.stp", false), ("sonoivu", false), ("admin", true)] {
        let (c, _) = app.browser(user).await;
        let home = c
            .get(app.url("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(home.contains("href=\"/api/docs\""), shown, "{user}");
    }
}
