//! Nhập bảng nhiệm vụ — the appendix table of a plan, uploaded as XLSX, CSV or TSV or
//! pasted as text, read into task rows for an officer to confirm.
//!
//! Domain guide §3.6 item 4: STT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời
//! gian thực hiện | Ghi chú, or the 574/KH-UBND layout with "Lĩnh vực/Tiêu chí" and
//! "Giải pháp". Columns are found by their header names (folded, any order); title rows
//! may come before the header, and the header may repeat on every page. Group rows
//! ("3 CẢI CÁCH THỦ TỤC HÀNH CHÍNH") name the reform area of the rows below; a row without
//! STT continues the row above when a cell was cut by a page break (seed: 574, item 3.4
//! "Bộ phận Tiếp" / "nhận và Trả kết quả các cấp").
//!
//! Conventions: `line` is the 1-based line of a CSV/TSV/text file or the 1-based row of
//! the sheet, as the officer sees it in their program; a bad row becomes a [`RowError`]
//! and the other rows are still read; only a file that cannot be read as a table at all
//! is an [`ImportError`]. Never panics.

use crate::agency::parse_agencies;
use crate::budget::Budget;
use crate::deadline::table_time;
use crate::normalize::{fold, squash, upper_ratio};
use crate::sheet::{Merge, RawRow, Sheet, decode_utf8, read_delimited, read_lines, read_xlsx};
use std::collections::HashMap;

/// The most task rows one file may carry (a plan appendix has tens; thousands means the
/// wrong file or a sheet of something else).
pub const MAX_ROWS: usize = 5_000;

/// How many rows before the header may be title rows.
const HEADER_SCAN: usize = 60;

/// Header cells longer than this are text, not column names.
const HEADER_CELL_MAX: usize = 80;

/// The rows of an imported table and the rows that could not be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskTable {
    pub rows: Vec<TaskTableRow>,
    pub errors: Vec<RowError>,
}

/// One task row of the table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskTableRow {
    /// 1-based line of the file or row of the sheet where the task starts.
    pub line: usize,
    /// Số thứ tự as written, without a trailing dot ("3.4"); empty when the table has none.
    pub stt: String,
    /// The group heading above the row ("3 CẢI CÁCH THỦ TỤC HÀNH CHÍNH"), if any.
    pub group: Option<String>,
    /// Lĩnh vực/Tiêu chí (574 layout), empty in the six-column layout.
    pub area: String,
    /// Nội dung / Giải pháp; the area when the table has no separate content.
    pub content: String,
    /// Cơ quan chủ trì, one entry per agency (collectives kept as one entry).
    pub lead: Vec<String>,
    /// Cơ quan phối hợp, without the leads.
    pub support: Vec<String>,
    /// Thời gian thực hiện, as written.
    pub time_text: String,
    /// ISO `YYYY-MM-DD`: a date, or the last day of a period ("Quý III/2023" → 2023-09-30).
    pub deadline: Option<String>,
    /// `monthly:DD`, `monthly`, `quarterly`, `semiannual`, `yearly`, `continuous` or None.
    pub recurrence: Option<String>,
    /// Ghi chú.
    pub note: String,
}

/// A row that could not be read, with a Vietnamese message for the officer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    /// "Dòng 7: thiếu nội dung nhiệm vụ."
    pub message: String,
}

/// Why a file could not be read as a task table at all. Messages are Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error(
        "Không nhận dạng được loại tệp “{0}”. Hãy tải lên tệp Excel (.xlsx), CSV (.csv), TSV (.tsv) hoặc văn bản (.txt)."
    )]
    UnsupportedFormat(String),
    #[error(
        "Dòng {line}: tệp không phải văn bản UTF-8 hợp lệ. Hãy lưu lại tệp với bảng mã UTF-8 (trong Excel: “CSV UTF-8”)."
    )]
    InvalidUtf8 { line: usize },
    #[error(
        "Không đọc được tệp Excel: tệp hỏng hoặc không phải định dạng .xlsx (Excel 2007 trở lên). Chi tiết: {0}"
    )]
    Spreadsheet(String),
    #[error("Tệp Excel không có trang tính nào.")]
    NoSheet,
    #[error("Dòng {line}: không đọc được tệp CSV ({detail}).")]
    Malformed { line: usize, detail: String },
    #[error(
        "Không tìm thấy dòng tiêu đề của bảng. Bảng cần có dòng tiêu đề với các cột “STT”, “Nội dung” (hoặc “Giải pháp”), “Cơ quan chủ trì”, “Cơ quan phối hợp”, “Thời gian thực hiện”, “Ghi chú”."
    )]
    NoHeader,
    #[error(
        "Bảng có {count} dòng, vượt quá giới hạn {max} dòng mỗi lần nhập. Hãy chia thành nhiều tệp.",
        max = MAX_ROWS
    )]
    TooManyRows { count: usize },
    /// Over a size limit of the read ([`crate::Limits`]); the sentence names it.
    #[error("{0}")]
    TooLarge(String),
    /// Over the time of the read, or given up by the caller.
    #[error(transparent)]
    Stopped(#[from] crate::budget::Stop),
}

/// Reads the task table in `bytes`; the format comes from the extension of `filename`:
/// `.xlsx`/`.xlsm` (first sheet), `.csv` (comma or semicolon, UTF-8 with or without BOM),
/// `.tsv` (tabs, quoted as spreadsheets write them) or `.txt` (tabs or " | " per line, as
/// pasted from Word).
pub fn read_task_table(bytes: &[u8], filename: &str) -> Result<TaskTable, ImportError> {
    read_task_table_with(bytes, filename, &Budget::unlimited())
}

/// [`read_task_table`] within `budget`: its size limits, deadline and cancel flag.
pub fn read_task_table_with(
    bytes: &[u8],
    filename: &str,
    budget: &Budget,
) -> Result<TaskTable, ImportError> {
    budget.run(|| read_table_in(bytes, filename))?
}

/// [`read_task_text`] within `budget`.
pub fn read_task_text_with(text: &str, budget: &Budget) -> Result<TaskTable, ImportError> {
    budget.run(|| {
        check_len(text.len())?;
        read_task_text(text)
    })?
}

/// Text tables (CSV, TSV, pasted) are bounded like a directive's text.
fn check_len(len: usize) -> Result<(), ImportError> {
    let max = crate::budget::limits().text_bytes;
    if len > max {
        return Err(ImportError::TooLarge(format!(
            "Bảng dài quá {} (giới hạn mỗi lần nhập); hãy chia thành nhiều tệp.",
            crate::read::mb(max as u64)
        )));
    }
    Ok(())
}

fn read_table_in(bytes: &[u8], filename: &str) -> Result<TaskTable, ImportError> {
    let ext = filename
        .rsplit_once('.')
        .map(|(_, e)| e.trim().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "xlsx" | "xlsm" => {
            let sheet = read_xlsx(bytes)?;
            build(&[sheet])
        }
        "csv" => {
            check_len(bytes.len())?;
            let text = decode_utf8(bytes)?;
            build(&[read_delimited(text, b',')?, read_delimited(text, b';')?])
        }
        "tsv" => {
            check_len(bytes.len())?;
            let text = decode_utf8(bytes)?;
            if text.contains('\t') {
                build(&[read_delimited(text, b'\t')?, read_lines(text)])
            } else {
                build(&[read_lines(text)])
            }
        }
        "txt" | "text" => {
            check_len(bytes.len())?;
            read_task_text(decode_utf8(bytes)?)
        }
        _ => Err(ImportError::UnsupportedFormat(filename.to_string())),
    }
}

/// Reads a table pasted as text: one row per line, cells separated by tabs or " | ".
pub fn read_task_text(text: &str) -> Result<TaskTable, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    build(&[read_lines(text)])
}

/// Where each column is, by header name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Columns {
    stt: Option<usize>,
    area: Option<usize>,
    content: Option<usize>,
    lead: Option<usize>,
    support: Option<usize>,
    time: Option<usize>,
    note: Option<usize>,
}

impl Columns {
    fn count(&self) -> usize {
        [
            self.stt,
            self.area,
            self.content,
            self.lead,
            self.support,
            self.time,
            self.note,
        ]
        .iter()
        .filter(|c| c.is_some())
        .count()
    }
}

fn set(slot: &mut Option<usize>, i: usize) {
    if slot.is_none() {
        *slot = Some(i);
    }
}

/// The columns named by a header row, when it names at least a lead and a content (or
/// area) column.
fn header_columns(cells: &[String]) -> Option<Columns> {
    let c = any_columns(cells);
    (c.lead.is_some() && (c.content.is_some() || c.area.is_some())).then_some(c)
}

/// The columns a row names, complete or not.
fn any_columns(cells: &[String]) -> Columns {
    let mut c = Columns::default();
    for (i, cell) in cells.iter().enumerate() {
        let f = squash(&fold(cell));
        if f.is_empty() || f.chars().count() > HEADER_CELL_MAX {
            continue;
        }
        let bare = f.trim_end_matches(['.', ':']).trim();
        if matches!(bare, "stt" | "tt" | "so tt" | "so thu tu" | "thu tu") {
            set(&mut c.stt, i);
        } else if f.contains("chu tri") {
            set(&mut c.lead, i);
        } else if f.contains("phoi hop") {
            set(&mut c.support, i);
        } else if f.contains("thoi gian")
            || f.contains("thoi han")
            || f.contains("tien do")
            || f.contains("han hoan thanh")
        {
            set(&mut c.time, i);
        } else if f.contains("ghi chu") {
            set(&mut c.note, i);
        } else if f.contains("giai phap")
            || f.contains("noi dung")
            || f.contains("nhiem vu")
            || f.contains("cong viec")
        {
            set(&mut c.content, i);
        } else if f.contains("linh vuc") || f.contains("tieu chi") {
            set(&mut c.area, i);
        }
    }
    c
}

/// Cell-wise join of two rows, for a header spread over two rows ("Cơ quan thực hiện"
/// above "Chủ trì" | "Phối hợp").
fn join_rows(a: &[String], b: &[String]) -> Vec<String> {
    (0..a.len().max(b.len()))
        .map(|i| {
            let x = a.get(i).map_or("", |s| s.as_str());
            let y = b.get(i).map_or("", |s| s.as_str());
            format!("{x} {y}")
        })
        .collect()
}

/// Index of the first header among the first rows (later ones are page repeats), its
/// columns and how many rows it spans.
fn find_header(rows: &[RawRow]) -> Option<(usize, Columns, usize)> {
    for (i, r) in rows.iter().enumerate().take(HEADER_SCAN) {
        if let Some(c) = header_columns(&r.cells) {
            return Some((i, c, 1));
        }
        // A two-row header: the first row names some columns itself ("STT", "Nội dung",
        // "Cơ quan thực hiện"), the second completes it ("Chủ trì", "Phối hợp").
        if any_columns(&r.cells).count() >= 2
            && let Some(next) = rows.get(i + 1)
            && header_columns(&next.cells).is_none()
            && let Some(c) = header_columns(&join_rows(&r.cells, &next.cells))
        {
            return Some((i, c, 2));
        }
    }
    None
}

fn cell(cells: &[String], i: Option<usize>) -> &str {
    i.and_then(|i| cells.get(i)).map_or("", |s| s.as_str())
}

fn is_blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

/// "1 | 2 | 3 | …" or "(1) | (2) | …" under a header: column numbers, not data.
fn is_column_numbers(cells: &[String]) -> bool {
    let filled: Vec<(usize, &str)> = cells
        .iter()
        .enumerate()
        .map(|(i, c)| (i, c.trim()))
        .filter(|(_, c)| !c.is_empty())
        .collect();
    filled.len() >= 3
        && filled.iter().all(|(i, c)| {
            let n = c.trim_start_matches('(').trim_end_matches(')');
            n.parse::<usize>().is_ok_and(|n| n == i + 1)
        })
}

/// "|---|:--:|" lines of a Markdown table.
fn is_rule(cells: &[String]) -> bool {
    cells.len() > 1
        && cells.iter().all(|c| {
            c.trim()
                .chars()
                .all(|ch| matches!(ch, '-' | ':' | '=' | ' '))
        })
}

fn is_roman(s: &str) -> bool {
    !s.is_empty() && s.len() <= 6 && s.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L'))
}

/// "3", "II", "A": a top-level number, as group rows carry.
fn is_top_level(stt: &str) -> bool {
    (!stt.is_empty() && stt.len() <= 3 && stt.chars().all(|c| c.is_ascii_digit()))
        || is_roman(stt)
        || (stt.len() == 1 && stt.chars().all(|c| c.is_ascii_uppercase()))
}

fn starts_lower(s: &str) -> bool {
    s.trim_start()
        .chars()
        .next()
        .is_some_and(|c| !c.is_uppercase())
}

/// Whether a row without STT continues the row above (a cell cut by a page break) rather
/// than being an unnumbered task of its own: it lacks the content or the lead, or both
/// start in lower case or with punctuation.
fn continues(cells: &[String], cols: &Columns) -> bool {
    let content = cell(cells, cols.content.or(cols.area)).trim();
    let lead = cell(cells, cols.lead).trim();
    content.is_empty() || lead.is_empty() || starts_lower(content) || starts_lower(lead)
}

fn append_cells(target: &mut Vec<String>, more: &[String]) {
    for (i, c) in more.iter().enumerate() {
        let c = c.trim();
        if c.is_empty() {
            continue;
        }
        if target.len() <= i {
            target.resize(i + 1, String::new());
        }
        let t = &mut target[i];
        if !t.trim().is_empty() {
            t.push(' ');
        }
        t.push_str(c);
    }
}

/// Splits a lead or support cell into agencies: lines (a line starting in lower case
/// continues the one above), then ";", then docparse's agency list reading (commas
/// between agency names, collectives kept whole).
fn split_agencies(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for l in text.split(['\n', '\r']) {
        let l = l.trim();
        if l.is_empty() {
            continue;
        }
        match lines.last_mut() {
            Some(prev) if starts_lower(l) && !l.starts_with("các ") => {
                prev.push(' ');
                prev.push_str(l);
            }
            _ => lines.push(l.to_string()),
        }
    }
    let mut out: Vec<String> = Vec::new();
    for l in &lines {
        for part in l.split(';') {
            for a in parse_agencies(part.trim().trim_start_matches(['-', '+', '•']).trim()) {
                if !out.iter().any(|o| fold(o) == fold(&a)) {
                    out.push(a);
                }
            }
        }
    }
    out
}

/// Reads the candidate sheets (one per way of splitting the input) and keeps the one
/// whose header names the most columns.
fn build(candidates: &[Sheet]) -> Result<TaskTable, ImportError> {
    let mut best: Option<(&Sheet, usize, Columns, usize)> = None;
    for s in candidates {
        if let Some((i, c, span)) = find_header(&s.rows)
            && best
                .as_ref()
                .is_none_or(|(_, _, b, _)| c.count() > b.count())
        {
            best = Some((s, i, c, span));
        }
    }
    let Some((sheet, at, cols, span)) = best else {
        return Err(ImportError::NoHeader);
    };
    let data: Vec<&RawRow> = sheet.rows[at + span..]
        .iter()
        .filter(|r| !is_blank(&r.cells))
        .collect();
    if data.len() > MAX_ROWS {
        return Err(ImportError::TooManyRows { count: data.len() });
    }
    Ok(read_rows(&data, &sheet.merges, cols))
}

/// A row of the table after page-break continuations were joined.
struct Joined {
    line: usize,
    stt: String,
    cells: Vec<String>,
}

fn read_rows(data: &[&RawRow], merges: &[Merge], cols: Columns) -> TaskTable {
    let mut table = TaskTable::default();
    let by_line: HashMap<usize, &RawRow> = data.iter().map(|r| (r.line, *r)).collect();
    let mut joined: Vec<Joined> = Vec::new();
    for r in data {
        if !crate::budget::go_on() {
            break;
        }
        if header_columns(&r.cells).is_some() || is_column_numbers(&r.cells) || is_rule(&r.cells) {
            continue;
        }
        let mut cells = r.cells.clone();
        let stt = squash(cell(&cells, cols.stt))
            .trim_end_matches(['.', ')'])
            .to_string();
        // A value merged down over several numbered rows belongs to each of them.
        if !stt.is_empty() || cols.stt.is_none() {
            for m in merges {
                if r.line > m.first
                    && r.line <= m.last
                    && Some(m.col) != cols.stt
                    && cell(&cells, Some(m.col)).trim().is_empty()
                    && let Some(top) = by_line.get(&m.first)
                    && let Some(v) = top.cells.get(m.col)
                {
                    if cells.len() <= m.col {
                        cells.resize(m.col + 1, String::new());
                    }
                    cells[m.col] = v.clone();
                }
            }
        }
        if stt.is_empty() && cols.stt.is_some() && continues(&cells, &cols) {
            match joined.last_mut() {
                Some(prev) => append_cells(&mut prev.cells, &cells),
                None => table.errors.push(RowError {
                    line: r.line,
                    message: format!(
                        "Dòng {}: dòng không có số thứ tự và không nối tiếp dòng nào ở trên.",
                        r.line
                    ),
                }),
            }
            continue;
        }
        let filled = cells.iter().filter(|c| !c.trim().is_empty()).count();
        if filled == 1 && cells.len() == 1 {
            table.errors.push(RowError {
                line: r.line,
                message: format!(
                    "Dòng {}: dòng chỉ có một ô, không tách được thành các cột — kiểm tra dấu phân cách cột.",
                    r.line
                ),
            });
            continue;
        }
        joined.push(Joined {
            line: r.line,
            stt,
            cells,
        });
    }
    let mut group: Option<String> = None;
    for j in joined {
        if !crate::budget::go_on() {
            break;
        }
        let c = &j.cells;
        let area = squash(cell(c, cols.area));
        let main = squash(cell(c, cols.content));
        let content = if main.is_empty() {
            area.clone()
        } else {
            main.clone()
        };
        let lead_text = cell(c, cols.lead).trim();
        let support_text = cell(c, cols.support).trim();
        let time_text = squash(cell(c, cols.time));
        let note = squash(cell(c, cols.note));
        let two_text_columns = cols.area.is_some() && cols.content.is_some();
        let is_group = lead_text.is_empty()
            && support_text.is_empty()
            && time_text.is_empty()
            && !content.is_empty()
            && is_top_level(&j.stt)
            && (upper_ratio(&content) >= 0.6
                || is_roman(&j.stt)
                || (two_text_columns && main.is_empty()));
        if is_group {
            group = Some(if j.stt.is_empty() {
                content
            } else {
                format!("{} {content}", j.stt)
            });
            continue;
        }
        let lead = split_agencies(lead_text);
        let missing = match (content.is_empty(), lead.is_empty()) {
            (true, true) => Some("thiếu nội dung nhiệm vụ và cơ quan chủ trì"),
            (true, false) => Some("thiếu nội dung nhiệm vụ"),
            (false, true) => Some("thiếu cơ quan chủ trì"),
            (false, false) => None,
        };
        if let Some(m) = missing {
            table.errors.push(RowError {
                line: j.line,
                message: format!("Dòng {}: {m}.", j.line),
            });
            continue;
        }
        let mut support = split_agencies(support_text);
        support.retain(|s| !lead.iter().any(|l| fold(l) == fold(s)));
        let (deadline, recurrence) = table_time(&time_text);
        table.rows.push(TaskTableRow {
            line: j.line,
            stt: j.stt,
            group: group.clone(),
            area: if two_text_columns {
                area
            } else {
                String::new()
            },
            content,
            lead,
            support,
            time_text,
            deadline: deadline.date,
            recurrence,
            note,
        });
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn finds_headers_of_both_layouts() {
        let six = header_columns(&cells(&[
            "STT",
            "Nội dung",
            "Cơ quan chủ trì",
            "Cơ quan phối hợp",
            "Thời gian thực hiện",
            "Ghi chú",
        ]));
        assert_eq!(six.map(|c| c.count()), Some(6));
        let seven = header_columns(&cells(&[
            "Ghi chú",
            "Giải pháp",
            "LĨNH VỰC/TIÊU CHÍ",
            "Cơ quan chủ trì thực hiện",
            "STT",
        ]))
        .unwrap_or_default();
        assert_eq!(
            (seven.note, seven.content, seven.area, seven.lead, seven.stt),
            (Some(0), Some(1), Some(2), Some(3), Some(4))
        );
        assert_eq!(
            header_columns(&cells(&["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2023"])),
            None
        );
    }

    #[test]
    fn splits_agency_cells() {
        assert_eq!(
            split_agencies("Sở Nội vụ;\nSở Tài chính, Sở Tư pháp"),
            ["Sở Nội vụ", "Sở Tài chính", "Sở Tư pháp"]
        );
        assert_eq!(
            split_agencies("Các Sở, ban, ngành cấp tỉnh; UBND các huyện, thành phố, thị xã"),
            [
                "Các Sở, ban, ngành cấp tỉnh",
                "UBND các huyện, thành phố, thị xã"
            ]
        );
        assert_eq!(
            split_agencies("Bộ phận Tiếp\nnhận và Trả kết quả các cấp"),
            ["Bộ phận Tiếp nhận và Trả kết quả các cấp"]
        );
    }

    #[test]
    fn utf8_errors_name_the_line() {
        assert_eq!(
            decode_utf8(b"a\nb\n\xff"),
            Err(ImportError::InvalidUtf8 { line: 3 })
        );
        assert_eq!(decode_utf8(b"\xef\xbb\xbfSTT"), Ok("STT"));
    }
}
