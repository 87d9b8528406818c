//! `cchc calendar …` — the legal calendar from the command line (issue 3).

use super::CliError;
use chrono::{Datelike, NaiveDate, Weekday};
use domain::calendar::{
    Calendar, CalendarDay, FIRST_YEAR, LAST_YEAR, LunarDate, lunar_to_solar, solar_to_lunar, speed,
};
use serde::Serialize;

/// Print a line; a closed pipe (`| head`) is not an error.
macro_rules! say {
    () => {
        emit(String::new())
    };
    ($($arg:tt)*) => {
        emit(format!($($arg)*))
    };
}

fn emit(line: String) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
}

const RULES: &str = include_str!("../../../../data/calendar/vn-holiday-rules.toml");
const ENTRIES: &str = include_str!("../../../../data/calendar/vn-civil-service-days-off.csv");

#[derive(Debug, clap::Args)]
pub struct CalendarArgs {
    #[command(subcommand)]
    pub command: CalendarCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum CalendarCommand {
    /// Ngày nghỉ lễ, nghỉ bù, hoán đổi và ngày làm bù của một năm.
    Holidays {
        /// Năm, ví dụ 2026.
        #[arg(allow_hyphen_values = true)]
        year: String,
        /// In mảng JSON.
        #[arg(long)]
        json: bool,
    },
    /// Ngày làm việc thứ N sau một ngày (không tính ngày bắt đầu).
    Add {
        /// Ngày bắt đầu: YYYY-MM-DD hoặc d/m/yyyy.
        date: String,
        /// Số ngày làm việc.
        #[arg(allow_hyphen_values = true)]
        days: String,
    },
    /// Số ngày làm việc sau ngày thứ nhất đến hết ngày thứ hai.
    Count {
        /// Từ ngày (không tính).
        from: String,
        /// Đến ngày (có tính).
        to: String,
    },
    /// Đổi ngày dương lịch sang âm lịch.
    Lunar {
        /// Ngày dương lịch: YYYY-MM-DD hoặc d/m/yyyy.
        date: String,
    },
    /// Đổi ngày âm lịch (d/m/yyyy) sang dương lịch, in YYYY-MM-DD.
    Solar {
        /// Ngày âm lịch d/m/yyyy.
        date: String,
        /// Tháng nhuận.
        #[arg(long)]
        leap: bool,
    },
    /// Đo tốc độ cộng/đếm ngày làm việc so với vòng lặp từng ngày.
    Bench {
        /// Số phép thử.
        #[arg(long, default_value = "1000000")]
        ops: String,
    },
}

pub fn run(args: CalendarArgs) -> Result<(), CliError> {
    match args.command {
        CalendarCommand::Holidays { year, json } => holidays(&year, json),
        CalendarCommand::Add { date, days } => {
            let date = parse_date(&date)?;
            let n: u32 = days.trim().parse().map_err(|_| {
                CliError::usage(format!(
                    "số ngày làm việc không hợp lệ: {days:?} (cần số nguyên không âm)"
                ))
            })?;
            let due = calendar()?
                .add_working_days(date, n)
                .map_err(|_| out_of_range())?;
            say!("{} ({})", dmy(due), weekday_vi(due.weekday()));
            Ok(())
        }
        CalendarCommand::Count { from, to } => {
            let (from, to) = (parse_date(&from)?, parse_date(&to)?);
            let n = calendar()?
                .count_working_days(from, to)
                .map_err(|_| out_of_range())?;
            say!("{n}");
            Ok(())
        }
        CalendarCommand::Lunar { date } => {
            let date = parse_date(&date)?;
            let l = solar_to_lunar(date);
            let leap = if l.leap { " (tháng nhuận)" } else { "" };
            say!(
                "{}/{}/{}{leap} âm lịch, năm {}",
                l.day,
                l.month,
                l.year,
                l.year_can_chi()
            );
            Ok(())
        }
        CalendarCommand::Solar { date, leap } => {
            let (day, month, year) = parse_dmy(&date).ok_or_else(|| {
                CliError::usage(format!(
                    "ngày âm lịch không hợp lệ: {date:?} (cần d/m/yyyy)"
                ))
            })?;
            check_year(year)?;
            let lunar = LunarDate {
                day,
                month,
                year,
                leap,
            };
            let solar = lunar_to_solar(lunar).ok_or_else(|| {
                let what = if leap { " (tháng nhuận)" } else { "" };
                CliError::usage(format!("không có ngày âm lịch {day}/{month}/{year}{what}"))
            })?;
            say!("{}", solar.format("%Y-%m-%d"));
            Ok(())
        }
        CalendarCommand::Bench { ops } => bench(&ops),
    }
}

fn calendar() -> Result<Calendar, CliError> {
    Calendar::from_sources(RULES, ENTRIES)
        .map_err(|e| CliError::Internal(anyhow::anyhow!("dữ liệu lịch lỗi: {e}")))
}

fn out_of_range() -> CliError {
    CliError::usage(format!(
        "ngày nằm ngoài phạm vi lịch ({FIRST_YEAR}–{LAST_YEAR})"
    ))
}

fn check_year(year: i32) -> Result<(), CliError> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&year) {
        Ok(())
    } else {
        Err(out_of_range())
    }
}

/// `d/m/yyyy` → (day, month, year), numbers only.
fn parse_dmy(s: &str) -> Option<(u32, u32, i32)> {
    let mut it = s.trim().split('/');
    let (d, m, y) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() || y.len() != 4 {
        return None;
    }
    Some((d.parse().ok()?, m.parse().ok()?, y.parse().ok()?))
}

/// A solar date as YYYY-MM-DD or d/m/yyyy.
fn parse_date(s: &str) -> Result<NaiveDate, CliError> {
    let t = s.trim();
    let date = if t.contains('/') {
        parse_dmy(t).and_then(|(d, m, y)| NaiveDate::from_ymd_opt(y, m, d))
    } else {
        NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()
    };
    let date = date.ok_or_else(|| {
        CliError::usage(format!(
            "ngày không hợp lệ: {s:?} (cần YYYY-MM-DD hoặc d/m/yyyy)"
        ))
    })?;
    check_year(date.year())?;
    Ok(date)
}

fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn weekday_vi(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "Thứ Hai",
        Weekday::Tue => "Thứ Ba",
        Weekday::Wed => "Thứ Tư",
        Weekday::Thu => "Thứ Năm",
        Weekday::Fri => "Thứ Sáu",
        Weekday::Sat => "Thứ Bảy",
        Weekday::Sun => "Chủ nhật",
    }
}

#[derive(Serialize)]
struct DayJson<'a> {
    date: String,
    kind: &'static str,
    name: &'a str,
    decided_by: &'a str,
    confirmed: bool,
    source: &'a str,
    working: bool,
}

fn holidays(year: &str, json: bool) -> Result<(), CliError> {
    let year: i32 = year
        .trim()
        .parse()
        .map_err(|_| CliError::usage(format!("năm không hợp lệ: {year:?}")))?;
    check_year(year)?;
    let cal = calendar()?;
    let days = cal.days_off(year);
    if json {
        let rows: Vec<DayJson> = days.iter().map(day_json).collect();
        let text = serde_json::to_string_pretty(&rows)
            .map_err(|e| CliError::Internal(anyhow::anyhow!(e)))?;
        say!("{text}");
        return Ok(());
    }
    say!(
        "Lịch nghỉ năm {year} của cơ quan nhà nước (phiên bản {})",
        cal.version()
    );
    for d in &days {
        print_day(d);
    }
    let runs = cal.days_off_runs(year);
    if !runs.is_empty() {
        say!();
        say!("Các đợt nghỉ liên tục (kể cả cuối tuần):");
        for r in runs {
            say!(
                "  {} {} – {} {} ({} ngày)",
                weekday_vi(r.first.weekday()),
                dmy(r.first),
                weekday_vi(r.last.weekday()),
                dmy(r.last),
                r.days
            );
        }
    }
    Ok(())
}

fn day_json(d: &CalendarDay) -> DayJson<'_> {
    DayJson {
        date: d.date.format("%Y-%m-%d").to_string(),
        kind: d.kind.as_str(),
        name: &d.name,
        decided_by: &d.decided_by,
        confirmed: d.confirmed,
        source: &d.source,
        working: d.working,
    }
}

fn print_day(d: &CalendarDay) {
    let mut notes = Vec::new();
    if !d.decided {
        notes.push("đề xuất theo quy tắc, chưa có quyết định năm".to_string());
    }
    if !d.confirmed {
        notes.push("chưa xác nhận".to_string());
    }
    if d.working && d.kind.is_off() {
        notes.push("vẫn tính là ngày làm việc".to_string());
    }
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!(" [{}]", notes.join("; "))
    };
    let basis = if d.decided_by.is_empty() {
        d.source.as_str()
    } else {
        d.decided_by.as_str()
    };
    say!(
        "{:<9} {}  {:<14} {}{notes} — {basis}",
        weekday_vi(d.date.weekday()),
        dmy(d.date),
        d.kind.label_vi(),
        d.name
    );
}

fn bench(ops: &str) -> Result<(), CliError> {
    let ops: u32 = match ops.trim().parse() {
        Ok(n) if (1000..=100_000_000).contains(&n) => n,
        _ => {
            return Err(CliError::usage(format!(
                "số phép thử không hợp lệ: {ops:?} (1000–100000000)"
            )));
        }
    };
    let started = std::time::Instant::now();
    let cal = calendar()?;
    let build = started.elapsed();
    let r = speed::measure(&cal, ops, 60)
        .map_err(|e| CliError::Internal(anyhow::anyhow!("đo tốc độ: {e}")))?;
    say!(
        "Lịch 1900–2199 dựng trong {:.1} ms; ngày ngẫu nhiên 1990–2090, khoảng {} ngày, {} phép thử",
        build.as_secs_f64() * 1000.0,
        r.span_days,
        r.operations
    );
    say!(
        "cộng ngày làm việc : {:>14.0} phép/giây (vòng lặp từng ngày: {:>12.0}/giây, nhanh hơn {:.0}×)",
        r.add_per_sec,
        r.naive_add_per_sec,
        r.add_speedup()
    );
    say!(
        "đếm ngày làm việc  : {:>14.0} phép/giây (vòng lặp từng ngày: {:>12.0}/giây, nhanh hơn {:.0}×)",
        r.count_per_sec,
        r.naive_count_per_sec,
        r.count_speedup()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_both_forms() {
        let d = NaiveDate::from_ymd_opt(2026, 2, 10).unwrap();
        assert_eq!(parse_date("2026-02-10").unwrap(), d);
        assert_eq!(parse_date("10/2/2026").unwrap(), d);
        assert_eq!(parse_date(" 10/02/2026 ").unwrap(), d);
        for bad in [
            "2026-02-30",
            "10/2/26",
            "31/2/2026",
            "x",
            "",
            "1/1/2300",
            "1/1/1/2026",
        ] {
            let err = parse_date(bad).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad}");
        }
    }

    #[test]
    fn shipped_data_builds() {
        let cal = calendar().unwrap();
        let from = NaiveDate::from_ymd_opt(2026, 2, 10).unwrap();
        assert_eq!(
            cal.add_working_days(from, 5),
            Ok(NaiveDate::from_ymd_opt(2026, 2, 24).unwrap())
        );
    }
}
