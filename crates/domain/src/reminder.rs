//! Nhắc việc — reminders before a task's deadline, on it and after it, escalating from
//! the officers of the lead agency to its head and then to the assigning office.
//!
//! The schedule is the province's configuration (`data/reminders.toml`), not law: no
//! legal text fixes when a reminder is sent. Offsets are calendar days relative to the
//! deadline in force, because directive deadlines are calendar dates (domain.md §3.6).

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::task::TaskStatus;

/// How far back a missed reminder is still sent: a new installation (or a node that was
/// down) does not flood the officers of old tasks.
pub const CATCH_UP_DAYS: i64 = 7;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("lịch nhắc việc không hợp lệ: {0}")]
pub struct ReminderError(pub String);

/// What a reminder says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    BeforeDue,
    DueToday,
    Overdue,
    EscalationHead,
    EscalationOffice,
}

impl ReminderKind {
    pub fn code(self) -> &'static str {
        match self {
            ReminderKind::BeforeDue => "before_due",
            ReminderKind::DueToday => "due_today",
            ReminderKind::Overdue => "overdue",
            ReminderKind::EscalationHead => "escalation_head",
            ReminderKind::EscalationOffice => "escalation_office",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReminderKind::BeforeDue => "Sắp đến hạn",
            ReminderKind::DueToday => "Đến hạn hôm nay",
            ReminderKind::Overdue => "Quá hạn",
            ReminderKind::EscalationHead => "Cảnh báo lãnh đạo đơn vị",
            ReminderKind::EscalationOffice => "Cảnh báo cơ quan giao nhiệm vụ",
        }
    }
}

/// Who receives a reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Chuyên viên and lãnh đạo đơn vị of the lead agency itself.
    Officers,
    /// Lãnh đạo đơn vị of the lead agency.
    Heads,
    /// Sở Nội vụ and Văn phòng UBND tỉnh – Phòng Kiểm soát TTHC.
    AssigningOffice,
}

impl Audience {
    pub fn label(self) -> &'static str {
        match self {
            Audience::Officers => "chuyên viên và lãnh đạo cơ quan chủ trì",
            Audience::Heads => "lãnh đạo cơ quan chủ trì",
            Audience::AssigningOffice => {
                "cơ quan giao nhiệm vụ (Sở Nội vụ, Văn phòng UBND tỉnh – Phòng Kiểm soát TTHC)"
            }
        }
    }
}

/// One line of the schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Calendar days relative to the deadline in force (negative: before it).
    pub offset_days: i64,
    pub kind: ReminderKind,
    pub audience: Audience,
}

impl Rule {
    /// "D-3", "D0", "D+7": the key that makes a rule fire once per user and task.
    pub fn code(&self) -> String {
        match self.offset_days {
            0 => "D0".into(),
            n if n > 0 => format!("D+{n}"),
            n => format!("D{n}"),
        }
    }

    /// The day the rule fires for a deadline.
    pub fn day(&self, deadline: NaiveDate) -> Option<NaiveDate> {
        deadline.checked_add_signed(Duration::days(self.offset_days))
    }

    /// "3 ngày trước hạn: nhắc chuyên viên và lãnh đạo cơ quan chủ trì".
    pub fn describe(&self) -> String {
        let when = match self.offset_days {
            0 => "Đúng ngày đến hạn".to_string(),
            n if n < 0 => format!("{} ngày trước hạn", -n),
            n => format!("{n} ngày sau hạn"),
        };
        let verb = match self.kind {
            ReminderKind::EscalationHead | ReminderKind::EscalationOffice => "cảnh báo",
            _ => "nhắc",
        };
        format!("{when}: {verb} {}", self.audience.label())
    }
}

/// Lịch nhắc việc của tỉnh.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReminderSchedule {
    /// Who decided the schedule, shown with it.
    #[serde(default)]
    pub decided_by: String,
    #[serde(rename = "rule")]
    pub rules: Vec<Rule>,
}

impl ReminderSchedule {
    /// Parses and checks the schedule (TOML): at least one rule, offsets within a year,
    /// no two rules on the same day (their codes would collide), sorted by offset.
    pub fn parse(text: &str) -> Result<ReminderSchedule, ReminderError> {
        let mut s: ReminderSchedule =
            basic_toml::from_str(text).map_err(|e| ReminderError(e.to_string()))?;
        if s.rules.is_empty() {
            return Err(ReminderError("chưa có quy tắc nhắc việc nào".into()));
        }
        s.rules.sort_by_key(|r| r.offset_days);
        for r in &s.rules {
            if !(-366..=366).contains(&r.offset_days) {
                return Err(ReminderError(format!(
                    "offset_days = {} nằm ngoài khoảng -366..366",
                    r.offset_days
                )));
            }
        }
        if let Some(w) = s
            .rules
            .windows(2)
            .find(|w| w[0].offset_days == w[1].offset_days)
        {
            return Err(ReminderError(format!(
                "hai quy tắc cùng ngày {}",
                w[0].code()
            )));
        }
        Ok(s)
    }
}

/// The rules to fire on `today` for a task: only while it is unfinished (in progress or
/// overdue — not awaiting verification, not done), only rules whose day has come within
/// the last [`CATCH_UP_DAYS`] days, and per audience only the latest of those (after a
/// pause, an overdue warning supersedes the "due in 3 days" one). Firing the same rule
/// twice is prevented by the store, not here.
pub fn due_rules(
    schedule: &ReminderSchedule,
    deadline: NaiveDate,
    today: NaiveDate,
    status: TaskStatus,
) -> Vec<&Rule> {
    if !matches!(status, TaskStatus::InProgress | TaskStatus::Overdue) {
        return Vec::new();
    }
    let mut out: Vec<&Rule> = Vec::new();
    for r in &schedule.rules {
        let Some(day) = r.day(deadline) else {
            continue;
        };
        if day > today || (today - day).num_days() >= CATCH_UP_DAYS {
            continue;
        }
        match out.iter_mut().find(|o| o.audience == r.audience) {
            Some(o) if o.offset_days < r.offset_days => *o = r,
            Some(_) => {}
            None => out.push(r),
        }
    }
    out.sort_by_key(|r| r.offset_days);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROVINCE: &str = include_str!("../../../data/reminders.toml");

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    fn schedule() -> ReminderSchedule {
        match ReminderSchedule::parse(PROVINCE) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        }
    }

    fn codes(rules: &[&Rule]) -> Vec<String> {
        rules.iter().map(|r| r.code()).collect()
    }

    #[test]
    fn the_province_schedule_parses_in_order() {
        let s = schedule();
        assert_eq!(
            s.rules.iter().map(Rule::code).collect::<Vec<_>>(),
            ["D-3", "D0", "D+1", "D+3", "D+7"]
        );
        assert!(!s.decided_by.is_empty());
        assert_eq!(
            s.rules[0].describe(),
            "3 ngày trước hạn: nhắc chuyên viên và lãnh đạo cơ quan chủ trì"
        );
        assert!(
            s.rules[4]
                .describe()
                .starts_with("7 ngày sau hạn: cảnh báo")
        );
        assert!(s.rules[1].describe().starts_with("Đúng ngày đến hạn"));
    }

    #[test]
    fn bad_schedules_are_refused() {
        assert!(ReminderSchedule::parse("rule = []").is_err());
        assert!(ReminderSchedule::parse("").is_err());
        let twice = "[[rule]]\noffset_days = 1\nkind = \"overdue\"\naudience = \"officers\"\n\
                     [[rule]]\noffset_days = 1\nkind = \"escalation_head\"\naudience = \"heads\"\n";
        assert!(ReminderSchedule::parse(twice).is_err());
        let unknown = "[[rule]]\noffset_days = 1\nkind = \"late\"\naudience = \"officers\"\n";
        assert!(ReminderSchedule::parse(unknown).is_err());
        let far = "[[rule]]\noffset_days = 400\nkind = \"overdue\"\naudience = \"officers\"\n";
        assert!(ReminderSchedule::parse(far).is_err());
        let typo = "[[rule]]\noffset = 1\nkind = \"overdue\"\naudience = \"officers\"\n";
        assert!(ReminderSchedule::parse(typo).is_err());
    }

    #[test]
    fn each_rule_fires_on_its_day() {
        let s = schedule();
        let deadline = d("2024-03-30");
        let on = |today: &str, st| codes(&due_rules(&s, deadline, d(today), st));
        assert!(on("2024-03-26", TaskStatus::InProgress).is_empty());
        assert_eq!(on("2024-03-27", TaskStatus::InProgress), ["D-3"]);
        assert_eq!(on("2024-03-30", TaskStatus::InProgress), ["D0"]);
        assert_eq!(on("2024-03-31", TaskStatus::Overdue), ["D+1"]);
        assert_eq!(on("2024-04-02", TaskStatus::Overdue), ["D+1", "D+3"]);
        assert_eq!(on("2024-04-06", TaskStatus::Overdue), ["D+1", "D+3", "D+7"]);
        // Seven days after its day a rule is no longer sent.
        assert_eq!(on("2024-04-07", TaskStatus::Overdue), ["D+3", "D+7"]);
        assert_eq!(on("2024-04-09", TaskStatus::Overdue), ["D+7"]);
        assert!(on("2024-04-13", TaskStatus::Overdue).is_empty());
    }

    #[test]
    fn finished_or_submitted_tasks_get_no_reminders() {
        let s = schedule();
        let deadline = d("2024-03-30");
        for st in [
            TaskStatus::AwaitingVerification,
            TaskStatus::DoneOnTime,
            TaskStatus::DoneLate,
        ] {
            for today in ["2024-03-27", "2024-03-30", "2024-04-06"] {
                assert!(due_rules(&s, deadline, d(today), st).is_empty());
            }
        }
    }

    #[test]
    fn codes_are_stable() {
        let r = |n| Rule {
            offset_days: n,
            kind: ReminderKind::Overdue,
            audience: Audience::Officers,
        };
        assert_eq!(r(-3).code(), "D-3");
        assert_eq!(r(0).code(), "D0");
        assert_eq!(r(7).code(), "D+7");
        assert_eq!(r(-1).day(d("2024-03-01")), Some(d("2024-02-29")));
    }
}
