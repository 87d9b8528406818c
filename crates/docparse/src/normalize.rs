//! Text clean-up before reading: Unicode NFC, scanning noise, footnotes.
//!
//! Domain guide §3.3: "Normalise to NFC, match with Đ/D and diacritics folded,
//! always keep the original text."

use regex::Regex;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Superscript digits used as footnote marks ("kinh doanh¹").
const SUPERSCRIPTS: &[char] = &['¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹', '⁰'];

static SIGNATURE_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\[(?:handwritten signature|signature|chữ ký|đã ký)[^\]\n]{0,30}\]")
        .expect("static regex")
});
static TRAILING_SLASH_NOISE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s+/\s*$").expect("static regex"));

/// Cleans the whole input: NFC, unified line ends ("\r\n" from a browser's text box or a
/// Windows file is one line end, not two) and spaces, no handwriting annotations, no
/// footnote lines (footnotes carry data, not tasks: domain §3.5 "footnotes carry data
/// (seed: 304 fn 1, 6486 fn 1–4)"); then the layout of the form it came in undone
/// ([`crate::layout`]: markup, page furniture, flattened tables, broken lines).
pub fn normalize(text: &str) -> String {
    let text: std::borrow::Cow<'_, str> = if text.contains("\r\n") {
        text.replace("\r\n", "\n").into()
    } else {
        text.into()
    };
    let nfc: String = text
        .chars()
        .map(|c| match c {
            '\r' => '\n',
            '\u{00a0}' | '\u{2007}' | '\u{202f}' | '\u{3000}' => ' ',
            // Icelandic eth often stands in for Vietnamese Đ in PDF text layers.
            '\u{00d0}' => 'Đ',
            '\u{00f0}' => 'đ',
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' | '\u{00ad}' => '\u{0}',
            c => c,
        })
        .filter(|c| *c != '\u{0}')
        .collect::<String>();
    // Composing is slow and most texts arrive composed: only when they are not.
    let nfc: String = if unicode_normalization::is_nfc_quick(nfc.chars())
        == unicode_normalization::IsNormalized::Yes
    {
        nfc
    } else {
        nfc.nfc().collect()
    };
    let mut pre = String::with_capacity(nfc.len());
    for raw in nfc.split('\n') {
        if !crate::budget::go_on() {
            break;
        }
        let trimmed = raw.trim_start();
        if trimmed.starts_with(SUPERSCRIPTS) {
            // A footnote line: drop it, keep an empty line in its place.
            pre.push('\n');
            continue;
        }
        let mut line = raw.to_string();
        if line.contains('[') {
            line = SIGNATURE_NOTE.replace_all(&line, "").into_owned();
        }
        line.retain(|c| !SUPERSCRIPTS.contains(&c));
        let line = TRAILING_SLASH_NOISE.replace(&line, "");
        pre.push_str(line.trim_end());
        pre.push('\n');
    }
    let mut out = crate::layout::logical_lines(&pre).join("\n");
    out.push('\n');
    out
}

/// Lower case without diacritics, `đ` → `d`: the key for tolerant matching
/// ("THÈ CHẾ" and "THỂ CHẾ" fold alike; so do "Công" and "Cổng").
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        // Latin letters with marks (Latin-1, Extended-A/B, Vietnamese): a table built once.
        if let Some(b) = folded_latin(c) {
            out.push(b);
            continue;
        }
        match c {
            'đ' | 'Đ' => out.push('d'),
            _ => {
                for d in std::iter::once(c).nfd() {
                    if !is_combining_mark(d) {
                        for l in d.to_lowercase() {
                            out.push(l);
                        }
                    }
                }
            }
        }
    }
    out
}

/// Code points folded by a table: U+00C0–U+024F and U+1E00–U+1EFF.
const LATIN: (u32, u32) = (0x00C0, 0x024F);
const LATIN_EXTENDED_ADDITIONAL: (u32, u32) = (0x1E00, 0x1EFF);

/// The ASCII letter a Latin letter with marks folds to ("Ệ" → 'e', "đ" → 'd'), from a
/// table computed once with NFD; None outside the table or when it folds to no single
/// ASCII letter.
fn folded_latin(c: char) -> Option<char> {
    static TABLE: LazyLock<Vec<u8>> = LazyLock::new(|| {
        let mut t = Vec::new();
        for range in [LATIN, LATIN_EXTENDED_ADDITIONAL] {
            for cp in range.0..=range.1 {
                let folded = char::from_u32(cp).map(|ch| match ch {
                    'đ' | 'Đ' => "d".to_string(),
                    _ => std::iter::once(ch)
                        .nfd()
                        .filter(|d| !is_combining_mark(*d))
                        .flat_map(char::to_lowercase)
                        .collect::<String>(),
                });
                t.push(match folded.as_deref() {
                    Some(f) if f.len() == 1 && f.is_ascii() => f.as_bytes()[0],
                    _ => 0,
                });
            }
        }
        t
    });
    let cp = c as u32;
    let at = if (LATIN.0..=LATIN.1).contains(&cp) {
        cp - LATIN.0
    } else if (LATIN_EXTENDED_ADDITIONAL.0..=LATIN_EXTENDED_ADDITIONAL.1).contains(&cp) {
        (LATIN.1 - LATIN.0 + 1) + cp - LATIN_EXTENDED_ADDITIONAL.0
    } else {
        return None;
    };
    match TABLE.get(at as usize) {
        Some(&b) if b != 0 => Some(b as char),
        _ => None,
    }
}

/// Share of upper-case letters among the letters of `s` (0.0 when none).
pub fn upper_ratio(s: &str) -> f32 {
    let (mut up, mut all) = (0u32, 0u32);
    // Cased letters first: `is_lowercase`/`is_uppercase` are quick table reads, where
    // `is_alphabetic` on a Vietnamese letter is a slow search (a tenth of the reading
    // time went here); only an uncased character asks the slow question.
    for c in s.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphabetic() {
                all += 1;
                up += u32::from(c.is_ascii_uppercase());
            }
        } else if c.is_lowercase() {
            all += 1;
        } else if c.is_uppercase() {
            all += 1;
            up += 1;
        } else if c.is_alphabetic() {
            all += 1;
        }
    }
    if all == 0 {
        0.0
    } else {
        up as f32 / all as f32
    }
}

/// Collapses runs of white space into one space and trims.
pub fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// `s` with its first letter in lower case ("Đề nghị …" → "đề nghị …").
pub fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// First letter in upper case, the rest untouched.
pub fn capitalize_first(s: &str) -> String {
    let mut cs = s.chars();
    match cs.next() {
        Some(f) => f.to_uppercase().chain(cs).collect(),
        None => String::new(),
    }
}

/// Cased forms of title and organisation words, for text printed in capitals
/// (signature blocks, issuer headers).
const CASED_UNITS: &[&str] = &[
    "Ủy ban nhân dân",
    "Uỷ ban nhân dân",
    "Hội đồng nhân dân",
    "Văn phòng",
    "Chính phủ",
    "Thủ tướng",
    "Ban Chỉ đạo",
    "Ban Chấp hành",
    "Tỉnh ủy",
    "Tỉnh uỷ",
    "Thành ủy",
    "Huyện ủy",
    "Chủ tịch",
    "Phó",
    "Chánh",
    "Bộ trưởng",
    "Thứ trưởng",
    "Chủ nhiệm",
    "Giám đốc",
    "Thành viên",
    "Trưởng ban",
    "Bí thư",
    "Thủ trưởng",
    "Cục trưởng",
    "Tổng cục trưởng",
    "Viện trưởng",
    "Chánh án",
    "Ủy viên",
    "Trưởng",
];

/// Turns an all-capitals title or agency name into Vietnamese sentence casing:
/// "PHÓ CHỦ TỊCH" → "Phó Chủ tịch", "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN" →
/// "Ủy ban nhân dân tỉnh Nghệ An". Text that is not in capitals is kept.
pub fn case_upper(s: &str) -> String {
    let s = squash(s);
    if upper_ratio(&s) < 0.8 {
        return s;
    }
    let lower = s.to_lowercase().replace(',', " ,");
    let words: Vec<&str> = lower.split(' ').collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    let mut proper = false; // after tỉnh/huyện/…: a place name, every syllable capitalised
    while i < words.len() {
        if proper {
            out.push(capitalize_first(words[i]));
            i += 1;
            continue;
        }
        let mut matched = false;
        for unit in CASED_UNITS {
            let n = unit.split(' ').count();
            if i + n <= words.len() && words[i..i + n].join(" ") == unit.to_lowercase() {
                out.push((*unit).to_string());
                i += n;
                matched = true;
                break;
            }
        }
        if matched {
            continue;
        }
        let w = words[i];
        let next = words.get(i + 1).copied().unwrap_or("");
        match (w, next) {
            ("thành", "phố") | ("thị", "xã") | ("thị", "trấn") => {
                out.push(format!("{w} {next}"));
                proper = true;
                i += 2;
                continue;
            }
            _ => {}
        }
        match w {
            "tỉnh" | "huyện" | "xã" | "phường" | "quận" => {
                out.push(w.to_string());
                proper = true;
            }
            "bộ" | "sở" | "ban" | "cục" | "vụ" | "viện" => {
                out.push(capitalize_first(w));
                if let Some(next) = words.get(i + 1) {
                    out.push(capitalize_first(next));
                    i += 1;
                }
            }
            "kiêm" | "và" => out.push(w.to_string()),
            _ if out.is_empty() => out.push(capitalize_first(w)),
            _ => out.push(w.to_string()),
        }
        i += 1;
    }
    out.join(" ").replace(" ,", ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fold_table_agrees_with_decomposition() {
        for range in [LATIN, LATIN_EXTENDED_ADDITIONAL] {
            for cp in range.0..=range.1 {
                let Some(c) = char::from_u32(cp) else {
                    continue;
                };
                if let Some(b) = folded_latin(c) {
                    let slow: String = std::iter::once(c)
                        .nfd()
                        .filter(|d| !is_combining_mark(*d))
                        .flat_map(char::to_lowercase)
                        .collect();
                    let slow = if matches!(c, 'đ' | 'Đ') {
                        "d".to_string()
                    } else {
                        slow
                    };
                    assert_eq!(slow, b.to_string(), "{c}");
                }
            }
        }
        assert_eq!(fold("Ệ ỷ Ữ ð"), "e y u ð");
    }

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Đẩy mạnh CẢI CÁCH"), "day manh cai cach");
        assert_eq!(fold("THÈ CHẾ"), fold("THỂ CHẾ"));
    }

    #[test]
    fn cases_titles_and_issuers() {
        assert_eq!(case_upper("PHÓ CHỦ TỊCH"), "Phó Chủ tịch");
        assert_eq!(
            case_upper("ỦY BAN NHÂN DÂN TỈNH NGHỆ AN"),
            "Ủy ban nhân dân tỉnh Nghệ An"
        );
        assert_eq!(case_upper("VĂN PHÒNG CHÍNH PHỦ"), "Văn phòng Chính phủ");
        assert_eq!(case_upper("BỘ TRƯỞNG, CHỦ NHIỆM"), "Bộ trưởng, Chủ nhiệm");
        assert_eq!(
            case_upper("CHÁNH VĂN PHÒNG TỈNH ỦY kiêm THÀNH VIÊN BAN CHỈ ĐẠO"),
            "Chánh Văn phòng Tỉnh ủy kiêm Thành viên Ban Chỉ đạo"
        );
    }

    #[test]
    fn drops_footnotes_and_marks() {
        let t = normalize("kinh doanh¹ để\n¹ Đến hạn ngày 15/7/2023\n**Định kỳ**");
        assert!(!t.contains("15/7/2023"));
        assert!(t.contains("kinh doanh để"));
        assert!(t.contains("Định kỳ\n"));
    }
}
