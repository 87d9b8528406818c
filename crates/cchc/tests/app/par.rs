//! Chỉ số CCHC (issue 21) through HTTP: exact totals, the whole cycle (open, self-assess
//! with evidence, submit, appraise with reasons, return once, publish, freeze), access by
//! scope and role, bad input refused with nothing saved, the gaps and remediation tasks,
//! the public ranking.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

fn h(v: &Value) -> i64 {
    (v.as_f64().expect("number") * 100.0).round() as i64
}

async fn published_round(app: &TestApp, token: &str) -> (i64, i64) {
    let (st, v) = app.get_json(token, "/api/v1/par/rounds").await;
    assert_eq!(st, StatusCode::OK);
    let items = v["items"].as_array().unwrap();
    let p = items
        .iter()
        .find(|r| r["status"] == "published")
        .expect("2023 published");
    let a = items
        .iter()
        .find(|r| r["status"] == "appraisal")
        .expect("2024 in appraisal");
    assert_eq!(p["year"], 2023);
    assert_eq!(a["year"], 2024);
    (p["id"].as_i64().unwrap(), a["id"].as_i64().unwrap())
}

#[tokio::test]
async fn ranking_totals_equal_the_sum_of_criteria_for_every_unit() {
    let app = spawn_app().await;
    let snv = app.token("sonoivu").await;
    let (published, in_appraisal) = published_round(&app, &snv).await;
    for round in [published, in_appraisal] {
        for kind in ["department", "district"] {
            let (st, v) = app
                .get_json(
                    &snv,
                    &format!("/api/v1/par/rounds/{round}/ranking?kind={kind}"),
                )
                .await;
            assert_eq!(st, StatusCode::OK);
            let items = v["items"].as_array().unwrap();
            assert!(items.len() > 5, "{kind}: {}", items.len());
            let mut prev: Option<(i64, i64)> = None;
            for (i, it) in items.iter().enumerate() {
                let code = it["unit_code"].as_str().unwrap();
                let (st, card) = app
                    .get_json(&snv, &format!("/api/v1/par/rounds/{round}/units/{code}"))
                    .await;
                assert_eq!(st, StatusCode::OK, "{code}");
                let leaves: Vec<&Value> = card["criteria"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|c| c["leaf"] == true && c["not_applicable"] == false)
                    .collect();
                let sum: i64 = leaves.iter().map(|c| h(&c["final_score"])).sum();
                let max: i64 = leaves.iter().map(|c| h(&c["max"])).sum();
                assert_eq!(h(&it["score"]), sum, "{code}: ranking score = Σ criteria");
                assert_eq!(
                    h(&it["max"]),
                    max,
                    "{code}: ranking max = Σ applicable maxima"
                );
                assert_eq!(h(&card["totals"]["score"]), sum);
                let areas: i64 = card["areas"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| h(&a["score"]))
                    .sum();
                assert_eq!(areas, sum, "{code}: Σ areas = total");
                // index = score / max × 100, two decimals, half up.
                let want = (2 * sum * 10_000 + max) / (2 * max);
                assert_eq!(h(&it["index"]), want, "{code}");
                let index = h(&it["index"]);
                let rank = it["rank"].as_i64().unwrap();
                match prev {
                    Some((pi, pr)) => {
                        assert!(index <= pi, "ordered by index");
                        if index == pi {
                            assert_eq!(rank, pr, "ties share a rank");
                        } else {
                            assert_eq!(rank, i as i64 + 1);
                        }
                    }
                    None => assert_eq!(rank, 1),
                }
                prev = Some((index, rank));
            }
        }
    }
}

#[tokio::test]
async fn a_round_from_opening_to_publication() {
    let app = spawn_app().await;
    let snv = app.token("sonoivu").await;
    let head = app.token("lanhdao.stp").await;
    let officer = app.token("chuyenvien.stp").await;
    let other = app.token("lanhdao.sxd").await;

    // Only the Sở Nội vụ opens a round; one round a year.
    let (st, _) = app
        .send_json(
            &head,
            Method::POST,
            "/api/v1/par/rounds",
            &json!({"year": 2025}),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, r) = app
        .send_json(
            &snv,
            Method::POST,
            "/api/v1/par/rounds",
            &json!({"year": 2025, "self_due_on": "20/01/2026"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    let id = r["id"].as_i64().unwrap();
    assert_eq!(r["status"], "open");
    assert_eq!(r["self_due_on"], "2026-01-20");
    // Districts ended on 30/06/2025: departments and the new communes in force on
    // 31/12/2025 are scored, each kind on its own set; every kind in force has a set.
    let kinds: Vec<&str> = r["sets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["unit_kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["department", "commune"]);
    assert!(r.get("unscored").is_none(), "{r}");
    // A year no set applies to is refused, naming the units left without one.
    let (st, v) = app
        .send_json(
            &snv,
            Method::POST,
            "/api/v1/par/rounds",
            &json!({"year": 2021}),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT, "{v}");
    let m = message(&v);
    assert!(
        m.contains("Sở, ban, ngành: ") && m.contains("UBND cấp huyện: "),
        "{m}"
    );
    // Default appraisal deadline: 20 working days after the self-assessment's.
    // 21/01–13/02 is 18 working days; Tết 2026 (16–20/02) is off; 23/02 and 24/02 end it.
    assert_eq!(r["appraisal_due_on"], "2026-02-24", "Tết 2026 is skipped");
    let (st, v) = app
        .send_json(
            &snv,
            Method::POST,
            "/api/v1/par/rounds",
            &json!({"year": 2025}),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT);
    assert!(is_vietnamese(&message(&v)));

    let card_url = format!("/api/v1/par/rounds/{id}/units/STP");
    let (st, card) = app.get_json(&officer, &card_url).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(card["can_edit"], true);
    assert_eq!(
        card["can_submit"], false,
        "officers fill in, the head submits"
    );
    // Another unit's card does not exist for them; the ranking waits for publication.
    let (st, _) = app.get_json(&other, &card_url).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, _) = app
        .get_json(&head, &format!("/api/v1/par/rounds/{id}/ranking"))
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);

    // Bad answers: above max, negative, wrong level, unknown item, a survey item — 422,
    // nothing saved.
    let self_url = format!("{card_url}/self");
    for (code, value) in [
        ("2.3.2", "3,5"),
        ("2.3.2", "-1"),
        ("1.2.1", "Khá"),
        ("1.1.2", "120"),
        ("9.9.9", "1"),
        ("8.1.1", "3"),
    ] {
        let (st, v) = app
            .send_json(
                &officer,
                Method::PUT,
                &self_url,
                &json!({"items": [{"code": "1.1.1", "value": "Có"}, {"code": code, "value": value}]}),
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{code}={value}: {v}");
        assert!(is_vietnamese(&message(&v)), "{v}");
    }
    let (_, card) = app.get_json(&officer, &card_url).await;
    assert!(
        card["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["self_score"].is_null()),
        "nothing saved"
    );
    // Submitting with items unanswered names them.
    let (st, v) = app
        .send_json(
            &head,
            Method::POST,
            &format!("{card_url}/submit"),
            &json!({}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&v).contains("chưa tự chấm"), "{v}");

    // Every item the unit scores, by its rule.
    let leaves: Vec<Value> = card["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["leaf"] == true && c["source"] != "survey")
        .cloned()
        .collect();
    let items: Vec<Value> = leaves
        .iter()
        .map(|c| {
            let value = match c["rule_kind"].as_str().unwrap() {
                "yesno" => "Có".to_string(),
                "levels" => c["options"][0].as_str().unwrap().to_string(),
                "ratio" => "100".to_string(),
                _ => "1,25".to_string(),
            };
            json!({"code": c["code"], "value": value, "note": "Đã thực hiện đầy đủ."})
        })
        .collect();
    let (st, card) = app
        .send_json(&officer, Method::PUT, &self_url, &json!({"items": items}))
        .await;
    assert_eq!(st, StatusCode::OK, "{card}");
    let self_sum: i64 = card["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["leaf"] == true)
        .filter_map(|c| c["self_score"].as_f64())
        .map(|x| (x * 100.0).round() as i64)
        .sum();
    assert_eq!(h(&card["totals"]["self_score"]), self_sum);
    assert_eq!(card["totals"]["unanswered"], 0);

    // Evidence: a bad link is refused; a link and a task of the unit are kept.
    let ev_url = format!("{card_url}/evidence");
    let (st, v) = app
        .send_json(
            &officer,
            Method::POST,
            &ev_url,
            &json!({"code": "1.1.1", "kind": "link", "url": "ftp://x"}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (st, v) = app
        .send_json(
            &officer,
            Method::POST,
            &ev_url,
            &json!({"code": "1.1.1", "kind": "task", "ref_id": 999999}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (st, card) = app
        .send_json(
            &officer,
            Method::POST,
            &ev_url,
            &json!({"code": "1.1.1", "kind": "link", "url": "https://sotuphap.nghean.gov.vn/ke-hoach-cchc-2025", "label": "Kế hoạch CCHC 2025"}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{card}");
    let item = card["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "1.1.1")
        .unwrap();
    assert_eq!(item["evidence"][0]["label"], "Kế hoạch CCHC 2025");

    // The officer may not submit; the head does; then the unit can no longer edit.
    let (st, _) = app
        .send_json(
            &officer,
            Method::POST,
            &format!("{card_url}/submit"),
            &json!({}),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, card) = app
        .send_json(
            &head,
            Method::POST,
            &format!("{card_url}/submit"),
            &json!({}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{card}");
    assert_eq!(card["status"], "submitted");
    let (st, _) = app
        .send_json(
            &officer,
            Method::PUT,
            &self_url,
            &json!({"items": [{"code": "1.1.1", "value": "Không"}]}),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT);

    // Appraisal: only the Sở Nội vụ; an adjustment needs a reason; above max is refused.
    let ap_url = format!("{card_url}/appraisal");
    let (st, _) = app
        .send_json(
            &head,
            Method::PUT,
            &ap_url,
            &json!({"items": [{"code": "1.1.2", "score": "1"}]}),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, v) = app
        .send_json(
            &snv,
            Method::PUT,
            &ap_url,
            &json!({"items": [{"code": "1.1.2", "score": "1"}]}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&v).contains("lý do"), "{v}");
    let (st, _) = app
        .send_json(
            &snv,
            Method::PUT,
            &ap_url,
            &json!({"items": [{"code": "1.1.2", "score": "9", "reason": "x"}]}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let reason = "Kế hoạch hoàn thành 85%, chưa đạt 100%.";
    let (st, card) = app
        .send_json(
            &snv,
            Method::PUT,
            &ap_url,
            &json!({"items": [{"code": "1.1.2", "score": "1", "reason": reason},
                              {"code": "2.3.2", "not_applicable": true, "reason": "Sở không có văn bản thuộc diện kiểm tra."}]}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{card}");
    let c112 = card["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "1.1.2")
        .unwrap();
    assert_eq!(h(&c112["appraised_score"]), 100);
    assert_eq!(c112["appraisal_reason"], reason);
    assert_eq!(
        h(&card["totals"]["max"]),
        10_000 - 300,
        "2.3.2 leaves the maximum"
    );
    let audited = app
        .count_by_id(
            "select count(*) from audit_log where entity = 'par_card' and action = 'appraise' and summary like '%85%' and cast(entity_id as bigint) = $1",
            store::par::card(&app.db, id, "STP").await.unwrap().id,
        )
        .await;
    assert_eq!(audited, 1, "the adjustment is audited with its reason");

    // Returned once for explanation; the unit answers and sends again; not a second time.
    let (st, card) = app
        .send_json(
            &snv,
            Method::POST,
            &format!("{card_url}/return"),
            &json!({"reason": "Bổ sung kế hoạch kiểm tra."}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{card}");
    assert_eq!(card["status"], "returned");
    let (st, _) = app
        .send_json(
            &officer,
            Method::PUT,
            &self_url,
            &json!({"items": [{"code": "1.3.1", "value": "Có", "note": "Đã bổ sung."}]}),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let (st, _) = app
        .send_json(
            &head,
            Method::POST,
            &format!("{card_url}/submit"),
            &json!({}),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let (st, v) = app
        .send_json(
            &snv,
            Method::POST,
            &format!("{card_url}/return"),
            &json!({"reason": "Lần hai."}),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT, "{v}");

    // Publication waits for every card; then it freezes the round.
    let (st, _) = app
        .send_json(
            &snv,
            Method::POST,
            &format!("/api/v1/par/rounds/{id}/appraisal"),
            &json!({}),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let publish = json!({"decision": "15/QĐ-UBND", "decision_date": "10/03/2026"});
    let (st, v) = app
        .send_json(
            &snv,
            Method::POST,
            &format!("/api/v1/par/rounds/{id}/publish"),
            &publish,
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT);
    assert!(message(&v).contains("chưa thẩm định"), "{v}");
    let (_, units) = app
        .get_json(&snv, &format!("/api/v1/par/rounds/{id}/units"))
        .await;
    for u in units["items"].as_array().unwrap() {
        let code = u["unit_code"].as_str().unwrap();
        let base = format!("/api/v1/par/rounds/{id}/units/{code}");
        if u["status"] != "submitted" {
            // Units that did not fill in: the appraisal scores what it has.
            store::par::card_status(
                &app.db,
                &store::par::card(&app.db, id, code).await.unwrap(),
                "submitted",
                None,
                &store::audit::Actor::system("test"),
                store::now(),
            )
            .await
            .unwrap();
        }
        let (st, v) = app
            .send_json(&snv, Method::POST, &format!("{base}/appraised"), &json!({}))
            .await;
        assert_eq!(st, StatusCode::OK, "{code}: {v}");
    }
    let (st, r) = app
        .send_json(
            &snv,
            Method::POST,
            &format!("/api/v1/par/rounds/{id}/publish"),
            &publish,
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!(r["status"], "published");
    // Frozen: no more changes, for anyone.
    let (st, _) = app
        .send_json(
            &snv,
            Method::PUT,
            &ap_url,
            &json!({"items": [{"code": "1.1.1", "score": "0", "reason": "x"}]}),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT);
    let (st, _) = app
        .send_json(
            &snv,
            Method::POST,
            &format!("/api/v1/par/rounds/{id}/survey"),
            &json!({"csv": "ma,tc,diem\nSTP,8.1.1,3"}),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT);
    let (_, card) = app.get_json(&head, &card_url).await;
    assert_eq!(card["frozen"], true);
    // Everyone signed in sees the ranking now; the public portal too.
    let (st, ranking) = app
        .get_json(
            &other,
            &format!("/api/v1/par/rounds/{id}/ranking?kind=department"),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let stp = ranking["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["unit_code"] == "STP")
        .unwrap();
    assert_eq!(h(&stp["score"]), h(&card["totals"]["score"]));
    let html = client()
        .get(app.url(&format!("/cong-khai/chi-so-cchc?ky={id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(html.status(), StatusCode::OK);
    assert!(html.text().await.unwrap().contains("Sở Tư pháp"));

    // The gaps, most points lost first, and a remediation task for one.
    let (st, gaps) = app
        .get_json(&head, &format!("/api/v1/par/rounds/{id}/gaps?unit=STP"))
        .await;
    assert_eq!(st, StatusCode::OK);
    let g = gaps["items"].as_array().unwrap();
    assert!(
        g.iter()
            .any(|x| x["code"] == "1.1.2" && h(&x["lost"]) == 100)
    );
    assert!(g.windows(2).all(|w| h(&w[0]["lost"]) >= h(&w[1]["lost"])));
    assert!(
        g.iter().all(|x| x["code"] != "2.3.2"),
        "not applicable is no gap"
    );
    let (st, _) = app
        .send_json(
            &head,
            Method::POST,
            &format!("/api/v1/par/rounds/{id}/remediation"),
            &json!({"unit": "STP", "code": "1.1.2"}),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "units do not assign tasks");
    let (st, t) = app
        .send_json(
            &snv,
            Method::POST,
            &format!("/api/v1/par/rounds/{id}/remediation"),
            &json!({"unit": "STP", "code": "1.1.2"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{t}");
    let (st, task) = app
        .get_json(&head, &format!("/api/v1/tasks/{}", t["task_id"]))
        .await;
    assert_eq!(st, StatusCode::OK, "the unit sees its remediation task");
    assert!(
        task["task"]["content"].as_str().unwrap().contains("1.1.2"),
        "{task}"
    );
}

#[tokio::test]
async fn survey_import_is_all_or_nothing_and_scope_holds_for_pages() {
    let app = spawn_app().await;
    let snv = app.token("sonoivu").await;
    let (_, in_appraisal) = published_round(&app, &snv).await;
    let url = format!("/api/v1/par/rounds/{in_appraisal}/survey");
    let (_, before) = app
        .get_json(
            &snv,
            &format!("/api/v1/par/rounds/{in_appraisal}/units/STP"),
        )
        .await;
    let before_811 = before["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "8.1.1")
        .unwrap()["survey_score"]
        .clone();
    for csv in [
        "ma_don_vi,ma_tieu_chi,diem\nSTP,8.1.1,3\nSTP,8.1.2,99",
        "ma_don_vi,ma_tieu_chi,diem\nSTP,8.1.1,3\nKHONGCO,8.1.1,1",
        "ma_don_vi,ma_tieu_chi,diem\nSTP,1.1.1,1",
        "ma_don_vi,ma_tieu_chi,diem\nSTP,8.1.1,-2",
    ] {
        let (st, v) = app
            .send_json(&snv, Method::POST, &url, &json!({"csv": csv}))
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{csv}: {v}");
        assert!(message(&v).contains("Dòng"), "{v}");
    }
    let (_, after) = app
        .get_json(
            &snv,
            &format!("/api/v1/par/rounds/{in_appraisal}/units/STP"),
        )
        .await;
    let after_811 = after["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "8.1.1")
        .unwrap()["survey_score"]
        .clone();
    assert_eq!(before_811, after_811, "nothing saved");
    let (st, v) = app
        .send_json(
            &snv,
            Method::POST,
            &url,
            &json!({"csv": "ma_don_vi;ma_tieu_chi;diem\nSTP;8.1.1;3,25\nSTP;8.1.2;2"}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["imported"], 2);
    let unit = app.token("lanhdao.stp").await;
    let (st, _) = app
        .send_json(
            &unit,
            Method::POST,
            &url,
            &json!({"csv": "a,b,c\nSTP,8.1.1,1"}),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);

    // Pages: a district head sees its card, not a department's; the Sở Nội vụ sees all.
    let (c, _) = app.browser("lanhdao.concuong").await;
    let page = c
        .get(app.url(&format!("/chi-so-cchc/{in_appraisal}/H-CONCUONG")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let body = page.text().await.unwrap();
    assert!(body.contains("Phiếu chấm Chỉ số CCHC năm 2024"), "{body}");
    let page = c
        .get(app.url(&format!("/chi-so-cchc/{in_appraisal}/STP")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    let page = c
        .get(app.url(&format!("/chi-so-cchc/{in_appraisal}")))
        .send()
        .await
        .unwrap();
    let body = page.text().await.unwrap();
    assert!(body.contains("Ủy ban nhân dân huyện Con Cuông") && !body.contains("Sở Tư pháp"));
    let (c, _) = app.browser("sonoivu").await;
    // The 2024 round's deadline (03/02/2025) is long past: unsent cards are flagged.
    let body = c
        .get(app.url(&format!("/chi-so-cchc/{in_appraisal}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        body.contains("Chưa gửi, quá hạn") && body.contains("Quá hạn"),
        "late cards"
    );
    for path in [
        "/chi-so-cchc".to_string(),
        format!("/chi-so-cchc/{in_appraisal}"),
        format!("/chi-so-cchc/{in_appraisal}/STP"),
        format!("/chi-so-cchc/{in_appraisal}/thieu-diem"),
        "/chi-so-cchc/don-vi/STP".to_string(),
        "/chi-so-cchc/bo-tieu-chi/1".to_string(),
    ] {
        let page = c.get(app.url(&path)).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn a_set_imported_from_an_excel_table_scores_a_round_and_the_appendix_prints() {
    let app = spawn_app().await;
    let snv = app.token("sonoivu").await;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows: [[&str; 8]; 7] = [
        [
            "BỘ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA CÁC SỞ",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "Mã",
            "Tiêu chí",
            "Điểm tối đa",
            "Nguồn điểm",
            "Cách chấm",
            "Thang điểm",
            "Tài liệu kiểm chứng",
            "Số liệu hệ thống",
        ],
        ["1", "Công tác chỉ đạo, điều hành", "3", "", "", "", "", ""],
        [
            "1.1",
            "Kế hoạch CCHC năm",
            "1",
            "Tự đánh giá",
            "Ban hành trước 31/12: 1 điểm",
            "Có/Không",
            "Kế hoạch",
            "",
        ],
        [
            "1.2",
            "Nhiệm vụ UBND tỉnh giao",
            "2",
            "Hệ thống",
            "",
            "≥100%=2; ≥80%=1; ≥0%=0",
            "",
            "tasks_on_time",
        ],
        ["2", "Tác động", "2", "", "", "", "", ""],
        [
            "2.1",
            "Mức độ hài lòng",
            "2",
            "Điều tra xã hội học",
            "",
            "",
            "",
            "",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    let bytes = book.save_to_buffer().unwrap();
    let q = "code=TEST_TABLE_SO&title=B%E1%BB%99%20th%E1%BB%AD&unit_kind=department&applies_from_year=2026&decision=7%2FQ%C4%90-UBND&decision_date=05%2F01%2F2026&survey_points=2";
    // A unit cannot import; a bad table names its row; nothing is stored.
    let unit = app.token("lanhdao.stp").await;
    let send = |token: String, body: Vec<u8>| {
        let url = app.url(&format!("/api/v1/par/sets/table?{q}"));
        async move {
            let res = client()
                .post(url)
                .bearer_auth(token)
                .header(
                    "content-type",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                )
                .body(body)
                .send()
                .await
                .unwrap();
            let st = res.status();
            (st, res.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let (st, _) = send(unit.clone(), bytes.clone()).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let bad = "Mã,Tiêu chí,Điểm tối đa\n1,A,2\n1.1,B,abc\n"
        .as_bytes()
        .to_vec();
    let (st, v) = send(snv.clone(), bad).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(message(&v).contains("Dòng 3"), "{v}");
    let (_, sets) = app.get_json(&snv, "/api/v1/par/sets").await;
    assert!(
        sets["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["code"] != "TEST_TABLE_SO")
    );
    let (st, s) = send(snv.clone(), bytes).await;
    assert_eq!(st, StatusCode::CREATED, "{s}");
    assert_eq!(s["code"], "TEST_TABLE_SO");
    assert_eq!(s["decision"], "7/QĐ-UBND");
    assert_eq!(
        (
            s["area_count"].as_i64(),
            s["criterion_count"].as_i64(),
            s["sub_criterion_count"].as_i64()
        ),
        (Some(2), Some(3), Some(0)),
        "counts beside the tree, not in its place"
    );
    assert_eq!(
        (s["areas"].as_array().unwrap().len(), h(&s["max_points"])),
        (2, 500)
    );
    let (st, tree) = app
        .get_json(&unit, &format!("/api/v1/par/sets/{}", s["id"]))
        .await;
    assert_eq!(
        st,
        StatusCode::OK,
        "the criteria are readable by every unit"
    );
    assert_eq!(tree["areas"][0]["items"][1]["metric"], "tasks_on_time");

    // Export, import again: a new version of the same code with the same tree.
    let res = client()
        .get(app.url(&format!("/api/v1/par/sets/{}/table", s["id"])))
        .bearer_auth(&snv)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let csv = res.bytes().await.unwrap().to_vec();
    assert!(String::from_utf8_lossy(&csv).contains("≥100%=2; ≥80%=1; ≥0%=0"));
    let res = client()
        .post(app.url(&format!("/api/v1/par/sets/table?{q}")))
        .bearer_auth(&snv)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let v2: Value = res.json().await.unwrap();
    assert_eq!(
        (v2["code"].as_str(), v2["version"].as_i64()),
        (Some("TEST_TABLE_SO"), Some(2))
    );
    assert_eq!(v2["areas"], tree["areas"], "the same tree");
    // A 2026 round uses it for the departments; the appendix prints as a draft.
    let (st, r) = app
        .send_json(
            &snv,
            Method::POST,
            "/api/v1/par/rounds",
            &json!({"year": 2026}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    assert_eq!(
        r["set_id"], v2["id"],
        "the newest version of the set in force"
    );
    let id = r["id"].as_i64().unwrap();
    let (_, card) = app
        .get_json(&snv, &format!("/api/v1/par/rounds/{id}/units/STP"))
        .await;
    assert_eq!(h(&card["totals"]["max"]), 500);
    let c12 = card["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "1.2")
        .unwrap()
        .clone();
    assert_eq!(c12["source"], "computed");
    assert!(c12["metric_label"].as_str().unwrap().contains("nhiệm vụ"));
    for fmt in ["xlsx", "pdf"] {
        let res = client()
            .get(app.url(&format!("/api/v1/par/rounds/{id}/appendix?format={fmt}")))
            .bearer_auth(&snv)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{fmt}");
        let b = res.bytes().await.unwrap();
        assert!(
            b.starts_with(if fmt == "xlsx" { b"PK" } else { b"%PDF" }),
            "{fmt}"
        );
    }
    let res = client()
        .get(app.url(&format!("/api/v1/par/rounds/{id}/appendix?format=xlsx")))
        .bearer_auth(&unit)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::FORBIDDEN,
        "a draft ranking is not the units'"
    );
}

#[tokio::test]
async fn evidence_files_and_an_excel_survey_go_through_the_pages() {
    let app = spawn_app().await;
    let snv = app.token("sonoivu").await;
    let (st, r) = app
        .send_json(
            &snv,
            Method::POST,
            "/api/v1/par/rounds",
            &json!({"year": 2025}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED);
    let id = r["id"].as_i64().unwrap();
    let (c, csrf) = app.browser("chuyenvien.stp").await;
    let post = |form: reqwest::multipart::Form| {
        c.post(app.url(&format!("/chi-so-cchc/{id}/STP/thao-tac?_csrf={csrf}")))
            .multipart(form)
            .send()
    };
    // A refused answer re-renders the card with what was typed, nothing lost.
    let res = c
        .post(app.url(&format!("/chi-so-cchc/{id}/STP/thao-tac")))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("action", "self"),
            ("v.1.1.2", "150"),
            ("n.1.1.2", "Giải trình đã gõ"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(
        body.contains("value=\"150\"") && body.contains("Giải trình đã gõ"),
        "typed values kept"
    );
    // A file of a type evidence does not take: the page says why (422), nothing added.
    let bad = reqwest::multipart::Form::new()
        .text("action", "evidence")
        .text("code", "1.1.1")
        .text("kind", "file")
        .part(
            "files",
            reqwest::multipart::Part::bytes(b"PK\x03\x04zip".to_vec()).file_name("kehoach.zip"),
        );
    let res = post(bad).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("PDF, Word, Excel"));
    let card_id = store::par::card(&app.db, id, "STP").await.unwrap().id;
    assert_eq!(
        app.count_by_id(
            "select count(*) from par_evidence where card_id = $1",
            card_id
        )
        .await,
        0
    );
    let good = reqwest::multipart::Form::new()
        .text("action", "evidence")
        .text("code", "1.1.1")
        .text("kind", "file")
        .part(
            "files",
            reqwest::multipart::Part::bytes(b"%PDF-1.4 ke hoach".to_vec())
                .file_name("Kế hoạch CCHC 2025.pdf"),
        );
    let res = post(good).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, card) = app
        .get_json(&snv, &format!("/api/v1/par/rounds/{id}/units/STP"))
        .await;
    let ev = &card["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["code"] == "1.1.1")
        .unwrap()["evidence"][0];
    assert_eq!(ev["label"], "Kế hoạch CCHC 2025.pdf");
    let url = ev["url"].as_str().unwrap().to_string();
    // The unit and the Sở Nội vụ open it; another unit does not even see it exists.
    let res = c.get(app.url(&url)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let (other, _) = app.browser("chuyenvien.sxd").await;
    let res = other.get(app.url(&url)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // Survey scores from an Excel sheet (the survey items of the set: 8.1.x).
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Mã đơn vị").unwrap();
    sheet.write_string(0, 1, "Mã tiêu chí").unwrap();
    sheet.write_string(0, 2, "Điểm").unwrap();
    sheet.write_string(1, 0, "STP").unwrap();
    sheet.write_string(1, 1, "8.1.1").unwrap();
    sheet.write_number(1, 2, 3.5).unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let (s, scsrf) = app.browser("sonoivu").await;
    let form = reqwest::multipart::Form::new()
        .text("action", "survey")
        .part(
            "files",
            reqwest::multipart::Part::bytes(bytes).file_name("dieu-tra.xlsx"),
        );
    let res = s
        .post(app.url(&format!("/chi-so-cchc/{id}/thao-tac?_csrf={scsrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, card) = app
        .get_json(&snv, &format!("/api/v1/par/rounds/{id}/units/STP"))
        .await;
    let item = card["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["code"] == "8.1.1")
        .unwrap()
        .clone();
    assert_eq!(h(&item["survey_score"]), 350);
    assert_eq!(h(&item["final_score"]), 350);
}
