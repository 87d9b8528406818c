fn main() {
    for a in std::env::args().skip(1) {
        println!("parse   {:?}", docparse::agency::parse_agencies(&a));
        println!("heading {:?}", docparse::agency::heading_agencies(&a));
        println!("subject {:?}", docparse::agency::sentence_subject(&a));
        println!("intro   {:?}", docparse::agency::intro_subject(&a));
    }
}
