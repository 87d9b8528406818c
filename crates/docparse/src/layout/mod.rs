//! Text as it arrives, made into logical lines before reading.
//!
//! Real directives reach the reader in several forms (issue 25): copies from legal-text web
//! sites (Markdown with the header as a table broken into `|` cells, bold and italic runs
//! wrapped over lines, hard line breaks every ~80 characters), PDF text layers (running
//! gazette headers "CÔNG BÁO/Số …/Ngày …", page numbers, digital-signature stamps "Ký bởi:
//! …", two-column headers set apart by runs of spaces, paragraphs marked by indentation),
//! OCR output ("===== Trang 2 =====", "--- PAGE BREAK ---") and Pandoc Markdown (escaped
//! `\-`, grid rules). This module removes the page furniture, rebuilds tables flattened to
//! one cell per line, and joins lines broken inside a sentence or a header field, so that
//! the rest of the reader sees one line per paragraph, heading or table row.

use crate::normalize::fold;
use crate::structure::{Marker, classify};
use regex::Regex;
use std::sync::LazyLock;

mod rows;
use rows::tables;

fn re(p: &str) -> Regex {
    Regex::new(p).expect("static regex")
}

/// The official gazette's running header, with its page number on either side.
static GAZETTE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^\s*(?:\d{1,4}\s+)?C[ÔO]NG\s+B[ÁA]O\s*/\s*S[ỐO]\b.{0,60}$"));
/// Page markers of OCR and conversion tools, and form feeds.
static PAGE_MARK: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:=+\s*trang\s+\d+\s*=+|-{2,}\s*page\s*break\s*-{2,}|\[?\s*trang\s+\d+\s*\]?)\s*$",
    )
});
/// The first line of a digital-signature stamp (Ban Cơ yếu's format on signed PDFs).
static STAMP: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^\s*(?:ký bởi|người ký)\s*:"));
/// Later lines of a stamp: e-mail, body, signing time, or OCR debris of them.
static STAMP_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:^\s*(?:e-?mai\w*|cơ quan|thời gian|ngày ký|thời gian ký)\b|@|chinhphu|\d{1,2}[.:]\d{2}[.:]\d{2})",
    )
});
/// A marker hanging at the end of the line before its text ("… lao động 2.1.").
static HANGING_MARKER: LazyLock<Regex> = LazyLock::new(|| re(r"\s(\d{1,2}(?:\.\d{1,2}){1,3}\.)$"));
/// Pandoc escapes of punctuation ("\-", "\*", "\[").
static ESCAPE: LazyLock<Regex> = LazyLock::new(|| re(r"\\([-*_\[\]().#+!|>~`'\x22])"));
/// Footnote calls attached to a word ("địa phương[1]").
static FOOTNOTE_CALL: LazyLock<Regex> = LazyLock::new(|| re(r"(\S)\[\d{1,2}\]"));
/// Handwriting transcribed after a sentence ("… thực hiện. / *Vanna* *S*").
static TRAILING_NOTE: LazyLock<Regex> =
    LazyLock::new(|| re(r"([.;)])(?:\s*/)?(?:\s+\*[^*\n]{1,40}\*)+\s*$"));
/// Two columns of a PDF page set apart by a run of spaces.
static COLUMN_GAP: LazyLock<Regex> = LazyLock::new(|| re(r"(\S) {5,}(\S)"));

/// Words after which a sentence cannot stop: a line ending with one continues.
const OPEN_WORDS: &[&str] = &[
    "của",
    "và",
    "với",
    "các",
    "tại",
    "theo",
    "về",
    "cho",
    "để",
    "từ",
    "đến",
    "những",
    "trong",
    "trên",
    "dưới",
    "là",
    "được",
    "bị",
    "có",
    "một",
    "số",
    "ngày",
    "tháng",
    "năm",
    "như",
    "hoặc",
    "hay",
    "thì",
    "mà",
    "nhằm",
    "bằng",
    "qua",
    "sau",
    "trước",
    "giữa",
    "cùng",
    "vào",
    "do",
    "bởi",
    "khi",
    "nếu",
    "tỉnh",
    "huyện",
    "xã",
    "phường",
    "thành",
    "ủy",
    "uỷ",
    "ban",
    "nhân",
    "hội",
    "đồng",
    "bộ",
    "sở",
    "ngành",
    "chủ",
    "giám",
    "thủ",
    "phó",
    "tổng",
    // Verbs that need what follows ("… trình" / "Chính phủ …", "… hướng dẫn" / "Bộ Y tế …").
    "trình",
    "gửi",
    "giao",
    "đối",
    "giúp",
    "dẫn",
    "hợp",
    "trì",
    "đạo",
];

/// One line being cleaned, with what its markup said.
#[derive(Debug, Clone, Default)]
struct Ln {
    text: String,
    /// An emphasis run (bold or italic) opened on this line is still open at its end.
    open: bool,
    /// The line starts an emphasis run: a heading or a field of its own.
    starts: bool,
    /// The line ends an emphasis run.
    ends: bool,
    /// Leading spaces in the source (paragraph indentation of PDF text layers).
    indent: usize,
    /// A lone "|": a cell boundary of a flattened table.
    pipe: bool,
    /// Removed page furniture: lines on either side may continue each other.
    gone: bool,
}

/// Cleans and joins the lines of `text` (already NFC, `\n` line ends).
pub fn logical_lines(text: &str) -> Vec<String> {
    let raw: Vec<&str> = text.split('\n').collect();
    let mut lines = markup(&raw);
    furniture(&mut lines);
    let lines = tables(lines);
    let lines = reflow(&lines);
    strip_repeated_title(strip_repeated_title(unglue(lines)))
}

/// A crawler's title of the page ("Quyết định 435/QĐ-UBND năm 2020. ") set before every
/// section: a prefix up to ". " naming a document number, at the start of three lines or
/// more, removed; or a title in capitals before sections ("CHƯƠNG TRÌNH HÀNH ĐỘNG. II.
/// …"). Called twice, as both may stand before one line.
fn strip_repeated_title(mut lines: Vec<String>) -> Vec<String> {
    let prefix_of = |l: &str| -> Option<String> {
        let i = l.find(". ")?;
        let p = &l[..i + 2];
        let numbered = p.contains('/') && p.chars().any(|c| c.is_ascii_digit());
        let capitals = crate::normalize::upper_ratio(p) > 0.9 && p.split_whitespace().count() >= 2;
        (p.chars().count() <= 80 && p.starts_with(char::is_uppercase) && (numbered || capitals))
            .then(|| p.to_string())
    };
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for l in &lines {
        if let Some(p) = prefix_of(l.trim_start()) {
            *counts.entry(p).or_insert(0) += 1;
        }
    }
    let repeated: Vec<String> = counts
        .into_iter()
        .filter(|(_, n)| *n >= 3)
        .map(|(p, _)| p)
        .collect();
    if repeated.is_empty() {
        return lines;
    }
    for l in &mut lines {
        for p in &repeated {
            if let Some(rest) = l.trim_start().strip_prefix(p.as_str()) {
                // A title in capitals ("CHƯƠNG TRÌNH HÀNH ĐỘNG. ") goes only where a section
                // follows it; on its own title line it is the title.
                let section = classify(rest).0 != Marker::None || rest.starts_with("Điều");
                if p.contains('/') || section {
                    *l = rest.to_string();
                }
                break;
            }
        }
    }
    lines
}

/// A document's title in capitals glued after other text by a crawler ("… năm 2015
/// QUYẾT ĐỊNH BAN HÀNH KẾ HOẠCH …", "… Đinh Trung Tụng KẾ HOẠCH TRIỂN KHAI … (Ban hành
/// kèm theo Quyết định số …)"): a kind's name and at least three more words in capitals.
static GLUED_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\s((?:QUYẾT ĐỊNH|KẾ HOẠCH|CHƯƠNG TRÌNH|CHỈ THỊ|CÔNG ĐIỆN|THÔNG BÁO|NGHỊ QUYẾT|QUY CHẾ|QUY ĐỊNH|ĐỀ ÁN|PHƯƠNG ÁN|DANH MỤC)(?:\s+[\p{Lu}\d][\p{Lu}\d,\-–/]*){3,})",
    )
});
/// "(Ban hành kèm theo …)" glued after a title.
static GLUED_ATTACHED: LazyLock<Regex> =
    LazyLock::new(|| re(r"\s(\((?:Ban hành\s+)?[Kk]èm theo\s)"));
/// "… ngày 05 tháng 04 năm 2019 Kính gửi: Bộ Kế hoạch và Đầu tư."
static GLUED_ADDRESS: LazyLock<Regex> = LazyLock::new(|| re(r"\s((?:Kính gửi|KÍNH GỬI)\s*:)"));

/// Lines cut where a crawler glued a title or an attachment note to other text.
fn unglue(lines: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(lines.len());
    let mut carry: Option<String> = None;
    for l in lines {
        let l = match carry.take() {
            Some(m) if !l.trim().is_empty() => format!("{m} {}", l.trim_start()),
            Some(m) => {
                carry = Some(m);
                l
            }
            None => l,
        };
        let l = match HANGING_MARKER.captures(&l).and_then(|c| c.get(1)) {
            Some(m) if m.start() > 0 && !l.trim_end().ends_with(':') => {
                carry = Some(m.as_str().to_string());
                l[..m.start()].trim_end().to_string()
            }
            _ => l,
        };
        if l.chars().count() < 40 || crate::table::is_row(&l) {
            out.push(l);
            continue;
        }
        let mut cuts: Vec<usize> = Vec::new();
        if let Some(c) = GLUED_TITLE.captures(&l).and_then(|c| c.get(1))
            && crate::normalize::upper_ratio(&l[..c.start()]) < 0.95
        {
            cuts.push(c.start());
        }
        if let Some(c) = GLUED_ATTACHED.captures(&l).and_then(|c| c.get(1))
            && crate::normalize::upper_ratio(&l[..c.start()]) > 0.6
        {
            cuts.push(c.start());
        }
        if let Some(c) = GLUED_ADDRESS.captures(&l).and_then(|c| c.get(1)) {
            cuts.push(c.start());
        }
        cuts.sort_unstable();
        cuts.dedup();
        let mut from = 0;
        for c in cuts {
            if c > from {
                out.push(l[from..c].trim_end().to_string());
                from = c;
            }
        }
        out.push(l[from..].to_string());
    }
    if let Some(m) = carry {
        out.push(m);
    }
    out
}

/// Markup removed line by line; emphasis tracked across lines.
fn markup(raw: &[&str]) -> Vec<Ln> {
    let mut out = Vec::with_capacity(raw.len());
    let (mut bold, mut italic) = (false, false);
    let mut open_for = 0usize;
    for r in raw {
        if !crate::budget::go_on() {
            break;
        }
        let indent = r.len() - r.trim_start_matches(' ').len();
        let mut t = r.replace('\u{c}', "");
        if t.contains('\\') {
            t = ESCAPE.replace_all(&t, "$1").into_owned();
            t = t.trim_end().trim_end_matches('\\').to_string();
        }
        if t.contains('[') {
            t = FOOTNOTE_CALL.replace_all(&t, "$1").into_owned();
        }
        // A Markdown heading ("# NGHỊ QUYẾT", "### 1. …"): a line of its own.
        let heading = {
            let h = t.trim_start();
            let n = h.len() - h.trim_start_matches('#').len();
            (1..=6).contains(&n) && h[n..].starts_with(' ')
        };
        if heading {
            t = t
                .trim_start()
                .trim_start_matches('#')
                .trim_start()
                .to_string();
        }
        let trimmed = t.trim().to_string();
        // A bullet alone on its line ("-" above the text it marks): it opens the next line.
        if matches!(trimmed.as_str(), "-" | "–" | "+" | "•") {
            out.push(Ln {
                text: format!("{trimmed} "),
                open: true,
                indent,
                ..Ln::default()
            });
            continue;
        }
        if trimmed.is_empty() || !trimmed.chars().any(|c| c.is_alphanumeric()) {
            bold = false;
            italic = false;
            open_for = 0;
            out.push(Ln {
                pipe: trimmed == "|",
                ..Ln::default()
            });
            continue;
        }
        if t.contains('*') {
            t = TRAILING_NOTE.replace(&t, "$1").into_owned();
        }
        let starts = trimmed.starts_with('*');
        let ends = t.trim_end().ends_with('*');
        // "**" toggles bold, a single "*" italic; "(*)" and "*)" are marks, not markup.
        let marks = t.replace("(*)", "").replace("*)", "");
        let bolds = marks.matches("**").count();
        let singles = marks.replace("**", "").matches('*').count();
        if bolds % 2 == 1 {
            bold = !bold;
        }
        if singles % 2 == 1 {
            italic = !italic;
        }
        let mut open = bold || italic;
        if open {
            open_for += 1;
            if open_for > 6 {
                // An unmatched mark, not a run: forget it.
                bold = false;
                italic = false;
                open = false;
                open_for = 0;
            }
        } else {
            open_for = 0;
        }
        let mut text = strip_stars(&t);
        if COLUMN_GAP.is_match(text.trim()) {
            text = COLUMN_GAP.replace_all(text.trim(), "$1 | $2").into_owned();
        }
        // A Markdown bullet "* item".
        let text = match text.trim_start().strip_prefix("* ") {
            Some(rest) if trimmed.starts_with("* ") => format!("- {rest}"),
            _ => text,
        };
        out.push(Ln {
            text,
            open,
            starts: starts || heading,
            ends: (ends && !open) || heading,
            indent,
            ..Ln::default()
        });
    }
    out
}

/// Removes emphasis stars, keeping list stars and marks such as "(*)".
fn strip_stars(t: &str) -> String {
    if !t.contains('*') {
        return t.trim_end().to_string();
    }
    let keep_bullet = t.trim_start().starts_with("* ");
    let mut s = t.replace("**", "");
    if keep_bullet {
        return s.trim_end().to_string();
    }
    s = s.replace("(*)", "\u{1}");
    s = s.replace('*', "");
    s.replace('\u{1}', "(*)").trim_end().to_string()
}

/// Gazette headers, page markers, page numbers and signature stamps removed.
fn furniture(lines: &mut [Ln]) {
    let n = lines.len();
    let mut stamp_left = 0usize;
    for line in lines.iter_mut() {
        let t = line.text.trim().to_string();
        if t.is_empty() {
            continue;
        }
        let gone = if GAZETTE.is_match(&t) || PAGE_MARK.is_match(&t) {
            true
        } else if STAMP.is_match(&t) && t.chars().count() < 160 {
            stamp_left = 5;
            true
        } else if stamp_left > 0 {
            stamp_left -= 1;
            let debris = STAMP_TAIL.is_match(&t) && t.chars().count() < 120;
            if !debris {
                stamp_left = 0;
            }
            debris
        } else {
            false
        };
        if gone {
            *line = Ln {
                gone: true,
                ..Ln::default()
            };
        }
    }
    // Page numbers: a number alone on its line next to removed furniture, or between
    // blank lines.
    for i in 0..n {
        let t = lines[i].text.trim();
        if t.is_empty() || t.len() > 4 || !t.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let blank = |l: &Ln| l.text.trim().is_empty() && !l.pipe;
        let prev = i.checked_sub(1).map(|j| &lines[j]);
        let next = lines.get(i + 1);
        let by_furniture = prev.is_some_and(|l| l.gone) || next.is_some_and(|l| l.gone);
        let alone = prev.is_none_or(blank) && next.is_none_or(blank);
        if by_furniture || alone {
            lines[i] = Ln {
                gone: true,
                ..Ln::default()
            };
        }
    }
}

fn ends_sentence(s: &str) -> bool {
    s.trim_end().ends_with(['.', ';', ':', '!', '?'])
}

/// The width lines were wrapped at, when the text is hard-wrapped (most long lines end
/// within a few characters of one width), else None.
fn wrap_width(lines: &[Ln]) -> Option<usize> {
    let mut lens: Vec<usize> = lines
        .iter()
        .map(|l| l.text.trim().chars().count())
        .filter(|n| *n >= 30)
        .collect();
    if lens.len() < 8 {
        return None;
    }
    lens.sort_unstable();
    let w = lens[lens.len() * 9 / 10];
    if w > 140 {
        return None;
    }
    let near = lens
        .iter()
        .filter(|n| **n * 100 >= w * 82 && **n <= w + w / 12)
        .count();
    (near * 2 >= lens.len()).then_some(w)
}

fn first_word(s: &str) -> usize {
    s.split_whitespace().next().map_or(0, |w| w.chars().count())
}

/// The last word in lower case, diacritics kept ("quả" is not "qua").
fn last_word(s: &str) -> String {
    s.split_whitespace()
        .last()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

fn is_upper_line(s: &str) -> bool {
    crate::normalize::upper_ratio(s) > 0.8
}

/// A line that starts a block of its own: a signer's capacity ("TM.", "KT."…) or the
/// motto's second line.
fn starts_block(s: &str) -> bool {
    let f = fold(s);
    ["tm.", "kt.", "tl.", "q.", "tuq.", "t/m", "k/t", "doc lap"]
        .iter()
        .any(|p| f.starts_with(p))
}

/// Capitals cut before the name ends: one or two words ("ỦY", "CỘNG"), or a last word
/// that cannot end a name ("ỦY BAN NHÂN").
fn fragment(s: &str) -> bool {
    s.split_whitespace().count() <= 2 || OPEN_WORDS.contains(&last_word(s).as_str())
}

/// Whether `b` continues the sentence or field of `a`.
fn continues(a: &Ln, b: &Ln, wrap: Option<usize>, cut_first: bool, blank_between: bool) -> bool {
    let (at, bt) = (a.text.trim(), b.text.trim());
    if crate::table::is_row(at) || crate::table::is_row(bt) {
        return false;
    }
    // A row's number alone on its line in a table that lost its grid ("… Năm 2026 và các
    // năm tiếp theo" / "7" / "Điều chỉnh …"): it opens the next row, whatever word ends
    // the cell before.
    if (1..=3).contains(&bt.len()) && bt.bytes().all(|c| c.is_ascii_digit()) {
        return false;
    }
    // ("… Nghị định" / "a)" / "Tổ chức Hội nghị …": a lettered sub-row's label.)
    if bt.ends_with(')') && bt.chars().count() == 2 && bt.starts_with(|c: char| c.is_lowercase()) {
        return false;
    }
    // So too a bullet alone on its line ("… tiếp theo" / "-" / "Công trình giao thông.").
    if matches!(bt, "-" | "–" | "+" | "•") {
        return false;
    }
    // Each line's share of capitals, once (counting it at every test was a tenth of the
    // reading time).
    let (a_upper, b_upper) = (is_upper_line(at), is_upper_line(bt));
    let upper_pair = a_upper && b_upper;
    if matches!(at, "-" | "–" | "+" | "•") {
        return true;
    }
    if a.open && !blank_between {
        // A run of bold or italic over several lines is one field, except the lines of
        // a header or signature block printed in one bold run ("ỦY BAN NHÂN DÂN" /
        // "TỈNH NGHỆ AN", "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH"): capitals join only
        // when the first line is a fragment ("ỦY" / "BAN NHÂN DÂN").
        if !upper_pair {
            return !starts_block(bt);
        }
        let heading = classify(at).0 != Marker::None;
        return (fragment(at) || heading || at.ends_with(',')) && !starts_block(bt);
    }
    if a.ends || b.starts || classify(bt).0 != Marker::None || ends_sentence(at) {
        return false;
    }
    let lower = bt.starts_with(|c: char| c.is_lowercase());
    // After a line in capitals (a title, a signature block), lower case is a new line
    // ("kiêm", a handwritten name) unless the capitals were cut short.
    let after_capitals = a_upper && !(fragment(at) && fold(bt) != "kiem");
    if blank_between || lower {
        return lower && !after_capitals;
    }
    // A PDF text layer marks a new paragraph by its indentation.
    if b.indent >= a.indent + 3 && b.indent >= 3 {
        return false;
    }
    if upper_pair {
        // Header blocks: "ỦY BAN NHÂN DÂN" / "TỈNH NGHỆ AN" stay two lines; a heading cut
        // after a comma ("I. QUAN ĐIỂM," / "PHẠM VI …") or after one word ("KẾT" /
        // "LUẬN PHIÊN HỌP …") goes on.
        let one_word = at.split_whitespace().count() == 1 && classify(at).0 == Marker::None;
        return (at.ends_with(',') || one_word) && !starts_block(bt);
    }
    // "Bộ NN&MT, Bộ Công" / "Thương, các địa phương": a ministry's or department's name cut
    // in a narrow cell.
    if (at.ends_with(" Bộ Công") || at.ends_with(" Sở Công") || at == "Bộ Công" || at == "Sở Công")
        && bt.starts_with("Thương")
    {
        return true;
    }
    if at.ends_with(',') && (!a_upper || at.chars().any(char::is_lowercase)) {
        // A sentence cut after a comma ("… của Bộ Khoa học và Công nghệ," / "Bộ Công an, …");
        // a cell of bodies in short form ("Bộ NN&MT," / "Bộ Quốc phòng").
        return true;
    }
    if a_upper && !b_upper && !at.ends_with(',') {
        // A heading in capitals is followed by its content, not continued by it.
        return false;
    }
    let (la, lb) = (at.chars().count(), bt.chars().count());
    if let Some(w) = wrap {
        if la + 1 + first_word(bt) + 3 > w {
            return true;
        }
        if cut_first && la * 2 < w && lb * 100 >= w * 80 {
            return true;
        }
    }
    let last = last_word(at);
    // "… Sở Nông nghiệp và Môi trường các tỉnh" / "Cục Biến đổi khí hậu, …": a place word
    // ends a body's name when the next line opens another body (a place is not named so).
    if matches!(last.as_str(), "tỉnh" | "huyện" | "xã" | "phường")
        && crate::agency::starts_like_agency(bt)
        && !bt.starts_with("Thành phố")
        && !bt.starts_with("Tỉnh ")
    {
        return false;
    }
    OPEN_WORDS.contains(&last.as_str()) && !a_upper
}

/// Whether the text cuts each paragraph's first line short (a legal web site's copy: the
/// first line wrapped after an indent, the next ones full): seen when short lines open
/// paragraphs that go on in lower case on a full line.
fn cuts_first_lines(lines: &[Ln], w: usize) -> bool {
    let mut seen = 0;
    for p in lines.windows(2) {
        let (a, b) = (p[0].text.trim(), p[1].text.trim());
        let (la, lb) = (a.chars().count(), b.chars().count());
        if la >= 8
            && la * 2 < w
            && lb * 100 >= w * 85
            && !ends_sentence(a)
            && b.starts_with(|c: char| c.is_lowercase())
        {
            seen += 1;
        }
    }
    seen >= 3
}

/// Joins continued lines; blank lines and removed furniture between two parts of one
/// sentence (a page break) are dropped.
fn reflow(lines: &[Ln]) -> Vec<String> {
    let wrap = wrap_width(lines);
    let cut_first = wrap.is_some_and(|w| cuts_first_lines(lines, w));
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    // The paragraph being built, and its last physical line (what a continuation is
    // judged against: judging the whole paragraph again at every line was quadratic).
    let mut cur: Option<(String, &Ln)> = None;
    let mut gap: Vec<String> = Vec::new();
    let mut gap_blank = false;
    for l in lines {
        if !crate::budget::go_on() {
            break;
        }
        if l.gone {
            continue;
        }
        if l.text.trim().is_empty() {
            if cur.is_some() {
                gap.push(String::new());
                gap_blank = true;
            } else {
                out.push(String::new());
            }
            continue;
        }
        match cur.as_mut() {
            Some((text, last)) if continues(last, l, wrap, cut_first, gap_blank) => {
                let keep = text.trim_end().len();
                text.truncate(keep);
                text.push(' ');
                text.push_str(l.text.trim());
                *last = l;
                gap.clear();
                gap_blank = false;
            }
            _ => {
                if let Some((text, _)) = cur.take() {
                    out.push(text);
                }
                out.append(&mut gap);
                gap_blank = false;
                cur = Some((l.text.clone(), l));
            }
        }
    }
    if let Some((text, _)) = cur {
        out.push(text);
    }
    out.append(&mut gap);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<String> {
        logical_lines(s)
            .into_iter()
            .filter(|l| !l.trim().is_empty())
            .collect()
    }

    #[test]
    fn joins_a_header_broken_in_cells() {
        let t = "|\n**ỦY\nBAN NHÂN DÂN **\nTHÀNH PHỐ HỒ CHÍ MINH\n--------\n|\n**CỘNG\nHÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**\nĐộc lập - Tự do - Hạnh phúc\n|\n|\nSố: 4085/UBND-ĐT\n*V/v rà soát và\nchuẩn hóa dữ liệu số nhà*\n|\n*Thành\nphố Hồ Chí Minh, ngày 25 tháng 11 năm 2025*\n|";
        assert_eq!(
            lines(t),
            [
                "ỦY BAN NHÂN DÂN",
                "THÀNH PHỐ HỒ CHÍ MINH",
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Độc lập - Tự do - Hạnh phúc",
                "Số: 4085/UBND-ĐT",
                "V/v rà soát và chuẩn hóa dữ liệu số nhà",
                "Thành phố Hồ Chí Minh, ngày 25 tháng 11 năm 2025",
            ]
        );
    }

    #[test]
    fn drops_gazette_headers_stamps_and_page_numbers() {
        let t = "Ký bởi: Cổng Thông tin điện tử Chính phủ\nEmail: thongtinchinhphu@chinhphu.vn\nCơ quan: Văn phòng Chính phủ\nThời gian ký: 16.03.2015 11:02:35 +07:00\nCÔNG BÁO/Số 286/Ngày 27-05-2026\n89\n\nTHỦ TƯỚNG CHÍNH PHỦ\nCác bộ phải hoàn thành việc rà soát các quy định và báo cáo kết quả\n\n12\n\nvề Bộ Tư pháp trước ngày 30/6/2026.";
        assert_eq!(
            lines(t),
            [
                "THỦ TƯỚNG CHÍNH PHỦ",
                "Các bộ phải hoàn thành việc rà soát các quy định và báo cáo kết quả về Bộ Tư pháp trước ngày 30/6/2026.",
            ]
        );
    }

    #[test]
    fn rebuilds_a_table_flattened_to_one_cell_per_line() {
        let t = "|\n**STT**\n|\n**Nhiệm vụ**\n|\n**Cơ quan chủ trì**\n|\n|\n1\n|\nXây dựng bộ\nquy tắc ứng xử\n|\nCục Phát thanh\n|\n|\n2\n|\nRà soát thủ tục\n|\nVăn phòng Bộ\n|\n";
        assert_eq!(
            lines(t),
            [
                "| STT | Nhiệm vụ | Cơ quan chủ trì |",
                "| 1 | Xây dựng bộ quy tắc ứng xử | Cục Phát thanh |",
                "| 2 | Rà soát thủ tục | Văn phòng Bộ |",
            ]
        );
    }

    #[test]
    fn keeps_handwriting_notes_out_and_marks_in() {
        assert_eq!(
            lines("Yêu cầu các Sở triển khai thực hiện. / *Vanna* *S*\n(*) Ghi chú"),
            ["Yêu cầu các Sở triển khai thực hiện.", "(*) Ghi chú"]
        );
        assert_eq!(lines("\\- Báo cáo chính trị\\"), ["- Báo cáo chính trị"]);
    }
}
