//! Pages: the public catalog search and procedure page (no login, phone-friendly), and for
//! catalog managers the import with preview, the process editor, publication decisions
//! and the monthly statistics.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use chrono::Datelike;
use domain::procedure::ProcedureLevel;
use domain::procedure::process::{STEP_ROLES, StepDraft, format_working};
use store::Page;
use store::procedure::Procedure;

use super::api::{
    ImportOut, ProcedureQuery, VersionBody, VersionOut, costs_out, filter_of, run_import,
    version_out,
};
use super::{ProcedureOut, StepOut, can_manage, ensure_manager, find, minutes_of, per_day, policy};
use crate::auth::{CurrentUser, MaybeUser};
use crate::extract::{PageForm, Q, set_flash, take_flash};
use crate::views::{Chrome, date_vn, int_vn};
use crate::{AppError, AppState};

const PAGE_SIZE: i64 = 20;

fn chrome(user: &Option<CurrentUser>, title: &str, flash: Option<String>) -> Chrome {
    match user {
        Some(u) => Chrome::new(u, "/thu-tuc", title, flash),
        None => {
            let mut c = Chrome::public(title, String::new());
            c.flash = flash;
            c
        }
    }
}

#[derive(Template)]
#[template(path = "procedure/list.html")]
struct ListPage {
    chrome: Chrome,
    items: Vec<ProcedureOut>,
    total: i64,
    q: String,
    field: String,
    level: String,
    fields: Vec<String>,
    levels: Vec<(&'static str, &'static str)>,
    page: i64,
    pages: i64,
    prev_url: Option<String>,
    next_url: Option<String>,
    manager: bool,
}

#[derive(serde::Deserialize, Default)]
pub struct ListParams {
    q: Option<String>,
    field: Option<String>,
    level: Option<String>,
    trang: Option<String>,
}

fn page_url(p: &ListParams, page: i64) -> String {
    let pairs = [
        ("q", p.q.clone().unwrap_or_default()),
        ("field", p.field.clone().unwrap_or_default()),
        ("level", p.level.clone().unwrap_or_default()),
        ("trang", page.to_string()),
    ];
    format!(
        "/thu-tuc?{}",
        serde_urlencoded::to_string(
            pairs
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .collect::<Vec<_>>()
        )
        .unwrap_or_default()
    )
}

/// `GET /thu-tuc` — public search of the catalog.
pub async fn list(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    jar: CookieJar,
    Q(params): Q<ListParams>,
) -> Result<Response, AppError> {
    let manager = user.as_ref().is_some_and(|u| can_manage(&u.principal));
    let page: i64 = match params.trang.as_deref().map(str::trim) {
        None | Some("") => 1,
        Some(s) => s
            .parse()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| AppError::bad("Số trang không hợp lệ."))?,
    };
    let query = ProcedureQuery {
        q: params.q.clone(),
        field: params.field.clone(),
        level: params.level.clone(),
        online_level: None,
        active: None,
        limit: None,
        offset: None,
    };
    let filter = filter_of(&query)?;
    let offset = (page - 1).saturating_mul(PAGE_SIZE);
    let (items, total) = super::list(
        &state,
        user.as_ref().map(|u| &u.principal),
        filter,
        Page::new(Some(PAGE_SIZE), Some(offset)),
    )
    .await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let (jar, flash) = take_flash(jar);
    let view = ListPage {
        chrome: chrome(&user, "Tra cứu thủ tục hành chính", flash),
        items: items.iter().map(ProcedureOut::from).collect(),
        total,
        q: params.q.clone().unwrap_or_default(),
        field: params.field.clone().unwrap_or_default(),
        level: params.level.clone().unwrap_or_default(),
        fields: super::fields(&state).await?,
        levels: ProcedureLevel::ALL
            .iter()
            .map(|l| (l.code(), l.label()))
            .collect(),
        page,
        pages,
        prev_url: (page > 1).then(|| page_url(&params, page - 1)),
        next_url: (page < pages).then(|| page_url(&params, page + 1)),
        manager,
    };
    Ok((jar, Html(view.render()?)).into_response())
}

pub struct CostRow {
    pub label: &'static str,
    pub per_dossier: String,
    pub annual: String,
}

#[derive(Template)]
#[template(path = "procedure/detail.html")]
struct DetailPage {
    chrome: Chrome,
    p: ProcedureOut,
    legal: String,
    online: String,
    steps: Vec<StepOut>,
    steps_total: String,
    versions: Vec<(VersionOut, String, String, String)>,
    costs: Vec<CostRow>,
    reduction: Option<String>,
    /// Whether the cut reaches the 20% of CV 6486/UBND-KSTT.
    meets_target: Option<bool>,
    cost_form: super::cost::CostForm,
    manager: bool,
    kinds: Vec<(&'static str, &'static str)>,
    source_url: Option<String>,
    /// The source as a reader needs it: the publication page, not the archive copy.
    source_label: String,
    /// The documents by case (thành phần hồ sơ).
    doc_groups: Vec<domain::procedure::documents::DocGroup>,
    /// The default process a dossier follows while no internal process is entered.
    default_process: String,
}

/// The procedure page; `cost_form` carries a rejected cost form back with its errors.
pub(super) async fn detail_page(
    state: &AppState,
    user: &Option<CurrentUser>,
    p: &Procedure,
    flash: Option<String>,
    cost_form: Option<super::cost::CostForm>,
) -> Result<String, AppError> {
    let hours = policy().hours;
    let (legal, online) = minutes_of(p);
    let v = super::view(state, p.id).await?;
    let steps = v.steps;
    let total: i64 = steps.iter().map(|s| i64::from(s.minutes)).sum();
    let versions: Vec<VersionOut> = v.versions.into_iter().map(version_out).collect();
    let costs = costs_out(&v.costs);
    let cost_form = match cost_form {
        Some(f) => f,
        None => super::cost::CostForm::from_sheets(&v.costs),
    };
    let cost_rows = store::procedure::COST_PHASES
        .iter()
        .map(|(code, label)| {
            let s = costs.sheets.iter().find(|s| s.phase == *code);
            let money = |v: Option<u64>| {
                v.map(|v| format!("{} đồng", int_vn(i64::try_from(v).unwrap_or(i64::MAX))))
                    .unwrap_or_else(|| "—".into())
            };
            CostRow {
                label,
                per_dossier: money(s.and_then(|s| s.per_dossier_vnd)),
                annual: money(s.and_then(|s| s.annual_vnd)),
            }
        })
        .collect();
    let view = DetailPage {
        chrome: chrome(user, &p.name, flash),
        legal: legal
            .map(|m| format_working(m, per_day(&hours)))
            .unwrap_or_else(|| "không tính theo ngày làm việc".into()),
        online: online
            .map(|m| format_working(m, per_day(&hours)))
            .unwrap_or_default(),
        steps_total: format_working(total, per_day(&hours)),
        steps: steps.iter().map(StepOut::from).collect(),
        versions: versions
            .into_iter()
            .map(|v| {
                let p = match v.punctuality.as_str() {
                    "on_time" => "Đúng hạn",
                    "late" => "Chậm",
                    _ => "Chưa xác định",
                }
                .to_string();
                let (d, e) = (date_vn(&v.decision_date), date_vn(&v.effective_date));
                (v, d, e, p)
            })
            .collect(),
        costs: cost_rows,
        reduction: costs
            .reduction_percent
            .map(|r| format!("{:.1}", r).replace('.', ",")),
        meets_target: costs.meets_target,
        cost_form,
        manager: user.as_ref().is_some_and(|u| can_manage(&u.principal)),
        kinds: domain::procedure::publication::DecisionKind::ALL
            .iter()
            .map(|k| (k.code(), k.label()))
            .collect(),
        source_url: p
            .source
            .split_whitespace()
            .next()
            .filter(|s| s.starts_with("http"))
            .map(str::to_string),
        source_label: p
            .source
            .split(" (bản lưu")
            .next()
            .unwrap_or_default()
            .trim()
            .to_string(),
        doc_groups: domain::procedure::documents::groups(&domain::procedure::documents::parse(
            &p.documents,
        )),
        default_process: domain::procedure::process::default_process(legal.unwrap_or(480))
            .iter()
            .map(|s| {
                format!(
                    "{} ({})",
                    s.name,
                    domain::procedure::process::role_label(&s.role).to_lowercase()
                )
            })
            .collect::<Vec<_>>()
            .join(" → "),
        p: ProcedureOut::from(p),
    };
    Ok(view.render()?)
}

/// `GET /thu-tuc/{code}` — public page of one procedure.
pub async fn detail(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    jar: CookieJar,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let p = super::visible(&state, user.as_ref().map(|u| &u.principal), &code).await?;
    let (jar, flash) = take_flash(jar);
    let html = detail_page(&state, &user, &p, flash, None).await?;
    Ok((jar, Html(html)).into_response())
}

fn back_to(p: &Procedure) -> String {
    format!("/thu-tuc/{}", p.code)
}

/// `POST /thu-tuc/{code}/quyet-dinh` — record a publication decision.
pub async fn post_version(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(code): Path<String>,
    PageForm(form): PageForm<VersionBody>,
) -> Result<Response, AppError> {
    ensure_manager(&user.principal)?;
    let p = find(&state.db, &code).await?;
    match form.check() {
        Ok(input) => {
            app::procedure::add_version(&state, &user, p.id, &input).await?;
            let jar = set_flash(jar, "Đã ghi quyết định công bố.");
            Ok((jar, Redirect::to(&back_to(&p))).into_response())
        }
        Err(errors) => {
            let msg = errors
                .iter()
                .map(|e| e.message.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let html = detail_page(
                &state,
                &Some(user),
                &p,
                Some(format!("Chưa ghi được quyết định: {msg}")),
                None,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "procedure/steps.html")]
struct StepsPage {
    chrome: Chrome,
    p: ProcedureOut,
    rows: Vec<StepDraft>,
    roles: Vec<(&'static str, &'static str)>,
    legal: String,
    legal_minutes: String,
    online_minutes: String,
    errors: Vec<String>,
}

async fn steps_page(
    user: &CurrentUser,
    p: &Procedure,
    mut rows: Vec<StepDraft>,
    online: String,
    errors: Vec<String>,
) -> Result<String, AppError> {
    let (legal, _) = minutes_of(p);
    while rows.len() < 6 {
        rows.push(StepDraft {
            name: String::new(),
            role: String::new(),
            agency_id: None,
            minutes: 0,
        });
    }
    let view = StepsPage {
        chrome: Chrome::new(
            user,
            "/thu-tuc",
            format!("Quy trình nội bộ – {}", p.code),
            None,
        ),
        p: ProcedureOut::from(p),
        rows,
        roles: STEP_ROLES.to_vec(),
        legal: legal
            .map(|m| format_working(m, per_day(&policy().hours)))
            .unwrap_or_else(|| "không tính theo ngày làm việc".into()),
        legal_minutes: legal.map(|m| m.to_string()).unwrap_or_default(),
        online_minutes: online,
        errors,
    };
    Ok(view.render()?)
}

/// `GET /thu-tuc/{code}/quy-trinh` — the process editor.
pub async fn steps_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    ensure_manager(&user.principal)?;
    let p = find(&state.db, &code).await?;
    let rows = super::steps(&state, p.id)
        .await?
        .into_iter()
        .map(|s| StepDraft {
            name: s.name,
            role: s.role,
            agency_id: s.agency_id,
            minutes: i64::from(s.minutes),
        })
        .collect();
    let online = p
        .online_limit_minutes
        .map(|m| m.to_string())
        .unwrap_or_default();
    Ok(Html(steps_page(&user, &p, rows, online, Vec::new()).await?).into_response())
}

/// `POST /thu-tuc/{code}/quy-trinh` — save the process (rows `s{i}_name`, `s{i}_role`,
/// `s{i}_minutes`; empty rows are skipped).
pub async fn steps_save(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(code): Path<String>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    ensure_manager(&user.principal)?;
    let p = find(&state.db, &code).await?;
    let map: HashMap<&str, &str> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for i in 0..50 {
        let get = |f: &str| {
            map.get(format!("s{i}_{f}").as_str())
                .map(|v| domain::validate::clean(v))
                .unwrap_or_default()
        };
        let (name, role, minutes) = (get("name"), get("role"), get("minutes"));
        if name.is_empty() && minutes.is_empty() {
            continue;
        }
        let m = match minutes.parse::<i64>() {
            Ok(m) => m,
            Err(_) => {
                errors.push(format!(
                    "Bước «{name}»: số phút làm việc phải là số nguyên."
                ));
                0
            }
        };
        rows.push(StepDraft {
            name,
            role,
            agency_id: None,
            minutes: m,
        });
    }
    let online_text = map
        .get("online_limit_minutes")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let online = if online_text.is_empty() {
        None
    } else {
        match online_text.parse::<i64>() {
            Ok(m) => Some(m),
            Err(_) => {
                errors.push("Thời hạn cho hồ sơ trực tuyến phải là số phút nguyên.".into());
                None
            }
        }
    };
    if errors.is_empty() {
        match app::procedure::save_steps(&state, &user, &p.code, rows.clone(), online).await {
            Ok(_) => {
                let jar = set_flash(jar, "Đã lưu quy trình nội bộ.");
                return Ok((jar, Redirect::to(&back_to(&p))).into_response());
            }
            Err(app::ServiceError::Invalid(errs)) => {
                errors.extend(errs.into_iter().map(|e| e.message))
            }
            Err(e) => return Err(e.into()),
        }
    }
    let html = steps_page(&user, &p, rows, online_text, errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
}

#[derive(Template)]
#[template(path = "procedure/import.html")]
struct ImportPage {
    chrome: Chrome,
    error: Option<String>,
    preview: Option<ImportOut>,
    csv: String,
    file_name: String,
}

/// `GET /thu-tuc/nhap` — the import form.
pub async fn import_form(user: CurrentUser) -> Result<Response, AppError> {
    ensure_manager(&user.principal)?;
    let view = ImportPage {
        chrome: Chrome::new(&user, "/thu-tuc", "Nhập danh mục thủ tục hành chính", None),
        error: None,
        preview: None,
        csv: String::new(),
        file_name: String::new(),
    };
    Ok(Html(view.render()?).into_response())
}

/// `POST /thu-tuc/nhap` — read the upload and show the preview; nothing is written.
pub async fn import_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    mut mp: Multipart,
) -> Result<Response, AppError> {
    ensure_manager(&user.principal)?;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|_| AppError::bad("Không đọc được dữ liệu tải lên."))?
    {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("").to_string();
            let bytes = field
                .bytes()
                .await
                .map_err(|_| AppError::bad("Không đọc được tệp tải lên."))?;
            if bytes.len() > 5 * 1024 * 1024 {
                return Err(AppError::bad("Tệp quá lớn (tối đa 5 MB)."));
            }
            file = Some((name, bytes.to_vec()));
        }
    }
    let fail = |msg: &str| -> Result<Response, AppError> {
        let view = ImportPage {
            chrome: Chrome::new(&user, "/thu-tuc", "Nhập danh mục thủ tục hành chính", None),
            error: Some(msg.to_string()),
            preview: None,
            csv: String::new(),
            file_name: String::new(),
        };
        Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(view.render()?)).into_response())
    };
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return fail("Hãy chọn tệp danh mục (.xlsx hoặc .csv).");
    };
    let lower = name.to_lowercase();
    let text = if app::procedure::workbook::is_xlsx(&name, &bytes) {
        match app::reader::catalog_workbook(bytes.to_vec()).await {
            Ok(csv) => csv,
            Err(e @ (app::ServiceError::BadRequest(_) | app::ServiceError::TooLarge(_))) => {
                return fail(&e.to_string());
            }
            Err(e) => return Err(e.into()),
        }
    } else if lower.ends_with(".xls") || bytes.starts_with(b"\xd0\xcf\x11\xe0") {
        return fail(
            "Tệp Excel 97–2003 (.xls) chưa được hỗ trợ: hãy mở bằng Excel và lưu thành .xlsx (Tệp › Lưu thành › Sổ làm việc Excel) rồi tải lên.",
        );
    } else {
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
        match std::str::from_utf8(bytes) {
            Ok(t) => t.to_string(),
            Err(_) => {
                return fail("Tệp không phải văn bản UTF-8: hãy lưu thành .xlsx hoặc CSV UTF-8.");
            }
        }
    };
    let preview = run_import(&state, &user, &text, &name, false).await?;
    let view = ImportPage {
        chrome: Chrome::new(&user, "/thu-tuc", "Kiểm tra danh mục trước khi nhập", None),
        error: None,
        preview: Some(preview),
        csv: text,
        file_name: name,
    };
    Ok(Html(view.render()?).into_response())
}

#[derive(serde::Deserialize)]
pub struct ConfirmForm {
    csv: String,
    #[serde(default)]
    file_name: String,
}

/// `POST /thu-tuc/nhap/xac-nhan` — write the previewed catalog.
pub async fn import_confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    PageForm(form): PageForm<ConfirmForm>,
) -> Result<Response, AppError> {
    ensure_manager(&user.principal)?;
    let name = if form.file_name.trim().is_empty() {
        "tệp tải lên".to_string()
    } else {
        form.file_name.clone()
    };
    let out = run_import(&state, &user, &form.csv, &name, true).await?;
    let jar = set_flash(
        jar,
        &format!(
            "Đã nhập danh mục: {} thủ tục mới, {} thủ tục cập nhật; {} dòng không nhập được.",
            out.created,
            out.updated,
            out.rejected.len()
        ),
    );
    Ok((jar, Redirect::to("/thu-tuc")).into_response())
}

#[derive(Template)]
#[template(path = "procedure/stats.html")]
struct StatsPage {
    chrome: Chrome,
    year: i32,
    rows: Vec<(domain::procedure::publication::MonthStats, String)>,
}

#[derive(serde::Deserialize)]
pub struct StatsParams {
    nam: Option<String>,
}

/// `GET /thu-tuc/thong-ke` — monthly changes of the catalog (signed-in users).
pub async fn stats_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<StatsParams>,
) -> Result<Response, AppError> {
    let year = match q.nam.as_deref().map(str::trim) {
        None | Some("") => chrono::Utc::now().year(),
        Some(s) => s
            .parse()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| AppError::bad("Năm không hợp lệ."))?,
    };
    let rows = super::month_stats(&state, year)
        .await?
        .into_iter()
        .map(|s| {
            let pct = s
                .on_time_percent()
                .map(|p| format!("{p:.1}%").replace('.', ","))
                .unwrap_or_else(|| "—".into());
            (s, pct)
        })
        .collect();
    let view = StatsPage {
        chrome: Chrome::new(
            &user,
            "/thu-tuc",
            "Thống kê thủ tục hành chính theo tháng",
            None,
        ),
        year,
        rows,
    };
    Ok(Html(view.render()?).into_response())
}
