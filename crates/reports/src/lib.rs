//! Báo cáo — Excel exports of task lists and statistics in the appendix layout of the
//! province's plans (STT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian thực
//! hiện | …), ready to print on A4 landscape.
//!
//! Also the official papers of the one-stop desk (Thông tư 01/2018/TT-VPCP and Thông tư
//! 03/2025/TT-VPCP forms) and report tables as print-ready HTML and PDF, from one document
//! model ([`OfficialDoc`]).
//!
//! Pure: callers pass plain rows and get the xlsx, HTML or PDF bytes back; no database, no
//! files.

mod doc;
mod fit;
mod forms;
mod html;
mod indicator;
mod inspection;
mod labels;
mod layout;
mod model;
mod overdue;
mod pdf;
mod period_report;
mod report;
mod stats;
mod style;
mod tasks;

use chrono::Datelike;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, XlsxError};

pub use doc::{
    Align, Block, Column, Letterhead, OfficialDoc, Paper, Run, Signature, Table, date_words,
    short_date, time_words,
};
pub use forms::{
    Apology, Applicant, ControlSheet, Desk, Edition, FORM_SETS, Form, FormEntry, FormError,
    FormKind, FormLabel, FormSet, HandOver, Receipt, Refusal, Register, RegisterRow, Signer,
    StepResult, StopNotice, SubmittedPaper, SupplementRequest, form_for, form_set_on,
};
pub use html::to_html;
pub use indicator::{
    IndicatorGroupLine, IndicatorLine, IndicatorReportDoc, KpiLine, TrendLine, indicator_doc,
    indicator_pdf, indicator_xlsx, vn2,
};
pub use inspection::{InspectionStatRow, inspection_stats_xlsx};
pub use layout::place_date_line;
pub use model::{DocHeader, StatRow, TaskRow};
pub use overdue::{
    OVERDUE_COLUMNS, OVERDUE_SHEET, OVERDUE_TOTAL_COLUMNS, OverdueLine, OverdueSheet, OverdueTotal,
    overdue_xlsx,
};
pub use pdf::{PdfError, page_count, to_pdf};
pub use period_report::{
    PERIOD_REPORT_SHEET, PeriodReportDoc, PeriodTable, period_report_doc, period_report_pdf,
    period_report_xlsx,
};
pub use report::{report_doc, report_pdf, tasks_doc};
pub use stats::stats_xlsx;
pub use tasks::tasks_xlsx;

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("could not build the xlsx workbook: {0}")]
    Xlsx(#[from] XlsxError),
}

/// A workbook whose default font is the body font, with the report's title and issuer in
/// the file properties, and the header's date (not the clock) as the creation time, so the
/// same report written twice gives the same bytes.
fn new_workbook(header: &DocHeader) -> Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    // Times New Roman 12: 8 px digits (column width 72 px), 21 px rows.
    workbook.set_default_format(&style::default_format(), 21, 72)?;
    let created = ExcelDateTime::from_ymd(
        u16::try_from(header.date.year()).unwrap_or(1900),
        header.date.month() as u8,
        header.date.day() as u8,
    )?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(&header.title)
            .set_company(&header.issuer)
            .set_author(&header.issuer)
            .set_creation_datetime(&created),
    );
    Ok(workbook)
}
