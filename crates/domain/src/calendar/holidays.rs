//! From rules and decisions to the list of non-ordinary days: statutory holidays proposed
//! by the rules, replaced per occasion and year by the government's decisions, and
//! compensatory days for proposed holidays that fall on a weekly rest day.

use super::CalendarError;
use super::lunar::{LunarDate, lunar_to_solar};
use super::rules::{Anchor, CalendarEntry, CalendarRules, DayKind, HolidayRule};
use crate::text::fold_vi;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// One listed day of the calendar with its reason and source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDay {
    pub date: NaiveDate,
    pub kind: DayKind,
    pub name: String,
    /// The deciding document; empty for days proposed by the rules.
    pub decided_by: String,
    pub confirmed: bool,
    /// Legal source (for rule days) or where the decision was read (for entries).
    pub source: String,
    /// `true` for a government decision entry, `false` for a day proposed by the rules.
    pub decided: bool,
    /// Whether the day is a working day in the final calendar (an unconfirmed holiday may
    /// still be a working day, see `Settings::unconfirmed_days_off`).
    pub working: bool,
}

/// The weekly rest days over time.
#[derive(Debug, Clone)]
pub(crate) struct WeekendTable {
    /// (from, until, rest-day mask by `Weekday::num_days_from_monday`)
    spans: Vec<(NaiveDate, Option<NaiveDate>, u8)>,
}

impl WeekendTable {
    pub(crate) fn new(rules: &CalendarRules) -> Result<WeekendTable, CalendarError> {
        let mut spans = Vec::new();
        for w in &rules.weekend {
            let mask = w
                .weekdays()?
                .iter()
                .fold(0u8, |m, d| m | 1 << d.num_days_from_monday());
            spans.push((w.from, w.until, mask));
        }
        Ok(WeekendTable { spans })
    }

    pub(crate) fn empty() -> WeekendTable {
        WeekendTable { spans: Vec::new() }
    }

    /// Ngày nghỉ hằng tuần: a weekly rest day under the rule in force on `date`.
    pub(crate) fn is_weekend(&self, date: NaiveDate) -> bool {
        let bit = 1u8 << date.weekday().num_days_from_monday();
        self.spans
            .iter()
            .find(|(from, until, _)| date >= *from && until.is_none_or(|u| date <= u))
            .is_some_and(|(_, _, mask)| mask & bit != 0)
    }
}

/// The solar date a rule's holiday falls on in `year`, if it exists.
pub(crate) fn anchor_date(rule: &HolidayRule, year: i32) -> Option<NaiveDate> {
    match rule.anchor().ok()? {
        Anchor::Solar { month, day } => NaiveDate::from_ymd_opt(year, month, day),
        Anchor::Lunar { month, day } => lunar_to_solar(LunarDate {
            day,
            month,
            year,
            leap: false,
        }),
    }
}

/// The days off a rule proposes for the occurrence in `year` (empty when not in force).
pub(crate) fn rule_days(rule: &HolidayRule, year: i32) -> Vec<NaiveDate> {
    let Some(anchor) = anchor_date(rule, year) else {
        return Vec::new();
    };
    if !rule.in_force(anchor) {
        return Vec::new();
    }
    let after: Vec<Weekday> = rule.adjacent_after().unwrap_or_default();
    let offset = if rule.length == 2 && !rule.adjacent_after_on.is_empty() {
        if after.contains(&anchor.weekday()) {
            0
        } else {
            -1
        }
    } else {
        rule.offset
    };
    let Some(first) = shift(anchor, offset) else {
        return Vec::new();
    };
    (0..rule.length)
        .filter_map(|i| first.checked_add_days(Days::new(u64::from(i))))
        .collect()
}

fn shift(date: NaiveDate, days: i32) -> Option<NaiveDate> {
    if days >= 0 {
        date.checked_add_days(Days::new(days as u64))
    } else {
        date.checked_sub_days(Days::new(u64::from(days.unsigned_abs())))
    }
}

/// Build the listed days for years `first_year..=last_year`.
///
/// 1. Each rule proposes its days for each year.
/// 2. A decision entry of kind `holiday` whose name matches a rule's name decides that
///    occasion for the entry's year: the proposal (and its compensatory days) is dropped;
///    the decision rows are authoritative (Điều 112 k3: the Prime Minister fixes the days).
/// 3. All entries are applied as written; an entry overrides a proposal on the same date.
/// 4. Proposed holidays on a weekly rest day get a compensatory day on the next day that is
///    neither a rest day nor already listed (Bộ luật Lao động 2019, Điều 111 k3), unless
///    their rule says `compensated = false`.
pub(crate) fn list_days(
    rules: &CalendarRules,
    entries: &[CalendarEntry],
    weekend: &WeekendTable,
    first_year: i32,
    last_year: i32,
) -> BTreeMap<NaiveDate, CalendarDay> {
    let by_name: Vec<(String, &str)> = rules
        .holiday
        .iter()
        .map(|r| (fold_vi(&r.name), r.id.as_str()))
        .collect();
    let decided: HashSet<(&str, i32)> = entries
        .iter()
        .filter(|e| e.kind == DayKind::Holiday)
        .filter_map(|e| {
            let name = fold_vi(&e.name);
            by_name
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, id)| (*id, e.date.year()))
        })
        .collect();

    let mut days: BTreeMap<NaiveDate, CalendarDay> = BTreeMap::new();
    let mut proposed: Vec<NaiveDate> = Vec::new();
    for year in first_year..=last_year {
        for rule in &rules.holiday {
            if decided.contains(&(rule.id.as_str(), year)) {
                continue;
            }
            for date in rule_days(rule, year) {
                if days.contains_key(&date) {
                    continue;
                }
                days.insert(
                    date,
                    CalendarDay {
                        date,
                        kind: DayKind::Holiday,
                        name: rule.name.clone(),
                        decided_by: String::new(),
                        confirmed: rule.confirmed,
                        source: rule.source.clone(),
                        decided: false,
                        working: false,
                    },
                );
                if rule.compensated {
                    proposed.push(date);
                }
            }
        }
    }

    let mut sorted: Vec<&CalendarEntry> = entries.iter().collect();
    sorted.sort_by_key(|e| (e.date, e.confirmed));
    for e in sorted {
        days.insert(
            e.date,
            CalendarDay {
                date: e.date,
                kind: e.kind,
                name: e.name.clone(),
                decided_by: e.decided_by.clone(),
                confirmed: e.confirmed,
                source: e.source.clone(),
                decided: true,
                working: false,
            },
        );
    }

    proposed.sort();
    for date in proposed {
        let Some(day) = days.get(&date) else { continue };
        if day.decided || !weekend.is_weekend(date) {
            continue;
        }
        let (name, confirmed) = (day.name.clone(), day.confirmed);
        let mut next = date;
        while let Some(c) = next.succ_opt() {
            next = c;
            if !weekend.is_weekend(c) && !days.contains_key(&c) {
                days.insert(
                    c,
                    CalendarDay {
                        date: c,
                        kind: DayKind::Compensatory,
                        name: format!("Nghỉ bù {name}"),
                        decided_by: String::new(),
                        confirmed,
                        source: rules.settings.compensatory_source.clone(),
                        decided: false,
                        working: false,
                    },
                );
                break;
            }
        }
    }
    days
}
