//! Staff pages of PAKN: the queue of the caller's subtree (`/phan-anh-kien-nghi`) and one
//! feedback with its steps and the forms of the steps the caller may take
//! (`/phan-anh-kien-nghi/{id}`), each posted to [`app::feedback::act`].

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;

use app::feedback::{FeedbackDetail, FeedbackEventInput, FeedbackOut, FeedbackQuery};

use crate::auth::CurrentUser;
use crate::extract::{Q, set_flash, take_flash};
use crate::routes::parse_id;
use crate::upload::Posted;
use crate::views::Chrome;
use crate::{AppError, AppState};

#[derive(Template)]
#[template(path = "feedback/queue.html")]
struct QueuePage {
    chrome: Chrome,
    items: Vec<FeedbackOut>,
    total: i64,
    status: String,
    kind: String,
    q: String,
    overdue: bool,
    statuses: Vec<(&'static str, &'static str)>,
    kinds: Vec<(&'static str, &'static str)>,
}

/// `GET /phan-anh-kien-nghi`
pub async fn queue(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Q(q): Q<FeedbackQuery>,
) -> Result<Response, AppError> {
    let (jar, flash) = take_flash(jar);
    let mut q = q;
    q.limit = Some(q.limit.unwrap_or(100));
    let (items, total) = app::feedback::list(&state, &user.principal, &q).await?;
    let page = QueuePage {
        chrome: Chrome::new(&user, "/phan-anh-kien-nghi", "Phản ánh, kiến nghị", flash),
        items,
        total,
        status: q.status.unwrap_or_default(),
        kind: q.kind.unwrap_or_default(),
        q: q.q.unwrap_or_default(),
        overdue: q.overdue.unwrap_or(false),
        statuses: domain::feedback::Status::ALL
            .into_iter()
            .map(|s| (s.code(), s.label()))
            .collect(),
        kinds: domain::feedback::Kind::ALL
            .into_iter()
            .map(|k| (k.code(), k.label()))
            .collect(),
    };
    Ok((jar, Html(page.render()?)).into_response())
}

#[derive(Template)]
#[template(path = "feedback/detail.html")]
struct DetailPage {
    chrome: Chrome,
    f: FeedbackDetail,
    assignees: Vec<(String, String)>,
    agencies: Vec<(String, String)>,
    error: Option<String>,
}

impl DetailPage {
    fn can(&self, action: &str) -> bool {
        self.f.actions.iter().any(|a| a == action)
    }
}

async fn render_detail(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    flash: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let f = app::feedback::get(state, &user.principal, id).await?;
    let assignees = if f.actions.iter().any(|a| a == "assign") {
        app::feedback::assignees(state, &user.principal, id).await?
    } else {
        Vec::new()
    };
    let agencies = if f.actions.iter().any(|a| a == "forward") {
        app::feedback::agencies_to_name(state).await?
    } else {
        Vec::new()
    };
    let page = DetailPage {
        chrome: Chrome::new(
            user,
            "/phan-anh-kien-nghi",
            format!("Phản ánh {}", f.feedback.code),
            flash,
        ),
        f,
        assignees,
        agencies,
        error,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /phan-anh-kien-nghi/{id}`
pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (jar, flash) = take_flash(jar);
    let r = render_detail(&state, &user, parse_id(&id)?, flash, None, StatusCode::OK).await?;
    Ok((jar, r).into_response())
}

/// `POST /phan-anh-kien-nghi/{id}` — one step.
pub async fn act(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    Posted(up): Posted,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let opt = |k: &str| Some(up.field(k)).filter(|s| !s.trim().is_empty());
    let input = FeedbackEventInput {
        action: up.field("action"),
        note: opt("note"),
        agency_code: opt("agency_code"),
        merge_into: opt("merge_into"),
        assignee: opt("assignee"),
        answer: opt("answer"),
    };
    match app::feedback::act(&state, &user, id, &input).await {
        Ok(f) => Ok((
            set_flash(
                jar,
                &format!("Đã cập nhật: {}.", f.feedback.status_label.to_lowercase()),
            ),
            Redirect::to(&format!("/phan-anh-kien-nghi/{id}")),
        )
            .into_response()),
        Err(e) => {
            let (st, m) = crate::error::page_message(&e);
            match m {
                Some(m) => render_detail(&state, &user, id, None, Some(m), st).await,
                None => Err(e.into()),
            }
        }
    }
}

#[derive(Template)]
#[template(path = "feedback/stats.html")]
struct StatsPage {
    chrome: Chrome,
    s: app::feedback::FeedbackStats,
    period: String,
}

#[derive(Debug, serde::Deserialize)]
pub struct StatsQuery {
    pub period: Option<String>,
    /// xlsx or pdf: the file instead of the page.
    pub format: Option<String>,
}

/// `GET /phan-anh-kien-nghi/thong-ke?period=…[&format=xlsx|pdf]`
pub async fn stats(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<StatsQuery>,
) -> Result<Response, AppError> {
    let s = app::feedback::stats(&state, &user, q.period.as_deref()).await?;
    if let Some(format) = q.format.as_deref() {
        let doc = app::feedback::stats_doc(&s, &user.agency_name);
        return crate::routes::report::file_response(
            &doc,
            format,
            &format!("thong-ke-phan-anh-{}", s.period),
        );
    }
    let page = StatsPage {
        chrome: Chrome::new(
            &user,
            "/phan-anh-kien-nghi",
            "Thống kê phản ánh, kiến nghị",
            None,
        ),
        period: s.period.clone(),
        s,
    };
    Ok(Html(page.render()?).into_response())
}
