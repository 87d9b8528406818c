//! Opening a dossier ([`intake`]): its code, row, opening event, files, outbox row, audit
//! entry and aggregate mark in one transaction, idempotent by key.

use chrono::{DateTime, Utc};
use domain::dossier::{DossierEvent, EventKind};
use domain::text::fold_vi;

use super::{Dossier, get};
use crate::audit::{Actor, AuditEntry};
use crate::file::NewFile;
use crate::{BeginWrite, Db, Result, StoreError, on_db};

/// A dossier to open: everything the desk (or the portal) knows at submission.
#[derive(Debug, Clone)]
pub struct NewDossier {
    pub tthc_id: i64,
    pub agency_id: i64,
    /// The agency that processes it (the procedure's agency, or the desk's own unit).
    pub handling_agency_id: Option<i64>,
    pub agency_eid: String,
    pub channel: i32,
    pub applicant_name: String,
    pub applicant_id_no: Option<String>,
    pub applicant_phone: Option<String>,
    pub applicant_email: Option<String>,
    pub applicant_address: Option<String>,
    /// The opening event: online submission, reception or refusal at intake.
    pub event: DossierEvent,
    pub at: DateTime<Utc>,
    pub appointment_at: Option<DateTime<Utc>>,
    pub target_at: Option<DateTime<Utc>>,
    pub step_due_at: Option<DateTime<Utc>>,
    pub fee_amount: Option<i64>,
    pub regime: String,
    pub note: String,
    pub idempotency_key: Option<String>,
    pub files: Vec<NewFile>,
    /// The documents ticked on the checklist (migration 0021).
    pub documents: Vec<ReceivedDocument>,
}

/// A document of the published list received with a dossier.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct ReceivedDocument {
    pub seq: i32,
    pub case_name: Option<String>,
    pub name: String,
    pub copies: String,
}

/// The documents received with a dossier, in list order.
pub async fn documents(db: &Db, dossier_id: i64) -> Result<Vec<ReceivedDocument>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
            "select seq, case_name, name, copies from dossier_document where dossier_id = $1 order by seq",
        )
        .bind(dossier_id)
        .fetch_all(p)
        .await?
    }))
}

/// Opens a dossier. With an idempotency key already used, returns the existing dossier
/// and `false` (a retried request never creates two).
pub async fn intake(db: &Db, d: &NewDossier, actor: &Actor) -> Result<(Dossier, bool)> {
    if let Some(key) = &d.idempotency_key
        && let Some(id) = by_idempotency_key(db, key).await?
    {
        return Ok((get(db, id).await?, false));
    }
    let status = domain::dossier::open(&d.event).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let local_day = domain::time::day_of(d.at);
    let kind = d.event.kind();
    let received_at = matches!(kind, EventKind::Receive).then_some(d.at);
    let search = fold_vi(&format!(
        "{} {}",
        d.applicant_name,
        d.applicant_phone.as_deref().unwrap_or("")
    ));
    let gate = db.write_gate().await;
    let res: Result<i64> = async { on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        let (seq,): (i32,) = sqlx::query_as(
            "insert into dossier_seq (agency_id, day, last) values ($1, $2, 1) \
             on conflict (agency_id, day) do update set last = dossier_seq.last + 1 returning last",
        )
        .bind(d.agency_id)
        .bind(local_day)
        .fetch_one(&mut *tx)
        .await?;
        let code = domain::dossier::DossierCode::new(&d.agency_eid, local_day, seq as u16)
            .map_err(|e| StoreError::Invalid(e.to_string()))?
            .to_string();
        let id: i64 = sqlx::query_scalar(
            "insert into dossier (code, tthc_id, agency_id, handling_agency_id, channel, status, applicant_name, \
             applicant_id_no, applicant_phone, applicant_email, applicant_address, submitted_at, received_at, \
             appointment_at, due_at, target_at, supplement_count, step_seq, step_due_at, fee_amount, paid_online, \
             digitized, e_result, regime, idempotency_key, search_text, created_at, updated_at, stopped_at, \
             unit_id, online_level) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, 0, 0, $16, $17, false, \
             $18, false, $19, $20, $21, $12, $12, $22, \
             coalesce((select t.agency_id from tthc t where t.id = $2 and t.level = 'tinh'), $4, $3), \
             (select t.online_level from tthc t where t.id = $2)) returning id",
        )
        .bind(&code)
        .bind(d.tthc_id)
        .bind(d.agency_id)
        .bind(d.handling_agency_id)
        .bind(d.channel)
        .bind(status.code() as i32)
        .bind(&d.applicant_name)
        .bind(&d.applicant_id_no)
        .bind(&d.applicant_phone)
        .bind(&d.applicant_email)
        .bind(&d.applicant_address)
        .bind(d.at)
        .bind(received_at)
        .bind(d.appointment_at)
        .bind(d.target_at)
        .bind(d.step_due_at)
        .bind(d.fee_amount)
        .bind(d.files.iter().any(|f| f.digitized))
        .bind(&d.regime)
        .bind(&d.idempotency_key)
        .bind(&search)
        .bind(matches!(kind, EventKind::RefuseAtIntake).then_some(d.at))
        .fetch_one(&mut *tx)
        .await?;
        let event_id: i64 = sqlx::query_scalar(
            "insert into dossier_event (dossier_id, kind, from_status, to_status, at, user_id, agency_id, \
             to_agency_id, step_seq, step_name, note) values ($1, $2, null, $3, $4, $5, $6, $7, 0, $8, $9) returning id",
        )
        .bind(id)
        .bind(kind.code())
        .bind(status.code() as i32)
        .bind(d.at)
        .bind(actor.user_id)
        .bind(d.agency_id)
        .bind(d.handling_agency_id)
        .bind("Tiếp nhận hồ sơ")
        .bind(&d.note)
        .fetch_one(&mut *tx)
        .await?;
        crate::insert_files!(tx, crate::file::Owner::DossierDocument(id), d.files, actor.user_id, d.at);
        for doc in &d.documents {
            sqlx::query("insert into dossier_document (dossier_id, seq, case_name, name, copies) values ($1, $2, $3, $4, $5)")
                .bind(id)
                .bind(doc.seq)
                .bind(&doc.case_name)
                .bind(&doc.name)
                .bind(&doc.copies)
                .execute(&mut *tx)
                .await?;
        }
        let payload = serde_json::json!({"MaHoSo": code, "TrangThaiHoSo": status.code(), "KenhThucHien": d.channel,
            "NgayTiepNhan": received_at, "NgayHenTra": d.appointment_at, "SuKien": kind.code(), "ThoiDiem": d.at});
        sqlx::query("insert into dossier_outbox (dossier_id, event_id, payload, created_at, attempts) values ($1, $2, $3, $4, 0)")
            .bind(id)
            .bind(event_id)
            .bind(payload.to_string())
            .bind(d.at)
            .execute(&mut *tx)
            .await?;
        let entry = AuditEntry::new(actor, kind.code(), "dossier", id,
            format!("{} hồ sơ {code} ({})", kind.title(), d.applicant_name));
        crate::insert_audit!(&mut *tx, entry);
        crate::agg::touch(&mut *tx, id).await?;
        tx.commit().await?;
        Ok(id)
    }) }
    .await;
    drop(gate);
    crate::agg::schedule_drain(db);
    match res {
        Ok(id) => Ok((get(db, id).await?, true)),
        // Two retries raced on the same key: the loser returns the winner's dossier.
        Err(StoreError::Conflict(c)) if c.contains("idem") => {
            let key = d.idempotency_key.as_deref().unwrap_or_default();
            let id = by_idempotency_key(db, key)
                .await?
                .ok_or(StoreError::NotFound)?;
            Ok((get(db, id).await?, false))
        }
        Err(e) => Err(e),
    }
}

async fn by_idempotency_key(db: &Db, key: &str) -> Result<Option<i64>> {
    Ok(on_db!(db, |p| {
        sqlx::query_scalar("select id from dossier where idempotency_key = $1")
            .bind(key)
            .fetch_optional(p)
            .await?
    }))
}
