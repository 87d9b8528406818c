//! The work and the lead of a leaf point of the outline: its own words, a heading with
//! the paragraphs under it, or a sentence cut by a line wrap (domain guide §3.6).

use crate::agency::{heading_agencies, sentence_subject};
use crate::normalize::squash;
use crate::structure::{Item, is_heading};
use crate::tasks::inline_heading;

/// The content of a leaf item and the lead it names itself, if any.
pub(crate) fn item_content(it: &Item) -> (Option<String>, Vec<String>) {
    let text = it.text.trim();
    if let Some(answer) = inline_answer(text) {
        let lead = sentence_lead(&crate::normalize::capitalize_first(answer));
        if !lead.is_empty() {
            let mut content = answer.to_string();
            for b in &it.body {
                content.push(' ');
                content.push_str(b);
            }
            return (non_empty(content), lead);
        }
    }
    if let Some((lead, rest)) = inline_heading(text) {
        let content = if rest.is_empty() {
            it.body.join(" ")
        } else {
            rest
        };
        return (non_empty(content), lead);
    }
    // "1. Về kiến nghị sớm ban hành Nghị quyết mới … ; tiếp tục triển khai …:" over the
    // answer ("Giao Bộ Tài chính khẩn trương …"): the matter a conclusion answers, however
    // long, is a heading.
    let matter = text.ends_with(':') && (text.starts_with("Về ") || text.starts_with("Đối với "));
    if !it.body.is_empty()
        && is_heading(text)
        && (matter
            || text.chars().count() <= 200 && !(text.ends_with(':') && text.chars().count() > 120))
    {
        let mut lead = heading_agencies(text).unwrap_or_default();
        // "2. Sở Khoa học và Công nghệ, Sở Nội vụ" over "Sở Khoa học và Công nghệ chủ trì,
        // phối hợp với Sở Nội vụ …": the paragraph says which of the heading's bodies leads.
        if lead.len() > 1 {
            let own = sentence_subject(&it.body[0]);
            let key = |s: &String| crate::score::key(s);
            if !own.is_empty()
                && own.len() < lead.len()
                && own.iter().all(|o| lead.iter().any(|l| key(l) == key(o)))
            {
                lead = own;
            }
        }
        if lead.is_empty() {
            // "3.1. Báo cáo định kỳ hàng tháng:" then "Yêu cầu UBND các xã, phường … báo cáo …".
            lead = crate::prose::work_bodies(&it.body[0]);
        }
        if lead.is_empty() {
            // "1. Quyết liệt trong chỉ đạo …:" / "Các đồng chí Bộ trưởng, … phải …".
            lead = sentence_subject(&it.body[0]);
        }
        if lead.is_empty() && !text.ends_with(':') {
            // A sentence cut by a line wrap, not a heading ("c) Về việc thỏa thuận giao cắt
            // tuyến ống Cái" / "Mép-Phú Mỹ: Ủy ban nhân dân … xử lý …"): read as one.
            // The sentence goes on in the first paragraph under it: that is where its
            // body is named (reading the whole section again for it was a tenth of
            // the reading time).
            let lead = sentence_lead(&format!("{text} {}", it.body[0]));
            if !lead.is_empty() {
                return (non_empty(format!("{text} {}", it.body.join(" "))), lead);
            }
        }
        return (non_empty(it.body.join(" ")), lead);
    }
    if heading_agencies(text).is_some() || (is_heading(text) && text.chars().count() < 60) {
        // A heading with nothing under it is not a task.
        return (None, Vec::new());
    }
    // A line that only names a body ("Bộ trưởng Bộ Quốc phòng;" in a list of members,
    // "01 Phó Trưởng ban Ban Tổ chức Trung ương;"): no work in it.
    let bare = text.trim_end_matches([';', '.', ',']).trim();
    let short_entry = text.ends_with([';', ',']) && bare.chars().count() < 100;
    if it.body.is_empty()
        && ((bare.chars().count() < 120 && heading_agencies(bare).is_some())
            || (short_entry && crate::agency::first_verb(bare).is_none()))
    {
        return (None, Vec::new());
    }
    let lead = sentence_lead(text);
    let mut content = text.to_string();
    for b in &it.body {
        content.push(' ');
        content.push_str(b);
    }
    (non_empty(content), lead)
}

/// The bodies a point's sentence gives its work to: a request by the speaker, the
/// subject, a request that opens it, a framed subject, the sentence after a label, or a
/// body given the lead further on.
fn sentence_lead(text: &str) -> Vec<String> {
    let mut lead = crate::prose::speaker_request(text);
    if lead.is_empty() {
        lead = sentence_subject(text);
    }
    if lead.is_empty() {
        // "Phân công Phó Thủ tướng …", "Đề nghị Tổng Liên đoàn …": a request that opens
        // the point.
        lead = crate::prose::work_bodies(text);
    }
    if lead.is_empty() {
        lead = crate::prose::framed_subject(text);
    }
    // "- Báo cáo tháng: Sở Tài chính tổng hợp …": a label, then the sentence.
    if lead.is_empty()
        && let Some((label, rest)) = text.split_once(':')
        && label.chars().count() <= 120
    {
        lead = sentence_subject(rest.trim());
    }
    // "Đối với nội dung … “…” - giao Cục CNTT chủ trì, phối hợp …": a request further on.
    if lead.is_empty() {
        lead = crate::prose::assigned_further_on(text);
    }
    // "… Bộ Nội vụ đã hướng dẫn …. Vì vậy, đề nghị Ủy ban nhân dân các tỉnh …": the request
    // in a later sentence.
    if lead.is_empty() {
        lead = crate::prose::later_request(text);
    }
    lead
}

/// The answer after the matter a conclusion answers, on the same line ("2. Về dự án đầu
/// tư xây dựng công trình nạo vét …: Bộ Xây dựng khẩn trương rà soát …", "1. Về đề nghị
/// …: giao Bộ Nông nghiệp và Môi trường chủ trì …"): the work, without the matter.
pub(crate) fn inline_answer(text: &str) -> Option<&str> {
    if !text.starts_with("Về ") {
        return None;
    }
    let colon = crate::agency::prefix_bytes(text, 900).find(": ")?;
    let rest = text[colon + 2..].trim();
    (rest.chars().count() >= 20).then_some(rest)
}

pub(crate) fn non_empty(s: String) -> Option<String> {
    let s = squash(&s);
    if s.chars().filter(|c| c.is_alphabetic()).take(3).count() < 3 {
        None
    } else {
        Some(s)
    }
}
