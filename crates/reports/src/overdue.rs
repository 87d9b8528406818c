//! Danh sách hồ sơ, nhiệm vụ quá hạn — the monthly list for the provincial meeting (Công
//! văn 6486/UBND-KSTT mục 3): the official header, the unit, the period and the time the
//! list was made, the totals per unit, then one line per overdue dossier, task or feedback
//! (phản ánh, kiến nghị).

use rust_xlsxwriter::{ColNum, RowNum, Worksheet, XlsxError};
use serde::{Deserialize, Serialize};

use crate::layout::{self, Blocks};
use crate::model::DocHeader;
use crate::style::Styles;
use crate::{ReportError, fit, new_workbook};

/// Totals of one responsible unit (or of the whole list).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverdueTotal {
    pub unit: String,
    pub dossiers: u64,
    pub tasks: u64,
    /// Phản ánh, kiến nghị answered late or still unanswered past their limit.
    #[serde(default)]
    pub feedback: u64,
    pub with_reason: u64,
    pub without_reason: u64,
}

/// One overdue dossier or task, already rendered to display text by the caller.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverdueLine {
    /// "Hồ sơ", "Nhiệm vụ" or "Phản ánh, kiến nghị".
    pub kind: String,
    /// The unit responsible for the delay.
    pub unit: String,
    /// Dossier code, or the task's number.
    pub code: String,
    /// The procedure, or the task's content.
    pub title: String,
    /// Receiving desk, or the directive that assigned the task.
    pub origin: String,
    /// Handling agency (dossiers).
    pub handling: String,
    /// The step that ran late or is running (dossiers).
    pub step: String,
    pub officer: String,
    /// dd/mm/yyyy (tasks) or dd/mm/yyyy HH:MM (dossiers).
    pub due: String,
    /// When it was finished, empty while still open.
    pub finished: String,
    pub days_late: i64,
    /// "ngày làm việc" or "ngày".
    pub days_unit: String,
    /// The stated reason, or "Chưa có lý do".
    pub reason: String,
    /// "Có" / "Không" for dossiers, empty for tasks.
    pub apology: String,
}

/// The whole list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverdueSheet {
    pub header: DocHeader,
    /// "Đơn vị: …", "Kỳ: …", "Thời điểm lập: …".
    pub info: Vec<String>,
    pub totals: Vec<OverdueTotal>,
    pub total: OverdueTotal,
    pub lines: Vec<OverdueLine>,
}

/// Column titles of the list, in order; the XLSX and the page use the same.
pub const OVERDUE_COLUMNS: [&str; 15] = [
    "STT",
    "Loại",
    "Đơn vị chịu trách nhiệm",
    "Mã hồ sơ / nhiệm vụ",
    "Thủ tục / nội dung nhiệm vụ",
    "Nơi tiếp nhận / văn bản giao",
    "Cơ quan đang giải quyết",
    "Bước xử lý",
    "Cán bộ chịu trách nhiệm",
    "Hạn giải quyết",
    "Ngày hoàn thành",
    "Số ngày quá hạn",
    "Đơn vị tính",
    "Lý do chậm",
    "Phiếu xin lỗi (Mẫu 04)",
];

/// Column titles of the totals table.
pub const OVERDUE_TOTAL_COLUMNS: [&str; 7] = [
    "STT",
    "Đơn vị",
    "Hồ sơ quá hạn",
    "Nhiệm vụ quá hạn",
    "Phản ánh, kiến nghị quá hạn",
    "Có lý do",
    "Chưa có lý do",
];

/// Sheet name of the list.
pub const OVERDUE_SHEET: &str = "Quá hạn";

const WIDTHS: [f64; 15] = [
    5.0, 9.0, 22.0, 20.0, 30.0, 20.0, 20.0, 16.0, 18.0, 13.0, 13.0, 9.0, 10.0, 28.0, 10.0,
];
const LAST_COL: ColNum = 14;

const fn total_width() -> f64 {
    let mut sum = 0.0;
    let mut i = 0;
    while i < WIDTHS.len() {
        sum += WIDTHS[i];
        i += 1;
    }
    sum
}

const BLOCKS: Blocks = Blocks {
    left_last: 4,
    last: LAST_COL,
    total_width: total_width(),
};

/// Builds the workbook and returns the xlsx bytes.
pub fn overdue_xlsx(sheet_data: &OverdueSheet) -> Result<Vec<u8>, ReportError> {
    let mut workbook = new_workbook(&sheet_data.header)?;
    let styles = Styles::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(OVERDUE_SHEET)?;
    write_sheet(sheet, sheet_data, &styles)?;
    Ok(workbook.save_to_buffer()?)
}

fn write_sheet(sheet: &mut Worksheet, s: &OverdueSheet, styles: &Styles) -> Result<(), XlsxError> {
    for (col, width) in (0..).zip(WIDTHS) {
        sheet.set_column_width(col, width)?;
    }
    let top = layout::write_doc_header(sheet, &s.header, styles, &BLOCKS)?;
    let mut row: RowNum = top.row;
    for line in &s.info {
        sheet.merge_range(row, 0, row, LAST_COL, line, &styles.subtitle)?;
        row += 1;
    }
    row += 1;
    // Totals per unit.
    // STT in A, the unit across B:E, the four counts in F:I.
    sheet.write_string_with_format(row, 0, OVERDUE_TOTAL_COLUMNS[0], &styles.table_head)?;
    sheet.merge_range(row, 1, row, 4, OVERDUE_TOTAL_COLUMNS[1], &styles.table_head)?;
    for (col, name) in (5..).zip(&OVERDUE_TOTAL_COLUMNS[2..]) {
        sheet.write_string_with_format(row, col, *name, &styles.table_head)?;
    }
    sheet.set_row_height(row, 33)?;
    for (i, t) in s.totals.iter().enumerate() {
        row += 1;
        write_total(sheet, row, &(i + 1).to_string(), t, styles, false)?;
    }
    row += 1;
    write_total(sheet, row, "", &s.total, styles, true)?;
    row += 2;

    let head_row = row;
    for (col, name) in (0..).zip(OVERDUE_COLUMNS) {
        sheet.write_string_with_format(head_row, col, name, &styles.table_head)?;
    }
    sheet.set_row_height(head_row, 48)?;
    layout::setup_page(sheet, head_row)?;
    if s.lines.is_empty() {
        sheet.merge_range(
            head_row + 1,
            0,
            head_row + 1,
            LAST_COL,
            "Không có hồ sơ, nhiệm vụ quá hạn trong kỳ.",
            &styles.empty_line,
        )?;
        return Ok(());
    }
    for (i, l) in s.lines.iter().enumerate() {
        row += 1;
        let (text, center) = if l.finished.is_empty() {
            (&styles.overdue_text, &styles.overdue_text_center)
        } else {
            (&styles.text, &styles.text_center)
        };
        sheet.write_number_with_format(row, 0, (i + 1) as f64, center)?;
        let texts: [&str; 10] = [
            &l.kind,
            &l.unit,
            &l.code,
            &l.title,
            &l.origin,
            &l.handling,
            &l.step,
            &l.officer,
            &l.due,
            &l.finished,
        ];
        for (col, t) in (1..).zip(texts) {
            let f = if col >= 9 { center } else { text };
            sheet.write_string_with_format(row, col, t, f)?;
        }
        sheet.write_number_with_format(row, 11, l.days_late as f64, center)?;
        sheet.write_string_with_format(row, 12, &l.days_unit, center)?;
        sheet.write_string_with_format(row, 13, &l.reason, text)?;
        sheet.write_string_with_format(row, 14, &l.apology, center)?;
        let cells = [&l.unit, &l.code, &l.title, &l.origin, &l.reason];
        let widths = [WIDTHS[2], WIDTHS[3], WIDTHS[4], WIDTHS[5], WIDTHS[13]];
        sheet.set_row_height(
            row,
            fit::row_height(cells.into_iter().map(String::as_str).zip(widths)),
        )?;
    }
    sheet.autofilter(head_row, 0, row, LAST_COL)?;
    Ok(())
}

fn write_total(
    sheet: &mut Worksheet,
    row: RowNum,
    stt: &str,
    t: &OverdueTotal,
    styles: &Styles,
    bold: bool,
) -> Result<(), XlsxError> {
    let (label, int) = if bold {
        (&styles.total_label, &styles.total_integer)
    } else {
        (&styles.text, &styles.integer)
    };
    sheet.write_string_with_format(row, 0, stt, &styles.text_center)?;
    sheet.merge_range(row, 1, row, 4, &t.unit, label)?;
    for (col, n) in (5..).zip([
        t.dossiers,
        t.tasks,
        t.feedback,
        t.with_reason,
        t.without_reason,
    ]) {
        sheet.write_number_with_format(row, col, n as f64, int)?;
    }
    Ok(())
}
