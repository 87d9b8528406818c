//! The lead a point hands down to the points under it (domain guide §3.6: "Tasks under a
//! lead given once for a list carry that lead").

use crate::agency::{heading_agencies, sentence_subject};
use crate::prose::requested_agencies;
use crate::structure::Item;
use crate::tasks::{ends_with_colon, inline_heading};

/// The lead a point gives its sub-points: a heading naming agencies, or an
/// introduction whose subject is an agency ("Các bộ, ngành, địa phương căn cứ …
/// thực hiện một số nhiệm vụ trọng tâm sau đây:"). The flag is true when the lead comes
/// from such an introduction rather than from a heading that names the body.
pub(crate) fn lead_given_by(it: &Item, intro: Option<&Vec<String>>) -> Option<(Vec<String>, bool)> {
    // A paragraph between the point and its list that introduces the list ("1. …
    // Hoan nghênh …" then "Để thúc đẩy …, các bộ, ngành cần tập trung … sau đây:").
    if let Some(r) = intro.filter(|r| !r.is_empty()) {
        return Some((r.clone(), true));
    }
    if let Some((lead, _)) = inline_heading(&it.text) {
        return Some((lead, false));
    }
    if let Some(lead) = heading_agencies(&it.text) {
        return Some((lead, false));
    }
    // A point that gives work in its own words gives its sub-points to the same body.
    if let Some((_, lead)) = crate::prose::parent_work(&it.text) {
        return Some((lead, false));
    }
    let subject = sentence_subject(&it.text);
    // "2. Các Sở, ngành chủ trì, quản lý, tham gia thực hiện các dự án …" over its dashes:
    // a heading that names its body, then says which ones.
    if !subject.is_empty() && (ends_with_colon(&it.text) || crate::structure::is_heading(&it.text))
    {
        // "5. Các chủ đầu tư xây dựng và kinh doanh hạ tầng Khu công nghiệp", "6. Các doanh
        // nghiệp thứ cấp đang hoạt động trong KCN" over their dashes: a heading without a
        // colon that names a group by what its members do is the group's whole name.
        // ("11. Các đơn vị cấp nước sạch trên địa bàn thành phố có trách nhiệm": without the
        // duty that closes it.)
        if !ends_with_colon(&it.text) && it.text.trim_start().starts_with("Các ") {
            let t = it.text.trim();
            let t = [" có trách nhiệm", " chịu trách nhiệm"]
                .iter()
                .find_map(|d| t.strip_suffix(d))
                .unwrap_or(t);
            let whole = crate::agency::parse_agencies(t);
            if whole.len() == 1 {
                return Some((whole, false));
            }
        }
        return Some((subject, false));
    }
    // "a) Đề nghị Thủ trưởng các đơn vị chủ trì, phối hợp với …:" over its list.
    if ends_with_colon(&it.text) {
        let asked = crate::prose::work_bodies(&it.text);
        if !asked.is_empty() {
            return Some((asked, false));
        }
        // "5. Để nâng cao hiệu lực …, các Sở, ngành, UBND cấp xã … triển khai thực hiện
        // những nội dung sau:": the bodies after the purpose clause.
        // (A request, "… Tổng cục Thuế đề nghị Cục Thuế tăng cường …:", names the asked
        // body elsewhere.)
        let r = if crate::prose::asks(&it.text) {
            Vec::new()
        } else {
            crate::agency::intro_subject(&it.text)
        };
        if !r.is_empty() {
            return Some((r, false));
        }
    }
    for b in &it.body {
        let s = sentence_subject(b);
        if !s.is_empty() {
            return Some((s, true));
        }
        let r = requested_agencies(b);
        if !r.is_empty() {
            return Some((r, true));
        }
        let r = crate::agency::intro_subject(b);
        if !r.is_empty() {
            return Some((r, true));
        }
        // "Để tiếp tục tháo gỡ …, tỉnh Đắk Lắk cần tiếp tục thực hiện … sau:": the body
        // after the purpose.
        // (Not "… Ủy ban Thường vụ Quốc hội quyết định sắp xếp … như sau:": a decision.)
        let obliged = || {
            let low = crate::agency::lower_aligned(b);
            [" cần ", " phải ", " có trách nhiệm ", " tập trung "]
                .iter()
                .any(|w| low.contains(w))
        };
        if ends_with_colon(b) && obliged() {
            let r = crate::prose::framed_subject_within(b, 800);
            if !r.is_empty() {
                return Some((r, true));
            }
        }
        // "1.2. Hỗ trợ khẩn cấp về nhà ở" / "Ủy ban nhân dân các tỉnh, thành phố:": the
        // bodies named alone before the list.
        if ends_with_colon(b)
            && let Some(h) = heading_agencies(b)
        {
            return Some((h, false));
        }
    }
    None
}

/// The lead a point hands down, if any, and whether it comes from an introduction.
pub(crate) type Handed = Option<(Vec<String>, bool)>;

/// "Giao các sở quản lý nhà nước chuyên ngành về hạ tầng theo ngành, lĩnh vực gồm:" over
/// "- Sở Công Thương (đối với …);" / "- Sở Xây dựng (đối với …);" then "Có trách nhiệm:" /
/// "a) …": the dashes name the members, the points are their work. Returns the leads
/// handed down with the members in place of the collective, and which items are members
/// (no work of their own).
pub(crate) fn members_listed(items: &[Item], mut handed: Vec<Handed>) -> (Vec<Handed>, Vec<bool>) {
    let mut member = vec![false; items.len()];
    for (p, it) in items.iter().enumerate() {
        let lists = |t: &str| crate::normalize::fold(t).trim_end().ends_with("gom:");
        if it.children < 2 || !(lists(&it.text) || it.body.last().is_some_and(|b| lists(b))) {
            continue;
        }
        let dashes: Vec<usize> = (p + 1..items.len())
            .filter(|&k| {
                items[k].parent == Some(p)
                    && matches!(items[k].marker, crate::structure::Marker::Dash)
            })
            .collect();
        let mut bodies: Vec<String> = Vec::new();
        let all_bodies = dashes.len() >= 2
            && dashes.iter().all(|&k| {
                let name = items[k].text.split(" (").next().unwrap_or("");
                let name = name.trim().trim_end_matches([';', '.', ',']);
                let ok = crate::agency::starts_like_agency(name)
                    && crate::agency::first_verb(name).is_none()
                    && name.chars().count() <= 120;
                if ok {
                    bodies.extend(crate::agency::parse_agencies(name));
                }
                ok
            });
        if all_bodies && !bodies.is_empty() {
            for k in dashes {
                member[k] = true;
            }
            handed[p] = Some((bodies, false));
        }
    }
    (handed, member)
}

/// The lead of a leaf from the nearest ancestor that gives one (`given`, per item).
pub(crate) fn inherited_lead(
    items: &[Item],
    given: &[Option<(Vec<String>, bool)>],
    idx: usize,
) -> Option<(Vec<String>, bool)> {
    let mut cur = items[idx].parent;
    while let Some(p) = cur {
        if let Some(g) = &given[p] {
            return Some(g.clone());
        }
        cur = items[p].parent;
    }
    None
}

/// The coordinators a point names once for its list ("1. Bộ Tài chính chủ trì, phối hợp
/// với các Bộ, cơ quan liên quan và các địa phương:" then "a) Rà soát …"): each sub-point
/// carries them, as it carries the lead (domain guide §3.6). From the nearest ancestor
/// whose text ends with a colon after "phối hợp"; the lead's own names left out.
pub(crate) fn inherited_support(items: &[Item], idx: usize, lead: &[String]) -> Vec<String> {
    let mut cur = items[idx].parent;
    while let Some(p) = cur {
        let t = items[p].text.trim();
        if ends_with_colon(t) && crate::agency::lower_aligned(t).contains("phối hợp") {
            let mut s = crate::agency::support_agencies(t);
            s.retain(|a| {
                !lead
                    .iter()
                    .any(|l| crate::normalize::fold(l) == crate::normalize::fold(a))
            });
            return s;
        }
        cur = items[p].parent;
    }
    Vec::new()
}

/// The time a heading sets for the points under it ("2. Về nhiệm vụ trọng tâm từ nay đến
/// tháng 6/2027" over "(1) …", "(2) …"): a point that names no time of its own takes it
/// from the nearest heading above that names one.
pub(crate) fn heading_deadline(items: &[Item], idx: usize, t: &mut crate::model::Task) {
    let mut cur = items[idx].parent;
    while let Some(p) = cur {
        let text = items[p].text.trim();
        // (Every time limit has a number in it: most headings are passed over unread.)
        if crate::structure::is_heading(text)
            && !text.ends_with(':')
            && text.bytes().any(|b| b.is_ascii_digit())
        {
            // A goal's period ("1. Hoàn thành mục tiêu … trong năm 2025") is the goal's,
            // not a time for each point; a time limit ("từ nay đến", "trước", "chậm
            // nhất") is.
            let d = crate::deadline::find_deadline(text);
            let within = d
                .text
                .as_deref()
                .is_some_and(|w| crate::normalize::fold(w).starts_with("trong"));
            if d.date.is_some() && !within {
                t.deadline = d.date;
                t.deadline_text = d.text;
                return;
            }
        }
        cur = items[p].parent;
    }
}
