//! Regression test on the corpus of real directives (tests/fixtures/corpus: 171 public
//! documents of eight kinds, as copied from legal web sites, PDF text layers, OCR output
//! and transcriptions, with expectations written by hand before the reader ran; sources
//! and the fields each case leaves open in SOURCES-*.md).
//!
//! The floors are the figures of the last accepted change less about one point: a change
//! that makes the reader worse on real documents fails here. Raise them as it improves
//! (`cargo run -p docparse --release --example corpus` prints the figures).

#[path = "corpus_cases.rs"]
mod corpus_cases;

use docparse::score::format_report;

/// Issue 25's measures over the whole corpus, in percent: metadata fields right, tasks
/// found (recall) and proposed rightly (precision), and of the tasks found those with the
/// right lead, deadline and recurrence.
const FLOORS: [(&str, f64); 6] = [
    ("metadata", 95.5),
    ("tasks found", 93.0),
    ("precision", 94.8),
    ("lead", 89.6),
    ("deadline", 95.8),
    ("recurrence", 95.5),
];

#[test]
fn the_reader_keeps_its_figures_on_real_directives() {
    let cases = corpus_cases::cases();
    assert!(cases.len() >= 40, "the corpus holds {} cases", cases.len());
    let (report, s) = corpus_cases::total(&cases);
    let got = [
        s.metadata(),
        s.task_recall(),
        s.task_precision(),
        s.lead(),
        s.deadline(),
        s.recurrence(),
    ];
    for ((name, floor), value) in FLOORS.iter().zip(got) {
        assert!(
            value >= *floor,
            "{name} {value:.1}% below its floor {floor}%\n{s}\n{}",
            format_report(&report)
        );
    }
}

/// Every case reads without a panic and yields at least one document.
#[test]
fn every_case_is_read() {
    for c in corpus_cases::cases() {
        assert!(
            !c.got.is_empty(),
            "{}: nothing read, {} documents expected",
            c.name,
            c.expected.len()
        );
    }
}

/// A text pasted in a browser's text box or saved on Windows ends its lines with "\r\n":
/// it reads exactly as with "\n".
#[test]
fn windows_line_ends_read_the_same() {
    for c in corpus_cases::cases().iter().step_by(7) {
        let text = std::fs::read_to_string(corpus_cases::dir().join(format!("{}.txt", c.name)))
            .expect("text");
        let crlf = text.replace('\n', "\r\n");
        assert_eq!(docparse::parse(&crlf), c.got, "{}", c.name);
    }
}
