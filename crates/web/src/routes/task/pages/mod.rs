//! Pages: directives with their statistics, the task list (the overdue list is its
//! `?status=overdue` view), and a task's page with progress, completion and verification.
//!
//! The pages live by family: `directive` (the directive list and a directive's page, its
//! files), `list` (the task list and its Excel export), `stats` (the per-agency statistics
//! and their Excel export) and `detail` (a task's page and the actions posted from it).
//! This module holds what they share: the task rows of the lists and the Excel headers.

mod detail;
mod directive;
mod list;
mod stats;

pub use detail::{
    ActionForm, DecisionForm, ExtensionForm, ExtensionView, ReportView, SplitForm, post_decision,
    post_extension, post_progress, post_split, post_submit, post_verify, task,
};
pub use directive::{
    DirectiveRow, DirectivesQuery, directive, directives, post_directive_files, relation_label,
};
pub use list::{TasksQuery, tasks, tasks_xlsx};
pub use stats::{AgencyStatRow, StatsQuery, stats_page, stats_xlsx};

use axum::response::{IntoResponse, Response};

// The items of `task` the page handlers name as `super::…`: the submodules reach them
// through these imports.
use super::{TaskBody, api, ask_extension, assign, decide_extension};
use super::{TaskOut, today};
use crate::auth::CurrentUser;
use crate::views::{date_vn, int_vn};

pub struct TaskRow {
    pub t: TaskOut,
    pub deadline: String,
    pub lead: String,
    pub late: String,
}

fn task_rows(tasks: &[store::task::Task]) -> Vec<TaskRow> {
    let t0 = today();
    tasks
        .iter()
        .map(|t| {
            let out = TaskOut::of(t, t0);
            TaskRow {
                deadline: match (&t.deadline, &t.recurrence, &t.deadline_text) {
                    (Some(d), _, _) => date_vn(d),
                    // A recurring task's due dates are its occurrences'.
                    (None, Some(r), _) => crate::views::recurrence_vi(r),
                    (None, None, Some(txt)) => txt.clone(),
                    (None, None, None) => "Không thời hạn".into(),
                },
                lead: t
                    .lead_name
                    .clone()
                    .or_else(|| t.lead_text.clone())
                    .unwrap_or_else(|| "Chưa xác định".into()),
                late: if out.days_late > 0 {
                    format!("{} ngày", int_vn(out.days_late))
                } else {
                    String::new()
                },
                t: out,
            }
        })
        .collect()
}

pub(crate) fn header(
    user: &CurrentUser,
    title: &str,
    subtitle: Option<String>,
) -> reports::DocHeader {
    reports::DocHeader {
        issuer_parent: "UBND TỈNH NGHỆ AN".into(),
        issuer: user.agency_name.to_uppercase(),
        place: "Nghệ An".into(),
        date: today(),
        title: title.into(),
        subtitle,
    }
}

pub(crate) fn xlsx(bytes: Vec<u8>, name: &str) -> Response {
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}
