//! File formats: DOCX built here with the zip crate, PDFs built here with lopdf.

use docparse::{ReadError, read_file};
use lopdf::content::{Content, Operation};
use lopdf::{Document as Pdf, Object, Stream, dictionary};
use std::io::{Cursor, Write};

fn docx(body_xml: &str) -> Vec<u8> {
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body_xml}</w:body></w:document>"#
    );
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file("[Content_Types].xml", opts).expect("zip");
    w.write_all(b"<Types/>").expect("zip");
    w.start_file("word/document.xml", opts).expect("zip");
    w.write_all(xml.as_bytes()).expect("zip");
    w.finish().expect("zip").into_inner()
}

fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

fn row(cells: &[&str]) -> String {
    let cs: String = cells
        .iter()
        .map(|c| format!("<w:tc>{}</w:tc>", p(c)))
        .collect();
    format!("<w:tr>{cs}</w:tr>")
}

#[test]
fn docx_paragraphs_and_tables_are_read() {
    let header = format!(
        "<w:tbl>{}{}{}</w:tbl>",
        row(&["ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]),
        row(&["TỈNH HÀ TĨNH", "Độc lập - Tự do - Hạnh phúc"]),
        row(&["Số: 05/KH-UBND", "Hà Tĩnh, ngày 10 tháng 3 năm 2024"]),
    );
    let table = format!(
        "<w:tbl>{}{}{}</w:tbl>",
        row(&[
            "STT",
            "Nội dung",
            "Cơ quan chủ trì",
            "Cơ quan phối hợp",
            "Thời gian hoàn thành"
        ]),
        row(&[
            "1",
            "Rà soát quy trình nội bộ",
            "Sở Nội vụ",
            "Văn phòng UBND tỉnh",
            "Quý II/2024"
        ]),
        row(&[
            "2",
            "Số hóa hồ sơ &amp; kết quả",
            "Sở Thông tin và Truyền thông",
            "",
            "Thường xuyên"
        ]),
    );
    let body = format!(
        "{header}{}{}{}{table}",
        p("KẾ HOẠCH"),
        p("Cải cách hành chính năm 2024"),
        p("I. NHIỆM VỤ"),
    );
    let text = read_file(&docx(&body), "ke-hoach.docx").expect("docx");
    assert!(
        text.contains("ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        "{text}"
    );
    assert!(
        text.contains(
            "2 | Số hóa hồ sơ & kết quả | Sở Thông tin và Truyền thông |  | Thường xuyên"
        ),
        "{text}"
    );
    let docs = docparse::parse(&text);
    assert_eq!(docs.len(), 1, "{docs:?}");
    let d = &docs[0];
    assert_eq!(d.number.as_deref(), Some("05/KH-UBND"));
    assert_eq!(d.issuer.as_deref(), Some("Ủy ban nhân dân tỉnh Hà Tĩnh"));
    assert_eq!(d.place.as_deref(), Some("Hà Tĩnh"));
    assert_eq!(d.date.as_deref(), Some("2024-03-10"));
    assert_eq!(d.doc_type.as_deref(), Some("Kế hoạch"));
    assert_eq!(d.tasks.len(), 2, "{:?}", d.tasks);
    assert_eq!(d.tasks[0].lead, ["Sở Nội vụ"]);
    assert_eq!(d.tasks[0].support, ["Văn phòng UBND tỉnh"]);
    assert_eq!(d.tasks[0].deadline.as_deref(), Some("2024-06-30"));
    assert_eq!(d.tasks[1].recurrence.as_deref(), Some("continuous"));
}

#[test]
fn broken_docx_is_a_clear_error() {
    let err = read_file(b"PK\x03\x04garbage", "a.docx").expect_err("must fail");
    assert!(matches!(err, ReadError::BadDocx(_)), "{err}");
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    w.start_file("other.xml", zip::write::SimpleFileOptions::default())
        .expect("zip");
    let bytes = w.finish().expect("zip").into_inner();
    assert!(read_file(&bytes, "a.docx").is_err());
}

fn pdf(lines: &[&str]) -> Vec<u8> {
    let mut doc = Pdf::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc
        .add_object(dictionary! {"Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Courier"});
    let resources_id = doc.add_object(dictionary! {"Font" => dictionary! {"F1" => font_id}});
    let mut ops = vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec!["F1".into(), 11.into()]),
    ];
    ops.push(Operation::new("Td", vec![50.into(), 780.into()]));
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            ops.push(Operation::new("Td", vec![0.into(), (-16).into()]));
        }
        ops.push(Operation::new("Tj", vec![Object::string_literal(*l)]));
    }
    ops.push(Operation::new("ET", vec![]));
    if lines.is_empty() {
        // A "scan": only a drawn rectangle, no text.
        ops = vec![
            Operation::new("re", vec![10.into(), 10.into(), 100.into(), 100.into()]),
            Operation::new("f", vec![]),
        ];
    }
    let content = Content { operations: ops };
    let content_id = doc.add_object(Stream::new(
        dictionary! {},
        content.encode().expect("content"),
    ));
    let page_id = doc
        .add_object(dictionary! {"Type" => "Page", "Parent" => pages_id, "Contents" => content_id});
    let pages = dictionary! {
        "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
        "Resources" => resources_id, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    };
    doc.objects.insert(pages_id, Object::Dictionary(pages));
    let catalog_id = doc.add_object(dictionary! {"Type" => "Catalog", "Pages" => pages_id});
    doc.trailer.set("Root", catalog_id);
    let mut buf = Vec::new();
    doc.save_to(&mut buf).expect("save");
    buf
}

#[test]
fn pdf_text_layer_is_read() {
    let bytes = pdf(&[
        "UY BAN NHAN DAN",
        "So: 15/UBND-VP",
        "Ha Noi, ngay 02 thang 8 nam 2023",
        "V/v cai cach hanh chinh",
    ]);
    let text = read_file(&bytes, "cv.pdf").expect("pdf with text");
    assert!(text.contains("15/UBND-VP"), "{text}");
    let docs = docparse::parse(&text);
    assert_eq!(
        docs.first().and_then(|d| d.number.clone()).as_deref(),
        Some("15/UBND-VP"),
        "{text}"
    );
}

#[test]
fn scanned_pdf_is_refused_with_a_clear_message() {
    let err = read_file(&pdf(&[]), "scan.pdf").expect_err("no text layer");
    assert!(matches!(err, ReadError::PdfWithoutText));
    assert!(
        err.to_string()
            .starts_with("Tệp PDF không có lớp văn bản (bản quét)")
    );
    assert!(matches!(
        read_file(b"%PDF-1.4 broken", "x.pdf"),
        Err(ReadError::BadPdf(_))
    ));
}

#[test]
fn text_files_and_unknown_formats() {
    assert_eq!(
        read_file("Số: 1/UBND".as_bytes(), "a.txt").expect("txt"),
        "Số: 1/UBND"
    );
    assert!(matches!(
        read_file(&[0xff, 0xfe, 0x00], "a.txt"),
        Err(ReadError::NotUtf8)
    ));
    assert!(matches!(
        read_file(b"x", "a.xlsx"),
        Err(ReadError::Unsupported(_))
    ));
    assert!(matches!(read_file(b"", "a.txt"), Err(ReadError::Empty)));
}
