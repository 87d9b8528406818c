//! Work given in prose: the sentences of a conclusion notice or a resolution that give
//! work to a named body inside a numbered paragraph ("Giao Bộ Chính trị chỉ đạo …",
//! "Bộ Tài chính chủ trì, phối hợp …", "Đề nghị các địa phương …"), often several to a
//! paragraph (domain guide §3.6: a task is work given to an identifiable body).

use crate::agency::{first_verb_before, lower_aligned, sentence_subject, starts_like_agency};
use crate::model::Task;
use crate::normalize::{capitalize_first, fold};

/// Words by which a document asks bodies to act: "… yêu cầu Giám đốc các Sở, … triển
/// khai …", "… đề nghị Cục Thuế các tỉnh … thực hiện …", "Giao Sở Tư pháp …".
const REQUESTS: &[&str] = &[
    "yêu cầu ",
    "đề nghị ",
    "giao cho ",
    "giao ",
    "chỉ đạo ",
    // "đề nghị" as scans misread it ("Tổng cục Thuế dé nghị các Cục Thuế …", "Để nghị Cục
    // trưởng …"): no other phrase is written so.
    "để nghị ",
    "dé nghị ",
    "đê nghị ",
];

/// The agencies after a request word, up to the work they are asked to do, or up to the
/// colon that opens the list of work ("… yêu cầu các bộ, ngành, địa phương: …").
pub(crate) fn requested_agencies(text: &str) -> Vec<String> {
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
            let mut rest = &text[i + w.len()..];
            // "… yêu cầu (các) đồng chí Cục trưởng Cục Thuế …": the head's courtesy title.
            for courtesy in ["các đồng chí ", "đồng chí "] {
                if let Some(r) = rest.strip_prefix(courtesy) {
                    rest = r;
                }
            }
            if !starts_like_agency(rest) && !starts_like_agency(&capitalize_first(rest)) {
                continue;
            }
            // "… yêu cầu các Bộ trưởng, …, Chủ tịch … (sau đây gọi tắt là các bộ, cơ quan
            // trung ương và địa phương) …": the name the text gives them.
            // (Not when more bodies follow the bracket: "… các Bộ, … (sau đây gọi là Bộ, cơ
            // quan trung ương) và Ủy ban nhân dân các tỉnh …" names the Bộ only.)
            let window = crate::agency::prefix_bytes(rest, 900);
            let more_after = window
                .find("(sau đây ")
                .and_then(|o| window[o..].find(')').map(|c| &window[o + c + 1..]))
                .is_some_and(|after| {
                    let a = after.trim_start().trim_start_matches(',').trim_start();
                    a.strip_prefix("và ").is_some_and(starts_like_agency) || starts_like_agency(a)
                });
            if !more_after && let Some(short) = shorthand(window) {
                best = Some(vec![short]);
                break;
            }
            let stop = name_end(rest)
                .into_iter()
                .chain(rest.find(':').filter(|c| *c <= 300))
                .min();
            let Some(v) = stop.filter(|v| *v > 0) else {
                continue;
            };
            let found = crate::agency::parse_agencies(&rest[..v]);
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

/// The bodies a speaker asks to act at the start of a sentence, no verb before the request
/// ("Bộ Y tế đề nghị BHXH Việt Nam chỉ đạo …" → BHXH Việt Nam; "Thủ tướng Chính phủ giao
/// Bộ X …" → Bộ X).
pub(crate) fn speaker_request(t: &str) -> Vec<String> {
    let low = lower_aligned(crate::agency::prefix_bytes(t, 160));
    if !t.starts_with(|c: char| c.is_uppercase()) {
        return Vec::new();
    }
    for w in ["yêu cầu ", "đề nghị ", "giao ", "phân công "] {
        if let Some(i) = low.find(&format!(" {w}")).map(|i| i + 1)
            && i <= 120
            && first_verb_before(t, i).is_none()
            && !low[..i].contains(',')
        {
            let found = requested_at_start(&t[i..], w.len());
            if !found.is_empty() {
                return found;
            }
        }
    }
    Vec::new()
}

/// Where the bodies asked to act end in `rest`: at their verb, but "các đơn vị được giao
/// nhiệm vụ Chủ đầu tư, Bên mời thầu, căn cứ …" names the units by the work given them,
/// so a passive "được giao" / "được phân công" after a unit's noun goes on to the next
/// verb, or to the colon that opens the list.
fn name_end(rest: &str) -> Option<usize> {
    let v = first_verb_before(rest, 300)?;
    let Some(passive) = ["được giao", "được phân công"]
        .iter()
        .find(|p| rest[v..].starts_with(*p))
    else {
        return Some(v);
    };
    let before = crate::normalize::fold(&rest[..v]);
    if !["don vi ", "co quan ", "to chuc "]
        .iter()
        .any(|n| before.ends_with(n))
    {
        return Some(v);
    }
    let from = v + passive.len();
    let colon = rest[from..]
        .find(':')
        .map(|c| c + from)
        .filter(|c| *c <= 300);
    let next = first_verb_before(&rest[from..], 300).map(|n| n + from);
    match (colon, next) {
        (Some(c), _) => Some(c),
        (None, Some(n)) if n > from => Some(n),
        _ => Some(v),
    }
}

/// Words that open a sentence giving work: "Giao Bộ Chính trị …", "Đề nghị các địa
/// phương …", "Yêu cầu Bộ Y tế …", "Phân công Phó Thủ tướng …".
const OPENERS: &[&str] = &[
    "giao cho ",
    "giao ",
    "đề nghị ",
    "yêu cầu ",
    "phân công ",
    // Scans' "đề nghị" (see REQUESTS).
    "để nghị ",
    "dé nghị ",
    "đê nghị ",
];

/// Words between a body and its verb that make the sentence a report (what was or is
/// being done, what the writer will do), a notice or an appeal, not work given:
/// "Bộ Tài chính đã …", "Tổng cục Thuế sẽ …", "Văn phòng Chính phủ thông báo …",
/// "Ban Chấp hành Trung ương kêu gọi …".
const NOT_WORK: &[&str] = &[
    " đã ",
    " đang ",
    " sẽ ",
    " được ",
    " bị ",
    " thông báo",
    " kêu gọi",
    " là ",
    " có ",
    " nhận thấy",
    " ghi nhận",
    " đánh giá cao",
    " hoan nghênh",
    " biểu dương",
    " cho rằng",
];

/// The bodies after the request word that opens `t` ("Giao Bộ Chính trị căn cứ …" →
/// Bộ Chính trị), up to their verb or a colon.
fn requested_at_start(t: &str, word_len: usize) -> Vec<String> {
    let mut rest = &t[word_len..];
    for courtesy in ["các đồng chí ", "đồng chí "] {
        if let Some(r) = rest.strip_prefix(courtesy) {
            rest = r;
        }
    }
    // "Giao ban thường vụ các tỉnh uỷ …": a name written in lower case after "Giao".
    if !starts_like_agency(rest)
        && !rest.starts_with(|c: char| c.is_uppercase())
        && !starts_like_agency(&capitalize_first(rest))
    {
        return Vec::new();
    }
    let stop = name_end(rest)
        .into_iter()
        .chain(rest.find(':').filter(|c| *c <= 300))
        .min();
    let Some(v) = stop.filter(|v| *v > 0) else {
        return Vec::new();
    };
    // "Giao Vụ DNNCN là đơn vị đầu mối …": the name ends at the copula.
    let v = rest[..v].find(" là ").unwrap_or(v);
    // "Giao Bộ Chính trị chỉ đạo Đảng ủy Quốc hội lãnh đạo …": the body directed does the
    // work.
    if let Some(directed) = rest[v..].strip_prefix("chỉ đạo ")
        && starts_like_agency(directed)
    {
        let stop = first_verb_before(directed, 300)
            .into_iter()
            .chain(directed.find(':').filter(|c| *c <= 300))
            .min();
        if let Some(w) = stop.filter(|w| *w > 0) {
            let found = crate::agency::parse_agencies(&directed[..w]);
            if !found.is_empty() {
                return found;
            }
        }
    }
    crate::agency::parse_agencies(&rest[..v])
}

/// The bodies a sentence gives work to, or none: a request that opens it ("Giao X …",
/// "Đề nghị X …"), a request by the body that speaks ("Ban Chấp hành Trung ương Đảng yêu
/// cầu X …", "Thủ tướng Chính phủ giao X …"), or a body as its subject before a verb of
/// work ("Bộ Tài chính chủ trì …", "Bộ Nông nghiệp … khẩn trương …").
pub(crate) fn work_bodies(sentence: &str) -> Vec<String> {
    let t = sentence.trim_start_matches(|c: char| {
        matches!(c, '-' | '+' | '.' | '*' | '•') || c.is_whitespace()
    });
    let head = crate::agency::prefix_bytes(t, 160);
    let low = lower_aligned(head);
    if let Some(w) = OPENERS.iter().find(|w| low.starts_with(*w)) {
        return requested_at_start(t, w.len());
    }
    // "Chỉ đạo Đảng uỷ Bộ Y tế chủ trì …": the body directed to chủ trì leads the work.
    if low.starts_with("chỉ đạo ") {
        let rest = &t["chỉ đạo ".len()..];
        let leads = first_verb_before(rest, 300).is_some_and(|v| rest[v..].starts_with("chủ trì"));
        return if leads {
            requested_at_start(t, "chỉ đạo ".len())
        } else {
            Vec::new()
        };
    }
    if !t.starts_with(|c: char| c.is_uppercase()) {
        return Vec::new();
    }
    let found = speaker_request(t);
    if !found.is_empty() {
        return found;
    }
    if !crate::agency::starts_like_body(t) {
        return Vec::new();
    }
    let Some(v) = first_verb_before(t, 300).filter(|v| *v > 0) else {
        return Vec::new();
    };
    let before = format!(" {} ", &low[..v.min(low.len())]);
    // "Các sở, ngành … được phân công chủ trì thực hiện nhiệm vụ … có trách nhiệm xây
    // dựng …": the passive says which of them; the work is the duty after it.
    if let Some(named) = crate::agency::passive_named(t, v) {
        return named;
    }
    if NOT_WORK.iter().any(|w| before.contains(w)) {
        return Vec::new();
    }
    sentence_subject(t)
}

/// Byte positions where a new sentence or clause starts: after ". " or "; " before a
/// capital letter.
/// A ";" inside a sentence whose colon opens a list ("… theo hướng: Bộ A chủ trì …; Bộ B
/// chủ trì …") separates the list's entries, not pieces of work.
fn clause_starts(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut colon = false;
    for (i, c) in text.char_indices() {
        if c == ':' {
            colon = true;
        }
        if c == ';' && colon {
            continue;
        }
        if (c == '.' || c == ';') && b.get(i + 1) == Some(&b' ') {
            if c == '.' {
                colon = false;
            }
            let next = &text[i + 2..];
            // "…" and "..." end no sentence.
            if c == '.' && i > 0 && b[i - 1] == b'.' {
                continue;
            }
            if next.starts_with(|c: char| c.is_uppercase()) {
                out.push(i + 2);
            }
        }
    }
    out
}

/// The parts of a paragraph that give work to different bodies: a part starts at a
/// sentence or clause that gives work to bodies other than the part before ("Bộ Nông
/// nghiệp … khẩn trương có văn bản …. Bộ Tài chính, Bộ Nông nghiệp … thống nhất …"); the
/// sentences after it that name no body of their own belong to it. The first part's
/// bodies are empty when its first sentence gives work to none.
pub(crate) fn work_parts(text: &str) -> Vec<(String, Vec<String>)> {
    let mut parts: Vec<(String, Vec<String>)> = Vec::new();
    let mut starts = vec![0];
    starts.extend(clause_starts(text));
    starts.push(text.len());
    let key = |l: &[String]| crate::score::bodies(l);
    for w in starts.windows(2) {
        let piece = &text[w[0]..w[1]];
        // "Để xác định vị trí cụ thể của dự án, Ủy ban nhân dân tỉnh … phối hợp …": the
        // body after a purpose.
        let mut bodies = work_bodies(piece);
        let purpose = {
            let f = crate::normalize::fold(crate::agency::prefix_bytes(piece.trim(), 16));
            f.starts_with("de ")
        };
        // (Not the sentence that opens a list: "Để hoàn thành nhiệm vụ nêu trên, Tổng cục
        // Thuế yêu cầu Cục Thuế … thực hiện:".)
        if bodies.is_empty() && purpose && !piece.trim_end().ends_with(':') {
            bodies = framed_subject(piece.trim());
        }
        let new_part = parts.is_empty()
            || (!bodies.is_empty() && parts.last().is_none_or(|(_, b)| key(b) != key(&bodies)));
        if new_part {
            parts.push((piece.trim().to_string(), bodies));
        } else if let Some(last) = parts.last_mut() {
            last.0.push(' ');
            last.0.push_str(piece.trim());
        }
    }
    parts
}

/// Whether a part carries work of substance, not a bare closing formula ("… nghiêm túc
/// triển khai thực hiện./.").
pub(crate) fn substantial(text: &str) -> bool {
    text.chars().filter(|c| c.is_alphabetic()).take(60).count() >= 60
}

/// The tasks of a paragraph outside the outline's items (a conclusion's "Giao Bộ Chính
/// trị …" after a numbered point): one per part that gives work to a body.
pub(crate) fn paragraph_tasks(text: &str, source: &str) -> Vec<Task> {
    work_parts(text)
        .into_iter()
        .filter(|(t, b)| {
            !b.is_empty() && (substantial(t) || crate::deadline::find_deadline(t).date.is_some())
        })
        .map(|(t, b)| crate::tasks::make_task(t, b, source.to_string()))
        .collect()
}

/// The paragraphs under a heading ("- Về rà soát phân công nhiệm vụ …:") split into the
/// work of each body when they give work to two bodies or more, each in its own
/// sentence: (content, bodies) with bodies empty where the heading's lead holds. None
/// when the paragraphs are one piece of work.
pub(crate) fn heading_body_parts(body: &[String]) -> Option<Vec<(String, Vec<String>)>> {
    let mut parts: Vec<(String, Vec<String>)> = Vec::new();
    for p in body {
        for (k, (text, bodies)) in work_parts(p).into_iter().enumerate() {
            match parts.last_mut() {
                // A paragraph that names no body goes on with the work before it.
                Some(last) if k == 0 && bodies.is_empty() => {
                    last.0.push(' ');
                    last.0.push_str(&text);
                }
                _ => parts.push((text, bodies)),
            }
        }
    }
    // "Đề nghị Ủy ban nhân dân tỉnh và các tổ chức đảng nghiêm túc triển khai thực hiện.":
    // the letter's closing, run into the last point, gives no work of its own.
    parts.retain(|(text, _)| !closing_formula(text));
    let with_bodies = parts.iter().filter(|(_, b)| !b.is_empty()).count();
    (with_bodies >= 2).then_some(parts)
}

/// A short request to carry out what was said ("Đề nghị … nghiêm túc triển khai thực
/// hiện.", "Yêu cầu … thực hiện nghiêm túc./.").
pub(crate) fn closing_formula(text: &str) -> bool {
    let f = fold(text.trim());
    let f = f.trim_end_matches(['.', '/', ' ']);
    f.len() < 160
        && (f.starts_with("de nghi ") || f.starts_with("yeu cau "))
        && ["trien khai thuc hien", "thuc hien nghiem tuc", "thuc hien"]
            .iter()
            .any(|e| f.ends_with(e))
}

/// The work a point gives in its own words before its sub-points ("(1) Bộ Y tế chỉ đạo …
/// hoàn thành … trước ngày 30 tháng 11 năm 2025." then "- Chỉ đạo …"; "2. Bộ Tài chính
/// thực hiện nghiêm … trước ngày 20/10/2024. Trong đó chú ý một số nội dung sau:"): the
/// text without a last sentence that introduces the sub-points, when it gives work to a
/// body. None for a point that only introduces its list ("1. Các sở thực hiện: …").
pub(crate) fn parent_work(text: &str) -> Option<(String, Vec<String>)> {
    let t = text.trim();
    let own = if t.ends_with(':') {
        let last = clause_starts(t)
            .into_iter()
            .filter(|i| t.as_bytes()[i - 2] == b'.')
            .max()?;
        t[..last].trim()
    } else if t.ends_with(['.', ';']) {
        t
    } else {
        // A heading ("1.3. Các cơ quan tham mưu quản lý ngành, lĩnh vực (gồm …)").
        return None;
    };
    if !substantial(own) {
        return None;
    }
    let bodies = work_bodies(own);
    (!bodies.is_empty()).then(|| (own.to_string(), bodies))
}

/// Connectives that open the sentence of a request after the facts that call for it ("…
/// Bộ Nội vụ đã hướng dẫn …. Vì vậy, đề nghị Ủy ban nhân dân các tỉnh …"), folded.
const THEREFORE: &[&str] = &[
    "vi vay, ",
    "do do, ",
    "vi the, ",
    "theo do, ",
    "vi vay ",
    "do do ",
];

/// The bodies asked by a later sentence of a point that opens with facts: "2. Về mức chi
/// phí quản lý …: Trên cơ sở ý kiến của Bộ Tài chính …, Bộ Nội vụ đã hướng dẫn …. Vì vậy,
/// đề nghị Ủy ban nhân dân các tỉnh … trình Hội đồng nhân dân …" (a letter's point whose
/// work is in its last sentence).
pub(crate) fn later_request(text: &str) -> Vec<String> {
    for (i, _) in text.match_indices(". ") {
        let sentence = &text[i + 2..];
        let f = crate::normalize::fold(crate::agency::prefix_bytes(sentence, 40));
        let skip = THEREFORE
            .iter()
            .find(|c| f.starts_with(*c))
            .map_or(0, |c| c.len());
        // Folding keeps the letters' count, not their bytes: step over the connective by
        // characters.
        let at = sentence
            .char_indices()
            .nth(skip)
            .map_or(sentence.len(), |(b, _)| b);
        let ask = crate::normalize::fold(crate::agency::prefix_bytes(&sentence[at..], 24));
        if ask.starts_with("de nghi ") || ask.starts_with("yeu cau ") {
            let found = requested_agencies(&sentence[at..]);
            if !found.is_empty() {
                return found;
            }
        }
    }
    Vec::new()
}

/// Words of a request in a sentence ("… đề nghị …", "… yêu cầu …").
const ASKING: &[&str] = &[
    "đề nghị ",
    "yêu cầu ",
    "giao ",
    "phân công ",
    "để nghị ",
    "dé nghị ",
    "đê nghị ",
];

/// Whether a text asks a body to act ("Đề nghị Thủ trưởng các đơn vị …", "Bộ Y tế đề
/// nghị BHXH Việt Nam …").
pub(crate) fn asks(text: &str) -> bool {
    let low = lower_aligned(text);
    ASKING
        .iter()
        .any(|w| low.starts_with(w) || low.contains(&format!(" {w}")))
}

/// Whether the sentence that opens a letter's list gives guidance rather than work ("…,
/// Bộ Y tế hướng dẫn thực hiện một số nội dung … như sau:").
pub(crate) fn gives_guidance(intro: &str) -> bool {
    let low = lower_aligned(intro);
    low.contains(" hướng dẫn ") && !asks(intro)
}

/// Words that open a framing clause before the subject ("Trên cơ sở nội dung Kế hoạch,
/// các sở, ban, ngành … căn cứ …", "Căn cứ …, Sở Y tế …", "Đối với các chi phí …, giao
/// Bảo hiểm xã hội Việt Nam tổ chức …").
/// A time ("Trong năm 2022, các bộ, ngành …", "Hàng năm, các địa phương lập …") or a
/// purpose ("Để …, các Sở …") frames it the same way.
const FRAMES: &[&str] = &[
    "tren co so ",
    "can cu ",
    "doi voi ",
    "trong nam ",
    "trong thoi gian ",
    "hang nam,",
    "hang nam ",
    "thoi gian toi",
    "de ",
    "nham ",
    "sau khi ",
];

/// The bodies a sentence gives work to after a framing clause: the first clause after a
/// comma whose subject is a body.
pub(crate) fn framed_subject(text: &str) -> Vec<String> {
    framed_subject_within(text, 300)
}

/// [`framed_subject`] with the subject's clause starting within `limit` bytes: a list's
/// opening sentence may frame it with a long purpose ("Để tiếp tục tháo gỡ các khó khăn
/// … của cả nước, tỉnh Đắk Lắk cần …:").
pub(crate) fn framed_subject_within(text: &str, limit: usize) -> Vec<String> {
    let t = text.trim();
    let head = crate::normalize::fold(crate::agency::prefix_bytes(t, 16));
    if !FRAMES.iter().any(|f| head.starts_with(f)) {
        return Vec::new();
    }
    let near = crate::agency::prefix_bytes(t, limit);
    for (i, _) in near.match_indices(", ") {
        let rest = &t[i + 2..];
        let low = lower_aligned(crate::agency::prefix_bytes(rest, 16));
        let asked = OPENERS.iter().any(|w| low.starts_with(w));
        // "Để …, tỉnh Đắk Lắk cần tiếp tục thực hiện …": the province named in lower case.
        let place = (rest.starts_with("tỉnh ") || rest.starts_with("thành phố "))
            && crate::agency::starts_like_agency(&capitalize_first(rest));
        if !asked && !place && !crate::agency::starts_like_body(rest) {
            continue;
        }
        let found = work_bodies(&capitalize_first(rest));
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

/// Whether a point names a figure to report rather than work ("Tổng số gói thầu …", "Tổng
/// giá trị …", "Tỷ lệ tiết kiệm …", "Số hộ dân có nhà bị sập …").
pub(crate) fn is_report_field(text: &str) -> bool {
    let t = text.trim_start_matches(|c: char| !c.is_alphanumeric());
    let f = crate::normalize::fold(crate::agency::prefix_bytes(t, 24));
    [
        "tong so ",
        "tong gia tri ",
        "tong kinh phi ",
        "ty le ",
        "so luong ",
    ]
    .iter()
    .any(|w| f.starts_with(w))
        // "Số hộ dân …", not "Sở …" (folded alike) nor the verb "Số hóa".
        || (t.starts_with("Số ") && !f.starts_with("so hoa"))
}

/// "(sau đây gọi tắt là các bộ, cơ quan trung ương và địa phương)", "(Sau đây gọi chung là
/// các đơn vị)", "(Sau đây viết tắt là BHXH các tỉnh)": the name a text gives the bodies
/// it lists, used for them from then on.
pub(crate) fn shorthand(text: &str) -> Option<String> {
    let low = lower_aligned(text);
    let open = low.find("(sau đây ")?;
    let after = &text[open..];
    let close = after.find(')')?;
    let inner = &after[..close];
    let is = inner.find(" là ")?;
    let name = inner[is + " là ".len()..].trim();
    (!name.is_empty() && name.chars().count() <= 80).then(|| capitalize_first(name))
}

/// A body given the lead further on in a point ("Đối với nội dung phối hợp tại điểm 2 …:
/// “…” - giao Cục CNTT chủ trì, phối hợp với …"): "giao" with a body that chủ trì.
pub(crate) fn assigned_further_on(text: &str) -> Vec<String> {
    let low = lower_aligned(text);
    for (i, _) in low.match_indices(" giao ") {
        // "Luật … và Nghị định số 06/2022/NĐ-CP … giao Bộ Tài chính chủ trì …": work another
        // document gave, told in the same sentence.
        let from = low[..i]
            .rfind(". ")
            .or_else(|| low[..i].rfind("” "))
            .unwrap_or(0);
        let sentence = &low[from..i];
        if [
            "luật ",
            "nghị định",
            "quyết định",
            "thông tư",
            "nghị quyết",
            "chỉ thị",
        ]
        .iter()
        .any(|d| sentence.contains(d))
        {
            continue;
        }
        let rest = &text[i + 1..];
        let after = &rest["giao ".len()..];
        let Some(v) = first_verb_before(after, 200) else {
            continue;
        };
        if after[v..].starts_with("chủ trì") {
            let found = requested_at_start(rest, "giao ".len());
            if !found.is_empty() {
                return found;
            }
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_that_give_work() {
        assert_eq!(
            work_bodies("Giao Bộ Chính trị căn cứ ý kiến thảo luận của Trung ương để chỉ đạo."),
            ["Bộ Chính trị"]
        );
        assert_eq!(
            work_bodies("Giao Bộ Chính trị chỉ đạo Đảng ủy Quốc hội lãnh đạo, chỉ đạo Quốc hội."),
            ["Đảng ủy Quốc hội"]
        );
        assert_eq!(
            work_bodies("Bộ Tài chính chủ trì, phối hợp với Bộ Tư pháp rà soát toàn diện Dự thảo."),
            ["Bộ Tài chính"]
        );
        assert!(work_bodies("Bộ Tài chính đã nghiêm túc thực hiện ý kiến chỉ đạo.").is_empty());
        assert!(work_bodies("Tổng cục Thuế sẽ định kỳ tổng hợp, rà soát các Cục Thuế.").is_empty());
        assert_eq!(
            speaker_request("Bộ Y tế đề nghị BHXH Việt Nam chỉ đạo, hướng dẫn BHXH các tỉnh."),
            ["BHXH Việt Nam"]
        );
    }

    #[test]
    fn units_named_by_the_work_given_them() {
        let r = requested_agencies(
            "Đề nghị UBND các xã, phường, các đơn vị được giao làm Bên mời thầu dự án lựa \
             chọn nhà đầu tư:",
        );
        assert_eq!(r.len(), 2, "{r:?}");
        assert!(r[1].contains("được giao làm Bên mời thầu"), "{r:?}");
        assert_eq!(
            work_bodies("Giao Bộ Tài chính được giao chủ trì thực hiện."),
            ["Bộ Tài chính"]
        );
    }

    #[test]
    fn a_paragraph_split_by_body() {
        let p = "Bộ Nông nghiệp và Phát triển nông thôn khẩn trương có văn bản gửi Bộ Tài chính \
                 những nội dung liên quan. Bộ Tài chính, Bộ Nông nghiệp và Phát triển nông thôn \
                 thống nhất về nội dung này tại dự thảo Đề án trước khi trình.";
        let parts = work_parts(p);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[1].1.len(), 2);
    }

    #[test]
    fn a_point_with_work_before_its_list() {
        let t = "Bộ Tài chính thực hiện nghiêm các ý kiến chỉ đạo, hoàn thiện dự thảo Đề án trước \
                 ngày 20 tháng 10 năm 2024. Trong đó chú ý một số nội dung sau:";
        let (text, lead) = parent_work(t).expect("work");
        assert!(text.ends_with("2024."));
        assert_eq!(lead, ["Bộ Tài chính"]);
        assert_eq!(
            parent_work("Các sở, ngành thực hiện các nhiệm vụ sau:"),
            None
        );
    }

    #[test]
    fn a_closing_formula_gives_no_work() {
        assert!(closing_formula(
            "Đề nghị Ủy ban nhân dân tỉnh và các tổ chức đảng nghiêm túc triển khai thực hiện."
        ));
        assert!(
            !closing_formula("Đề nghị Sở Tài chính bố trí kinh phí để triển khai thực hiện.")
                || closing_formula("Đề nghị Sở Tài chính thực hiện.")
        );
        assert!(!closing_formula(
            "Giao Ban xây dựng đảng Đảng ủy chủ trì, hướng dẫn các cấp ủy đẩy mạnh thông tin."
        ));
    }

    #[test]
    fn shorthand_and_fields() {
        assert_eq!(
            shorthand("(Sau đây gọi chung là các đơn vị) Thực hiện …").as_deref(),
            Some("Các đơn vị")
        );
        assert!(is_report_field(". Tổng số gói thầu theo kế hoạch"));
        assert!(is_report_field("Số hộ dân có nhà bị sập"));
        assert!(!is_report_field("Sở Xây dựng hướng dẫn"));
        assert!(!is_report_field("Số hóa hồ sơ"));
    }
}
