//! Deadlines and recurrences of tasks (domain guide §3.6, table "Deadline phrase").
//!
//! - an absolute date needs a deadline word before it ("trước ngày 30/8/2023",
//!   "hoàn thành trước 30 tháng 9 năm 2023"), or "vào ngày" for the day the work is
//!   done on ("khánh thành … vào ngày 19 tháng 12 năm 2025"); a bare "ngày 19/7/2023"
//!   is an event or the date of a cited document, and "10/22 Bộ" is a ratio;
//! - a period maps to its last day and keeps its words: "trong tháng 8 năm 2023"
//!   → 2023-08-31, "Quý III/2023" → 2023-09-30, "trong năm 2023" → 2023-12-31;
//! - a condition ("sau khi Bộ Chính trị cho ý kiến") gives no date, only text;
//! - recurrences: "trước ngày 18 hàng tháng" → `monthly:18`, "Định kỳ hàng tháng"
//!   → `monthly`, "hàng quý" → `quarterly`, "6 tháng" → `semiannual`, "Hàng năm"
//!   → `yearly`, "Thường xuyên" → `continuous` (seed: 6486, 574).

use crate::date::{end_of_month, iso};
use regex::Regex;
use std::sync::LazyLock;

fn re(p: &str) -> Regex {
    Regex::new(p).expect("static regex")
}

static ABSOLUTE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:(?:hoàn thành|thời gian hoàn thành|thời hạn|hạn)\s*:?\s*)?(?:trước|chậm nhất|muộn nhất|không quá|đến hết|hạn chót|thời hạn\s*:?|hạn\s*:|vào\s+ngày)\s*(?:là\s+)?(?:ngày\s*)?(\d{1,2})\s*(?:/|-|\.|tháng)\s*(\d{1,2})\s*(?:/|-|\.|năm)\s*(\d{4})",
    )
});
static MONTH: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:(?:ngay|chậm nhất|hoàn thành|xong)\s+)?(?:trong|trước|hết|(?:tuần\s+)?cuối|từ nay đến|đến hết)\s+tháng\s*(\d{1,2})\s*(?:,?\s*năm\s*|/\s*)(\d{4})",
    )
});
/// "Tháng 11 - 12/2025", "trong tháng 11-12 năm 2025": the last month of the range.
static MONTH_RANGE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)tháng\s*(\d{1,2})\s*[-–]\s*(\d{1,2})\s*(?:năm\s*|/\s*)(\d{4})"));
static QUARTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:(?:trong|trước|chậm nhất|hoàn thành)\s+(?:[^.;:]{0,60}?\s)?)qu[ýí]\s*((?:IV|III|II|I|4|3|2|1)(?:\s*(?:,|và|-|–)\s*(?:IV|III|II|I|4|3|2|1))*)\s*(?:/|-|,?\s*năm)\s*(\d{4})",
    )
});
static HALF: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)(?:trong|trước|hết)\s+(?:0?6|sáu)\s+tháng\s+(đầu|cuối)\s+năm\s*(\d{4})")
});
static YEAR: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:(?:ngay|chậm nhất|hoàn thành|xong)\s+)?(trong|trước|cuối|hết|cả)\s+năm\s*(\d{4})(\s+và\s+(?:các|những)\s+năm\s+tiếp\s+theo)?",
    )
});
/// "Năm 2026, cắt giảm …": a year that opens a sentence sets the target's time.
static YEAR_OPENING: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:^|[.;:]\s+)(?:[+-]\s*)?Năm\s+(\d{4})\s*,"));
static CONDITION: LazyLock<Regex> =
    LazyLock::new(|| re(r"[Ss]au khi\s+\p{Lu}[^.;:]{2,100}?(?:[.;:]|$)"));

static MONTHLY_DAY: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)(?:trước|vào|đến)?\s*ngày\s*(\d{1,2})\s+(?:hàng|hằng|mỗi)\s+tháng"));
/// "chậm nhất 10 ngày của tháng kế tiếp", "trước ngày 05 của tháng sau", "Định kỳ ngày đầu
/// tháng": a day of every month (the first when "đầu tháng").
static MONTHLY_NEXT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:(?:chậm nhất|trước)\s+(?:(\d{1,2})\s+ngày|ngày\s+(\d{1,2}))\s+(?:của\s+|đầu\s+)?tháng\s+(?:kế\s+tiếp|tiếp\s+theo|sau)|định kỳ\s+(?:vào\s+)?(?:ngày\s+)?đầu\s+(?:mỗi\s+|hằng\s+|hàng\s+)?tháng)",
    )
});
static MONTHLY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:định kỳ\s+(?:hàng|hằng)\s+tháng|(?:^|[.;:]\s*)(?:hàng|hằng)\s+tháng\b|báo cáo định kỳ tháng|\b(?:hàng|hằng)\s+tháng\s*(?:[.;,)]|$))",
    )
});
static QUARTERLY: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)(?:định kỳ\s+(?:hàng\s+|hằng\s+)?quý|(?:^|[.;:]\s*)(?:hàng|hằng)\s+quý\b)")
});
static SEMIANNUAL: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)(?:định kỳ\s+(?:0?6|sáu)\s+tháng|(?:0?6|sáu)\s+tháng\s+(?:một|1)\s+lần)")
});
/// Yearly work: "định kỳ hằng năm", "Hàng năm …", and "Trong năm 2023 và các năm tiếp
/// theo" (domain guide §3.6, deadline phrases: from 2023, open-ended, yearly follow-up;
/// seed 574 item 1.1), whose deadline is the end of the year named.
static YEARLY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:định kỳ\s+(?:hàng|hằng)\s+năm|(?:^|[.;:]\s*)(?:hàng|hằng)\s+năm\b|(?:các|những)\s+năm\s+tiếp\s+theo)",
    )
});
/// A day of the year ("trước ngày 25 tháng 12 hằng năm", "trước ngày 30/11 hàng năm"):
/// yearly. Asked only of texts that say "hằng năm" (a pattern that opens with a digit has
/// no word to look for first, and would scan every text).
static YEARLY_DAY: LazyLock<Regex> =
    LazyLock::new(|| re(r"\d{1,2}(?:\s*/\s*\d{1,2}|\s+tháng\s+\d{1,2})\s+(?:hàng|hằng|mỗi)\s+năm"));
/// "Thường xuyên …" opening the task, or the task said to be one ("nhiệm vụ thường
/// xuyên", "thực hiện thường xuyên", "…; thường xuyên").
static CONTINUOUS: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)(?:^\s*|[;:]\s*|nhiệm vụ\s+|thực hiện\s+|triển khai\s+)thường\s+xuyên\b")
});
/// "thứ Sáu hằng tuần", "vào thứ 6 hàng tuần", "trước 15 giờ thứ Năm hằng tuần".
static WEEKLY_DAY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:vào\s+|trước\s+|trong\s+)?(?:ngày\s+)?(thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật)\s+(?:hằng|hàng|mỗi|các)\s+tuần",
    )
});
static WEEKLY: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)(?:định kỳ\s+)?(?:hằng|hàng)\s+tuần\b"));
/// "trong vòng 30 ngày kể từ ngày ký", "05 ngày làm việc kể từ ngày ban hành Quyết định".
static RELATIVE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:trong\s+(?:vòng|thời hạn|thời gian)?\s*|chậm nhất\s+(?:là\s+)?|sau\s+)?(\d{1,3})\s+ngày(\s+làm\s+việc)?\s*,?\s*(?:kể\s+)?từ\s+ngày\s+(ký|ban\s+hành|văn\s+bản|quyết\s+định|công\s+văn|chỉ\s+thị|kế\s+hoạch|thông\s+báo|công\s+điện|nghị\s+quyết|có\s+hiệu\s+lực)",
    )
});

static YEAR_CELL: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:[Nn]ăm\s+)?(\d{4})(?:\s*[-–]\s*(\d{4}))?\.?$"));

/// A range of years at the start of a period's words ("2026 - 2030 …"): its last year.
static YEAR_RANGE_START: LazyLock<Regex> = LazyLock::new(|| re(r"^\d{4}\s*[-–]\s*(\d{4})\b"));

/// A deadline read from text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deadline {
    pub date: Option<String>,
    pub text: Option<String>,
}

fn roman_quarter(q: &str) -> Option<u32> {
    match q.to_uppercase().as_str() {
        "I" | "1" => Some(1),
        "II" | "2" => Some(2),
        "III" | "3" => Some(3),
        "IV" | "4" => Some(4),
        _ => None,
    }
}

fn num<T: std::str::FromStr>(c: &regex::Captures<'_>, i: usize) -> Option<T> {
    c.get(i).and_then(|m| m.as_str().parse().ok())
}

/// The first deadline phrase of a task text, by position.
pub fn find_deadline(text: &str) -> Deadline {
    let mut best: Option<(usize, Deadline)> = None;
    let mut consider = |start: usize, d: Deadline| {
        if best.as_ref().is_none_or(|(s, _)| start < *s) {
            best = Some((start, d));
        }
    };
    if let Some(c) = ABSOLUTE.captures(text)
        && let (Some(d), Some(m), Some(y), Some(all)) =
            (num::<u32>(&c, 1), num(&c, 2), num(&c, 3), c.get(0))
        && let Some(date) = iso(y, m, d)
    {
        consider(
            all.start(),
            Deadline {
                date: Some(date),
                text: Some(all.as_str().trim().to_string()),
            },
        );
    }
    if let Some(c) = MONTH.captures(text)
        && let (Some(m), Some(y), Some(all)) = (num::<u32>(&c, 1), num::<i32>(&c, 2), c.get(0))
    {
        let before = all.as_str().to_lowercase().contains("trước tháng");
        let date = if before {
            if m == 1 {
                end_of_month(y - 1, 12)
            } else {
                end_of_month(y, m - 1)
            }
        } else {
            end_of_month(y, m)
        };
        if date.is_some() {
            consider(
                all.start(),
                Deadline {
                    date,
                    text: Some(all.as_str().trim().to_string()),
                },
            );
        }
    }
    if let Some(c) = MONTH_RANGE.captures(text)
        && let (Some(m), Some(y), Some(all)) = (num::<u32>(&c, 2), num::<i32>(&c, 3), c.get(0))
        && let Some(date) = end_of_month(y, m)
    {
        consider(
            all.start(),
            Deadline {
                date: Some(date),
                text: Some(all.as_str().trim().to_string()),
            },
        );
    }
    if let Some(c) = QUARTER.captures(text)
        && let (Some(q), Some(y), Some(all)) = (
            // "Quý II, III/2015": the last quarter named.
            c.get(1).and_then(|m| {
                m.as_str()
                    .rsplit(|c: char| matches!(c, ',' | '-' | '–') || c.is_whitespace())
                    .find(|p| !p.is_empty() && *p != "và")
                    .and_then(roman_quarter)
            }),
            num::<i32>(&c, 2),
            c.get(0),
        )
    {
        let low = all.as_str().to_lowercase();
        let phrase_start = low.find("quý").or_else(|| low.find("quí")).unwrap_or(0);
        let phrase = &all.as_str()[phrase_start..];
        consider(
            all.start(),
            Deadline {
                date: end_of_month(y, q * 3),
                text: Some(phrase.trim().to_string()),
            },
        );
    }
    if let Some(c) = HALF.captures(text)
        && let (Some(h), Some(y), Some(all)) = (c.get(1), num::<i32>(&c, 2), c.get(0))
    {
        let m = if h.as_str().to_lowercase().starts_with('đ') {
            6
        } else {
            12
        };
        consider(
            all.start(),
            Deadline {
                date: end_of_month(y, m),
                text: Some(all.as_str().trim().to_string()),
            },
        );
    }
    if let Some(c) = YEAR.captures(text)
        && let (Some(w), Some(y), Some(all)) = (c.get(1), num::<i32>(&c, 2), c.get(0))
        // "… chi trả … những tháng cuối năm 2025": the months of a period, not a time
        // by which to finish.
        && !(w.as_str().to_lowercase() == "cuối"
            && text[..all.start()].trim_end().to_lowercase().ends_with("tháng"))
    {
        let y = if w.as_str().to_lowercase() == "trước" {
            y - 1
        } else {
            y
        };
        consider(
            all.start(),
            Deadline {
                date: end_of_month(y, 12),
                text: Some(all.as_str().trim().to_string()),
            },
        );
    }
    if let Some(c) = YEAR_OPENING.captures(text)
        && let (Some(y), Some(all)) = (num::<i32>(&c, 1), c.get(0))
    {
        let phrase = all
            .as_str()
            .trim_start_matches(|c: char| !c.is_alphabetic());
        consider(
            all.start(),
            Deadline {
                date: end_of_month(y, 12),
                text: Some(phrase.trim_end_matches(',').trim().to_string()),
            },
        );
    }
    if let Some((_, d)) = best {
        return d;
    }
    if let Some(m) = CONDITION.find(text) {
        let t = m.as_str().trim_end_matches(['.', ';', ':']).trim();
        return Deadline {
            date: None,
            text: Some(t.to_string()),
        };
    }
    Deadline::default()
}

/// The recurrence named in a task text, by first position.
pub fn find_recurrence(text: &str) -> Option<String> {
    // Each pattern needs one of these words; most task texts have none of them.
    let lower = text.to_lowercase();
    let has = |w: &str| lower.contains(w);
    if !(has("tuần") || has("tháng") || has("quý") || has("năm") || has("thường xuyên")) {
        return None;
    }
    let mut best: Option<(usize, String)> = None;
    let mut consider = |start: usize, r: String| {
        if best.as_ref().is_none_or(|(s, _)| start < *s) {
            best = Some((start, r));
        }
    };
    if has("tháng")
        && let Some(c) = MONTHLY_DAY.captures(text)
        && let (Some(d), Some(all)) = (num::<u32>(&c, 1), c.get(0))
        && (1..=31).contains(&d)
    {
        consider(all.start(), format!("monthly:{d:02}"));
    }
    if has("tháng")
        && let Some(c) = MONTHLY_NEXT.captures(text)
        && let Some(all) = c.get(0)
    {
        let d = num::<u32>(&c, 1).or_else(|| num(&c, 2)).unwrap_or(1);
        if (1..=31).contains(&d) {
            consider(all.start(), format!("monthly:{d:02}"));
        }
    }
    if has("tuần")
        && let Some(c) = WEEKLY_DAY.captures(text)
        && let (Some(d), Some(all)) = (c.get(1), c.get(0))
        && let Some(n) = iso_weekday(d.as_str())
    {
        consider(all.start(), format!("weekly:{n}"));
    }
    if (has("hằng năm") || has("hàng năm") || has("mỗi năm"))
        && let Some(m) = YEARLY_DAY.find(text)
    {
        consider(m.start(), "yearly".to_string());
    }
    for (re, name, word) in [
        (&*WEEKLY, "weekly", "tuần"),
        (&*MONTHLY, "monthly", "tháng"),
        (&*QUARTERLY, "quarterly", "quý"),
        (&*SEMIANNUAL, "semiannual", "tháng"),
        (&*YEARLY, "yearly", "năm"),
        (&*CONTINUOUS, "continuous", "thường xuyên"),
    ] {
        if !has(word) {
            continue;
        }
        if let Some(m) = re.find(text) {
            consider(m.start(), name.to_string());
        }
    }
    best.map(|(_, r)| r)
}

/// ISO weekday of "thứ Hai" … "thứ Bảy" (or "thứ 2" … "thứ 7") and "Chủ nhật": thứ Hai
/// is Monday, 1.
fn iso_weekday(s: &str) -> Option<u32> {
    let f = crate::normalize::fold(s);
    let w = f.split_whitespace().last()?;
    Some(match w {
        "hai" | "2" => 1,
        "ba" | "3" => 2,
        "tu" | "4" => 3,
        "nam" | "5" => 4,
        "sau" | "6" => 5,
        "bay" | "7" => 6,
        "nhat" => 7,
        _ => return None,
    })
}

/// A deadline counted from the document's date ("trong vòng 30 ngày kể từ ngày ký"):
/// calendar days, or working days that skip Saturdays and Sundays ("05 ngày làm việc";
/// public holidays are the calendar's business, not the reader's). None without a date
/// or such a phrase.
pub fn relative_deadline(text: &str, issued: Option<&str>) -> Option<Deadline> {
    let c = RELATIVE.captures(text)?;
    let n: i64 = c.get(1)?.as_str().parse().ok()?;
    let working = c.get(2).is_some();
    let all = c.get(0)?.as_str().trim().to_string();
    let date = issued.and_then(|d| add_days(d, n, working));
    Some(Deadline {
        date,
        text: Some(all),
    })
}

/// `iso` plus `n` days (working days skip Saturday and Sunday).
fn add_days(iso: &str, n: i64, working: bool) -> Option<String> {
    let mut p = iso.split('-').map(|x| x.parse::<i64>().ok());
    let (y, m, d) = (p.next()??, p.next()??, p.next()??);
    // Days since 1970-01-01 (civil calendar), and back.
    let days = days_from_civil(y, m, d);
    let mut t = days;
    if working {
        let mut left = n;
        while left > 0 {
            t += 1;
            // 1970-01-01 was a Thursday: weekday 0 = Thursday … 2 = Saturday, 3 = Sunday.
            let wd = t.rem_euclid(7);
            if wd != 2 && wd != 3 {
                left -= 1;
            }
        }
    } else {
        t += n;
    }
    let (y, m, d) = civil_from_days(t);
    crate::date::iso(y as i32, m as u32, d as u32)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The "Thời gian thực hiện" cell of a plan's appendix table: the whole cell is a
/// time phrase, so bare forms count ("Thường xuyên", "Hàng năm", "Trong năm 2023",
/// "Theo quy định", "30/9/2023", "Quý III/2023").
pub fn table_time(cell: &str) -> (Deadline, Option<String>) {
    let cell = crate::normalize::squash(cell);
    if cell.is_empty() {
        return (Deadline::default(), None);
    }
    let lower = cell.to_lowercase();
    // A year, or a range of years ("2026", "2024 - 2030", "2026-2027"): its last year.
    if let Some(y) = YEAR_CELL
        .captures(&cell)
        .and_then(|c| c.get(2).or(c.get(1)))
    {
        let y: i32 = y.as_str().parse().unwrap_or(0);
        let d = Deadline {
            date: end_of_month(y, 12),
            text: Some(cell.clone()),
        };
        // "Năm 2026 và các năm tiếp theo": yearly from that year on (domain guide §3.6).
        let read = if lower.starts_with("năm") {
            format!("trong {lower}")
        } else {
            lower.clone()
        };
        return (d, find_recurrence(&read));
    }
    // "Giai đoạn 2026 - 2030", "Hoàn thành trong giai đoạn 2026 - 2027 và vận hành thường
    // xuyên", "Giai đoạn 2026 - 2027. Thực hiện rà soát, cập nhật …": the period's last year.
    let first = lower.split(". ").next().unwrap_or(&lower);
    let period = [
        "hoàn thành trong ",
        "thực hiện trong ",
        "thí điểm trong ",
        "trong ",
    ]
    .iter()
    .find_map(|p| first.strip_prefix(p))
    .unwrap_or(first);
    if let Some(rest) = period.strip_prefix("giai đoạn ")
        && let Some(c) = YEAR_RANGE_START.captures(rest)
        && let Some(y) = c.get(1).and_then(|m| m.as_str().parse::<i32>().ok())
    {
        let d = Deadline {
            date: end_of_month(y, 12),
            text: Some(cell.clone()),
        };
        return (d, None);
    }
    let probe = if lower.starts_with(|c: char| c.is_ascii_digit()) || lower.starts_with("ngày ") {
        format!("trước ngày {cell}")
    } else if lower.starts_with("tháng")
        || lower.starts_with("năm")
        || lower.starts_with("quý")
        || lower.starts_with("quí")
    {
        format!("trong {cell}")
    } else {
        cell.clone()
    };
    let mut d = find_deadline(&probe);
    d.text = Some(cell.clone());
    // ("Năm 2026 và các năm tiếp theo" is read as "trong năm 2026 và các năm tiếp theo".)
    let mut rec = find_recurrence(&probe.to_lowercase());
    if rec.is_none() {
        if lower.contains("thường xuyên") || lower.contains("liên tục") {
            rec = Some("continuous".into());
        } else if lower.contains("hàng năm") || lower.contains("hằng năm") {
            rec = Some("yearly".into());
        } else if lower.contains("hàng quý") || lower.contains("hằng quý") {
            rec = Some("quarterly".into());
        } else if lower.contains("hàng tháng") || lower.contains("hằng tháng") {
            rec = Some("monthly".into());
        }
    }
    (d, rec)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(t: &str) -> Option<String> {
        find_deadline(t).date
    }

    #[test]
    fn reads_seed_deadline_phrases() {
        assert_eq!(
            date("gửi về UBND tỉnh trước ngày 30/8/2023;").as_deref(),
            Some("2023-08-30")
        );
        assert_eq!(
            date("Thời gian hoàn thành: trước ngày 02/10/2023").as_deref(),
            Some("2023-10-02")
        );
        assert_eq!(
            date("hoàn thành trước 30 tháng 9 năm 2023.").as_deref(),
            Some("2023-09-30")
        );
        assert_eq!(
            date("thực hiện ngay trong tháng 8 năm 2023.").as_deref(),
            Some("2023-08-31")
        );
        assert_eq!(
            date("chậm nhất trong tháng 12 năm 2023").as_deref(),
            Some("2023-12-31")
        );
        assert_eq!(
            date("trong báo cáo cải cách hành chính Quý III/2023 và cả năm").as_deref(),
            Some("2023-09-30")
        );
        assert_eq!(
            date("đồng bộ ở các cấp trong năm 2023;").as_deref(),
            Some("2023-12-31")
        );
        assert_eq!(date("Chỉ thị số 23/CT-TTg ngày 09 tháng 7 năm 2023"), None);
        assert_eq!(date("Kế hoạch thanh tra năm 2023"), None);
        assert_eq!(date("10/22 Bộ đã công bố; 25/25 dịch vụ công"), None);
        let c = find_deadline("ban hành Nghị định sau khi Bộ Chính trị cho ý kiến.");
        assert_eq!(c.date, None);
        assert_eq!(c.text.as_deref(), Some("sau khi Bộ Chính trị cho ý kiến"));
    }

    #[test]
    fn reads_recurrences() {
        assert_eq!(
            find_recurrence("định kỳ trước ngày 18 hàng tháng gửi báo cáo").as_deref(),
            Some("monthly:18")
        );
        assert_eq!(
            find_recurrence("TTHC. Định kỳ hàng tháng thống kê").as_deref(),
            Some("monthly")
        );
        assert_eq!(
            find_recurrence("Hàng tháng, tổng hợp báo cáo").as_deref(),
            Some("monthly")
        );
        assert_eq!(
            find_recurrence("Thường xuyên kiểm tra").as_deref(),
            Some("continuous")
        );
        assert_eq!(
            find_recurrence("xếp loại cán bộ hàng năm đã được phê duyệt"),
            None
        );
        assert_eq!(table_time("Hàng năm").1.as_deref(), Some("yearly"));
        for t in [
            "báo cáo Thủ tướng Chính phủ trước ngày 25 tháng 12 hằng năm.",
            "tổng hợp báo cáo Ủy ban nhân dân tỉnh trước ngày 25/12 hàng năm.",
        ] {
            assert_eq!(find_recurrence(t).as_deref(), Some("yearly"), "{t}");
        }
        assert_eq!(
            find_deadline("chi phí chi trả những tháng cuối năm 2025").date,
            None
        );
        assert_eq!(
            find_deadline("hoàn thành cuối năm 2025").date.as_deref(),
            Some("2025-12-31")
        );
        assert_eq!(
            find_recurrence("gửi báo cáo vào thứ Sáu hằng tuần").as_deref(),
            Some("weekly:5")
        );
        assert_eq!(
            find_recurrence("trước 15 giờ thứ 5 hàng tuần").as_deref(),
            Some("weekly:4")
        );
        assert_eq!(
            find_recurrence("Hằng tuần, tổng hợp").as_deref(),
            Some("weekly")
        );
        assert_eq!(
            table_time("2024 - 2030").0.date.as_deref(),
            Some("2030-12-31")
        );
        let r = relative_deadline("trong vòng 30 ngày kể từ ngày ký", Some("2025-11-18"));
        assert_eq!(r.and_then(|d| d.date).as_deref(), Some("2025-12-18"));
        // 2026-05-16 is a Saturday: five working days end on Friday 2026-05-22.
        let r = relative_deadline("05 ngày làm việc kể từ ngày ban hành", Some("2026-05-16"));
        assert_eq!(r.and_then(|d| d.date).as_deref(), Some("2026-05-22"));
        assert_eq!(
            relative_deadline("trong 10 ngày kể từ ngày ký", None).and_then(|d| d.date),
            None
        );
        let (d, r) = table_time("Trong năm 2023 và các năm tiếp theo");
        assert_eq!(d.date.as_deref(), Some("2023-12-31"));
        assert_eq!(r.as_deref(), Some("yearly"));
        let (d, r) = table_time("Giai đoạn 2026 - 2027. Thực hiện rà soát (nếu có)");
        assert_eq!((d.date.as_deref(), r), (Some("2027-12-31"), None));
        let (d, _) = table_time("Hoàn thành trong giai đoạn 2026 - 2030 và vận hành thường xuyên");
        assert_eq!(d.date.as_deref(), Some("2030-12-31"));
        let (d, r) = table_time("Năm 2026 và các năm tiếp theo");
        assert_eq!(d.date.as_deref(), Some("2026-12-31"));
        assert_eq!(r.as_deref(), Some("yearly"));
        let (d, r) = table_time("Theo quy định");
        assert_eq!(
            (d.date, d.text.as_deref(), r),
            (None, Some("Theo quy định"), None)
        );
    }
}
