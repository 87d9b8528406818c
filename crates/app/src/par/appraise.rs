//! Thẩm định — the Sở Nội vụ's appraisal group on a submitted card: confirms or adjusts
//! each score with a reason (or marks an item as not applying to the unit), sends the
//! card back once for explanation, closes it; imports the survey's scores.
//!
//! Only the Sở Nội vụ appraises ("Tổ công tác liên ngành do Sở Nội vụ chủ trì thẩm
//! định", domain.md §8 step 3). Every adjustment is audited with before, after and reason.

use domain::par::{Points, Source};
use serde::Deserialize;

use super::*;
use crate::Caller;

/// One decision of the appraisal group on one item.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct AppraiseItem {
    pub code: String,
    /// Điểm thẩm định (points, "1,25" or 1.25). Empty: confirm the unit's own score.
    pub score: Option<String>,
    /// The item does not apply to this unit: it leaves the unit's maximum.
    #[serde(default)]
    pub not_applicable: bool,
    /// Required when the score differs from the unit's or the item is set aside.
    pub reason: Option<String>,
}

fn require_appraiser(p: &Principal, round: &RoundRow, card: &CardRow) -> Result<(), ServiceError> {
    refuse_published(round)?;
    if !is_secretariat(p) {
        return Err(ServiceError::Forbidden(
            "Chỉ tổ thẩm định của Sở Nội vụ được thẩm định Chỉ số CCHC.".into(),
        ));
    }
    if card.status != CARD_SUBMITTED {
        return Err(ServiceError::Conflict(format!(
            "Phiếu chấm đang ở trạng thái “{}”; chỉ thẩm định được phiếu đã gửi.",
            card_status_label(&card.status)
        )));
    }
    Ok(())
}

const APPRAISE_GUARD: store::par::Guard<'static> = store::par::Guard {
    card_statuses: &[CARD_SUBMITTED],
    round_statuses: &[ROUND_OPEN, ROUND_APPRAISAL],
};

/// Records the appraisal of some items (all or nothing).
pub async fn appraise(
    app: &App,
    caller: &Caller,
    round_id: i64,
    unit: &str,
    items: &[AppraiseItem],
) -> Result<Scorecard, ServiceError> {
    let p = &caller.principal;
    let (round, card) = visible_card(app, p, round_id, unit).await?;
    require_appraiser(p, &round, &card)?;
    if items.is_empty() || items.len() > 2_000 {
        return Err(ServiceError::bad(
            "Số tiêu chí thẩm định trong một lần lưu không hợp lệ.",
        ));
    }
    let set = set_of(app, card.set_id).await?;
    let rows = store::par::scores(&app.db, card.id).await?;
    let current = item_scores(&rows);
    let mut c = domain::validate::Checker::new();
    let mut writes = Vec::new();
    for it in items {
        let field = format!("items.{}", it.code);
        let Some(leaf) = set.leaf(it.code.trim()) else {
            c.fail(
                &field,
                format!("Không có tiêu chí chấm điểm mã “{}”.", it.code),
            );
            continue;
        };
        let n = leaf.node;
        let now = current.get(&n.code).cloned().unwrap_or_default();
        let reason = c.optional(
            &format!("{field}.reason"),
            "Lý do",
            it.reason.as_deref(),
            2_000,
        );
        if n.source == Source::Survey && !it.not_applicable {
            c.fail(
                &field,
                format!(
                    "Tiêu chí {} lấy điểm điều tra xã hội học, không thẩm định.",
                    n.code
                ),
            );
            continue;
        }
        let score = match it.score.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => match Points::parse(s)
                .map_err(|e| format!("Tiêu chí {}: {e}", n.code))
                .and_then(|p| domain::par::score::check_points(n, p).map(|_| p))
            {
                Ok(p) => Some(p),
                Err(m) => {
                    c.fail(&field, m);
                    continue;
                }
            },
            None => now.self_score,
        };
        if score.is_none() && !it.not_applicable {
            c.fail(
                &field,
                format!(
                    "Tiêu chí {} chưa có điểm tự đánh giá; nhập điểm thẩm định.",
                    n.code
                ),
            );
            continue;
        }
        let differs = it.not_applicable || score != now.self_score;
        if differs && reason.is_none() {
            c.fail(
                &format!("{field}.reason"),
                format!("Tiêu chí {}: điều chỉnh điểm phải nêu lý do.", n.code),
            );
            continue;
        }
        let row = rows.iter().find(|r| r.code == n.code);
        let same = now.not_applicable == it.not_applicable
            && (it.not_applicable || now.appraised == score)
            && row.and_then(|r| r.appraisal_reason.clone()) == reason;
        if same {
            continue;
        }
        writes.push(store::par::ItemWrite {
            code: n.code.clone(),
            appraised: Some(if it.not_applicable {
                None
            } else {
                score.map(Points::hundredths)
            }),
            appraisal_reason: reason,
            not_applicable: Some(it.not_applicable),
            ..Default::default()
        });
    }
    if !c.is_ok() {
        return Err(ServiceError::Invalid(c.errors));
    }
    if writes.is_empty() {
        return scorecard(app, p, round_id, unit).await;
    }
    store::par::write_items(
        &app.db,
        card.id,
        APPRAISE_GUARD,
        &writes,
        "appraise",
        &caller.actor(),
        store::now(),
    )
    .await
    .map_err(ServiceError::stale_as(CARD_MOVED))?;
    scorecard(app, p, round_id, unit).await
}

/// Sends a submitted card back to its unit for explanation, once.
pub async fn return_card(
    app: &App,
    caller: &Caller,
    round_id: i64,
    unit: &str,
    reason: &str,
) -> Result<Scorecard, ServiceError> {
    let p = &caller.principal;
    let (round, card) = visible_card(app, p, round_id, unit).await?;
    require_appraiser(p, &round, &card)?;
    let mut c = domain::validate::Checker::new();
    let reason = c.required("reason", "Nội dung cần giải trình", reason, 2_000);
    if !c.is_ok() {
        return Err(ServiceError::Invalid(c.errors));
    }
    if card.return_count >= MAX_RETURNS {
        return Err(ServiceError::Conflict(
            "Phiếu chấm đã được trả lại giải trình một lần; tổ thẩm định kết luận trên hồ sơ hiện có."
                .into(),
        ));
    }
    store::par::card_status(
        &app.db,
        &card,
        CARD_RETURNED,
        Some(&reason),
        &caller.actor(),
        store::now(),
    )
    .await
    .map_err(ServiceError::stale_as(CARD_MOVED))?;
    scorecard(app, p, round_id, unit).await
}

/// Closes the appraisal of a card: every item the unit scored keeps its appraised score,
/// or the unit's own when the group confirmed it without a change.
pub async fn finish_appraisal(
    app: &App,
    caller: &Caller,
    round_id: i64,
    unit: &str,
) -> Result<Scorecard, ServiceError> {
    let p = &caller.principal;
    let (round, card) = visible_card(app, p, round_id, unit).await?;
    require_appraiser(p, &round, &card)?;
    let set = set_of(app, card.set_id).await?;
    let rows = store::par::scores(&app.db, card.id).await?;
    let current = item_scores(&rows);
    // Items the group did not touch are confirmed as the unit scored them.
    let confirm: Vec<store::par::ItemWrite> = set
        .leaves()
        .iter()
        .filter(|l| l.node.source != Source::Survey)
        .filter_map(|l| {
            let s = current.get(&l.node.code)?;
            (s.appraised.is_none() && !s.not_applicable && s.self_score.is_some()).then(|| {
                store::par::ItemWrite {
                    code: l.node.code.clone(),
                    appraised: Some(s.self_score.map(Points::hundredths)),
                    appraisal_reason: None,
                    ..Default::default()
                }
            })
        })
        .collect();
    if !confirm.is_empty() {
        store::par::write_items(
            &app.db,
            card.id,
            APPRAISE_GUARD,
            &confirm,
            "appraise",
            &caller.actor(),
            store::now(),
        )
        .await
        .map_err(ServiceError::stale_as(CARD_MOVED))?;
    }
    store::par::card_status(
        &app.db,
        &card,
        CARD_APPRAISED,
        None,
        &caller.actor(),
        store::now(),
    )
    .await
    .map_err(ServiceError::stale_as(CARD_MOVED))?;
    scorecard(app, p, round_id, unit).await
}

/// Reopens the appraisal of a card before publication.
pub async fn reopen_appraisal(
    app: &App,
    caller: &Caller,
    round_id: i64,
    unit: &str,
) -> Result<Scorecard, ServiceError> {
    let p = &caller.principal;
    let (round, card) = visible_card(app, p, round_id, unit).await?;
    refuse_published(&round)?;
    if !is_secretariat(p) {
        return Err(ServiceError::Forbidden(
            "Chỉ tổ thẩm định của Sở Nội vụ được mở lại thẩm định.".into(),
        ));
    }
    if card.status != CARD_APPRAISED {
        return Err(ServiceError::Conflict(
            "Phiếu chấm chưa thẩm định xong.".into(),
        ));
    }
    store::par::card_status(
        &app.db,
        &card,
        CARD_SUBMITTED,
        None,
        &caller.actor(),
        store::now(),
    )
    .await
    .map_err(ServiceError::stale_as(CARD_MOVED))?;
    scorecard(app, p, round_id, unit).await
}

/// Imports survey scores (điều tra xã hội học, SIPAS) from CSV text: a header line, then
/// `mã đơn vị, mã tiêu chí, điểm` per line (comma, semicolon or tab). All lines are
/// checked first; one bad line and nothing is saved (422 naming each line). Returns the
/// number of scores written.
pub async fn import_survey(
    app: &App,
    caller: &Caller,
    round_id: i64,
    text: &str,
) -> Result<usize, ServiceError> {
    if text.len() > 2 * 1024 * 1024 {
        return Err(ServiceError::TooLarge(
            "Tệp điểm điều tra vượt quá 2 MB.".into(),
        ));
    }
    import_survey_file(app, caller, round_id, "", text.as_bytes().to_vec()).await
}

/// [`import_survey`] from an uploaded file: an Excel workbook (first sheet) or CSV.
pub async fn import_survey_file(
    app: &App,
    caller: &Caller,
    round_id: i64,
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<usize, ServiceError> {
    let p = &caller.principal;
    if !is_secretariat(p) {
        return Err(ServiceError::Forbidden(
            "Chỉ Sở Nội vụ được nhập điểm điều tra xã hội học.".into(),
        ));
    }
    let round = round_row(app, round_id).await?;
    refuse_published(&round)?;
    let table = super::workbook::table_rows(file_name, bytes).await?;
    let cards = store::par::cards(&app.db, round_id, None).await?;
    let mut sets = std::collections::HashMap::new();
    let mut c = domain::validate::Checker::new();
    let mut rows = Vec::new();
    for (k, (n, raw)) in table.iter().enumerate() {
        let i = n - 1;
        if raw.iter().all(|x| x.trim().is_empty()) {
            continue;
        }
        let cells: Vec<&str> = raw.iter().map(|x| x.trim()).collect();
        let field = format!("line.{n}");
        if cells.len() < 3 {
            c.fail(
                &field,
                format!("Dòng {n}: cần 3 cột (mã đơn vị, mã tiêu chí, điểm)."),
            );
            continue;
        }
        // The header (or any line whose score is not a number, on the first line).
        if k == 0 && Points::parse(cells[2]).is_err() {
            continue;
        }
        let Some(card) = cards.iter().find(|k| k.agency_code == cells[0]) else {
            c.fail(
                &field,
                format!(
                    "Dòng {}: đơn vị “{}” không có trong kỳ chấm điểm.",
                    i + 1,
                    cells[0]
                ),
            );
            continue;
        };
        if let std::collections::hash_map::Entry::Vacant(e) = sets.entry(card.set_id) {
            e.insert(set_of(app, card.set_id).await?);
        }
        let set = &sets[&card.set_id];
        let Some(leaf) = set.leaf(cells[1]) else {
            c.fail(
                &field,
                format!("Dòng {}: không có tiêu chí mã “{}”.", i + 1, cells[1]),
            );
            continue;
        };
        if leaf.node.source != Source::Survey {
            c.fail(
                &field,
                format!(
                    "Dòng {}: tiêu chí {} không chấm bằng điều tra xã hội học.",
                    i + 1,
                    cells[1]
                ),
            );
            continue;
        }
        match Points::parse(cells[2])
            .and_then(|pt| domain::par::score::check_points(leaf.node, pt).map(|_| pt))
        {
            Ok(pt) => rows.push((card.id, leaf.node.code.clone(), pt.hundredths())),
            Err(m) => c.fail(&field, format!("Dòng {}: {m}", i + 1)),
        }
    }
    if !c.is_ok() {
        return Err(ServiceError::Invalid(c.errors));
    }
    if rows.is_empty() {
        return Err(ServiceError::bad("Tệp không có dòng điểm điều tra nào."));
    }
    store::par::survey_scores(&app.db, round_id, &rows, &caller.actor(), store::now())
        .await
        .map_err(ServiceError::stale_as(
            "Kỳ chấm điểm vừa được công bố; không nhập thêm điểm được.",
        ))?;
    Ok(rows.len())
}
