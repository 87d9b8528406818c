//! Quyết định công bố TTHC — each version of a procedure is published by a decision (new,
//! amended, replaced, abolished), and the decision has a legal deadline. Monthly statistics
//! of catalog changes (seed 6486: "thống kê đầy đủ TTHC được ban hành mới, sửa đổi, bổ sung
//! hoặc bãi bỏ"; VPCP 304/TB-VPCP: "Chỉ đạt 1,4% TTHC công bố đúng hạn").

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;

/// What a publication decision does to a procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// Ban hành mới.
    New,
    /// Sửa đổi, bổ sung.
    Amended,
    /// Thay thế.
    Replaced,
    /// Bãi bỏ.
    Abolished,
}

impl DecisionKind {
    pub const ALL: [DecisionKind; 4] = [
        DecisionKind::New,
        DecisionKind::Amended,
        DecisionKind::Replaced,
        DecisionKind::Abolished,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DecisionKind::New => "new",
            DecisionKind::Amended => "amended",
            DecisionKind::Replaced => "replaced",
            DecisionKind::Abolished => "abolished",
        }
    }

    pub fn parse(s: &str) -> Option<DecisionKind> {
        DecisionKind::ALL.into_iter().find(|k| k.code() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            DecisionKind::New => "Ban hành mới",
            DecisionKind::Amended => "Sửa đổi, bổ sung",
            DecisionKind::Replaced => "Thay thế",
            DecisionKind::Abolished => "Bãi bỏ",
        }
    }
}

/// Who publishes: a ministry (Bộ, cơ quan ngang Bộ) or the provincial chairman.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Publisher {
    Ministry,
    Province,
}

impl Publisher {
    pub fn code(self) -> &'static str {
        match self {
            Publisher::Ministry => "ministry",
            Publisher::Province => "province",
        }
    }

    pub fn parse(s: &str) -> Option<Publisher> {
        match s.trim() {
            "ministry" => Some(Publisher::Ministry),
            "province" => Some(Publisher::Province),
            _ => None,
        }
    }
}

/// How early a publication decision must be issued: at the latest `lead_working_days`
/// working days before the legal document that sets the procedure takes effect.
///
/// Nghị định 63/2010/NĐ-CP Điều 15 khoản 1, as amended by Nghị định 48/2013/NĐ-CP Điều 1
/// khoản 5 [C]: decisions of ministries (Điều 13 k1) "phải được ban hành chậm nhất trước 20
/// (hai mươi) ngày làm việc tính đến ngày văn bản quy phạm pháp luật có quy định về thủ tục
/// hành chính có hiệu lực thi hành"; those of provinces (Điều 13 k2, k3) "chậm nhất trước 05
/// (năm) ngày làm việc". Whether Nghị định 92/2017/NĐ-CP and Thông tư 02/2017/TT-VPCP changed
/// these numbers, and the rule for documents in force from signature, are [TV] — so the
/// numbers are rows of `tthc_publication_rule`, with the date from which each applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationRule {
    pub publisher: Publisher,
    pub valid_from: NaiveDate,
    pub lead_working_days: u32,
    pub basis: String,
}

/// The rule in force for `publisher` on `day`: the latest one that started on or before it.
pub fn rule_on(
    rules: &[PublicationRule],
    publisher: Publisher,
    day: NaiveDate,
) -> Option<&PublicationRule> {
    rules
        .iter()
        .filter(|r| r.publisher == publisher && r.valid_from <= day)
        .max_by_key(|r| r.valid_from)
}

/// Whether a decision was published on time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Punctuality {
    /// Đúng hạn.
    OnTime,
    /// Chậm.
    Late,
    /// No rule or no calendar for the dates: not judged.
    Unknown,
}

impl Punctuality {
    pub fn label(self) -> &'static str {
        match self {
            Punctuality::OnTime => "Đúng hạn",
            Punctuality::Late => "Chậm",
            Punctuality::Unknown => "Chưa xác định",
        }
    }
}

/// The last day a decision may be issued: `law_effective` less the rule's working days
/// (counted on the working-day calendar; a legal document taking effect on a day off counts
/// back from that day all the same). `None` when no rule applies or the calendar cannot
/// count.
pub fn publication_deadline(
    cal: &Calendar,
    rules: &[PublicationRule],
    publisher: Publisher,
    law_effective: NaiveDate,
) -> Option<NaiveDate> {
    let rule = rule_on(rules, publisher, law_effective)?;
    cal.sub_working_days(law_effective, rule.lead_working_days)
        .ok()
}

/// On time ⇔ the decision was issued on or before [`publication_deadline`].
pub fn judge(
    cal: &Calendar,
    rules: &[PublicationRule],
    publisher: Publisher,
    decision_date: NaiveDate,
    law_effective: NaiveDate,
) -> Punctuality {
    match publication_deadline(cal, rules, publisher, law_effective) {
        Some(deadline) if decision_date <= deadline => Punctuality::OnTime,
        Some(_) => Punctuality::Late,
        None => Punctuality::Unknown,
    }
}

/// Catalog changes of one month (by decision date).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthStats {
    /// "2023-08".
    pub month: String,
    pub new: u32,
    pub amended: u32,
    pub replaced: u32,
    pub abolished: u32,
    pub on_time: u32,
    pub late: u32,
    pub unknown: u32,
}

impl MonthStats {
    pub fn total(&self) -> u32 {
        self.new + self.amended + self.replaced + self.abolished
    }

    /// "08/2023".
    pub fn label(&self) -> String {
        match self.month.split_once('-') {
            Some((y, m)) => format!("{m}/{y}"),
            None => self.month.clone(),
        }
    }

    /// Percent published on time among the judged ones.
    pub fn on_time_percent(&self) -> Option<f64> {
        let judged = self.on_time + self.late;
        (judged > 0).then(|| f64::from(self.on_time) * 100.0 / f64::from(judged))
    }
}

/// Counts per month, oldest first, of each kind of change and of its punctuality.
pub fn monthly_stats(changes: &[(NaiveDate, DecisionKind, Punctuality)]) -> Vec<MonthStats> {
    let mut by: BTreeMap<(i32, u32), MonthStats> = BTreeMap::new();
    for (day, kind, p) in changes {
        let s = by
            .entry((day.year(), day.month()))
            .or_insert_with(|| MonthStats {
                month: format!("{:04}-{:02}", day.year(), day.month()),
                ..Default::default()
            });
        match kind {
            DecisionKind::New => s.new += 1,
            DecisionKind::Amended => s.amended += 1,
            DecisionKind::Replaced => s.replaced += 1,
            DecisionKind::Abolished => s.abolished += 1,
        }
        match p {
            Punctuality::OnTime => s.on_time += 1,
            Punctuality::Late => s.late += 1,
            Punctuality::Unknown => s.unknown += 1,
        }
    }
    by.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn rules() -> Vec<PublicationRule> {
        vec![
            PublicationRule {
                publisher: Publisher::Province,
                valid_from: d(2013, 7, 1),
                lead_working_days: 5,
                basis: "NĐ 48/2013".into(),
            },
            PublicationRule {
                publisher: Publisher::Ministry,
                valid_from: d(2013, 7, 1),
                lead_working_days: 20,
                basis: "NĐ 48/2013".into(),
            },
        ]
    }

    fn cal() -> Calendar {
        Calendar::from_sources(
            include_str!("../../../../data/calendar/vn-holiday-rules.toml"),
            include_str!("../../../../data/calendar/vn-civil-service-days-off.csv"),
        )
        .unwrap()
    }

    #[test]
    fn five_working_days_before_the_law_takes_effect() {
        let cal = cal();
        let rules = rules();
        // A law in force on Monday 16/10/2023: five working days back is Monday 09/10/2023.
        let law = d(2023, 10, 16);
        assert_eq!(
            publication_deadline(&cal, &rules, Publisher::Province, law),
            Some(d(2023, 10, 9))
        );
        assert_eq!(
            judge(&cal, &rules, Publisher::Province, d(2023, 10, 9), law),
            Punctuality::OnTime
        );
        assert_eq!(
            judge(&cal, &rules, Publisher::Province, d(2023, 10, 10), law),
            Punctuality::Late
        );
        // Ministries: 20 working days.
        assert_eq!(
            publication_deadline(&cal, &rules, Publisher::Ministry, law),
            Some(d(2023, 9, 18))
        );
        // Before any rule: not judged.
        assert_eq!(
            judge(
                &cal,
                &rules,
                Publisher::Province,
                d(2010, 1, 1),
                d(2010, 2, 1)
            ),
            Punctuality::Unknown
        );
    }

    #[test]
    fn months_count_each_kind_and_punctuality() {
        let s = monthly_stats(&[
            (d(2023, 9, 3), DecisionKind::Amended, Punctuality::Late),
            (d(2023, 8, 1), DecisionKind::New, Punctuality::OnTime),
            (d(2023, 8, 30), DecisionKind::Abolished, Punctuality::Late),
            (d(2023, 8, 30), DecisionKind::New, Punctuality::Unknown),
        ]);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].month, "2023-08");
        assert_eq!(s[0].label(), "08/2023");
        assert_eq!((s[0].new, s[0].abolished, s[0].total()), (2, 1, 3));
        assert_eq!((s[0].on_time, s[0].late, s[0].unknown), (1, 1, 1));
        assert_eq!(s[0].on_time_percent(), Some(50.0));
        assert_eq!((s[1].amended, s[1].late), (1, 1));
    }

    #[test]
    fn kinds_parse() {
        for k in DecisionKind::ALL {
            assert_eq!(DecisionKind::parse(k.code()), Some(k));
        }
        assert_eq!(DecisionKind::parse("xoa"), None);
    }
}
