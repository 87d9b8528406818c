//! Kết quả — the ranking within each kind of unit, the criteria below their maximum
//! ("những tiêu chí chưa đạt điểm tối đa", 6219/UBND-KSTT item 2) with one-click
//! remediation tasks, and the publication that freezes a
//! round (each scorecard and the ranking as they stood, like the frozen monthly reports;
//! the publishing decision is registered as a directive, the source of remediation tasks).

use std::collections::HashMap;

use chrono::Utc;
use domain::par::{Points, Ranked, UnitKind};
use serde::{Deserialize, Serialize};

use super::*;
use crate::Caller;

/// One unit in the ranking (`GET /api/v1/par/rounds/{id}/ranking`).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RankItem {
    pub unit_code: String,
    pub unit_name: String,
    pub unit_kind: String,
    /// Điểm đạt.
    #[schema(value_type = f64)]
    pub score: Points,
    /// Điểm tối đa áp dụng.
    #[schema(value_type = f64)]
    pub max: Points,
    /// score / max × 100, two decimals.
    pub index: Option<f64>,
    pub rank: u32,
    /// Điểm tự đánh giá.
    #[schema(value_type = f64)]
    pub self_score: Points,
    /// Card status (draft … appraised).
    pub status: String,
    /// Not sent after the self-assessment deadline (rounds not yet published).
    #[serde(default)]
    pub late: bool,
}

/// Ranks the cards of a round within their kind from their items (exact integer sums).
pub(crate) async fn live_ranking(
    app: &App,
    round: &RoundRow,
    cards: &[CardRow],
) -> Result<Vec<RankItem>, ServiceError> {
    let by_card = points_by_card(app, round.id).await?;
    let mut sets = HashMap::new();
    let mut out = Vec::new();
    for k in UnitKind::ALL {
        let mut ranked = Vec::new();
        let mut extra = HashMap::new();
        for c in cards.iter().filter(|c| c.unit_kind == k.code()) {
            if let std::collections::hash_map::Entry::Vacant(e) = sets.entry(c.set_id) {
                e.insert(set_of(app, c.set_id).await?);
            }
            let scores = card::item_points(by_card.get(&c.id).map_or(&[][..], |v| v));
            let (t, _) = domain::par::score::totals(&sets[&c.set_id], &scores);
            extra.insert(c.agency_code.clone(), (t.self_score, c.status.clone()));
            ranked.push(Ranked {
                unit_code: c.agency_code.clone(),
                unit_name: c.agency_name.clone(),
                score: t.score,
                max: t.max,
                index: t.index(),
                rank: 0,
            });
        }
        for r in domain::par::score::rank(ranked) {
            let (self_score, status) = extra.remove(&r.unit_code).unwrap_or_default();
            out.push(RankItem {
                unit_kind: k.code().into(),
                index: r.index.map(|h| h as f64 / 100.0),
                unit_code: r.unit_code,
                unit_name: r.unit_name,
                score: r.score,
                max: r.max,
                rank: r.rank,
                self_score,
                status,
                late: false,
            });
        }
    }
    Ok(out)
}

/// The ranking of a round, of one kind of unit or all (each ranked within its kind).
/// Before publication only province-wide readers see it; after, everyone signed in.
pub async fn ranking(
    app: &App,
    p: &Principal,
    round_id: i64,
    kind: Option<&str>,
) -> Result<Vec<RankItem>, ServiceError> {
    let round = round_row(app, round_id).await?;
    if round.status != ROUND_PUBLISHED && !reads_all(p) {
        return Err(ServiceError::Forbidden(
            "Bảng xếp hạng chỉ xem được sau khi kết quả được công bố.".into(),
        ));
    }
    ranking_of(app, &round, kind).await
}

/// The published ranking, for the public portal (404 before publication).
pub async fn public_ranking(
    app: &App,
    round_id: i64,
    kind: Option<&str>,
) -> Result<(RoundRow, Vec<RankItem>), ServiceError> {
    let round = round_row(app, round_id).await?;
    if round.status != ROUND_PUBLISHED {
        return Err(ServiceError::NotFound);
    }
    let items = ranking_of(app, &round, kind).await?;
    Ok((round, items))
}

/// The published rounds as (id, year), newest first (the portal's choices).
pub async fn published_rounds(app: &App) -> Result<Vec<(i64, i32)>, ServiceError> {
    Ok(store::par::rounds(&app.db)
        .await?
        .into_iter()
        .filter(|r| r.status == ROUND_PUBLISHED)
        .map(|r| (r.id, r.year))
        .collect())
}

pub(super) async fn ranking_of(
    app: &App,
    round: &RoundRow,
    kind: Option<&str>,
) -> Result<Vec<RankItem>, ServiceError> {
    let kind = match kind.map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) => Some(UnitKind::parse(k).ok_or_else(|| {
            ServiceError::bad("Loại đơn vị phải là department, district hoặc commune.")
        })?),
        None => None,
    };
    let all = match (&round.snapshot_json, round.status.as_str()) {
        (Some(json), ROUND_PUBLISHED) => {
            serde_json::from_str::<Vec<RankItem>>(json).map_err(ServiceError::internal)?
        }
        _ => {
            let cards = store::par::cards(&app.db, round.id, None).await?;
            live_ranking(app, round, &cards).await?
        }
    };
    Ok(all
        .into_iter()
        .filter(|r| kind.is_none_or(|k| r.unit_kind == k.code()))
        .collect())
}

/// The frozen scorecard of a published round's card.
pub(crate) async fn frozen_card(
    app: &App,
    card: &CardRow,
) -> Result<Option<Scorecard>, ServiceError> {
    match store::par::card_snapshot(&app.db, card.id).await? {
        Some(json) => Ok(Some(
            serde_json::from_str(&json).map_err(ServiceError::internal)?,
        )),
        None => Ok(None),
    }
}

/// A criterion below its maximum, with the unit it belongs to.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GapOut {
    pub unit_code: String,
    pub unit_name: String,
    pub code: String,
    pub title: String,
    pub area_code: String,
    pub area_title: String,
    #[schema(value_type = f64)]
    pub max: Points,
    #[schema(value_type = f64)]
    pub score: Points,
    /// Điểm bị mất = max − score.
    #[schema(value_type = f64)]
    pub lost: Points,
    pub source: String,
    /// Why the appraisal lowered it, when it did.
    pub appraisal_reason: Option<String>,
    /// The same criterion's score the year before, when that round scored it.
    #[schema(value_type = Option<f64>)]
    pub previous_score: Option<Points>,
}

/// The points of every card of a round, by card id, from one lean read.
async fn points_by_card(
    app: &App,
    round_id: i64,
) -> Result<HashMap<i64, Vec<store::par::ItemPoints>>, ServiceError> {
    let mut by: HashMap<i64, Vec<store::par::ItemPoints>> = HashMap::new();
    for r in store::par::round_points(&app.db, round_id).await? {
        by.entry(r.card_id).or_default().push(r);
    }
    Ok(by)
}

/// Criteria below their maximum: of one unit (anyone who may see its card), or of every
/// unit of the round (province-wide readers), most points lost first; each with the same
/// criterion's score in the round of the year before. Read from the items of the round
/// in one query (a published round's items no longer change, so they are its frozen
/// numbers too).
pub async fn gaps(
    app: &App,
    p: &Principal,
    round_id: i64,
    unit: Option<&str>,
) -> Result<Vec<GapOut>, ServiceError> {
    let round = round_row(app, round_id).await?;
    let cards: Vec<CardRow> = match unit.map(str::trim).filter(|u| !u.is_empty()) {
        Some(u) => vec![visible_card(app, p, round_id, u).await?.1],
        None => {
            if !reads_all(p) {
                return Err(ServiceError::Forbidden(
                    "Chọn đơn vị (unit=…) để xem tiêu chí chưa đạt điểm tối đa.".into(),
                ));
            }
            store::par::cards(&app.db, round_id, None).await?
        }
    };
    let rows = points_by_card(app, round_id).await?;
    let reasons: HashMap<(i64, String), String> = store::par::round_reasons(&app.db, round_id)
        .await?
        .into_iter()
        .map(|(c, code, r)| ((c, code), r))
        .collect();
    // The year before: the same unit's final score per criterion code.
    let mut before: HashMap<String, HashMap<String, Points>> = HashMap::new();
    if let Some(prev) = store::par::round_of_year(&app.db, round.year - 1).await? {
        let prev_rows = points_by_card(app, prev.id).await?;
        let mut sets = HashMap::new();
        for c in store::par::cards(&app.db, prev.id, None).await? {
            if !cards.iter().any(|k| k.agency_code == c.agency_code) {
                continue;
            }
            if let std::collections::hash_map::Entry::Vacant(e) = sets.entry(c.set_id) {
                e.insert(set_of(app, c.set_id).await?);
            }
            let set: &domain::par::CriteriaSet = &sets[&c.set_id];
            let scores = card::item_points(prev_rows.get(&c.id).map_or(&[][..], |v| v));
            let finals = set
                .leaves()
                .iter()
                .filter_map(|l| {
                    let s = scores.get(&l.node.code)?;
                    (!s.not_applicable).then(|| (l.node.code.clone(), s.final_score(l.node)))
                })
                .collect();
            before.insert(c.agency_code.clone(), finals);
        }
    }
    let mut sets = HashMap::new();
    let mut out = Vec::new();
    for c in &cards {
        if let std::collections::hash_map::Entry::Vacant(e) = sets.entry(c.set_id) {
            e.insert(set_of(app, c.set_id).await?);
        }
        let set: &domain::par::CriteriaSet = &sets[&c.set_id];
        let own = rows.get(&c.id).map_or(&[][..], |v| v);
        let scores = card::item_points(own);
        let prev = before.get(&c.agency_code);
        for g in domain::par::score::gaps(set, &scores) {
            out.push(GapOut {
                unit_code: c.agency_code.clone(),
                unit_name: c.agency_name.clone(),
                appraisal_reason: reasons.get(&(c.id, g.code.clone())).cloned(),
                previous_score: prev.and_then(|m| m.get(&g.code).copied()),
                code: g.code,
                title: g.title,
                area_code: g.area_code,
                area_title: g.area_title,
                max: g.max,
                score: g.score,
                lost: g.lost,
                source: g.source.code().into(),
            });
        }
    }
    out.sort_by(|a, b| b.lost.cmp(&a.lost).then(a.unit_code.cmp(&b.unit_code)));
    Ok(out)
}

/// What the Sở Nội vụ gives to publish: the approving decision.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct PublishInput {
    /// Số hiệu, e.g. "123/QĐ-UBND".
    pub decision: String,
    /// dd/mm/yyyy or yyyy-mm-dd.
    pub decision_date: String,
    pub signer_name: Option<String>,
}

/// Publishes a round in appraisal whose every card is appraised: registers the decision,
/// freezes each scorecard and the ranking.
pub async fn publish(
    app: &App,
    caller: &Caller,
    round_id: i64,
    input: &PublishInput,
) -> Result<RoundOut, ServiceError> {
    publish_at(app, caller, round_id, input, Utc::now()).await
}

pub async fn publish_at(
    app: &App,
    caller: &Caller,
    round_id: i64,
    input: &PublishInput,
    t: chrono::DateTime<Utc>,
) -> Result<RoundOut, ServiceError> {
    if !is_secretariat(&caller.principal) {
        return Err(ServiceError::Forbidden(
            "Chỉ Sở Nội vụ được công bố kết quả Chỉ số CCHC.".into(),
        ));
    }
    let round = round_row(app, round_id).await?;
    refuse_published(&round)?;
    if round.status != ROUND_APPRAISAL {
        return Err(ServiceError::Conflict(
            "Chỉ công bố được kỳ chấm điểm đã qua thẩm định.".into(),
        ));
    }
    let mut c = domain::validate::Checker::new();
    let decision = c.required("decision", "Số quyết định công bố", &input.decision, 60);
    let date = c.date("decision_date", "Ngày quyết định", &input.decision_date);
    let signer = c.optional("signer_name", "Người ký", input.signer_name.as_deref(), 120);
    if !c.is_ok() {
        return Err(ServiceError::Invalid(c.errors));
    }
    let cards = store::par::cards(&app.db, round_id, None).await?;
    let pending = cards.iter().filter(|c| c.status != CARD_APPRAISED).count();
    if pending > 0 {
        return Err(ServiceError::Conflict(format!(
            "Còn {pending} đơn vị chưa thẩm định xong; chưa công bố được."
        )));
    }
    let ranking = live_ranking(app, &round, &cards).await?;
    let metrics = super::metrics::for_units(app, round.year, &cards).await?;
    let mut frozen = Vec::with_capacity(cards.len());
    let mut sets = HashMap::new();
    for card in &cards {
        if let std::collections::hash_map::Entry::Vacant(e) = sets.entry(card.set_id) {
            let row = store::par::set(&app.db, card.set_id).await?;
            e.insert((set_of(app, card.set_id).await?, row.demo));
        }
        let (set, demo) = &sets[&card.set_id];
        let rows = store::par::scores(&app.db, card.id).await?;
        let evidence = store::par::evidence(&app.db, card.id).await?;
        let mut s = card::build(
            &round,
            card,
            set,
            *demo,
            &rows,
            &evidence,
            &metrics.get(&card.agency_id).cloned().unwrap_or_default(),
        );
        s.round_status = ROUND_PUBLISHED.into();
        frozen.push((
            card.id,
            serde_json::to_string(&s).map_err(ServiceError::internal)?,
        ));
    }
    // The decision, as a directive: remediation tasks cite it.
    let issuer = province_name(app).await?;
    let directive = crate::directive::create(
        app,
        caller,
        &crate::directive::DirectiveBody {
            number: decision.clone(),
            doc_type: "Quyết định".into(),
            issuer,
            place: None,
            date: date.map(|d| d.to_string()).unwrap_or_default(),
            subject: format!(
                "Công bố kết quả xác định Chỉ số cải cách hành chính năm {} của các cơ quan, đơn vị",
                round.year
            ),
            signer_name: signer,
            signer_title: None,
            signer_authority: None,
            recipients: Vec::new(),
            cited_documents: Vec::new(),
        },
    )
    .await?;
    let json = serde_json::to_string(&ranking).map_err(ServiceError::internal)?;
    store::par::publish(
        &app.db,
        round_id,
        &store::par::Publication {
            decision: decision.clone(),
            directive_id: Some(directive.id),
            ranking_json: json,
            cards: frozen,
        },
        &caller.actor(),
        t,
    )
    .await
    .map_err(ServiceError::stale_as(
        "Kỳ chấm điểm vừa thay đổi (một phiếu được mở lại thẩm định hoặc đã công bố); vui lòng tải lại trang.",
    ))?;
    get_round(app, round_id).await
}

/// One click from a gap: a task for the unit to fix the criterion, under the publishing
/// decision, due in `days` working days (default 30).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct RemediationInput {
    pub unit: String,
    pub code: String,
    /// dd/mm/yyyy or yyyy-mm-dd; default 30 working days from today.
    pub deadline: Option<String>,
}

pub const REMEDIATION_DAYS: u32 = 30;

pub async fn create_remediation(
    app: &App,
    caller: &Caller,
    round_id: i64,
    input: &RemediationInput,
) -> Result<store::task::Task, ServiceError> {
    let p = &caller.principal;
    if !p.can_assign_tasks() {
        return Err(ServiceError::Forbidden(
            "Chỉ cơ quan giao nhiệm vụ (Sở Nội vụ, VP UBND tỉnh, lãnh đạo tỉnh) được giao nhiệm vụ khắc phục.".into(),
        ));
    }
    let round = round_row(app, round_id).await?;
    let Some(directive_id) = round
        .directive_id
        .filter(|_| round.status == ROUND_PUBLISHED)
    else {
        return Err(ServiceError::Conflict(
            "Chỉ giao nhiệm vụ khắc phục sau khi kết quả được công bố.".into(),
        ));
    };
    let g = gaps(app, p, round_id, Some(&input.unit)).await?;
    let Some(gap) = g.iter().find(|x| x.code == input.code.trim()) else {
        return Err(ServiceError::invalid(
            "code",
            format!(
                "Tiêu chí {} của đơn vị đã đạt điểm tối đa hoặc không có.",
                input.code
            ),
        ));
    };
    let (_, card) = visible_card(app, p, round_id, &input.unit).await?;
    let deadline = match input.deadline.as_deref().filter(|d| !d.trim().is_empty()) {
        Some(d) => d.to_string(),
        None => {
            let cal = app.calendar.get(&app.db).await?;
            cal.add_working_days(domain::time::day_of(Utc::now()), REMEDIATION_DAYS)
                .map_err(|e| ServiceError::bad(e.to_string()))?
                .to_string()
        }
    };
    crate::task::assign(
        app,
        caller,
        crate::task::TaskBody {
            directive_id,
            content: format!(
                "Khắc phục tiêu chí {} “{}” (Chỉ số CCHC năm {}: đạt {}/{} điểm, mất {} điểm){}",
                gap.code,
                gap.title,
                round.year,
                gap.score.vn(),
                gap.max.vn(),
                gap.lost.vn(),
                gap.appraisal_reason
                    .as_deref()
                    .map(|r| format!("; lý do thẩm định: {r}"))
                    .unwrap_or_default()
            ),
            lead_agency_id: card.agency_id,
            support_agency_ids: Vec::new(),
            deadline: Some(deadline),
            deadline_text: None,
            recurrence: None,
            item_ref: Some(format!("Chỉ số CCHC {} – {}", round.year, gap.code)),
            parent_id: None,
        },
    )
    .await
}

/// What the round's page shows the caller: the ranking when they may see it (province
/// roles; everyone after publication), otherwise the totals of the cards of their
/// subtree without ranks.
#[derive(Debug, Clone, Serialize)]
pub struct RoundOverview {
    pub round: RoundOut,
    pub rows: Vec<RankItem>,
    pub ranked: bool,
    /// Cards still not sent after the self-assessment deadline.
    pub late: usize,
}

/// A card is late when the unit has not sent it (draft, or returned and not sent again)
/// after the round's self-assessment deadline, while the round is not published.
pub fn mark_late(round: &RoundOut, rows: &mut [RankItem], today: chrono::NaiveDate) -> usize {
    let mut n = 0;
    for r in rows.iter_mut() {
        r.late = round.status != ROUND_PUBLISHED
            && (r.status == CARD_DRAFT || r.status == CARD_RETURNED)
            && today > round.self_due_on;
        n += usize::from(r.late);
    }
    n
}

pub async fn round_overview(
    app: &App,
    p: &Principal,
    round_id: i64,
) -> Result<RoundOverview, ServiceError> {
    let round = get_round(app, round_id).await?;
    let today = domain::time::day_of(Utc::now());
    if round.status == ROUND_PUBLISHED || reads_all(p) {
        let mut rows = ranking(app, p, round_id, None).await?;
        let late = mark_late(&round, &mut rows, today);
        return Ok(RoundOverview {
            round,
            rows,
            ranked: true,
            late,
        });
    }
    // The caller's own cards, totalled like the ranking (one read of the round's items),
    // without ranks: the ranking is not theirs to see before publication.
    let row = round_row(app, round_id).await?;
    let cards = cards_for(app, p, round_id).await?;
    let mut rows = live_ranking(app, &row, &cards).await?;
    for r in &mut rows {
        r.rank = 0;
    }
    let late = mark_late(&round, &mut rows, today);
    Ok(RoundOverview {
        round,
        rows,
        ranked: false,
        late,
    })
}
