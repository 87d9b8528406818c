//! Chỉ số CCHC — the PAR INDEX tables: criteria sets (versioned JSON checked by
//! `domain::par`), yearly rounds, one scorecard per unit and round (`par_card`), the
//! scored items (`par_score`, points in hundredths), evidence, and the frozen snapshot of
//! a published round. Reads here; writes in `write`.

pub mod write;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::{Db, Result, like_prefix, on_db};

pub use write::*;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SetRow {
    pub id: i64,
    pub code: String,
    pub version: i32,
    pub title: String,
    pub unit_kind: String,
    pub applies_from_year: i32,
    #[serde(skip)]
    pub definition_json: String,
    pub origin: String,
    pub demo: bool,
    pub created_at: DateTime<Utc>,
}

const SET_COLS: &str = "id, code, version, title, unit_kind, applies_from_year, definition_json, origin, demo, created_at";

/// Every version of every set, newest year and version first.
pub async fn sets(db: &Db) -> Result<Vec<SetRow>> {
    let sql = format!(
        "select {SET_COLS} from par_set order by applies_from_year desc, unit_kind, code, version desc"
    );
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(p)
        .await?))
}

pub async fn set(db: &Db, id: i64) -> Result<SetRow> {
    let sql = format!("select {SET_COLS} from par_set where id = $1");
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_one(p)
        .await?))
}

/// The newest version of a set code, if any.
pub async fn set_latest(db: &Db, code: &str) -> Result<Option<SetRow>> {
    let sql =
        format!("select {SET_COLS} from par_set where code = $1 order by version desc limit 1");
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(code)
        .fetch_optional(p)
        .await?))
}

/// Whether any round scores with this set version.
pub async fn set_in_use(db: &Db, id: i64) -> Result<bool> {
    let n: i64 = on_db!(db, |p| sqlx::query_scalar(
        "select count(*) from par_card where set_id = $1"
    )
    .bind(id)
    .fetch_one(p)
    .await?);
    Ok(n > 0)
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct RoundRow {
    pub id: i64,
    pub year: i32,
    pub title: String,
    pub status: String,
    pub self_due_on: NaiveDate,
    pub appraisal_due_on: NaiveDate,
    pub demo: bool,
    pub opened_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub decision: Option<String>,
    /// The publishing decision registered as a directive (remediation tasks hang on it).
    pub directive_id: Option<i64>,
    #[serde(skip)]
    pub snapshot_json: Option<String>,
    pub updated_at: DateTime<Utc>,
}

const ROUND_COLS: &str = "id, year, title, status, self_due_on, appraisal_due_on, demo, opened_at, published_at, decision, directive_id, snapshot_json, updated_at";

/// Newest year first.
pub async fn rounds(db: &Db) -> Result<Vec<RoundRow>> {
    let sql = format!("select {ROUND_COLS} from par_round order by year desc");
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(p)
        .await?))
}

pub async fn round(db: &Db, id: i64) -> Result<RoundRow> {
    let sql = format!("select {ROUND_COLS} from par_round where id = $1");
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_one(p)
        .await?))
}

pub async fn round_of_year(db: &Db, year: i32) -> Result<Option<RoundRow>> {
    let sql = format!("select {ROUND_COLS} from par_round where year = $1");
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(year)
        .fetch_optional(p)
        .await?))
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CardRow {
    pub id: i64,
    pub round_id: i64,
    pub agency_id: i64,
    pub agency_code: String,
    pub agency_name: String,
    #[serde(skip)]
    pub agency_path: String,
    pub set_id: i64,
    pub unit_kind: String,
    pub status: String,
    pub submitted_by: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub returned_by: Option<String>,
    pub returned_at: Option<DateTime<Utc>>,
    pub return_reason: Option<String>,
    pub return_count: i32,
    pub appraised_by: Option<String>,
    pub appraised_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

const CARD_COLS: &str = "c.id, c.round_id, c.agency_id, a.code as agency_code, a.name as agency_name, a.path as agency_path, \
     c.set_id, c.unit_kind, c.status, su.username as submitted_by, c.submitted_at, ru.username as returned_by, c.returned_at, \
     c.return_reason, c.return_count, au.username as appraised_by, c.appraised_at, c.updated_at";
const CARD_FROM: &str = " from par_card c join agency a on a.id = c.agency_id \
     left join app_user su on su.id = c.submitted_by left join app_user ru on ru.id = c.returned_by \
     left join app_user au on au.id = c.appraised_by";

/// The scorecards of a round, of units under `scope` (all when `None`), by unit kind and
/// code.
pub async fn cards(db: &Db, round_id: i64, scope: Option<&str>) -> Result<Vec<CardRow>> {
    let sql = format!(
        "select {CARD_COLS}{CARD_FROM} where c.round_id = $1 and (cast($2 as text) is null or a.path like $2 escape '\\') \
         order by c.unit_kind, a.code"
    );
    let scope = scope.map(like_prefix);
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(round_id)
        .bind(&scope)
        .fetch_all(p)
        .await?))
}

/// The scorecard of one unit in a round.
pub async fn card(db: &Db, round_id: i64, agency_code: &str) -> Result<CardRow> {
    let sql = format!("select {CARD_COLS}{CARD_FROM} where c.round_id = $1 and a.code = $2");
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(round_id)
        .bind(agency_code)
        .fetch_one(p)
        .await?))
}

pub async fn card_by_id(db: &Db, id: i64) -> Result<CardRow> {
    let sql = format!("select {CARD_COLS}{CARD_FROM} where c.id = $1");
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_one(p)
        .await?))
}

/// Every card of one agency code, newest round first (year-over-year).
pub async fn cards_of_unit(db: &Db, agency_code: &str) -> Result<Vec<(i32, CardRow)>> {
    let sql = format!(
        "select r.year, {CARD_COLS}{CARD_FROM} join par_round r on r.id = c.round_id where a.code = $1 order by r.year desc"
    );
    let rows: Vec<YearCard> = on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(agency_code)
        .fetch_all(p)
        .await?);
    Ok(rows.into_iter().map(|r| (r.year, r.card)).collect())
}

#[derive(sqlx::FromRow)]
struct YearCard {
    year: i32,
    #[sqlx(flatten)]
    card: CardRow,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ScoreRow {
    pub card_id: i64,
    pub code: String,
    pub self_value: Option<String>,
    pub self_score: Option<i64>,
    pub self_note: Option<String>,
    pub appraised_score: Option<i64>,
    pub appraisal_reason: Option<String>,
    pub appraised_by: Option<String>,
    pub appraised_at: Option<DateTime<Utc>>,
    pub survey_score: Option<i64>,
    pub not_applicable: bool,
    pub updated_at: DateTime<Utc>,
}

const SCORE_COLS: &str = "s.card_id, s.code, s.self_value, s.self_score, s.self_note, s.appraised_score, s.appraisal_reason, \
     u.username as appraised_by, s.appraised_at, s.survey_score, s.not_applicable, s.updated_at";

/// The scored items of one card.
pub async fn scores(db: &Db, card_id: i64) -> Result<Vec<ScoreRow>> {
    let sql = format!(
        "select {SCORE_COLS} from par_score s left join app_user u on u.id = s.appraised_by where s.card_id = $1"
    );
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(card_id)
        .fetch_all(p)
        .await?))
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct EvidenceRow {
    pub id: i64,
    pub card_id: i64,
    pub code: String,
    pub kind: String,
    pub file_id: Option<i64>,
    pub url: Option<String>,
    pub ref_id: Option<i64>,
    pub label: String,
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Evidence of one card, in the order it was added.
pub async fn evidence(db: &Db, card_id: i64) -> Result<Vec<EvidenceRow>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
        "select e.id, e.card_id, e.code, e.kind, e.file_id, e.url, e.ref_id, e.label, u.username as created_by, e.created_at \
         from par_evidence e left join app_user u on u.id = e.created_by where e.card_id = $1 order by e.id"
    )
    .bind(card_id)
    .fetch_all(p)
    .await?
    }))
}

/// The card an evidence file belongs to (for downloads).
pub async fn evidence_card_of_file(db: &Db, file_id: i64) -> Result<i64> {
    Ok(on_db!(db, |p| sqlx::query_scalar(
        "select card_id from par_evidence where file_id = $1"
    )
    .bind(file_id)
    .fetch_one(p)
    .await?))
}

/// The frozen scorecard of a card of a published round (JSON), if any.
pub async fn card_snapshot(db: &Db, card_id: i64) -> Result<Option<String>> {
    Ok(on_db!(db, |p| sqlx::query_scalar(
        "select snapshot_json from par_card where id = $1"
    )
    .bind(card_id)
    .fetch_one(p)
    .await?))
}

/// The points of one item of a card (what totals, rankings and gaps need).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ItemPoints {
    pub card_id: i64,
    pub code: String,
    pub self_score: Option<i64>,
    pub appraised_score: Option<i64>,
    pub survey_score: Option<i64>,
    pub not_applicable: bool,
}

/// The points of every item of a round: the lean read of rankings and gaps (no text, no
/// timestamps, no join to the users).
pub async fn round_points(db: &Db, round_id: i64) -> Result<Vec<ItemPoints>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
        "select s.card_id, s.code, s.self_score, s.appraised_score, s.survey_score, s.not_applicable \
         from par_score s join par_card c on c.id = s.card_id where c.round_id = $1"
    )
    .bind(round_id)
    .fetch_all(p)
    .await?
    }))
}

/// The appraisal's reasons of a round's items that have one: (card, code, reason).
pub async fn round_reasons(db: &Db, round_id: i64) -> Result<Vec<(i64, String, String)>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
        "select s.card_id, s.code, s.appraisal_reason from par_score s join par_card c on c.id = s.card_id \
         where c.round_id = $1 and s.appraisal_reason is not null"
    )
    .bind(round_id)
    .fetch_all(p)
    .await?
    }))
}
