//! Vietnamese administrative-document reader: text in, documents and proposed tasks out.
//! Pure: no database, no network.
//!
//! The layout rules come from Nghị định 30/2020/NĐ-CP (công tác văn thư), Phụ lục I
//! (thể thức) and Phụ lục III (tên loại văn bản); the task patterns from the domain
//! guide §3.6, read on the Nghệ An seed bundle of August 2023.

mod addressees;
pub mod agency;
mod attach;
pub(crate) mod attrs;
pub mod budget;
pub mod date;
pub mod deadline;
mod defined;
mod flat;
pub mod header;
mod header_fallback;
mod header_lines;
mod header_ocr;
mod header_signed;
pub mod import;
mod inherit;
pub mod layout;
mod leaf;
pub mod model;
pub mod normalize;
mod notwork;
pub mod number;
mod pdf;
mod prose;
pub mod read;
mod recipients;
pub mod score;
mod sheet;
pub mod signer;
mod signer_ocr;
mod split;
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
    let mut out: Vec<Document> = Vec::new();
    for (s, e) in header::split_documents(&lines) {
        if !budget::go_on() {
            break;
        }
        let doc = &lines[s..e];
        if doc.iter().all(|l| l.trim().is_empty()) {
            continue;
        }
        let read = tasks::read_document(doc);
        // A plan or programme issued by the document before it, printed with its own
        // header block: its tasks are that document's.
        if read.number.is_none()
            && let Some(parent) = attach::issued_by(doc)
            && let Some(p) = out
                .iter_mut()
                .rev()
                .find(|d| parent.as_ref().is_none_or(|n| d.number.as_ref() == Some(n)))
        {
            let kind = read
                .doc_type
                .clone()
                .unwrap_or_else(|| "Văn bản kèm theo".into());
            for mut t in read.tasks {
                attach::label(&mut t, &kind);
                p.tasks.push(t);
            }
            for c in read.cited_documents {
                if Some(&c) != p.number.as_ref() && !p.cited_documents.contains(&c) {
                    p.cited_documents.push(c);
                }
            }
            continue;
        }
        out.push(read);
    }
    // A part that carries nothing (page furniture before the first header).
    out.retain(|d| {
        d.number.is_some()
            || d.date.is_some()
            || d.subject.is_some()
            || d.issuer.is_some()
            || !d.tasks.is_empty()
            || !d.recipients.is_empty()
    });
    out
}
