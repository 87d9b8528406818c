//! Splitting a file into documents, and the header of each (NĐ 30/2020/NĐ-CP,
//! Phụ lục I: ô 1 Quốc hiệu, ô 2 tên cơ quan, ô 3 số/ký hiệu, ô 4 địa danh và
//! ngày, ô 5a/5b loại và trích yếu, ô 9a Kính gửi).

use crate::agency::{parse_agencies, starts_like_agency};
use crate::date::place_and_date;
use crate::header_lines::{
    DANGLING, continues_title, enacts, is_motto_part, is_motto_tail, opens_motto,
    without_enacting_tail,
};
use crate::normalize::{case_upper, fold, squash, upper_ratio};
use crate::number::find_numbers;
use crate::table::is_row;
use regex::Regex;
use std::sync::LazyLock;

fn re(p: &str) -> Regex {
    Regex::new(p).expect("static regex")
}

/// "Số: 6794/UBND-KSTT", "Số 574 /KH-UBND", "SỐ: 05/CT-UBND".
static NUMBER_LINE: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*(?:\|\s*)?(?:Số|SỐ|So)\s*:?\s*\d"));
pub(crate) static MOTTO: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(C[ỘO]NG\s+H(?:ÒA|OÀ|OA)\s+X[ÃA]\s+H[ỘO]I\s+CH[ỦU]\s+NGH[ĨI]A\s+VI[ỆE]T\s+NAM|Độc\s+lập\s*[-–—]\s*Tự\s+do\s*[-–—]\s*H[ạa]nh\s+phúc|Đ[ẢÁA]NG\s+C[ỘO]NG\s+S[ẢA]N\s+VI[ỆE]T\s+NAM)",
    )
});
static PLACE_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:^|[\s|])((?:Thành phố[ \t]+|TP\.[ \t]*)?(?:\p{Lu}\p{Ll}*[ \t]+){0,3}\p{Lu}\p{Ll}+)[ \t]*,[ \t]*[nN]g(?:[àa]y|a\p{Ll}{1,2}|\p{Ll}y)",
    )
});
static INNER_VV: LazyLock<Regex> = LazyLock::new(|| re(r"\s(?:V/v|v/v|V/V)\.?\s*:?\s"));
static SUBJECT_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:V/v|V/V|v/v|Vw|Về việc|VỀ VIỆC|về việc)\s*:?\s*"));
/// Ô 9a: "Kính gửi:" (or "gửi:" when a scan lost or misread the first word: "Site gửi:",
/// or its accent: "Kính gui:"), and a công điện's
/// addressees: "THỦ TƯỚNG CHÍNH PHỦ điện:", "Điện gửi:" (NĐ 30/2020/NĐ-CP, Phụ lục III:
/// công điện).
pub(crate) static RECIPIENTS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:(?:Kính gửi|KÍNH GỬI|Đồng kính gửi|Điện gửi|ĐIỆN GỬI)\s*:?|(?:\p{L}{2,5}\s+)?[Gg](?:ửi?|ui|ưi|ủi)\s*:+|[\p{Lu}\s,.]{4,80}\s(?:điện|ĐIỆN)\s*:)\s*(.*)$",
    )
});

/// Type names printed as a heading (ô 5a), Phụ lục III.
const TYPE_HEADINGS: &[(&str, &str)] = &[
    ("thong bao", "Thông báo"),
    ("ke hoach", "Kế hoạch"),
    ("quyet dinh", "Quyết định"),
    ("chi thi", "Chỉ thị"),
    ("bao cao", "Báo cáo"),
    ("cong dien", "Công điện"),
    ("huong dan", "Hướng dẫn"),
    ("chuong trinh", "Chương trình"),
    ("nghi quyet", "Nghị quyết"),
    ("to trinh", "Tờ trình"),
    ("quy che", "Quy chế"),
    ("quy dinh", "Quy định"),
    ("de an", "Đề án"),
    ("phuong an", "Phương án"),
    ("giay moi", "Giấy mời"),
    ("thong cao", "Thông cáo"),
    ("bien ban", "Biên bản"),
    ("cong van", "Công văn"),
    ("ket luan", "Kết luận"),
    ("ban thoa thuan", "Bản thỏa thuận"),
    ("ban ghi nho", "Bản ghi nhớ"),
];

/// The kind whose folded name is `f` ("cong van" → "Công văn"), Phụ lục III.
pub(crate) fn type_name(f: &str) -> Option<&'static str> {
    TYPE_HEADINGS.iter().find(|(k, _)| *k == f).map(|(_, n)| *n)
}

pub fn is_number_line(line: &str) -> bool {
    NUMBER_LINE.is_match(line) && !find_numbers(line).is_empty()
}

fn is_header_like(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() || !t.chars().any(|c| c.is_alphanumeric()) {
        // Blank, rules ("-------") and table-cell remnants ("|").
        return true;
    }
    if is_motto_part(t) {
        return true;
    }
    // A web page's title with the issuer block glued after it ("… ban hành. VĂN PHÒNG
    // CHÍNH PHỦ -------").
    if crate::header_ocr::capitals_after_sentence(t).is_some() {
        return true;
    }
    // The issuer's name beside a misread motto ("TONG CỤC THUE Độc lập - Tự do — Hanh phúc").
    if !MOTTO.is_match(t)
        && let Some(i) = crate::header_ocr::motto_start(t).filter(|i| *i > 0)
    {
        let before = t[..i].trim();
        return upper_ratio(before) > 0.7 && before.chars().count() < 120;
    }
    if is_row(line) && !MOTTO.is_match(t) && !NUMBER_LINE.is_match(t) {
        return false;
    }
    MOTTO.is_match(t)
        || (upper_ratio(t) > 0.7 && t.chars().count() < 120)
        || place_and_date(t).is_some_and(|(p, _)| p.is_some()) && t.chars().count() < 90
}

/// The national motto (or the Party's) as a header prints it: at the start of a short line,
/// or of a cell of it — not "Ngày Pháp luật nước Cộng hòa xã hội chủ nghĩa Việt Nam" in
/// a sentence.
fn is_motto_line(l: &str) -> bool {
    let Some(m) = MOTTO.find(l) else {
        return false;
    };
    let before = l[..m.start()].trim();
    let at_start = before.is_empty() || before.ends_with('|') || upper_ratio(before) > 0.8;
    let f = fold(m.as_str());
    at_start && l.chars().count() <= 160 && (f.contains("cong hoa") || f.contains("dang cong san"))
}

/// Start lines of the documents in a file: each number line, extended back over
/// the issuer block, the national motto and a place/date line above it.
pub fn split_documents(lines: &[&str]) -> Vec<(usize, usize)> {
    let mut anchors: Vec<usize> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if !crate::budget::go_on() {
            break;
        }
        if is_number_line(l) && !cites_in_sentence(lines, i) {
            anchors.push(i);
        } else if is_motto_line(l) {
            // A motto without a number line in the next lines starts a document too.
            let has_number = lines[i + 1..lines.len().min(i + 14)]
                .iter()
                .any(|x| is_number_line(x))
                || lines[i.saturating_sub(4)..i]
                    .iter()
                    .any(|x| is_number_line(x));
            if !has_number {
                anchors.push(i);
            }
        }
    }
    if anchors.is_empty() {
        return if lines.iter().any(|l| !l.trim().is_empty()) {
            vec![(0, lines.len())]
        } else {
            Vec::new()
        };
    }
    let mut starts: Vec<usize> = Vec::new();
    for (k, &a) in anchors.iter().enumerate() {
        let floor = if k == 0 { 0 } else { anchors[k - 1] + 1 };
        let mut s = a;
        let mut steps = 0;
        while s > floor && steps < 14 && is_header_like(lines[s - 1]) {
            s -= 1;
            steps += 1;
        }
        while s < a && lines[s].trim().is_empty() {
            s += 1;
        }
        if k == 0
            && lines[..s]
                .iter()
                .all(|l| l.trim().is_empty() || is_header_like(l))
        {
            s = 0;
        }
        if starts.last().is_none_or(|&p| s > p) {
            starts.push(s);
        }
    }
    if let Some(first) = starts.first_mut() {
        // Text before the first header belongs to the first document.
        if lines[..*first].iter().all(|l| l.trim().is_empty()) {
            *first = 0;
        }
    }
    let mut out = Vec::new();
    if starts[0] > 0 && lines[..starts[0]].iter().any(|l| !l.trim().is_empty()) {
        out.push((0, starts[0]));
    }
    for (k, &s) in starts.iter().enumerate() {
        let e = starts.get(k + 1).copied().unwrap_or(lines.len());
        out.push((s, e));
    }
    out
}

/// "… theo đề nghị của Bộ trưởng … tại các Tờ trình:" / "Số 202/TTr-BVHTTDL ngày 11 tháng 5
/// năm 2026, số 192/TTr-BVHTTDL …": a number the body cites at the head of a wrapped line,
/// not ô 3 of a new document (which has "Số:" or stands under its issuer block).
fn cites_in_sentence(lines: &[&str], i: usize) -> bool {
    let l = lines[i].trim_start().trim_start_matches('|').trim_start();
    let after = l
        .strip_prefix("Số")
        .or_else(|| l.strip_prefix("SỐ"))
        .unwrap_or(l);
    if after.trim_start().starts_with(':') {
        return false;
    }
    // The sentence's line right above, a line of prose (not a signer's name over the next
    // document's header).
    let Some(prev) = i.checked_sub(1).map(|p| lines[p].trim()) else {
        return false;
    };
    prev.chars().count() >= 40
        && !is_header_like(prev)
        && prev
            .chars()
            .last()
            .is_some_and(|c| c.is_lowercase() || matches!(c, ',' | ':' | ';'))
}

/// A line that cannot continue a subject (trích yếu): the body, a table, a list.
fn ends_subject(n: &str) -> bool {
    let f = fold(n);
    n.chars().count() > 300
        || is_row(n)
        || RECIPIENTS.is_match(n)
        || crate::structure::classify(n).0 != crate::structure::Marker::None
        || (upper_ratio(n) < 0.7
            && ["can cu ", "thuc hien ", "kinh gui", "ngay "]
                .iter()
                .any(|p| f.starts_with(p)))
}

/// Header fields and where the body starts.
#[derive(Debug, Default)]
pub struct Header {
    pub number: Option<String>,
    pub number_line: Option<usize>,
    pub doc_type: Option<String>,
    pub issuer: Option<String>,
    pub place: Option<String>,
    pub date: Option<String>,
    pub subject: Option<String>,
    pub recipients: Vec<String>,
    /// A công điện's sender, from "THỦ TƯỚNG CHÍNH PHỦ điện:".
    pub sender: Option<String>,
    pub has_vv: bool,
    /// Index (within the document) of the first body line.
    pub body_start: usize,
}

fn strip_motto(s: &str) -> String {
    if is_motto_part(s) {
        return String::new();
    }
    let mut t = s.to_string();
    if let Some(m) = MOTTO.find(&t) {
        t = t[..m.start()].to_string();
    } else if let Some(i) = crate::header_ocr::motto_start(&t) {
        t = t[..i].to_string();
    }
    let t = t
        .split(" | ")
        .next()
        .unwrap_or("")
        .trim()
        .trim_matches('|')
        .trim();
    t.trim_matches(|c: char| c == '-' || c == '_' || c.is_whitespace())
        .to_string()
}

/// Words that begin a lower line of the issuer block that continues the name
/// ("ỦY BAN NHÂN DÂN / TỈNH NGHỆ AN") rather than naming a subordinate agency.
fn continues_name(line: &str) -> bool {
    let f = fold(line);
    [
        "tinh ",
        "huyen ",
        "thanh pho ",
        "thi xa ",
        "xa ",
        "phuong ",
        "quan ",
        "thi tran ",
        "trung uong",
        // A name broken inside its column ("BỘ VĂN HÓA, THỂ" / "THAO" / "VÀ DU LỊCH"): no
        // agency's name begins with "và".
        "va ",
    ]
    .iter()
    .any(|p| f.starts_with(p))
        || f == "chinh phu"
        // A name wrapped in its column ("VĂN PHÒNG CHÍNH" / "PHỦ").
        || (!f.is_empty() && !f.contains(' '))
}

/// The body a decision or resolution is enacted by, printed in capitals above its
/// "Căn cứ …" lines ("ỦY BAN THƯỜNG VỤ QUỐC HỘI", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH X",
/// "BỘ TRƯỞNG BỘ TÀI CHÍNH"): the issuer when the header lost its own block. A head's
/// title gives way to the body ("Bộ Tài chính"), except the Prime Minister's.
fn enacting_body(lines: &[&str]) -> Option<String> {
    let basis = lines
        .iter()
        .position(|l| fold(l.trim()).starts_with("can cu "))?;
    let line = lines[..basis]
        .iter()
        .rev()
        .map(|l| l.trim())
        .find(|l| !l.is_empty())?;
    if upper_ratio(line) < 0.8 || line.chars().count() > 80 || is_motto_part(line) {
        return None;
    }
    let f = fold(line);
    if TYPE_HEADINGS.iter().any(|(k, _)| f == *k) {
        return None;
    }
    let name = case_upper(line);
    for head in [
        "Chủ tịch ",
        "Bộ trưởng ",
        "Giám đốc ",
        "Tổng cục trưởng ",
        "Cục trưởng ",
    ] {
        if let Some(rest) = name.strip_prefix(head) {
            return Some(crate::normalize::capitalize_first(rest));
        }
    }
    Some(name)
}

/// Reads the header of one document (`lines` are the document's own lines).
pub fn read_header(lines: &[&str]) -> Header {
    let mut h = Header::default();
    let limit = lines.len().min(40);
    h.number_line = lines[..limit].iter().position(|l| is_number_line(l));
    if let Some(n) = h.number_line {
        h.number = find_numbers(lines[n]).into_iter().next().map(|f| f.text);
        // "Số: 3 70 /TCHQ-TXNK": the digits a scan spaced apart belong to the number; "Số:
        // 4390     /UBND-NLN": a number typed into the blank of a form.
        if let Some(m) = crate::header_ocr::misread_number(lines[n])
            && h.number
                .as_ref()
                .is_none_or(|x| m.len() > x.len() && m.ends_with(x.as_str()))
        {
            h.number = Some(m);
        }
    } else if let Some((i, m)) = lines[..limit.min(14)]
        .iter()
        .enumerate()
        .filter(|(_, l)| l.chars().count() < 240)
        .find_map(|(i, l)| crate::header_ocr::misread_number(l).map(|m| (i, m)))
    {
        h.number_line = Some(i);
        h.number = Some(m);
    } else if let Some((i, m)) = crate::header_ocr::split_number(&lines[..limit.min(14)]) {
        h.number_line = Some(i);
        h.number = Some(m);
    } else if let Some((i, m)) = lines[..limit.min(14)]
        .iter()
        .enumerate()
        .filter(|(_, l)| l.chars().count() < 240)
        .find_map(|(i, l)| crate::header_ocr::number_before_place(l).map(|m| (i, m)))
    {
        h.number_line = Some(i);
        h.number = Some(m);
    }
    if let Some(n) = h.number_line
        && let Some(next) = lines.get(n + 1).map(|l| l.trim())
        && lines[n].trim_end().ends_with(['-', '/'])
        && next.starts_with(|c: char| c.is_uppercase())
    {
        // "Số: 123/QĐ-" / "UBND": the symbol broken at its hyphen.
        let joined = format!("{}{next}", lines[n].trim_end());
        if let Some(f) = find_numbers(&joined).into_iter().next() {
            h.number = Some(f.text);
        }
    }
    // Place and date: join the short lines of the header area, so that breaks
    // inside "ngày 18\ntháng 11" do not matter.
    let mut joined = String::new();
    let mut date_line = None;
    let mut offsets: Vec<(usize, usize)> = Vec::new();
    for (i, l) in lines[..limit].iter().enumerate() {
        // The body's grounds ("Căn cứ Nghị quyết số … ngày 12 tháng 6 năm 2025") come after
        // ô 4: their dates are other documents'.
        if fold(l.trim()).starts_with("can cu ") {
            break;
        }
        if l.chars().count() > 160 {
            if crate::header_ocr::capitals_after_sentence(l).is_some() {
                continue;
            }
            break;
        }
        offsets.push((joined.len(), i));
        joined.push_str(l.trim());
        // Lines stay apart for the place ("…Thái Bình" / "Hà Nội, ngày …"); the date's
        // own breaks are joined by the layout step.
        joined.push('\n');
    }
    if let Some((place, date)) = place_and_date(&joined) {
        h.place = place;
        h.date = date;
        if let Some((s, _)) = crate::date::date_line_span(&joined) {
            date_line = offsets.iter().rev().find(|(o, _)| *o <= s).map(|(_, i)| *i);
        }
    }
    if h.place.is_none()
        && let Some(c) = PLACE_ONLY.captures(&joined).and_then(|c| c.get(1))
    {
        // The date unreadable (a scan), the place before ", ngày" still is.
        h.place = Some(squash(c.as_str()));
    }
    // Issuer: capital lines above the number (motto cut away).
    // Without a readable number or date (OCR), the motto marks the header's end.
    let motto_end = lines[..limit.min(12)]
        .iter()
        .rposition(|l| MOTTO.is_match(l))
        .map(|i| i + 1);
    let top = h
        .number_line
        .or(date_line)
        .or(motto_end)
        .unwrap_or(0)
        .min(12);
    let mut issuer_lines: Vec<String> = Vec::new();
    let mut motto_open = false;
    for l in &lines[..top] {
        if l.trim().is_empty() {
            continue;
        }
        if std::mem::take(&mut motto_open) && is_motto_tail(l) {
            continue;
        }
        motto_open = opens_motto(l);
        let t = strip_motto(l);
        let t = crate::header_ocr::capitals_after_sentence(&t).unwrap_or(t);
        if t.is_empty() || upper_ratio(&t) < 0.7 || place_and_date(&t).is_some() {
            continue;
        }
        issuer_lines.push(t);
    }
    // The issuer's name beside the motto on the number line, two columns read as one
    // ("TỔNG CỤC THUẾ Độc lập — Tự do — Hạnh phúc số: 4222 /TCT-PC Hà Nội. ngày …").
    if let Some(n) = h.number_line.filter(|n| *n == top && *n < limit)
        && let Some(i) = crate::header_ocr::motto_start(lines[n]).filter(|i| *i > 0)
    {
        let before = lines[n][..i].trim();
        if upper_ratio(before) > 0.7
            && before.chars().filter(|c| c.is_alphabetic()).take(4).count() >= 4
        {
            issuer_lines.push(before.to_string());
        }
    }
    if !issuer_lines.is_empty() {
        let mut name = issuer_lines[0].clone();
        for l in &issuer_lines[1..] {
            if continues_name(l) {
                name.push(' ');
                name.push_str(l);
            } else if fold(l.trim()) == "van phong" {
                // "VĂN PHÒNG" under "CHÍNH PHỦ" is the Văn phòng Chính phủ.
                name = format!("{} {name}", l.trim());
            } else if fold(&name) == "ban chap hanh trung uong"
                && fold(l.trim()).starts_with("ban ")
            {
                // "BAN TUYÊN GIÁO VÀ DÂN VẬN" under "BAN CHẤP HÀNH TRUNG ƯƠNG": a board of
                // the Central Committee, named "… Trung ương".
                name = format!("{} TRUNG ƯƠNG", l.trim());
            } else {
                name = l.clone();
            }
        }
        h.issuer = Some(case_upper(&name));
    }
    if h.issuer.is_none() {
        h.issuer = enacting_body(&lines[..limit]);
    }
    // Type heading and subject.
    let after = h.number_line.max(date_line).map_or(0, |x| x + 1);
    let mut subject_end = after;
    let scan_from = h.number_line.map_or(0, |n| n);
    let mut i = scan_from;
    while i < limit {
        let t = lines[i].trim();
        if let Some(end) = SUBJECT_PREFIX
            .find(t)
            .map(|m| m.end())
            .or_else(|| crate::header_ocr::misread_vv(t))
        {
            h.has_vv = true;
            let mut parts = vec![t[end..].to_string()];
            let mut j = i + 1;
            let ends = |n: &str| {
                is_number_line(n)
                    || RECIPIENTS.is_match(n)
                    || place_and_date(n).is_some_and(|(p, _)| p.is_some())
            };
            while j < lines.len() {
                let n = lines[j].trim();
                if n.is_empty() {
                    // The last word or two of the trích yếu a scan set apart by a blank line
                    // ("… đối với lĩnh vực" / "" / "TMDT.").
                    let k = (j + 1..lines.len().min(j + 3)).find(|&k| !lines[k].trim().is_empty());
                    if let Some(k) = k
                        && let n = lines[k].trim()
                        && n.chars().count() <= 20
                        && !ends(n)
                        && !parts
                            .last()
                            .is_some_and(|p| p.trim_end().ends_with(['.', ':']))
                        && lines
                            .get(k + 1)
                            .is_none_or(|x| x.trim().is_empty() || ends(x.trim()))
                    {
                        parts.push(n.trim_end_matches('.').to_string());
                        j = k + 1;
                    }
                    break;
                }
                if ends(n) {
                    break;
                }
                parts.push(n.to_string());
                j += 1;
            }
            let mut s = squash(&parts.join(" "));
            if let Some((ds, _)) = crate::date::date_line_span(&s) {
                // Headers joined in one line: "V/v … Nghệ An, ngày …".
                if place_and_date(&s[ds..]).is_some_and(|(p, _)| p.is_some()) && ds > 0 {
                    s = s[..ds].trim().to_string();
                    if let Some((p, _)) =
                        place_and_date(&parts.join(" ")).and_then(|(p, d)| p.map(|p| (p, d)))
                    {
                        s = s
                            .trim_end_matches(p.as_str())
                            .trim()
                            .trim_end_matches(',')
                            .trim()
                            .to_string();
                    }
                }
            }
            h.subject = Some(s);
            subject_end = subject_end.max(j);
            break;
        }
        // A scan's stray mark before the kind's name (": BẢN THỎA THUẬN …").
        let t = t.trim_start_matches([':', ';', '.', ',', '`', '\'', ' ']);
        let f = fold(t);
        // The kind's name alone, or with the title on the same line ("QUYẾT ĐỊNH Phê duyệt
        // Đề án …", "QUYẾT ĐỊNH BAN HÀNH KẾ HOẠCH …").
        // Where the kind's name ends in `t` (the folded key has one character per letter).
        let heading = TYPE_HEADINGS.iter().find_map(|(k, name)| {
            let rest = f.strip_prefix(k)?;
            let cut = t
                .char_indices()
                .nth(k.chars().count())
                .map_or(t.len(), |(b, _)| b);
            (rest.is_empty() || rest.starts_with(' ')).then_some((cut, *name))
        });
        if let Some((cut, name)) = heading.filter(|(cut, _)| upper_ratio(&t[..*cut]) > 0.8) {
            h.doc_type = Some(name.to_string());
            let same_line = t[cut..].trim();
            // "THÔNG BÁO KẾT LUẬN" alone on its line: the kind of notice, its title below.
            let same_line = if fold(same_line) == "ket luan" {
                ""
            } else {
                same_line
            };
            let mut j = i + 1;
            while j < lines.len() && lines[j].trim().is_empty() {
                j += 1;
            }
            let mut parts = Vec::new();
            if !same_line.is_empty() {
                parts.push(without_enacting_tail(same_line));
            }
            while j < lines.len() && parts.len() < 6 {
                if lines[j].trim().is_empty() {
                    // A title in capitals set out in blocks ("CỦA ĐỒNG CHÍ …" / "" / "TẠI HỘI
                    // NGHỊ …"): the next block goes on when it opens with a linking word.
                    let k = (j + 1..lines.len().min(j + 3)).find(|&k| !lines[k].trim().is_empty());
                    match k {
                        Some(k)
                            if !parts.is_empty()
                                && parts.iter().all(|p| upper_ratio(p) > 0.8)
                                && upper_ratio(lines[k]) > 0.8
                                && continues_title(lines[k])
                                && !enacts(lines, k) =>
                        {
                            j = k;
                        }
                        _ => break,
                    }
                }
                let n = lines[j].trim();
                // The line under the kind's name is its title, however it begins.
                let first = parts.is_empty() && n.chars().count() <= 600 && !RECIPIENTS.is_match(n);
                if (!first && ends_subject(n)) || (!parts.is_empty() && enacts(lines, j)) {
                    break;
                }
                parts.push(n.to_string());
                j += 1;
            }
            if !parts.is_empty() {
                let title = squash(&parts.join(" "));
                let title = match SUBJECT_PREFIX.find(&title) {
                    Some(m) if m.end() < title.len() => title[m.end()..].to_string(),
                    _ => title,
                };
                h.subject = Some(title);
            }
            subject_end = subject_end.max(j);
            break;
        }
        if t.chars().count() > 200 {
            break;
        }
        i += 1;
    }
    // "V/v …" run into the number or date line (scans, crawler copies).
    if h.subject.is_none()
        && let Some((i, at)) = lines[..limit.min(14)]
            .iter()
            .enumerate()
            .find_map(|(i, l)| INNER_VV.find(l).map(|m| (i, m.end())))
    {
        let rest = &lines[i][at..];
        let rest = rest.split("Kính gửi").next().unwrap_or(rest);
        // "| Số: 683/BTC-CST V/v … | Hà Nội, ngày 19 tháng 01 năm 2026 |": the cell's end.
        let rest = rest
            .split(" | ")
            .next()
            .unwrap_or(rest)
            .trim_end_matches(['|', ' ']);
        let s = squash(rest.trim().trim_end_matches('.'));
        if s.chars().count() > 5 {
            h.subject = Some(s);
            h.has_vv = true;
        }
    }
    // Kính gửi.
    let mut body_start = subject_end;
    let mut block = lines[..limit]
        .iter()
        .position(|l| RECIPIENTS.is_match(l.trim()));
    while let Some(k) = block.take() {
        let mut items: Vec<String> = Vec::new();
        let line = lines[k].trim();
        if let Some(i) = line.find(" điện").or_else(|| line.find(" ĐIỆN"))
            && upper_ratio(&line[..i]) > 0.8
            && h.sender.is_none()
        {
            h.sender = Some(case_upper(&line[..i]));
        }
        if let Some(c) = RECIPIENTS.captures(lines[k].trim()) {
            let first = c.get(1).map_or("", |m| m.as_str()).trim();
            // "Kính gửi: … cơ quan ngang Bộ Thực hiện Kết luận số …": the body's first
            // sentence run into the addressee line ends it.
            let first = [" Thực hiện ", " Căn cứ ", " Triển khai ", " Theo đề nghị "]
                .iter()
                .filter_map(|w| first.find(w))
                .min()
                .map_or(first, |i| first[..i].trim_end());
            if !first.is_empty() {
                items.push(first.trim_start_matches(['-', ' ']).to_string());
            }
        }
        let mut j = k + 1;
        while j < lines.len() {
            let t = lines[j].trim();
            if t.is_empty() {
                j += 1;
                continue;
            }
            if let Some(rest) = t.strip_prefix('-').or_else(|| t.strip_prefix('–')) {
                items.push(rest.trim().to_string());
            } else if let Some(rest) = crate::recipients::after_scan_debris(t) {
                // "7 ~ Cục Thuế các tỉnh, …;", "Rad ¿xo - Cục Thuế doanh nghiệp lớn;": a
                // scan's stamp marks before the dash.
                items.push(rest.to_string());
            } else if items.is_empty()
                && (starts_like_agency(t) || crate::recipients::starts_with_head(t))
                && t.chars().count() < 300
            {
                // "Kính gửi:" alone, then the addressee without a dash.
                items.push(t.to_string());
            } else if items
                .last()
                .is_some_and(|l| crate::recipients::is_head_title(l))
                && starts_like_agency(t)
                && t.chars().count() < 120
            {
                if let Some(last) = items.last_mut() {
                    last.push(' ');
                    last.push_str(t);
                }
            } else if items.last().is_some_and(|l| l.trim_end().ends_with(':'))
                && t.chars().count() < 300
            {
                // A named list cut after its colon ("- Bộ trưởng các Bộ:" / "Quốc phòng, …").
                if let Some(last) = items.last_mut() {
                    last.push(' ');
                    last.push_str(t);
                }
            } else if items
                .last()
                .is_some_and(|l| l.contains(':') && !l.trim_end().ends_with(['.', ';']))
                && t.chars().count() < 300
                && !RECIPIENTS.is_match(t)
            {
                // A named list running on ("… các tỉnh: Hưng Yên, Ninh" / "Bình, Bắc Ninh.").
                if let Some(last) = items.last_mut() {
                    last.push(' ');
                    last.push_str(t);
                }
            } else if t.chars().count() < 60
                && !items
                    .last()
                    .is_some_and(|l| l.trim_end().ends_with([';', '.']))
                && (t.starts_with(|c: char| c.is_lowercase())
                    // "- Ủy ban nhân dân tỉnh," / "- Các cơ quan chuyên trách tham mưu, giúp
                    // việc" / "Đảng ủy Ủy ban nhân dân tỉnh,": in a list whose entries end
                    // with a comma or semicolon, an entry without one goes on.
                    || items.len() > 1
                        && items[0].trim_end().ends_with([',', ';'])
                        && items.last().is_some_and(|l| !l.trim_end().ends_with([',', ';', ':']))
                    || items.last().is_some_and(|l| {
                        // "… quản lý nhà nước thuộc" / "Bộ": the name wrapped after a word
                        // that cannot end it.
                        let f = fold(l);
                        let last = f.split_whitespace().last().unwrap_or("");
                        last == "thuoc" || DANGLING.contains(&last)
                    }))
                && !items.is_empty()
            {
                if let Some(last) = items.last_mut() {
                    last.push(' ');
                    last.push_str(t);
                }
            } else {
                // "… quản lý nhà nước thuộc" / "Bộ Thực hiện ý kiến chỉ đạo …" (the body's
                // first line run into the last word of the name): that word ends the name.
                if let Some(last) = items.last_mut()
                    && fold(last).split_whitespace().last() == Some("thuoc")
                    && let Some((word, rest)) = t.split_once(' ')
                    && ["Bộ", "Sở", "Tỉnh", "Thành", "Cục", "Ban", "UBND"].contains(&word)
                    && rest.starts_with(char::is_uppercase)
                {
                    last.push(' ');
                    last.push_str(word);
                }
                break;
            }
            j += 1;
        }
        for it in items {
            for a in crate::recipients::read(&it)
                .unwrap_or_else(|| crate::recipients::mend(&it, parse_agencies(&it)))
            {
                if !h.recipients.iter().any(|r| fold(r) == fold(&a)) {
                    h.recipients.push(a);
                }
            }
        }
        body_start = body_start.max(j);
        // "Đồng kính gửi:" after the list: addressees too (ô 9a).
        if j < lines.len() && j < limit + 20 && fold(lines[j].trim()).starts_with("dong kinh gui") {
            block = Some(j);
        }
    }
    h.body_start = body_start.max(after).min(lines.len());
    crate::header_fallback::fall_back(&mut h, lines);
    h
}
