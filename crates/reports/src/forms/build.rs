//! The forms' wording and layout. The official texts of the circulars' appendices were not
//! at hand when this was written: field lists follow the circulars' form names, NĐ
//! 61/2018 and NĐ 118/2025 (what each paper must say) and the forms in use at provincial
//! one-stop desks. Every wording is therefore [TV]: compare with Thông tư 01/2018/TT-VPCP,
//! Phụ lục, and Thông tư 03/2025/TT-VPCP, Phụ lục I, before relying on it in print.

use chrono::NaiveDate;

use super::data::{
    Apology, Applicant, ControlSheet, Desk, Receipt, Refusal, Register, Signer, StopNotice,
    SupplementRequest,
};
use super::{Edition, FormEntry};
use crate::doc::{
    Align, Block, Column, Letterhead, OfficialDoc, Paper, Run, Signature, Table, date_words,
    short_date, time_words,
};

const SIGN_HINT: &str = "(Ký và ghi rõ họ tên)";
const SEAL_HINT: &str = "(Ký, ghi rõ họ tên và đóng dấu)";

fn doc(
    desk: &Desk,
    number: Option<&str>,
    date: Option<NaiveDate>,
    entry: &FormEntry,
    subtitle: Vec<Run>,
    blocks: Vec<Block>,
) -> OfficialDoc {
    OfficialDoc {
        paper: Paper::A5,
        letterhead: Letterhead {
            agency_parent: desk.agency_parent.clone(),
            agency: desk.agency.clone(),
            number: number.map(str::to_string),
        },
        place_date: date.map(|d| (desk.place.clone(), d)),
        title: entry.name.to_string(),
        subtitle,
        blocks,
    }
}

fn code_line(code: &str) -> Vec<Run> {
    if code.trim().is_empty() {
        Vec::new()
    } else {
        vec![Run::plain("Mã hồ sơ: "), Run::bold(code)]
    }
}

/// Name, address, phone and e-mail, the way every form names the applicant.
fn applicant_blocks(label: &str, a: &Applicant) -> Vec<Block> {
    vec![
        Block::runs(vec![Run::plain(format!("{label}: ")), Run::bold(&a.name)]),
        Block::field("Địa chỉ", &a.address),
        Block::Fields(vec![
            ("Số điện thoại".into(), a.phone.clone()),
            ("Email".into(), a.email.clone()),
        ]),
    ]
}

fn numbered(items: &[String]) -> Vec<Block> {
    if items.is_empty() {
        return vec![Block::DottedLines(2)];
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| Block::text(format!("{}. {item}", i + 1)))
        .collect()
}

fn signer(s: &Signer, hint: &str) -> Signature {
    let title = if s.title.trim().is_empty() {
        "THỦ TRƯỞNG CƠ QUAN".to_string()
    } else {
        s.title.clone()
    };
    Signature::new(title, Some(hint), &s.name)
}

/// Thông tư 01/2018/TT-VPCP Mẫu số 01 and Thông tư 03/2025/TT-VPCP Mẫu số 01 — Giấy tiếp
/// nhận hồ sơ và hẹn trả kết quả: who handed in which papers for which procedure, when
/// it was received and when the result is due, signed by the applicant and the officer.
/// [TV] Field order and wording; the register entry ("Vào Sổ theo dõi hồ sơ, Quyển số …")
/// is left out.
pub(super) fn receipt(f: &Receipt, entry: &FormEntry) -> OfficialDoc {
    let mut blocks = vec![Block::runs(vec![Run::plain(format!(
        "{} tiếp nhận hồ sơ của:",
        f.desk.agency
    ))])];
    blocks.extend(applicant_blocks("Ông/Bà", &f.applicant));
    blocks.push(Block::runs(vec![
        Run::plain("Nội dung yêu cầu giải quyết: "),
        Run::bold(&f.procedure_name),
    ]));
    blocks.push(Block::text("1. Thành phần hồ sơ nộp gồm:"));
    blocks.push(Block::Table(Table {
        columns: vec![
            Column::new("STT", 0.8, Align::Center),
            Column::new("Tên giấy tờ", 5.0, Align::Left),
            Column::new("Hình thức", 1.8, Align::Center),
            Column::new("Số lượng", 1.2, Align::Center),
        ],
        rows: f
            .papers
            .iter()
            .enumerate()
            .map(|(i, p)| {
                vec![
                    (i + 1).to_string(),
                    p.name.clone(),
                    p.kind.clone(),
                    p.copies.to_string(),
                ]
            })
            .collect(),
        empty_text: Some("Không có giấy tờ kèm theo".into()),
    }));
    blocks.extend([
        Block::text(format!("2. Số lượng hồ sơ: {:02} (bộ)", f.sets)),
        Block::text(format!(
            "3. Thời gian giải quyết hồ sơ theo quy định là: {}",
            f.processing_time
        )),
        Block::text(format!(
            "4. Thời gian nhận hồ sơ: {}",
            time_words(f.received_at)
        )),
        Block::runs(vec![
            Run::plain("5. Thời gian trả kết quả giải quyết hồ sơ: "),
            Run::bold(time_words(f.appointment_at)),
        ]),
        Block::text(format!("6. Đăng ký nhận kết quả tại: {}", f.return_channel)),
        Block::Signatures(vec![
            Signature::new("Người nộp hồ sơ", Some(SIGN_HINT), &f.applicant.name),
            Signature::new("Người tiếp nhận hồ sơ", Some(SIGN_HINT), &f.receiver_name),
        ]),
    ]);
    doc(
        &f.desk,
        None,
        Some(f.received_at.date()),
        entry,
        code_line(&f.dossier_code),
        blocks,
    )
}

/// Thông tư 01/2018/TT-VPCP Mẫu số 02 and Thông tư 03/2025/TT-VPCP Mẫu số 02 — Phiếu yêu
/// cầu bổ sung, hoàn thiện hồ sơ: the one written guidance an incomplete dossier gets (NĐ
/// 61/2018 Điều 19 k2 b): what to add, why, and whom to ask. [TV] Wording.
pub(super) fn supplement_request(f: &SupplementRequest, entry: &FormEntry) -> OfficialDoc {
    let mut blocks = applicant_blocks("Hồ sơ của", &f.applicant);
    blocks.push(Block::runs(vec![
        Run::plain("Nội dung yêu cầu giải quyết: "),
        Run::bold(&f.procedure_name),
    ]));
    blocks.push(Block::text(format!(
        "Ngày nhận hồ sơ: {}",
        time_words(f.received_at)
    )));
    blocks.push(Block::text(
        "Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:",
    ));
    blocks.extend(numbered(&f.items));
    blocks.push(Block::field("Lý do", &f.reason));
    blocks.push(Block::Paragraph {
        runs: vec![Run::plain(format!(
            "Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà liên hệ với {} để được hướng dẫn.",
            if f.contact.trim().is_empty() {
                "Bộ phận Một cửa"
            } else {
                f.contact.as_str()
            }
        ))],
        align: Align::Left,
        indent: true,
    });
    blocks.push(Block::Signatures(vec![
        Signature::new("", None, ""),
        Signature::new("Người hướng dẫn", Some(SIGN_HINT), &f.officer_name),
    ]));
    doc(
        &f.desk,
        None,
        Some(f.requested_on),
        entry,
        code_line(&f.dossier_code),
        blocks,
    )
}

/// Thông tư 01/2018/TT-VPCP Mẫu số 03 and Thông tư 03/2025/TT-VPCP Mẫu số 03 — Phiếu từ
/// chối tiếp nhận giải quyết hồ sơ: a dossier that does not qualify is refused in writing
/// with the reasons (NĐ 61/2018 Điều 19 k2 c). [TV] Wording.
pub(super) fn refusal(f: &Refusal, entry: &FormEntry) -> OfficialDoc {
    let mut blocks = vec![Block::text(format!(
        "{} tiếp nhận hồ sơ của:",
        f.desk.agency
    ))];
    blocks.extend(applicant_blocks("Ông/Bà", &f.applicant));
    blocks.push(Block::runs(vec![
        Run::plain("Nội dung yêu cầu giải quyết: "),
        Run::bold(&f.procedure_name),
    ]));
    blocks.push(Block::Paragraph {
        runs: vec![Run::plain(format!(
            "Qua nghiên cứu, đối chiếu với các quy định hiện hành, {} từ chối tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:",
            f.desk.agency
        ))],
        align: Align::Left,
        indent: true,
    });
    blocks.extend(numbered(&f.reasons));
    blocks.push(Block::Paragraph {
        runs: vec![Run::plain(
            "Xin thông báo cho Ông/Bà được biết và thực hiện./.",
        )],
        align: Align::Left,
        indent: true,
    });
    blocks.push(Block::Signatures(vec![
        Signature::new("", None, ""),
        Signature::new("Người tiếp nhận hồ sơ", Some(SIGN_HINT), &f.officer_name),
    ]));
    doc(
        &f.desk,
        None,
        Some(f.refused_on),
        entry,
        code_line(&f.dossier_code),
        blocks,
    )
}

fn kinh_gui(a: &Applicant) -> Block {
    Block::Paragraph {
        runs: vec![
            Run::plain("Kính gửi: "),
            Run::bold(format!("Ông/Bà {}", a.name)),
        ],
        align: Align::Center,
        indent: false,
    }
}

/// Thông tư 01/2018/TT-VPCP Mẫu số 04 — Phiếu xin lỗi và hẹn lại ngày trả kết quả; Thông
/// tư 03/2025/TT-VPCP Mẫu số 04 — Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết.
/// Sent by the processing agency before a dossier goes late: the reception, the original
/// appointment, the reason, the apology and the new date (NĐ 61/2018 Điều 19 k2 d; NĐ
/// 118/2025). Under TT 03/2025 the letter asks the applicant to accept the extension. [TV]
/// Wording of both.
pub(super) fn apology(f: &Apology, entry: &FormEntry, edition: Edition) -> OfficialDoc {
    let agency = &f.desk.agency;
    let extension = edition == Edition::Tt03of2025;
    let mut blocks = vec![
        kinh_gui(&f.applicant),
        Block::Paragraph {
            runs: vec![
                Run::plain(format!(
                    "Ngày {}, {agency} tiếp nhận hồ sơ của Ông/Bà đề nghị giải quyết thủ tục ",
                    short_date(f.received_at.date())
                )),
                Run::bold(&f.procedure_name),
                Run::plain(", mã hồ sơ "),
                Run::bold(&f.dossier_code),
                Run::plain("."),
            ],
            align: Align::Left,
            indent: true,
        },
        Block::Paragraph {
            runs: vec![Run::plain(format!(
                "Thời hạn trả kết quả giải quyết hồ sơ: {}.",
                time_words(f.old_date)
            ))],
            align: Align::Left,
            indent: true,
        },
        Block::Paragraph {
            runs: vec![Run::plain(format!(
                "Tuy nhiên đến nay, {agency} chưa trả kết quả giải quyết hồ sơ của Ông/Bà đúng hạn ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả, lý do: {}",
                if f.reason.trim().is_empty() {
                    "……"
                } else {
                    f.reason.as_str()
                }
            ))],
            align: Align::Left,
            indent: true,
        },
    ];
    let promise = if extension {
        vec![
            Run::plain(format!(
                "{agency} thành thật xin lỗi Ông/Bà và đề nghị Ông/Bà đồng ý gia hạn thời gian giải quyết hồ sơ đến "
            )),
            Run::bold(time_words(f.new_date)),
            Run::plain("."),
        ]
    } else {
        vec![
            Run::plain(format!(
                "Sự chậm trễ này đã gây phiền hà, tốn kém chi phí đi lại của Ông/Bà; {agency} xin lỗi Ông/Bà và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào "
            )),
            Run::bold(time_words(f.new_date)),
            Run::plain("."),
        ]
    };
    blocks.push(Block::Paragraph {
        runs: promise,
        align: Align::Left,
        indent: true,
    });
    blocks.push(Block::Paragraph {
        runs: vec![Run::plain("Xin trân trọng cảm ơn./.")],
        align: Align::Left,
        indent: true,
    });
    blocks.push(Block::Signatures(vec![
        Signature::new("", None, ""),
        signer(&f.signer, SEAL_HINT),
    ]));
    doc(
        &f.desk,
        Some(&f.number),
        Some(f.issued_on),
        entry,
        code_line(&f.dossier_code),
        blocks,
    )
}

/// Thông tư 03/2025/TT-VPCP Mẫu số 05 — Thông báo dừng giải quyết hồ sơ: the processing
/// agency tells the applicant it stops processing the dossier, and why (status 8 "Dừng xử
/// lý"). No counterpart in Thông tư 01/2018/TT-VPCP. [TV] Wording.
pub(super) fn stop_notice(f: &StopNotice, entry: &FormEntry) -> OfficialDoc {
    let agency = &f.desk.agency;
    let blocks = vec![
        kinh_gui(&f.applicant),
        Block::Paragraph {
            runs: vec![
                Run::plain(format!(
                    "Ngày {}, {agency} tiếp nhận hồ sơ của Ông/Bà đề nghị giải quyết thủ tục ",
                    short_date(f.received_at.date())
                )),
                Run::bold(&f.procedure_name),
                Run::plain(", mã hồ sơ "),
                Run::bold(&f.dossier_code),
                Run::plain("."),
            ],
            align: Align::Left,
            indent: true,
        },
        Block::Paragraph {
            runs: vec![Run::plain(format!(
                "{agency} thông báo dừng giải quyết hồ sơ nêu trên, lý do: {}",
                if f.reason.trim().is_empty() {
                    "……"
                } else {
                    f.reason.as_str()
                }
            ))],
            align: Align::Left,
            indent: true,
        },
        Block::Paragraph {
            runs: vec![Run::plain(
                "Xin thông báo để Ông/Bà được biết. Trường hợp có vướng mắc, đề nghị Ông/Bà liên hệ Bộ phận Một cửa để được hướng dẫn./.",
            )],
            align: Align::Left,
            indent: true,
        },
        Block::Signatures(vec![
            Signature::new("", None, ""),
            signer(&f.signer, SEAL_HINT),
        ]),
    ];
    doc(
        &f.desk,
        Some(&f.number),
        Some(f.issued_on),
        entry,
        code_line(&f.dossier_code),
        blocks,
    )
}

/// Thông tư 01/2018/TT-VPCP Mẫu số 05 and Thông tư 03/2025/TT-VPCP Mẫu số 06 — Phiếu kiểm
/// soát quá trình giải quyết hồ sơ: travels with the dossier; every hand-over is a line
/// (Tên cơ quan; Thời gian giao, nhận hồ sơ "… giờ … phút, ngày … tháng … năm …" with
/// Người giao and Người nhận; Kết quả giải quyết hồ sơ trước hạn / đúng hạn / quá hạn;
/// Ghi chú). [TV] In the printed form the giver and receiver sign in the time cell; here
/// their names are printed there.
pub(super) fn control_sheet(f: &ControlSheet, entry: &FormEntry) -> OfficialDoc {
    let coordinating = if f.coordinating.is_empty() {
        String::new()
    } else {
        f.coordinating.join("; ")
    };
    let blocks = vec![
        Block::runs(vec![
            Run::plain("Kèm theo hồ sơ của: "),
            Run::bold(&f.applicant_name),
        ]),
        Block::field("Nội dung yêu cầu giải quyết", &f.procedure_name),
        Block::field("Ngày nhận hồ sơ", time_words(f.received_at)),
        Block::field("Ngày hẹn trả kết quả", time_words(f.appointment_at)),
        Block::field("Cơ quan (bộ phận) giải quyết hồ sơ", &f.lead_agency),
        Block::field("Cơ quan phối hợp giải quyết hồ sơ", coordinating),
        Block::Table(Table {
            columns: vec![
                Column::new("TÊN CƠ QUAN", 2.0, Align::Left),
                Column::new("THỜI GIAN GIAO, NHẬN HỒ SƠ", 4.2, Align::Left),
                Column::new(
                    "KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/đúng hạn/quá hạn)",
                    1.9,
                    Align::Center,
                ),
                Column::new("GHI CHÚ", 1.2, Align::Left),
            ],
            rows: f
                .rows
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    vec![
                        format!("{}. {}", i + 1, r.agency),
                        format!(
                            "{}\nNgười giao: {}\nNgười nhận: {}",
                            time_words(r.at).replacen(", ", ",\n", 1),
                            r.giver,
                            r.receiver
                        ),
                        r.result.map(|x| x.label().to_string()).unwrap_or_default(),
                        r.note.clone(),
                    ]
                })
                .collect(),
            empty_text: Some("Chưa có lượt giao, nhận hồ sơ".into()),
        }),
    ];
    doc(
        &f.desk,
        None,
        None,
        entry,
        code_line(&f.dossier_code),
        blocks,
    )
}

fn opt_time(at: Option<chrono::NaiveDateTime>) -> String {
    at.map(|t| t.format("%H:%M\n%d/%m/%Y").to_string())
        .unwrap_or_default()
}

/// Thông tư 01/2018/TT-VPCP Mẫu số 06 and Thông tư 03/2025/TT-VPCP Mẫu số 07 — Sổ theo dõi
/// hồ sơ, on A4 landscape: one line a dossier from reception to the return of the result.
/// [TV] Column set; the official register splits "Ngày, tháng, năm" into sub-columns
/// under one head, printed here as separate columns.
pub(super) fn register(f: &Register, entry: &FormEntry) -> OfficialDoc {
    let columns = vec![
        Column::new("STT", 0.9, Align::Center),
        Column::new("Mã hồ sơ", 2.4, Align::Left),
        Column::new("Tên thủ tục hành chính", 2.4, Align::Left),
        Column::new("Số lượng hồ sơ (bộ)", 1.0, Align::Center),
        Column::new("Tên cá nhân, tổ chức", 2.6, Align::Left),
        Column::new("Địa chỉ, số điện thoại", 2.0, Align::Left),
        Column::new("Cơ quan chủ trì giải quyết", 1.8, Align::Left),
        Column::new("Nhận hồ sơ", 1.7, Align::Center),
        Column::new("Hẹn trả kết quả", 1.7, Align::Center),
        Column::new("Chuyển hồ sơ đến cơ quan giải quyết", 1.7, Align::Center),
        Column::new("Nhận kết quả từ cơ quan giải quyết", 1.7, Align::Center),
        Column::new("Trả kết quả cho cá nhân, tổ chức", 1.7, Align::Center),
        Column::new("Ghi chú", 1.2, Align::Left),
    ];
    let rows = f
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            vec![
                (i + 1).to_string(),
                r.dossier_code.clone(),
                r.procedure_name.clone(),
                r.sets.to_string(),
                r.applicant_name.clone(),
                r.contact.clone(),
                r.lead_agency.clone(),
                opt_time(Some(r.received_at)),
                opt_time(Some(r.appointment_at)),
                opt_time(r.transferred_at),
                opt_time(r.result_at),
                opt_time(r.returned_at),
                r.note.clone(),
            ]
        })
        .collect();
    let mut doc = doc(
        &f.desk,
        None,
        None,
        entry,
        vec![Run::italic(format!(
            "Từ {} đến {}",
            date_words(f.from),
            date_words(f.to)
        ))],
        vec![Block::Table(Table {
            columns,
            rows,
            empty_text: Some("Không có hồ sơ trong kỳ".into()),
        })],
    );
    doc.paper = Paper::A4Landscape;
    doc
}
