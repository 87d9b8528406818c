//! From a document's lines to the proposed document record and its tasks
//! (domain guide §3.6 "How tasks appear"): whole-document fan-out, headings that
//! name the assignee, inline lead and coordinators, appendix tables, and closing
//! report obligations with a recurrence.

use crate::agency::{heading_agencies, parse_agencies, sentence_subject, support_agencies};
use crate::deadline::{Deadline, find_deadline, find_recurrence};
use crate::header::read_header;
use crate::model::{Document, Task};
use crate::normalize::{fold, squash};
use crate::number::{find_numbers, issuer_code, type_of_number};
use crate::signer::find_signer;
use crate::structure::{Item, Marker, is_heading, outline, paragraphs, source_of};
use crate::table::{is_row, table_tasks};

/// Roman sections whose heading says they hold the tasks (304 "III. Nhiệm vụ, giải
/// pháp…", 574 "II. NHIỆM VỤ VÀ GIẢI PHÁP…", "III. TỔ CHỨC THỰC HIỆN"); sections of
/// results, shortcomings or purposes do not.
const TASK_SECTION_WORDS: &[&str] = &[
    "nhiem vu",
    "giai phap",
    "to chuc thuc hien",
    "trien khai thuc hien",
];
/// Roman sections that hold no tasks: purposes, viewpoints, targets, results, the
/// situation, the scope, the funds. Any other section may give work.
const NON_TASK_SECTION_WORDS: &[&str] = &[
    "muc dich",
    "yeu cau",
    "quan diem",
    "muc tieu",
    "ket qua",
    "tinh hinh",
    "danh gia",
    "thuc trang",
    "boi canh",
    "can cu",
    "kinh phi",
    "pham vi",
    "doi tuong",
    "chi tieu",
    "nguyen tac",
    "giai thich",
    "ton tai",
    "han che",
    "nguyen nhan",
    "hieu luc",
    "chiu trach nhiem thi hanh",
    "ban hanh kem theo",
];
/// Phrases that open the list of required work ("… một số nội dung sau:").
const CUE_WORDS: &[&str] = &[
    "sau:",
    "sau day:",
    "nhu sau:",
    "yeu cau:",
    "sau day :",
    "sau :",
];

pub fn read_document(lines: &[&str]) -> Document {
    let h = read_header(lines);
    let mut doc = Document {
        number: h.number.clone(),
        doc_type: h.doc_type.clone(),
        issuer: h.issuer.clone(),
        place: h.place.clone(),
        date: h.date.clone(),
        subject: h.subject.clone(),
        recipients: h.recipients.clone(),
        ..Document::default()
    };
    if doc.doc_type.is_none() {
        doc.doc_type = match doc.number.as_deref().and_then(type_of_number) {
            Some(t) => Some(t.to_string()),
            None if h.has_vv => Some("Công văn".to_string()),
            None => None,
        };
    }
    // Appendix: a "PHỤ LỤC" line after the body.
    let appendix = lines
        .iter()
        .enumerate()
        .skip(h.body_start)
        .find(|(_, l)| fold(l.trim()).starts_with("phu luc") && l.trim().chars().count() < 40)
        .map(|(i, _)| i);
    // The main text ends at its signature; an attached plan's own appendix comes later.
    let appendix = appendix.filter(|a| !crate::attach::starts_before(lines, h.body_start, *a));
    let main_end = appendix.unwrap_or(lines.len());
    let signer = find_signer(&lines[h.body_start.min(main_end)..main_end]);
    let sig_start = signer.as_ref().map(|(_, s)| h.body_start + s);
    doc.signer = signer.map(|(s, _)| s);
    let recipients_list = lines
        .iter()
        .enumerate()
        .skip(h.body_start)
        .find(|(_, l)| fold(l.trim()).starts_with("noi nhan"))
        .map(|(i, _)| i);
    let body_end = [sig_start, recipients_list, Some(main_end)]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(lines.len());
    let body_end = body_end.max(h.body_start);

    if doc.issuer.is_none() {
        doc.issuer = infer_issuer(lines, &h, doc.number.as_deref(), doc.subject.as_deref());
    }
    if doc.issuer.is_none() {
        // A công điện's sender ("THỦ TƯỚNG CHÍNH PHỦ điện:"), or the collective the
        // signer acts for ("TM. CHÍNH PHỦ", "TM. BAN CHẤP HÀNH TRUNG ƯƠNG").
        doc.issuer = h
            .sender
            .clone()
            .or_else(|| sig_start.and_then(|s| collective_of(&lines[s..main_end.max(s)])));
    }

    // Cited documents: every number outside the number line, own number excluded.
    let own = doc.number.clone().unwrap_or_default();
    // A set beside the list: a long document cites thousands of numbers.
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for (i, l) in lines.iter().enumerate() {
        if !crate::budget::go_on() {
            break;
        }
        if Some(i) == h.number_line || !l.contains('/') {
            continue;
        }
        for f in find_numbers(l) {
            if f.text != own && seen.insert(f.text.clone()) {
                doc.cited_documents.push(f.text);
            }
        }
    }

    let body: Vec<(usize, &str)> = (h.body_start..body_end)
        .map(|i| (i, lines[i]))
        .filter(|(_, l)| !is_row(l))
        .collect();
    let mut tasks = body_tasks(&body);
    // A plan, programme or regulation issued with the document ("Kế hoạch … (Ban hành kèm
    // theo Quyết định số …)") after its signature: its tasks are the document's.
    for (kind, s, e) in crate::attach::parts(lines, body_end, appendix) {
        let part: Vec<(usize, &str)> = (s..e)
            .map(|i| (i, lines[i]))
            .filter(|(_, l)| !is_row(l))
            .collect();
        for (line, mut t) in body_tasks(&part) {
            crate::attach::label(&mut t, &kind);
            tasks.push((line, t));
        }
    }
    let table_lines: Vec<(usize, &str)> =
        (h.body_start..lines.len()).map(|i| (i, lines[i])).collect();
    tasks.extend(table_tasks(&table_lines, appendix));
    tasks.extend(crate::flat::tasks(lines, h.body_start));
    tasks.sort_by_key(|(line, _)| *line);
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
    if !doc.recipients.is_empty() && asks {
        for (_, t) in &mut tasks {
            if t.lead.is_empty() {
                t.lead = doc.recipients.clone();
                t.support
                    .retain(|s| !t.lead.iter().any(|l| fold(l) == fold(s)));
            }
        }
    }
    // Deadlines counted from the document's date.
    for (_, t) in &mut tasks {
        if t.deadline.is_none()
            && let Some(d) = crate::deadline::relative_deadline(&t.content, doc.date.as_deref())
        {
            t.deadline = d.date;
            t.deadline_text = d.text;
        }
    }
    // Work listed inline ("(1) … ; (2) …") is one task per number; a task with two
    // deadlines for two parts of its work is two tasks.
    let tasks: Vec<(usize, Task)> = tasks
        .into_iter()
        .flat_map(|(line, t)| {
            split_inline(t)
                .into_iter()
                .flat_map(split_by_deadlines)
                .map(move |t| (line, t))
        })
        .collect();
    // A task is work given to a body (domain guide §3.6): a measure that names none, in a
    // text that gives no body the whole of it, is a statement of policy, not a task.
    doc.tasks = tasks
        .into_iter()
        .map(|(_, t)| t)
        .filter(|t| !t.lead.is_empty())
        .collect();
    doc
}

/// When the header names no issuer: "(Kèm theo Kế hoạch số 574/KH-UBND … của UBND
/// tỉnh Nghệ An)"; the subject's "của Ban Chỉ đạo …" when its initials match the
/// number's issuer group (BCĐ); or the "TM." collective with the place.
fn infer_issuer(
    lines: &[&str],
    h: &crate::header::Header,
    number: Option<&str>,
    subject: Option<&str>,
) -> Option<String> {
    let number = number?;
    let bare = number.split('/').next().unwrap_or("");
    for l in lines {
        let f = fold(l);
        if f.contains("kem theo")
            && l.contains(bare)
            && let Some(i) = l.rfind("của ")
        {
            let name = l[i + "của ".len()..]
                .trim()
                .trim_end_matches([')', '.'])
                .trim();
            if !name.is_empty() && name.chars().count() < 80 {
                return Some(expand_abbrev(name));
            }
        }
    }
    let code = issuer_code(number)?;
    if let Some(s) = subject
        && let Some(i) = s.find("của ")
    {
        let rest = &s[i + "của ".len()..];
        let cut = [" tại ", " về ", " ngày ", " năm "]
            .iter()
            .filter_map(|w| rest.find(w))
            .min()
            .unwrap_or(rest.len());
        let name = rest[..cut].trim();
        let initials: String = name
            .split_whitespace()
            .filter_map(|w| w.chars().next())
            .collect::<String>()
            .to_uppercase();
        if !name.is_empty() && fold(&initials).starts_with(&fold(&code)) {
            return Some(name.to_string());
        }
    }
    let _ = h;
    None
}

/// The body after "TM." in a signature block, when it names itself fully ("TM. CHÍNH
/// PHỦ", "TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI"); a bare "ỦY BAN NHÂN DÂN" or "BAN THƯỜNG VỤ"
/// does not say which, and gives nothing.
fn collective_of(block: &[&str]) -> Option<String> {
    for l in block.iter().take(8) {
        let t = l.trim();
        let Some(rest) = t.strip_prefix("TM.").or_else(|| t.strip_prefix("T/M")) else {
            continue;
        };
        let rest = rest.trim();
        let f = fold(rest);
        if rest.is_empty()
            || [
                "uy ban nhan dan",
                "hoi dong nhan dan",
                "ban thuong vu",
                "ban chi dao",
                "doan",
            ]
            .iter()
            .any(|bare| f == *bare)
        {
            return None;
        }
        return Some(crate::normalize::case_upper(rest));
    }
    None
}

fn expand_abbrev(name: &str) -> String {
    if let Some(rest) = name.strip_prefix("UBND ") {
        return format!("Ủy ban nhân dân {rest}");
    }
    name.to_string()
}

fn ends_with_colon(s: &str) -> bool {
    s.trim_end().ends_with(':')
}

/// Splits "2.7. Ngân hàng Nhà nước Việt Nam: Thực hiện …" into lead and content.
/// The colon of "Các Sở, ngành: Tư pháp, …" is a list colon, not a heading one.
fn inline_heading(text: &str) -> Option<(Vec<String>, String)> {
    let (left, right) = text.split_once(':')?;
    let fl = fold(left.trim());
    let list_colon = [
        "cac so",
        "cac bo",
        "cac so, nganh",
        "cac bo, nganh",
        "cac bo, co quan",
    ]
    .iter()
    .any(|e| fl.ends_with(e));
    if list_colon {
        return None;
    }
    let lead = heading_agencies(left)?;
    Some((lead, right.trim().to_string()))
}

/// Words by which a document asks bodies to act: "… yêu cầu Giám đốc các Sở, … triển
/// khai …", "… đề nghị Cục Thuế các tỉnh … thực hiện …", "Giao Sở Tư pháp …".
const REQUESTS: &[&str] = &["yêu cầu ", "đề nghị ", "giao cho ", "giao ", "chỉ đạo "];

/// The agencies after a request word, up to the work they are asked to do, or up to the
/// colon that opens the list of work ("… yêu cầu các bộ, ngành, địa phương: …").
fn requested_agencies(text: &str) -> Vec<String> {
    let lower = crate::agency::lower_aligned(text);
    let mut best: Option<Vec<String>> = None;
    for w in REQUESTS {
        let mut from = 0;
        while let Some(i) = lower[from..].find(w).map(|i| i + from) {
            from = i + w.len();
            if i > 0 && !lower[..i].ends_with([' ', ',', '(']) {
                continue;
            }
            // "… Quyết định số 41/QĐ-TCT về việc giao …": another document's title.
            if lower[..i].ends_with("việc ") {
                continue;
            }
            let rest = &text[i + w.len()..];
            if !crate::agency::starts_like_agency(rest) {
                continue;
            }
            let stop = crate::agency::first_verb_before(rest, 300)
                .into_iter()
                .chain(rest.find(':').filter(|c| *c <= 300))
                .min();
            let Some(v) = stop.filter(|v| *v > 0) else {
                continue;
            };
            let found = parse_agencies(&rest[..v]);
            if !found.is_empty() {
                best = Some(found);
                break;
            }
        }
        if best.is_some() {
            break;
        }
    }
    best.unwrap_or_default()
}

fn body_tasks(body: &[(usize, &str)]) -> Vec<(usize, Task)> {
    let paras = paragraphs(body);
    let (items, free) = outline(&paras);
    let has_roman = items
        .iter()
        .any(|i| matches!(i.marker, Marker::Roman | Marker::Article));
    let roman_of = |mut i: usize| -> Option<usize> {
        loop {
            if matches!(items[i].marker, Marker::Roman | Marker::Article) {
                return Some(i);
            }
            i = items[i].parent?;
        }
    };
    // Where the list of required work begins (documents without Roman sections).
    let cue_para = paras
        .iter()
        .position(|p| {
            ends_with_colon(&p.text) && CUE_WORDS.iter().any(|c| fold(&p.text).ends_with(c))
        })
        .or_else(|| {
            items
                .iter()
                .find(|it| {
                    it.body.iter().any(|b| {
                        ends_with_colon(b) && CUE_WORDS.iter().any(|c| fold(b).ends_with(c))
                    })
                })
                .map(|it| it.para)
        });
    // Purposes and requirements of a plan are not tasks ("1. Mục tiêu", "I. MỤC
    // ĐÍCH, YÊU CẦU").
    let under_purpose = |idx: usize| -> bool {
        let mut cur = Some(idx);
        while let Some(i) = cur {
            let f = fold(&items[i].text);
            if is_heading(&items[i].text)
                && ["muc tieu", "muc dich", "yeu cau"]
                    .iter()
                    .any(|w| f.starts_with(w))
            {
                return true;
            }
            cur = items[i].parent;
        }
        false
    };
    let in_zone = |idx: usize| -> bool {
        if under_purpose(idx) {
            return false;
        }
        if has_roman {
            return roman_of(idx).is_some_and(|r| {
                // "Điều 1." alone on its line: its first sentence says what it is about.
                let heading = match (items[r].text.trim().is_empty(), items[r].body.first()) {
                    (true, Some(b)) => b.as_str(),
                    _ => items[r].text.as_str(),
                };
                let f = fold(heading);
                TASK_SECTION_WORDS.iter().any(|w| f.contains(w))
                    || !NON_TASK_SECTION_WORDS.iter().any(|w| f.contains(w))
            });
        }
        cue_para.is_none_or(|c| items[idx].para > c)
    };
    // The document-level addressees: "… yêu cầu X triển khai … sau:".
    let first_zone_para = items
        .iter()
        .enumerate()
        .find(|(i, _)| in_zone(*i))
        .map(|(_, it)| it.para);
    let doc_lead: Vec<String> = free
        .iter()
        .filter(|f| first_zone_para.is_none_or(|p| f.para < p))
        .rev()
        .map(|f| {
            let r = requested_agencies(&f.text);
            if r.is_empty() {
                crate::agency::intro_subject(&f.text)
            } else {
                r
            }
        })
        .find(|l| !l.is_empty())
        .unwrap_or_default();

    let mut out: Vec<(usize, Task)> = Vec::new();
    // Lines that describe their item ("- Đơn vị chủ trì: …", "- Thời gian thực hiện: …")
    // are not items of their own.
    let is_attr: Vec<bool> = items
        .iter()
        .map(|it| crate::attrs::is_attribute(&it.text))
        .collect();
    let mut real_children = vec![0usize; items.len()];
    let mut attrs_of: Vec<Vec<&str>> = vec![Vec::new(); items.len()];
    for (idx, it) in items.iter().enumerate() {
        if let Some(p) = it.parent {
            if is_attr[idx] {
                attrs_of[p].push(it.text.as_str());
            } else {
                real_children[p] += 1;
            }
        }
    }
    for (idx, it) in items.iter().enumerate() {
        if !crate::budget::go_on() {
            break;
        }
        if is_attr[idx] || real_children[idx] > 0 || !in_zone(idx) {
            continue;
        }
        let mut given: Vec<&str> = attrs_of[idx].clone();
        given.extend(
            it.body
                .iter()
                .map(String::as_str)
                .filter(|b| crate::attrs::is_attribute(b)),
        );
        let a = crate::attrs::read(&given);
        let (content, own_lead) = if given.is_empty() {
            item_content(it)
        } else {
            // The item's own text is the work; its body lines that are not attributes go
            // with it.
            let mut text = it.text.clone();
            for b in it.body.iter().filter(|b| !crate::attrs::is_attribute(b)) {
                text.push(' ');
                text.push_str(b);
            }
            (non_empty(text), Vec::new())
        };
        let Some(content) = content else { continue };
        let lead = if !a.lead.is_empty() {
            a.lead.clone()
        } else if !own_lead.is_empty() {
            own_lead
        } else {
            inherited_lead(&items, idx).unwrap_or_else(|| doc_lead.clone())
        };
        let mut t = make_task(content, lead, source_of(&items, idx));
        a.apply(&mut t);
        out.push((it.line, t));
    }
    // A closing paragraph that sets a report obligation with a time (seed: 6486
    // "định kỳ trước ngày 18 hàng tháng gửi báo cáo …") is a task too.
    // Each paragraph makes at most one item, so an item's index is its position.
    let last_item_para = items
        .iter()
        .enumerate()
        .filter(|(idx, _)| in_zone(*idx))
        .map(|(_, i)| i.para)
        .max();
    if let Some(last) = last_item_para {
        for f in free.iter().filter(|f| f.para > last) {
            if !crate::budget::go_on() {
                break;
            }
            let rec = find_recurrence(&f.text);
            let dl = find_deadline(&f.text);
            if rec.is_some() || dl.date.is_some() {
                let lead = {
                    let l = requested_agencies(&f.text);
                    if l.is_empty() { doc_lead.clone() } else { l }
                };
                out.push((
                    f.line,
                    make_task(f.text.clone(), lead, "đoạn kết".to_string()),
                ));
            }
        }
    }
    // A letter with no list: each paragraph that gives work to a body ("Thủ tướng Chính
    // phủ giao Bộ Kế hoạch và Đầu tư … nghiên cứu, có giải pháp …") is a task.
    if last_item_para.is_none() {
        for (k, f) in free.iter().enumerate() {
            if !crate::budget::go_on() {
                break;
            }
            let lead = requested_agencies(&f.text);
            if lead.is_empty() || f.text.chars().count() < 40 {
                continue;
            }
            out.push((
                f.line,
                make_task(f.text.clone(), lead, format!("đoạn {}", k + 1)),
            ));
        }
    }
    out
}

/// The content of a leaf item and the lead it names itself, if any.
fn item_content(it: &Item) -> (Option<String>, Vec<String>) {
    let text = it.text.trim();
    if let Some((lead, rest)) = inline_heading(text) {
        let content = if rest.is_empty() {
            it.body.join(" ")
        } else {
            rest
        };
        return (non_empty(content), lead);
    }
    if !it.body.is_empty()
        && is_heading(text)
        && text.chars().count() <= 200
        && !(text.ends_with(':') && text.chars().count() > 120)
    {
        let lead = heading_agencies(text).unwrap_or_default();
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
    let lead = sentence_subject(text);
    let mut content = text.to_string();
    for b in &it.body {
        content.push(' ');
        content.push_str(b);
    }
    (non_empty(content), lead)
}

fn non_empty(s: String) -> Option<String> {
    let s = squash(&s);
    if s.chars().filter(|c| c.is_alphabetic()).count() < 3 {
        None
    } else {
        Some(s)
    }
}

/// The lead given by the nearest ancestor: a heading naming agencies, or an
/// introduction whose subject is an agency ("Các bộ, ngành, địa phương căn cứ …
/// thực hiện một số nhiệm vụ trọng tâm sau đây:").
fn inherited_lead(items: &[Item], idx: usize) -> Option<Vec<String>> {
    let mut cur = items[idx].parent;
    while let Some(p) = cur {
        let it = &items[p];
        if let Some((lead, _)) = inline_heading(&it.text) {
            return Some(lead);
        }
        if let Some(lead) = heading_agencies(&it.text) {
            return Some(lead);
        }
        let subject = sentence_subject(&it.text);
        if !subject.is_empty() && ends_with_colon(&it.text) {
            return Some(subject);
        }
        for b in &it.body {
            let s = sentence_subject(b);
            if !s.is_empty() {
                return Some(s);
            }
            let r = requested_agencies(b);
            if !r.is_empty() {
                return Some(r);
            }
            let r = crate::agency::intro_subject(b);
            if !r.is_empty() {
                return Some(r);
            }
        }
        cur = it.parent;
    }
    None
}

fn make_task(content: String, lead: Vec<String>, source: String) -> Task {
    let mut support = support_agencies(&content);
    support.retain(|s| !lead.iter().any(|l| fold(l) == fold(s)));
    let d = find_deadline(&content);
    let recurrence = find_recurrence(&content);
    Task {
        content,
        lead,
        support,
        deadline: d.date,
        deadline_text: d.text.or_else(|| recurrence_text(&recurrence)),
        recurrence,
        source: Some(source),
    }
}

/// "Khẩn trương xây dựng …: (1) Thanh tra Chính phủ ban hành trước ngày 25/11/2025; (2)
/// Bộ Công an chủ trì …" → one task per numbered part, each with the body it names (or
/// the item's). The numbers must run 1, 2, … in order; the words before "(1)" introduce
/// the list. Appendix rows are left whole.
fn split_inline(t: Task) -> Vec<Task> {
    if t.source
        .as_deref()
        .is_some_and(|s| s.contains("Phụ lục") || s.starts_with("bảng"))
    {
        return vec![t];
    }
    let mut marks: Vec<usize> = Vec::new();
    let mut want = 1;
    let mut from = 0;
    while let Some(i) = t.content[from..]
        .find(&format!("({want})"))
        .map(|i| i + from)
    {
        marks.push(i);
        from = i + 3;
        want += 1;
    }
    if marks.len() < 2 {
        return vec![t];
    }
    let n = marks.len();
    let mut out = Vec::with_capacity(n);
    for (k, &m) in marks.iter().enumerate() {
        let end = marks.get(k + 1).copied().unwrap_or(t.content.len());
        let label = format!("({})", k + 1);
        let text = t.content[m + label.len()..end]
            .trim()
            .trim_end_matches([';', ','])
            .trim()
            .to_string();
        if text.chars().filter(|c| c.is_alphabetic()).count() < 3 {
            continue;
        }
        let own = sentence_subject(&text);
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
fn split_by_deadlines(t: Task) -> Vec<Task> {
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

fn recurrence_text(_r: &Option<String>) -> Option<String> {
    None
}
