mod common;

use calamine::Data;
use common::{header, read, stat};
use reports::stats_xlsx;

const SHEET: &str = "Thống kê";

fn sample() -> Vec<reports::StatRow> {
    vec![
        stat("Sở Tư pháp", [10, 6, 2, 1, 1, 0]),
        stat("Ủy ban nhân dân huyện Con Cuông", [8, 2, 1, 0, 2, 3]),
        stat("Sở Nội vụ", [0, 0, 0, 0, 0, 0]),
    ]
}

#[test]
fn table_has_the_columns_rows_and_totals() {
    let bytes = stats_xlsx(&header("THỐNG KÊ KẾT QUẢ THỰC HIỆN"), &sample()).expect("xlsx");
    let book = read(bytes, SHEET);
    assert_eq!(book.text(0, 3), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    assert_eq!(book.text(1, 0), "SỞ NỘI VỤ");
    assert_eq!(book.text(3, 3), "Nghệ An, ngày 07 tháng 02 năm 2025");
    let head = book.head_row();
    assert_eq!(
        book.row_texts(head, 0..9),
        [
            "STT",
            "Cơ quan, đơn vị",
            "Số nhiệm vụ được giao",
            "Hoàn thành đúng hạn",
            "Hoàn thành quá hạn",
            "Chờ xác nhận",
            "Đang thực hiện",
            "Quá hạn",
            "Tỷ lệ hoàn thành (%)"
        ]
    );

    let numbers = |row| (2..8).map(|c| book.number(row, c)).collect::<Vec<_>>();
    assert_eq!(book.number(head + 1, 0), 1.0);
    assert_eq!(book.text(head + 1, 1), "Sở Tư pháp");
    assert_eq!(numbers(head + 1), [10.0, 6.0, 2.0, 1.0, 1.0, 0.0]);
    assert_eq!(book.number(head + 1, 8), 80.0);
    assert_eq!(book.text(head + 2, 1), "Ủy ban nhân dân huyện Con Cuông");
    assert_eq!(numbers(head + 2), [8.0, 2.0, 1.0, 0.0, 2.0, 3.0]);
    assert_eq!(book.number(head + 2, 8), 37.5);
    assert_eq!(book.number(head + 3, 0), 3.0);
    assert!(
        matches!(
            book.cells.get_value((head + 3, 8)),
            None | Some(Data::Empty)
        ),
        "no rate without assigned tasks"
    );

    let total = head + 4;
    assert_eq!(book.text(total, 0), "Tổng cộng");
    assert_eq!(numbers(total), [18.0, 8.0, 3.0, 1.0, 3.0, 3.0]);
    assert!((book.number(total, 8) - 11.0 / 18.0 * 100.0).abs() < 1e-9);
}

#[test]
fn totals_are_formulas_over_the_data_rows() {
    let bytes = stats_xlsx(&header("THỐNG KÊ"), &sample()).expect("xlsx");
    let book = read(bytes, SHEET);
    let first = book.head_row() + 2; // 1-based
    let (last, total) = (first + 2, first + 3);
    let sheet = book.part("xl/worksheets/sheet1.xml").expect("sheet part");
    for col in ['C', 'D', 'E', 'F', 'G', 'H'] {
        let sum = format!("<f>SUM({col}{first}:{col}{last})</f>");
        assert!(sheet.contains(&sum), "missing {sum}");
    }
    let rate = format!(r#"<f>IF(C{total}=0,"",(D{total}+E{total})/C{total}*100)</f>"#);
    assert!(sheet.contains(&rate), "missing {rate}");
}

#[test]
fn rates_show_one_decimal() {
    let bytes = stats_xlsx(&header("THỐNG KÊ"), &sample()).expect("xlsx");
    let book = read(bytes, SHEET);
    let head = book.head_row();
    for row in [head + 1, head + 4] {
        let format = book
            .styles
            .get((row, 8))
            .and_then(|s| s.number_format.clone())
            .expect("a number format");
        assert_eq!(format.format_code, "0.0", "row {row}");
    }
}

#[test]
fn native_chart_plots_on_time_late_and_overdue() {
    let bytes = stats_xlsx(&header("THỐNG KÊ"), &sample()).expect("xlsx");
    let book = read(bytes, SHEET);
    let (first, last) = (book.head_row() + 2, book.head_row() + 4);
    let chart = book.part("xl/charts/chart1.xml").expect("a chart part");
    assert!(chart.contains("<c:barChart>"));
    assert!(chart.contains(r#"<c:barDir val="col"/>"#));
    assert!(chart.contains(r#"<c:grouping val="clustered"/>"#));
    for col in ['D', 'E', 'H'] {
        let values = format!("'Thống kê'!${col}${first}:${col}${last}");
        assert!(chart.contains(&values), "missing series {values}");
    }
    assert!(chart.contains(&format!("'Thống kê'!$B${first}:$B${last}")));
    assert!(!chart.contains("'Thống kê'!$C$"), "assigned is not plotted");
}

#[test]
fn empty_statistics_have_header_and_no_chart() {
    let bytes = stats_xlsx(&header("THỐNG KÊ"), &[]).expect("xlsx");
    let book = read(bytes, SHEET);
    let head = book.head_row();
    assert_eq!(book.text(head, 8), "Tỷ lệ hoàn thành (%)");
    assert_eq!(book.text(head + 1, 0), "Không có số liệu");
    assert!(book.part("xl/charts/chart1.xml").is_none());
}
