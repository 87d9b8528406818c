//! One body's name as a list gives it: the head's title dropped ("Giám đốc Sở …" → "Sở
//! …"), a describing bracket or an acronym after the name dropped, the office its head holds
//! elsewhere dropped, an OCR misreading mended, the work a cell goes on with cut.

use super::{re, starts_like_agency};
use crate::normalize::{capitalize_first, fold, squash};
use regex::Regex;
use std::sync::LazyLock;

/// A head's title before the body it heads ("Giám đốc Sở Tư pháp" → "Sở Tư pháp").
static HEAD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:Tổng Giám đốc|Giám đốc|Chánh|Thủ trưởng|thủ trưởng|Chủ tịch Hội đồng thành viên|Chủ tịch|chủ tịch|Trưởng|Người đứng đầu|Bộ trưởng|Thứ trưởng|Cục trưởng|Vụ trưởng|Viện trưởng|Bí thư)\s+((?:các\s|Sở\s|Ban\s|UBND|Ủy ban|Uỷ ban|cơ quan|Cơ quan|đơn vị|Đơn vị|Văn phòng|Bộ\s|Cục\s|Vụ\s|Viện\s|tập đoàn|tổng công ty|Tập đoàn|Tổng công ty|[tT]ỉnh [uủ][ỷy]|[tT]hành [uủ][ỷy]|[đĐ]ảng [uủ][ỷy]|[cC]ấp [uủ][ỷy]).*)$",
    )
});
/// A bracket that describes in lower case ("(cơ quan thường trực)").
static LOWER_PAREN: LazyLock<Regex> = LazyLock::new(|| re(r"\s*\(\s*\p{Ll}[^)]*\)"));
/// The short name in brackets after the full one ("(VTV)").
static ACRONYM_PAREN: LazyLock<Regex> = LazyLock::new(|| re(r"\s*\(\s*[\p{Lu}&]{2,10}\s*\)\s*$"));
/// "Cổng" read by OCR as "Công".
static OCR_PORTAL: LazyLock<Regex> =
    LazyLock::new(|| re(r"\bCông (Thông tin|TTĐT|Dịch vụ công|thông tin|dịch vụ công)"));

/// Titles that name no body on their own.
pub(crate) const TITLES_ALONE: &[&str] = &[
    "thu truong",
    "giam doc",
    "chu tich",
    "truong",
    "bo truong",
    "nguoi dung dau",
    "lanh dao",
    "tong giam doc",
    "chu tich hoi dong thanh vien",
    "cuc truong",
    "vu truong",
    "truong ban",
    "chanh van phong",
];

/// Cleans one agency name: head word → agency, descriptive lower-case parenthesis
/// dropped, OCR "Công Thông tin" → "Cổng Thông tin", first letter capital.
pub(super) fn clean_one(s: &str) -> Option<String> {
    let mut s = squash(
        s.trim()
            .trim_matches(|c: char| matches!(c, ',' | ';' | '.' | ':' | '-'))
            .trim(),
    );
    for prefix in [
        "Giao ",
        "Yêu cầu ",
        "yêu cầu ",
        "và ",
        "đồng thời ",
        "Đồng chí ",
        "đồng chí ",
        "Các đồng chí ",
        "các đồng chí ",
    ] {
        if let Some(r) = s.strip_prefix(prefix) {
            s = r.to_string();
        }
    }
    if s.starts_with("người đứng đầu ") {
        s = capitalize_first(&s);
    }
    if let Some(c) = HEAD.captures(&s)
        && let Some(m) = c.get(1)
    {
        // ("Bí thư tỉnh ủy, thành ủy" → "Tỉnh ủy, thành ủy"; "Thủ trưởng cơ quan ngang bộ"
        // → "Các cơ quan ngang bộ": the heads of a class of bodies, all of them.)
        let class = [
            "cơ quan ngang bộ",
            "cơ quan ngang Bộ",
            "cơ quan thuộc Chính phủ",
        ]
        .iter()
        .any(|k| m.as_str().starts_with(k));
        s = if class {
            format!("Các {}", m.as_str())
        } else if m.as_str().starts_with(|c: char| c.is_lowercase()) {
            capitalize_first(m.as_str())
        } else {
            m.as_str().to_string()
        };
    }
    s = LOWER_PAREN.replace_all(&s, "").into_owned();
    // "Các doanh nghiệp viễn thông (VNPT, Viettel, MobiFone và doanh nghiệp khác)": examples
    // in brackets, not the body's name.
    if let Some(open) = s.rfind(" (")
        && s.ends_with(')')
    {
        let inner = fold(&s[open + 2..s.len() - 1]);
        // "Sở Nội vụ (Cơ quan thường trực Ban Vì sự tiến bộ phụ nữ …)": the body's role, in
        // capitals as in lower case.
        let role = [
            "co quan thuong truc",
            "thuong truc ",
            "co quan chu tri",
            "co quan dau moi",
        ]
        .iter()
        .any(|r| inner.starts_with(r));
        if role || inner.ends_with(" khac") || inner.contains("...") || inner.ends_with(" v.v") {
            s.truncate(open);
        }
    }
    // "Đài Truyền hình Việt Nam (VTV)": the short name in brackets after the full one.
    s = ACRONYM_PAREN.replace_all(&s, "").into_owned();
    // A role after a dash: "Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo".
    if let Some(i) = s.find(" - ") {
        let role = fold(&s[i + 3..]);
        // "Bộ Tài chính - Phó Trưởng ban Thường trực Ban Chỉ đạo 389 quốc gia": the office
        // its head holds elsewhere.
        if [
            "co quan",
            "thuong truc",
            "don vi",
            "la co quan",
            "pho truong ban",
            "truong ban",
            "thanh vien",
            "uy vien",
            "pho chu tich",
            "chu tich",
        ]
        .iter()
        .any(|r| role.starts_with(r))
        {
            s.truncate(i);
        }
    }
    s = OCR_PORTAL.replace_all(&s, "Cổng $1").into_owned();
    // "Ủy ban nhân dân cấp tỉnh trình Hội đồng nhân dân cùng cấp" (a table's cell of
    // leads): a verb whose object is another body ends the name; a verb inside a name
    // ("Ban Quản lý Khu Nông nghiệp ứng dụng Công nghệ cao") has none.
    if s.split_whitespace().nth(3).is_some()
        && let Some(v) = super::first_verb(&s)
        && v > 0
        && s[v..].starts_with(char::is_lowercase)
        && let Some(object) = s[v..]
            .match_indices(' ')
            .map(|(i, _)| &s[v + i + 1..])
            .take(2)
            .find(|o| o.starts_with(char::is_uppercase))
        && starts_like_agency(object)
    {
        s.truncate(v);
        s = s.trim_end().to_string();
    }
    // "Sở Y tế và" when the name after the conjunction was cut off (a verb, a line): the
    // conjunction names nothing.
    for tail in [" và", " hoặc", " cùng"] {
        if let Some(r) = s.strip_suffix(tail) {
            s = r.trim_end().to_string();
        }
    }
    // "Cục Thuế các tỉnh thành phố trực thuộc Trung ương" (the comma lost), "Trung tương"
    // (OCR): the fixed phrase as the addressee line writes it.
    if s.contains("các tỉnh thành phố") {
        s = s.replace("các tỉnh thành phố", "các tỉnh, thành phố");
    }
    if s.contains("Trung tương") {
        s = s.replace("Trung tương", "Trung ương");
    }
    let s = squash(&s);
    let f = fold(&s);
    // "tỉnh Nghệ An" left of a split name is a place, not a body; "Tỉnh Lâm Đồng" named as
    // one ("Thành phố Hồ Chí Minh, tỉnh Lâm Đồng đẩy nhanh …") is.
    let place_alone = s.starts_with("tỉnh ") && s.split(' ').count() <= 4;
    if s.chars().count() < 2 || place_alone || f == "tinh" {
        return None;
    }
    // "Các Bộ trưởng" are the ministries, and so is "Bộ trưởng" listed with other heads
    // ("Bộ trưởng, Thủ trưởng cơ quan ngang bộ, …").
    if f == "cac bo truong" || f == "bo truong" {
        return Some("Các bộ".to_string());
    }
    // "… trong phạm vi chức năng, nhiệm vụ của mình", "theo chức năng": the scope of the
    // work, not a body.
    if ["trong pham vi", "theo chuc nang", "theo tham quyen"]
        .iter()
        .any(|w| f.starts_with(w))
    {
        return None;
    }
    // A head's title left alone ("Thủ trưởng" of "Thủ trưởng các sở, …").
    if TITLES_ALONE.contains(&f.as_str()) {
        return None;
    }
    Some(capitalize_first(&s))
}
