//! The corpus of real directives (tests/fixtures/corpus, see its README): every case read
//! and scored. Shared by `tests/corpus.rs` and `examples/corpus.rs`.

use docparse::Document;
use docparse::score::{Report, Summary, score, summarize};
use std::path::{Path, PathBuf};

pub struct Case {
    pub name: String,
    pub expected: Vec<Document>,
    pub got: Vec<Document>,
    pub report: Report,
    pub summary: Summary,
}

/// The corpus folder: `CORPUS_DIR` when set (a checkout's fixtures read by another's
/// binary), else this crate's own.
pub fn dir() -> PathBuf {
    match std::env::var_os("CORPUS_DIR") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus"),
    }
}

fn expected(p: &Path) -> Vec<Document> {
    let text = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let v: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_value(v["documents"].clone())
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Every case with both its text and its expectations, by name.
pub fn cases() -> Vec<Case> {
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .expect("corpus folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".json").map(str::to_string))
        .filter(|n| dir().join(format!("{n}.txt")).exists())
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let text = std::fs::read_to_string(dir().join(format!("{name}.txt")))
                .unwrap_or_else(|e| panic!("{name}.txt: {e}"));
            let expected = expected(&dir().join(format!("{name}.json")));
            let got = docparse::parse(&text);
            Case {
                report: score(&expected, &got),
                summary: summarize(&expected, &got),
                name,
                expected,
                got,
            }
        })
        .collect()
}

/// The field report and summary over all cases.
pub fn total(cases: &[Case]) -> (Report, Summary) {
    let mut r = Report::new();
    let mut s = Summary::default();
    for c in cases {
        for (f, n) in &c.report {
            let t = r.entry(f).or_default();
            t.tp += n.tp;
            t.fp += n.fp;
            t.fn_ += n.fn_;
        }
        s.add(&c.summary);
    }
    (r, s)
}
