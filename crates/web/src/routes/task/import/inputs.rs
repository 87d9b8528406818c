//! The confirmed form checked into store inputs: a directive's fields, each included task
//! row (one input per lead agency) and its supporting agencies.

use chrono::NaiveDate;
use domain::org_match::{AgencyMatcher, Resolution};
use domain::validate::Checker;
use store::agency::Agency;
use store::directive::DirectiveInput;
use store::task::TaskInput;

use super::form::{FormDoc, FormTask};

/// Validates an included task row into task inputs (one per lead agency).
pub(super) fn task_inputs(
    t: &mut FormTask,
    directive_id: i64,
    agencies: &[Agency],
) -> Vec<TaskInput> {
    let mut c = Checker::new();
    let content = c.required("content", "Nội dung nhiệm vụ", &t.content, 4000);
    let deadline = if t.deadline.trim().is_empty() {
        None
    } else {
        c.date("deadline", "Hạn", &t.deadline)
    };
    let recurrence = t.recurrence.trim().to_string();
    if !recurrence.is_empty() && domain::task::recurrence_of(&recurrence).is_none() {
        c.fail("recurrence", "Tần suất không hợp lệ.");
    }
    let code = t.lead_code.trim().to_uppercase();
    let leads: Vec<i64> = if !code.is_empty() {
        match agencies.iter().find(|a| a.code == code) {
            Some(a) => vec![a.id],
            None => {
                c.fail("lead_code", format!("Không có cơ quan mã {code}."));
                Vec::new()
            }
        }
    } else {
        match t
            .lead_options
            .iter()
            .find(|o| o.selected)
            .map(|o| o.value.as_str())
        {
            Some(v) if v.starts_with("a:") || v.starts_with("c:") => {
                v[2..].split(',').filter_map(|i| i.parse().ok()).collect()
            }
            _ => Vec::new(),
        }
    };
    if leads.is_empty() && c.is_ok() {
        c.fail("lead", "Chưa chọn cơ quan chủ trì.");
    }
    if !c.is_ok() {
        t.error = c.summary();
        return Vec::new();
    }
    leads
        .into_iter()
        .map(|lead| TaskInput {
            directive_id,
            parent_id: None,
            item_ref: Some(t.source.clone()).filter(|s| !s.is_empty()),
            content: content.clone(),
            lead_agency_id: Some(lead),
            lead_text: None,
            support_agency_ids: Vec::new(),
            deadline,
            deadline_text: Some(t.deadline_text.clone()).filter(|s| !s.is_empty()),
            recurrence: Some(recurrence.clone()).filter(|s| !s.is_empty()),
        })
        .collect()
}

pub(super) fn directive_input(d: &FormDoc) -> Result<DirectiveInput, Vec<String>> {
    let mut c = Checker::new();
    let number = c.required("number", "Số, ký hiệu", &d.number, 60);
    let doc_type = c.required("type", "Loại văn bản", &d.doc_type, 60);
    let issuer = c.required("issuer", "Cơ quan ban hành", &d.issuer, 255);
    let subject = c.required("subject", "Trích yếu", &d.subject, 2000);
    let date = if d.date.trim().is_empty() {
        c.fail("date", "Ngày ban hành không được để trống.");
        None
    } else {
        c.date("date", "Ngày ban hành", &d.date)
    };
    let opt = |s: &str| Some(domain::validate::clean(s)).filter(|s| !s.is_empty());
    let lines = |s: &str| {
        s.lines()
            .map(domain::validate::clean)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
    };
    match (c.is_ok(), date) {
        (true, Some(issued_on)) => Ok(DirectiveInput {
            number,
            doc_type,
            issuer,
            place: opt(&d.place),
            issued_on,
            subject,
            signer_name: opt(&d.signer_name),
            signer_title: opt(&d.signer_title),
            signer_authority: opt(&d.signer_authority),
            recipients: lines(&d.recipients),
            citations: lines(&d.cited)
                .into_iter()
                .map(|n| (n, "cites".to_string()))
                .collect(),
        }),
        _ => Err(c.errors.into_iter().map(|e| e.message).collect()),
    }
}

/// Support agencies: each name the matcher resolves exactly (or as a collective).
pub(super) fn supports(m: &AgencyMatcher, text: &str, on: NaiveDate) -> Vec<i64> {
    text.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .flat_map(|s| match m.resolve(s, on) {
            Resolution::Exact(id) => vec![id],
            Resolution::Collective { ids, .. } => ids,
            _ => Vec::new(),
        })
        .collect()
}
