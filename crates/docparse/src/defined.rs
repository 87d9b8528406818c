//! Short names a text defines for a body ("Kiện toàn Ban Chỉ đạo Trung ương về cải cách
//! chính sách tiền lương, … (gọi tắt là Ban Chỉ đạo)"): a task given to the short name is
//! given to the body the text named in full. Administrative drafting names a body in
//! full once, at its first mention, and gives the short name it uses afterwards in
//! brackets ("gọi tắt là", "sau đây gọi là").

use crate::model::Task;
use crate::normalize::{fold, squash};
use regex::Regex;
use std::sync::LazyLock;

static DEFINITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\(\s*(?:sau đây\s+)?(?:được\s+)?gọi\s+(?:tắt\s+)?là\s+([^()]{2,60}?)\s*\)")
        .expect("static regex")
});

/// (short, full) for each body the text names in full before "(gọi tắt là …)", when the
/// short name begins the full one ("Ban Chỉ đạo" of "Ban Chỉ đạo Trung ương về …").
pub(crate) fn short_names(lines: &[&str]) -> Vec<(String, String)> {
    let text = squash(&lines.join(" "));
    let mut out: Vec<(String, String)> = Vec::new();
    for c in DEFINITION.captures_iter(&text) {
        let (Some(all), Some(short)) = (c.get(0), c.get(1)) else {
            continue;
        };
        let short = short.as_str().trim();
        if !short.starts_with(|ch: char| ch.is_uppercase()) {
            continue;
        }
        let before = &text[..all.start()];
        let from = before.len().saturating_sub(300);
        let from = (from..=before.len())
            .find(|i| before.is_char_boundary(*i))
            .unwrap_or(before.len());
        let window = &before[from..];
        let Some(at) = window.rfind(short) else {
            continue;
        };
        let full = window[at..].trim().trim_end_matches([',', ';']).trim();
        if full.len() > short.len() + 3 && !out.iter().any(|(s, _)| fold(s) == fold(short)) {
            out.push((short.to_string(), full.to_string()));
        }
    }
    out
}

/// Each lead or coordinator written as a defined short name, written in full.
pub(crate) fn expand(tasks: &mut [Task], names: &[(String, String)]) {
    if names.is_empty() {
        return;
    }
    let full_of = |l: &str| {
        names
            .iter()
            .find(|(s, _)| fold(s) == fold(l))
            .map(|(_, f)| f.clone())
    };
    for t in tasks {
        for l in t.lead.iter_mut().chain(t.support.iter_mut()) {
            if let Some(f) = full_of(l) {
                *l = f;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_name_defined_at_first_mention() {
        let lines = [
            "Điều 1. Kiện toàn Ban Chỉ đạo Trung ương về cải cách chính sách tiền",
            "lương, bảo hiểm xã hội và ưu đãi người có công (gọi tắt là Ban Chỉ đạo), gồm:",
        ];
        let names = short_names(&lines);
        assert_eq!(names.len(), 1);
        assert_eq!(
            names[0].1,
            "Ban Chỉ đạo Trung ương về cải cách chính sách tiền lương, bảo hiểm xã hội và ưu \
             đãi người có công"
        );
        // A collective shorthand is not a body's short name.
        assert!(short_names(&["Các sở (sau đây gọi chung là các đơn vị)"]).is_empty());
    }
}
