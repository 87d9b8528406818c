//! The criteria-set editor of the Sở Nội vụ (issue 21: "the set is editable by Sở Nội vụ
//! through the UI"): only the Sở Nội vụ opens it; a refused table comes back with what was
//! typed and nothing stored; a saved table is a new version with parents summed, an item
//! added and one deleted, while the version it came from stays as it was.

use domain::par::Points;
use reqwest::StatusCode;

use crate::helpers::*;

/// The set's rows (without the header) as its CSV export gives them.
async fn rows_of(app: &TestApp, token: &str, id: i64) -> Vec<Vec<String>> {
    let csv_bytes = client()
        .get(app.url(&format!("/api/v1/par/sets/{id}/table")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let text = String::from_utf8(csv_bytes.to_vec()).unwrap();
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    r.records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect()
}

fn form(
    csrf: &str,
    code: &str,
    rows: &[Vec<String>],
    deleted: &[usize],
    sum: bool,
) -> Vec<(String, String)> {
    let mut f = vec![
        ("_csrf".to_string(), csrf.to_string()),
        ("n".into(), rows.len().to_string()),
        ("code".into(), code.to_string()),
        ("title".into(), "Bộ chỉ số sửa đổi".into()),
        ("unit_kind".into(), "department".into()),
        ("applies_from_year".into(), "2026".into()),
        ("decision".into(), "12/QĐ-UBND".into()),
        ("decision_date".into(), "15/01/2026".into()),
    ];
    if sum {
        f.push(("sum_parents".into(), "1".into()));
    }
    for (i, r) in rows.iter().enumerate() {
        for (c, cell) in r.iter().enumerate() {
            f.push((format!("r{}_{c}", i + 1), cell.clone()));
        }
        if deleted.contains(&i) {
            f.push((format!("r{}_del", i + 1), "1".into()));
        }
    }
    f
}

#[tokio::test]
async fn the_secretariat_edits_a_set_into_a_new_version() {
    let app = spawn_app().await;
    let snv = app.token("sonoivu").await;
    let (_, sets) = app.get_json(&snv, "/api/v1/par/sets").await;
    let set = sets["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["unit_kind"] == "department")
        .expect("a department set")
        .clone();
    let id = set["id"].as_i64().unwrap();
    let code = set["code"].as_str().unwrap().to_string();
    let before_max = (set["max_points"].as_f64().unwrap() * 100.0).round() as i64;
    let edit_path = format!("/chi-so-cchc/bo-tieu-chi/{id}/sua");

    // A unit officer neither opens nor posts the editor.
    let (unit, ucsrf) = app.browser("lanhdao.stp").await;
    let res = unit.get(app.url(&edit_path)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let rows = rows_of(&app, &snv, id).await;
    let res = unit
        .post(app.url(&edit_path))
        .form(&form(&ucsrf, &code, &rows, &[], true))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    let (c, csrf) = app.browser("sonoivu").await;
    let page = c.get(app.url(&edit_path)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Lưu thành phiên bản mới") && html.contains(&rows[0][1]));

    // Two self-assessed leaves that have a sibling: one gains a point, one is deleted; a
    // new item goes under the first one's parent.
    let is_leaf = |code: &str| !rows.iter().any(|r| r[0].starts_with(&format!("{code}.")));
    let leaves: Vec<usize> = (0..rows.len())
        .filter(|&i| {
            is_leaf(&rows[i][0])
                && rows[i][3] == "Tự đánh giá"
                && rows[i][0].matches('.').count() >= 1
        })
        .collect();
    let (edited, gone) = (leaves[0], leaves[1]);
    let mut rows = rows;
    let old = Points::parse(&rows[edited][2]).unwrap();
    let removed = Points::parse(&rows[gone][2]).unwrap();
    rows[edited][2] = Points(old.0 + 100).vn();
    let parent = rows[edited][0].rsplit_once('.').unwrap().0.to_string();
    let new_code = format!("{parent}.99");
    rows.push(vec![
        new_code.clone(),
        "Tiêu chí bổ sung năm 2026".into(),
        "0,5".into(),
        "Tự đánh giá".into(),
        "Ban hành đúng hạn: 0,5 điểm".into(),
        "Có/Không".into(),
        "Văn bản ban hành".into(),
        String::new(),
    ]);
    let gone_code = rows[gone][0].clone();
    let count_sets = || async {
        let (_, v) = app.get_json(&snv, "/api/v1/par/sets").await;
        v["items"].as_array().unwrap().len()
    };
    let n_before = count_sets().await;

    // Without summing, the parents no longer add up: refused, typed values kept.
    let res = c
        .post(app.url(&edit_path))
        .form(&form(&csrf, &code, &rows, &[gone], false))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("Chưa lưu được bộ tiêu chí"), "{body}");
    assert!(body.contains("tổng điểm"), "the sum is named");
    assert!(body.contains("Tiêu chí bổ sung năm 2026"), "typed row kept");
    // A bad cell names its row on the page.
    let mut bad = rows.clone();
    bad[edited][2] = "nhiều".into();
    let res = c
        .post(app.url(&edit_path))
        .form(&form(&csrf, &code, &bad, &[], true))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(
        body.contains(&format!("Dòng {}", edited + 1)),
        "row named: {}",
        &body[body.find("Chưa lưu").unwrap_or(0)..][..600]
    );
    assert!(body.contains("class=\"bad\""), "row marked");
    // An item without its parent is refused.
    let mut orphan = rows.clone();
    orphan.last_mut().unwrap()[0] = "77.1".into();
    let res = c
        .post(app.url(&edit_path))
        .form(&form(&csrf, &code, &orphan, &[], true))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count_sets().await, n_before, "nothing stored");

    // Saved with parents summed: a new version.
    let res = c
        .post(app.url(&edit_path))
        .form(&form(&csrf, &code, &rows, &[gone], true))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()["location"].to_str().unwrap().to_string();
    let new_id: i64 = to.rsplit('/').next().unwrap().parse().unwrap();
    assert_ne!(new_id, id);
    let (st, v) = app
        .get_json(&snv, &format!("/api/v1/par/sets/{new_id}"))
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["code"], code.as_str());
    assert_eq!(
        v["version"].as_i64(),
        set["version"].as_i64().map(|x| x + 1)
    );
    assert_eq!(v["origin"], "edit");
    assert_eq!(v["demo"], set["demo"]);
    assert_eq!(v["title"], "Bộ chỉ số sửa đổi");
    assert_eq!(v["decision"], "12/QĐ-UBND");
    let after_max = (v["max_points"].as_f64().unwrap() * 100.0).round() as i64;
    assert_eq!(after_max, before_max + 100 - removed.0 + 50);
    let all = rows_of(&app, &snv, new_id).await;
    assert!(all.iter().any(|r| r[0] == new_code));
    assert!(!all.iter().any(|r| r[0] == gone_code));
    // The new item sits after its siblings, not at the end of the table.
    let pos = all.iter().position(|r| r[0] == new_code).unwrap();
    assert!(
        all[pos + 1..]
            .iter()
            .all(|r| !r[0].starts_with(&format!("{parent}.")))
    );
    // The parent's maximum is the sum of its items.
    let sum: i64 = all
        .iter()
        .filter(|r| r[0].rsplit_once('.').map(|x| x.0) == Some(parent.as_str()))
        .map(|r| Points::parse(&r[2]).unwrap().0)
        .sum();
    let p = all.iter().find(|r| r[0] == parent).unwrap();
    assert_eq!(Points::parse(&p[2]).unwrap().0, sum);
    // The version it came from is unchanged.
    let (_, old_v) = app.get_json(&snv, &format!("/api/v1/par/sets/{id}")).await;
    assert_eq!(
        (old_v["max_points"].as_f64().unwrap() * 100.0).round() as i64,
        before_max
    );
    assert_eq!(count_sets().await, n_before + 1);
}
