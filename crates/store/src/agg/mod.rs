//! Indicator aggregates (issue 7, "Speed at province scale"): per-unit counters by day and
//! by month, maintained in the transaction of every dossier write, so that a unit's 766
//! facts for any period read a few hundred rows per unit instead of every dossier of the
//! period (`domain::indicator::counters` holds the rules; this module the SQL).
//!
//! - **Attribution** ([`unit_of`]): each dossier counts for exactly one unit, fixed at
//!   intake in `dossier.unit_id` — the implementing agency of a provincial-level procedure
//!   (`tthc.level = 'tinh'`) when the catalog names one, else the competent (handling)
//!   agency chosen at intake, else the receiving desk (`dossier.agency_id`). VPCP's "Mô tả
//!   công thức tính chỉ số 766" counts by "đơn vị giải quyết", and under NĐ 118/2025 Điều
//!   20 a desk may receive for another unit (reception independent of boundaries). A subtree is `unit path like prefix%`, so sums never count a
//!   dossier twice. The procedure's online level is fixed at intake too
//!   (`dossier.online_level`), so a later catalog edit does not rewrite past months.
//! - **Maintenance** ([`touch`]): called once per write path (intake, transition, note,
//!   outbox delivery) just before commit. On PostgreSQL it is [`on_dossier_write`]: it
//!   reads the dossier as the transaction left it, computes its [`Contribution`], and
//!   applies `new − old` to the day and month rows (`insert … on conflict … do update set
//!   x = x + excluded.x`), then stores the new contribution in `agg_dossier`. On SQLite it
//!   marks the dossier in `agg_dirty` in the same transaction, and [`drain`](fn@drain)
//!   applies the marks set-based, in the background right after and before every read
//!   ([`sums`]).
//! - **Rebuild** ([`rebuild`](fn@rebuild)): recomputes everything from the dossier tables
//!   (after bulk generation, by `cchc aggregates rebuild`, and at start-up when never
//!   built).
//! - **Read** ([`sums`]): the period's flows and the stocks at its end.
//!
//! This module holds what the write path, the drain and the rebuild share: the dossier
//! row the counters read, the stored contribution, and the day and month changes between
//! two contributions. The SQL lives in the sub-modules: `maintain` (per write), `drain`
//! (the SQLite marks), `rebuild` (everything from the dossier tables) and `read` (sums).

mod drain;
mod maintain;
mod read;
mod rebuild;

pub use drain::{drain, schedule_drain};
pub use maintain::{AggConnection, on_dossier_write, touch, touch_sqlite};
pub use read::{Snapshot, snapshot, sums, sums_many, sums_subtrees};
pub use rebuild::{Rebuilt, ensure, rebuild};

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use domain::dossier::Pause;
use domain::indicator::counters::{Contribution, Counter, Counts, DossierRecord, month_of};

/// Vietnam local time (UTC+07:00) of an instant: the days counters are kept by.
fn local(t: DateTime<Utc>) -> NaiveDateTime {
    domain::time::local(t)
}

/// The unit a dossier counts for (see the module doc): the procedure's agency for a
/// provincial-level procedure that names one, else the handling agency, else the
/// receiving desk. The same rule is written in SQL ([`UNIT_SQL`], the intake insert);
/// migration 0011 set the units of the dossiers then stored (desk rule).
pub fn unit_of(
    tthc_level: &str,
    tthc_agency_id: Option<i64>,
    handling_id: Option<i64>,
    desk_id: i64,
) -> i64 {
    match tthc_agency_id {
        Some(a) if tthc_level == "tinh" => a,
        _ => handling_id.unwrap_or(desk_id),
    }
}

const UNIT_SQL: &str = "coalesce((select t.agency_id from tthc t where t.id = dossier.tthc_id and t.level = 'tinh'), dossier.handling_agency_id, dossier.agency_id)";

/// One dossier as the counters read it.
#[derive(Debug, Clone, sqlx::FromRow)]
struct DossierRow {
    id: i64,
    unit_id: Option<i64>,
    agency_id: i64,
    handling_agency_id: Option<i64>,
    tthc_level: String,
    tthc_agency_id: Option<i64>,
    tthc_online_level: String,
    online_level: Option<String>,
    #[sqlx(try_from = "i32")]
    status: domain::dossier::DossierStatus,
    channel: i32,
    received_at: Option<DateTime<Utc>>,
    /// The appointment in force: `due_at`, which the one clock moves after a supplement
    /// (domain::dossier::clock::appointment_after_pauses), so that 766 judges the same
    /// date the desk, the overdue list and the citizen see.
    appointment_at: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
    returned_at: Option<DateTime<Utc>>,
    stopped_at: Option<DateTime<Utc>>,
    withdrawn_at: Option<DateTime<Utc>>,
    supplement_count: i32,
    digitized: bool,
    e_result: bool,
    fee_amount: Option<i64>,
    paid_online: bool,
    rating: Option<i32>,
    pending: i64,
}

const DOSSIER_SELECT: &str = "select h.id, h.unit_id, h.agency_id, h.handling_agency_id, t.level as tthc_level, t.agency_id as tthc_agency_id, \
     t.online_level as tthc_online_level, h.online_level, h.status, h.channel, h.received_at, \
     coalesce(h.due_at, h.appointment_at) as appointment_at, \
     h.finished_at, h.returned_at, h.stopped_at, h.withdrawn_at, h.supplement_count, h.digitized, h.e_result, \
     h.fee_amount, h.paid_online, h.rating, \
     (select count(*) from dossier_outbox o where o.dossier_id = h.id and o.sent_at is null) as pending \
     from dossier h join tthc t on t.id = h.tthc_id";

impl DossierRow {
    fn unit(&self) -> i64 {
        self.unit_id.unwrap_or_else(|| {
            unit_of(
                &self.tthc_level,
                self.tthc_agency_id,
                self.handling_agency_id,
                self.agency_id,
            )
        })
    }

    fn online_level(&self) -> &str {
        self.online_level
            .as_deref()
            .unwrap_or(&self.tthc_online_level)
    }

    fn record(&self, pauses: Vec<Pause>) -> DossierRecord {
        DossierRecord {
            refused: self.status == domain::dossier::DossierStatus::RefusedAtIntake,
            received_at: self.received_at.map(local),
            appointment: self.appointment_at.map(local),
            supplement_pauses: pauses,
            finished_at: self.finished_at.map(local),
            returned_at: self.returned_at.map(local),
            stopped_at: self.stopped_at.map(local),
            withdrawn_at: self.withdrawn_at.map(local),
            online: self.channel == 2,
            full_online_eligible: self.online_level() == "toan_trinh",
            digitized: self.digitized,
            e_result: self.e_result,
            payable: self.fee_amount.is_some_and(|x| x > 0),
            paid_online: self.paid_online,
            rating: self.rating,
            synced: self.pending == 0,
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct PauseRow {
    dossier_id: i64,
    started_at: DateTime<Utc>,
    ended_at: Option<DateTime<Utc>>,
}

impl PauseRow {
    fn pause(&self) -> Pause {
        Pause {
            start: local(self.started_at),
            end: self.ended_at.map(local),
        }
    }
}

/// A stored contribution (`agg_dossier`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredContribution {
    pub dossier_id: i64,
    pub unit_id: i64,
    pub received_day: Option<NaiveDate>,
    pub flags: i32,
    pub end_day: Option<NaiveDate>,
    pub verdict: Option<i32>,
    pub overdue_day: Option<NaiveDate>,
    pub finished_day: Option<NaiveDate>,
    pub returned_day: Option<NaiveDate>,
}

impl StoredContribution {
    fn new(dossier_id: i64, unit_id: i64, c: &Contribution) -> StoredContribution {
        StoredContribution {
            dossier_id,
            unit_id,
            received_day: c.received_day,
            flags: c.flags as i32,
            end_day: c.end_day,
            verdict: c.verdict_code(),
            overdue_day: c.overdue_day,
            finished_day: c.finished_day,
            returned_day: c.returned_day,
        }
    }

    fn contribution(&self) -> Contribution {
        Contribution {
            received_day: self.received_day,
            flags: self.flags as u32,
            end_day: self.end_day,
            verdict: Contribution::verdict_of_code(self.verdict),
            overdue_day: self.overdue_day,
            finished_day: self.finished_day,
            returned_day: self.returned_day,
        }
    }
}

fn columns() -> String {
    Counter::ALL
        .iter()
        .map(|c| c.column())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The row changes `old → new` of one dossier: per (unit, day) and per (unit, month),
/// sorted (so that concurrent transactions lock rows in the same order).
type Changes = (Vec<(i64, NaiveDate, Counts)>, Vec<(i64, NaiveDate, Counts)>);

fn changes(old: Option<(i64, Contribution)>, new: (i64, Contribution)) -> Changes {
    let mut days: BTreeMap<(i64, NaiveDate), Counts> = BTreeMap::new();
    add_changes(&mut days, old, new);
    split(days)
}

/// Adds the day changes `old → new` of one dossier to `days`.
fn add_changes(
    days: &mut BTreeMap<(i64, NaiveDate), Counts>,
    old: Option<(i64, Contribution)>,
    new: (i64, Contribution),
) {
    match old {
        Some((u, c)) if u == new.0 => {
            for (d, n) in domain::indicator::counters::delta(&c, &new.1) {
                days.entry((u, d)).or_default().merge(&n, 1);
            }
        }
        Some((u, c)) => {
            for (d, n) in c.counts() {
                days.entry((u, d)).or_default().merge(&n, -1);
            }
            for (d, n) in new.1.counts() {
                days.entry((new.0, d)).or_default().merge(&n, 1);
            }
        }
        None => {
            for (d, n) in new.1.counts() {
                days.entry((new.0, d)).or_default().merge(&n, 1);
            }
        }
    }
}

/// Day changes → (day rows, month rows), sorted, without all-zero rows.
fn split(days: BTreeMap<(i64, NaiveDate), Counts>) -> Changes {
    let mut months: BTreeMap<(i64, NaiveDate), Counts> = BTreeMap::new();
    for ((u, d), n) in &days {
        months.entry((*u, month_of(*d))).or_default().merge(n, 1);
    }
    let keep = |m: BTreeMap<(i64, NaiveDate), Counts>| {
        m.into_iter()
            .filter(|(_, n)| !n.is_zero())
            .map(|((u, d), n)| (u, d, n))
            .collect::<Vec<_>>()
    };
    (keep(days), keep(months))
}
