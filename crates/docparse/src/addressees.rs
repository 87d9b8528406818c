//! Work a letter gives its addressees ("Kính gửi: …", a công điện's "điện: …", a notice's
//! "Nơi nhận" or closing): the points that name no body are theirs, collectives and
//! short names are the addressees meant; an answer to a question gives no work to the one
//! who asked.

use crate::header::Header;
use crate::model::{Document, Task};
use crate::normalize::fold;

/// Gives the tasks that name no body to the document's addressees, and writes their
/// short or collective names as the addressees meant.
pub(crate) fn give(
    doc: &Document,
    h: &Header,
    lines: &[&str],
    body_end: usize,
    recipients_list: Option<usize>,
    tasks: &mut [(usize, Task)],
) {
    // A letter addressed to bodies ("Kính gửi: …", a công điện's "điện: …") asks them to do
    // whatever names no other body.
    // Only when the text asks them to act before its list; a letter that explains rules
    // ("Bộ Y tế hướng dẫn như sau: 1. …") gives no work by its numbered points.
    let first_task = tasks.iter().map(|(l, _)| *l).min().unwrap_or(lines.len());
    let asks = doc
        .doc_type
        .as_deref()
        .is_some_and(|t| t == "Công điện" || t == "Chỉ thị")
        || lines[h.body_start.min(first_task)..first_task]
            .iter()
            .any(|l| {
                let low = l.to_lowercase();
                ["đề nghị", "yêu cầu", "giao ", "chỉ đạo"]
                    .iter()
                    .any(|w| low.contains(w))
            });
    // "Kính gửi: …" then "(Sau đây gọi chung là các đơn vị)": the name the letter uses.
    let addressed = lines[h.body_start.min(first_task)..first_task]
        .iter()
        .find(|l| !l.trim().is_empty())
        .filter(|l| l.trim_start().starts_with('('))
        .and_then(|l| crate::prose::shorthand(l))
        .map(|s| vec![s])
        .unwrap_or_else(|| doc.recipients.clone());
    // A notice of conclusions with no "Kính gửi" (ô 9a) names who carries it out in its
    // "Nơi nhận" (ô 9b: "- Tổng cục Thuế (để thực hiện);"): the work that names no body is
    // theirs.
    let notice = doc
        .doc_type
        .as_deref()
        .is_some_and(|t| t == "Thông báo" || t == "Kết luận");
    if doc.recipients.is_empty() && notice {
        let mut executors = recipients_list
            .map(|r| crate::recipients::executors(&lines[r..lines.len().min(r + 40)]))
            .unwrap_or_default();
        // "Văn phòng Chính phủ thông báo để Ủy ban nhân dân tỉnh Phú Thọ và các Bộ, cơ quan
        // liên quan biết, thực hiện./.": the conclusions are the province's to carry out
        // where a point names no body (the ministries are named where theirs are given).
        if executors.is_empty() {
            let tail: Vec<&str> = lines[h.body_start.min(body_end)..body_end]
                .iter()
                .rev()
                .take(12)
                .rev()
                .copied()
                .collect();
            executors = crate::recipients::told_to_carry_out(&tail.join(" "));
        }
        if !executors.is_empty() {
            for (_, t) in tasks.iter_mut() {
                if t.lead.is_empty() {
                    t.lead = executors.clone();
                }
            }
        }
    }
    if !doc.recipients.is_empty() && asks {
        for (_, t) in tasks.iter_mut() {
            // "Các cơ quan, đơn vị", "Các Sở Xây dựng nêu trên": the addressees meant.
            if t.lead.len() == 1
                && let Some(meant) = crate::agency::addressees_meant(&t.lead[0], &addressed)
            {
                t.lead = meant;
            } else if let Some(places) = crate::agency::places_named_above(&t.lead, &doc.recipients)
            {
                t.lead = places;
            }
            // "Các Cục Thuế", "Cục Thuế" in a letter to "Cục Thuế các tỉnh, thành phố …": the
            // addressees (a name the addressee line writes with "Các" is written as the text
            // has it).
            for l in &mut t.lead {
                // A name that already says its scope ("UBND các tỉnh, thành phố") is kept.
                let f = fold(l);
                let scoped = f.strip_prefix("cac ").unwrap_or(&f).contains("cac ");
                // (The addressee's own name with a scan's slip is written as the addressee.)
                if let Some(full) = crate::agency::addressee_of(l, &doc.recipients)
                    && !fold(&full).starts_with("cac ")
                    && (!scoped || crate::agency::same_name(l, &full))
                {
                    *l = full;
                }
            }
            if t.lead.is_empty() {
                t.lead = addressed.clone();
                t.support
                    .retain(|s| !t.lead.iter().any(|l| fold(l) == fold(s)));
            }
        }
    }
}

/// An answer to a question ("Bộ Tài chính trả lời Công ty để biết./.", "… trả lời để các
/// Cục Thuế được biết và thực hiện"): the rules it quotes and applies are no work for the
/// one who asked. `body` is the document's body.
pub(crate) fn answers(body: &[&str]) -> bool {
    body.iter().rev().take(12).any(|l| {
        let f = fold(l);
        f.contains("tra loi") && f.contains("biet")
    })
}

/// Whether every lead is one of the addressees ("Công ty" for "Công ty cổ phần BIM").
pub(crate) fn only_addressees(lead: &[String], recipients: &[String]) -> bool {
    lead.iter().all(|l| {
        let l = fold(l);
        recipients.iter().any(|r| {
            let r = fold(r);
            r == l || r.starts_with(&format!("{l} "))
        })
    })
}
