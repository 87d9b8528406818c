//! Paragraphs and numbered items of a document body.
//!
//! NĐ 30/2020/NĐ-CP, Phụ lục I, mục II.5 (bố cục nội dung): parts and sections
//! numbered with Roman numerals (I., II.), items with Arabic numerals (1., 2.1.),
//! points with letters (a), b), đ)), then dashes (-) and plus signs (+).

use regex::Regex;
use std::sync::LazyLock;

fn re(p: &str) -> Regex {
    Regex::new(p).expect("static regex")
}

static MARKER_ALONE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:\d{1,2}(?:\.\d{1,2}){0,3}[.)/]|[a-zđ]\)|[IVX]{1,5}\.)$"));
static ROMAN: LazyLock<Regex> = LazyLock::new(|| re(r"^([IVX]{1,5})\.\s*(.*)$"));
/// A Roman numeral a scan read with a small "l" for an "I", before a capital ("Il. Xây
/// dựng …").
static SCANNED_ROMAN: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(I[Il]{1,2}l?|[IV]l[Il]?)\.\s+(\p{Lu}.*)$"));
/// "Điều 2. Tổ chức thực hiện" — an article of a decision or resolution.
static ARTICLE: LazyLock<Regex> = LazyLock::new(|| re(r"^Điều\s+(\d{1,3})\s*[.:]\s*(.*)$"));
/// "1.", "2.1.", "3)", and "1/" as older and scanned letters number their points.
static NUMBERED: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(\d{1,2}(?:\.\d{1,2}){0,3})([.)/])?\s+(.+)$"));
/// "(1) Bộ Y tế chỉ đạo …", "(2) …" — numbered points of a conclusion, at the level of
/// lettered points.
static PAREN_NUMBER: LazyLock<Regex> = LazyLock::new(|| re(r"^\((\d{1,2})\)\s*(.+)$"));
/// "(i) Tập đoàn … báo cáo …", "(ii) …": points numbered in small Roman numerals under a
/// lettered point ("b) … đề nghị:"), at the level of dashes.
static PAREN_ROMAN: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\((i{1,3}|iv|v|vi{1,3}|ix|x)\)\s*(\S.*)$"));
static LETTER: LazyLock<Regex> = LazyLock::new(|| re(r"^([a-zđ])(?:\)\s*|\.\s+)(.+)$"));
static DASH: LazyLock<Regex> = LazyLock::new(|| re(r"^[-–—•]\s*(.+)$"));
static PLUS: LazyLock<Regex> = LazyLock::new(|| re(r"^\+\s*(.+)$"));
/// A dash a scan misread as "_" or "~" ("_ Tiếp tục nâng cấp …", "~ Chủ trì, phối hợp …").
static OCR_DASH: LazyLock<Regex> = LazyLock::new(|| re(r"^[_~]\s+(\p{Lu}.+)$"));
/// A bullet that only names a document ("- Công văn số 5768/UBND-KSTT …"): a
/// reference, not a task (seed: 6794 item 1).
static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:Thông báo|Công văn|Kế hoạch|Quyết định|Chỉ thị|Nghị quyết|Nghị định|Thông tư|Công điện|Báo cáo|Hướng dẫn|Chương trình|Đề án|Luật)\s+(?:số\s+)?\d",
    )
});

const ROMANS: &[&str] = &[
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Marker {
    Roman,
    /// "Điều N." of a decision or resolution: a section at the same level as "I.".
    Article,
    Numbered(usize),
    Letter,
    Dash,
    Plus,
    None,
}

impl Marker {
    /// Depth in the outline; a new item closes every open item of equal or
    /// greater depth.
    pub fn rank(self) -> usize {
        match self {
            Marker::Roman | Marker::Article => 0,
            Marker::Numbered(d) => d.min(4),
            Marker::Letter => 5,
            Marker::Dash => 6,
            Marker::Plus => 7,
            Marker::None => 8,
        }
    }
}

/// One paragraph of the body.
#[derive(Debug, Clone)]
pub struct Para {
    pub marker: Marker,
    pub label: String,
    pub text: String,
    pub line: usize,
}

fn ends_sentence(s: &str) -> bool {
    s.trim_end().ends_with(['.', ';', ':', '!', '?'])
}

/// A line that starts with a point numbered "a.b." and holds, after a sentence's end, the
/// next point's number "a.(b+1)." before a capital: the two points, else the line.
fn next_point_split(line: &str) -> Vec<String> {
    let t = line.trim();
    // Only a line numbered "a.b." can hold the next point (and most lines are not).
    if !t.starts_with(|c: char| c.is_ascii_digit()) || !t.contains(". ") {
        return vec![line.to_string()];
    }
    let Some(c) = NUMBERED.captures(t) else {
        return vec![line.to_string()];
    };
    let label = c.get(1).map_or("", |m| m.as_str());
    let Some((head, last)) = label.rsplit_once('.') else {
        return vec![line.to_string()];
    };
    let Ok(n) = last.parse::<u32>() else {
        return vec![line.to_string()];
    };
    let next = format!(". {head}.{}. ", n + 1);
    match t.find(&next) {
        Some(i) if t[i + next.len()..].starts_with(|c: char| c.is_uppercase()) => {
            let mut out = vec![t[..i + 1].to_string()];
            out.extend(next_point_split(&t[i + 2..]));
            out
        }
        _ => vec![line.to_string()],
    }
}

/// A name cut by a line wrap: "… Tập đoàn Điện lực Việt" / "Nam đẩy nhanh …".
fn cut_name(prev: &str, next: &str) -> bool {
    prev.trim_end().ends_with(" Việt") && (next.starts_with("Nam ") || next.starts_with("Nam,"))
}

/// A line that cannot end a paragraph: it ends on a comma, or a word or two after a
/// colon ("d) Ủy ban nhân dân các tỉnh, thành phố: Tuyên" / "Quang, Đồng Nai …").
fn wrapped_mid_clause(prev: &str) -> bool {
    let t = prev.trim_end();
    if t.ends_with(',') {
        return true;
    }
    t.rsplit_once(':').is_some_and(|(_, after)| {
        let after = after.trim();
        !after.is_empty() && after.split(' ').count() <= 2 && !ends_sentence(after)
    })
}

/// Reads the marker of a line.
pub fn classify(line: &str) -> (Marker, String, String) {
    let t = line.trim();
    // A scan's "©)" is the letter "c)".
    let fixed;
    let t = match t.strip_prefix("©)") {
        Some(rest) => {
            fixed = format!("c){rest}");
            fixed.as_str()
        }
        None => t,
    };
    if t.starts_with("Điều")
        && let Some(c) = ARTICLE.captures(t)
    {
        return (
            Marker::Article,
            c.get(1).map_or("", |m| m.as_str()).to_string(),
            c.get(2).map_or("", |m| m.as_str()).to_string(),
        );
    }
    if let Some(c) = ROMAN.captures(t) {
        let r = c.get(1).map_or("", |m| m.as_str());
        if ROMANS.contains(&r) {
            return (
                Marker::Roman,
                r.to_string(),
                c.get(2).map_or("", |m| m.as_str()).to_string(),
            );
        }
    }
    // A scan's "Il. Xây dựng …", "IIl. …": the second "I" read as a small "l".
    if (t.starts_with('I') || t.starts_with('V'))
        && t.as_bytes().iter().take(5).any(|b| *b == b'l')
        && let Some(c) = SCANNED_ROMAN.captures(t)
    {
        let r = c.get(1).map_or("", |m| m.as_str()).replace('l', "I");
        if ROMANS.contains(&r.as_str()) {
            return (
                Marker::Roman,
                r,
                c.get(2).map_or("", |m| m.as_str()).to_string(),
            );
        }
    }
    if let Some(c) = NUMBERED.captures(t) {
        let label = c.get(1).map_or("", |m| m.as_str());
        let depth = label.split('.').count();
        let terminated = c.get(2).is_some();
        let rest = c.get(3).map_or("", |m| m.as_str());
        if (terminated || depth > 1) && !rest.starts_with('%') {
            return (Marker::Numbered(depth), label.to_string(), rest.to_string());
        }
    }
    if t.starts_with('(')
        && let Some(c) = PAREN_NUMBER.captures(t)
    {
        return (
            Marker::Letter,
            format!("({})", c.get(1).map_or("", |m| m.as_str())),
            c.get(2).map_or("", |m| m.as_str()).to_string(),
        );
    }
    if t.starts_with('(')
        && let Some(c) = PAREN_ROMAN.captures(t)
    {
        return (
            Marker::Dash,
            format!("({})", c.get(1).map_or("", |m| m.as_str())),
            c.get(2).map_or("", |m| m.as_str()).to_string(),
        );
    }
    if let Some(c) = LETTER.captures(t) {
        let rest = c.get(2).map_or("", |m| m.as_str());
        let dot_form = t.chars().nth(1) == Some('.');
        if !dot_form || rest.starts_with(|c: char| c.is_uppercase()) {
            return (
                Marker::Letter,
                c.get(1).map_or("", |m| m.as_str()).to_string(),
                rest.to_string(),
            );
        }
    }
    if let Some(c) = DASH.captures(t).or_else(|| OCR_DASH.captures(t)) {
        return (
            Marker::Dash,
            String::new(),
            c.get(1).map_or("", |m| m.as_str()).to_string(),
        );
    }
    if let Some(c) = PLUS.captures(t) {
        return (
            Marker::Plus,
            String::new(),
            c.get(1).map_or("", |m| m.as_str()).to_string(),
        );
    }
    (Marker::None, String::new(), t.to_string())
}

/// Joins wrapped and page-broken lines into paragraphs: a line continues the
/// previous paragraph when it starts in lower case, or when the previous line was
/// long and stopped without punctuation (a page break inside a sentence).
pub fn paragraphs(lines: &[(usize, &str)]) -> Vec<Para> {
    let mut out: Vec<Para> = Vec::new();
    let mut blank_run = 0usize;
    // Characters of the last paragraph, kept as it grows (counting them again at every
    // continued line made a long paragraph quadratic).
    let mut last_chars = 0usize;
    // A marker alone on its line ("1.4.", "a)"): it numbers the next line.
    let mut held: Option<String> = None;
    // A point run into the line of the one before ("1.2. … thực hiện. 1.3. Trên cơ sở
    // …", an italic number joined to the text above): each on a line of its own.
    let split: Vec<(usize, String)> = lines
        .iter()
        .flat_map(|(i, l)| next_point_split(l).into_iter().map(move |p| (*i, p)))
        .collect();
    for (idx, line) in split.iter().map(|(i, l)| (i, l.as_str())) {
        if !crate::budget::go_on() {
            break;
        }
        let t = line.trim();
        if t.is_empty() {
            blank_run += 1;
            continue;
        }
        if held.is_none() && MARKER_ALONE.is_match(t) {
            held = Some(t.to_string());
            continue;
        }
        let joined;
        let t = match held.take() {
            Some(m) => {
                joined = format!("{m} {t}");
                joined.as_str()
            }
            None => t,
        };
        let (marker, label, text) = classify(t);
        // "… cho giai đoạn 2026" / "- 2030, tập trung …": the dash of a range of years cut
        // at the line's end, not a point of a list.
        let range_goes_on = marker == Marker::Dash
            && blank_run == 0
            && text.starts_with(|c: char| c.is_ascii_digit())
            && out.last().is_some_and(|p| {
                p.text.ends_with(|c: char| c.is_ascii_digit()) && !ends_sentence(&p.text)
            });
        let continues = range_goes_on
            || marker == Marker::None
                && out.last().is_some_and(|p| {
                    let starts_lower = t.starts_with(|c: char| c.is_lowercase());
                    let starts_digit = t.starts_with(|c: char| c.is_ascii_digit());
                    let open = !ends_sentence(&p.text) && last_chars > 80;
                    // Lower case (or a number) after an open sentence continues it, even
                    // across a page break; an upper-case start only on the next line.
                    (starts_lower && !(blank_run > 0 && ends_sentence(&p.text)))
                        || (open && (starts_digit || blank_run == 0))
                        || (blank_run == 0 && cut_name(&p.text, t))
                        || (blank_run == 0 && wrapped_mid_clause(&p.text))
                });
        blank_run = 0;
        if continues {
            if let Some(p) = out.last_mut() {
                p.text.push(' ');
                p.text.push_str(t);
                last_chars += 1 + t.chars().count();
            }
            continue;
        }
        last_chars = text.chars().count();
        out.push(Para {
            marker,
            label,
            text,
            line: *idx,
        });
    }
    for p in &mut out {
        p.text = crate::normalize::squash(&p.text);
    }
    out
}

/// An item of the outline with its place in it.
#[derive(Debug, Clone)]
pub struct Item {
    pub para: usize,
    pub marker: Marker,
    pub label: String,
    pub text: String,
    pub body: Vec<String>,
    pub parent: Option<usize>,
    pub children: usize,
    /// Index among siblings with the same marker kind, from 1 (for dashes).
    pub ordinal: usize,
    pub line: usize,
}

/// A paragraph outside any item's own text (introductions, closings).
#[derive(Debug, Clone)]
pub struct Free {
    pub para: usize,
    pub text: String,
    /// The item open when it appeared (None before the first item).
    pub after_item: Option<usize>,
    pub line: usize,
}

/// Whether an item reads as a heading whose content follows in paragraphs:
/// short and without closing punctuation ("3. Sở Nội vụ", "1. Nhiệm vụ …").
pub fn is_heading(text: &str) -> bool {
    let t = text.trim();
    // At most 201 characters are counted: an item's text is asked again for every
    // paragraph under it.
    t.ends_with(':') || (!ends_sentence(t) && t.chars().take(201).count() <= 200)
}

/// Builds the outline. Reference bullets are dropped (they name documents).
pub fn outline(paras: &[Para]) -> (Vec<Item>, Vec<Free>) {
    let mut items: Vec<Item> = Vec::new();
    let mut free: Vec<Free> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    // Items so far by parent and marker, for the ordinals (counting the earlier items
    // at every item was quadratic).
    let mut siblings: std::collections::HashMap<(Option<usize>, Marker), usize> =
        std::collections::HashMap::new();
    // A scan that read the first section's "I." as "1." ("1. TINH THẦN CHỈ ĐẠO HÀNH ĐỘNG"
    // before "II. CÁC NHIỆM VỤ …"): a heading in capitals numbered 1 where the sections
    // run from II without a I.
    let lost_first_section = paras
        .iter()
        .any(|p| p.marker == Marker::Roman && p.label == "II")
        && !paras
            .iter()
            .any(|p| p.marker == Marker::Roman && p.label == "I");
    // The reverse: a scan that read a list's "1." as "I." ("I. Tổ chức tuyên truyền …" then
    // "2. Rà soát …"), with no "II." anywhere and a "2." after it, in lower case.
    let lone_first_point = !paras
        .iter()
        .any(|p| p.marker == Marker::Roman && p.label == "II")
        && paras
            .iter()
            .position(|p| p.marker == Marker::Roman && p.label == "I")
            .is_some_and(|i| {
                crate::normalize::upper_ratio(&paras[i].text) < 0.5
                    && paras[i + 1..]
                        .iter()
                        .find(|q| q.marker != Marker::None)
                        .is_some_and(|q| q.marker == Marker::Numbered(1) && q.label == "2")
            });
    let mut first_section_done = false;
    for (pi, p) in paras.iter().enumerate() {
        if !crate::budget::go_on() {
            break;
        }
        let restored;
        let p = if lost_first_section
            && !first_section_done
            && p.marker == Marker::Numbered(1)
            && p.label == "1"
            && p.text.split_whitespace().count() >= 2
            && crate::normalize::upper_ratio(&p.text) > 0.9
        {
            first_section_done = true;
            restored = Para {
                marker: Marker::Roman,
                label: "I".to_string(),
                text: p.text.clone(),
                line: p.line,
            };
            &restored
        } else if lone_first_point && p.marker == Marker::Roman && p.label == "I" {
            restored = Para {
                marker: Marker::Numbered(1),
                label: "1".to_string(),
                text: p.text.clone(),
                line: p.line,
            };
            &restored
        } else {
            p
        };
        if p.marker == Marker::None {
            let top = stack.last().copied();
            match top {
                // A heading's text, or a line describing the item ("Thời gian thực hiện:
                // …") under it.
                // The closing formula ("Trên đây là Kế hoạch …") ends the text's points: it
                // is no item's body.
                Some(t)
                    if items[t].children == 0
                        && !p.text.trim_start().starts_with("Trên đây")
                        && (is_heading(&items[t].text) || crate::attrs::is_attribute(&p.text)) =>
                {
                    items[t].body.push(p.text.clone());
                }
                _ => free.push(Free {
                    para: pi,
                    text: p.text.clone(),
                    after_item: top,
                    line: p.line,
                }),
            }
            continue;
        }
        if matches!(p.marker, Marker::Dash | Marker::Plus) && REFERENCE.is_match(&p.text) {
            continue;
        }
        let rank = p.marker.rank();
        while let Some(&t) = stack.last() {
            if items[t].marker.rank() >= rank {
                stack.pop();
            } else {
                break;
            }
        }
        let parent = stack.last().copied();
        let ordinal = {
            let n = siblings.entry((parent, p.marker)).or_insert(0);
            *n += 1;
            *n
        };
        if let Some(par) = parent {
            items[par].children += 1;
        }
        items.push(Item {
            para: pi,
            marker: p.marker,
            label: p.label.clone(),
            text: p.text.clone(),
            body: Vec::new(),
            parent,
            children: 0,
            ordinal,
            line: p.line,
        });
        stack.push(items.len() - 1);
    }
    (items, free)
}

/// "mục III, mục 2.2, điểm a" — where an item sits, for the person who confirms.
pub fn source_of(items: &[Item], idx: usize) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur = Some(idx);
    while let Some(i) = cur {
        let it = &items[i];
        parts.push(match it.marker {
            Marker::Roman => format!("mục {}", it.label),
            Marker::Article => format!("Điều {}", it.label),
            Marker::Numbered(_) => format!("mục {}", it.label),
            Marker::Letter => format!("điểm {}", it.label),
            Marker::Dash => format!("gạch đầu dòng {}", it.ordinal),
            Marker::Plus => format!("ý {}", it.ordinal),
            Marker::None => String::new(),
        });
        cur = it.parent;
    }
    parts.reverse();
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scanned_roman_numeral_with_a_small_l() {
        let (m, label, text) = classify("Il. Xây dựng chỉ tiêu nhiệm vụ");
        assert_eq!(
            (m, label.as_str(), text.as_str()),
            (Marker::Roman, "II", "Xây dựng chỉ tiêu nhiệm vụ")
        );
        assert_eq!(classify("IIl. Tổ chức thực hiện").1, "III");
        // Not a word that happens to start so.
        assert_ne!(classify("Il faut.").0, Marker::Roman);
    }

    #[test]
    fn a_range_of_years_cut_at_the_line_end_is_not_a_dash() {
        let lines = [
            "e) Triển khai Chương trình Make in Viet Nam cho giai đoạn 2026",
            "- 2030, tập trung vào các doanh nghiệp sản xuất thiết bị IoT.",
            "- Xây dựng cơ sở dữ liệu doanh nghiệp số.",
        ];
        let lines: Vec<(usize, &str)> = lines.iter().copied().enumerate().collect();
        let p = paragraphs(&lines);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(
            p[0].text.ends_with(
                "giai đoạn 2026 - 2030, tập trung vào các doanh nghiệp sản xuất thiết bị IoT."
            ),
            "{}",
            p[0].text
        );
        assert_eq!(p[1].marker, Marker::Dash);
    }
}
