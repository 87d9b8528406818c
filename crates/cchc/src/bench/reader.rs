//! `cchc bench reader`: the directive reader's throughput on long input, to show that its
//! time grows linearly with the size of what it reads (issue 20: a 1.8 MB DOCX kept a
//! worker busy for minutes). Inputs are generated here, deterministically, from the
//! Nghệ An seed bundle: the seed repeated (real directives, many documents), the seed as
//! one paragraph without a line break, and one directive with a huge task table; each as
//! pasted text (`docparse::parse`) and as a DOCX (`docparse::read_file` then `parse`).
//!
//! The module uses only `docparse::parse` and `docparse::read_file`, the API the reader
//! had before the change, so the same file can be compiled against the old reader to
//! obtain the baseline figures.

use std::io::{Cursor, Write};
use std::time::{Duration, Instant};

const MB: usize = 1024 * 1024;

/// One measured run.
pub struct ReaderFigure {
    pub case: String,
    pub size_mb: usize,
    /// Bytes of text read (the DOCX file itself is smaller: `file_bytes`).
    pub bytes: usize,
    pub file_bytes: usize,
    pub seconds: f64,
    /// Documents and tasks the reader proposed (a sanity check that the work was done).
    pub documents: usize,
    pub tasks: usize,
}

impl ReaderFigure {
    pub fn mb_per_s(&self) -> f64 {
        self.bytes as f64 / MB as f64 / self.seconds.max(1e-9)
    }
}

/// The generated inputs, by kind.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The seed bundle repeated: many real directives.
    Seed,
    /// The seed with every line break replaced by a space: one huge paragraph.
    OneParagraph,
    /// One directive whose appendix is a task table of many rows.
    Table,
    /// One directive whose one task runs over many wrapped lines, naming coordinators
    /// again and again ("… phối hợp với Sở Tư pháp …"): the shape of the DOCX bomb of
    /// issue 20, where every line and every "phối hợp" rescanned the rest of the task.
    LongTask,
}

const KINDS: [(Kind, &str, &str); 4] = [
    (Kind::Seed, "mẫu lặp lại, văn bản", "mẫu lặp lại, DOCX"),
    (
        Kind::OneParagraph,
        "một đoạn liền, văn bản",
        "một đoạn liền, DOCX",
    ),
    (Kind::Table, "bảng rất lớn, văn bản", "bảng rất lớn, DOCX"),
    (
        Kind::LongTask,
        "nhiệm vụ rất dài, văn bản",
        "nhiệm vụ rất dài, DOCX",
    ),
];

/// How the benchmark reads a DOCX into text: `docparse::read_file` with the limits
/// lifted (the inputs are far over the server's), or the old reader's `read_file`.
pub type ReadFn<'a> = &'a dyn Fn(&[u8], &str) -> Result<String, String>;

/// Every generated input of at least `bytes` bytes, by case name (to compare readers).
pub fn inputs(seed: &str, bytes: usize) -> Vec<(&'static str, String)> {
    KINDS
        .iter()
        .map(|(kind, name, _)| (*name, text_of(*kind, seed, bytes)))
        .collect()
}

/// Text of `kind` of at least `bytes` bytes.
fn text_of(kind: Kind, seed: &str, bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + seed.len() + 256);
    match kind {
        Kind::Seed => {
            while s.len() < bytes {
                s.push_str(seed);
                s.push('\n');
            }
        }
        Kind::OneParagraph => {
            let flat: String = seed
                .chars()
                .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
                .collect();
            while s.len() < bytes {
                s.push_str(&flat);
                s.push(' ');
            }
        }
        Kind::Table => {
            s.push_str(TABLE_HEAD);
            let mut i = 0usize;
            while s.len() < bytes {
                i += 1;
                let (lead, support, time) = TABLE_VALUES[i % TABLE_VALUES.len()];
                s.push_str(&format!(
                    "{i} | Rà soát, đơn giản hóa thủ tục hành chính thuộc lĩnh vực số {i}, công khai kết quả trên Cổng Dịch vụ công | {lead} | {support} | {time} | \n"
                ));
            }
            s.push_str(TABLE_FOOT);
        }
        Kind::LongTask => {
            s.push_str(LONG_TASK_HEAD);
            while s.len() < bytes {
                s.push_str(LONG_TASK_LINE);
            }
            s.push_str(TABLE_FOOT);
        }
    }
    s
}

const LONG_TASK_HEAD: &str = "ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\nSố: 575/KH-UBND\nNghệ An, ngày 04 tháng 8 năm 2023\n\nKẾ HOẠCH\nRà soát thủ tục hành chính năm 2023\n\nI. NHIỆM VỤ\n1. Sở Nội vụ chủ trì, phối hợp với các sở, ban, ngành rà soát thủ tục hành chính\n";
const LONG_TASK_LINE: &str = "phối hợp với Sở Tư pháp, Sở Tài chính thực hiện rà soát, đơn giản hóa thủ tục hành chính và báo cáo kết quả\n";

const TABLE_HEAD: &str = "ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\nSố: 574/KH-UBND\nNghệ An, ngày 04 tháng 8 năm 2023\n\nKẾ HOẠCH\nCải cách hành chính năm 2023\n\nI. NHIỆM VỤ\nCác nhiệm vụ tại Phụ lục kèm theo.\n\nPHỤ LỤC\nSTT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian thực hiện | Ghi chú\n";
const TABLE_FOOT: &str = "\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nLê Hồng Vinh\n";
const TABLE_VALUES: [(&str, &str, &str); 4] = [
    ("Sở Tư pháp", "Các sở, ban, ngành", "Quý III/2023"),
    (
        "Sở Nội vụ",
        "UBND các huyện, thành phố, thị xã",
        "Thường xuyên",
    ),
    (
        "Văn phòng UBND tỉnh",
        "Sở Thông tin và Truyền thông",
        "Trước ngày 15/12/2023",
    ),
    ("Sở Kế hoạch và Đầu tư", "Sở Tài chính", "Hằng tháng"),
];

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A DOCX of `text`: every line a paragraph, and lines with " | " rows of one table.
pub fn docx_of(text: &str) -> Vec<u8> {
    let mut xml = String::with_capacity(text.len() * 2);
    xml.push_str(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#);
    let mut in_table = false;
    for line in text.split('\n') {
        if line.contains(" | ") {
            if !in_table {
                xml.push_str("<w:tbl>");
                in_table = true;
            }
            xml.push_str("<w:tr>");
            for cell in line.split(" | ") {
                xml.push_str("<w:tc><w:p><w:r><w:t xml:space=\"preserve\">");
                xml.push_str(&escape(cell.trim()));
                xml.push_str("</w:t></w:r></w:p></w:tc>");
            }
            xml.push_str("</w:tr>");
            continue;
        }
        if in_table {
            xml.push_str("</w:tbl>");
            in_table = false;
        }
        xml.push_str("<w:p><w:r><w:t xml:space=\"preserve\">");
        xml.push_str(&escape(line));
        xml.push_str("</w:t></w:r></w:p>");
    }
    if in_table {
        xml.push_str("</w:tbl>");
    }
    xml.push_str("</w:body></w:document>");
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(xml.len() > u32::MAX as usize / 2);
    let parts: [(&str, &[u8]); 2] = [
        ("[Content_Types].xml", b"<Types/>".as_slice()),
        ("word/document.xml", xml.as_bytes()),
    ];
    for (name, body) in parts {
        // Writing into memory cannot fail but for a bug: an empty file then shows it.
        if w.start_file(name, opts).is_err() || w.write_all(body).is_err() {
            return Vec::new();
        }
    }
    w.finish().map(|c| c.into_inner()).unwrap_or_default()
}

/// Times every case (or those whose name starts with `only`) at every size (MB). A
/// case whose run took longer than `give_up` is not run at the larger sizes (the old
/// reader would take hours).
pub fn run(
    seed: &str,
    sizes: &[usize],
    give_up: Duration,
    read: ReadFn<'_>,
    only: Option<&str>,
) -> Vec<ReaderFigure> {
    let mut out = Vec::new();
    for (kind, text_case, docx_case) in KINDS {
        if only.is_some_and(|o| !text_case.starts_with(o)) {
            continue;
        }
        let (mut text_slow, mut docx_slow) = (false, false);
        for &mb in sizes {
            let text = text_of(kind, seed, mb * MB);
            if !text_slow {
                let t0 = Instant::now();
                let docs = docparse::parse(&text);
                let dt = t0.elapsed();
                text_slow = dt > give_up;
                out.push(figure(text_case, mb, (text.len(), text.len()), dt, &docs));
            }
            if !docx_slow {
                let docx = docx_of(&text);
                let t0 = Instant::now();
                let docs = match read(&docx, "van-ban.docx") {
                    Ok(t) => docparse::parse(&t),
                    Err(e) => {
                        eprintln!("{docx_case} {mb} MB: {e}");
                        Vec::new()
                    }
                };
                let dt = t0.elapsed();
                docx_slow = dt > give_up;
                out.push(figure(docx_case, mb, (text.len(), docx.len()), dt, &docs));
            }
        }
    }
    out
}

fn figure(
    case: &str,
    mb: usize,
    (bytes, file_bytes): (usize, usize),
    dt: Duration,
    docs: &[docparse::Document],
) -> ReaderFigure {
    ReaderFigure {
        case: case.to_string(),
        size_mb: mb,
        bytes,
        file_bytes,
        seconds: dt.as_secs_f64(),
        documents: docs.len(),
        tasks: docs.iter().map(|d| d.tasks.len()).sum(),
    }
}

/// The figures as a plain table.
pub fn report(figures: &[ReaderFigure]) -> String {
    let mut s = format!(
        "{} {:>4} {:>10} {:>10} {:>9} {:>8} {:>7} {:>7}\n",
        pad("trường hợp", 24),
        "MB",
        "byte chữ",
        "byte tệp",
        "giây",
        "MB/s",
        "văn bản",
        "nh.vụ"
    );
    for f in figures {
        s.push_str(&format!(
            "{} {:>4} {:>10} {:>10} {:>9.2} {:>8.2} {:>7} {:>7}\n",
            pad(&f.case, 24),
            f.size_mb,
            f.bytes,
            f.file_bytes,
            f.seconds,
            f.mb_per_s(),
            f.documents,
            f.tasks
        ));
    }
    s
}

/// `s` padded with spaces to `n` characters (`{:<n}` counts bytes of Vietnamese text).
fn pad(s: &str, n: usize) -> String {
    let len = s.chars().count();
    format!("{s}{}", " ".repeat(n.saturating_sub(len)))
}
