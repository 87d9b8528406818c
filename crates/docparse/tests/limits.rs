//! Untrusted files within limits and time (issue 20): a DOCX bomb and a deeply nested
//! DOCX are refused before they cost memory, with a sentence naming the limit; a read
//! over its deadline stops and says so; long input reads in time proportional to its
//! length. Files are built here with the zip crate, no binary is committed.

use std::io::{Cursor, Write};
use std::time::{Duration, Instant};

use docparse::{Budget, ReadError, Stop};

/// A DOCX whose `word/document.xml` is `head`, then `fill` repeated `times`, then `tail`,
/// written in chunks (the whole part never sits in memory).
fn docx_streamed(head: &str, fill: &[u8], times: usize, tail: &str) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    w.start_file("[Content_Types].xml", opts).unwrap();
    w.write_all(b"<Types/>").unwrap();
    w.start_file("word/document.xml", opts).unwrap();
    w.write_all(head.as_bytes()).unwrap();
    for _ in 0..times {
        w.write_all(fill).unwrap();
    }
    w.write_all(tail.as_bytes()).unwrap();
    w.finish().unwrap().into_inner()
}

const HEAD: &str = r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>"#;
const TAIL: &str = "</w:t></w:r></w:p></w:body></w:document>";

#[test]
fn a_docx_bomb_is_refused_before_it_is_inflated() {
    // 100 MB of one letter: about 100 KB once compressed.
    let chunk = vec![b'a'; 1 << 20];
    let bomb = docx_streamed(HEAD, &chunk, 100, TAIL);
    assert!(bomb.len() < 1 << 20, "{} bytes", bomb.len());
    let t0 = Instant::now();
    let e = docparse::read_file(&bomb, "bom.docx").unwrap_err();
    assert!(t0.elapsed() < Duration::from_secs(2), "{:?}", t0.elapsed());
    assert!(matches!(e, ReadError::TooLarge(_)), "{e}");
    assert!(e.to_string().contains("giải nén vượt quá 64 MB"), "{e}");
}

#[test]
fn a_docx_with_more_text_than_the_limit_is_refused() {
    // 10 MB of text in a 30 MB part: under the part limit, over the text limit (8 MB).
    let para = format!("{}</w:t></w:r></w:p><w:p><w:r><w:t>", "chữ ".repeat(250));
    let n = 10 * (1 << 20) / para.len() + 1;
    let docx = docx_streamed(HEAD, para.as_bytes(), n, TAIL);
    let e = docparse::read_file(&docx, "dai.docx").unwrap_err();
    assert!(e.to_string().contains("vượt quá 8 MB"), "{e}");
}

#[test]
fn a_deeply_nested_docx_is_refused() {
    let docx = docx_streamed(
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
        b"<w:tbl><w:tr><w:tc>",
        2_000,
        "</w:body></w:document>",
    );
    let e = docparse::read_file(&docx, "long-nhau.docx").unwrap_err();
    assert!(matches!(e, ReadError::TooLarge(_)), "{e}");
    assert!(e.to_string().contains("lồng nhau quá 128 cấp"), "{e}");
}

#[test]
fn a_docx_of_many_entries_is_refused() {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for i in 0..3_000 {
        w.start_file(format!("x/{i}"), opts).unwrap();
    }
    w.start_file("word/document.xml", opts).unwrap();
    w.write_all(HEAD.as_bytes()).unwrap();
    w.write_all(TAIL.as_bytes()).unwrap();
    let docx = w.finish().unwrap().into_inner();
    let e = docparse::read_file(&docx, "nhieu-muc.docx").unwrap_err();
    assert!(e.to_string().contains("vượt quá giới hạn 2000 mục"), "{e}");
}

/// A directive whose one task runs over `lines` wrapped lines naming coordinators.
fn long_task(lines: usize) -> String {
    let mut s = String::from(
        "ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\nSố: 575/KH-UBND\nNghệ An, ngày 04 tháng 8 năm 2023\n\nKẾ HOẠCH\nRà soát thủ tục hành chính\n\nI. NHIỆM VỤ\n1. Sở Nội vụ chủ trì, phối hợp với các sở, ban, ngành rà soát thủ tục hành chính\n",
    );
    for _ in 0..lines {
        s.push_str("phối hợp với Sở Tư pháp, Sở Tài chính thực hiện rà soát, đơn giản hóa thủ tục hành chính và báo cáo kết quả\n");
    }
    s
}

#[test]
fn a_read_over_its_deadline_stops_with_the_time() {
    let text = long_task(20_000);
    let t0 = Instant::now();
    let e = docparse::parse_with(&text, &Budget::within(Duration::from_millis(1))).unwrap_err();
    assert!(t0.elapsed() < Duration::from_secs(3), "{:?}", t0.elapsed());
    assert!(matches!(e, ReadError::Stopped(Stop::TooSlow(1))), "{e}");
    assert!(e.to_string().contains("quá 1 giây"), "{e}");
    // Such a text without a deadline reads, one task with its coordinators.
    let docs = docparse::parse_with(&long_task(200), &Budget::unlimited()).unwrap();
    assert_eq!(docs[0].tasks.len(), 1);
    assert!(docs[0].tasks[0].support.iter().any(|s| s == "Sở Tư pháp"));
}

#[test]
fn pasted_text_over_the_limit_is_refused_before_reading() {
    let text = "a".repeat(8 * 1024 * 1024 + 1);
    let e = docparse::parse_with(&text, &Budget::unlimited()).unwrap_err();
    assert!(e.to_string().contains("vượt quá 8 MB"), "{e}");
}

/// Time grows with the length of the input, not faster: a task four times longer takes
/// about four times as long (the old reader rescanned the task at every line and every
/// "phối hợp": sixteen times and more). Generous bounds, for a loaded CI machine.
#[test]
fn a_long_task_reads_in_linear_time() {
    let time = |lines: usize| {
        let text = long_task(lines);
        let t0 = Instant::now();
        let docs = docparse::parse(&text);
        assert_eq!(docs[0].tasks.len(), 1);
        t0.elapsed()
    };
    let _warm = time(500);
    let small = time(2_000);
    let large = time(8_000);
    assert!(
        large < small * 10 + Duration::from_millis(200),
        "2,000 lines {small:?}, 8,000 lines {large:?}"
    );
}
