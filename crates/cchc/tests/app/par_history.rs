//! A unit's Chỉ số CCHC year by year and criterion by criterion (issue 21: "year-over-year
//! comparison per unit and per criterion; trend chart").

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

fn h(v: &Value) -> i64 {
    (v.as_f64().expect("number") * 100.0).round() as i64
}

#[tokio::test]
async fn a_units_history_compares_years_criterion_by_criterion() {
    let app = spawn_app().await;
    let snv = app.token("sonoivu").await;
    let (st, v) = app.get_json(&snv, "/api/v1/par/units/STP/history").await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let years = v["items"].as_array().expect("items");
    let ys: Vec<i64> = years.iter().map(|y| y["year"].as_i64().unwrap()).collect();
    assert_eq!(ys, [2023, 2024]);
    for y in years {
        let criteria = y["criteria"].as_array().unwrap();
        assert!(criteria.len() > 20);
        // The areas' points add up to the year's total, the criteria to their area.
        let areas: i64 = criteria
            .iter()
            .filter(|c| c["depth"] == 0)
            .map(|c| h(&c["score"]))
            .sum();
        assert_eq!(areas, h(&y["score"]), "year {}", y["year"]);
        for a in criteria.iter().filter(|c| c["depth"] == 0) {
            let code = a["code"].as_str().unwrap();
            let children: i64 = criteria
                .iter()
                .filter(|c| {
                    c["depth"] == 1 && c["code"].as_str().unwrap().starts_with(&format!("{code}."))
                })
                .map(|c| h(&c["score"]))
                .sum();
            assert_eq!(children, h(&a["score"]), "area {code}");
        }
    }
    let (c, _) = app.browser("sonoivu").await;
    let page = c
        .get(app.url("/chi-so-cchc/don-vi/STP"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let body = page.text().await.unwrap();
    assert!(body.contains("So sánh từng tiêu chí qua các năm"));
    assert!(body.contains("so năm 2024 với 2023"));
    assert!(body.contains("<svg"), "trend chart");
    // Another unit does not read the Sở Tư pháp's cards.
    let other = app.token("lanhdao.sxd").await;
    let (st, v) = app.get_json(&other, "/api/v1/par/units/STP/history").await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["total"], 0, "{v}");
    let (oc, _) = app.browser("lanhdao.sxd").await;
    let page = oc
        .get(app.url("/chi-so-cchc/don-vi/STP"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
}
