//! Phiếu chấm — a unit's scorecard in a round: every criterion with the unit's answer and
//! explanation, its evidence, the system's own figure where it has one, the survey's and
//! the appraisal's scores; totals recomputed exactly from the items. The unit's officers
//! fill it in; its head submits it.

use std::collections::HashMap;

use domain::org::Role;
use domain::par::{CriteriaSet, ItemScore, Metric, Points, RuleKind, Source, UnitKind};
use serde::{Deserialize, Serialize};
use store::par::{CardRow, EvidenceRow, RoundRow, ScoreRow};

use super::*;
use crate::Caller;

/// Totals of a unit or an area. `index` = score / max × 100 with two decimals.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TotalsOut {
    #[schema(value_type = f64)]
    pub score: Points,
    #[schema(value_type = f64)]
    pub max: Points,
    #[schema(value_type = f64)]
    pub self_score: Points,
    pub index: Option<f64>,
    /// Items the unit has not answered yet.
    pub unanswered: usize,
}

impl TotalsOut {
    pub fn of(t: &domain::par::Totals) -> TotalsOut {
        TotalsOut {
            score: t.score,
            max: t.max,
            self_score: t.self_score,
            index: t.index().map(|h| h as f64 / 100.0),
            unanswered: t.unanswered,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AreaOut {
    pub code: String,
    pub title: String,
    #[serde(flatten)]
    pub totals: TotalsOut,
}

/// One piece of evidence (tài liệu kiểm chứng).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EvidenceOut {
    pub id: i64,
    /// file | link | task | directive
    pub kind: String,
    pub label: String,
    /// Where to open it.
    pub url: String,
}

fn evidence_out(e: &EvidenceRow) -> EvidenceOut {
    let url = match e.kind.as_str() {
        "file" => format!("/tep/{}", e.file_id.unwrap_or_default()),
        "task" => format!("/nhiem-vu/{}", e.ref_id.unwrap_or_default()),
        "directive" => format!("/van-ban/{}", e.ref_id.unwrap_or_default()),
        _ => e.url.clone().unwrap_or_default(),
    };
    EvidenceOut {
        id: e.id,
        kind: e.kind.clone(),
        label: e.label.clone(),
        url,
    }
}

/// One node of the card: a heading (lĩnh vực, tiêu chí) or a scored item.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ItemOut {
    pub code: String,
    pub title: String,
    pub area_code: String,
    /// 0 = lĩnh vực.
    pub depth: usize,
    /// Scored (a leaf); headings carry their subtotal in `final_score`.
    pub leaf: bool,
    #[schema(value_type = f64)]
    pub max: Points,
    /// self | survey | computed
    pub source: String,
    pub source_label: String,
    pub rule_kind: String,
    pub rule_label: String,
    pub rule_text: Option<String>,
    /// The answers the rule takes (yes/no, levels); empty for ratios and points.
    pub options: Vec<String>,
    pub evidence_required: Option<String>,
    pub metric: Option<String>,
    pub metric_label: Option<String>,
    pub self_value: Option<String>,
    #[schema(value_type = Option<f64>)]
    pub self_score: Option<Points>,
    pub self_note: Option<String>,
    #[schema(value_type = Option<f64>)]
    pub appraised_score: Option<Points>,
    pub appraisal_reason: Option<String>,
    pub appraised_by: Option<String>,
    #[schema(value_type = Option<f64>)]
    pub survey_score: Option<Points>,
    /// The system's figure (a percentage) for a computed item.
    pub computed_value: Option<f64>,
    /// Its points by the item's rule.
    #[schema(value_type = Option<f64>)]
    pub computed_score: Option<Points>,
    /// Where the system's figure can be checked (the indicator page, the unit's tasks…).
    #[serde(default)]
    pub computed_link: Option<String>,
    pub not_applicable: bool,
    /// The score that counts (subtotal for a heading).
    #[schema(value_type = f64)]
    pub final_score: Points,
    pub evidence: Vec<EvidenceOut>,
}

/// A unit's scorecard (`GET /api/v1/par/rounds/{id}/units/{code}`).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Scorecard {
    pub round_id: i64,
    pub year: i32,
    pub round_status: String,
    pub unit_code: String,
    pub unit_name: String,
    pub unit_kind: String,
    pub unit_kind_label: String,
    /// draft | submitted | returned | appraised
    pub status: String,
    pub status_label: String,
    pub set_id: i64,
    pub set_title: String,
    pub set_demo: bool,
    pub submitted_by: Option<String>,
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
    pub returned_at: Option<chrono::DateTime<chrono::Utc>>,
    pub return_reason: Option<String>,
    pub return_count: i32,
    pub appraised_by: Option<String>,
    pub appraised_at: Option<chrono::DateTime<chrono::Utc>>,
    pub totals: TotalsOut,
    pub areas: Vec<AreaOut>,
    pub criteria: Vec<ItemOut>,
    /// Read from the snapshot frozen at publication.
    pub frozen: bool,
    /// What the caller may do now (for pages and clients).
    #[serde(default)]
    pub can_edit: bool,
    #[serde(default)]
    pub can_submit: bool,
    #[serde(default)]
    pub can_appraise: bool,
}

/// Item scores from the lean rows of a round (`store::par::round_points`).
pub(crate) fn item_points(rows: &[store::par::ItemPoints]) -> HashMap<String, ItemScore> {
    rows.iter()
        .map(|r| {
            (
                r.code.clone(),
                ItemScore {
                    not_applicable: r.not_applicable,
                    self_score: r.self_score.map(Points),
                    appraised: r.appraised_score.map(Points),
                    survey: r.survey_score.map(Points),
                },
            )
        })
        .collect()
}

pub(crate) fn item_scores(rows: &[ScoreRow]) -> HashMap<String, ItemScore> {
    rows.iter()
        .map(|r| {
            (
                r.code.clone(),
                ItemScore {
                    not_applicable: r.not_applicable,
                    self_score: r.self_score.map(Points),
                    appraised: r.appraised_score.map(Points),
                    survey: r.survey_score.map(Points),
                },
            )
        })
        .collect()
}

/// Builds the scorecard from its rows. `metrics`: the unit's computed figures.
pub(crate) fn build(
    round: &RoundRow,
    card: &CardRow,
    set: &CriteriaSet,
    set_demo: bool,
    rows: &[ScoreRow],
    evidence: &[EvidenceRow],
    metrics: &HashMap<Metric, f64>,
) -> Scorecard {
    let scores = item_scores(rows);
    let by_code: HashMap<&str, &ScoreRow> = rows.iter().map(|r| (r.code.as_str(), r)).collect();
    let (totals, areas) = domain::par::score::totals(set, &scores);
    let empty = ItemScore::default();
    let mut criteria = Vec::new();
    fn subtotal(n: &domain::par::Node, scores: &HashMap<String, ItemScore>) -> Points {
        if n.is_leaf() {
            scores
                .get(&n.code)
                .map(|s| s.final_score(n))
                .unwrap_or_default()
        } else {
            n.items.iter().map(|c| subtotal(c, scores)).sum()
        }
    }
    let area_of: HashMap<&str, &str> = set
        .leaves()
        .iter()
        .map(|l| (l.node.code.as_str(), l.area.code.as_str()))
        .collect();
    let mut current_area = String::new();
    for (n, depth) in set.nodes() {
        if depth == 0 {
            current_area = n.code.clone();
        }
        let row = by_code.get(n.code.as_str());
        let s = scores.get(&n.code).unwrap_or(&empty);
        let computed_value = n.metric.and_then(|m| metrics.get(&m).copied());
        let computed_score = computed_value
            .filter(|_| n.rule.kind == RuleKind::Ratio)
            .map(|v| domain::par::score::ratio_points(n, v));
        let options = match n.rule.kind {
            RuleKind::YesNo => vec!["Có".to_string(), "Không".to_string()],
            RuleKind::Levels => n.rule.levels.iter().map(|l| l.label.clone()).collect(),
            _ => Vec::new(),
        };
        criteria.push(ItemOut {
            code: n.code.clone(),
            title: n.title.clone(),
            area_code: area_of
                .get(n.code.as_str())
                .map_or(current_area.clone(), |a| a.to_string()),
            depth,
            leaf: n.is_leaf(),
            max: n.max,
            source: n.source.code().into(),
            source_label: n.source.label().into(),
            rule_kind: format!("{:?}", n.rule.kind).to_lowercase(),
            rule_label: n.rule.kind.label().into(),
            rule_text: n.rule.text.clone(),
            options,
            evidence_required: n.evidence.clone(),
            metric: n.metric.map(|m| {
                serde_json::to_value(m)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default()
            }),
            metric_label: n.metric.map(|m| m.label().to_string()),
            self_value: row.and_then(|r| r.self_value.clone()),
            self_score: s.self_score,
            self_note: row.and_then(|r| r.self_note.clone()),
            appraised_score: s.appraised,
            appraisal_reason: row.and_then(|r| r.appraisal_reason.clone()),
            appraised_by: row.and_then(|r| r.appraised_by.clone()),
            survey_score: s.survey,
            computed_value,
            computed_score,
            computed_link: n.metric.map(|m| super::metrics::link(m, card, round.year)),
            not_applicable: s.not_applicable,
            final_score: subtotal(n, &scores),
            evidence: evidence
                .iter()
                .filter(|e| e.code == n.code)
                .map(evidence_out)
                .collect(),
        });
    }
    let kind = UnitKind::parse(&card.unit_kind);
    Scorecard {
        round_id: round.id,
        year: round.year,
        round_status: round.status.clone(),
        unit_code: card.agency_code.clone(),
        unit_name: card.agency_name.clone(),
        unit_kind: card.unit_kind.clone(),
        unit_kind_label: kind.map_or("", UnitKind::label).into(),
        status: card.status.clone(),
        status_label: card_status_label(&card.status).into(),
        set_id: card.set_id,
        set_title: set.title.clone(),
        set_demo,
        submitted_by: card.submitted_by.clone(),
        submitted_at: card.submitted_at,
        returned_at: card.returned_at,
        return_reason: card.return_reason.clone(),
        return_count: card.return_count,
        appraised_by: card.appraised_by.clone(),
        appraised_at: card.appraised_at,
        totals: TotalsOut::of(&totals),
        areas: set
            .areas
            .iter()
            .zip(areas.iter())
            .map(|(a, t)| AreaOut {
                code: a.code.clone(),
                title: a.title.clone(),
                totals: TotalsOut::of(t),
            })
            .collect(),
        criteria,
        frozen: false,
        can_edit: false,
        can_submit: false,
        can_appraise: false,
    }
}

/// May the caller fill in this card now: officers and heads of the unit, while the card
/// is a draft or returned and the round is not published.
pub fn may_edit(p: &Principal, round: &RoundRow, card: &CardRow) -> bool {
    round.status != ROUND_PUBLISHED
        && (card.status == CARD_DRAFT || card.status == CARD_RETURNED)
        && (p.has(Role::ChuyenVien) || p.has(Role::LanhDaoDonVi))
        && card.agency_path.starts_with(p.agency_path.as_str())
}

/// The unit's head submits (tự đánh giá is approved by the head, CV 383/BNV-CCHC model).
pub fn may_submit(p: &Principal, round: &RoundRow, card: &CardRow) -> bool {
    may_edit(p, round, card) && p.has(Role::LanhDaoDonVi)
}

/// The appraisal group of the Sở Nội vụ, on a submitted card of an unpublished round.
pub fn may_appraise(p: &Principal, round: &RoundRow, card: &CardRow) -> bool {
    round.status != ROUND_PUBLISHED && card.status == CARD_SUBMITTED && is_secretariat(p)
}

/// The scorecard of a unit in a round, as the caller may see it; a published round's
/// from its frozen snapshot.
pub async fn scorecard(
    app: &App,
    p: &Principal,
    round_id: i64,
    unit: &str,
) -> Result<Scorecard, ServiceError> {
    let (round, card) = visible_card(app, p, round_id, unit).await?;
    if round.status == ROUND_PUBLISHED
        && let Some(mut s) = super::result::frozen_card(app, &card).await?
    {
        s.frozen = true;
        return Ok(s);
    }
    let mut s = live_card(app, &round, &card).await?;
    s.can_edit = may_edit(p, &round, &card);
    s.can_submit = may_submit(p, &round, &card);
    s.can_appraise = may_appraise(p, &round, &card);
    Ok(s)
}

/// The scorecard from the live tables (no access check: callers have done it).
pub(crate) async fn live_card(
    app: &App,
    round: &RoundRow,
    card: &CardRow,
) -> Result<Scorecard, ServiceError> {
    let set_row = store::par::set(&app.db, card.set_id).await?;
    let set = set_of(app, card.set_id).await?;
    let rows = store::par::scores(&app.db, card.id).await?;
    let evidence = store::par::evidence(&app.db, card.id).await?;
    let metrics = super::metrics::for_units(app, round.year, std::slice::from_ref(card))
        .await?
        .remove(&card.agency_id)
        .unwrap_or_default();
    Ok(build(
        round,
        card,
        &set,
        set_row.demo,
        &rows,
        &evidence,
        &metrics,
    ))
}

/// One answer of the unit.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct SelfItem {
    /// Criterion code (a scored item).
    pub code: String,
    /// "Có"/"Không", a level's label, a percentage, or points — as the item's rule takes.
    pub value: String,
    /// Giải trình: how the unit reached it, what the evidence shows.
    pub note: Option<String>,
}

/// Saves the unit's answers (all or nothing: one bad answer and nothing is saved).
pub async fn save_self(
    app: &App,
    caller: &Caller,
    round_id: i64,
    unit: &str,
    items: &[SelfItem],
) -> Result<Scorecard, ServiceError> {
    let p = &caller.principal;
    let (round, card) = visible_card(app, p, round_id, unit).await?;
    refuse_published(&round)?;
    if !may_edit(p, &round, &card) {
        return Err(
            if card.status == CARD_SUBMITTED || card.status == CARD_APPRAISED {
                ServiceError::Conflict(
                    "Phiếu chấm đã gửi thẩm định; chỉ sửa được khi được trả lại để giải trình."
                        .into(),
                )
            } else {
                ServiceError::Forbidden("Chỉ cán bộ của đơn vị được tự chấm điểm phiếu này.".into())
            },
        );
    }
    if items.is_empty() {
        return Err(ServiceError::bad("Chưa có tiêu chí nào để lưu."));
    }
    if items.len() > 2_000 {
        return Err(ServiceError::bad("Quá nhiều tiêu chí trong một lần lưu."));
    }
    let set = set_of(app, card.set_id).await?;
    let rows = store::par::scores(&app.db, card.id).await?;
    let current: HashMap<&str, &ScoreRow> = rows.iter().map(|r| (r.code.as_str(), r)).collect();
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
        if leaf.node.source == Source::Survey {
            c.fail(
                &field,
                format!(
                    "Tiêu chí {} chấm bằng điều tra xã hội học; đơn vị không tự chấm.",
                    leaf.node.code
                ),
            );
            continue;
        }
        let value = c.required(&field, "Điểm tự đánh giá", &it.value, 50);
        let note = c.optional(
            &format!("{field}.note"),
            "Giải trình",
            it.note.as_deref(),
            4_000,
        );
        if value.is_empty() {
            continue;
        }
        let before = current.get(leaf.node.code.as_str());
        if before
            .is_some_and(|b| b.self_value.as_deref() == Some(value.as_str()) && b.self_note == note)
        {
            continue;
        }
        match domain::par::score::score_value(leaf.node, &value) {
            Ok(points) => writes.push(store::par::ItemWrite {
                code: leaf.node.code.clone(),
                self_value: Some(value),
                self_score: Some(points.hundredths()),
                self_note: note,
                ..Default::default()
            }),
            Err(m) => c.fail(&field, m),
        }
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
        edit_guard(),
        &writes,
        "self_score",
        &caller.actor(),
        store::now(),
    )
    .await
    .map_err(ServiceError::stale_as(CARD_MOVED))?;
    scorecard(app, p, round_id, unit).await
}

/// The unit's head sends the card to appraisal; every item the unit scores must be
/// answered (422 listing those that are not).
pub async fn submit(
    app: &App,
    caller: &Caller,
    round_id: i64,
    unit: &str,
) -> Result<Scorecard, ServiceError> {
    let p = &caller.principal;
    let (round, card) = visible_card(app, p, round_id, unit).await?;
    refuse_published(&round)?;
    if !may_submit(p, &round, &card) {
        return Err(if may_edit(p, &round, &card) {
            ServiceError::Forbidden("Chỉ lãnh đạo đơn vị được gửi phiếu tự đánh giá.".into())
        } else if card.status == CARD_SUBMITTED || card.status == CARD_APPRAISED {
            ServiceError::Conflict("Phiếu chấm đã được gửi thẩm định.".into())
        } else {
            ServiceError::Forbidden("Bạn không có quyền gửi phiếu chấm này.".into())
        });
    }
    let s = live_card(app, &round, &card).await?;
    let missing: Vec<domain::validate::FieldError> = s
        .criteria
        .iter()
        .filter(|i| i.leaf && i.source != "survey" && i.self_score.is_none() && !i.not_applicable)
        .map(|i| domain::validate::FieldError {
            field: format!("items.{}", i.code),
            message: format!("Tiêu chí {} chưa tự chấm điểm.", i.code),
        })
        .collect();
    if !missing.is_empty() {
        return Err(ServiceError::Invalid(missing));
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

/// Evidence to add: a link, a task or a directive of the system (files come with their
/// bytes through [`add_evidence`]).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct EvidenceInput {
    pub code: String,
    /// link | task | directive | file
    pub kind: String,
    pub label: Option<String>,
    pub url: Option<String>,
    pub ref_id: Option<i64>,
}

/// Media types accepted as evidence files: documents and images a unit scans or exports.
pub const EVIDENCE_TYPES: &[&str] = &[
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/msword",
    "application/vnd.ms-excel",
    "image/jpeg",
    "image/png",
];

/// Adds evidence to one item of a card the caller may fill in.
pub async fn add_evidence(
    app: &App,
    caller: &Caller,
    round_id: i64,
    unit: &str,
    input: &EvidenceInput,
    file: Option<store::file::NewFile>,
) -> Result<Scorecard, ServiceError> {
    let p = &caller.principal;
    let (round, card) = visible_card(app, p, round_id, unit).await?;
    refuse_published(&round)?;
    if !may_edit(p, &round, &card) {
        return Err(ServiceError::Forbidden(
            "Chỉ cán bộ của đơn vị được thêm tài liệu kiểm chứng khi phiếu chưa gửi.".into(),
        ));
    }
    let set = set_of(app, card.set_id).await?;
    let mut c = domain::validate::Checker::new();
    if set.leaf(input.code.trim()).is_none() {
        c.fail(
            "code",
            format!("Không có tiêu chí chấm điểm mã “{}”.", input.code),
        );
    }
    let label = c.optional("label", "Tên tài liệu", input.label.as_deref(), 300);
    let (kind, url, ref_id, label) = match input.kind.as_str() {
        "link" => {
            let url = c.required(
                "url",
                "Đường dẫn",
                input.url.as_deref().unwrap_or(""),
                2_000,
            );
            let bad_scheme = !(url.starts_with("https://") || url.starts_with("http://"));
            if bad_scheme && !c.errors.iter().any(|e| e.field == "url") {
                c.fail("url", "Đường dẫn phải bắt đầu bằng http:// hoặc https://.");
            }
            let l = label.unwrap_or_else(|| url.clone());
            ("link", Some(url), None, l)
        }
        "task" | "directive" => {
            let Some(id) = input.ref_id else {
                c.fail("ref_id", "Chưa chọn nhiệm vụ hoặc văn bản.");
                return Err(ServiceError::Invalid(c.errors));
            };
            let title = if input.kind == "task" {
                crate::task::visible(app, p, id)
                    .await
                    .map(|t| format!("Nhiệm vụ #{id}: {}", t.0.content))
            } else {
                crate::directive::visible(app, p, id)
                    .await
                    .map(|d| format!("Văn bản {}: {}", d.number, d.subject))
            };
            match title {
                Ok(t) => (
                    if input.kind == "task" {
                        "task"
                    } else {
                        "directive"
                    },
                    None,
                    Some(id),
                    label.unwrap_or_else(|| t.chars().take(300).collect()),
                ),
                Err(ServiceError::NotFound) => {
                    c.fail(
                        "ref_id",
                        "Không tìm thấy nhiệm vụ hoặc văn bản này trong phạm vi của bạn.",
                    );
                    ("", None, None, String::new())
                }
                Err(e) => return Err(e),
            }
        }
        "file" => match &file {
            Some(f) => {
                if !EVIDENCE_TYPES.contains(&f.media_type.as_str()) {
                    c.fail(
                        "file",
                        "Tài liệu kiểm chứng phải là PDF, Word, Excel hoặc ảnh JPEG/PNG.",
                    );
                }
                if f.bytes.is_empty() {
                    c.fail("file", "Tệp rỗng.");
                }
                if f.bytes.len() > store::file::MAX_BYTES {
                    return Err(ServiceError::TooLarge("Tệp vượt quá 15 MB.".into()));
                }
                ("file", None, None, label.unwrap_or_else(|| f.name.clone()))
            }
            None => {
                c.fail("file", "Chưa chọn tệp.");
                ("", None, None, String::new())
            }
        },
        _ => {
            c.fail(
                "kind",
                "Loại tài liệu kiểm chứng phải là tệp, đường dẫn, nhiệm vụ hoặc văn bản.",
            );
            ("", None, None, String::new())
        }
    };
    if !c.is_ok() {
        return Err(ServiceError::Invalid(c.errors));
    }
    let e = store::par::NewEvidence {
        code: input.code.trim().to_string(),
        kind: kind.into(),
        url,
        ref_id,
        label,
        file: if kind == "file" { file } else { None },
    };
    store::par::add_evidence(&app.db, card.id, edit_guard(), &e, &caller.actor())
        .await
        .map_err(ServiceError::stale_as(CARD_MOVED))?;
    scorecard(app, p, round_id, unit).await
}

pub(crate) fn edit_guard() -> store::par::Guard<'static> {
    store::par::Guard {
        card_statuses: &[CARD_DRAFT, CARD_RETURNED],
        round_statuses: &[ROUND_OPEN, ROUND_APPRAISAL],
    }
}

/// Removes one piece of evidence from a card the caller may fill in.
pub async fn remove_evidence(
    app: &App,
    caller: &Caller,
    round_id: i64,
    unit: &str,
    evidence_id: i64,
) -> Result<Scorecard, ServiceError> {
    let p = &caller.principal;
    let (round, card) = visible_card(app, p, round_id, unit).await?;
    refuse_published(&round)?;
    if !may_edit(p, &round, &card) {
        return Err(ServiceError::Forbidden(
            "Chỉ cán bộ của đơn vị được gỡ tài liệu kiểm chứng khi phiếu chưa gửi.".into(),
        ));
    }
    store::par::remove_evidence(&app.db, card.id, evidence_id, edit_guard(), &caller.actor())
        .await
        .map_err(ServiceError::stale_as(CARD_MOVED))?;
    scorecard(app, p, round_id, unit).await
}

/// Whether an evidence file of a PAR card may be downloaded by the caller.
pub async fn evidence_file_visible(
    app: &App,
    p: &Principal,
    card_id: i64,
) -> Result<(), ServiceError> {
    let card = store::par::card_by_id(&app.db, card_id).await?;
    if reads_all(p) || p.scope().contains(&card.agency_path) {
        Ok(())
    } else {
        Err(ServiceError::NotFound)
    }
}
