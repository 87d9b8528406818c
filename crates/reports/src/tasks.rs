//! The task list in the appendix layout of plan 574/KH-UBND.

use rust_xlsxwriter::{ColNum, Format, RowNum, Worksheet, XlsxError};

use crate::layout::{self, Blocks};
use crate::model::{DocHeader, TaskRow};
use crate::style::Styles;
use crate::{ReportError, fit, labels, new_workbook};

/// Column widths in characters: about 130 in all, so one A4 landscape page at ~80–85 %.
const WIDTHS: [f64; 7] = [6.0, 41.0, 19.0, 21.0, 13.0, 18.0, 17.0];
const LAST_COL: ColNum = 6;
const BLOCKS: Blocks = Blocks {
    left_last: 2,
    last: LAST_COL,
    total_width: total_width(),
};

const fn total_width() -> f64 {
    let mut sum = 0.0;
    let mut i = 0;
    while i < WIDTHS.len() {
        sum += WIDTHS[i];
        i += 1;
    }
    sum
}

/// Builds the "Nhiệm vụ" workbook and returns the xlsx bytes.
pub fn tasks_xlsx(header: &DocHeader, rows: &[TaskRow]) -> Result<Vec<u8>, ReportError> {
    let mut workbook = new_workbook(header)?;
    let styles = Styles::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(labels::TASKS_SHEET)?;
    write_sheet(sheet, header, rows, &styles)?;
    Ok(workbook.save_to_buffer()?)
}

fn write_sheet(
    sheet: &mut Worksheet,
    header: &DocHeader,
    rows: &[TaskRow],
    styles: &Styles,
) -> Result<(), XlsxError> {
    for (col, width) in (0..).zip(WIDTHS) {
        sheet.set_column_width(col, width)?;
    }
    let top = layout::write_doc_header(sheet, header, styles, &BLOCKS)?;
    let head_row = top.row;
    for (col, name) in (0..).zip(labels::TASK_COLUMNS) {
        sheet.write_string_with_format(head_row, col, name, &styles.table_head)?;
    }
    sheet.set_row_height(head_row, 33)?;
    layout::setup_page(sheet, head_row)?;

    if rows.is_empty() {
        sheet.merge_range(
            head_row + 1,
            0,
            head_row + 1,
            LAST_COL,
            labels::NO_TASKS,
            &styles.empty_line,
        )?;
        return Ok(());
    }
    let mut row = head_row;
    for task in rows {
        row += 1;
        write_task(sheet, row, task, styles)?;
    }
    sheet.autofilter(head_row, 0, row, LAST_COL)?;
    Ok(())
}

fn write_task(
    sheet: &mut Worksheet,
    row: RowNum,
    task: &TaskRow,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let (text, center) = if task.is_overdue() {
        (&styles.overdue_text, &styles.overdue_text_center)
    } else {
        (&styles.text, &styles.text_center)
    };
    write_stt(sheet, row, &task.stt, center)?;
    sheet.write_string_with_format(row, 1, &task.content, text)?;
    sheet.write_string_with_format(row, 2, &task.lead, text)?;
    sheet.write_string_with_format(row, 3, &task.support, text)?;
    sheet.write_string_with_format(row, 4, &task.deadline_text, center)?;
    let result = result_text(task);
    let note = note_text(task);
    sheet.write_string_with_format(row, 5, &result, center)?;
    sheet.write_string_with_format(row, 6, &note, text)?;
    let texts = [
        task.stt.as_str(),
        &task.content,
        &task.lead,
        &task.support,
        &task.deadline_text,
        &result,
        &note,
    ];
    sheet.set_row_height(row, fit::row_height(texts.into_iter().zip(WIDTHS)))?;
    Ok(())
}

/// A plain "3" is a number (so the column sorts); "2.1" or "I" stays text.
fn write_stt(
    sheet: &mut Worksheet,
    row: RowNum,
    stt: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    let numeric = !stt.is_empty() && stt.len() <= 6 && stt.bytes().all(|b| b.is_ascii_digit());
    match stt.parse::<u32>() {
        Ok(n) if numeric => sheet.write_number_with_format(row, 0, n, format)?,
        _ => sheet.write_string_with_format(row, 0, stt, format)?,
    };
    Ok(())
}

/// "Đang thực hiện (60%)".
pub(crate) fn result_text(task: &TaskRow) -> String {
    if task.status.is_empty() {
        format!("{}%", task.percent)
    } else {
        format!("{} ({}%)", task.status, task.percent)
    }
}

/// The lateness first, then the caller's note, one per line.
pub(crate) fn note_text(task: &TaskRow) -> String {
    let late = match task.days_late {
        d if d <= 0 => None,
        d if task.is_overdue() => Some(labels::overdue_note(d)),
        d => Some(labels::finished_late_note(d)),
    };
    let note = Some(task.note.trim()).filter(|n| !n.is_empty());
    match (late, note) {
        (Some(late), Some(note)) => format!("{late}\n{note}"),
        (Some(late), None) => late,
        (None, Some(note)) => note.to_string(),
        (None, None) => String::new(),
    }
}
