//! Bodies named as the subject of a sentence, a heading, a list's opening sentence, or
//! after "phối hợp".

use super::verbs::{first_verb_before, lower_aligned, prefix_bytes};
use super::{parse_agencies, starts_like_agency};
use crate::normalize::{capitalize_first, fold};

/// The agencies a sentence starts with, if it starts with one ("Sở Nội vụ (cơ quan
/// Thường trực …) tham mưu …" → Sở Nội vụ). "Yêu cầu X …" is read as X.
pub fn sentence_subject(text: &str) -> Vec<String> {
    let t = text.trim();
    let t = t
        .strip_prefix("Yêu cầu ")
        .or_else(|| t.strip_prefix("Yêu cầu, "))
        .or_else(|| t.strip_prefix("Đồng chí "))
        .or_else(|| t.strip_prefix("Các đồng chí "))
        .unwrap_or(t);
    // "Các chi phí khám bệnh … được thanh toán …": "các" before a noun that names no body.
    if !starts_like_body(t) {
        return Vec::new();
    }
    let Some(v) = verb_outside_brackets(t, 300) else {
        return Vec::new();
    };
    if v == 0 || v > 300 {
        return Vec::new();
    }
    let subject = &t[..v];
    if let Some(named) = passive_named(t, v) {
        return named;
    }
    // "Các Cục Thuế khi tiến hành thanh tra … cần …": the clause of time is not the name.
    let subject = subject.split(" khi ").next().unwrap_or(subject);
    // "Cấp uỷ, chính quyền địa phương các cấp, nhất là thành phố Hà Nội …": the bodies
    // singled out belong to those named before.
    let subject = [", nhất là ", ", đặc biệt là ", ", trước hết là "]
        .iter()
        .fold(subject, |s, w| s.split(w).next().unwrap_or(s));
    if subject.contains(". ") {
        return Vec::new();
    }
    parse_agencies(subject)
}

/// Duties that follow a body named with a passive ("… được phân công chủ trì … có trách
/// nhiệm …"), in lower case.
const DUTIES: &[&str] = &[
    "có trách nhiệm",
    "chịu trách nhiệm",
    "cần ",
    "phải ",
    "khẩn trương",
];

/// Bodies named with the passive that says which of them, the verb at `v` being "phân
/// công" after "được": "Các sở, ngành và Ủy ban nhân dân các xã, phường được phân công chủ
/// trì … có trách nhiệm …" → the bodies before "được"; a generic noun ("Các cơ quan được
/// phân công chủ trì thực hiện nhiệm vụ theo Kế hoạch này có trách nhiệm …") is named by
/// the whole phrase, up to the duty.
pub(crate) fn passive_named(t: &str, v: usize) -> Option<Vec<String>> {
    let before = t[..v].trim_end();
    let pass = before.strip_suffix(" được")?.len();
    if !t[v..].starts_with("phân công") || pass == 0 {
        return None;
    }
    let lower = lower_aligned(prefix_bytes(t, 600));
    let duty = DUTIES
        .iter()
        .filter_map(|w| lower.get(v..).and_then(|r| r.find(w)).map(|i| i + v))
        .min()?;
    let bodies = parse_agencies(&t[..pass]);
    let generic = bodies.len() == 1 && super::GENERIC_BODIES.contains(&fold(&bodies[0]).as_str());
    if generic {
        return Some(vec![t[..duty].trim().to_string()]);
    }
    (!bodies.is_empty()).then_some(bodies)
}

/// Nouns that name bodies after "các" ("các bộ", "các cơ quan"), unlike "các nhiệm vụ".
const BODY_NOUNS: &[&str] = &[
    "bo", "so", "co", "don", "dia", "tinh", "ban", "nganh", "tap", "doanh", "cap", "thanh", "hoi",
    "to", "truong", "uy", "dang", "phong", "cuc", "vu", "tong", "chi", "doan", "ngan", "quan",
    "huyen", "xa", "phuong", "benh", "trung", "vien", "chu", "giam", "pho", "lanh", "dai", "luc",
    "hiep", "lien",
];

/// Whether `s` starts with a body's name: [`starts_like_agency`], but "các" only before a
/// noun of bodies ("các bộ, ngành" yes, "các nhiệm vụ" no).
pub fn starts_like_body(s: &str) -> bool {
    let t = s.trim_start();
    let f = fold(prefix_bytes(t, 40));
    if let Some(rest) = f.strip_prefix("cac ") {
        let mut words = rest.split(|c: char| !c.is_alphanumeric());
        let next = words.next().unwrap_or("");
        // "các chi cục", "các chi bộ" name bodies; "các chi phí" (costs) does not.
        if next == "chi" {
            let second = words.next().unwrap_or("");
            return ["cuc", "nhanh", "bo", "doan", "hoi"].contains(&second);
        }
        return BODY_NOUNS.contains(&next);
    }
    starts_like_agency(t)
}

/// Verbs by which a list's opening sentence gives work to its subject.
const INTRO_VERBS: &[&str] = &[
    "cần",
    // "cần" read by OCR without its accent.
    "can ",
    "phải",
    "có trách nhiệm",
    "chịu trách nhiệm",
    "tập trung",
    "khẩn trương",
    "triển khai",
    "thực hiện",
    "tổ chức",
    "chủ động",
    "tiếp tục",
    "quán triệt",
    "nghiêm túc",
    "căn cứ",
    "theo chức năng",
    "theo thẩm quyền",
    "theo",
    "chỉ đạo",
    "tăng cường",
    "đẩy mạnh",
    "cụ thể hoá",
    "cụ thể hóa",
    // "Căn cứ tình hình thực tế, các cơ quan, đơn vị, địa phương phối hợp thực hiện các hoạt
    // động sau:" (Thành phố Hồ Chí Minh, 174/KH-UBND 2025).
    "phối hợp thực hiện",
    "phối hợp triển khai",
];

/// The bodies a sentence that opens a list gives the work to, wherever they stand in it:
/// "Nhằm đạt được mục tiêu …, trong thời gian tới, các Bộ, cơ quan ngang Bộ, … cần cụ thể
/// hóa và tổ chức triển khai thực hiện các nhiệm vụ sau đây:" → the bodies before "cần".
pub fn intro_subject(text: &str) -> Vec<String> {
    let t = text.trim();
    if !t.ends_with(':') {
        return Vec::new();
    }
    let mut starts = vec![0];
    starts.extend(t.match_indices(", ").map(|(i, _)| i + 2));
    for p in starts {
        let rest = &t[p..];
        if !starts_like_body(rest) {
            continue;
        }
        let Some(v) = first_verb_before(rest, 400).filter(|v| *v > 0) else {
            continue;
        };
        // The work is asked of them ("cần", "có trách nhiệm", "triển khai" …), not told
        // of them ("đã họp", "ban hành Kế hoạch").
        let verb = &rest[v..];
        if !INTRO_VERBS.iter().any(|w| verb.starts_with(w)) || rest[..v].contains(" đã ") {
            continue;
        }
        let found = parse_agencies(&rest[..v]);
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

/// Agencies named by a heading such as "Giao Sở Tư pháp", "2.5. Bộ Tư pháp:",
/// "Văn phòng UBND tỉnh và các Sở: Tư pháp, Tài chính" (domain guide §3.6 item 2).
pub fn heading_agencies(text: &str) -> Option<Vec<String>> {
    let t = text.trim().trim_end_matches(':').trim();
    // "6. Đề nghị: Hiệp hội Doanh nghiệp tỉnh, Hội Nông dân tỉnh", "7. Đề nghị Ủy ban Mặt
    // trận Tổ quốc …": bodies the plan asks, outside its own authority, over their list.
    let t = ["Đề nghị: ", "Đề nghị "]
        .iter()
        .find_map(|p| t.strip_prefix(p))
        .filter(|r| starts_like_agency(r))
        .unwrap_or(t);
    if t.is_empty() || t.chars().count() > 220 || t.ends_with('.') || t.ends_with(';') {
        return None;
    }
    // "1.5. Trách nhiệm của đối tượng thực hiện kiểm kê:": whose duties the list sets out.
    for p in [
        "Trách nhiệm của ",
        "Nhiệm vụ của ",
        "Nhiệm vụ, trách nhiệm của ",
    ] {
        if let Some(whose) = t.strip_prefix(p) {
            let list = parse_agencies(&capitalize_first(whose));
            return (!list.is_empty()).then_some(list);
        }
    }
    // "9.1. Đối với các cơ sở sản xuất có lưu lượng xả bụi … lớn:", "2. Đối với Ủy ban nhân
    // dân các tỉnh:": the group the points under it address. Its description may hold
    // verbs ("các đơn vị thực hiện dịch vụ thu gom …") and a note in brackets.
    if let Some(rest) = t.strip_prefix("Đối với ") {
        let group = capitalize_first(&without_lower_paren(rest));
        if !starts_like_agency(&group) || !starts_like_body(&group) {
            return None;
        }
        let list = parse_agencies(&group);
        return (!list.is_empty()).then_some(list);
    }
    // "Các chi phí …", "Các nhiệm vụ …": "các" before a noun that names no body.
    if !starts_like_agency(t) || !starts_like_body(t) {
        return None;
    }
    // "1.3. Các cơ quan tham mưu quản lý ngành, lĩnh vực (gồm các Sở: Xây dựng, …)": the
    // members the brackets name, whatever verbs the generic name holds.
    if let Some(members) = super::lists::bracketed_members(t) {
        return Some(members);
    }
    // "Thủ trưởng các cơ quan, đơn vị được giao nhiệm vụ": the passive names the body.
    let active = t.replace(" được giao", " ").replace(" được phân công", " ");
    // "Các chủ rừng là tổ chức (…)": what follows the copula describes the body.
    let active = match active.find(" là ") {
        Some(i) => active[..i].to_string(),
        None => active,
    };
    // "3. Cơ quan chủ trì giải quyết thủ tục đầu tư dự án" over its points: the role
    // names the body (the verbs in it are part of the name).
    if let Some(role) = role_name(&active) {
        return Some(vec![role]);
    }
    // A verb after "về" belongs to the body's field ("Vụ Các vấn đề chung về xây dựng
    // pháp luật", "Ban Chỉ đạo … về cải cách chính sách tiền lương").
    if verb_outside_brackets(&active, active.len()).is_some_and(|v| !active[..v].contains(" về "))
    {
        return None;
    }
    let list = parse_agencies(&without_lower_paren(t));
    if list.is_empty() { None } else { Some(list) }
}

/// The first verb of `t` (within `limit` bytes) that is not inside brackets: in "Các cơ
/// quan đăng ký đầu tư (Sở Tài chính, …, Ban quản lý Khu Nông nghiệp ứng dụng Công nghệ
/// cao Phú Yên) có trách nhiệm …" the verb is "có trách nhiệm", not the "ứng dụng" of a
/// member's name.
pub(crate) fn verb_outside_brackets(t: &str, limit: usize) -> Option<usize> {
    let mut from = 0;
    loop {
        let v = from + first_verb_before(&t[from..], limit.checked_sub(from)?)?;
        let before = &t[..v];
        if before.matches('(').count() <= before.matches(')').count() {
            return Some(v);
        }
        from = v + t[v..].find(')')? + 1;
    }
}

const ROLES: &[&str] = &["chu tri", "phoi hop", "duoc giao", "duoc phan cong"];

/// A heading that names a body by its role alone ("Cơ quan chủ trì giải quyết thủ tục
/// đầu tư dự án", "Đơn vị phối hợp"), up to 14 words.
fn role_name(t: &str) -> Option<String> {
    let t = t.trim();
    let f = fold(t);
    if t.split(' ').count() > 14
        || t.contains([',', ';', '.'])
            && !f.starts_with("co quan, don vi")
            && !f.starts_with("cac co quan, don vi")
    {
        return None;
    }
    super::GENERIC_BODIES
        .iter()
        .filter_map(|n| f.strip_prefix(n))
        .any(|rest| {
            ROLES.iter().any(|r| {
                rest.strip_prefix(' ')
                    .is_some_and(|x| x == *r || x.starts_with(&format!("{r} ")))
            })
        })
        .then(|| t.to_string())
}

/// `t` without a parenthesis that describes in lower case ("Các chủ rừng là tổ chức (các
/// Ban quản lý rừng …, các Công ty …)"): its commas separate no bodies of the heading.
fn without_lower_paren(t: &str) -> String {
    let mut out = String::new();
    let mut rest = t;
    while let Some(i) = rest.find('(') {
        let inner = &rest[i + 1..];
        if !inner.starts_with(|c: char| c.is_lowercase()) {
            out.push_str(&rest[..=i]);
            rest = inner;
            continue;
        }
        out.push_str(rest[..i].trim_end());
        rest = match inner.find(')') {
            Some(j) => &inner[j + 1..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

/// Coordinators named after "phối hợp (với)": "Chủ trì, phối hợp với Văn phòng
/// Chính phủ, các bộ, cơ quan có liên quan thành lập …".
pub fn support_agencies(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut from = 0;
    let lower_marker = "phối hợp";
    // Lower-cased once, byte for byte aligned with `text` (lower-casing the rest of
    // the text at every "phối hợp" made long paragraphs quadratic).
    let lower = lower_aligned(text);
    while let Some(i) = lower[from..].find(lower_marker).map(|i| i + from) {
        let mut rest = &text[i + lower_marker.len()..];
        from = i + lower_marker.len();
        for skip in [" chặt chẽ", " với", ","] {
            if let Some(r) = rest.strip_prefix(skip) {
                rest = r;
            }
        }
        let rest = rest.trim_start();
        if !(rest.starts_with("các ") || rest.starts_with(|c: char| c.is_uppercase())) {
            continue;
        }
        // Only an end within 250 bytes is used: search no further.
        const MAX_END: usize = 250;
        let near = prefix_bytes(rest, MAX_END + 1);
        let end = first_verb_before(rest, MAX_END)
            .unwrap_or(rest.len())
            .min(near.find(['.', ';']).unwrap_or(rest.len()));
        if end == 0 || end > MAX_END {
            continue;
        }
        for a in parse_agencies(&rest[..end]) {
            if !out.iter().any(|o| fold(o) == fold(&a)) {
                out.push(a);
            }
        }
    }
    out
}
