//! Báo cáo định kỳ — periodic reports of the units (domain.md §7 and items 2, 4, 25, 26 of
//! §11): templates as data ([`template`]), the lifecycle of one unit's report for one
//! period, the validation of typed values, frozen snapshots and the corrections shown
//! after a freeze, and the province's sums.
//!
//! Domain.md §7: "Closing a period freezes an immutable snapshot; a correction is a new
//! revision, never an edit of published numbers."

pub mod template;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use template::{DueRule, Field, FieldType, Template, TemplateError, Templates, kind_label};

use crate::validate::{FieldError, clean, parse_date};

/// The values of a report's fields by key; an absent key has no value.
pub type Values = BTreeMap<String, Value>;

/// Trạng thái của một báo cáo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// Đang soạn — the unit is filling it in.
    Draft,
    /// Đã gửi — sent by the unit's head, waiting for the compiling office.
    Submitted,
    /// Đã tiếp nhận — accepted by the compiling office.
    Accepted,
    /// Bị trả lại — returned with a reason; the unit corrects and sends again.
    Returned,
}

impl ReportStatus {
    pub const ALL: [ReportStatus; 4] = [
        ReportStatus::Draft,
        ReportStatus::Submitted,
        ReportStatus::Accepted,
        ReportStatus::Returned,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReportStatus::Draft => "draft",
            ReportStatus::Submitted => "submitted",
            ReportStatus::Accepted => "accepted",
            ReportStatus::Returned => "returned",
        }
    }

    pub fn parse(s: &str) -> Option<ReportStatus> {
        Self::ALL.into_iter().find(|x| x.code() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ReportStatus::Draft => "Đang soạn",
            ReportStatus::Submitted => "Đã gửi",
            ReportStatus::Accepted => "Đã tiếp nhận",
            ReportStatus::Returned => "Bị trả lại",
        }
    }

    /// Sent and not returned: counted in the province's sums.
    pub fn is_sent(self) -> bool {
        matches!(self, ReportStatus::Submitted | ReportStatus::Accepted)
    }
}

/// What is done to a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportAction {
    /// Save typed values (a draft, or a returned report being corrected).
    Save,
    Submit,
    Accept,
    Return,
}

impl ReportAction {
    pub fn code(self) -> &'static str {
        match self {
            ReportAction::Save => "save",
            ReportAction::Submit => "submit",
            ReportAction::Accept => "accept",
            ReportAction::Return => "return",
        }
    }
}

/// The status after `action`, or why it is not allowed now (Vietnamese). A report of a
/// closed period changes no more ([`frozen`] is checked by the caller first).
pub fn next_status(from: ReportStatus, action: ReportAction) -> Result<ReportStatus, String> {
    use ReportAction as A;
    use ReportStatus as S;
    match (from, action) {
        (S::Draft | S::Returned, A::Save) => Ok(from),
        (S::Draft | S::Returned, A::Submit) => Ok(S::Submitted),
        (S::Submitted, A::Accept) => Ok(S::Accepted),
        (S::Submitted, A::Return) => Ok(S::Returned),
        (S::Submitted | S::Accepted, A::Save | A::Submit) => {
            Err("Báo cáo đã gửi, không sửa được nữa.".into())
        }
        (S::Accepted, A::Accept | A::Return) => Err("Báo cáo đã được tiếp nhận.".into()),
        (S::Draft | S::Returned, A::Accept | A::Return) => Err("Báo cáo chưa được gửi.".into()),
    }
}

/// Largest integer accepted in a typed field.
const MAX_INTEGER: i64 = 1_000_000_000_000;

/// Parses the typed values of a form or a JSON body (as text) against the template.
/// Empty text clears a value (`Value::Null`). Every problem is reported, in Vietnamese,
/// with the field's key; nothing is returned unless all are valid.
pub fn parse_typed(
    t: &Template,
    input: &BTreeMap<String, String>,
) -> Result<Values, Vec<FieldError>> {
    let mut out = Values::new();
    let mut errors = Vec::new();
    let mut fail = |key: &str, message: String| {
        errors.push(FieldError {
            field: key.to_string(),
            message,
        })
    };
    for (key, raw) in input {
        let Some(f) = t.field(key) else {
            fail(key, format!("Biểu mẫu {} không có trường “{key}”.", t.code));
            continue;
        };
        if f.is_computed() {
            fail(
                key,
                format!("{} do hệ thống tính, không nhập tay được.", f.label),
            );
            continue;
        }
        let v = clean(raw);
        if v.is_empty() {
            out.insert(key.clone(), Value::Null);
            continue;
        }
        match f.field_type {
            FieldType::Integer => match parse_integer(&v) {
                Some(n) if (0..=MAX_INTEGER).contains(&n) => {
                    out.insert(key.clone(), Value::from(n));
                }
                Some(_) => fail(key, format!("{} phải là số không âm.", f.label)),
                None => fail(
                    key,
                    format!("{} phải là số nguyên (ví dụ: 1.234).", f.label),
                ),
            },
            FieldType::Percent => match v.replace(',', ".").parse::<f64>() {
                Ok(x) if x.is_finite() && (0.0..=100.0).contains(&x) => {
                    out.insert(key.clone(), Value::from(round2(x)));
                }
                Ok(_) => fail(key, format!("{} phải trong khoảng 0–100.", f.label)),
                Err(_) => fail(
                    key,
                    format!("{} phải là số phần trăm (ví dụ: 85,5).", f.label),
                ),
            },
            FieldType::Date => match parse_date(&v) {
                Some(d) => {
                    out.insert(key.clone(), Value::from(d.to_string()));
                }
                None => fail(
                    key,
                    format!("{} không đúng định dạng ngày (dd/mm/yyyy).", f.label),
                ),
            },
            FieldType::Text => {
                if v.chars().count() > f.max_chars() {
                    fail(key, format!("{} dài quá {} ký tự.", f.label, f.max_chars()));
                } else if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
                    fail(key, format!("{} chứa ký tự không hợp lệ.", f.label));
                } else {
                    out.insert(key.clone(), Value::from(v));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// "1.234" or "1234" → 1234; a decimal point with other than three digits after it is
/// not a Vietnamese thousands separator and is refused.
fn parse_integer(s: &str) -> Option<i64> {
    let s = s.trim();
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s),
    };
    let groups: Vec<&str> = body.split('.').collect();
    let ok = !groups[0].is_empty()
        && groups[0].len() <= 3 + usize::from(groups.len() == 1) * 12
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    if !ok {
        return None;
    }
    let n: i64 = groups.concat().parse().ok()?;
    Some(if neg { -n } else { n })
}

pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The typed fields that must be filled before submission and are not.
pub fn missing_required(t: &Template, typed: &Values) -> Vec<FieldError> {
    t.fields
        .iter()
        .filter(|f| !f.is_computed() && f.required)
        .filter(|f| typed.get(&f.key).is_none_or(Value::is_null))
        .map(|f| FieldError {
            field: f.key.clone(),
            message: format!("{} không được để trống.", f.label),
        })
        .collect()
}

/// The computed fields' values from the figures the system computed for the unit and
/// period (`sources`, keyed as in data/reports/README.md). A source without a value
/// (a rate over nothing) gives `null`.
pub fn computed_values(t: &Template, sources: &Values) -> Values {
    t.fields
        .iter()
        .filter_map(|f| {
            let s = f.source.as_ref()?;
            let v = sources.get(s).cloned().unwrap_or(Value::Null);
            let v = match (f.field_type, &v) {
                (FieldType::Percent, Value::Number(n)) => n
                    .as_f64()
                    .map(round2)
                    .map(Value::from)
                    .unwrap_or(Value::Null),
                _ => v,
            };
            Some((f.key.clone(), v))
        })
        .collect()
}

/// All of a report's values: computed, then typed (typed keys never collide with computed
/// ones, [`parse_typed`] refuses them).
pub fn all_values(t: &Template, computed: &Values, typed: &Values) -> Values {
    t.fields
        .iter()
        .map(|f| {
            let v = if f.is_computed() {
                computed.get(&f.key)
            } else {
                typed.get(&f.key)
            };
            (f.key.clone(), v.cloned().unwrap_or(Value::Null))
        })
        .collect()
}

/// Số liệu khóa sổ — a report's numbers as they stood when its period was closed: every
/// field's value and the instant the inputs were read ("as of"). Serialised canonically
/// (keys sorted, no whitespace), so the same snapshot is always the same text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub as_of: DateTime<Utc>,
    pub template: String,
    pub version: String,
    /// The unit's code and name and the report's status at the freeze, so that a file
    /// regenerated later prints what was frozen even if the unit is renamed.
    pub unit: String,
    pub unit_name: String,
    pub status: String,
    pub values: Values,
}

impl Snapshot {
    pub fn canonical_json(&self) -> String {
        // A struct's fields serialise in declaration order and `Values` is a BTreeMap:
        // the text depends on the contents only.
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn parse(s: &str) -> Result<Snapshot, String> {
        serde_json::from_str(s).map_err(|e| format!("số liệu khóa sổ hỏng: {e}"))
    }
}

/// Điều chỉnh sau khi khóa sổ — a computed field whose live value differs from the frozen
/// one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correction {
    pub key: String,
    pub label: String,
    pub frozen: Value,
    pub live: Value,
    /// live − frozen when both are numbers.
    pub difference: Option<f64>,
}

/// The computed fields whose value now differs from the frozen one, in template order.
pub fn corrections(t: &Template, frozen: &Values, live: &Values) -> Vec<Correction> {
    t.fields
        .iter()
        .filter(|f| f.is_computed())
        .filter_map(|f| {
            let a = frozen.get(&f.key).cloned().unwrap_or(Value::Null);
            let b = live.get(&f.key).cloned().unwrap_or(Value::Null);
            if same(&a, &b) {
                return None;
            }
            let difference = match (a.as_f64(), b.as_f64()) {
                (Some(x), Some(y)) => Some(round2(y - x)),
                _ => None,
            };
            Some(Correction {
                key: f.key.clone(),
                label: f.label.clone(),
                frozen: a,
                live: b,
                difference,
            })
        })
        .collect()
}

fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => (x - y).abs() < 1e-9,
        _ => a == b,
    }
}

/// One line of the province's sums for a template and period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldTotal {
    pub key: String,
    pub label: String,
    pub field_type: FieldType,
    /// Integers: the sum. Percents: the unweighted mean of the units that gave a value
    /// (a sum of rates means nothing; the weighted rate is the province's own indicator).
    pub value: Option<f64>,
    /// How many reports gave a value.
    pub reports: usize,
}

/// Sums the numeric fields over the sent reports' values.
pub fn aggregate<'a>(
    t: &Template,
    reports: impl IntoIterator<Item = &'a Values>,
) -> Vec<FieldTotal> {
    let reports: Vec<&Values> = reports.into_iter().collect();
    t.fields
        .iter()
        .filter(|f| f.field_type.is_numeric())
        .map(|f| {
            let xs: Vec<f64> = reports
                .iter()
                .filter_map(|v| v.get(&f.key).and_then(Value::as_f64))
                .collect();
            let value = match (f.field_type, xs.len()) {
                (_, 0) => None,
                (FieldType::Percent, n) => Some(round2(xs.iter().sum::<f64>() / n as f64)),
                _ => Some(xs.iter().sum()),
            };
            FieldTotal {
                key: f.key.clone(),
                label: f.label.clone(),
                field_type: f.field_type,
                value,
                reports: xs.len(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn monthly() -> Template {
        Templates::embedded()
            .expect("templates")
            .get(
                "TTHC-THANG",
                chrono::NaiveDate::from_ymd_opt(2023, 10, 14).unwrap_or_default(),
            )
            .cloned()
            .expect("monthly")
    }

    fn input(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn typed_values_parse_vietnamese_numbers_and_dates() {
        let t = monthly();
        let v = parse_typed(
            &t,
            &input(&[
                ("tthc_ban_hanh_moi", "1.234"),
                ("tthc_sua_doi", " 7 "),
                ("kho_khan", " Thiếu máy scan\n"),
                ("tthc_bai_bo", ""),
            ]),
        )
        .expect("valid");
        assert_eq!(v["tthc_ban_hanh_moi"], Value::from(1234));
        assert_eq!(v["tthc_sua_doi"], Value::from(7));
        assert_eq!(v["tthc_bai_bo"], Value::Null);
        assert_eq!(v["kho_khan"], Value::from("Thiếu máy scan"));
    }

    #[test]
    fn bad_values_are_all_reported_in_vietnamese() {
        let t = monthly();
        let e = parse_typed(
            &t,
            &input(&[
                ("tthc_ban_hanh_moi", "-3"),
                ("tthc_sua_doi", "12,5"),
                ("tthc_bai_bo", "1.23"),
                ("ho_so_tiep_nhan", "5"),
                ("khong_co", "1"),
                ("kho_khan", &"x".repeat(4001)),
            ]),
        )
        .expect_err("invalid");
        let fields: Vec<&str> = e.iter().map(|x| x.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "ho_so_tiep_nhan",
                "kho_khan",
                "khong_co",
                "tthc_bai_bo",
                "tthc_ban_hanh_moi",
                "tthc_sua_doi"
            ]
        );
        assert!(e[0].message.contains("do hệ thống tính"));
        assert!(e[4].message.contains("không âm"));
    }

    #[test]
    fn the_lifecycle_allows_only_its_steps() {
        use ReportAction as A;
        use ReportStatus as S;
        assert_eq!(next_status(S::Draft, A::Submit), Ok(S::Submitted));
        assert_eq!(next_status(S::Submitted, A::Return), Ok(S::Returned));
        assert_eq!(next_status(S::Returned, A::Save), Ok(S::Returned));
        assert_eq!(next_status(S::Returned, A::Submit), Ok(S::Submitted));
        assert_eq!(next_status(S::Submitted, A::Accept), Ok(S::Accepted));
        assert!(next_status(S::Accepted, A::Save).is_err());
        assert!(next_status(S::Draft, A::Accept).is_err());
        assert!(next_status(S::Submitted, A::Submit).is_err());
    }

    #[test]
    fn required_fields_block_submission() {
        let t = monthly();
        let typed = parse_typed(&t, &input(&[("tthc_ban_hanh_moi", "1")])).expect("ok");
        let missing: Vec<String> = missing_required(&t, &typed)
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            missing,
            vec!["tthc_sua_doi", "tthc_bai_bo", "pakn_tiep_nhan"]
        );
    }

    #[test]
    fn snapshots_are_canonical_and_corrections_show_the_difference() {
        let t = monthly();
        let mut frozen = Values::new();
        frozen.insert("ho_so_tiep_nhan".into(), Value::from(10));
        frozen.insert("ho_so_dung_han".into(), Value::from(90.5));
        let s = Snapshot {
            as_of: DateTime::parse_from_rfc3339("2023-10-20T03:00:00Z")
                .map(|d| d.with_timezone(&Utc))
                .unwrap_or_default(),
            template: t.code.clone(),
            version: t.version(),
            unit: "SXD".into(),
            unit_name: "Sở Xây dựng".into(),
            status: "submitted".into(),
            values: frozen.clone(),
        };
        let text = s.canonical_json();
        assert_eq!(
            Snapshot::parse(&text).map(|x| x.canonical_json()),
            Ok(text.clone())
        );
        assert!(text.find("ho_so_dung_han") < text.find("ho_so_tiep_nhan"));
        let mut live = frozen.clone();
        live.insert("ho_so_tiep_nhan".into(), Value::from(12));
        let c = corrections(&t, &frozen, &live);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].key, "ho_so_tiep_nhan");
        assert_eq!(c[0].difference, Some(2.0));
    }

    #[test]
    fn province_sums_add_integers_and_average_percents() {
        let t = monthly();
        let a: Values = [
            ("ho_so_tiep_nhan".to_string(), Value::from(10)),
            ("ho_so_dung_han".to_string(), Value::from(80.0)),
        ]
        .into_iter()
        .collect();
        let b: Values = [
            ("ho_so_tiep_nhan".to_string(), Value::from(5)),
            ("ho_so_dung_han".to_string(), Value::from(90.0)),
        ]
        .into_iter()
        .collect();
        let totals = aggregate(&t, [&a, &b]);
        let get = |k: &str| totals.iter().find(|x| x.key == k).cloned().expect(k);
        assert_eq!(get("ho_so_tiep_nhan").value, Some(15.0));
        assert_eq!(get("ho_so_dung_han").value, Some(85.0));
        assert_eq!(get("tthc_bai_bo").value, None);
        assert!(totals.iter().all(|x| x.key != "kho_khan"));
    }
}
