//! Biểu mẫu một cửa — the papers of the one-stop desk, as [`OfficialDoc`]s.
//!
//! The set of forms is chosen by the dossier's reception date (a dossier keeps the rules
//! in force when it was received): Thông tư 01/2018/TT-VPCP, Phụ lục, for dossiers received
//! until 30/6/2025, Thông tư 03/2025/TT-VPCP, Phụ lục I, from 01/7/2025. The sets and their
//! dates are data in [`FORM_SETS`]; the numbers "Mẫu số 0x" differ between them.

mod build;
mod data;

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::doc::OfficialDoc;

pub use data::{
    Apology, Applicant, ControlSheet, Desk, HandOver, Receipt, Refusal, Register, RegisterRow,
    Signer, StepResult, StopNotice, SubmittedPaper, SupplementRequest,
};

/// Which paper, whatever its number in a given set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FormKind {
    Receipt,
    SupplementRequest,
    Refusal,
    Apology,
    StopNotice,
    ControlSheet,
    Register,
}

/// One form of a set: its number and official name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormEntry {
    pub kind: FormKind,
    pub number: u8,
    pub name: &'static str,
}

/// Which circular's wording a form follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Edition {
    /// Thông tư 01/2018/TT-VPCP.
    Tt01of2018,
    /// Thông tư 03/2025/TT-VPCP.
    Tt03of2025,
}

/// A circular's set of forms and the reception dates it applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormSet {
    pub edition: Edition,
    /// "Thông tư 01/2018/TT-VPCP".
    pub basis: &'static str,
    pub valid_from: NaiveDate,
    /// Last reception date the set applies to; `None` while in force.
    pub valid_to: Option<NaiveDate>,
    pub forms: &'static [FormEntry],
}

impl FormSet {
    pub fn entry(&self, kind: FormKind) -> Option<&'static FormEntry> {
        self.forms.iter().find(|f| f.kind == kind)
    }

    pub fn applies_on(&self, date: NaiveDate) -> bool {
        date >= self.valid_from && self.valid_to.is_none_or(|to| date <= to)
    }
}

const fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => panic!("invalid date in the form sets"),
    }
}

const fn entry(kind: FormKind, number: u8, name: &'static str) -> FormEntry {
    FormEntry { kind, number, name }
}

/// The form sets, oldest first.
///
/// - Thông tư 01/2018/TT-VPCP (23/11/2018, in force 06/01/2019), Phụ lục: Mẫu 01–06; it
///   has no stop notice. Applied here from NĐ 61/2018's entry into force (21/6/2018) so
///   older dossiers still print.
/// - Thông tư 03/2025/TT-VPCP (guidance of NĐ 118/2025/NĐ-CP, in force 01/7/2025), Phụ lục
///   I: Mẫu 01–07. [TV] The circular is dated 15/9/2025; whether its forms apply to every
///   dossier received from 01/7/2025 (NĐ 118's date, used here) or only from its own entry
///   into force must be checked; change `valid_from`/`valid_to` here if needed.
pub static FORM_SETS: [FormSet; 2] = [
    FormSet {
        edition: Edition::Tt01of2018,
        basis: "Thông tư 01/2018/TT-VPCP",
        valid_from: ymd(2018, 6, 21),
        valid_to: Some(ymd(2025, 6, 30)),
        forms: &[
            entry(
                FormKind::Receipt,
                1,
                "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
            ),
            entry(
                FormKind::SupplementRequest,
                2,
                "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
            ),
            entry(
                FormKind::Refusal,
                3,
                "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
            ),
            entry(
                FormKind::Apology,
                4,
                "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
            ),
            entry(
                FormKind::ControlSheet,
                5,
                "Phiếu kiểm soát quá trình giải quyết hồ sơ",
            ),
            entry(FormKind::Register, 6, "Sổ theo dõi hồ sơ"),
        ],
    },
    FormSet {
        edition: Edition::Tt03of2025,
        basis: "Thông tư 03/2025/TT-VPCP",
        valid_from: ymd(2025, 7, 1),
        valid_to: None,
        forms: &[
            entry(
                FormKind::Receipt,
                1,
                "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
            ),
            entry(
                FormKind::SupplementRequest,
                2,
                "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
            ),
            entry(
                FormKind::Refusal,
                3,
                "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
            ),
            entry(
                FormKind::Apology,
                4,
                "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
            ),
            entry(FormKind::StopNotice, 5, "Thông báo dừng giải quyết hồ sơ"),
            entry(
                FormKind::ControlSheet,
                6,
                "Phiếu kiểm soát quá trình giải quyết hồ sơ",
            ),
            entry(FormKind::Register, 7, "Sổ theo dõi hồ sơ"),
        ],
    },
];

/// The set in force for a dossier received on `date`; `None` before NĐ 61/2018.
pub fn form_set_on(date: NaiveDate) -> Option<&'static FormSet> {
    FORM_SETS.iter().find(|set| set.applies_on(date))
}

/// "Mẫu số 04 (Thông tư 03/2025/TT-VPCP)": where a printed form comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormLabel {
    pub basis: &'static str,
    pub number: u8,
    pub name: &'static str,
}

impl fmt::Display for FormLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Mẫu số {:02} ({})", self.number, self.basis)
    }
}

/// A form with its data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Form {
    Receipt(Receipt),
    SupplementRequest(SupplementRequest),
    Refusal(Refusal),
    Apology(Apology),
    StopNotice(StopNotice),
    ControlSheet(ControlSheet),
    Register(Register),
}

impl Form {
    pub fn kind(&self) -> FormKind {
        match self {
            Form::Receipt(_) => FormKind::Receipt,
            Form::SupplementRequest(_) => FormKind::SupplementRequest,
            Form::Refusal(_) => FormKind::Refusal,
            Form::Apology(_) => FormKind::Apology,
            Form::StopNotice(_) => FormKind::StopNotice,
            Form::ControlSheet(_) => FormKind::ControlSheet,
            Form::Register(_) => FormKind::Register,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    #[error("no form set applies to dossiers received on {0}")]
    NoFormSet(NaiveDate),
    #[error("{basis} has no form {kind:?}")]
    NotInSet { kind: FormKind, basis: &'static str },
}

/// The paper for `form`, laid out as the set in force on `received_on` prescribes, with
/// its label ("Mẫu số 01 (Thông tư 01/2018/TT-VPCP)").
pub fn form_for(
    form: &Form,
    received_on: NaiveDate,
) -> Result<(FormLabel, OfficialDoc), FormError> {
    let set = form_set_on(received_on).ok_or(FormError::NoFormSet(received_on))?;
    let kind = form.kind();
    let entry = set.entry(kind).ok_or(FormError::NotInSet {
        kind,
        basis: set.basis,
    })?;
    let label = FormLabel {
        basis: set.basis,
        number: entry.number,
        name: entry.name,
    };
    let doc = match form {
        Form::Receipt(f) => build::receipt(f, entry),
        Form::SupplementRequest(f) => build::supplement_request(f, entry),
        Form::Refusal(f) => build::refusal(f, entry),
        Form::Apology(f) => build::apology(f, entry, set.edition),
        Form::StopNotice(f) => build::stop_notice(f, entry),
        Form::ControlSheet(f) => build::control_sheet(f, entry),
        Form::Register(f) => build::register(f, entry),
    };
    Ok((label, doc))
}
