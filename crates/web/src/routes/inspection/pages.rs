//! Staff pages of inspections: the list with the form that records an inspection
//! (`/kiem-tra`), and one inspection with its team, findings and their remediation, and
//! the forms of the steps the caller may take (`/kiem-tra/{id}`): add a finding, issue the
//! conclusion (a draft written from the findings, editable), close.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

use app::inspection::{InspectionDetail, InspectionInput, InspectionOut};
use domain::inspection::{FINDING_KINDS, InspectionStatus};
use domain::validate::FieldError;

use crate::auth::CurrentUser;
use crate::extract::{FLASH_ERROR_MARK, Q, set_flash, take_flash};
use crate::routes::parse_id;
use crate::upload::Posted;
use crate::views::Chrome;
use crate::{AppError, AppState};

#[derive(Template)]
#[template(path = "inspection/list.html")]
struct ListPage {
    chrome: Chrome,
    items: Vec<InspectionOut>,
    total: i64,
    year: String,
    can_create: bool,
    units: Vec<(String, String)>,
    errors: Vec<FieldError>,
    v: std::collections::HashMap<String, String>,
}

impl ListPage {
    fn val(&self, k: &str) -> String {
        crate::views::sent(&self.v, k)
    }
    fn err(&self, k: &str) -> String {
        crate::views::errors_of(&self.errors, k)
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    nam: Option<String>,
    /// The inspected unit's code.
    unit: Option<String>,
}

async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    year: Option<i32>,
    unit: Option<&str>,
    errors: Vec<FieldError>,
    v: std::collections::HashMap<String, String>,
    flash: Option<String>,
) -> Result<ListPage, AppError> {
    let (items, total) = app::inspection::list(
        state,
        &user.principal,
        year,
        unit,
        None,
        store::Page::new(Some(200), None),
    )
    .await?;
    let can_create = app::inspection::can_inspect(&user.principal);
    Ok(ListPage {
        chrome: Chrome::new(
            user,
            "/kiem-tra",
            "Kiểm tra công tác cải cách hành chính",
            flash,
        ),
        items,
        total,
        year: year.map(|y| y.to_string()).unwrap_or_default(),
        units: if can_create {
            app::agency::choices(state, &user.principal).await?
        } else {
            Vec::new()
        },
        can_create,
        errors,
        v,
    })
}

/// `GET /kiem-tra`
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Q(q): Q<ListQuery>,
) -> Result<Response, AppError> {
    let year = match q.nam.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(y) => Some(
            y.parse::<i32>()
                .ok()
                .filter(|y| (2000..=2100).contains(y))
                .ok_or_else(|| AppError::bad("Năm không hợp lệ (ví dụ: 2026)."))?,
        ),
        None => None,
    };
    let (jar, flash) = take_flash(jar);
    let page = list_page(
        &state,
        &user,
        year,
        q.unit.as_deref(),
        Vec::new(),
        Default::default(),
        flash,
    )
    .await?;
    Ok((jar, Html(page.render()?)).into_response())
}

/// `POST /kiem-tra` — records an inspection from the page's form.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Posted(up): Posted,
) -> Result<Response, AppError> {
    let opt = |k: &str| Some(up.field(k)).filter(|s| !s.trim().is_empty());
    let members =
        app::inspection::members_from_text(&up.field("truong_doan"), &up.field("thanh_vien"));
    let input = InspectionInput {
        kind: up.field("kind"),
        decision_number: up.field("decision_number"),
        decision_date: up.field("decision_date"),
        target: up.field("target"),
        subjects: up.field("subjects"),
        planned_month: opt("planned_month").and_then(|m| m.trim().parse().ok()),
        start_on: opt("start_on"),
        end_on: opt("end_on"),
        members,
    };
    match app::inspection::create(&state, &user, &input).await {
        Ok(d) => {
            let jar = set_flash(
                jar,
                "Đã lập cuộc kiểm tra. Ghi nhận các phát hiện khi kiểm tra.",
            );
            Ok((jar, Redirect::to(&format!("/kiem-tra/{}", d.inspection.id))).into_response())
        }
        Err(e) => {
            let (status, errors) = AppError::from(e).into_form_errors("decision_number")?;
            let page = list_page(&state, &user, None, None, errors, up.fields, None).await?;
            Ok((status, Html(page.render()?)).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "inspection/detail.html")]
struct DetailPage {
    chrome: Chrome,
    d: InspectionDetail,
    works_on: bool,
    can_inspect: bool,
    takes_findings: bool,
    concluded: bool,
    draft: String,
    kinds: Vec<(&'static str, &'static str)>,
}

async fn detail_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    flash: Option<String>,
) -> Result<DetailPage, AppError> {
    let d = app::inspection::detail(state, &user.principal, id).await?;
    let status = InspectionStatus::parse(&d.inspection.status);
    Ok(DetailPage {
        chrome: Chrome::new(
            user,
            "/kiem-tra",
            format!("Kiểm tra tại {}", d.inspection.target_name),
            flash,
        ),
        works_on: d.works_on,
        can_inspect: d.leads,
        takes_findings: status.is_some_and(InspectionStatus::takes_findings),
        concluded: status == Some(InspectionStatus::Concluded),
        draft: app::inspection::draft_conclusion(&d),
        kinds: FINDING_KINDS.to_vec(),
        d,
    })
}

/// `GET /kiem-tra/{id}`
pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let (jar, flash) = take_flash(jar);
    let page = detail_page(&state, &user, id, flash).await?;
    Ok((jar, Html(page.render()?)).into_response())
}

/// `POST /kiem-tra/{id}/thao-tac` — `action` = finding | conclude | close.
pub async fn action(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    Posted(up): Posted,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let opt = |k: &str| Some(up.field(k)).filter(|s| !s.trim().is_empty());
    let (r, ok) = match up.field("action").as_str() {
        "finding" => (
            app::inspection::add_finding_with_files(
                &state,
                &user,
                id,
                &app::inspection::FindingInput {
                    kind: up.field("kind"),
                    content: up.field("content"),
                    responsible: opt("responsible"),
                    responsible_person: opt("responsible_person"),
                    remediation: matches!(up.field("remediation").as_str(), "1" | "on"),
                    deadline: opt("deadline"),
                },
                up.files.clone(),
            )
            .await,
            "Đã ghi nhận phát hiện.",
        ),
        "conclude" => (
            app::inspection::conclude(
                &state,
                &user,
                id,
                &app::inspection::ConclusionInput {
                    number: up.field("number"),
                    date: up.field("date"),
                    text: up.field("text"),
                },
            )
            .await,
            "Đã ban hành thông báo kết luận; các nhiệm vụ khắc phục đã được giao cho đơn vị.",
        ),
        "close" => (
            app::inspection::close(&state, &user, id).await,
            "Đã kết thúc cuộc kiểm tra.",
        ),
        _ => return Err(AppError::bad("Thao tác không hợp lệ.")),
    };
    match r {
        Ok(_) => {
            let jar = set_flash(jar, ok);
            Ok((jar, Redirect::to(&format!("/kiem-tra/{id}"))).into_response())
        }
        Err(e) => {
            let (status, errors) = AppError::from(e).into_form_errors("form")?;
            let msg = errors
                .iter()
                .map(|e| e.message.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let page =
                detail_page(&state, &user, id, Some(format!("{FLASH_ERROR_MARK}{msg}"))).await?;
            Ok((status, Html(page.render()?)).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "inspection/brief.html")]
struct BriefPage {
    chrome: Chrome,
    id: i64,
    b: app::inspection::Brief,
}

/// `GET /kiem-tra/{id}/ho-so-chuan-bi` — the team's brief before going to the unit.
pub async fn brief(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let b = app::inspection::brief(&state, &user.principal, id).await?;
    let page = BriefPage {
        chrome: Chrome::new(
            &user,
            "/kiem-tra",
            format!("Hồ sơ chuẩn bị kiểm tra tại {}", b.unit_name),
            None,
        ),
        id,
        b,
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    format: Option<String>,
}

/// `GET /kiem-tra/{id}/ket-luan[?format=pdf]` — the conclusion notice as a paper: the
/// issued one, or the draft from the findings so far.
pub async fn notice(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Q(q): Q<NoticeQuery>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let doc = app::inspection::notice(&state, &user.principal, id).await?;
    if q.format.as_deref() == Some("pdf") {
        let bytes = reports::to_pdf(&doc).map_err(|e| AppError::Internal(format!("pdf: {e}")))?;
        let name = format!("thong-bao-ket-luan-kiem-tra-{id}.pdf");
        return Ok((
            [
                (
                    axum::http::header::CONTENT_TYPE,
                    "application/pdf".to_string(),
                ),
                (
                    axum::http::header::CONTENT_DISPOSITION,
                    crate::routes::file::disposition("inline", &name),
                ),
            ],
            bytes,
        )
            .into_response());
    }
    Ok(Html(reports::to_html(&doc)).into_response())
}
