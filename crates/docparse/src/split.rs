//! One item's text made into several tasks: work listed inline with its own numbers, and
//! work with two deadlines for two parts (corpus README: "A task with two deadlines for
//! two parts of the work is two tasks").

use crate::agency::{sentence_subject, support_agencies};
use crate::deadline::{Deadline, find_deadline, find_recurrence};
use crate::model::Task;
use crate::normalize::{fold, squash};
use crate::tasks::make_task;

/// "Khẩn trương xây dựng …: (1) Thanh tra Chính phủ ban hành trước ngày 25/11/2025; (2)
/// Bộ Công an chủ trì …" → one task per numbered part, each with the body it names (or
/// the item's). The numbers must run 1, 2, … in order; the words before "(1)" introduce
/// the list. Appendix rows are left whole.
pub(crate) fn split_inline(t: Task) -> Vec<Task> {
    if t.source
        .as_deref()
        .is_some_and(|s| s.contains("Phụ lục") || s.starts_with("bảng"))
    {
        return vec![t];
    }
    // Numbered "(1) … (2) …" or in small Roman numerals "(i) … (ii) …".
    const SMALL_ROMANS: [&str; 10] = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"];
    let label_of = |k: usize, roman: bool| {
        if roman {
            format!("({})", SMALL_ROMANS.get(k).copied().unwrap_or("?"))
        } else {
            format!("({})", k + 1)
        }
    };
    let find_marks = |roman: bool| {
        let mut marks: Vec<usize> = Vec::new();
        let mut from = 0;
        while marks.len() < SMALL_ROMANS.len()
            && let Some(i) = t.content[from..]
                .find(&label_of(marks.len(), roman))
                .map(|i| i + from)
        {
            from = i + label_of(marks.len(), roman).len();
            marks.push(i);
        }
        marks
    };
    let mut roman = false;
    let mut marks = find_marks(false);
    if marks.len() < 2 {
        roman = true;
        marks = find_marks(true);
    }
    if marks.len() < 2 {
        return vec![t];
    }
    let n = marks.len();
    let mut out = Vec::with_capacity(n);
    for (k, &m) in marks.iter().enumerate() {
        let end = marks.get(k + 1).copied().unwrap_or(t.content.len());
        let label = label_of(k, roman);
        let text = t.content[m + label.len()..end]
            .trim()
            .trim_end_matches([';', ','])
            .trim()
            .to_string();
        if text.chars().filter(|c| c.is_alphabetic()).take(3).count() < 3 {
            continue;
        }
        let mut own = sentence_subject(&text);
        if own.is_empty() {
            own = crate::prose::work_bodies(&text);
        }
        // Points in small Roman numerals split only when each names its own body.
        if roman && own.is_empty() {
            return vec![t];
        }
        let lead = if own.is_empty() { t.lead.clone() } else { own };
        let source = t.source.as_ref().map(|s| format!("{s}, ý {label}"));
        out.push(make_task(text, lead, source.unwrap_or_default()));
    }
    if out.len() < 2 { vec![t] } else { out }
}

/// "… hoàn thành trong tháng 8 năm 2023; trình Chính phủ … chậm nhất trong tháng 12 năm
/// 2023" → two tasks, each with its own deadline. Clauses (split at ";" and at sentence
/// ends) run up to the clause that carries a deadline; the clauses after the last one
/// belong to the last part. A task whose parts share one date stays whole.
pub(crate) fn split_by_deadlines(t: Task) -> Vec<Task> {
    if t.deadline.is_none()
        || t.source
            .as_deref()
            .is_some_and(|s| s.contains("Phụ lục") || s.starts_with("bảng"))
    {
        return vec![t];
    }
    let mut clauses: Vec<&str> = Vec::new();
    let mut from = 0;
    let bytes = t.content.as_bytes();
    for (i, c) in t.content.char_indices() {
        let end = i + c.len_utf8();
        let boundary = c == ';' || (c == '.' && bytes.get(end) == Some(&b' '));
        if boundary {
            clauses.push(&t.content[from..end]);
            from = end;
        }
    }
    if from < t.content.len() {
        clauses.push(&t.content[from..]);
    }
    let mut parts: Vec<(String, Deadline)> = Vec::new();
    let mut cur = String::new();
    for c in clauses {
        cur.push_str(c);
        let d = find_deadline(c);
        if d.date.is_some() {
            parts.push((std::mem::take(&mut cur), d));
        }
    }
    if !cur.trim().is_empty() {
        match parts.last_mut() {
            Some(last) => last.0.push_str(&cur),
            None => return vec![t],
        }
    }
    let mut dates: Vec<&Option<String>> = parts.iter().map(|(_, d)| &d.date).collect();
    dates.dedup();
    if parts.len() < 2 || dates.len() < 2 {
        return vec![t];
    }
    let n = parts.len();
    parts
        .into_iter()
        .enumerate()
        .map(|(k, (text, d))| {
            let content = squash(text.trim().trim_start_matches(['.', ';']).trim());
            let mut support = support_agencies(&content);
            support.retain(|s| !t.lead.iter().any(|l| fold(l) == fold(s)));
            Task {
                recurrence: find_recurrence(&content),
                content,
                lead: t.lead.clone(),
                support,
                deadline: d.date,
                deadline_text: d.text,
                source: t
                    .source
                    .as_ref()
                    .map(|s| format!("{s} (phần {}/{n})", k + 1)),
            }
        })
        .collect()
}
