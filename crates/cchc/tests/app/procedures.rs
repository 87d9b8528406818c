//! The TTHC catalog: the demo import of the real catalog, search without diacritics, the
//! public pages, writes limited to the catalog managers, and the internal-process rules.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test]
async fn the_demo_catalog_is_the_real_one_with_processes_that_fit() {
    let app = spawn_app().await;
    assert_eq!(store::procedure::count(&app.db).await.unwrap(), 329);
    // 1.002755 Gia hạn tạm trú: 03 ngày làm việc, commune level.
    let p = store::procedure::for_intake_by_code(&app.db, "1.002755")
        .await
        .unwrap();
    assert_eq!(p.name, "Gia hạn tạm trú");
    assert_eq!(p.level, "xa");
    assert_eq!(p.limit, Some(domain::dossier::WorkingLimit::Days(3)));
    assert_eq!(p.steps.iter().map(|s| s.minutes).sum::<i64>(), 3 * 480);
    assert_eq!(p.steps[0].role, "mot_cua");
    // A province-level procedure of Sở Xây dựng is matched to the registry.
    let sxd = app.agency_id("SXD").await;
    let (items, _) = store::procedure::list(
        &app.db,
        &store::procedure::ProcedureFilter {
            q: Some("cap phep xay dung".into()),
            ..Default::default()
        },
        store::Page::new(Some(100), None),
    )
    .await
    .unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().any(|p| p.agency_id == Some(sxd)));
    let by_id = store::procedure::for_intake(&app.db, p.id).await.unwrap();
    assert_eq!(by_id.code, "1.002755");
}

#[tokio::test]
async fn the_public_searches_without_diacritics_and_without_login() {
    let app = spawn_app().await;
    let c = client();
    let res = c
        .get(app.url("/thu-tuc?q=cap+phep+xay+dung"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "public page, no login");
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Cấp giấy phép xây dựng"),
        "folded search finds the accented name"
    );
    assert!(html.contains("width=device-width"));
    // The API answers the same, without login.
    let res = c
        .get(app.url("/api/v1/procedures?q=cap%20phep%20xay%20dung&limit=5"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let v: Value = res.json().await.unwrap();
    assert!(v["total"].as_i64().unwrap() >= 5);
    assert_eq!(v["items"].as_array().unwrap().len(), 5);
    for item in v["items"].as_array().unwrap() {
        // Words may come from the name, the field or the agency (Sở Xây dựng).
        let folded = domain::text::fold_vi(&format!(
            "{} {} {}",
            item["name"], item["field"], item["agency_text"]
        ));
        assert!(
            ["cap", "phep", "xay", "dung"]
                .iter()
                .all(|w| folded.contains(w)),
            "{folded}"
        );
    }
    // Filters and the detail page.
    let (s, v) = app
        .get_json(
            "",
            "/api/v1/procedures?level=xa&field=C%C6%B0%20tr%C3%BA&limit=500",
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["level"] == "xa" && p["field"] == "Cư trú")
    );
    let res = c.get(app.url("/thu-tuc/1.002755")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("Gia hạn tạm trú") && html.contains("03 ngày làm việc"));
    assert!(html.contains("Quy trình nội bộ"));
    let (s, v) = app.get_json("", "/api/v1/procedures/1.002755").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["limit_minutes"], 1440);
    assert_eq!(v["online_target_minutes"], 1152, "20% shorter (CV 6486)");
    assert_eq!(v["steps"].as_array().unwrap().len(), 4);
    // Bad input: a Vietnamese 400, not a 500.
    let (s, v) = app
        .get_json("", "/api/v1/procedures?level=trung-uong")
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(is_vietnamese(&message(&v)));
    let res = c.get(app.url("/thu-tuc/9.999999")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

fn new_procedure() -> Value {
    json!({"code": "1.999001", "name": "Cấp phép thử nghiệm", "field": "Xây dựng", "level": "tinh",
           "agency_text": "Sở Xây dựng", "limit_text": "05 ngày làm việc", "online_level": "toan_trinh",
           "fee_text": "Không", "documents": "Đơn đề nghị\nBản sao giấy tờ"})
}

#[tokio::test]
async fn only_catalog_managers_write_and_bad_input_changes_nothing() {
    let app = spawn_app().await;
    let before = store::procedure::count(&app.db).await.unwrap();
    let post = reqwest::Method::POST;
    // No login → 401; a chuyên viên → 403.
    let (s, _) = app
        .send_json("", post.clone(), "/api/v1/procedures", &new_procedure())
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let officer = chuyen_vien(&app).await;
    let t = app.token(&officer).await;
    let (s, v) = app
        .send_json(&t, post.clone(), "/api/v1/procedures", &new_procedure())
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(is_vietnamese(&message(&v)));
    let (s, _) = app
        .send_json(
            &t,
            reqwest::Method::PUT,
            "/api/v1/procedures/1.002755/steps",
            &json!({"steps": [{"name": "Tiếp nhận", "role": "mot_cua", "minutes": 60}]}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app
        .send_json(
            &t,
            post.clone(),
            "/api/v1/procedures/import",
            &json!({"csv": "x", "confirm": true}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Bad input from a manager: 422 with Vietnamese messages, nothing written.
    let vp = app.token("vanphong").await;
    let mut bad = new_procedure();
    bad["code"] = json!("1.99");
    bad["limit_text"] = json!("Không quy định");
    let (s, v) = app
        .send_json(&vp, post.clone(), "/api/v1/procedures", &bad)
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&v).contains("Mã thủ tục"), "{v}");
    assert!(message(&v).contains("thời hạn"), "{v}");
    assert_eq!(store::procedure::count(&app.db).await.unwrap(), before);
    // A good one is created, audited, and visible to the public.
    let (s, v) = app
        .send_json(&vp, post.clone(), "/api/v1/procedures", &new_procedure())
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["limit_minutes"], 5 * 480);
    assert_eq!(store::procedure::count(&app.db).await.unwrap(), before + 1);
    let (s, _) = app
        .send_json(&vp, post.clone(), "/api/v1/procedures", &new_procedure())
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (_, n) = store::audit::list(
        &app.db,
        &store::audit::AuditFilter {
            entity: Some("procedure".into()),
            ..Default::default()
        },
        store::Page::new(Some(1), None),
    )
    .await
    .unwrap();
    assert!(n >= 2, "demo import and the creation are audited");
    // Publication decision: abolished → no longer public.
    let (s, v) = app
        .send_json(&vp, post.clone(), "/api/v1/procedures/1.999001/versions",
            &json!({"kind": "abolished", "decision_number": "12/QĐ-UBND", "decision_date": "02/10/2023", "effective_date": "16/10/2023"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(
        v[0]["punctuality"], "on_time",
        "02/10 is before 09/10, five working days ahead"
    );
    let (s, _) = app
        .send_json(&vp, post.clone(), "/api/v1/procedures/1.999001/versions",
            &json!({"kind": "xoa", "decision_number": "", "decision_date": "31/02/2023", "effective_date": "x"}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let res = client()
        .get(app.url("/thu-tuc/1.999001"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let (s, v) = app
        .get_json(&vp, "/api/v1/procedures/stats?year=2023")
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v[0]["month"], "2023-10");
    assert_eq!(v[0]["abolished"], 1);
    assert_eq!(v[0]["on_time"], 1);
}

async fn chuyen_vien(app: &TestApp) -> String {
    let users = cchc::demo::demo_users().unwrap();
    users
        .iter()
        .find(|u| u.roles == "chuyen_vien")
        .map(|u| u.username.clone())
        .unwrap_or_else(|| panic!("a chuyen_vien demo account ({})", app.addr))
}

#[tokio::test]
async fn the_internal_process_must_fit_the_legal_limit() {
    let app = spawn_app().await;
    let vp = app.token("vanphong").await;
    let put = reqwest::Method::PUT;
    let before = store::procedure::for_intake_by_code(&app.db, "1.002755")
        .await
        .unwrap();
    // 03 ngày làm việc = 1,440 working minutes; 1,500 is refused.
    let (s, v) = app
        .send_json(
            &vp,
            put.clone(),
            "/api/v1/procedures/1.002755/steps",
            &json!({"steps": [
            {"name": "Tiếp nhận", "role": "mot_cua", "minutes": 60},
            {"name": "Thẩm định", "role": "chuyen_vien", "minutes": 1440}]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&v).contains("vượt thời hạn giải quyết"), "{v}");
    let (s, v) = app
        .send_json(&vp, put.clone(), "/api/v1/procedures/1.002755/steps", &json!({"steps": [
            {"name": "Tiếp nhận", "role": "mot_cua", "minutes": 60}], "online_limit_minutes": 2000}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(is_vietnamese(&message(&v)));
    let after = store::procedure::for_intake_by_code(&app.db, "1.002755")
        .await
        .unwrap();
    assert_eq!(after.steps.len(), before.steps.len(), "nothing changed");
    // A fitting process with a 20% shorter online target is saved.
    let (s, v) = app
        .send_json(&vp, put, "/api/v1/procedures/1.002755/steps", &json!({"steps": [
            {"name": "Tiếp nhận", "role": "mot_cua", "minutes": 60},
            {"name": "Thẩm định", "role": "chuyen_vien", "minutes": 900},
            {"name": "Ký duyệt", "role": "lanh_dao_don_vi", "minutes": 240}], "online_limit_minutes": 1152}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let after = store::procedure::for_intake_by_code(&app.db, "1.002755")
        .await
        .unwrap();
    assert_eq!(after.steps.len(), 3);
    assert_eq!(after.online_limit_minutes, Some(1152));
    // Compliance cost: baseline and after, reduction in percent.
    let (s, _) = app.send_json(&vp, reqwest::Method::PUT, "/api/v1/procedures/1.002755/costs/baseline",
        &json!({"work": [{"label": "Chuẩn bị hồ sơ", "amount_vnd": 100000}], "fees_vnd": 10000, "times_per_year": 1, "subjects_per_year": 100})).await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = app.send_json(&vp, reqwest::Method::PUT, "/api/v1/procedures/1.002755/costs/after",
        &json!({"work": [{"label": "Chuẩn bị hồ sơ", "amount_vnd": 78000}], "fees_vnd": 10000, "times_per_year": 1, "subjects_per_year": 100})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!((v["reduction_percent"].as_f64().unwrap() - 20.0).abs() < 1e-9);
    assert_eq!(v["meets_target"], true);
}

#[tokio::test]
async fn a_catalog_import_lists_every_rejected_row_before_writing() {
    let app = spawn_app().await;
    let (c, csrf) = app.browser("vanphong").await;
    let csv = "code,name,field,level,agency,time_limit,time_limit_days,fee,online_level,source\n\
        1.999101,Thủ tục thử một,Cư trú,xã,UBND cấp xã,05 ngày làm việc,5,,,thử\n\
        1.99x,Sai mã,Cư trú,xã,UBND cấp xã,05 ngày làm việc,5,,,thử\n\
        1.999102,Thiếu thời hạn,Cư trú,xã,UBND cấp xã,,,,,thử\n\
        1.002755,Gia hạn tạm trú,Cư trú,xã,Công an cấp xã,03 ngày làm việc,3,,toàn trình,thử\n";
    let before = store::procedure::count(&app.db).await.unwrap();
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("danh-muc.csv"),
    );
    let res = c
        .post(app.url(&format!("/thu-tuc/nhap?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Mã thủ tục &#34;1.99x&#34; không hợp lệ")
            || html.contains("Mã thủ tục \"1.99x\" không hợp lệ")
            || html.contains("1.99x"),
        "{html}"
    );
    assert!(html.contains("Thiếu thời hạn giải quyết."));
    assert!(
        html.contains("<td>3</td>") && html.contains("<td>4</td>"),
        "line numbers are shown"
    );
    assert_eq!(
        store::procedure::count(&app.db).await.unwrap(),
        before,
        "nothing before confirmation"
    );
    let res = c
        .post(app.url("/thu-tuc/nhap/xac-nhan"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("csv", csv),
            ("file_name", "danh-muc.csv"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(store::procedure::count(&app.db).await.unwrap(), before + 1);
    let p = store::procedure::for_intake_by_code(&app.db, "1.002755")
        .await
        .unwrap();
    assert_eq!(p.online_level, "toan_trinh", "existing code updated");
    // The JSON import: preview lists rejected rows with lines, writes nothing.
    let vp = app.token("vanphong").await;
    let (s, v) = app
        .send_json(
            &vp,
            reqwest::Method::POST,
            "/api/v1/procedures/import",
            &json!({"csv": csv}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["accepted"], 2);
    assert_eq!(v["written"], false);
    let lines: Vec<i64> = v["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["line"].as_i64().unwrap())
        .collect();
    assert_eq!(lines, vec![3, 4]);
    // A chuyên viên cannot open the import page.
    let officer = chuyen_vien(&app).await;
    let (c2, _) = app.browser(&officer).await;
    let res = c2.get(app.url("/thu-tuc/nhap")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

/// A workbook as an officer makes it: a title row, the Vietnamese headers on row 3, good
/// and bad rows (one cell with a line break, one code typed as a number).
fn catalog_xlsx() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet
        .write_string(0, 0, "DANH MỤC THỦ TỤC HÀNH CHÍNH CẤP XÃ")
        .unwrap();
    let header = [
        "STT",
        "Mã TTHC",
        "Tên thủ tục",
        "Lĩnh vực",
        "Cấp thực hiện",
        "Cơ quan thực hiện",
        "Thời hạn giải quyết",
        "Phí, lệ phí",
        "Mức độ trực tuyến",
        "Nguồn",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    let rows: [[&str; 10]; 4] = [
        // Row 4: good.
        [
            "1",
            "1.999201",
            "Thủ tục Excel một",
            "Cư trú",
            "Cấp xã",
            "UBND cấp xã",
            "05 ngày làm việc",
            "Không",
            "Toàn trình",
            "QĐ 1/QĐ-UBND",
        ],
        // Row 5: bad code.
        [
            "2",
            "1.99y",
            "Sai mã trong Excel",
            "Cư trú",
            "xã",
            "UBND cấp xã",
            "05 ngày làm việc",
            "",
            "",
            "QĐ 1/QĐ-UBND",
        ],
        // Row 6: no time limit.
        [
            "3",
            "1.999202",
            "Thiếu thời hạn Excel",
            "Cư trú",
            "xã",
            "UBND cấp xã",
            "",
            "",
            "",
            "QĐ 1/QĐ-UBND",
        ],
        // Row 7: good, a name over two lines in its cell.
        [
            "4",
            "",
            "Thủ tục Excel\nhai",
            "Hộ tịch",
            "Tỉnh",
            "Sở Tư pháp",
            "03 ngày làm việc",
            "50.000 đồng",
            "Một phần",
            "QĐ 1/QĐ-UBND",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(3 + r as u32, c as u16, *v).unwrap();
        }
    }
    // Row 9 (after a blank row 8): good, its code typed as a number (Excel keeps 1.9992).
    sheet.write_number(8, 1, 1.99920).unwrap();
    for (c, v) in [
        (2u16, "Thủ tục mã dạng số"),
        (3, "Cư trú"),
        (4, "xã"),
        (5, "UBND cấp xã"),
        (6, "02 ngày làm việc"),
        (9, "QĐ 1/QĐ-UBND"),
    ] {
        sheet.write_string(8, c, v).unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[tokio::test]
async fn an_excel_catalog_is_previewed_with_sheet_rows_then_imported() {
    let app = spawn_app().await;
    let (c, csrf) = app.browser("vanphong").await;
    let before = store::procedure::count(&app.db).await.unwrap();
    let xlsx = catalog_xlsx();
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(xlsx.clone()).file_name("danh-muc.xlsx"),
    );
    let res = c
        .post(app.url(&format!("/thu-tuc/nhap?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(!html.contains("CSV UTF-8 (Tệp"), "no longer asks for CSV");
    assert!(html.contains("<strong>3</strong> dòng hợp lệ"), "{html}");
    assert!(html.contains("1.99y"), "{html}");
    assert!(html.contains("Thiếu thời hạn giải quyết."), "{html}");
    assert!(
        html.contains("<td>5</td>") && html.contains("<td>6</td>"),
        "the sheet's row numbers: {html}"
    );
    assert_eq!(
        store::procedure::count(&app.db).await.unwrap(),
        before,
        "nothing before confirmation"
    );
    // Confirm what was previewed.
    let page_csv = html
        .split("<textarea name=\"csv\" hidden>")
        .nth(1)
        .and_then(|s| s.split("</textarea>").next())
        .expect("the previewed catalog is carried to the confirmation")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let res = c
        .post(app.url("/thu-tuc/nhap/xac-nhan"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("csv", page_csv.as_str()),
            ("file_name", "danh-muc.xlsx"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(store::procedure::count(&app.db).await.unwrap(), before + 3);
    let p = store::procedure::for_intake_by_code(&app.db, "1.999201")
        .await
        .unwrap();
    assert_eq!(p.online_level, "toan_trinh");
    assert_eq!(p.level, "xa", "«Cấp xã» is read as xã");
    let p = store::procedure::get_by_code(&app.db, "1.999200")
        .await
        .expect("a code typed as a number keeps its six decimals");
    assert_eq!(p.name, "Thủ tục mã dạng số");
    let (items, _) = store::procedure::list(
        &app.db,
        &store::procedure::ProcedureFilter {
            q: Some("Thu tuc Excel hai".into()),
            ..Default::default()
        },
        store::Page::new(Some(5), None),
    )
    .await
    .unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].name, "Thủ tục Excel hai");
    assert_eq!(items[0].level, "tinh");

    // The API takes the workbook itself: preview by default, rows by sheet number.
    let vp = app.token("vanphong").await;
    let send = |confirm: bool| {
        client()
            .post(app.url(&format!("/api/v1/procedures/import?confirm={confirm}")))
            .bearer_auth(&vp)
            .header(
                "content-type",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            .body(xlsx.clone())
            .send()
    };
    let res = send(false).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["accepted"], 3, "{v}");
    assert_eq!(v["written"], false);
    let lines: Vec<i64> = v["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["line"].as_i64().unwrap())
        .collect();
    assert_eq!(lines, vec![5, 6]);
    let res = send(true).await.unwrap();
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["written"], true, "{v}");
    assert_eq!(v["updated"], 3, "the same codes again are updates: {v}");
    assert_eq!(store::procedure::count(&app.db).await.unwrap(), before + 3);
    // A file that is not a workbook: a Vietnamese 400, nothing written.
    let res = client()
        .post(app.url("/api/v1/procedures/import?confirm=true"))
        .bearer_auth(&vp)
        .header("content-type", "application/octet-stream")
        .body(b"PK\x03\x04hong".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let v: Value = res.json().await.unwrap();
    assert!(is_vietnamese(&message(&v)), "{v}");
    // A chuyên viên cannot import a workbook either.
    let officer = chuyen_vien(&app).await;
    let t = app.token(&officer).await;
    let res = client()
        .post(app.url("/api/v1/procedures/import?confirm=true"))
        .bearer_auth(&t)
        .header("content-type", "application/octet-stream")
        .body(xlsx)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(store::procedure::count(&app.db).await.unwrap(), before + 3);
}

/// The text of the field error next to `field` on a form page ("" when none).
fn field_error(html: &str, field: &str) -> String {
    let Some(start) = html.find(&format!("name=\"{field}\"")) else {
        return String::new();
    };
    html[start..]
        .split("<span class=\"field-error\">")
        .nth(1)
        .and_then(|s| s.split("</span>").next())
        .unwrap_or("")
        .trim()
        .to_string()
}

fn procedure_form<'a>(csrf: &'a str, code: &'a str, limit: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("_csrf", csrf),
        ("code", code),
        ("name", "Cấp giấy xác nhận thử nghiệm"),
        ("field", "Hộ tịch"),
        ("level", "xa"),
        ("agency_text", "UBND cấp xã"),
        ("agency_id", ""),
        ("limit_text", limit),
        ("fee_text", "Không"),
        ("documents", "Tờ khai\nBản sao giấy tờ tùy thân"),
        ("result_type", "Giấy xác nhận"),
        ("online_level", "mot_phan"),
        ("legal_basis", "Luật Hộ tịch 2014"),
        ("source", "QĐ 1/QĐ-UBND"),
    ]
}

#[tokio::test]
async fn managers_add_and_edit_procedures_on_pages() {
    let app = spawn_app().await;
    let before = store::procedure::count(&app.db).await.unwrap();
    // A chuyên viên: no links, 403 on every form and post.
    let officer = chuyen_vien(&app).await;
    let (co, csrf_o) = app.browser(&officer).await;
    let html = co
        .get(app.url("/thu-tuc"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("Thêm thủ tục"));
    let html = co
        .get(app.url("/thu-tuc/1.002755"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("/thu-tuc/1.002755/sua"));
    for path in ["/thu-tuc/moi", "/thu-tuc/1.002755/sua"] {
        let res = co.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
        let res = co
            .post(app.url(path))
            .form(&procedure_form(&csrf_o, "1.999301", "05 ngày làm việc"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
        assert!(is_vietnamese(&res.text().await.unwrap()));
    }
    assert_eq!(store::procedure::count(&app.db).await.unwrap(), before);

    // A manager sees the links and the form.
    let (c, csrf) = app.browser("vanphong").await;
    let html = c
        .get(app.url("/thu-tuc"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("href=\"/thu-tuc/moi\"") && html.contains("Thêm thủ tục"));
    let html = c
        .get(app.url("/thu-tuc/1.002755"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("href=\"/thu-tuc/1.002755/sua\""));
    let res = c.get(app.url("/thu-tuc/moi")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    for name in [
        "code",
        "name",
        "field",
        "level",
        "agency_text",
        "agency_id",
        "limit_text",
        "fee_text",
        "documents",
        "result_type",
        "online_level",
        "internal",
        "legal_basis",
        "_csrf",
    ] {
        assert!(html.contains(&format!("name=\"{name}\"")), "field {name}");
    }

    // Bad input: 422, Vietnamese messages next to their fields, nothing saved.
    let res = c
        .post(app.url("/thu-tuc/moi"))
        .form(&procedure_form(&csrf, "1.99", "Không quy định"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        field_error(&html, "code").contains("Mã thủ tục"),
        "{}",
        field_error(&html, "code")
    );
    assert!(
        field_error(&html, "limit_text").contains("thời hạn"),
        "{html}"
    );
    assert!(
        html.contains("Cấp giấy xác nhận thử nghiệm"),
        "what was typed is kept"
    );
    let mut form = procedure_form(&csrf, "1.999301", "05 ngày làm việc");
    form.retain(|(k, _)| *k != "agency_id");
    form.push(("agency_id", "999999"));
    let res = c
        .post(app.url("/thu-tuc/moi"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        field_error(&html, "agency_id").contains("không tồn tại"),
        "{html}"
    );
    assert_eq!(store::procedure::count(&app.db).await.unwrap(), before);

    // A good one is saved and audited; the same code again is refused next to the code.
    let mut form = procedure_form(&csrf, "1.999301", "05 ngày làm việc");
    form.push(("internal", "true"));
    let res = c
        .post(app.url("/thu-tuc/moi"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        res.headers()["location"].to_str().unwrap(),
        "/thu-tuc/1.999301"
    );
    assert_eq!(store::procedure::count(&app.db).await.unwrap(), before + 1);
    let p = store::procedure::get_by_code(&app.db, "1.999301")
        .await
        .unwrap();
    assert!(p.internal);
    assert_eq!(p.online_level, "mot_phan");
    assert_eq!(p.limit_amount, Some(5));
    assert_eq!(p.result_type.as_deref(), Some("Giấy xác nhận"));
    let res = c
        .post(app.url("/thu-tuc/moi"))
        .form(&procedure_form(&csrf, "1.999301", "05 ngày làm việc"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let html = res.text().await.unwrap();
    assert!(
        field_error(&html, "code").contains("đã có trong danh mục"),
        "{html}"
    );
    assert_eq!(store::procedure::count(&app.db).await.unwrap(), before + 1);

    // Edit: the form is filled; bad input changes nothing; good input is saved.
    let res = c
        .get(app.url("/thu-tuc/1.999301/sua"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("value=\"1.999301\"") && html.contains("Luật Hộ tịch 2014"));
    assert!(html.contains("name=\"internal\" value=\"true\" checked"));
    let mut bad = procedure_form(&csrf, "1.999301", "05 ngày làm việc");
    bad.retain(|(k, _)| *k != "name");
    bad.push(("name", "  "));
    let res = c
        .post(app.url("/thu-tuc/1.999301/sua"))
        .form(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        field_error(&html, "name").contains("Tên thủ tục không được để trống"),
        "{html}"
    );
    let unchanged = store::procedure::get_by_code(&app.db, "1.999301")
        .await
        .unwrap();
    assert_eq!(unchanged.name, "Cấp giấy xác nhận thử nghiệm");
    let sxd = app.agency_id("SXD").await.to_string();
    let mut good = procedure_form(&csrf, "1.999301", "08 giờ làm việc");
    good.retain(|(k, _)| !matches!(*k, "fee_text" | "agency_id"));
    good.push(("fee_text", "20.000 đồng"));
    good.push(("agency_id", sxd.as_str()));
    let res = c
        .post(app.url("/thu-tuc/1.999301/sua"))
        .form(&good)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let p = store::procedure::get_by_code(&app.db, "1.999301")
        .await
        .unwrap();
    assert_eq!(p.fee_text, "20.000 đồng");
    assert_eq!(p.limit_unit.as_deref(), Some("hours"));
    assert_eq!(p.agency_id, Some(sxd.parse().unwrap()));
    assert!(!p.internal, "the unticked box clears the flag");
    assert!(p.active);
    let (entries, _) = store::audit::list(
        &app.db,
        &store::audit::AuditFilter {
            entity: Some("procedure".into()),
            ..Default::default()
        },
        store::Page::new(Some(50), None),
    )
    .await
    .unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e.action == "update" && e.entity_id == Some(p.id.to_string())),
        "the edit is audited"
    );
    assert_eq!(store::procedure::count(&app.db).await.unwrap(), before + 1);
}

#[tokio::test]
async fn managers_fill_the_compliance_cost_form_and_see_the_reduction() {
    let app = spawn_app().await;
    let code = "1.002755";
    let detail = format!("/thu-tuc/{code}");
    let action = format!("/thu-tuc/{code}/chi-phi");
    let p = store::procedure::get_by_code(&app.db, code).await.unwrap();
    // A chuyên viên sees no form and cannot post one.
    let officer = chuyen_vien(&app).await;
    let (co, csrf_o) = app.browser(&officer).await;
    let html = co
        .get(app.url(&detail))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains(&format!("action=\"{action}\"")));
    let res = co
        .post(app.url(&action))
        .form(&[
            ("_csrf", csrf_o.as_str()),
            ("baseline_times", "1"),
            ("baseline_subjects", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(
        store::procedure::costs(&app.db, p.id)
            .await
            .unwrap()
            .is_empty()
    );

    let (c, csrf) = app.browser("vanphong").await;
    let html = c
        .get(app.url(&detail))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(&format!("action=\"{action}\"")));
    assert!(html.contains("Trước khi đơn giản hóa") && html.contains("Sau khi đơn giản hóa"));
    // Bad input: 422, messages next to the fields, nothing saved.
    let res = c
        .post(app.url(&action))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("baseline_w0_label", "Chuẩn bị hồ sơ"),
            ("baseline_w0_minutes", "120"),
            ("baseline_w0_rate", "50.000"),
            ("baseline_times", "abc"),
            ("baseline_subjects", "100"),
            ("after_w0_label", "Chuẩn bị hồ sơ"),
            ("after_w0_minutes", "90"),
            ("after_times", "1"),
            ("after_subjects", "100"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        field_error(&html, "baseline_times").contains("Số lần thực hiện mỗi năm phải là số nguyên"),
        "{html}"
    );
    assert!(
        field_error(&html, "after_w0_rate")
            .contains("Thu nhập mỗi giờ của khoản 1 không được để trống"),
        "{html}"
    );
    assert!(html.contains("value=\"abc\""), "what was typed is kept");
    assert!(
        store::procedure::costs(&app.db, p.id)
            .await
            .unwrap()
            .is_empty(),
        "nothing saved"
    );
    // Good input: 120 min × 50.000 đ/h = 100.000 + 10.000 fees = 110.000 per dossier,
    // × 1 × 100 = 11.000.000 a year; after: 75.000 + 10.000 → 8.500.000; cut 22,7% ≥ 20%.
    let res = c
        .post(app.url(&action))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("baseline_w0_label", "Chuẩn bị hồ sơ"),
            ("baseline_w0_minutes", "120"),
            ("baseline_w0_rate", "50.000"),
            ("baseline_fees", "10.000"),
            ("baseline_times", "1"),
            ("baseline_subjects", "100"),
            ("after_w0_label", "Chuẩn bị hồ sơ"),
            ("after_w0_minutes", "90"),
            ("after_w0_rate", "50000"),
            ("after_fees", "10000"),
            ("after_times", "1"),
            ("after_subjects", "100"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let sheets = store::procedure::costs(&app.db, p.id).await.unwrap();
    assert_eq!(sheets.len(), 2);
    let html = c
        .get(app.url(&detail))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("110.000 đồng") && html.contains("11.000.000 đồng"),
        "{html}"
    );
    assert!(html.contains("85.000 đồng") && html.contains("8.500.000 đồng"));
    assert!(html.contains("<strong>22,7%</strong>"), "{html}");
    assert!(html.contains("<strong class=\"ok\">đạt</strong>"), "{html}");
    // Only the after phase again, dearer: 100 min → 83.333 + 10.000; cut 15,2%, not met.
    let res = c
        .post(app.url(&action))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("after_w0_label", "Chuẩn bị hồ sơ"),
            ("after_w0_minutes", "100"),
            ("after_w0_rate", "50.000"),
            ("after_fees", "10.000"),
            ("after_times", "1"),
            ("after_subjects", "100"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = c
        .get(app.url(&detail))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("11.000.000 đồng"), "baseline kept");
    assert!(html.contains("<strong>15,2%</strong>"), "{html}");
    assert!(html.contains("<strong class=\"bad\">chưa đạt</strong>"));
    let (entries, _) = store::audit::list(
        &app.db,
        &store::audit::AuditFilter {
            entity: Some("procedure".into()),
            ..Default::default()
        },
        store::Page::new(Some(50), None),
    )
    .await
    .unwrap();
    assert_eq!(
        entries
            .iter()
            .filter(|e| e.action == "update_cost" && e.entity_id == Some(p.id.to_string()))
            .count(),
        3,
        "every saved sheet is audited"
    );
}

#[tokio::test]
async fn procedure_search_is_ranked_by_the_name() {
    let app = spawn_app().await;
    let get = |q: &'static str| {
        let app = &app;
        async move {
            let (s, v) = app
                .get_json("", &format!("/api/v1/procedures?q={q}&limit=5"))
                .await;
            assert_eq!(s, StatusCode::OK, "{v}");
            v
        }
    };
    // The procedure itself first, not the ones that mention it, nor other agencies'.
    for q in [
        "khai%20sinh",
        "dang%20ky%20khai%20sinh",
        "khaisinh",
        "Th%E1%BB%A7%20t%E1%BB%A5c%20%C4%91%C4%83ng%20k%C3%BD%20khai%20sinh",
    ] {
        let v = get(q).await;
        assert_eq!(v["items"][0]["code"], "1.001193", "{q}: {v}");
    }
    // Names with the phrase before names that only share words with an agency.
    let v = get("giay%20phep%20xay%20dung").await;
    for item in v["items"].as_array().unwrap() {
        let name = domain::text::fold_vi(item["name"].as_str().unwrap());
        assert!(name.contains("giay phep xay dung"), "{name}");
    }
}
