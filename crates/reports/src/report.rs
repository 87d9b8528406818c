//! Reports as printable papers: the same header as the Excel exports, tables that run over
//! as many pages as they need with the head row repeated.

use crate::doc::{Align, Block, Column, Letterhead, OfficialDoc, Paper, Run, Table};
use crate::model::{DocHeader, TaskRow};
use crate::pdf::{PdfError, to_pdf};
use crate::{labels, tasks};

/// A report paper: the header's issuer, place, date and title, then `blocks`.
pub fn report_doc(header: &DocHeader, paper: Paper, blocks: Vec<Block>) -> OfficialDoc {
    OfficialDoc {
        paper,
        letterhead: Letterhead {
            agency_parent: header.issuer_parent.clone(),
            agency: header.issuer.clone(),
            number: None,
        },
        place_date: Some((header.place.clone(), header.date)),
        title: header.title.clone(),
        subtitle: header
            .subtitle
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(|s| vec![Run::italic(s)])
            .unwrap_or_default(),
        blocks,
    }
}

/// [`report_doc`] as PDF bytes.
pub fn report_pdf(
    header: &DocHeader,
    paper: Paper,
    blocks: Vec<Block>,
) -> Result<Vec<u8>, PdfError> {
    to_pdf(&report_doc(header, paper, blocks))
}

/// The task list of [`crate::tasks_xlsx`] as a paper (A4 landscape), same columns.
pub fn tasks_doc(header: &DocHeader, rows: &[TaskRow]) -> OfficialDoc {
    let widths = [0.7, 5.0, 2.2, 2.2, 1.6, 1.8, 1.8];
    let aligns = [
        Align::Center,
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Center,
        Align::Center,
        Align::Left,
    ];
    let columns = labels::TASK_COLUMNS
        .iter()
        .zip(widths)
        .zip(aligns)
        .map(|((head, w), a)| Column::new(*head, w, a))
        .collect();
    let rows = rows
        .iter()
        .map(|t| {
            vec![
                t.stt.clone(),
                t.content.clone(),
                t.lead.clone(),
                t.support.clone(),
                t.deadline_text.clone(),
                tasks::result_text(t),
                tasks::note_text(t),
            ]
        })
        .collect();
    let table = Table {
        columns,
        rows,
        empty_text: Some(labels::NO_TASKS.to_string()),
    };
    report_doc(header, Paper::A4Landscape, vec![Block::Table(table)])
}
