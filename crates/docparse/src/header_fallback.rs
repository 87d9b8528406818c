//! Header fields the header block does not give, read from elsewhere in the document:
//! a copy that lost ô 1–5 still names its number and date on its appendix, a resolution of
//! the Quốc hội's bodies dates itself where it was passed, and a scan's garbled issuer line
//! is the name the body uses for itself; an appendix caption ("Kèm theo Kế hoạch số … của
//! UBND tỉnh …") or the signature's "TM." body names the issuer.

use crate::header::Header;
use crate::normalize::{fold, upper_ratio};
use regex::Regex;
use std::sync::LazyLock;

/// "(Kèm theo Công văn số 6225/BVHTTDL-VP ngày 18/11/2025 của …)".
static APPENDIX_REF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^[\s\-–(*_]*kèm theo\s+(\p{L}+(?:\s\p{L}+)?)\s+số\s+(\S+)\s+ngày\s+(\d{1,2})\s*(?:[/.-]|\s+tháng\s+)\s*(\d{1,2})\s*(?:[/.-]|\s+năm\s+)\s*(\d{4})",
    )
    .expect("static regex")
});

/// Number, kind and date of the document from its appendix's reference line (NĐ
/// 30/2020/NĐ-CP, Phụ lục I, mục III: an appendix is headed "PHỤ LỤC" and "(Kèm theo Công
/// văn số …/… ngày … của …)"): the line within three lines under a "PHỤ LỤC" heading.
pub(crate) fn appendix_reference(lines: &[&str]) -> Option<(String, String, Option<String>)> {
    let heading = lines.iter().position(|l| {
        let t = l.trim().trim_matches(['*', '_', ' ']);
        fold(t).starts_with("phu luc") && t.chars().count() < 40 && upper_ratio(t) > 0.8
    })?;
    // (The caption may follow a title of two lines.)
    for l in lines.iter().skip(heading + 1).take(6) {
        let Some(c) = APPENDIX_REF.captures(l.trim()) else {
            continue;
        };
        let kind = crate::header::type_name(&fold(c.get(1)?.as_str()))?;
        let number = crate::number::find_numbers(c.get(2)?.as_str())
            .into_iter()
            .next()?
            .text;
        let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        let date = match (n(3), n(4), n(5)) {
            (Some(d), Some(m), Some(y)) => crate::date::iso(y as i32, m, d),
            _ => None,
        };
        return Some((kind.to_string(), number, date));
    }
    None
}

/// The issuer an appendix's caption names ("(Kèm theo Hướng dẫn số 40-HD/BTGDVTW, ngày
/// 27/11/2025 của Ban Tuyên giáo và" / "Dân vận Trung ương)"), for a copy without ô 2.
fn appendix_issuer(lines: &[&str]) -> Option<String> {
    let heading = lines.iter().position(|l| {
        let t = l.trim().trim_matches(['*', '_', ' ']);
        fold(t).starts_with("phu luc") && t.chars().count() < 40 && upper_ratio(t) > 0.8
    })?;
    let at = (heading + 1..lines.len().min(heading + 7))
        .find(|i| APPENDIX_REF.is_match(lines[*i].trim()))?;
    let mut text = lines[at].trim().to_string();
    if !text.contains(')')
        && let Some(next) = lines.get(at + 1)
    {
        text.push(' ');
        text.push_str(next.trim());
    }
    let after = &text[text.find(" của ")? + " của ".len()..];
    let name = after
        .split(')')
        .next()
        .unwrap_or(after)
        .trim()
        .trim_end_matches(['*', '.', ' ']);
    // A short name ("của Ban Chỉ đạo") says less than the header or the signature would.
    let list = crate::agency::parse_agencies(name);
    (list.len() == 1 && list[0].split(' ').count() >= 4).then(|| list[0].clone())
}

/// "… thông qua ngày 16 tháng 6 năm 2025.": the date a resolution of the Quốc hội or its
/// Standing Committee was passed, which it prints in its closing line instead of ô 4 (Luật
/// Ban hành văn bản quy phạm pháp luật 2015, Điều 8 and NĐ 34/2016/NĐ-CP, Phụ lục I).
static PASSED_ON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"thông qua ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})")
        .expect("static regex")
});

pub(crate) fn passed_on(lines: &[&str]) -> Option<String> {
    lines.iter().rev().take(80).find_map(|l| {
        let c = PASSED_ON.captures(l)?;
        let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        crate::date::iso(n(3)? as i32, n(2)?, n(1)?)
    })
}

/// Verbs with which a letter's sender names itself in its body ("Tổng cục Thuế yêu cầu …",
/// "… thông báo để …").
const SELF_VERBS: &[&str] = &["yeu cau", "de nghi", "thong bao", "huong dan", "chi dao"];

/// How the folded words of `name` appear in order at the start of `garbled`: None when they
/// do not; Some(true) when each is printed exactly, Some(false) when one is a letter away
/// or begun by it ("tong cyc thue" for "tong cuc thue", "thuesz" for "thue") or words of
/// noise (at most two) come between them.
fn spells(name: &str, garbled: &str) -> Option<bool> {
    let want: Vec<String> = fold(name).split_whitespace().map(str::to_string).collect();
    let have: Vec<String> = fold(garbled)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let near = |a: &str, b: &str| {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        (a.len() == b.len() && a.iter().zip(&b).filter(|(x, y)| x != y).count() <= 1)
            || (b.len() > a.len() && b.starts_with(&a) && a.len() >= 3)
    };
    let (mut i, mut skipped, mut exact) = (0, 0, true);
    for w in &want {
        loop {
            let h = have.get(i)?;
            i += 1;
            if w == h {
                break;
            }
            exact = false;
            if near(w, h) {
                break;
            }
            skipped += 1;
            if skipped > 2 || i == 1 {
                return None;
            }
        }
    }
    Some(exact)
}

/// The name a scan garbled in the issuer block ("TONG CYC THUE", "TONG CỤC THU. cue THUẾ:
/// TỈNH HÒA BÌNH"), as the body writes it before a verb of its own ("Tổng cục Thuế yêu cầu
/// …"): ô 2 and the sender named in the text are the same body. None when the block spells
/// the name right.
pub(crate) fn issuer_named_in_body(garbled: &str, lines: &[&str]) -> Option<String> {
    // Only a name a scan could have garbled: marks lost, or stray punctuation in it.
    let garbled_like = garbled.is_ascii()
        || garbled
            .chars()
            .any(|c| !(c.is_alphanumeric() || c.is_whitespace() || matches!(c, ',' | '-' | '&')));
    if !garbled_like {
        return None;
    }
    named_in_body(lines, |name| spells(name, garbled) == Some(false))
}

/// Without ô 2, the issuer from the signature's "TM." collective when it is a bare kind
/// ("TM. ỦY BAN NHÂN DÂN", ô 7a) and the body names that body before a verb of its own
/// ("UBND Thành phố yêu cầu …" → "Ủy ban nhân dân Thành phố").
pub(crate) fn issuer_from_collective(lines: &[&str]) -> Option<String> {
    let kind = lines.iter().rev().take(200).find_map(|l| {
        let t = l.trim().trim_matches(['*', '_', '|', ' ']);
        let rest = t
            .strip_prefix("TM.")
            .or_else(|| t.strip_prefix("T/M"))?
            .trim()
            .trim_matches(['*', '_', ' ']);
        Some(fold(rest))
    })?;
    let kinds: &[&str] = match kind.as_str() {
        "uy ban nhan dan" | "uy ban nhan" => &["uy ban nhan dan ", "ubnd "],
        "hoi dong nhan dan" => &["hoi dong nhan dan ", "hdnd "],
        _ => return None,
    };
    let name = named_in_body(lines, |name| {
        let f = format!("{} ", fold(name));
        kinds.iter().any(|k| f.starts_with(k) && f.len() > k.len())
    })?;
    Some(match name.strip_prefix("UBND ") {
        Some(rest) => format!("Ủy ban nhân dân {rest}"),
        None => match name.strip_prefix("HĐND ") {
            Some(rest) => format!("Hội đồng nhân dân {rest}"),
            None => name,
        },
    })
}

fn named_in_body(lines: &[&str], accept: impl Fn(&str) -> bool) -> Option<String> {
    for l in lines {
        let fl = fold(l);
        if !SELF_VERBS.iter().any(|v| fl.contains(v)) {
            continue;
        }
        for piece in l.split(['.', ';', ':', ',']) {
            let words: Vec<&str> = piece.split_whitespace().collect();
            for k in 2..words.len().min(7) {
                let next = fold(&words[k..words.len().min(k + 2)].join(" "));
                if !SELF_VERBS.iter().any(|v| next.starts_with(v))
                    || !words[0].starts_with(char::is_uppercase)
                {
                    continue;
                }
                let name = words[..k].join(" ");
                if crate::agency::starts_like_agency(&name) && accept(&name) {
                    return Some(name);
                }
            }
        }
    }
    None
}

/// What the header block did not give, from the rest of the document.
pub(crate) fn fall_back(h: &mut Header, lines: &[&str]) {
    // (A title printed without ô 3, "HƯỚNG DẪN", takes the number its appendix gives a
    // document of that kind.)
    if h.number.is_none()
        && let Some((kind, number, date)) = appendix_reference(lines)
        && h.doc_type.as_ref().is_none_or(|t| *t == kind)
    {
        h.number = Some(number);
        h.doc_type = Some(kind);
        h.date = h.date.take().or(date);
    }
    if h.issuer.is_none() && h.number_line.is_none() {
        h.issuer = appendix_issuer(lines);
    }
    if h.date.is_none() && h.doc_type.as_deref() == Some("Nghị quyết") {
        h.date = passed_on(lines);
    }
    // A letter to named addressees with neither number nor kind printed (a copy that lost
    // ô 3 and ô 5a): the kind that carries "Kính gửi" without a title is the công văn (NĐ
    // 30/2020/NĐ-CP, Phụ lục I, mục II.5 and ô 9a).
    if h.number.is_none() && h.doc_type.is_none() && h.sender.is_none() && !h.recipients.is_empty()
    {
        h.doc_type = Some("Công văn".to_string());
    }
    if h.issuer.is_none() && h.number.is_none() {
        h.issuer = issuer_from_collective(lines);
    }
    if h.issuer.is_none() && h.number_line.is_none() {
        h.issuer = crate::header_signed::issuer_from_signature(lines);
    }
    if let Some(g) = &h.issuer {
        let body = &lines[h.body_start.min(lines.len())..lines.len().min(h.body_start + 150)];
        if let Some(n) = issuer_named_in_body(g, body) {
            h.issuer = Some(n);
        }
    }
}

/// When the header names no issuer: "(Kèm theo Kế hoạch số 574/KH-UBND … của UBND
/// tỉnh Nghệ An)"; the subject's "của Ban Chỉ đạo …" when its initials match the
/// number's issuer group (BCĐ); or the "TM." collective with the place.
pub(crate) fn infer_issuer(
    lines: &[&str],
    h: &Header,
    number: Option<&str>,
    subject: Option<&str>,
) -> Option<String> {
    let number = number?;
    let bare = number.split('/').next().unwrap_or("");
    for l in lines {
        let f = fold(l);
        if f.contains("kem theo")
            && l.contains(bare)
            && let Some(i) = l.rfind("của ")
        {
            let name = l[i + "của ".len()..]
                .trim()
                .trim_end_matches([')', '.'])
                .trim();
            if !name.is_empty() && name.chars().count() < 80 {
                return Some(expand_abbrev(name));
            }
        }
    }
    let code = crate::number::issuer_code(number)?;
    if let Some(s) = subject
        && let Some(i) = s.find("của ")
    {
        let rest = &s[i + "của ".len()..];
        let cut = [" tại ", " về ", " ngày ", " năm "]
            .iter()
            .filter_map(|w| rest.find(w))
            .min()
            .unwrap_or(rest.len());
        let name = rest[..cut].trim();
        let initials: String = name
            .split_whitespace()
            .filter_map(|w| w.chars().next())
            .collect::<String>()
            .to_uppercase();
        if !name.is_empty() && fold(&initials).starts_with(&fold(&code)) {
            return Some(name.to_string());
        }
    }
    let _ = h;
    None
}

/// The body after "TM." in a signature block, when it names itself fully ("TM. CHÍNH
/// PHỦ", "TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI"); a bare "ỦY BAN NHÂN DÂN" or "BAN THƯỜNG VỤ"
/// does not say which, and gives nothing.
pub(crate) fn collective_of(block: &[&str]) -> Option<String> {
    for l in block.iter().take(8) {
        let t = l.trim();
        let Some(rest) = t.strip_prefix("TM.").or_else(|| t.strip_prefix("T/M")) else {
            continue;
        };
        let rest = rest.trim();
        let f = fold(rest);
        if rest.is_empty()
            || [
                "uy ban nhan dan",
                "hoi dong nhan dan",
                "ban thuong vu",
                "ban chi dao",
                "doan",
            ]
            .iter()
            .any(|bare| f == *bare)
        {
            return None;
        }
        return Some(crate::normalize::case_upper(rest));
    }
    None
}

fn expand_abbrev(name: &str) -> String {
    if let Some(rest) = name.strip_prefix("UBND ") {
        return format!("Ủy ban nhân dân {rest}");
    }
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appendix_caption_names_the_issuer() {
        let lines = [
            "**PHỤ LỤC**",
            "SỐ",
            "LƯỢNG BÁO CÁO VIÊN CẤP XÃ",
            "*(Kèm theo Hướng dẫn số 40-HD/BTGDVTW, ngày 27/11/2025 của Ban Tuyên giáo và",
            "Dân vận Trung ương)*",
        ];
        assert_eq!(
            appendix_issuer(&lines).as_deref(),
            Some("Ban Tuyên giáo và Dân vận Trung ương")
        );
        let (k, n, d) = appendix_reference(&lines).unwrap();
        assert_eq!(
            (k.as_str(), n.as_str(), d.as_deref()),
            ("Hướng dẫn", "40-HD/BTGDVTW", Some("2025-11-27"))
        );
        // "của Ban Chỉ đạo": too short to name the issuer.
        let short = [
            "PHỤ LỤC",
            "(Kèm theo Công văn số 174/CV-BCĐ ngày 02/12/2025 của Ban Chỉ đạo)",
        ];
        assert_eq!(appendix_issuer(&short), None);
    }

    #[test]
    fn appendix() {
        let lines = [
            "Nơi nhận:",
            "**PHỤ LỤC**",
            "DANH MỤC NHIỆM VỤ",
            "- (Kèm theo Công văn số 6225/BVHTTDL-VP ngày 18/11/2025 của Bộ Văn hóa)",
        ];
        let (k, n, d) = appendix_reference(&lines).unwrap();
        assert_eq!(
            (k.as_str(), n.as_str(), d.as_deref()),
            ("Công văn", "6225/BVHTTDL-VP", Some("2025-11-18"))
        );
    }

    #[test]
    fn issuer_of_a_headerless_letter() {
        let lines = [
            "Thực hiện chỉ đạo của Thành ủy, UBND Thành phố yêu cầu các sở thực hiện:",
            "1. Nội dung.",
            "**TM. ỦY BAN NHÂN DÂN**",
            "KT. CHỦ TỊCH",
        ];
        assert_eq!(
            issuer_from_collective(&lines).as_deref(),
            Some("Ủy ban nhân dân Thành phố")
        );
    }

    #[test]
    fn garbled_issuer() {
        let body = ["Tổng cục Thuế yêu cầu Cục Thuế các tỉnh thực hiện."];
        assert_eq!(
            issuer_named_in_body("TONG CYC THUE", &body).as_deref(),
            Some("Tổng cục Thuế")
        );
        assert_eq!(
            issuer_named_in_body("TỎNG CỤC 'G CỤC THUÊSZ và ký hiệu HS:", &body).as_deref(),
            Some("Tổng cục Thuế")
        );
        assert_eq!(issuer_named_in_body("BỘ TÀI CHÍNH", &body), None);
    }
}
