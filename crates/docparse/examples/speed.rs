//! Reading speed on one core: the corpus texts concatenated to about 10 MB, read whole.
//!
//! `cargo run -p docparse --release --example speed [MB]`
use std::time::Instant;

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
    let t0 = Instant::now();
    let docs = docparse::parse(&all);
    let s = t0.elapsed().as_secs_f64();
    let tasks: usize = docs.iter().map(|d| d.tasks.len()).sum();
    println!(
        "{:.1} MB in {:.2} s: {:.2} MB/s ({} documents, {} tasks)",
        all.len() as f64 / 1048576.0,
        s,
        all.len() as f64 / 1048576.0 / s,
        docs.len(),
        tasks
    );
}
