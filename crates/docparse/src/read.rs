//! File formats: plain text, DOCX (zip + WordprocessingML) and PDF with a text
//! layer. A scanned PDF (no text layer) is refused with a clear message rather than
//! read as garbage.
//!
//! Files come from users: every size that costs memory or time is checked against the
//! [`Limits`] of the read before it is allocated (declared sizes, entry counts), and the
//! loops ask the [`Budget`] whether to go on (issue 20: a 1.8 MB DOCX bomb).

use crate::budget::{self, Budget, Limits, Stop};
use quick_xml::Reader;
use quick_xml::events::Event;
use std::io::{Cursor, Read};

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("Định dạng tệp không được hỗ trợ: {0} (chỉ đọc .txt, .docx, .pdf)")]
    Unsupported(String),
    #[error("Tệp văn bản không phải UTF-8 hợp lệ")]
    NotUtf8,
    #[error("Tệp DOCX hỏng hoặc không đọc được: {0}")]
    BadDocx(String),
    #[error("Tệp PDF hỏng hoặc không đọc được: {0}")]
    BadPdf(String),
    #[error("Tệp PDF không có lớp văn bản (bản quét): cần nhận dạng ký tự (OCR) trước khi đọc")]
    PdfWithoutText,
    #[error("Tệp rỗng")]
    Empty,
    /// Over one of the [`Limits`]; the sentence names the limit.
    #[error("{0}")]
    TooLarge(String),
    /// Over the time of the read, or given up by the caller.
    #[error(transparent)]
    Stopped(#[from] Stop),
}

/// "64 MB": a limit as the officer reads it.
pub(crate) fn mb(bytes: u64) -> String {
    format!("{} MB", bytes.div_ceil(1024 * 1024))
}

/// Reads a file's text by its extension, falling back on its magic bytes, with the
/// default limits and no deadline.
pub fn read_file(bytes: &[u8], filename: &str) -> Result<String, ReadError> {
    read_file_with(bytes, filename, &Budget::unlimited())
}

/// [`read_file`] within `budget`: its limits, its deadline, its cancel flag.
pub fn read_file_with(bytes: &[u8], filename: &str, budget: &Budget) -> Result<String, ReadError> {
    budget.run(|| read_any(bytes, filename))?
}

fn read_any(bytes: &[u8], filename: &str) -> Result<String, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    let ext = filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    let is_pdf = bytes.starts_with(b"%PDF");
    let text = match ext.as_str() {
        "docx" => read_docx_in(bytes),
        "pdf" => read_pdf_in(bytes),
        "txt" | "text" | "md" => read_text(bytes),
        _ if is_zip => read_docx_in(bytes),
        _ if is_pdf => read_pdf_in(bytes),
        "" => read_text(bytes),
        "doc" => Err(ReadError::Unsupported(format!(
            "{filename} (Word 97-2003: hãy lưu lại thành .docx)"
        ))),
        _ => Err(ReadError::Unsupported(filename.to_string())),
    }?;
    check_text_len(text.len())?;
    Ok(text)
}

/// The text handed to the parser is bounded whatever the format.
fn check_text_len(len: usize) -> Result<(), ReadError> {
    let max = budget::limits().text_bytes;
    if len > max {
        return Err(text_too_long(max));
    }
    Ok(())
}

pub(crate) fn text_too_long(max: usize) -> ReadError {
    ReadError::TooLarge(format!(
        "Nội dung văn bản vượt quá {} (giới hạn mỗi lần đọc); hãy tách thành nhiều tệp.",
        mb(max as u64)
    ))
}

fn read_text(bytes: &[u8]) -> Result<String, ReadError> {
    let b = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if b.starts_with(b"PK\x03\x04") {
        return read_docx_in(b);
    }
    if b.starts_with(b"%PDF") {
        return read_pdf_in(b);
    }
    check_text_len(b.len())?;
    String::from_utf8(b.to_vec()).map_err(|_| ReadError::NotUtf8)
}

/// A DOCX's text with the default limits and no deadline.
pub fn read_docx(bytes: &[u8]) -> Result<String, ReadError> {
    Budget::unlimited().run(|| read_docx_in(bytes))?
}

/// A PDF's text with the default limits and no deadline.
pub fn read_pdf(bytes: &[u8]) -> Result<String, ReadError> {
    Budget::unlimited().run(|| read_pdf_in(bytes))?
}

/// DOCX: paragraphs become lines; a table row becomes one line of its cells joined
/// by " | " (the form the appendix reader expects); tabs and breaks are kept.
///
/// Before a byte is inflated: the number of entries and the size `document.xml`
/// declares; while inflating: the bytes actually produced (a declared size can lie).
fn read_docx_in(bytes: &[u8]) -> Result<String, ReadError> {
    let limits = budget::limits();
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::BadDocx(e.to_string()))?;
    if zip.len() > limits.zip_entries {
        return Err(ReadError::TooLarge(format!(
            "Tệp DOCX có {} mục nén, vượt quá giới hạn {} mục.",
            zip.len(),
            limits.zip_entries
        )));
    }
    let too_big = || {
        ReadError::TooLarge(format!(
            "Tệp DOCX giải nén vượt quá {} (word/document.xml).",
            mb(limits.part_bytes)
        ))
    };
    let mut raw = Vec::new();
    {
        let part = zip
            .by_name("word/document.xml")
            .map_err(|_| ReadError::BadDocx("thiếu word/document.xml".into()))?;
        if part.size() > limits.part_bytes {
            return Err(too_big());
        }
        raw.reserve(part.size() as usize);
        let mut part = part.take(limits.part_bytes.saturating_add(1));
        let mut chunk = vec![0u8; 256 * 1024];
        loop {
            budget::check()?;
            let n = part
                .read(&mut chunk)
                .map_err(|e| ReadError::BadDocx(e.to_string()))?;
            if n == 0 {
                break;
            }
            raw.extend_from_slice(&chunk[..n]);
            if raw.len() as u64 > limits.part_bytes {
                return Err(too_big());
            }
        }
    }
    let xml = String::from_utf8(raw).map_err(|e| ReadError::BadDocx(e.to_string()))?;
    docx_xml_to_text(&xml, &limits)
}

fn docx_xml_to_text(xml: &str, limits: &Limits) -> Result<String, ReadError> {
    let mut reader = Reader::from_str(xml);
    let mut out = String::new();
    let mut depth = 0usize;
    let mut para = String::new();
    let mut in_text = false;
    // Stack of open tables: rows of cells.
    let mut cell_stack: Vec<(Vec<String>, String)> = Vec::new();
    let mut table_depth = 0usize;
    // Bytes of text met so far (what moves from runs to paragraphs, cells and rows is
    // counted once): with `out`'s length, a bound of the output checked on every event.
    let mut produced = 0usize;
    loop {
        budget::check()?;
        if produced.max(out.len()) > limits.text_bytes {
            return Err(text_too_long(limits.text_bytes));
        }
        let event = reader.read_event();
        match &event {
            Ok(Event::Start(_)) => {
                depth += 1;
                if depth > limits.xml_depth {
                    return Err(ReadError::TooLarge(format!(
                        "Tệp DOCX lồng nhau quá {} cấp (cấu trúc XML bất thường).",
                        limits.xml_depth
                    )));
                }
            }
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            _ => {}
        }
        match event {
            Ok(Event::Start(e)) => match e.local_name().into_inner() {
                "t" => in_text = true,
                "tbl" => table_depth += 1,
                "tr" => cell_stack.push((Vec::new(), String::new())),
                "tc" => {
                    if let Some((_, cell)) = cell_stack.last_mut() {
                        cell.clear();
                    }
                }
                "p" => para.clear(),
                _ => {}
            },
            Ok(Event::Empty(e)) => match e.local_name().into_inner() {
                "tab" => para.push('\t'),
                "br" | "cr" => para.push(if table_depth > 0 { ' ' } else { '\n' }),
                "p" if table_depth == 0 => {
                    out.push('\n');
                }
                _ => {}
            },
            Ok(Event::Text(t)) => {
                if in_text {
                    produced += t.len();
                    para.push_str(t.as_ref());
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if in_text {
                    let name: &str = r.as_ref();
                    match name {
                        "amp" => para.push('&'),
                        "lt" => para.push('<'),
                        "gt" => para.push('>'),
                        "quot" => para.push('"'),
                        "apos" => para.push('\''),
                        _ => {
                            if let Some(c) = r.resolve_char_ref().ok().flatten() {
                                para.push(c);
                            }
                        }
                    }
                }
            }
            Ok(Event::End(e)) => match e.local_name().into_inner() {
                "t" => in_text = false,
                "p" => {
                    if table_depth > 0 {
                        if let Some((_, cell)) = cell_stack.last_mut() {
                            if !cell.is_empty() && !para.trim().is_empty() {
                                cell.push(' ');
                            }
                            cell.push_str(para.trim());
                        }
                    } else {
                        out.push_str(&para);
                        out.push('\n');
                    }
                    para.clear();
                }
                "tc" => {
                    if let Some((cells, cell)) = cell_stack.last_mut() {
                        cells.push(std::mem::take(cell).replace('\t', " "));
                    }
                }
                "tr" => {
                    if let Some((cells, _)) = cell_stack.pop() {
                        let line = cells.join(" | ");
                        if let Some((_, outer)) = cell_stack.last_mut().filter(|_| table_depth > 1)
                        {
                            outer.push_str(&line);
                        } else {
                            out.push_str(&line);
                            out.push('\n');
                        }
                    }
                }
                "tbl" => table_depth = table_depth.saturating_sub(1),
                _ => {}
            },
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(ReadError::BadDocx(e.to_string())),
        }
    }
    Ok(out)
}

/// PDF: the text layer of every page, pages separated by blank lines. A move to
/// a new line (Td/TD with a vertical offset, Tm, T*, ET) becomes a line break, so
/// that header lines ("Số: …", the date line) stay lines.
///
/// lopdf loads the whole file at once and cannot be interrupted: what bounds that is
/// the size of the upload and lopdf's own bound on each inflated stream (set to the
/// part limit). After loading: the number of objects and pages, then the budget on
/// every page, the inflated content of all pages together and the text produced.
fn read_pdf_in(bytes: &[u8]) -> Result<String, ReadError> {
    let limits = budget::limits();
    let part = usize::try_from(limits.part_bytes).unwrap_or(usize::MAX);
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(part),
        ..lopdf::LoadOptions::default()
    };
    let doc = lopdf::Document::load_mem_with_options(bytes, options)
        .map_err(|e| ReadError::BadPdf(e.to_string()))?;
    budget::check()?;
    if doc.objects.len() > limits.pdf_objects {
        return Err(ReadError::TooLarge(format!(
            "Tệp PDF có {} đối tượng, vượt quá giới hạn {}.",
            doc.objects.len(),
            limits.pdf_objects
        )));
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(ReadError::BadPdf("không có trang nào".into()));
    }
    if pages.len() > limits.pdf_pages {
        return Err(ReadError::TooLarge(format!(
            "Tệp PDF có {} trang, vượt quá giới hạn {} trang.",
            pages.len(),
            limits.pdf_pages
        )));
    }
    let mut out = String::new();
    let mut inflated = 0usize;
    for page_id in pages.values() {
        budget::check()?;
        inflated = inflated.saturating_add(page_text(&doc, *page_id, &mut out, part));
        if inflated > part {
            return Err(ReadError::TooLarge(format!(
                "Tệp PDF giải nén vượt quá {} (nội dung các trang).",
                mb(limits.part_bytes)
            )));
        }
        if out.len() > limits.text_bytes {
            return Err(text_too_long(limits.text_bytes));
        }
        out.push_str("\n\n");
    }
    let letters = out.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 10 {
        return Err(ReadError::PdfWithoutText);
    }
    Ok(out)
}

fn newline(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// Appends the text of one page; returns the bytes of content inflated for it.
fn page_text(
    doc: &lopdf::Document,
    page_id: lopdf::ObjectId,
    out: &mut String,
    limit: usize,
) -> usize {
    use lopdf::Object;
    let Ok(fonts) = doc.get_page_fonts(page_id) else {
        return 0;
    };
    let encodings: std::collections::BTreeMap<Vec<u8>, lopdf::Encoding<'_>> = fonts
        .into_iter()
        .filter_map(|(name, font)| {
            font.get_font_encoding_with_limit(doc, limit)
                .ok()
                .map(|e| (name, e))
        })
        .collect();
    let Ok(data) = doc.get_page_content_with_limit(page_id, limit) else {
        return 0;
    };
    let Ok(content) = lopdf::content::Content::decode(&data) else {
        return data.len();
    };
    let mut enc: Option<&lopdf::Encoding<'_>> = None;
    let mut last_y: Option<f32> = None;
    let show = |out: &mut String, enc: Option<&lopdf::Encoding<'_>>, ops: &[Object]| {
        fn walk(out: &mut String, enc: &lopdf::Encoding<'_>, ops: &[Object]) {
            for o in ops {
                match o {
                    Object::String(b, _) => {
                        if let Ok(t) = lopdf::Document::decode_text(enc, b) {
                            out.push_str(&t);
                        }
                    }
                    Object::Array(a) => walk(out, enc, a),
                    Object::Integer(i) if *i < -200 => out.push(' '),
                    Object::Real(r) if *r < -200.0 => out.push(' '),
                    _ => {}
                }
            }
        }
        if let Some(e) = enc {
            walk(out, e, ops);
        }
    };
    for op in &content.operations {
        if !budget::go_on() {
            break;
        }
        let num = |i: usize| op.operands.get(i).and_then(|o| o.as_float().ok());
        match op.operator.as_str() {
            "Tf" => {
                enc = op
                    .operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .and_then(|n| encodings.get(n))
            }
            "Tj" | "TJ" => show(out, enc, &op.operands),
            "'" => {
                newline(out);
                show(out, enc, &op.operands);
            }
            "\"" => {
                newline(out);
                show(out, enc, op.operands.get(2..).unwrap_or(&[]));
            }
            "Td" | "TD" => {
                if num(1).is_some_and(|ty| ty.abs() > 0.5) {
                    newline(out);
                } else if num(0).is_some_and(|tx| tx > 1.0) && !out.ends_with([' ', '\n']) {
                    out.push(' ');
                }
            }
            "Tm" => {
                let y = num(5);
                if y.is_some() && last_y.is_some_and(|l| y.is_some_and(|y| (y - l).abs() > 0.5)) {
                    newline(out);
                }
                last_y = y;
            }
            "T*" | "ET" => newline(out),
            _ => {}
        }
    }
    data.len()
}
