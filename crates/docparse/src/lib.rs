//! Vietnamese administrative-document reader: text in, documents and proposed tasks out.
//! Pure: no database, no network.
//!
//! The layout rules come from Nghị định 30/2020/NĐ-CP (công tác văn thư), Phụ lục I
//! (thể thức) and Phụ lục III (tên loại văn bản); the task patterns from the domain
//! guide §3.6, read on the Nghệ An seed bundle of August 2023.

pub mod agency;
pub mod date;
pub mod deadline;
pub mod header;
pub mod import;
pub mod model;
pub mod normalize;
pub mod number;
pub mod read;
pub mod score;
pub mod signer;
pub mod structure;
pub mod table;
pub mod tasks;
pub mod xlsx;

pub use import::{ImportError, RowError, TaskTable, TaskTableRow, read_task_table, read_task_text};
pub use model::{Document, Signer, Task};
pub use read::{ReadError, read_file};

/// Reads every document in `text`, in order. Never panics; unknown parts are
/// `None` or empty, never invented.
pub fn parse(text: &str) -> Vec<Document> {
    let clean = normalize::normalize(text);
    let lines: Vec<&str> = clean.split('\n').collect();
    header::split_documents(&lines)
        .into_iter()
        .filter_map(|(s, e)| {
            let doc = &lines[s..e];
            if doc.iter().all(|l| l.trim().is_empty()) {
                return None;
            }
            Some(tasks::read_document(doc))
        })
        .collect()
}
