//! Reading speed on one core: the corpus texts concatenated to about 10 MB, read whole.
//!
//! `cargo run -p docparse --release --example speed [MB]`
//!
//! Besides the wall-clock figure it prints the process's CPU time for the read (Linux,
//! from /proc): on a shared, busy machine the wall clock counts the time other work
//! held the core, the CPU time does not.
use std::time::Instant;

/// User + system CPU time of this process in seconds, from /proc/self/stat (fields 14
/// and 15, in clock ticks of 1/100 s on Linux).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn main() {
    let mb: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10);
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    let texts: Vec<String> = names
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let mut all = String::new();
    while all.len() < mb * 1024 * 1024 {
        for t in &texts {
            all.push_str(t);
            all.push_str("\n\n");
        }
    }
    let c0 = cpu_seconds();
    let t0 = Instant::now();
    let docs = docparse::parse(&all);
    let s = t0.elapsed().as_secs_f64();
    let cpu = c0.zip(cpu_seconds()).map(|(a, b)| b - a);
    let tasks: usize = docs.iter().map(|d| d.tasks.len()).sum();
    println!(
        "{:.1} MB in {:.2} s: {:.2} MB/s ({} documents, {} tasks)",
        all.len() as f64 / 1048576.0,
        s,
        all.len() as f64 / 1048576.0 / s,
        docs.len(),
        tasks
    );
    if let Some(c) = cpu.filter(|c| *c > 0.0) {
        println!(
            "CPU {:.2} s: {:.2} MB/s on one core",
            c,
            all.len() as f64 / 1048576.0 / c
        );
    }
}
