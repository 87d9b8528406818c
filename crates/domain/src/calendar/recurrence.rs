//! Định kỳ — recurring due dates ("trước ngày 18 hàng tháng", quarterly, half-yearly,
//! yearly, continuous) turned into concrete dates in a range.

use super::{Calendar, CalendarError};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How often a recurring obligation falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Monthly,
    Quarterly,
    SemiAnnual,
    Yearly,
}

impl Frequency {
    fn months(self) -> u32 {
        match self {
            Frequency::Monthly => 1,
            Frequency::Quarterly => 3,
            Frequency::SemiAnnual => 6,
            Frequency::Yearly => 12,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Frequency::Monthly => "monthly",
            Frequency::Quarterly => "quarterly",
            Frequency::SemiAnnual => "semiannual",
            Frequency::Yearly => "yearly",
        }
    }
}

/// A recurrence: `weekly:5` (every Friday: ISO weekday, 1 = thứ Hai … 7 = Chủ nhật),
/// `monthly:18` (day 18 of every month), `quarterly:18` (day 18 of the last
/// month of each quarter), `quarterly:1:20` (day 20 of the first month of each quarter),
/// `semiannual:6:18`, `yearly:12:18`, or `continuous` (thường xuyên: no due dates).
/// A day past the month's end means its last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Recurrence {
    Continuous,
    /// Hằng tuần, on an ISO weekday (1 = Monday … 7 = Sunday): "thứ Sáu hằng tuần" is 5.
    Weekly {
        weekday: u32,
    },
    Periodic {
        frequency: Frequency,
        /// Month within the period, 1-based (1 for monthly).
        month: u32,
        day: u32,
    },
}

/// What to do when a due date falls on a day off. No legal rule was found (domain.md §4,
/// "A recurring 18th that is not a working day: no rule found" [TV]); the default moves it
/// to the previous working day, so that "trước ngày 18" is still met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Adjustment {
    #[default]
    Previous,
    Next,
    None,
}

impl FromStr for Adjustment {
    type Err = CalendarError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "previous" | "prev" => Ok(Adjustment::Previous),
            "next" => Ok(Adjustment::Next),
            "none" => Ok(Adjustment::None),
            _ => Err(CalendarError::Parse(format!("bad adjustment {s:?}"))),
        }
    }
}

/// One occurrence: the date the rule names and the date it is due after adjustment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueDate {
    pub nominal: NaiveDate,
    pub due: NaiveDate,
}

impl FromStr for Recurrence {
    type Err = CalendarError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || CalendarError::Parse(format!("bad recurrence {s:?}"));
        let parts: Vec<&str> = s.trim().split(':').map(str::trim).collect();
        let frequency = match parts[0] {
            "continuous" if parts.len() == 1 => return Ok(Recurrence::Continuous),
            "weekly" if parts.len() == 2 => {
                let weekday = parts[1].parse::<u32>().map_err(|_| bad())?;
                return if (1..=7).contains(&weekday) {
                    Ok(Recurrence::Weekly { weekday })
                } else {
                    Err(bad())
                };
            }
            "monthly" => Frequency::Monthly,
            "quarterly" => Frequency::Quarterly,
            "semiannual" => Frequency::SemiAnnual,
            "yearly" => Frequency::Yearly,
            _ => return Err(bad()),
        };
        let num = |p: &str| p.parse::<u32>().map_err(|_| bad());
        let (month, day) = match parts.len() {
            2 => (frequency.months(), num(parts[1])?),
            3 if frequency != Frequency::Monthly => (num(parts[1])?, num(parts[2])?),
            _ => return Err(bad()),
        };
        if !(1..=frequency.months()).contains(&month) || !(1..=31).contains(&day) {
            return Err(bad());
        }
        Ok(Recurrence::Periodic {
            frequency,
            month,
            day,
        })
    }
}

impl TryFrom<String> for Recurrence {
    type Error = CalendarError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Recurrence> for String {
    fn from(r: Recurrence) -> String {
        r.to_string()
    }
}

impl fmt::Display for Recurrence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Recurrence::Continuous => write!(f, "continuous"),
            Recurrence::Weekly { weekday } => write!(f, "weekly:{weekday}"),
            Recurrence::Periodic {
                frequency: Frequency::Monthly,
                day,
                ..
            } => write!(f, "monthly:{day}"),
            Recurrence::Periodic {
                frequency,
                month,
                day,
            } => write!(f, "{}:{month}:{day}", frequency.as_str()),
        }
    }
}

/// "thứ Hai" … "Chủ nhật" for an ISO weekday.
fn weekday_vi(weekday: u32) -> &'static str {
    match weekday {
        1 => "thứ Hai",
        2 => "thứ Ba",
        3 => "thứ Tư",
        4 => "thứ Năm",
        5 => "thứ Sáu",
        6 => "thứ Bảy",
        _ => "Chủ nhật",
    }
}

fn clamp_day(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    (1..=day)
        .rev()
        .find_map(|d| NaiveDate::from_ymd_opt(year, month, d))
}

impl Recurrence {
    /// In words, as the screens show it: "Hằng tháng, ngày 18", "Hằng quý, ngày 18 tháng
    /// cuối quý", "Hằng năm, ngày 18/12", "Thường xuyên".
    pub fn label_vi(&self) -> String {
        let (frequency, month, day) = match *self {
            Recurrence::Continuous => return "Thường xuyên".into(),
            Recurrence::Weekly { weekday } => {
                return format!("Hằng tuần, {}", weekday_vi(weekday));
            }
            Recurrence::Periodic {
                frequency,
                month,
                day,
            } => (frequency, month, day),
        };
        let months = frequency.months();
        match frequency {
            Frequency::Monthly => format!("Hằng tháng, ngày {day}"),
            Frequency::Yearly => format!("Hằng năm, ngày {day}/{month}"),
            _ => {
                let every = if frequency == Frequency::Quarterly {
                    ("Hằng quý", "quý")
                } else {
                    ("6 tháng một lần", "kỳ 6 tháng")
                };
                let which = if month == months {
                    format!("tháng cuối {}", every.1)
                } else if month == 1 {
                    format!("tháng đầu {}", every.1)
                } else {
                    format!("tháng thứ {month} của {}", every.1)
                };
                format!("{}, ngày {day} {which}", every.0)
            }
        }
    }

    /// The nominal dates in `[from, to]`, in order.
    pub fn nominal_dates(&self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        let (frequency, month, day) = match *self {
            Recurrence::Continuous => return Vec::new(),
            Recurrence::Weekly { weekday } => {
                let ahead = (weekday + 7 - from.weekday().number_from_monday()) % 7;
                let mut d = from + chrono::Days::new(u64::from(ahead));
                let mut out = Vec::new();
                while d <= to {
                    out.push(d);
                    d = d + chrono::Days::new(7);
                }
                return out;
            }
            Recurrence::Periodic {
                frequency,
                month,
                day,
            } => (frequency, month, day),
        };
        let step = frequency.months();
        let mut out = Vec::new();
        for year in from.year()..=to.year() {
            let mut m = month;
            while m <= 12 {
                if let Some(d) = clamp_day(year, m, day)
                    && d >= from
                    && d <= to
                {
                    out.push(d);
                }
                m += step;
            }
        }
        out
    }

    /// The due dates in `[from, to]` (by nominal date), adjusted off days off.
    pub fn due_dates(
        &self,
        calendar: &Calendar,
        from: NaiveDate,
        to: NaiveDate,
        adjustment: Adjustment,
    ) -> Result<Vec<DueDate>, CalendarError> {
        self.nominal_dates(from, to)
            .into_iter()
            .map(|nominal| {
                let due = match adjustment {
                    Adjustment::Previous => calendar.working_day_on_or_before(nominal)?,
                    Adjustment::Next => calendar.working_day_on_or_after(nominal)?,
                    Adjustment::None => nominal,
                };
                Ok(DueDate { nominal, due })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        for s in [
            "monthly:18",
            "quarterly:3:18",
            "semiannual:6:18",
            "yearly:12:18",
            "weekly:5",
            "continuous",
        ] {
            let r: Recurrence = s.parse().unwrap();
            assert_eq!(r.to_string(), s);
        }
        assert_eq!(
            "quarterly:18".parse::<Recurrence>().unwrap().to_string(),
            "quarterly:3:18"
        );
        for bad in [
            "monthly",
            "monthly:0",
            "monthly:32",
            "quarterly:4:1",
            "weekly:0",
            "weekly:8",
            "weekly",
            "monthly:2:3",
        ] {
            assert!(bad.parse::<Recurrence>().is_err(), "{bad}");
        }
    }

    #[test]
    fn end_of_month_clamps() {
        let r: Recurrence = "monthly:31".parse().unwrap();
        let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
        assert_eq!(
            r.nominal_dates(d(2, 1), d(4, 30)),
            vec![d(2, 29), d(3, 31), d(4, 30)]
        );
    }

    #[test]
    fn recurrences_in_words() {
        let w = |s: &str| s.parse::<Recurrence>().map(|r| r.label_vi()).unwrap();
        assert_eq!(w("monthly:18"), "Hằng tháng, ngày 18");
        assert_eq!(w("quarterly:18"), "Hằng quý, ngày 18 tháng cuối quý");
        assert_eq!(w("quarterly:1:20"), "Hằng quý, ngày 20 tháng đầu quý");
        assert_eq!(
            w("semiannual:6:18"),
            "6 tháng một lần, ngày 18 tháng cuối kỳ 6 tháng"
        );
        assert_eq!(w("yearly:12:18"), "Hằng năm, ngày 18/12");
        assert_eq!(w("continuous"), "Thường xuyên");
        assert_eq!(w("weekly:5"), "Hằng tuần, thứ Sáu");
    }

    #[test]
    fn weekly_falls_on_its_weekday() {
        let r: Recurrence = "weekly:5".parse().unwrap();
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        // 2026-12-07 is a Monday.
        assert_eq!(
            r.nominal_dates(d(12, 7), d(12, 25)),
            vec![d(12, 11), d(12, 18), d(12, 25)]
        );
        let mon: Recurrence = "weekly:1".parse().unwrap();
        assert_eq!(
            mon.nominal_dates(d(12, 7), d(12, 14)),
            vec![d(12, 7), d(12, 14)]
        );
    }
}
