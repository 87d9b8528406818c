//! `/kiem-tra/thong-ke` — the inspection statistics of a year per inspected unit (page and
//! Excel file) over [`app::inspection::stats`].

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use chrono::Datelike;
use serde::Deserialize;

use app::inspection::InspectionStats;

use crate::auth::CurrentUser;
use crate::extract::Q;
use crate::routes::task::pages::{header, xlsx as xlsx_response};
use crate::views::Chrome;
use crate::{AppError, AppState};

#[derive(Deserialize, Default)]
pub struct StatsQuery {
    nam: Option<String>,
}

fn year_of(q: &StatsQuery) -> Result<i32, AppError> {
    match q.nam.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(y) => y
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| AppError::bad("Năm không hợp lệ (ví dụ: 2025).")),
        None => Ok(domain::time::today().year()),
    }
}

#[derive(Template)]
#[template(path = "inspection/stats.html")]
struct StatsPage {
    chrome: Chrome,
    s: InspectionStats,
}

/// `GET /kiem-tra/thong-ke?nam=2025`
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<StatsQuery>,
) -> Result<Response, AppError> {
    let year = year_of(&q)?;
    let s = app::inspection::stats(&state, &user.principal, year).await?;
    let page = StatsPage {
        chrome: Chrome::new(
            &user,
            "/kiem-tra",
            format!("Thống kê kiểm tra công tác CCHC năm {year}"),
            None,
        ),
        s,
    };
    Ok(Html(page.render()?).into_response())
}

/// The counts of a line in the order of [`columns`].
fn counts(t: &domain::inspection::Tally) -> Vec<u32> {
    let mut v = vec![t.inspections, t.findings];
    v.extend(&t.by_kind);
    v.extend([
        t.remediation_required,
        t.remediated_on_time,
        t.remediated_late,
        t.awaiting_verification,
        t.in_progress,
        t.overdue,
    ]);
    v
}

fn columns(s: &InspectionStats) -> Vec<String> {
    let mut c = vec!["Số cuộc kiểm tra".to_string(), "Số phát hiện".to_string()];
    c.extend(s.kinds.iter().map(|k| format!("Phát hiện: {k}")));
    c.extend(
        [
            "Phải khắc phục",
            "Khắc phục đúng hạn",
            "Khắc phục quá hạn",
            "Chờ xác nhận",
            "Đang khắc phục",
            "Quá hạn chưa khắc phục",
        ]
        .map(String::from),
    );
    c
}

/// `GET /kiem-tra/thong-ke.xlsx?nam=2025`
pub async fn xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<StatsQuery>,
) -> Result<Response, AppError> {
    let year = year_of(&q)?;
    let s = app::inspection::stats(&state, &user.principal, year).await?;
    let rows: Vec<reports::InspectionStatRow> = s
        .rows
        .iter()
        .map(|r| reports::InspectionStatRow {
            unit: r.unit_name.clone(),
            counts: counts(&r.tally),
            on_time_percent: r.tally.on_time_percent,
        })
        .collect();
    let total = reports::InspectionStatRow {
        unit: String::new(),
        counts: counts(&s.total),
        on_time_percent: s.total.on_time_percent,
    };
    let bytes = reports::inspection_stats_xlsx(
        &header(
            &user,
            "THỐNG KÊ KẾT QUẢ KIỂM TRA CÔNG TÁC CẢI CÁCH HÀNH CHÍNH",
            Some(format!("Năm {year}")),
        ),
        &columns(&s),
        &rows,
        &total,
    )
    .map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
    Ok(xlsx_response(
        bytes,
        &format!("thong-ke-kiem-tra-{year}.xlsx"),
    ))
}
