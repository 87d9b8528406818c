//! Judging, sorting and counting the rows of the list; the details are read for the rows
//! returned only.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use domain::overdue::{DossierClock, OverdueKind, TaskClock};

use super::feedback::JudgedFeedback;
use super::{OverdueReport, OverdueRow, RowKind, Scope, UnitTotal, clean};
use crate::dossier::{local, status_label, utc};
use crate::{App, ServiceError};

/// A dossier judged overdue, before its names are read.
struct Judged {
    /// Name of the responsible unit.
    unit: String,
    kind: OverdueKind,
    due: NaiveDateTime,
    finished: Option<NaiveDateTime>,
    days: i64,
    c: store::overdue::OverdueCandidate,
}

/// A task judged overdue, before its content and reports are read.
struct JudgedTask {
    /// Name of the lead agency (or the lead named in the text).
    unit: String,
    id: i64,
    /// `NV-<id>`.
    code: String,
    kind: OverdueKind,
    deadline: NaiveDate,
    finished: Option<NaiveDate>,
    days: i64,
    has_reason: bool,
}

/// A row of the sorted list: a judged dossier or task, by index.
#[derive(Clone, Copy)]
enum Entry {
    Dossier(usize),
    Task(usize),
    Feedback(usize),
}

/// [`overdue_page`], with `full_scan` judging every dossier of the database instead of the
/// candidates of the partial indexes (the reference of `cchc bench indicators`; the same
/// list).
pub async fn overdue_list(
    state: &App,
    scope: Scope<'_>,
    now: DateTime<Utc>,
    page: Option<(usize, usize)>,
    full_scan: bool,
) -> Result<OverdueReport, ServiceError> {
    let Scope {
        unit,
        unit_name,
        path,
        period,
        from,
        to,
    } = scope;
    let start = utc(from.and_hms_opt(0, 0, 0).unwrap_or_default());
    let end = utc((to + chrono::Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default());
    let cut = end.min(now);
    let start_l = local(start);
    let cut_l = local(cut);
    // The last moment counted: the period's last day, or today.
    let last = cut_l - chrono::Duration::seconds(1);
    let cut_day = last.date();
    let cal = state.calendar.get(&state.db).await?;
    let out_of_calendar = |_| ServiceError::bad("Kỳ nằm ngoài phạm vi lịch.");

    // 1. Judge every candidate dossier from the few columns that decide it; names and
    //    steps are read later, for the rows returned only.
    //    The three reads are independent: they run at once, each on its own connection.
    let clock = std::time::Instant::now();
    let (names, dossier_candidates, task_candidates, feedback_candidates) = tokio::try_join!(
        store::overdue::agency_names(state.read_db()),
        store::overdue::candidates(state.read_db(), path, start, cut, full_scan),
        store::overdue::task_candidates(state.read_db(), path, from, cut_day, cut, full_scan),
        store::feedback::overdue_candidates(state.read_db(), path, start, cut, cut_day),
    )?;
    let read_ms = clock.elapsed().as_secs_f64() * 1e3;
    let mut dossiers: Vec<Judged> = Vec::new();
    for d in dossier_candidates {
        let clock = DossierClock {
            received_at: d.received_at.map(local),
            due_at: d.due_at.map(local),
            finished_at: d.finished_at.map(local),
            ended_without_result_at: d.ended_at.map(local),
            open_pause_since: d.open_pause_since.map(local),
        };
        let (Some(kind), Some(due)) = (
            domain::overdue::dossier_overdue(&clock, start_l, cut_l),
            clock.due_at,
        ) else {
            continue;
        };
        let finished = (kind == OverdueKind::FinishedLate)
            .then_some(clock.finished_at)
            .flatten();
        let days = domain::overdue::dossier_days_late(&cal, due, finished.unwrap_or(last))
            .map_err(out_of_calendar)?;
        dossiers.push(Judged {
            unit: names.get(&d.unit_id).cloned().unwrap_or_default(),
            kind,
            due,
            finished,
            days,
            c: d,
        });
    }

    let mut tasks: Vec<JudgedTask> = Vec::new();
    for t in task_candidates {
        let clock = TaskClock {
            deadline: t.deadline,
            submitted_on: t.submitted_on,
        };
        let (Some(kind), Some(deadline)) = (
            domain::overdue::task_overdue(&clock, from, cut_day),
            t.deadline,
        ) else {
            continue;
        };
        let finished = (kind == OverdueKind::FinishedLate)
            .then_some(t.submitted_on)
            .flatten();
        tasks.push(JudgedTask {
            unit: t
                .lead_agency_id
                .and_then(|id| names.get(&id).cloned())
                .or(clean(t.lead_text))
                .unwrap_or_else(|| "Chưa xác định cơ quan chủ trì".into()),
            code: format!("NV-{}", t.id),
            id: t.id,
            kind,
            deadline,
            finished,
            days: domain::overdue::task_days_late(&clock, cut_day),
            has_reason: t.has_reason,
        });
    }

    let feedback: Vec<JudgedFeedback> =
        super::feedback::judge(feedback_candidates, &names, &cal, from, cut_day)
            .map_err(out_of_calendar)?;

    // 2. Sort by unit (Vietnamese order: each distinct unit name folded once), days late
    //    (most first), kind (dossiers, tasks, feedback), code; count per unit.
    let mut units: Vec<&str> = dossiers
        .iter()
        .map(|d| d.unit.as_str())
        .chain(tasks.iter().map(|t| t.unit.as_str()))
        .chain(feedback.iter().map(|f| f.unit.as_str()))
        .collect::<std::collections::HashSet<_>>()
        .into_iter()
        .collect();
    units.sort_by_cached_key(|u| (domain::text::fold_vi(u), u.to_string()));
    let rank: std::collections::HashMap<&str, usize> =
        units.iter().enumerate().map(|(i, u)| (*u, i)).collect();
    let mut order: Vec<(usize, std::cmp::Reverse<i64>, u8, &str, Entry)> = dossiers
        .iter()
        .enumerate()
        .map(|(i, d)| {
            (
                rank[d.unit.as_str()],
                std::cmp::Reverse(d.days),
                0,
                d.c.code.as_str(),
                Entry::Dossier(i),
            )
        })
        .chain(tasks.iter().enumerate().map(|(i, t)| {
            (
                rank[t.unit.as_str()],
                std::cmp::Reverse(t.days),
                1,
                t.code.as_str(),
                Entry::Task(i),
            )
        }))
        .chain(feedback.iter().enumerate().map(|(i, f)| {
            (
                rank[f.unit.as_str()],
                std::cmp::Reverse(f.days),
                2,
                f.f.code.as_str(),
                Entry::Feedback(i),
            )
        }))
        .collect();
    order.sort_unstable_by(|a, b| (a.0, a.1, a.2, a.3).cmp(&(b.0, b.1, b.2, b.3)));

    let mut totals: Vec<UnitTotal> = Vec::new();
    let mut total = UnitTotal {
        unit: "Tổng cộng".into(),
        ..Default::default()
    };
    for (u, _, _, _, e) in &order {
        let (kind, with_reason) = match e {
            Entry::Dossier(i) => (RowKind::Dossier, dossiers[*i].c.has_reason),
            Entry::Task(i) => (RowKind::Task, tasks[*i].has_reason),
            Entry::Feedback(_) => (RowKind::Feedback, false),
        };
        if totals.last().is_none_or(|t| t.unit != units[*u]) {
            totals.push(UnitTotal {
                unit: units[*u].to_string(),
                ..Default::default()
            });
        }
        for t in [totals.last_mut(), Some(&mut total)].into_iter().flatten() {
            t.count(kind, with_reason);
        }
    }
    let rows_total = order.len();
    let (offset, shown): (usize, Vec<Entry>) = match page {
        Some((offset, limit)) => {
            let offset = offset.min(rows_total);
            (
                offset,
                order.iter().skip(offset).take(limit).map(|x| x.4).collect(),
            )
        }
        None => (0, order.iter().map(|x| x.4).collect()),
    };

    // 3. The rows returned: names and steps of their dossiers, names and reports of their
    //    tasks.
    let judged_ms = clock.elapsed().as_secs_f64() * 1e3 - read_ms;
    let task_ids: Vec<i64> = shown
        .iter()
        .filter_map(|e| match e {
            Entry::Task(i) => Some(tasks[*i].id),
            Entry::Dossier(_) | Entry::Feedback(_) => None,
        })
        .collect();
    let ids: Vec<i64> = shown
        .iter()
        .filter_map(|e| match e {
            Entry::Dossier(i) => Some(dossiers[*i].c.id),
            Entry::Task(_) | Entry::Feedback(_) => None,
        })
        .collect();
    let (task_details, details, steps) = tokio::try_join!(
        store::overdue::task_details(state.read_db(), &task_ids, cut),
        store::overdue::details(state.read_db(), &ids),
        store::overdue::steps(state.read_db(), &ids, cut),
    )?;
    let mut task_details: std::collections::HashMap<i64, store::overdue::OverdueTask> =
        task_details.into_iter().map(|x| (x.id, x)).collect();
    let mut details: std::collections::HashMap<i64, store::overdue::OverdueDossier> =
        details.into_iter().map(|x| (x.id, x)).collect();
    let steps: std::collections::HashMap<i64, store::overdue::OverdueSteps> =
        steps.into_iter().map(|x| (x.id, x)).collect();
    tracing::debug!(
        candidates = dossiers.len() + tasks.len() + feedback.len(),
        rows = shown.len(),
        read_ms,
        judged_ms,
        total_ms = clock.elapsed().as_secs_f64() * 1e3,
        "danh sách quá hạn"
    );
    let mut rows = Vec::with_capacity(shown.len());
    for e in shown {
        match e {
            Entry::Feedback(i) => rows.push(super::feedback::row(&feedback[i])),
            Entry::Task(i) => {
                let j = &tasks[i];
                // A task deleted since the candidates were read has no details.
                let Some(t) = task_details.remove(&j.id) else {
                    continue;
                };
                rows.push(task_row(j, t));
            }
            Entry::Dossier(i) => {
                let j = &dossiers[i];
                // A dossier deleted since the candidates were read has no details.
                let Some(d) = details.remove(&j.c.id) else {
                    continue;
                };
                let step = steps.get(&j.c.id);
                rows.push(OverdueRow {
                    kind: "dossier".into(),
                    state: kind_code(j.kind).into(),
                    unit: j.unit.clone(),
                    id: j.c.id,
                    code: j.c.code.clone(),
                    title: d.tthc_name,
                    source: d.tthc_code,
                    receiving_unit: Some(d.agency_name),
                    handling_unit: d.handling_agency_name,
                    step: step.and_then(|x| x.late_step.clone().or(x.current_step.clone())),
                    step_late: step.is_some_and(|x| x.late_step.is_some()),
                    status: if j.kind == OverdueKind::FinishedLate {
                        status_label(9).to_string()
                    } else {
                        status_label(j.c.status).to_string()
                    },
                    officer: clean(d.delay_user_name).or(clean(d.assignee_name)),
                    due: j.due,
                    finished: j.finished,
                    days_late: j.days,
                    days_unit: "working".into(),
                    reason: clean(d.delay_reason),
                    apology: Some(d.rescheduled_at.is_some()),
                });
            }
        }
    }
    Ok(OverdueReport {
        unit,
        unit_name,
        period,
        from,
        to,
        cut_off: cut_l,
        generated_at: now,
        totals,
        total,
        rows_total,
        offset,
        rows,
    })
}

/// The row of a task judged overdue.
fn task_row(j: &JudgedTask, t: store::overdue::OverdueTask) -> OverdueRow {
    let reason = t.reason();
    OverdueRow {
        kind: "task".into(),
        state: kind_code(j.kind).into(),
        unit: j.unit.clone(),
        id: j.id,
        code: j.code.clone(),
        title: t.content,
        source: format!(
            "{} ngày {}",
            t.directive_number,
            domain::fmt::date_vn(&t.directive_issued_on)
        ),
        receiving_unit: None,
        handling_unit: None,
        step: clean(t.item_ref).map(|r| item_label(&r)),
        step_late: false,
        status: if j.kind == OverdueKind::FinishedLate {
            "Đã báo cáo hoàn thành".into()
        } else {
            format!("Đang thực hiện ({}%)", t.percent)
        },
        officer: clean(t.report_user_name),
        due: j.deadline.and_hms_opt(0, 0, 0).unwrap_or_default(),
        finished: j.finished.and_then(|d| d.and_hms_opt(0, 0, 0)),
        days_late: j.days,
        days_unit: "calendar".into(),
        reason,
        apology: None,
    }
}

/// "Mục 2" for a task's item reference: references parsed from a directive may already
/// begin with "mục" ("mục 1, gạch đầu dòng 2"), which is then only capitalised.
fn item_label(r: &str) -> String {
    match r.strip_prefix("mục") {
        Some(rest) => format!("Mục{rest}"),
        None if r.starts_with("Mục") => r.to_string(),
        None => format!("Mục {r}"),
    }
}

pub(super) fn kind_code(k: OverdueKind) -> &'static str {
    match k {
        OverdueKind::Unfinished => "unfinished",
        OverdueKind::FinishedLate => "finished_late",
    }
}

#[cfg(test)]
mod tests {
    use super::item_label;

    #[test]
    fn item_reference_is_labelled_once() {
        assert_eq!(item_label("2"), "Mục 2");
        assert_eq!(item_label("mục 2"), "Mục 2");
        assert_eq!(
            item_label("mục 1, gạch đầu dòng 2"),
            "Mục 1, gạch đầu dòng 2"
        );
        assert_eq!(item_label("Mục 3"), "Mục 3");
    }
}
