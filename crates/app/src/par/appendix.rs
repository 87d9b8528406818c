//! Phụ lục — the appendix of the decision that publishes the results: per kind of unit,
//! each unit's rank, points earned, applicable maximum and index, with the official
//! header (Quốc hiệu, Tiêu ngữ, place and date), as a workbook and as PDF
//! (`reports::period_report_*`). Before publication the province-wide readers may print a
//! draft ("DỰ THẢO"); the published appendix is drawn from the frozen ranking.

use domain::par::{Points, UnitKind};

use super::*;

fn p2(p: Points) -> String {
    let h = p.hundredths();
    format!("{},{:02}", h / 100, h % 100)
}

/// The appendix as a document (the caller renders it to xlsx or pdf).
pub async fn appendix(
    app: &App,
    p: &Principal,
    round_id: i64,
) -> Result<reports::PeriodReportDoc, ServiceError> {
    let round = round_row(app, round_id).await?;
    let rows = super::result::ranking(app, p, round_id, None).await?;
    let issuer = province_name(app).await?;
    let place = issuer
        .strip_prefix("Ủy ban nhân dân tỉnh ")
        .or_else(|| issuer.strip_prefix("Ủy ban nhân dân thành phố "))
        .unwrap_or("")
        .to_string();
    let published = round.status == ROUND_PUBLISHED;
    // The decision's own date when it is registered; else the day of publication (or today).
    let decided = match round.directive_id {
        Some(id) => Some(store::directive::get(&app.db, id).await?.issued_on),
        None => None,
    };
    let date = decided
        .or(round.published_at.map(domain::time::day_of))
        .unwrap_or_else(|| domain::time::day_of(chrono::Utc::now()));
    let mut tables = Vec::new();
    for k in UnitKind::ALL {
        let of: Vec<&super::result::RankItem> =
            rows.iter().filter(|r| r.unit_kind == k.code()).collect();
        if of.is_empty() {
            continue;
        }
        tables.push(reports::PeriodTable {
            title: Some(format!(
                "{}. {}",
                tables.len() + 1,
                k.label().to_uppercase()
            )),
            columns: vec![
                ("Xếp hạng".into(), 8.0, true),
                ("Cơ quan, đơn vị".into(), 48.0, false),
                ("Điểm đạt".into(), 14.0, true),
                ("Điểm tối đa áp dụng".into(), 14.0, true),
                ("Chỉ số CCHC (%)".into(), 14.0, true),
            ],
            rows: of
                .iter()
                .map(|r| {
                    vec![
                        r.rank.to_string(),
                        r.unit_name.clone(),
                        p2(r.score),
                        p2(r.max),
                        r.index
                            .map(|i| domain::par::index_vn((i * 100.0).round() as i64))
                            .unwrap_or_else(|| "—".into()),
                    ]
                })
                .collect(),
            empty_text: "Không có đơn vị.".into(),
        });
    }
    let mut notes = vec![
        "Chỉ số CCHC = Điểm đạt / Điểm tối đa áp dụng × 100; xếp hạng trong từng nhóm đơn vị; đơn vị bằng chỉ số thì cùng hạng.".to_string(),
    ];
    if round.demo {
        notes.push("Dữ liệu minh họa: không phải kết quả chấm điểm thật.".into());
    }
    Ok(reports::PeriodReportDoc {
        header: reports::DocHeader {
            issuer_parent: String::new(),
            issuer: issuer.to_uppercase(),
            place,
            date,
            title: format!(
                "KẾT QUẢ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {} CỦA CÁC CƠ QUAN, ĐƠN VỊ",
                round.year
            ),
            subtitle: Some(match (&round.decision, published) {
                (Some(d), true) => format!(
                    "(Phụ lục kèm theo Quyết định số {d} ngày {})",
                    domain::fmt::date_vn(&date)
                ),
                _ => "(DỰ THẢO — kết quả chưa công bố)".into(),
            }),
        },
        number: String::new(),
        info: Vec::new(),
        tables,
        notes,
    })
}
