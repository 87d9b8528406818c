//! Prints the text as the reader sees it after clean-up: `cargo run -p docparse --example normalize FILE`.
fn main() {
    let p = std::env::args().nth(1).unwrap();
    let t = std::fs::read_to_string(p).unwrap();
    print!("{}", docparse::normalize::normalize(&t));
}
