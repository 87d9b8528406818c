//! Importing a plan's appendix table from XLSX, CSV, TSV and pasted text.

use docparse::import::{ImportError, MAX_ROWS, TaskTable, read_task_table, read_task_text};
use proptest::prelude::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

const HEADER_574: [&str; 7] = [
    "STT",
    "Lĩnh vực/Tiêu chí",
    "Giải pháp",
    "Cơ quan chủ trì thực hiện",
    "Cơ quan phối hợp",
    "Thời gian thực hiện",
    "Ghi chú",
];

/// A workbook whose first sheet holds `rows` from the first row down.
fn xlsx(rows: &[Vec<&str>]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32, c as u16, *v)
                    .unwrap_or_else(|e| panic!("write: {e}"));
            }
        }
    }
    wb.save_to_buffer().unwrap_or_else(|e| panic!("save: {e}"))
}

fn messages(t: &TaskTable) -> Vec<&str> {
    t.errors.iter().map(|e| e.message.as_str()).collect()
}

fn row<'a>(t: &'a TaskTable, stt: &str) -> &'a docparse::import::TaskTableRow {
    t.rows
        .iter()
        .find(|r| r.stt == stt)
        .unwrap_or_else(|| panic!("no row {stt} in {:#?}", t.rows))
}

#[test]
fn reads_574_layout_from_xlsx_with_groups_and_a_page_break() {
    let rows = vec![
        vec!["PHỤ LỤC"],
        vec!["Kế hoạch khắc phục những tồn tại, hạn chế (Kèm theo Kế hoạch số 574/KH-UBND)"],
        vec![],
        HEADER_574.to_vec(),
        vec!["3", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"],
        vec![
            "3.1",
            "Công khai TTHC",
            "Niêm yết kịp thời, đầy đủ TTHC tại Trung tâm Phục vụ hành chính công tỉnh",
            "Các Sở, ban, ngành cấp tỉnh; UBND các huyện, thành phố, thị xã",
            "Trung tâm Phục vụ hành chính công tỉnh; Bộ phận Tiếp nhận và Trả kết quả các cấp",
            "Thường xuyên",
        ],
        vec![
            "3.4",
            "Dịch vụ công trực tuyến",
            "Chỉ đạo nâng cao tỷ lệ số hóa hồ sơ, tăng tỷ lệ hồ sơ trực tuyến",
            "Các Sở, ban, ngành cấp tỉnh; UBND các huyện, thành phố, thị xã; Trung tâm Phục vụ hành chính công tỉnh; Bộ phận Tiếp",
            "Văn phòng UBND",
            "Quý III/2023",
        ],
        HEADER_574.to_vec(),
        vec!["", "", "", "nhận và Trả kết quả các cấp"],
        vec!["4", "CẢI CÁCH TỔ CHỨC BỘ MÁY"],
        vec![
            "4.1",
            "Sắp xếp, kiện toàn tổ chức bộ máy",
            "Tham mưu thực hiện việc sắp xếp, tổ chức bộ máy tại các cơ quan đơn vị đúng quy định",
            "Các Sở, ban, ngành cấp tỉnh; UBND các huyện, thành phố, thị xã",
            "Sở Nội vụ",
            "Theo quy định",
        ],
        vec![
            "5.2",
            "Thực hiện chính sách tinh giản biên chế",
            "Đảm bảo trình tự thực hiện theo quy định",
            "Sở Nội vụ",
            "Các Sở, ban, ngành cấp tỉnh; Sở Nội vụ",
            "Hàng năm",
            "Báo cáo cùng báo cáo CCHC năm",
        ],
    ];
    let t = read_task_table(&xlsx(&rows), "Phu luc 574.xlsx").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(messages(&t), Vec::<&str>::new());
    assert_eq!(
        t.rows.iter().map(|r| r.stt.as_str()).collect::<Vec<_>>(),
        ["3.1", "3.4", "4.1", "5.2"]
    );

    let r = row(&t, "3.1");
    assert_eq!(r.line, 6);
    assert_eq!(r.group.as_deref(), Some("3 CẢI CÁCH THỦ TỤC HÀNH CHÍNH"));
    assert_eq!(r.area, "Công khai TTHC");
    assert!(r.content.starts_with("Niêm yết kịp thời"));
    assert_eq!(
        r.lead,
        [
            "Các Sở, ban, ngành cấp tỉnh",
            "UBND các huyện, thành phố, thị xã"
        ]
    );
    assert_eq!(
        r.support,
        [
            "Trung tâm Phục vụ hành chính công tỉnh",
            "Bộ phận Tiếp nhận và Trả kết quả các cấp"
        ]
    );
    assert_eq!(
        (r.deadline.as_deref(), r.recurrence.as_deref()),
        (None, Some("continuous"))
    );

    let r = row(&t, "3.4");
    assert_eq!(
        r.lead.last().map(String::as_str),
        Some("Bộ phận Tiếp nhận và Trả kết quả các cấp"),
        "the page-split lead is joined: {:?}",
        r.lead
    );
    assert_eq!(r.lead.len(), 4);
    assert_eq!(r.support, ["Văn phòng UBND"]);
    assert_eq!(r.time_text, "Quý III/2023");
    assert_eq!(r.deadline.as_deref(), Some("2023-09-30"));

    let r = row(&t, "4.1");
    assert_eq!(r.group.as_deref(), Some("4 CẢI CÁCH TỔ CHỨC BỘ MÁY"));
    assert_eq!(
        (
            r.time_text.as_str(),
            r.deadline.as_deref(),
            r.recurrence.as_deref()
        ),
        ("Theo quy định", None, None)
    );

    let r = row(&t, "5.2");
    assert_eq!(r.recurrence.as_deref(), Some("yearly"));
    assert_eq!(
        r.support,
        ["Các Sở, ban, ngành cấp tỉnh"],
        "the lead is not also a coordinator"
    );
    assert_eq!(r.note, "Báo cáo cùng báo cáo CCHC năm");
}

#[test]
fn reports_each_bad_row_with_its_line_and_keeps_the_good_ones() {
    let rows = vec![
        vec![
            "Ghi chú",
            "Thời gian thực hiện",
            "Cơ quan phối hợp",
            "Cơ quan chủ trì",
            "Nội dung",
            "STT",
        ],
        vec![
            "",
            "Thường xuyên",
            "",
            "Sở Nội vụ",
            "Rà soát quy chế làm việc",
            "1",
        ],
        vec![
            "",
            "30/9/2023",
            "Sở Tư pháp",
            "",
            "Công bố danh mục TTHC",
            "2",
        ],
        vec!["", "Trong năm 2023", "", "Sở Tài chính", "", "3"],
        vec!["", "", "", "", "", "4"],
        vec![
            "",
            "trước ngày 15/10/2023",
            "",
            "Văn phòng UBND tỉnh",
            "Báo cáo kết quả",
            "5",
        ],
    ];
    let t = read_task_table(&xlsx(&rows), "bang.XLSX").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        messages(&t),
        [
            "Dòng 3: thiếu cơ quan chủ trì.",
            "Dòng 4: thiếu nội dung nhiệm vụ.",
            "Dòng 5: thiếu nội dung nhiệm vụ và cơ quan chủ trì.",
        ]
    );
    assert_eq!(
        t.rows
            .iter()
            .map(|r| (r.line, r.stt.as_str()))
            .collect::<Vec<_>>(),
        [(2, "1"), (6, "5")]
    );
    assert_eq!(row(&t, "5").deadline.as_deref(), Some("2023-10-15"));
    assert_eq!(row(&t, "1").group, None);
}

#[test]
fn reads_dates_numbers_and_merged_cells_from_xlsx() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let head = [
        "STT",
        "Nội dung",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
        "Thời hạn",
    ];
    let ok = |r: Result<&mut rust_xlsxwriter::Worksheet, rust_xlsxwriter::XlsxError>| {
        if let Err(e) = r {
            panic!("{e}")
        }
    };
    for (c, h) in head.iter().enumerate() {
        ok(ws.write_string(0, c as u16, *h));
    }
    for (r, n) in [(1u32, 1.0), (2, 2.0)] {
        ok(ws.write_number(r, 0, n));
    }
    ok(ws.write_string(1, 1, "Số hóa hồ sơ"));
    ok(ws.write_string(2, 1, "Tái sử dụng kết quả số hóa"));
    // One lead for both rows, merged down.
    ok(ws.merge_range(1, 2, 2, 2, "Sở Thông tin và Truyền thông", &Format::new()));
    let d = ExcelDateTime::from_ymd(2023, 12, 15).unwrap_or_else(|e| panic!("{e}"));
    ok(ws.write_datetime_with_format(1, 4, &d, &date));
    ok(ws.write_string(2, 4, "Hàng quý"));
    let bytes = wb.save_to_buffer().unwrap_or_else(|e| panic!("{e}"));
    let t = read_task_table(&bytes, "x.xlsx").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(messages(&t), Vec::<&str>::new());
    assert_eq!(
        t.rows.iter().map(|r| r.stt.as_str()).collect::<Vec<_>>(),
        ["1", "2"]
    );
    assert_eq!(t.rows[0].deadline.as_deref(), Some("2023-12-15"));
    assert_eq!(t.rows[1].lead, ["Sở Thông tin và Truyền thông"]);
    assert_eq!(t.rows[1].recurrence.as_deref(), Some("quarterly"));
}

#[test]
fn reads_semicolon_csv_with_bom_and_quoted_cells() {
    let csv = "\u{feff}Kế hoạch CCHC năm 2023;;;;;\n\
               STT;Nội dung;Cơ quan chủ trì;Cơ quan phối hợp;Thời gian thực hiện;Ghi chú\n\
               I;CẢI CÁCH THỂ CHẾ;;;;\n\
               1;Rà soát văn bản QPPL;\"Sở Tư pháp\nSở Nội vụ\";\"Sở Tài chính, Sở Xây dựng\";Quý IV/2023;\n\
               2;Kiểm tra công tác CCHC;Sở Nội vụ;Các Sở, ban, ngành cấp tỉnh;Trong tháng 10 năm 2023;đợt 1\n";
    let t = read_task_table(csv.as_bytes(), "kh.csv").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(messages(&t), Vec::<&str>::new(), "{:#?}", t.rows);
    assert_eq!(t.rows.len(), 2);
    let r = &t.rows[0];
    assert_eq!(
        (r.line, r.group.as_deref()),
        (4, Some("I CẢI CÁCH THỂ CHẾ"))
    );
    assert_eq!(r.lead, ["Sở Tư pháp", "Sở Nội vụ"]);
    assert_eq!(r.support, ["Sở Tài chính", "Sở Xây dựng"]);
    assert_eq!(r.deadline.as_deref(), Some("2023-12-31"));
    let r = &t.rows[1];
    assert_eq!(
        r.line, 6,
        "the quoted two-line cell moves the next row down"
    );
    assert_eq!(r.deadline.as_deref(), Some("2023-10-31"));
    assert_eq!(r.note, "đợt 1");
}

#[test]
fn reads_a_header_spread_over_two_rows() {
    let csv = "STT;Nhiệm vụ;Cơ quan thực hiện;;Thời hạn hoàn thành\n\
               ;;Chủ trì;Phối hợp;\n\
               1;Tổ chức hội nghị;Sở Nội vụ;Sở Tài chính;trước ngày 20/12/2023\n";
    let t = read_task_table(csv.as_bytes(), "h.csv").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(messages(&t), Vec::<&str>::new());
    assert_eq!(t.rows.len(), 1);
    let r = &t.rows[0];
    assert_eq!((r.stt.as_str(), r.line), ("1", 3));
    assert_eq!(
        (r.lead.as_slice(), r.support.as_slice()),
        (
            &["Sở Nội vụ".to_string()][..],
            &["Sở Tài chính".to_string()][..]
        )
    );
    assert_eq!(r.deadline.as_deref(), Some("2023-12-20"));
}

#[test]
fn reads_comma_csv() {
    let csv = "STT,Nội dung,Cơ quan chủ trì,Thời gian thực hiện\r\n1,Ban hành kế hoạch,Sở Nội vụ,31/01/2024\r\n";
    let t = read_task_table(csv.as_bytes(), "a.csv").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(t.rows.len(), 1);
    assert_eq!(t.rows[0].deadline.as_deref(), Some("2024-01-31"));
}

#[test]
fn rejects_invalid_utf8_naming_the_line() {
    let mut bytes =
        b"STT;N\xe1\xbb\x99i dung;C\xc6\xa1 quan ch\xe1\xbb\xa7 tr\xc3\xac\n1;a;b\n".to_vec();
    bytes.extend_from_slice(b"2;S\xe0 N\xf4i v\xf9;x\n"); // Windows-1258 bytes
    let e = read_task_table(&bytes, "a.csv").err();
    assert_eq!(e, Some(ImportError::InvalidUtf8 { line: 3 }));
    let msg = e.map(|e| e.to_string()).unwrap_or_default();
    assert!(msg.starts_with("Dòng 3:") && msg.contains("UTF-8"), "{msg}");
}

#[test]
fn reads_pasted_text_from_word_and_the_seed_appendix() {
    let pasted = "| STT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian thực hiện | Ghi chú |\n\
                  |---|---|---|---|---|---|\n\
                  | 1 | Xây dựng phần mềm chấm điểm | Sở Nội vụ | Sở Tài chính; Sở Thông tin và Truyền thông | Trong năm 2023 |  |\n";
    let t = read_task_text(pasted).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(messages(&t), Vec::<&str>::new());
    assert_eq!(t.rows.len(), 1);
    assert_eq!(t.rows[0].support.len(), 2);
    assert_eq!(t.rows[0].deadline.as_deref(), Some("2023-12-31"));

    // The 574 appendix as the seed bundle prints it: tab-separated, header on every page.
    let seed = std::fs::read_to_string(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../data/seeds/nghe-an-cchc-2023-08.txt"),
    )
    .unwrap_or_else(|e| panic!("seed: {e}"));
    let start = seed
        .find("STT\tLĩnh vực")
        .unwrap_or_else(|| panic!("no 574 appendix in the seed"));
    let end = seed[start..]
        .find("ỦY BAN")
        .map_or(seed.len(), |e| start + e);
    let t =
        read_task_table(&seed.as_bytes()[start..end], "574.tsv").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(messages(&t), Vec::<&str>::new());
    let groups: Vec<&str> =
        t.rows
            .iter()
            .filter_map(|r| r.group.as_deref())
            .fold(Vec::new(), |mut v, g| {
                if v.last() != Some(&g) {
                    v.push(g);
                }
                v
            });
    assert_eq!(groups.len(), 7, "{groups:?}");
    assert!(t.rows.len() >= 20, "{}", t.rows.len());
    assert_eq!(
        row(&t, "3.4").lead.last().map(String::as_str),
        Some("Bộ phận Tiếp nhận và Trả kết quả các cấp")
    );
    assert_eq!(row(&t, "1.1").recurrence.as_deref(), Some("yearly"));
    assert_eq!(row(&t, "1.4").deadline.as_deref(), Some("2023-12-31"));
}

#[test]
fn a_file_without_a_header_is_refused() {
    for (bytes, name) in [
        (b"a;b;c\n1;2;3\n".to_vec(), "x.csv"),
        (b"".to_vec(), "x.csv"),
        (b"chi co mot dong".to_vec(), "x.txt"),
        (xlsx(&[vec!["Tên", "Tuổi"], vec!["A", "3"]]), "x.xlsx"),
    ] {
        let e = read_task_table(&bytes, name);
        assert_eq!(e, Err(ImportError::NoHeader), "{name}");
    }
    let msg = ImportError::NoHeader.to_string();
    assert!(msg.contains("Cơ quan chủ trì"), "{msg}");
    assert!(matches!(
        read_task_table(b"PK\x03\x04garbage", "x.xlsx"),
        Err(ImportError::Spreadsheet(_))
    ));
    assert!(matches!(
        read_task_table(b"x", "x.pdf"),
        Err(ImportError::UnsupportedFormat(_))
    ));
}

#[test]
fn refuses_more_than_the_row_limit() {
    let mut csv = String::from("STT;Nội dung;Cơ quan chủ trì\n");
    for i in 0..=MAX_ROWS {
        csv.push_str(&format!("{i};Nhiệm vụ {i};Sở Nội vụ\n"));
    }
    assert_eq!(
        read_task_table(csv.as_bytes(), "big.csv"),
        Err(ImportError::TooManyRows {
            count: MAX_ROWS + 1
        })
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048), ext in 0usize..5) {
        let name = ["a.xlsx", "a.csv", "a.tsv", "a.txt", "a"][ext];
        let _ = read_task_table(&bytes, name);
    }

    #[test]
    fn never_panics_on_table_like_text(
        cells in proptest::collection::vec(
            prop_oneof![
                Just("STT".to_string()), Just("Nội dung".to_string()), Just("Cơ quan chủ trì".to_string()),
                Just("Thời gian".to_string()), Just("".to_string()), Just("3".to_string()), Just("II".to_string()),
                Just("Quý IV/2023".to_string()), Just("\"".to_string()), Just("Sở Nội vụ;".to_string()),
                "[\\PC\t;|,\n]{0,12}",
            ],
            0..60,
        ),
        ext in 0usize..3,
    ) {
        let sep = ["\t", ";", " | "][ext];
        let text = cells.chunks(5).map(|c| c.join(sep)).collect::<Vec<_>>().join("\n");
        let name = ["a.tsv", "a.csv", "a.txt"][ext];
        if let Ok(t) = read_task_table(text.as_bytes(), name) {
            for r in &t.rows {
                prop_assert!(!r.content.is_empty() && !r.lead.is_empty());
            }
        }
    }

    #[test]
    fn never_panics_on_mutated_xlsx(flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8)) {
        let mut bytes = xlsx(&[HEADER_574.to_vec(), vec!["1", "A", "B", "Sở Nội vụ", "", "Thường xuyên"]]);
        for (i, b) in flips {
            let n = bytes.len();
            bytes[i % n] = b;
        }
        let _ = read_task_table(&bytes, "m.xlsx");
    }
}
