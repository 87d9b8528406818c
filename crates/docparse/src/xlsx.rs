//! The first sheet of an untrusted workbook, read with limits checked before anything is
//! allocated: the declared decompressed size of the archive, the position of every cell
//! (rows, columns), the number of cells and the area of the grid built from them. The
//! spreadsheet library's own range reader allocates the whole declared range (A1 and
//! XFD1048576 in one 1.5 KB file ask for 549 GB); this reader streams the cells instead.

use std::io::Cursor;

pub use calamine::Data;
use calamine::{Dimensions, Reader, Xlsx};

/// Most bytes the archive may declare once decompressed (every part together).
pub const MAX_UNCOMPRESSED: u64 = 100 * 1024 * 1024;
/// Most cells with a value.
pub const MAX_CELLS: usize = 200_000;
/// Highest row and column (1-based) a cell may sit in.
pub const MAX_ROWS: u32 = 50_000;
pub const MAX_COLS: u32 = 200;
/// Most cells of the rectangle from the first to the last cell with a value.
pub const MAX_AREA: usize = 2_000_000;

/// Why a workbook was refused, in Vietnamese for the officer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    #[error("{0}")]
    Unreadable(String),
    #[error("Tệp Excel không có trang tính nào.")]
    NoSheet,
    #[error("Tệp Excel vượt giới hạn: {0}")]
    TooLarge(String),
    /// Over the time of the read, or given up by the caller.
    #[error(transparent)]
    Stopped(#[from] crate::budget::Stop),
}

/// The cells of the first sheet as a dense grid from its first to its last cell with a
/// value, and the merged regions of that sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// 0-based row and column of `rows[0][0]`.
    pub first_row: u32,
    pub first_col: u32,
    pub rows: Vec<Vec<Data>>,
    pub merges: Vec<Dimensions>,
}

fn a1(row: u32, col: u32) -> String {
    let mut c = col + 1;
    let mut letters = Vec::new();
    while c > 0 {
        let r = (c - 1) % 26;
        letters.push(b'A' + r as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

/// Reads the first sheet of `bytes` within the limits above.
pub fn first_sheet(bytes: &[u8]) -> Result<Grid, SheetError> {
    first_sheet_in(bytes)
}

/// [`first_sheet`] within `budget`'s deadline and cancel flag (the limits above stay).
pub fn first_sheet_with(bytes: &[u8], budget: &crate::Budget) -> Result<Grid, SheetError> {
    budget.run(|| first_sheet_in(bytes))?
}

fn first_sheet_in(bytes: &[u8]) -> Result<Grid, SheetError> {
    // The archive first: a deflate bomb is refused before a byte is inflated.
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
        SheetError::Unreadable(
            "Không đọc được tệp Excel (.xlsx): tệp hỏng hoặc không phải định dạng .xlsx.".into(),
        )
    })?;
    let mut declared: u64 = 0;
    for i in 0..zip.len() {
        if let Ok(f) = zip.by_index_raw(i) {
            declared = declared.saturating_add(f.size());
        }
    }
    if declared > MAX_UNCOMPRESSED {
        return Err(SheetError::TooLarge(format!(
            "nội dung giải nén {} MB, tối đa {} MB.",
            declared / (1024 * 1024),
            MAX_UNCOMPRESSED / (1024 * 1024)
        )));
    }
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e: calamine::XlsxError| {
            SheetError::Unreadable(format!(
                "Không đọc được tệp Excel (.xlsx): tệp hỏng hoặc không phải định dạng .xlsx ({e})."
            ))
        })?;
    let name = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or(SheetError::NoSheet)?;
    let merges = book.merge_cells_by_sheet_id(0).unwrap_or_default();
    let mut reader = book.worksheet_cells_reader(&name).map_err(|e| {
        SheetError::Unreadable(format!("Không đọc được trang tính đầu tiên ({e})."))
    })?;
    let mut cells: Vec<(u32, u32, Data)> = Vec::new();
    while let Some(c) = reader
        .next_cell()
        .map_err(|e| SheetError::Unreadable(format!("Không đọc được trang tính đầu tiên ({e}).")))?
    {
        crate::budget::check()?;
        let (r, col) = c.get_position();
        let v: Data = c.get_value().clone().into();
        if v == Data::Empty {
            continue;
        }
        if r >= MAX_ROWS || col >= MAX_COLS {
            return Err(SheetError::TooLarge(format!(
                "ô {} nằm ngoài giới hạn {MAX_ROWS} dòng × {MAX_COLS} cột.",
                a1(r, col)
            )));
        }
        cells.push((r, col, v));
        if cells.len() > MAX_CELLS {
            return Err(SheetError::TooLarge(format!(
                "quá {MAX_CELLS} ô có dữ liệu."
            )));
        }
    }
    let (Some(r0), Some(r1)) = (
        cells.iter().map(|c| c.0).min(),
        cells.iter().map(|c| c.0).max(),
    ) else {
        return Ok(Grid {
            first_row: 0,
            first_col: 0,
            rows: Vec::new(),
            merges,
        });
    };
    let c0 = cells.iter().map(|c| c.1).min().unwrap_or(0);
    let c1 = cells.iter().map(|c| c.1).max().unwrap_or(0);
    let (h, w) = ((r1 - r0 + 1) as usize, (c1 - c0 + 1) as usize);
    if h.saturating_mul(w) > MAX_AREA {
        return Err(SheetError::TooLarge(format!(
            "vùng dữ liệu {}:{} quá rộng (tối đa {MAX_AREA} ô).",
            a1(r0, c0),
            a1(r1, c1)
        )));
    }
    let mut rows = vec![vec![Data::Empty; w]; h];
    for (r, c, v) in cells {
        rows[(r - r0) as usize][(c - c0) as usize] = v;
    }
    Ok(Grid {
        first_row: r0,
        first_col: c0,
        rows,
        merges,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::Workbook;

    fn book(cells: &[(u32, u16, &str)]) -> Vec<u8> {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        for (r, c, v) in cells {
            ws.write_string(*r, *c, *v).unwrap();
        }
        wb.save_to_buffer().unwrap()
    }

    #[test]
    fn a_sparse_sheet_with_a_far_corner_is_refused_without_allocating_it() {
        // A1 and XFD1048576: the range reader would allocate 549 GB.
        let bytes = book(&[(0, 0, "a"), (1_048_575, 16_383, "b")]);
        let e = first_sheet(&bytes).unwrap_err();
        assert!(matches!(e, SheetError::TooLarge(_)), "{e}");
        assert!(e.to_string().contains("XFD1048576"), "{e}");
    }

    #[test]
    fn an_ordinary_sheet_reads_as_a_grid() {
        let bytes = book(&[
            (2, 1, "Mã"),
            (2, 2, "Tên"),
            (3, 1, "1.001"),
            (3, 2, "Thủ tục"),
        ]);
        let g = first_sheet(&bytes).unwrap();
        assert_eq!((g.first_row, g.first_col), (2, 1));
        assert_eq!(g.rows.len(), 2);
        assert_eq!(g.rows[1][1], Data::String("Thủ tục".into()));
    }

    #[test]
    fn a_deflate_bomb_is_refused_before_inflating() {
        use std::io::Write;
        let mut buf = Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            z.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
            let chunk = vec![b' '; 1 << 20];
            for _ in 0..120 {
                z.write_all(&chunk).unwrap();
            }
            z.finish().unwrap();
        }
        let bytes = buf.into_inner();
        assert!(bytes.len() < 1 << 20, "{} bytes", bytes.len());
        let e = first_sheet(&bytes).unwrap_err();
        assert!(e.to_string().contains("giải nén"), "{e}");
    }
}
