//! The calendar's inputs, as data: statutory rules with effective dates (TOML) and the
//! yearly government decisions (CSV rows, later database rows). Parsed from `&str`; the
//! caller reads or embeds the files.

use super::CalendarError;
use chrono::{NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// The rule table: weekly rest days and statutory holidays, each with an effective range
/// and its legal source (data/calendar/vn-holiday-rules.toml).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarRules {
    pub settings: Settings,
    #[serde(default)]
    pub weekend: Vec<WeekendRule>,
    #[serde(default)]
    pub holiday: Vec<HolidayRule>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Legal source cited on generated compensatory days (nghỉ bù).
    pub compensatory_source: String,
    /// Whether days marked `confirmed = false` count as days off.
    #[serde(default)]
    pub unconfirmed_days_off: bool,
}

/// Ngày nghỉ hằng tuần — the weekly rest days in force over a date range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeekendRule {
    /// "Mon" … "Sun".
    pub days: Vec<String>,
    pub from: NaiveDate,
    #[serde(default)]
    pub until: Option<NaiveDate>,
    pub source: String,
}

/// Ngày lễ — one statutory holiday over one effective range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HolidayRule {
    /// Stable identifier of the occasion; several rows share it when the law changed.
    pub id: String,
    /// Vietnamese name; decision entries with the same name replace this rule's proposal.
    pub name: String,
    /// "MM-DD" solar or "lunar:MM-DD".
    pub date: String,
    /// First day off relative to `date`.
    #[serde(default)]
    pub offset: i32,
    #[serde(default = "one")]
    pub length: u32,
    /// For "the date + one adjacent day": weekdays of the date on which the extra day
    /// follows it; on other weekdays it precedes it.
    #[serde(default)]
    pub adjacent_after_on: Vec<String>,
    pub from: NaiveDate,
    #[serde(default)]
    pub until: Option<NaiveDate>,
    #[serde(default = "yes")]
    pub confirmed: bool,
    /// Whether a day of it on a weekly rest day gets a compensatory day (BLLĐ 2019 Điều 111
    /// k3 covers the holidays of Điều 112 k1); default yes.
    #[serde(default = "yes")]
    pub compensated: bool,
    pub source: String,
}

fn one() -> u32 {
    1
}

fn yes() -> bool {
    true
}

/// Where a holiday falls each year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Solar { month: u32, day: u32 },
    Lunar { month: u32, day: u32 },
}

impl HolidayRule {
    pub fn anchor(&self) -> Result<Anchor, CalendarError> {
        let bad = || CalendarError::Rules(format!("rule {}: bad date {:?}", self.id, self.date));
        let (lunar, md) = match self.date.strip_prefix("lunar:") {
            Some(rest) => (true, rest),
            None => (false, self.date.as_str()),
        };
        let (m, d) = md.split_once('-').ok_or_else(bad)?;
        let month: u32 = m.trim().parse().map_err(|_| bad())?;
        let day: u32 = d.trim().parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return Err(bad());
        }
        Ok(if lunar {
            Anchor::Lunar { month, day }
        } else {
            Anchor::Solar { month, day }
        })
    }

    /// The weekdays listed in `adjacent_after_on`.
    pub fn adjacent_after(&self) -> Result<Vec<Weekday>, CalendarError> {
        parse_weekdays(&self.adjacent_after_on, &self.id)
    }

    pub fn in_force(&self, date: NaiveDate) -> bool {
        date >= self.from && self.until.is_none_or(|u| date <= u)
    }
}

impl WeekendRule {
    pub fn weekdays(&self) -> Result<Vec<Weekday>, CalendarError> {
        parse_weekdays(&self.days, "weekend")
    }
}

fn parse_weekdays(names: &[String], what: &str) -> Result<Vec<Weekday>, CalendarError> {
    names
        .iter()
        .map(|n| {
            n.parse::<Weekday>()
                .map_err(|_| CalendarError::Rules(format!("{what}: bad weekday {n:?}")))
        })
        .collect()
}

impl CalendarRules {
    /// Parse and check the rule table (TOML).
    pub fn parse(text: &str) -> Result<CalendarRules, CalendarError> {
        let rules: CalendarRules =
            basic_toml::from_str(text).map_err(|e| CalendarError::Rules(e.to_string()))?;
        for w in &rules.weekend {
            w.weekdays()?;
        }
        for h in &rules.holiday {
            h.anchor()?;
            h.adjacent_after()?;
            if h.length == 0 || h.length > 15 {
                return Err(CalendarError::Rules(format!("rule {}: bad length", h.id)));
            }
        }
        Ok(rules)
    }
}

/// What a decided day is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// Ngày lễ, Tết — a statutory holiday.
    Holiday,
    /// Nghỉ bù — compensation for a holiday on a weekly rest day (BLLĐ 2019 Điều 111 k3).
    Compensatory,
    /// Hoán đổi — a working day moved off, worked back on a make-up day.
    SwappedOff,
    /// Làm bù — a weekend day worked in exchange for a swapped-off day.
    MakeupWorkday,
}

impl DayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Compensatory => "compensatory",
            DayKind::SwappedOff => "swapped_off",
            DayKind::MakeupWorkday => "makeup_workday",
        }
    }

    pub fn parse(s: &str) -> Option<DayKind> {
        match s.trim() {
            "holiday" => Some(DayKind::Holiday),
            "compensatory" => Some(DayKind::Compensatory),
            "swapped_off" => Some(DayKind::SwappedOff),
            "makeup_workday" => Some(DayKind::MakeupWorkday),
            _ => None,
        }
    }

    /// Whether a day of this kind is a day off.
    pub fn is_off(self) -> bool {
        self != DayKind::MakeupWorkday
    }

    /// Vietnamese label for listings.
    pub fn label_vi(self) -> &'static str {
        match self {
            DayKind::Holiday => "nghỉ lễ",
            DayKind::Compensatory => "nghỉ bù",
            DayKind::SwappedOff => "nghỉ hoán đổi",
            DayKind::MakeupWorkday => "làm bù",
        }
    }
}

/// One decided day of the civil-service calendar, as announced by a government document.
/// A plain record so the store can persist it and an administrator can add or correct it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CalendarEntry {
    pub date: NaiveDate,
    pub kind: DayKind,
    pub name: String,
    /// The deciding document, e.g. "Công văn 12729/VPCP-KGVX"; may be empty.
    #[serde(default)]
    pub decided_by: String,
    pub confirmed: bool,
    /// Where the fact was read (URL or citation).
    #[serde(default)]
    pub source: String,
}

/// Parse the decisions CSV: `date,kind,name,decided_by,confirmed,source` with a header
/// row. Fields may be double-quoted; `confirmed` is yes/no.
pub fn parse_entries_csv(text: &str) -> Result<Vec<CalendarEntry>, CalendarError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields = split_csv_line(line);
        if i == 0 && fields.first().map(|f| f.trim()) == Some("date") {
            continue;
        }
        let bad = |what: &str| CalendarError::Entries {
            line: line_no,
            reason: what.to_string(),
        };
        if fields.len() != 6 {
            return Err(bad("expected 6 fields"));
        }
        let date =
            NaiveDate::parse_from_str(fields[0].trim(), "%Y-%m-%d").map_err(|_| bad("bad date"))?;
        let kind = DayKind::parse(&fields[1]).ok_or_else(|| bad("bad kind"))?;
        let confirmed = match fields[4].trim() {
            "yes" | "true" => true,
            "no" | "false" => false,
            _ => return Err(bad("confirmed must be yes or no")),
        };
        out.push(CalendarEntry {
            date,
            kind,
            name: fields[2].trim().to_string(),
            decided_by: fields[3].trim().to_string(),
            confirmed,
            source: fields[5].trim().to_string(),
        });
    }
    Ok(out)
}

fn split_csv_line(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut cur)),
            (c, _) => cur.push(c),
        }
    }
    fields.push(cur);
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_quotes_and_header() {
        let text = "date,kind,name,decided_by,confirmed,source\n\
                    2026-01-02,swapped_off,\"Hoán đổi, 2/1\",CV 1,yes,x\n";
        let e = parse_entries_csv(text).unwrap();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].name, "Hoán đổi, 2/1");
        assert_eq!(e[0].kind, DayKind::SwappedOff);
    }

    #[test]
    fn csv_errors_name_the_line() {
        let text = "date,kind,name,decided_by,confirmed,source\n2026-13-01,holiday,x,,yes,s\n";
        match parse_entries_csv(text) {
            Err(CalendarError::Entries { line, .. }) => assert_eq!(line, 2),
            other => panic!("{other:?}"),
        }
        let text = "2026-01-01,party,x,,yes,s\n";
        assert!(parse_entries_csv(text).is_err());
    }

    #[test]
    fn rule_anchor_parses() {
        let rules = CalendarRules::parse(
            "[settings]\ncompensatory_source = \"x\"\n[[holiday]]\nid = \"a\"\nname = \"A\"\n\
             date = \"lunar:03-10\"\nfrom = \"2007-01-01\"\nsource = \"s\"\n",
        )
        .unwrap();
        assert_eq!(
            rules.holiday[0].anchor().unwrap(),
            Anchor::Lunar { month: 3, day: 10 }
        );
        assert!(
            CalendarRules::parse(
                "[settings]\ncompensatory_source = \"x\"\n[[holiday]]\nid = \"a\"\nname = \"A\"\n\
                 date = \"13-10\"\nfrom = \"2007-01-01\"\nsource = \"s\"\n"
            )
            .is_err()
        );
    }
}
