//! The document model rendered to PDF and HTML: real fonts, Vietnamese text that reads
//! back, tables that run over pages with their head repeated.

use chrono::NaiveDate;
use reports::{
    Align, Block, Column, Letterhead, OfficialDoc, Paper, Run, Signature, Table, page_count,
    to_html, to_pdf,
};

fn doc(paper: Paper, rows: usize) -> OfficialDoc {
    OfficialDoc {
        paper,
        letterhead: Letterhead {
            agency_parent: "UBND tỉnh Nghệ An".into(),
            agency: "Sở Nội vụ".into(),
            number: Some("125/BC-SNV".into()),
        },
        place_date: Some((
            "Nghệ An".into(),
            NaiveDate::from_ymd_opt(2023, 10, 5).expect("valid date"),
        )),
        title: "Báo cáo kết quả giải quyết hồ sơ".into(),
        subtitle: vec![Run::italic("Tháng 9 năm 2023")],
        blocks: vec![
            Block::Paragraph {
                runs: vec![Run::plain("Người lập: "), Run::bold("Nguyễn Thị Hằng")],
                align: Align::Left,
                indent: true,
            },
            Block::Table(Table {
                columns: vec![
                    Column::new("STT", 1.0, Align::Center),
                    Column::new("Cơ quan, đơn vị", 6.0, Align::Left),
                    Column::new("Số hồ sơ tiếp nhận", 2.0, Align::Center),
                ],
                rows: (1..=rows)
                    .map(|i| {
                        vec![
                            i.to_string(),
                            format!("Ủy ban nhân dân xã Đồng Hợp số {i}"),
                            (i * 7).to_string(),
                        ]
                    })
                    .collect(),
                empty_text: Some("Không có số liệu".into()),
            }),
            Block::Signatures(vec![
                Signature::new("", None, ""),
                Signature::new("Giám đốc", Some("(Ký, ghi rõ họ tên)"), "Lê Đình Lý"),
            ]),
        ],
    }
}

fn pages_text(pdf: &[u8]) -> Vec<String> {
    pdf_extract::extract_text_from_mem_by_pages(pdf).expect("the PDF parses back")
}

#[test]
fn a_short_report_is_one_page_with_vietnamese_text() {
    let pdf = to_pdf(&doc(Paper::A4, 3)).expect("pdf");
    assert!(pdf.starts_with(b"%PDF"));
    let pages = pages_text(&pdf);
    assert_eq!(pages.len(), 1);
    let text = &pages[0];
    for needle in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Nghệ An, ngày 05 tháng 10 năm 2023",
        "Nguyễn Thị Hằng",
        "Ủy ban nhân dân xã Đồng Hợp số 1",
        "BÁO CÁO KẾT QUẢ GIẢI QUYẾT HỒ SƠ",
        "Số: 125/BC-SNV",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}

#[test]
fn a_long_table_runs_over_pages_repeating_its_head() {
    let doc = doc(Paper::A4Landscape, 120);
    let count = page_count(&doc);
    assert!(count >= 4, "{count} pages");
    let pdf = to_pdf(&doc).expect("pdf");
    let pages = pages_text(&pdf);
    assert_eq!(pages.len(), count);
    let with_rows: Vec<&String> = pages.iter().filter(|p| p.contains("Đồng Hợp")).collect();
    assert!(with_rows.len() >= 4);
    for page in with_rows {
        assert!(page.contains("Cơ quan, đơn vị"), "no table head on\n{page}");
    }
    // Every row is printed exactly once.
    let all = pages.join("\n");
    for i in [1, 60, 120] {
        let row = format!("Đồng Hợp số {i} {}", i * 7);
        assert_eq!(all.matches(&row).count(), 1, "row {i}");
    }
    assert!(pages[count - 1].contains("Lê Đình Lý"));
    if let Ok(dir) = std::env::var("REPORTS_SAMPLE_DIR") {
        std::fs::write(format!("{dir}/long-table.pdf"), &pdf).expect("write sample");
        std::fs::write(
            format!("{dir}/report-a4.pdf"),
            to_pdf(&self::doc(Paper::A4, 3)).expect("pdf"),
        )
        .expect("write sample");
    }
}

#[test]
fn the_html_page_is_standalone_and_sized_for_print() {
    let html = to_html(&doc(Paper::A5, 2));
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("size: A5 portrait"));
    assert!(html.contains("Nguyễn Thị Hằng"));
    assert!(html.contains("Nghệ An, ngày 05 tháng 10 năm 2023"));
    assert!(html.contains("<thead>"));
    assert!(!html.contains("http://") && !html.contains("https://"));
    assert!(to_html(&doc(Paper::A4Landscape, 1)).contains("size: A4 landscape"));
}
