//! Phản ánh, kiến nghị past their legal time limit (issue 22): on the monthly overdue list
//! (API and XLSX) in working days, in the monthly TTHC report's computed PAKN fields, and
//! reminded and escalated on the province's reminder schedule.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// 08:00 Vietnam time of a day.
fn morning(s: &str) -> DateTime<Utc> {
    Utc.from_utc_datetime(&d(s).and_hms_opt(1, 0, 0).unwrap())
}

fn today_vn() -> NaiveDate {
    (Utc::now() + Duration::hours(7)).date_naive()
}

/// A public feedback to STP; its id.
async fn submit(app: &TestApp, phone: &str, title: &str) -> i64 {
    let res = client()
        .post(app.url("/api/v1/feedback"))
        .json(&json!({
            "kind": "procedure", "agency_code": "STP", "name": "Trần Thị Hoa",
            "phone": phone, "title": title,
            "content": "Thủ tục chứng thực bản sao yêu cầu thêm giấy tờ không có trong danh mục đã công bố.",
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let v: Value = res.json().await.unwrap();
    let code = v["code"].as_str().unwrap().to_string();
    store::on_db!(&app.db, |p| {
        store::sqlx::query_scalar::<_, i64>("select id from feedback where code = $1")
            .bind(&code)
            .fetch_one(p)
            .await
            .unwrap()
    })
}

/// Moves a feedback in time: received at `received`, due on `due`, in `status`, handled
/// at `handled`, assigned to `assignee`.
async fn set(
    app: &TestApp,
    id: i64,
    received: DateTime<Utc>,
    due: NaiveDate,
    status: &str,
    handled: Option<DateTime<Utc>>,
    assignee: Option<i64>,
) {
    store::on_db!(&app.db, |p| {
        store::sqlx::query(
            "update feedback set created_at = $1, received_at = $1, due_on = $2, status = $3, \
             handled_at = $4, assigned_to = $5 where id = $6",
        )
        .bind(received)
        .bind(due)
        .bind(status)
        .bind(handled)
        .bind(assignee)
        .bind(id)
        .execute(p)
        .await
        .unwrap();
    });
}

fn code_of(v: &Value, id: i64) -> Option<&Value> {
    v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "feedback" && r["id"] == id)
}

#[tokio::test]
async fn late_feedback_join_the_overdue_list_and_the_monthly_report() {
    let app = spawn_app().await;
    let officer = app.user_id("chuyenvien.stp").await;
    let open = submit(&app, "0913000001", "Chứng thực bản sao đòi thêm giấy tờ").await;
    let late = submit(&app, "0913000002", "Chậm cấp phiếu lý lịch tư pháp").await;
    let on_time = submit(&app, "0913000003", "Hướng dẫn chưa rõ về hộ tịch").await;
    // Due Tuesday 22/9/2026 and still open at the end of October: late by the working
    // days 23–25/9, 28–30/9 and the 22 weekdays of October 2026 = 28.
    set(
        &app,
        open,
        morning("2026-09-01"),
        d("2026-09-22"),
        "processing",
        None,
        Some(officer),
    )
    .await;
    // Due Friday 9/10, answered Tuesday 20/10: late by 12–16 and 19–20/10 = 7.
    set(
        &app,
        late,
        morning("2026-09-18"),
        d("2026-10-09"),
        "published",
        Some(morning("2026-10-20")),
        None,
    )
    .await;
    // Answered before its due day.
    set(
        &app,
        on_time,
        morning("2026-09-18"),
        d("2026-10-09"),
        "published",
        Some(morning("2026-10-08")),
        None,
    )
    .await;

    let head = app.token("lanhdao.stp").await;
    let (st, v) = app
        .get_json(&head, "/api/v1/overdue?unit=STP&period=2026-10")
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let a = code_of(&v, open).expect("the open feedback");
    assert_eq!(a["state"], "unfinished");
    assert_eq!(a["days_late"], 28);
    assert_eq!(a["days_unit"], "working");
    assert_eq!(a["due"], "2026-09-22T00:00:00");
    assert_eq!(a["officer"], "Vũ Đình Khoa");
    assert_eq!(a["unit"], "Sở Tư pháp");
    let b = code_of(&v, late).expect("the late answer");
    assert_eq!(b["state"], "finished_late");
    assert_eq!(b["days_late"], 7);
    assert_eq!(b["finished"], "2026-10-20T00:00:00");
    assert!(code_of(&v, on_time).is_none(), "answered on time");
    // The counts are those of the rows (the demo's own feedback is there too).
    let listed = |v: &Value| {
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["kind"] == "feedback")
            .count() as u64
    };
    assert!(listed(&v) >= 2);
    assert_eq!(v["total"]["feedback"].as_u64(), Some(listed(&v)));
    let stp = v["totals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["unit"] == "Sở Tư pháp")
        .expect("STP's line");
    assert_eq!(stp["feedback"].as_u64(), Some(listed(&v)));
    // Nothing of it on another unit's list; the late answer is not late in November.
    let other = app.token("lanhdao.sxd").await;
    let (_, v2) = app
        .get_json(&other, "/api/v1/overdue?unit=SXD&period=2026-10")
        .await;
    assert!(code_of(&v2, open).is_none() && code_of(&v2, late).is_none());
    assert!(
        v2["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["unit"] != "Sở Tư pháp")
    );
    let (_, nov) = app
        .get_json(&head, "/api/v1/overdue?unit=STP&period=2026-11")
        .await;
    assert!(code_of(&nov, open).is_some());
    assert!(code_of(&nov, late).is_none());

    // The XLSX lists the same rows.
    let rows = crate::overdue::xlsx_rows(&app, &head, "unit=STP&period=2026-10").await;
    let code = a["code"].as_str().unwrap();
    let line = rows.iter().find(|r| r[0] == code).expect("in the XLSX");
    assert_eq!(line[2], "28");

    // The monthly TTHC report from 12/2026 reads its PAKN figures: those of the indicators
    // for the window 15/11 → 14/12/2026, which holds one more feedback now.
    let window = submit(&app, "0913000004", "Niêm yết thủ tục chưa đầy đủ").await;
    set(
        &app,
        window,
        morning("2026-11-20"),
        d("2026-12-11"),
        "received",
        None,
        None,
    )
    .await;
    let vp = app.token("vanphong").await;
    let (st, o) = app
        .send_json(
            &vp,
            Method::POST,
            "/api/v1/reports/periods/open",
            &json!({"template": "TTHC-THANG", "period": "2026-12"}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{o}");
    let (_, list) = app
        .get_json(
            &head,
            "/api/v1/reports?template=TTHC-THANG&period=2026-12&unit=STP",
        )
        .await;
    let id = list["items"][0]["id"].as_i64().expect("STP's report");
    let (st, r) = app.get_json(&head, &format!("/api/v1/reports/{id}")).await;
    assert_eq!(st, StatusCode::OK, "{r}");
    let field = |key: &str| {
        r["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == key)
            .unwrap_or_else(|| panic!("field {key}: {r}"))
            .clone()
    };
    for key in [
        "pakn_tiep_nhan",
        "pakn_ve_quy_dinh",
        "pakn_qua_han",
        "pakn_ty_le_dung_han",
    ] {
        assert_eq!(field(key)["computed"], true, "{key}");
    }
    let (_, ind) = app
        .get_json(
            &head,
            "/api/v1/indicators?unit=STP&period=2026-12&period_mode=window",
        )
        .await;
    let facts = &ind["facts"];
    assert!(facts["feedback_received"].as_u64().unwrap() >= 1, "{facts}");
    assert_eq!(field("pakn_tiep_nhan")["value"], facts["feedback_received"]);
    assert_eq!(
        field("pakn_ve_quy_dinh")["value"],
        facts["feedback_about_regulations"]
    );
    assert_eq!(
        field("pakn_ve_hanh_vi")["value"],
        facts["feedback_about_staff"]
    );
    assert_eq!(
        field("pakn_dung_han")["value"],
        facts["feedback_answered_on_time"]
    );
    let (_, od) = app
        .get_json(
            &head,
            "/api/v1/overdue?unit=STP&period=2026-12&period_mode=window",
        )
        .await;
    assert_eq!(field("pakn_qua_han")["value"], od["total"]["feedback"]);
    // Typing a computed field changes nothing.
    let (st, _) = app
        .send_json(
            &head,
            Method::PUT,
            &format!("/api/v1/reports/{id}"),
            &json!({"values": {"pakn_tiep_nhan": 99}}),
        )
        .await;
    assert!(st.is_client_error() || st == StatusCode::OK);
    let (_, r2) = app.get_json(&head, &format!("/api/v1/reports/{id}")).await;
    let again = r2["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "pakn_tiep_nhan")
        .unwrap()["value"]
        .clone();
    assert_eq!(again, facts["feedback_received"]);
}

/// The notifications of a user about one feedback: "rule kind".
async fn about(app: &TestApp, username: &str, feedback_id: i64) -> Vec<String> {
    let uid = app.user_id(username).await;
    let (items, _) =
        store::notification::list_for_user(&app.db, uid, store::Page::new(Some(500), None))
            .await
            .unwrap();
    let link = format!("/phan-anh-kien-nghi/{feedback_id}");
    let mut k: Vec<String> = items
        .into_iter()
        .filter(|n| n.link == link)
        .map(|n| format!("{} {}", n.rule.split('@').next().unwrap_or(""), n.kind))
        .collect();
    k.sort();
    k
}

#[tokio::test]
async fn feedback_reminders_follow_the_schedule() {
    let app = spawn_app().await;
    let schedule = app::jobs::reminder_schedule().unwrap();
    let today = today_vn();
    let now = Utc::now();
    let officer = app.user_id("chuyenvien.stp").await;
    let soon = submit(&app, "0914000001", "Sắp đến hạn").await;
    let late = submit(&app, "0914000002", "Quá hạn ba ngày").await;
    let week = submit(&app, "0914000003", "Quá hạn một tuần").await;
    let waiting = submit(&app, "0914000004", "Chờ người gửi bổ sung").await;
    set(
        &app,
        soon,
        now,
        today + Duration::days(3),
        "processing",
        None,
        Some(officer),
    )
    .await;
    set(
        &app,
        late,
        now,
        today - Duration::days(3),
        "received",
        None,
        None,
    )
    .await;
    set(
        &app,
        week,
        now,
        today - Duration::days(7),
        "awaiting_approval",
        None,
        Some(officer),
    )
    .await;
    set(&app, waiting, now, today, "supplement", None, Some(officer)).await;

    let n = app::feedback::remind::send_reminders(&app.db, &schedule, today)
        .await
        .unwrap();
    assert!(n >= 5, "{n} new notifications");
    // Assigned: the officer alone is reminded three days ahead.
    assert_eq!(
        about(&app, "chuyenvien.stp", soon).await,
        ["D-3 before_due"]
    );
    assert!(about(&app, "lanhdao.stp", soon).await.is_empty());
    // Unassigned and three days late: the unit's officers, and its head is warned.
    assert_eq!(about(&app, "chuyenvien.stp", late).await, ["D+1 overdue"]);
    assert_eq!(
        about(&app, "lanhdao.stp", late).await,
        ["D+1 overdue", "D+3 escalation_head"]
    );
    assert!(about(&app, "vanphong", late).await.is_empty());
    // A week late: the provincial office (VP UBND – KSTT) is warned.
    assert_eq!(
        about(&app, "vanphong", week).await,
        ["D+7 escalation_office"]
    );
    assert!(about(&app, "sonoivu", week).await.is_empty());
    // Waiting for the sender: nothing.
    assert!(about(&app, "chuyenvien.stp", waiting).await.is_empty());
    // Other units hear nothing of it.
    assert!(about(&app, "lanhdao.sxd", late).await.is_empty());
    // Once per rule and due date.
    let again = app::feedback::remind::send_reminders(&app.db, &schedule, today)
        .await
        .unwrap();
    assert_eq!(again, 0);
    // A new due date (forwarded, supplemented) is reminded again.
    set(
        &app,
        soon,
        now,
        today + Duration::days(2),
        "processing",
        None,
        Some(officer),
    )
    .await;
    assert_eq!(
        app::feedback::remind::send_reminders(&app.db, &schedule, today)
            .await
            .unwrap(),
        1,
        "the officer, for the new due date"
    );
    assert_eq!(
        about(&app, "chuyenvien.stp", soon).await,
        ["D-3 before_due", "D-3 before_due"]
    );
    // Handled: no reminder any more.
    set(
        &app,
        late,
        now,
        today - Duration::days(3),
        "published",
        Some(now),
        None,
    )
    .await;
    let n = app::feedback::remind::send_reminders(&app.db, &schedule, today + Duration::days(1))
        .await
        .unwrap();
    assert!(about(&app, "lanhdao.stp", late).await.len() == 2, "{n}");
    // The notification opens the feedback for its recipient.
    let token = app.token("vanphong").await;
    let (st, _) = app
        .get_json(&token, &format!("/api/v1/feedback/{week}"))
        .await;
    assert_eq!(st, StatusCode::OK);
}
