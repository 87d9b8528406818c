//! Relevance of a search result: people type a procedure's name as they know it, with or
//! without diacritics, sometimes without spaces ("khaisinh"); the name must weigh more
//! than the agency or the field that also matched, an exact name or phrase first, and of
//! two names that both contain the phrase, the shorter (the procedure itself, not one
//! that merely mentions it) first.

use crate::text::fold_vi;

/// Lower case, diacritics folded, runs of blanks and punctuation as one space.
pub fn normalise(s: &str) -> String {
    let folded = fold_vi(s);
    let mut out = String::with_capacity(folded.len());
    for w in folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The score of a result for a query (higher first): the code typed exactly, the name
/// exactly, the name starting with the phrase, containing it, containing it once blanks
/// are ignored; then the agency (or field) `other` containing the phrase ("Sở Tư pháp"
/// finds that department's own procedures before names where "sở", "tư" and "pháp" are
/// scattered), the name containing every word, every word inside the name's words, then
/// anything else that matched.
pub fn score(query: &str, name: &str, code: &str, other: &str) -> u32 {
    let q = normalise(query);
    if q.is_empty() {
        return 0;
    }
    if code.trim().eq_ignore_ascii_case(query.trim()) {
        return 1000;
    }
    let n = normalise(name);
    // "Thủ tục đăng ký khai sinh" is the procedure "đăng ký khai sinh".
    let bare = n.strip_prefix("thu tuc ").unwrap_or(&n);
    if n == q || bare == q {
        return 900;
    }
    if bare.starts_with(&format!("{q} ")) {
        return 800;
    }
    let padded = format!(" {n} ");
    if padded.contains(&format!(" {q} ")) {
        return 700;
    }
    if n.contains(&q) {
        return 600;
    }
    if compact(&n).contains(&compact(&q)) {
        return 500;
    }
    if format!(" {} ", normalise(other)).contains(&format!(" {q} ")) {
        return 450;
    }
    if q.split(' ').all(|w| padded.contains(&format!(" {w} "))) {
        return 400;
    }
    if q.split(' ').all(|w| n.contains(w)) {
        return 300;
    }
    100
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_and_the_phrase_first() {
        let q = "khai sinh";
        let own = score(q, "Thủ tục đăng ký khai sinh", "1.001193", "");
        let combined = score(
            q,
            "Đăng ký khai sinh kết hợp đăng ký nhận cha, mẹ, con",
            "1.001022",
            "",
        );
        let agency_only = score(q, "Cấp giấy phép lái xe", "1.002", "Sở Giao thông vận tải");
        assert!(own > agency_only && combined > agency_only);
        assert!(
            score("đăng ký khai sinh", "Thủ tục đăng ký khai sinh", "x", "")
                > score("đăng ký khai sinh", "Đăng ký khai sinh lưu động", "y", "")
        );
        assert!(
            score("khaisinh", "Đăng ký khai sinh", "x", "")
                > score("khaisinh", "Cấp bản sao trích lục", "y", "")
        );
        assert_eq!(score("1.001193", "Đăng ký khai sinh", "1.001193", ""), 1000);
        assert!(
            score(
                "giay phep xay dung",
                "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
                "a",
                "UBND cấp xã"
            ) > score(
                "giay phep xay dung",
                "Cấp giấy phép vận tải đường bộ",
                "b",
                "Sở Xây dựng"
            )
        );
        // The agency's phrase outweighs the words scattered in a long name.
        let own = score("Sở Tư pháp", "Cấp phiếu lý lịch tư pháp", "c", "Sở Tư pháp");
        let scattered = score(
            "Sở Tư pháp",
            "Đăng ký quyền sở hữu nhà ở, tài sản tự có theo pháp luật",
            "d",
            "UBND cấp xã",
        );
        assert!(own > scattered, "{own} {scattered}");
        assert_eq!(normalise("  Giấy-phép   xây dựng "), "giay phep xay dung");
    }
}
