//! `GET /tim-kiem?q=` — one search box across directives, tasks, procedures and dossiers
//! for signed-in users (app::search).

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::extract::Q;
use crate::views::Chrome;
use crate::{AppError, AppState};

pub struct GroupView {
    pub label: &'static str,
    pub total: i64,
    pub hits: Vec<app::search::Hit>,
    pub more_href: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    chrome: Chrome,
    q: String,
    groups: Vec<GroupView>,
    found: i64,
}

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    q: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<SearchQuery>,
) -> Result<Response, AppError> {
    let q = q.q.unwrap_or_default().trim().to_string();
    let groups = app::search::everywhere(&state, &user.principal, &q).await?;
    let enc = serde_urlencoded::to_string([("q", q.as_str())]).unwrap_or_default();
    let groups: Vec<GroupView> = groups
        .into_iter()
        .map(|g| GroupView {
            label: g.label,
            total: g.total,
            hits: g.hits,
            more_href: format!("{}?{enc}", g.more_path),
        })
        .collect();
    let page = SearchPage {
        chrome: Chrome::new(&user, "/tim-kiem", "Tìm kiếm", None),
        found: groups.iter().map(|g| g.total).sum(),
        q,
        groups,
    };
    Ok(Html(page.render()?).into_response())
}
