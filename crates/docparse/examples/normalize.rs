//! Prints the text as the reader sees it after clean-up: `cargo run -p docparse --example
//! normalize FILE` (a .txt, .docx or .pdf; `--raw` prints the file's text before clean-up).
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let raw = args.iter().any(|a| a == "--raw");
    let Some(path) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: normalize [--raw] FILE");
        std::process::exit(2);
    };
    let bytes = std::fs::read(path).unwrap_or_else(|e| {
        eprintln!("cannot read {path}: {e}");
        std::process::exit(2);
    });
    let text = docparse::read_file(&bytes, path).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2);
    });
    if raw {
        print!("{text}");
    } else {
        print!("{}", docparse::normalize::normalize(&text));
    }
}
