//! Báo cáo chỉ số 766 — one unit's service indicators (Quyết định 766/QĐ-TTg) for one
//! period as an Excel workbook (groups and indicators, the seed's KPIs, the trend over the
//! last periods with a native line chart) and as an official paper (PDF), from one plain
//! model ([`IndicatorReportDoc`]) that the caller fills from the computed scorecard, so the
//! workbook, the paper and the screen print the same numbers.
//!
//! Deterministic: nothing here reads the clock; the workbook's creation time and the PDF's
//! creation date are the header's date.

use chrono::NaiveDate;
use rust_xlsxwriter::{
    Chart, ChartFont, ChartLegendPosition, ChartType, ColNum, Format, FormatAlign, RowNum,
    Worksheet, XlsxError,
};
use serde::{Deserialize, Serialize};

use crate::doc::{
    Align, Block, Column, Letterhead, OfficialDoc, Paper, Run, Signature, Table, short_date,
};
use crate::layout::{self, Blocks};
use crate::model::DocHeader;
use crate::pdf::{PdfError, to_pdf};
use crate::style::{self, BODY_SIZE, Styles, cell, font};
use crate::{ReportError, new_workbook};

/// One indicator line: counts, value and points as the scorecard computed them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorLine {
    pub code: String,
    pub name: String,
    pub numerator: u64,
    pub denominator: u64,
    /// Percent (or days), 2 decimals; `None` when the denominator is 0.
    pub value: Option<f64>,
    /// `None` when the maximum is unknown or the indicator is monitoring only.
    pub points: Option<f64>,
    pub max: Option<f64>,
    /// "Chính thức", "Theo Cổng DVCQG", …
    pub confidence: String,
}

/// One group of indicators with its points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorGroupLine {
    pub code: String,
    pub name: String,
    pub points: f64,
    pub max: f64,
    pub indicators: Vec<IndicatorLine>,
}

/// One KPI line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KpiLine {
    pub label: String,
    pub numerator: u64,
    pub denominator: u64,
    pub percent: Option<f64>,
}

/// One period of the trend: the total and the KPIs named in
/// [`IndicatorReportDoc::trend_series`], in that order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendLine {
    /// "T10/2023", "Q3/2023", …
    pub label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub total_766: f64,
    pub kpis: Vec<Option<f64>>,
}

/// Everything the workbook and the paper print.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorReportDoc {
    /// Issuer, place, date (the report date: also the files' creation date) and title.
    pub header: DocHeader,
    /// What follows "Số:" on the paper; empty prints a blank to fill in by hand.
    pub number: String,
    pub unit_name: String,
    /// The period in words, e.g. "tháng 10 năm 2023".
    pub period_label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub groups: Vec<IndicatorGroupLine>,
    pub total_766: f64,
    /// The points measured in the period (the total's maximum).
    pub max_attainable: f64,
    /// The rating band's label with the score it was read on, e.g. "Tốt (quy đổi
    /// 85,00/100)".
    pub band: String,
    pub kpis: Vec<KpiLine>,
    /// Names of the KPI columns of the trend, after the total.
    pub trend_series: Vec<String>,
    /// Oldest first.
    pub trend: Vec<TrendLine>,
}

/// A number as the pages print it: 2 decimals, Vietnamese decimal comma ("85,50").
pub fn vn2(v: f64) -> String {
    format!("{v:.2}").replace('.', ",")
}

fn vn_opt(v: Option<f64>) -> String {
    v.map(vn2).unwrap_or_else(|| "–".into())
}

pub const SHEET_766: &str = "Chỉ số 766";
pub const SHEET_KPI: &str = "Chỉ tiêu";
pub const SHEET_TREND: &str = "Xu hướng";
const TOTAL_LABEL: &str = "Tổng điểm";
const BAND_LABEL: &str = "Xếp loại";
const ATTAINABLE_LABEL: &str =
    "Điểm đo được trong kỳ (không tính chỉ số không phát sinh, chưa có dữ liệu)";
const TREND_TOTAL: &str = "Tổng điểm 766";
const CHART_TITLE: &str = "Xu hướng tổng điểm 766 và các chỉ tiêu chính";
const INDICATOR_COLUMNS: [&str; 8] = [
    "Mã",
    "Chỉ số",
    "Tử số",
    "Mẫu số",
    "Giá trị",
    "Điểm",
    "Tối đa",
    "Độ tin cậy",
];
const KPI_COLUMNS: [&str; 5] = ["STT", "Chỉ tiêu", "Tử số", "Mẫu số", "Tỷ lệ (%)"];

const W_766: [f64; 8] = [7.0, 50.0, 10.0, 10.0, 10.0, 9.0, 9.0, 17.0];
const W_KPI: [f64; 5] = [6.0, 62.0, 12.0, 12.0, 12.0];

fn sum(widths: &[f64]) -> f64 {
    widths.iter().sum()
}

struct Formats {
    base: Styles,
    dec2: Format,
    dec2_bold: Format,
    int: Format,
    bold_text: Format,
    info: Format,
}

impl Formats {
    fn new() -> Formats {
        let dec2 = cell(font(BODY_SIZE))
            .set_align(FormatAlign::Right)
            .set_num_format("0.00");
        let int = cell(font(BODY_SIZE))
            .set_align(FormatAlign::Right)
            .set_num_format("0");
        Formats {
            base: Styles::new(),
            dec2_bold: dec2.clone().set_bold(),
            dec2,
            int,
            bold_text: cell(font(BODY_SIZE).set_bold()),
            info: font(BODY_SIZE).set_align(FormatAlign::Left),
        }
    }
}

/// The unit, period and report date under the header, one per row; returns the next free
/// row (one blank row after them).
fn write_info(
    sheet: &mut Worksheet,
    doc: &IndicatorReportDoc,
    from_row: RowNum,
    last: ColNum,
    f: &Formats,
) -> Result<RowNum, XlsxError> {
    let lines = [
        format!("Đơn vị: {}", doc.unit_name),
        format!(
            "Kỳ báo cáo: {} (từ ngày {} đến ngày {})",
            doc.period_label,
            short_date(doc.from),
            short_date(doc.to)
        ),
        format!("Ngày lập báo cáo: {}", short_date(doc.header.date)),
    ];
    let mut row = from_row;
    for line in lines {
        sheet.merge_range(row, 0, row, last, &line, &f.info)?;
        row += 1;
    }
    Ok(row + 1)
}

fn widths(sheet: &mut Worksheet, w: &[f64]) -> Result<(), XlsxError> {
    for (col, width) in (0..).zip(w) {
        sheet.set_column_width(col, *width)?;
    }
    Ok(())
}

fn opt_number(
    sheet: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    v: Option<f64>,
    format: &Format,
) -> Result<(), XlsxError> {
    match v {
        Some(x) if x.is_finite() => sheet.write_number_with_format(row, col, x, format)?,
        _ => sheet.write_blank(row, col, format)?,
    };
    Ok(())
}

fn head_row(
    sheet: &mut Worksheet,
    row: RowNum,
    heads: &[&str],
    f: &Formats,
) -> Result<(), XlsxError> {
    for (col, name) in (0..).zip(heads) {
        sheet.write_string_with_format(row, col, *name, &f.base.table_head)?;
    }
    sheet.set_row_height(row, 33)?;
    layout::setup_page(sheet, row)
}

fn write_766_sheet(
    sheet: &mut Worksheet,
    doc: &IndicatorReportDoc,
    f: &Formats,
) -> Result<(), XlsxError> {
    widths(sheet, &W_766)?;
    let last = (W_766.len() - 1) as ColNum;
    let blocks = Blocks {
        left_last: 2,
        last,
        total_width: sum(&W_766),
    };
    let top = layout::write_doc_header(sheet, &doc.header, &f.base, &blocks)?;
    let head = write_info(sheet, doc, top.row, last, f)?;
    head_row(sheet, head, &INDICATOR_COLUMNS, f)?;
    let mut row = head;
    for g in &doc.groups {
        row += 1;
        sheet.write_string_with_format(row, 0, &g.code, &f.bold_text)?;
        sheet.write_string_with_format(row, 1, &g.name, &f.bold_text)?;
        for col in 2..=4 {
            sheet.write_blank(row, col, &f.bold_text)?;
        }
        sheet.write_number_with_format(row, 5, g.points, &f.dec2_bold)?;
        sheet.write_number_with_format(row, 6, g.max, &f.dec2_bold)?;
        sheet.write_blank(row, 7, &f.bold_text)?;
        for i in &g.indicators {
            row += 1;
            sheet.write_string_with_format(row, 0, &i.code, &f.base.text)?;
            sheet.write_string_with_format(row, 1, &i.name, &f.base.text)?;
            sheet.set_row_height(row, crate::fit::row_height([(i.name.as_str(), W_766[1])]))?;
            sheet.write_number_with_format(row, 2, i.numerator as f64, &f.int)?;
            sheet.write_number_with_format(row, 3, i.denominator as f64, &f.int)?;
            opt_number(sheet, row, 4, i.value, &f.dec2)?;
            opt_number(sheet, row, 5, i.points, &f.dec2)?;
            opt_number(sheet, row, 6, i.max, &f.dec2)?;
            sheet.write_string_with_format(row, 7, &i.confidence, &f.base.text)?;
        }
    }
    row += 1;
    sheet.merge_range(row, 0, row, 4, TOTAL_LABEL, &f.base.total_label)?;
    sheet.write_number_with_format(row, 5, doc.total_766, &f.dec2_bold)?;
    sheet.write_number_with_format(row, 6, doc.max_attainable, &f.dec2_bold)?;
    sheet.write_blank(row, 7, &f.bold_text)?;
    row += 1;
    sheet.merge_range(row, 0, row, 4, BAND_LABEL, &f.base.total_label)?;
    sheet.merge_range(row, 5, row, 7, &doc.band, &f.base.total_label)?;
    row += 1;
    sheet.merge_range(row, 0, row, 4, ATTAINABLE_LABEL, &f.base.text)?;
    sheet.write_number_with_format(row, 5, doc.max_attainable, &f.dec2)?;
    sheet.write_blank(row, 6, &f.base.text)?;
    sheet.write_blank(row, 7, &f.base.text)?;
    Ok(())
}

fn write_kpi_sheet(
    sheet: &mut Worksheet,
    doc: &IndicatorReportDoc,
    f: &Formats,
) -> Result<(), XlsxError> {
    widths(sheet, &W_KPI)?;
    let last = (W_KPI.len() - 1) as ColNum;
    let blocks = Blocks {
        left_last: 1,
        last,
        total_width: sum(&W_KPI),
    };
    let top = layout::write_doc_header(sheet, &doc.header, &f.base, &blocks)?;
    let head = write_info(sheet, doc, top.row, last, f)?;
    head_row(sheet, head, &KPI_COLUMNS, f)?;
    let mut row = head;
    for (n, k) in (1u32..).zip(&doc.kpis) {
        row += 1;
        sheet.write_number_with_format(row, 0, n, &f.base.integer)?;
        sheet.write_string_with_format(row, 1, &k.label, &f.base.text)?;
        sheet.write_number_with_format(row, 2, k.numerator as f64, &f.int)?;
        sheet.write_number_with_format(row, 3, k.denominator as f64, &f.int)?;
        opt_number(sheet, row, 4, k.percent, &f.dec2)?;
    }
    Ok(())
}

fn trend_widths(doc: &IndicatorReportDoc) -> Vec<f64> {
    let mut w = vec![12.0, 12.0, 12.0, 12.0];
    w.extend(doc.trend_series.iter().map(|_| 16.0));
    w
}

fn write_trend_sheet(
    sheet: &mut Worksheet,
    doc: &IndicatorReportDoc,
    f: &Formats,
) -> Result<(), XlsxError> {
    let w = trend_widths(doc);
    widths(sheet, &w)?;
    let last = (w.len() - 1) as ColNum;
    let blocks = Blocks {
        left_last: 1,
        last,
        total_width: sum(&w),
    };
    let top = layout::write_doc_header(sheet, &doc.header, &f.base, &blocks)?;
    let head = write_info(sheet, doc, top.row, last, f)?;
    let mut heads: Vec<&str> = vec!["Kỳ", "Từ ngày", "Đến ngày", TREND_TOTAL];
    heads.extend(doc.trend_series.iter().map(String::as_str));
    head_row(sheet, head, &heads, f)?;
    sheet.set_row_height(head, 48)?;
    let mut row = head;
    for t in &doc.trend {
        row += 1;
        sheet.write_string_with_format(row, 0, &t.label, &f.base.text_center)?;
        sheet.write_string_with_format(row, 1, short_date(t.from), &f.base.text_center)?;
        sheet.write_string_with_format(row, 2, short_date(t.to), &f.base.text_center)?;
        sheet.write_number_with_format(row, 3, t.total_766, &f.dec2)?;
        for (col, v) in (4..).zip(&t.kpis) {
            opt_number(sheet, row, col, *v, &f.dec2)?;
        }
    }
    if doc.trend.is_empty() {
        return Ok(());
    }
    let (first, last_data) = (head + 1, row);
    let mut chart = Chart::new(ChartType::Line);
    let mut chart_font = ChartFont::new();
    chart_font.set_name(style::FONT).set_size(10);
    for col in 3..=last {
        chart
            .add_series()
            .set_name((SHEET_TREND, head, col))
            .set_categories((SHEET_TREND, first, 0, last_data, 0))
            .set_values((SHEET_TREND, first, col, last_data, col));
    }
    let mut title_font = chart_font.clone();
    title_font.set_size(12).set_bold();
    chart.title().set_name(CHART_TITLE).set_font(&title_font);
    chart.x_axis().set_font(&chart_font);
    chart
        .y_axis()
        .set_name("Điểm / %")
        .set_min(0)
        .set_max(100)
        .set_name_font(&chart_font)
        .set_font(&chart_font);
    chart
        .legend()
        .set_position(ChartLegendPosition::Bottom)
        .set_font(&chart_font);
    chart.set_width(820).set_height(400);
    sheet.insert_chart(last_data + 2, 0, &chart)?;
    Ok(())
}

/// The workbook: "Chỉ số 766" (groups, indicators, total, band), "Chỉ tiêu" (KPIs) and
/// "Xu hướng" (the trend with a native line chart), each under the official header.
/// Numbers are numeric cells with 2 decimals.
pub fn indicator_xlsx(doc: &IndicatorReportDoc) -> Result<Vec<u8>, ReportError> {
    let mut workbook = new_workbook(&doc.header)?;
    let f = Formats::new();
    {
        let sheet = workbook.add_worksheet();
        sheet.set_name(SHEET_766)?;
        write_766_sheet(sheet, doc, &f)?;
    }
    {
        let sheet = workbook.add_worksheet();
        sheet.set_name(SHEET_KPI)?;
        write_kpi_sheet(sheet, doc, &f)?;
    }
    {
        let sheet = workbook.add_worksheet();
        sheet.set_name(SHEET_TREND)?;
        write_trend_sheet(sheet, doc, &f)?;
    }
    Ok(workbook.save_to_buffer()?)
}

/// The same report as an official paper (A4): letterhead with number, place and date,
/// title, unit and period, one table per group, the total and band, the KPIs, the trend
/// and the signatures. Numbers print with 2 decimals and a decimal comma.
pub fn indicator_doc(doc: &IndicatorReportDoc) -> OfficialDoc {
    let h = &doc.header;
    let mut blocks = vec![
        Block::field("Đơn vị", doc.unit_name.clone()),
        Block::field(
            "Kỳ báo cáo",
            format!(
                "{} (từ ngày {} đến ngày {})",
                doc.period_label,
                short_date(doc.from),
                short_date(doc.to)
            ),
        ),
        Block::runs(vec![
            Run::plain(format!("{TOTAL_LABEL}: ")),
            Run::bold(format!(
                "{}/{}",
                vn2(doc.total_766),
                vn2(doc.max_attainable)
            )),
            Run::plain(format!(" · {BAND_LABEL}: ")),
            Run::bold(doc.band.clone()),
        ]),
        Block::runs(vec![Run::italic(format!(
            "{ATTAINABLE_LABEL}: {}.",
            vn2(doc.max_attainable)
        ))]),
    ];
    let columns = || {
        vec![
            Column::new("Chỉ số", 6.0, Align::Left),
            Column::new("Tử số", 1.3, Align::Right),
            Column::new("Mẫu số", 1.3, Align::Right),
            Column::new("Giá trị", 1.4, Align::Right),
            Column::new("Điểm", 1.3, Align::Right),
            Column::new("Tối đa", 1.3, Align::Right),
        ]
    };
    for g in &doc.groups {
        blocks.push(Block::Space(0.4));
        blocks.push(Block::runs(vec![Run::bold(format!(
            "{}. {} — {}/{} điểm",
            g.code,
            g.name,
            vn2(g.points),
            vn2(g.max)
        ))]));
        blocks.push(Block::Table(Table {
            columns: columns(),
            rows: g
                .indicators
                .iter()
                .map(|i| {
                    vec![
                        format!("{} {}", i.code, i.name),
                        i.numerator.to_string(),
                        i.denominator.to_string(),
                        vn_opt(i.value),
                        vn_opt(i.points),
                        vn_opt(i.max),
                    ]
                })
                .collect(),
            empty_text: None,
        }));
    }
    blocks.push(Block::Space(0.4));
    blocks.push(Block::runs(vec![Run::bold("Các chỉ tiêu theo dõi")]));
    blocks.push(Block::Table(Table {
        columns: vec![
            Column::new("Chỉ tiêu", 6.0, Align::Left),
            Column::new("Tử số", 1.4, Align::Right),
            Column::new("Mẫu số", 1.4, Align::Right),
            Column::new("Tỷ lệ (%)", 1.6, Align::Right),
        ],
        rows: doc
            .kpis
            .iter()
            .map(|k| {
                vec![
                    k.label.clone(),
                    k.numerator.to_string(),
                    k.denominator.to_string(),
                    vn_opt(k.percent),
                ]
            })
            .collect(),
        empty_text: None,
    }));
    if !doc.trend.is_empty() {
        blocks.push(Block::Space(0.4));
        blocks.push(Block::runs(vec![Run::bold(format!(
            "Xu hướng {} kỳ gần nhất",
            doc.trend.len()
        ))]));
        let mut columns = vec![
            Column::new("Kỳ", 1.6, Align::Center),
            Column::new(TREND_TOTAL, 1.6, Align::Right),
        ];
        columns.extend(
            doc.trend_series
                .iter()
                .map(|s| Column::new(s.clone(), 1.6, Align::Right)),
        );
        blocks.push(Block::Table(Table {
            columns,
            rows: doc
                .trend
                .iter()
                .map(|t| {
                    let mut r = vec![t.label.clone(), vn2(t.total_766)];
                    r.extend(t.kpis.iter().map(|v| vn_opt(*v)));
                    r
                })
                .collect(),
            empty_text: None,
        }));
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

/// [`indicator_doc`] as PDF bytes.
pub fn indicator_pdf(doc: &IndicatorReportDoc) -> Result<Vec<u8>, PdfError> {
    to_pdf(&indicator_doc(doc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    fn sample() -> IndicatorReportDoc {
        IndicatorReportDoc {
            header: DocHeader {
                issuer_parent: "Ủy ban nhân dân tỉnh Nghệ An".into(),
                issuer: "Sở Xây dựng".into(),
                place: "Nghệ An".into(),
                date: d(2023, 11, 1),
                title: "BÁO CÁO CHỈ SỐ".into(),
                subtitle: Some("Tháng 10 năm 2023".into()),
            },
            number: String::new(),
            unit_name: "Sở Xây dựng".into(),
            period_label: "tháng 10 năm 2023".into(),
            from: d(2023, 10, 1),
            to: d(2023, 10, 31),
            groups: vec![IndicatorGroupLine {
                code: "1".into(),
                name: "Công khai, minh bạch".into(),
                points: 17.5,
                max: 18.0,
                indicators: vec![IndicatorLine {
                    code: "1.4".into(),
                    name: "Tỷ lệ đồng bộ".into(),
                    numerator: 7,
                    denominator: 8,
                    value: Some(87.5),
                    points: Some(2.63),
                    max: Some(3.0),
                    confidence: "Chính thức".into(),
                }],
            }],
            total_766: 85.57,
            max_attainable: 88.0,
            band: "Tốt".into(),
            kpis: vec![KpiLine {
                label: "Tỷ lệ hồ sơ đúng hạn".into(),
                numerator: 0,
                denominator: 0,
                percent: None,
            }],
            trend_series: vec!["Đúng hạn (%)".into()],
            trend: vec![
                TrendLine {
                    label: "T9/2023".into(),
                    from: d(2023, 9, 1),
                    to: d(2023, 9, 30),
                    total_766: 80.0,
                    kpis: vec![Some(90.0)],
                },
                TrendLine {
                    label: "T10/2023".into(),
                    from: d(2023, 10, 1),
                    to: d(2023, 10, 31),
                    total_766: 85.57,
                    kpis: vec![None],
                },
            ],
        }
    }

    #[test]
    fn same_model_same_bytes() {
        let doc = sample();
        let a = indicator_xlsx(&doc).expect("xlsx");
        let b = indicator_xlsx(&doc).expect("xlsx");
        assert_eq!(a, b, "the workbook is byte-for-byte reproducible");
        let p = indicator_pdf(&doc).expect("pdf");
        let q = indicator_pdf(&doc).expect("pdf");
        assert_eq!(p, q, "the paper is byte-for-byte reproducible");
        let mut other = doc.clone();
        other.header.date = d(2023, 11, 2);
        assert_ne!(indicator_xlsx(&other).expect("xlsx"), a);
    }

    #[test]
    fn paper_prints_decimal_commas_and_the_header() {
        let paper = indicator_doc(&sample());
        assert_eq!(paper.letterhead.number.as_deref(), Some(""));
        let rows: Vec<&Vec<String>> = paper
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(&t.rows),
                _ => None,
            })
            .flatten()
            .collect();
        assert!(
            rows.iter()
                .any(|r| r[0] == "1.4 Tỷ lệ đồng bộ" && r[3] == "87,50" && r[4] == "2,63")
        );
        assert!(
            rows.iter()
                .any(|r| r[0] == "T10/2023" && r[1] == "85,57" && r[2] == "–")
        );
    }
}
