//! The clock against hand-computed cases (`data/dossier/deadline-cases.csv`) and its rules.

use super::*;
use crate::dossier::deadline::tests::cal;
use chrono::NaiveDateTime;

const CASES: &str = include_str!("../../../../data/dossier/deadline-cases.csv");

fn instant(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap_or_else(|_| panic!("bad instant {s}"))
}

fn pauses(s: &str) -> Vec<Pause> {
    s.split(';')
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let (a, b) = p.split_once('/').expect("start/end");
            Pause {
                start: instant(a),
                end: (!b.is_empty()).then(|| instant(b)),
            }
        })
        .collect()
}

#[test]
fn hand_computed_cases() {
    let mut r = csv::Reader::from_reader(CASES.as_bytes());
    let mut n = 0;
    for row in r.records() {
        let row = row.unwrap();
        let (text, received, channel) = (&row[0], instant(&row[1]), &row[2]);
        let limit = Limit::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let channel = Channel::parse(channel).unwrap();
        let rules = clock_on(received.date());
        let k = reckon(&limit, received, channel, cal(), rules).unwrap();
        let ctx = format!("{text} @ {received} ({})", &row[6]);
        assert_eq!(
            k.counted_from.date().format("%Y-%m-%d").to_string(),
            &row[4],
            "counted_from: {ctx}"
        );
        let due =
            appointment_after_pauses(&limit, received, channel, &pauses(&row[3]), cal(), rules)
                .unwrap()
                .map(|d| d.format("%Y-%m-%dT%H:%M").to_string())
                .unwrap_or_default();
        assert_eq!(due, &row[5], "appointment: {ctx}");
        if row[3].is_empty() {
            assert_eq!(
                k.appointment
                    .map(|d| d.format("%Y-%m-%dT%H:%M").to_string())
                    .unwrap_or_default(),
                &row[5],
                "reckoning: {ctx}"
            );
        }
        n += 1;
    }
    assert!(n >= 40, "at least 40 hand-computed cases, found {n}");
}

#[test]
fn the_clock_file_reads_and_switches_on_1_july_2025() {
    let all = parse_clocks(CLOCK_TOML).unwrap();
    assert_eq!(all.len(), 2);
    let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
    assert_eq!(clock_on(d(2025, 6, 30)).regime, "nd61");
    assert_eq!(clock_on(d(2025, 7, 1)).regime, "nd118");
    assert_eq!(clock_on(d(2025, 6, 30)).supplement, SupplementRule::Exclude);
    assert_eq!(clock_on(d(2025, 7, 1)).supplement, SupplementRule::Restart);
    // The regimes of the clock are those of the one-stop shop.
    for c in all {
        assert_eq!(crate::time::regime_start(&c.regime), Some(c.valid_from));
        assert!(
            !c.fee_pause,
            "no general source lets a fee wait stop the clock"
        );
    }
}

#[test]
fn every_rule_applied_names_its_basis() {
    let received = NaiveDate::from_ymd_opt(2025, 8, 29)
        .unwrap()
        .and_hms_opt(15, 30, 0)
        .unwrap();
    for text in [
        "03 ngày làm việc",
        "08 giờ",
        "Trong ngày",
        "Ngay trong ngày; tiếp nhận sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo",
        "30 ngày",
        "Không quy định",
    ] {
        let limit = Limit::parse(text).unwrap();
        let k = reckon(
            &limit,
            received,
            Channel::Desk,
            cal(),
            clock_on(received.date()),
        )
        .unwrap();
        assert!(!k.rules.is_empty());
        for r in &k.rules {
            assert!(!r.basis.is_empty() && !r.text.is_empty(), "{text}: {r:?}");
            assert!(["confirmed", "inferred", "decision"].contains(&r.status.as_str()));
        }
    }
}

#[test]
fn unreadable_limits_are_refused_in_vietnamese() {
    for text in ["", "Tùy theo đợt", "Theo hướng dẫn của Bộ"] {
        let e = Limit::parse(text).unwrap_err();
        assert!(e.contains("thời hạn"), "{text}: {e}");
    }
}

/// Every catalog procedure gets an appointment unless its published limit is missing,
/// "Không quy định" or not a time limit at all; the list is printed for the catalog report
/// (`cargo test -p domain catalog_appointments -- --nocapture`).
#[test]
fn catalog_appointments() {
    const CATALOG: &str = include_str!("../../../../data/procedures/procedures.csv");
    let mut r = csv::Reader::from_reader(CATALOG.as_bytes());
    let received = NaiveDate::from_ymd_opt(2026, 3, 2)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    let (mut with, mut without) = (0, Vec::new());
    let mut by_kind = std::collections::BTreeMap::<&str, usize>::new();
    for row in r.records() {
        let row = row.unwrap();
        let (code, name, text) = (&row[0], &row[1], &row[5]);
        match Limit::parse(text) {
            Ok(limit) => {
                let k = reckon(
                    &limit,
                    received,
                    Channel::Desk,
                    cal(),
                    clock_on(received.date()),
                )
                .unwrap();
                *by_kind.entry(limit.kind.code()).or_default() += 1;
                if k.appointment.is_some() {
                    with += 1;
                } else {
                    without.push(format!("{code} {name}: không quy định thời hạn"));
                }
            }
            Err(e) => without.push(format!("{code} {name}: «{text}» — {e}")),
        }
    }
    println!("{with} thủ tục có ngày hẹn trả; theo loại: {by_kind:?}");
    println!("{} thủ tục không có ngày hẹn trả:", without.len());
    for w in &without {
        println!("  {w}");
    }
    // 239 working-day, 84 calendar-day, 3 hour and 3 same-day limits.
    assert_eq!(with, 329);
}

#[test]
fn an_apology_is_sent_a_day_before_the_due_date_and_once() {
    let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
    let rules = clock_on(d(2025, 10, 6));
    let due = d(2025, 10, 9).and_hms_opt(17, 30, 0).unwrap();
    assert_eq!(apology_refusal(rules, due, d(2025, 10, 7), 0), None);
    assert_eq!(apology_refusal(rules, due, d(2025, 10, 8), 0), None);
    let late = apology_refusal(rules, due, d(2025, 10, 9), 0).unwrap();
    assert!(late.contains("08/10/2025"), "{late}");
    let twice = apology_refusal(rules, due, d(2025, 10, 7), 1).unwrap();
    assert!(twice.contains("không quá 1 lần"), "{twice}");
}

#[test]
fn apology_cases() {
    const APOLOGY: &str = include_str!("../../../../data/dossier/apology-cases.csv");
    let mut r = csv::Reader::from_reader(APOLOGY.as_bytes());
    let mut n = 0;
    for row in r.records() {
        let row = row.unwrap();
        let received = instant(&row[0]);
        let due = instant(&row[1]);
        let sent = NaiveDate::parse_from_str(&row[2], "%Y-%m-%d").unwrap();
        let done: u32 = row[3].parse().unwrap();
        let got = apology_refusal(clock_on(received.date()), due, sent, done);
        let want = &row[4];
        match (want, &got) {
            ("allowed", None) => {}
            ("late", Some(m)) => assert!(m.contains("chậm nhất"), "{m}"),
            ("once", Some(m)) => assert!(m.contains("không quá"), "{m}"),
            _ => panic!("{} {}: expected {want}, got {got:?}", &row[0], &row[2]),
        }
        n += 1;
    }
    assert!(n >= 8);
}
