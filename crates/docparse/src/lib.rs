//! Vietnamese administrative-document reader: text in, documents and proposed tasks out.
//! Pure: no database, no network.
//!
//! The layout rules come from Nghị định 30/2020/NĐ-CP (công tác văn thư), Phụ lục I
//! (thể thức) and Phụ lục III (tên loại văn bản); the task patterns from the domain
//! guide §3.6, read on the Nghệ An seed bundle of August 2023.

pub mod agency;
pub mod budget;
pub mod date;
pub mod deadline;
pub mod header;
pub mod import;
pub mod layout;
pub mod model;
pub mod normalize;
pub mod number;
pub mod read;
pub mod score;
mod sheet;
pub mod signer;
pub mod structure;
pub mod table;
pub mod tasks;
pub mod xlsx;

pub use budget::{Budget, Limits, Stop};
pub use import::{
    ImportError, RowError, TaskTable, TaskTableRow, read_task_table, read_task_table_with,
    read_task_text, read_task_text_with,
};
pub use model::{Document, Signer, Task};
pub use read::{ReadError, read_file, read_file_with};

/// Reads every document in `text`, in order. Never panics; unknown parts are
/// `None` or empty, never invented. No deadline and no size limit: for trusted text
/// (the demo seed, tests); text from users goes through [`parse_with`].
pub fn parse(text: &str) -> Vec<Document> {
    parse_all(text)
}

/// [`parse`] within `budget`: text longer than its limit is refused before it is
/// read, and the parse stops at its deadline or when it is cancelled.
pub fn parse_with(text: &str, budget: &Budget) -> Result<Vec<Document>, ReadError> {
    let max = budget.limits().text_bytes;
    if text.len() > max {
        return Err(read::text_too_long(max));
    }
    Ok(budget.run(|| parse_all(text))?)
}

fn parse_all(text: &str) -> Vec<Document> {
    let clean = normalize::normalize(text);
    let lines: Vec<&str> = clean.split('\n').collect();
    let mut out = Vec::new();
    for (s, e) in header::split_documents(&lines) {
        if !budget::go_on() {
            break;
        }
        let doc = &lines[s..e];
        if doc.iter().all(|l| l.trim().is_empty()) {
            continue;
        }
        out.push(tasks::read_document(doc));
    }
    out
}
