//! Lists the seed's tasks whose lead or support differs from the expectations.
use docparse::score::{bodies, match_tasks};
fn main() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let text =
        std::fs::read_to_string(root.join("../../data/seeds/nghe-an-cchc-2023-08.txt")).unwrap();
    let v: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("tests/fixtures/seed-expected.json")).unwrap(),
    )
    .unwrap();
    let exp: Vec<docparse::Document> = serde_json::from_value(v["documents"].clone()).unwrap();
    let got = docparse::parse(&text);
    for (e, g) in exp.iter().zip(got.iter()) {
        for (a, b) in match_tasks(&e.tasks, &g.tasks) {
            let (x, y) = (&e.tasks[a], &g.tasks[b]);
            if bodies(&x.lead) != bodies(&y.lead) || bodies(&x.support) != bodies(&y.support) {
                println!(
                    "{:?} {:?}\n  lead {:?} / {:?}\n  supp {:?} / {:?}",
                    e.number, x.source, x.lead, y.lead, x.support, y.support
                );
            }
        }
    }
}
