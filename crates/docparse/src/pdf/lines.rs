//! From placed lines to text: paragraphs and tables.
//!
//! A word processor writes a table row by row and, in each row, cell by cell, each cell
//! top to bottom. So in the order of the content stream a new cell of the same row
//! starts *above* the line before it (or on the same baseline, far to its right), and a
//! new row starts back at the table's left edge. A row of three or more such cells is
//! written as one line with the cells separated by tabs, each in the column it sits
//! under (empty cells kept), which is how the rest of the reader takes a table (the
//! seed's appendix); rows that follow under the same columns stay in the table. Two
//! side-by-side cells (a header's two blocks, the "Nơi nhận" list beside the signature)
//! are written one after the other, as the text of the document is read.

/// How a line began, against the line before it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) enum Start {
    /// The first line of the page.
    #[default]
    First,
    /// Below the line before: the next line.
    Down,
    /// Above it: the next cell of a table row, or the right block of a header.
    Up,
    /// On the same baseline, well to its right: the next cell of a row.
    Beside,
}

/// A line of the page as laid out: its text, where it starts and ends, its baseline and
/// its font size, on the page.
#[derive(Debug, Default)]
pub(super) struct Line {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
    pub y: f32,
    pub size: f32,
    pub start: Start,
}

/// The lines of one page, built run by run.
#[derive(Default)]
pub(super) struct Page {
    pub lines: Vec<Line>,
}

/// The columns of the table being written, kept from page to page (a table goes on
/// over the page break, often without repeating its head row).
#[derive(Default)]
pub(super) struct Tables {
    columns: Vec<f32>,
    /// The last row read, written when it is known not to go on over the page break.
    pending: Option<Vec<String>>,
}

/// Lines that belong together: one cell, or a run of ordinary lines.
struct Block<'a> {
    lines: Vec<&'a Line>,
    x0: f32,
    x1: f32,
    /// Began beside or above the block before: a further cell of its row.
    sibling: bool,
}

impl Block<'_> {
    fn text(&self) -> String {
        let mut s = String::new();
        for l in &self.lines {
            let t = l.text.trim();
            if t.is_empty() {
                continue;
            }
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(t);
        }
        s
    }
}

impl Page {
    pub fn current(&mut self) -> &mut Line {
        if self.lines.is_empty() {
            self.lines.push(Line::default());
        }
        let last = self.lines.len() - 1;
        &mut self.lines[last]
    }

    pub fn ends_with_space(&self) -> bool {
        self.lines.last().is_some_and(|l| l.text.ends_with(' '))
    }

    pub fn space(&mut self) {
        let line = self.current();
        if !line.text.is_empty() && !line.text.ends_with(' ') {
            line.text.push(' ');
        }
    }

    /// Writes the page: tables as tab-separated rows, other lines in order with a
    /// blank line where a short line (one that stops well before the right margin of
    /// the page's text) is followed by a full one — the end of a paragraph, or a heading
    /// before the paragraph under it, which a text layer otherwise loses.
    pub fn write(self, out: &mut String, tables: &mut Tables) {
        let lines: Vec<Line> = self
            .lines
            .into_iter()
            .filter(|l| !l.text.trim().is_empty())
            .collect();
        let right = lines
            .iter()
            .filter(|l| l.text.chars().count() >= 30)
            .map(|l| l.x1)
            .fold(f32::MIN, f32::max);
        let blocks = blocks(&lines);
        let mut i = 0;
        let mut plain: Vec<&Line> = Vec::new();
        let mut top = true;
        while i < blocks.len() {
            let row_end = (i + 1..blocks.len())
                .find(|&j| !blocks[j].sibling)
                .unwrap_or(blocks.len());
            let row = &blocks[i..row_end];
            i = row_end;
            if top && tables.pending.is_some() && row.len() == 1 && is_page_number(&row[0]) {
                continue;
            }
            if top && tables.continues(row) {
                tables.merge(row);
            } else if tables.takes(row) {
                write_plain(&plain, right, out);
                plain.clear();
                tables.push_row(row, out);
            } else {
                tables.flush(out);
                tables.columns.clear();
                plain.extend(row.iter().flat_map(|b| b.lines.iter().copied()));
            }
            top = false;
        }
        write_plain(&plain, right, out);
    }
}

/// A page number printed at the head of the page (NĐ 30/2020/NĐ-CP, Phụ lục I: from
/// the second page, centred in the top margin).
fn is_page_number(b: &Block<'_>) -> bool {
    let t = b.text();
    !t.is_empty() && t.len() <= 4 && t.chars().all(|c| c.is_ascii_digit())
}

/// Groups lines into blocks: a block ends where the next line starts above it or beside
/// it (a new cell), or back left of it (the first cell of the next row: by more than a
/// paragraph's indent after ordinary lines, by more than an em after a cell).
fn blocks(lines: &[Line]) -> Vec<Block<'_>> {
    let mut out: Vec<Block<'_>> = Vec::new();
    for line in lines {
        let em = line.size.max(1.0);
        let new = match (line.start, out.last()) {
            (_, None) | (Start::First, _) => Some(false),
            (Start::Up | Start::Beside, _) => Some(true),
            (Start::Down, Some(b)) if line.x0 < b.x0 - 4.0 * em => Some(false),
            (Start::Down, Some(b)) if b.sibling && line.x0 < b.x0 - em => Some(false),
            (Start::Down, Some(b)) if line.x0 > b.x1 + em => Some(false),
            (Start::Down, Some(_)) => None,
        };
        match (new, out.last_mut()) {
            (None, Some(b)) => {
                b.x0 = b.x0.min(line.x0);
                b.x1 = b.x1.max(line.x1);
                b.lines.push(line);
            }
            (sibling, _) => {
                let sibling = sibling.unwrap_or(false);
                if sibling {
                    split_first_cell(&mut out, line);
                }
                out.push(Block::of(vec![line], sibling));
            }
        }
    }
    out
}

/// A row's first cell was read as the end of the lines before it (nothing told them
/// apart until the second cell began): it starts at the last of them on the second
/// cell's first baseline.
fn split_first_cell<'a>(out: &mut Vec<Block<'a>>, cell: &Line) {
    let Some(b) = out.last_mut() else { return };
    if b.sibling || b.lines.len() < 2 {
        return;
    }
    let em = cell.size.max(1.0);
    let Some(k) = b
        .lines
        .iter()
        .rposition(|l| (l.y - cell.y).abs() <= 0.5 * em)
    else {
        return;
    };
    if k == 0 {
        return;
    }
    let rest = b.lines.split_off(k);
    let head = std::mem::take(&mut b.lines);
    *b = Block::of(head, false);
    out.push(Block::of(rest, false));
}

impl<'a> Block<'a> {
    fn of(lines: Vec<&'a Line>, sibling: bool) -> Block<'a> {
        let x0 = lines.iter().map(|l| l.x0).fold(f32::MAX, f32::min);
        let x1 = lines.iter().map(|l| l.x1).fold(f32::MIN, f32::max);
        Block {
            lines,
            x0,
            x1,
            sibling,
        }
    }
}

impl Tables {
    /// Whether a row is written as a table row: three cells or more, or fewer under
    /// the columns of the table being written (a section row, a row with empty cells).
    fn takes(&mut self, row: &[Block<'_>]) -> bool {
        if row.len() >= 3 {
            if self.columns.is_empty() || !self.fits(row) || row.len() > self.columns.len() {
                self.columns = row.iter().map(|b| b.x0).collect();
            }
            return true;
        }
        if self.columns.len() < 3 || !self.fits(row) {
            return false;
        }
        // A single block that runs past the second column is a paragraph after the
        // table, not a row of it.
        let second = self.columns[1];
        row.len() >= 2 || row[0].x1 < second
    }

    /// The row's first cell starts under the first column, and every cell under one.
    fn fits(&self, row: &[Block<'_>]) -> bool {
        let Some(first) = self.columns.first() else {
            return false;
        };
        let em = row[0].lines[0].size.max(1.0);
        (row[0].x0 - first).abs() <= 1.5 * em && row.iter().all(|b| self.column_of(b).is_some())
    }

    fn column_of(&self, b: &Block<'_>) -> Option<usize> {
        let em = b.lines[0].size.max(1.0);
        self.columns.iter().rposition(|c| *c <= b.x0 + em)
    }

    fn cells(&self, row: &[Block<'_>], cells: &mut [String]) {
        for b in row {
            let Some(k) = self.column_of(b) else { continue };
            if let Some(cell) = cells.get_mut(k) {
                if !cell.is_empty() {
                    cell.push(' ');
                }
                cell.push_str(&b.text());
            }
        }
    }

    /// Holds the row back until the next page has begun: its cells may go on there.
    fn push_row(&mut self, row: &[Block<'_>], out: &mut String) {
        self.flush(out);
        let mut cells = vec![String::new(); self.columns.len()];
        self.cells(row, &mut cells);
        self.pending = Some(cells);
    }

    /// Whether the first row of a page is the rest of the last row of the page before:
    /// its cells sit under the table's columns but none under the first (a new row
    /// would start there, with its number).
    fn continues(&self, row: &[Block<'_>]) -> bool {
        let (Some(_), Some(first)) = (&self.pending, self.columns.first()) else {
            return false;
        };
        let em = row[0].lines[0].size.max(1.0);
        row.iter()
            .all(|b| self.column_of(b).is_some_and(|k| k > 0) && b.x0 > first + em)
    }

    fn merge(&mut self, row: &[Block<'_>]) {
        if let Some(mut cells) = self.pending.take() {
            self.cells(row, &mut cells);
            self.pending = Some(cells);
        }
    }

    /// Writes the row held back, if any.
    pub fn flush(&mut self, out: &mut String) {
        if let Some(cells) = self.pending.take() {
            out.push_str(&cells.join("\t"));
            out.push('\n');
        }
    }
}

fn write_plain(lines: &[&Line], right: f32, out: &mut String) {
    let full = |l: &Line| l.x1 >= right - 1.5 * l.size.max(1.0);
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line.text.trim_end());
        out.push('\n');
        if let Some(next) = lines.get(i + 1)
            && !full(line)
            && full(next)
            && line.x1 < right - 4.0 * line.size.max(1.0)
            && next.x0 < line.x1
        {
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, x0: f32, x1: f32, y: f32, start: Start) -> Line {
        Line {
            text: text.into(),
            x0,
            x1,
            y,
            size: 10.0,
            start,
        }
    }

    fn write(lines: Vec<Line>) -> String {
        let mut out = String::new();
        let mut tables = Tables::default();
        Page { lines }.write(&mut out, &mut tables);
        tables.flush(&mut out);
        out
    }

    #[test]
    fn cells_written_cell_by_cell_become_a_row_under_their_columns() {
        let out = write(vec![
            line("STT", 50.0, 70.0, 700.0, Start::First),
            line("Nhiệm vụ", 80.0, 150.0, 700.0, Start::Beside),
            line("Cơ quan chủ", 200.0, 260.0, 700.0, Start::Beside),
            line("trì", 200.0, 215.0, 688.0, Start::Down),
            line("Thời gian", 300.0, 350.0, 700.0, Start::Up),
            line("1", 50.0, 55.0, 670.0, Start::Down),
            line("Rà soát thủ tục", 80.0, 160.0, 670.0, Start::Beside),
            line("hành chính", 80.0, 130.0, 658.0, Start::Down),
            line("Năm 2024", 300.0, 350.0, 670.0, Start::Up),
        ]);
        assert_eq!(
            out,
            "STT\tNhiệm vụ\tCơ quan chủ trì\tThời gian\n1\tRà soát thủ tục hành chính\t\tNăm 2024\n"
        );
    }

    #[test]
    fn a_table_after_a_paragraph_takes_its_first_cell_back() {
        let out = write(vec![
            line(
                "đề xuất các giải pháp để khắc phục những hạn chế, yếu kém.",
                50.0,
                500.0,
                700.0,
                Start::First,
            ),
            line("STT", 50.0, 70.0, 680.0, Start::Down),
            line("Nhiệm vụ", 80.0, 150.0, 680.0, Start::Beside),
            line("Cơ quan", 200.0, 260.0, 680.0, Start::Beside),
            line("1", 50.0, 55.0, 660.0, Start::Down),
            line("Rà soát", 80.0, 160.0, 660.0, Start::Beside),
            line("Sở Nội vụ", 200.0, 250.0, 660.0, Start::Beside),
        ]);
        assert_eq!(
            out,
            "đề xuất các giải pháp để khắc phục những hạn chế, yếu kém.\nSTT\tNhiệm vụ\tCơ quan\n1\tRà soát\tSở Nội vụ\n"
        );
    }

    #[test]
    fn two_blocks_side_by_side_stay_lines_in_order() {
        let out = write(vec![
            line("ỦY BAN NHÂN DÂN", 60.0, 160.0, 800.0, Start::First),
            line("TỈNH NGHỆ AN", 70.0, 150.0, 788.0, Start::Down),
            line(
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                250.0,
                500.0,
                800.0,
                Start::Up,
            ),
        ]);
        assert_eq!(
            out,
            "ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        );
    }

    #[test]
    fn a_short_line_before_a_full_one_ends_its_paragraph() {
        let out = write(vec![
            line("1. Nhiệm vụ trọng tâm", 80.0, 200.0, 700.0, Start::First),
            line(
                "Các bộ, ngành, địa phương căn cứ vào chức năng",
                80.0,
                500.0,
                688.0,
                Start::Down,
            ),
            line(
                "nhiệm vụ được giao thực hiện.",
                50.0,
                300.0,
                676.0,
                Start::Down,
            ),
        ]);
        assert_eq!(
            out,
            "1. Nhiệm vụ trọng tâm\n\nCác bộ, ngành, địa phương căn cứ vào chức năng\nnhiệm vụ được giao thực hiện.\n"
        );
    }
}
