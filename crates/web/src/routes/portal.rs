//! Cổng công khai (`/cong-khai`): the one public page that gathers what the province
//! publishes — procedure search, dossier look-up, sending and following feedback, the
//! latest published answers, the 766 ranking of the last complete month and the published
//! PAR INDEX ranking — each leading to its own page. No account, phone-friendly, no personal data.

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
    /// The 766 rankings of the last complete month: (kind code, label, first three).
    ranks_766: Vec<(String, String, Vec<app::indicator::public::PublicRankEntry>)>,
    period_766: String,
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
    let today = domain::time::today();
    let mut ranks_766 = Vec::new();
    let mut period_766 = String::new();
    for kind in ["so_nganh", "ubnd_xa"] {
        let r = app::indicator::public::public_ranking(&state, None, Some(kind), today).await?;
        period_766 = r.period_label.clone();
        if r.kinds.iter().any(|k| k.0 == kind) {
            let first: Vec<_> = r
                .units
                .iter()
                .filter(|u| u.rank.is_some_and(|k| k <= 3))
                .cloned()
                .collect();
            ranks_766.push((kind.to_string(), r.kind_label.clone(), first));
        }
    }
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
        ranks_766,
        period_766,
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Template)]
#[template(path = "portal_766.html")]
struct RankingPage {
    chrome: Chrome,
    r: std::sync::Arc<app::indicator::public::PublicRanking>,
    /// The period is one of the months offered in the choice.
    listed: bool,
}

#[derive(Debug, serde::Deserialize, Default)]
pub struct RankingQuery {
    /// The period (11/2026, 2026-11, Q3/2026…); default the last complete month.
    pub ky: Option<String>,
    /// so_nganh (default), ubnd_huyen or ubnd_xa.
    pub loai: Option<String>,
}

/// `GET /cong-khai/chi-so-766?ky=&loai=` — the 766 ranking of a period that is over.
pub async fn ranking_766(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    crate::extract::Q(q): crate::extract::Q<RankingQuery>,
) -> Result<Response, AppError> {
    let r = app::indicator::public::public_ranking(
        &state,
        q.ky.as_deref(),
        q.loai.as_deref(),
        domain::time::today(),
    )
    .await?;
    let title = "Chỉ số phục vụ người dân, doanh nghiệp (Bộ chỉ số 766)";
    let chrome = match &user {
        Some(u) => Chrome::new(u, "/cong-khai", title, None),
        None => Chrome::public(title, String::new()),
    };
    let listed = r.months.iter().any(|m| m.0 == r.period);
    Ok(Html(RankingPage { chrome, r, listed }.render()?).into_response())
}
