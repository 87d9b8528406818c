//! Chỉ số cải cách hành chính (PAR INDEX) — the yearly scoring of the province's units:
//! criteria sets as versioned data (`set`), rounds opened by the Sở Nội vụ with their
//! working-day deadlines (`round`), each unit's scorecard with self-assessment and
//! evidence (`card`), the appraisal group's decisions (`appraise`), the system's own
//! figures for the criteria it can compute (`metrics`), and the published results:
//! ranking, criteria below their maximum, year-over-year (`result`).
//!
//! Kế hoạch 574/KH-UBND row 1.4: "Xây dựng phần mềm chấm điểm Cải cách hành chính" (Sở
//! Nội vụ, 2023); 6219/UBND-KSTT item 2: analyse "những tiêu chí chưa đạt điểm tối đa,
//! xác định nguyên nhân, trách nhiệm". Method: domain.md §8, `domain::par`.
//!
//! Access: the Sở Nội vụ (role `so_noi_vu`) manages sets and rounds and alone appraises;
//! province-wide roles read every card; a unit's officers and head see and fill only
//! the cards of their subtree (404 outside it) and the head submits; once a round is
//! published its ranking is open to everyone signed in and to the public portal.

pub mod appendix;
pub mod appraise;
pub mod card;
pub mod history;
pub mod metrics;
pub mod result;
pub mod round;
pub mod set;
pub mod workbook;

pub use appendix::*;
pub use appraise::*;
pub use card::*;
pub use history::*;
pub use result::*;
pub use round::*;
pub use set::*;
pub use workbook::*;

use domain::org::{Principal, Role};
use domain::par::CriteriaSet;
use store::par::{CardRow, RoundRow};

use crate::{App, ServiceError};

/// Rounds: open (units self-assess) → appraisal (the Sở Nội vụ appraises) → published.
pub const ROUND_OPEN: &str = "open";
pub const ROUND_APPRAISAL: &str = "appraisal";
pub const ROUND_PUBLISHED: &str = "published";

/// Cards: draft → submitted (by the unit's head) → returned for explanation (once) →
/// submitted → appraised.
pub const CARD_DRAFT: &str = "draft";
pub const CARD_SUBMITTED: &str = "submitted";
pub const CARD_RETURNED: &str = "returned";
pub const CARD_APPRAISED: &str = "appraised";

/// How many times the appraisal group may send a card back for explanation: once
/// (issue 21: "sends back for explanation once").
pub const MAX_RETURNS: i32 = 1;

pub fn round_status_label(s: &str) -> &'static str {
    match s {
        ROUND_OPEN => "Đang tự đánh giá",
        ROUND_APPRAISAL => "Đang thẩm định",
        ROUND_PUBLISHED => "Đã công bố",
        _ => "Không rõ",
    }
}

pub fn card_status_label(s: &str) -> &'static str {
    match s {
        CARD_DRAFT => "Đang tự chấm",
        CARD_SUBMITTED => "Đã gửi thẩm định",
        CARD_RETURNED => "Trả lại để giải trình",
        CARD_APPRAISED => "Đã thẩm định",
        _ => "Không rõ",
    }
}

/// The reform secretariat of the Sở Nội vụ: opens rounds, appraises, publishes.
pub fn is_secretariat(p: &Principal) -> bool {
    p.has(Role::SoNoiVu)
}

/// Who maintains criteria sets: the Sở Nội vụ, and administrators (imports).
pub fn can_manage_sets(p: &Principal) -> bool {
    p.has(Role::SoNoiVu) || p.is_admin()
}

/// Province-wide readers see every card of every round (leaders, offices, the Sở Nội vụ).
pub fn reads_all(p: &Principal) -> bool {
    p.roles.iter().any(|r| r.is_province_wide())
}

/// A round by id (any signed-in user may see that it exists).
pub async fn round_row(app: &App, id: i64) -> Result<RoundRow, ServiceError> {
    Ok(store::par::round(&app.db, id).await?)
}

/// A card the caller may see: province-wide readers any; others those of their subtree;
/// 404 otherwise so that nothing leaks.
pub async fn visible_card(
    app: &App,
    p: &Principal,
    round_id: i64,
    unit: &str,
) -> Result<(RoundRow, CardRow), ServiceError> {
    let round = round_row(app, round_id).await?;
    let card = store::par::card(&app.db, round_id, unit.trim()).await?;
    if !reads_all(p) && !p.scope().contains(&card.agency_path) {
        return Err(ServiceError::NotFound);
    }
    Ok((round, card))
}

/// The criteria set a card is scored on.
pub async fn set_of(app: &App, set_id: i64) -> Result<CriteriaSet, ServiceError> {
    let row = store::par::set(&app.db, set_id).await?;
    CriteriaSet::from_json(&row.definition_json)
        .map_err(|e| ServiceError::Internal(format!("bộ tiêu chí {}: {e}", row.code)))
}

/// The province's people's committee as it names itself (the root of the agency tree):
/// the issuer of the publishing decision and of its appendix.
pub(crate) async fn province_name(app: &App) -> Result<String, ServiceError> {
    let (root, _) = store::agency::list(
        &app.db,
        &store::agency::AgencyFilter::default(),
        store::Page::new(Some(1), None),
    )
    .await?;
    Ok(root
        .into_iter()
        .next()
        .map_or_else(|| "Ủy ban nhân dân tỉnh".to_string(), |a| a.name))
}

/// A round no longer takes changes once published.
pub(crate) fn refuse_published(round: &RoundRow) -> Result<(), ServiceError> {
    if round.status == ROUND_PUBLISHED {
        return Err(ServiceError::Conflict(format!(
            "Kết quả Chỉ số CCHC năm {} đã công bố; số liệu không sửa được nữa.",
            round.year
        )));
    }
    Ok(())
}

pub(crate) const CARD_MOVED: &str = "Phiếu chấm vừa được người khác cập nhật (gửi, trả lại hoặc thẩm định); vui lòng tải lại trang.";
