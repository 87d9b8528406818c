//! The directive pages: the list of directives with their task statistics, a directive's
//! page with its citations, files and tasks, and the upload of its files.

use crate::upload::Upload;
use askama::Template;
use axum::extract::Multipart;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use domain::task::TaskStatus;
use serde::Deserialize;
use store::Page;

use super::{TaskRow, task_rows};
use crate::auth::CurrentUser;
use crate::extract::{Q, set_flash, take_flash};
use crate::routes::parse_id;
use crate::routes::task::{Stats, TaskQuery, filter};
use crate::views::{Chrome, date_vn};
use crate::{AppError, AppState};

pub struct DirectiveRow {
    pub d: store::directive::Directive,
    pub date: String,
    pub stats: Stats,
}

impl DirectiveRow {
    pub fn rate(&self) -> String {
        self.stats
            .completion_rate
            .map(|r| format!("{}%", r.to_string().replace('.', ",")))
            .unwrap_or_else(|| "–".into())
    }
}

#[derive(Template)]
#[template(path = "task/directives.html")]
struct DirectivesPage {
    chrome: Chrome,
    can_assign: bool,
    rows: Vec<DirectiveRow>,
    q: String,
}

#[derive(Deserialize, Default)]
pub struct DirectivesQuery {
    q: Option<String>,
}

pub async fn directives(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Q(q): Q<DirectivesQuery>,
) -> Result<Response, AppError> {
    let rows = app::directive::list_with_stats(
        &state,
        &user.principal,
        q.q.as_deref(),
        Page::new(Some(200), None),
    )
    .await?
    .into_iter()
    .map(|(d, stats)| DirectiveRow {
        date: date_vn(&d.issued_on),
        stats,
        d,
    })
    .collect();
    let (jar, flash) = take_flash(jar);
    let page = DirectivesPage {
        can_assign: user.principal.can_assign_tasks(),
        chrome: Chrome::new(&user, "/van-ban", "Văn bản chỉ đạo", flash),
        rows,
        q: q.q.unwrap_or_default(),
    };
    Ok((jar, Html(page.render()?)).into_response())
}

#[derive(Template)]
#[template(path = "task/directive.html")]
struct DirectivePage {
    chrome: Chrome,
    can_assign: bool,
    d: store::directive::Directive,
    date: String,
    recipients: Vec<String>,
    citations: Vec<store::directive::Citation>,
    cited_by: Vec<(i64, String, String)>,
    files: Vec<store::file::FileMeta>,
    stats: Stats,
    rows: Vec<TaskRow>,
    total: i64,
    status: String,
    statuses: Vec<(&'static str, &'static str)>,
}

impl DirectivePage {
    fn rate(&self) -> String {
        self.stats
            .completion_rate
            .map(|r| format!("{}%", r.to_string().replace('.', ",")))
            .unwrap_or_else(|| "–".into())
    }
}

pub fn relation_label(r: &str) -> &'static str {
    match r {
        "encloses" => "gửi kèm",
        "implements" => "triển khai",
        _ => "dẫn chiếu",
    }
}

pub async fn directive(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    Q(q): Q<TaskQuery>,
) -> Result<Response, AppError> {
    let v = app::directive::view(&state, &user.principal, parse_id(&id)?).await?;
    let d = v.directive;
    let mut f = filter(&user.principal, &q)?;
    f.directive_id = Some(d.id);
    let (tasks, total) = app::task::list(&state, &f, Page::new(Some(500), None)).await?;
    let (jar, flash) = take_flash(jar);
    let page = DirectivePage {
        can_assign: user.principal.can_assign_tasks(),
        chrome: Chrome::new(
            &user,
            "/van-ban",
            format!("{} {}", d.doc_type, d.number),
            flash,
        ),
        date: date_vn(&d.issued_on),
        recipients: d.recipients(),
        citations: v.citations,
        files: v.files,
        cited_by: v.cited_by,
        stats: v.stats,
        rows: task_rows(&tasks),
        total,
        status: q.status.clone().unwrap_or_default(),
        statuses: TaskStatus::ALL
            .iter()
            .map(|s| (s.code(), s.label()))
            .collect(),
        d,
    };
    Ok((jar, Html(page.render()?)).into_response())
}

/// `POST /van-ban/{id}/tep`: attach the signed copy or other files of a directive
/// (assigning offices only).
pub async fn post_directive_files(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    mp: Multipart,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let up = Upload::read(mp, "files").await?;
    app::directive::attach_files(&state, &user, id, up.files).await?;
    let jar = set_flash(jar, "Đã đính kèm tệp văn bản.");
    Ok((jar, Redirect::to(&format!("/van-ban/{id}"))).into_response())
}
