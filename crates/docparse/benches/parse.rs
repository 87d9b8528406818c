//! Throughput of the reader over ≥ 10 MB of real documents (the seed repeated).
//! Target: ≥ 5 MB/s on one core.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn corpus() -> String {
    let p = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/seeds/nghe-an-cchc-2023-08.txt");
    let seed = std::fs::read_to_string(p).unwrap_or_else(|_| "Số: 1/UBND\n".repeat(1000));
    let mut s = String::with_capacity(11 << 20);
    while s.len() < 10 << 20 {
        s.push_str(&seed);
        s.push('\n');
    }
    s
}

fn bench(c: &mut Criterion) {
    let text = corpus();
    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(10);
    g.bench_function("seed x 10 MB", |b| {
        b.iter(|| docparse::parse(black_box(&text)).len())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
