//! Đồng hồ giải quyết — the one clock of every dossier: from the reception instant to the
//! day counting starts, then to the appointment (ngày hẹn trả), for every kind of published
//! time limit, and how pauses move it. The rules and their legal basis are data
//! (`data/dossier/clock.toml`, by regime: NĐ 61/2018 until 30/6/2025, NĐ 118/2025 from
//! 1/7/2025); this module applies them.
//!
//! - Reception outside office hours or on a day off counts from the next working day
//!   (NĐ 118/2025 Điều 17 khoản 3: the clock runs from the official acceptance).
//! - The reception day is not counted (Bộ luật Dân sự 2015 Điều 147 khoản 2).
//! - An afternoon cut-off applies only when the procedure's own time limit names one.
//! - Working days: closing time of the n-th working day after the reception day.
//!   Working hours: reception start plus n office hours. "Trong ngày": closing time of the
//!   reception day. Calendar days: the n-th day after the reception day, moved to the next
//!   working day when it is a day off (BLDS 2015 Điều 148 khoản 5). "Không quy định": no
//!   appointment.
//! - A supplement request pauses the clock: NĐ 61 excludes the paused time, NĐ 118 restarts
//!   the limit from the complete dossier (Điều 19 khoản 5). Waiting for a fee does not pause
//!   it (no general source).

use std::sync::OnceLock;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use super::deadline::WorkingLimit;
use super::timing::Pause;
use crate::calendar::{Calendar, CalendarError, OfficeHours, TimeLimit};
use crate::procedure::{LegalTimeLimit, parse_time_limit};

/// The kind of a published time limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "unit", content = "amount")]
pub enum LimitKind {
    /// "N ngày làm việc".
    WorkingDays(u32),
    /// "N giờ" (giờ làm việc).
    WorkingHours(u32),
    /// "N ngày": calendar days under the Civil Code.
    CalendarDays(u32),
    /// "Trong ngày", "ngay trong ngày": by the end of the reception day.
    SameDay,
    /// "Không quy định": the law sets no time limit; no appointment.
    Unspecified,
}

impl LimitKind {
    /// Stable code for JSON and reports.
    pub fn code(self) -> &'static str {
        match self {
            LimitKind::WorkingDays(_) => "working_days",
            LimitKind::WorkingHours(_) => "working_hours",
            LimitKind::CalendarDays(_) => "calendar_days",
            LimitKind::SameDay => "same_day",
            LimitKind::Unspecified => "unspecified",
        }
    }

    /// Vietnamese wording.
    pub fn label(self) -> String {
        match self {
            LimitKind::WorkingDays(n) => format!("{n} ngày làm việc"),
            LimitKind::WorkingHours(n) => format!("{n} giờ làm việc"),
            LimitKind::CalendarDays(n) => format!("{n} ngày (theo ngày dương lịch)"),
            LimitKind::SameDay => "trong ngày".into(),
            LimitKind::Unspecified => "không quy định thời hạn".into(),
        }
    }

    /// The limit in working time, when it is one.
    pub fn working(self) -> Option<WorkingLimit> {
        match self {
            LimitKind::WorkingDays(n) => Some(WorkingLimit::Days(n)),
            LimitKind::WorkingHours(n) => Some(WorkingLimit::Hours(n)),
            LimitKind::SameDay => Some(WorkingLimit::Days(0)),
            LimitKind::CalendarDays(_) | LimitKind::Unspecified => None,
        }
    }
}

/// A published time limit, read: its kind and the afternoon cut-off it names, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limit {
    pub kind: LimitKind,
    /// "Tiếp nhận sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo" → 15:00.
    pub cutoff: Option<NaiveTime>,
}

impl Limit {
    /// A procedure's limit: its published text as [`Limit::parse`] reads it, else the
    /// stored working limit (a catalog row whose text cannot be read), else none.
    pub fn of(text: &str, working: Option<WorkingLimit>) -> Option<Limit> {
        Limit::parse(text).ok().or_else(|| {
            working.map(|l| Limit {
                kind: match l {
                    WorkingLimit::Days(n) => LimitKind::WorkingDays(n),
                    WorkingLimit::Hours(n) => LimitKind::WorkingHours(n),
                },
                cutoff: None,
            })
        })
    }

    /// Reads a time limit as published ("05 ngày làm việc", "08 giờ", "30 ngày", "Trong
    /// ngày; tiếp nhận sau 15 giờ …", "Không quy định"). The error is a Vietnamese reason.
    pub fn parse(text: &str) -> Result<Limit, String> {
        let lower = crate::text::fold_vi(text.trim());
        if lower.starts_with("khong quy dinh") {
            return Ok(Limit {
                kind: LimitKind::Unspecified,
                cutoff: None,
            });
        }
        Ok(match parse_time_limit(text)? {
            LegalTimeLimit::Working {
                limit: WorkingLimit::Days(0),
                cutoff,
            } => Limit {
                kind: LimitKind::SameDay,
                cutoff,
            },
            LegalTimeLimit::Working { limit, cutoff } => Limit {
                kind: match limit {
                    WorkingLimit::Days(n) => LimitKind::WorkingDays(n),
                    WorkingLimit::Hours(n) => LimitKind::WorkingHours(n),
                },
                cutoff,
            },
            LegalTimeLimit::CalendarDays(n) => Limit {
                kind: LimitKind::CalendarDays(n),
                cutoff: None,
            },
        })
    }
}

/// How a dossier reached the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// At the one-stop desk (trực tiếp) or by post.
    Desk,
    /// Through the public-service portal (trực tuyến).
    Online,
}

impl Channel {
    pub fn parse(s: &str) -> Option<Channel> {
        match s.trim() {
            "desk" | "truc_tiep" | "1" | "3" => Some(Channel::Desk),
            "online" | "truc_tuyen" | "2" => Some(Channel::Online),
            _ => None,
        }
    }

    /// The channel of a stored KenhThucHien code (2 = online; 1 desk, 3 post).
    pub fn of_code(code: i32) -> Channel {
        if code == 2 {
            Channel::Online
        } else {
            Channel::Desk
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Channel::Desk => "desk",
            Channel::Online => "online",
        }
    }
}

/// What a supplement request does to the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupplementRule {
    /// The paused time is not counted; the time spent before it still counts (NĐ 61).
    Exclude,
    /// The limit counts again from the start once the complete dossier is received
    /// (NĐ 118/2025 Điều 19 khoản 5).
    Restart,
}

/// The clock rules of one regime, with the basis of each (`data/dossier/clock.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ClockRules {
    pub regime: String,
    pub valid_from: NaiveDate,
    pub sessions: Vec<(String, String)>,
    pub office_hours_basis: String,
    pub office_hours_status: String,
    pub outside_hours_basis: String,
    pub outside_hours_status: String,
    pub first_day_basis: String,
    pub first_day_status: String,
    pub cutoff_basis: String,
    pub cutoff_status: String,
    pub calendar_days_basis: String,
    pub calendar_days_status: String,
    pub calendar_day_end_basis: String,
    pub calendar_day_end_status: String,
    pub supplement: SupplementRule,
    pub supplement_basis: String,
    pub supplement_status: String,
    pub fee_pause: bool,
    pub fee_basis: String,
    pub fee_status: String,
    /// An apology letter (rescheduling the appointment) is sent at the latest this many
    /// days before the due date.
    pub apology_days_before: i64,
    /// How many times the appointment may be rescheduled.
    pub apology_max: u32,
    pub apology_basis: String,
    pub apology_status: String,
}

#[derive(Deserialize)]
struct ClockFile {
    clock: Vec<ClockRules>,
}

const CLOCK_TOML: &str = include_str!("../../../../data/dossier/clock.toml");

/// Parses a clock file: at least one row, increasing dates, valid office sessions.
pub fn parse_clocks(text: &str) -> Result<Vec<ClockRules>, String> {
    let f: ClockFile = basic_toml::from_str(text).map_err(|e| e.to_string())?;
    if f.clock.is_empty() {
        return Err("no clock rules".into());
    }
    if f.clock
        .windows(2)
        .any(|w| w[0].valid_from >= w[1].valid_from)
    {
        return Err("clock rules must be in increasing date order".into());
    }
    for c in &f.clock {
        c.office_hours().map_err(|e| format!("{}: {e}", c.regime))?;
    }
    Ok(f.clock)
}

/// Every regime's clock rules, oldest first.
pub fn clocks() -> &'static [ClockRules] {
    static C: OnceLock<Vec<ClockRules>> = OnceLock::new();
    C.get_or_init(|| parse_clocks(CLOCK_TOML).unwrap_or_default())
}

/// The clock rules for a dossier received on `day` (the regime in force that day; the
/// oldest for earlier days).
pub fn clock_on(day: NaiveDate) -> &'static ClockRules {
    let all = clocks();
    all.iter()
        .rev()
        .find(|c| c.valid_from <= day)
        .or_else(|| all.first())
        .expect("data/dossier/clock.toml has at least one row (checked by its test)")
}

impl ClockRules {
    /// Whether a pause of `kind` ("supplement", "payment") stops the clock under these
    /// rules: supplements always, fee waits only where `fee_pause` says so.
    pub fn counts_pause(&self, kind: &str) -> bool {
        kind == "supplement" || (kind == "payment" && self.fee_pause)
    }

    /// The office sessions (no cut-off).
    pub fn office_hours(&self) -> Result<OfficeHours, CalendarError> {
        let t = |s: &str| {
            NaiveTime::parse_from_str(s, "%H:%M")
                .map_err(|_| CalendarError::Parse(format!("bad time {s}")))
        };
        let sessions = self
            .sessions
            .iter()
            .map(|(a, b)| Ok((t(a)?, t(b)?)))
            .collect::<Result<Vec<_>, CalendarError>>()?;
        OfficeHours::new(sessions, None)
    }
}

/// One rule applied to reach an appointment, with its basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppliedRule {
    /// Stable code: office_hours, outside_hours, cutoff, first_day, working_days, …
    pub code: &'static str,
    /// What it did, in Vietnamese.
    pub text: String,
    /// Its legal basis.
    pub basis: String,
    /// confirmed, inferred or decision.
    pub status: String,
}

/// The reckoning of one reception: where counting starts and the appointment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reckoning {
    pub kind: LimitKind,
    pub received_at: NaiveDateTime,
    /// The day the reception counts as (its own date, or the next working day).
    pub reception_day: NaiveDate,
    /// The first day (or, for hours, the instant) the limit counts.
    pub counted_from: NaiveDateTime,
    /// Ngày hẹn trả; `None` when the law sets no limit.
    pub appointment: Option<NaiveDateTime>,
    pub rules: Vec<AppliedRule>,
    pub regime: String,
}

fn rule(code: &'static str, text: String, basis: &str, status: &str) -> AppliedRule {
    AppliedRule {
        code,
        text,
        basis: basis.to_string(),
        status: status.to_string(),
    }
}

/// The appointment for a dossier received at `received` (local time) under `limit`,
/// following `rules`, with every rule applied listed.
pub fn reckon(
    limit: &Limit,
    received: NaiveDateTime,
    channel: Channel,
    cal: &Calendar,
    rules: &ClockRules,
) -> Result<Reckoning, CalendarError> {
    let plain = rules.office_hours()?;
    let hours = OfficeHours {
        cutoff: limit.cutoff,
        ..plain.clone()
    };
    let mut applied = Vec::new();
    let sessions: Vec<String> = plain
        .sessions
        .iter()
        .map(|(a, b)| format!("{}–{}", a.format("%H:%M"), b.format("%H:%M")))
        .collect();
    applied.push(rule(
        "office_hours",
        format!("Giờ hành chính: {}.", sessions.join(", ")),
        &rules.office_hours_basis,
        &rules.office_hours_status,
    ));
    let start = cal.reception_start(&hours, received)?;
    let day = start.date();
    let in_hours = cal.is_working_day(received.date())?
        && received.time() < plain.closing()
        && received.time() >= plain.opening();
    let after_cutoff = limit.cutoff.is_some_and(|c| {
        cal.is_working_day(received.date()).unwrap_or(false)
            && received.time() >= c
            && received.time() < plain.closing()
    });
    if after_cutoff {
        applied.push(rule(
            "cutoff",
            format!(
                "Tiếp nhận sau {} (giờ chốt của thủ tục): tính như tiếp nhận ngày làm việc tiếp theo {}.",
                limit.cutoff.map(|c| c.format("%H:%M").to_string()).unwrap_or_default(),
                crate::fmt::date_vn(&day)
            ),
            &rules.cutoff_basis,
            &rules.cutoff_status,
        ));
    } else if !in_hours && day != received.date() {
        let how = match channel {
            Channel::Online => "Nộp trực tuyến ngoài giờ hành chính hoặc ngày nghỉ",
            Channel::Desk => "Tiếp nhận ngoài giờ hành chính hoặc ngày nghỉ",
        };
        applied.push(rule(
            "outside_hours",
            format!(
                "{how}: tính như tiếp nhận ngày làm việc tiếp theo {}.",
                crate::fmt::date_vn(&day)
            ),
            &rules.outside_hours_basis,
            &rules.outside_hours_status,
        ));
    }
    let closing = plain.closing();
    let first_day = |applied: &mut Vec<AppliedRule>, from: NaiveDate| {
        applied.push(rule(
            "first_day",
            format!(
                "Không tính ngày tiếp nhận; bắt đầu tính từ {}.",
                crate::fmt::date_vn(&from)
            ),
            &rules.first_day_basis,
            &rules.first_day_status,
        ));
    };
    let (counted_from, appointment) = match limit.kind {
        LimitKind::WorkingDays(n) => {
            let from = cal.add_working_days(day, 1)?;
            first_day(&mut applied, from);
            let due = cal.due(&hours, received, TimeLimit::WorkingDays(n))?;
            applied.push(rule(
                "working_days",
                format!(
                    "{n} ngày làm việc, bỏ qua ngày nghỉ theo lịch: hẹn trả {} {}.",
                    due.format("%H:%M"),
                    crate::fmt::date_vn(&due.date())
                ),
                &rules.first_day_basis,
                &rules.first_day_status,
            ));
            (from.and_time(plain.opening()), Some(due))
        }
        LimitKind::WorkingHours(n) => {
            let due = cal.due(&hours, received, TimeLimit::WorkingHours(n))?;
            applied.push(rule(
                "working_hours",
                format!(
                    "{n} giờ làm việc tính từ {} {}, chỉ trong giờ hành chính: hẹn trả {} {}.",
                    start.format("%H:%M"),
                    crate::fmt::date_vn(&start.date()),
                    due.format("%H:%M"),
                    crate::fmt::date_vn(&due.date())
                ),
                &rules.office_hours_basis,
                &rules.office_hours_status,
            ));
            (start, Some(due))
        }
        LimitKind::SameDay => {
            let due = day.and_time(closing);
            applied.push(rule(
                "same_day",
                format!(
                    "Trả kết quả trong ngày: {} {}.",
                    due.format("%H:%M"),
                    crate::fmt::date_vn(&day)
                ),
                "Thời hạn 'trong ngày' do văn bản quy định TTHC công bố (NĐ 63/2010/NĐ-CP Điều 8 khoản 2)",
                "confirmed",
            ));
            (start, Some(due))
        }
        LimitKind::CalendarDays(n) => {
            let from = day + Duration::days(1);
            first_day(&mut applied, from);
            let last = day + Duration::days(i64::from(n));
            let end = cal.working_day_on_or_after(last)?;
            let text = if end == last {
                format!(
                    "{n} ngày theo lịch dương: ngày cuối cùng {}.",
                    crate::fmt::date_vn(&last)
                )
            } else {
                format!(
                    "{n} ngày theo lịch dương: ngày cuối cùng {} là ngày nghỉ, kết thúc vào ngày làm việc tiếp theo {}.",
                    crate::fmt::date_vn(&last),
                    crate::fmt::date_vn(&end)
                )
            };
            applied.push(rule(
                "calendar_days",
                text,
                &rules.calendar_days_basis,
                &rules.calendar_days_status,
            ));
            applied.push(rule(
                "calendar_day_end",
                format!("Giờ hẹn trả: {}.", closing.format("%H:%M")),
                &rules.calendar_day_end_basis,
                &rules.calendar_day_end_status,
            ));
            (from.and_time(NaiveTime::MIN), Some(end.and_time(closing)))
        }
        LimitKind::Unspecified => {
            applied.push(rule(
                "unspecified",
                "Văn bản quy định thủ tục không quy định thời hạn giải quyết: không có ngày hẹn trả."
                    .into(),
                "Thời hạn giải quyết theo văn bản quy định TTHC (NĐ 63/2010/NĐ-CP Điều 8 khoản 2)",
                "confirmed",
            ));
            (start, None)
        }
    };
    Ok(Reckoning {
        kind: limit.kind,
        received_at: received,
        reception_day: day,
        counted_from,
        appointment,
        rules: applied,
        regime: rules.regime.clone(),
    })
}

/// The appointment in force after the supplement pauses, the same for every view (the
/// desk, the overdue list, 766, the monthly report): `None` while a pause is open (the
/// clock is stopped) or when there is no limit.
///
/// - [`SupplementRule::Restart`]: the limit counts again from the end of the last pause,
///   as a new reception at that instant.
/// - [`SupplementRule::Exclude`]: the original appointment moved later by the working
///   time of the pauses (for calendar-day limits, by their calendar days).
pub fn appointment_after_pauses(
    limit: &Limit,
    received: NaiveDateTime,
    channel: Channel,
    pauses: &[Pause],
    cal: &Calendar,
    rules: &ClockRules,
) -> Result<Option<NaiveDateTime>, CalendarError> {
    if pauses.iter().any(|p| p.end.is_none()) {
        return Ok(None);
    }
    let last_end = pauses.iter().filter_map(|p| p.end).max();
    if let (Some(last), SupplementRule::Restart) = (last_end, rules.supplement) {
        return Ok(reckon(limit, last, channel, cal, rules)?.appointment);
    }
    let Some(due) = reckon(limit, received, channel, cal, rules)?.appointment else {
        return Ok(None);
    };
    if pauses.is_empty() {
        return Ok(Some(due));
    }
    // Exclude (a restart returned above): the appointment moves by the paused time.
    let hours = rules.office_hours()?;
    if let LimitKind::CalendarDays(_) = limit.kind {
        let days: i64 = pauses
            .iter()
            .filter_map(|p| Some((p.end?.date() - p.start.date()).num_days()))
            .sum();
        let last = due.date() + Duration::days(days);
        return Ok(Some(
            cal.working_day_on_or_after(last)?.and_time(hours.closing()),
        ));
    }
    let mut minutes = 0i64;
    for p in pauses {
        let Some(end) = p.end else { continue };
        minutes += cal.working_minutes_between(&hours, p.start, end)?.max(0);
    }
    Ok(Some(cal.add_working_minutes(
        &hours,
        due,
        u32::try_from(minutes).unwrap_or(u32::MAX),
    )?))
}

/// Why an apology letter (hẹn lại ngày trả) cannot be recorded now, if it cannot.
///
/// `due` is the appointment in force, `today` the local day, `done` how many times the
/// appointment was already rescheduled.
pub fn apology_refusal(
    rules: &ClockRules,
    due: NaiveDateTime,
    today: NaiveDate,
    done: u32,
) -> Option<String> {
    // The article only ("NĐ 118/2025/NĐ-CP Điều 19 khoản 6"), not the quoted text.
    let cite = rules
        .apology_basis
        .split(':')
        .next()
        .unwrap_or_default()
        .trim();
    if done >= rules.apology_max {
        return Some(format!(
            "Hồ sơ đã được hẹn lại ngày trả kết quả; việc hẹn lại chỉ được thực hiện không quá {} lần ({cite}).",
            rules.apology_max
        ));
    }
    let last = due.date() - Duration::days(rules.apology_days_before);
    if today > last {
        return Some(format!(
            "Văn bản xin lỗi, hẹn lại ngày trả phải gửi chậm nhất {} ngày trước ngày hết hạn ({cite}); hồ sơ hết hạn {}, hạn gửi là {}. Hồ sơ được tính quá hạn; ghi rõ lý do chậm khi kết thúc xử lý.",
            rules.apology_days_before,
            crate::fmt::date_vn(&due.date()),
            crate::fmt::date_vn(&last)
        ));
    }
    None
}

#[cfg(test)]
#[path = "clock_tests.rs"]
mod tests;
