//! Nhiệm vụ — a task assigned by a directive to a lead agency (chủ trì) with supporting
//! agencies (phối hợp). Its status is derived from facts, never typed: the deadline in
//! force, the submission of completion and its verification by the assigning office.
//!
//! Directive deadlines are calendar dates (domain.md §3.6, "Directive deadlines are
//! calendar dates; dossier and PAKN deadlines are working days").

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Trạng thái nhiệm vụ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// Đang thực hiện, chưa đến hạn (or no deadline).
    InProgress,
    /// Quá hạn: not submitted and the deadline in force has passed.
    Overdue,
    /// Chờ xác nhận: completion submitted, not yet verified.
    AwaitingVerification,
    /// Hoàn thành đúng hạn.
    DoneOnTime,
    /// Hoàn thành quá hạn.
    DoneLate,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 5] = [
        TaskStatus::InProgress,
        TaskStatus::Overdue,
        TaskStatus::AwaitingVerification,
        TaskStatus::DoneOnTime,
        TaskStatus::DoneLate,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Overdue => "overdue",
            TaskStatus::AwaitingVerification => "awaiting_verification",
            TaskStatus::DoneOnTime => "done_on_time",
            TaskStatus::DoneLate => "done_late",
        }
    }

    pub fn parse(s: &str) -> Option<TaskStatus> {
        TaskStatus::ALL.into_iter().find(|t| t.code() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            TaskStatus::InProgress => "Đang thực hiện",
            TaskStatus::Overdue => "Quá hạn",
            TaskStatus::AwaitingVerification => "Chờ xác nhận hoàn thành",
            TaskStatus::DoneOnTime => "Hoàn thành đúng hạn",
            TaskStatus::DoneLate => "Hoàn thành quá hạn",
        }
    }

    pub fn is_done(self) -> bool {
        matches!(self, TaskStatus::DoneOnTime | TaskStatus::DoneLate)
    }
}

/// The facts a status is derived from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TaskFacts {
    /// The deadline in force: the latest approved extension, else the original deadline.
    pub deadline: Option<NaiveDate>,
    /// Day (Vietnam time) the lead agency submitted the completion now pending or accepted.
    pub submitted_on: Option<NaiveDate>,
    /// Whether the assigning office accepted that completion.
    pub verified: bool,
}

/// Derives the status on `today`.
///
/// "On time" means the completion that the assigning office accepted was submitted no
/// later than the deadline in force (the deadline day itself counts as on time: "trước
/// ngày D" is read inclusively until the province decides otherwise, domain.md §13 (8)).
/// A completion awaiting verification stops the overdue clock at its submission day; a
/// returned completion clears `submitted_on`, so the clock runs again.
pub fn status(f: &TaskFacts, today: NaiveDate) -> TaskStatus {
    let late = |day: NaiveDate| f.deadline.is_some_and(|d| day > d);
    match (f.submitted_on, f.verified) {
        (Some(day), true) => {
            if late(day) {
                TaskStatus::DoneLate
            } else {
                TaskStatus::DoneOnTime
            }
        }
        (Some(_), false) => TaskStatus::AwaitingVerification,
        (None, _) => {
            if late(today) {
                TaskStatus::Overdue
            } else {
                TaskStatus::InProgress
            }
        }
    }
}

/// Reads a task's recurrence code as the directive reader writes it: `monthly:18`,
/// `quarterly`, `semiannual`, `yearly`, `continuous`… A bare frequency falls due on the
/// last day of its period ("Định kỳ hàng tháng", "Quý", "Hàng năm" give no day).
pub fn recurrence_of(code: &str) -> Option<crate::calendar::Recurrence> {
    let code = code.trim();
    let full = if code.contains(':') || code == "continuous" {
        code.to_string()
    } else if code == "weekly" {
        // "Hằng tuần" with no day: the last working day of the week, as a bare
        // "monthly" falls on the month's last day.
        "weekly:5".to_string()
    } else {
        format!("{code}:31")
    };
    full.parse().ok()
}

/// The period an occurrence due on `nominal` reports on: a key and a Vietnamese label.
pub fn occurrence_period(code: &str, nominal: NaiveDate) -> (String, String) {
    use chrono::Datelike;
    let (y, m) = (nominal.year(), nominal.month());
    let q = (m - 1) / 3 + 1;
    let roman = ["I", "II", "III", "IV"][(q - 1) as usize];
    match code.split(':').next().unwrap_or("") {
        "weekly" => {
            let w = nominal.iso_week();
            (
                format!("{}-W{:02}", w.year(), w.week()),
                format!("Kỳ báo cáo tuần {:02}/{}", w.week(), w.year()),
            )
        }
        "quarterly" => (format!("{y}-Q{q}"), format!("Kỳ báo cáo Quý {roman}/{y}")),
        "semiannual" if m <= 6 => (format!("{y}-H1"), format!("Kỳ báo cáo 6 tháng đầu năm {y}")),
        "semiannual" => (
            format!("{y}-H2"),
            format!("Kỳ báo cáo 6 tháng cuối năm {y}"),
        ),
        "yearly" => (format!("{y}"), format!("Kỳ báo cáo năm {y}")),
        _ => (
            format!("{y}-{m:02}"),
            format!("Kỳ báo cáo tháng {m:02}/{y}"),
        ),
    }
}

/// Days past the deadline on `today` for an unfinished task (0 when not overdue).
pub fn days_late(f: &TaskFacts, today: NaiveDate) -> i64 {
    match (f.deadline, f.submitted_on) {
        (Some(d), None) if today > d => (today - d).num_days(),
        (Some(d), Some(s)) if s > d => (s - d).num_days(),
        _ => 0,
    }
}

/// Completion rate as the seed reports it ("23/41 nhiệm vụ … đạt tỷ lệ 56%", 5768):
/// verified completions over tasks assigned, in percent with one decimal; `None` when
/// nothing was assigned.
pub fn completion_rate(done: u64, assigned: u64) -> Option<f64> {
    (assigned > 0).then(|| (done as f64 * 1000.0 / assigned as f64).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn statuses_follow_the_facts() {
        let base = TaskFacts {
            deadline: Some(d("2023-08-30")),
            ..Default::default()
        };
        assert_eq!(
            status(&base, d("2023-08-30")),
            TaskStatus::InProgress,
            "deadline day is not yet late"
        );
        assert_eq!(status(&base, d("2023-08-31")), TaskStatus::Overdue);
        let pending = TaskFacts {
            submitted_on: Some(d("2023-08-29")),
            ..base
        };
        assert_eq!(
            status(&pending, d("2023-09-10")),
            TaskStatus::AwaitingVerification
        );
        let ok = TaskFacts {
            verified: true,
            ..pending
        };
        assert_eq!(status(&ok, d("2023-12-31")), TaskStatus::DoneOnTime);
        let late = TaskFacts {
            submitted_on: Some(d("2023-09-02")),
            verified: true,
            ..base
        };
        assert_eq!(status(&late, d("2023-12-31")), TaskStatus::DoneLate);
        assert_eq!(days_late(&late, d("2023-12-31")), 3);
        assert_eq!(days_late(&base, d("2023-09-04")), 5);
        let ongoing = TaskFacts::default();
        assert_eq!(status(&ongoing, d("2030-01-01")), TaskStatus::InProgress);
    }

    #[test]
    fn an_extension_moves_the_deadline_in_force() {
        let extended = TaskFacts {
            deadline: Some(d("2023-09-30")),
            submitted_on: Some(d("2023-09-15")),
            verified: true,
        };
        assert_eq!(status(&extended, d("2023-10-01")), TaskStatus::DoneOnTime);
    }

    #[test]
    fn recurrences_and_their_periods() {
        assert!(recurrence_of("monthly:18").is_some());
        assert!(recurrence_of("quarterly").is_some());
        assert!(recurrence_of("yearly").is_some());
        assert!(recurrence_of("hàng tháng").is_none());
        assert_eq!(
            recurrence_of("weekly").map(|r| r.to_string()).as_deref(),
            Some("weekly:5")
        );
        assert_eq!(
            occurrence_period("weekly:5", d("2026-12-11")),
            (
                "2026-W50".to_string(),
                "Kỳ báo cáo tuần 50/2026".to_string()
            )
        );
        assert_eq!(
            occurrence_period("monthly:18", d("2023-09-18")).1,
            "Kỳ báo cáo tháng 09/2023"
        );
        assert_eq!(
            occurrence_period("quarterly", d("2023-09-30")),
            ("2023-Q3".into(), "Kỳ báo cáo Quý III/2023".into())
        );
        assert_eq!(occurrence_period("yearly", d("2023-12-31")).0, "2023");
    }

    #[test]
    fn the_seed_completion_rate() {
        assert_eq!(completion_rate(23, 41), Some(56.1));
        assert_eq!(completion_rate(0, 0), None);
        assert_eq!(completion_rate(5, 5), Some(100.0));
    }
}
