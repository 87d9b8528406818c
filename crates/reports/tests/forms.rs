//! The one-stop forms: the right set by reception date, every form printable as HTML and
//! as a PDF whose text reads back with its Vietnamese letters.

use chrono::{NaiveDate, NaiveDateTime};
use reports::{
    Apology, Applicant, ControlSheet, Desk, Form, FormError, FormKind, HandOver, Receipt, Refusal,
    Register, RegisterRow, Signer, StepResult, StopNotice, SubmittedPaper, SupplementRequest,
    form_for, form_set_on, page_count, to_html, to_pdf,
};

const CODE: &str = "000.00.22.H40-250630-0001";
const NAME: &str = "Nguyễn Thị Hằng";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn at(date: NaiveDate, h: u32, min: u32) -> NaiveDateTime {
    date.and_hms_opt(h, min, 0).expect("valid time")
}

fn desk() -> Desk {
    Desk {
        agency_parent: "UBND tỉnh Nghệ An".into(),
        agency: "Trung tâm Phục vụ hành chính công tỉnh".into(),
        place: "Nghệ An".into(),
    }
}

fn applicant() -> Applicant {
    Applicant {
        name: NAME.into(),
        address: "Xóm 3, xã Nghi Phú, thành phố Vinh, tỉnh Nghệ An".into(),
        phone: "0912 345 678".into(),
        email: "hang.nt@example.vn".into(),
    }
}

const PROCEDURE: &str = "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu";

fn signer() -> Signer {
    Signer {
        title: "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC".into(),
        name: "Trần Văn Đức".into(),
    }
}

/// Every form, for a dossier received on `received`.
fn forms(received: NaiveDate) -> Vec<Form> {
    let received_at = at(received, 8, 5);
    let due = at(day(2025, 7, 14), 16, 30);
    vec![
        Form::Receipt(Receipt {
            desk: desk(),
            dossier_code: CODE.into(),
            applicant: applicant(),
            procedure_name: PROCEDURE.into(),
            papers: vec![
                SubmittedPaper {
                    name: "Đơn đăng ký cấp Giấy chứng nhận".into(),
                    copies: 1,
                    kind: "Bản chính".into(),
                },
                SubmittedPaper {
                    name: "Căn cước công dân".into(),
                    copies: 1,
                    kind: "Bản sao".into(),
                },
            ],
            sets: 1,
            processing_time: "10 ngày làm việc".into(),
            received_at,
            appointment_at: due,
            return_channel: "Bộ phận Một cửa".into(),
            receiver_name: "Lê Thị Mai".into(),
        }),
        Form::SupplementRequest(SupplementRequest {
            desk: desk(),
            dossier_code: CODE.into(),
            applicant: applicant(),
            procedure_name: PROCEDURE.into(),
            received_at,
            requested_on: received,
            items: vec!["Bổ sung sơ đồ thửa đất có xác nhận của UBND xã".into()],
            reason: "Thiếu thành phần hồ sơ theo quy định".into(),
            contact: "bà Lê Thị Mai, số điện thoại 0238 3 844 555".into(),
            officer_name: "Lê Thị Mai".into(),
        }),
        Form::Refusal(Refusal {
            desk: desk(),
            dossier_code: CODE.into(),
            applicant: applicant(),
            procedure_name: PROCEDURE.into(),
            refused_on: received,
            reasons: vec!["Thửa đất đang có tranh chấp".into()],
            officer_name: "Lê Thị Mai".into(),
        }),
        Form::Apology(Apology {
            desk: desk(),
            number: "15/TTPVHCC".into(),
            dossier_code: CODE.into(),
            applicant: applicant(),
            procedure_name: PROCEDURE.into(),
            received_at,
            old_date: due,
            new_date: at(day(2025, 7, 21), 16, 30),
            reason: "Cần xác minh thêm nguồn gốc đất".into(),
            issued_on: day(2025, 7, 11),
            signer: signer(),
        }),
        Form::StopNotice(StopNotice {
            desk: desk(),
            number: "16/TB-TTPVHCC".into(),
            dossier_code: CODE.into(),
            applicant: applicant(),
            procedure_name: PROCEDURE.into(),
            received_at,
            reason: "Người nộp hồ sơ đề nghị dừng giải quyết".into(),
            issued_on: day(2025, 7, 12),
            signer: signer(),
        }),
        Form::ControlSheet(ControlSheet {
            desk: desk(),
            dossier_code: CODE.into(),
            applicant_name: NAME.into(),
            procedure_name: PROCEDURE.into(),
            received_at,
            appointment_at: due,
            lead_agency: "Văn phòng Đăng ký đất đai".into(),
            coordinating: vec!["UBND xã Nghi Phú".into()],
            rows: vec![
                HandOver {
                    agency: "Bộ phận Một cửa".into(),
                    at: at(received, 9, 30),
                    giver: "Lê Thị Mai".into(),
                    receiver: "Phạm Văn Hùng".into(),
                    result: Some(StepResult::OnTime),
                    note: String::new(),
                },
                HandOver {
                    agency: "Văn phòng Đăng ký đất đai".into(),
                    at: at(day(2025, 7, 10), 14, 0),
                    giver: "Phạm Văn Hùng".into(),
                    receiver: "Lê Thị Mai".into(),
                    result: Some(StepResult::Early),
                    note: "Đã ký".into(),
                },
            ],
        }),
        Form::Register(Register {
            desk: desk(),
            from: day(2025, 7, 1),
            to: day(2025, 7, 31),
            rows: vec![RegisterRow {
                dossier_code: CODE.into(),
                procedure_name: PROCEDURE.into(),
                sets: 1,
                applicant_name: NAME.into(),
                contact: "Xóm 3, xã Nghi Phú; 0912 345 678".into(),
                lead_agency: "Văn phòng Đăng ký đất đai".into(),
                received_at,
                appointment_at: due,
                transferred_at: Some(at(received, 9, 30)),
                result_at: None,
                returned_at: None,
                note: String::new(),
            }],
        }),
    ]
}

/// Text every form must show, beyond the national name.
fn required(form: &Form) -> Vec<&'static str> {
    match form.kind() {
        FormKind::Receipt => vec![
            NAME,
            CODE,
            PROCEDURE,
            "Căn cước công dân",
            "0912 345 678",
            "08 giờ 05 phút, ngày 30 tháng 06 năm 2025",
            "16 giờ 30 phút, ngày 14 tháng 07 năm 2025",
            "NGƯỜI TIẾP NHẬN HỒ SƠ",
        ],
        FormKind::SupplementRequest => vec![NAME, CODE, "Bổ sung sơ đồ thửa đất", "Lý do"],
        FormKind::Refusal => vec![NAME, CODE, "Thửa đất đang có tranh chấp"],
        FormKind::Apology => vec![
            NAME,
            CODE,
            "Cần xác minh thêm nguồn gốc đất",
            "16 giờ 30 phút, ngày 21 tháng 07 năm 2025",
            "Trần Văn Đức",
        ],
        FormKind::StopNotice => vec![NAME, CODE, "dừng giải quyết", "Trần Văn Đức"],
        FormKind::ControlSheet => vec![
            NAME,
            CODE,
            "09 giờ 30 phút,",
            "ngày 30 tháng 06 năm 2025",
            "Phạm Văn Hùng",
            "Đúng hạn",
            "Trước hạn",
        ],
        FormKind::Register => vec![NAME, CODE, "Hẹn trả kết quả", "30/06/2025"],
    }
}

/// pdf-extract breaks lines and spaces as it sees them; compare on single spaces.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_form_set_switches_on_1_july_2025() {
    let old = form_set_on(day(2025, 6, 30)).expect("a set");
    let new = form_set_on(day(2025, 7, 1)).expect("a set");
    assert_eq!(old.basis, "Thông tư 01/2018/TT-VPCP");
    assert_eq!(new.basis, "Thông tư 03/2025/TT-VPCP");
    assert!(form_set_on(day(2017, 1, 1)).is_none());

    let control = &forms(day(2025, 6, 30))[5];
    let (label, _) = form_for(control, day(2025, 6, 30)).expect("form");
    assert_eq!(label.to_string(), "Mẫu số 05 (Thông tư 01/2018/TT-VPCP)");
    let (label, _) = form_for(control, day(2025, 7, 1)).expect("form");
    assert_eq!(label.to_string(), "Mẫu số 06 (Thông tư 03/2025/TT-VPCP)");

    let register = &forms(day(2025, 6, 30))[6];
    assert_eq!(
        form_for(register, day(2025, 6, 30)).expect("form").0.number,
        6
    );
    assert_eq!(
        form_for(register, day(2025, 7, 1)).expect("form").0.number,
        7
    );
}

#[test]
fn the_apology_changes_with_the_circular() {
    let apology = &forms(day(2025, 6, 30))[3];
    let (_, old) = form_for(apology, day(2025, 6, 30)).expect("form");
    let (_, new) = form_for(apology, day(2025, 7, 1)).expect("form");
    assert_eq!(old.title, "Phiếu xin lỗi và hẹn lại ngày trả kết quả");
    assert_eq!(
        new.title,
        "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"
    );
    assert!(to_html(&new).contains("đồng ý gia hạn"));
    assert!(!to_html(&old).contains("đồng ý gia hạn"));
}

#[test]
fn the_old_set_has_no_stop_notice() {
    let stop = &forms(day(2025, 6, 30))[4];
    assert!(matches!(
        form_for(stop, day(2025, 6, 30)),
        Err(FormError::NotInSet {
            kind: FormKind::StopNotice,
            ..
        })
    ));
    assert!(form_for(stop, day(2025, 7, 1)).is_ok());
}

#[test]
fn every_form_renders_to_html_with_its_fields() {
    let received = day(2025, 6, 30);
    for form in forms(received) {
        let (label, doc) = form_for(&form, day(2025, 7, 1)).expect("form");
        let html = to_html(&doc);
        assert!(html.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
        assert!(html.contains(&label.name.to_uppercase()), "{label}");
        for needle in required(&form) {
            assert!(html.contains(needle), "{label}: missing {needle:?}");
        }
    }
}

#[test]
fn every_form_renders_to_a_pdf_that_reads_back() {
    let received = day(2025, 6, 30);
    let sample_dir = std::env::var("REPORTS_SAMPLE_DIR").ok();
    for form in forms(received) {
        let (label, doc) = form_for(&form, day(2025, 7, 1)).expect("form");
        let pdf = to_pdf(&doc).expect("pdf");
        assert!(pdf.starts_with(b"%PDF"), "{label}");
        if let Some(dir) = &sample_dir {
            let name = format!("{dir}/mau-{:02}.pdf", label.number);
            std::fs::write(&name, &pdf).expect("write sample");
            std::fs::write(name.replace(".pdf", ".html"), to_html(&doc)).expect("write sample");
        }
        let text = squash(&pdf_extract::extract_text_from_mem(&pdf).expect("parses back"));
        assert!(
            text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            "{label}"
        );
        for needle in required(&form) {
            assert!(
                text.contains(needle),
                "{label}: missing {needle:?} in\n{text}"
            );
        }
        if form.kind() != FormKind::Register {
            assert_eq!(page_count(&doc), 1, "{label} should fit one A5 page");
        }
    }
}
