//! Field-level precision/recall of the reader on a text file against its
//! hand-written expectations.
//!
//! `cargo run -p docparse --example score [TEXT EXPECTED.json]` — defaults to the seed.

use std::path::PathBuf;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let args: Vec<String> = std::env::args().skip(1).collect();
    let pairs: Vec<(PathBuf, PathBuf)> = if args.len() >= 2 {
        args.chunks(2)
            .filter(|c| c.len() == 2)
            .map(|c| (PathBuf::from(&c[0]), PathBuf::from(&c[1])))
            .collect()
    } else {
        vec![(
            root.join("../../data/seeds/nghe-an-cchc-2023-08.txt"),
            root.join("tests/fixtures/seed-expected.json"),
        )]
    };
    for (text, expected) in pairs {
        let Ok(t) = std::fs::read_to_string(&text) else {
            eprintln!("cannot read {}", text.display());
            std::process::exit(2);
        };
        let Ok(e) = std::fs::read_to_string(&expected) else {
            eprintln!("cannot read {}", expected.display());
            std::process::exit(2);
        };
        let v: serde_json::Value = match serde_json::from_str(&e) {
            Ok(v) => v,
            Err(err) => {
                eprintln!("bad JSON in {}: {err}", expected.display());
                std::process::exit(2);
            }
        };
        let docs: Vec<docparse::Document> =
            serde_json::from_value(v["documents"].clone()).unwrap_or_default();
        let got = docparse::parse(&t);
        println!(
            "== {} ({} documents expected, {} read)",
            text.display(),
            docs.len(),
            got.len()
        );
        print!(
            "{}",
            docparse::score::format_report(&docparse::score::score(&docs, &got))
        );
    }
}
