//! Statistics per agency or directive, with a totals row and a native column chart.

use rust_xlsxwriter::{
    Chart, ChartFont, ChartLegendPosition, ChartType, ColNum, Formula, RowNum, Worksheet, XlsxError,
};

use crate::layout::{self, Blocks};
use crate::model::{DocHeader, StatRow};
use crate::style::{self, Styles};
use crate::{ReportError, fit, labels, new_workbook};

const WIDTHS: [f64; 9] = [6.0, 36.0, 12.0, 12.0, 12.0, 11.0, 11.0, 10.0, 12.0];
const LAST_COL: ColNum = 8;
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
/// Columns C..H hold counts; I holds the rate.
const COUNT_COLS: [(ColNum, char); 6] =
    [(2, 'C'), (3, 'D'), (4, 'E'), (5, 'F'), (6, 'G'), (7, 'H')];
const RATE_COL: ColNum = 8;
/// The chart shows on time, late and overdue: columns D, E and H, with these colours.
const CHART_SERIES: [(ColNum, u32); 3] = [(3, 0x70AD47), (4, 0xFFC000), (7, 0xC00000)];

const HEAD_PT: f64 = 48.0;
const CHART_HEIGHT_PX: u32 = 380;

/// Width of the table in pixels: 8 px per character plus 5 px of padding per column.
fn table_px() -> u32 {
    WIDTHS.iter().map(|w| (w * 8.0 + 5.0) as u32).sum()
}

/// Builds the "Thống kê" workbook and returns the xlsx bytes.
pub fn stats_xlsx(header: &DocHeader, rows: &[StatRow]) -> Result<Vec<u8>, ReportError> {
    let mut workbook = new_workbook(header)?;
    let styles = Styles::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(labels::STATS_SHEET)?;
    write_sheet(sheet, header, rows, &styles)?;
    Ok(workbook.save_to_buffer()?)
}

fn write_sheet(
    sheet: &mut Worksheet,
    header: &DocHeader,
    rows: &[StatRow],
    styles: &Styles,
) -> Result<(), XlsxError> {
    for (col, width) in (0..).zip(WIDTHS) {
        sheet.set_column_width(col, width)?;
    }
    let top = layout::write_doc_header(sheet, header, styles, &BLOCKS)?;
    let head_row = top.row;
    for (col, name) in (0..).zip(labels::STAT_COLUMNS) {
        sheet.write_string_with_format(head_row, col, name, &styles.table_head)?;
    }
    sheet.set_row_height(head_row, HEAD_PT)?;
    layout::setup_page(sheet, head_row)?;

    if rows.is_empty() {
        let row = head_row + 1;
        sheet.merge_range(row, 0, row, LAST_COL, labels::NO_STATS, &styles.empty_line)?;
        return Ok(());
    }
    let mut row = head_row;
    let mut used_pt = top.height_pt + HEAD_PT;
    for (number, stat) in (1u32..).zip(rows) {
        row += 1;
        used_pt += write_stat(sheet, row, number, stat, styles)?;
    }
    let last_data = row;
    sheet.autofilter(head_row, 0, last_data, LAST_COL)?;
    let total_row = last_data + 1;
    write_totals(sheet, head_row + 1, total_row, rows, styles)?;
    used_pt += 2.0 * layout::DEFAULT_ROW_PT;

    let chart_row = total_row + 2;
    let chart_pt = f64::from(CHART_HEIGHT_PX) * 0.75;
    if !layout::fits_on_last_page(used_pt, HEAD_PT, chart_pt, f64::from(table_px())) {
        sheet.set_page_breaks(&[chart_row])?;
    }
    insert_chart(sheet, head_row + 1, last_data, chart_row)?;
    Ok(())
}

/// Writes one unit's line and returns its height in points.
fn write_stat(
    sheet: &mut Worksheet,
    row: RowNum,
    number: u32,
    stat: &StatRow,
    styles: &Styles,
) -> Result<f64, XlsxError> {
    sheet.write_number_with_format(row, 0, number, &styles.integer)?;
    sheet.write_string_with_format(row, 1, &stat.label, &styles.text)?;
    let height = fit::row_height([(stat.label.as_str(), WIDTHS[1])]);
    sheet.set_row_height(row, height)?;
    let counts = [
        stat.assigned,
        stat.done_on_time,
        stat.done_late,
        stat.awaiting,
        stat.in_progress,
        stat.overdue,
    ];
    for ((col, _), count) in COUNT_COLS.into_iter().zip(counts) {
        sheet.write_number_with_format(row, col, count as f64, &styles.integer)?;
    }
    match stat.rate {
        Some(rate) if rate.is_finite() => {
            sheet.write_number_with_format(row, RATE_COL, rate, &styles.percent)?
        }
        _ => sheet.write_blank(row, RATE_COL, &styles.percent)?,
    };
    Ok(height)
}

/// The totals are formulas so an edited cell still adds up, with cached values so readers
/// that do not recalculate (previews, mail clients, calamine) show the same numbers.
fn write_totals(
    sheet: &mut Worksheet,
    first_data: RowNum,
    total_row: RowNum,
    rows: &[StatRow],
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.merge_range(
        total_row,
        0,
        total_row,
        1,
        labels::TOTAL,
        &styles.total_label,
    )?;
    let totals = Totals::of(rows);
    // Excel rows are 1-based.
    let (first, last, here) = (first_data + 1, total_row, total_row + 1);
    for ((col, letter), value) in COUNT_COLS.into_iter().zip(totals.counts) {
        let formula = Formula::new(format!("=SUM({letter}{first}:{letter}{last})"))
            .set_result(value.to_string());
        sheet.write_formula_with_format(total_row, col, formula, &styles.total_integer)?;
    }
    let cached = totals.rate().map(|r| r.to_string()).unwrap_or_default();
    let formula = Formula::new(format!("=IF(C{here}=0,\"\",(D{here}+E{here})/C{here}*100)"))
        .set_result(cached);
    sheet.write_formula_with_format(total_row, RATE_COL, formula, &styles.total_percent)?;
    Ok(())
}

/// Column sums in the order of [`COUNT_COLS`].
pub(crate) struct Totals {
    pub counts: [i64; 6],
}

impl Totals {
    pub fn of(rows: &[StatRow]) -> Totals {
        let mut counts = [0i64; 6];
        for r in rows {
            let row = [
                r.assigned,
                r.done_on_time,
                r.done_late,
                r.awaiting,
                r.in_progress,
                r.overdue,
            ];
            for (sum, value) in counts.iter_mut().zip(row) {
                *sum += value;
            }
        }
        Totals { counts }
    }

    /// Completion rate of the whole table: finished (on time or late) over assigned.
    pub fn rate(&self) -> Option<f64> {
        let [assigned, on_time, late, ..] = self.counts;
        (assigned != 0).then(|| (on_time + late) as f64 / assigned as f64 * 100.0)
    }
}

fn insert_chart(
    sheet: &mut Worksheet,
    first_data: RowNum,
    last_data: RowNum,
    at_row: RowNum,
) -> Result<(), XlsxError> {
    let name = labels::STATS_SHEET;
    let mut font = ChartFont::new();
    font.set_name(style::FONT).set_size(10);
    let mut chart = Chart::new(ChartType::Column);
    for (col, colour) in CHART_SERIES {
        chart
            .add_series()
            .set_name((name, first_data - 1, col))
            .set_categories((name, first_data, 1, last_data, 1))
            .set_values((name, first_data, col, last_data, col))
            .set_format(
                rust_xlsxwriter::ChartFormat::new()
                    .set_solid_fill(rust_xlsxwriter::ChartSolidFill::new().set_color(colour)),
            );
    }
    let mut title_font = font.clone();
    title_font.set_size(12).set_bold();
    chart
        .title()
        .set_name(labels::CHART_TITLE)
        .set_font(&title_font);
    chart.x_axis().set_font(&font);
    chart
        .y_axis()
        .set_name(labels::CHART_VALUE_AXIS)
        .set_name_font(&font)
        .set_font(&font);
    chart
        .legend()
        .set_position(ChartLegendPosition::Bottom)
        .set_font(&font);

    chart.set_width(table_px()).set_height(CHART_HEIGHT_PX);
    sheet.insert_chart(at_row, 0, &chart)?;
    Ok(())
}
