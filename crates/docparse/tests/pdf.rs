//! The reader on PDFs as word processors and browsers print them: every glyph placed on
//! its own, justified lines, bold runs inside sentences, header and signature tables,
//! an appendix table whose rows run over page breaks. The fixtures are the seed printed
//! by headless Chromium (`scripts/pdf-fixtures.py`); the text of each must read as the
//! seed's text does.

use docparse::Document;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn pdf(name: &str) -> (String, Vec<Document>) {
    let p = root().join("tests/fixtures/pdf").join(name);
    let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let text = docparse::read_file(&bytes, name).unwrap_or_else(|e| panic!("{name}: {e}"));
    let docs = docparse::parse(&text);
    (text, docs)
}

fn seed() -> Vec<Document> {
    let p = root().join("../../data/seeds/nghe-an-cchc-2023-08.txt");
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    docparse::parse(&text)
}

#[test]
fn glyphs_placed_one_by_one_read_as_words() {
    let (text, _) = pdf("seed-letter.pdf");
    assert!(
        text.contains("Thực hiện Thông báo số 304/TB-VPCP ngày 02/8/2023 của Văn"),
        "{text}"
    );
    assert!(text.contains("Số: 6794/UBND-KSTT"), "{text}");
    assert!(!text.contains("T h"), "letters spaced apart:\n{text}");
}

#[test]
fn a_printed_letter_reads_as_its_text() {
    let (_, docs) = pdf("seed-letter.pdf");
    let want = &seed()[0];
    assert_eq!(docs.len(), 1, "{docs:#?}");
    let got = &docs[0];
    assert_eq!(got.number, want.number);
    assert_eq!(got.doc_type, want.doc_type);
    assert_eq!(got.place, want.place);
    assert_eq!(got.date, want.date);
    assert_eq!(got.subject, want.subject);
    assert_eq!(got.signer, want.signer);
    assert_eq!(got.recipients, want.recipients);
    assert_eq!(got.cited_documents, want.cited_documents);
    assert!(
        got.issuer
            .as_deref()
            .is_some_and(|i| i.starts_with("Ủy ban nhân dân tỉnh Nghệ An")),
        "{:?}",
        got.issuer
    );
    assert_eq!(got.tasks.len(), want.tasks.len());
    for (g, w) in got.tasks.iter().zip(&want.tasks) {
        assert_eq!(g.lead, w.lead, "{}", g.content);
        assert_eq!(g.deadline, w.deadline, "{}", g.content);
    }
}

/// The whole seed printed: the same documents, the same tasks, and at most a few leads
/// or deadlines differing (a table row that Chromium paints after the next table's head
/// when it runs over a page break).
#[test]
fn the_printed_seed_reads_as_its_text() {
    let (_, docs) = pdf("seed.pdf");
    let want = seed();
    let numbers = |d: &[Document]| d.iter().map(|d| d.number.clone()).collect::<Vec<_>>();
    assert_eq!(numbers(&docs), numbers(&want));
    let mut tasks = 0;
    let mut same = 0;
    for (g, w) in docs.iter().zip(&want) {
        assert_eq!(g.tasks.len(), w.tasks.len(), "{:?}", w.number);
        assert_eq!(g.date, w.date, "{:?}", w.number);
        assert_eq!(g.signer, w.signer, "{:?}", w.number);
        for (a, b) in g.tasks.iter().zip(&w.tasks) {
            tasks += 1;
            if a.lead == b.lead && a.support == b.support && a.deadline == b.deadline {
                same += 1;
            }
        }
    }
    assert!(tasks >= 90, "{tasks} tasks");
    assert!(
        same * 100 >= tasks * 95,
        "{same} of {tasks} tasks read alike"
    );
}
