//! Báo cáo định kỳ — a unit's periodic report (or the province's sums of one template and
//! period) as a workbook and as an official paper: the header (Quốc hiệu, Tiêu ngữ,
//! number, place and date), the title, a few "label: value" lines, then tables.
//!
//! Deterministic: every date comes from the caller's document (the report date is the
//! freeze date for a frozen report), never from the clock, so the same document gives the
//! same bytes.

use rust_xlsxwriter::{RowNum, XlsxError};
use serde::{Deserialize, Serialize};

use crate::doc::{Align, Block, Column, Letterhead, OfficialDoc, Paper, Run, Signature, Table};
use crate::layout::{self, Blocks};
use crate::model::DocHeader;
use crate::pdf::{PdfError, to_pdf};
use crate::style::Styles;
use crate::{ReportError, fit, new_workbook};

/// One table of the report: an optional heading, its columns (head, relative width, right
/// aligned) and rows of display text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodTable {
    pub title: Option<String>,
    pub columns: Vec<(String, f32, bool)>,
    pub rows: Vec<Vec<String>>,
    /// Shown when there are no rows.
    pub empty_text: String,
}

/// The whole report, already rendered to display text by the caller.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodReportDoc {
    pub header: DocHeader,
    /// What follows "Số:" (empty: a blank number to fill in by hand).
    pub number: String,
    /// "Đơn vị: …", "Kỳ báo cáo: …", "Số liệu khóa sổ lúc: …".
    pub info: Vec<(String, String)>,
    pub tables: Vec<PeriodTable>,
    /// Lines in italics at the end (legal basis, notes).
    pub notes: Vec<String>,
}

/// The sheet's name.
pub const PERIOD_REPORT_SHEET: &str = "Báo cáo";

/// Columns of the sheet (characters), wide enough for the widest table.
const WIDTHS: [f64; 6] = [6.0, 48.0, 18.0, 18.0, 18.0, 16.0];

const BLOCKS: Blocks = Blocks {
    left_last: 1,
    last: 5,
    total_width: 124.0,
};

/// The workbook's bytes.
pub fn period_report_xlsx(doc: &PeriodReportDoc) -> Result<Vec<u8>, ReportError> {
    let mut workbook = new_workbook(&doc.header)?;
    let styles = Styles::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(PERIOD_REPORT_SHEET)?;
    for (col, width) in (0..).zip(WIDTHS) {
        sheet.set_column_width(col, width)?;
    }
    let top = layout::write_doc_header(sheet, &doc.header, &styles, &BLOCKS)?;
    let mut row: RowNum = top.row;
    if !doc.number.is_empty() {
        sheet.merge_range(
            row,
            0,
            row,
            BLOCKS.last,
            &format!("Số: {}", doc.number),
            &styles.subtitle,
        )?;
        row += 1;
    }
    for (label, value) in &doc.info {
        let line = format!("{label}: {value}");
        sheet.merge_range(row, 0, row, BLOCKS.last, &line, &styles.text)?;
        let lines = fit::lines(&line, BLOCKS.total_width, 1.0);
        sheet.set_row_height(row, f64::from(lines) * 16.0 + 4.0)?;
        row += 1;
    }
    for t in &doc.tables {
        row += 1;
        if let Some(title) = &t.title {
            sheet.merge_range(row, 0, row, BLOCKS.last, title, &styles.total_label)?;
            row += 1;
        }
        write_table(sheet, &mut row, t, &styles)?;
    }
    for n in &doc.notes {
        row += 1;
        sheet.merge_range(row, 0, row, BLOCKS.last, n, &styles.subtitle)?;
    }
    layout::setup_page(sheet, top.row)?;
    Ok(workbook.save_to_buffer()?)
}

/// A table's columns go to A, B, then C…: the first column is the STT, the second the
/// label; the rest take one sheet column each (at most four).
fn write_table(
    sheet: &mut rust_xlsxwriter::Worksheet,
    row: &mut RowNum,
    t: &PeriodTable,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let n = t.columns.len().min(WIDTHS.len()) as u16;
    for (col, (head, _, _)) in (0..n).zip(&t.columns) {
        sheet.write_string_with_format(*row, col, head, &styles.table_head)?;
    }
    sheet.set_row_height(*row, 33)?;
    if t.rows.is_empty() {
        *row += 1;
        sheet.merge_range(
            *row,
            0,
            *row,
            n.saturating_sub(1),
            &t.empty_text,
            &styles.empty_line,
        )?;
    }
    for r in &t.rows {
        *row += 1;
        let mut height: f64 = 21.0;
        for (col, cell) in (0..n).zip(r) {
            let right = t.columns.get(col as usize).is_some_and(|c| c.2);
            let fmt = if right {
                &styles.text_center
            } else {
                &styles.text
            };
            sheet.write_string_with_format(*row, col, cell, fmt)?;
            let lines = fit::lines(cell, WIDTHS[col as usize], 1.0);
            height = height.max(f64::from(lines) * 16.0 + 4.0);
        }
        sheet.set_row_height(*row, height)?;
    }
    *row += 1;
    Ok(())
}

/// The same report as an official paper (A4).
pub fn period_report_doc(doc: &PeriodReportDoc) -> OfficialDoc {
    let h = &doc.header;
    let mut blocks: Vec<Block> = doc
        .info
        .iter()
        .map(|(l, v)| Block::field(l.clone(), v.clone()))
        .collect();
    for t in &doc.tables {
        blocks.push(Block::Space(0.4));
        if let Some(title) = &t.title {
            blocks.push(Block::runs(vec![Run::bold(title.clone())]));
        }
        blocks.push(Block::Table(Table {
            columns: t
                .columns
                .iter()
                .map(|(head, w, right)| {
                    Column::new(
                        head.clone(),
                        *w,
                        if *right { Align::Right } else { Align::Left },
                    )
                })
                .collect(),
            rows: t.rows.clone(),
            empty_text: Some(t.empty_text.clone()),
        }));
    }
    for n in &doc.notes {
        blocks.push(Block::runs(vec![Run::italic(n.clone())]));
    }
    blocks.push(Block::Space(1.0));
    blocks.push(Block::Signatures(vec![
        Signature::new("NGƯỜI LẬP BIỂU", Some("(Ký và ghi rõ họ tên)"), ""),
        Signature::new(
            "THỦ TRƯỞNG ĐƠN VỊ",
            Some("(Ký, ghi rõ họ tên và đóng dấu)"),
            "",
        ),
    ]));
    OfficialDoc {
        paper: Paper::A4,
        letterhead: Letterhead {
            agency_parent: h.issuer_parent.clone(),
            agency: h.issuer.clone(),
            number: Some(doc.number.clone()),
        },
        place_date: Some((h.place.clone(), h.date)),
        title: h.title.clone(),
        subtitle: h
            .subtitle
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(|s| vec![Run::italic(s)])
            .unwrap_or_default(),
        blocks,
    }
}

/// [`period_report_doc`] as PDF bytes.
pub fn period_report_pdf(doc: &PeriodReportDoc) -> Result<Vec<u8>, PdfError> {
    to_pdf(&period_report_doc(doc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn sample() -> PeriodReportDoc {
        PeriodReportDoc {
            header: DocHeader {
                issuer_parent: "Ủy ban nhân dân tỉnh Nghệ An".into(),
                issuer: "Sở Xây dựng".into(),
                place: "Nghệ An".into(),
                date: NaiveDate::from_ymd_opt(2023, 10, 18).unwrap_or_default(),
                title: "BÁO CÁO TÌNH HÌNH, KẾT QUẢ THỰC HIỆN CẢI CÁCH TTHC THÁNG 10 NĂM 2023"
                    .into(),
                subtitle: Some("Số liệu từ ngày 15/09/2023 đến ngày 14/10/2023".into()),
            },
            number: "/BC-SXD".into(),
            info: vec![("Đơn vị".into(), "Sở Xây dựng".into())],
            tables: vec![PeriodTable {
                title: Some("I. Số liệu".into()),
                columns: vec![
                    ("STT".into(), 0.6, false),
                    ("Chỉ tiêu".into(), 6.0, false),
                    ("Giá trị".into(), 1.6, true),
                    ("Nguồn".into(), 1.6, false),
                ],
                rows: vec![vec![
                    "1".into(),
                    "Số hồ sơ tiếp nhận trong kỳ".into(),
                    "1.234".into(),
                    "Hệ thống".into(),
                ]],
                empty_text: "Không có số liệu".into(),
            }],
            notes: vec!["Căn cứ: Công văn số 6486/UBND-KSTT".into()],
        }
    }

    #[test]
    fn the_same_document_gives_the_same_bytes() {
        let d = sample();
        let a = period_report_xlsx(&d).expect("xlsx");
        let b = period_report_xlsx(&d).expect("xlsx");
        assert_eq!(a, b);
        let p = period_report_pdf(&d).expect("pdf");
        let q = period_report_pdf(&d).expect("pdf");
        assert_eq!(p, q);
        assert!(p.starts_with(b"%PDF"));
    }
}
