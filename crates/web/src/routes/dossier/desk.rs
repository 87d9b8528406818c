//! The one-stop desk's pages: its home (`/mot-cua`, the home page of desk clerks) with the
//! dossiers waiting for it today, and the intake form's checklist of the procedure's
//! published documents (`/ho-so/thanh-phan`).

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use chrono::Utc;
use serde::Deserialize;

use super::api::DossierOut;
use crate::auth::CurrentUser;
use crate::extract::{Q, take_flash};
use crate::views::Chrome;
use crate::{AppError, AppState};

pub struct DeskCard {
    pub key: &'static str,
    pub title: &'static str,
    pub hint: &'static str,
    pub total: i64,
    pub rows: Vec<DossierOut>,
    pub href: String,
}

#[derive(Template)]
#[template(path = "dossier/desk.html")]
struct DeskPage {
    chrome: Chrome,
    desk_name: String,
    can_receive: bool,
    cards: Vec<DeskCard>,
}

/// `GET /mot-cua` — what waits for the desk: online dossiers to receive, results to
/// return, dossiers near or past their deadline, and those waiting for the applicant.
pub async fn home(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
) -> Result<Response, AppError> {
    let (jar, flash) = take_flash(jar);
    let page = render(&state, &user, "/mot-cua", flash).await?;
    Ok((jar, page).into_response())
}

/// The desk's home, also served at `/` for desk clerks.
pub async fn render(
    state: &AppState,
    user: &CurrentUser,
    path: &str,
    flash: Option<String>,
) -> Result<Html<String>, AppError> {
    let now = Utc::now();
    let lists = app::dossier::guide::desk_home(state, &user.principal, now).await?;
    let page = DeskPage {
        chrome: Chrome::new(user, path, "Quầy một cửa", flash),
        desk_name: user.agency_name.clone(),
        can_receive: user.principal.has(domain::org::Role::MotCua) || user.principal.is_admin(),
        cards: lists
            .into_iter()
            .map(|l| DeskCard {
                key: l.key,
                title: l.title,
                hint: l.hint,
                total: l.total,
                rows: l.rows.iter().map(|d| DossierOut::of(d, now)).collect(),
                href: l.href,
            })
            .collect(),
    };
    Ok(Html(page.render()?))
}

#[derive(Template)]
#[template(path = "dossier/checklist.html")]
pub struct ChecklistFragment {
    pub groups: Vec<domain::procedure::documents::DocGroup>,
    pub ticked: Vec<u32>,
    /// The procedure was found (else the clerk is asked to choose one).
    pub known: bool,
}

impl ChecklistFragment {
    pub fn is_ticked(&self, seq: &u32) -> bool {
        self.ticked.contains(seq)
    }
}

#[derive(Deserialize, Default)]
pub struct ChecklistQuery {
    tthc: Option<String>,
}

/// `GET /ho-so/thanh-phan?tthc=` — the checklist of the procedure chosen on the intake
/// form (loaded when the procedure changes).
pub async fn checklist(
    State(state): State<AppState>,
    _user: CurrentUser,
    Q(q): Q<ChecklistQuery>,
) -> Result<Response, AppError> {
    let tthc = q.tthc.unwrap_or_default();
    let list = app::dossier::guide::checklist(&state, &tthc).await?;
    let f = ChecklistFragment {
        groups: domain::procedure::documents::groups(list.as_deref().unwrap_or_default()),
        ticked: Vec::new(),
        known: list.is_some(),
    };
    Ok(Html(f.render()?).into_response())
}
