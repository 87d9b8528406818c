//! The proposal form: the rows the officer checks and corrects, built from what the
//! reader proposed or read back from the post, the lead choices the agency matcher offers,
//! and the source text with the extracted values marked.

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::org_match::{AgencyMatcher, AgencyRef, Resolution};
use domain::validate::parse_date;
use store::agency::Agency;

use crate::views::date_vn;
use crate::{AppError, AppState};

pub struct LeadOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// One proposed task row as the form shows it.
#[derive(Default)]
pub struct FormTask {
    pub include: bool,
    pub content: String,
    /// The lead as written in the source (the matcher's input).
    pub lead_text: String,
    pub lead_options: Vec<LeadOption>,
    /// An agency code typed by the officer; wins over the list.
    pub lead_code: String,
    pub support_text: String,
    pub deadline: String,
    pub deadline_text: String,
    pub recurrence: String,
    pub source: String,
    pub error: String,
}

/// One proposed directive as the form shows it.
#[derive(Default)]
pub struct FormDoc {
    pub include: bool,
    pub number: String,
    pub doc_type: String,
    pub issuer: String,
    pub place: String,
    pub date: String,
    pub subject: String,
    pub signer_name: String,
    pub signer_title: String,
    pub signer_authority: String,
    pub recipients: String,
    pub cited: String,
    pub tasks: Vec<FormTask>,
    pub errors: Vec<String>,
}

pub(super) async fn matcher(state: &AppState) -> Result<(AgencyMatcher, Vec<Agency>), AppError> {
    let all = app::agency::all(state).await?;
    let refs: Vec<AgencyRef> = all
        .iter()
        .map(|a| AgencyRef {
            id: a.id,
            name: a.name.clone(),
            short_name: a.short_name.clone(),
            kind: a.kind.clone(),
            valid_from: a.valid_from,
            valid_to: a.valid_to,
        })
        .collect();
    Ok((AgencyMatcher::new(&refs), all))
}

/// The choices offered for a lead: the matcher's answer, best first, preselected when sure.
pub(super) fn lead_options(
    m: &AgencyMatcher,
    agencies: &[Agency],
    text: &str,
    on: NaiveDate,
    chosen: Option<&str>,
) -> Vec<LeadOption> {
    let name = |id: i64| {
        agencies
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.name.clone())
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    match m.resolve(text, on) {
        Resolution::Exact(id) => out.push(LeadOption {
            value: format!("a:{id}"),
            label: name(id),
            selected: true,
        }),
        Resolution::Collective { ids, label } => {
            let v = ids
                .iter()
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(",");
            out.push(LeadOption {
                value: format!("c:{v}"),
                label: format!("{label} — giao cho từng cơ quan ({} cơ quan)", ids.len()),
                selected: true,
            });
        }
        Resolution::Candidates(c) => {
            for (i, (id, score)) in c.iter().enumerate() {
                out.push(LeadOption {
                    value: format!("a:{id}"),
                    label: format!("{} (khớp {:.0}%)", name(*id), score * 100.0),
                    selected: i == 0 && *score >= 0.8,
                });
            }
        }
        Resolution::Unknown => {}
    }
    if let Some(ch) = chosen {
        for o in out.iter_mut() {
            o.selected = o.value == ch;
        }
        if !ch.is_empty()
            && !out.iter().any(|o| o.value == ch)
            && let Some(id) = ch.strip_prefix("a:").and_then(|i| i.parse().ok())
        {
            out.push(LeadOption {
                value: ch.to_string(),
                label: name(id),
                selected: true,
            });
        }
    }
    out
}

pub(super) fn doc_date(d: &FormDoc) -> NaiveDate {
    parse_date(&d.date).unwrap_or_else(super::today)
}

pub(super) fn iso_to_vn(s: Option<&str>) -> String {
    s.and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .map(|d| date_vn(&d))
        .unwrap_or_default()
}

/// Builds the form from what the reader proposed.
pub(super) fn form_of(
    docs: &[docparse::Document],
    m: &AgencyMatcher,
    agencies: &[Agency],
) -> Vec<FormDoc> {
    docs.iter()
        .map(|d| {
            let signer = d.signer.clone().unwrap_or_default();
            let mut f = FormDoc {
                include: true,
                number: d.number.clone().unwrap_or_default(),
                doc_type: d.doc_type.clone().unwrap_or_default(),
                issuer: d.issuer.clone().unwrap_or_default(),
                place: d.place.clone().unwrap_or_default(),
                date: iso_to_vn(d.date.as_deref()),
                subject: d.subject.clone().unwrap_or_default(),
                signer_name: signer.name.unwrap_or_default(),
                signer_title: signer.title.unwrap_or_default(),
                signer_authority: signer.authority.unwrap_or_default(),
                recipients: d.recipients.join("\n"),
                cited: d.cited_documents.join("\n"),
                ..Default::default()
            };
            let on = doc_date(&f);
            for t in &d.tasks {
                let leads: Vec<String> = if t.lead.is_empty() {
                    vec![String::new()]
                } else {
                    t.lead.clone()
                };
                for lead in leads {
                    f.tasks.push(FormTask {
                        include: true,
                        content: t.content.clone(),
                        lead_options: lead_options(m, agencies, &lead, on, None),
                        lead_text: lead,
                        support_text: t.support.join("; "),
                        deadline: iso_to_vn(t.deadline.as_deref()),
                        deadline_text: t.deadline_text.clone().unwrap_or_default(),
                        recurrence: t.recurrence.clone().unwrap_or_default(),
                        source: t.source.clone().unwrap_or_default(),
                        ..Default::default()
                    });
                }
            }
            f
        })
        .collect()
}

/// Reads the posted form back (field names `d{i}_…` and `d{i}_t{j}_…`).
pub(super) fn form_from_post(
    pairs: &[(String, String)],
    m: &AgencyMatcher,
    agencies: &[Agency],
) -> Vec<FormDoc> {
    let map: HashMap<&str, &str> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let get = |k: &str| map.get(k).map(|v| domain::text::nfc(v)).unwrap_or_default();
    let mut docs = Vec::new();
    for i in 0.. {
        if !map.contains_key(format!("d{i}_number").as_str()) {
            break;
        }
        let p = |f: &str| get(&format!("d{i}_{f}"));
        let mut d = FormDoc {
            include: map.contains_key(format!("d{i}_include").as_str()),
            number: p("number"),
            doc_type: p("type"),
            issuer: p("issuer"),
            place: p("place"),
            date: p("date"),
            subject: p("subject"),
            signer_name: p("signer_name"),
            signer_title: p("signer_title"),
            signer_authority: p("signer_authority"),
            recipients: p("recipients"),
            cited: p("cited"),
            ..Default::default()
        };
        let on = doc_date(&d);
        for j in 0..2000 {
            if !map.contains_key(format!("d{i}_t{j}_content").as_str()) {
                break;
            }
            let q = |f: &str| get(&format!("d{i}_t{j}_{f}"));
            let lead_text = q("lead_text");
            let chosen = q("lead");
            d.tasks.push(FormTask {
                include: map.contains_key(format!("d{i}_t{j}_include").as_str()),
                content: q("content"),
                lead_options: lead_options(m, agencies, &lead_text, on, Some(&chosen)),
                lead_text,
                lead_code: q("lead_code"),
                support_text: q("support_text"),
                deadline: q("deadline"),
                deadline_text: q("deadline_text"),
                recurrence: q("recurrence"),
                source: q("source"),
                error: String::new(),
            });
        }
        docs.push(d);
    }
    docs
}

/// Marks the extracted values in the source text (first occurrence of each), escaped.
/// Most bytes the marking of the source may search (values × length of the source).
const MARK_WORK: usize = 1 << 30;

pub(super) fn highlight(source: &str, docs: &[FormDoc]) -> String {
    let mut needles: Vec<String> = Vec::new();
    for d in docs {
        needles.extend([
            d.number.clone(),
            d.signer_name.clone(),
            d.signer_title.clone(),
            d.issuer.clone(),
        ]);
        needles.extend(d.recipients.lines().map(str::to_string));
        needles.extend(d.cited.lines().map(str::to_string));
        if let Some(date) = parse_date(&d.date) {
            use chrono::Datelike;
            needles.push(format!(
                "ngày {:02} tháng {} năm {}",
                date.day(),
                date.month(),
                date.year()
            ));
            needles.push(format!(
                "ngày {} tháng {} năm {}",
                date.day(),
                date.month(),
                date.year()
            ));
            needles.push(format!(
                "ngày {:02} tháng {:02} năm {}",
                date.day(),
                date.month(),
                date.year()
            ));
        }
        needles.push(d.subject.chars().take(60).collect());
        for t in &d.tasks {
            needles.push(t.content.chars().take(50).collect());
            needles.push(t.deadline_text.clone());
        }
    }
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    // Each value is looked for in the whole source: past `MARK_WORK` bytes of searching
    // (a text of megabytes with thousands of proposals) the source is shown unmarked
    // rather than holding a runtime worker for minutes (issue 20).
    let searched = needles.len().saturating_mul(source.len()) <= MARK_WORK;
    let view = Squashed::new(if searched { source } else { "" });
    for n in needles
        .iter()
        .filter(|_| searched)
        .map(|n| Squashed::new(n.trim()).text)
        .filter(|n| n.chars().count() >= 4)
    {
        if let Some(pos) = view.text.find(&n) {
            let (start, end) = view.original(pos, pos + n.len());
            // A value cut to its first characters (a task's opening words) is marked to
            // the end of the word it stops in.
            let word_end = source[end..]
                .find(|c: char| !c.is_alphanumeric())
                .map_or(source.len(), |i| end + i);
            let r = (start, word_end);
            if !ranges.iter().any(|(a, b)| r.0 < *b && *a < r.1) {
                ranges.push(r);
            }
        }
    }
    ranges.sort();
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut out = String::with_capacity(source.len() + ranges.len() * 16);
    let mut at = 0;
    for (a, b) in ranges {
        out.push_str(&esc(&source[at..a]));
        out.push_str("<mark>");
        out.push_str(&esc(&source[a..b]));
        out.push_str("</mark>");
        at = b;
    }
    out.push_str(&esc(&source[at..]));
    out
}

/// The source as the reader saw it, for finding its values: a web copy or a PDF text
/// layer breaks a sentence across lines and wraps words in Markdown emphasis
/// ("**hoàn thành** **trước ngày 05/12/2025**"), which the values no longer carry. Runs
/// of white space become one space, `*` is dropped and letters are in lower case
/// (the reader writes a task's first letter in capitals); each byte remembers where it
/// came from.
struct Squashed {
    text: String,
    from: Vec<usize>,
}

impl Squashed {
    fn new(s: &str) -> Squashed {
        let mut text = String::with_capacity(s.len());
        let mut from = Vec::with_capacity(s.len());
        let mut space_at: Option<usize> = None;
        for (i, c) in s.char_indices() {
            if c.is_whitespace() {
                space_at.get_or_insert(i);
                continue;
            }
            if c == '*' {
                continue;
            }
            if let Some(at) = space_at.take()
                && !text.is_empty()
            {
                text.push(' ');
                from.push(at);
            }
            let mut lower = c.to_lowercase();
            let c = match (lower.next(), lower.next()) {
                (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
                _ => c,
            };
            text.push(c);
            from.extend(i..i + c.len_utf8());
        }
        Squashed { text, from }
    }

    /// The source's byte range behind `start..end` of the squashed text.
    fn original(&self, start: usize, end: usize) -> (usize, usize) {
        (self.from[start], self.from[end - 1] + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_value_is_marked_to_the_end_of_its_word() {
        let source = "1. Sở Nội vụ chủ trì rà soát toàn bộ thủ tục hành chính thuộc phạm vi quản lý <của> Sở.";
        let content: String = source[3..].chars().take(48).collect();
        let doc = FormDoc {
            tasks: vec![FormTask {
                content,
                ..FormTask::default()
            }],
            ..FormDoc::default()
        };
        let marked = highlight(source, &[doc]);
        // 48 characters stop at the "c" of "chính"; the mark runs to the word's end.
        assert!(
            marked.starts_with(
                "1. <mark>Sở Nội vụ chủ trì rà soát toàn bộ thủ tục hành chính</mark> thuộc"
            ),
            "{marked}"
        );
        assert!(marked.contains("&lt;của&gt;"), "escaped: {marked}");
    }

    #[test]
    fn a_value_broken_across_lines_or_in_emphasis_is_marked() {
        let source = "2. Các sở, ngành\n**khẩn trương** rà soát, báo cáo\nUBND tỉnh **trước ngày\n05/12/2025**.";
        let doc = FormDoc {
            tasks: vec![FormTask {
                content: "Khẩn trương rà soát, báo cáo UBND tỉnh".into(),
                deadline_text: "trước ngày 05/12/2025".into(),
                ..FormTask::default()
            }],
            ..FormDoc::default()
        };
        let marked = highlight(source, &[doc]);
        assert!(
            marked.contains("<mark>khẩn trương** rà soát, báo cáo\nUBND tỉnh</mark>"),
            "{marked}"
        );
        assert!(
            marked.contains("<mark>trước ngày\n05/12/2025</mark>"),
            "{marked}"
        );
    }
}
