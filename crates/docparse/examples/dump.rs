//! Prints the reader's JSON for a text file: `cargo run -p docparse --example dump FILE`.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump FILE");
        std::process::exit(2);
    };
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("cannot read {path}");
        std::process::exit(2);
    };
    match docparse::read_file(&bytes, &path) {
        Ok(text) => {
            let docs = docparse::parse(&text);
            let out = serde_json::json!({ "documents": docs });
            println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    }
}
