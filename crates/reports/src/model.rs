//! Plain input data for the reports: the caller (web handler, CLI) fills these from the
//! store, so this crate never touches a database.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Thể thức văn bản — the official header block printed above every report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocHeader {
    /// Cơ quan chủ quản, e.g. "UBND TỈNH NGHỆ AN".
    pub issuer_parent: String,
    /// Cơ quan ban hành, e.g. "SỞ NỘI VỤ".
    pub issuer: String,
    /// Địa danh in the place-and-date line, e.g. "Nghệ An".
    pub place: String,
    pub date: NaiveDate,
    pub title: String,
    pub subtitle: Option<String>,
}

/// One line of the task list, already rendered to display text by the caller.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskRow {
    /// Số thứ tự as printed: "1", "2.1".
    pub stt: String,
    pub content: String,
    /// Cơ quan chủ trì.
    pub lead: String,
    /// Cơ quan phối hợp.
    pub support: String,
    /// Thời gian thực hiện, as written in the directive or dd/mm/yyyy.
    pub deadline_text: String,
    /// Vietnamese status label, e.g. "Đang thực hiện".
    pub status: String,
    pub percent: i32,
    /// Days past the deadline; 0 when on time.
    pub days_late: i64,
    pub note: String,
}

impl TaskRow {
    /// Overdue means late and not finished; a task finished late is not highlighted.
    pub fn is_overdue(&self) -> bool {
        self.days_late > 0 && self.percent < 100
    }
}

/// One line of the statistics table: an agency or a directive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatRow {
    pub label: String,
    pub assigned: i64,
    pub done_on_time: i64,
    pub done_late: i64,
    /// Chờ xác nhận — reported done, waiting for the assigning body to verify.
    pub awaiting: i64,
    pub in_progress: i64,
    pub overdue: i64,
    /// Completion rate in percent, as computed by the caller; `None` when not applicable.
    pub rate: Option<f64>,
}
