//! How the agency parser reads a phrase: `cargo run -p docparse --example probe -- "PHRASE" …`
//! prints, for each phrase, the bodies as a list, as a heading, as a sentence's subject and
//! as a list's opening sentence names them (for tracing a lead the reader got wrong).

fn main() {
    for a in std::env::args().skip(1) {
        println!("parse   {:?}", docparse::agency::parse_agencies(&a));
        println!("heading {:?}", docparse::agency::heading_agencies(&a));
        println!("subject {:?}", docparse::agency::sentence_subject(&a));
        println!("intro   {:?}", docparse::agency::intro_subject(&a));
    }
}
