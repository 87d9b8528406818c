//! The text layer of a PDF, as a reader of the printed page would take it.
//!
//! A PDF places glyphs, it does not write words or lines: word processors and browsers
//! position every glyph (or every run) with its own move (`Td`, `Tm`), close and reopen
//! the text object at each change of font (a bold word inside a sentence), and justify
//! lines by moving glyphs apart. What makes a space or a line break is therefore read
//! from the geometry (ISO 32000-1 §9.4, text objects; §9.2.4, glyph positioning and
//! metrics): the reader keeps the text matrix and the current transformation matrix,
//! knows where the last glyph ended from the font's widths (`/Widths`, or `/W` and `/DW`
//! of a CID font), and compares that with where the next run starts. A run that starts
//! on another baseline begins a new line; one that starts further right than a fifth of
//! the font size begins a new word. Text is kept in the order of the content stream,
//! which is the order it was written in (a header table's left cell, then its right).

use crate::budget;
use crate::read::{ReadError, mb, text_too_long};
use lopdf::{Dictionary, Document, Encoding, Object, ObjectId};
use std::collections::BTreeMap;

mod lines;
use lines::{Line, Page, Start, Tables};

/// The text of every page, in order.
///
/// lopdf loads the whole file at once and cannot be interrupted: what bounds that is
/// the size of the upload and lopdf's own bound on each inflated stream (set to the
/// part limit). After loading: the number of objects and pages, then the budget on
/// every page, the inflated content of all pages together and the text produced.
pub(crate) fn read_pdf_in(bytes: &[u8]) -> Result<String, ReadError> {
    let limits = budget::limits();
    let part = usize::try_from(limits.part_bytes).unwrap_or(usize::MAX);
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(part),
        ..lopdf::LoadOptions::default()
    };
    let doc = Document::load_mem_with_options(bytes, options).map_err(|_| {
        // The library's own words are English and technical: the officer is told what
        // to do about the file instead.
        ReadError::BadPdf("cấu trúc tệp sai (tệp bị cắt, bị hỏng hoặc được mã hóa)".into())
    })?;
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
    let mut tables = Tables::default();
    let mut inflated = 0usize;
    for page_id in pages.values() {
        budget::check()?;
        inflated = inflated.saturating_add(page_text(&doc, *page_id, &mut out, &mut tables, part));
        if inflated > part {
            return Err(ReadError::TooLarge(format!(
                "Tệp PDF giải nén vượt quá {} (nội dung các trang).",
                mb(limits.part_bytes)
            )));
        }
        if out.len() > limits.text_bytes {
            return Err(text_too_long(limits.text_bytes));
        }
        // A page ends where the space does, often inside a sentence: a line break, no
        // more (the next page's running header and number are the normaliser's).
        newline(&mut out);
    }
    tables.flush(&mut out);
    let letters = out.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 10 {
        return Err(ReadError::PdfWithoutText);
    }
    Ok(out)
}

/// A 2-D affine matrix `[a b c d e f]` (ISO 32000-1 §8.3.3).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Matrix([f32; 6]);

impl Matrix {
    const ID: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    fn from_operands(ops: &[Object]) -> Option<Matrix> {
        let mut m = [0f32; 6];
        for (i, slot) in m.iter_mut().enumerate() {
            *slot = ops.get(i)?.as_float().ok()?;
        }
        Some(Matrix(m))
    }

    /// `self × other`: apply `self`, then `other`.
    fn then(self, other: Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = other.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    fn translate(tx: f32, ty: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, tx, ty])
    }

    fn apply(self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (x * a + y * c + e, x * b + y * d + f)
    }

    /// How long a unit of text space's vertical is on the page.
    fn v_scale(self) -> f32 {
        let [_, _, c, d, _, _] = self.0;
        (c * c + d * d).sqrt()
    }
}

/// Glyph widths of one font, in thousandths of the text space unit.
#[derive(Debug, Default)]
struct Widths {
    /// Simple fonts: `/FirstChar` and `/Widths`.
    first: u32,
    simple: Vec<f32>,
    /// CID fonts: `/W` as (first, last, width) ranges, and `/DW`.
    ranges: Vec<(u32, u32, f32)>,
    default: f32,
}

impl Widths {
    fn of(&self, code: u32) -> f32 {
        if let Some(w) = code
            .checked_sub(self.first)
            .and_then(|i| self.simple.get(i as usize))
        {
            return *w;
        }
        // Sorted by first code (`cid_widths`): the last range starting at or before it.
        let i = self.ranges.partition_point(|(lo, _, _)| *lo <= code);
        match i.checked_sub(1).map(|i| self.ranges[i]) {
            Some((_, hi, w)) if code <= hi => w,
            _ => self.default,
        }
    }
}

/// What the reader needs of a font: how to turn its codes into text, how many bytes a
/// code has, and how wide each glyph is.
struct Font<'a> {
    encoding: Encoding<'a>,
    two_byte: bool,
    widths: Widths,
}

fn num(o: &Object) -> Option<f32> {
    o.as_float().ok()
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(o)
}

fn font_of<'a>(doc: &'a Document, font: &'a Dictionary, limit: usize) -> Option<Font<'a>> {
    let encoding = font.get_font_encoding_with_limit(doc, limit).ok()?;
    let type0 = font
        .get(b"Subtype")
        .ok()
        .and_then(|s| s.as_name().ok())
        .is_some_and(|n| n == b"Type0");
    let mut widths = Widths {
        default: if type0 { 1000.0 } else { 500.0 },
        ..Widths::default()
    };
    if type0 {
        let descendant = font
            .get(b"DescendantFonts")
            .ok()
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_dict().ok());
        if let Some(cid) = descendant {
            if let Some(dw) = cid.get(b"DW").ok().and_then(num) {
                widths.default = dw;
            }
            if let Some(w) = cid
                .get(b"W")
                .ok()
                .map(|o| deref(doc, o))
                .and_then(|o| o.as_array().ok())
            {
                widths.ranges = cid_widths(doc, w);
            }
        }
    } else {
        widths.first = font
            .get(b"FirstChar")
            .ok()
            .and_then(num)
            .map_or(0, |f| f.max(0.0) as u32);
        if let Some(w) = font
            .get(b"Widths")
            .ok()
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_array().ok())
        {
            widths.simple = w
                .iter()
                .map(|o| num(deref(doc, o)).unwrap_or(0.0))
                .collect();
        }
        let missing = font
            .get(b"FontDescriptor")
            .ok()
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_dict().ok())
            .and_then(|d| d.get(b"MissingWidth").ok())
            .and_then(num);
        if let Some(m) = missing.filter(|m| *m > 0.0) {
            widths.default = m;
        }
    }
    Some(Font {
        encoding,
        two_byte: type0,
        widths,
    })
}

/// `/W` of a CID font: `c [w1 w2 …]` gives consecutive widths from c, `c1 c2 w` one
/// width for a range (ISO 32000-1 §9.7.4.3).
fn cid_widths(doc: &Document, w: &[Object]) -> Vec<(u32, u32, f32)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < w.len() && out.len() < 65_536 {
        let Some(first) = num(deref(doc, &w[i])).map(|f| f.max(0.0) as u32) else {
            break;
        };
        match w.get(i + 1).map(|o| deref(doc, o)) {
            Some(Object::Array(list)) => {
                for (k, o) in list.iter().enumerate() {
                    let c = first.saturating_add(k as u32);
                    out.push((c, c, num(deref(doc, o)).unwrap_or(0.0)));
                }
                i += 2;
            }
            Some(o) => {
                let (Some(last), Some(width)) =
                    (num(o), w.get(i + 2).and_then(|o| num(deref(doc, o))))
                else {
                    break;
                };
                out.push((first, last.max(0.0) as u32, width));
                i += 3;
            }
            None => break,
        }
    }
    // Looked up once per glyph: sorted for a binary search (a font may list thousands).
    out.sort_by_key(|r| r.0);
    out
}

/// The graphics and text state the layout needs (ISO 32000-1 §9.3).
struct State {
    ctm: Matrix,
    stack: Vec<Matrix>,
    tm: Matrix,
    tlm: Matrix,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    scale: f32,
    leading: f32,
    /// Where the last glyph shown ended, on the page, and the font size there.
    last_end: Option<(f32, f32, f32)>,
}

impl State {
    fn new() -> State {
        State {
            ctm: Matrix::ID,
            stack: Vec::new(),
            tm: Matrix::ID,
            tlm: Matrix::ID,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            scale: 1.0,
            leading: 0.0,
            last_end: None,
        }
    }

    fn next_line(&mut self, tx: f32, ty: f32) {
        self.tlm = Matrix::translate(tx, ty).then(self.tlm);
        self.tm = self.tlm;
    }

    fn here(&self) -> (f32, f32, f32) {
        let m = self.tm.then(self.ctm);
        let (x, y) = m.apply(0.0, 0.0);
        (x, y, self.size * m.v_scale())
    }

    /// Before a run is shown: a new line if it starts on another baseline or far to the
    /// right on the same one (the next cell of a table), a space if it starts further
    /// right than a fifth of the font size from where the last ended.
    fn separate(&self, page: &mut Page) {
        let (sx, sy, size) = self.here();
        let start = match self.last_end {
            None => Start::First,
            Some((ex, ey, esize)) => {
                let size = size.max(esize).max(0.1);
                match Self::start_against(page, (sx, sy), (ex, ey), size) {
                    Some(start) => start,
                    None => return,
                }
            }
        };
        page.lines.push(Line {
            x0: sx,
            x1: sx,
            y: sy,
            size,
            start,
            ..Line::default()
        });
    }

    /// How a run starting at `s` stands to the end `e` of the last one: a new line
    /// (`Some`), or the same line, with a space pushed if there is a gap (`None`).
    fn start_against(
        page: &mut Page,
        (sx, sy): (f32, f32),
        (ex, ey): (f32, f32),
        size: f32,
    ) -> Option<Start> {
        Some(if sy - ey > 0.5 * size {
            Start::Up
        } else if ey - sy > 0.5 * size {
            Start::Down
        } else if sx - ex > 3.0 * size || (sx - ex > 0.35 * size && !page.ends_with_space()) {
            // Far to the right on the same baseline, with no space glyph before the
            // gap (justified lines stretch the spaces they have): the next cell.
            Start::Beside
        } else {
            if (sx - ex).abs() > 0.2 * size {
                page.space();
            }
            return None;
        })
    }

    /// Shows a string: its text, then the text matrix moved past its glyphs.
    fn show(&mut self, page: &mut Page, font: Option<&Font<'_>>, bytes: &[u8]) {
        let Some(font) = font else {
            return;
        };
        if let Ok(t) = Document::decode_text(&font.encoding, bytes) {
            page.current().text.push_str(&t);
        }
        let step = if font.two_byte { 2 } else { 1 };
        let mut advance = 0.0;
        for code in bytes.chunks(step) {
            let c = code.iter().fold(0u32, |acc, b| acc << 8 | u32::from(*b));
            let mut w = font.widths.of(c) / 1000.0 * self.size + self.char_spacing;
            if step == 1 && c == 32 {
                w += self.word_spacing;
            }
            advance += w * self.scale;
        }
        self.advance(page, advance);
    }

    fn advance(&mut self, page: &mut Page, tx: f32) {
        self.tm = Matrix::translate(tx, 0.0).then(self.tm);
        let end = self.here();
        let line = page.current();
        line.x1 = line.x1.max(end.0);
        self.last_end = Some(end);
    }
}

fn newline(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// Appends the text of one page; returns the bytes of content inflated for it.
fn page_text(
    doc: &Document,
    page_id: ObjectId,
    out: &mut String,
    tables: &mut Tables,
    limit: usize,
) -> usize {
    let Ok(fonts) = doc.get_page_fonts(page_id) else {
        return 0;
    };
    let fonts: BTreeMap<Vec<u8>, Font<'_>> = fonts
        .into_iter()
        .filter_map(|(name, font)| font_of(doc, font, limit).map(|f| (name, f)))
        .collect();
    let Ok(data) = doc.get_page_content_with_limit(page_id, limit) else {
        return 0;
    };
    let Ok(content) = lopdf::content::Content::decode(&data) else {
        return data.len();
    };
    let mut font: Option<&Font<'_>> = None;
    let mut st = State::new();
    let mut page = Page::default();
    for op in &content.operations {
        if !budget::go_on() {
            break;
        }
        let ops = &op.operands;
        let f = |i: usize| ops.get(i).and_then(num);
        match op.operator.as_str() {
            "q" if st.stack.len() < 64 => st.stack.push(st.ctm),
            "Q" => st.ctm = st.stack.pop().unwrap_or(st.ctm),
            "cm" => {
                if let Some(m) = Matrix::from_operands(ops) {
                    st.ctm = m.then(st.ctm);
                }
            }
            "BT" => {
                st.tm = Matrix::ID;
                st.tlm = Matrix::ID;
            }
            "Tf" => {
                font = ops
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .and_then(|n| fonts.get(n));
                st.size = f(1).unwrap_or(st.size);
            }
            "Tc" => st.char_spacing = f(0).unwrap_or(0.0),
            "Tw" => st.word_spacing = f(0).unwrap_or(0.0),
            "Tz" => st.scale = f(0).unwrap_or(100.0) / 100.0,
            "TL" => st.leading = f(0).unwrap_or(0.0),
            "Td" => st.next_line(f(0).unwrap_or(0.0), f(1).unwrap_or(0.0)),
            "TD" => {
                let ty = f(1).unwrap_or(0.0);
                st.leading = -ty;
                st.next_line(f(0).unwrap_or(0.0), ty);
            }
            "Tm" => {
                if let Some(m) = Matrix::from_operands(ops) {
                    st.tlm = m;
                    st.tm = m;
                }
            }
            "T*" => st.next_line(0.0, -st.leading),
            "Tj" | "'" | "\"" => {
                if op.operator != "Tj" {
                    st.next_line(0.0, -st.leading);
                }
                if op.operator == "\"" {
                    st.word_spacing = f(0).unwrap_or(st.word_spacing);
                    st.char_spacing = f(1).unwrap_or(st.char_spacing);
                }
                if let Some(Object::String(b, _)) = ops.last() {
                    st.separate(&mut page);
                    st.show(&mut page, font, b);
                }
            }
            "TJ" => {
                let Some(Object::Array(items)) = ops.first() else {
                    continue;
                };
                st.separate(&mut page);
                for item in items {
                    match item {
                        Object::String(b, _) => st.show(&mut page, font, b),
                        o => {
                            let Some(n) = num(o) else { continue };
                            // A move of more than a fifth of an em to the right is
                            // the gap between two words.
                            if n < -200.0 {
                                page.space();
                            }
                            st.advance(&mut page, -n / 1000.0 * st.size * st.scale);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    page.write(out, tables);
    data.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrices_compose_in_pdf_order() {
        let scale = Matrix([2.0, 0.0, 0.0, 2.0, 0.0, 0.0]);
        let m = Matrix::translate(10.0, 5.0).then(scale);
        assert_eq!(m.apply(0.0, 0.0), (20.0, 10.0));
        assert_eq!(m.v_scale(), 2.0);
    }

    #[test]
    fn cid_widths_read_both_forms() {
        let doc = Document::new();
        let w = vec![
            Object::Integer(3),
            Object::Array(vec![Object::Integer(250), Object::Integer(600)]),
            Object::Integer(10),
            Object::Integer(20),
            Object::Integer(500),
        ];
        let ranges = cid_widths(&doc, &w);
        let widths = Widths {
            ranges,
            default: 1000.0,
            ..Widths::default()
        };
        assert_eq!(widths.of(3), 250.0);
        assert_eq!(widths.of(4), 600.0);
        assert_eq!(widths.of(15), 500.0);
        assert_eq!(widths.of(99), 1000.0);
    }
}
