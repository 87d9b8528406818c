//! The criteria-set editor of the Sở Nội vụ (`/chi-so-cchc/bo-tieu-chi/{id}/sua`): the
//! set as an editable table, one row per lĩnh vực, tiêu chí and tiêu chí thành phần, with
//! empty rows to add items and a box to delete one. Saving calls
//! [`app::par::edit_set`], which stores a new version; a refused form comes back with
//! what was typed and the rows at fault marked.

use std::collections::HashSet;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;

use app::par::{SetDetail, TableMeta};
use domain::par::table::HEADER;

use crate::auth::CurrentUser;
use crate::extract::set_flash;
use crate::routes::parse_id;
use crate::upload::{Posted, Upload};
use crate::views::Chrome;
use crate::{AppError, AppState};

/// Empty rows offered under the set's own for new items.
const SPARE_ROWS: usize = 8;
/// Most rows the form takes (a provincial set has one to two hundred).
const MAX_ROWS: usize = 600;

/// One row of the editor.
pub struct EditRow {
    /// Its number on the page, as the messages name it.
    pub no: usize,
    pub cells: Vec<String>,
    /// Depth from its code, for the indent.
    pub depth: usize,
    pub deleted: bool,
    pub invalid: bool,
}

impl EditRow {
    pub fn cell(&self, i: usize) -> &str {
        self.cells.get(i).map_or("", String::as_str)
    }
}

#[derive(Template)]
#[template(path = "par/editor.html")]
struct EditorPage {
    chrome: Chrome,
    id: i64,
    version: i32,
    demo: bool,
    meta: TableMeta,
    sum_parents: bool,
    rows: Vec<EditRow>,
    errors: Vec<String>,
    sources: Vec<&'static str>,
    metrics: Vec<(String, &'static str)>,
    kinds: Vec<(&'static str, &'static str)>,
}

fn depth(code: &str) -> usize {
    code.trim().trim_end_matches('.').matches('.').count()
}

fn page(
    user: &CurrentUser,
    s: &SetDetail,
    meta: TableMeta,
    sum_parents: bool,
    rows: Vec<EditRow>,
    errors: Vec<String>,
) -> EditorPage {
    EditorPage {
        chrome: Chrome::new(
            user,
            "/chi-so-cchc",
            format!("Sửa bộ tiêu chí {}", s.summary.code),
            None,
        ),
        id: s.summary.id,
        version: s.summary.version,
        demo: s.summary.demo,
        meta,
        sum_parents,
        rows,
        errors,
        sources: vec![
            domain::par::Source::SelfAssessed.label(),
            domain::par::Source::Survey.label(),
            domain::par::Source::Computed.label(),
        ],
        metrics: domain::par::Metric::ALL
            .into_iter()
            .map(|m| {
                let code = serde_json::to_value(m)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default();
                (code, m.label())
            })
            .collect(),
        kinds: domain::par::UnitKind::ALL
            .into_iter()
            .map(|k| (k.code(), k.label()))
            .collect(),
    }
}

fn spare(from: usize) -> impl Iterator<Item = EditRow> {
    (from..from + SPARE_ROWS).map(|no| EditRow {
        no,
        cells: vec![String::new(); HEADER.len()],
        depth: 0,
        deleted: false,
        invalid: false,
    })
}

/// `GET /chi-so-cchc/bo-tieu-chi/{id}/sua`
pub async fn form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (s, cells) = app::par::editable_set(&state, &user, parse_id(&id)?).await?;
    let mut rows: Vec<EditRow> = cells
        .into_iter()
        .enumerate()
        .map(|(i, cells)| EditRow {
            no: i + 1,
            depth: depth(&cells[0]),
            cells,
            deleted: false,
            invalid: false,
        })
        .collect();
    rows.extend(spare(rows.len() + 1));
    let meta = TableMeta {
        code: s.summary.code.clone(),
        title: s.summary.title.clone(),
        unit_kind: s.summary.unit_kind.clone(),
        applies_from_year: s.summary.applies_from_year.to_string(),
        decision: s.summary.decision.clone(),
        decision_date: s.summary.decision_date.as_deref().map(|d| {
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_or_else(|_| d.to_string(), |x| x.format("%d/%m/%Y").to_string())
        }),
        issuer: s.summary.issuer.clone(),
        source: s.summary.source.clone(),
        survey_points: s.summary.survey_points.map(|p| p.vn()),
    };
    Ok(Html(page(&user, &s, meta, true, rows, Vec::new()).render()?).into_response())
}

/// The rows as posted: `n` rows of cells `r{i}_{col}`, `r{i}_del` to delete.
fn posted_rows(up: &Upload) -> Result<Vec<EditRow>, AppError> {
    let n: usize = up.field("n").trim().parse().unwrap_or(0);
    if n > MAX_ROWS {
        return Err(AppError::bad(format!(
            "Bộ tiêu chí có tối đa {MAX_ROWS} dòng."
        )));
    }
    Ok((1..=n)
        .map(|no| {
            let cells: Vec<String> = (0..HEADER.len())
                .map(|c| up.field(&format!("r{no}_{c}")).trim().to_string())
                .collect();
            EditRow {
                no,
                depth: depth(&cells[0]),
                cells,
                deleted: matches!(up.field(&format!("r{no}_del")).as_str(), "1" | "on"),
                invalid: false,
            }
        })
        .collect())
}

/// `POST /chi-so-cchc/bo-tieu-chi/{id}/sua` — saves the table as a new version.
pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    Posted(up): Posted,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let mut rows = posted_rows(&up)?;
    let meta = super::pages::table_meta(&up);
    let sum_parents = matches!(up.field("sum_parents").as_str(), "1" | "on");
    let kept = rows
        .iter()
        .filter(|r| !r.deleted)
        .map(|r| (r.no, r.cells.clone()))
        .collect();
    match app::par::edit_set(&state, &user, id, &meta, kept, sum_parents).await {
        Ok(s) => Ok((
            set_flash(
                jar,
                &format!(
                    "Đã lưu bộ tiêu chí {} thành phiên bản {}. Kỳ chấm điểm đã mở vẫn dùng phiên bản cũ.",
                    s.summary.code, s.summary.version
                ),
            ),
            Redirect::to(&format!("/chi-so-cchc/bo-tieu-chi/{}", s.summary.id)),
        )
            .into_response()),
        Err(app::ServiceError::Invalid(errs)) => {
            let bad: HashSet<usize> = errs
                .iter()
                .filter_map(|e| e.field.strip_prefix("line.")?.parse().ok())
                .collect();
            for r in &mut rows {
                r.invalid = bad.contains(&r.no);
            }
            let last = rows.iter().map(|r| r.no).max().unwrap_or(0);
            if rows.iter().rev().take(2).any(|r| r.cells.iter().any(|c| !c.is_empty())) {
                rows.extend(spare(last + 1));
            }
            let s = app::par::get_set(&state, id).await?;
            let errors = errs.into_iter().map(|e| e.message).collect();
            let p = page(&user, &s, meta, sum_parents, rows, errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(p.render()?)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
