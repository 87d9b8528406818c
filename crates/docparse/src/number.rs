//! Số và ký hiệu văn bản (NĐ 30/2020/NĐ-CP, Điều 8 khoản 3 and Phụ lục I, ô số 3).
//!
//! Grammars (domain guide §3.3): `số/TYPE-ISSUER` (304/TB-VPCP), công văn
//! `số/ISSUER-UNIT` (6794/UBND-KSTT), legal normative `số/năm/TYPE-ISSUER`
//! (107/2021/NĐ-CP), and the Party form `số-TYPE/ISSUER` (03-TB/BCĐ, Hướng dẫn
//! 36-HD/VPTW). Scanning noise is tolerated: "5768 /UBND-KSTT", "574./KH-UBND",
//! "BCD" for "BCĐ".

use regex::Regex;
use std::sync::LazyLock;

/// A symbol group: upper-case led, at least two capitals overall ("TTg", "QyĐ"), with the
/// term of the legislature that issues it ("QH15", "UBTVQH15": Luật Ban hành văn bản quy
/// phạm pháp luật 2015, Điều 9 — the symbol of a Quốc hội text carries its term).
/// A group of a number's code; a unit numbered in Roman after a dot ("11554/VPCP-V.I": the
/// Vụ I of the Văn phòng Chính phủ) keeps its number.
/// (An ASCII word boundary: a Unicode one would keep the regex off its fast engine, and
/// this is the hottest pattern of the reader.)
const GROUP: &str = r"[A-ZĐ][A-Za-zĐđ&]*\d{0,2}(?:\.[IVX]{1,4}(?-u:\b))?";

/// Administrative and legal numbers: 6794/UBND-KSTT, 107/2021/NĐ-CP, 574./KH-UBND.
static ADMIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:^|[^\d/\p{{L}}])(\d{{1,6}}[a-z]?)\s?\.?\s?(?:/\s?((?:19|20)\d\d))?\s?/\s?({GROUP}(?:\s?-\s?{GROUP}){{0,3}})"
    ))
    .expect("static regex")
});

/// Party numbers: 03-TB/BCĐ, 09-NQ/TU, 48-NQ/TW, 36-HD/VPTW.
static PARTY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:^|[^\d/\p{{L}}])(\d{{1,4}})\s?-\s?({GROUP})\s?/\s?({GROUP}(?:\s?-\s?{GROUP}){{0,2}})"
    ))
    .expect("static regex")
});

/// Document type codes of NĐ 30/2020/NĐ-CP, Phụ lục III, with their names.
pub const TYPE_CODES: &[(&str, &str)] = &[
    ("NQ", "Nghị quyết"),
    ("QĐ", "Quyết định"),
    ("CT", "Chỉ thị"),
    ("QC", "Quy chế"),
    ("QyĐ", "Quy định"),
    ("TC", "Thông cáo"),
    ("TB", "Thông báo"),
    ("HD", "Hướng dẫn"),
    ("CTr", "Chương trình"),
    ("KH", "Kế hoạch"),
    ("PA", "Phương án"),
    ("ĐA", "Đề án"),
    ("DA", "Dự án"),
    ("BC", "Báo cáo"),
    ("BB", "Biên bản"),
    ("TTr", "Tờ trình"),
    ("HĐ", "Hợp đồng"),
    ("CĐ", "Công điện"),
    ("BGN", "Bản ghi nhớ"),
    ("BTT", "Bản thỏa thuận"),
    ("GUQ", "Giấy ủy quyền"),
    ("GM", "Giấy mời"),
    ("GGT", "Giấy giới thiệu"),
    ("GNP", "Giấy nghỉ phép"),
    ("PG", "Phiếu gửi"),
    ("PC", "Phiếu chuyển"),
    ("PB", "Phiếu báo"),
    // Legal normative documents (Luật Ban hành văn bản QPPL).
    ("NĐ", "Nghị định"),
    ("TT", "Thông tư"),
    ("TTLT", "Thông tư liên tịch"),
];

/// Groups where a scanned "D" can only stand for "Đ": none of these spellings is a
/// code of Phụ lục III, while the Đ spelling is (CĐ, QĐ, NĐ) or is a common issuer
/// group (BCĐ, ĐGS, HĐND). "DA"/"ĐA" and "HD"/"HĐ" are both real codes: kept.
const D_FIXES: &[(&str, &str)] = &[
    ("CD", "CĐ"),
    ("QD", "QĐ"),
    ("ND", "NĐ"),
    ("BCD", "BCĐ"),
    ("DGS", "ĐGS"),
    ("HDND", "HĐND"),
    ("QyD", "QyĐ"),
    ("DU", "ĐU"),
    ("DUK", "ĐUK"),
    ("DTN", "ĐTN"),
];

/// Repairs one symbol group ("CD" → "CĐ").
fn fix_group(g: &str) -> String {
    for (from, to) in D_FIXES {
        if g == *from {
            return (*to).to_string();
        }
    }
    g.to_string()
}

fn fix_groups(symbol: &str, sep: char) -> String {
    symbol
        .split(sep)
        .map(|g| fix_group(g.trim()))
        .collect::<Vec<_>>()
        .join(&sep.to_string())
}

fn enough_capitals(symbol: &str) -> bool {
    symbol.chars().filter(|c| c.is_uppercase()).count() >= 2
}

/// Leading zeros are part of the number as printed (NĐ 30: numbers < 10 are
/// written "05"), so they are kept; only noise (spaces, stray dots) goes.
fn clean_number(n: &str) -> String {
    n.trim().to_string()
}

/// A document number found in text, with its byte span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundNumber {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// All document numbers in `text`, in order, normalised ("5768 /UBND-KSTT" →
/// "5768/UBND-KSTT", "280/CD-TTg" → "280/CĐ-TTg").
pub fn find_numbers(text: &str) -> Vec<FoundNumber> {
    let mut out: Vec<FoundNumber> = Vec::new();
    if !text.contains('/') {
        return out;
    }
    for c in PARTY.captures_iter(text) {
        let (Some(n), Some(t), Some(i)) = (c.get(1), c.get(2), c.get(3)) else {
            continue;
        };
        let issuer = fix_groups(&i.as_str().replace(' ', ""), '-');
        let ty = fix_group(t.as_str());
        out.push(FoundNumber {
            text: format!("{}-{}/{}", clean_number(n.as_str()), ty, issuer),
            start: n.start(),
            end: i.end(),
        });
    }
    for c in ADMIN.captures_iter(text) {
        let (Some(n), Some(sym)) = (c.get(1), c.get(3)) else {
            continue;
        };
        if out.iter().any(|f| n.start() < f.end && f.start < sym.end()) {
            continue;
        }
        let symbol = fix_groups(&sym.as_str().replace(' ', ""), '-');
        if !enough_capitals(&symbol) || is_form_mark(&symbol) {
            continue;
        }
        // "01-1/TB-TĐT": a form's code, not a number that starts at its last part.
        if text[..n.start()].ends_with('-')
            && text[..n.start()]
                .trim_end_matches('-')
                .ends_with(|c: char| c.is_ascii_digit())
        {
            continue;
        }
        let text = match c.get(2) {
            Some(y) => format!("{}/{}/{}", clean_number(n.as_str()), y.as_str(), symbol),
            None => format!("{}/{}", clean_number(n.as_str()), symbol),
        };
        out.push(FoundNumber {
            text,
            start: n.start(),
            end: sym.end(),
        });
    }
    out.sort_by_key(|f| f.start);
    out
}

/// An appendix or form mark ("09/PLIII": the ninth form of Phụ lục III), not a document's
/// symbol: "PL" and a Roman numeral, with no issuer group.
fn is_form_mark(symbol: &str) -> bool {
    symbol
        .strip_prefix("PL")
        .is_some_and(|r| r.chars().all(|c| matches!(c, 'I' | 'V' | 'X')))
}

/// The type named by a number's symbol, if its type group is a Phụ lục III code
/// ("304/TB-VPCP" → Thông báo, "03-TB/BCĐ" → Thông báo). A first group that is
/// not a type (UBND, VPCP, TTg…) means a công văn (domain guide §3.4).
pub fn type_of_number(number: &str) -> Option<&'static str> {
    let code = if let Some((left, _)) = number.split_once('/') {
        if let Some((_, party_type)) = left.split_once('-') {
            party_type.to_string()
        } else {
            let sym = number.rsplit('/').next().unwrap_or("");
            sym.split('-').next().unwrap_or("").to_string()
        }
    } else {
        return None;
    };
    match TYPE_CODES.iter().find(|(c, _)| *c == code) {
        Some((_, name)) => Some(name),
        None => Some("Công văn"),
    }
}

/// The issuer group of a number: "UBND" in 574/KH-UBND, "BCĐ" in 03-TB/BCĐ.
pub fn issuer_code(number: &str) -> Option<String> {
    let (left, right) = number.rsplit_once('/')?;
    if left.contains('-') && !left.contains('/') {
        return Some(right.split('-').next().unwrap_or(right).to_string());
    }
    let groups: Vec<&str> = right.split('-').collect();
    if groups.len() >= 2 && TYPE_CODES.iter().any(|(c, _)| *c == groups[0]) {
        Some(groups[1].to_string())
    } else {
        groups.first().map(|g| g.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nums(t: &str) -> Vec<String> {
        find_numbers(t).into_iter().map(|f| f.text).collect()
    }

    #[test]
    fn reads_the_seed_grammars_and_noise() {
        assert_eq!(nums("Số: 5768 /UBND-KSTT"), ["5768/UBND-KSTT"]);
        assert_eq!(nums("Kế hoạch số 574./KH-UBND ngày"), ["574/KH-UBND"]);
        assert_eq!(nums("Số 03-TB/BCĐ"), ["03-TB/BCĐ"]);
        assert_eq!(nums("số 03-TB/BCD"), ["03-TB/BCĐ"]);
        assert_eq!(
            nums("Công điện số 280/CD-TTg ngày 19/4/2023"),
            ["280/CĐ-TTg"]
        );
        assert_eq!(
            nums("Nghị định số 107/2021/NĐ-CP ngày 06/12/2021"),
            ["107/2021/NĐ-CP"]
        );
        assert_eq!(nums("Chỉ thị 05/CT-UBND"), ["05/CT-UBND"]);
        assert_eq!(
            nums("10/22 Bộ; 25/25 dịch vụ công; 19/7/2023"),
            Vec::<String>::new()
        );
        assert_eq!(nums("Công văn số 2231/SNV-CCHC&PC"), ["2231/SNV-CCHC&PC"]);
    }

    #[test]
    fn the_national_assembly_term_stays_on_the_symbol() {
        assert_eq!(
            nums(
                "Nghị quyết số 170/2024/QH15 ngày 30/11/2024; Luật số 38/2019/QH14 và Nghị quyết 1654/NQ-UBTVQH15."
            ),
            ["170/2024/QH15", "38/2019/QH14", "1654/NQ-UBTVQH15"]
        );
    }

    #[test]
    fn form_marks_are_not_numbers() {
        assert!(nums("theo mẫu số 09/PLIII ban hành kèm theo").is_empty());
        assert!(nums("Mẫu số 01-1/TB-TĐT").is_empty());
        assert_eq!(nums("Công văn 123/UBND"), vec!["123/UBND"]);
    }

    #[test]
    fn types_from_symbols() {
        assert_eq!(type_of_number("304/TB-VPCP"), Some("Thông báo"));
        assert_eq!(type_of_number("6794/UBND-KSTT"), Some("Công văn"));
        assert_eq!(type_of_number("03-TB/BCĐ"), Some("Thông báo"));
        assert_eq!(type_of_number("644/CĐ-TTg"), Some("Công điện"));
        assert_eq!(issuer_code("03-TB/BCĐ").as_deref(), Some("BCĐ"));
        assert_eq!(issuer_code("574/KH-UBND").as_deref(), Some("UBND"));
    }
}
