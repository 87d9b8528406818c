//! The demo's periodic reports of late 2023: the monthly TTHC reports of September to
//! December (CV 6486) and the CCHC reports of Q3 and Q4 (CV 6794), opened for every
//! obliged unit with their due tasks; most sent before the due date, some late, some
//! returned and sent again, a few never sent; September, October and Q3 closed (frozen).
//! Each report is saved and sent by its unit's head (an account is made for units that
//! have none in `data/demo/users.csv`).

use anyhow::anyhow;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::report::{FieldType, ReportAction, ReportStatus, Template};
use store::Db;
use store::audit::Actor;
use store::report::Change;

pub(crate) fn stable_hash(a: i64, b: i64) -> u64 {
    let mut x = (a as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (b as u64);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// 09:00 (Vietnam time) on `day` plus `hours`.
fn at(day: NaiveDate, hours: i64) -> DateTime<Utc> {
    domain::time::utc(day.and_hms_opt(9, 0, 0).unwrap_or_default()) + Duration::hours(hours)
}

/// Plausible typed values for a unit's report.
fn typed(t: &Template, h: u64) -> std::collections::BTreeMap<String, String> {
    t.fields
        .iter()
        .filter(|f| !f.is_computed())
        .enumerate()
        .map(|(i, f)| {
            let x = (h >> (i * 5)) & 0x1f;
            let v = match f.field_type {
                FieldType::Integer => (x % 6).to_string(),
                FieldType::Percent => format!("{},5", 80 + x % 20),
                FieldType::Date => "12/09/2023".to_string(),
                FieldType::Text => match f.key.as_str() {
                    "kho_khan" | "ton_tai" => {
                        "Một số hồ sơ trực tuyến chưa đầy đủ thành phần; thiết bị số hóa tại bộ phận một cửa còn thiếu.".into()
                    }
                    "de_xuat" => "Đề nghị bổ sung máy quét cho bộ phận một cửa.".into(),
                    _ => "Tổ chức quán triệt các văn bản chỉ đạo về CCHC; kiểm tra đột xuất tại bộ phận một cửa; 100% TTHC được công khai.".into(),
                },
            };
            (f.key.clone(), v)
        })
        .collect()
}

/// Family names, middle names and given names of the generated heads' accounts.
const FAMILY: [&str; 14] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
    "Dương", "Thái",
];
const MIDDLE: [&str; 8] = ["Văn", "Thị", "Đức", "Minh", "Hữu", "Thanh", "Quang", "Ngọc"];
const GIVEN: [&str; 20] = [
    "An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hòa", "Hùng", "Hương", "Khánh", "Lan",
    "Long", "Nam", "Phúc", "Sơn", "Tâm", "Thắng", "Trung", "Vinh",
];

/// The head's account of each unit that owes a demo report and has none in
/// `data/demo/users.csv`: `lanhdao.<code>`, role lãnh đạo đơn vị, a generated name; they
/// share the demo password (`hash`). A report is sent by its unit's head.
async fn ensure_heads(
    db: &Db,
    units: &[store::agency::Agency],
    hash: &str,
    actor: &Actor,
) -> anyhow::Result<Vec<store::user::User>> {
    let filter = store::user::UserFilter {
        role: Some("lanh_dao_don_vi".into()),
        ..Default::default()
    };
    let (mut heads, _) = store::user::list(db, &filter, store::Page::all()).await?;
    for a in units {
        if heads.iter().any(|u| u.agency_id == a.id) {
            continue;
        }
        let h = stable_hash(a.id, 766);
        let family = FAMILY[(h % FAMILY.len() as u64) as usize];
        let middle = MIDDLE[((h >> 8) % MIDDLE.len() as u64) as usize];
        let given = GIVEN[((h >> 16) % GIVEN.len() as u64) as usize];
        let title = match domain::org::AgencyKind::parse(&a.kind) {
            Some(domain::org::AgencyKind::SoNganh) => "Giám đốc",
            _ => "Chủ tịch",
        };
        let input = store::user::UserInput {
            username: format!("lanhdao.{}", a.code.to_lowercase()),
            full_name: format!("{family} {middle} {given}"),
            title: Some(format!("{title} {}", a.short_name)),
            email: None,
            phone: None,
            agency_id: a.id,
            roles: vec![domain::org::Role::LanhDaoDonVi],
        };
        heads.push(store::user::create(db, &input, hash, false, actor).await?);
    }
    Ok(heads)
}

/// Opens, fills, sends, accepts and closes the demo periods. Returns how many reports.
pub async fn load(db: &Db, hash: &str) -> anyhow::Result<usize> {
    let state = app::App::new(db.clone())
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let actor = Actor::system("demo");
    let periods = [
        ("TTHC-THANG", "2023-09", true),
        ("TTHC-THANG", "2023-10", true),
        ("TTHC-THANG", "2023-11", false),
        ("TTHC-THANG", "2023-12", false),
        ("CCHC-QUY", "2023-Q3", true),
        ("CCHC-QUY", "2023-Q4", false),
    ];
    // Every unit that owes one of these reports has a head who sends it.
    let mut owing: Vec<store::agency::Agency> = Vec::new();
    for (template, period, _) in periods {
        let plan = app::report::plan(&state, template, period)
            .await
            .map_err(|e| anyhow!("{template} {period}: {e}"))?;
        for a in app::report::obliged_units(&state, &plan)
            .await
            .map_err(|e| anyhow!("{e}"))?
        {
            if !owing.iter().any(|o| o.id == a.id) {
                owing.push(a);
            }
        }
    }
    let heads = ensure_heads(db, &owing, hash, &actor).await?;
    let head_of = |agency_id: i64| {
        heads
            .iter()
            .find(|u| u.agency_id == agency_id)
            .map(|u| Actor {
                user_id: Some(u.id),
                username: Some(u.username.clone()),
                ip: None,
            })
            .unwrap_or_else(|| actor.clone())
    };
    let vanphong = office(db, "vanphong").await;
    let sonoivu = office(db, "sonoivu").await;
    let mut n = 0;
    for (k, (template, period, close)) in periods.into_iter().enumerate() {
        let e = |e: app::ServiceError| anyhow!("{template} {period}: {e}");
        let plan = app::report::plan(&state, template, period)
            .await
            .map_err(e)?;
        // Opened by the hourly housekeeping on the window's first day.
        app::report::open_period_at(&state, &actor, template, period, at(plan.from, 0))
            .await
            .map_err(e)?;
        let office = if plan.template.compiler == domain::org::Role::SoNoiVu {
            &sonoivu
        } else {
            &vanphong
        };
        let (reports, _) = store::report::list(
            db,
            &store::report::ReportFilter {
                template_code: Some(template.into()),
                period: Some(period.into()),
                ..Default::default()
            },
            store::Page::all(),
        )
        .await?;
        let recent = period == "2023-12" || period == "2023-Q4";
        for r in &reports {
            n += 1;
            let h = stable_hash(r.agency_id, k as i64 + 1);
            let input = typed(plan.template, h);
            let values = domain::report::parse_typed(plan.template, &input)
                .map_err(|e| anyhow!("{template}: {e:?}"))?;
            let typed_json = serde_json::to_string(&values)?;
            // Some units never send; more of them in the latest period.
            if h % 100 < if recent { 35 } else { 8 } {
                if h.is_multiple_of(2) {
                    let c = change(ReportAction::Save, ReportStatus::Draft, ReportStatus::Draft);
                    let c = Change {
                        typed_json: Some(typed_json),
                        ..c
                    };
                    store::report::apply_at(
                        db,
                        r.id,
                        &c,
                        &head_of(r.agency_id),
                        at(plan.due_on, -72),
                    )
                    .await?;
                }
                continue;
            }
            // Sent 1–6 days before the due date, one in eight 1–3 days after it.
            let offset = if h % 8 == 3 {
                24 * (1 + (h >> 8) as i64 % 3)
            } else {
                -24 * (1 + (h >> 8) as i64 % 6)
            };
            let sent = at(plan.due_on, offset);
            let save = Change {
                typed_json: Some(typed_json),
                ..change(ReportAction::Save, ReportStatus::Draft, ReportStatus::Draft)
            };
            let head = head_of(r.agency_id);
            store::report::apply_at(db, r.id, &save, &head, sent - Duration::hours(2)).await?;
            let submit = change(
                ReportAction::Submit,
                ReportStatus::Draft,
                ReportStatus::Submitted,
            );
            store::report::apply_at(db, r.id, &submit, &head, sent).await?;
            if recent && h.is_multiple_of(5) {
                continue; // waiting for the office
            }
            if h % 11 == 4 {
                let back = Change {
                    return_reason: Some(
                        "Số liệu TTHC sửa đổi, bổ sung chưa khớp với quyết định công bố; đề nghị rà soát, gửi lại."
                            .into(),
                    ),
                    ..change(ReportAction::Return, ReportStatus::Submitted, ReportStatus::Returned)
                };
                store::report::apply_at(db, r.id, &back, office, sent + Duration::hours(26))
                    .await?;
                if recent {
                    continue;
                }
                let again = change(
                    ReportAction::Submit,
                    ReportStatus::Returned,
                    ReportStatus::Submitted,
                );
                store::report::apply_at(db, r.id, &again, &head, sent + Duration::hours(50))
                    .await?;
            }
            let accept = change(
                ReportAction::Accept,
                ReportStatus::Submitted,
                ReportStatus::Accepted,
            );
            store::report::apply_at(db, r.id, &accept, office, sent + Duration::hours(74)).await?;
        }
        if close {
            app::report::close_at(
                &state,
                office,
                template,
                period,
                at(plan.due_on + Duration::days(10), 0),
            )
            .await
            .map_err(e)?;
        }
    }
    Ok(n)
}

async fn office(db: &Db, name: &str) -> Actor {
    let u = store::user::get_by_username(db, name).await.ok();
    Actor {
        user_id: u.as_ref().map(|u| u.id),
        username: Some(name.to_string()),
        ip: None,
    }
}

fn change(action: ReportAction, from: ReportStatus, to: ReportStatus) -> Change {
    Change {
        action,
        from_status: from.code().into(),
        to_status: to.code().into(),
        typed_json: None,
        return_reason: None,
    }
}
