//! Thành phần hồ sơ — the documents a procedure's published decision (quyết định công bố)
//! requires, as the desk checks them at intake.
//!
//! Law: the official receiving a dossier checks it against the published list and may not
//! ask for anything beyond it (NĐ 61/2018/NĐ-CP Điều 5 khoản 2 điểm c: "yêu cầu bổ sung hồ
//! sơ, giấy tờ ngoài quy định" is forbidden; CV 6486/UBND-KSTT (Nghệ An, 2023) mục 2: deal
//! strictly with officials who "tự đặt thêm các thành phần hồ sơ ngoài quy định"). An
//! incomplete dossier is not received: the desk guides the applicant to complete it (Mẫu
//! 02) or refuses it (Mẫu 03) (NĐ 61/2018 Điều 19 khoản 1).
//!
//! Stored as text, one document per line (the procedure form's textarea and the catalog
//! file `data/procedures/documents.csv` both produce it):
//! - `* Heading` starts a case (trường hợp) whose documents follow;
//! - `Name | copies` is a document, the quantity after a bar being optional.

use serde::Serialize;

use crate::text::fold_vi;

/// One required document of a procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequiredDocument {
    /// 1-based position in the published list (across cases): the checklist's key.
    pub seq: u32,
    /// The case it belongs to, when the list has several.
    pub case: Option<String>,
    pub name: String,
    /// "1 bản chính", "1 bản sao"… as published; empty when not given.
    pub copies: String,
    /// Required only in some situations ("Trường hợp…", "(nếu có)", the papers of an
    /// authorisation): not demanded for the dossier to be complete.
    pub conditional: bool,
    /// Its case is one of several alternatives ("Trường hợp đăng ký thành lập…" or
    /// "…thay đổi…"): the applicant files the documents of one of them. A case that is a
    /// part of every dossier ("Giấy tờ phải nộp", "Giấy tờ phải xuất trình") or an addition
    /// for some situations ("Trường hợp ủy quyền…") is not an alternative.
    pub alternative: bool,
}

/// How a case heading combines with the rest of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CaseKind {
    /// A part every dossier has ("Giấy tờ phải nộp", "Giấy tờ phải xuất trình", "1. …").
    Part,
    /// Papers added in a situation ("Trường hợp ủy quyền…" beside a main list).
    Addition,
    /// One of several ways to file.
    Alternative,
}

fn case_kind(heading: &str, has_main_list: bool) -> CaseKind {
    let f = fold_vi(heading).to_lowercase();
    let f = f.trim();
    let numbered = f
        .split_once(". ")
        .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    if [
        "giay to phai",
        "giay to xuat trinh",
        "giay to nop",
        "thanh phan ho so gom",
        "ho so gom",
    ]
    .iter()
    .any(|p| f.starts_with(p))
        || numbered
    {
        CaseKind::Part
    } else if f.contains("uy quyen") || (has_main_list && f.starts_with("truong hop")) {
        CaseKind::Addition
    } else {
        CaseKind::Alternative
    }
}

/// Reads the stored text. Blank lines are skipped.
pub fn parse(text: &str) -> Vec<RequiredDocument> {
    let mut out = Vec::new();
    let mut case: Option<String> = None;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(h) = line.strip_prefix("* ").or_else(|| line.strip_prefix('*')) {
            let h = h.trim().trim_end_matches(':').trim();
            case = Some(h.to_string()).filter(|s| !s.is_empty());
            continue;
        }
        let (name, copies) = match line.rsplit_once(" | ") {
            Some((n, c)) => (n.trim(), c.trim()),
            None => (line, ""),
        };
        let name = name.trim_start_matches(['-', '+', '•']).trim();
        if name.is_empty() {
            continue;
        }
        out.push(RequiredDocument {
            seq: out.len() as u32 + 1,
            case: case.clone(),
            name: name.to_string(),
            copies: copies.to_string(),
            conditional: is_conditional(name),
            alternative: false,
        });
    }
    // How each case combines: documents of an addition are conditional; alternatives are
    // marked so that the check takes one of them.
    let has_main = out.iter().any(|d| {
        d.case
            .as_deref()
            .is_none_or(|c| case_kind(c, false) == CaseKind::Part)
    });
    for d in &mut out {
        match d.case.as_deref().map(|c| case_kind(c, has_main)) {
            Some(CaseKind::Addition) => d.conditional = true,
            Some(CaseKind::Alternative) => d.alternative = true,
            _ => {}
        }
    }
    out
}

/// The documents of one case, as pages show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocGroup {
    pub case: Option<String>,
    /// One of several ways to file (the applicant files one of them).
    pub alternative: bool,
    pub docs: Vec<RequiredDocument>,
}

/// The list by case, in order; one group with no case when the list has none.
pub fn groups(list: &[RequiredDocument]) -> Vec<DocGroup> {
    let mut out: Vec<DocGroup> = Vec::new();
    for d in list {
        match out.last_mut() {
            Some(g) if g.case == d.case => g.docs.push(d.clone()),
            _ => out.push(DocGroup {
                case: d.case.clone(),
                alternative: d.alternative,
                docs: vec![d.clone()],
            }),
        }
    }
    out
}

/// The stored text of a list given as (case, name, copies) rows in order.
pub fn to_text<'a>(rows: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>) -> String {
    let mut out = String::new();
    let mut case = "";
    for (c, name, copies) in rows {
        let c = c.trim();
        if c != case {
            // A bare "*" ends the case: the documents after it belong to every dossier.
            if c.is_empty() {
                out.push_str("*\n");
            } else {
                out.push_str(&format!("* {c}\n"));
            }
        }
        case = c;
        out.push_str(name.trim());
        if !copies.trim().is_empty() {
            out.push_str(" | ");
            out.push_str(copies.trim());
        }
        out.push('\n');
    }
    out
}

/// The published lists of the national catalog's procedures (data/procedures/documents.csv,
/// read from the archived pages of the national procedure database; see documents.md
/// there): procedure code → the stored text. Rows that cannot be read are skipped.
pub fn parse_documents_csv(text: &str) -> std::collections::HashMap<String, String> {
    let mut rows: Vec<(String, String, u32, String, String)> = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    for rec in reader.records().flatten() {
        let get = |i: usize| rec.get(i).unwrap_or("").trim().to_string();
        let Ok(seq) = get(2).parse::<u32>() else {
            continue;
        };
        if get(0).is_empty() || get(3).is_empty() {
            continue;
        }
        rows.push((get(0), get(1), seq, get(3), get(4)));
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0).then(a.2.cmp(&b.2)));
    let mut out = std::collections::HashMap::new();
    for chunk in rows.chunk_by(|a, b| a.0 == b.0) {
        let text = to_text(
            chunk
                .iter()
                .map(|r| (r.1.as_str(), r.3.as_str(), r.4.as_str())),
        );
        out.insert(chunk[0].0.clone(), text);
    }
    out
}

const DOCUMENTS_CSV: &str = include_str!("../../../../data/procedures/documents.csv");

/// The published list of a catalog procedure, when the repository's data has it.
pub fn published_list(code: &str) -> Option<&'static str> {
    static M: std::sync::OnceLock<std::collections::HashMap<String, String>> =
        std::sync::OnceLock::new();
    M.get_or_init(|| parse_documents_csv(DOCUMENTS_CSV))
        .get(code)
        .map(String::as_str)
}

/// Whether a document is asked for only in some situations: its name opens with a
/// condition ("Trường hợp…", "Đối với…", "Nếu…") or says "(nếu có)".
pub fn is_conditional(name: &str) -> bool {
    let f = fold_vi(name).to_lowercase();
    let f = f.trim_start();
    ["truong hop ", "doi voi ", "neu ", "trong truong hop "]
        .iter()
        .any(|p| f.starts_with(p))
        || f.contains("(neu co)")
        || f.contains("neu co)")
        || f.contains("(neu ")
        || f.contains("truong hop")
        || f.contains("uy quyen")
}

/// Why a checklist is not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChecklistError {
    /// Items that are not in the published list (seq numbers or names as sent).
    NotPublished(Vec<String>),
    /// Items from different cases of the list.
    MixedCases,
    /// Required documents of the case that were not received.
    Missing(Vec<String>),
}

impl ChecklistError {
    pub fn message(&self) -> String {
        match self {
            ChecklistError::NotPublished(x) => format!(
                "Không có trong thành phần hồ sơ đã công bố của thủ tục: {}. Không được yêu cầu người nộp giấy tờ ngoài quy định (Nghị định 61/2018/NĐ-CP Điều 5; Công văn 6486/UBND-KSTT mục 2).",
                x.join("; ")
            ),
            ChecklistError::MixedCases => "Các giấy tờ đã đánh dấu thuộc nhiều trường hợp khác nhau: chỉ đánh dấu thành phần của một trường hợp.".into(),
            ChecklistError::Missing(x) => format!(
                "Hồ sơ chưa đủ thành phần: {}. Hướng dẫn người nộp bổ sung, hoàn thiện hồ sơ (Mẫu 02) hoặc từ chối tiếp nhận (Mẫu 03); nếu các giấy tờ này không thuộc trường hợp của người nộp, xác nhận hồ sơ đã đủ rồi tiếp nhận.",
                x.join("; ")
            ),
        }
    }
}

/// Checks the documents the desk ticked (each a seq number or a published name) against
/// the published list: nothing outside it, one case, every unconditional document of that
/// case present. Returns the received documents in list order.
///
/// `confirmed`: the desk confirms the dossier is complete for the applicant's situation
/// although some listed documents are not ticked (a published list names papers of
/// situations no reading can tell apart); nothing outside the list is accepted even so.
pub fn check(
    list: &[RequiredDocument],
    ticked: &[String],
    confirmed: bool,
) -> Result<Vec<RequiredDocument>, ChecklistError> {
    let key = |s: &str| {
        fold_vi(s)
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut got: Vec<&RequiredDocument> = Vec::new();
    let mut unknown = Vec::new();
    for t in ticked.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        let hit = match t.parse::<u32>() {
            Ok(n) => list.iter().find(|d| d.seq == n),
            Err(_) => {
                let k = key(t);
                list.iter().find(|d| key(&d.name) == k)
            }
        };
        match hit {
            Some(d) if !got.iter().any(|g| g.seq == d.seq) => got.push(d),
            Some(_) => {}
            None => unknown.push(t.chars().take(120).collect()),
        }
    }
    if !unknown.is_empty() {
        return Err(ChecklistError::NotPublished(unknown));
    }
    // At most one alternative: the one the ticked documents belong to, or (none ticked)
    // the first. Parts of every dossier and the main list always apply.
    let mut cases: Vec<&str> = got
        .iter()
        .filter(|d| d.alternative)
        .filter_map(|d| d.case.as_deref())
        .collect();
    cases.sort();
    cases.dedup();
    if cases.len() > 1 {
        return Err(ChecklistError::MixedCases);
    }
    let chosen = cases.first().copied().or_else(|| {
        list.iter()
            .find(|d| d.alternative)
            .and_then(|d| d.case.as_deref())
    });
    let applies = |d: &RequiredDocument| !d.alternative || d.case.as_deref() == chosen;
    let missing: Vec<String> = list
        .iter()
        .filter(|d| applies(d) && !d.conditional)
        .filter(|d| !got.iter().any(|g| g.seq == d.seq))
        .map(|d| d.name.clone())
        .collect();
    if !missing.is_empty() && !confirmed {
        return Err(ChecklistError::Missing(missing));
    }
    got.sort_by_key(|d| d.seq);
    Ok(got.into_iter().cloned().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "* Gia hạn tạm trú theo danh sách\n\
        Tờ khai thay đổi thông tin cư trú (Mẫu CT01) | 1 bản chính\n\
        - Văn bản đề nghị gia hạn tạm trú | 1 bản chính\n\
        * Hồ sơ gia hạn tạm trú\n\
        Tờ khai thay đổi thông tin cư trú (Mẫu CT01) | 1 bản chính\n\
        Trường hợp người chưa thành niên: văn bản đồng ý của cha, mẹ\n";

    #[test]
    fn reads_cases_copies_and_conditions() {
        let l = parse(TEXT);
        assert_eq!(l.len(), 4);
        assert_eq!(l[0].case.as_deref(), Some("Gia hạn tạm trú theo danh sách"));
        assert_eq!(l[1].name, "Văn bản đề nghị gia hạn tạm trú");
        assert_eq!(l[1].copies, "1 bản chính");
        assert!(l[3].conditional && !l[2].conditional);
        assert_eq!(l[3].seq, 4);
        let back = to_text(l.iter().map(|d| {
            (
                d.case.as_deref().unwrap_or(""),
                d.name.as_str(),
                d.copies.as_str(),
            )
        }));
        assert_eq!(parse(&back), l);
        // Documents with no case after a case stay without one.
        let mixed = to_text([
            ("Giấy tờ phải nộp", "Tờ khai", ""),
            ("", "Bản sao giấy tờ", ""),
        ]);
        assert_eq!(parse(&mixed)[1].case, None);
    }

    #[test]
    fn checks_a_checklist() {
        let l = parse(TEXT);
        // The second case needs only its declaration; the conditional one is optional.
        assert_eq!(check(&l, &["3".into()], false).map(|v| v.len()), Ok(1));
        // By name, any case or spacing.
        assert!(
            check(
                &l,
                &[
                    "tờ khai thay đổi thông tin  cư trú (mẫu CT01)".into(),
                    "2".into()
                ],
                false
            )
            .is_ok()
        );
        assert_eq!(
            check(&l, &["1".into()], false),
            Err(ChecklistError::Missing(vec![
                "Văn bản đề nghị gia hạn tạm trú".into()
            ]))
        );
        assert_eq!(
            check(&l, &["2".into(), "3".into()], false),
            Err(ChecklistError::MixedCases)
        );
        let extra = check(&l, &["3".into(), "Giấy xác nhận cư trú".into()], false);
        assert!(
            matches!(extra, Err(ChecklistError::NotPublished(ref x)) if x == &vec!["Giấy xác nhận cư trú".to_string()])
        );
        assert!(extra.unwrap_err().message().contains("ngoài quy định"));
        assert!(matches!(
            check(&l, &["9".into()], false),
            Err(ChecklistError::NotPublished(_))
        ));
        // Parts every dossier has are not alternatives; papers of an authorisation are an
        // addition, asked only when someone files for another.
        let parts = parse(
            "* Giấy tờ phải nộp\nTờ khai đăng ký khai sinh\nGiấy chứng sinh\n\
             * Giấy tờ phải xuất trình\nGiấy tờ tùy thân\n\
             * Trường hợp ủy quyền thực hiện thủ tục\nVăn bản ủy quyền | 1 bản sao\n",
        );
        assert!(parts.iter().all(|d| !d.alternative));
        assert!(parts[3].conditional && !parts[2].conditional);
        assert!(check(&parts, &["1".into(), "2".into(), "3".into()], false).is_ok());
        assert!(
            matches!(check(&parts, &["1".into(), "2".into()], false), Err(ChecklistError::Missing(x)) if x == vec!["Giấy tờ tùy thân".to_string()])
        );
        // Confirmed complete by the desk: what is not ticked is not of this situation.
        assert_eq!(check(&l, &["1".into()], true).map(|v| v.len()), Ok(1));
        assert!(check(&l, &["1".into(), "Giấy khác".into()], true).is_err());
        // Nothing ticked: the first case's documents are missing.
        assert!(matches!(check(&l, &[], false), Err(ChecklistError::Missing(x)) if x.len() == 2));
    }
}
