//! Shared fixtures and read-back helpers for the xlsx tests.
#![allow(dead_code)]

use std::io::{Cursor, Read};

use calamine::{Data, Range, Reader, StyleRange, Xlsx, open_workbook_from_rs};
use chrono::NaiveDate;
use reports::{DocHeader, StatRow, TaskRow};

pub fn header(title: &str) -> DocHeader {
    DocHeader {
        issuer_parent: "UBND tỉnh Nghệ An".into(),
        issuer: "Sở Nội vụ".into(),
        place: "Nghệ An".into(),
        date: NaiveDate::from_ymd_opt(2025, 2, 7).expect("valid date"),
        title: title.into(),
        subtitle: Some("(Kèm theo Kế hoạch số 574/KH-UBND ngày 15/8/2024 của UBND tỉnh)".into()),
    }
}

pub fn task(stt: &str, content: &str, lead: &str, percent: i32, days_late: i64) -> TaskRow {
    TaskRow {
        stt: stt.into(),
        content: content.into(),
        lead: lead.into(),
        support: "Sở Tư pháp; Ủy ban nhân dân huyện Con Cuông".into(),
        deadline_text: "30/6/2025".into(),
        status: if percent >= 100 {
            "Hoàn thành".into()
        } else if days_late > 0 {
            "Quá hạn".into()
        } else {
            "Đang thực hiện".into()
        },
        percent,
        days_late,
        note: String::new(),
    }
}

pub fn stat(label: &str, counts: [i64; 6]) -> StatRow {
    let [
        assigned,
        done_on_time,
        done_late,
        awaiting,
        in_progress,
        overdue,
    ] = counts;
    StatRow {
        label: label.into(),
        assigned,
        done_on_time,
        done_late,
        awaiting,
        in_progress,
        overdue,
        rate: (assigned > 0).then(|| (done_on_time + done_late) as f64 * 100.0 / assigned as f64),
    }
}

pub struct Book {
    pub bytes: Vec<u8>,
    pub cells: Range<Data>,
    pub styles: StyleRange,
}

pub fn read(bytes: Vec<u8>, sheet: &str) -> Book {
    let mut workbook: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(bytes.clone())).expect("a valid xlsx file");
    assert_eq!(workbook.sheet_names(), vec![sheet.to_string()]);
    let cells = workbook.worksheet_range(sheet).expect("the sheet");
    let styles = workbook.worksheet_style(sheet).expect("the sheet styles");
    Book {
        bytes,
        cells,
        styles,
    }
}

impl Book {
    pub fn text(&self, row: u32, col: u32) -> String {
        match self.cells.get_value((row, col)) {
            Some(Data::String(s)) => s.clone(),
            Some(Data::Empty) | None => String::new(),
            Some(other) => panic!("cell ({row}, {col}) is not text: {other:?}"),
        }
    }

    pub fn number(&self, row: u32, col: u32) -> f64 {
        match self.cells.get_value((row, col)) {
            Some(Data::Float(n)) => *n,
            Some(Data::Int(n)) => *n as f64,
            other => panic!("cell ({row}, {col}) is not a number: {other:?}"),
        }
    }

    /// The row whose first cell reads "STT": the table head.
    pub fn head_row(&self) -> u32 {
        (0..40)
            .find(|&r| self.cells.get_value((r, 0)) == Some(&Data::String("STT".into())))
            .expect("a table head row")
    }

    pub fn row_texts(&self, row: u32, cols: std::ops::Range<u32>) -> Vec<String> {
        cols.map(|c| self.text(row, c)).collect()
    }

    pub fn fill_argb(&self, row: u32, col: u32) -> Option<u32> {
        let style = self.styles.get((row, col))?;
        let fill = style.fill.as_ref().filter(|f| f.is_visible())?;
        fill.get_color().map(|c| c.to_argb() & 0x00FF_FFFF)
    }

    pub fn part(&self, name: &str) -> Option<String> {
        let mut zip = zip::ZipArchive::new(Cursor::new(&self.bytes)).expect("a zip container");
        let mut file = zip.by_name(name).ok()?;
        let mut text = String::new();
        file.read_to_string(&mut text).expect("utf-8 part");
        Some(text)
    }
}
