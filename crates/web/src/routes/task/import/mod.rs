//! Nhập văn bản — from the text of a directive (pasted, .txt, .docx, .pdf) or an appendix
//! table (.xlsx, .csv, .tsv, pasted) to directives and tasks. The reader only proposes:
//! the officer sees the proposal beside the source, corrects fields and agency matches,
//! and nothing is saved until they confirm.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use chrono::NaiveDate;
use domain::org_match::{AgencyMatcher, AgencyRef, Resolution};
use domain::validate::{Checker, parse_date};
use store::Page;
use store::agency::{Agency, AgencyFilter};
use store::directive::DirectiveInput;
use store::task::TaskInput;

use crate::auth::CurrentUser;
use crate::extract::set_flash;
use crate::routes::parse_id;
use crate::views::{Chrome, date_vn};
use crate::{AppError, AppState};

/// Largest accepted upload (a directive with its appendices is rarely above 2 MB).
const MAX_UPLOAD: usize = 10 * 1024 * 1024;

pub struct LeadOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// One proposed task row as the form shows it.
#[derive(Default)]
pub struct FormTask {
    pub include: bool,
    pub content: String,
    /// The lead as written in the source (the matcher's input).
    pub lead_text: String,
    pub lead_options: Vec<LeadOption>,
    /// An agency code typed by the officer; wins over the list.
    pub lead_code: String,
    pub support_text: String,
    pub deadline: String,
    pub deadline_text: String,
    pub recurrence: String,
    pub source: String,
    pub error: String,
}

/// One proposed directive as the form shows it.
#[derive(Default)]
pub struct FormDoc {
    pub include: bool,
    pub number: String,
    pub doc_type: String,
    pub issuer: String,
    pub place: String,
    pub date: String,
    pub subject: String,
    pub signer_name: String,
    pub signer_title: String,
    pub signer_authority: String,
    pub recipients: String,
    pub cited: String,
    pub tasks: Vec<FormTask>,
    pub errors: Vec<String>,
}

async fn matcher(state: &AppState) -> Result<(AgencyMatcher, Vec<Agency>), AppError> {
    let (all, _) = store::agency::list(&state.db, &AgencyFilter::default(), Page::all()).await?;
    let refs: Vec<AgencyRef> = all
        .iter()
        .map(|a| AgencyRef {
            id: a.id,
            name: a.name.clone(),
            short_name: a.short_name.clone(),
            kind: a.kind.clone(),
            valid_from: a.valid_from,
            valid_to: a.valid_to,
        })
        .collect();
    Ok((AgencyMatcher::new(&refs), all))
}

/// The choices offered for a lead: the matcher's answer, best first, preselected when sure.
fn lead_options(
    m: &AgencyMatcher,
    agencies: &[Agency],
    text: &str,
    on: NaiveDate,
    chosen: Option<&str>,
) -> Vec<LeadOption> {
    let name = |id: i64| {
        agencies
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.name.clone())
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    match m.resolve(text, on) {
        Resolution::Exact(id) => out.push(LeadOption {
            value: format!("a:{id}"),
            label: name(id),
            selected: true,
        }),
        Resolution::Collective { ids, label } => {
            let v = ids
                .iter()
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(",");
            out.push(LeadOption {
                value: format!("c:{v}"),
                label: format!("{label} — giao cho từng cơ quan ({} cơ quan)", ids.len()),
                selected: true,
            });
        }
        Resolution::Candidates(c) => {
            for (i, (id, score)) in c.iter().enumerate() {
                out.push(LeadOption {
                    value: format!("a:{id}"),
                    label: format!("{} (khớp {:.0}%)", name(*id), score * 100.0),
                    selected: i == 0 && *score >= 0.8,
                });
            }
        }
        Resolution::Unknown => {}
    }
    if let Some(ch) = chosen {
        for o in out.iter_mut() {
            o.selected = o.value == ch;
        }
        if !ch.is_empty()
            && !out.iter().any(|o| o.value == ch)
            && let Some(id) = ch.strip_prefix("a:").and_then(|i| i.parse().ok())
        {
            out.push(LeadOption {
                value: ch.to_string(),
                label: name(id),
                selected: true,
            });
        }
    }
    out
}

fn doc_date(d: &FormDoc) -> NaiveDate {
    parse_date(&d.date).unwrap_or_else(super::today)
}

fn iso_to_vn(s: Option<&str>) -> String {
    s.and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .map(|d| date_vn(&d))
        .unwrap_or_default()
}

/// Builds the form from what the reader proposed.
fn form_of(docs: &[docparse::Document], m: &AgencyMatcher, agencies: &[Agency]) -> Vec<FormDoc> {
    docs.iter()
        .map(|d| {
            let signer = d.signer.clone().unwrap_or_default();
            let mut f = FormDoc {
                include: true,
                number: d.number.clone().unwrap_or_default(),
                doc_type: d.doc_type.clone().unwrap_or_default(),
                issuer: d.issuer.clone().unwrap_or_default(),
                place: d.place.clone().unwrap_or_default(),
                date: iso_to_vn(d.date.as_deref()),
                subject: d.subject.clone().unwrap_or_default(),
                signer_name: signer.name.unwrap_or_default(),
                signer_title: signer.title.unwrap_or_default(),
                signer_authority: signer.authority.unwrap_or_default(),
                recipients: d.recipients.join("\n"),
                cited: d.cited_documents.join("\n"),
                ..Default::default()
            };
            let on = doc_date(&f);
            for t in &d.tasks {
                let leads: Vec<String> = if t.lead.is_empty() {
                    vec![String::new()]
                } else {
                    t.lead.clone()
                };
                for lead in leads {
                    f.tasks.push(FormTask {
                        include: true,
                        content: t.content.clone(),
                        lead_options: lead_options(m, agencies, &lead, on, None),
                        lead_text: lead,
                        support_text: t.support.join("; "),
                        deadline: iso_to_vn(t.deadline.as_deref()),
                        deadline_text: t.deadline_text.clone().unwrap_or_default(),
                        recurrence: t.recurrence.clone().unwrap_or_default(),
                        source: t.source.clone().unwrap_or_default(),
                        ..Default::default()
                    });
                }
            }
            f
        })
        .collect()
}

/// Reads the posted form back (field names `d{i}_…` and `d{i}_t{j}_…`).
fn form_from_post(
    pairs: &[(String, String)],
    m: &AgencyMatcher,
    agencies: &[Agency],
) -> Vec<FormDoc> {
    let map: HashMap<&str, &str> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let get = |k: &str| map.get(k).map(|v| domain::text::nfc(v)).unwrap_or_default();
    let mut docs = Vec::new();
    for i in 0.. {
        if !map.contains_key(format!("d{i}_number").as_str()) {
            break;
        }
        let p = |f: &str| get(&format!("d{i}_{f}"));
        let mut d = FormDoc {
            include: map.contains_key(format!("d{i}_include").as_str()),
            number: p("number"),
            doc_type: p("type"),
            issuer: p("issuer"),
            place: p("place"),
            date: p("date"),
            subject: p("subject"),
            signer_name: p("signer_name"),
            signer_title: p("signer_title"),
            signer_authority: p("signer_authority"),
            recipients: p("recipients"),
            cited: p("cited"),
            ..Default::default()
        };
        let on = doc_date(&d);
        for j in 0..2000 {
            if !map.contains_key(format!("d{i}_t{j}_content").as_str()) {
                break;
            }
            let q = |f: &str| get(&format!("d{i}_t{j}_{f}"));
            let lead_text = q("lead_text");
            let chosen = q("lead");
            d.tasks.push(FormTask {
                include: map.contains_key(format!("d{i}_t{j}_include").as_str()),
                content: q("content"),
                lead_options: lead_options(m, agencies, &lead_text, on, Some(&chosen)),
                lead_text,
                lead_code: q("lead_code"),
                support_text: q("support_text"),
                deadline: q("deadline"),
                deadline_text: q("deadline_text"),
                recurrence: q("recurrence"),
                source: q("source"),
                error: String::new(),
            });
        }
        docs.push(d);
    }
    docs
}

/// Marks the extracted values in the source text (first occurrence of each), escaped.
fn highlight(source: &str, docs: &[FormDoc]) -> String {
    let mut needles: Vec<String> = Vec::new();
    for d in docs {
        needles.extend([
            d.number.clone(),
            d.signer_name.clone(),
            d.signer_title.clone(),
            d.issuer.clone(),
        ]);
        needles.extend(d.recipients.lines().map(str::to_string));
        needles.extend(d.cited.lines().map(str::to_string));
        if let Some(date) = parse_date(&d.date) {
            use chrono::Datelike;
            needles.push(format!(
                "ngày {:02} tháng {} năm {}",
                date.day(),
                date.month(),
                date.year()
            ));
            needles.push(format!(
                "ngày {} tháng {} năm {}",
                date.day(),
                date.month(),
                date.year()
            ));
            needles.push(format!(
                "ngày {:02} tháng {:02} năm {}",
                date.day(),
                date.month(),
                date.year()
            ));
        }
        needles.push(d.subject.chars().take(60).collect());
        for t in &d.tasks {
            needles.push(t.content.chars().take(50).collect());
            needles.push(t.deadline_text.clone());
        }
    }
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for n in needles
        .iter()
        .map(|n| n.trim())
        .filter(|n| n.chars().count() >= 4)
    {
        if let Some(pos) = source.find(n) {
            let r = (pos, pos + n.len());
            if !ranges.iter().any(|(a, b)| r.0 < *b && *a < r.1) {
                ranges.push(r);
            }
        }
    }
    ranges.sort();
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut out = String::with_capacity(source.len() + ranges.len() * 16);
    let mut at = 0;
    for (a, b) in ranges {
        out.push_str(&esc(&source[at..a]));
        out.push_str("<mark>");
        out.push_str(&esc(&source[a..b]));
        out.push_str("</mark>");
        at = b;
    }
    out.push_str(&esc(&source[at..]));
    out
}

#[derive(Template)]
#[template(path = "task/import_form.html")]
struct ImportForm {
    chrome: Chrome,
    error: Option<String>,
    text: String,
}

fn ensure_assigner(user: &CurrentUser) -> Result<(), AppError> {
    if user.principal.can_assign_tasks() {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

pub async fn import_form(user: CurrentUser) -> Result<Response, AppError> {
    ensure_assigner(&user)?;
    let page = ImportForm {
        chrome: Chrome::new(&user, "/van-ban", "Nhập văn bản chỉ đạo", None),
        error: None,
        text: String::new(),
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Template)]
#[template(path = "task/import_preview.html")]
struct Preview {
    chrome: Chrome,
    docs: Vec<FormDoc>,
    source: String,
    marked: String,
    action: String,
    table_mode: bool,
    notice: Option<String>,
    row_errors: Vec<String>,
}

/// Reads the upload (a file, or pasted text) of a multipart form.
async fn read_upload(mut mp: Multipart) -> Result<(Option<(String, Vec<u8>)>, String), AppError> {
    let mut file = None;
    let mut text = String::new();
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|_| AppError::bad("Không đọc được dữ liệu tải lên."))?
    {
        match field.name().unwrap_or("") {
            "file" => {
                let name = field.file_name().unwrap_or("").to_string();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|_| AppError::bad("Không đọc được tệp tải lên."))?;
                if bytes.len() > MAX_UPLOAD {
                    return Err(AppError::bad("Tệp quá lớn (tối đa 10 MB)."));
                }
                if !name.is_empty() && !bytes.is_empty() {
                    file = Some((name, bytes.to_vec()));
                }
            }
            "text" => {
                text = field
                    .text()
                    .await
                    .map_err(|_| AppError::bad("Văn bản dán vào không phải UTF-8 hợp lệ."))?
            }
            _ => {}
        }
    }
    Ok((file, text))
}

pub async fn import_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    mp: Multipart,
) -> Result<Response, AppError> {
    ensure_assigner(&user)?;
    let (file, text) = read_upload(mp).await?;
    let fail = |msg: String, text: String| -> Result<Response, AppError> {
        let page = ImportForm {
            chrome: Chrome::new(&user, "/van-ban", "Nhập văn bản chỉ đạo", None),
            error: Some(msg),
            text,
        };
        Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
    };
    let source = match file {
        Some((name, bytes)) => match docparse::read_file(&bytes, &name) {
            Ok(t) => t,
            Err(e) => return fail(e.to_string(), text),
        },
        None => text.clone(),
    };
    let source = domain::text::nfc(&source);
    if source.trim().is_empty() {
        return fail(
            "Hãy dán nội dung văn bản hoặc chọn tệp (.txt, .docx, .pdf).".into(),
            text,
        );
    }
    let docs = docparse::parse(&source);
    if docs.is_empty() {
        return fail(
            "Không nhận ra văn bản hành chính nào trong nội dung này.".into(),
            text,
        );
    }
    let (m, agencies) = matcher(&state).await?;
    let docs = form_of(&docs, &m, &agencies);
    let page = Preview {
        chrome: Chrome::new(&user, "/van-ban", "Kiểm tra văn bản trước khi lưu", None),
        marked: highlight(&source, &docs),
        docs,
        source,
        action: "/van-ban/nhap/xac-nhan".into(),
        table_mode: false,
        notice: None,
        row_errors: Vec::new(),
    };
    Ok(Html(page.render()?).into_response())
}

/// Validates an included task row into task inputs (one per lead agency).
fn task_inputs(t: &mut FormTask, directive_id: i64, agencies: &[Agency]) -> Vec<TaskInput> {
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

fn directive_input(d: &FormDoc) -> Result<DirectiveInput, Vec<String>> {
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
fn supports(m: &AgencyMatcher, text: &str, on: NaiveDate) -> Vec<i64> {
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

pub async fn import_confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    ensure_assigner(&user)?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
        .map_err(|_| AppError::bad("Dữ liệu biểu mẫu không hợp lệ."))?;
    let (m, agencies) = matcher(&state).await?;
    let mut docs = form_from_post(&pairs, &m, &agencies);
    let source = pairs
        .iter()
        .find(|(k, _)| k == "source")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    // Validate everything first; save nothing unless all included rows are valid.
    let mut plan = Vec::new();
    let mut ok = true;
    for d in docs.iter_mut().filter(|d| d.include) {
        let input = match directive_input(d) {
            Ok(i) => Some(i),
            Err(e) => {
                d.errors = e;
                ok = false;
                None
            }
        };
        let on = doc_date(d);
        let mut tasks = Vec::new();
        for t in d.tasks.iter_mut().filter(|t| t.include) {
            let mut inputs = task_inputs(t, 0, &agencies);
            if !t.error.is_empty() {
                ok = false;
            }
            let sup = supports(&m, &t.support_text, on);
            for i in inputs.iter_mut() {
                i.support_agency_ids = sup
                    .iter()
                    .copied()
                    .filter(|s| Some(*s) != i.lead_agency_id)
                    .collect();
            }
            tasks.extend(inputs);
        }
        plan.push((input, tasks));
    }
    if !ok || plan.is_empty() {
        let notice = if plan.is_empty() {
            "Chưa chọn văn bản nào để lưu."
        } else {
            "Có lỗi cần sửa; chưa lưu gì."
        };
        let page = Preview {
            chrome: Chrome::new(&user, "/van-ban", "Kiểm tra văn bản trước khi lưu", None),
            marked: highlight(&source, &docs),
            docs,
            source,
            action: "/van-ban/nhap/xac-nhan".into(),
            table_mode: false,
            notice: Some(notice.into()),
            row_errors: Vec::new(),
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response());
    }
    let actor = user.actor();
    let (mut n_dirs, mut n_tasks, mut first) = (0, 0, None);
    for (input, tasks) in plan {
        let Some(input) = input else { continue };
        let d = store::directive::create(&state.db, &input, &actor)
            .await
            .map_err(|e| match e {
                store::StoreError::Conflict(_) => AppError::Conflict(format!(
                    "Văn bản {} đã được đăng ký trước đó; không lưu lại.",
                    input.number
                )),
                e => e.into(),
            })?;
        first.get_or_insert(d.id);
        n_dirs += 1;
        for mut t in tasks {
            t.directive_id = d.id;
            store::task::create(&state.db, &t, &actor).await?;
            n_tasks += 1;
        }
    }
    let jar = set_flash(
        jar,
        &format!("Đã lưu {n_dirs} văn bản và giao {n_tasks} nhiệm vụ."),
    );
    let to = first
        .map(|id| format!("/van-ban/{id}"))
        .unwrap_or_else(|| "/van-ban".into());
    Ok((jar, Redirect::to(&to)).into_response())
}

#[derive(Template)]
#[template(path = "task/table_form.html")]
struct TableForm {
    chrome: Chrome,
    d: store::directive::Directive,
    error: Option<String>,
}

pub async fn table_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    ensure_assigner(&user)?;
    let d = store::directive::get(&state.db, parse_id(&id)?).await?;
    let page = TableForm {
        chrome: Chrome::new(
            &user,
            "/van-ban",
            format!("Nhập bảng nhiệm vụ – {}", d.number),
            None,
        ),
        d,
        error: None,
    };
    Ok(Html(page.render()?).into_response())
}

/// An appendix table: rows become proposed tasks; every bad row is listed with its line,
/// and nothing is imported until the officer confirms the valid rows.
pub async fn table_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    mp: Multipart,
) -> Result<Response, AppError> {
    ensure_assigner(&user)?;
    let d = store::directive::get(&state.db, parse_id(&id)?).await?;
    let (file, text) = read_upload(mp).await?;
    let table = match &file {
        Some((name, bytes)) => docparse::read_task_table(bytes, name),
        None if !text.trim().is_empty() => docparse::read_task_text(&text),
        None => {
            let page = TableForm {
                chrome: Chrome::new(&user, "/van-ban", "Nhập bảng nhiệm vụ", None),
                d,
                error: Some("Hãy chọn tệp (.xlsx, .csv, .tsv) hoặc dán bảng.".into()),
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response());
        }
    };
    let table = match table {
        Ok(t) => t,
        Err(e) => {
            let page = TableForm {
                chrome: Chrome::new(&user, "/van-ban", "Nhập bảng nhiệm vụ", None),
                d,
                error: Some(e.to_string()),
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response());
        }
    };
    let (m, agencies) = matcher(&state).await?;
    let on = d.issued_on;
    let mut doc = FormDoc {
        include: true,
        number: d.number.clone(),
        doc_type: d.doc_type.clone(),
        issuer: d.issuer.clone(),
        date: date_vn(&d.issued_on),
        subject: d.subject.clone(),
        ..Default::default()
    };
    for r in &table.rows {
        let leads: Vec<String> = if r.lead.is_empty() {
            vec![String::new()]
        } else {
            r.lead.clone()
        };
        for lead in leads {
            doc.tasks.push(FormTask {
                include: true,
                content: r.content.clone(),
                lead_options: lead_options(&m, &agencies, &lead, on, None),
                lead_text: lead,
                support_text: r.support.join("; "),
                deadline: iso_to_vn(r.deadline.as_deref()),
                deadline_text: r.time_text.clone(),
                recurrence: r.recurrence.clone().unwrap_or_default(),
                source: format!("Phụ lục, STT {} (dòng {})", r.stt, r.line),
                ..Default::default()
            });
        }
    }
    let row_errors: Vec<String> = table.errors.iter().map(|e| e.message.clone()).collect();
    let notice = (!row_errors.is_empty()).then(|| {
        format!(
            "Bảng có {} dòng lỗi (liệt kê bên dưới); chưa nhập gì. Có thể sửa tệp và tải lại, hoặc xác nhận để chỉ nhập {} dòng hợp lệ.",
            row_errors.len(),
            doc.tasks.len()
        )
    });
    let page = Preview {
        chrome: Chrome::new(
            &user,
            "/van-ban",
            format!("Kiểm tra bảng nhiệm vụ – {}", d.number),
            None,
        ),
        marked: String::new(),
        docs: vec![doc],
        source: String::new(),
        action: format!("/van-ban/{}/nhap-bang/xac-nhan", d.id),
        table_mode: true,
        notice,
        row_errors,
    };
    Ok(Html(page.render()?).into_response())
}

pub async fn table_confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    ensure_assigner(&user)?;
    let d = store::directive::get(&state.db, parse_id(&id)?).await?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
        .map_err(|_| AppError::bad("Dữ liệu biểu mẫu không hợp lệ."))?;
    let (m, agencies) = matcher(&state).await?;
    let mut docs = form_from_post(&pairs, &m, &agencies);
    let mut inputs = Vec::new();
    let mut ok = true;
    for doc in docs.iter_mut() {
        for t in doc.tasks.iter_mut().filter(|t| t.include) {
            let mut rows = task_inputs(t, d.id, &agencies);
            if !t.error.is_empty() {
                ok = false;
            }
            let sup = supports(&m, &t.support_text, d.issued_on);
            for i in rows.iter_mut() {
                i.support_agency_ids = sup
                    .iter()
                    .copied()
                    .filter(|s| Some(*s) != i.lead_agency_id)
                    .collect();
            }
            inputs.extend(rows);
        }
    }
    if !ok || inputs.is_empty() {
        let page = Preview {
            chrome: Chrome::new(
                &user,
                "/van-ban",
                format!("Kiểm tra bảng nhiệm vụ – {}", d.number),
                None,
            ),
            marked: String::new(),
            docs,
            source: String::new(),
            action: format!("/van-ban/{}/nhap-bang/xac-nhan", d.id),
            table_mode: true,
            notice: Some(if inputs.is_empty() && ok {
                "Chưa chọn dòng nào để nhập.".into()
            } else {
                "Có lỗi cần sửa; chưa nhập gì.".into()
            }),
            row_errors: Vec::new(),
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response());
    }
    let actor = user.actor();
    for t in &inputs {
        store::task::create(&state.db, t, &actor).await?;
    }
    let jar = set_flash(jar, &format!("Đã nhập {} nhiệm vụ từ bảng.", inputs.len()));
    Ok((jar, Redirect::to(&format!("/van-ban/{}", d.id))).into_response())
}
