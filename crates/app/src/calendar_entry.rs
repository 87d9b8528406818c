//! Quyết định về lịch làm việc — a government decision row (day off, compensatory day,
//! swapped day off, make-up working day) validated, saved or withdrawn by an
//! administrator; each change rebuilds the legal calendar, records a new version with its
//! reason and moves the open task deadlines it affects (`jobs::recompute_deadlines`) and
//! the open dossiers' appointments (`deadline::recompute_dossier_appointments`).

use std::sync::Arc;

use chrono::{Datelike, Weekday};
use domain::calendar::{Calendar, CalendarEntry, DayKind};
use domain::fmt::date_vn;
use domain::validate::{Checker, FieldError};
use serde::Deserialize;
use store::calendar::{EntryRow, VersionRow};

use crate::{App, Caller, ServiceError};

/// The fields of a decision row, as text.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct EntryFields {
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub decided_by: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub confirmed: String,
}

/// Validates a decision row. A make-up working day is a Saturday or Sunday worked in
/// exchange, and a swapped day off is a weekday (the yearly swap notices of Bộ Nội vụ /
/// Bộ LĐTBXH move a working day onto a weekend).
pub fn check_entry(f: &EntryFields) -> Result<CalendarEntry, Vec<FieldError>> {
    let mut c = Checker::new();
    let date = if f.date.trim().is_empty() {
        c.fail("date", "Ngày không được để trống.");
        None
    } else {
        c.date("date", "Ngày", &f.date)
    };
    if let Some(d) = date
        && !(1900..=2199).contains(&d.year())
    {
        c.fail("date", "Ngày phải trong khoảng 1900–2199.");
    }
    let kind = DayKind::parse(&f.kind);
    if kind.is_none() {
        c.fail("kind", "Loại ngày không hợp lệ.");
    }
    if let (Some(d), Some(k)) = (date, kind) {
        let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
        if k == DayKind::MakeupWorkday && !weekend {
            c.fail("date", "Ngày làm bù phải là thứ Bảy hoặc Chủ nhật.");
        }
        if k == DayKind::SwappedOff && weekend {
            c.fail(
                "date",
                "Ngày nghỉ hoán đổi phải là ngày làm việc trong tuần.",
            );
        }
    }
    let name = c.required("name", "Tên ngày nghỉ", &f.name, 200);
    let decided_by = c
        .optional("decided_by", "Văn bản quyết định", Some(&f.decided_by), 200)
        .unwrap_or_default();
    let source = c
        .optional("source", "Nguồn", Some(&f.source), 500)
        .unwrap_or_default();
    let confirmed = matches!(f.confirmed.as_str(), "1" | "true" | "on" | "yes");
    match (c.is_ok(), date, kind) {
        (true, Some(date), Some(kind)) => Ok(CalendarEntry {
            date,
            kind,
            name,
            decided_by,
            confirmed,
            source,
        }),
        _ => Err(c.errors),
    }
}

/// A saved or withdrawn decision row, the calendar version it produced, how many open
/// task deadlines moved and how many open dossiers' appointments moved.
pub struct Changed {
    pub row: EntryRow,
    pub calendar: Arc<Calendar>,
    pub moved: usize,
    pub dossiers_moved: usize,
}

fn ensure_admin(caller: &Caller) -> Result<(), ServiceError> {
    if caller.principal.is_admin() {
        Ok(())
    } else {
        Err(ServiceError::forbidden())
    }
}

/// Rebuilds the calendar after a change, records the new version with its reason and
/// moves the open deadlines it affects.
async fn rebuild(
    state: &App,
    caller: &Caller,
    before: Arc<Calendar>,
    row: EntryRow,
    reason: String,
) -> Result<Changed, ServiceError> {
    let calendar = state
        .calendar
        .changed(&state.db, &reason, Some(&caller.principal.username))
        .await?;
    let moved = crate::jobs::recompute_deadlines(&state.db, &calendar, &caller.actor()).await?;
    let dossiers_moved = crate::deadline::recompute_dossier_appointments(
        &state.db,
        &before,
        &calendar,
        &caller.actor(),
    )
    .await?;
    Ok(Changed {
        row,
        calendar,
        moved,
        dossiers_moved,
    })
}

/// Adds (`id` none) or corrects a decision row (administrators).
pub async fn save(
    state: &App,
    caller: &Caller,
    id: Option<i64>,
    e: &CalendarEntry,
) -> Result<Changed, ServiceError> {
    ensure_admin(caller)?;
    let before = state.calendar.get(&state.db).await?;
    // `store::calendar::save` reads the row it corrects (404 when absent).
    let row = store::calendar::save(&state.db, id, e, &caller.actor()).await?;
    let verb = if id.is_some() { "Sửa" } else { "Thêm" };
    let reason = format!("{verb} ngày {} – {}", date_vn(&e.date), e.name);
    rebuild(state, caller, before, row, reason).await
}

/// Withdraws (kept, marked inactive) or restores a decision row (administrators).
pub async fn set_active(
    state: &App,
    caller: &Caller,
    id: i64,
    active: bool,
) -> Result<Changed, ServiceError> {
    ensure_admin(caller)?;
    let before = state.calendar.get(&state.db).await?;
    let row = store::calendar::set_active(&state.db, id, active, &caller.actor()).await?;
    let verb = if active { "Khôi phục" } else { "Hủy bỏ" };
    let reason = format!("{verb} ngày {} – {}", date_vn(&row.day), row.name);
    rebuild(state, caller, before, row, reason).await
}

/// One decision row (administrators; 404 when absent).
pub async fn get(state: &App, caller: &Caller, id: i64) -> Result<EntryRow, ServiceError> {
    ensure_admin(caller)?;
    Ok(store::calendar::get(&state.db, id).await?)
}

/// What the calendar page lists besides the days: a year's decision rows and the
/// calendar's last five versions.
pub struct YearEntries {
    pub entries: Vec<EntryRow>,
    pub versions: Vec<VersionRow>,
}

/// The decision rows of `year` and the latest versions of the calendar.
pub async fn of_year(state: &App, year: i32) -> Result<YearEntries, ServiceError> {
    Ok(YearEntries {
        entries: store::calendar::entries_of_year(&state.db, year).await?,
        versions: store::calendar::versions(&state.db, 5).await?,
    })
}
