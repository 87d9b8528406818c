//! Văn bản — a small model of a Vietnamese official paper, rendered to HTML ([`to_html`])
//! and to PDF ([`to_pdf`]) from the same value, so the screen, the print and the file
//! agree.
//!
//! Layout follows Nghị định 30/2020/NĐ-CP, Phụ lục I: the issuer block top left (parent
//! agency upper case, agency upper case bold with a short rule, "Số: …"), the national
//! name and motto top right (bold, short rule under the motto), the place and date in
//! italics under them, then the type name and subject centred in bold.
//!
//! [`to_html`]: crate::to_html
//! [`to_pdf`]: crate::to_pdf

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use serde::{Deserialize, Serialize};

/// Khổ giấy — the paper the document is laid out for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Paper {
    /// 148 × 210 mm, the one-stop forms (Thông tư 01/2018/TT-VPCP, Điều 2).
    A5,
    /// 210 × 297 mm, reports and letters.
    A4,
    /// 297 × 210 mm, registers and wide tables.
    A4Landscape,
}

impl Paper {
    /// Width and height in PDF points (1/72 inch).
    pub fn size_pt(self) -> (f32, f32) {
        match self {
            Paper::A5 => (419.53, 595.28),
            Paper::A4 => (595.28, 841.89),
            Paper::A4Landscape => (841.89, 595.28),
        }
    }

    /// Margins top, right, bottom, left in millimetres. A4 follows NĐ 30/2020 Phụ lục I
    /// (top and bottom 20–25, left 30–35, right 15–20); A5 and landscape scale them down
    /// so a form still fits on one sheet [TV: no rule names A5 margins].
    pub fn margins_mm(self) -> [f32; 4] {
        match self {
            Paper::A5 => [12.0, 12.0, 12.0, 20.0],
            Paper::A4 => [20.0, 15.0, 20.0, 30.0],
            Paper::A4Landscape => [20.0, 15.0, 15.0, 20.0],
        }
    }

    /// Body font size in points: 13–14 on A4 (NĐ 30), smaller on A5 so the forms keep
    /// their one-page layout.
    pub fn body_size(self) -> f32 {
        match self {
            Paper::A5 => 11.0,
            Paper::A4 => 13.0,
            Paper::A4Landscape => 12.0,
        }
    }

    pub(crate) fn css_size(self) -> &'static str {
        match self {
            Paper::A5 => "A5 portrait",
            Paper::A4 => "A4 portrait",
            Paper::A4Landscape => "A4 landscape",
        }
    }
}

/// Ô 2 and ô 3 of the layout: who issues the paper and its number.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Letterhead {
    /// Cơ quan chủ quản, e.g. "UBND tỉnh Nghệ An"; printed in upper case. May be empty.
    pub agency_parent: String,
    /// Cơ quan ban hành, e.g. "Trung tâm Phục vụ hành chính công"; upper case, bold.
    pub agency: String,
    /// What follows "Số:", e.g. "125/GTN-TTPVHCC"; `None` prints no number line, an empty
    /// string prints a blank "Số: …" to fill in by hand.
    pub number: Option<String>,
}

/// A piece of text in one style.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

impl Run {
    pub fn plain(text: impl Into<String>) -> Run {
        Run {
            text: text.into(),
            bold: false,
            italic: false,
        }
    }

    pub fn bold(text: impl Into<String>) -> Run {
        Run {
            bold: true,
            ..Run::plain(text)
        }
    }

    pub fn italic(text: impl Into<String>) -> Run {
        Run {
            italic: true,
            ..Run::plain(text)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

/// One column of a table: its head, its share of the width and how cells align.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub head: String,
    /// Relative width; the columns share the line in proportion.
    pub width: f32,
    pub align: Align,
}

impl Column {
    pub fn new(head: impl Into<String>, width: f32, align: Align) -> Column {
        Column {
            head: head.into(),
            width,
            align,
        }
    }
}

/// A ruled table; the head row repeats on every page it runs onto.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub columns: Vec<Column>,
    /// Cells as text; "\n" breaks a line inside a cell.
    pub rows: Vec<Vec<String>>,
    /// Printed in italics across the table when there are no rows.
    pub empty_text: Option<String>,
}

/// A signature column: "NGƯỜI TIẾP NHẬN HỒ SƠ" / "(Ký và ghi rõ họ tên)" / room to sign /
/// the name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signature {
    /// Position lines, upper case and bold; "\n" separates "TM. …" / "KT. …" lines.
    pub title: String,
    /// The italic hint under the title, e.g. "(Ký và ghi rõ họ tên)".
    pub hint: Option<String>,
    /// Printed name, bold; empty leaves the room blank.
    pub name: String,
}

impl Signature {
    pub fn new(title: impl Into<String>, hint: Option<&str>, name: impl Into<String>) -> Self {
        Signature {
            title: title.into(),
            hint: hint.map(str::to_string),
            name: name.into(),
        }
    }
}

/// The body of a paper, top to bottom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Block {
    /// Text that wraps; `indent` indents the first line as body paragraphs do.
    Paragraph {
        runs: Vec<Run>,
        align: Align,
        indent: bool,
    },
    /// "Label: value"; an empty value prints a dotted line to fill in by hand.
    Field {
        label: String,
        value: String,
    },
    /// Several fields on one line, e.g. "Số điện thoại: … Email: …".
    Fields(Vec<(String, String)>),
    /// Dotted lines to write on.
    DottedLines(u32),
    Table(Table),
    /// Signature columns side by side; an empty title leaves its column empty.
    Signatures(Vec<Signature>),
    /// Vertical space in multiples of the line height.
    Space(f32),
}

impl Block {
    pub fn text(text: impl Into<String>) -> Block {
        Block::Paragraph {
            runs: vec![Run::plain(text)],
            align: Align::Left,
            indent: false,
        }
    }

    pub fn runs(runs: Vec<Run>) -> Block {
        Block::Paragraph {
            runs,
            align: Align::Left,
            indent: false,
        }
    }

    pub fn field(label: impl Into<String>, value: impl Into<String>) -> Block {
        Block::Field {
            label: label.into(),
            value: value.into(),
        }
    }
}

/// A complete paper: letterhead, place and date, title and body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfficialDoc {
    pub paper: Paper,
    pub letterhead: Letterhead,
    /// Ô 4: "<place>, ngày … tháng … năm …"; `None` prints no date line.
    pub place_date: Option<(String, NaiveDate)>,
    /// Ô 5a: the type name, printed upper case and bold.
    pub title: String,
    /// Lines under the title (subject, "Mã hồ sơ: …"), centred.
    pub subtitle: Vec<Run>,
    pub blocks: Vec<Block>,
}

/// Nghị định 30/2020/NĐ-CP, Phụ lục I, mục I.5: "ngày 05 tháng 02 năm 2025",
/// "ngày 15 tháng 3 năm 2025" — days below 10 and months 1 and 2 take a leading zero.
pub fn date_words(date: NaiveDate) -> String {
    let month = if date.month() < 3 {
        format!("{:02}", date.month())
    } else {
        date.month().to_string()
    };
    format!("ngày {:02} tháng {month} năm {}", date.day(), date.year())
}

/// The time stamps of the one-stop forms and the control sheet, Thông tư 01/2018/TT-VPCP
/// Mẫu 01 and 05: "… giờ … phút, ngày … tháng … năm …", written here as
/// "08 giờ 05 phút, ngày 05 tháng 02 năm 2025" (two digits for hour, minute, day and month).
pub fn time_words(at: NaiveDateTime) -> String {
    format!(
        "{:02} giờ {:02} phút, ngày {:02} tháng {:02} năm {}",
        at.hour(),
        at.minute(),
        at.day(),
        at.month(),
        at.year()
    )
}

/// "dd/mm/yyyy", for table cells.
pub fn short_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, min, 0))
            .expect("valid time")
    }

    #[test]
    fn dates_follow_the_decree_padding() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("valid date");
        assert_eq!(date_words(d(2023, 10, 5)), "ngày 05 tháng 10 năm 2023");
        assert_eq!(date_words(d(2023, 8, 4)), "ngày 04 tháng 8 năm 2023");
        assert_eq!(date_words(d(2025, 2, 17)), "ngày 17 tháng 02 năm 2025");
    }

    #[test]
    fn times_print_hours_minutes_and_the_date() {
        assert_eq!(
            time_words(at(2025, 6, 30, 8, 5)),
            "08 giờ 05 phút, ngày 30 tháng 06 năm 2025"
        );
        assert_eq!(
            time_words(at(2023, 10, 5, 14, 30)),
            "14 giờ 30 phút, ngày 05 tháng 10 năm 2023"
        );
    }
}
