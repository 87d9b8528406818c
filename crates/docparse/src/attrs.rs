//! Thuộc tính của nhiệm vụ — the lines that describe an item of a plan rather than add
//! work to it: "- Đơn vị chủ trì: Vụ Pháp luật quốc tế.", "- Cơ quan phối hợp: …",
//! "- Thời gian thực hiện: Quý I/2015.", "- Sản phẩm: …" (plans of ministries and
//! provinces set their tasks out this way when they have no appendix table).

use crate::agency::parse_agencies;
use crate::deadline::table_time;
use crate::model::Task;
use crate::normalize::fold;
use regex::Regex;
use std::sync::LazyLock;

static ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:đơn vị|cơ quan|bộ phận)\s+(?:chủ trì|thực hiện|phối hợp|tham mưu)|chủ trì(?:\s+thực hiện)?|phối hợp(?:\s+thực hiện)?|thời gian(?:\s+(?:thực hiện|hoàn thành))?|thời hạn(?:\s+hoàn thành)?|tiến độ(?:\s+thực hiện)?|sản phẩm|kết quả(?:\s+đầu ra)?)[^:]{0,40}:")
        .expect("static regex")
});

/// "- Nội dung thực hiện: Tổ chức phổ biến …" beside "- Cơ quan thực hiện: …": the work
/// of the item, told as one of its attributes (plans of provinces, HCM 172/KH-UBND).
static CONTENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[-+•*\s]*nội dung(?:\s+(?:thực hiện|công việc|nhiệm vụ))?\s*:\s*(\S.*)$")
        .expect("static regex")
});

/// "a) Nhiệm vụ: Tham mưu …" beside "b) Cơ quan thực hiện:" and "c) Thời gian thực hiện:":
/// the label of the work in a plan set out as a form per item (Hà Nội 308/KH-UBND). Only
/// read so where a sibling names the bodies ([`form_labels`]).
static TASK_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[-+•*\s]*(?:nhiệm vụ(?:\s+cụ thể)?|nội dung(?:\s+(?:thực hiện|công việc|nhiệm vụ))?)\s*:\s*(\S.*)?$").expect("static regex")
});

/// A plan set out as a form per item: the point has a sub-point that labels the work
/// ("a) Nhiệm vụ: …", or "a) Nhiệm vụ:" over its dashes) and one that names the bodies
/// ("b) Cơ quan thực hiện:" over "- Đơn vị chủ trì: …" / "- Đơn vị phối hợp: …"). Returns,
/// per item, whether it is such a label: one with its work written after the colon is an
/// attribute of its point (the work), one over a list hands its point's attributes to the
/// points of the list.
pub(crate) fn form_labels(items: &[crate::structure::Item], is_attr: &[bool]) -> Vec<bool> {
    let mut label = vec![false; items.len()];
    for (i, it) in items.iter().enumerate() {
        let Some(p) = it.parent else { continue };
        if !TASK_LABEL.is_match(it.text.trim()) {
            continue;
        }
        let names_bodies = items.iter().enumerate().any(|(j, s)| {
            s.parent == Some(p) && is_attr[j] && {
                let k = fold(s.text.split(':').next().unwrap_or(""));
                k.contains("chu tri") || k.contains("thuc hien") && !k.contains("thoi gian")
            }
        });
        label[i] = names_bodies;
    }
    label
}

/// "+ Sở Văn hóa và Thể thao chủ trì, phối hợp với các sở, ban, ngành … và các đơn vị có
/// liên quan." under "- Cơ quan thực hiện:": the line names who carries out its point's
/// work and says no work of its own (plans of Thành phố Hồ Chí Minh, 174/KH-UBND 2025).
pub(crate) fn only_roles(text: &str) -> bool {
    let t = text.trim();
    let l = crate::agency::lower_aligned(t);
    let Some(at) = l.find("chủ trì") else {
        return false;
    };
    if at == 0 || crate::agency::first_verb(&t[..at]).is_some() {
        return false;
    }
    let mut rest = l[at + "chủ trì".len()..].trim_start_matches([' ', ',']);
    rest = rest.strip_prefix("thực hiện").unwrap_or(rest);
    rest = rest.trim_start_matches([' ', ',', ';']);
    if rest.trim_end_matches(['.', ';', ' ']).is_empty() {
        return true;
    }
    let Some(after) = rest
        .strip_prefix("phối hợp với")
        .or_else(|| rest.strip_prefix("phối hợp"))
    else {
        return false;
    };
    let from = t.len() - after.len();
    crate::agency::first_verb(&t[from..]).is_none()
}

/// Whether a line only describes its item.
pub fn is_attribute(line: &str) -> bool {
    let t = line.trim();
    // "- Chủ trì, phối hợp với các Bộ: Nông nghiệp …, Xây dựng … rà soát …": work with its
    // coordinators listed after a colon, not a line that describes its item.
    let key = t.split(':').next().unwrap_or("");
    if fold(key).contains(" voi ") || fold(key).ends_with(" voi") {
        return false;
    }
    ATTRIBUTE.is_match(t) || CONTENT.is_match(t)
}

/// What the attribute lines of one item say.
#[derive(Debug, Default)]
pub struct Attributes {
    pub lead: Vec<String>,
    pub support: Vec<String>,
    pub time: Option<String>,
    /// The work itself, from a "Nội dung thực hiện:" line.
    pub content: Option<String>,
}

/// Reads attribute lines ("Cơ quan chủ trì: Sở Nội vụ; cơ quan phối hợp: …" may hold
/// several).
pub fn read(lines: &[&str]) -> Attributes {
    let mut a = Attributes::default();
    for l in lines {
        if let Some(c) = CONTENT
            .captures(l.trim())
            .or_else(|| TASK_LABEL.captures(l.trim()))
            .and_then(|c| c.get(1))
        {
            a.content = Some(c.as_str().trim().to_string());
            continue;
        }
        let mut lead_key = false;
        let mut support_key = false;
        let mut coordinating = false;
        for part in l.split(';') {
            let Some((key, value)) = part.split_once(':') else {
                // "Cơ quan thực hiện: Sở A chủ trì …; Sở B và các sở, ban, ngành chủ động
                // tổ chức …": a further clause whose bodies act on their own are leads too.
                // "Cơ quan thực hiện: Các sở, ban, ngành; Ủy ban nhân dân các huyện": a
                // list of leads; after "chủ trì, phối hợp với Y;" the list goes on with
                // the coordinators.
                let p = part.trim().trim_end_matches('.').trim();
                // "Đơn vị phối hợp: Sở Tư pháp; các cơ quan, đơn vị liên quan": the list of
                // coordinators goes on.
                if support_key && crate::agency::starts_like_body(p) {
                    a.support.extend(parse_agencies(p));
                    continue;
                }
                if !lead_key || !crate::agency::starts_like_body(p) {
                    continue;
                }
                let end = crate::agency::first_verb_before(p, 300).unwrap_or(p.len());
                if end == 0 || p[end..].starts_with("phối hợp") {
                    continue;
                }
                if coordinating {
                    a.support.extend(parse_agencies(&p[..end]));
                } else {
                    a.lead.extend(parse_agencies(&p[..end]));
                }
                continue;
            };
            lead_key = false;
            support_key = false;
            coordinating = false;
            let k = fold(key);
            let value = value.trim().trim_end_matches('.').trim();
            if value.is_empty() {
                continue;
            }
            // "Đơn vị phối hợp thực hiện:" names the coordinators, for all its "thực hiện".
            let coordinators = k.contains("phoi hop") && !k.contains("chu tri");
            if !coordinators && k.contains("chu tri")
                || !coordinators
                    && k.contains("thuc hien")
                    && !["thoi gian", "thoi han", "tien do"]
                        .iter()
                        .any(|w| k.contains(w))
                || k.contains("tham muu")
            {
                lead_key = true;
                coordinating = value.contains("phối hợp");
                // "Sở X chủ trì, phối hợp với Y; Z": the lead before "chủ trì", the rest
                // supports.
                match value.find("chủ trì") {
                    Some(i) if i > 0 => {
                        a.lead.extend(parse_agencies(&value[..i]));
                        a.support.extend(crate::agency::support_agencies(value));
                    }
                    // "Cơ quan thực hiện: Sở Khoa học và Công nghệ tiến hành rà soát …": the
                    // bodies, without the work the line goes on with.
                    _ => {
                        // (Not a qualifier: "… theo quy định", "… khác có liên quan", nor
                        // a field after "về": "Vụ Các vấn đề chung về xây dựng pháp luật".)
                        let end = crate::agency::first_verb_before(value, 300)
                            .filter(|v| {
                                let rest = &value[*v..];
                                *v > 0
                                    && !value[..*v].trim_end().ends_with(" về")
                                    && !["trong ", "theo ", "để ", "nhằm ", "có "]
                                        .iter()
                                        .any(|q| rest.starts_with(q))
                                    && rest.split_whitespace().count() >= 6
                            })
                            .unwrap_or(value.len());
                        a.lead.extend(parse_agencies(&value[..end]))
                    }
                }
            } else if k.contains("phoi hop") {
                support_key = true;
                a.support.extend(parse_agencies(value));
            } else if k.contains("thoi gian") || k.contains("thoi han") || k.contains("tien do") {
                a.time = Some(value.to_string());
            }
        }
    }
    a
}

impl Attributes {
    /// Puts the attributes on a task: the lead and supporters named, and the time.
    pub fn apply(&self, t: &mut Task) {
        if !self.support.is_empty() {
            t.support = self
                .support
                .iter()
                .filter(|s| !t.lead.iter().any(|l| fold(l) == fold(s)))
                .cloned()
                .collect();
        }
        if let Some(time) = &self.time {
            let (d, rec) = table_time(time);
            if d.date.is_some() || rec.is_some() {
                t.deadline = d.date;
                t.deadline_text = d.text;
                t.recurrence = rec;
            }
        }
    }
}

/// Attributes written once after a run of points ("3.1. …", "3.2. …", "3.3. …", "3.4. …"
/// then "- Cơ quan thực hiện: …", "- Thời gian thực hiện: …"): each point of the run
/// without attributes of its own takes those of the point that closes the run (plans of
/// provinces set several points under one line of bodies and time). `points[i]` says
/// whether item `i` is a point of work (not an attribute or a field line); `leaf[i]`
/// whether it has no points under it.
pub(crate) fn share_over_runs(
    items: &[crate::structure::Item],
    points: &[bool],
    leaf: &[bool],
    names_lead: &dyn Fn(usize) -> bool,
    attrs_of: &mut [Vec<&str>],
) {
    let mut by_parent: std::collections::HashMap<Option<usize>, Vec<usize>> =
        std::collections::HashMap::new();
    for (i, it) in items.iter().enumerate() {
        if points[i] {
            by_parent.entry(it.parent).or_default().push(i);
        }
    }
    for siblings in by_parent.values() {
        // Most lists give no attributes at all: nothing to share, and asking each
        // point whether it names its body (reading its lead) is the costly part.
        if siblings.iter().all(|&i| attrs_of[i].is_empty()) {
            continue;
        }
        let mut run: Vec<usize> = Vec::new();
        for (k, &i) in siblings.iter().enumerate() {
            if !leaf[i] {
                run.clear();
            } else if attrs_of[i].is_empty() {
                // A point that names its own body is not part of the run; nor is one
                // after which no sibling gives attributes.
                let shared_later = siblings[k + 1..].iter().any(|&j| !attrs_of[j].is_empty());
                if !shared_later || names_lead(i) {
                    run.clear();
                } else {
                    run.push(i);
                }
            } else {
                let given = attrs_of[i].clone();
                for &r in &run {
                    attrs_of[r] = given.clone();
                }
                run.clear();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_lines_and_the_work_they_carry() {
        assert!(is_attribute("Cơ quan chủ trì: Sở Nội vụ."));
        assert!(is_attribute(
            "Nội dung thực hiện: Tổ chức phổ biến Luật Việc làm."
        ));
        // Work with its coordinators after a colon is not an attribute line.
        assert!(!is_attribute(
            "Chủ trì, phối hợp với các Bộ: Nông nghiệp và Phát triển nông thôn, Xây dựng rà soát."
        ));
        let a = read(&[
            "Nội dung thực hiện: Tổ chức phổ biến Luật Việc làm; tập huấn",
            "Cơ quan thực hiện: Các sở, ban, ngành; Ủy ban nhân dân các huyện, thành phố.",
        ]);
        assert_eq!(
            a.content.as_deref(),
            Some("Tổ chức phổ biến Luật Việc làm; tập huấn")
        );
        assert_eq!(a.lead.len(), 2, "{:?}", a.lead);
        let a = read(&["Cơ quan thực hiện: Sở A chủ trì, phối hợp với Sở B; Sở C."]);
        assert_eq!(a.lead, ["Sở A"]);
        assert!(a.support.iter().any(|s| s == "Sở C"), "{:?}", a.support);
    }
}
