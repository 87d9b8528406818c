//! Reading a catalog workbook (.xlsx): the first sheet is turned into the catalog CSV
//! that `domain::procedure::parse_catalog_csv` reads, so a spreadsheet and a CSV file are
//! checked by the same rules (NĐ 63/2010/NĐ-CP Điều 8 k2: a published TTHC states its name,
//! level, agency, time limit and fee). Line `n` of the CSV is row `n` of the sheet, so every
//! rejected row is reported with the row number the officer sees in Excel.
//!
//! The workbook is untrusted: it is read by `docparse::xlsx` with its limits, within the
//! budget that [`crate::reader`] gives the work on its pool.

use docparse::Budget;
use docparse::xlsx::{Data, SheetError};
use domain::text::fold_vi;

use crate::ServiceError;

/// Catalog columns in the order the CSV carries them.
pub const COLUMNS: [&str; 11] = [
    "code",
    "name",
    "field",
    "level",
    "agency",
    "time_limit",
    "time_limit_days",
    "fee",
    "online_level",
    "source",
    "internal",
];

/// Columns a sheet must have; the others may be absent and are read as empty.
const ESSENTIAL: [(&str, &str); 6] = [
    ("code", "Mã TTHC"),
    ("name", "Tên thủ tục"),
    ("field", "Lĩnh vực"),
    ("level", "Cấp thực hiện"),
    ("agency", "Cơ quan thực hiện"),
    ("time_limit", "Thời hạn giải quyết"),
];

/// How many leading rows may come before the header (title, issuing agency, blank rows).
const HEADER_SEARCH_ROWS: usize = 20;

/// True when the upload looks like an Office Open XML workbook.
pub fn is_xlsx(file_name: &str, bytes: &[u8]) -> bool {
    let lower = file_name.to_lowercase();
    lower.ends_with(".xlsx") || lower.ends_with(".xlsm") || bytes.starts_with(b"PK\x03\x04")
}

/// The catalog column a header cell names: the CSV names, and the Vietnamese headers an
/// officer types ("Mã TTHC", "Tên thủ tục", "Phí, lệ phí"…), with or without diacritics.
pub fn column_of(header: &str) -> Option<&'static str> {
    let folded = fold_vi(header);
    let words: Vec<&str> = folded
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    let key = words.join(" ");
    let col = match key.as_str() {
        "code"
        | "ma"
        | "ma tthc"
        | "ma thu tuc"
        | "ma so"
        | "ma so tthc"
        | "ma thu tuc hanh chinh" => "code",
        "name" | "ten" | "ten thu tuc" | "ten tthc" | "ten thu tuc hanh chinh" => "name",
        "field" | "linh vuc" => "field",
        "level" | "cap" | "cap thuc hien" => "level",
        "agency" | "co quan thuc hien" | "co quan giai quyet" => "agency",
        "time_limit" | "thoi han" | "thoi han giai quyet" => "time_limit",
        "time_limit_days" | "so ngay" | "so ngay lam viec" | "thoi han ngay"
        | "so ngay giai quyet" => "time_limit_days",
        "fee" | "phi" | "le phi" | "phi le phi" => "fee",
        "online_level"
        | "muc do truc tuyen"
        | "muc do dvc truc tuyen"
        | "dich vu cong truc tuyen" => "online_level",
        "source" | "nguon" => "source",
        "internal" | "noi bo" | "tthc noi bo" => "internal",
        _ => return None,
    };
    Some(col)
}

/// Reads the first sheet of a workbook into catalog CSV text within `budget`. The error
/// is a Vietnamese sentence for the officer: `BadRequest` for a sheet that cannot be
/// read as a catalog, `TooLarge` (413) for one over a limit or over its time.
pub fn xlsx_to_csv(bytes: &[u8], budget: &Budget) -> Result<String, ServiceError> {
    // The workbook comes from a user; a parser bug in the spreadsheet library must not
    // take the server down with it (same guard as docparse's reader).
    // (The budget is only read after a panic: asserting unwind safety is sound.)
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read(bytes, budget)))
        .unwrap_or_else(|_| Err(ServiceError::bad("Tệp Excel có cấu trúc không hợp lệ.")))
}

fn read(bytes: &[u8], budget: &Budget) -> Result<String, ServiceError> {
    let g = docparse::xlsx::first_sheet_with(bytes, budget).map_err(|e| match e {
        SheetError::TooLarge(_) | SheetError::Stopped(_) => ServiceError::TooLarge(e.to_string()),
        e => ServiceError::bad(e.to_string()),
    })?;
    let row0 = g.first_row;
    let rows: Vec<&[Data]> = g.rows.iter().map(|r| r.as_slice()).collect();
    // The header: the first row naming at least three catalog columns.
    let header = rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .position(|r| {
            r.iter()
                .filter(|c| column_of(&cell_text(c, None)).is_some())
                .count()
                >= 3
        })
        .ok_or_else(|| {
            ServiceError::bad("Không tìm thấy dòng tiêu đề trong trang tính đầu tiên (cần các cột Mã TTHC, Tên thủ tục, Lĩnh vực, Cấp thực hiện, Cơ quan thực hiện, Thời hạn giải quyết…).")
        })?;
    let mut index: Vec<Option<usize>> = vec![None; COLUMNS.len()];
    for (i, c) in rows[header].iter().enumerate() {
        if let Some(col) = column_of(&cell_text(c, None))
            && let Some(k) = COLUMNS.iter().position(|x| *x == col)
            && index[k].is_none()
        {
            index[k] = Some(i);
        }
    }
    let missing: Vec<&str> = ESSENTIAL
        .iter()
        .filter(|(c, _)| index[COLUMNS.iter().position(|x| x == c).unwrap_or(0)].is_none())
        .map(|(_, label)| *label)
        .collect();
    if !missing.is_empty() {
        return Err(ServiceError::bad(format!(
            "Trang tính thiếu cột: {}.",
            missing.join(", ")
        )));
    }
    // The CSV header sits on the sheet's header row; rows above it become blank lines,
    // which the CSV reader skips, so line numbers stay those of the sheet.
    let header_line = row0 as usize + header + 1;
    let mut out = "\n".repeat(header_line - 1);
    out.push_str(&COLUMNS.join(","));
    out.push('\n');
    for r in &rows[header + 1..] {
        budget
            .check()
            .map_err(|s| ServiceError::TooLarge(s.to_string()))?;
        let cells: Vec<String> = COLUMNS
            .iter()
            .zip(&index)
            .map(|(col, i)| {
                let text = i
                    .and_then(|i| r.get(i))
                    .map(|c| cell_text(c, Some(col)))
                    .unwrap_or_default();
                csv_field(&clean_cell(col, &text))
            })
            .collect();
        if cells.iter().all(String::is_empty) {
            out.push('\n');
        } else {
            out.push_str(&cells.join(","));
            out.push('\n');
        }
    }
    Ok(out)
}

/// A cell as text. A code typed as a number ("1.000940" kept by Excel as 1.00094) gets its
/// six decimals back; whole numbers lose the ".0".
pub(crate) fn cell_text(d: &Data, col: Option<&str>) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if col == Some("code") && f.is_finite() && *f > 0.0 && *f < 10.0 => {
            format!("{f:.6}")
        }
        Data::Float(f) => {
            if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                f.to_string()
            }
        }
        Data::Bool(true) => "1".into(),
        Data::Bool(false) => String::new(),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{d:02}/{m:02}/{y:04}")
        }
        Data::DateTime(dt) => dt.as_f64().to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

/// One line per cell (a line break typed with Alt+Enter becomes a space), and the level
/// written as officers do ("Cấp tỉnh") read as the catalog value ("tỉnh").
fn clean_cell(col: &str, text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if col == "level" {
        let lower = one_line.to_lowercase();
        if let Some(rest) = lower.strip_prefix("cấp ") {
            return rest.trim().to_string();
        }
        return lower;
    }
    one_line
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_headers_name_the_columns() {
        assert_eq!(column_of("Mã TTHC"), Some("code"));
        assert_eq!(column_of(" Tên thủ tục "), Some("name"));
        assert_eq!(column_of("Phí, lệ phí"), Some("fee"));
        assert_eq!(column_of("Mức độ trực tuyến"), Some("online_level"));
        assert_eq!(column_of("Thời hạn giải quyết"), Some("time_limit"));
        assert_eq!(column_of("Cấp thực hiện"), Some("level"));
        assert_eq!(column_of("Co quan thuc hien"), Some("agency"));
        assert_eq!(column_of("time_limit_days"), Some("time_limit_days"));
        assert_eq!(column_of("Nguồn"), Some("source"));
        assert_eq!(column_of("Ghi chú"), None);
    }

    #[test]
    fn cells_are_one_csv_line() {
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("x \"y\""), "\"x \"\"y\"\"\"");
        assert_eq!(clean_cell("name", "Dòng 1\nDòng 2"), "Dòng 1 Dòng 2");
        assert_eq!(clean_cell("level", "Cấp Tỉnh"), "tỉnh");
        assert_eq!(cell_text(&Data::Float(1.00094), Some("code")), "1.000940");
        assert_eq!(cell_text(&Data::Float(5.0), None), "5");
    }

    #[test]
    fn garbage_is_a_vietnamese_error() {
        let e = xlsx_to_csv(b"PK\x03\x04not a zip", &Budget::unlimited())
            .unwrap_err()
            .to_string();
        assert!(e.contains("Không đọc được tệp Excel"), "{e}");
    }
}
