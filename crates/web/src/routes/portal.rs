//! Cổng công khai (`/cong-khai`): the one public page that gathers what the province
//! publishes — procedure search, dossier look-up, sending and following feedback, the
//! latest published answers and the published PAR INDEX ranking — each leading to its own
//! page. No account, phone-friendly, no personal data.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};

use crate::auth::MaybeUser;
use crate::views::Chrome;
use crate::{AppError, AppState};

#[derive(Template)]
#[template(path = "portal.html")]
struct PortalPage {
    chrome: Chrome,
    answers: Vec<store::feedback::PublishedRow>,
    answers_total: i64,
    /// The latest published PAR INDEX round: (id, year) and its first units per kind.
    par: Option<(i64, i32)>,
    top: Vec<app::par::RankItem>,
}

/// `GET /cong-khai`
pub async fn portal(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
) -> Result<Response, AppError> {
    let (answers, answers_total) =
        app::feedback::published(&state, None, store::Page::new(Some(5), None)).await?;
    let par = app::par::published_rounds(&state).await?.into_iter().next();
    let top = match par {
        Some((id, _)) => {
            let (_, rows) = app::par::public_ranking(&state, id, None).await?;
            rows.into_iter().filter(|r| r.rank <= 3).collect()
        }
        None => Vec::new(),
    };
    let title = "Cổng thông tin cải cách hành chính";
    let chrome = match &user {
        Some(u) => Chrome::new(u, "/cong-khai", title, None),
        None => Chrome::public(title, String::new()),
    };
    let page = PortalPage {
        chrome,
        answers,
        answers_total,
        par,
        top,
    };
    Ok(Html(page.render()?).into_response())
}
