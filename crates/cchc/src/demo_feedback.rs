//! The demo's phản ánh, kiến nghị: a year of generated feedback to the demo units (marked
//! as demo data), handled through the same operations as the staff's — most answered and
//! published, some late, some rejected or forwarded, a few still open past their due date,
//! a few complained about again. Senders are invented names and numbers; the texts are
//! illustrations, not real cases.

use anyhow::anyhow;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use store::Db;

use crate::demo_reports::stable_hash;

/// The invented senders (the tests check that none appears on a public page).
pub const NAMES: [&str; 12] = [
    "Nguyễn Văn An",
    "Trần Thị Bích",
    "Lê Hoàng Nam",
    "Phạm Thu Hà",
    "Hoàng Minh Đức",
    "Vũ Thị Lan",
    "Đặng Quốc Bảo",
    "Bùi Thị Mai",
    "Đỗ Văn Thành",
    "Ngô Thị Hạnh",
    "Hồ Sỹ Long",
    "Thái Thị Thu",
];

/// (kind, title, content, answer) — illustrations by kind.
const CASES: [(&str, &str, &str, &str); 8] = [
    (
        "regulation",
        "Yêu cầu bản sao chứng thực giấy tờ đã có trong cơ sở dữ liệu",
        "Quy định yêu cầu nộp bản sao chứng thực giấy khai sinh khi đăng ký thường trú, trong khi thông tin này đã có trong Cơ sở dữ liệu quốc gia về dân cư. Đề nghị bỏ yêu cầu này.",
        "Cơ quan đã rà soát và kiến nghị cơ quan có thẩm quyền sửa đổi thành phần hồ sơ; trong thời gian chờ sửa đổi, bộ phận một cửa khai thác thông tin từ Cơ sở dữ liệu quốc gia về dân cư, không yêu cầu bản sao.",
    ),
    (
        "regulation",
        "Mức thu phí cao so với tỉnh lân cận",
        "Mức thu phí thẩm định hồ sơ theo nghị quyết của tỉnh cao hơn nhiều tỉnh lân cận, gây khó khăn cho hộ kinh doanh nhỏ. Đề nghị xem xét điều chỉnh.",
        "Kiến nghị đã được tổng hợp gửi Sở Tài chính để trình HĐND tỉnh xem xét điều chỉnh mức thu tại kỳ họp gần nhất.",
    ),
    (
        "procedure",
        "Thủ tục công bố chưa đúng thời hạn giải quyết",
        "Thời hạn giải quyết thủ tục công khai tại bộ phận một cửa khác với quyết định công bố của Chủ tịch UBND tỉnh. Đề nghị thống nhất thông tin.",
        "Bộ phận một cửa đã cập nhật bản niêm yết theo quyết định công bố hiện hành; thời hạn giải quyết là thời hạn trong quyết định công bố.",
    ),
    (
        "procedure",
        "Không nộp trực tuyến được hồ sơ",
        "Dịch vụ công trực tuyến của thủ tục báo lỗi khi đính kèm tệp, tôi đã thử nhiều lần trong tuần nhưng không nộp được hồ sơ.",
        "Lỗi đính kèm tệp đã được đơn vị vận hành khắc phục; đề nghị ông/bà nộp lại hồ sơ trực tuyến, thời hạn giải quyết tính từ ngày tiếp nhận hồ sơ hợp lệ.",
    ),
    (
        "dossier",
        "Hồ sơ quá hạn chưa có kết quả",
        "Hồ sơ của tôi đã quá ngày hẹn trả kết quả nhưng chưa nhận được kết quả và chưa nhận được thư xin lỗi hẹn lại.",
        "Đơn vị đã kiểm tra, hồ sơ chậm do phải xác minh thông tin tại địa phương; đơn vị đã gửi thư xin lỗi và hẹn lại, kết quả đã được trả.",
    ),
    (
        "dossier",
        "Yêu cầu bổ sung giấy tờ nhiều lần",
        "Cán bộ yêu cầu bổ sung hồ sơ ba lần, mỗi lần một loại giấy tờ khác nhau, không hướng dẫn một lần đầy đủ.",
        "Đơn vị đã chấn chỉnh, yêu cầu cán bộ hướng dẫn đầy đủ một lần bằng phiếu yêu cầu bổ sung theo quy định; hồ sơ đã được giải quyết.",
    ),
    (
        "conduct",
        "Thái độ tiếp công dân chưa đúng mực",
        "Cán bộ tại bộ phận một cửa có thái độ thiếu tôn trọng khi hướng dẫn thủ tục, không đeo thẻ công chức.",
        "Đơn vị đã làm việc với cán bộ liên quan, nhắc nhở và yêu cầu thực hiện đúng quy tắc ứng xử; kết quả xử lý được công khai tại đơn vị.",
    ),
    (
        "conduct",
        "Hẹn trả kết quả nhiều lần",
        "Cán bộ hẹn trả kết quả nhiều lần bằng lời, không có phiếu hẹn, gây mất thời gian đi lại.",
        "Đơn vị đã kiểm điểm cán bộ, yêu cầu mọi lần hẹn lại phải có phiếu xin lỗi và hẹn lại theo mẫu quy định.",
    ),
];

const REJECT: &str = "Nội dung là khiếu nại về quyết định hành chính, không thuộc phạm vi phản ánh, kiến nghị; đề nghị gửi theo Luật Khiếu nại.";

/// Loads the demo feedback (skipped when there is some already). Returns how many.
pub async fn load(db: &Db, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let (existing, _) = store::feedback::list(
        db,
        &store::feedback::Filter::default(),
        store::Page::new(Some(1), None),
    )
    .await?;
    if !existing.is_empty() {
        return Ok(0);
    }
    generate(db, now, 1).await
}

/// A year of feedback up to `now`, `scale` times the demo's one or two a working day
/// (`cchc bench feedback` adds province-scale volumes to the demo's).
pub async fn generate(db: &Db, now: DateTime<Utc>, scale: u32) -> anyhow::Result<usize> {
    let app = app::App::new(db.clone())
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let admin = crate::demo_par::caller(db, "admin").await?;
    // The demo units' own head and officer act on their feedback.
    let mut staff: std::collections::HashMap<String, (app::Caller, app::Caller)> =
        Default::default();
    for code in ["STP", "SXD"] {
        let lower = code.to_lowercase();
        if let (Ok(head), Ok(officer)) = (
            crate::demo_par::caller(db, &format!("lanhdao.{lower}")).await,
            crate::demo_par::caller(db, &format!("chuyenvien.{lower}")).await,
        ) {
            staff.insert(code.to_string(), (head, officer));
        }
    }
    let kstt = crate::demo_par::caller(db, "vanphong").await?;
    let cal = app.calendar.get(db).await.map_err(|e| anyhow!("{e}"))?;
    let today = domain::time::local(now).date();
    let start = today - Duration::days(365);
    let (agencies, _) = store::agency::list(
        db,
        &store::agency::AgencyFilter {
            on_date: Some(today),
            ..Default::default()
        },
        store::Page::all(),
    )
    .await?;
    let units: Vec<&store::agency::Agency> = agencies
        .iter()
        .filter(|a| {
            domain::org::AgencyKind::parse(&a.kind)
                .and_then(domain::par::UnitKind::of_agency)
                .is_some()
        })
        .collect();
    if units.is_empty() {
        return Ok(0);
    }
    // The units with demo accounts get most of the feedback, so their queues are full.
    let staffed: Vec<&store::agency::Agency> = units
        .iter()
        .copied()
        .filter(|a| ["STP", "SXD"].contains(&a.code.as_str()))
        .collect();
    let mut n = 0;
    let mut published: Vec<(String, String, i64)> = Vec::new();
    let mut day = start;
    let mut i: i64 = 0;
    while day <= today {
        if !cal.is_working_day(day).unwrap_or(false) {
            day += Duration::days(1);
            continue;
        }
        let per_day = u64::from(scale.max(1))
            * (1 + stable_hash(chrono::Datelike::num_days_from_ce(&day) as i64, i) % 2);
        for _ in 0..per_day {
            i += 1;
            let h = stable_hash(i, 2203);
            let unit = if h.is_multiple_of(3) || staffed.is_empty() {
                units[(h as usize >> 8) % units.len()]
            } else {
                staffed[(h as usize >> 8) % staffed.len()]
            };
            let (kind, title, content, answer) = CASES[(h as usize >> 16) % CASES.len()];
            let name = NAMES[(h as usize >> 24) % NAMES.len()];
            let phone = format!("09{:08}", (h >> 32) % 100_000_000);
            let received = domain::time::utc(day.and_hms_opt(8, 0, 0).unwrap_or_default())
                + Duration::minutes((h % 480) as i64);
            let no_agency = h.is_multiple_of(17);
            let input = app::feedback::NewFeedbackInput {
                kind: kind.into(),
                agency_code: (!no_agency).then(|| unit.code.clone()),
                dossier_code: (kind == "dossier")
                    .then(|| format!("000.00.00.H40-{}-{:04}", day.format("%y%m%d"), i % 10_000)),
                title: Some(title.into()),
                name: name.into(),
                phone: phone.clone(),
                content: content.into(),
                ..Default::default()
            };
            let sent = app::feedback::submit_at(&app, None, &input, Vec::new(), received, true)
                .await
                .map_err(|e| anyhow!("{e}"))?;
            n += 1;
            let r = store::feedback::by_code(db, &sent.code)
                .await?
                .ok_or_else(|| anyhow!("feedback"))?;
            let wd = |d: NaiveDate, k: u32| cal.add_working_days(d, k).unwrap_or(d);
            let t = |d: NaiveDate, hour: i64| {
                domain::time::utc(d.and_hms_opt(9, 0, 0).unwrap_or_default())
                    + Duration::hours(hour)
            };
            let mut steps: Vec<(
                DateTime<Utc>,
                &app::Caller,
                app::feedback::FeedbackEventInput,
            )> = Vec::new();
            let ev = |action: &str| app::feedback::FeedbackEventInput {
                action: action.into(),
                ..Default::default()
            };
            let mut d = day;
            if no_agency {
                d = wd(d, 1);
                steps.push((
                    t(d, 0),
                    &kstt,
                    app::feedback::FeedbackEventInput {
                        agency_code: Some(unit.code.clone()),
                        note: Some("Chuyển cơ quan có thẩm quyền".into()),
                        ..ev("forward")
                    },
                ));
            }
            let (head, officer) = staff
                .get(&unit.code)
                .map_or((&admin, &admin), |(h, o)| (h, o));
            let fate = (h >> 40) % 100;
            if fate < 6 {
                d = wd(d, 1);
                steps.push((
                    t(d, 1),
                    officer,
                    app::feedback::FeedbackEventInput {
                        note: Some(REJECT.into()),
                        ..ev("reject")
                    },
                ));
            } else {
                d = wd(d, 1);
                steps.push((t(d, 1), officer, ev("accept")));
                if !std::ptr::eq(officer, &admin) {
                    steps.push((
                        t(d, 2),
                        head,
                        app::feedback::FeedbackEventInput {
                            assignee: Some(officer.principal.username.clone()),
                            ..ev("assign")
                        },
                    ));
                }
                // A few of the last three months are left unanswered past their due date
                // (the overdue list's open rows).
                if fate >= 97 && day > today - Duration::days(90) {
                    for (at, who, input) in steps {
                        if at > now {
                            break;
                        }
                        app::feedback::act_at(&app, who, r.id, &input, at)
                            .await
                            .map_err(|e| anyhow!("{}: {e}", input.action))?;
                    }
                    continue;
                }
                // On time mostly; about one in seven answered late.
                let late = fate.is_multiple_of(7);
                let k = if late {
                    16 + (h >> 48) % 8
                } else {
                    4 + (h >> 48) % 9
                } as u32;
                d = wd(d, k);
                steps.push((
                    t(d, 2),
                    officer,
                    app::feedback::FeedbackEventInput {
                        answer: Some(answer.into()),
                        ..ev("draft")
                    },
                ));
                d = wd(d, 1);
                steps.push((t(d, 0), head, ev("approve")));
                d = wd(d, 1);
                steps.push((t(d, 2), officer, ev("publish")));
            }
            for (at, who, input) in steps {
                if at > now {
                    break;
                }
                app::feedback::act_at(&app, who, r.id, &input, at)
                    .await
                    .map_err(|e| anyhow!("{}: {e}", input.action))?;
            }
            let after = store::feedback::get(db, r.id).await?;
            if after.status == "published" {
                if h.is_multiple_of(5) {
                    store::feedback::rate(
                        db,
                        r.id,
                        !h.is_multiple_of(10),
                        after.published_at.unwrap_or(now) + Duration::days(1),
                    )
                    .await?;
                }
                published.push((after.code.clone(), phone, i));
            }
        }
        day += Duration::days(1);
    }
    // A few complained about again, a week or so after the answer.
    for (code, phone, k) in published.iter().filter(|(_, _, k)| k % 23 == 0) {
        let input = app::feedback::NewFeedbackInput {
            kind: "dossier".into(),
            parent_code: Some(code.clone()),
            title: Some("Phản ánh lại: chưa được giải quyết dứt điểm".into()),
            name: NAMES[(*k as usize) % NAMES.len()].into(),
            phone: phone.clone(),
            dossier_code: Some(format!("000.00.00.H40-REPEAT-{k:04}")),
            content: "Sau khi có trả lời, hồ sơ của tôi vẫn chưa được giải quyết; đề nghị cơ quan xử lý dứt điểm.".into(),
            ..Default::default()
        };
        let when = now - Duration::days((k % 20) + 1);
        app::feedback::submit_at(&app, None, &input, Vec::new(), when, true)
            .await
            .map_err(|e| anyhow!("{e}"))?;
        n += 1;
    }
    Ok(n)
}
