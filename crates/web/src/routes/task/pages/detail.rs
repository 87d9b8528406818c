//! A task's page — its reports with their evidence files, extensions and sub-tasks — and
//! the actions posted from it: progress, completion, verification, extension requests and
//! decisions, and the split into sub-tasks; a refused action shows the page again with
//! the reason.

use crate::upload::Posted;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

use super::{TaskRow, task_rows};
use crate::auth::CurrentUser;
use crate::extract::{PageForm, set_flash, take_flash};
use crate::routes::parse_id;
use crate::routes::task::{Action, act};
use crate::routes::task::{TaskOut, today, visible};
use crate::views::{Chrome, date_vn, datetime_vn};
use crate::{AppError, AppState};

pub struct ReportView {
    pub r: store::task::Report,
    pub when: String,
    pub kind: &'static str,
    /// Evidence files (minh chứng) attached to the report.
    pub files: Vec<store::file::FileMeta>,
}

#[derive(Template)]
#[template(path = "task/detail.html")]
struct TaskPage {
    chrome: Chrome,
    t: TaskOut,
    deadline: String,
    original_deadline: String,
    submitted_on: String,
    supports: Vec<(i64, String, String)>,
    reports: Vec<ReportView>,
    can_report: bool,
    can_submit: bool,
    can_verify: bool,
    can_extend: bool,
    can_decide: bool,
    can_split: bool,
    split_deadline: String,
    split_agencies: Vec<(i64, String)>,
    children: Vec<TaskRow>,
    extensions: Vec<ExtensionView>,
    error: Option<String>,
}

pub struct ExtensionView {
    pub e: store::task::Extension,
    pub when: String,
    pub old: String,
    pub new: String,
    pub decision: &'static str,
}

async fn render_task(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    flash: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let v = app::task::view(state, &user.principal, id).await?;
    let t = &v.task;
    let out = TaskOut::of(t, today());
    let reports = v
        .reports
        .into_iter()
        .map(|(r, files)| ReportView {
            files,
            when: datetime_vn(&r.created_at),
            kind: match r.kind.as_str() {
                "progress" => "Báo cáo tiến độ",
                "submit" => "Báo cáo hoàn thành",
                "accept" => "Xác nhận hoàn thành",
                "return" => "Trả lại",
                _ => "Khác",
            },
            r,
        })
        .collect();
    let page = TaskPage {
        chrome: Chrome::new(user, "/nhiem-vu", format!("Nhiệm vụ #{id}"), flash),
        deadline: match (t.deadline, &t.recurrence) {
            (Some(d), _) => date_vn(&d),
            (None, Some(r)) => crate::views::recurrence_vi(r),
            (None, None) => t
                .deadline_text
                .clone()
                .unwrap_or_else(|| "Không thời hạn".into()),
        },
        original_deadline: t.original_deadline.map(|d| date_vn(&d)).unwrap_or_default(),
        submitted_on: t.submitted_on.map(|d| date_vn(&d)).unwrap_or_default(),
        can_report: v.can_report,
        can_submit: v.can_submit,
        can_verify: v.can_verify,
        can_extend: v.can_extend,
        can_decide: v.can_decide,
        can_split: !v.split_agencies.is_empty(),
        split_deadline: t.deadline.map(|d| date_vn(&d)).unwrap_or_default(),
        split_agencies: v.split_agencies,
        children: task_rows(&v.children),
        extensions: v
            .extensions
            .into_iter()
            .map(|e| ExtensionView {
                when: datetime_vn(&e.requested_at),
                old: e.old_deadline.map(|d| date_vn(&d)).unwrap_or_default(),
                new: date_vn(&e.new_deadline),
                decision: match e.decision.as_str() {
                    "approved" => "Đồng ý",
                    "refused" => "Không đồng ý",
                    _ => "Chờ quyết định",
                },
                e,
            })
            .collect(),
        supports: v.supports,
        reports,
        t: out,
        error,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn task(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (jar, flash) = take_flash(jar);
    let res = render_task(&state, &user, parse_id(&id)?, flash, None, StatusCode::OK).await?;
    Ok((jar, res).into_response())
}

#[derive(Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    note: String,
    #[serde(default)]
    accept: String,
}

async fn run(
    state: AppState,
    user: CurrentUser,
    jar: CookieJar,
    id: String,
    action: Action,
    done: &str,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let r = act(&state, &user, id, action).await.map(|_| ());
    after(state, user, jar, id, r, done).await
}

pub async fn post_progress(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    Posted(up): Posted,
) -> Result<Response, AppError> {
    let percent = up.field("percent").trim().parse::<i32>().unwrap_or(-1);
    run(
        state,
        user,
        jar,
        id,
        Action::Progress {
            percent,
            note: up.field("note"),
            files: up.files,
        },
        "Đã gửi báo cáo tiến độ.",
    )
    .await
}

pub async fn post_submit(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    Posted(up): Posted,
) -> Result<Response, AppError> {
    run(
        state,
        user,
        jar,
        id,
        Action::Submit {
            note: up.field("note"),
            files: up.files,
        },
        "Đã báo cáo hoàn thành; nhiệm vụ chờ xác nhận.",
    )
    .await
}

pub async fn post_verify(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    PageForm(f): PageForm<ActionForm>,
) -> Result<Response, AppError> {
    let accept = f.accept == "1";
    let msg = if accept {
        "Đã xác nhận hoàn thành."
    } else {
        "Đã trả lại báo cáo hoàn thành."
    };
    run(
        state,
        user,
        jar,
        id,
        Action::Verify {
            accept,
            note: f.note,
        },
        msg,
    )
    .await
}

#[derive(Deserialize)]
pub struct ExtensionForm {
    #[serde(default)]
    new_deadline: String,
    #[serde(default)]
    reason: String,
}

async fn after(
    state: AppState,
    user: CurrentUser,
    jar: CookieJar,
    id: i64,
    r: Result<(), app::ServiceError>,
    done: &str,
) -> Result<Response, AppError> {
    match r {
        Ok(()) => Ok((
            set_flash(jar, done),
            Redirect::to(&format!("/nhiem-vu/{id}")),
        )
            .into_response()),
        Err(app::ServiceError::Invalid(errs)) => {
            let msg = errs
                .iter()
                .map(|e| e.message.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            render_task(
                &state,
                &user,
                id,
                None,
                Some(msg),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(app::ServiceError::Conflict(msg) | app::ServiceError::Stale(msg)) => {
            render_task(&state, &user, id, None, Some(msg), StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn post_extension(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    PageForm(f): PageForm<ExtensionForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let r = super::ask_extension(&state, &user, id, &f.new_deadline, &f.reason)
        .await
        .map(|_| ());
    after(state, user, jar, id, r, "Đã gửi đề nghị gia hạn.").await
}

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    approve: String,
    #[serde(default)]
    note: String,
}

pub async fn post_decision(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path((id, eid)): Path<(String, String)>,
    PageForm(f): PageForm<DecisionForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let approve = f.approve == "1";
    let r = super::decide_extension(&state, &user, id, parse_id(&eid)?, approve, &f.note)
        .await
        .map(|_| ());
    let msg = if approve {
        "Đã đồng ý gia hạn; hạn mới có hiệu lực."
    } else {
        "Đã không đồng ý gia hạn."
    };
    after(state, user, jar, id, r, msg).await
}

#[derive(Deserialize)]
pub struct SplitForm {
    #[serde(default)]
    content: String,
    #[serde(default)]
    lead_agency_id: String,
    #[serde(default)]
    deadline: String,
}

/// Giao nhiệm vụ con: the lead agency splits its task for a unit under it.
pub async fn post_split(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    PageForm(f): PageForm<SplitForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let (parent, _) = visible(&state, &user.principal, id).await?;
    let r = match f.lead_agency_id.trim().parse::<i64>() {
        Ok(lead) => super::assign(
            &state,
            &user,
            super::TaskBody {
                directive_id: parent.directive_id,
                content: f.content,
                lead_agency_id: lead,
                support_agency_ids: Vec::new(),
                deadline: Some(f.deadline).filter(|d| !d.trim().is_empty()),
                deadline_text: None,
                recurrence: None,
                item_ref: parent.item_ref.clone(),
                parent_id: Some(id),
            },
        )
        .await
        .map(|_| ()),
        Err(_) => Err(app::ServiceError::invalid(
            "lead_agency_id",
            "Chưa chọn đơn vị thực hiện nhiệm vụ con.",
        )),
    };
    after(state, user, jar, id, r, "Đã giao nhiệm vụ con.").await
}
