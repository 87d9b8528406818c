mod common;

use calamine::{Data, FontStyle, FontWeight};
use common::{header, read, task};
use reports::tasks_xlsx;

const SHEET: &str = "Nhiệm vụ";

fn sample() -> Vec<reports::TaskRow> {
    let mut on_time = task(
        "1",
        "Rà soát, đơn giản hóa thủ tục hành chính nội bộ",
        "Sở Nội vụ",
        60,
        0,
    );
    on_time.note = "Báo cáo định kỳ hằng quý".into();
    let overdue = task(
        "2",
        "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
        "Ủy ban nhân dân huyện Con Cuông",
        40,
        12,
    );
    let late_done = task(
        "2.1",
        "Kiện toàn Tổ công tác cải cách hành chính",
        "Sở Tư pháp",
        100,
        3,
    );
    vec![on_time, overdue, late_done]
}

#[test]
fn header_block_follows_the_official_layout() {
    let bytes = tasks_xlsx(&header("DANH MỤC NHIỆM VỤ"), &sample()).expect("xlsx");
    let book = read(bytes, SHEET);

    assert_eq!(book.text(0, 0), "UBND TỈNH NGHỆ AN");
    assert_eq!(book.text(1, 0), "SỞ NỘI VỤ");
    assert_eq!(book.text(0, 3), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    assert_eq!(book.text(1, 3), "Độc lập - Tự do - Hạnh phúc");
    assert_eq!(book.text(3, 3), "Nghệ An, ngày 07 tháng 02 năm 2025");
    assert_eq!(book.text(5, 0), "DANH MỤC NHIỆM VỤ");
    assert_eq!(
        book.text(6, 0),
        "(Kèm theo Kế hoạch số 574/KH-UBND ngày 15/8/2024 của UBND tỉnh)"
    );

    let font = |r, c| {
        book.styles
            .get((r, c))
            .and_then(|s| s.font.clone())
            .expect("a font")
    };
    assert_eq!(
        font(0, 0).weight,
        FontWeight::Normal,
        "parent body is regular"
    );
    assert_eq!(font(1, 0).weight, FontWeight::Bold, "issuer is bold");
    assert_eq!(font(0, 3).weight, FontWeight::Bold);
    assert_eq!(
        font(3, 3).style,
        FontStyle::Italic,
        "place and date in italics"
    );
    assert_eq!(font(5, 0).weight, FontWeight::Bold);
    assert_eq!(font(1, 0).name.as_deref(), Some("Times New Roman"));
}

#[test]
fn table_lists_every_task_with_result_and_lateness() {
    let bytes = tasks_xlsx(&header("DANH MỤC NHIỆM VỤ"), &sample()).expect("xlsx");
    let book = read(bytes, SHEET);
    let head = book.head_row();

    assert_eq!(
        book.row_texts(head, 0..7),
        [
            "STT",
            "Nội dung",
            "Cơ quan chủ trì",
            "Cơ quan phối hợp",
            "Thời gian thực hiện",
            "Kết quả thực hiện",
            "Ghi chú"
        ]
    );
    // A plain number is written as a number; "2.1" stays text.
    assert_eq!(book.number(head + 1, 0), 1.0);
    assert_eq!(
        book.row_texts(head + 1, 1..7),
        [
            "Rà soát, đơn giản hóa thủ tục hành chính nội bộ",
            "Sở Nội vụ",
            "Sở Tư pháp; Ủy ban nhân dân huyện Con Cuông",
            "30/6/2025",
            "Đang thực hiện (60%)",
            "Báo cáo định kỳ hằng quý"
        ]
    );
    assert_eq!(book.number(head + 2, 0), 2.0);
    assert_eq!(book.text(head + 2, 2), "Ủy ban nhân dân huyện Con Cuông");
    assert_eq!(book.text(head + 2, 5), "Quá hạn (40%)");
    assert_eq!(book.text(head + 2, 6), "Quá hạn 12 ngày");
    assert_eq!(book.text(head + 3, 0), "2.1");
    assert_eq!(book.text(head + 3, 5), "Hoàn thành (100%)");
    assert_eq!(book.text(head + 3, 6), "Hoàn thành chậm 3 ngày");
    assert_eq!(
        book.cells.get_value((head + 4, 0)),
        None,
        "nothing past the last task"
    );
}

#[test]
fn only_the_overdue_row_is_light_red() {
    let bytes = tasks_xlsx(&header("DANH MỤC NHIỆM VỤ"), &sample()).expect("xlsx");
    let book = read(bytes, SHEET);
    let head = book.head_row();

    for col in 0..7 {
        assert_eq!(
            book.fill_argb(head + 2, col),
            Some(0xFFC7CE),
            "overdue col {col}"
        );
        assert_eq!(book.fill_argb(head + 1, col), None, "on-time col {col}");
        assert_eq!(
            book.fill_argb(head + 3, col),
            None,
            "finished late col {col}"
        );
    }
}

#[test]
fn prints_on_a4_landscape_one_page_wide_with_repeated_head() {
    let bytes = tasks_xlsx(&header("DANH MỤC NHIỆM VỤ"), &sample()).expect("xlsx");
    let book = read(bytes, SHEET);
    let head = book.head_row() + 1; // 1-based in the XML
    let sheet = book.part("xl/worksheets/sheet1.xml").expect("sheet part");
    assert!(sheet.contains(r#"paperSize="9""#), "A4");
    assert!(sheet.contains(r#"orientation="landscape""#));
    assert!(sheet.contains(r#"<pageSetUpPr fitToPage="1"/>"#));
    assert!(
        sheet.contains(r#"fitToHeight="0""#),
        "as many pages tall as needed"
    );
    assert!(
        sheet.contains(&format!(r#"topLeftCell="A{}""#, head + 1)),
        "frozen head"
    );
    assert!(sheet.contains(r#"state="frozen""#));
    assert!(sheet.contains(&format!(r#"<autoFilter ref="A{head}:G{}"/>"#, head + 3)));
    let workbook = book.part("xl/workbook.xml").expect("workbook part");
    assert!(
        workbook.contains(&format!("'Nhiệm vụ'!$${head}:$${head}").replace("$$", "$")),
        "print titles repeat the table head: {workbook}"
    );
}

#[test]
fn empty_list_still_has_header_and_says_no_tasks() {
    let bytes = tasks_xlsx(&header("DANH MỤC NHIỆM VỤ"), &[]).expect("xlsx");
    let book = read(bytes, SHEET);
    let head = book.head_row();
    assert_eq!(book.text(1, 0), "SỞ NỘI VỤ");
    assert_eq!(book.text(head, 1), "Nội dung");
    assert_eq!(book.text(head + 1, 0), "Không có nhiệm vụ");
    assert!(matches!(
        book.cells.get_value((head + 2, 0)),
        None | Some(Data::Empty)
    ));
}

#[test]
fn header_without_subtitle_moves_the_table_up() {
    let mut h = header("DANH MỤC NHIỆM VỤ");
    h.subtitle = None;
    let with = read(tasks_xlsx(&header("X"), &sample()).expect("xlsx"), SHEET).head_row();
    let without = read(tasks_xlsx(&h, &sample()).expect("xlsx"), SHEET).head_row();
    assert_eq!(without + 1, with);
}

#[test]
fn rows_grow_to_show_wrapped_text() {
    let mut short = task("1", "Họp giao ban", "Sở Nội vụ", 10, 0);
    short.support = "Sở Tư pháp".into();
    short.status = "Mới giao".into();
    let mut long = task(
        "2",
        &"Rà soát, đánh giá thủ tục hành chính ".repeat(6),
        "Sở Tư pháp",
        10,
        0,
    );
    long.note = "Dòng một\nDòng hai\nDòng ba".into();
    let bytes = tasks_xlsx(&header("DANH MỤC"), &[short, long]).expect("xlsx");
    let book = read(bytes, SHEET);
    let head = book.head_row() + 1; // 1-based in the XML
    let sheet = book.part("xl/worksheets/sheet1.xml").expect("sheet part");
    let height = |row: u32| -> f64 {
        let tag = format!(r#"<row r="{row}" "#);
        let at = sheet.find(&tag).expect("the row");
        let rest = &sheet[at..];
        let ht = rest.find(r#"ht=""#).expect("a height") + 4;
        rest[ht..ht + rest[ht..].find('"').expect("end quote")]
            .parse()
            .expect("a number")
    };
    let (one_line, five_lines) = (height(head + 1), height(head + 2));
    assert!((15.0..25.0).contains(&one_line), "one line: {one_line}");
    assert!(
        five_lines - one_line >= 4.0 * 14.0,
        "long content needs four more lines: {five_lines} vs {one_line}"
    );
}
