//! Agency names in leads, coordinators and addressees, kept as text (matching to
//! the registry happens elsewhere) but with collective names normalised.
//!
//! Domain guide §3.6: "Các Sở, ngành: X, Y" = Sở X, Sở Y; parentheses = sub-unit;
//! the assignee is the agency, its head is accountable ("Giám đốc các Sở" → the
//! Sở); a collective lead such as "Các Sở, ban, ngành cấp tỉnh" is one entry.

use crate::normalize::{capitalize_first, fold, squash};
use regex::Regex;
use std::sync::LazyLock;

fn re(p: &str) -> Regex {
    Regex::new(p).expect("static regex")
}

pub const PROVINCIAL_DEPARTMENTS: &str = "Các Sở, ban, ngành cấp tỉnh";
pub const DISTRICTS: &str = "UBND các huyện, thành phố, thị xã";

/// "Giám đốc các Sở, Thủ trưởng các ban, ngành cấp tỉnh", "Các Sở, ban, ngành cấp
/// tỉnh", "các sở, ban, ngành" → one collective.
static DEPARTMENTS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:giám đốc\s+)?các\s+sở\s*[,;]?\s*(?:thủ trưởng\s+)?(?:các\s+)?ban\s*,?\s*ngành((?:\s*,\s*(?:đoàn thể|đơn vị|địa phương))*)(\s+(?:cấp\s+)?(?:tỉnh|thành phố))?(\s+có liên quan|\s+liên quan)?",
    )
});
/// "Chủ tịch UBND các huyện, thành phố, thị xã" and the full spelling.
static DISTRICT_PEOPLES_COMMITTEES: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:chủ tịch\s+)?(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+các\s+(?:huyện|thành phố|thị xã|quận)(?:\s*,\s*(?:huyện|thành phố|thị xã|quận)){1,3}(\s+có liên quan)?",
    )
});
/// "Các Sở, ngành: Tư pháp, Tài chính và …" — a list of named departments.
static NAMED_LIST: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^các\s+(sở|bộ|cục|vụ|viện|tổng cục)(?:\s*,\s*(?:ngành|ban|cơ quan))?\s*:\s*(.+)$")
});
static NAMED_LIST_ANYWHERE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\bcác\s+(sở|bộ|cục|vụ|viện|tổng cục)(?:\s*,\s*(?:ngành|ban|cơ quan))?\s*:\s*")
});
/// A second body run into the first without a comma ("Bộ Tài nguyên và Môi trường Bộ
/// Tài chính" from a table's merged cells).
static RUN_ON: LazyLock<Regex> =
    LazyLock::new(|| re(r"\s(?:Bộ|Sở|Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Cục|Vụ)\s\p{Lu}"));
static HEAD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:Tổng Giám đốc|Giám đốc|Thủ trưởng|Chủ tịch Hội đồng thành viên|Chủ tịch|Trưởng|Người đứng đầu|Bộ trưởng|Thứ trưởng|Cục trưởng|Vụ trưởng|Viện trưởng)\s+((?:các\s|Sở\s|Ban\s|UBND|Ủy ban|Uỷ ban|cơ quan|đơn vị|Văn phòng|Bộ\s|Cục\s|Vụ\s|Viện\s|tập đoàn|tổng công ty|Tập đoàn|Tổng công ty).*)$",
    )
});
static LOWER_PAREN: LazyLock<Regex> = LazyLock::new(|| re(r"\s*\(\s*\p{Ll}[^)]*\)"));
static OCR_PORTAL: LazyLock<Regex> =
    LazyLock::new(|| re(r"\bCông (Thông tin|TTĐT|Dịch vụ công|thông tin|dịch vụ công)"));

/// Words that start an agency name or a collective addressed as one.
const AGENCY_STARTS: &[&str] = &[
    "Các ",
    "các ",
    "Sở ",
    "Bộ ",
    "Văn phòng ",
    "UBND",
    "Ủy ban",
    "Uỷ ban",
    "Ban ",
    "Thanh tra ",
    "Ngân hàng ",
    "Trung tâm ",
    "Giám đốc ",
    "Thủ trưởng ",
    "Chủ tịch ",
    "Công an ",
    "Cục ",
    "Tổng cục ",
    "Kho bạc ",
    "Hội đồng ",
    "Bộ phận ",
    "Viện ",
    "Tỉnh đoàn",
    "Liên đoàn ",
    "Mặt trận ",
    "Đoàn ",
    "Tòa án ",
    "Viện kiểm sát ",
    "Bảo hiểm ",
    "Cơ quan ",
    "Thường trực ",
    "Thành viên ",
    "Lãnh đạo ",
    "Người đứng đầu ",
    "HĐND",
    "Trường ",
    "Phòng ",
    "Đảng ủy",
    "Đảng uỷ",
    "Đảng đoàn",
    "Ban cán sự",
    "Cấp ủy",
    "Cấp uỷ",
    "Tỉnh ủy",
    "Tỉnh uỷ",
    "Thành ủy",
    "Thành uỷ",
    "Huyện ủy",
    "Đảng bộ",
    "Chi bộ",
    "Tổ chức đảng",
    "Tổng Liên đoàn",
    "Hội Liên hiệp",
    "Hội Nông dân",
    "Hội Cựu chiến binh",
    "Hội doanh nghiệp",
    "Hội Doanh nghiệp",
    "Báo Nhân dân",
    "Tập đoàn",
    "Tổng công ty",
    "Tổng Công ty",
    "Phó Thủ tướng",
    "Thủ tướng",
    "Bộ trưởng",
    "Cục Thuế",
    "Chi cục",
    "Quỹ ",
    "Đài ",
    "Thông tấn",
    "Kiểm toán",
    "Tòa án",
    "Doanh nghiệp",
    "Cảng vụ",
];

/// Names of provincial departments (and the ministries of the same field), used to
/// split "Tài nguyên và Môi trường và Giao thông vận tải" at the right "và".
const FIELD_NAMES: &[&str] = &[
    "tu phap",
    "tai chinh",
    "ke hoach va dau tu",
    "tai nguyen va moi truong",
    "giao thong van tai",
    "thong tin va truyen thong",
    "noi vu",
    "cong thuong",
    "xay dung",
    "y te",
    "giao duc va dao tao",
    "lao dong - thuong binh va xa hoi",
    "lao dong-thuong binh va xa hoi",
    "van hoa va the thao",
    "van hoa, the thao va du lich",
    "nong nghiep va phat trien nong thon",
    "khoa hoc va cong nghe",
    "ngoai vu",
    "du lich",
    "cong an",
    "quoc phong",
    "ngoai giao",
    "ngan hang nha nuoc viet nam",
    "dan toc",
    "van hoa the thao va du lich",
    "nong nghiep va moi truong",
    "dan toc va ton giao",
];

pub fn starts_like_agency(s: &str) -> bool {
    let s = s.trim_start_matches(|c: char| c == '-' || c.is_whitespace());
    let s = s.strip_prefix("Giao ").unwrap_or(s);
    AGENCY_STARTS.iter().any(|p| s.starts_with(p))
}

fn is_field_name(s: &str) -> bool {
    let f = fold(s.trim());
    FIELD_NAMES.contains(&f.as_str())
}

/// Splits "Kế hoạch và Đầu tư, Tài nguyên và Môi trường và Giao thông vận tải" into
/// field names, using the known names to choose between the "và".
fn split_fields(list: &str) -> Vec<String> {
    let mut out = Vec::new();
    for piece in list.split([',', ';']) {
        let piece = piece.trim().trim_end_matches('.').trim();
        if piece.is_empty() {
            continue;
        }
        if is_field_name(piece) || !piece.contains(" và ") {
            out.push(piece.to_string());
            continue;
        }
        let parts: Vec<&str> = piece.split(" và ").collect();
        let mut cur = String::new();
        for (i, p) in parts.iter().enumerate() {
            let candidate = if cur.is_empty() {
                p.to_string()
            } else {
                format!("{cur} và {p}")
            };
            let rest_known = i + 1 < parts.len() && is_field_name(&parts[i + 1..].join(" và "));
            let complete = is_field_name(&candidate) && (rest_known || i + 1 == parts.len());
            if complete || i + 1 == parts.len() || (cur.is_empty() && rest_known) {
                out.push(candidate);
                cur.clear();
            } else {
                cur = candidate;
            }
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
    out
}

/// Titles that name no body on their own.
const TITLES_ALONE: &[&str] = &[
    "thu truong",
    "giam doc",
    "chu tich",
    "truong",
    "bo truong",
    "nguoi dung dau",
    "lanh dao",
    "tong giam doc",
    "chu tich hoi dong thanh vien",
];

/// Cleans one agency name: head word → agency, descriptive lower-case parenthesis
/// dropped, OCR "Công Thông tin" → "Cổng Thông tin", first letter capital.
fn clean_one(s: &str) -> Option<String> {
    let mut s = squash(
        s.trim()
            .trim_matches(|c: char| matches!(c, ',' | ';' | '.' | ':' | '-'))
            .trim(),
    );
    for prefix in ["Giao ", "Yêu cầu ", "yêu cầu ", "và ", "đồng thời "] {
        if let Some(r) = s.strip_prefix(prefix) {
            s = r.to_string();
        }
    }
    if let Some(c) = HEAD.captures(&s)
        && let Some(m) = c.get(1)
    {
        s = m.as_str().to_string();
    }
    s = LOWER_PAREN.replace_all(&s, "").into_owned();
    // A role after a dash: "Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo".
    if let Some(i) = s.find(" - ") {
        let role = fold(&s[i + 3..]);
        if ["co quan", "thuong truc", "don vi", "la co quan"]
            .iter()
            .any(|r| role.starts_with(r))
        {
            s.truncate(i);
        }
    }
    s = OCR_PORTAL.replace_all(&s, "Cổng $1").into_owned();
    let s = squash(&s);
    let f = fold(&s);
    if s.chars().count() < 2 || f.starts_with("tinh ") && s.split(' ').count() <= 4 || f == "tinh" {
        return None;
    }
    // A head's title left alone ("Thủ trưởng" of "Thủ trưởng các sở, …").
    if TITLES_ALONE.contains(&f.as_str()) {
        return None;
    }
    Some(capitalize_first(&s))
}

/// Parses a list of agencies as written in a heading, a table cell, an addressee
/// line or a "phối hợp với …" phrase.
pub fn parse_agencies(text: &str) -> Vec<String> {
    let text = squash(text);
    let text = text.trim().trim_end_matches([';', ',', '.', ':']).trim();
    if text.is_empty() {
        return Vec::new();
    }
    // "… các Sở, ngành: Tư pháp, Tài chính và …" — expand the named list first.
    if let Some(c) = NAMED_LIST_ANYWHERE.captures(text)
        && let (Some(all), Some(kind)) = (c.get(0), c.get(1))
    {
        let mut out = parse_agencies(
            text[..all.start()]
                .trim_end()
                .trim_end_matches(" và")
                .trim_end_matches(','),
        );
        let rest = &text[all.end()..];
        let (list, tail) = rest.split_once(';').unwrap_or((rest, ""));
        let kind = capitalize_first(&kind.as_str().to_lowercase());
        for f in split_fields(list) {
            out.push(format!("{kind} {}", f.trim_end_matches('.')));
        }
        out.extend(parse_agencies(tail));
        return dedup(out);
    }
    // Replace collectives by placeholders so their commas do not split them.
    let mut found: Vec<String> = Vec::new();
    let mut t = DEPARTMENTS
        .replace_all(text, |c: &regex::Captures<'_>| {
            // As written, heads dropped: "Giám đốc các Sở, Thủ trưởng các ban, ngành cấp
            // tỉnh" is "Các Sở, ban, ngành cấp tỉnh"; "các sở, ban, ngành" stays so.
            let part = |i: usize| c.get(i).map(|m| squash(m.as_str())).unwrap_or_default();
            let mut name = format!("Các Sở, ban, ngành{}", part(1).replace(" ,", ","));
            for tail in [part(2), part(3)] {
                if !tail.is_empty() {
                    name.push(' ');
                    name.push_str(&tail);
                }
            }
            found.push(name);
            format!("\u{1}{}\u{1}", found.len() - 1)
        })
        .into_owned();
    t = DISTRICT_PEOPLES_COMMITTEES
        .replace_all(&t, |c: &regex::Captures<'_>| {
            // As written, the head ("Chủ tịch") dropped.
            let all = c.get(0).map_or("", |m| m.as_str());
            let name = match all.to_lowercase().find("ubnd").or_else(|| {
                let l = all.to_lowercase();
                l.find("ủy ban").or_else(|| l.find("uỷ ban"))
            }) {
                Some(i) => squash(&all[i..]),
                None => DISTRICTS.to_string(),
            };
            found.push(name);
            format!("\u{1}{}\u{1}", found.len() - 1)
        })
        .into_owned();
    // Split on ";" and ",", re-joining pieces that continue a "các …" phrase.
    let mut pieces: Vec<String> = Vec::new();
    for raw in t.split([';', ',']) {
        let p = raw.trim();
        if p.is_empty() {
            continue;
        }
        // "Ủy ban nhân dân cấp tỉnh, cấp xã": the head goes with each level.
        if let Some(level) = p.strip_prefix("cấp ")
            && let Some(last) = pieces.last()
            && let Some(i) = last.rfind(" cấp ")
        {
            let head = last[..i].to_string();
            pieces.push(format!("{head} cấp {level}"));
            continue;
        }
        let lower_start = p.starts_with(|c: char| c.is_lowercase())
            && !p.starts_with("các ")
            && !p.starts_with("những ");
        // A name with a comma in it ("Bộ Văn hóa, Thể thao và Du lịch", "Viện Chiến
        // lược, Chính sách tài nguyên và môi trường"): the words after the comma name no
        // body of their own.
        let name_goes_on = p.starts_with(|c: char| c.is_uppercase())
            && !starts_like_agency(p)
            && !p.starts_with('\u{1}')
            && pieces
                .last()
                .is_some_and(|l| starts_like_agency(l) && !l.contains('\u{1}'));
        if (lower_start || name_goes_on) && !pieces.is_empty() {
            if let Some(last) = pieces.last_mut() {
                last.push_str(", ");
                last.push_str(p);
            }
        } else {
            pieces.push(p.to_string());
        }
    }
    let pieces: Vec<String> = pieces.into_iter().flat_map(|p| split_run_on(&p)).collect();
    let mut out: Vec<String> = Vec::new();
    for p in pieces {
        // "Văn phòng UBND tỉnh và các Sở: …" / "… và các đơn vị có liên quan".
        let mut subparts: Vec<String> = Vec::new();
        let mut rest = p.as_str();
        while let Some(i) = find_and_split(rest) {
            subparts.push(rest[..i].to_string());
            rest = &rest[i + 4..];
        }
        subparts.push(rest.to_string());
        for sp in subparts {
            let sp = sp.trim();
            if let Some(c) = NAMED_LIST.captures(sp) {
                let kind = c
                    .get(1)
                    .map(|m| capitalize_first(&m.as_str().to_lowercase()))
                    .unwrap_or_default();
                if let Some(list) = c.get(2) {
                    for f in split_fields(list.as_str()) {
                        out.push(format!("{kind} {f}"));
                    }
                }
                continue;
            }
            // Restore placeholders.
            let mut restored = String::new();
            let mut parts = sp.split('\u{1}');
            if let Some(first) = parts.next() {
                restored.push_str(first);
            }
            let mut is_idx = true;
            for part in parts {
                if is_idx {
                    if let Some(name) = part.parse::<usize>().ok().and_then(|i| found.get(i)) {
                        if !restored.trim().is_empty()
                            && let Some(c) = clean_one(&restored)
                        {
                            out.push(c);
                        }
                        restored.clear();
                        out.push(name.clone());
                    }
                } else {
                    restored.push_str(part);
                }
                is_idx = !is_idx;
            }
            if let Some(c) = clean_one(&restored) {
                out.push(c);
            }
        }
    }
    dedup(out)
}

/// "Bộ Tài nguyên và Môi trường Bộ Tài chính" → two names. Only after a name of three
/// words or more ending in lower case, so "Văn phòng Bộ", "Đảng ủy Bộ Y tế" and "Thanh
/// tra Sở" stay whole.
fn split_run_on(p: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = p;
    while let Some(m) = RUN_ON.find(rest) {
        let before = &rest[..m.start()];
        let words = before.split_whitespace().count();
        let last_lower = before
            .split_whitespace()
            .last()
            .is_some_and(|w| w.starts_with(|c: char| c.is_lowercase()));
        if words < 3 || !last_lower || !starts_like_agency(before) {
            break;
        }
        out.push(before.trim().to_string());
        rest = &rest[m.start() + 1..];
    }
    out.push(rest.trim().to_string());
    out
}

fn dedup(list: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in list {
        if !out.iter().any(|d| fold(d) == fold(&a)) {
            out.push(a);
        }
    }
    out
}

/// Byte index of a " và " that separates two agencies (followed by "các" or by a
/// word that starts an agency name), not one inside "Tài nguyên và Môi trường".
///
/// Each " và " looks at a few words around it only (folding or splitting the whole
/// rest of a long text at every " và " made the search quadratic).
fn find_and_split(s: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = s[from..].find(" và ") {
        let at = from + i;
        let after = &s[at + 4..];
        let before = &s[..at];
        let after_folded = fold_prefix(after, FIELD_NAME_MAX);
        let field_context = is_field_name(&format!(
            "{} và {}",
            last_words(before, 4),
            first_words(after, 4)
        )) || FIELD_NAMES
            .iter()
            .any(|f| after_folded.starts_with(f) && !starts_like_agency(after));
        if !field_context
            && (after.starts_with("các ") || starts_like_agency(after))
            && !before.ends_with(':')
        {
            return Some(at);
        }
        from = at + 4;
    }
    None
}

/// Longest folded field name, in bytes: how much of a text's start decides whether it
/// starts with one.
const FIELD_NAME_MAX: usize = 64;

/// `fold(s)` cut once it holds `min_len` bytes: `fold_prefix(s, n).starts_with(p)`
/// equals `fold(s).starts_with(p)` for every `p` of at most `n` bytes.
fn fold_prefix(s: &str, min_len: usize) -> String {
    // `fold` works character by character, so folding a prefix gives a prefix.
    let mut out = String::new();
    for (i, c) in s.char_indices() {
        if out.len() >= min_len {
            break;
        }
        out.push_str(&fold(&s[i..i + c.len_utf8()]));
    }
    out
}

fn last_words(s: &str, n: usize) -> String {
    let mut w: Vec<&str> = s.split_whitespace().rev().take(n).collect();
    w.reverse();
    w.join(" ")
}

fn first_words(s: &str, n: usize) -> String {
    s.split_whitespace().take(n).collect::<Vec<_>>().join(" ")
}

/// Verbs that end the subject of a sentence ("Các địa phương, đơn vị | khẩn
/// trương kiện toàn …"); matched in lower case only, so capitalised words inside
/// names ("Ủy ban Kiểm tra") do not stop the name.
const VERBS: &[&str] = &[
    "chủ trì",
    "phối hợp",
    "căn cứ",
    "khẩn trương",
    "chủ động",
    "tiếp tục",
    "thực hiện",
    "tập trung",
    "nêu cao",
    "đề cao",
    "tham mưu",
    "triển khai",
    "rà soát",
    "trình",
    "xây dựng",
    "tăng cường",
    "chịu trách nhiệm",
    "có trách nhiệm",
    "coi",
    "nghiên cứu",
    "hướng dẫn",
    "tổ chức",
    "kiện toàn",
    "đẩy mạnh",
    "chỉ đạo",
    "quán triệt",
    "theo dõi",
    "báo cáo",
    "hoàn thành",
    "hoàn thiện",
    "đôn đốc",
    "kiểm tra",
    "nâng cao",
    "cần",
    "phải",
    "sửa",
    "bố trí",
    "ban hành",
    "cập nhật",
    "công bố",
    "thống kê",
    "đề xuất",
    "xử lý",
    "tổng hợp",
    "gửi",
    "nghiêm túc",
    "lãnh đạo",
    "quan tâm",
    "rút",
    "đảm bảo",
    "bảo đảm",
    "thường xuyên",
    "kịp thời",
    "xác định",
    "duy trì",
    "thành lập",
    "nâng cấp",
    "xác thực",
    "cung cấp",
    "giải quyết",
    "thẩm định",
    "đánh giá",
    "giám sát",
    "tuyên truyền",
    "cắt giảm",
    "đổi mới",
    "sớm",
    "để",
    "trong",
    "nhằm",
    "khắc phục",
    "đăng tải",
    "niêm yết",
    "chia sẻ",
    "kết nối",
    "chuẩn bị",
    "tiến hành",
    "phân công",
    "ứng dụng",
    "trực tiếp",
    "đưa",
    "phê duyệt",
    "sửa đổi",
    "bổ sung",
    "thúc đẩy",
    "ưu tiên",
    "huy động",
    "hỗ trợ",
    "sắp xếp",
    "thanh tra",
    "lựa chọn",
    "tiếp nhận",
    "số hóa",
    "phổ biến",
    "công khai",
    "làm đầu mối",
    "là cơ quan",
    "được giao",
    "vận hành",
    "khảo sát",
    "tham gia",
    "tích cực",
    "quyết liệt",
    "phấn đấu",
    "mở rộng",
    "hoàn tất",
    "chấn chỉnh",
    "bàn giao",
    "nắm bắt",
    "theo chức năng",
    "theo thẩm quyền",
    "theo",
    "trên cơ sở",
    "căn cứ",
    "khan trương",
    "đây mạnh",
];

/// Byte position of the first verb of `VERBS` in `s` at a word boundary.
pub fn first_verb(s: &str) -> Option<usize> {
    first_verb_within(s, s)
}

/// [`first_verb`] when it is at most `limit` bytes into `s`, else None. Only the
/// first `limit` bytes (and the longest verb) are searched: callers that want a
/// verb near the start no longer scan a long text once per verb.
pub fn first_verb_before(s: &str, limit: usize) -> Option<usize> {
    first_verb_within(s, prefix_bytes(s, limit + VERB_MAX + 1)).filter(|b| *b <= limit)
}

/// The first verb of `VERBS` found in `window` (a prefix of `s`), its word boundaries
/// judged on `s`.
fn first_verb_within(s: &str, window: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut best: Option<usize> = None;
    for v in VERBS {
        let mut from = 0;
        while let Some(i) = window[from..].find(v) {
            let at = from + i;
            let end = at + v.len();
            let left_ok = at == 0 || bytes[at - 1] == b' ';
            let right_ok = end == s.len() || matches!(bytes[end], b' ' | b',' | b';' | b'.' | b':');
            if left_ok && right_ok {
                if best.is_none_or(|b| at < b) {
                    best = Some(at);
                }
                break;
            }
            from = at + v.len();
        }
    }
    best
}

/// Longest verb of `VERBS`, in bytes.
const VERB_MAX: usize = 32;

/// The first `n` bytes of `s`, or a little more to end on a character boundary.
fn prefix_bytes(s: &str, n: usize) -> &str {
    if n >= s.len() {
        return s;
    }
    let mut end = n;
    while !s.is_char_boundary(end) {
        end += 1;
    }
    &s[..end]
}

/// The agencies a sentence starts with, if it starts with one ("Sở Nội vụ (cơ quan
/// Thường trực …) tham mưu …" → Sở Nội vụ). "Yêu cầu X …" is read as X.
pub fn sentence_subject(text: &str) -> Vec<String> {
    let t = text.trim();
    let t = t
        .strip_prefix("Yêu cầu ")
        .or_else(|| t.strip_prefix("Yêu cầu, "))
        .unwrap_or(t);
    if !starts_like_agency(t) {
        return Vec::new();
    }
    let Some(v) = first_verb_before(t, 300) else {
        return Vec::new();
    };
    if v == 0 || v > 300 {
        return Vec::new();
    }
    let subject = &t[..v];
    if subject.contains(". ") {
        return Vec::new();
    }
    parse_agencies(subject)
}

/// Nouns that name bodies after "các" ("các bộ", "các cơ quan"), unlike "các nhiệm vụ".
const BODY_NOUNS: &[&str] = &[
    "bo", "so", "co", "don", "dia", "tinh", "ban", "nganh", "tap", "doanh", "cap", "thanh", "hoi",
    "to", "truong", "uy", "dang", "phong", "cuc", "vu", "tong", "chi", "doan", "ngan", "quan",
    "huyen", "xa", "phuong", "benh", "trung", "vien", "chu", "giam", "pho", "lanh",
];

/// Whether `s` starts with a body's name: [`starts_like_agency`], but "các" only before a
/// noun of bodies ("các bộ, ngành" yes, "các nhiệm vụ" no).
pub fn starts_like_body(s: &str) -> bool {
    let t = s.trim_start();
    let f = fold(prefix_bytes(t, 40));
    if let Some(rest) = f.strip_prefix("cac ") {
        let next = rest
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        return BODY_NOUNS.contains(&next);
    }
    starts_like_agency(t)
}

/// Verbs by which a list's opening sentence gives work to its subject.
const INTRO_VERBS: &[&str] = &[
    "cần",
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
    if t.is_empty() || t.chars().count() > 220 || t.ends_with('.') || t.ends_with(';') {
        return None;
    }
    if !starts_like_agency(t) {
        return None;
    }
    if first_verb(t).is_some() {
        return None;
    }
    let list = parse_agencies(t);
    if list.is_empty() { None } else { Some(list) }
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

/// `s` in lower case where that keeps every character's length in bytes (all of
/// Vietnamese); the few characters whose lower case is longer or shorter (Kelvin
/// sign, dotted İ) are kept as they are, so byte positions in the result are
/// positions in `s`.
pub fn lower_aligned(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let mut l = c.to_lowercase();
        match (l.next(), l.next()) {
            (Some(one), None) if one.len_utf8() == c.len_utf8() => out.push(one),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_searches_see_every_verb_and_field_name() {
        assert!(VERBS.iter().all(|v| v.len() <= VERB_MAX));
        assert!(FIELD_NAMES.iter().all(|f| f.len() <= FIELD_NAME_MAX));
        let long = format!("Sở Nội vụ chủ trì {}", "x ".repeat(1000));
        assert_eq!(first_verb_before(&long, 300), first_verb(&long));
        let far = format!("{} thực hiện", "x ".repeat(400));
        assert_eq!(first_verb_before(&far, 300), None);
        assert!(first_verb(&far).is_some());
        assert_eq!(fold_prefix("ĐẦU TƯ và", 3), "dau");
        assert_eq!(lower_aligned("PHỐI HỢP \u{212a}"), "phối hợp \u{212a}");
    }

    #[test]
    fn normalises_collectives() {
        assert_eq!(
            parse_agencies(
                "Giám đốc các Sở, Thủ trưởng các ban, ngành cấp tỉnh, Chủ tịch Ủy ban nhân dân các huyện, thành phố, thị xã"
            ),
            [
                PROVINCIAL_DEPARTMENTS,
                "Ủy ban nhân dân các huyện, thành phố, thị xã"
            ]
        );
        assert_eq!(
            parse_agencies("UBND các huyện, thành phố, thị xã, tỉnh Nghệ An."),
            [DISTRICTS]
        );
        assert_eq!(
            parse_agencies(
                "Các Sở, ngành: Tư pháp, Kế hoạch và Đầu tư, Tài nguyên và Môi trường và Giao thông vận tải"
            ),
            [
                "Sở Tư pháp",
                "Sở Kế hoạch và Đầu tư",
                "Sở Tài nguyên và Môi trường",
                "Sở Giao thông vận tải"
            ]
        );
        assert_eq!(
            parse_agencies(
                "Văn phòng UBND tỉnh và các Sở: Tư pháp, Tài chính, Thông tin và Truyền thông"
            ),
            [
                "Văn phòng UBND tỉnh",
                "Sở Tư pháp",
                "Sở Tài chính",
                "Sở Thông tin và Truyền thông"
            ]
        );
        assert_eq!(
            parse_agencies("Văn phòng UBND tỉnh và các đơn vị có liên quan"),
            ["Văn phòng UBND tỉnh", "Các đơn vị có liên quan"]
        );
    }

    #[test]
    fn finds_subjects_and_coordinators() {
        assert_eq!(
            sentence_subject("Sở Nội vụ (cơ quan Thường trực Ban Chỉ đạo CCHC) tham mưu bổ sung"),
            ["Sở Nội vụ"]
        );
        assert_eq!(
            support_agencies(
                "Chủ trì, phối hợp với Văn phòng Chính phủ, các bộ, cơ quan có liên quan thành lập các đoàn"
            ),
            ["Văn phòng Chính phủ", "Các bộ, cơ quan có liên quan"]
        );
        assert_eq!(
            heading_agencies("Giao Sở Tư pháp"),
            Some(vec!["Sở Tư pháp".to_string()])
        );
        assert_eq!(heading_agencies("Nhiệm vụ trọng tâm ưu tiên"), None);
    }
}
