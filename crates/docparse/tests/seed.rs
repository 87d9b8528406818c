//! The reader on the seed bundle, against expectations written by hand from the
//! text (tests/fixtures/seed-expected.json).

use docparse::score::{Report, format_report, score};
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn seed() -> String {
    let p = root().join("../../data/seeds/nghe-an-cchc-2023-08.txt");
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("seed at {}: {e}", p.display()))
}

fn expected(name: &str) -> Vec<docparse::Document> {
    let p = root().join("tests/fixtures").join(name);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let v: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::from_value(v["documents"].clone()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn assert_floor(r: &Report, field: &str, floor: f64) {
    let c = r[field];
    assert!(
        c.precision() >= floor && c.recall() >= floor,
        "{field}: precision {:.3} recall {:.3} below {floor}\n{}",
        c.precision(),
        c.recall(),
        format_report(r)
    );
}

#[test]
fn seed_documents_are_found_in_order() {
    let docs = docparse::parse(&seed());
    let numbers: Vec<_> = docs
        .iter()
        .map(|d| d.number.clone().unwrap_or_default())
        .collect();
    assert_eq!(
        numbers,
        [
            "6794/UBND-KSTT",
            "304/TB-VPCP",
            "03-TB/BCĐ",
            "5768/UBND-KSTT",
            "6219/UBND-KSTT",
            "574/KH-UBND",
            "6486/UBND-KSTT"
        ]
    );
}

#[test]
fn seed_metadata_is_exact_and_tasks_reach_their_floor() {
    let r = score(&expected("seed-expected.json"), &docparse::parse(&seed()));
    println!("{}", format_report(&r));
    for f in [
        "number",
        "type",
        "issuer",
        "place",
        "date",
        "subject",
        "signer",
        "recipients",
        "cited_documents",
    ] {
        assert_floor(&r, f, 1.0);
    }
    assert_floor(&r, "task.content", 0.98);
    assert_floor(&r, "task.lead", 0.95);
    assert_floor(&r, "task.support", 0.95);
    assert_floor(&r, "task.deadline", 1.0);
    assert_floor(&r, "task.recurrence", 1.0);
}

#[test]
fn seed_details_a_person_would_check() {
    let docs = docparse::parse(&seed());
    let d6486 = &docs[6];
    let closing = d6486.tasks.last().expect("closing task");
    assert_eq!(closing.recurrence.as_deref(), Some("monthly:18"));
    assert_eq!(closing.deadline, None);
    let plan = &docs[5];
    let row34 = plan
        .tasks
        .iter()
        .find(|t| t.source.as_deref() == Some("Phụ lục, mục 3.4"))
        .expect("row 3.4");
    assert!(
        row34
            .lead
            .iter()
            .any(|l| l == "Bộ phận Tiếp nhận và Trả kết quả các cấp"),
        "{:?}",
        row34.lead
    );
    let d304 = &docs[1];
    let cond = d304
        .tasks
        .iter()
        .find(|t| {
            t.deadline_text
                .as_deref()
                .is_some_and(|x| x.starts_with("sau khi"))
        })
        .expect("condition");
    assert_eq!(cond.deadline, None);
    assert!(d304.cited_documents.contains(&"644/CĐ-TTg".to_string()));
    assert!(
        docs.iter().all(|d| d
            .tasks
            .iter()
            .all(|t| t.deadline.as_deref() != Some("2023-07-15"))),
        "footnote date read as deadline"
    );
}
