//! `cargo bench -p domain --bench calendar`: working-day arithmetic on random dates in
//! 1990–2090 with 60-day spans, prefix-sum calendar vs a naive day-by-day loop.

use criterion::{Criterion, criterion_group, criterion_main};
use domain::calendar::Calendar;
use domain::calendar::speed::{NaiveCalendar, random_dates};
use std::hint::black_box;

const RULES: &str = include_str!("../../../data/calendar/vn-holiday-rules.toml");
const ENTRIES: &str = include_str!("../../../data/calendar/vn-civil-service-days-off.csv");
const SPAN: u32 = 60;

fn calendar(c: &mut Criterion) {
    let cal = match Calendar::from_sources(RULES, ENTRIES) {
        Ok(cal) => cal,
        Err(e) => panic!("calendar data: {e}"),
    };
    let naive = NaiveCalendar::new(&cal);
    let dates = random_dates(1024, 42);
    let ends: Vec<_> = dates
        .iter()
        .map(|d| *d + chrono::Days::new(u64::from(SPAN)))
        .collect();

    let mut g = c.benchmark_group("calendar");
    g.bench_function("add_60_working_days", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) & 1023;
            black_box(cal.add_working_days(black_box(dates[i]), SPAN))
        })
    });
    g.bench_function("count_60_days", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) & 1023;
            black_box(cal.count_working_days(black_box(dates[i]), black_box(ends[i])))
        })
    });
    g.bench_function("naive_add_60_working_days", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) & 1023;
            black_box(naive.add_working_days(black_box(dates[i]), SPAN))
        })
    });
    g.bench_function("naive_count_60_days", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) & 1023;
            black_box(naive.count_working_days(black_box(dates[i]), black_box(ends[i])))
        })
    });
    g.finish();
    c.bench_function("calendar_build_1900_2199", |b| {
        b.iter(|| black_box(Calendar::from_sources(RULES, ENTRIES)))
    });
}

criterion_group!(benches, calendar);
criterion_main!(benches);
