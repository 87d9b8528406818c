//! The writes of the PAR INDEX, each in one transaction with its audit row. Writes to a
//! card first touch the card under the precondition they need (its status, its round's
//! status): on PostgreSQL that locks the row, on SQLite the transaction holds the write
//! lock, and a card that moved meanwhile is `StoreError::Stale`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::{CardRow, RoundRow, SetRow};
use crate::audit::{Actor, AuditEntry};
use crate::file::NewFile;
use crate::{BeginWrite, Db, Result, StoreError, now, on_db};

/// A set version to store (its JSON already checked by `domain::par`).
#[derive(Debug, Clone, Serialize)]
pub struct NewSet {
    pub code: String,
    pub title: String,
    pub unit_kind: String,
    pub applies_from_year: i32,
    #[serde(skip)]
    pub definition_json: String,
    /// data | import | edit
    pub origin: String,
    pub demo: bool,
}

/// Stores a new version of a set (version 1, or one past the newest of its code).
pub async fn insert_set(db: &Db, s: &NewSet, actor: &Actor) -> Result<SetRow> {
    let t = now();
    let id: i64 = on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let v: Option<i32> = sqlx::query_scalar("select max(version) from par_set where code = $1")
            .bind(&s.code)
            .fetch_one(&mut *tx)
            .await?;
        let version = v.unwrap_or(0) + 1;
        let (id,): (i64,) = sqlx::query_as(
            "insert into par_set (code, version, title, unit_kind, applies_from_year, definition_json, origin, demo, created_by, created_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id",
        )
        .bind(&s.code)
        .bind(version)
        .bind(&s.title)
        .bind(&s.unit_kind)
        .bind(s.applies_from_year)
        .bind(&s.definition_json)
        .bind(&s.origin)
        .bind(s.demo)
        .bind(actor.user_id)
        .bind(t)
        .fetch_one(&mut *tx)
        .await?;
        let entry = AuditEntry::new(
            actor,
            "create",
            "par_set",
            id,
            format!("Bộ tiêu chí {} phiên bản {version}: {}", s.code, s.title),
        )
        .after(s);
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
        id
    });
    super::set(db, id).await
}

#[derive(Debug, Clone, Serialize)]
pub struct NewRound {
    pub year: i32,
    pub title: String,
    pub self_due_on: NaiveDate,
    pub appraisal_due_on: NaiveDate,
    pub demo: bool,
}

/// A unit assigned to a round, with the set it is scored on.
#[derive(Debug, Clone, Serialize)]
pub struct NewCard {
    pub agency_id: i64,
    pub set_id: i64,
    pub unit_kind: String,
}

/// Opens a round and its scorecards in one transaction. `Conflict("par_round_year_idx")`
/// when the year has a round already.
pub async fn open_round(
    db: &Db,
    r: &NewRound,
    cards: &[NewCard],
    actor: &Actor,
    t: DateTime<Utc>,
) -> Result<RoundRow> {
    let id: i64 = on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "insert into par_round (year, title, status, self_due_on, appraisal_due_on, demo, opened_by, opened_at, updated_at) \
             values ($1, $2, 'open', $3, $4, $5, $6, $7, $7) returning id",
        )
        .bind(r.year)
        .bind(&r.title)
        .bind(r.self_due_on)
        .bind(r.appraisal_due_on)
        .bind(r.demo)
        .bind(actor.user_id)
        .bind(t)
        .fetch_one(&mut *tx)
        .await?;
        for c in cards {
            sqlx::query(
                "insert into par_card (round_id, agency_id, set_id, unit_kind, status, updated_at) values ($1, $2, $3, $4, 'draft', $5)",
            )
            .bind(id)
            .bind(c.agency_id)
            .bind(c.set_id)
            .bind(&c.unit_kind)
            .bind(t)
            .execute(&mut *tx)
            .await?;
        }
        let entry = AuditEntry::new(
            actor,
            "create",
            "par_round",
            id,
            format!(
                "Mở kỳ chấm điểm Chỉ số CCHC năm {} cho {} đơn vị",
                r.year,
                cards.len()
            ),
        )
        .after(r)
        .at(t);
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
        id
    });
    super::round(db, id).await
}

/// Moves a round from `from` to `to` (open → appraisal). Publishing is [`publish`].
pub async fn round_status(
    db: &Db,
    id: i64,
    from: &str,
    to: &str,
    actor: &Actor,
    t: DateTime<Utc>,
) -> Result<()> {
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let res = sqlx::query(
            "update par_round set status = $1, updated_at = $2 where id = $3 and status = $4",
        )
        .bind(to)
        .bind(t)
        .bind(id)
        .bind(from)
        .execute(&mut *tx)
        .await?;
        if res.rows_affected() != 1 {
            return Err(StoreError::Stale("par_round status".into()));
        }
        let entry = AuditEntry::new(
            actor,
            "status",
            "par_round",
            id,
            format!("Kỳ chấm điểm: {from} → {to}"),
        )
        .before(&serde_json::json!({ "status": from }))
        .after(&serde_json::json!({ "status": to }))
        .at(t);
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
    });
    Ok(())
}

/// What publication freezes.
#[derive(Debug, Clone)]
pub struct Publication {
    /// Số hiệu of the publishing decision.
    pub decision: String,
    /// The decision registered as a directive.
    pub directive_id: Option<i64>,
    /// The ranking (JSON).
    pub ranking_json: String,
    /// Each card's scorecard (card id, JSON).
    pub cards: Vec<(i64, String)>,
}

/// Publishes a round in appraisal whose every card is appraised: freezes the snapshot.
pub async fn publish(
    db: &Db,
    id: i64,
    p: &Publication,
    actor: &Actor,
    t: DateTime<Utc>,
) -> Result<()> {
    let (decision, directive_id, snapshot_json, cards) =
        (&p.decision, p.directive_id, &p.ranking_json, &p.cards);
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let res = sqlx::query(
            "update par_round set status = 'published', published_by = $1, published_at = $2, decision = $3, snapshot_json = $4, \
             directive_id = $6, updated_at = $2 where id = $5 and status = 'appraisal' \
             and not exists (select 1 from par_card c where c.round_id = par_round.id and c.status <> 'appraised')",
        )
        .bind(actor.user_id)
        .bind(t)
        .bind(decision)
        .bind(snapshot_json)
        .bind(id)
        .bind(directive_id)
        .execute(&mut *tx)
        .await?;
        if res.rows_affected() != 1 {
            return Err(StoreError::Stale("par_round publish".into()));
        }
        for (card_id, json) in cards {
            sqlx::query("update par_card set snapshot_json = $1 where id = $2 and round_id = $3")
                .bind(json)
                .bind(card_id)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let entry = AuditEntry::new(
            actor,
            "publish",
            "par_round",
            id,
            format!("Công bố kết quả Chỉ số CCHC ({decision})"),
        )
        .after(&serde_json::json!({ "decision": decision }))
        .at(t);
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
    });
    Ok(())
}

/// The state a write to a card needs.
#[derive(Debug, Clone, Copy)]
pub struct Guard<'a> {
    pub card_statuses: &'a [&'a str],
    pub round_statuses: &'a [&'a str],
}

fn in_list(col: &str, values: &[&str]) -> String {
    let quoted: Vec<String> = values
        .iter()
        .filter(|v| v.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .map(|v| format!("'{v}'"))
        .collect();
    format!("{col} in ({})", quoted.join(", "))
}

macro_rules! touch_card {
    ($tx:expr, $card_id:expr, $g:expr, $t:expr) => {{
        let sql = format!(
            "update par_card set updated_at = $1 where id = $2 and {} and exists (select 1 from par_round r where r.id = par_card.round_id and {})",
            in_list("status", $g.card_statuses),
            in_list("r.status", $g.round_statuses)
        );
        let res = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind($t)
            .bind($card_id)
            .execute(&mut *$tx)
            .await?;
        if res.rows_affected() != 1 {
            return Err(StoreError::Stale("par_card status".into()));
        }
    }};
}

/// What one write changes on one item; `None` leaves a column as it is.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ItemWrite {
    pub code: String,
    pub self_value: Option<String>,
    pub self_score: Option<i64>,
    pub self_note: Option<String>,
    /// Some(None) clears the appraisal.
    pub appraised: Option<Option<i64>>,
    pub appraisal_reason: Option<String>,
    pub not_applicable: Option<bool>,
    pub survey_score: Option<i64>,
}

/// The item's row before a write (for the audit log).
#[derive(Debug, Clone, Default, Serialize, sqlx::FromRow)]
struct ItemBefore {
    self_value: Option<String>,
    self_score: Option<i64>,
    self_note: Option<String>,
    appraised_score: Option<i64>,
    appraisal_reason: Option<String>,
    survey_score: Option<i64>,
    not_applicable: bool,
}

/// Writes items of one card under `guard`, with one audit row each (before, after,
/// reason). `Stale` when the card or its round is no longer in a state that allows it.
pub async fn write_items(
    db: &Db,
    card_id: i64,
    guard: Guard<'_>,
    items: &[ItemWrite],
    action: &str,
    actor: &Actor,
    t: DateTime<Utc>,
) -> Result<()> {
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        touch_card!(tx, card_id, guard, t);
        for w in items {
            let before: Option<ItemBefore> = sqlx::query_as(
                "select self_value, self_score, self_note, appraised_score, appraisal_reason, survey_score, not_applicable \
                 from par_score where card_id = $1 and code = $2",
            )
            .bind(card_id)
            .bind(&w.code)
            .fetch_optional(&mut *tx)
            .await?;
            let b = before.clone().unwrap_or_default();
            let after = ItemBefore {
                self_value: w.self_value.clone().or(b.self_value.clone()),
                self_score: w.self_score.or(b.self_score),
                self_note: if w.self_score.is_some() || w.self_value.is_some() {
                    w.self_note.clone()
                } else {
                    b.self_note.clone()
                },
                appraised_score: w.appraised.unwrap_or(b.appraised_score),
                appraisal_reason: if w.appraised.is_some() || w.not_applicable.is_some() {
                    w.appraisal_reason.clone()
                } else {
                    b.appraisal_reason.clone()
                },
                survey_score: w.survey_score.or(b.survey_score),
                not_applicable: w.not_applicable.unwrap_or(b.not_applicable),
            };
            let appraised_now = w.appraised.is_some() || w.not_applicable.is_some();
            sqlx::query(
                "insert into par_score (card_id, code, self_value, self_score, self_note, appraised_score, appraisal_reason, \
                 appraised_by, appraised_at, survey_score, not_applicable, updated_by, updated_at) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
                 on conflict (card_id, code) do update set self_value = excluded.self_value, self_score = excluded.self_score, \
                 self_note = excluded.self_note, appraised_score = excluded.appraised_score, appraisal_reason = excluded.appraisal_reason, \
                 appraised_by = coalesce(excluded.appraised_by, par_score.appraised_by), \
                 appraised_at = coalesce(excluded.appraised_at, par_score.appraised_at), survey_score = excluded.survey_score, \
                 not_applicable = excluded.not_applicable, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            )
            .bind(card_id)
            .bind(&w.code)
            .bind(&after.self_value)
            .bind(after.self_score)
            .bind(&after.self_note)
            .bind(after.appraised_score)
            .bind(&after.appraisal_reason)
            .bind(if appraised_now { actor.user_id } else { None })
            .bind(if appraised_now { Some(t) } else { None })
            .bind(after.survey_score)
            .bind(after.not_applicable)
            .bind(actor.user_id)
            .bind(t)
            .execute(&mut *tx)
            .await?;
            let summary = match &w.appraisal_reason {
                Some(r) if appraised_now => format!("Tiêu chí {} ({action}): {r}", w.code),
                _ => format!("Tiêu chí {} ({action})", w.code),
            };
            let entry = AuditEntry::new(actor, action, "par_card", card_id, summary)
                .before(&before)
                .after(&after)
                .at(t);
            crate::insert_audit!(&mut *tx, entry);
        }
        tx.commit().await?;
    });
    Ok(())
}

/// Moves a card: submit (draft|returned → submitted), return for explanation (submitted
/// → returned, with the reason), appraise (submitted → appraised), reopen appraisal
/// (appraised → submitted).
pub async fn card_status(
    db: &Db,
    card: &CardRow,
    to: &str,
    reason: Option<&str>,
    actor: &Actor,
    t: DateTime<Utc>,
) -> Result<()> {
    let from = card.status.as_str();
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let res = match to {
            "submitted" if from == "appraised" => {
                sqlx::query(
                    "update par_card set status = 'submitted', appraised_by = null, appraised_at = null, updated_at = $1 \
                     where id = $2 and status = 'appraised'",
                )
                .bind(t)
                .bind(card.id)
                .execute(&mut *tx)
                .await?
            }
            "submitted" | "appraised" => {
                let sql = if to == "submitted" {
                    "update par_card set status = $1, submitted_by = $2, submitted_at = $3, updated_at = $3 where id = $4 and status = $5"
                } else {
                    "update par_card set status = $1, appraised_by = $2, appraised_at = $3, updated_at = $3 where id = $4 and status = $5"
                };
                sqlx::query(sql)
                    .bind(to)
                    .bind(actor.user_id)
                    .bind(t)
                    .bind(card.id)
                    .bind(from)
                    .execute(&mut *tx)
                    .await?
            }
            "returned" => {
                sqlx::query(
                    "update par_card set status = 'returned', returned_by = $1, returned_at = $2, return_reason = $3, \
                     return_count = return_count + 1, updated_at = $2 where id = $4 and status = $5",
                )
                .bind(actor.user_id)
                .bind(t)
                .bind(reason.unwrap_or(""))
                .bind(card.id)
                .bind(from)
                .execute(&mut *tx)
                .await?
            }
            _ => {
                return Err(StoreError::Invalid(format!(
                    "trạng thái phiếu chấm không hợp lệ: {to}"
                )));
            }
        };
        if res.rows_affected() != 1 {
            return Err(StoreError::Stale("par_card status".into()));
        }
        let entry = AuditEntry::new(
            actor,
            "status",
            "par_card",
            card.id,
            match reason {
                Some(r) => format!("Phiếu chấm {}: {from} → {to}: {r}", card.agency_code),
                None => format!("Phiếu chấm {}: {from} → {to}", card.agency_code),
            },
        )
        .before(&serde_json::json!({ "status": from }))
        .after(&serde_json::json!({ "status": to, "reason": reason }))
        .at(t);
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
    });
    Ok(())
}

/// Survey scores of a round (card, item code, hundredths), written together; `Stale`
/// when the round was published meanwhile.
pub async fn survey_scores(
    db: &Db,
    round_id: i64,
    rows: &[(i64, String, i64)],
    actor: &Actor,
    t: DateTime<Utc>,
) -> Result<()> {
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let res = sqlx::query("update par_round set updated_at = $1 where id = $2 and status in ('open', 'appraisal')")
            .bind(t)
            .bind(round_id)
            .execute(&mut *tx)
            .await?;
        if res.rows_affected() != 1 {
            return Err(StoreError::Stale("par_round status".into()));
        }
        for (card_id, code, score) in rows {
            sqlx::query(
                "insert into par_score (card_id, code, survey_score, not_applicable, updated_by, updated_at) values ($1, $2, $3, false, $4, $5) \
                 on conflict (card_id, code) do update set survey_score = excluded.survey_score, updated_by = excluded.updated_by, \
                 updated_at = excluded.updated_at",
            )
            .bind(card_id)
            .bind(code)
            .bind(score)
            .bind(actor.user_id)
            .bind(t)
            .execute(&mut *tx)
            .await?;
        }
        let entry = AuditEntry::new(
            actor,
            "import",
            "par_round",
            round_id,
            format!("Nhập {} điểm điều tra xã hội học", rows.len()),
        )
        .after(&rows)
        .at(t);
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
    });
    Ok(())
}

/// Evidence to add to an item: a file, a link, or a task or directive of the system.
#[derive(Debug, Clone, Serialize)]
pub struct NewEvidence {
    pub code: String,
    /// file | link | task | directive
    pub kind: String,
    pub url: Option<String>,
    pub ref_id: Option<i64>,
    pub label: String,
    #[serde(skip)]
    pub file: Option<NewFile>,
}

/// Adds evidence under `guard` (the card still editable by its unit).
pub async fn add_evidence(
    db: &Db,
    card_id: i64,
    guard: Guard<'_>,
    e: &NewEvidence,
    actor: &Actor,
) -> Result<i64> {
    let t = now();
    Ok(on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        touch_card!(tx, card_id, guard, t);
        let file_id: Option<i64> = match &e.file {
            Some(f) => Some(crate::insert_file!(
                tx,
                crate::file::Owner::ParCard(card_id),
                f,
                actor.user_id,
                t
            )),
            None => None,
        };
        let (id,): (i64,) = sqlx::query_as(
            "insert into par_evidence (card_id, code, kind, file_id, url, ref_id, label, created_by, created_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
        )
        .bind(card_id)
        .bind(&e.code)
        .bind(&e.kind)
        .bind(file_id)
        .bind(&e.url)
        .bind(e.ref_id)
        .bind(&e.label)
        .bind(actor.user_id)
        .bind(t)
        .fetch_one(&mut *tx)
        .await?;
        let entry = AuditEntry::new(
            actor,
            "attach",
            "par_card",
            card_id,
            format!("Tài liệu kiểm chứng tiêu chí {}: {}", e.code, e.label),
        )
        .after(e)
        .at(t);
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
        id
    }))
}

/// Removes one evidence row of a card (the stored file stays, as every file does).
pub async fn remove_evidence(
    db: &Db,
    card_id: i64,
    evidence_id: i64,
    guard: Guard<'_>,
    actor: &Actor,
) -> Result<()> {
    let t = now();
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        touch_card!(tx, card_id, guard, t);
        let row: Option<(String, String)> = sqlx::query_as(
            "delete from par_evidence where id = $1 and card_id = $2 returning code, label",
        )
        .bind(evidence_id)
        .bind(card_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((code, label)) = row else {
            return Err(StoreError::NotFound);
        };
        let entry = AuditEntry::new(
            actor,
            "detach",
            "par_card",
            card_id,
            format!("Gỡ tài liệu kiểm chứng tiêu chí {code}: {label}"),
        )
        .at(t);
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
    });
    Ok(())
}
