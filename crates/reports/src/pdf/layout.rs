//! Places a paper's blocks on pages: the letterhead, wrapped paragraphs, ruled tables whose
//! head row repeats after a page break, and signature columns kept whole.

use crate::doc::{Align, Block, Column, OfficialDoc, Run, Signature, Table, date_words};
use crate::labels;

use super::text::{ASCENT, Face, Line, width, wrap};

const MM: f32 = 72.0 / 25.4;
/// Line height as a multiple of the font size.
const LEADING: f32 = 1.25;
const CELL_PAD_X: f32 = 3.0;
const CELL_PAD_Y: f32 = 2.0;
const RULE: f32 = 0.6;

/// One drawing operation; y grows downwards from the top of the page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Op {
    /// `y` is the baseline.
    Text {
        x: f32,
        y: f32,
        face: Face,
        size: f32,
        text: String,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        dotted: bool,
    },
}

#[derive(Debug, Default)]
pub(crate) struct PageOps {
    pub ops: Vec<Op>,
}

struct Cursor {
    pages: Vec<PageOps>,
    y: f32,
    top: f32,
    bottom: f32,
    left: f32,
    width: f32,
    size: f32,
}

impl Cursor {
    fn lh(&self, size: f32) -> f32 {
        size * LEADING
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(PageOps::default());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last].ops
    }

    fn new_page(&mut self) {
        self.pages.push(PageOps::default());
        self.y = self.top;
    }

    /// Starts a new page unless `height` more fits, or the page is still empty.
    fn ensure(&mut self, height: f32) {
        if self.y + height > self.bottom && self.y > self.top + 0.5 {
            self.new_page();
        }
    }

    fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32, dotted: bool) {
        self.ops().push(Op::Line {
            x1,
            y1,
            x2,
            y2,
            width,
            dotted,
        });
    }

    /// Draws laid-out lines from the current y, `x` being the left of a box `w` wide.
    fn draw_lines(&mut self, lines: &[Line], x: f32, w: f32, align: Align, size: f32) {
        for line in lines {
            self.draw_line_at(line, x, self.y, w, align, size);
            self.y += self.lh(size);
        }
    }

    fn draw_line_at(&mut self, line: &Line, x: f32, top: f32, w: f32, align: Align, size: f32) {
        let offset = match align {
            Align::Left => 0.0,
            Align::Center => ((w - line.width) / 2.0).max(0.0),
            Align::Right => (w - line.width).max(0.0),
        };
        let baseline = top + size * ASCENT + size * (LEADING - 1.0) / 2.0;
        for piece in &line.pieces {
            if piece.text.trim().is_empty() {
                continue;
            }
            self.ops().push(Op::Text {
                x: x + offset + piece.x,
                y: baseline,
                face: piece.face,
                size,
                text: piece.text.clone(),
            });
        }
    }

    /// Paragraph lines one by one, breaking pages between lines.
    fn flow(&mut self, lines: &[Line], align: Align, size: f32) {
        let lh = self.lh(size);
        for line in lines {
            self.ensure(lh);
            let (x, w, y) = (self.left, self.width, self.y);
            self.draw_line_at(line, x, y, w, align, size);
            self.y += lh;
        }
    }
}

fn styled(runs: &[Run]) -> Vec<(Face, &str)> {
    runs.iter()
        .map(|r| (Face::of(r.bold, r.italic), r.text.as_str()))
        .collect()
}

fn one(face: Face, text: &str, size: f32, max: f32) -> Vec<Line> {
    wrap(&[(face, text)], size, max, 0.0)
}

/// The letterhead: issuer block left, national name and motto right, number and date on
/// one line below them.
fn letterhead(c: &mut Cursor, doc: &OfficialDoc) {
    let size = c.size;
    let left_w = c.width * 0.44;
    let right_x = c.left + left_w;
    let right_w = c.width - left_w;
    let lh = c.lh(size);
    let top = c.y;

    // Left column.
    let head = &doc.letterhead;
    if !head.agency_parent.trim().is_empty() {
        let lines = one(
            Face::Regular,
            &head.agency_parent.to_uppercase(),
            size,
            left_w,
        );
        c.draw_lines(&lines, c.left, left_w, Align::Center, size);
    }
    let agency = one(Face::Bold, &head.agency.to_uppercase(), size, left_w);
    c.draw_lines(&agency, c.left, left_w, Align::Center, size);
    let rule_w = left_w / 3.0;
    let rule_x = c.left + (left_w - rule_w) / 2.0;
    let rule_y = c.y + 1.5;
    c.line(rule_x, rule_y, rule_x + rule_w, rule_y, RULE, false);
    let left_end = c.y + lh * 0.4;

    // Right column: the national name shrinks to stay on one line.
    c.y = top;
    let natural = width(Face::Bold, labels::NATIONAL_NAME, 1.0);
    let nation_size = (size - 0.5).min(right_w * 0.98 / natural).max(6.0);
    let nation = one(Face::Bold, labels::NATIONAL_NAME, nation_size, right_w);
    c.draw_lines(&nation, right_x, right_w, Align::Center, nation_size);
    let motto_size = size.min(right_w * 0.98 / width(Face::Bold, labels::MOTTO, 1.0));
    let motto = one(Face::Bold, labels::MOTTO, motto_size, right_w);
    c.draw_lines(&motto, right_x, right_w, Align::Center, motto_size);
    let motto_w = width(Face::Bold, labels::MOTTO, motto_size);
    let mx = right_x + (right_w - motto_w) / 2.0;
    let my = c.y + 1.5;
    c.line(mx, my, mx + motto_w, my, RULE, false);
    let right_end = c.y + lh * 0.4;

    // Number and date on one line.
    let below = left_end.max(right_end);
    let mut end = below;
    if let Some(number) = &head.number {
        c.y = below;
        let number = if number.trim().is_empty() {
            "Số: ……/……".to_string()
        } else {
            format!("Số: {number}")
        };
        let lines = one(Face::Regular, &number, size, left_w);
        c.draw_lines(&lines, c.left, left_w, Align::Center, size);
        end = end.max(c.y);
    }
    if let Some((place, date)) = &doc.place_date {
        c.y = below;
        let text = format!("{place}, {}", date_words(*date));
        let lines = one(Face::Italic, &text, size, right_w);
        c.draw_lines(&lines, right_x, right_w, Align::Center, size);
        end = end.max(c.y);
    }
    c.y = end;
}

fn title(c: &mut Cursor, doc: &OfficialDoc) {
    let size = c.size + 1.0;
    c.y += c.lh(c.size) * 0.8;
    let lines = one(Face::Bold, &doc.title.to_uppercase(), size, c.width);
    c.flow(&lines, Align::Center, size);
    if !doc.subtitle.is_empty() {
        let lines = wrap(&styled(&doc.subtitle), c.size, c.width, 0.0);
        c.flow(&lines, Align::Center, c.size);
    }
    c.y += c.lh(c.size) * 0.5;
}

/// A "Label: value" field in a box; an empty value gets a dotted line to the box's end.
fn field_lines(label: &str, value: &str, size: f32, w: f32) -> (Vec<Line>, bool) {
    if value.trim().is_empty() {
        let text = format!("{label}:");
        (one(Face::Regular, &text, size, w), true)
    } else {
        let label = format!("{label}: ");
        (
            wrap(
                &[(Face::Regular, &label), (Face::Regular, value)],
                size,
                w,
                0.0,
            ),
            false,
        )
    }
}

fn fields(c: &mut Cursor, items: &[(String, String)]) {
    if items.is_empty() {
        return;
    }
    let size = c.size;
    let lh = c.lh(size);
    let gap = size * 0.6;
    let share = (c.width - gap * (items.len() as f32 - 1.0)) / items.len() as f32;
    let laid: Vec<(Vec<Line>, bool)> = items
        .iter()
        .map(|(l, v)| field_lines(l, v, size, share))
        .collect();
    let rows = laid.iter().map(|(l, _)| l.len()).max().unwrap_or(1);
    c.ensure(rows as f32 * lh);
    let top = c.y;
    for (i, (lines, dotted)) in laid.iter().enumerate() {
        let x = c.left + i as f32 * (share + gap);
        c.y = top;
        c.draw_lines(lines, x, share, Align::Left, size);
        if *dotted {
            let last = lines.last().map_or(0.0, |l| l.width);
            let y = c.y - lh * 0.2;
            c.line(x + last + 2.0, y, x + share, y, 0.5, true);
        }
    }
    c.y = top + rows as f32 * lh;
}

fn dotted_lines(c: &mut Cursor, n: u32) {
    let lh = c.lh(c.size);
    for _ in 0..n {
        c.ensure(lh);
        c.y += lh;
        let (x, w, y) = (c.left, c.width, c.y - lh * 0.2);
        c.line(x, y, x + w, y, 0.5, true);
    }
}

struct Grid {
    xs: Vec<f32>,
    size: f32,
}

impl Grid {
    fn new(c: &Cursor, columns: &[Column]) -> Grid {
        let total: f32 = columns.iter().map(|col| col.width).sum::<f32>().max(0.001);
        let mut xs = vec![c.left];
        let mut x = c.left;
        for col in columns {
            x += col.width / total * c.width;
            xs.push(x);
        }
        // Wide registers print a point smaller so names and dates stay on one line.
        let smaller = if columns.len() > 8 { 2.0 } else { 1.0 };
        Grid {
            xs,
            size: c.size - smaller,
        }
    }

    fn cell_w(&self, i: usize) -> f32 {
        self.xs[i + 1] - self.xs[i] - 2.0 * CELL_PAD_X
    }

    fn lay_row(&self, cells: &[(Face, &str)]) -> (Vec<Vec<Line>>, f32) {
        let laid: Vec<Vec<Line>> = cells
            .iter()
            .enumerate()
            .map(|(i, (face, text))| one(*face, text, self.size, self.cell_w(i)))
            .collect();
        let rows = laid.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let h = rows as f32 * self.size * LEADING + 2.0 * CELL_PAD_Y;
        (laid, h)
    }

    fn draw_row(&self, c: &mut Cursor, laid: &[Vec<Line>], h: f32, aligns: &[Align], mid: bool) {
        let top = c.y;
        let lh = self.size * LEADING;
        for (i, lines) in laid.iter().enumerate() {
            let x = self.xs[i] + CELL_PAD_X;
            let w = self.cell_w(i);
            let used = lines.len() as f32 * lh;
            let mut y = top + CELL_PAD_Y;
            if mid {
                y += (h - 2.0 * CELL_PAD_Y - used) / 2.0;
            }
            let align = aligns.get(i).copied().unwrap_or_default();
            for line in lines {
                c.draw_line_at(line, x, y, w, align, self.size);
                y += lh;
            }
        }
        let (x0, x1) = (self.xs[0], self.xs[self.xs.len() - 1]);
        c.line(x0, top, x1, top, RULE, false);
        c.line(x0, top + h, x1, top + h, RULE, false);
        for &x in &self.xs {
            c.line(x, top, x, top + h, RULE, false);
        }
        c.y = top + h;
    }
}

fn table(c: &mut Cursor, t: &Table) {
    if t.columns.is_empty() {
        return;
    }
    c.y += c.lh(c.size) * 0.2;
    let grid = Grid::new(c, &t.columns);
    let head_cells: Vec<(Face, &str)> = t
        .columns
        .iter()
        .map(|col| (Face::Bold, col.head.as_str()))
        .collect();
    let (head, head_h) = grid.lay_row(&head_cells);
    let head_aligns = vec![Align::Center; t.columns.len()];
    let aligns: Vec<Align> = t.columns.iter().map(|col| col.align).collect();

    let first_h = t
        .rows
        .first()
        .map(|r| grid.lay_row(&cells(r, t.columns.len())).1)
        .unwrap_or(head_h);
    c.ensure(head_h + first_h);
    grid.draw_row(c, &head, head_h, &head_aligns, true);

    if t.rows.is_empty() {
        let text = t.empty_text.as_deref().unwrap_or("");
        let span = Grid {
            xs: vec![grid.xs[0], grid.xs[grid.xs.len() - 1]],
            size: grid.size,
        };
        let (laid, h) = span.lay_row(&[(Face::Italic, text)]);
        span.draw_row(c, &laid, h, &[Align::Center], false);
    }
    for row in &t.rows {
        let (laid, h) = grid.lay_row(&cells(row, t.columns.len()));
        if c.y + h > c.bottom {
            c.new_page();
            grid.draw_row(c, &head, head_h, &head_aligns, true);
        }
        grid.draw_row(c, &laid, h, &aligns, false);
    }
    c.y += c.lh(c.size) * 0.3;
}

fn cells(row: &[String], n: usize) -> Vec<(Face, &str)> {
    (0..n)
        .map(|i| (Face::Regular, row.get(i).map_or("", String::as_str)))
        .collect()
}

type LaidSignature = (Vec<Line>, Vec<Line>, Vec<Line>);

/// The signature columns laid out, and the height of the block (its top gap included).
fn laid_signatures(c: &Cursor, sigs: &[Signature]) -> (Vec<LaidSignature>, f32) {
    let size = c.size;
    let lh = c.lh(size);
    let w = c.width / sigs.len().max(1) as f32;
    let room = lh * 3.5;
    let laid: Vec<LaidSignature> = sigs
        .iter()
        .map(|s| {
            if s.title.is_empty() {
                return (Vec::new(), Vec::new(), Vec::new());
            }
            let title = one(Face::Bold, &s.title.to_uppercase(), size, w - 4.0);
            let hint = s
                .hint
                .as_deref()
                .map(|h| one(Face::Italic, h, size, w - 4.0))
                .unwrap_or_default();
            let name = if s.name.trim().is_empty() {
                Vec::new()
            } else {
                one(Face::Bold, &s.name, size, w - 4.0)
            };
            (title, hint, name)
        })
        .collect();
    let height = laid
        .iter()
        .map(|(t, h, n)| (t.len() + h.len() + n.len()) as f32 * lh + room)
        .fold(0.0, f32::max);
    (laid, height + lh * 0.5)
}

fn signatures(c: &mut Cursor, sigs: &[Signature]) {
    if sigs.is_empty() {
        return;
    }
    let size = c.size;
    let lh = c.lh(size);
    let w = c.width / sigs.len() as f32;
    let room = lh * 3.5;
    let (laid, height) = laid_signatures(c, sigs);
    c.y += lh * 0.5;
    c.ensure(height - lh * 0.5);
    let top = c.y;
    let mut end = top;
    for (i, (title, hint, name)) in laid.iter().enumerate() {
        let x = c.left + i as f32 * w;
        c.y = top;
        c.draw_lines(title, x, w, Align::Center, size);
        c.draw_lines(hint, x, w, Align::Center, size);
        c.y += room;
        c.draw_lines(name, x, w, Align::Center, size);
        end = end.max(c.y);
    }
    c.y = end;
}

fn block(c: &mut Cursor, b: &Block) {
    let size = c.size;
    match b {
        Block::Paragraph {
            runs,
            align,
            indent,
        } => {
            let indent = if *indent { 10.0 * MM } else { 0.0 };
            let lines = wrap(&styled(runs), size, c.width, indent);
            c.flow(&lines, *align, size);
        }
        Block::Field { label, value } => fields(c, &[(label.clone(), value.clone())]),
        Block::Fields(items) => fields(c, items),
        Block::DottedLines(n) => dotted_lines(c, *n),
        Block::Table(t) => table(c, t),
        Block::Signatures(sigs) => signatures(c, sigs),
        Block::Space(lines) => c.y += lines * c.lh(size),
    }
}

/// Lays the paper out on as many pages as it needs.
pub(crate) fn layout(doc: &OfficialDoc) -> Vec<PageOps> {
    let (w, h) = doc.paper.size_pt();
    let [top, right, bottom, left] = doc.paper.margins_mm().map(|m| m * MM);
    let mut c = Cursor {
        pages: vec![PageOps::default()],
        y: top,
        top,
        bottom: h - bottom,
        left,
        width: w - left - right,
        size: doc.paper.body_size(),
    };
    letterhead(&mut c, doc);
    title(&mut c, doc);
    for (i, b) in doc.blocks.iter().enumerate() {
        // The signatures never open a page alone: the paragraph before them goes along
        // (NĐ 30/2020 Phụ lục I: the signature follows the text it signs).
        if let (Block::Paragraph { runs, indent, .. }, Some(Block::Signatures(sigs))) =
            (b, doc.blocks.get(i + 1))
            && !sigs.is_empty()
        {
            let indent = if *indent { 10.0 * MM } else { 0.0 };
            let lines = wrap(&styled(runs), c.size, c.width, indent).len() as f32;
            let need = lines * c.lh(c.size) + laid_signatures(&c, sigs).1;
            c.ensure(need);
        }
        block(&mut c, b);
    }
    // NĐ 30/2020 Phụ lục I: page numbers from page 2, centred in the top margin.
    let count = c.pages.len();
    if count > 1 {
        for (i, page) in c.pages.iter_mut().enumerate().skip(1) {
            let text = (i + 1).to_string();
            let size = c.size - 1.0;
            page.ops.push(Op::Text {
                x: w / 2.0 - width(Face::Regular, &text, size) / 2.0,
                y: top * 0.6,
                face: Face::Regular,
                size,
                text,
            });
        }
    }
    c.pages
}
