//! From a document's lines to the proposed document record and its tasks
//! (domain guide §3.6 "How tasks appear"): whole-document fan-out, headings that
//! name the assignee, inline lead and coordinators, appendix tables, and closing
//! report obligations with a recurrence.

use crate::agency::{heading_agencies, support_agencies};
use crate::deadline::{find_deadline, find_recurrence};
use crate::header::read_header;
use crate::leaf::{item_content, non_empty};
use crate::model::{Document, Task};
use crate::normalize::fold;
use crate::number::{find_numbers, type_of_number};
use crate::prose::requested_agencies;
use crate::signer::find_signer;
use crate::structure::{Marker, is_heading, outline, paragraphs, source_of};
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
    // An emulation plan's contents and criteria ("II. NỘI DUNG ĐỢT THI ĐUA", "III. TIÊU CHÍ
    // THI ĐUA VÀ HÌNH THỨC KHEN THƯỞNG"): what the movement strives for; its work is given
    // under "Tổ chức thực hiện" (Nghệ An 982/KH-UBND 2025; Luật Thi đua, khen thưởng 2022).
    "thi dua",
    "tieu chi",
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
        .find(|(_, l)| {
            // "__Nơi nhận__:" with its Markdown emphasis.
            fold(l.trim().trim_start_matches(['_', '*'])).starts_with("noi nhan")
        })
        .map(|(i, _)| i);
    let body_end = [sig_start, recipients_list, Some(main_end)]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(lines.len());
    let body_end = body_end.max(h.body_start);

    if doc.issuer.is_none() {
        doc.issuer = crate::header_fallback::infer_issuer(
            lines,
            &h,
            doc.number.as_deref(),
            doc.subject.as_deref(),
        );
    }
    if doc.issuer.is_none() {
        // A công điện's sender ("THỦ TƯỚNG CHÍNH PHỦ điện:"), or the collective the
        // signer acts for ("TM. CHÍNH PHỦ", "TM. BAN CHẤP HÀNH TRUNG ƯƠNG").
        doc.issuer = h.sender.clone().or_else(|| {
            sig_start
                .and_then(|s| crate::header_fallback::collective_of(&lines[s..main_end.max(s)]))
        });
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
    let table_lines: Vec<(usize, &str)> =
        (h.body_start..lines.len()).map(|i| (i, lines[i])).collect();
    let mut tabled = table_tasks(&table_lines, appendix);
    tabled.extend(crate::flat::tasks(lines, h.body_start));
    let bodies_elsewhere = tabled.len() >= 3;
    let mut tasks = body_tasks(&body, &doc.recipients, bodies_elsewhere);
    // A plan, programme or regulation issued with the document ("Kế hoạch … (Ban hành kèm
    // theo Quyết định số …)") after its signature: its tasks are the document's.
    for (kind, s, e) in crate::attach::parts(lines, body_end, appendix) {
        let part: Vec<(usize, &str)> = (s..e)
            .map(|i| (i, lines[i]))
            .filter(|(_, l)| !is_row(l))
            .collect();
        for (line, mut t) in body_tasks(&part, &[], bodies_elsewhere) {
            crate::attach::label(&mut t, &kind);
            tasks.push((line, t));
        }
    }
    tasks.extend(tabled);
    tasks.sort_by_key(|(line, _)| *line);
    crate::addressees::give(&doc, &h, lines, body_end, recipients_list, &mut tasks);
    // Deadlines counted from the document's date.
    for (_, t) in &mut tasks {
        if t.deadline.is_none()
            && let Some(d) = crate::deadline::relative_deadline(&t.content, doc.date.as_deref())
        {
            t.deadline = d.date;
            t.deadline_text = d.text;
        }
    }
    let body_paras: Vec<String> = paragraphs(&body).into_iter().map(|p| p.text).collect();
    crate::table::appendix_deadline(&mut tasks, &body_paras);
    // Work listed inline ("(1) … ; (2) …") is one task per number; a task with two
    // deadlines for two parts of its work is two tasks.
    let tasks: Vec<(usize, Task)> = tasks
        .into_iter()
        .flat_map(|(line, t)| {
            crate::split::split_inline(t)
                .into_iter()
                .flat_map(crate::split::split_by_deadlines)
                .map(move |t| (line, t))
        })
        .collect();
    let answers = crate::addressees::answers(&lines[h.body_start.min(body_end)..body_end]);
    // A task is work given to a body (domain guide §3.6): a measure that names none, in a
    // text that gives no body the whole of it, is a statement of policy, not a task.
    doc.tasks = tasks
        .into_iter()
        .map(|(_, t)| t)
        .filter(|t| !t.lead.is_empty() && !crate::notwork::gives_no_work(&t.content))
        .filter(|t| !answers || !crate::addressees::only_addressees(&t.lead, &doc.recipients))
        .collect();
    let names = crate::defined::short_names(&lines[h.body_start.min(body_end)..body_end]);
    crate::defined::expand(&mut doc.tasks, &names);
    doc
}

pub(crate) fn ends_with_colon(s: &str) -> bool {
    s.trim_end().ends_with(':')
}

/// Splits "2.7. Ngân hàng Nhà nước Việt Nam: Thực hiện …" into lead and content.
/// The colon of "Các Sở, ngành: Tư pháp, …" is a list colon, not a heading one.
pub(crate) fn inline_heading(text: &str) -> Option<(Vec<String>, String)> {
    let (left, right) = text.split_once(':')?;
    let fl = fold(left.trim());
    let list_colon = [
        "cac so",
        "cac bo",
        "cac so, nganh",
        "cac bo, nganh",
        "cac bo, co quan",
        // "Ủy ban nhân dân các tỉnh, thành phố: Tuyên Quang, Đồng Nai … quyết liệt …".
        "cac tinh",
        "cac thanh pho",
        "cac tinh, thanh pho",
    ]
    .iter()
    .any(|e| fl.ends_with(e));
    if list_colon {
        return None;
    }
    let lead = heading_agencies(left)?;
    Some((lead, right.trim().to_string()))
}

/// A heading that names a kind of actor in general, as a field of the plan rather than a
/// body given work: "Doanh nghiệp số", "Người dân", "Công dân số" (no "các", no name).
fn topic_heading(text: &str) -> bool {
    let f = fold(text.trim().trim_end_matches(['.', ':']));
    f.split(' ').count() <= 4
        && ["doanh nghiep", "nguoi dan", "cong dan", "ho gia dinh"]
            .iter()
            .any(|w| f.starts_with(w))
}

/// The tasks of a body of text; `addressees` are the letter's "Kính gửi" bodies;
/// `bodies_elsewhere` when an appendix table assigns the work.
fn body_tasks(
    body: &[(usize, &str)],
    addressees: &[String],
    bodies_elsewhere: bool,
) -> Vec<(usize, Task)> {
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
            // "1. Yêu cầu chung:" in a letter without sections asks its addressees; a
            // plan's "Yêu cầu" (under "I. MỤC ĐÍCH, YÊU CẦU") states its requirements.
            let purposes: &[&str] = if has_roman {
                &["muc tieu", "muc dich", "yeu cau"]
            } else {
                &["muc tieu", "muc dich"]
            };
            if is_heading(&items[i].text) && purposes.iter().any(|w| f.starts_with(w)) {
                return true;
            }
            cur = items[i].parent;
        }
        false
    };
    // A letter that gives guidance ("… Bộ Y tế hướng dẫn thực hiện một số nội dung … như
    // sau:"): its points state rules; only a point that asks a body to act is a task.
    let guidance =
        !has_roman && cue_para.is_some_and(|c| crate::prose::gives_guidance(&paras[c].text));
    let asks_in_chain = |idx: usize| -> bool {
        let mut cur = Some(idx);
        while let Some(i) = cur {
            if crate::prose::asks(&items[i].text)
                || items[i].body.iter().any(|b| crate::prose::asks(b))
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
                // "I. ĐÁNH GIÁ CHUNG" that ends "… thành phố Đà Nẵng cần tập trung thực hiện
                // tốt một số nhiệm vụ, giải pháp sau đây:" over its points: work all the same.
                let asks_at_end = items[r].body.last().is_some_and(|b| {
                    let low = crate::agency::lower_aligned(b);
                    ends_with_colon(b)
                        && CUE_WORDS.iter().any(|c| fold(b).ends_with(c))
                        && [" cần ", " phải ", "đề nghị", "yêu cầu"]
                            .iter()
                            .any(|w| low.contains(w))
                });
                TASK_SECTION_WORDS.iter().any(|w| f.contains(w))
                    || !NON_TASK_SECTION_WORDS.iter().any(|w| f.contains(w))
                    || asks_at_end
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
    // The paragraphs before the first point of work: free ones, and those a stray line
    // of the header (a scan's "—; /CT- …" read as a dash) took as its own.
    let mut opening: Vec<(usize, &str)> = free
        .iter()
        .filter(|f| first_zone_para.is_none_or(|p| f.para < p))
        .map(|f| (f.para, f.text.as_str()))
        .collect();
    for (i, it) in items.iter().enumerate() {
        if first_zone_para.is_some_and(|p| it.para < p)
            && !in_zone(i)
            && matches!(it.marker, Marker::Dash)
        {
            opening.extend(it.body.iter().map(|b| (it.para, b.as_str())));
        }
    }
    opening.sort_by_key(|(p, _)| *p);
    // "Ủy ban nhân dân tỉnh Nghệ An triển khai Đợt thi đua … và ban hành Kế hoạch tổ chức
    // thực hiện như sau:": the issuer saying what it issues, not whom it asks.
    opening.retain(|(_, t)| !crate::agency::lower_aligned(t).contains("ban hành kế hoạch"));
    let doc_lead: Vec<String> = opening
        .iter()
        .rev()
        .map(|(_, text)| {
            let r = requested_agencies(text);
            if r.is_empty() {
                crate::agency::intro_subject(text)
            } else {
                r
            }
        })
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    // The letter's request names its addressees short ("… đề nghị các Cục Thuế thực
    // hiện …" to "Kính gửi: Cục Thuế các tỉnh, thành phố trực thuộc Trung ương").
    let doc_lead: Vec<String> = doc_lead
        .into_iter()
        .map(|l| crate::agency::addressee_of(&l, addressees).unwrap_or(l))
        .collect();

    let mut out: Vec<(usize, Task)> = Vec::new();
    // Lines that describe their item ("- Đơn vị chủ trì: …", "- Thời gian thực hiện: …")
    // are not items of their own.
    let mut is_attr: Vec<bool> = items
        .iter()
        .map(|it| crate::attrs::is_attribute(&it.text))
        .collect();
    // A plan set out as a form per item ("a) Nhiệm vụ: …", "b) Cơ quan thực hiện:", "c)
    // Thời gian thực hiện: …"): the labelled work is an attribute of its point when written
    // after the colon; a label over a list hands the point's attributes down (below).
    let label = crate::attrs::form_labels(&items, &is_attr);
    for (i, it) in items.iter().enumerate() {
        if label[i] && it.children == 0 {
            is_attr[i] = true;
        }
    }
    // The fields of a report a point asks for ("(1). Tổng số gói thầu …", "Số hộ dân có nhà
    // bị sập …"): what to report, not work of their own.
    let is_field: Vec<bool> = items
        .iter()
        .map(|it| it.children == 0 && crate::prose::is_report_field(&it.text))
        .collect();
    let mut real_children = vec![0usize; items.len()];
    let mut attrs_of: Vec<Vec<&str>> = vec![Vec::new(); items.len()];
    for (idx, it) in items.iter().enumerate() {
        if let Some(p) = it.parent {
            if is_attr[idx] {
                attrs_of[p].push(it.text.as_str());
            } else if is_field[idx] {
            } else {
                real_children[p] += 1;
            }
        }
    }
    // "b) Cơ quan thực hiện:" over "- Đơn vị chủ trì: …" / "- Đơn vị phối hợp: …": the
    // lines under an attribute describe the point the attribute belongs to (children come
    // after their parents, so deeper ones are lifted first).
    for idx in (0..items.len()).rev() {
        if is_attr[idx]
            && let Some(p) = items[idx].parent
            && !attrs_of[idx].is_empty()
        {
            let lifted = std::mem::take(&mut attrs_of[idx]);
            attrs_of[p].extend(lifted);
        }
    }
    // "a) Nhiệm vụ:" over its dashes: each dash takes the attributes of the point.
    for (idx, it) in items.iter().enumerate() {
        if !attrs_of[idx].is_empty() {
            continue;
        }
        let mut cur = it.parent;
        while let Some(l) = cur {
            if label[l] {
                if let Some(p) = items[l].parent {
                    attrs_of[idx] = attrs_of[p].clone();
                }
                break;
            }
            cur = items[l].parent;
        }
    }
    // Sanctions a letter recalls, and its contact lines: no work (crate::notwork).
    let no_work: Vec<bool> = (0..items.len())
        .map(|i| {
            let mut cur = Some(i);
            while let Some(k) = cur {
                // A heading over a list ("7. Lưu ý quy định xử lý vi phạm hành chính …:").
                if items[k].children > 0
                    && ends_with_colon(&items[k].text)
                    && crate::notwork::is_sanctions_heading(&items[k].text)
                {
                    return true;
                }
                cur = items[k].parent;
            }
            items[i].children == 0 && crate::notwork::is_contact(&items[i].text)
        })
        .collect();
    let points: Vec<bool> = (0..items.len())
        .map(|i| !is_attr[i] && !is_field[i])
        .collect();
    let leaf: Vec<bool> = real_children.iter().map(|c| *c == 0).collect();
    let names_lead = |i: usize| !item_content(&items[i]).1.is_empty();
    // A point of a section that gives no work by its heading ("IV. PHƯƠNG PHÁP, CÁC BƯỚC
    // GIÁM SÁT, ĐÁNH GIÁ", "V. KINH PHÍ") that gives work to a body it names as its subject
    // ("+ Sở Nông nghiệp và Môi trường tổng hợp chung các mẫu biểu …"): work all the same.
    // Not under purposes or requirements, and not an account of what was done ("… đã …").
    let names_its_body_outside = |i: usize| -> bool {
        // Not where the section lists whom the plan concerns ("II. ĐỐI TƯỢNG, PHẠM VI":
        // "- Các tổ chức và cá nhân liên quan."), nor in the articles of a decision.
        let listing = roman_of(i).is_none_or(|r| {
            let f = fold(&items[r].text);
            matches!(items[r].marker, Marker::Article)
                || ["doi tuong", "pham vi", "thanh phan", "thanh vien"]
                    .iter()
                    .any(|w| f.contains(w))
        });
        has_roman
            && !listing
            && real_children[i] == 0
            && !under_purpose(i)
            && !crate::agency::lower_aligned(crate::agency::prefix_bytes(&items[i].text, 300))
                .contains(" đã ")
            && !crate::agency::sentence_subject(&items[i].text).is_empty()
    };
    crate::attrs::share_over_runs(&items, &points, &leaf, &names_lead, &mut attrs_of);
    // What each point gives its sub-points: the lead it names, computed once per point.
    let mut intros: Vec<Option<Vec<String>>> = vec![None; items.len()];
    for f in free.iter().filter(|f| ends_with_colon(&f.text)) {
        if let Some(p) = f.after_item {
            let mut r = requested_agencies(&f.text);
            if r.is_empty() {
                r = crate::agency::intro_subject(&f.text);
            }
            // "1.2. Hỗ trợ khẩn cấp về nhà ở" / "Ủy ban nhân dân các tỉnh, thành phố:" / "a)
            // …": the bodies named alone over the list.
            if r.is_empty() {
                r = heading_agencies(&f.text).unwrap_or_default();
            }
            intros[p] = Some(r);
        }
    }
    // Whether a Roman section is where the plan gives each body its work ("VI. TỔ CHỨC
    // THỰC HIỆN", "Trách nhiệm …", "Phân công …").
    let assigning = |r: usize| {
        let f = fold(&items[r].text);
        ["to chuc thuc hien", "trach nhiem", "phan cong"]
            .iter()
            .any(|w| f.contains(w))
    };
    let plan_assigns = has_roman
        && items
            .iter()
            .enumerate()
            .any(|(i, it)| matches!(it.marker, Marker::Roman) && assigning(i));
    let handed: Vec<Option<(Vec<String>, bool)>> = items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            if it.children == 0 {
                return None;
            }
            // "9. Doanh nghiệp số" among "III. PHÁT TRIỂN NỀN MÓNG KINH TẾ SỐ …" of a plan
            // that gives each body its work under "VI. TỔ CHỨC THỰC HIỆN": a topic, not an
            // addressee (the provinces' plans for the national digital-economy strategy).
            if plan_assigns && roman_of(i).is_some_and(|r| !assigning(r)) && topic_heading(&it.text)
            {
                return None;
            }
            crate::inherit::lead_given_by(it, intros[i].as_ref())
        })
        .collect();
    let (handed, member) = crate::inherit::members_listed(&items, handed);
    for (idx, it) in items.iter().enumerate() {
        if !crate::budget::go_on() {
            break;
        }
        if member[idx] {
            continue;
        }
        // "Căn cứ tình hình thực tế, các cơ quan, đơn vị, địa phương phối hợp thực hiện các
        // hoạt động sau:" over dashes: work for the bodies named, even among a plan's targets.
        // (Not in an emulation plan's contents, "II. NỘI DUNG ĐỢT THI ĐUA", whose lead-in
        // names every body: what the movement strives for.)
        // (Only looked at for a point outside the zones of work.)
        let asked_by_intro = || {
            it.parent.is_some_and(|p| {
                intros[p].as_ref().is_some_and(|r| !r.is_empty())
                    || matches!(&handed[p], Some((l, true)) if !l.is_empty())
                        && items[p].body.last().is_some_and(|b| ends_with_colon(b))
            }) && !roman_of(idx).is_some_and(|r| fold(&items[r].text).contains("thi dua"))
        };
        if is_attr[idx]
            || is_field[idx]
            || no_work[idx]
            || !(in_zone(idx) || names_its_body_outside(idx) || asked_by_intro())
            || (guidance && !asks_in_chain(idx))
        {
            continue;
        }
        if real_children[idx] > 0 {
            if let Some((text, lead)) = crate::prose::parent_work(&it.text) {
                out.push((it.line, make_task(text, lead, source_of(&items, idx))));
            }
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
        } else if let Some(c) = &a.content {
            // "4. Rà soát văn bản quy phạm pháp luật" over "- Nội dung: rà soát các văn bản
            // …": the point names the work, the line tells it; both are kept.
            let head = it.text.trim().trim_end_matches([':', '.']).trim();
            let named = !head.is_empty()
                && head.chars().count() <= 200
                && heading_agencies(head).is_none()
                && !crate::attrs::is_attribute(head);
            let text = if named {
                format!("{head} — {c}")
            } else {
                c.clone()
            };
            (non_empty(text), Vec::new())
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
        // "- Cơ quan thực hiện:" over "+ Sở … chủ trì, phối hợp với …": the line's body does
        // its point's work ("- Nội dung: …").
        let point_work = items[idx]
            .parent
            .filter(|p| is_attr[*p] && crate::attrs::only_roles(&it.text))
            .and_then(|p| items[p].parent)
            .and_then(|gp| crate::attrs::read(&attrs_of[gp]).content);
        let roles_line = point_work.is_some();
        let content = point_work.or(content);
        let Some(content) = content else { continue };
        let inherits = a.lead.is_empty() && own_lead.is_empty();
        let (lead, from_intro) = if !a.lead.is_empty() {
            (a.lead.clone(), false)
        } else if !own_lead.is_empty() {
            (own_lead, false)
        } else {
            crate::inherit::inherited_lead(&items, &handed, idx)
                .unwrap_or_else(|| (doc_lead.clone(), true))
        };
        // A plan whose appendix table gives each task its body: the measures of its body
        // that name none are not tasks (corpus README, "Not tasks").
        if bodies_elsewhere && from_intro {
            continue;
        }
        // Paragraphs under a heading that give work to several bodies: one task each; so
        // too an answer after its matter that gives work to several ("4. Về …: … Tập
        // đoàn … chủ động làm việc …. Để …, Ủy ban nhân dân tỉnh … phối hợp …").
        let answer: Vec<String> = crate::leaf::inline_answer(&it.text)
            .map(|a| vec![a.to_string()])
            .unwrap_or_default();
        let paragraphs = if answer.is_empty() { &it.body } else { &answer };
        if given.is_empty()
            && (is_heading(&it.text) || !answer.is_empty())
            && let Some(parts) = crate::prose::heading_body_parts(paragraphs)
        {
            for (text, bodies) in parts {
                let lead = if bodies.is_empty() {
                    lead.clone()
                } else {
                    bodies
                };
                out.push((it.line, make_task(text, lead, source_of(&items, idx))));
            }
            continue;
        }
        let mut t = make_task(content, lead, source_of(&items, idx));
        if roles_line {
            t.support = support_agencies(&it.text);
            t.support
                .retain(|s| !t.lead.iter().any(|l| fold(l) == fold(s)));
        }
        a.apply(&mut t);
        if inherits && t.support.is_empty() {
            t.support = crate::inherit::inherited_support(&items, idx, &t.lead);
        }
        if t.deadline.is_none() && t.recurrence.is_none() {
            crate::inherit::heading_deadline(&items, idx, &mut t);
        }
        out.push((it.line, t));
    }
    // A closing paragraph that sets a report obligation with a time (seed: 6486
    // "định kỳ trước ngày 18 hàng tháng gửi báo cáo …") is a task too.
    // Each paragraph makes at most one item, so an item's index is its position.
    let last_item_para = items
        .iter()
        .enumerate()
        .filter(|(idx, _)| in_zone(*idx) && !no_work[*idx])
        .map(|(_, i)| i.para)
        .max();
    if let Some(last) = last_item_para {
        for f in &free {
            if !crate::budget::go_on() {
                break;
            }
            // A paragraph between points that gives work to a body ("Giao Bộ Chính trị
            // …"); after the last point, only one with a time (below): a closing "… yêu
            // cầu các cơ quan nghiêm túc triển khai thực hiện" gives no work of its own.
            if let Some(i) = f.after_item.filter(|i| in_zone(*i) && f.para < last) {
                let found = crate::prose::paragraph_tasks(&f.text, &source_of(&items, i));
                if !found.is_empty() {
                    out.extend(found.into_iter().map(|t| (f.line, t)));
                    continue;
                }
            }
            if f.para <= last {
                continue;
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
            let mut lead = requested_agencies(&f.text);
            // "… Phó Thủ tướng Chính phủ có ý kiến như sau:" / "Bộ Khoa học và Công nghệ chủ
            // trì, phối hợp với … rà soát, …; báo cáo Thủ tướng Chính phủ trong quý I năm
            // 2026.": after the opinion's cue, a paragraph whose subject is given work.
            if lead.is_empty() && cue_para.is_some_and(|c| f.para > c) {
                lead = crate::prose::work_bodies(&f.text);
            }
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

pub(crate) fn make_task(content: String, lead: Vec<String>, source: String) -> Task {
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

fn recurrence_text(_r: &Option<String>) -> Option<String> {
    None
}
