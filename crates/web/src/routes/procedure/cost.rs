//! The compliance cost form on a procedure's page (catalog managers): the two phases —
//! before simplification ("baseline") and after ("after") — each with its work items
//! (label, working minutes × hourly income, or another cost in đồng), fees, times per year
//! and subjects per year.
//!
//! Thông tư 02/2017/TT-VPCP Điều 27 k3a: the cost of one TTHC = the cost of the work needed
//! to obtain the result + fees, charges and other costs; k3b: the annual cost = that cost ×
//! times per year × subjects per year; k1: the benefit of simplification is the cost before
//! minus the cost after. Công văn 6486/UBND-KSTT sets the target of cutting at least 20%.
//! Sheets are saved with `app::procedure::save_cost`, which writes the audit entry.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use domain::procedure::{CostItem, ProcedureCost};
use domain::validate::{FieldError, clean};
use store::procedure::{COST_PHASES, CostSheet};

use super::api::{CostBody, CostItemBody, check_cost};
use super::{ensure_manager, find};
use crate::auth::CurrentUser;
use crate::extract::{PageForm, set_flash};
use crate::views::int_vn;
use crate::{AppError, AppState};

/// Work rows shown per phase at least (empty ones are skipped on saving).
const MIN_ROWS: usize = 4;
/// Work rows read per phase at most.
const MAX_ROWS: usize = 30;

/// One work item as typed.
#[derive(Debug, Clone, Default)]
pub struct WorkRow {
    pub label: String,
    pub minutes: String,
    pub rate: String,
    pub amount: String,
}

/// One phase of the form as typed.
#[derive(Debug, Clone, Default)]
pub struct PhaseForm {
    pub phase: &'static str,
    pub label: &'static str,
    pub rows: Vec<WorkRow>,
    pub fees: String,
    pub times: String,
    pub subjects: String,
    pub note: String,
}

/// The cost form of both phases with the errors to show next to the fields.
#[derive(Debug, Clone, Default)]
pub struct CostForm {
    pub phases: Vec<PhaseForm>,
    pub errors: Vec<FieldError>,
}

impl CostForm {
    /// The saved sheets, ready to edit (a saved item shows its amount as "other cost").
    pub fn from_sheets(sheets: &[CostSheet]) -> CostForm {
        let phases = COST_PHASES
            .iter()
            .map(|(phase, label)| {
                let mut f = PhaseForm {
                    phase,
                    label,
                    ..Default::default()
                };
                if let Some(s) = sheets.iter().find(|s| s.phase == *phase) {
                    f.rows = s
                        .cost
                        .work
                        .iter()
                        .map(|i| WorkRow {
                            label: i.label.clone(),
                            amount: money(i.amount_vnd),
                            ..Default::default()
                        })
                        .collect();
                    f.fees = money(s.cost.fees_vnd);
                    f.times = money(s.cost.times_per_year);
                    f.subjects = money(s.cost.subjects_per_year);
                    f.note = s.note.clone();
                }
                f
            })
            .collect();
        let mut form = CostForm {
            phases,
            errors: Vec::new(),
        };
        form.pad();
        form
    }

    fn pad(&mut self) {
        for p in &mut self.phases {
            let want = (p.rows.len() + 1).max(MIN_ROWS);
            p.rows.resize_with(want, WorkRow::default);
        }
    }

    /// The message for `part` of work row `row` of `phase`.
    pub fn row_error(&self, phase: &str, row: &usize, part: &str) -> String {
        self.error(&format!("{phase}_w{row}_{part}"))
    }

    /// The message for `part` (fees, times, subjects, form) of `phase`.
    pub fn phase_error(&self, phase: &str, part: &str) -> String {
        self.error(&format!("{phase}_{part}"))
    }

    /// The message for field `name`, "" when none.
    pub fn error(&self, name: &str) -> String {
        self.errors
            .iter()
            .filter(|e| e.field == name)
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn money(v: u64) -> String {
    int_vn(i64::try_from(v).unwrap_or(i64::MAX))
}

/// A whole number as typed by an officer: "150000" or grouped "150.000"; empty is `None`.
fn whole(s: &str) -> Result<Option<u64>, ()> {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return Ok(None);
    }
    let digits = if t.contains('.') {
        let mut groups = t.split('.');
        let first = groups.next().unwrap_or("");
        let grouped = (1..=3).contains(&first.len())
            && groups.all(|g| g.len() == 3)
            && t.chars().all(|c| c.is_ascii_digit() || c == '.');
        if !grouped {
            return Err(());
        }
        t.replace('.', "")
    } else {
        t
    };
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(());
    }
    digits.parse::<u64>().map(Some).map_err(|_| ())
}

/// A whole-number field: its value, or 0 with the error recorded.
fn num(errors: &mut Vec<FieldError>, field: String, label: &str, v: &str, required: bool) -> u64 {
    let mut fail = |message: String| {
        errors.push(FieldError {
            field: field.clone(),
            message,
        })
    };
    match whole(v) {
        Ok(Some(n)) => n,
        Ok(None) => {
            if required {
                fail(format!("{label} không được để trống."));
            }
            0
        }
        Err(()) => {
            fail(format!(
                "{label} phải là số nguyên không âm (VD: 150000 hoặc 150.000)."
            ));
            0
        }
    }
}

fn i64_of(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// Reads the posted form: fields `{phase}_fees`, `{phase}_times`, `{phase}_subjects`,
/// `{phase}_note` and rows `{phase}_w{i}_label|minutes|rate|amount`.
pub fn read_form(pairs: &[(String, String)]) -> CostForm {
    let map: HashMap<&str, &str> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let get = |k: String| map.get(k.as_str()).map(|v| clean(v)).unwrap_or_default();
    let phases = COST_PHASES
        .iter()
        .map(|(phase, label)| {
            let mut rows: Vec<WorkRow> = (0..MAX_ROWS)
                .map(|i| WorkRow {
                    label: get(format!("{phase}_w{i}_label")),
                    minutes: get(format!("{phase}_w{i}_minutes")),
                    rate: get(format!("{phase}_w{i}_rate")),
                    amount: get(format!("{phase}_w{i}_amount")),
                })
                .collect();
            while rows.last().is_some_and(|r| {
                r.label.is_empty()
                    && r.minutes.is_empty()
                    && r.rate.is_empty()
                    && r.amount.is_empty()
            }) {
                rows.pop();
            }
            PhaseForm {
                phase,
                label,
                rows,
                fees: get(format!("{phase}_fees")),
                times: get(format!("{phase}_times")),
                subjects: get(format!("{phase}_subjects")),
                note: get(format!("{phase}_note")),
            }
        })
        .collect();
    CostForm {
        phases,
        errors: Vec::new(),
    }
}

impl PhaseForm {
    fn is_empty(&self) -> bool {
        self.fees.is_empty()
            && self.times.is_empty()
            && self.subjects.is_empty()
            && self.note.is_empty()
            && self.rows.iter().all(|r| {
                r.label.is_empty()
                    && r.minutes.is_empty()
                    && r.rate.is_empty()
                    && r.amount.is_empty()
            })
    }

    /// Validates one phase into its sheet; `None` when the phase was left empty.
    fn check(&self) -> Result<Option<ProcedureCost>, Vec<FieldError>> {
        if self.is_empty() {
            return Ok(None);
        }
        let p = self.phase;
        let mut errors: Vec<FieldError> = Vec::new();
        let fees = num(
            &mut errors,
            format!("{p}_fees"),
            "Phí, lệ phí",
            &self.fees,
            false,
        );
        let times = num(
            &mut errors,
            format!("{p}_times"),
            "Số lần thực hiện mỗi năm",
            &self.times,
            true,
        );
        let subjects = num(
            &mut errors,
            format!("{p}_subjects"),
            "Số đối tượng thực hiện mỗi năm",
            &self.subjects,
            true,
        );
        let mut work = Vec::new();
        let mut rows_of = Vec::new();
        for (i, r) in self.rows.iter().enumerate() {
            if r.label.is_empty()
                && r.minutes.is_empty()
                && r.rate.is_empty()
                && r.amount.is_empty()
            {
                continue;
            }
            let n = i + 1;
            let minutes = num(
                &mut errors,
                format!("{p}_w{i}_minutes"),
                &format!("Số phút của khoản {n}"),
                &r.minutes,
                !r.rate.is_empty(),
            );
            let rate = num(
                &mut errors,
                format!("{p}_w{i}_rate"),
                &format!("Thu nhập mỗi giờ của khoản {n}"),
                &r.rate,
                !r.minutes.is_empty(),
            );
            let other = num(
                &mut errors,
                format!("{p}_w{i}_amount"),
                &format!("Chi phí khác của khoản {n}"),
                &r.amount,
                r.minutes.is_empty() && r.rate.is_empty(),
            );
            // Time valued at an hourly income (Điều 27 k4), plus any other cost of the item.
            let amount = CostItem::time(&r.label, minutes, rate)
                .ok()
                .and_then(|t| t.amount_vnd.checked_add(other));
            let Some(amount) = amount else {
                errors.push(FieldError {
                    field: format!("{p}_w{i}_amount"),
                    message: format!("Khoản {n}: chi phí vượt quá giới hạn tính toán."),
                });
                continue;
            };
            work.push(CostItemBody {
                label: r.label.clone(),
                amount_vnd: i64_of(amount),
            });
            rows_of.push(i);
        }
        let body = CostBody {
            work,
            fees_vnd: i64_of(fees),
            times_per_year: i64_of(times),
            subjects_per_year: i64_of(subjects),
            note: self.note.clone(),
        };
        // The same rules as the API (labels required, no overflow), on the form's fields.
        let checked = check_cost(&body).map_err(|errs| {
            errs.into_iter()
                .map(|e| FieldError {
                    field: rename(p, &e.field, &rows_of),
                    message: e.message,
                })
                .collect::<Vec<_>>()
        });
        match checked {
            Ok(cost) if errors.is_empty() => Ok(Some(cost)),
            Ok(_) => Err(errors),
            Err(more) => {
                errors.extend(more);
                Err(errors)
            }
        }
    }
}

/// The form field of an API field name ("work[2].label" → "baseline_w5_label").
fn rename(phase: &str, field: &str, rows_of: &[usize]) -> String {
    if let Some(rest) = field.strip_prefix("work[")
        && let Some((i, part)) = rest.split_once("].")
        && let Some(row) = i.parse::<usize>().ok().and_then(|i| rows_of.get(i))
    {
        let part = if part == "amount_vnd" { "amount" } else { part };
        return format!("{phase}_w{row}_{part}");
    }
    match field {
        "fees_vnd" => format!("{phase}_fees"),
        "times_per_year" => format!("{phase}_times"),
        "subjects_per_year" => format!("{phase}_subjects"),
        _ => format!("{phase}_form"),
    }
}

/// `POST /thu-tuc/{code}/chi-phi` — save the phases filled in; with any error nothing is
/// saved and the page comes back (422) with the messages next to the fields.
pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(code): Path<String>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ensure_manager(&user.principal)?;
    let p = find(&state.db, &code).await?;
    let mut form = read_form(&pairs);
    let mut sheets = Vec::new();
    for phase in &form.phases {
        match phase.check() {
            Ok(Some(cost)) => sheets.push((phase.phase, cost, phase.note.clone())),
            Ok(None) => {}
            Err(errs) => form.errors.extend(errs),
        }
    }
    if form.errors.is_empty() && sheets.is_empty() {
        form.errors.push(FieldError {
            field: "cost_form".into(),
            message: "Hãy nhập chi phí của ít nhất một giai đoạn.".into(),
        });
    }
    if !form.errors.is_empty() {
        form.pad();
        let html = super::pages::detail_page(
            &state,
            &Some(user),
            &p,
            Some(
                "Chưa lưu được chi phí tuân thủ: vui lòng kiểm tra lại các ô được đánh dấu.".into(),
            ),
            Some(form),
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response());
    }
    for (phase, cost, note) in &sheets {
        app::procedure::save_cost(&state, &user, p.id, phase, cost, note).await?;
    }
    let jar = set_flash(jar, "Đã lưu chi phí tuân thủ.");
    Ok((jar, Redirect::to(&format!("/thu-tuc/{}#chi-phi", p.code))).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_as_officers_type_them() {
        assert_eq!(whole(""), Ok(None));
        assert_eq!(whole("150000"), Ok(Some(150_000)));
        assert_eq!(whole("1.234.567"), Ok(Some(1_234_567)));
        assert_eq!(whole(" 150 000 "), Ok(Some(150_000)));
        assert_eq!(whole("1.5"), Err(()));
        assert_eq!(whole("-3"), Err(()));
        assert_eq!(whole("12,5"), Err(()));
    }

    #[test]
    fn a_phase_counts_time_at_the_hourly_income() {
        let f = PhaseForm {
            phase: "baseline",
            label: "Trước",
            rows: vec![
                WorkRow {
                    label: "Chuẩn bị hồ sơ".into(),
                    minutes: "120".into(),
                    rate: "30.000".into(),
                    amount: String::new(),
                },
                WorkRow {
                    label: "Sao chụp".into(),
                    amount: "5.000".into(),
                    ..Default::default()
                },
            ],
            fees: "10.000".into(),
            times: "1".into(),
            subjects: "100".into(),
            note: String::new(),
        };
        let cost = f.check().unwrap().unwrap();
        assert_eq!(cost.per_dossier().unwrap(), 60_000 + 5_000 + 10_000);
        assert_eq!(cost.annual().unwrap(), 7_500_000);
    }

    #[test]
    fn errors_name_the_form_fields() {
        let f = PhaseForm {
            phase: "after",
            label: "Sau",
            rows: vec![
                WorkRow::default(),
                WorkRow {
                    minutes: "60".into(),
                    ..Default::default()
                },
            ],
            fees: "abc".into(),
            times: String::new(),
            subjects: "10".into(),
            note: String::new(),
        };
        let errs = f.check().unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"after_fees"), "{fields:?}");
        assert!(fields.contains(&"after_times"), "{fields:?}");
        assert!(fields.contains(&"after_w1_rate"), "{fields:?}");
        assert!(fields.contains(&"after_w1_label"), "{fields:?}");
    }
}
