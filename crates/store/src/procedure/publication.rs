//! Publication decisions (`tthc_version`) and the công bố deadlines in force
//! (`tthc_publication_rule`).

use chrono::{DateTime, NaiveDate, Utc};
use domain::procedure::publication::{DecisionKind, PublicationRule, Publisher};
use serde::Serialize;

use super::get;
use crate::audit::{Actor, AuditEntry};
use crate::{BeginWrite, Db, Result, now, on_db};

/// A publication decision (quyết định công bố) of a procedure.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Version {
    pub id: i64,
    pub tthc_id: i64,
    pub kind: String,
    pub decision_number: String,
    pub decision_date: NaiveDate,
    pub effective_date: NaiveDate,
    pub law_effective_date: Option<NaiveDate>,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

impl Version {
    pub fn kind(&self) -> Option<DecisionKind> {
        DecisionKind::parse(&self.kind)
    }

    /// The day the công bố deadline counts back from: the legal document's effective date,
    /// or the decision's own when it was not recorded.
    pub fn law_effective(&self) -> NaiveDate {
        self.law_effective_date.unwrap_or(self.effective_date)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct VersionInput {
    pub kind: DecisionKind,
    pub decision_number: String,
    pub decision_date: NaiveDate,
    pub effective_date: NaiveDate,
    pub law_effective_date: Option<NaiveDate>,
    pub note: String,
}

const VERSION_COLUMNS: &str = "id, tthc_id, kind, decision_number, decision_date, effective_date, \
     law_effective_date, note, created_at";

pub async fn versions(db: &Db, tthc_id: i64) -> Result<Vec<Version>> {
    let sql = format!(
        "select {VERSION_COLUMNS} from tthc_version where tthc_id = $1 order by decision_date desc, id desc"
    );
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(tthc_id)
        .fetch_all(p)
        .await?))
}

/// Every decision between two days (inclusive), for statistics.
pub async fn versions_between(db: &Db, from: NaiveDate, to: NaiveDate) -> Result<Vec<Version>> {
    let sql = format!(
        "select {VERSION_COLUMNS} from tthc_version where decision_date >= $1 and decision_date <= $2 \
         order by decision_date, id"
    );
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(from)
        .bind(to)
        .fetch_all(p)
        .await?))
}

/// Records a publication decision; an abolishing one also marks the procedure inactive,
/// any other one active.
pub async fn add_version(
    db: &Db,
    tthc_id: i64,
    input: &VersionInput,
    actor: &Actor,
) -> Result<Version> {
    let proc_ = get(db, tthc_id).await?;
    let t = now();
    let active = input.kind != DecisionKind::Abolished;
    let id = on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "insert into tthc_version (tthc_id, kind, decision_number, decision_date, effective_date, \
             law_effective_date, note, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
        )
        .bind(tthc_id)
        .bind(input.kind.code())
        .bind(&input.decision_number)
        .bind(input.decision_date)
        .bind(input.effective_date)
        .bind(input.law_effective_date)
        .bind(&input.note)
        .bind(t)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("update tthc set active = $1, updated_at = $2 where id = $3")
            .bind(active)
            .bind(t)
            .bind(tthc_id)
            .execute(&mut *tx)
            .await?;
        let entry = AuditEntry::new(
            actor,
            "publish",
            "procedure",
            tthc_id,
            format!(
                "Quyết định công bố {} ({}) thủ tục {}",
                input.decision_number,
                input.kind.label(),
                proc_.code
            ),
        )
        .after(input);
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
        id
    });
    let sql = format!("select {VERSION_COLUMNS} from tthc_version where id = $1");
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_one(p)
        .await?))
}

/// The công bố deadlines in force (`tthc_publication_rule`).
pub async fn publication_rules(db: &Db) -> Result<Vec<PublicationRule>> {
    let rows: Vec<(String, NaiveDate, i32, String)> = on_db!(db, |p| {
        sqlx::query_as(
        "select publisher, valid_from, lead_working_days, basis from tthc_publication_rule order by valid_from"
    )
    .fetch_all(p)
    .await?
    });
    Ok(rows
        .into_iter()
        .filter_map(|(publisher, valid_from, days, basis)| {
            Some(PublicationRule {
                publisher: Publisher::parse(&publisher)?,
                valid_from,
                lead_working_days: u32::try_from(days).ok()?,
                basis,
            })
        })
        .collect())
}
