//! Danh sách hồ sơ, nhiệm vụ quá hạn — `GET /api/v1/overdue?unit=&period=&period_mode=`,
//! the page `/bao-cao/qua-han` and its XLSX `/bao-cao/qua-han/xlsx`: every dossier and task
//! overdue in a period for one unit (its agency subtree), with the responsible unit and
//! officer, the days late and the stated reason, ready for the provincial meeting (Công văn
//! 6486/UBND-KSTT ngày 07/8/2023, mục 3). Page, API and XLSX are built from one
//! [`OverdueReport`], so they list the same rows.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use domain::overdue::{DossierClock, OverdueKind, TaskClock};
use serde::Serialize;

use crate::Caller;
use crate::dossier::{local, status_label, utc};
use crate::indicator::{IndicatorQuery, resolve_period, resolve_unit};
use crate::{App, ServiceError};

/// "Chưa có lý do" — shown (and counted) when no reason was stated.
pub const NO_REASON: &str = "Chưa có lý do";

/// One overdue dossier or task.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OverdueRow {
    /// `dossier` or `task`.
    pub kind: String,
    /// `unfinished` (still open and late at the cut-off) or `finished_late` (finished late
    /// within the period).
    pub state: String,
    /// The unit responsible for the delay: for a dossier the agency recorded with the
    /// delay, else the handling agency; for a task its lead agency.
    pub unit: String,
    pub id: i64,
    /// Dossier code, or `NV-<id>` for a task.
    pub code: String,
    /// The procedure's name, or the task's content.
    pub title: String,
    /// The procedure's code, or the directive's number.
    pub source: String,
    /// The desk that received the dossier (dossiers).
    pub receiving_unit: Option<String>,
    /// The agency handling the dossier (dossiers).
    pub handling_unit: Option<String>,
    /// The step that ran late, else the step in progress (dossiers).
    pub step: Option<String>,
    /// Whether `step` is a step closed after its due time.
    pub step_late: bool,
    /// Status label of the dossier, or of the task (% done).
    pub status: String,
    /// Full name of the responsible officer: the one recorded with the delay, else the
    /// assignee (dossiers); the author of the last progress report (tasks).
    pub officer: Option<String>,
    /// The deadline in force (Vietnam time, `YYYY-MM-DDTHH:MM:SS` without offset; for a
    /// task its date at 00:00:00).
    #[schema(value_type = String, example = "2023-10-20T17:00:00")]
    pub due: NaiveDateTime,
    /// When it was finished (Vietnam time), if finished within the period.
    #[schema(value_type = Option<String>, example = "2023-10-24T09:30:00")]
    pub finished: Option<NaiveDateTime>,
    pub days_late: i64,
    /// `working` (dossiers: working days by the legal calendar) or `calendar` (tasks:
    /// directive deadlines are calendar dates).
    pub days_unit: String,
    /// The stated reason; `null` when none was stated.
    pub reason: Option<String>,
    /// Whether an apology letter (Mẫu 04) was issued (dossiers; `null` for tasks).
    pub apology: Option<bool>,
}

/// Counts of one unit.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct UnitTotal {
    pub unit: String,
    pub dossiers: u64,
    pub tasks: u64,
    pub with_reason: u64,
    pub without_reason: u64,
}

impl UnitTotal {
    fn count(&mut self, dossier: bool, with_reason: bool) {
        if dossier {
            self.dossiers += 1;
        } else {
            self.tasks += 1;
        }
        if with_reason {
            self.with_reason += 1;
        } else {
            self.without_reason += 1;
        }
    }
}

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
}

/// The overdue list of a unit for a period.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OverdueReport {
    pub unit: String,
    pub unit_name: String,
    pub period: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The instant the list is judged at (Vietnam time): the end of the period, or now
    /// when the period is not over.
    #[schema(value_type = String, example = "2023-10-31T23:59:59")]
    pub cut_off: NaiveDateTime,
    pub generated_at: DateTime<Utc>,
    /// Per responsible unit, in the order of the rows.
    pub totals: Vec<UnitTotal>,
    pub total: UnitTotal,
    /// How many rows the list has in all (`rows` may be one page of them).
    pub rows_total: usize,
    /// The position of `rows[0]` in the whole list (0 when not paged).
    pub offset: usize,
    /// Sorted by unit, then days late (most first); with `limit`, the page asked for.
    pub rows: Vec<OverdueRow>,
}

/// `s` without blanks around it, `None` if nothing is left (the rule the counts "with a
/// reason" follow: [`store::overdue::stated`]).
fn clean(s: Option<String>) -> Option<String> {
    store::overdue::stated(s)
}

/// The overdue list of the request's unit and period (404 for a unit outside the caller's
/// scope, 400 for a bad period).
pub async fn compute(
    state: &App,
    user: &Caller,
    q: &IndicatorQuery,
) -> Result<OverdueReport, ServiceError> {
    compute_page(state, user, q, None).await
}

/// [`compute`], keeping only the rows `page = (offset, limit)`.
pub async fn compute_page(
    state: &App,
    user: &Caller,
    q: &IndicatorQuery,
    page: Option<(usize, usize)>,
) -> Result<OverdueReport, ServiceError> {
    let (unit, unit_name, path) = resolve_unit(state, &user.principal, q.unit.as_deref()).await?;
    let (period, from, to) = resolve_period(q.period.as_deref(), q.period_mode.as_deref())?;
    let scope = Scope {
        unit,
        unit_name,
        path: path.as_deref(),
        period,
        from,
        to,
    };
    overdue_page(state, scope, Utc::now(), page).await
}

/// The overdue dossiers and tasks of the subtree at `path` (`None`: the province) for the
/// days `from..=to`, judged at the end of the period or at `now` if earlier.
#[allow(clippy::too_many_arguments)]
pub async fn overdue(
    state: &App,
    unit: String,
    unit_name: String,
    path: Option<&str>,
    period: String,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> Result<OverdueReport, ServiceError> {
    let scope = Scope {
        unit,
        unit_name,
        path,
        period,
        from,
        to,
    };
    overdue_page(state, scope, now, None).await
}

/// The unit and period of a list.
pub struct Scope<'a> {
    pub unit: String,
    pub unit_name: String,
    pub path: Option<&'a str>,
    pub period: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// [`overdue`] with the rows cut to `page = (offset, limit)`: every candidate is judged,
/// sorted and counted, but the steps (a look into each dossier's events) are read only for
/// the rows returned — what keeps a province-wide page fast when the list is long.
pub async fn overdue_page(
    state: &App,
    scope: Scope<'_>,
    now: DateTime<Utc>,
    page: Option<(usize, usize)>,
) -> Result<OverdueReport, ServiceError> {
    overdue_list(state, scope, now, page, false).await
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
    let (names, dossier_candidates, task_candidates) = tokio::try_join!(
        store::overdue::agency_names(&state.db),
        store::overdue::candidates(&state.db, path, start, cut, full_scan),
        store::overdue::task_candidates(&state.db, path, from, cut_day, cut, full_scan),
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

    // 2. Sort by unit (Vietnamese order: each distinct unit name folded once), days late
    //    (most first), kind (dossiers first), code; count per unit.
    let mut units: Vec<&str> = dossiers
        .iter()
        .map(|d| d.unit.as_str())
        .chain(tasks.iter().map(|t| t.unit.as_str()))
        .collect::<std::collections::HashSet<_>>()
        .into_iter()
        .collect();
    units.sort_by_cached_key(|u| (domain::text::fold_vi(u), u.to_string()));
    let rank: std::collections::HashMap<&str, usize> =
        units.iter().enumerate().map(|(i, u)| (*u, i)).collect();
    let mut order: Vec<(usize, std::cmp::Reverse<i64>, bool, &str, Entry)> = dossiers
        .iter()
        .enumerate()
        .map(|(i, d)| {
            (
                rank[d.unit.as_str()],
                std::cmp::Reverse(d.days),
                false,
                d.c.code.as_str(),
                Entry::Dossier(i),
            )
        })
        .chain(tasks.iter().enumerate().map(|(i, t)| {
            (
                rank[t.unit.as_str()],
                std::cmp::Reverse(t.days),
                true,
                t.code.as_str(),
                Entry::Task(i),
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
        let (is_dossier, with_reason) = match e {
            Entry::Dossier(i) => (true, dossiers[*i].c.has_reason),
            Entry::Task(i) => (false, tasks[*i].has_reason),
        };
        if totals.last().is_none_or(|t| t.unit != units[*u]) {
            totals.push(UnitTotal {
                unit: units[*u].to_string(),
                ..Default::default()
            });
        }
        for t in [totals.last_mut(), Some(&mut total)].into_iter().flatten() {
            t.count(is_dossier, with_reason);
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
            Entry::Dossier(_) => None,
        })
        .collect();
    let ids: Vec<i64> = shown
        .iter()
        .filter_map(|e| match e {
            Entry::Dossier(i) => Some(dossiers[*i].c.id),
            Entry::Task(_) => None,
        })
        .collect();
    let (task_details, details, steps) = tokio::try_join!(
        store::overdue::task_details(&state.db, &task_ids, cut),
        store::overdue::details(&state.db, &ids),
        store::overdue::steps(&state.db, &ids, cut),
    )?;
    let mut task_details: std::collections::HashMap<i64, store::overdue::OverdueTask> =
        task_details.into_iter().map(|x| (x.id, x)).collect();
    let mut details: std::collections::HashMap<i64, store::overdue::OverdueDossier> =
        details.into_iter().map(|x| (x.id, x)).collect();
    let steps: std::collections::HashMap<i64, store::overdue::OverdueSteps> =
        steps.into_iter().map(|x| (x.id, x)).collect();
    tracing::debug!(
        candidates = dossiers.len() + tasks.len(),
        rows = shown.len(),
        read_ms,
        judged_ms,
        total_ms = clock.elapsed().as_secs_f64() * 1e3,
        "danh sách quá hạn"
    );
    let mut rows = Vec::with_capacity(shown.len());
    for e in shown {
        match e {
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

fn kind_code(k: OverdueKind) -> &'static str {
    match k {
        OverdueKind::Unfinished => "unfinished",
        OverdueKind::FinishedLate => "finished_late",
    }
}

pub fn period_line(r: &OverdueReport) -> String {
    format!(
        "Kỳ: {} (từ {} đến {}); tình hình tính đến {}",
        r.period,
        domain::fmt::date_vn(&r.from),
        domain::fmt::date_vn(&r.to),
        r.cut_off.format("%H:%M %d/%m/%Y")
    )
}

/// The rows as the XLSX shows them (the same rows as the API, in the same order).
pub fn sheet(r: &OverdueReport, issuer: &str) -> reports::OverdueSheet {
    let total = |t: &UnitTotal| reports::OverdueTotal {
        unit: t.unit.clone(),
        dossiers: t.dossiers,
        tasks: t.tasks,
        with_reason: t.with_reason,
        without_reason: t.without_reason,
    };
    reports::OverdueSheet {
        header: reports::DocHeader {
            issuer_parent: "UBND TỈNH NGHỆ AN".into(),
            issuer: issuer.to_uppercase(),
            place: "Nghệ An".into(),
            date: local(r.generated_at).date(),
            title: "DANH SÁCH HỒ SƠ, NHIỆM VỤ QUÁ HẠN".into(),
            subtitle: Some(
                "(Theo Công văn số 6486/UBND-KSTT ngày 07/8/2023 của UBND tỉnh, mục 3)".into(),
            ),
        },
        info: vec![
            format!("Đơn vị: {} ({})", r.unit_name, r.unit),
            period_line(r),
            format!(
                "Thời điểm lập: {}",
                domain::fmt::datetime_vn(&r.generated_at)
            ),
        ],
        totals: r.totals.iter().map(total).collect(),
        total: total(&r.total),
        lines: r
            .rows
            .iter()
            .map(|x| reports::OverdueLine {
                kind: kind_label(&x.kind).into(),
                unit: x.unit.clone(),
                code: x.code.clone(),
                title: x.title.clone(),
                origin: if x.kind == "task" {
                    x.source.clone()
                } else {
                    x.receiving_unit.clone().unwrap_or_default()
                },
                handling: x.handling_unit.clone().unwrap_or_default(),
                step: match (&x.step, x.step_late) {
                    (Some(s), true) => format!("{s} (bước chậm)"),
                    (Some(s), false) => s.clone(),
                    _ => String::new(),
                },
                officer: x.officer.clone().unwrap_or_default(),
                due: when(&x.due, &x.kind),
                finished: opt_when(&x.finished, &x.kind),
                days_late: x.days_late,
                days_unit: unit_label(&x.days_unit).into(),
                reason: x.reason.clone().unwrap_or_else(|| NO_REASON.into()),
                apology: match x.apology {
                    Some(true) => "Có".into(),
                    Some(false) => "Không".into(),
                    None => String::new(),
                },
            })
            .collect(),
    }
}

/// "dd/mm/yyyy HH:MM" of a local time; just the date for a task.
pub fn when(t: &NaiveDateTime, kind: &str) -> String {
    if kind == "task" {
        t.format("%d/%m/%Y").to_string()
    } else {
        t.format("%d/%m/%Y %H:%M").to_string()
    }
}

pub fn opt_when(t: &Option<NaiveDateTime>, kind: &str) -> String {
    t.as_ref().map(|t| when(t, kind)).unwrap_or_default()
}

pub fn kind_label(kind: &str) -> &'static str {
    if kind == "task" {
        "Nhiệm vụ"
    } else {
        "Hồ sơ"
    }
}

pub fn unit_label(days_unit: &str) -> &'static str {
    if days_unit == "working" {
        "ngày làm việc"
    } else {
        "ngày"
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
