//! Agency names in leads, coordinators and addressees, kept as text (matching to
//! the registry happens elsewhere) but with collective names normalised.
//!
//! Domain guide §3.6: "Các Sở, ngành: X, Y" = Sở X, Sở Y; parentheses = sub-unit;
//! the assignee is the agency, its head is accountable ("Giám đốc các Sở" → the
//! Sở); a collective lead such as "Các Sở, ban, ngành cấp tỉnh" is one entry.

use crate::normalize::{capitalize_first, fold, squash};
pub(crate) use clean::TITLES_ALONE;
use clean::clean_one;
use lists::{bracketed_members, place_list};
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
        r"(?i)(?:giám đốc\s+)?các\s+sở\s*[,;]?\s*(?:thủ trưởng\s+)?(?:các\s+)?ban\s*,?\s*ngành((?:\s*,\s*(?:đoàn thể|đơn vị|địa phương))*)(\s+(?:(?:cấp|thuộc|trực thuộc|của)\s+)?(?:(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+)?(?:tỉnh|thành phố))?(\s+có liên quan|\s+liên quan)?",
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
/// "Ủy ban nhân dân các tỉnh: Hưng Yên, Ninh Bình", "Tỉnh ủy, Ủy ban nhân dân các tỉnh:
/// Hà Tĩnh, Quảng Trị" (the last body before "các").
static PLACES_LIST: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(.*?(?:,|\s+và)\s+)?((?:Chủ tịch\s+)?(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Tỉnh ủy|Tỉnh uỷ|Sở [^,:]{2,40}|Công an|Bộ Chỉ huy Quân sự))\s+các\s+(tỉnh|thành phố|tỉnh, thành phố)\s*:\s*(.+)$",
    )
});

static SHORTHAND: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\(\s*sau đây[^)]*\)?"));

/// A second body run into the first without a comma ("Bộ Tài nguyên và Môi trường Bộ
/// Tài chính" from a table's merged cells).
static RUN_ON: LazyLock<Regex> =
    LazyLock::new(|| re(r"\s(?:Bộ|Sở|Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Cục|Vụ)\s\p{Lu}"));
/// Generic nouns for a body, folded: a role ("Cơ quan chủ trì", "Đơn vị phối hợp"), a
/// passive ("Các cơ quan được phân công …") or a bracket of members ("Các cơ quan đăng ký
/// đầu tư (Sở Tài chính, …)") makes them name one.
const GENERIC_BODIES: &[&str] = &[
    "co quan",
    "don vi",
    "cac co quan",
    "cac don vi",
    "co quan, don vi",
    "cac co quan, don vi",
];

/// Words that start an agency name or a collective addressed as one.
const AGENCY_STARTS: &[&str] = &[
    "Các ",
    "các ",
    "Sở ",
    "Sở, ",
    "Bộ, ",
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
    "Chánh Văn phòng ",
    "Chánh Thanh tra ",
    "Bí thư ",
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
    // "Đề nghị Trung ương Mặt trận Tổ quốc Việt Nam", "Trung ương Đoàn Thanh niên …": the
    // central body of a front or union.
    "Trung ương Mặt trận",
    "Trung ương Đoàn",
    "Trung ương Hội",
    // "Thuế tỉnh Lào Cai": the provincial tax office as the tax administration names it
    // since its 2025 reorganisation; "Chi cục …".
    "Thuế tỉnh",
    "Thuế thành phố",
    "Thuế Thành phố",
    "Chi cục ",
    "Đài Truyền hình",
    "Đài Tiếng nói",
    "Đài Phát thanh",
    "Hội Liên hiệp",
    "Hiệp hội ",
    "Liên minh ",
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
    "Tiểu ban ",
    "Vụ ",
    "Báo ",
    "Tạp chí ",
    // The investor of a project, named by its role ("Chủ đầu tư phối hợp …").
    "Chủ đầu tư",
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
    // "Ban hành …" is the verb, not a board; "Phòng chống dịch bệnh", "Phòng, chống
    // thiên tai", "Phòng ngừa …" are prevention, not an office.
    if s.starts_with("Ban hành")
        || [
            "Phòng chống",
            "Phòng, chống",
            "Phòng ngừa",
            "Phòng cháy",
            "Phòng tránh",
        ]
        .iter()
        .any(|p| s.starts_with(p))
    {
        return false;
    }
    // "Trường hợp …" opens a condition, not a school's name; "Báo cáo …" is a report.
    if s.starts_with("Trường hợp") || s.starts_with("Báo cáo") {
        return false;
    }
    // "Thành phố Hà Nội", "Tỉnh Lâm Đồng": a province named as the body that acts.
    if let Some(rest) = s
        .strip_prefix("Thành phố ")
        .or_else(|| s.strip_prefix("Tỉnh "))
    {
        return rest.starts_with(char::is_uppercase);
    }
    match s.strip_prefix("Giao ") {
        // "Giao người đứng đầu các cơ quan …": the head in lower case after "Giao".
        Some(rest) => {
            let rest = capitalize_first(rest);
            AGENCY_STARTS.iter().any(|p| rest.starts_with(p))
        }
        None => AGENCY_STARTS.iter().any(|p| s.starts_with(p)),
    }
}

fn is_field_name(s: &str) -> bool {
    let f = fold(s.trim());
    FIELD_NAMES.contains(&f.as_str())
}

/// Splits "Kế hoạch và Đầu tư, Tài nguyên và Môi trường và Giao thông vận tải" into
/// field names, using the known names to choose between the "và".
fn split_fields(list: &str) -> Vec<String> {
    let mut out = Vec::new();
    // A field whose name holds a comma ("Văn hóa, Thể thao và Du lịch"): its two pieces
    // joined again.
    let raw: Vec<&str> = list.split([',', ';']).collect();
    let mut pieces: Vec<String> = Vec::with_capacity(raw.len());
    let mut k = 0;
    while k < raw.len() {
        let piece = raw[k].trim();
        if let Some(next) = raw.get(k + 1) {
            let joined = format!("{piece}, {}", next.trim().trim_end_matches('.'));
            if is_field_name(&joined) {
                pieces.push(joined);
                k += 2;
                continue;
            }
        }
        pieces.push(piece.to_string());
        k += 1;
    }
    for piece in &pieces {
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

/// Parses a list of agencies as written in a heading, a table cell, an addressee
/// line or a "phối hợp với …" phrase.
pub fn parse_agencies(text: &str) -> Vec<String> {
    // "(sau đây gọi chung là các cơ quan, đơn vị)": a shorthand, not more bodies.
    let text = if text.contains("sau đây") || text.contains("Sau đây") {
        SHORTHAND.replace_all(text, "").into_owned()
    } else {
        text.to_string()
    };
    let text = squash(&text);
    let text = text.trim().trim_end_matches([';', ',', '.', ':']).trim();
    if text.is_empty() {
        return Vec::new();
    }
    if let Some(members) = bracketed_members(text) {
        return members;
    }
    // "Chủ tịch Ủy ban nhân dân các tỉnh: Hưng Yên, Ninh Bình" — one body per place.
    if let Some(c) = PLACES_LIST.captures(text)
        && let (Some(head), Some(kind), Some(list)) = (c.get(2), c.get(3), c.get(4))
    {
        // "Đồng chí Bí thư tỉnh ủy, thành ủy và Chủ tịch Ủy ban nhân dân các tỉnh, thành
        // phố: Hà Tĩnh, …, Huế": each place's party committee too, before its committee.
        let prefix = c.get(1).map_or(String::new(), |p| fold(p.as_str()));
        let party = prefix.contains("tinh uy") || prefix.contains("thanh uy");
        let head = parse_agencies(head.as_str()).into_iter().next();
        if let Some(head) = head {
            let kind = kind.as_str().to_lowercase();
            return dedup(
                list.as_str()
                    .split([',', ';'])
                    .flat_map(|p| p.split(" và "))
                    .map(|p| p.trim().trim_end_matches('.').trim())
                    .filter(|p| !p.is_empty())
                    // "Sở Xây dựng các tỉnh, thành phố: Gia Lai, …": which place is a
                    // tỉnh and which a thành phố the list does not say: the list of cities
                    // under the central government does (crate::recipients::CITIES).
                    .flat_map(|p| {
                        let city = crate::recipients::CITIES.contains(&fold(p).as_str());
                        let body = if kind.contains(',') || kind.contains(" và ") {
                            let k = if city { "Thành phố" } else { "tỉnh" };
                            format!("{head} {k} {p}")
                        } else {
                            format!("{head} {kind} {p}")
                        };
                        let committee = party.then(|| {
                            let k = if city { "Thành ủy" } else { "Tỉnh ủy" };
                            format!("{k} {p}")
                        });
                        committee.into_iter().chain([body])
                    })
                    .collect(),
            );
        }
    }
    // "… các Sở, ngành: Tư pháp, Tài chính và …" — expand the named list first.
    if let Some(c) = NAMED_LIST_ANYWHERE.captures(text)
        && let (Some(all), Some(kind)) = (c.get(0), c.get(1))
    {
        let before = text[..all.start()]
            .trim_end()
            .trim_end_matches(" và")
            .trim_end_matches(',');
        // "Bộ trưởng các Bộ: Quốc phòng, Công an": the heads of the bodies listed.
        let mut out = if TITLES_ALONE.contains(&fold(before.trim()).as_str()) {
            Vec::new()
        } else {
            parse_agencies(before)
        };
        let rest = &text[all.end()..];
        // The list goes on after a ";" while its entries name fields, not bodies ("Các Sở:
        // Nông nghiệp và Môi trường, Xây dựng, Y tế; Giáo dục và Đào tạo, …; Công an Thành
        // phố").
        let mut cut = rest.len();
        let mut at = 0;
        while let Some(i) = rest[at..].find(';').map(|i| i + at) {
            let next = rest[i + 1..].trim_start();
            if next.is_empty() || starts_like_agency(next) || !next.starts_with(char::is_uppercase)
            {
                cut = i;
                break;
            }
            at = i + 1;
        }
        let (mut list, mut tail) = (&rest[..cut], rest.get(cut + 1..).unwrap_or("").to_string());
        // "Các Bộ: Xây dựng, Công Thương, Khoa học và Công nghệ và các bộ, ngành có liên
        // quan": the list ends where a collective joins it.
        if let Some(i) = list.find(" và các ").or_else(|| list.find(", các ")) {
            let collective = list[i..]
                .trim_start_matches([',', ' '])
                .trim_start_matches("và ");
            tail = format!("{collective}; {tail}");
            list = &list[..i];
        }
        let kind = capitalize_first(&kind.as_str().to_lowercase());
        for f in split_fields(list) {
            let f = f.trim_end_matches('.');
            // "Các Bộ: Tài chính, Nội vụ, Bộ Y tế": an entry written with its kind.
            if f.starts_with(&format!("{kind} ")) {
                out.push(f.to_string());
            } else {
                out.push(format!("{kind} {f}"));
            }
        }
        let tail = tail.trim().trim_end_matches(';').trim();
        if !tail.is_empty() {
            out.extend(parse_agencies(tail));
        }
        return dedup(out);
    }
    // "… các Bộ, ngành có liên quan; Bí thư tỉnh ủy, thành ủy và Chủ tịch …": lists
    // joined by a semicolon, each read on its own (a named list's semicolons are read
    // above).
    if text.contains("; ") && !text.contains('(') {
        let parts: Vec<String> = text.split("; ").flat_map(parse_agencies).collect();
        if !parts.is_empty() {
            return dedup(parts);
        }
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
        // "Thành phố Hồ Chí Minh, tỉnh Lâm Đồng": a second province after the first.
        let next_place = (p.starts_with("tỉnh ") || p.starts_with("thành phố "))
            && pieces
                .last()
                .is_some_and(|l| l.starts_with("Thành phố ") || l.starts_with("Tỉnh "))
            && starts_like_agency(&capitalize_first(p));
        let lower_start = p.starts_with(|c: char| c.is_lowercase())
            && !p.starts_with("các ")
            && !p.starts_with("những ")
            && !next_place;
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
        } else if next_place {
            pieces.push(capitalize_first(p));
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
            rest = &rest[i + AND.len()..];
        }
        subparts.push(rest.to_string());
        // "các tỉnh Nghệ An, Quảng Ngãi và Cao Bằng": one body per province.
        let mut place_kind: Option<String> = None;
        for sp in subparts {
            let sp = sp.trim();
            if let Some((kind, places)) = place_list(sp) {
                out.extend(places.iter().map(|p| format!("{kind} {p}")));
                place_kind = Some(kind);
                continue;
            }
            if let Some(kind) = place_kind.take()
                && sp.starts_with(char::is_uppercase)
                && !starts_like_agency(sp)
                && sp.split(' ').count() <= 4
            {
                out.push(format!("{kind} {sp}"));
                continue;
            }
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
pub(crate) fn split_run_on(p: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = p;
    let mut from = 0;
    while let Some(m) = RUN_ON.find_at(rest, from) {
        let before = &rest[..m.start()];
        // "Bộ Tài chính, Bộ Xây dựng": the list goes on after its comma.
        if before.ends_with(',') {
            from = m.start() + 1;
            continue;
        }
        let words = before.split_whitespace().count();
        let last_lower = before
            .split_whitespace()
            .last()
            .is_some_and(|w| w.starts_with(|c: char| c.is_lowercase()));
        let linking = before.split_whitespace().last().is_some_and(|w| {
            [
                "thuộc", "của", "tại", "với", "cho", "về", "và", "hoặc", "trực",
            ]
            .contains(&w)
        });
        if words < 3 || !last_lower || linking || !starts_like_agency(before) {
            break;
        }
        out.push(before.trim().to_string());
        rest = &rest[m.start() + 1..];
        from = 0;
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
/// The joining " và " (five bytes: "à" takes two).
const AND: &str = " và ";

fn find_and_split(s: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = s[from..].find(AND) {
        let at = from + i;
        let after = &s[at + AND.len()..];
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
            && (after.starts_with("các ")
                || after.starts_with("cơ quan ")
                || after.starts_with("đơn vị ")
                || starts_like_agency(after))
            && !before.ends_with(':')
        {
            return Some(at);
        }
        from = at + AND.len();
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

mod addressee;
mod clean;
mod lists;
mod subject;
mod verbs;

pub use addressee::{addressee_of, addressees_meant, places_named_above, same_name};

pub(crate) use subject::passive_named;
pub use subject::{
    heading_agencies, intro_subject, sentence_subject, starts_like_body, support_agencies,
};
pub(crate) use verbs::prefix_bytes;
pub use verbs::{first_verb, first_verb_before, lower_aligned};

#[cfg(test)]
mod tests;
