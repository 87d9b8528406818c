//! Cell formats shared by both sheets: Times New Roman, the font of Vietnamese official
//! documents (Liberation Serif is its metric-compatible stand-in on Linux).

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder};

pub const FONT: &str = "Times New Roman";
pub const BODY_SIZE: f64 = 12.0;
pub const HEADER_SIZE: f64 = 13.0;
pub const TITLE_SIZE: f64 = 14.0;
/// Excel's own "light red fill" used for bad values.
pub const OVERDUE_FILL: u32 = 0xFFC7CE;
const TABLE_HEAD_FILL: u32 = 0xD9E1F2;

pub(crate) fn font(size: f64) -> Format {
    Format::new().set_font_name(FONT).set_font_size(size)
}

fn centered(format: Format) -> Format {
    format
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
}

pub(crate) fn cell(format: Format) -> Format {
    format
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
}

/// The workbook's default cell format, so empty cells and row heights match the body font.
pub fn default_format() -> Format {
    font(BODY_SIZE)
}

pub struct Styles {
    pub issuer_parent: Format,
    pub issuer: Format,
    pub national_name: Format,
    pub motto: Format,
    pub rule: Format,
    pub place_date: Format,
    pub title: Format,
    pub subtitle: Format,
    pub table_head: Format,
    pub text: Format,
    pub text_center: Format,
    pub integer: Format,
    pub percent: Format,
    pub total_label: Format,
    pub total_integer: Format,
    pub total_percent: Format,
    pub empty_line: Format,
    /// `text` and `text_center` with the light red fill of an overdue row.
    pub overdue_text: Format,
    pub overdue_text_center: Format,
}

impl Styles {
    pub fn new() -> Styles {
        let overdue = Color::RGB(OVERDUE_FILL);
        let text = cell(font(BODY_SIZE));
        let text_center = cell(font(BODY_SIZE)).set_align(FormatAlign::Center);
        let integer = cell(font(BODY_SIZE))
            .set_align(FormatAlign::Center)
            .set_num_format("0");
        let percent = cell(font(BODY_SIZE))
            .set_align(FormatAlign::Center)
            .set_num_format("0.0");
        Styles {
            issuer_parent: centered(font(HEADER_SIZE)),
            issuer: centered(font(HEADER_SIZE).set_bold()),
            national_name: centered(font(BODY_SIZE).set_bold()),
            motto: centered(font(HEADER_SIZE).set_bold()),
            rule: centered(font(8.0)),
            place_date: centered(font(HEADER_SIZE).set_italic()),
            title: centered(font(TITLE_SIZE).set_bold()).set_text_wrap(),
            subtitle: centered(font(HEADER_SIZE).set_italic()).set_text_wrap(),
            table_head: centered(cell(font(BODY_SIZE).set_bold()))
                .set_background_color(Color::RGB(TABLE_HEAD_FILL)),
            total_label: centered(cell(font(BODY_SIZE).set_bold())),
            total_integer: integer.clone().set_bold(),
            total_percent: percent.clone().set_bold(),
            empty_line: centered(cell(font(BODY_SIZE).set_italic())),
            overdue_text: text.clone().set_background_color(overdue),
            overdue_text_center: text_center.clone().set_background_color(overdue),
            text,
            text_center,
            integer,
            percent,
        }
    }
}
