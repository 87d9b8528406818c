//! Kỳ báo cáo — reporting periods: months, quarters, halves and years, as calendar
//! periods or as 15th → 14th data windows.

use super::CalendarError;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Last day of a reporting window: the 14th; windows open on the 15th of the month before.
/// Standard cut-offs of NĐ 09/2019/NĐ-CP as reproduced in TT 09/2019/TT-NHNN [C]; whether
/// they sit in NĐ 09 Điều 12 itself is [TV] (domain.md §7).
pub const WINDOW_LAST_DAY: u32 = 14;

/// A reporting period, written "2023-10", "2023-Q3", "2023-H1" or "2023".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Period {
    Month { year: i32, month: u32 },
    Quarter { year: i32, quarter: u32 },
    Half { year: i32, half: u32 },
    Year { year: i32 },
}

/// How a period maps to dates; the period definition belongs to the report type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodMode {
    /// Calendar months, quarters, halves, years (statistical reports: NĐ 60/2018,
    /// TT 02/2019/TT-BTC).
    Calendar,
    /// 15th of the month before the period → 14th of its last month (NĐ 09/2019/NĐ-CP
    /// cut-offs): August 2023 = 15/7–14/8/2023; Q3 = 15/6–14/9; H1 = 15/12/2022–14/6/2023;
    /// 2023 = 15/12/2022–14/12/2023.
    #[default]
    ReportingWindow,
}

/// The granularity of a period, to find the one containing a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Month,
    Quarter,
    Half,
    Year,
}

impl Period {
    pub fn year(&self) -> i32 {
        match *self {
            Period::Month { year, .. }
            | Period::Quarter { year, .. }
            | Period::Half { year, .. }
            | Period::Year { year } => year,
        }
    }

    /// First and last calendar month (1–12) of the period.
    fn months(&self) -> (u32, u32) {
        match *self {
            Period::Month { month, .. } => (month, month),
            Period::Quarter { quarter, .. } => (quarter * 3 - 2, quarter * 3),
            Period::Half { half, .. } => (half * 6 - 5, half * 6),
            Period::Year { .. } => (1, 12),
        }
    }

    /// First and last day of the period, both inclusive.
    pub fn range(&self, mode: PeriodMode) -> Result<(NaiveDate, NaiveDate), CalendarError> {
        let year = self.year();
        let (m1, m2) = self.months();
        let bad = || CalendarError::Parse(format!("period {self} out of range"));
        match mode {
            PeriodMode::Calendar => {
                let start = NaiveDate::from_ymd_opt(year, m1, 1).ok_or_else(bad)?;
                let (ny, nm) = if m2 == 12 {
                    (year + 1, 1)
                } else {
                    (year, m2 + 1)
                };
                let end = NaiveDate::from_ymd_opt(ny, nm, 1)
                    .and_then(|d| d.pred_opt())
                    .ok_or_else(bad)?;
                Ok((start, end))
            }
            PeriodMode::ReportingWindow => {
                let (sy, sm) = if m1 == 1 {
                    (year - 1, 12)
                } else {
                    (year, m1 - 1)
                };
                let start = NaiveDate::from_ymd_opt(sy, sm, WINDOW_LAST_DAY + 1).ok_or_else(bad)?;
                let end = NaiveDate::from_ymd_opt(year, m2, WINDOW_LAST_DAY).ok_or_else(bad)?;
                Ok((start, end))
            }
        }
    }

    /// The period of the same kind just before this one: October 2023 → September 2023,
    /// 2023-Q1 → 2022-Q4, 2023-H1 → 2022-H2, 2023 → 2022 (trends over the last periods).
    pub fn previous(&self) -> Period {
        match *self {
            Period::Month { year, month: 1 } => Period::Month {
                year: year - 1,
                month: 12,
            },
            Period::Month { year, month } => Period::Month {
                year,
                month: month - 1,
            },
            Period::Quarter { year, quarter: 1 } => Period::Quarter {
                year: year - 1,
                quarter: 4,
            },
            Period::Quarter { year, quarter } => Period::Quarter {
                year,
                quarter: quarter - 1,
            },
            Period::Half { year, half: 1 } => Period::Half {
                year: year - 1,
                half: 2,
            },
            Period::Half { year, .. } => Period::Half { year, half: 1 },
            Period::Year { year } => Period::Year { year: year - 1 },
        }
    }

    /// The `n` periods of the same kind ending with this one, oldest first.
    pub fn last_n(&self, n: usize) -> Vec<Period> {
        let mut out = Vec::with_capacity(n);
        let mut p = *self;
        for _ in 0..n {
            out.push(p);
            p = p.previous();
        }
        out.reverse();
        out
    }

    /// A short Vietnamese label for tables and chart axes: "T10/2023", "Q3/2023",
    /// "6T đầu/2023", "6T cuối/2023", "2023".
    pub fn short_label_vi(&self) -> String {
        match *self {
            Period::Month { year, month } => format!("T{month}/{year}"),
            Period::Quarter { year, quarter } => format!("Q{quarter}/{year}"),
            Period::Half { year, half: 1 } => format!("6T đầu/{year}"),
            Period::Half { year, .. } => format!("6T cuối/{year}"),
            Period::Year { year } => year.to_string(),
        }
    }

    /// The period in words: "tháng 10 năm 2023", "quý III năm 2023", "6 tháng đầu năm
    /// 2023", "năm 2023".
    pub fn label_vi(&self) -> String {
        match *self {
            Period::Month { year, month } => format!("tháng {month} năm {year}"),
            Period::Quarter { year, quarter } => {
                let roman = ["I", "II", "III", "IV"][(quarter.clamp(1, 4) - 1) as usize];
                format!("quý {roman} năm {year}")
            }
            Period::Half { year, half: 1 } => format!("6 tháng đầu năm {year}"),
            Period::Half { year, .. } => format!("6 tháng cuối năm {year}"),
            Period::Year { year } => format!("năm {year}"),
        }
    }

    /// The period of `kind` that contains `date` under `mode`.
    pub fn containing(kind: PeriodKind, date: NaiveDate, mode: PeriodMode) -> Period {
        let (mut year, mut month) = (date.year(), date.month());
        if mode == PeriodMode::ReportingWindow && date.day() > WINDOW_LAST_DAY {
            if month == 12 {
                year += 1;
                month = 1;
            } else {
                month += 1;
            }
        }
        match kind {
            PeriodKind::Month => Period::Month { year, month },
            PeriodKind::Quarter => Period::Quarter {
                year,
                quarter: (month - 1) / 3 + 1,
            },
            PeriodKind::Half => Period::Half {
                year,
                half: (month - 1) / 6 + 1,
            },
            PeriodKind::Year => Period::Year { year },
        }
    }
}

impl FromStr for Period {
    type Err = CalendarError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let bad = || CalendarError::Parse(format!("bad period {s:?}"));
        let year_of = |y: &str| -> Result<i32, CalendarError> {
            if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            y.parse().map_err(|_| bad())
        };
        let Some((y, rest)) = s.split_once('-') else {
            return Ok(Period::Year { year: year_of(s)? });
        };
        let year = year_of(y)?;
        let num = |t: &str, max: u32| -> Result<u32, CalendarError> {
            match t.parse::<u32>() {
                Ok(n) if (1..=max).contains(&n) && !t.starts_with('+') => Ok(n),
                _ => Err(bad()),
            }
        };
        let upper = rest.to_ascii_uppercase();
        if let Some(q) = upper.strip_prefix('Q') {
            Ok(Period::Quarter {
                year,
                quarter: num(q, 4)?,
            })
        } else if let Some(h) = upper.strip_prefix('H') {
            Ok(Period::Half {
                year,
                half: num(h, 2)?,
            })
        } else if rest.len() == 2 {
            Ok(Period::Month {
                year,
                month: num(rest, 12)?,
            })
        } else {
            Err(bad())
        }
    }
}

impl Period {
    /// A period as people write it, besides the codes of [`FromStr`] ("2026-11",
    /// "2026-Q3", "2026-H1", "2026"): "11/2026", "T11/2026", "tháng 11/2026", "Q3/2026",
    /// "quý 3/2026", "quý III/2026", "6T1/2026"/"H1/2026". Case, diacritics and spaces do
    /// not matter. `None` if it is none of these.
    pub fn parse_vi(s: &str) -> Option<Period> {
        if let Ok(p) = s.trim().parse::<Period>() {
            return Some(p);
        }
        let folded: String = crate::text::fold_vi(s)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let (head, year) = folded.rsplit_once('/')?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        let num = |t: &str, max: u32| -> Option<u32> {
            let n = match t {
                "i" => 1,
                "ii" => 2,
                "iii" => 3,
                "iv" => 4,
                _ if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) => t.parse().ok()?,
                _ => return None,
            };
            (1..=max).contains(&n).then_some(n)
        };
        for (prefix, kind) in [
            ("thang", 'm'),
            ("t", 'm'),
            ("quy", 'q'),
            ("q", 'q'),
            ("6thang", 'h'),
            ("6t", 'h'),
            ("h", 'h'),
            ("", 'm'),
        ] {
            let Some(rest) = head.strip_prefix(prefix) else {
                continue;
            };
            return match kind {
                'm' => Some(Period::Month {
                    year,
                    month: num(rest, 12)?,
                }),
                'q' => Some(Period::Quarter {
                    year,
                    quarter: num(rest, 4)?,
                }),
                _ => Some(Period::Half {
                    year,
                    half: num(rest, 2)?,
                }),
            };
        }
        None
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Period::Month { year, month } => write!(f, "{year}-{month:02}"),
            Period::Quarter { year, quarter } => write!(f, "{year}-Q{quarter}"),
            Period::Half { year, half } => write!(f, "{year}-H{half}"),
            Period::Year { year } => write!(f, "{year}"),
        }
    }
}

impl TryFrom<String> for Period {
    type Error = CalendarError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Period> for String {
    fn from(p: Period) -> String {
        p.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn window(s: &str) -> (NaiveDate, NaiveDate) {
        s.parse::<Period>()
            .unwrap()
            .range(PeriodMode::ReportingWindow)
            .unwrap()
    }

    fn calendar(s: &str) -> (NaiveDate, NaiveDate) {
        s.parse::<Period>()
            .unwrap()
            .range(PeriodMode::Calendar)
            .unwrap()
    }

    #[test]
    fn domain_md_section_7_windows() {
        assert_eq!(window("2023-08"), (d(2023, 7, 15), d(2023, 8, 14)));
        assert_eq!(window("2023-Q3"), (d(2023, 6, 15), d(2023, 9, 14)));
        assert_eq!(window("2023-H1"), (d(2022, 12, 15), d(2023, 6, 14)));
        assert_eq!(window("2023-H2"), (d(2023, 6, 15), d(2023, 12, 14)));
        assert_eq!(window("2023"), (d(2022, 12, 15), d(2023, 12, 14)));
        assert_eq!(window("2024-01"), (d(2023, 12, 15), d(2024, 1, 14)));
        assert_eq!(window("2023-Q1"), (d(2022, 12, 15), d(2023, 3, 14)));
    }

    #[test]
    fn previous_periods_and_labels() {
        let p = |s: &str| s.parse::<Period>().unwrap();
        assert_eq!(p("2023-01").previous(), p("2022-12"));
        assert_eq!(p("2023-10").previous(), p("2023-09"));
        assert_eq!(p("2023-Q1").previous(), p("2022-Q4"));
        assert_eq!(p("2023-H1").previous(), p("2022-H2"));
        assert_eq!(p("2023-H2").previous(), p("2023-H1"));
        assert_eq!(p("2023").previous(), p("2022"));
        let last = p("2023-10").last_n(12);
        assert_eq!(last.len(), 12);
        assert_eq!(last[0], p("2022-11"));
        assert_eq!(last[11], p("2023-10"));
        assert_eq!(p("2023-10").short_label_vi(), "T10/2023");
        assert_eq!(p("2023-Q3").short_label_vi(), "Q3/2023");
        assert_eq!(p("2023-Q3").label_vi(), "quý III năm 2023");
        assert_eq!(p("2023-H1").label_vi(), "6 tháng đầu năm 2023");
        assert_eq!(p("2023-10").label_vi(), "tháng 10 năm 2023");
    }

    #[test]
    fn calendar_periods() {
        assert_eq!(calendar("2023-10"), (d(2023, 10, 1), d(2023, 10, 31)));
        assert_eq!(calendar("2024-02"), (d(2024, 2, 1), d(2024, 2, 29)));
        assert_eq!(calendar("2023-Q3"), (d(2023, 7, 1), d(2023, 9, 30)));
        assert_eq!(calendar("2023-H2"), (d(2023, 7, 1), d(2023, 12, 31)));
        assert_eq!(calendar("2023"), (d(2023, 1, 1), d(2023, 12, 31)));
    }

    #[test]
    fn parse_rejects_garbage_and_round_trips() {
        for s in ["2023-10", "2023-Q3", "2023-H1", "2023"] {
            assert_eq!(s.parse::<Period>().unwrap().to_string(), s);
        }
        assert_eq!("2023-q3".parse::<Period>().unwrap().to_string(), "2023-Q3");
        for s in [
            "", "23", "2023-13", "2023-Q5", "2023-H3", "2023-1", "2023-Q", "abcd", "2023-00",
        ] {
            assert!(s.parse::<Period>().is_err(), "{s}");
        }
    }

    #[test]
    fn containing_agrees_with_range() {
        let kinds = [
            PeriodKind::Month,
            PeriodKind::Quarter,
            PeriodKind::Half,
            PeriodKind::Year,
        ];
        let mut date = d(2022, 11, 1);
        while date < d(2024, 3, 1) {
            for mode in [PeriodMode::Calendar, PeriodMode::ReportingWindow] {
                for kind in kinds {
                    let p = Period::containing(kind, date, mode);
                    let (a, b) = p.range(mode).unwrap();
                    assert!(a <= date && date <= b, "{date} {p} {mode:?}");
                }
            }
            date = date.succ_opt().unwrap();
        }
        assert_eq!(
            Period::containing(
                PeriodKind::Year,
                d(2022, 12, 15),
                PeriodMode::ReportingWindow
            ),
            Period::Year { year: 2023 }
        );
    }

    #[test]
    fn periods_as_people_write_them() {
        let p = |s: &str| Period::parse_vi(s).map(|p| p.to_string());
        for (text, code) in [
            ("2026-11", "2026-11"),
            ("11/2026", "2026-11"),
            ("T11/2026", "2026-11"),
            ("t11/2026", "2026-11"),
            ("Tháng 11/2026", "2026-11"),
            ("tháng 3 / 2026", "2026-03"),
            ("Q3/2026", "2026-Q3"),
            ("Quý III/2026", "2026-Q3"),
            ("quý 4/2026", "2026-Q4"),
            ("6 tháng 1/2026", "2026-H1"),
            ("H2/2026", "2026-H2"),
            ("2026", "2026"),
            (" 2026-Q1 ", "2026-Q1"),
        ] {
            assert_eq!(p(text).as_deref(), Some(code), "{text}");
        }
        for bad in [
            "13/2026",
            "Q5/2026",
            "T0/2026",
            "11/26",
            "tháng/2026",
            "abc",
            "",
            "H3/2026",
        ] {
            assert_eq!(p(bad), None, "{bad}");
        }
    }
}
