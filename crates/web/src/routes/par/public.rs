//! `/cong-khai/chi-so-cchc` — the published ranking on the public portal: after the
//! decision, anyone (signed in or not) sees each kind of unit ranked by its index.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};

use app::par::RankItem;

use crate::auth::MaybeUser;
use crate::extract::Q;
use crate::views::Chrome;
use crate::{AppError, AppState};

#[derive(Template)]
#[template(path = "par/public.html")]
struct PublicPage {
    chrome: Chrome,
    year: i32,
    decision: String,
    published: String,
    demo: bool,
    years: Vec<(i64, i32)>,
    round_id: i64,
    kinds: Vec<(String, String)>,
    rows: Vec<RankItem>,
}

#[derive(Debug, serde::Deserialize, Default)]
pub struct PublicQuery {
    /// Round id; default the newest published.
    pub ky: Option<i64>,
}

/// `GET /cong-khai/chi-so-cchc?ky=`
pub async fn ranking(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Q(q): Q<PublicQuery>,
) -> Result<Response, AppError> {
    let published = app::par::published_rounds(&state).await?;
    let round_id = match q.ky {
        Some(id) => id,
        None => published.first().map(|r| r.0).ok_or(AppError::NotFound)?,
    };
    let (round, rows) = app::par::public_ranking(&state, round_id, None).await?;
    let mut kinds: Vec<(String, String)> = Vec::new();
    for r in &rows {
        if !kinds.iter().any(|k| k.0 == r.unit_kind) {
            kinds.push((r.unit_kind.clone(), super::kind_label(&r.unit_kind).into()));
        }
    }
    let title = format!("Chỉ số cải cách hành chính năm {}", round.year);
    let chrome = match &user {
        Some(u) => Chrome::new(u, "/chi-so-cchc", title, None),
        None => Chrome::public(title, String::new()),
    };
    let page = PublicPage {
        chrome,
        year: round.year,
        decision: round.decision.clone().unwrap_or_default(),
        published: round
            .published_at
            .map(|t| crate::views::datetime_vn(&t))
            .unwrap_or_default(),
        demo: round.demo,
        years: published,
        round_id,
        kinds,
        rows,
    };
    Ok(Html(page.render()?).into_response())
}
