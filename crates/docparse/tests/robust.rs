//! The reader never panics: arbitrary text and bytes, and the seed mutated by
//! random deletions, insertions and line-break changes.

use proptest::prelude::*;

fn seed() -> String {
    let p = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/seeds/nghe-an-cchc-2023-08.txt");
    std::fs::read_to_string(p).unwrap_or_default()
}

/// The texts of the corpus of real directives (tests/fixtures/corpus).
fn corpus() -> &'static [String] {
    static TEXTS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    TEXTS.get_or_init(|| {
        let dir =
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        paths.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|x| x == "txt"));
        paths.sort();
        paths
            .iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .collect()
    })
}

/// Cases of the corpus fuzz: `CCHC_FUZZ_CASES` (a long run: `CCHC_FUZZ_CASES=100000 cargo
/// test --release -p docparse --test robust mutated_corpus`), 48 by default.
fn fuzz_cases() -> u32 {
    std::env::var("CCHC_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48)
}

fn char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[derive(Debug, Clone)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, String),
    Newline(usize),
    JoinLines(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 0usize..400).prop_map(|(a, n)| Edit::Delete(a, n)),
        (
            any::<usize>(),
            "\\PC{0,30}|Số: [0-9]{1,4}/[A-ZĐ-]{2,9}|- |a\\) |\t| \\| |¹|\\*\\*"
        )
            .prop_map(|(a, s)| Edit::Insert(a, s)),
        any::<usize>().prop_map(Edit::Newline),
        any::<usize>().prop_map(Edit::JoinLines),
    ]
}

fn apply(mut s: String, edits: &[Edit]) -> String {
    for e in edits {
        if s.is_empty() {
            break;
        }
        match e {
            Edit::Delete(a, n) => {
                let a = char_boundary(&s, a % s.len());
                let b = char_boundary(&s, a + n);
                s.replace_range(a..b, "");
            }
            Edit::Insert(a, t) => {
                let a = char_boundary(&s, a % s.len());
                s.insert_str(a, t);
            }
            Edit::Newline(a) => {
                let a = char_boundary(&s, a % s.len());
                s.insert(a, '\n');
            }
            Edit::JoinLines(a) => {
                let a = char_boundary(&s, a % s.len());
                if let Some(i) = s[a..].find('\n') {
                    s.replace_range(a + i..a + i + 1, " ");
                }
            }
        }
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_text_is_read_without_panic(s in "\\PC*") {
        let _ = docparse::parse(&s);
    }

    #[test]
    fn vietnamese_like_text_is_read_without_panic(s in "([A-ZĐa-zđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ0-9 ,.;:/()\\-\t|\n]|Số: |ngày | tháng | năm |TM\\. |KT\\. |Kính gửi:|V/v |PHỤ LỤC|STT\tGiải pháp\tchủ trì){0,400}") {
        let _ = docparse::parse(&s);
    }

    #[test]
    fn any_bytes_are_refused_or_read(bytes in proptest::collection::vec(any::<u8>(), 0..2000), name in "(a|b)\\.(txt|docx|pdf|doc|bin|)") {
        if let Ok(text) = docparse::read_file(&bytes, &name) {
            let _ = docparse::parse(&text);
        }
    }

    #[test]
    fn mutated_seed_is_read_without_panic(edits in proptest::collection::vec(edit(), 1..40)) {
        let s = apply(seed(), &edits);
        let docs = docparse::parse(&s);
        for d in docs {
            for t in d.tasks {
                prop_assert!(t.deadline.as_deref().is_none_or(|x| x.len() == 10));
            }
        }
    }

    #[test]
    fn broken_zip_and_pdf_headers_do_not_panic(tail in proptest::collection::vec(any::<u8>(), 0..600)) {
        let mut zip = b"PK\x03\x04".to_vec();
        zip.extend(&tail);
        let _ = docparse::read_file(&zip, "x.docx");
        let mut pdf = b"%PDF-1.4\n".to_vec();
        pdf.extend(&tail);
        let _ = docparse::read_file(&pdf, "x.pdf");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: fuzz_cases(), ..ProptestConfig::default() })]

    /// Real directives in every form the corpus holds, cut, spliced and re-wrapped: the
    /// reader and the appendix importer never panic and stay within a time bounded by
    /// the length (a debug build reads ~0.5 MB/s; 4 s plus 4 s per 100 KB is far above).
    #[test]
    fn mutated_corpus_is_read_without_panic_in_bounded_time(
        pick in any::<usize>(),
        other in any::<usize>(),
        edits in proptest::collection::vec(edit(), 1..60),
    ) {
        let texts = corpus();
        prop_assume!(!texts.is_empty());
        let mut s = texts[pick % texts.len()].clone();
        if other % 4 == 0 {
            // Two documents glued, as an e-office system forwards them.
            s.push_str(&texts[other % texts.len()]);
        }
        let s = apply(s, &edits);
        let t0 = std::time::Instant::now();
        let docs = docparse::parse(&s);
        let _ = docparse::read_task_text(&s);
        let bound = std::time::Duration::from_secs(4) + std::time::Duration::from_secs(4) * (s.len() / 100_000) as u32;
        prop_assert!(t0.elapsed() < bound, "{:?} for {} bytes", t0.elapsed(), s.len());
        for d in docs {
            prop_assert!(d.date.as_deref().is_none_or(|x| x.len() == 10));
            for t in d.tasks {
                prop_assert!(!t.lead.is_empty());
                prop_assert!(t.deadline.as_deref().is_none_or(|x| x.len() == 10));
            }
        }
    }
}
