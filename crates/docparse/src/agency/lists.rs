//! Lists inside a name: the provinces of "các tỉnh Nghệ An, Quảng Ngãi" and the members a
//! bracket names after a generic body ("Các cơ quan đăng ký đầu tư (Sở Tài chính, …)").

use super::{parse_agencies, starts_like_agency};
use crate::normalize::fold;

/// "Các tỉnh Nghệ An, Quảng Ngãi, Cao Bằng", "các thành phố Hà Nội, Hải Phòng": the kind
/// ("Tỉnh", "Thành phố") and the places, each a body of its own.
pub(super) fn place_list(s: &str) -> Option<(String, Vec<String>)> {
    let rest = s.strip_prefix("Các ").or_else(|| s.strip_prefix("các "))?;
    let (kind, names) = if let Some(r) = rest.strip_prefix("tỉnh ") {
        ("Tỉnh", r)
    } else if let Some(r) = rest.strip_prefix("thành phố ") {
        ("Thành phố", r)
    } else {
        return None;
    };
    let places: Vec<String> = names
        .split(',')
        .map(|p| {
            p.trim()
                .trim_end_matches(['.', ';', ':'])
                .trim()
                .to_string()
        })
        .filter(|p| !p.is_empty())
        .collect();
    let is_place = |p: &String| {
        p.starts_with(char::is_uppercase) && !starts_like_agency(p) && p.split(' ').count() <= 4
    };
    (!places.is_empty() && places.iter().all(is_place)).then(|| (kind.to_string(), places))
}

/// "Các cơ quan đăng ký đầu tư (Sở Tài chính, Ban quản lý Khu Kinh tế …)", "Cơ quan
/// thường trực (Sở Nội vụ)": a generic body whose members the brackets name; the members
/// are the bodies that do the work.
pub(super) fn bracketed_members(text: &str) -> Option<Vec<String>> {
    let t = text.trim_end_matches([':', ' ', '.', ';']);
    let inner_end = t.len().checked_sub(1).filter(|_| t.ends_with(')'))?;
    let open = t.find('(')?;
    let (head, inner) = (t[..open].trim(), t[open + 1..inner_end].trim());
    // "(gồm các Sở: Xây dựng, …)": the members after "gồm".
    let inner = ["bao gồm ", "gồm "]
        .iter()
        .find_map(|g| inner.strip_prefix(g))
        .unwrap_or(inner);
    if inner.contains(['(', ')']) || head.split(' ').count() > 12 {
        return None;
    }
    let f = fold(head);
    if !super::GENERIC_BODIES.iter().any(|g| f.starts_with(g)) || !starts_like_agency(inner) {
        return None;
    }
    let list = parse_agencies(inner);
    (!list.is_empty() && list.iter().all(|a| starts_like_agency(a))).then_some(list)
}
