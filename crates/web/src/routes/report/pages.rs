//! Pages of the periodic reports: `/bao-cao` (list, open a report or a period),
//! `/bao-cao/{id}` (fill in, send, accept or return, corrections after the freeze,
//! downloads), `/bao-cao/tong-hop` (the province's sums, who has not sent, closing).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use domain::report::{ReportAction, ReportStatus};
use serde::Deserialize;

use super::api::ReportQuery;
use super::{ReportDetail, ReportOut};
use crate::auth::CurrentUser;
use crate::extract::{PageForm, Q, set_flash, take_flash};
use crate::routes::parse_id;
use crate::views::{Chrome, date_vn, datetime_vn};
use crate::{AppError, AppState};

/// A template as the menus list it.
pub struct TemplateOption {
    pub code: String,
    pub name: String,
    pub example: String,
}

fn template_options() -> Result<Vec<TemplateOption>, AppError> {
    templates_where(|_| true)
}

/// The templates the agency itself owes today ([`super::owes_on`]); none when the agency
/// has ended — the form to open one's own report shows only these.
fn own_template_options(
    a: &store::agency::Agency,
    today: chrono::NaiveDate,
) -> Result<Vec<TemplateOption>, AppError> {
    templates_where(|t| super::owes_on(t, a, today))
}

fn templates_where(
    keep: impl Fn(&domain::report::Template) -> bool,
) -> Result<Vec<TemplateOption>, AppError> {
    Ok(super::templates()?
        .latest()
        .into_iter()
        .filter(|t| keep(t))
        .map(|t| TemplateOption {
            code: t.code.clone(),
            name: t.name.clone(),
            example: match t.period_kind {
                domain::calendar::period::PeriodKind::Month => "2023-10",
                domain::calendar::period::PeriodKind::Quarter => "2023-Q3",
                domain::calendar::period::PeriodKind::Half => "2023-H2",
                domain::calendar::period::PeriodKind::Year => "2023",
            }
            .into(),
        })
        .collect())
}

#[derive(Template)]
#[template(path = "report/list.html")]
struct ListPage {
    chrome: Chrome,
    items: Vec<ReportOut>,
    total: i64,
    templates: Vec<TemplateOption>,
    /// The templates the caller's own unit owes (the "Lập báo cáo" form).
    own_templates: Vec<TemplateOption>,
    units: Vec<(String, String)>,
    template: String,
    period: String,
    unit: String,
    status: String,
    statuses: Vec<(&'static str, &'static str)>,
    can_manage: bool,
    can_open_own: bool,
    own_unit: String,
    summary_query: String,
    next: Option<String>,
    prev: Option<String>,
}

fn query_with(q: &ReportQuery, offset: i64) -> String {
    serde_urlencoded::to_string([
        ("template", q.template.as_deref().unwrap_or("")),
        ("period", q.period.as_deref().unwrap_or("")),
        ("unit", q.unit.as_deref().unwrap_or("")),
        ("status", q.status.as_deref().unwrap_or("")),
        ("offset", &offset.to_string()),
    ])
    .unwrap_or_default()
}

/// `GET /bao-cao`
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Q(q): Q<ReportQuery>,
) -> Result<Response, AppError> {
    let (jar, flash) = take_flash(jar);
    let page = store::Page::new(q.limit.or(Some(100)), q.offset);
    let (items, total) = super::list(&state, &user.principal, &q.search(), page).await?;
    let units = app::agency::choices(&state, &user.principal).await?;
    let own = state.agency(user.principal.agency_id).await?;
    let own_templates = own_template_options(&own, crate::routes::task::today())?;
    let p = &user.principal;
    let summary_query = serde_urlencoded::to_string([
        ("template", q.template.as_deref().unwrap_or("TTHC-THANG")),
        ("period", q.period.as_deref().unwrap_or("")),
    ])
    .unwrap_or_default();
    let page_html = ListPage {
        chrome: Chrome::new(&user, "/bao-cao", "Báo cáo định kỳ", flash),
        items: items.iter().map(ReportOut::of).collect(),
        total,
        templates: template_options()?,
        can_open_own: p.can_report_for(&own.path) && !own_templates.is_empty(),
        own_templates,
        units,
        template: q.template.clone().unwrap_or_default(),
        period: q.period.clone().unwrap_or_default(),
        unit: q.unit.clone().unwrap_or_default(),
        status: q.status.clone().unwrap_or_default(),
        statuses: ReportStatus::ALL
            .iter()
            .map(|s| (s.code(), s.label()))
            .collect(),
        can_manage: super::can_manage_periods(p),
        own_unit: own.code.clone(),
        summary_query,
        next: (page.offset + page.limit < total).then(|| query_with(&q, page.offset + page.limit)),
        prev: (page.offset > 0).then(|| query_with(&q, (page.offset - page.limit).max(0))),
    };
    Ok((jar, Html(page_html.render()?)).into_response())
}

#[derive(Deserialize)]
pub struct OpenForm {
    #[serde(default)]
    template: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    unit: String,
}

/// `POST /bao-cao/lap` — opens one unit's report and goes to it.
pub async fn open(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    PageForm(f): PageForm<OpenForm>,
) -> Result<Response, AppError> {
    let (r, created) = super::open(
        &state,
        &user.principal,
        &user.actor(),
        &f.template,
        &f.period,
        &f.unit,
    )
    .await?;
    let msg = if created {
        "Đã lập báo cáo; nhiệm vụ gửi báo cáo đã được giao kèm hạn."
    } else {
        "Báo cáo của kỳ này đã có."
    };
    Ok((
        set_flash(jar, msg),
        Redirect::to(&format!("/bao-cao/{}", r.id)),
    )
        .into_response())
}

/// `POST /bao-cao/mo-ky` — opens the period for every obliged unit (province roles).
pub async fn open_period(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    PageForm(f): PageForm<OpenForm>,
) -> Result<Response, AppError> {
    if !super::can_manage_periods(&user.principal) {
        return Err(AppError::forbidden());
    }
    let (created, obliged) =
        super::open_period(&state, &user.actor(), &f.template, &f.period).await?;
    let msg = format!(
        "Đã mở kỳ {}: lập {created} báo cáo mới cho {obliged} đơn vị phải báo cáo, kèm nhiệm vụ có hạn gửi.",
        f.period.trim()
    );
    let q =
        serde_urlencoded::to_string([("template", f.template.trim()), ("period", f.period.trim())])
            .unwrap_or_default();
    Ok((set_flash(jar, &msg), Redirect::to(&format!("/bao-cao?{q}"))).into_response())
}

/// A field as the detail page shows it.
pub struct FieldRow {
    pub key: String,
    pub label: String,
    pub computed: bool,
    pub required: bool,
    pub text: bool,
    pub hint: &'static str,
    /// What the report says (frozen once closed).
    pub shown: String,
    /// The value in the form input.
    pub input: String,
    pub max_len: usize,
    pub error: String,
}

pub struct CorrectionRow {
    pub label: String,
    pub frozen: String,
    pub live: String,
    pub difference: String,
}

pub struct RevisionRow {
    pub revision: i64,
    pub kind: &'static str,
    pub as_of: String,
    pub note: String,
    pub by: String,
}

/// One event of the report's history (the audit log), as the timeline shows it.
pub struct HistoryRow {
    pub when: String,
    pub by: String,
    pub event: &'static str,
    /// "done", "back" or "" (the marker's colour).
    pub tone: &'static str,
    pub detail: String,
}

/// The timeline row of an audit entry of the report or of its period's closing.
fn history_row(h: &store::audit::AuditRow) -> HistoryRow {
    let after: serde_json::Value = h
        .after_json
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or_default();
    let text = |k: &str| after.get(k).and_then(|v| v.as_str()).unwrap_or("").trim();
    let (event, tone, detail) = match h.action.as_str() {
        "create" => (
            "Lập báo cáo",
            "",
            "Nhiệm vụ gửi báo cáo được giao kèm hạn.".to_string(),
        ),
        "save" => ("Lưu số liệu", "", String::new()),
        "submit" => ("Gửi báo cáo", "done", String::new()),
        "accept" => ("Tiếp nhận", "done", String::new()),
        "return" => (
            "Trả lại",
            "back",
            format!("Lý do: {}", text("return_reason")),
        ),
        "close" => ("Khóa sổ", "done", h.summary.clone()),
        "correct" => ("Ghi nhận điều chỉnh", "", text("note").to_string()),
        _ => ("Cập nhật", "", h.summary.clone()),
    };
    HistoryRow {
        when: datetime_vn(&h.at),
        by: h.username.clone().unwrap_or_default(),
        event,
        tone,
        detail,
    }
}

#[derive(Template)]
#[template(path = "report/detail.html")]
struct DetailPage {
    chrome: Chrome,
    d: ReportDetail,
    fields: Vec<FieldRow>,
    corrections: Vec<CorrectionRow>,
    revisions: Vec<RevisionRow>,
    history: Vec<HistoryRow>,
    error: Option<String>,
    due: String,
    window: String,
    frozen_as_of: String,
    submitted: String,
    decided: String,
    compiler: &'static str,
    version: String,
    heading: String,
}

#[allow(clippy::too_many_arguments)]
async fn render_detail(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    flash: Option<String>,
    error: Option<String>,
    field_errors: &[domain::validate::FieldError],
    posted: Option<&BTreeMap<String, String>>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let r = super::visible(state, &user.principal, id).await?;
    let v = super::view(state, r).await?;
    let d = super::detail_of(&v, &user.principal);
    let t = v.template;
    let fields = t
        .fields
        .iter()
        .map(|f| {
            let value = v.values.get(&f.key);
            FieldRow {
                key: f.key.clone(),
                label: f.label.clone(),
                computed: f.is_computed(),
                required: f.required,
                text: f.field_type == domain::report::FieldType::Text,
                hint: match f.field_type {
                    domain::report::FieldType::Integer => "ví dụ 1.234",
                    domain::report::FieldType::Percent => "ví dụ 85,5",
                    domain::report::FieldType::Date => "dd/mm/yyyy",
                    domain::report::FieldType::Text => "",
                },
                shown: super::display(f.field_type, value),
                input: posted
                    .and_then(|p| p.get(&f.key).cloned())
                    .unwrap_or_else(|| super::input_text(f.field_type, value)),
                max_len: f.max_chars(),
                error: field_errors
                    .iter()
                    .filter(|e| e.field == f.key)
                    .map(|e| e.message.clone())
                    .collect::<Vec<_>>()
                    .join(" "),
            }
        })
        .collect();
    let ft = |k: &str| {
        t.field(k)
            .map_or(domain::report::FieldType::Text, |f| f.field_type)
    };
    let corrections = v
        .corrections
        .iter()
        .map(|c| CorrectionRow {
            label: c.label.clone(),
            frozen: super::display(ft(&c.key), Some(&c.frozen)),
            live: super::display(ft(&c.key), Some(&c.live)),
            difference: super::difference_text(c, ft(&c.key)),
        })
        .collect();
    let revisions = v
        .revisions
        .iter()
        .map(|x| RevisionRow {
            revision: x.revision,
            kind: if x.kind == "freeze" {
                "Khóa sổ"
            } else {
                "Điều chỉnh"
            },
            as_of: datetime_vn(&x.as_of),
            note: x.note.clone().unwrap_or_default(),
            by: x.created_by.clone().unwrap_or_default(),
        })
        .collect();
    let rep = &v.report;
    let history = super::history(state, rep)
        .await?
        .iter()
        .map(history_row)
        .collect();
    let page = DetailPage {
        chrome: Chrome::new(
            user,
            "/bao-cao",
            format!("Báo cáo {}", rep.template_code),
            flash,
        ),
        fields,
        corrections,
        revisions,
        history,
        error,
        due: date_vn(&rep.due_on),
        window: format!(
            "{} – {}",
            date_vn(&rep.period_from),
            date_vn(&rep.period_to)
        ),
        frozen_as_of: v
            .frozen
            .as_ref()
            .map(|s| datetime_vn(&s.as_of))
            .unwrap_or_default(),
        submitted: match (&rep.submitted_by, &rep.submitted_at) {
            (Some(u), Some(at)) => format!("{} lúc {}", u, datetime_vn(at)),
            _ => String::new(),
        },
        decided: match (&rep.decided_by, &rep.decided_at) {
            (Some(u), Some(at)) => format!("{} lúc {}", u, datetime_vn(at)),
            _ => String::new(),
        },
        compiler: t.compiler.label(),
        version: date_vn(&t.effective_from),
        heading: super::title_of(&t.name, &v.period.label_vi()),
        d,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /bao-cao/{id}`
pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let (jar, flash) = take_flash(jar);
    let page = render_detail(&state, &user, id, flash, None, &[], None, StatusCode::OK).await?;
    Ok((jar, page).into_response())
}

/// `POST /bao-cao/{id}/luu` — the typed fields (`f_<key>`).
pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    PageForm(form): PageForm<BTreeMap<String, String>>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let input: BTreeMap<String, String> = form
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("f_").map(|k| (k.to_string(), v.clone())))
        .collect();
    match super::save(&state, &user.principal, &user.actor(), id, &input).await {
        Ok(_) => Ok((
            set_flash(jar, "Đã lưu báo cáo."),
            Redirect::to(&format!("/bao-cao/{id}")),
        )
            .into_response()),
        Err(app::ServiceError::Invalid(errs)) => {
            render_detail(
                &state,
                &user,
                id,
                None,
                Some("Chưa lưu: vui lòng sửa các trường được đánh dấu.".into()),
                &errs,
                Some(&input),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e @ (app::ServiceError::Conflict(_) | app::ServiceError::Stale(_))) => {
            let status = StatusCode::CONFLICT;
            render_detail(
                &state,
                &user,
                id,
                None,
                Some(e.to_string()),
                &[],
                None,
                status,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
}

/// `POST /bao-cao/{id}/thao-tac` — submit, accept, return, correct.
pub async fn action(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    PageForm(f): PageForm<ActionForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let p = &user.principal;
    let actor = user.actor();
    let (r, done) = match f.action.as_str() {
        "submit" => (
            super::act(&state, p, &actor, id, ReportAction::Submit, None)
                .await
                .map(|_| ()),
            "Đã gửi báo cáo; nhiệm vụ gửi báo cáo được ghi nhận hoàn thành.",
        ),
        "accept" => (
            super::act(&state, p, &actor, id, ReportAction::Accept, None)
                .await
                .map(|_| ()),
            "Đã tiếp nhận báo cáo.",
        ),
        "return" => (
            super::act(&state, p, &actor, id, ReportAction::Return, Some(&f.reason))
                .await
                .map(|_| ()),
            "Đã trả lại báo cáo cho đơn vị.",
        ),
        "correct" => (
            super::correct(&state, p, &actor, id, &f.note)
                .await
                .map(|_| ()),
            "Đã ghi nhận điều chỉnh sau khóa sổ (phiên bản mới).",
        ),
        _ => return Err(AppError::bad("Thao tác không hợp lệ.")),
    };
    match r {
        Ok(()) => Ok((
            set_flash(jar, done),
            Redirect::to(&format!("/bao-cao/{id}")),
        )
            .into_response()),
        Err(app::ServiceError::Invalid(errs)) => {
            let msg = errs
                .iter()
                .map(|e| e.message.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            render_detail(
                &state,
                &user,
                id,
                None,
                Some(msg),
                &errs,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e @ (app::ServiceError::Conflict(_) | app::ServiceError::Stale(_))) => {
            let status = StatusCode::CONFLICT;
            render_detail(
                &state,
                &user,
                id,
                None,
                Some(e.to_string()),
                &[],
                None,
                status,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct FileQuery {
    format: Option<String>,
    as_of: Option<String>,
}

/// `GET /bao-cao/{id}/tai-ve?format=xlsx|pdf[&as_of=freeze]`
pub async fn file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Q(q): Q<FileQuery>,
) -> Result<Response, AppError> {
    super::api::file(
        State(state),
        user,
        Path(id),
        Q(super::api::FileQuery {
            format: q.format,
            as_of: q.as_of,
        }),
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct SummaryQuery {
    template: Option<String>,
    period: Option<String>,
    format: Option<String>,
}

pub struct TotalRow {
    pub label: String,
    pub value: String,
    pub reports: usize,
}

#[derive(Template)]
#[template(path = "report/summary.html")]
struct SummaryPage {
    chrome: Chrome,
    templates: Vec<TemplateOption>,
    template: String,
    period: String,
    s: Option<super::Summary>,
    totals: Vec<TotalRow>,
    due: String,
    window: String,
    closed_at: String,
    can_manage: bool,
    query: String,
    heading: String,
}

/// `GET /bao-cao/tong-hop?template=&period=[&format=xlsx|pdf]`
pub async fn summary(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Q(q): Q<SummaryQuery>,
) -> Result<Response, AppError> {
    let (jar, flash) = take_flash(jar);
    let template = q
        .template
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or("TTHC-THANG")
        .to_string();
    let period = q.period.as_deref().map(str::trim).unwrap_or("").to_string();
    let s = if period.is_empty() {
        None
    } else {
        Some(super::summary(&state, &user.principal.scope(), &template, &period).await?)
    };
    if let (Some(fmt), Some(s)) = (q.format.as_deref().filter(|f| !f.is_empty()), &s) {
        let doc = super::summary_document(s, &user.agency_name);
        let name = format!("tong-hop-{}-{}", s.template, s.period);
        return super::file_response(&doc, fmt, &name);
    }
    let totals = s
        .as_ref()
        .map(|s| {
            s.totals
                .iter()
                .map(|x| TotalRow {
                    label: if x.field_type == domain::report::FieldType::Percent {
                        format!("{} (bình quân)", x.label)
                    } else {
                        x.label.clone()
                    },
                    value: super::display(
                        x.field_type,
                        x.value.map(serde_json::Value::from).as_ref(),
                    ),
                    reports: x.reports,
                })
                .collect()
        })
        .unwrap_or_default();
    let page = SummaryPage {
        chrome: Chrome::new(&user, "/bao-cao", "Tổng hợp báo cáo", flash),
        templates: template_options()?,
        due: s.as_ref().map(|s| date_vn(&s.due_on)).unwrap_or_default(),
        window: s
            .as_ref()
            .map(|s| format!("{} – {}", date_vn(&s.from), date_vn(&s.to)))
            .unwrap_or_default(),
        closed_at: s
            .as_ref()
            .and_then(|s| s.closed_at)
            .map(|c| datetime_vn(&c))
            .unwrap_or_default(),
        can_manage: super::can_manage_periods(&user.principal),
        heading: s
            .as_ref()
            .map(|s| super::title_of(&s.template_name, &s.period_label))
            .unwrap_or_default(),
        query: serde_urlencoded::to_string([
            ("template", template.as_str()),
            ("period", period.as_str()),
        ])
        .unwrap_or_default(),
        template,
        period,
        totals,
        s,
    };
    Ok((jar, Html(page.render()?)).into_response())
}

/// `POST /bao-cao/khoa-so` — closes a template's period (province roles).
pub async fn close(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    PageForm(f): PageForm<OpenForm>,
) -> Result<Response, AppError> {
    if !super::can_manage_periods(&user.principal) {
        return Err(AppError::forbidden());
    }
    let n = super::close(&state, &user.actor(), &f.template, &f.period).await?;
    let q =
        serde_urlencoded::to_string([("template", f.template.trim()), ("period", f.period.trim())])
            .unwrap_or_default();
    Ok((
        set_flash(
            jar,
            &format!(
                "Đã khóa sổ kỳ {}: số liệu của {n} báo cáo đã được chốt.",
                f.period.trim()
            ),
        ),
        Redirect::to(&format!("/bao-cao/tong-hop?{q}")),
    )
        .into_response())
}
