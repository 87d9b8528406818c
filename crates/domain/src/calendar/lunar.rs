//! Âm lịch — the Vietnamese lunisolar calendar.
//!
//! Hồ Ngọc Đức, "Thuật toán tính âm lịch" / "Computing the Vietnamese lunar calendar"
//! (informatik.uni-leipzig.de/~duc/amlich/calrules_en.html), after Jean Meeus,
//! "Astronomical Algorithms" (1998): new moons by Meeus ch. 49 (truncated series), sun
//! longitude by Meeus ch. 25 (low precision). The rules:
//! 1. civil days are counted at UTC+7 (Vietnam has used GMT+7 officially since 1967);
//! 2. the day containing the new moon is day 1 of a lunar month;
//! 3. month 11 contains the winter solstice;
//! 4. in a 13-month year the leap month is the first month after month 11 that contains
//!    no major solar term (no change of 30° sector of the sun's longitude).
//!
//! All arithmetic is f64 (the published Rust port `ramlich` uses an f32 π, which shifts a
//! few new moons near midnight). Valid for 1900–2199 at least.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

/// Vietnam's time zone, hours east of UTC (Hồ Ngọc Đức, rule 1).
pub const VIETNAM_TIME_ZONE: f64 = 7.0;

/// Mean synodic month in days (Meeus ch. 49).
const SYNODIC_MONTH: f64 = 29.530588853;
/// Julian day of the new moon of 1900-01-01 13:52 UTC, Meeus' k = 0.
const NEW_MOON_EPOCH: f64 = 2415021.076998695;

/// A date of the lunar calendar: day 1–30, month 1–12, `leap` for the intercalary month
/// (tháng nhuận), and the lunar year numbered like the Gregorian year it mostly overlaps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LunarDate {
    pub day: u32,
    pub month: u32,
    pub year: i32,
    pub leap: bool,
}

impl LunarDate {
    /// The can-chi (sexagenary) name of the lunar year, e.g. 2026 → "Bính Ngọ".
    pub fn year_can_chi(&self) -> String {
        year_can_chi(self.year)
    }
}

impl std::fmt::Display for LunarDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.day, self.month)?;
        if self.leap {
            write!(f, " (nhuận)")?;
        }
        write!(f, "/{}", self.year)
    }
}

const CAN: [&str; 10] = [
    "Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý",
];
const CHI: [&str; 12] = [
    "Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi",
];

/// Can-chi of a lunar year: stem (year + 6) mod 10, branch (year + 8) mod 12.
pub fn year_can_chi(year: i32) -> String {
    let can = CAN[(year + 6).rem_euclid(10) as usize];
    let chi = CHI[(year + 8).rem_euclid(12) as usize];
    format!("{can} {chi}")
}

/// Julian day number of a Gregorian date.
fn jd_from_date(date: NaiveDate) -> i64 {
    // 1970-01-01 is JDN 2440588.
    i64::from(date.num_days_from_ce()) - 719_163 + 2_440_588
}

fn date_from_jd(jd: i64) -> Option<NaiveDate> {
    let days_from_ce = jd - 2_440_588 + 719_163;
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(days_from_ce).ok()?)
}

/// Julian day (fractional, UT) of the k-th new moon after 1900-01-01 (Meeus ch. 49,
/// the terms kept by Hồ Ngọc Đức).
fn new_moon(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let dr = PI / 180.0;
    let mut jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
    jd1 += 0.00033 * ((166.56 + 132.87 * t - 0.009173 * t2) * dr).sin();
    let m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;
    let mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;
    let f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;
    let s = |deg: f64| (deg * dr).sin();
    let c1 = (0.1734 - 0.000393 * t) * s(m) + 0.0021 * s(2.0 * m) - 0.4068 * s(mpr)
        + 0.0161 * s(2.0 * mpr)
        - 0.0004 * s(3.0 * mpr)
        + 0.0104 * s(2.0 * f)
        - 0.0051 * s(m + mpr)
        - 0.0074 * s(m - mpr)
        + 0.0004 * s(2.0 * f + m)
        - 0.0004 * s(2.0 * f - m)
        - 0.0006 * s(2.0 * f + mpr)
        + 0.0010 * s(2.0 * f - mpr)
        + 0.0005 * s(2.0 * mpr + m);
    // ΔT, the difference between dynamical and universal time, in days.
    let delta_t = if t < -11.0 {
        0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    } else {
        -0.000278 + 0.000265 * t + 0.000262 * t2
    };
    jd1 + c1 - delta_t
}

/// Apparent longitude of the sun in radians, 0..2π, at Julian day `jdn` (Meeus ch. 25).
fn sun_longitude(jdn: f64) -> f64 {
    let t = (jdn - 2451545.0) / 36525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
    let l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
    let mut dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * (dr * m).sin();
    dl += (0.019993 - 0.000101 * t) * (dr * 2.0 * m).sin() + 0.000290 * (dr * 3.0 * m).sin();
    let l = (l0 + dl) * dr;
    l - 2.0 * PI * (l / (2.0 * PI)).floor()
}

/// The local civil day (as a Julian day number) containing the k-th new moon.
fn new_moon_day(k: i64, tz: f64) -> i64 {
    (new_moon(k) + 0.5 + tz / 24.0).floor() as i64
}

/// The 30° sector (0–11) of the sun's longitude at the start of local day `day_number`.
fn sun_sector(day_number: i64, tz: f64) -> i64 {
    (sun_longitude(day_number as f64 - 0.5 - tz / 24.0) / PI * 6.0).floor() as i64
}

/// First day of lunar month 11 of the lunar year that ends in Gregorian year `year`
/// (the month containing the December solstice).
fn lunar_month_11(year: i32, tz: f64) -> i64 {
    let Some(dec31) = NaiveDate::from_ymd_opt(year, 12, 31) else {
        return 0;
    };
    let off = jd_from_date(dec31) as f64 - 2415021.0;
    let k = (off / SYNODIC_MONTH).floor() as i64;
    let nm = new_moon_day(k, tz);
    if sun_sector(nm, tz) >= 9 {
        new_moon_day(k - 1, tz)
    } else {
        nm
    }
}

/// Index (1-based, counted from month 11) of the leap month in the 13-month year starting
/// at `a11`: the first month without a major solar term (rule 4).
fn leap_month_offset(a11: i64, tz: f64) -> i64 {
    let k = ((a11 as f64 - NEW_MOON_EPOCH) / SYNODIC_MONTH + 0.5).floor() as i64;
    let mut i = 1;
    let mut arc = sun_sector(new_moon_day(k + i, tz), tz);
    loop {
        let last = arc;
        i += 1;
        arc = sun_sector(new_moon_day(k + i, tz), tz);
        if arc == last || i >= 14 {
            break;
        }
    }
    i - 1
}

/// Solar → lunar at time zone `tz` (hours east of UTC).
pub fn solar_to_lunar_tz(date: NaiveDate, tz: f64) -> LunarDate {
    let day_number = jd_from_date(date);
    // The mean-month estimate of k can be one lunation late when a new moon falls just
    // after midnight local time (2054-05-07 came out as "day 0"): step back until the
    // month starts on or before the day, and forward while the next one does too.
    let mut k = ((day_number as f64 - NEW_MOON_EPOCH) / SYNODIC_MONTH).floor() as i64 + 1;
    while new_moon_day(k, tz) > day_number {
        k -= 1;
    }
    while new_moon_day(k + 1, tz) <= day_number {
        k += 1;
    }
    let month_start = new_moon_day(k, tz);
    let yy = date.year();
    let mut a11 = lunar_month_11(yy, tz);
    let mut b11 = a11;
    let mut lunar_year;
    if a11 >= month_start {
        lunar_year = yy;
        a11 = lunar_month_11(yy - 1, tz);
    } else {
        lunar_year = yy + 1;
        b11 = lunar_month_11(yy + 1, tz);
    }
    let day = day_number - month_start + 1;
    let diff = (month_start - a11) / 29;
    let mut leap = false;
    let mut month = diff + 11;
    if b11 - a11 > 365 {
        let leap_diff = leap_month_offset(a11, tz);
        if diff >= leap_diff {
            month = diff + 10;
            if diff == leap_diff {
                leap = true;
            }
        }
    }
    if month > 12 {
        month -= 12;
    }
    if month >= 11 && diff < 4 {
        lunar_year -= 1;
    }
    LunarDate {
        day: day as u32,
        month: month as u32,
        year: lunar_year,
        leap,
    }
}

/// Lunar → solar at time zone `tz`. `None` when the date does not exist (a leap flag on a
/// month that is not leap that year, day 30 of a 29-day month, month out of 1–12).
pub fn lunar_to_solar_tz(lunar: LunarDate, tz: f64) -> Option<NaiveDate> {
    if !(1..=12).contains(&lunar.month) || !(1..=30).contains(&lunar.day) {
        return None;
    }
    let (a11, b11) = if lunar.month < 11 {
        (
            lunar_month_11(lunar.year - 1, tz),
            lunar_month_11(lunar.year, tz),
        )
    } else {
        (
            lunar_month_11(lunar.year, tz),
            lunar_month_11(lunar.year + 1, tz),
        )
    };
    let k = (0.5 + (a11 as f64 - NEW_MOON_EPOCH) / SYNODIC_MONTH).floor() as i64;
    let mut off = i64::from(lunar.month) - 11;
    if off < 0 {
        off += 12;
    }
    if b11 - a11 > 365 {
        let leap_off = leap_month_offset(a11, tz);
        let mut leap_month = leap_off - 2;
        if leap_month < 0 {
            leap_month += 12;
        }
        if lunar.leap && i64::from(lunar.month) != leap_month {
            return None;
        } else if lunar.leap || off >= leap_off {
            off += 1;
        }
    } else if lunar.leap {
        return None;
    }
    let month_start = new_moon_day(k + off, tz);
    let date = date_from_jd(month_start + i64::from(lunar.day) - 1)?;
    // Day 30 of a 29-day month spills into the next month: reject it.
    if solar_to_lunar_tz(date, tz) != lunar {
        return None;
    }
    Some(date)
}

/// Solar → lunar in Vietnam (UTC+7).
pub fn solar_to_lunar(date: NaiveDate) -> LunarDate {
    solar_to_lunar_tz(date, VIETNAM_TIME_ZONE)
}

/// Lunar → solar in Vietnam (UTC+7); `None` when the lunar date does not exist.
pub fn lunar_to_solar(lunar: LunarDate) -> Option<NaiveDate> {
    lunar_to_solar_tz(lunar, VIETNAM_TIME_ZONE)
}

/// Tết Nguyên đán of lunar year `year`: the solar date of 1/1.
pub fn tet(year: i32) -> Option<NaiveDate> {
    lunar_to_solar(LunarDate {
        day: 1,
        month: 1,
        year,
        leap: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn lunar(day: u32, month: u32, year: i32) -> LunarDate {
        LunarDate {
            day,
            month,
            year,
            leap: false,
        }
    }

    /// Tết and Giỗ Tổ (10/3 lunar) as published in vacanza/holidays
    /// (holidays/calendars/chinese.py: LUNAR_NEW_YEAR_DATES and HUNG_KINGS_DATES with the
    /// VIETNAMESE_CALENDAR_* overrides), and domain.md §4 for the seed-era and
    /// Vietnam ≠ China years. Values copied from those lists, not from this code.
    const TET: &[(i32, u32, u32)] = &[
        (1901, 2, 19),
        (1903, 1, 28),
        (1910, 2, 10),
        (1916, 2, 3),
        (1920, 2, 20),
        (1929, 2, 10),
        (1935, 2, 3),
        (1940, 2, 8),
        (1945, 2, 13),
        (1954, 2, 3),
        (1960, 1, 28),
        (1965, 2, 1),
        (1968, 1, 29),
        (1969, 2, 16),
        (1975, 2, 11),
        (1979, 1, 28),
        (1985, 1, 21),
        (1990, 1, 27),
        (1996, 2, 19),
        (2000, 2, 5),
        (2004, 1, 22),
        (2007, 2, 17),
        (2012, 1, 23),
        (2017, 1, 28),
        (2020, 1, 25),
        (2021, 2, 12),
        (2023, 1, 22),
        (2024, 2, 10),
        (2025, 1, 29),
        (2026, 2, 17),
        (2027, 2, 6),
        (2030, 2, 2),
        (2033, 1, 31),
        (2038, 2, 4),
        (2045, 2, 17),
        (2053, 2, 18),
        (2061, 1, 21),
        (2070, 2, 11),
        (2081, 2, 9),
        (2088, 1, 24),
        (2099, 1, 21),
        (2100, 2, 9),
    ];

    const GIO_TO: &[(i32, u32, u32)] = &[
        (1901, 4, 28),
        (1916, 4, 11),
        (1917, 4, 1),
        (1939, 4, 28),
        (1966, 3, 31),
        (1975, 4, 20),
        (1985, 4, 29),
        (2007, 4, 26),
        (2009, 4, 4),
        (2012, 3, 31),
        (2019, 4, 14),
        (2020, 4, 2),
        (2023, 4, 29),
        (2024, 4, 18),
        (2025, 4, 7),
        (2026, 4, 26),
        (2037, 4, 24),
        (2038, 4, 13),
        (2050, 4, 1),
        (2080, 3, 30),
        (2085, 4, 3),
        (2086, 4, 22),
        (2095, 4, 13),
        (2100, 4, 18),
    ];

    #[test]
    fn tet_matches_published_dates() {
        for &(y, m, day) in TET {
            assert_eq!(tet(y), Some(d(y, m, day)), "Tết {y}");
        }
    }

    #[test]
    fn gio_to_matches_published_dates() {
        for &(y, m, day) in GIO_TO {
            assert_eq!(
                lunar_to_solar(lunar(10, 3, y)),
                Some(d(y, m, day)),
                "Giỗ Tổ {y}"
            );
        }
    }

    #[test]
    fn china_time_zone_gives_the_chinese_dates() {
        // Same algorithm at UTC+8 reproduces the Chinese Tết of the years that differ.
        let china = |y| lunar_to_solar_tz(lunar(1, 1, y), 8.0);
        assert_eq!(china(1968), Some(d(1968, 1, 30)));
        assert_eq!(china(1985), Some(d(1985, 2, 20)));
        assert_eq!(china(2007), Some(d(2007, 2, 18)));
        assert_eq!(china(2053), Some(d(2053, 2, 19)));
    }

    #[test]
    fn can_chi_of_known_years() {
        assert_eq!(year_can_chi(2026), "Bính Ngọ");
        assert_eq!(year_can_chi(2023), "Quý Mão");
        assert_eq!(year_can_chi(1984), "Giáp Tý");
        assert_eq!(year_can_chi(2025), "Ất Tỵ");
    }

    #[test]
    fn leap_months_exist_only_where_they_are() {
        // 2023 had a leap 2nd month (tháng 2 nhuận, 22/3/2023); 2025 a leap 6th month.
        let leap = |day, month, year| LunarDate {
            day,
            month,
            year,
            leap: true,
        };
        assert_eq!(lunar_to_solar(leap(1, 2, 2023)), Some(d(2023, 3, 22)));
        assert_eq!(lunar_to_solar(leap(1, 6, 2025)), Some(d(2025, 7, 25)));
        assert_eq!(lunar_to_solar(leap(1, 3, 2023)), None);
        assert_eq!(lunar_to_solar(leap(1, 2, 2024)), None);
        assert_eq!(solar_to_lunar(d(2023, 3, 22)), leap(1, 2, 2023));
    }

    #[test]
    fn last_day_of_year_and_day_30() {
        // 16/2/2026 is the last day of Ất Tỵ: 29 Chạp (month 12 has 29 days).
        assert_eq!(solar_to_lunar(d(2026, 2, 16)), lunar(29, 12, 2025));
        assert_eq!(lunar_to_solar(lunar(30, 12, 2025)), None);
        assert_eq!(solar_to_lunar(d(2026, 2, 14)), lunar(27, 12, 2025));
    }
}
