//! Kỳ chấm điểm — a yearly round: opened by the Sở Nội vụ with its deadlines in working
//! days (the legal calendar), assigned to every unit in force at the end of the year on
//! the set in force for its kind; moved to appraisal; published, which freezes it.

use chrono::{Datelike, NaiveDate, Utc};
use domain::par::UnitKind;
use serde::{Deserialize, Serialize};
use store::par::RoundRow;

use super::*;
use crate::Caller;

/// Working days the units have to self-assess from the day a round opens, and the
/// appraisal group after that, when the Sở Nội vụ gives no dates. The provincial plans
/// give a unit about three weeks (tự đánh giá) and the appraisal about a month; the
/// dates are the Sở Nội vụ's to set, these are only the defaults of the form.
pub const DEFAULT_SELF_DAYS: u32 = 15;
pub const DEFAULT_APPRAISAL_DAYS: u32 = 20;

/// A round as lists show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RoundOut {
    pub id: i64,
    pub year: i32,
    pub title: String,
    /// The set of the departments (sở, ban, ngành), or of the first kind scored.
    pub set_id: Option<i64>,
    /// The set of each kind of unit.
    pub sets: Vec<RoundSet>,
    /// open | appraisal | published
    pub status: String,
    pub status_label: String,
    pub self_due_on: NaiveDate,
    pub appraisal_due_on: NaiveDate,
    /// Demonstration data.
    pub demo: bool,
    pub opened_at: chrono::DateTime<Utc>,
    pub published_at: Option<chrono::DateTime<Utc>>,
    /// The decision that published the results.
    pub decision: Option<String>,
    pub units: usize,
    pub submitted: usize,
    pub appraised: usize,
    /// Only in the answer to opening a round: kinds of unit in force that got no card
    /// because no criteria set applies to them that year (the Sở Nội vụ is told, not
    /// left to find out).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unscored: Vec<Unscored>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Unscored {
    pub unit_kind: String,
    pub unit_kind_label: String,
    pub units: usize,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RoundSet {
    pub unit_kind: String,
    pub unit_kind_label: String,
    pub set_id: i64,
    pub units: usize,
}

/// Cards of a round visible to the caller.
pub async fn cards_for(
    app: &App,
    p: &Principal,
    round_id: i64,
) -> Result<Vec<CardRow>, ServiceError> {
    let scope = if reads_all(p) {
        None
    } else {
        p.scope().prefix().map(str::to_string)
    };
    Ok(store::par::cards(&app.db, round_id, scope.as_deref()).await?)
}

fn round_out(r: &RoundRow, all: &[CardRow]) -> RoundOut {
    let mut sets: Vec<RoundSet> = Vec::new();
    for k in UnitKind::ALL {
        let of: Vec<&CardRow> = all.iter().filter(|c| c.unit_kind == k.code()).collect();
        if let Some(c) = of.first() {
            sets.push(RoundSet {
                unit_kind: k.code().into(),
                unit_kind_label: k.label().into(),
                set_id: c.set_id,
                units: of.len(),
            });
        }
    }
    RoundOut {
        id: r.id,
        year: r.year,
        title: r.title.clone(),
        set_id: sets.first().map(|s| s.set_id),
        sets,
        status: r.status.clone(),
        status_label: round_status_label(&r.status).into(),
        self_due_on: r.self_due_on,
        appraisal_due_on: r.appraisal_due_on,
        demo: r.demo,
        opened_at: r.opened_at,
        published_at: r.published_at,
        decision: r.decision.clone(),
        units: all.len(),
        submitted: all
            .iter()
            .filter(|c| c.status == CARD_SUBMITTED || c.status == CARD_APPRAISED)
            .count(),
        appraised: all.iter().filter(|c| c.status == CARD_APPRAISED).count(),
        unscored: Vec::new(),
    }
}

/// Every round, newest first (counts over the whole round).
pub async fn list_rounds(app: &App) -> Result<Vec<RoundOut>, ServiceError> {
    let rounds = store::par::rounds(&app.db).await?;
    let mut out = Vec::with_capacity(rounds.len());
    for r in &rounds {
        let cards = store::par::cards(&app.db, r.id, None).await?;
        out.push(round_out(r, &cards));
    }
    Ok(out)
}

pub async fn get_round(app: &App, id: i64) -> Result<RoundOut, ServiceError> {
    let r = round_row(app, id).await?;
    let cards = store::par::cards(&app.db, r.id, None).await?;
    Ok(round_out(&r, &cards))
}

/// What the Sở Nội vụ gives to open a round.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct OpenRound {
    pub year: i32,
    pub title: Option<String>,
    /// dd/mm/yyyy or yyyy-mm-dd; default: 15 working days from today.
    pub self_due_on: Option<String>,
    /// Default: 20 working days after the self-assessment deadline.
    pub appraisal_due_on: Option<String>,
}

/// Opens the round of a year: one card per unit in force on 31/12 of that year (or today,
/// for the current year) whose kind has a set in force. 409 when the year has a round.
pub async fn open_round(
    app: &App,
    caller: &Caller,
    input: &OpenRound,
) -> Result<RoundOut, ServiceError> {
    open_round_at(app, caller, input, false, Utc::now()).await
}

/// [`open_round`] at a given instant, for demo data when `demo`.
pub async fn open_round_at(
    app: &App,
    caller: &Caller,
    input: &OpenRound,
    demo: bool,
    t: chrono::DateTime<Utc>,
) -> Result<RoundOut, ServiceError> {
    if !is_secretariat(&caller.principal) {
        return Err(ServiceError::Forbidden(
            "Chỉ Sở Nội vụ được mở kỳ chấm điểm Chỉ số CCHC.".into(),
        ));
    }
    let today = domain::time::day_of(t);
    let mut c = domain::validate::Checker::new();
    if !(2015..=today.year() + 1).contains(&input.year) {
        c.fail(
            "year",
            format!("Năm chấm điểm phải từ 2015 đến {}.", today.year() + 1),
        );
    }
    let title = c.optional("title", "Tên kỳ chấm điểm", input.title.as_deref(), 300);
    let self_due = input
        .self_due_on
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .and_then(|s| c.date("self_due_on", "Hạn tự đánh giá", s));
    let appraisal_due = input
        .appraisal_due_on
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .and_then(|s| c.date("appraisal_due_on", "Hạn thẩm định", s));
    if !c.is_ok() {
        return Err(ServiceError::Invalid(c.errors));
    }
    let cal = app.calendar.get(&app.db).await?;
    let self_due = match self_due {
        Some(d) => d,
        None => cal
            .add_working_days(today, DEFAULT_SELF_DAYS)
            .map_err(|e| ServiceError::bad(e.to_string()))?,
    };
    let appraisal_due = match appraisal_due {
        Some(d) => d,
        None => cal
            .add_working_days(self_due, DEFAULT_APPRAISAL_DAYS)
            .map_err(|e| ServiceError::bad(e.to_string()))?,
    };
    if appraisal_due < self_due {
        return Err(ServiceError::invalid(
            "appraisal_due_on",
            "Hạn thẩm định phải sau hạn tự đánh giá.",
        ));
    }
    if store::par::round_of_year(&app.db, input.year)
        .await?
        .is_some()
    {
        return Err(ServiceError::Duplicate {
            field: "year".into(),
            message: format!("Năm {} đã có kỳ chấm điểm Chỉ số CCHC.", input.year),
        });
    }
    // Units in force at the end of the year (or today, for the year under way).
    let end = NaiveDate::from_ymd_opt(input.year, 12, 31).unwrap_or(today);
    let on = end.min(today.max(NaiveDate::from_ymd_opt(input.year, 1, 1).unwrap_or(today)));
    let (agencies, _) = store::agency::list(
        &app.db,
        &store::agency::AgencyFilter::default(),
        store::Page::all(),
    )
    .await?;
    let mut cards = Vec::new();
    let mut unscored = Vec::new();
    for k in UnitKind::ALL {
        let units: Vec<i64> = agencies
            .iter()
            .filter(|a| {
                a.valid_on(on)
                    && domain::org::AgencyKind::parse(&a.kind).and_then(UnitKind::of_agency)
                        == Some(k)
            })
            .map(|a| a.id)
            .collect();
        let Some(set) = super::set::set_for(app, k, input.year).await? else {
            if !units.is_empty() {
                unscored.push(Unscored {
                    unit_kind: k.code().into(),
                    unit_kind_label: k.label().into(),
                    units: units.len(),
                });
            }
            continue;
        };
        cards.extend(units.into_iter().map(|agency_id| store::par::NewCard {
            agency_id,
            set_id: set.id,
            unit_kind: k.code().into(),
        }));
    }
    if cards.is_empty() {
        return Err(ServiceError::Conflict(if unscored.is_empty() {
            format!(
                "Năm {} không có đơn vị nào để chấm điểm Chỉ số CCHC.",
                input.year
            )
        } else {
            format!(
                "Chưa có bộ tiêu chí nào áp dụng cho năm {} ({}): hãy nhập bộ tiêu chí trước khi mở kỳ.",
                input.year,
                unscored
                    .iter()
                    .map(|u| format!("{}: {} đơn vị", u.unit_kind_label, u.units))
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        }));
    }
    let new = store::par::NewRound {
        year: input.year,
        title: title.unwrap_or_else(|| format!("Chỉ số cải cách hành chính năm {}", input.year)),
        self_due_on: self_due,
        appraisal_due_on: appraisal_due,
        demo,
    };
    let r = store::par::open_round(&app.db, &new, &cards, &caller.actor(), t)
        .await
        .map_err(ServiceError::duplicate_of(&[(
            "par_round_year_idx",
            "year",
            "Năm này đã có kỳ chấm điểm Chỉ số CCHC.",
        )]))?;
    let mut out = get_round(app, r.id).await?;
    out.unscored = unscored;
    Ok(out)
}

/// Closes self-assessment: the round moves to appraisal (cards not yet submitted can
/// still be sent; the Sở Nội vụ sees who is late).
pub async fn start_appraisal(
    app: &App,
    caller: &Caller,
    id: i64,
) -> Result<RoundOut, ServiceError> {
    start_appraisal_at(app, caller, id, Utc::now()).await
}

pub async fn start_appraisal_at(
    app: &App,
    caller: &Caller,
    id: i64,
    t: chrono::DateTime<Utc>,
) -> Result<RoundOut, ServiceError> {
    if !is_secretariat(&caller.principal) {
        return Err(ServiceError::Forbidden(
            "Chỉ Sở Nội vụ được chuyển kỳ chấm điểm sang thẩm định.".into(),
        ));
    }
    let r = round_row(app, id).await?;
    if r.status != ROUND_OPEN {
        return Err(ServiceError::Conflict(format!(
            "Kỳ chấm điểm đang ở trạng thái “{}”, không chuyển sang thẩm định được.",
            round_status_label(&r.status)
        )));
    }
    store::par::round_status(&app.db, id, ROUND_OPEN, ROUND_APPRAISAL, &caller.actor(), t)
        .await
        .map_err(ServiceError::stale_as(
            "Kỳ chấm điểm vừa được người khác chuyển trạng thái; vui lòng tải lại trang.",
        ))?;
    get_round(app, id).await
}
