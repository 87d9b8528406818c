//! The rows of an uploaded task table as read, before any meaning is given to them:
//! CSV/TSV, pasted lines and the first sheet of a workbook (with its merged cells).

use crate::import::ImportError;

/// Cells of one row of the input, as read.
#[derive(Debug, Clone)]
pub(crate) struct RawRow {
    pub(crate) line: usize,
    pub(crate) cells: Vec<String>,
}

/// A cell merged down over several sheet rows (first and last line, column).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Merge {
    pub(crate) first: usize,
    pub(crate) last: usize,
    pub(crate) col: usize,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Sheet {
    pub(crate) rows: Vec<RawRow>,
    pub(crate) merges: Vec<Merge>,
}

pub(crate) fn decode_utf8(bytes: &[u8]) -> Result<&str, ImportError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        ImportError::InvalidUtf8 {
            line: good.iter().filter(|b| **b == b'\n').count() + 1,
        }
    })
}

pub(crate) fn read_delimited(text: &str, delimiter: u8) -> Result<Sheet, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        crate::budget::check()?;
        match record {
            Ok(r) => rows.push(RawRow {
                line: r.position().map_or(rows.len() + 1, |p| p.line() as usize),
                cells: r.iter().map(str::to_string).collect(),
            }),
            Err(e) => {
                return Err(ImportError::Malformed {
                    line: e.position().map_or(rows.len() + 1, |p| p.line() as usize),
                    detail: e.to_string(),
                });
            }
        }
    }
    Ok(Sheet {
        rows,
        merges: Vec::new(),
    })
}

/// One row per line: tabs when the line has any, else " | " (a Markdown-style leading
/// and trailing bar is dropped).
pub(crate) fn read_lines(text: &str) -> Sheet {
    let mut rows = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        if !crate::budget::go_on() {
            break;
        }
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let cells: Vec<String> = if line.contains('\t') {
            line.split('\t').map(str::to_string).collect()
        } else {
            let t = line.trim();
            let t = t.strip_prefix('|').unwrap_or(t);
            let t = t.strip_suffix('|').unwrap_or(t);
            if t.contains(" | ") || t.contains('|') && line.trim_start().starts_with('|') {
                t.split('|').map(str::to_string).collect()
            } else {
                vec![line.to_string()]
            }
        };
        rows.push(RawRow { line: i + 1, cells });
    }
    Sheet {
        rows,
        merges: Vec::new(),
    }
}

pub(crate) fn read_xlsx(bytes: &[u8]) -> Result<Sheet, ImportError> {
    // The workbook comes from a user; a parser bug in the spreadsheet library must not
    // take the server down with it.
    std::panic::catch_unwind(|| read_xlsx_inner(bytes)).unwrap_or_else(|_| {
        Err(ImportError::Spreadsheet(
            "tệp có cấu trúc không hợp lệ".to_string(),
        ))
    })
}

pub(crate) fn read_xlsx_inner(bytes: &[u8]) -> Result<Sheet, ImportError> {
    let g = crate::xlsx::first_sheet(bytes).map_err(|e| match e {
        crate::xlsx::SheetError::NoSheet => ImportError::NoSheet,
        crate::xlsx::SheetError::Stopped(s) => ImportError::Stopped(s),
        e => ImportError::Spreadsheet(e.to_string()),
    })?;
    let (row0, col0) = (g.first_row, g.first_col);
    let mut rows = Vec::with_capacity(g.rows.len());
    for (i, r) in g.rows.iter().enumerate() {
        rows.push(RawRow {
            line: row0 as usize + i + 1,
            cells: r.iter().map(cell_text).collect(),
        });
    }
    // Merged regions are a nicety: a workbook whose merge list cannot be read is still
    // read, cell by cell.
    let merges = g
        .merges
        .into_iter()
        .filter(|d| d.end.0 > d.start.0 && d.start.1 >= col0)
        .map(|d| Merge {
            first: d.start.0 as usize + 1,
            last: d.end.0 as usize + 1,
            col: (d.start.1 - col0) as usize,
        })
        .collect();
    Ok(Sheet { rows, merges })
}

pub(crate) fn cell_text(d: &calamine::Data) -> String {
    use calamine::Data;
    match d {
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => {
            if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                f.to_string()
            }
        }
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{d:02}/{m:02}/{y:04}")
        }
        Data::DateTime(dt) => dt.as_f64().to_string(),
        Data::DateTimeIso(s) => iso_to_vietnamese(s).unwrap_or_else(|| s.clone()),
        Data::DurationIso(s) => s.clone(),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

/// "2023-09-30T00:00:00" → "30/09/2023", the form the deadline reader knows.
pub(crate) fn iso_to_vietnamese(s: &str) -> Option<String> {
    let date = s.get(..10)?;
    let mut parts = date.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() == 4
        && m.len() == 2
        && d.len() == 2
        && date.chars().all(|c| c.is_ascii_digit() || c == '-')
    {
        Some(format!("{d}/{m}/{y}"))
    } else {
        None
    }
}
