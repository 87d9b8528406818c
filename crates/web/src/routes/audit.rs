//! Nhật ký hệ thống — the audit log, for administrators.

use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use serde::{Deserialize, Serialize};
use store::Page;
use store::audit::{AuditFilter, AuditRow};

use crate::auth::CurrentUser;
use crate::extract::Q;
use crate::routes::ListOf;
use crate::views::{Chrome, datetime_vn};
use crate::{AppError, AppState};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// agency, user, session …
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub username: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
    /// Page number for the HTML view.
    pub trang: Option<i64>,
}

fn filter_of(q: &AuditQuery) -> AuditFilter {
    let non_empty = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
    AuditFilter {
        entity: non_empty(&q.entity),
        entity_id: non_empty(&q.entity_id),
        username: non_empty(&q.username),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AuditOut {
    pub id: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub summary: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub ip: Option<String>,
}

impl From<AuditRow> for AuditOut {
    fn from(r: AuditRow) -> Self {
        let parse = |s: &Option<String>| s.as_deref().and_then(|s| serde_json::from_str(s).ok());
        AuditOut {
            before: parse(&r.before_json),
            after: parse(&r.after_json),
            id: r.id,
            at: r.at,
            user_id: r.user_id,
            username: r.username,
            action: r.action,
            entity: r.entity,
            entity_id: r.entity_id,
            summary: r.summary,
            ip: r.ip,
        }
    }
}

/// The append-only audit log, newest first (administrators).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery), security(("bearer" = [])),
    responses((status = 200, body = ListOf<AuditOut>), (status = 403)))]
pub async fn api_list(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<AuditQuery>,
) -> Result<Json<ListOf<AuditOut>>, AppError> {
    let page = Page::new(q.limit, q.offset);
    let (items, total) = app::audit::list(&state, &user.principal, &filter_of(&q), page).await?;
    Ok(Json(ListOf {
        items: items.into_iter().map(AuditOut::from).collect(),
        total,
        limit: page.limit,
        offset: page.offset,
    }))
}

pub struct AuditView {
    pub row: AuditRow,
    pub when: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    rows: Vec<AuditView>,
    total: i64,
    entity: String,
    username: String,
    page: i64,
    pages: i64,
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<AuditQuery>,
) -> Result<Response, AppError> {
    const PER: i64 = 100;
    let page_no = q.trang.unwrap_or(1).max(1);
    let (rows, total) = app::audit::list(
        &state,
        &user.principal,
        &filter_of(&q),
        Page::new(Some(PER), Some((page_no - 1) * PER)),
    )
    .await?;
    let page = AuditPage {
        chrome: Chrome::new(&user, "/nhat-ky", "Nhật ký hệ thống", None),
        rows: rows
            .into_iter()
            .map(|row| AuditView {
                when: datetime_vn(&row.at),
                row,
            })
            .collect(),
        total,
        entity: q.entity.clone().unwrap_or_default(),
        username: q.username.clone().unwrap_or_default(),
        page: page_no,
        pages: ((total + PER - 1) / PER).max(1),
    };
    Ok(Html(page.render()?).into_response())
}
