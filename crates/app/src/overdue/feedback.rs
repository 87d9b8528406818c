//! Phản ánh, kiến nghị on the overdue list: every feedback of the unit not answered within
//! its legal time limit (`domain::overdue::feedback_overdue`), responsible the agency that
//! holds it (after a forward, the competent agency, whose limit started again).

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use domain::calendar::Calendar;
use domain::feedback::{Kind, Status};
use domain::overdue::OverdueKind;
use store::feedback::OverdueFeedback;

use super::OverdueRow;

/// A feedback judged overdue.
pub(crate) struct JudgedFeedback {
    /// Name of the agency that holds it.
    pub unit: String,
    pub kind: OverdueKind,
    pub finished: Option<NaiveDate>,
    pub days: i64,
    pub f: OverdueFeedback,
}

/// The candidates on the list for `from..=cut_day`.
pub(crate) fn judge(
    candidates: Vec<OverdueFeedback>,
    names: &HashMap<i64, String>,
    cal: &Calendar,
    from: NaiveDate,
    cut_day: NaiveDate,
) -> Result<Vec<JudgedFeedback>, domain::calendar::CalendarError> {
    let mut out = Vec::new();
    for f in candidates {
        let handled = f.handled_at.map(domain::time::day_of);
        let Some(kind) = domain::overdue::feedback_overdue(f.due_on, handled, from, cut_day) else {
            continue;
        };
        let finished = (kind == OverdueKind::FinishedLate)
            .then_some(handled)
            .flatten();
        out.push(JudgedFeedback {
            unit: names.get(&f.agency_id).cloned().unwrap_or_default(),
            kind,
            finished,
            days: domain::overdue::feedback_days_late(cal, f.due_on, handled, cut_day)?,
            f,
        });
    }
    Ok(out)
}

fn midnight(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(0, 0, 0).unwrap_or_default()
}

/// The row of a feedback judged overdue. No reason field exists for a feedback's delay:
/// it counts "without reason" until its answer says why.
pub(crate) fn row(j: &JudgedFeedback) -> OverdueRow {
    let status = Status::parse(&j.f.status);
    OverdueRow {
        kind: "feedback".into(),
        state: super::list::kind_code(j.kind).into(),
        unit: j.unit.clone(),
        id: j.f.id,
        code: j.f.code.clone(),
        title: j.f.title.clone(),
        source: Kind::parse(&j.f.kind)
            .map(|k| k.label().to_string())
            .unwrap_or_else(|| j.f.kind.clone()),
        receiving_unit: None,
        handling_unit: None,
        step: None,
        step_late: false,
        status: status
            .map(Status::label)
            .unwrap_or("Đang xử lý")
            .to_string(),
        officer: super::clean(j.f.assignee_name.clone()),
        due: midnight(j.f.due_on),
        finished: j.finished.map(midnight),
        days_late: j.days,
        days_unit: "working".into(),
        reason: None,
        apology: None,
    }
}
