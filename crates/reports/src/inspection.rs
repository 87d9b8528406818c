//! Thống kê kiểm tra công tác CCHC: one line per inspected unit — inspections, findings
//! by kind and how their remediation stands — with a totals line, on one landscape page
//! width under the official header.

use rust_xlsxwriter::{ColNum, Worksheet, XlsxError};

use crate::layout::{self, Blocks};
use crate::model::DocHeader;
use crate::style::Styles;
use crate::{ReportError, fit, labels, new_workbook};

/// One line: the unit and its counts in the order of the caller's columns, then the
/// on-time remediation share in percent.
#[derive(Debug, Clone, PartialEq)]
pub struct InspectionStatRow {
    pub unit: String,
    pub counts: Vec<u32>,
    pub on_time_percent: Option<f64>,
}

const STT_WIDTH: f64 = 5.0;
const UNIT_WIDTH: f64 = 30.0;
const COUNT_WIDTH: f64 = 10.0;

/// Builds the workbook: `columns` names the counts (the unit and rate columns are added).
pub fn inspection_stats_xlsx(
    header: &DocHeader,
    columns: &[String],
    rows: &[InspectionStatRow],
    total: &InspectionStatRow,
) -> Result<Vec<u8>, ReportError> {
    let mut workbook = new_workbook(header)?;
    let styles = Styles::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Thống kê kiểm tra")?;
    write_sheet(sheet, header, columns, rows, total, &styles)?;
    Ok(workbook.save_to_buffer()?)
}

fn write_sheet(
    sheet: &mut Worksheet,
    header: &DocHeader,
    columns: &[String],
    rows: &[InspectionStatRow],
    total: &InspectionStatRow,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let rate_col = (columns.len() + 2) as ColNum;
    let blocks = Blocks {
        left_last: 1,
        last: rate_col,
        total_width: STT_WIDTH + UNIT_WIDTH + COUNT_WIDTH * (columns.len() + 1) as f64,
    };
    sheet.set_column_width(0, STT_WIDTH)?;
    sheet.set_column_width(1, UNIT_WIDTH)?;
    for c in 2..=rate_col {
        sheet.set_column_width(c, COUNT_WIDTH)?;
    }
    let top = layout::write_doc_header(sheet, header, styles, &blocks)?;
    let head_row = top.row;
    sheet.write_string_with_format(head_row, 0, "STT", &styles.table_head)?;
    sheet.write_string_with_format(head_row, 1, "Đơn vị được kiểm tra", &styles.table_head)?;
    for (i, name) in columns.iter().enumerate() {
        sheet.write_string_with_format(head_row, (i + 2) as ColNum, name, &styles.table_head)?;
    }
    sheet.write_string_with_format(
        head_row,
        rate_col,
        "Tỷ lệ khắc phục đúng hạn (%)",
        &styles.table_head,
    )?;
    let head_height = fit::row_height(columns.iter().map(|c| (c.as_str(), COUNT_WIDTH)));
    sheet.set_row_height(head_row, head_height)?;
    layout::setup_page(sheet, head_row)?;
    if rows.is_empty() {
        sheet.merge_range(
            head_row + 1,
            0,
            head_row + 1,
            rate_col,
            "Không có cuộc kiểm tra nào trong năm.",
            &styles.empty_line,
        )?;
        return Ok(());
    }
    let mut row = head_row;
    for (n, r) in (1u32..).zip(rows) {
        row += 1;
        sheet.write_number_with_format(row, 0, n, &styles.integer)?;
        sheet.write_string_with_format(row, 1, &r.unit, &styles.text)?;
        sheet.set_row_height(row, fit::row_height([(r.unit.as_str(), UNIT_WIDTH)]))?;
        for (i, v) in r.counts.iter().enumerate() {
            sheet.write_number_with_format(row, (i + 2) as ColNum, *v, &styles.integer)?;
        }
        match r.on_time_percent {
            Some(p) => sheet.write_number_with_format(row, rate_col, p, &styles.percent)?,
            None => sheet.write_blank(row, rate_col, &styles.percent)?,
        };
    }
    sheet.autofilter(head_row, 0, row, rate_col)?;
    row += 1;
    sheet.merge_range(row, 0, row, 1, labels::TOTAL, &styles.total_label)?;
    for (i, v) in total.counts.iter().enumerate() {
        sheet.write_number_with_format(row, (i + 2) as ColNum, *v, &styles.total_integer)?;
    }
    match total.on_time_percent {
        Some(p) => sheet.write_number_with_format(row, rate_col, p, &styles.total_percent)?,
        None => sheet.write_blank(row, rate_col, &styles.total_percent)?,
    };
    Ok(())
}
