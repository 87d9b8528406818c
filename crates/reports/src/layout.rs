//! The official header block and the page setup shared by every sheet.
//!
//! Nghị định 30/2020/NĐ-CP, Phụ lục I (thể thức văn bản hành chính): the issuing body's
//! parent in upper case, regular; the issuing body in upper case, bold, with a short rule
//! below; the national name in upper case, bold; the motto bold with a rule below; then the
//! place and date in italics under the motto.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ColNum, RowNum, Worksheet, XlsxError};

use crate::model::DocHeader;
use crate::style::Styles;
use crate::{fit, labels};

/// How a sheet's columns split between the left (issuer) and right (national name) blocks.
pub struct Blocks {
    /// Last column of the left block; the right block starts one column later.
    pub left_last: ColNum,
    pub last: ColNum,
    /// Width of all the columns together, in characters, for wrapping the title.
    pub total_width: f64,
}

/// Excel's height of a row left at the default, for Times New Roman 12.
pub const DEFAULT_ROW_PT: f64 = 15.75;
/// Printable height of an A4 landscape page inside the margins set in [`setup_page`].
pub const PRINTABLE_HEIGHT_PT: f64 = (8.27 - 1.2) * 72.0;
/// Printable width of that page in pixels, to know how much fit-to-width shrinks a sheet.
pub const PRINTABLE_WIDTH_PX: f64 = (11.69 - 1.0) * 96.0;

/// Where the header block ends: the first free row and the height above it.
pub struct HeaderEnd {
    pub row: RowNum,
    pub height_pt: f64,
}

/// Nghị định 30/2020/NĐ-CP, Phụ lục I, mục I.5: days below 10 and months below 3 are
/// written with a leading zero ("ngày 05 tháng 02", but "tháng 3").
pub fn place_date_line(place: &str, date: NaiveDate) -> String {
    let month = if date.month() < 3 {
        format!("{:02}", date.month())
    } else {
        date.month().to_string()
    };
    format!(
        "{place}, ngày {:02} tháng {month} năm {}",
        date.day(),
        date.year()
    )
}

fn merge(
    sheet: &mut Worksheet,
    row: RowNum,
    first: ColNum,
    last: ColNum,
    text: &str,
    format: &rust_xlsxwriter::Format,
) -> Result<(), XlsxError> {
    if first == last {
        sheet.write_string_with_format(row, first, text, format)?;
    } else {
        sheet.merge_range(row, first, row, last, text, format)?;
    }
    Ok(())
}

/// Writes the header block and title; returns the first free row below them.
pub fn write_doc_header(
    sheet: &mut Worksheet,
    header: &DocHeader,
    styles: &Styles,
    blocks: &Blocks,
) -> Result<HeaderEnd, XlsxError> {
    let left = (0, blocks.left_last);
    let right = (blocks.left_last + 1, blocks.last);
    let parent = header.issuer_parent.to_uppercase();
    let issuer = header.issuer.to_uppercase();

    merge(sheet, 0, left.0, left.1, &parent, &styles.issuer_parent)?;
    merge(
        sheet,
        0,
        right.0,
        right.1,
        labels::NATIONAL_NAME,
        &styles.national_name,
    )?;
    merge(sheet, 1, left.0, left.1, &issuer, &styles.issuer)?;
    merge(sheet, 1, right.0, right.1, labels::MOTTO, &styles.motto)?;
    merge(sheet, 2, left.0, left.1, labels::ISSUER_RULE, &styles.rule)?;
    merge(sheet, 2, right.0, right.1, labels::MOTTO_RULE, &styles.rule)?;
    sheet.set_row_height(2, 9)?;
    let date_line = place_date_line(&header.place, header.date);
    merge(sheet, 3, right.0, right.1, &date_line, &styles.place_date)?;
    sheet.set_row_height(3, 21)?;

    let mut height_pt = 3.0 * DEFAULT_ROW_PT + 9.0 + 21.0;

    let mut row: RowNum = 5;
    merge(sheet, row, 0, blocks.last, &header.title, &styles.title)?;
    let title_lines = fit::lines(&header.title, blocks.total_width, 1.3);
    let title_pt = f64::from(title_lines) * 18.0 + 3.0;
    sheet.set_row_height(row, title_pt)?;
    height_pt += title_pt;
    row += 1;
    if let Some(subtitle) = header.subtitle.as_deref().filter(|s| !s.is_empty()) {
        merge(sheet, row, 0, blocks.last, subtitle, &styles.subtitle)?;
        let subtitle_lines = fit::lines(subtitle, blocks.total_width, 1.1);
        let subtitle_pt = f64::from(subtitle_lines) * 16.5 + 2.5;
        sheet.set_row_height(row, subtitle_pt)?;
        height_pt += subtitle_pt;
        row += 1;
    }
    Ok(HeaderEnd {
        row: row + 1,
        height_pt,
    })
}

/// Whether `needed_pt` more still fits on the page where content `used_pt` tall ends, the
/// sheet being `width_px` wide and every page after the first repeating a `head_pt` row.
pub fn fits_on_last_page(used_pt: f64, head_pt: f64, needed_pt: f64, width_px: f64) -> bool {
    let scale = (PRINTABLE_WIDTH_PX / width_px).min(1.0);
    let page = PRINTABLE_HEIGHT_PT / scale;
    let on_last = if used_pt <= page {
        used_pt
    } else {
        head_pt + (used_pt - page) % (page - head_pt)
    };
    on_last + needed_pt <= page
}

/// A4 landscape, one page wide, table head repeated on every printed page, and the table
/// head frozen on screen.
pub fn setup_page(sheet: &mut Worksheet, head_row: RowNum) -> Result<(), XlsxError> {
    sheet.set_paper_size(9);
    sheet.set_landscape();
    sheet.set_margins(0.6, 0.4, 0.6, 0.6, 0.3, 0.3);
    sheet.set_print_center_horizontally(true);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(head_row, head_row)?;
    sheet.set_freeze_panes(head_row + 1, 0)?;
    sheet.set_footer(labels::PAGE_FOOTER);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn a_chart_goes_to_the_next_page_when_the_table_fills_this_one() {
        assert!(fits_on_last_page(150.0, 40.0, 300.0, 1000.0));
        assert!(!fits_on_last_page(300.0, 40.0, 300.0, 1000.0));
        // Twice as wide prints at half size, so twice as much fits.
        assert!(fits_on_last_page(
            300.0,
            40.0,
            300.0,
            2.0 * PRINTABLE_WIDTH_PX
        ));
        // On a later page only what spilled over counts.
        assert!(fits_on_last_page(
            PRINTABLE_HEIGHT_PT + 60.0,
            40.0,
            300.0,
            1000.0
        ));
    }

    #[test]
    fn pads_day_below_ten_and_january_february() {
        assert_eq!(
            place_date_line("Nghệ An", date(2025, 2, 5)),
            "Nghệ An, ngày 05 tháng 02 năm 2025"
        );
        assert_eq!(
            place_date_line("Nghệ An", date(2025, 3, 15)),
            "Nghệ An, ngày 15 tháng 3 năm 2025"
        );
        assert_eq!(
            place_date_line("Vinh", date(2024, 12, 31)),
            "Vinh, ngày 31 tháng 12 năm 2024"
        );
    }
}
