//! Biểu mẫu báo cáo — report templates as data (`data/reports/*.toml`), each with its
//! effective dates, period kind, data window, due rule, legal basis and typed fields.
//! Domain.md §7: "the period definition belongs to the report type".

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::period::PeriodKind;
use crate::calendar::{Calendar, Period, PeriodMode};
use crate::org::{AgencyKind, Role};

/// The templates in the repository, compiled in.
pub const EMBEDDED: [(&str, &str); 7] = [
    (
        "tthc-thang.toml",
        include_str!("../../../../data/reports/tthc-thang.toml"),
    ),
    (
        "tthc-thang-2026.toml",
        include_str!("../../../../data/reports/tthc-thang-2026.toml"),
    ),
    (
        "cchc-quy.toml",
        include_str!("../../../../data/reports/cchc-quy.toml"),
    ),
    (
        "cchc-nam.toml",
        include_str!("../../../../data/reports/cchc-nam.toml"),
    ),
    (
        "cchc-quy-2027.toml",
        include_str!("../../../../data/reports/cchc-quy-2027.toml"),
    ),
    (
        "cchc-6thang.toml",
        include_str!("../../../../data/reports/cchc-6thang.toml"),
    ),
    (
        "cchc-nam-2027.toml",
        include_str!("../../../../data/reports/cchc-nam-2027.toml"),
    ),
];

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum TemplateError {
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
}

/// Kiểu trường — the type of a field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// A whole number ≥ 0.
    Integer,
    /// 0–100, two decimals.
    Percent,
    Text,
    /// A calendar date (ISO in JSON, dd/mm/yyyy on screen).
    Date,
}

impl FieldType {
    pub fn is_numeric(self) -> bool {
        matches!(self, FieldType::Integer | FieldType::Percent)
    }

    pub fn code(self) -> &'static str {
        match self {
            FieldType::Integer => "integer",
            FieldType::Percent => "percent",
            FieldType::Text => "text",
            FieldType::Date => "date",
        }
    }
}

/// One field of a template: computed from the system (`source`) or typed by the unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub key: String,
    pub label: String,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    /// The figure a computed field shows (see data/reports/README.md); `None`: typed.
    #[serde(default)]
    pub source: Option<String>,
    /// Typed fields: must be filled before submission.
    #[serde(default)]
    pub required: bool,
    /// Typed text: the longest accepted value, in characters (default 4000).
    #[serde(default)]
    pub max_len: Option<usize>,
}

impl Field {
    pub fn is_computed(&self) -> bool {
        self.source.is_some()
    }

    pub fn max_chars(&self) -> usize {
        self.max_len.unwrap_or(4000)
    }
}

/// When a report falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case", deny_unknown_fields)]
pub enum DueRule {
    /// Day `day` of the month in which the window ends (of the next month when the window
    /// ends on or after that day), moved to the previous working day when it is a day off,
    /// as the recurring tasks are: CV 6486 "trước ngày 18 hàng tháng".
    DayOfMonth { day: u32 },
    /// `days` working days after the cut-off (NĐ 09/2019/NĐ-CP Điều 8 khoản 5: at least
    /// one working day after it).
    WorkingDaysAfterCutoff { days: u32 },
}

/// A report template in force from `effective_from` (to `effective_to`, inclusive).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub code: String,
    pub name: String,
    pub effective_from: NaiveDate,
    #[serde(default)]
    pub effective_to: Option<NaiveDate>,
    pub period_kind: PeriodKind,
    /// The quarters (or halves) of the year the report is made for; empty: every one.
    /// Công văn 581/BNV-CCHC: quý I and quý III only (the 6-month and annual reports cover
    /// quý II and quý IV).
    #[serde(default)]
    pub periods: Vec<u32>,
    pub window: PeriodMode,
    pub due: DueRule,
    pub legal_basis: Vec<String>,
    /// Number of the directive whose task carries the due date.
    pub directive: String,
    /// Recurrence of that directive's recurring task, when its occurrences are the due
    /// tasks (`monthly:18`).
    #[serde(default)]
    pub recurrence: Option<String>,
    /// The compiling office that accepts or returns the reports.
    pub compiler: Role,
    /// Agency kinds that owe the report (from `effective_from`).
    pub obliged: Vec<AgencyKind>,
    /// Later changes of who owes the report, by the day they take effect (the two-level
    /// local government from 01/7/2025: the communes report in place of the districts).
    #[serde(default)]
    pub obliged_since: Vec<ObligedSince>,
    pub fields: Vec<Field>,
}

/// From `from` on, the kinds that owe the report are `kinds`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObligedSince {
    pub from: NaiveDate,
    pub kinds: Vec<AgencyKind>,
    /// The decision or law that made the change.
    #[serde(default)]
    pub legal_basis: Option<String>,
}

/// Computed sources the web layer knows how to fill (data/reports/README.md).
pub const SOURCE_PREFIXES: [&str; 6] = [
    "facts.",
    "kpi.",
    "indicator.",
    "overdue.",
    "tasks.",
    "inspections.",
];

impl Template {
    /// Version label: the day it takes effect.
    pub fn version(&self) -> String {
        self.effective_from.to_string()
    }

    pub fn in_force_on(&self, day: NaiveDate) -> bool {
        day >= self.effective_from && self.effective_to.is_none_or(|t| day <= t)
    }

    /// The agency kinds that owe the report of a period ending on `day`: the last
    /// `obliged_since` change in force then, else `obliged`.
    pub fn obliged_on(&self, day: NaiveDate) -> &[AgencyKind] {
        self.obliged_since
            .iter()
            .filter(|c| c.from <= day)
            .max_by_key(|c| c.from)
            .map_or(&self.obliged[..], |c| &c.kinds[..])
    }

    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// Parses `period` ("2023-10", "2023-Q3", "2023") and checks it is of this template's
    /// kind.
    pub fn period(&self, period: &str) -> Result<Period, String> {
        // As people write it (10/2023, T10/2023, Q3/2023, quý III/2023) or in code form.
        let p: Period = Period::parse_vi(period).ok_or_else(|| {
            format!("Kỳ báo cáo “{period}” không hợp lệ (ví dụ: 10/2023, Q3/2023, 2023).")
        })?;
        let kind = match p {
            Period::Month { .. } => PeriodKind::Month,
            Period::Quarter { .. } => PeriodKind::Quarter,
            Period::Half { .. } => PeriodKind::Half,
            Period::Year { .. } => PeriodKind::Year,
        };
        if kind != self.period_kind {
            return Err(format!(
                "Biểu mẫu {} là báo cáo {}, không dùng kỳ “{period}”.",
                self.code,
                kind_label(self.period_kind)
            ));
        }
        Ok(p)
    }

    /// Whether the report is made for period `p` (see [`Template::periods`]).
    pub fn covers(&self, p: &Period) -> bool {
        let n = match p {
            Period::Quarter { quarter, .. } => *quarter,
            Period::Half { half, .. } => *half,
            Period::Month { month, .. } => *month,
            Period::Year { .. } => 1,
        };
        self.periods.is_empty() || self.periods.contains(&n)
    }

    /// The data window of a period (first and last day, inclusive).
    pub fn window_of(&self, p: &Period) -> Result<(NaiveDate, NaiveDate), String> {
        p.range(self.window)
            .map_err(|_| "Kỳ nằm ngoài phạm vi lịch.".to_string())
    }

    /// The nominal due day of the period whose window ends on `cutoff` (before moving
    /// off days), for [`DueRule::DayOfMonth`]; `None` for other rules.
    pub fn nominal_due(&self, cutoff: NaiveDate) -> Option<NaiveDate> {
        match self.due {
            DueRule::DayOfMonth { day } => {
                let (mut y, mut m) = (cutoff.year(), cutoff.month());
                if cutoff.day() >= day {
                    (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
                }
                NaiveDate::from_ymd_opt(y, m, day)
            }
            DueRule::WorkingDaysAfterCutoff { .. } => None,
        }
    }

    /// Hạn gửi báo cáo — the due date of the period whose window ends on `cutoff`.
    pub fn due_on(&self, cal: &Calendar, cutoff: NaiveDate) -> Result<NaiveDate, String> {
        let out = |_| "Hạn báo cáo nằm ngoài phạm vi lịch.".to_string();
        match self.due {
            DueRule::DayOfMonth { .. } => {
                let nominal = self
                    .nominal_due(cutoff)
                    .ok_or_else(|| "Ngày hạn không hợp lệ.".to_string())?;
                cal.working_day_on_or_before(nominal).map_err(out)
            }
            DueRule::WorkingDaysAfterCutoff { days } => {
                cal.add_working_days(cutoff, days).map_err(out)
            }
        }
    }

    fn check(&self, file: &str) -> Result<(), TemplateError> {
        let bad = |message: String| TemplateError::Invalid {
            file: file.to_string(),
            message,
        };
        if self.code.trim().is_empty() || self.name.trim().is_empty() {
            return Err(bad("code and name are required".into()));
        }
        if self.fields.is_empty() {
            return Err(bad("a template needs fields".into()));
        }
        if self.obliged.is_empty() || self.obliged_since.iter().any(|c| c.kinds.is_empty()) {
            return Err(bad("obliged kinds must not be empty".into()));
        }
        for c in &self.obliged_since {
            if self.effective_to.is_some_and(|t| c.from > t) {
                return Err(bad(format!(
                    "obliged_since {} after the version's end",
                    c.from
                )));
            }
        }
        if let DueRule::DayOfMonth { day } = self.due
            && !(1..=28).contains(&day)
        {
            return Err(bad(format!("due day {day} outside 1..=28")));
        }
        let mut seen = std::collections::BTreeSet::new();
        for f in &self.fields {
            if !seen.insert(f.key.as_str()) {
                return Err(bad(format!("field {} twice", f.key)));
            }
            if f.key.is_empty()
                || !f
                    .key
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            {
                return Err(bad(format!("field key {:?}: a-z, 0-9 and _ only", f.key)));
            }
            if let Some(s) = &f.source {
                if !SOURCE_PREFIXES.iter().any(|p| s.starts_with(p)) && s != "total_766" {
                    return Err(bad(format!("field {}: unknown source {s}", f.key)));
                }
                if !f.field_type.is_numeric() {
                    return Err(bad(format!("field {}: computed fields are numbers", f.key)));
                }
                if f.required {
                    return Err(bad(format!("field {}: computed and required", f.key)));
                }
            }
        }
        Ok(())
    }
}

/// "tháng", "quý", "6 tháng", "năm".
/// I, II, III, IV (quarters and halves as Vietnamese reports number them).
fn roman(n: u32) -> String {
    match n {
        1 => "I",
        2 => "II",
        3 => "III",
        4 => "IV",
        _ => return n.to_string(),
    }
    .to_string()
}

pub fn kind_label(k: PeriodKind) -> &'static str {
    match k {
        PeriodKind::Month => "tháng",
        PeriodKind::Quarter => "quý",
        PeriodKind::Half => "6 tháng",
        PeriodKind::Year => "năm",
    }
}

/// Every template version, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Templates {
    pub all: Vec<Template>,
}

impl Templates {
    /// Parses and checks `(file name, toml)` pairs; versions of one code must not overlap.
    pub fn from_sources(files: &[(&str, &str)]) -> Result<Templates, TemplateError> {
        let mut all: Vec<Template> = Vec::new();
        for (file, text) in files {
            let t: Template = basic_toml::from_str(text).map_err(|e| TemplateError::Invalid {
                file: file.to_string(),
                message: e.to_string(),
            })?;
            t.check(file)?;
            for o in all.iter().filter(|o| o.code == t.code) {
                let overlap = o.effective_to.is_none_or(|e| e >= t.effective_from)
                    && t.effective_to.is_none_or(|e| e >= o.effective_from);
                if overlap {
                    return Err(TemplateError::Invalid {
                        file: file.to_string(),
                        message: format!("two versions of {} in force at once", t.code),
                    });
                }
            }
            all.push(t);
        }
        Ok(Templates { all })
    }

    /// The templates of `data/reports/`.
    pub fn embedded() -> Result<Templates, TemplateError> {
        Self::from_sources(&EMBEDDED)
    }

    /// The version of `code` in force on `day`.
    pub fn get(&self, code: &str, day: NaiveDate) -> Option<&Template> {
        self.all
            .iter()
            .filter(|t| t.code == code)
            .find(|t| t.in_force_on(day))
    }

    /// The version of `code` in force on the last day of `period`'s window (errors in
    /// Vietnamese, for the edge).
    pub fn for_period(&self, code: &str, period: &str) -> Result<(&Template, Period), String> {
        let any = self
            .all
            .iter()
            .find(|t| t.code == code)
            .ok_or_else(|| format!("Không có biểu mẫu báo cáo mã “{code}”."))?;
        let p = any.period(period)?;
        let (_, to) = any.window_of(&p)?;
        let t = self
            .get(code, to)
            .ok_or_else(|| format!("Biểu mẫu {code} chưa có hiệu lực trong kỳ “{period}”."))?;
        let p = t.period(period)?;
        if !t.covers(&p) {
            let which: Vec<String> = t.periods.iter().map(|n| roman(*n)).collect();
            return Err(format!(
                "Biểu mẫu {code} chỉ lập cho {} {} hằng năm; kỳ “{period}” không có báo cáo này.",
                kind_label(t.period_kind),
                which.join(", ")
            ));
        }
        Ok((t, p))
    }

    /// Distinct codes, in file order.
    pub fn codes(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for t in &self.all {
            if !out.contains(&t.code.as_str()) {
                out.push(&t.code);
            }
        }
        out
    }

    /// The latest version of each code (for lists and menus).
    pub fn latest(&self) -> Vec<&Template> {
        self.codes()
            .into_iter()
            .filter_map(|c| {
                self.all
                    .iter()
                    .filter(|t| t.code == c)
                    .max_by_key(|t| t.effective_from)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    fn calendar() -> Calendar {
        Calendar::from_sources(
            include_str!("../../../../data/calendar/vn-holiday-rules.toml"),
            include_str!("../../../../data/calendar/vn-civil-service-days-off.csv"),
        )
        .expect("calendar")
    }

    #[test]
    fn the_ministry_cycle_from_2027_quarter_1_six_months_quarter_3_and_year() {
        // Công văn 581/BNV-CCHC: quý I, 6 tháng, quý III, năm; sent by the 20th of the
        // period's last month (moved back to a working day).
        let t = Templates::embedded().expect("templates");
        let c = calendar();
        for (code, period, from, to, due) in [
            (
                "CCHC-QUY",
                "2027-Q1",
                "2026-12-15",
                "2027-03-14",
                "2027-03-19",
            ),
            (
                "CCHC-6THANG",
                "2027-H1",
                "2026-12-15",
                "2027-06-14",
                "2027-06-18",
            ),
            (
                "CCHC-QUY",
                "2027-Q3",
                "2027-06-15",
                "2027-09-14",
                "2027-09-20",
            ),
            ("CCHC-NAM", "2027", "2026-12-15", "2027-12-14", "2027-12-20"),
        ] {
            let (tpl, p) = t.for_period(code, period).expect(period);
            let (f, e) = tpl.window_of(&p).unwrap();
            assert_eq!((f, e), (d(from), d(to)), "{code} {period}");
            assert_eq!(tpl.due_on(&c, e).unwrap(), d(due), "{code} {period}");
            assert!(tpl.legal_basis.iter().any(|b| b.contains("581/BNV-CCHC")));
        }
        for (code, period) in [
            ("CCHC-QUY", "2027-Q2"),
            ("CCHC-QUY", "2027-Q4"),
            ("CCHC-6THANG", "2027-H2"),
        ] {
            let e = t.for_period(code, period).unwrap_err();
            assert!(e.contains("chỉ lập cho"), "{e}");
        }
        // The periods of 2026 keep the version they were opened under.
        assert!(t.for_period("CCHC-QUY", "2026-Q4").is_ok());
        assert!(
            t.for_period("CCHC-6THANG", "2026-H1").is_err(),
            "not in force before 2027"
        );
        // The two-level local government rests on NQ 203/2025/QH15 and Luật 72/2025/QH15.
        for tpl in &t.all {
            for o in &tpl.obliged_since {
                let b = o.legal_basis.as_deref().unwrap_or("");
                assert!(
                    b.contains("203/2025/QH15") && !b.contains("202/2025"),
                    "{b}"
                );
            }
        }
    }

    #[test]
    fn the_repository_templates_load() {
        let t = Templates::embedded().expect("templates");
        assert_eq!(
            t.codes(),
            vec!["TTHC-THANG", "CCHC-QUY", "CCHC-NAM", "CCHC-6THANG"]
        );
        let m = t.get("TTHC-THANG", d("2023-10-14")).expect("in force");
        assert_eq!(m.due, DueRule::DayOfMonth { day: 18 });
        assert_eq!(m.compiler, Role::VanPhongKstt);
        assert!(m.fields.iter().any(|f| f.is_computed()));
        assert!(m.fields.iter().any(|f| !f.is_computed()));
        assert!(
            t.get("TTHC-THANG", d("2023-07-14")).is_none(),
            "before CV 6486"
        );
        // Districts owe the reports until 30/6/2025; the communes of the two-level local
        // government from 01/7/2025 (Luật Tổ chức chính quyền địa phương 2025).
        for code in ["TTHC-THANG", "CCHC-QUY", "CCHC-NAM"] {
            let v = t.get(code, d("2025-12-31")).expect("in force");
            assert_eq!(
                v.obliged_on(d("2025-06-30")),
                &[AgencyKind::SoNganh, AgencyKind::UbndHuyen]
            );
            assert_eq!(
                v.obliged_on(d("2025-07-01")),
                &[AgencyKind::SoNganh, AgencyKind::UbndXa]
            );
            assert_eq!(
                v.obliged_on(d("2026-11-14")),
                &[AgencyKind::SoNganh, AgencyKind::UbndXa]
            );
        }
    }

    #[test]
    fn monthly_window_and_due_follow_cv_6486() {
        let t = Templates::embedded().expect("templates");
        let (m, p) = t.for_period("TTHC-THANG", "2023-10").expect("october");
        let (from, to) = m.window_of(&p).expect("window");
        assert_eq!((from, to), (d("2023-09-15"), d("2023-10-14")));
        let cal = calendar();
        assert_eq!(m.due_on(&cal, to), Ok(d("2023-10-18")));
        // 18/11/2023 is a Saturday: due the Friday before, as the recurring tasks are.
        let (_, to) = m
            .window_of(&t.for_period("TTHC-THANG", "2023-11").expect("nov").1)
            .expect("window");
        assert_eq!(m.due_on(&cal, to), Ok(d("2023-11-17")));
        assert!(t.for_period("TTHC-THANG", "2023-Q3").is_err(), "wrong kind");
        assert!(t.for_period("TTHC-THANG", "2023-13").is_err());
        assert!(t.for_period("KHONG-CO", "2023-10").is_err());
    }

    #[test]
    fn quarterly_report_is_due_working_days_after_the_cutoff() {
        let t = Templates::embedded().expect("templates");
        let (q, p) = t.for_period("CCHC-QUY", "2023-Q3").expect("q3");
        let (from, to) = q.window_of(&p).expect("window");
        assert_eq!((from, to), (d("2023-06-15"), d("2023-09-14")));
        // 14/9/2023 is a Thursday: 15, 18, 19 September.
        assert_eq!(q.due_on(&calendar(), to), Ok(d("2023-09-19")));
        let (y, p) = t.for_period("CCHC-NAM", "2023").expect("year");
        assert_eq!(
            y.window_of(&p).expect("window"),
            (d("2022-12-15"), d("2023-12-14"))
        );
    }

    #[test]
    fn overlapping_versions_and_bad_fields_are_refused() {
        let one = EMBEDDED[0].1;
        assert!(Templates::from_sources(&[("a", one), ("b", one)]).is_err());
        let bad = one.replace("source = \"facts.procedures_total\"", "source = \"x.y\"");
        assert!(Templates::from_sources(&[("a", &bad)]).is_err());
        let next = one
            .replace(
                "effective_from = \"2023-08-07\"",
                "effective_from = \"2030-01-01\"",
            )
            .replace("effective_to = \"2026-11-30\"\n", "");
        let older = one.replace(
            "effective_to = \"2026-11-30\"",
            "effective_to = \"2029-12-31\"",
        );
        let both = Templates::from_sources(&[("a", &older), ("b", &next)]).expect("versions");
        assert_eq!(
            both.get("TTHC-THANG", d("2031-01-01")).map(|t| t.version()),
            Some("2030-01-01".to_string())
        );
    }
}
