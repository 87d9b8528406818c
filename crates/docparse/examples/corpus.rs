//! The reader on its corpus of real directives: per case and in total.
//!
//! `cargo run -p docparse --release --example corpus [NAME-PREFIX] [-v]` — `-v` prints, for
//! each case, the tasks missed and proposed in excess, and the fields read wrong.
//! `CORPUS_DIR=<folder>` reads another checkout's cases with this binary.

#[path = "../tests/corpus_cases.rs"]
mod corpus_cases;

use docparse::score::{format_report, match_tasks};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "-v");
    let prefix = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .cloned()
        .unwrap_or_default();
    let cases: Vec<_> = corpus_cases::cases()
        .into_iter()
        .filter(|c| c.name.starts_with(&prefix))
        .collect();
    for c in &cases {
        println!("{:<48} {}", c.name, c.summary);
        if verbose {
            details(c);
        }
    }
    let (r, s) = corpus_cases::total(&cases);
    println!("\n{} cases\n{}\n{s}", cases.len(), format_report(&r));
}

fn details(c: &corpus_cases::Case) {
    let empty = docparse::Document::default();
    for (i, e) in c.expected.iter().enumerate() {
        let g = c
            .got
            .iter()
            .find(|g| g.number.is_some() && g.number == e.number)
            .or(c.got.get(i))
            .unwrap_or(&empty);
        let show = |f: &str, a: String, b: String| {
            if docparse::score::key(&a) != docparse::score::key(&b) {
                println!("    {f}: expected {a:?}\n    {f}:     read {b:?}");
            }
        };
        show(
            "number",
            format!("{:?}", e.number),
            format!("{:?}", g.number),
        );
        show(
            "type",
            format!("{:?}", e.doc_type),
            format!("{:?}", g.doc_type),
        );
        show(
            "issuer",
            format!("{:?}", e.issuer),
            format!("{:?}", g.issuer),
        );
        show("place", format!("{:?}", e.place), format!("{:?}", g.place));
        show("date", format!("{:?}", e.date), format!("{:?}", g.date));
        show(
            "subject",
            format!("{:?}", e.subject),
            format!("{:?}", g.subject),
        );
        show(
            "signer",
            format!("{:?}", e.signer),
            format!("{:?}", g.signer),
        );
        show(
            "recipients",
            format!("{:?}", e.recipients),
            format!("{:?}", g.recipients),
        );
        let m = match_tasks(&e.tasks, &g.tasks);
        for (k, t) in e.tasks.iter().enumerate() {
            match m.iter().find(|(a, _)| *a == k) {
                None => println!(
                    "    MISSED [{}] {}",
                    t.source.as_deref().unwrap_or(""),
                    cut(&t.content)
                ),
                Some((_, b)) => {
                    let r = &g.tasks[*b];
                    // As the score compares them: entries split at commas.
                    let el = docparse::score::bodies(&t.lead);
                    let gl = docparse::score::bodies(&r.lead);
                    if el != gl {
                        println!(
                            "    LEAD [{}] expected {:?} read {:?}",
                            t.source.as_deref().unwrap_or(""),
                            t.lead,
                            r.lead
                        );
                    }
                    if t.deadline != r.deadline || t.recurrence != r.recurrence {
                        println!(
                            "    TIME [{}] expected {:?}/{:?} read {:?}/{:?} ({:?})",
                            t.source.as_deref().unwrap_or(""),
                            t.deadline,
                            t.recurrence,
                            r.deadline,
                            r.recurrence,
                            r.deadline_text
                        );
                    }
                }
            }
        }
        for (k, t) in g.tasks.iter().enumerate() {
            if !m.iter().any(|(_, b)| *b == k) {
                println!(
                    "    EXTRA [{}] {}",
                    t.source.as_deref().unwrap_or(""),
                    cut(&t.content)
                );
            }
        }
    }
    if c.got.len() > c.expected.len() {
        println!(
            "    {} documents read, {} expected",
            c.got.len(),
            c.expected.len()
        );
    }
}

fn cut(s: &str) -> String {
    s.chars().take(110).collect()
}
