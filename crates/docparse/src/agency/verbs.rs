//! Verbs that end the name of a body in a sentence ("Sở Nội vụ | chủ trì …"), found in
//! bounded time.

/// Verbs that end the subject of a sentence ("Các địa phương, đơn vị | khẩn
/// trương kiện toàn …"); matched in lower case only, so capitalised words inside
/// names ("Ủy ban Kiểm tra") do not stop the name.
pub(super) const VERBS: &[&str] = &[
    "chủ trì",
    "phối hợp",
    "căn cứ",
    // "Các địa phương phát động ngay “Chiến dịch Quang Trung” …" (Thông báo 661/TB-VPCP).
    "phát động",
    "khẩn trương",
    "chủ động",
    "tiếp tục",
    "thực hiện",
    "tập trung",
    "nêu cao",
    "đề cao",
    "tham mưu",
    "triển khai",
    "rà soát",
    "trình",
    "xây dựng",
    "tăng cường",
    "chịu trách nhiệm",
    "có trách nhiệm",
    "coi",
    "nghiên cứu",
    "hướng dẫn",
    "tổ chức",
    "kiện toàn",
    "đẩy mạnh",
    "chỉ đạo",
    "quán triệt",
    "theo dõi",
    "báo cáo",
    "hoàn thành",
    "hoàn thiện",
    "đôn đốc",
    "kiểm tra",
    "nâng cao",
    "cần",
    "phải",
    "sửa",
    "bố trí",
    "ban hành",
    "cập nhật",
    "công bố",
    "thống kê",
    "đề xuất",
    "xử lý",
    "tổng hợp",
    "gửi",
    "nghiêm túc",
    "lãnh đạo",
    "quan tâm",
    "chú trọng",
    // A time before the verb ends the body's name ("Sở Tài chính định kỳ hằng quý tổng
    // hợp …").
    "định kỳ",
    "rút",
    "đảm bảo",
    "bảo đảm",
    "thường xuyên",
    "kịp thời",
    "xác định",
    "duy trì",
    "thành lập",
    "nâng cấp",
    "xác thực",
    "cung cấp",
    "giải quyết",
    "thẩm định",
    "đánh giá",
    "giám sát",
    "tuyên truyền",
    "cắt giảm",
    "đổi mới",
    "sớm",
    "để",
    "trong",
    "nhằm",
    "khắc phục",
    "đăng tải",
    "niêm yết",
    "chia sẻ",
    "kết nối",
    "chuẩn bị",
    "tiến hành",
    "phân công",
    "ứng dụng",
    "trực tiếp",
    "đưa",
    "phê duyệt",
    "sửa đổi",
    "bổ sung",
    "thúc đẩy",
    "ưu tiên",
    "huy động",
    "hỗ trợ",
    "sắp xếp",
    "thanh tra",
    "lựa chọn",
    "tiếp nhận",
    "số hóa",
    "phổ biến",
    "công khai",
    "làm đầu mối",
    "là cơ quan",
    "được giao",
    "vận hành",
    "khảo sát",
    "tham gia",
    "tích cực",
    "quyết liệt",
    "phấn đấu",
    "mở rộng",
    "hoàn tất",
    "chấn chỉnh",
    "bàn giao",
    "nắm bắt",
    "theo chức năng",
    "theo thẩm quyền",
    "theo",
    "có ý kiến",
    "trên cơ sở",
    "căn cứ",
    "khan trương",
    "đây mạnh",
    "làm việc",
    "thống nhất",
    "tạo điều kiện",
    "phụ trách",
    "bám sát",
    // Work verbs that ended no name before and so ran a coordinator into its work ("phối
    // hợp với các Bộ, ngành liên quan tháo gỡ khó khăn …", "… các địa phương đa dạng hóa
    // …").
    "đẩy nhanh",
    "tháo gỡ",
    "đa dạng hóa",
    "đa dạng hoá",
    "khôi phục",
    "thiết lập",
    "xuất cấp",
    "có các giải pháp",
    "có giải pháp",
    // "Chủ đầu tư dự án hạ tầng … san tạo mặt bằng": earthworks.
    "san tạo",
    // "Bộ Quốc phòng phát huy phẩm chất …"; "Giao Phó Thủ tướng … trước ngày 15 tháng 11
    // năm 2025 trực tiếp kiểm tra …": the time ends the name as a verb does.
    "phát huy",
    "thu thập",
    // "… trên địa bàn Thành phố tự kiểm tra, rà soát …".
    // "… Văn phòng Trung ương Đảng và các văn phòng tỉnh uỷ, thành uỷ cụ thể hoá để tổ
    // chức thực hiện …".
    "lập kế hoạch",
    "lập danh sách",
    "lập dự toán",
    "lập hồ sơ",
    "lập báo cáo",
    "cụ thể hoá",
    "cụ thể hóa",
    "tự kiểm tra",
    "tự rà soát",
    "tự đánh giá",
    "tự chịu trách nhiệm",
    "trước ngày",
    "san lấp",
    // OCR spellings of "cần", "đẩy nhanh", "triển khai" in scanned letters ("Các bộ, ngành
    // can phối hợp …").
    "can",
    "đây nhanh",
    "triên khai",
];

/// Byte position of the first verb of `VERBS` in `s` at a word boundary.
pub fn first_verb(s: &str) -> Option<usize> {
    first_verb_within(s, s)
}

/// [`first_verb`] when it is at most `limit` bytes into `s`, else None. Only the
/// first `limit` bytes (and the longest verb) are searched: callers that want a
/// verb near the start no longer scan a long text once per verb.
pub fn first_verb_before(s: &str, limit: usize) -> Option<usize> {
    first_verb_within(s, prefix_bytes(s, limit + VERB_MAX + 1)).filter(|b| *b <= limit)
}

/// Work verbs that open a sentence, in capitals: a line that begins the work after a
/// heading joined to it ("1. Bộ trưởng các Bộ, Thủ trưởng cơ quan ngang bộ" / "Tập trung
/// chỉ đạo …").
const CAPITAL_VERBS: &[&str] = &[
    "Tập trung ",
    "Khẩn trương ",
    "Chủ trì",
    "Chủ động ",
    "Tiếp tục ",
    "Thực hiện ",
    "Triển khai ",
    "Rà soát",
    "Tăng cường ",
    "Đẩy mạnh ",
    "Nghiên cứu",
    "Phối hợp ",
    "Khắc phục ",
];

/// The first of [`CAPITAL_VERBS`] in `window` after a word in lower case ("… ngang bộ
/// Tập trung …"); after a capital ("Ủy ban Kiểm tra") it belongs to a name.
fn first_capital_verb(window: &str) -> Option<usize> {
    let mut best: Option<usize> = None;
    for v in CAPITAL_VERBS {
        let mut from = 0;
        while let Some(i) = window[from..].find(v).map(|i| i + from) {
            from = i + v.len();
            if best.is_some_and(|b| b <= i) {
                break;
            }
            let prev_lower = i > 0
                && window[..i].ends_with(' ')
                && window[..i]
                    .trim_end()
                    .rsplit(' ')
                    .next()
                    .is_some_and(|w| w.starts_with(|c: char| c.is_lowercase()));
            if prev_lower {
                best = Some(i);
                break;
            }
        }
    }
    best
}

/// The first verb of `VERBS` found in `window` (a prefix of `s`), its word boundaries
/// judged on `s`.
fn first_verb_within(s: &str, window: &str) -> Option<usize> {
    let lower = first_lower_verb(s, window);
    match first_capital_verb(window) {
        Some(c) if lower.is_none_or(|l| c < l) => Some(c),
        _ => lower,
    }
}

fn first_lower_verb(s: &str, window: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let w = window.as_bytes();
    // Word starts in order: the first at which a verb stands is the first verb (each
    // start looks only at the verbs that begin with its byte).
    for at in 0..w.len() {
        if at > 0 && bytes[at - 1] != b' ' {
            continue;
        }
        for v in &BY_FIRST_BYTE[w[at] as usize] {
            if !w[at..].starts_with(v.as_bytes()) {
                continue;
            }
            let end = at + v.len();
            let right_ok = end == s.len() || matches!(bytes[end], b' ' | b',' | b';' | b'.' | b':');
            // "các tổ chức chính trị - xã hội": a noun after "các", not the verb.
            // "các đoàn thanh tra, kiểm tra": the team's name, not the verb.
            let after_plural = s[..at].ends_with("các ")
                || s[..at].ends_with("những ")
                || (*v == "thanh tra" && s[..at].to_lowercase().ends_with("đoàn "));
            // "tổ chức đảng", "tổ chức chính trị - xã hội", "tổ chức, cá nhân": bodies.
            let noun = *v == "tổ chức"
                && [
                    " đảng",
                    " Đảng",
                    " chính trị",
                    " xã hội",
                    ", cá nhân",
                    " đoàn thể",
                ]
                .iter()
                .any(|n| s[end..].starts_with(n));
            // "Cơ quan phối hợp có trách nhiệm …", "Đơn vị chủ trì …": a role that names
            // the generic body before it ("phối hợp với …" stays the verb).
            let role = matches!(*v, "chủ trì" | "phối hợp" | "được giao")
                && bytes.get(end) == Some(&b' ')
                && !s[end..].starts_with(" với")
                && is_role_noun(&s[..at]);
            // "Văn phòng Ban chỉ đạo phòng thủ dân sự quốc gia": the body "Ban Chỉ đạo"
            // written in lower case, not the verb.
            let steering = *v == "chỉ đạo" && s[..at].ends_with("Ban ");
            // "Các cơ quan chuyên trách tham mưu, giúp việc Đảng ủy": the Party's advisory
            // bodies by their name; "Ban xây dựng đảng": the board, in lower case.
            let advisory = *v == "tham mưu"
                && (s[end..].starts_with(", giúp việc") || s[end..].starts_with(" giúp việc"));
            let party_board =
                *v == "xây dựng" && s[..at].ends_with("Ban ") && s[end..].starts_with(" đảng");
            if right_ok && !after_plural && !noun && !role && !steering && !advisory && !party_board
            {
                return Some(at);
            }
        }
    }
    None
}

/// Whether `before` is a generic body alone ("Cơ quan ", "Các đơn vị "), which a role
/// after it turns into a name.
fn is_role_noun(before: &str) -> bool {
    before.len() <= 24
        && super::GENERIC_BODIES.contains(&crate::normalize::fold(before.trim_end()).as_str())
}

/// [`VERBS`] by their first byte.
static BY_FIRST_BYTE: std::sync::LazyLock<Vec<Vec<&'static str>>> =
    std::sync::LazyLock::new(|| {
        let mut t: Vec<Vec<&'static str>> = vec![Vec::new(); 256];
        for v in VERBS {
            t[v.as_bytes()[0] as usize].push(v);
        }
        t
    });

/// Longest verb of `VERBS`, in bytes.
pub(super) const VERB_MAX: usize = 32;

/// The first `n` bytes of `s`, or a little more to end on a character boundary.
pub(crate) fn prefix_bytes(s: &str, n: usize) -> &str {
    if n >= s.len() {
        return s;
    }
    let mut end = n;
    while !s.is_char_boundary(end) {
        end += 1;
    }
    &s[..end]
}

/// `s` in lower case where that keeps every character's length in bytes (all of
/// Vietnamese); the few characters whose lower case is longer or shorter (Kelvin
/// sign, dotted İ) are kept as they are, so byte positions in the result are
/// positions in `s`.
pub fn lower_aligned(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        let mut l = c.to_lowercase();
        match (l.next(), l.next()) {
            (Some(one), None) if one.len_utf8() == c.len_utf8() => out.push(one),
            _ => out.push(c),
        }
    }
    out
}
