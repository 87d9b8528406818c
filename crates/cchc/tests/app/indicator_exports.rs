//! Issue 7: the indicator report of one unit and period is the same on the page, in the
//! API, in the XLSX, in the PDF and from the CLI; the files are byte-for-byte
//! reproducible; rankings show other units' totals only.

use std::process::Command;

use calamine::{Data, Reader};
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

const UNIT: &str = "H-CONCUONG";
const PERIOD: &str = "2023-10";

fn vn2(v: f64) -> String {
    format!("{v:.2}").replace('.', ",")
}

fn vn_opt(v: &Value) -> String {
    v.as_f64().map(vn2).unwrap_or_else(|| "–".into())
}

/// A URL the CLI can open for the test's own database copy.
async fn db_url(db: &store::Db) -> String {
    match db {
        store::Db::Sqlite(p) => {
            let file: (String,) =
                store::sqlx::query_as("select file from pragma_database_list where name = 'main'")
                    .fetch_one(p)
                    .await
                    .expect("sqlite file");
            format!("sqlite://{}?mode=rwc", file.0)
        }
        store::Db::Pg(p) => {
            let name: (String,) = store::sqlx::query_as("select current_database()")
                .fetch_one(p)
                .await
                .expect("name");
            let url = std::env::var("CCHC_TEST_DATABASE_URL").expect("pg url");
            let base = url.rsplit_once('/').map(|(b, _)| b).expect("base");
            format!("{base}/{}", name.0)
        }
    }
}

fn cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cchc"))
        .args(args)
        .env_remove("CCHC_DATABASE_URL")
        .output()
        .expect("run cchc")
}

async fn download(c: &reqwest::Client, app: &TestApp, path: &str) -> (StatusCode, Vec<u8>) {
    let res = c.get(app.url(path)).send().await.expect("get");
    let s = res.status();
    (s, res.bytes().await.expect("bytes").to_vec())
}

fn indicators(v: &Value) -> Vec<Value> {
    v["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .flat_map(|g| g["indicators"].as_array().expect("indicators").clone())
        .collect()
}

fn num(d: &Data) -> Option<f64> {
    match d {
        Data::Float(f) => Some(*f),
        Data::Int(i) => Some(*i as f64),
        _ => None,
    }
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn page_api_xlsx_pdf_and_cli_show_the_same_numbers() {
    let app = spawn_app().await;
    let token = app.token("lanhdao.concuong").await;
    let (s, api) = app
        .get_json(
            &token,
            &format!("/api/v1/indicators?unit={UNIT}&period={PERIOD}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{api}");
    let total = api["total_766"].as_f64().expect("total");
    let inds = indicators(&api);
    assert!(
        api["facts"]["dossiers_received"].as_u64().unwrap() > 0,
        "demo data in {PERIOD}"
    );
    assert!(inds.iter().filter(|i| i["points"].is_number()).count() >= 5);

    // The page: the total, and each indicator's row with the same cells.
    let (c, _) = app.browser("lanhdao.concuong").await;
    let html = c
        .get(app.url(&format!("/chi-so?unit={UNIT}&period={PERIOD}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(&format!(
            "<strong>{}</strong> trên {} điểm đo được",
            vn2(total),
            vn2(api["max_attainable"].as_f64().unwrap())
        )),
        "page total"
    );
    if let Some(s) = api["score_100"].as_f64() {
        assert!(
            html.contains(&format!("<strong>{}</strong>/100", vn2(s))),
            "score /100"
        );
    }
    for i in &inds {
        let code = i["code"].as_str().unwrap();
        let at = html
            .find(&format!("<tr><td>{code} "))
            .unwrap_or_else(|| panic!("row {code} on the page"));
        let row = &html[at..at + html[at..].find("</tr>").unwrap()];
        let cells: Vec<String> = row
            .split("<td class=\"num\">")
            .skip(1)
            .map(|c| c.split("</td>").next().unwrap().to_string())
            .collect();
        assert_eq!(
            cells,
            vec![
                i["numerator"].to_string(),
                i["denominator"].to_string(),
                vn_opt(&i["value"]),
                match (i["points"].is_null(), i["basis"].as_str().unwrap()) {
                    (true, "not_arising") => "<small>Không phát sinh</small>".to_string(),
                    (true, "no_data") => "<small>Chưa có dữ liệu</small>".to_string(),
                    (true, "unknown_weight") => "<small>Chưa rõ trọng số</small>".to_string(),
                    (true, "monitoring") => "<small>Theo dõi</small>".to_string(),
                    _ => vn_opt(&i["points"]),
                },
                vn_opt(&i["max"]),
            ],
            "page row {code}"
        );
    }
    assert!(html.contains("<svg class=\"trend\""), "trend chart");
    assert!(html.contains("T10/2023") && html.contains("T11/2022"));
    assert!(
        html.contains("/chi-so.xlsx?unit=H-CONCUONG&"),
        "download link"
    );
    assert!(
        html.contains("/chi-so.pdf?unit=H-CONCUONG&"),
        "download link"
    );

    // XLSX: numeric cells equal to the API's numbers; the trend sheet has 12 periods and
    // a native chart; two downloads are the same bytes.
    let path = format!("/chi-so.xlsx?unit={UNIT}&period={PERIOD}");
    let (s, xlsx) = download(&c, &app, &path).await;
    assert_eq!(s, StatusCode::OK);
    let (_, again) = download(&c, &app, &path).await;
    assert!(xlsx == again, "XLSX bytes are deterministic");
    let (_, via_format) = download(
        &c,
        &app,
        &format!("/chi-so?unit={UNIT}&period={PERIOD}&format=xlsx"),
    )
    .await;
    assert!(via_format == xlsx, "?format=xlsx gives the same file");
    assert!(
        xlsx.windows(20).any(|w| w == b"xl/charts/chart1.xml"),
        "a native Excel chart"
    );
    let mut wb = calamine::Xlsx::new(std::io::Cursor::new(xlsx.clone())).expect("xlsx");
    let sheet = wb.worksheet_range("Chỉ số 766").expect("sheet 766");
    let rows: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
    let text: String = rows
        .iter()
        .flatten()
        .filter_map(|d| match d {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    assert!(text.contains("Độc lập - Tự do - Hạnh phúc"));
    assert!(text.contains("Ngày lập báo cáo: 01/11/2023"), "{text}");
    assert!(text.contains("Nghệ An, ngày 01 tháng 11 năm 2023"));
    assert!(text.contains("tháng 10 năm 2023"));
    for i in &inds {
        let code = i["code"].as_str().unwrap();
        let r = rows
            .iter()
            .find(|r| {
                matches!(&r[0], Data::String(s) if s == code) && r.len() > 6 && num(&r[2]).is_some()
            })
            .unwrap_or_else(|| panic!("xlsx row {code}"));
        assert_eq!(num(&r[2]), i["numerator"].as_f64(), "{code} numerator");
        assert_eq!(num(&r[3]), i["denominator"].as_f64(), "{code} denominator");
        assert_eq!(num(&r[4]), i["value"].as_f64(), "{code} value");
        assert_eq!(num(&r[5]), i["points"].as_f64(), "{code} points");
    }
    let total_row = rows
        .iter()
        .find(|r| matches!(&r[0], Data::String(s) if s == "Tổng điểm"))
        .expect("total row");
    assert_eq!(num(&total_row[5]), Some(total));
    let kpi = wb.worksheet_range("Chỉ tiêu").expect("kpi sheet");
    let kpis = api["kpis"].as_array().unwrap();
    for k in kpis {
        let label = k["label_vi"].as_str().unwrap();
        let r = kpi
            .rows()
            .find(|r| matches!(&r[1], Data::String(s) if s == label))
            .unwrap_or_else(|| panic!("kpi {label}"));
        assert_eq!(num(&r[4]), k["percent"].as_f64(), "{label}");
    }
    let trend = wb.worksheet_range("Xu hướng").expect("trend sheet");
    let periods: Vec<Vec<Data>> = trend
        .rows()
        .filter(|r| r.len() > 3 && num(&r[3]).is_some())
        .map(|r| r.to_vec())
        .collect();
    assert_eq!(periods.len(), 12);
    assert_eq!(periods[0][0], Data::String("T11/2022".into()));
    assert_eq!(periods[11][0], Data::String("T10/2023".into()));
    assert_eq!(num(&periods[11][3]), Some(total));
    // An earlier month in the trend is that month's own report.
    let (_, sep) = app
        .get_json(
            &token,
            &format!("/api/v1/indicators?unit={UNIT}&period=2023-09"),
        )
        .await;
    assert_eq!(num(&periods[10][3]), sep["total_766"].as_f64());

    // PDF: the official header and the same numbers, read back from the file.
    let pdf_path = format!("/chi-so.pdf?unit={UNIT}&period={PERIOD}");
    let (s, pdf) = download(&c, &app, &pdf_path).await;
    assert_eq!(s, StatusCode::OK);
    let (_, pdf_again) = download(&c, &app, &pdf_path).await;
    assert!(pdf == pdf_again, "PDF bytes are deterministic");
    let pdf_text = squash(&pdf_extract::extract_text_from_mem(&pdf).expect("pdf text"));
    for needle in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Nghệ An, ngày 01 tháng 11 năm 2023",
        "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN",
        "Số:",
    ] {
        assert!(pdf_text.contains(needle), "{needle} in {pdf_text}");
    }
    assert!(
        pdf_text.contains(&format!(
            "{}/{}",
            vn2(total),
            vn2(api["max_attainable"].as_f64().unwrap())
        )),
        "pdf total"
    );
    for i in &inds {
        let cells = format!(
            "{} {} {} {} {}",
            i["numerator"],
            i["denominator"],
            vn_opt(&i["value"]),
            vn_opt(&i["points"]),
            vn_opt(&i["max"])
        );
        assert!(pdf_text.contains(&cells), "pdf row {}: {cells}", i["code"]);
    }

    // The CLI: same bytes for XLSX and PDF, the API's JSON.
    let url = db_url(&app.db).await;
    let dir = std::env::temp_dir();
    for (format, web_bytes) in [("xlsx", &xlsx), ("pdf", &pdf)] {
        let out = dir.join(format!("cchc-report-{}.{format}", std::process::id()));
        let o = cli(&[
            "report",
            "monthly",
            "--unit",
            UNIT,
            "--month",
            PERIOD,
            "--format",
            format,
            "--output",
            out.to_str().unwrap(),
            "--database",
            &url,
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let bytes = std::fs::read(&out).expect("cli file");
        let _ = std::fs::remove_file(&out);
        assert!(&bytes == web_bytes, "CLI {format} = web {format}");
    }
    let o = cli(&[
        "report",
        "monthly",
        "--unit",
        UNIT,
        "--month",
        PERIOD,
        "--format",
        "json",
        "--database",
        &url,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let cli_json: Value = serde_json::from_slice(&o.stdout).expect("cli json");
    assert_eq!(cli_json, api, "CLI json = API json");
    // Bad input: exit 2 with a Vietnamese reason; 400 on the web.
    let o = cli(&[
        "report",
        "monthly",
        "--unit",
        UNIT,
        "--month",
        "2023-13",
        "--database",
        &url,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(is_vietnamese(&String::from_utf8_lossy(&o.stderr)));
    let o = cli(&[
        "report",
        "monthly",
        "--unit",
        UNIT,
        "--month",
        PERIOD,
        "--format",
        "docx",
        "--database",
        &url,
    ]);
    assert_eq!(o.status.code(), Some(2));
    for bad in [
        format!("/chi-so.xlsx?unit={UNIT}&period=2023-13"),
        format!("/chi-so.pdf?unit={UNIT}&period={PERIOD}&date=31/02/2023"),
        format!("/chi-so?unit={UNIT}&period={PERIOD}&format=docx"),
    ] {
        let res = c.get(app.url(&bad)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{bad}");
        assert!(is_vietnamese(&res.text().await.unwrap()));
    }
    // A given report date is printed instead.
    let (_, dated) = download(&c, &app, &format!("{path}&date=05/11/2023")).await;
    assert!(dated != xlsx);
}

/// Units with dossiers come first, ranked by total (ties share a rank); units without any
/// are listed after them, unranked, as "Chưa có số liệu" — their score would come from zero
/// denominators alone. Returns how many were ranked.
fn ranked_in_order(units: &[Value]) -> usize {
    let n = units.iter().filter(|u| u["has_data"] == true).count();
    assert!(
        units[..n].iter().all(|u| u["has_data"] == true),
        "units with data first"
    );
    for u in &units[n..] {
        assert!(u["rank"].is_null(), "{u}");
        assert_eq!(u["band"], "Chưa có số liệu");
    }
    if n > 0 {
        assert_eq!(units[0]["rank"], 1);
        for w in units[..n].windows(2) {
            // Ranked on the score out of 100 over what was measured.
            let (a, b) = (
                w[0]["score_100"].as_f64().unwrap_or(-1.0),
                w[1]["score_100"].as_f64().unwrap_or(-1.0),
            );
            assert!(a >= b, "sorted by score");
            let (ra, rb) = (
                w[0]["rank"].as_u64().unwrap(),
                w[1]["rank"].as_u64().unwrap(),
            );
            assert!(
                if a == b { ra == rb } else { rb > ra },
                "ranks follow scores"
            );
        }
    }
    n
}

#[tokio::test]
async fn rankings_show_other_units_totals_only() {
    let app = spawn_app().await;
    let officer = app.token("chuyenvien.monson").await;
    // Communes among communes, by default the caller's own kind.
    let (s, r) = app
        .get_json(
            &officer,
            &format!("/api/v1/indicators/ranking?period={PERIOD}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["kind"], "ubnd_xa");
    let units = r["units"].as_array().unwrap();
    assert!(units.len() > 10, "{}", units.len());
    for u in units {
        let keys: Vec<&String> = u.as_object().unwrap().keys().collect();
        for k in &keys {
            assert!(
                [
                    "rank",
                    "has_data",
                    "unit",
                    "unit_name",
                    "total_766",
                    "score_100",
                    "band",
                    "in_scope",
                    "selected"
                ]
                .contains(&k.as_str()),
                "only totals leave a ranking: {k}"
            );
        }
        let mine = u["unit"] == "X-CONCUONG-MONSON";
        assert_eq!(u["in_scope"].as_bool(), Some(mine), "{u}");
        assert_eq!(u["selected"].as_bool(), Some(mine));
    }
    ranked_in_order(units);

    // Districts ranked for a district leader: the totals are each unit's own report.
    let leader = app.token("lanhdao.concuong").await;
    let (s, r) = app
        .get_json(
            &leader,
            &format!("/api/v1/indicators/ranking?period={PERIOD}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(r["kind"], "ubnd_huyen");
    let units = r["units"].as_array().unwrap();
    let own = units.iter().find(|u| u["unit"] == UNIT).expect("own unit");
    let (_, mine) = app
        .get_json(
            &leader,
            &format!("/api/v1/indicators?unit={UNIT}&period={PERIOD}"),
        )
        .await;
    assert!(
        ranked_in_order(units) > 1,
        "districts received dossiers in {PERIOD}"
    );
    assert_eq!(own["total_766"], mine["total_766"]);
    assert_eq!(own["has_data"], true);
    assert_eq!(own["band"], mine["band"]["label_vi"]);
    assert_eq!(own["in_scope"], true);
    assert!(units.iter().filter(|u| u["in_scope"] == true).count() == 1);
    let spread: std::collections::BTreeSet<String> =
        units.iter().map(|u| u["total_766"].to_string()).collect();
    assert!(spread.len() > 1, "districts differ: {spread:?}");

    // The commune officer sees districts' totals, but never their details.
    let (s, r) = app
        .get_json(
            &officer,
            &format!("/api/v1/indicators/ranking?period={PERIOD}&kind=ubnd_huyen"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        r["units"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["in_scope"] == false)
    );
    let (s, _) = app
        .get_json(
            &officer,
            &format!("/api/v1/indicators?unit={UNIT}&period={PERIOD}"),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app
        .get_json(
            &officer,
            &format!("/api/v1/indicators/ranking?unit={UNIT}&period={PERIOD}"),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (c, _) = app.browser("chuyenvien.monson").await;
    let (s, _) = download(
        &c,
        &app,
        &format!("/chi-so.xlsx?unit={UNIT}&period={PERIOD}"),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let html = c
        .get(app.url(&format!("/chi-so?period={PERIOD}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Xếp hạng UBND xã"));
    assert!(
        html.contains("Ủy ban nhân dân xã Yên Khê"),
        "other communes listed"
    );
    assert!(
        !html.contains("unit=X-CONCUONG-YENKHE"),
        "no drill-down into another commune"
    );
    assert!(html.contains("unit=X-CONCUONG-MONSON"));
    // A bad kind is a Vietnamese 400.
    let (s, v) = app
        .get_json(
            &officer,
            &format!("/api/v1/indicators/ranking?period={PERIOD}&kind=xyz"),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(is_vietnamese(&message(&v)));
}
