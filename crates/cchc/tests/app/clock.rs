//! The one clock at the desk: every kind of published limit gets its appointment from
//! `domain::dossier::clock`, and a supplement moves it as the regime says (NĐ 118/2025
//! Điều 19 khoản 5: the limit restarts once the complete dossier is received).

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;
use domain::dossier::clock::{self, Channel, Limit};

fn local(v: &Value) -> chrono::NaiveDateTime {
    domain::time::local(
        chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap())
            .unwrap()
            .to_utc(),
    )
}

fn cal() -> domain::calendar::Calendar {
    domain::calendar::Calendar::from_sources(
        include_str!("../../../../data/calendar/vn-holiday-rules.toml"),
        include_str!("../../../../data/calendar/vn-civil-service-days-off.csv"),
    )
    .unwrap()
}

/// The first procedure of `level` (tinh, xa) in the catalog that `pick` accepts.
async fn procedure(
    app: &TestApp,
    token: &str,
    level: &str,
    pick: impl Fn(&Value) -> bool,
) -> Value {
    let (_, list) = app
        .get_json(
            token,
            &format!("/api/v1/procedures?level={level}&limit=500"),
        )
        .await;
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| pick(p))
        .cloned()
        .unwrap_or_else(|| panic!("a {level} procedure"))
}

/// A working-day procedure of `agency` of at least `min` days, without a cut-off of its own.
async fn working_days_of(app: &TestApp, token: &str, agency: i64, min: u32) -> Value {
    procedure(app, token, "tinh", |p| {
        p["agency_id"] == json!(agency)
            && Limit::parse(p["limit_text"].as_str().unwrap_or("")).is_ok_and(|l| {
                matches!(l.kind, clock::LimitKind::WorkingDays(n) if n >= min) && l.cutoff.is_none()
            })
    })
    .await
}

/// Receives a dossier at `token`'s desk.
async fn receive(app: &TestApp, token: &str, body: Value) -> (StatusCode, Value) {
    app.send_json(token, Method::POST, "/api/v1/dossiers", &body)
        .await
}

#[tokio::test]
async fn a_calendar_day_procedure_gets_its_appointment_and_a_supplement_restarts_it() {
    let app = spawn_app().await;
    let desk = app.token("motcua.tinh").await;
    // 1.012891 (Sở Xây dựng) is published as "30 ngày": calendar days. Before, such a
    // dossier got no appointment and fell out of every timeliness figure.
    let (s, d) = receive(&app, &desk, json!({"procedure": "1.012891", "applicant_name": "Lê Văn Hòa", "applicant_phone": "0900000003", "channel": 1})).await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let received = local(&d["received_at"]);
    let limit = Limit::parse("30 ngày").unwrap();
    let rules = clock::clock_on(received.date());
    let expected = clock::reckon(&limit, received, Channel::Desk, &cal(), rules)
        .unwrap()
        .appointment
        .unwrap();
    assert_eq!(local(&d["appointment_at"]), expected);
    assert_eq!(local(&d["due_at"]), expected);

    // A supplement request, then the complete dossier: under NĐ 118 the 30 days count
    // again from the day the complete dossier came in.
    let id = d["id"].as_i64().unwrap();
    let ev = format!("/api/v1/dossiers/{id}/events");
    let officer = app.token("chuyenvien.sxd").await;
    let (s, v) = app
        .send_json(&officer, Method::POST, &ev, &json!({"event": "assign"}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = app
        .send_json(
            &officer,
            Method::POST,
            &ev,
            &json!({"event": "request_supplement", "reason": "Thiếu bản vẽ"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = app
        .send_json(
            &desk,
            Method::POST,
            &ev,
            &json!({"event": "supplement_provided"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, detail) = app.get_json(&desk, &format!("/api/v1/dossiers/{id}")).await;
    let provided = detail["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "supplement_provided")
        .map(|e| local(&e["at"]))
        .expect("the event is on the control sheet");
    let pause_start = detail["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "request_supplement")
        .map(|e| local(&e["at"]))
        .unwrap();
    let pauses = [domain::dossier::Pause {
        start: pause_start,
        end: Some(provided),
    }];
    let moved =
        clock::appointment_after_pauses(&limit, received, Channel::Desk, &pauses, &cal(), rules)
            .unwrap()
            .unwrap();
    if rules.supplement == clock::SupplementRule::Restart {
        let again = clock::reckon(&limit, provided, Channel::Desk, &cal(), rules)
            .unwrap()
            .appointment
            .unwrap();
        assert_eq!(moved, again);
    }
    assert_eq!(local(&v["due_at"]), moved);
    // The original appointment (Mẫu 01) stays on record.
    assert_eq!(local(&v["appointment_at"]), expected);
    // The indicator aggregates judge the appointment in force.
    let stored: (Option<chrono::DateTime<chrono::Utc>>,) = store::on_db!(&app.db, |pool| {
        store::sqlx::query_as("select coalesce(due_at, appointment_at) from dossier where id = $1")
            .bind(id)
            .fetch_one(pool)
            .await
            .unwrap()
    });
    assert_eq!(stored.0.map(domain::time::local), Some(moved));
}

#[tokio::test]
async fn an_afternoon_receipt_does_not_gain_a_day() {
    let app = spawn_app().await;
    let desk = app.token("motcua.tinh").await;
    let sxd = app.agency_id("SXD").await;
    let p = working_days_of(&app, &desk, sxd, 0).await;
    let (s, d) = receive(&app, &desk, json!({"procedure": p["code"], "applicant_name": "Trần Thị Mai", "applicant_phone": "0900000004"})).await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let received = local(&d["received_at"]);
    let limit = Limit::parse(p["limit_text"].as_str().unwrap()).unwrap();
    let k = clock::reckon(
        &limit,
        received,
        Channel::Desk,
        &cal(),
        clock::clock_on(received.date()),
    )
    .unwrap();
    assert_eq!(local(&d["appointment_at"]), k.appointment.unwrap());
    // No blanket 15:00 cut-off among the rules applied.
    assert!(k.rules.iter().all(|r| r.code != "cutoff"));
}

/// The text of a page fetched with a signed-in browser.
async fn page(c: &reqwest::Client, url: &str) -> String {
    c.get(url).send().await.unwrap().text().await.unwrap()
}

#[tokio::test]
async fn the_intake_page_and_the_api_show_the_appointment_before_saving() {
    let app = spawn_app().await;
    let desk = app.token("motcua.tinh").await;
    let (s, v) = app
        .get_json(
            &desk,
            "/api/v1/deadline?limit=30%20ng%C3%A0y&received=2026-02-14T10:00&channel=online",
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["appointment"], "2026-03-25T17:30:00+07:00");
    assert_eq!(v["counted_from"], "2026-02-24");
    let (s, v) = app
        .get_json(
            &desk,
            "/api/v1/deadline?procedure=1.012891&received=2025-10-06T09:00",
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["kind"], "calendar_days");
    assert_eq!(v["appointment"], "2025-11-05T17:30:00+07:00");
    for bad in [
        "/api/v1/deadline?limit=T%C3%B9y%20theo%20%C4%91%E1%BB%A3t",
        "/api/v1/deadline?limit=3%20ng%C3%A0y&received=06/10/2025",
        "/api/v1/deadline",
    ] {
        let (s, v) = app.get_json(&desk, bad).await;
        assert!(s.is_client_error(), "{bad}: {s} {v}");
        assert!(is_vietnamese(&message(&v)), "{v}");
    }
    let (s, _) = app
        .get_json(&desk, "/api/v1/deadline?procedure=9.999999")
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // The intake form asks for the preview of the procedure typed.
    let (c, _) = app.browser("motcua.tinh").await;
    let html = page(&c, &app.url("/ho-so/tiep-nhan")).await;
    assert!(html.contains("hx-get=\"/ho-so/ngay-hen\""), "{html}");
    let frag = page(
        &c,
        &app.url("/ho-so/ngay-hen?tthc=1.012891%20%E2%80%93%20T%C3%AAn&channel=1"),
    )
    .await;
    assert!(frag.contains("ngày hẹn trả <strong>17:30 "), "{frag}");
    assert!(frag.contains("Bộ luật Dân sự 2015 Điều 147"), "{frag}");
    let frag = page(&c, &app.url("/ho-so/ngay-hen?tthc=9.999999")).await;
    assert!(frag.contains("Chưa tìm thấy thủ tục"), "{frag}");
}

#[tokio::test]
async fn a_day_off_added_later_moves_open_dossiers_appointments_with_an_audit_row() {
    let app = spawn_app().await;
    let desk = app.token("motcua.tinh").await;
    let admin = app.token("admin").await;
    let sxd = app.agency_id("SXD").await;
    let p = working_days_of(&app, &desk, sxd, 3).await;
    let (s, d) = receive(&app, &desk, json!({"procedure": p["code"], "applicant_name": "Hồ Văn Nam", "applicant_phone": "0900000005"})).await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let id = d["id"].as_i64().unwrap();
    let before = local(&d["due_at"]);
    let received = local(&d["received_at"]);
    let k = clock::reckon(
        &Limit::parse(p["limit_text"].as_str().unwrap()).unwrap(),
        received,
        Channel::Desk,
        &cal(),
        clock::clock_on(received.date()),
    )
    .unwrap();
    // A day off decided later on the first day the limit counts.
    let day = k.counted_from.date();
    let (s, v) = app
        .send_json(
            &admin,
            Method::POST,
            "/api/v1/calendar/entries",
            &json!({"date": day.format("%Y-%m-%d").to_string(), "kind": "holiday", "name": "Nghỉ đột xuất (kiểm thử)", "confirmed": true}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert!(v["rescheduled_dossiers"].as_u64().unwrap() >= 1, "{v}");
    let (_, after) = app.get_json(&desk, &format!("/api/v1/dossiers/{id}")).await;
    let after = after.get("dossier").unwrap_or(&after).clone();
    let moved = local(&after["due_at"]);
    assert!(moved > before, "{before} → {moved}");
    // The same appointment the calculator gives under the new calendar.
    let (_, calc) = app
        .get_json(
            &desk,
            &format!(
                "/api/v1/deadline?procedure={}&received={}",
                p["code"].as_str().unwrap(),
                received.format("%Y-%m-%dT%H:%M")
            ),
        )
        .await;
    assert_eq!(
        calc["appointment"].as_str().unwrap().get(..16),
        Some(moved.format("%Y-%m-%dT%H:%M").to_string().as_str())
    );
    // The printed appointment (Mẫu 01) stays; the move is audited.
    assert_eq!(local(&after["appointment_at"]), local(&d["appointment_at"]));
    let (_, audit) = app
        .get_json(
            &admin,
            &format!("/api/v1/audit?entity=dossier&entity_id={id}"),
        )
        .await;
    assert!(
        audit["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["action"] == "reschedule"
                && a["summary"]
                    .as_str()
                    .unwrap()
                    .contains("theo lịch làm việc mới")),
        "{audit}"
    );
    // Withdrawing the day off moves it back.
    let entry = v["id"].as_i64().unwrap();
    let (s, v) = app
        .send_json(
            &admin,
            Method::POST,
            &format!("/api/v1/calendar/entries/{entry}/deactivate"),
            &json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, back) = app.get_json(&desk, &format!("/api/v1/dossiers/{id}")).await;
    let back = back.get("dossier").unwrap_or(&back).clone();
    assert_eq!(local(&back["due_at"]), before);
}

/// NĐ 118/2025 Điều 20: the Trường Vinh centre receives a commune procedure for xã Con
/// Cuông; Con Cuông handles it and the dossier counts for Con Cuông.
#[tokio::test]
async fn a_desk_receives_for_another_commune_which_handles_and_is_counted() {
    let app = spawn_app().await;
    let desk = app.token("motcua.truongvinh").await;
    let con_cuong = app.agency_id("XM-CONCUONG").await;
    let sxd = app.agency_id("SXD").await;
    let p = procedure(&app, &desk, "xa", |p| p["limit_unit"] == "days").await;
    let body = |handling: Value| json!({"procedure": p["code"], "applicant_name": "Lương Văn Tâm", "applicant_phone": "0900000006", "handling_agency_id": handling});
    // Not a commune: refused on the field, nothing created.
    let (s, v) = receive(&app, &desk, body(json!(sxd))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(message(&v).contains("Ủy ban nhân dân xã"), "{v}");
    let (s, d) = app
        .send_json(
            &desk,
            Method::POST,
            "/api/v1/dossiers",
            &body(json!(con_cuong)),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    assert_eq!(d["handling_agency_id"], json!(con_cuong));
    assert_ne!(d["agency_id"], json!(con_cuong), "received at Trường Vinh");
    let id = d["id"].as_i64().unwrap();
    // Con Cuông's officer handles it; Trường Vinh's officer cannot.
    let ev = format!("/api/v1/dossiers/{id}/events");
    let other = app.token("chuyenvien.truongvinh").await;
    let (s, _) = app
        .send_json(&other, Method::POST, &ev, &json!({"event": "assign"}))
        .await;
    assert!(
        s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
        "{s}"
    );
    let officer = app.token("chuyenvien.xaconcuong").await;
    let (s, v) = app
        .send_json(&officer, Method::POST, &ev, &json!({"event": "assign"}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // Counted for the competent commune ("đơn vị giải quyết").
    let unit: (Option<i64>,) = store::on_db!(&app.db, |pool| {
        store::sqlx::query_as("select unit_id from dossier where id = $1")
            .bind(id)
            .fetch_one(pool)
            .await
            .unwrap()
    });
    assert_eq!(unit.0, Some(con_cuong));
    // A province procedure keeps its own agency: choosing another is refused.
    let tp = procedure(&app, &desk, "tinh", |p| p["agency_id"] == json!(sxd)).await;
    let (s, v) = app
        .send_json(
            &app.token("motcua.tinh").await,
            Method::POST,
            "/api/v1/dossiers",
            &json!({"procedure": tp["code"], "applicant_name": "Lương Văn Tâm", "applicant_phone": "0900000006", "handling_agency_id": con_cuong}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
}
