//! Signature block (NĐ 30/2020/NĐ-CP, Điều 13 and Phụ lục I ô 7a–7c): "TM." on
//! behalf of a collective, "KT." deputy for the head, "Q." acting, "TL." by order,
//! "TUQ." delegated; then the title and the signer's name.

use crate::model::Signer;
use crate::normalize::{capitalize_first, case_upper, squash, upper_ratio};
use regex::Regex;
use std::sync::LazyLock;

static AUTHORITY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(TM|KT|Q|TL|TUQ)\s*\.\s*(.*)$").expect("static regex"));
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
    upper_ratio(t) >= 0.7 && t.chars().filter(|c| c.is_alphabetic()).count() >= 4
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
];

fn is_name(t: &str) -> bool {
    let t = t.trim();
    let words = t.split_whitespace().count();
    if !(2..=6).contains(&words) || t.chars().count() > 40 || !NAME.is_match(t) {
        return false;
    }
    upper_ratio(t) < 0.9 || !t.split_whitespace().any(|w| TITLE_WORDS.contains(&w))
}

/// The last signature block of `lines` followed by a name. Returns the signer and
/// the index of the block's first line.
pub fn find_signer(lines: &[&str]) -> Option<(Signer, usize)> {
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
        while j < lines.len() && j < i + 8 {
            let t = lines[j].trim();
            if t.is_empty() || upper_ratio(t) == 0.0 {
                j += 1;
                continue;
            }
            if is_name(t) {
                name = Some(t.to_string());
            }
            break;
        }
        let Some(name) = name else { continue };
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
                block[k + 1..].iter().map(|s| s.to_string()).collect()
            }
            Some(k) => AUTHORITY
                .captures(block[k])
                .and_then(|c| c.get(2))
                .map(|m| vec![m.as_str().to_string()])
                .unwrap_or_default(),
            None => block.iter().map(|s| s.to_string()).collect(),
        };
        let authority =
            if prefixes.iter().any(|p| p == "TM.") && prefixes.iter().any(|p| p == "KT.") {
                Some("TM.+KT.".to_string())
            } else {
                prefixes.last().cloned()
            };
        let title = squash(&title_lines.join(" "));
        let name = if upper_ratio(&name) > 0.9 {
            name.to_lowercase()
                .split(' ')
                .map(capitalize_first)
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            name
        };
        best = Some((
            Signer {
                name: Some(name),
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
