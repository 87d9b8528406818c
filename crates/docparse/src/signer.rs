//! Signature block (NĐ 30/2020/NĐ-CP, Điều 13 and Phụ lục I ô 7a–7c): "TM." on
//! behalf of a collective, "KT." deputy for the head, "Q." acting, "TL." by order,
//! "TUQ." delegated; then the title and the signer's name.

use crate::model::Signer;
use crate::normalize::{capitalize_first, case_upper, fold, squash, upper_ratio};
use regex::Regex;
use std::sync::LazyLock;

static AUTHORITY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(TM|KT|Q|TL|TUQ)\s*\.\s*(.*)$").expect("static regex"));
/// "T/M", "K/T", "T.M", "K.T" as some offices and OCR print them.
static AUTHORITY_VARIANT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(T|K)\s*[/.]\s*(M|T)\b\.?\s*").expect("static regex"));
/// "KT: THU TUONG", "TM: CHÍNH PHỦ": a scan's colon for the capacity's full stop.
static AUTHORITY_COLON: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(TM|KT|TL|TUQ)\s*:\s*(\p{Lu})").expect("static regex"));

/// A signature line in a standard form: "T/M BAN CHẤP HÀNH" → "TM. BAN CHẤP HÀNH".
fn standard(line: &str) -> String {
    let t = line.trim();
    if let Some(c) = AUTHORITY_COLON.captures(t) {
        let code = c.get(1).map_or("", |m| m.as_str());
        let rest = c.get(2).map_or(t.len(), |m| m.start());
        return format!("{code}. {}", &t[rest..]);
    }
    match AUTHORITY_VARIANT.captures(t) {
        Some(c) => {
            let (a, b) = (
                c.get(1).map_or("", |m| m.as_str()),
                c.get(2).map_or("", |m| m.as_str()),
            );
            let code = match (a, b) {
                ("T", "M") => "TM.",
                ("K", "T") => "KT.",
                _ => return t.to_string(),
            };
            format!("{code} {}", &t[c.get(0).map_or(0, |m| m.end())..])
        }
        None => t.to_string(),
    }
}
static NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\p{Lu}\p{Ll}*|\p{Lu}+)(?:\s+(?:\p{Lu}\p{Ll}*|\p{Lu}+)){1,5}$")
        .expect("static regex")
});

fn is_block_line(t: &str) -> bool {
    let t = t.trim();
    if t.is_empty() || t.contains('\t') || t.chars().count() > 90 {
        return false;
    }
    if t == "kiêm" || t == "KIÊM" {
        return true;
    }
    if crate::structure::classify(t).0 != crate::structure::Marker::None {
        return false;
    }
    upper_ratio(t) >= 0.7 && t.chars().filter(|c| c.is_alphabetic()).take(4).count() >= 4
}

const TITLE_WORDS: &[&str] = &[
    "CHỦ",
    "TỊCH",
    "TRƯỞNG",
    "GIÁM",
    "ĐỐC",
    "PHÓ",
    "BAN",
    "ỦY",
    "UBND",
    "VĂN",
    "PHÒNG",
    "THÀNH",
    "VIÊN",
    "CHÁNH",
    "BỘ",
    "NHIỆM",
    "BÍ",
    "THƯ",
    "CỘNG",
    "HÒA",
    "TỈNH",
    "HUYỆN",
    "NHÂN",
    "DÂN",
    "THỦ",
    "TƯỚNG",
    "THỨ",
    "TỔNG",
    "CỤC",
    "VỤ",
    "SỞ",
    "HỘI",
    "ĐỒNG",
    "QUỐC",
    "ĐẢNG",
    "TRUNG",
    "ƯƠNG",
    "THƯỜNG",
    "TRỰC",
    "KIÊM",
    "UỶ",
    "VIÊN",
    "CHÍNH",
    "PHỦ",
    "BỘ",
];

fn is_name(t: &str) -> bool {
    let t = t.trim();
    let words = t.split_whitespace().count();
    if !(2..=6).contains(&words) || t.chars().count() > 40 || !NAME.is_match(t) {
        return false;
    }
    upper_ratio(t) < 0.9 || !t.split_whitespace().any(is_title_word)
}

/// A word of a title or body in capitals; without its marks too when a scan lost them all
/// ("PHO TONG CUC TRUONG").
fn is_title_word(w: &str) -> bool {
    TITLE_WORDS.contains(&w)
        || w.is_ascii()
            && TITLE_WORDS
                .iter()
                .any(|t| fold(t) == w.to_ascii_lowercase())
}

/// The last signature block of `lines` followed by a name. Returns the signer and
/// the index of the block's first line.
pub fn find_signer(lines: &[&str]) -> Option<(Signer, usize)> {
    // Signature blocks laid out in a table ("| Nơi nhận: … | KT. BỘ TRƯỞNG … | Lê Công
    // Thành |") are read cell by cell; each cell keeps its row's index.
    let mut own: Vec<String> = Vec::with_capacity(lines.len());
    let mut at: Vec<usize> = Vec::with_capacity(lines.len());
    // Lines left in a "Nơi nhận" list (ô 9b), whose ends may carry the signature column.
    let mut list_left = 0usize;
    for (k, l) in lines.iter().enumerate() {
        let label = crate::signer_ocr::is_recipients_label(l);
        if label {
            list_left = 60;
        } else if list_left > 0 {
            list_left = if in_recipients_list(l) {
                list_left - 1
            } else {
                0
            };
        }
        if list_left > 0 && !label && l.trim().is_empty() {
            // Blank lines between the entries part no signature lines.
            continue;
        }
        if (label || list_left > 0) && !crate::table::is_row(l) {
            // "- Như trên; PHÓ TỔNG CỤC TRƯỞNG", "… (2b). BỘ TRƯỞNG, CHỦ NHIỆM Mai Tiến Dũng".
            let (text, name) = match crate::signer_ocr::name_at_end(l) {
                Some(i) => (&l[..i], Some(l[i..].trim())),
                None => (*l, None),
            };
            if let Some(tail) = crate::signer_ocr::capitals_tail(text) {
                for part in split_block_cell(&standard(&tail)) {
                    own.push(part);
                    at.push(k);
                }
                if let Some(n) = name {
                    own.push(n.to_string());
                    at.push(k);
                }
                continue;
            }
            // An entry of the list with nothing of the block beside it ("- Như trên;"
            // between "Nơi nhận:   KT. GIÁM ĐỐC" and "- UBND tỉnh;   PHÓ GIÁM ĐỐC" of a PDF
            // laid out in columns) parts no lines of the block.
            if !label && name.is_none() && l.trim_start().starts_with(['-', '–', '+', '•']) {
                continue;
            }
        }
        if crate::table::is_row(l) {
            // The signature column beside "Nơi nhận": the recipients' cells are left out.
            for cell in l.split(" | ").map(|c| c.trim().trim_matches('|').trim()) {
                let f = fold(cell);
                if cell.is_empty() || cell.starts_with(['-', '–']) || f.starts_with("noi nh") {
                    continue;
                }
                // "| THỦ TƯỚNG Nguyễn Xuân Phúc |", "| KT. BỘ TRƯỞNG THỨ TRƯỞNG Lê Tấn Dũng |":
                // the name after the titles in one cell (a legal web site's table).
                for part in split_block_cell(cell) {
                    for p in split_name_tail(&standard(&part))
                        .iter()
                        .flat_map(|p| titles_then_name(p))
                    {
                        own.push(p);
                        at.push(k);
                    }
                }
            }
        } else if let Some(i) = capacity_after_text(l) {
            // "Nơi nhận: T/M BAN THƯỜNG VỤ" — two columns run together.
            for part in split_block_cell(&standard(&l[i..])) {
                own.push(part);
                at.push(k);
            }
        } else {
            for part in split_name_tail(&standard(l)) {
                own.push(part);
                at.push(k);
            }
        }
    }
    join_wrapped_capacity(&mut own, &mut at);
    let refs: Vec<&str> = own.iter().map(String::as_str).collect();
    find_signer_in(&refs).map(|(s, i)| (s, at.get(i).copied().unwrap_or(i)))
}

/// Bodies a capacity is held for ("TM. BỘ CHÍNH TRỊ", "TM. ỦY BAN NHÂN DÂN"), folded.
const CAPACITY_BODIES: &[&str] = &[
    "bo chinh tri",
    "ban bi thu",
    "ban thuong vu",
    "ban chap hanh",
    "uy ban nhan dan",
    "chinh phu",
    "hoi dong nhan dan",
    "tinh uy",
    "thanh uy",
    "dang uy",
    "ban can su dang",
    "ban chi dao",
];

/// A capacity line cut by a wrap ("T/M BỘ CHÍNH" / "TRỊ", "TM. ỦY BAN NHÂN" / "DÂN"):
/// the fragment goes back onto its line, where the body's name is whole.
fn join_wrapped_capacity(own: &mut Vec<String>, at: &mut Vec<usize>) {
    let mut k = 0;
    while k + 1 < own.len() {
        if !own[k].trim_start().starts_with(['T', 'K', 'Q']) {
            k += 1;
            continue;
        }
        let head = AUTHORITY
            .captures(own[k].trim())
            .and_then(|c| c.get(2))
            .map(|m| fold(m.as_str()));
        let next = own[k + 1].trim();
        let fragment = next.split_whitespace().count() <= 2
            && upper_ratio(next) > 0.9
            && !next.chars().any(|c| c.is_ascii_digit());
        let completes = head.as_ref().is_some_and(|h| {
            let joined = format!("{h} {}", fold(next));
            CAPACITY_BODIES
                .iter()
                .any(|b| joined.ends_with(b) && !h.ends_with(b))
        });
        if fragment && completes {
            let joined = format!("{} {next}", own[k].trim_end());
            own[k] = joined;
            own.remove(k + 1);
            at.remove(k + 1);
        }
        k += 1;
    }
}

/// A line of the "Nơi nhận" list (ô 9b): an entry ("- Như trên;"), its continuation, or a
/// blank line between entries.
fn in_recipients_list(l: &str) -> bool {
    let t = l.trim();
    t.is_empty()
        || t.starts_with(['-', '–', '~', '_', '+', '•', '*', '“', '"'])
        || t.starts_with(char::is_lowercase)
        || t.ends_with([';', ',', '\\'])
}

/// Whether `t` opens with a capacity ("KT.", "T/M", "TM ."), ô 7a.
pub(crate) fn starts_with_capacity(t: &str) -> bool {
    AUTHORITY.is_match(&standard(t))
}

/// Where a capacity ("TM.", "KT.", "T/M", "K/T") starts after other text on a line that
/// begins "Nơi nhận", or None.
fn capacity_after_text(line: &str) -> Option<usize> {
    if !fold(line.trim_start()).starts_with("noi nh") {
        return None;
    }
    CAPACITY_INSIDE.find(line).map(|m| m.start() + 1)
}

static CAPACITY_INSIDE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s(?:TM|KT|TL|TUQ|Q)\s*\.\s*\p{Lu}|\s(?:T/M|K/T)\s|\s(?:TM|KT)\s*:\s*\p{Lu}")
        .expect("static regex")
});

/// A signature block flattened on one line ("KT. BỘ TRƯỞNG THỨ TRƯỞNG Đinh Trung Tụng"):
/// the capitals, then the name in mixed case.
/// "THỨ TRƯỞNG Lê Tấn Dũng" → the title in capitals, then the name (two to five words,
/// each capitalised); anything else whole.
fn titles_then_name(s: &str) -> Vec<String> {
    let words: Vec<&str> = s.split_whitespace().collect();
    let capitalised =
        |w: &str| w.starts_with(char::is_uppercase) && w.chars().skip(1).any(char::is_lowercase);
    let upper = |w: &str| w.chars().any(char::is_alphabetic) && !w.chars().any(char::is_lowercase);
    let Some(k) = words.iter().position(|w| capitalised(w)) else {
        return vec![s.to_string()];
    };
    let name = &words[k..];
    if k == 0
        || !words[..k].iter().all(|w| upper(w))
        || !(2..=5).contains(&name.len())
        || !name.iter().all(|w| capitalised(w))
    {
        return vec![s.to_string()];
    }
    vec![words[..k].join(" "), name.join(" ")]
}

fn split_name_tail(line: &str) -> Vec<String> {
    if !AUTHORITY.is_match(line) || line.chars().count() > 120 {
        return vec![line.to_string()];
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    let first_mixed = words.iter().position(|w| {
        let mut cs = w.chars();
        cs.next().is_some_and(char::is_uppercase) && cs.any(char::is_lowercase)
    });
    match first_mixed {
        Some(i) if i >= 2 && (2..=5).contains(&(words.len() - i)) => {
            let mut out = split_block_cell(&words[..i].join(" "));
            out.push(words[i..].join(" "));
            out
        }
        _ => split_block_cell(line),
    }
}

/// A table cell holding a whole signature block ("KT. BỘ TRƯỞNG THỨ TRƯỞNG"): the
/// capacity first, then the title, then a name in mixed case.
fn split_block_cell(cell: &str) -> Vec<String> {
    let c = standard(cell);
    let Some(m) = AUTHORITY.captures(&c) else {
        return vec![c];
    };
    let code = m.get(1).map_or("", |x| x.as_str());
    let rest = m.get(2).map_or("", |x| x.as_str()).trim();
    // "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH": two capacities on one line.
    let spaced = format!(" {rest}");
    if let Some(inner) = CAPACITY_INSIDE.find(&spaced).filter(|m| m.start() > 0) {
        let mut out = vec![format!("{code}. {}", spaced[..inner.start()].trim())];
        out.extend(split_block_cell(spaced[inner.start()..].trim()));
        return out;
    }
    // "BỘ TRƯỞNG THỨ TRƯỞNG": the collective or head, then the signer's own title.
    for title in [
        "PHÓ ",
        "THỨ TRƯỞNG",
        "CHÁNH ",
        "TỔNG BÍ THƯ",
        "CHỦ TỊCH",
        "THỦ TƯỚNG",
        "BỘ TRƯỞNG",
        "GIÁM ĐỐC",
    ] {
        if let Some(i) = rest.find(title).filter(|i| *i > 0) {
            return vec![
                format!("{code}. {}", rest[..i].trim()),
                rest[i..].trim().to_string(),
            ];
        }
    }
    vec![c]
}

/// The signer's title when the block prints only its capacity line (the line under it
/// lost, as in a scan): NĐ 30/2020/NĐ-CP, Phụ lục I, mục II.8 — under "KT." the deputy
/// signs ("KT. TỔNG CỤC TRƯỞNG" → Phó Tổng cục trưởng; "KT. BỘ TRƯỞNG" → Thứ trưởng;
/// "KT. BỘ TRƯỞNG, CHỦ NHIỆM" → Phó Chủ nhiệm); under "Q." the line names the office the
/// signer holds; under "TM." it names the collective, and under "TL." and "TUQ." the head
/// of a unit signs: titles the line does not give.
fn signer_of_capacity(kind: &str, head: &str) -> Option<String> {
    let head = head.trim();
    if head.is_empty() {
        return None;
    }
    let mended = crate::signer_ocr::mended_title(head);
    let head = mended.as_deref().unwrap_or(head);
    match kind {
        "KT" => {
            let f = crate::normalize::fold(head);
            let last = head.rsplit(',').next().unwrap_or(head).trim();
            Some(if f == "bo truong" {
                "Thứ trưởng".to_string()
            } else if f.starts_with("bo truong,") {
                format!("Phó {last}")
            } else {
                format!("Phó {head}")
            })
        }
        // "TM. BAN THƯỜNG VỤ" names the collective, not the office its signer holds.
        "TL" | "TUQ" | "TM" => None,
        _ => Some(head.to_string()),
    }
}

/// A line that begins a title of its own ("PHÓ THỦ TƯỚNG", "THỨ TRƯỞNG"), not the end of
/// one wrapped ("THƯỜNG TRỰC").
fn opens_title(l: &str) -> bool {
    let f = fold(l.trim());
    ["pho ", "thu truong", "chu tich", "bo truong", "thu tuong"]
        .iter()
        .any(|p| f.starts_with(p))
}

fn find_signer_in(lines: &[&str]) -> Option<(Signer, usize)> {
    let mut best: Option<(Signer, usize)> = None;
    let mut i = 0;
    while i < lines.len() {
        if !crate::budget::go_on() {
            break;
        }
        if !is_block_line(lines[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len() && is_block_line(lines[i]) && !(i > start && is_name(lines[i])) {
            i += 1;
        }
        let block: Vec<&str> = lines[start..i].iter().map(|l| l.trim()).collect();
        // Name: next non-blank line that looks like a person's name; lower-case
        // noise (a scanned signature read as "lê hong vinh") is skipped.
        let mut j = i;
        let mut name = None;
        while j < lines.len() && j < i + 60 {
            let t = lines[j].trim();
            // Lines of "Nơi nhận" printed beside the block are skipped too.
            if t.is_empty() || upper_ratio(t) == 0.0 || in_recipients_list(t) {
                j += 1;
                continue;
            }
            if is_name(t) {
                name = Some(t.to_string());
            } else if !t.contains([':', ';', ',', '(', ')']) {
                // A scan's stray marks around the name ("Dang! Ngọc Minh").
                let c = crate::signer_ocr::clean_name(t);
                if c.chars().count() + 4 >= t.chars().count() && is_name(&c) {
                    name = Some(c);
                }
            }
            break;
        }
        // A block with a capacity ("KT. TỔNG CỤC TRƯỞNG") whose name was lost (a scanned
        // stamp over it) still says who signs; a block without one needs its name.
        let has_capacity = block.iter().any(|l| AUTHORITY.is_match(l));
        // Two capacity lines a scan set apart ("Nơi nhận: TM. CHÍNH PHỦ" / "- …; KT: THU
        // TUONG"), neither with a name: one block, read on from the first.
        let earlier = best
            .as_ref()
            .filter(|(b, at)| b.name.is_none() && b.authority.is_some() && start - at <= 8)
            .and_then(|(b, _)| b.authority.clone());
        if name.is_none() && (!has_capacity || (best.is_some() && earlier.is_none())) {
            continue;
        }
        // A block with a capacity and a name is the signature; capitals without a
        // capacity after it are an attachment's headings ("HƯỚNG DẪN …" / "I. YÊU CẦU").
        if !has_capacity
            && best
                .as_ref()
                .is_some_and(|(b, _)| b.authority.is_some() && b.name.is_some())
        {
            continue;
        }
        let prefixes: Vec<String> = block
            .iter()
            .filter_map(|l| {
                AUTHORITY
                    .captures(l)
                    .and_then(|c| c.get(1))
                    .map(|m| format!("{}.", m.as_str()))
            })
            .collect();
        let last_auth = block.iter().rposition(|l| AUTHORITY.is_match(l));
        let title_lines: Vec<String> = match last_auth {
            Some(k) if k + 1 < block.len() => {
                // "PHÓ TRƯỞNG BAN THƯỜNG TRỰC" / "PHÓ THỦ TƯỚNG": the office held under the
                // capacity first, a concurrent office after it.
                let mut t: Vec<String> = vec![block[k + 1].to_string()];
                for l in &block[k + 2..] {
                    if opens_title(l) {
                        break;
                    }
                    t.push(l.to_string());
                }
                t
            }
            Some(k) => AUTHORITY
                .captures(block[k])
                .and_then(|c| Some((c.get(1)?.as_str(), c.get(2)?.as_str())))
                .and_then(|(kind, head)| signer_of_capacity(kind, head))
                .map(|t| vec![t])
                .unwrap_or_default(),
            None => block.iter().map(|s| s.to_string()).collect(),
        };
        // Two capacities printed ("TM. CHÍNH PHỦ" / "KT. THỦ TƯỚNG", "TL. BỘ TRƯỞNG" / "KT.
        // CHÁNH VĂN PHÒNG"): both, in order.
        let mut distinct: Vec<String> = Vec::new();
        // ("KT. CHỦ TỊCH" / blank / "PHÓ CHỦ TỊCH" / name: a web copy's bold run broken by
        // an empty line; the title's block holds no capacity of its own.)
        let before: Vec<String> = match &earlier {
            Some(a) if name.is_none() || prefixes.is_empty() => {
                a.split('+').map(str::to_string).collect()
            }
            _ => Vec::new(),
        };
        for p in before.iter().chain(&prefixes) {
            if !distinct.contains(p) {
                distinct.push(p.clone());
            }
        }
        let authority = if distinct.len() >= 2 {
            Some(distinct.join("+"))
        } else {
            distinct.last().cloned()
        };
        let mut title = squash(&title_lines.join(" "));
        // Under "KT." the deputy signs (NĐ 30/2020/NĐ-CP, Điều 13 khoản 1 điểm b): a title
        // line that is no deputy's ("Phó …", "Thứ trưởng") is a misread one; the capacity
        // line says it.
        if let Some(k) = last_auth.filter(|k| *k + 1 < block.len())
            && let Some((kind, head)) = AUTHORITY
                .captures(block[k])
                .and_then(|c| Some((c.get(1)?.as_str(), c.get(2)?.as_str())))
            && kind == "KT"
        {
            let f = crate::normalize::fold(&title);
            if !f.starts_with("pho")
                && !f.starts_with("thu truong")
                && let Some(t) = signer_of_capacity(kind, head)
            {
                title = t;
            }
        }
        if let Some(t) = crate::signer_ocr::mended_title(&title) {
            title = t;
        }
        let name = name.map(|name| {
            if upper_ratio(&name) > 0.9 {
                name.to_lowercase()
                    .split(' ')
                    .map(capitalize_first)
                    .collect::<Vec<_>>()
                    .join(" ")
            } else {
                name
            }
        });
        best = Some((
            Signer {
                name,
                title: if title.is_empty() {
                    None
                } else {
                    Some(case_upper(&title))
                },
                authority,
            },
            start,
        ));
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Signer {
        let lines: Vec<&str> = text.lines().collect();
        find_signer(&lines).map(|(s, _)| s).unwrap_or_default()
    }

    #[test]
    fn column_glued_to_the_recipients_list() {
        let s = read(
            "Tổng cục Thuế thông báo để các Cục Thuế biết.\n\nNoi nhận: KT.TONG CỤC TRƯỞNG\n\
             - Như trên; PHÓ TỎNG CỤC TRƯỞNG\n\n- Lãnh đạo TCT;\n- Luu: VT; TTr.\n\nDang! Ngọc Minh",
        );
        assert_eq!(s.authority.as_deref(), Some("KT."));
        assert_eq!(s.title.as_deref(), Some("Phó Tổng cục trưởng"));
        assert_eq!(s.name.as_deref(), Some("Dang Ngọc Minh"));
        let s = read(
            "Nơi nhận:\n- Như trên;\n- Lưu: VT, ĐMDN (2b). Trung Anh BỘ TRƯỞNG, CHỦ NHIỆM Mai Tiến Dũng",
        );
        assert_eq!(s.name.as_deref(), Some("Mai Tiến Dũng"));
        assert_eq!(s.authority, None);
    }

    #[test]
    fn a_capacity_set_apart_from_its_title() {
        // A web copy's bold run broken by an empty line.
        let s = read("- Lưu: VT, (MT.Tấn).\n\nKT. CHỦ TỊCH\n\nPHÓ CHỦ TỊCH\nTrần Thị Diệu Thúy");
        assert_eq!(s.authority.as_deref(), Some("KT."));
        assert_eq!(s.title.as_deref(), Some("Phó Chủ tịch"));
        // Columns of a PDF: "Nơi nhận:   KT. GIÁM ĐỐC" / "- Như trên;" / "- UBND tỉnh;   PHÓ
        // GIÁM ĐỐC".
        let s = read(
            "Nơi nhận:                          KT. GIÁM ĐỐC\n- Như trên;\n- Uỷ ban nhân dân tỉnh;   \
             PHÓ GIÁM ĐỐC\n- Lưu: VT, CCMT.\n                                   Hà Mạnh Cường",
        );
        assert_eq!(s.authority.as_deref(), Some("KT."));
        assert_eq!(s.name.as_deref(), Some("Hà Mạnh Cường"));
    }

    #[test]
    fn deputy_title_from_the_capacity() {
        let s = read("KT. TỔNG CỤC TRƯỞNG\nCUC TRUONG\nNguyễn Văn An");
        assert_eq!(s.title.as_deref(), Some("Phó Tổng cục trưởng"));
        let s = read("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Hữu Tháp");
        assert_eq!(s.authority.as_deref(), Some("TM.+KT."));
    }
}
