//! Staff pages of the yearly inspection plans: the plans of a year with the form that
//! issues one (`/kiem-tra/ke-hoach`), and one plan with its rows and, for the body that
//! issued it, the form that carries a row out (`/kiem-tra/ke-hoach/{id}`).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

use app::inspection::{PlanInput, PlanItemInput, PlanOut, StartInput};
use domain::validate::FieldError;

use crate::auth::CurrentUser;
use crate::extract::{Q, set_flash, take_flash};
use crate::routes::parse_id;
use crate::upload::Posted;
use crate::views::Chrome;
use crate::{AppError, AppState};

/// Blank rows of the form that issues a plan.
const FORM_ROWS: usize = 12;

#[derive(Template)]
#[template(path = "inspection/plans.html")]
struct ListPage {
    chrome: Chrome,
    plans: Vec<PlanOut>,
    year: String,
    can_create: bool,
    units: Vec<(String, String)>,
    rows: Vec<usize>,
    months: Vec<u32>,
    errors: Vec<FieldError>,
    v: std::collections::HashMap<String, String>,
}

impl ListPage {
    fn val(&self, k: &str) -> String {
        crate::views::sent(&self.v, k)
    }
    fn row(&self, k: &str, i: &usize) -> String {
        self.val(&format!("{k}_{i}"))
    }
    fn row_err(&self, k: &str, i: &usize) -> String {
        self.err(&format!("{k}_{i}"))
    }
    fn err(&self, k: &str) -> String {
        crate::views::errors_of(&self.errors, k)
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    nam: Option<String>,
}

fn year_of(s: Option<&str>) -> Result<Option<i32>, AppError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        Some(y) => Ok(Some(
            y.parse::<i32>()
                .ok()
                .filter(|y| (2000..=2100).contains(y))
                .ok_or_else(|| AppError::bad("Năm không hợp lệ (ví dụ: 2026)."))?,
        )),
        None => Ok(None),
    }
}

async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    year: Option<i32>,
    errors: Vec<FieldError>,
    v: std::collections::HashMap<String, String>,
    flash: Option<String>,
) -> Result<ListPage, AppError> {
    let can_create = app::inspection::can_inspect(&user.principal);
    Ok(ListPage {
        chrome: Chrome::new(
            user,
            "/kiem-tra",
            "Kế hoạch kiểm tra công tác cải cách hành chính",
            flash,
        ),
        plans: app::inspection::plans(state, &user.principal, year).await?,
        year: year.map(|y| y.to_string()).unwrap_or_default(),
        units: if can_create {
            app::agency::choices(state, &user.principal).await?
        } else {
            Vec::new()
        },
        can_create,
        rows: (1..=FORM_ROWS).collect(),
        months: (1..=12).collect(),
        errors,
        v,
    })
}

/// `GET /kiem-tra/ke-hoach`
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Q(q): Q<ListQuery>,
) -> Result<Response, AppError> {
    let year = year_of(q.nam.as_deref())?;
    let (jar, flash) = take_flash(jar);
    let page = list_page(&state, &user, year, Vec::new(), Default::default(), flash).await?;
    Ok((jar, Html(page.render()?)).into_response())
}

/// `POST /kiem-tra/ke-hoach` — issues a plan from the form's rows (blank rows skipped;
/// a row's errors are reported on its unit).
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Posted(up): Posted,
) -> Result<Response, AppError> {
    let mut items = Vec::new();
    let mut rows = Vec::new();
    for i in 1..=FORM_ROWS {
        let target = up.field(&format!("target_{i}"));
        if target.trim().is_empty() {
            continue;
        }
        rows.push(i);
        items.push(PlanItemInput {
            target,
            subjects: up.field(&format!("subjects_{i}")),
            month: up.field(&format!("month_{i}")).trim().parse().unwrap_or(0),
        });
    }
    let input = PlanInput {
        year: up.field("year").trim().parse().unwrap_or(0),
        decision_number: up.field("decision_number"),
        decision_date: up.field("decision_date"),
        title: up.field("title"),
        items,
    };
    match app::inspection::create_plan(&state, &user, &input).await {
        Ok(p) => {
            let jar = set_flash(
                jar,
                "Đã ban hành kế hoạch kiểm tra. Triển khai từng cuộc kiểm tra khi có quyết định.",
            );
            Ok((jar, Redirect::to(&format!("/kiem-tra/ke-hoach/{}", p.id))).into_response())
        }
        Err(e) => {
            let (status, mut errors) = AppError::from(e).into_form_errors("decision_number")?;
            // items[k].x is the k-th filled row: name it by the form's row number.
            for e in &mut errors {
                if let Some(rest) = e.field.strip_prefix("items[")
                    && let Some((k, field)) = rest.split_once("].")
                    && let Some(row) = k.parse::<usize>().ok().and_then(|k| rows.get(k))
                {
                    e.field = format!("{field}_{row}");
                }
            }
            let page = list_page(&state, &user, None, errors, up.fields, None).await?;
            Ok((status, Html(page.render()?)).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "inspection/plan.html")]
struct DetailPage {
    chrome: Chrome,
    p: PlanOut,
    errors: Vec<FieldError>,
    v: std::collections::HashMap<String, String>,
}

impl DetailPage {
    fn val(&self, k: &str) -> String {
        crate::views::sent(&self.v, k)
    }
    fn err(&self, k: &str) -> String {
        crate::views::errors_of(&self.errors, k)
    }
    /// The row whose start form was sent (its form shows the errors and values).
    fn is_row(&self, id: &i64) -> bool {
        self.val("item") == id.to_string()
    }
}

/// `GET /kiem-tra/ke-hoach/{id}`
pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let p = app::inspection::plan(&state, &user.principal, parse_id(&id)?).await?;
    let (jar, flash) = take_flash(jar);
    let page = DetailPage {
        chrome: Chrome::new(&user, "/kiem-tra", p.title.clone(), flash),
        p,
        errors: Vec::new(),
        v: Default::default(),
    };
    Ok((jar, Html(page.render()?)).into_response())
}

/// `POST /kiem-tra/ke-hoach/{id}` — carries out row `item` of the plan.
pub async fn start(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    Posted(up): Posted,
) -> Result<Response, AppError> {
    let plan_id = parse_id(&id)?;
    let item = parse_id(&up.field("item"))?;
    let opt = |k: &str| Some(up.field(k)).filter(|s| !s.trim().is_empty());
    let input = StartInput {
        decision_number: up.field("decision_number"),
        decision_date: up.field("decision_date"),
        start_on: opt("start_on"),
        end_on: opt("end_on"),
        subjects: opt("subjects"),
        members: app::inspection::members_from_text(
            &up.field("truong_doan"),
            &up.field("thanh_vien"),
        ),
    };
    match app::inspection::start_item(&state, &user, item, &input).await {
        Ok(d) => {
            let jar = set_flash(
                jar,
                "Đã triển khai cuộc kiểm tra. Xem hồ sơ chuẩn bị và ghi nhận các phát hiện.",
            );
            Ok((jar, Redirect::to(&format!("/kiem-tra/{}", d.inspection.id))).into_response())
        }
        Err(e) => {
            let (status, errors) = AppError::from(e).into_form_errors("form")?;
            let p = app::inspection::plan(&state, &user.principal, plan_id).await?;
            let page = DetailPage {
                chrome: Chrome::new(&user, "/kiem-tra", p.title.clone(), None),
                p,
                errors,
                v: up.fields,
            };
            Ok((status, Html(page.render()?)).into_response())
        }
    }
}
