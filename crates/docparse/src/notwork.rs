//! Points and paragraphs that look like work but give none (corpus README, "Not tasks";
//! domain guide §3.6: a task is a unit of work given to an identifiable body): the
//! contacts of a letter ("Đầu mối liên hệ: …, điện thoại số …"), the closing thanks, the
//! sanctions a letter recalls ("7. Lưu ý quy định xử lý vi phạm hành chính …:" then "-
//! Không lập hồ sơ …"), the accountability a point states ("Chịu trách nhiệm về nội dung
//! thẩm định …"), the "thi hành" clause of a decision or resolution ("… chịu trách nhiệm
//! thi hành Nghị quyết này", NĐ 30/2020/NĐ-CP, Phụ lục I: the last article names who
//! carries the text out, not a piece of work), the names of administrative procedures
//! listed in an announcement ("Thủ tục cấp hộ chiếu … (Mã số TTHC: …)"), and a closing
//! exhortation to the heads ("Đề nghị các đồng chí Bộ trưởng … chỉ đạo quyết liệt").

use crate::normalize::fold;
use regex::Regex;
use std::sync::LazyLock;

/// A telephone number: "(028)38.295.900", "0937.618.686", "0243.9719.472".
static PHONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(?0\d{2,3}\)?[\s.]?\d{3,4}[.\s]?\d{3}").expect("static regex"));

/// A line that gives whom to call or where to write.
pub(crate) fn is_contact(text: &str) -> bool {
    let f = fold(crate::agency::prefix_bytes(text, 400));
    let labelled = [
        "dau moi lien he",
        "dau moi ho tro",
        "thong tin lien he",
        "so dien thoai",
        "dien thoai so",
        "dien thoai:",
        "thu dien tu",
        "email:",
    ]
    .iter()
    .any(|w| f.contains(w));
    let starts_contact = f.starts_with("dau moi") || f.starts_with("lien he");
    (labelled || starts_contact) && (PHONE.is_match(text) || f.contains('@') || starts_contact)
}

/// A heading over sanctions or prohibited acts: what the law punishes, not work.
pub(crate) fn is_sanctions_heading(text: &str) -> bool {
    let f = fold(crate::agency::prefix_bytes(text, 300));
    [
        "xu ly vi pham",
        "xu phat vi pham",
        "che tai xu",
        "hanh vi vi pham",
        "hanh vi bi nghiem cam",
        "cac hanh vi bi cam",
    ]
    .iter()
    .any(|w| f.contains(w))
}

/// Whether a point or paragraph gives no work of its own.
pub(crate) fn gives_no_work(text: &str) -> bool {
    let t = text.trim();
    let f = fold(crate::agency::prefix_bytes(t, 600));
    // Thanks: "… xin trao đổi và cảm ơn sự phối hợp của Quý Cơ quan./.".
    if f.contains("cam on") && t.chars().count() < 250 {
        return true;
    }
    if is_contact(t) && t.chars().count() < 400 {
        return true;
    }
    // "Thủ tục cấp hộ chiếu ngoại giao … (Mã số TTHC: 2.002352)": a procedure named.
    if f.starts_with("thu tuc ") && (f.contains("ma so tthc") || f.contains("ma tthc")) {
        return true;
    }
    // "Khuyến khích các đơn vị …" (an encouragement), "Nghiêm cấm việc đốt …" (a
    // prohibition): no body is given work.
    let opening = crate::normalize::lower_first(crate::agency::prefix_bytes(t, 40));
    if ["khuyến khích ", "nghiêm cấm ", "cấm "]
        .iter()
        .any(|w| opening.starts_with(w))
    {
        return true;
    }
    thi_hanh_clause(&f)
        || refers_elsewhere(t, &f)
        || accountability(t, &f)
        || exhortation(t, &f)
        || states_fact(t, &f)
        || approval(t, &f)
}

/// A point that only sends to another text's rule ("Về đối tượng …: thực hiện tương tự
/// như nội dung điểm 2.2 khoản 2 Mục I Hướng dẫn số 01-HD/BTCTU", "Thực hiện theo Mục III
/// Kế hoạch số 13-KH/TU …"), or names who decides ("Thẩm quyền quyết định …: …"): a
/// reference, not work (corpus README, "Not tasks": references to other documents).
/// `f` is the point's text folded (its first 600 bytes: the whole of a short point).
fn refers_elsewhere(t: &str, f: &str) -> bool {
    if t.len() > 600 {
        return false;
    }
    if f.starts_with("tham quyen quyet dinh") {
        return true;
    }
    // After a label ("Về …:"), the sentence itself.
    let rest = match f.split_once(": ") {
        Some((label, r)) if label.starts_with("ve ") => r,
        _ => f,
    };
    [
        "thuc hien theo ",
        "thuc hien tuong tu nhu ",
        "thuc hien tuong tu ",
    ]
    .iter()
    .any(|p| rest.starts_with(p))
        && [
            "muc ",
            "khoan ",
            "diem ",
            "huong dan so",
            "ke hoach so",
            "quy dinh tai",
        ]
        .iter()
        .any(|w| rest.contains(w))
}

/// The word lists below folded, once: a cheap look at a point's folded text comes before
/// the closer one in lower case.
fn folded(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| fold(w)).collect()
}
static APPROVING_FOLDED: LazyLock<Vec<String>> = LazyLock::new(|| folded(APPROVING));
static SHORTFALL_FOLDED: LazyLock<Vec<String>> = LazyLock::new(|| folded(SHORTFALL_WORDS));
static ACCOUNT_FOLDED: LazyLock<Vec<String>> = LazyLock::new(|| folded(ACCOUNT_OPENINGS));

/// Verbs by which the meeting's chair or the Bộ Chính trị approves or praises, in lower
/// case.
const APPROVING: &[&str] = &[
    "nhất trí",
    "đồng ý",
    "hoan nghênh",
    "ghi nhận",
    "biểu dương",
    "đánh giá cao",
    "cơ bản nhất trí",
    "cơ bản đồng ý",
];

/// "Bộ Chính trị, Ban Bí thư cơ bản nhất trí với Tờ trình …", "Phó Thủ tướng hoan nghênh
/// …": the opening of a conclusion that approves or praises, giving no body work (corpus
/// README, "Not tasks": assessments). A point that goes on to assign ("… giao …", "… yêu
/// cầu …", "… đề nghị …") is work.
fn approval(t: &str, f: &str) -> bool {
    let near = crate::agency::prefix_bytes(f, 160);
    if !APPROVING_FOLDED.iter().any(|w| near.contains(w.as_str())) {
        return false;
    }
    let lower = crate::agency::lower_aligned(crate::agency::prefix_bytes(t.trim(), 2000));
    let head = crate::agency::prefix_bytes(&lower, 160);
    // The approving verb within the opening words, with no verb of work before it.
    let opens = APPROVING.iter().any(|w| {
        head.find(w).is_some_and(|i| {
            // After its subject: "Biểu dương, tôn vinh … các doanh nghiệp" opening a point
            // is the work of praising.
            (1..=120).contains(&i)
                && head[..i].ends_with(' ')
                && crate::agency::first_verb_before(&lower, i).is_none_or(|v| v >= i)
        })
    });
    opens && crate::prose::requested_agencies(t).is_empty()
}

/// Words that say what falls short ("… còn chưa được quan tâm", "… chưa cao", "Một số Cục
/// Thuế có tỷ lệ hoàn thành thấp"), in lower case.
const SHORTFALL_WORDS: &[&str] = &[
    "còn chưa",
    "chưa cao",
    "còn thấp",
    "hoàn thành thấp",
    "còn hạn chế",
];

/// Openings of an account of what has happened ("Ngày 16/6/2025, Quốc hội đã thông qua
/// …", "Trong thời gian qua, nước ta đã tiến hành …"), in lower case.
const ACCOUNT_OPENINGS: &[&str] = &["ngày ", "trong thời gian qua", "thời gian qua", "vừa qua"];

/// Words that ask for work, in lower case.
const ASKING_WORDS: &[&str] = &[
    "cần ",
    "phải ",
    "đề nghị",
    "yêu cầu",
    "khẩn trương",
    "chủ động",
    "tiếp tục",
    "trách nhiệm",
    "giao ",
    "chỉ đạo",
    "tập trung",
    "tăng cường",
    "đẩy mạnh",
    "nghiêm túc",
    "kịp thời",
    "lưu ý",
    "hướng dẫn",
    "trước ngày",
    "báo cáo",
];

/// A point that tells what has happened or what falls short, asking nothing: the
/// assessment a letter opens with ("Một số Cục Thuế hiệu quả công tác thanh tra, kiểm tra
/// chưa cao …", "Ngày 16/6/2025, Quốc hội đã thông qua Luật …"), not work (corpus README,
/// "Not tasks": assessments of results). A point that opens with a work verb ("Rà soát
/// các dự án chưa được …") is work whatever it says.
fn states_fact(t: &str, f: &str) -> bool {
    // Most points carry none of the words: a look at the folded text first.
    let maybe = SHORTFALL_FOLDED.iter().any(|w| f.contains(w.as_str()))
        || ACCOUNT_FOLDED.iter().any(|o| f.starts_with(o.as_str()));
    if !maybe {
        return false;
    }
    let first = t.trim_start().split(". ").next().unwrap_or(t);
    if first.len() > 900 {
        return false;
    }
    let lower = crate::agency::lower_aligned(first);
    // The words asking for work as written, the sentence's first letter lowered: "Cần
    // Thơ" is a place, not "cần".
    let as_written = crate::normalize::lower_first(first);
    let account = ACCOUNT_OPENINGS.iter().any(|o| lower.starts_with(o)) && lower.contains(" đã ");
    if (!account && crate::agency::first_verb_before(&lower, 0) == Some(0))
        || ASKING_WORDS.iter().any(|w| as_written.contains(w))
    {
        return false;
    }
    account || SHORTFALL_WORDS.iter().any(|w| lower.contains(w))
}

/// "Bộ trưởng các Bộ, …, Chủ tịch Ủy ban nhân dân … chịu trách nhiệm thi hành Nghị quyết
/// này": the article that says who carries the text out.
fn thi_hanh_clause(f: &str) -> bool {
    /// "trach nhiem|to chuc" + "thi hanh|thuc hien" + the text's kind + "nay", folded;
    /// built once (this is asked of every point).
    static CLAUSES: LazyLock<Vec<String>> = LazyLock::new(|| {
        let kinds = [
            "nghi quyet nay",
            "quyet dinh nay",
            "chi thi nay",
            "thong tu nay",
            "nghi dinh nay",
        ];
        let mut out = Vec::new();
        for who in ["trach nhiem", "to chuc"] {
            for v in ["thi hanh", "thuc hien"] {
                for d in kinds {
                    out.push(format!("{who} {v} {d}"));
                }
            }
        }
        out
    });
    f.contains(" nay") && f.chars().count() < 600 && CLAUSES.iter().any(|c| f.contains(c.as_str()))
}

/// "Chịu trách nhiệm về những nội dung thẩm định …", "Bộ Y tế theo chức năng, nhiệm vụ,
/// chịu trách nhiệm về hàng hóa …": liability for what a body decides or supplies, stated
/// as the whole point (a point that goes on with work of its own is work).
fn accountability(t: &str, f: &str) -> bool {
    let Some(at) = f.find("chiu trach nhiem ve ") else {
        return false;
    };
    // The phrase opens the point, after its subject at most.
    let before = &f[..at];
    let work_before = [
        "chu tri",
        "thuc hien",
        "trien khai",
        "to chuc",
        "huong dan",
        "xay dung",
        "ra soat",
        "kiem tra",
        "bao cao",
        "phoi hop",
        "tham muu",
        "theo doi",
    ]
    .iter()
    .any(|w| before.contains(w));
    if work_before || at > 200 {
        return false;
    }
    let object = &f[at + "chiu trach nhiem ve ".len()..];
    let liability = [
        "nhung noi dung",
        "noi dung",
        "tinh chinh xac",
        "tinh hop phap",
        "tinh trung thuc",
        "hang hoa",
        "so lieu",
        "quyet dinh cua minh",
    ]
    .iter()
    .any(|o| object.starts_with(o));
    // One sentence: a second one would carry work of its own.
    let one_clause = !t.trim_end_matches(['.', ';', '/']).contains(". ");
    liability && one_clause
}

/// "Đề nghị các đồng chí Bộ trưởng, …, Chủ tịch … chỉ đạo quyết liệt, sát sao …": the heads
/// urged, with no time and no piece of work of their own.
fn exhortation(t: &str, f: &str) -> bool {
    let urged = ["de nghi cac dong chi ", "yeu cau cac dong chi "]
        .iter()
        .any(|w| f.starts_with(w));
    urged
        && crate::deadline::find_deadline(t).date.is_none()
        && t.chars().count() < 400
        && ["quyet liet", "sat sao", "quan tam chi dao"]
            .iter()
            .any(|w| f.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_that_sends_to_another_text_is_no_work() {
        assert!(gives_no_work(
            "Về đối tượng và thành phần tham dự kiểm điểm: thực hiện tương tự như nội dung điểm 2.2 khoản 2 Mục I Hướng dẫn số 01-HD/BTCTU."
        ));
        assert!(gives_no_work(
            "Thực hiện theo Mục III Kế hoạch số 13-KH/TU và Mục II Hướng dẫn số 01-HD/BTCTU."
        ));
        assert!(gives_no_work(
            "Thẩm quyền quyết định đánh giá, xếp loại chất lượng: Ban Thường vụ Đảng ủy cấp xã."
        ));
        assert!(!gives_no_work(
            "Thực hiện theo đúng quy trình, báo cáo kết quả về Sở Nội vụ trước ngày 15/12/2025."
        ));
    }

    #[test]
    fn encouragements_and_prohibitions_but_not_commitments() {
        assert!(gives_no_work(
            "Khuyến khích các đơn vị điều chỉnh giảm công suất."
        ));
        assert!(gives_no_work("Nghiêm cấm việc đốt lá cây, chất thải rắn."));
        assert!(!gives_no_work(
            "Cam kết hoàn thành đúng tiến độ các dự án được giao."
        ));
    }

    #[test]
    fn what_gives_no_work() {
        assert!(gives_no_work(
            "Khu vực tỉnh Bình Dương (cũ): điện thoại số 0937.618.686, địa chỉ: Tầng 6."
        ));
        assert!(gives_no_work(
            "Cục Lãnh sự Bộ Ngoại giao xin trao đổi và cảm ơn sự phối hợp của Quý Cơ quan./."
        ));
        assert!(gives_no_work(
            "Chịu trách nhiệm về những nội dung thẩm định hoặc giải quyết thủ tục theo quy định."
        ));
        assert!(!gives_no_work(
            "Chịu trách nhiệm về thực hiện bảo mật, bảo đảm an toàn thông tin cơ sở dữ liệu."
        ));
        assert!(gives_no_work(
            "Bộ Tài chính, Bộ Y tế, Ủy ban nhân dân các tỉnh chịu trách nhiệm thi hành Nghị quyết này."
        ));
        assert!(!gives_no_work(
            "Sở Tài chính chủ trì rà soát, báo cáo trước ngày 30/11/2025."
        ));
        assert!(is_sanctions_heading(
            "Lưu ý quy định xử lý vi phạm hành chính đối với vi phạm quy định về cho thuê lại lao động:"
        ));
    }
}
