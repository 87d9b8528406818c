//! Văn bản kèm theo — a plan, programme, regulation or list issued by a decision or a
//! resolution ("Điều 1. Ban hành kèm theo Quyết định này Kế hoạch …"), printed after the
//! issuing document's signature under its own title and "(Ban hành kèm theo Quyết định số
//! … ngày …)" (NĐ 30/2020/NĐ-CP, Phụ lục I, mục II.10: văn bản, phụ lục kèm theo). The
//! attachment has no number of its own: its tasks are the issuing document's.

use crate::normalize::{fold, upper_ratio};

/// Titles of documents issued with another (Phụ lục III).
const KINDS: &[(&str, &str)] = &[
    ("ke hoach", "Kế hoạch"),
    ("chuong trinh", "Chương trình"),
    ("quy che", "Quy chế"),
    ("quy dinh", "Quy định"),
    ("de an", "Đề án"),
    ("phuong an", "Phương án"),
    ("danh muc", "Danh mục"),
    ("nhiem vu", "Nhiệm vụ"),
];

/// "(Ban hành kèm theo …)", "(Kèm theo Quyết định số …)".
fn says_attached(line: &str) -> bool {
    let f = fold(line);
    f.contains("kem theo") && f.len() < 400
}

/// The kinds the issuing text says it issues ("Điều 1. Ban hành kèm theo Quyết định này Kế
/// hoạch …", "VỀ VIỆC BAN HÀNH KẾ HOẠCH …"), read from `lines`.
fn announced(lines: &[&str]) -> Vec<&'static str> {
    let mut out = Vec::new();
    for l in lines {
        // Folding every line is the cost: only a line that can say "ban hành" is folded.
        if !(l.contains("an hành") || l.contains("AN HÀNH") || l.contains("an hanh")) {
            continue;
        }
        let f = fold(l);
        let Some(at) = f.find("ban hanh") else {
            continue;
        };
        let after = &f[at..];
        for (k, _) in KINDS {
            if after.contains(k) && !out.contains(k) {
                out.push(*k);
            }
        }
    }
    out
}

/// The kind of an attachment whose title is at `i`: a title in capitals followed within a
/// few lines by "kèm theo", or the bare title ("KẾ HOẠCH") of a kind the issuing text
/// announced (`issued`) when the copy left out the "kèm theo" line.
fn title_at(lines: &[&str], i: usize, issued: &[&str]) -> Option<&'static str> {
    let t = lines[i].trim();
    if t.is_empty() || t.len() > 960 || !t.starts_with(char::is_uppercase) {
        return None;
    }
    if t.chars().count() > 320 || upper_ratio(t) < 0.7 {
        return None;
    }
    let f = fold(t);
    let kind = KINDS
        .iter()
        .find(|(k, _)| f.starts_with(k))
        .map(|(_, n)| *n)?;
    let end = lines.len().min(i + 9);
    let bare = KINDS.iter().any(|(k, _)| f == *k && issued.contains(k));
    (bare || lines[i + 1..end].iter().any(|l| says_attached(l))).then_some(kind)
}

/// Marks a task as read from an attachment: "Kế hoạch, mục II, mục 1".
pub fn label(t: &mut crate::model::Task, kind: &str) {
    t.source = Some(match t.source.take() {
        Some(src) if !src.is_empty() => format!("{kind}, {src}"),
        _ => kind.to_string(),
    });
}

/// Whether an attachment title comes between `from` and `to`.
pub fn starts_before(lines: &[&str], from: usize, to: usize) -> bool {
    let issued = announced(&lines[..to.min(lines.len())]);
    (from..to.min(lines.len())).any(|i| title_at(lines, i, &issued).is_some())
}

/// The attachments after `from`: their kind and the span of their text (title and
/// "kèm theo" line excluded; up to the next attachment, the appendix or the end).
pub fn parts(lines: &[&str], from: usize, appendix: Option<usize>) -> Vec<(String, usize, usize)> {
    let mut starts: Vec<(usize, &'static str)> = Vec::new();
    let issued = announced(&lines[..from.min(lines.len())]);
    for i in from..lines.len() {
        if !crate::budget::go_on() {
            break;
        }
        if Some(i) == appendix {
            break;
        }
        if let Some(k) = title_at(lines, i, &issued) {
            starts.push((i, k));
        }
    }
    let mut out = Vec::new();
    for (n, (i, kind)) in starts.iter().enumerate() {
        let body = (i + 1..lines.len().min(i + 9))
            .find(|j| says_attached(lines[*j]))
            .map_or(i + 1, |j| j + 1);
        let next = starts
            .get(n + 1)
            .map(|(s, _)| *s)
            .or(appendix.filter(|a| a > i))
            .unwrap_or(lines.len());
        // The attachment's own closing lines (signature, "Nơi nhận") are not tasks.
        let end = (body..next)
            .find(|j| {
                let f = fold(lines[*j].trim());
                f.starts_with("noi nhan") || f.starts_with("tm. ") || f.starts_with("kt. ")
            })
            .unwrap_or(next);
        if body < end {
            out.push(((*kind).to_string(), body, end));
        }
    }
    out
}

/// When the text of a document says it is issued with another ("(Ban hành kèm theo
/// Quyết định số 844/QĐ-TTg …)" near its title): `Some(Some(number))`, or `Some(None)`
/// when no number is printed ("kèm theo Quyết định này").
pub fn issued_by(lines: &[&str]) -> Option<Option<String>> {
    let head = &lines[..lines.len().min(30)];
    let at = head.iter().position(|l| {
        let f = fold(l);
        says_attached(l) && KINDS_ISSUING.iter().any(|k| f.contains(k))
    })?;
    let number = crate::number::find_numbers(head[at])
        .into_iter()
        .next()
        .map(|f| f.text);
    Some(number)
}

/// Kinds of documents that issue others.
const KINDS_ISSUING: &[&str] = &[
    "quyet dinh",
    "nghi quyet",
    "chi thi",
    "cong van",
    "thong tu",
];
