//! Support (phối hợp) differences on the corpus: for each paired task, the bodies read
//! that were not expected (+) and those expected but not read (-).
//!
//! `cargo run -p docparse --release --example support [NAME-PREFIX] [--lead]` — with
//! `--lead`, the lead (chủ trì) differences instead, compared as the score does.

// The shared cases carry totals this example does not print.
#[allow(dead_code)]
#[path = "../tests/corpus_cases.rs"]
mod corpus_cases;

use docparse::score::{bodies, match_tasks};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let lead = args.iter().any(|a| a == "--lead");
    let prefix = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .cloned()
        .unwrap_or_default();
    for c in corpus_cases::cases()
        .into_iter()
        .filter(|c| c.name.starts_with(&prefix))
    {
        println!("{}", c.name);
        let empty = docparse::Document::default();
        for (i, e) in c.expected.iter().enumerate() {
            let g = c.got.get(i).unwrap_or(&empty);
            let m = match_tasks(&e.tasks, &g.tasks);
            for (a, b) in &m {
                let (et, gt) = (&e.tasks[*a], &g.tasks[*b]);
                let (el, gl) = if lead {
                    (&et.lead, &gt.lead)
                } else {
                    (&et.support, &gt.support)
                };
                let eb = bodies(el);
                let gb = bodies(gl);
                let plus: Vec<_> = gb.iter().filter(|x| !eb.contains(x)).collect();
                let minus: Vec<_> = eb.iter().filter(|x| !gb.contains(x)).collect();
                if !plus.is_empty() || !minus.is_empty() {
                    println!(
                        "  [{}] +{:?} -{:?}\n      read {:?}\n      want {:?}",
                        et.source.as_deref().unwrap_or(""),
                        plus,
                        minus,
                        gl,
                        el
                    );
                }
            }
            for (j, gt) in g.tasks.iter().enumerate() {
                if !lead && !gt.support.is_empty() && !m.iter().any(|(_, b)| *b == j) {
                    println!("  EXTRA support {:?}", gt.support);
                }
            }
        }
    }
}
