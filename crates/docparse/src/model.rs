//! The result of reading a directive: the JSON contract of `cchc directive parse`
//! (product.md, "Contracts"). Field names and value forms are fixed there.

use serde::{Deserialize, Serialize};

/// Văn bản — one document found in the input (a dispatch may carry several).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Số, ký hiệu (NĐ 30/2020/NĐ-CP, Phụ lục I, ô số 3), e.g. "6794/UBND-KSTT".
    pub number: Option<String>,
    /// Tên loại văn bản (Phụ lục III), e.g. "Công văn", "Thông báo".
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    /// Tên cơ quan ban hành (ô số 2).
    pub issuer: Option<String>,
    /// Địa danh (ô số 4).
    pub place: Option<String>,
    /// Ngày ban hành (ô số 4), ISO `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Trích yếu (ô số 5a / 5b, "V/v …").
    pub subject: Option<String>,
    /// Chữ ký (ô số 7a–7c).
    pub signer: Option<Signer>,
    /// Kính gửi (ô số 9a).
    #[serde(default)]
    pub recipients: Vec<String>,
    /// Numbers of the documents cited in the text, in order of first mention.
    #[serde(default)]
    pub cited_documents: Vec<String>,
    /// Proposed tasks for a person to confirm.
    #[serde(default)]
    pub tasks: Vec<Task>,
}

/// Người ký and the capacity in which they sign (NĐ 30/2020, Điều 13 and Phụ lục I ô 7).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signer {
    pub name: Option<String>,
    pub title: Option<String>,
    /// One of `TM.`, `KT.`, `Q.`, `TL.`, `TUQ.`, `TM.+KT.` or null.
    pub authority: Option<String>,
}

/// Nhiệm vụ — one proposed task.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub content: String,
    /// Cơ quan chủ trì.
    #[serde(default)]
    pub lead: Vec<String>,
    /// Cơ quan phối hợp.
    #[serde(default)]
    pub support: Vec<String>,
    /// ISO date, or null when the text gives none (or only a condition).
    pub deadline: Option<String>,
    /// The words the deadline was read from, kept as written.
    pub deadline_text: Option<String>,
    /// `monthly:DD`, `monthly`, `quarterly`, `semiannual`, `yearly`, `continuous` or null.
    pub recurrence: Option<String>,
    /// Where in the document the task was found, e.g. "mục 3, gạch đầu dòng 2".
    pub source: Option<String>,
}
