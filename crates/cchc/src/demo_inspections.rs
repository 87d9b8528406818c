//! The demo's kiểm tra công tác CCHC: the Sở Nội vụ's 2025 plan (five units, one a
//! month from April), carried out through the same operations as the staff's — the
//! findings, the conclusion notices that give the units their remediation tasks, the
//! units' reports and their verification at the dates they happened (remediated on time,
//! late, awaiting verification, overdue) — one inspection closed, one still under way,
//! and a surprise inspection of this year. Decisions, names and findings are
//! illustrations, not real cases.

use anyhow::anyhow;
use chrono::{DateTime, NaiveDate, Utc};
use store::Db;
use store::task::TaskEvent;

use app::inspection::{ConclusionInput, FindingInput, InspectionInput, MemberInput, PlanInput};
use app::inspection::{PlanItemInput, StartInput};

/// A finding of the demo: kind, content, remediation deadline, and what the unit did:
/// (reported done on, verified on).
type Finding = (
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<(&'static str, Option<&'static str>)>,
);

/// One inspection of the plan: (unit, month, subjects, decision, decision date, start,
/// end, findings, conclusion (number, date), closed).
type Row = (
    &'static str,
    i32,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [Finding],
    Option<(&'static str, &'static str)>,
    bool,
);

const SUBJECTS: &str = "Công tác chỉ đạo, điều hành CCHC; kiểm soát, công khai thủ tục hành chính; giải quyết hồ sơ theo cơ chế một cửa; kỷ luật, kỷ cương hành chính";

const PLAN: [Row; 5] = [
    (
        "STP",
        4,
        SUBJECTS,
        "112/QĐ-SNV",
        "2025-04-07",
        "2025-04-14",
        "2025-04-16",
        &[
            (
                "mot_cua",
                "07 hồ sơ giải quyết quá hạn chưa có văn bản xin lỗi tổ chức, cá nhân theo quy định",
                Some("2025-06-30"),
                Some(("2025-06-20", Some("2025-06-25"))),
            ),
            (
                "thu_tuc_hanh_chinh",
                "02 thủ tục hành chính mới công bố chưa được niêm yết công khai tại Bộ phận Một cửa",
                Some("2025-07-31"),
                Some(("2025-08-12", Some("2025-08-15"))),
            ),
            (
                "chi_dao_dieu_hanh",
                "Ban hành kế hoạch CCHC năm 2025 kịp thời, phân công rõ người, rõ việc",
                None,
                None,
            ),
        ],
        Some(("48/TB-SNV", "2025-05-06")),
        true,
    ),
    (
        "SXD",
        6,
        SUBJECTS,
        "165/QĐ-SNV",
        "2025-06-09",
        "2025-06-17",
        "2025-06-19",
        &[
            (
                "ky_luat_ky_cuong",
                "Một số công chức chưa đeo thẻ công chức khi tiếp công dân tại Bộ phận Một cửa",
                Some("2025-09-30"),
                Some(("2025-09-24", Some("2025-09-29"))),
            ),
            (
                "che_do_bao_cao",
                "Báo cáo CCHC quý I/2025 gửi chậm 05 ngày so với quy định",
                Some("2025-10-31"),
                Some(("2025-10-28", None)),
            ),
        ],
        Some(("70/TB-SNV", "2025-07-15")),
        false,
    ),
    (
        "XM-CONCUONG",
        8,
        "Vận hành Trung tâm Phục vụ hành chính công xã sau sắp xếp; số hóa hồ sơ, kết quả giải quyết TTHC",
        "221/QĐ-SNV",
        "2025-08-11",
        "2025-08-19",
        "2025-08-20",
        &[
            (
                "mot_cua",
                "Tỷ lệ số hóa thành phần hồ sơ, kết quả giải quyết TTHC đạt 18%, thấp hơn chỉ tiêu của tỉnh",
                Some("2025-10-31"),
                None,
            ),
            (
                "thu_tuc_hanh_chinh",
                "Chưa cập nhật đầy đủ danh mục TTHC cấp xã sau sắp xếp trên Cổng Dịch vụ công",
                Some("2027-01-31"),
                None,
            ),
        ],
        Some(("95/TB-SNV", "2025-09-05")),
        false,
    ),
    (
        "XM-TRUONGVINH",
        10,
        SUBJECTS,
        "268/QĐ-SNV",
        "2025-10-06",
        "2025-10-14",
        "2025-10-15",
        &[(
            "mot_cua",
            "Bộ phận Một cửa chưa bố trí đủ máy tra cứu, đánh giá mức độ hài lòng",
            Some("2026-03-31"),
            None,
        )],
        None,
        false,
    ),
    ("SYT", 11, SUBJECTS, "", "", "", "", &[], None, false),
];

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

fn vn(s: &str) -> String {
    day(s).format("%d/%m/%Y").to_string()
}

fn at(s: &str) -> DateTime<Utc> {
    domain::time::utc(day(s).and_hms_opt(9, 30, 0).unwrap_or_default())
}

fn err(e: app::ServiceError) -> anyhow::Error {
    anyhow!("{e}")
}

/// Loads the demo inspections (skipped when a plan exists). Returns how many.
pub async fn load(db: &Db) -> anyhow::Result<usize> {
    if !store::inspection::plans(db, None).await?.is_empty() {
        return Ok(0);
    }
    let app = app::App::new(db.clone()).await.map_err(err)?;
    let snv = crate::demo_par::caller(db, "sonoivu").await?;
    let team = || {
        vec![
            MemberInput {
                user_id: None,
                name: Some("lanhdao.snv".into()),
                role: "truong_doan".into(),
            },
            MemberInput {
                user_id: None,
                name: Some("sonoivu".into()),
                role: "thu_ky".into(),
            },
            MemberInput {
                user_id: None,
                name: Some("Nguyễn Văn Hải, Thanh tra tỉnh".into()),
                role: "thanh_vien".into(),
            },
        ]
    };
    let plan = app::inspection::create_plan(
        &app,
        &snv,
        &PlanInput {
            year: 2025,
            decision_number: "25/QĐ-SNV".into(),
            decision_date: "15/01/2025".into(),
            title: String::new(),
            items: PLAN
                .iter()
                .map(|r| PlanItemInput {
                    target: r.0.into(),
                    subjects: r.2.into(),
                    month: r.1,
                })
                .collect(),
        },
    )
    .await
    .map_err(err)?;
    let mut n = 0;
    for (row, item) in PLAN.iter().zip(&plan.items) {
        let (unit, _, _, decision, decided, start, end, findings, conclusion, closed) = *row;
        if decision.is_empty() {
            continue;
        }
        let d = app::inspection::start_item(
            &app,
            &snv,
            item.id,
            &StartInput {
                decision_number: decision.into(),
                decision_date: vn(decided),
                start_on: Some(vn(start)),
                end_on: Some(vn(end)),
                subjects: None,
                members: team(),
            },
        )
        .await
        .map_err(err)?;
        n += 1;
        let id = d.inspection.id;
        for (kind, content, deadline, _) in findings {
            app::inspection::add_finding(
                &app,
                &snv,
                id,
                &FindingInput {
                    kind: (*kind).into(),
                    content: (*content).into(),
                    responsible: None,
                    responsible_person: None,
                    remediation: deadline.is_some(),
                    deadline: deadline.map(vn),
                },
            )
            .await
            .map_err(err)?;
        }
        let Some((number, date)) = conclusion else {
            continue;
        };
        let draft = app::inspection::detail(&app, &snv.principal, id)
            .await
            .map_err(err)?;
        let d = app::inspection::conclude(
            &app,
            &snv,
            id,
            &ConclusionInput {
                number: number.into(),
                date: vn(date),
                text: app::inspection::draft_conclusion(&draft),
            },
        )
        .await
        .map_err(err)?;
        // The unit's reports and the verification, at the dates they happened.
        let head = crate::demo_par::caller(db, &format!("lanhdao.{}", unit_login(unit))).await;
        for (f, (_, _, _, done)) in d.findings.iter().zip(findings.iter()) {
            let (Some(task), Some((reported, verified))) = (f.task_id, done) else {
                continue;
            };
            let actor = match &head {
                Ok(h) => h.actor(),
                Err(_) => snv.actor(),
            };
            store::task::record_at(
                db,
                task,
                f.responsible_agency_id,
                &TaskEvent::Submit {
                    note: "Đã khắc phục; gửi kèm báo cáo kết quả khắc phục.".into(),
                },
                &actor,
                at(reported),
            )
            .await?;
            if let Some(v) = verified {
                store::task::record_at(
                    db,
                    task,
                    snv.principal.agency_id,
                    &TaskEvent::Accept {
                        note: "Xác nhận đã khắc phục.".into(),
                    },
                    &snv.actor(),
                    at(v),
                )
                .await?;
            }
        }
        if closed {
            app::inspection::close(&app, &snv, id).await.map_err(err)?;
        }
    }
    // A surprise inspection a month ago, under way.
    let decided = domain::time::today() - chrono::Duration::days(30);
    let on = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    let d = app::inspection::create(
        &app,
        &snv,
        &InspectionInput {
            kind: "dot_xuat".into(),
            decision_number: "310/QĐ-SNV".into(),
            decision_date: on(decided),
            target: "SXD".into(),
            subjects: "Kiểm tra đột xuất việc chấp hành kỷ luật, kỷ cương hành chính, thời giờ làm việc (Thông báo 03-TB/BCĐ)".into(),
            planned_month: None,
            start_on: Some(on(decided + chrono::Duration::days(2))),
            end_on: Some(on(decided + chrono::Duration::days(2))),
            members: team(),
        },
    )
    .await
    .map_err(err)?;
    app::inspection::add_finding(
        &app,
        &snv,
        d.inspection.id,
        &FindingInput {
            kind: "ky_luat_ky_cuong".into(),
            content:
                "02 công chức vắng mặt tại vị trí làm việc trong giờ hành chính không có lý do"
                    .into(),
            responsible: None,
            responsible_person: None,
            remediation: true,
            deadline: Some(on(decided + chrono::Duration::days(90))),
        },
    )
    .await
    .map_err(err)?;
    Ok(n + 1)
}

/// The demo login suffix of a unit's accounts ("lanhdao.stp", "lanhdao.xaconcuong").
fn unit_login(code: &str) -> String {
    match code {
        "XM-CONCUONG" => "xaconcuong".into(),
        "XM-TRUONGVINH" => "truongvinh".into(),
        c => c.to_lowercase(),
    }
}
