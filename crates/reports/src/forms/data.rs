//! Plain input for the one-stop forms; the dossier system fills these from its records.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// Bộ phận Một cửa — the desk or agency that issues the paper.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Desk {
    /// Cơ quan chủ quản, e.g. "UBND tỉnh Nghệ An".
    pub agency_parent: String,
    /// e.g. "Trung tâm Phục vụ hành chính công tỉnh" or "Bộ phận Một cửa UBND xã Nghi Lộc".
    pub agency: String,
    /// Địa danh of the date line, e.g. "Nghệ An".
    pub place: String,
}

/// Người nộp hồ sơ — the person or organisation the dossier belongs to.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Applicant {
    pub name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
}

/// Thành phần hồ sơ — one paper handed in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubmittedPaper {
    pub name: String,
    pub copies: u32,
    /// "Bản chính", "Bản sao", "Bản sao có chứng thực", "Bản điện tử".
    pub kind: String,
}

/// Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả (receipt and appointment).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    pub desk: Desk,
    /// Mã hồ sơ, e.g. "000.00.22.H40-250630-0001".
    pub dossier_code: String,
    pub applicant: Applicant,
    /// Nội dung yêu cầu giải quyết: the procedure's name.
    pub procedure_name: String,
    pub papers: Vec<SubmittedPaper>,
    /// Số lượng hồ sơ, in sets (bộ).
    pub sets: u32,
    /// Thời gian giải quyết theo quy định, as printed: "05 ngày làm việc".
    pub processing_time: String,
    pub received_at: NaiveDateTime,
    pub appointment_at: NaiveDateTime,
    /// Đăng ký nhận kết quả tại: "Bộ phận Một cửa", "Qua dịch vụ bưu chính công ích", ….
    pub return_channel: String,
    /// Người tiếp nhận hồ sơ.
    pub receiver_name: String,
}

/// Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (supplement request).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupplementRequest {
    pub desk: Desk,
    pub dossier_code: String,
    pub applicant: Applicant,
    pub procedure_name: String,
    pub received_at: NaiveDateTime,
    pub requested_on: NaiveDate,
    /// What to add or correct, one item a line.
    pub items: Vec<String>,
    pub reason: String,
    /// Who to call with questions: "bà Trần Thị Lan, số điện thoại 0238 3 844 555".
    pub contact: String,
    /// Người hướng dẫn.
    pub officer_name: String,
}

/// Mẫu 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ (refusal).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Refusal {
    pub desk: Desk,
    /// Mã hồ sơ when the dossier was registered online; may be empty.
    pub dossier_code: String,
    pub applicant: Applicant,
    pub procedure_name: String,
    pub refused_on: NaiveDate,
    pub reasons: Vec<String>,
    pub officer_name: String,
}

/// The person who signs a letter: position lines and name.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Signer {
    /// "GIÁM ĐỐC", or "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC".
    pub title: String,
    pub name: String,
}

/// TT 01/2018 Mẫu 04 Phiếu xin lỗi và hẹn lại ngày trả kết quả; TT 03/2025 Mẫu 04 Văn bản
/// xin lỗi và đề nghị gia hạn thời gian giải quyết.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Apology {
    pub desk: Desk,
    /// Số, ký hiệu of the letter; empty prints "Số: ……/……".
    pub number: String,
    pub dossier_code: String,
    pub applicant: Applicant,
    pub procedure_name: String,
    pub received_at: NaiveDateTime,
    /// The appointment on the receipt (ngày hẹn trả).
    pub old_date: NaiveDateTime,
    /// The new appointment, or the end of the extension asked for.
    pub new_date: NaiveDateTime,
    pub reason: String,
    pub issued_on: NaiveDate,
    pub signer: Signer,
}

/// TT 03/2025 Mẫu 05 — Thông báo dừng giải quyết hồ sơ (stop notice).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StopNotice {
    pub desk: Desk,
    pub number: String,
    pub dossier_code: String,
    pub applicant: Applicant,
    pub procedure_name: String,
    pub received_at: NaiveDateTime,
    pub reason: String,
    pub issued_on: NaiveDate,
    pub signer: Signer,
}

/// Kết quả giải quyết hồ sơ of one step, against the time allotted to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepResult {
    Early,
    OnTime,
    Late,
}

impl StepResult {
    pub fn label(self) -> &'static str {
        match self {
            StepResult::Early => "Trước hạn",
            StepResult::OnTime => "Đúng hạn",
            StepResult::Late => "Quá hạn",
        }
    }
}

/// One hand-over of the dossier, a line of the control sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandOver {
    /// Tên cơ quan: where the dossier went, e.g. "Phòng Tư pháp".
    pub agency: String,
    pub at: NaiveDateTime,
    pub giver: String,
    pub receiver: String,
    /// `None` while the step is still open.
    pub result: Option<StepResult>,
    pub note: String,
}

/// Phiếu kiểm soát quá trình giải quyết hồ sơ (control sheet): TT 01/2018 Mẫu 05, TT
/// 03/2025 Mẫu 06.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ControlSheet {
    pub desk: Desk,
    pub dossier_code: String,
    pub applicant_name: String,
    pub procedure_name: String,
    pub received_at: NaiveDateTime,
    pub appointment_at: NaiveDateTime,
    /// Cơ quan (bộ phận) giải quyết hồ sơ.
    pub lead_agency: String,
    /// Cơ quan phối hợp giải quyết hồ sơ.
    pub coordinating: Vec<String>,
    pub rows: Vec<HandOver>,
}

/// One dossier in the register.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegisterRow {
    pub dossier_code: String,
    pub procedure_name: String,
    pub sets: u32,
    pub applicant_name: String,
    /// Địa chỉ, số điện thoại.
    pub contact: String,
    pub lead_agency: String,
    pub received_at: NaiveDateTime,
    pub appointment_at: NaiveDateTime,
    /// Chuyển hồ sơ đến cơ quan giải quyết.
    pub transferred_at: Option<NaiveDateTime>,
    /// Nhận kết quả từ cơ quan giải quyết.
    pub result_at: Option<NaiveDateTime>,
    /// Trả kết quả cho cá nhân, tổ chức.
    pub returned_at: Option<NaiveDateTime>,
    pub note: String,
}

/// Sổ theo dõi hồ sơ (register): TT 01/2018 Mẫu 06, TT 03/2025 Mẫu 07; A4 landscape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Register {
    pub desk: Desk,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rows: Vec<RegisterRow>,
}
