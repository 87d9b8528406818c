//! The demo's PAR INDEX: the illustrative criteria sets of `data/demo/par/` (marked as
//! demo data), the 2023 round self-assessed, appraised, surveyed and published, and the
//! 2024 round in appraisal (some cards appraised, one returned for explanation, a few
//! not yet sent). Scores are generated from a stable hash, not real results; every round
//! and set carries the demo flag and the pages say so.

use anyhow::anyhow;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::par::{CriteriaSet, Points, RuleKind, Source};
use store::Db;
use store::audit::Actor;

/// The demo reports' hash, over a salt built from the year and the item.
fn stable_hash(a: i64, b: u64) -> u64 {
    crate::demo_reports::stable_hash(a, b as i64)
}

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    let day = NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    domain::time::utc(day.and_hms_opt(9, 0, 0).unwrap_or_default())
}

/// The unit's answer to one item: what its officers would type, by the item's rule.
fn answer(n: &domain::par::Node, h: u64, strength: u64) -> String {
    let good = (h % 100) < strength;
    match n.rule.kind {
        RuleKind::YesNo => if good { "Có" } else { "Không" }.into(),
        RuleKind::Levels => {
            let i = if good {
                0
            } else {
                1 + (h as usize >> 8) % (n.rule.levels.len().max(2) - 1)
            };
            n.rule.levels[i.min(n.rule.levels.len() - 1)].label.clone()
        }
        RuleKind::Ratio => {
            let pct = if good { 100 } else { 60 + (h >> 9) % 40 };
            pct.to_string()
        }
        RuleKind::Manual => {
            let quarters = n.max.hundredths() / 25;
            let lost = if good {
                0
            } else {
                1 + ((h >> 11) as i64 % quarters.max(1))
            };
            Points((quarters - lost).max(0) * 25).vn()
        }
    }
}

/// The secretariat's account as a caller.
pub(crate) async fn caller(db: &Db, username: &str) -> anyhow::Result<app::Caller> {
    let u = store::user::get_by_username(db, username).await?;
    Ok(app::Caller {
        principal: domain::org::Principal {
            user_id: u.id,
            username: u.username.clone(),
            agency_id: u.agency_id,
            agency_path: u.agency_path.clone(),
            roles: u.roles.clone(),
        },
        full_name: u.full_name.clone(),
        agency_name: u.agency_name.clone(),
        ip: None,
    })
}

const SELF_NOTE: &str = "Đơn vị đã thực hiện theo kế hoạch; tài liệu kiểm chứng lưu tại văn phòng.";
const REASONS: [&str; 4] = [
    "Tài liệu kiểm chứng chưa thể hiện đầy đủ kết quả thực hiện.",
    "Ban hành kế hoạch chậm so với thời hạn quy định.",
    "Số liệu tự đánh giá chưa khớp với số liệu trên Hệ thống thông tin giải quyết TTHC.",
    "Chưa có báo cáo kết quả khắc phục sau kiểm tra.",
];

/// Self-assessment of one card (as the unit's head would type it), then submission.
pub(crate) async fn self_assess(
    db: &Db,
    card: &store::par::CardRow,
    set: &CriteriaSet,
    year: i32,
    t: DateTime<Utc>,
    actor: &Actor,
    submit: bool,
) -> anyhow::Result<()> {
    let strength = 55 + stable_hash(card.agency_id, year as u64) % 40;
    let mut writes = Vec::new();
    for (i, l) in set.leaves().iter().enumerate() {
        if l.node.source == Source::Survey {
            continue;
        }
        let h = stable_hash(card.agency_id, (year as u64) << 16 | i as u64);
        let value = answer(l.node, h, strength);
        let points = domain::par::score::score_value(l.node, &value).map_err(|e| anyhow!(e))?;
        writes.push(store::par::ItemWrite {
            code: l.node.code.clone(),
            self_value: Some(value),
            self_score: Some(points.hundredths()),
            self_note: Some(SELF_NOTE.into()),
            ..Default::default()
        });
    }
    store::par::write_items(
        db,
        card.id,
        store::par::Guard {
            card_statuses: &["draft", "returned"],
            round_statuses: &["open", "appraisal"],
        },
        &writes,
        "self_score",
        actor,
        t,
    )
    .await?;
    if submit {
        let card = store::par::card_by_id(db, card.id).await?;
        store::par::card_status(db, &card, "submitted", None, actor, t).await?;
    }
    Ok(())
}

/// The appraisal of one submitted card: a few items lowered with a reason, then closed.
pub(crate) async fn appraise(
    db: &Db,
    card: &store::par::CardRow,
    set: &CriteriaSet,
    year: i32,
    t: DateTime<Utc>,
    actor: &Actor,
    close: bool,
) -> anyhow::Result<()> {
    let rows = store::par::scores(db, card.id).await?;
    let mut writes = Vec::new();
    for (i, l) in set.leaves().iter().enumerate() {
        let Some(r) = rows.iter().find(|r| r.code == l.node.code) else {
            continue;
        };
        let Some(s) = r.self_score.filter(|s| *s > 0) else {
            continue;
        };
        let h = stable_hash(card.agency_id, 0xA11 ^ ((year as u64) << 20) ^ i as u64);
        if h % 100 < 12 {
            let lowered = (s / 2 / 25) * 25;
            writes.push(store::par::ItemWrite {
                code: l.node.code.clone(),
                appraised: Some(Some(lowered)),
                appraisal_reason: Some(REASONS[(h >> 8) as usize % REASONS.len()].into()),
                not_applicable: Some(false),
                ..Default::default()
            });
        }
    }
    let guard = store::par::Guard {
        card_statuses: &["submitted"],
        round_statuses: &["open", "appraisal"],
    };
    if !writes.is_empty() {
        store::par::write_items(db, card.id, guard, &writes, "appraise", actor, t).await?;
    }
    if close {
        // Untouched items are confirmed as the unit scored them.
        let rows = store::par::scores(db, card.id).await?;
        let confirm: Vec<store::par::ItemWrite> = rows
            .iter()
            .filter(|r| r.appraised_score.is_none() && r.self_score.is_some())
            .map(|r| store::par::ItemWrite {
                code: r.code.clone(),
                appraised: Some(r.self_score),
                ..Default::default()
            })
            .collect();
        store::par::write_items(db, card.id, guard, &confirm, "appraise", actor, t).await?;
        let card = store::par::card_by_id(db, card.id).await?;
        store::par::card_status(db, &card, "appraised", None, actor, t).await?;
    }
    Ok(())
}

/// Survey scores of every card (the Sở Nội vụ's điều tra xã hội học).
pub(crate) async fn survey(
    db: &Db,
    round_id: i64,
    cards: &[store::par::CardRow],
    sets: &std::collections::HashMap<i64, CriteriaSet>,
    year: i32,
    t: DateTime<Utc>,
    actor: &Actor,
) -> anyhow::Result<()> {
    let mut rows = Vec::new();
    for c in cards {
        for (i, l) in sets[&c.set_id].leaves().iter().enumerate() {
            if l.node.source != Source::Survey {
                continue;
            }
            let h = stable_hash(c.agency_id, 0x5E ^ ((year as u64) << 24) ^ i as u64);
            // 70–100 % of the item's points, in steps of 0,05.
            let share = 70 + h % 31;
            let pts = (l.node.max.hundredths() * share as i64 / 100 / 5) * 5;
            rows.push((c.id, l.node.code.clone(), pts));
        }
    }
    store::par::survey_scores(db, round_id, &rows, actor, t).await?;
    Ok(())
}

/// Loads the demo rounds when none exist. Returns (rounds, cards).
pub async fn load(db: &Db) -> anyhow::Result<(usize, usize)> {
    let state = app::App::new(db.clone())
        .await
        .map_err(|e| anyhow!("{e}"))?;
    app::par::seed_sets(&state, true)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    if !store::par::rounds(db).await?.is_empty() {
        return Ok((0, 0));
    }
    let snv = caller(db, "sonoivu").await?;
    let actor = Actor::system("demo");
    let mut total = 0;
    for (year, opened) in [(2023, at(2024, 1, 8)), (2024, at(2025, 1, 6))] {
        let r = app::par::open_round_at(
            &state,
            &snv,
            &app::par::OpenRound {
                year,
                ..Default::default()
            },
            true,
            opened,
        )
        .await
        .map_err(|e| anyhow!("kỳ {year}: {e}"))?;
        let cards = store::par::cards(db, r.id, None).await?;
        total += cards.len();
        let mut sets = std::collections::HashMap::new();
        for c in &cards {
            if let std::collections::hash_map::Entry::Vacant(e) = sets.entry(c.set_id) {
                e.insert(
                    app::par::set_of(&state, c.set_id)
                        .await
                        .map_err(|e| anyhow!("{e}"))?,
                );
            }
        }
        let published = year == 2023;
        for (i, c) in cards.iter().enumerate() {
            let h = stable_hash(c.agency_id, year as u64);
            let t = opened + Duration::days(5 + (h % 12) as i64);
            // 2024: one unit in eight has not sent its card yet.
            let submit = published || !h.is_multiple_of(8);
            self_assess(db, c, &sets[&c.set_id], year, t, &actor, submit).await?;
            if !submit {
                continue;
            }
            let t2 = t + Duration::days(20 + (h % 10) as i64);
            // 2024: the first card is returned for explanation; about half are appraised.
            if !published && i == 0 {
                let c = store::par::card_by_id(db, c.id).await?;
                store::par::card_status(
                    db,
                    &c,
                    "returned",
                    Some("Đề nghị bổ sung tài liệu kiểm chứng cho tiêu chí 1.1.1 và 3.2.4."),
                    &actor,
                    t2,
                )
                .await?;
                continue;
            }
            let close = published || h.is_multiple_of(2);
            appraise(db, c, &sets[&c.set_id], year, t2, &actor, close).await?;
        }
        let t3 = opened + Duration::days(45);
        survey(db, r.id, &cards, &sets, year, t3, &actor).await?;
        app::par::start_appraisal_at(&state, &snv, r.id, opened + Duration::days(30))
            .await
            .map_err(|e| anyhow!("kỳ {year}: {e}"))?;
        if published {
            app::par::publish_at(
                &state,
                &snv,
                r.id,
                &app::par::PublishInput {
                    decision: "999/QĐ-UBND (minh họa)".into(),
                    decision_date: "2024-03-20".into(),
                    signer_name: None,
                },
                at(2024, 3, 20),
            )
            .await
            .map_err(|e| anyhow!("công bố {year}: {e}"))?;
        }
    }
    Ok((2, total))
}
