//! Documents the reader was not developed on (other provinces and years), with
//! hand-written expectations; see tests/fixtures/unseen/SOURCES.md.

use docparse::score::{format_report, score};
use std::path::PathBuf;

const NAMES: &[&str] = &[
    "tuyen-quang-87-kh-ubnd-2013",
    "binh-duong-4851-kh-ubnd-2018",
    "ha-tinh-cchc-2023-06",
];

#[test]
fn unseen_documents_keep_their_numbers_dates_and_citations() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for name in NAMES {
        let text =
            std::fs::read_to_string(root.join(format!("unseen/{name}.txt"))).expect("fixture");
        let json = std::fs::read_to_string(root.join(format!("unseen-expected/{name}.json")))
            .expect("expected");
        let v: serde_json::Value = serde_json::from_str(&json).expect("json");
        let expected: Vec<docparse::Document> =
            serde_json::from_value(v["documents"].clone()).expect("documents");
        let got = docparse::parse(&text);
        assert_eq!(got.len(), expected.len(), "{name}: one document");
        let r = score(&expected, &got);
        for f in [
            "number",
            "type",
            "place",
            "date",
            "cited_documents",
            "task.content",
        ] {
            let c = r[f];
            assert!(
                c.precision() == 1.0 && c.recall() == 1.0,
                "{name} {f}\n{}",
                format_report(&r)
            );
        }
    }
}
