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
        "pdf" => crate::pdf::read_pdf_in(bytes),
        "txt" | "text" | "md" => read_text(bytes),
        _ if is_zip => read_docx_in(bytes),
        _ if is_pdf => crate::pdf::read_pdf_in(bytes),
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
        return crate::pdf::read_pdf_in(b);
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
    Budget::unlimited().run(|| crate::pdf::read_pdf_in(bytes))?
}

/// DOCX: paragraphs become lines; a table row becomes one line of its cells joined
/// by " | " (the form the appendix reader expects); tabs and breaks are kept.
///
/// Before a byte is inflated: the number of entries and the size `document.xml`
/// declares; while inflating: the bytes actually produced (a declared size can lie).
fn read_docx_in(bytes: &[u8]) -> Result<String, ReadError> {
    let limits = budget::limits();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
        ReadError::BadDocx("không phải tệp nén DOCX hợp lệ (tệp bị cắt hoặc hỏng)".into())
    })?;
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
                .map_err(|_| ReadError::BadDocx("không giải nén được word/document.xml".into()))?;
            if n == 0 {
                break;
            }
            raw.extend_from_slice(&chunk[..n]);
            if raw.len() as u64 > limits.part_bytes {
                return Err(too_big());
            }
        }
    }
    let xml = String::from_utf8(raw)
        .map_err(|_| ReadError::BadDocx("word/document.xml không phải UTF-8".into()))?;
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
            Err(_) => {
                return Err(ReadError::BadDocx(
                    "nội dung word/document.xml sai cấu trúc XML".into(),
                ));
            }
        }
    }
    Ok(out)
}
