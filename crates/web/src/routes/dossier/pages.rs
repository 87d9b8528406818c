//! Pages of the one-stop shop: the dossier list (with the overdue list), the intake desk,
//! a dossier's page with its actions and control sheet, and the synchronisation view.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use chrono::Utc;
use serde::Deserialize;
use store::Page;
use store::dossier::Note;

use super::api::{DossierDetail, DossierOut, DossierQuery, detail_of, filter};
use super::{ActionInput, IntakeInput, act, apologize, record, status_label};
use crate::auth::CurrentUser;
use crate::extract::{Q, set_flash, take_flash};
use crate::routes::parse_id;
use crate::upload::Posted;
use crate::views::{Chrome, datetime_vn, int_vn};
use crate::{AppError, AppState};

pub fn when(t: &Option<chrono::DateTime<Utc>>) -> String {
    t.as_ref().map(datetime_vn).unwrap_or_default()
}

#[derive(Template)]
#[template(path = "dossier/list.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<DossierOut>,
    total: i64,
    counts: Vec<(i32, &'static str, i64)>,
    status: String,
    overdue: bool,
    q: String,
    can_receive: bool,
    prev_href: Option<String>,
    next_href: Option<String>,
    page: i64,
    pages: i64,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    status: Option<String>,
    qua_han: Option<String>,
    /// `1`: active dossiers due within two working days (the desk's list).
    sap_han: Option<String>,
    q: Option<String>,
    trang: Option<String>,
}

/// `GET /ho-so` — dossiers in scope; `?qua_han=1` is the overdue list.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Q(q): Q<ListQuery>,
) -> Result<Response, AppError> {
    const PER: i64 = 50;
    let page_no = crate::extract::opt_i64(&q.trang, "Số trang")?
        .unwrap_or(1)
        .max(1);
    let overdue = matches!(q.qua_han.as_deref(), Some("1" | "true" | "on"));
    let now = Utc::now();
    let dq = DossierQuery {
        status: q.status.clone(),
        overdue: overdue.then(|| "true".to_string()),
        q: q.q.clone(),
        ..Default::default()
    };
    let mut f = filter(&dq, now)?;
    let near = matches!(q.sap_han.as_deref(), Some("1" | "true" | "on"));
    if near {
        f.due_between = Some(app::dossier::guide::near_deadline_bound(&state, now).await?);
    }
    let listed = super::list_with_counts(
        &state,
        &user.principal,
        f,
        Page::new(Some(PER), Some((page_no - 1) * PER)),
    )
    .await?;
    let (items, total) = (listed.items, listed.total);
    let counts = listed
        .counts
        .into_iter()
        .map(|(s, n)| (s, status_label(s), n))
        .collect();
    let pages = ((total + PER - 1) / PER).max(1);
    let href = |p: i64| {
        serde_urlencoded::to_string([
            ("status", q.status.clone().unwrap_or_default()),
            ("qua_han", if overdue { "1".into() } else { String::new() }),
            ("sap_han", if near { "1".into() } else { String::new() }),
            ("q", q.q.clone().unwrap_or_default()),
            ("trang", p.to_string()),
        ])
        .map(|s| format!("/ho-so?{s}"))
        .ok()
    };
    let (jar, flash) = take_flash(jar);
    let title = if overdue {
        "Hồ sơ quá hạn"
    } else if near {
        "Hồ sơ sắp đến hạn"
    } else {
        "Hồ sơ một cửa"
    };
    let page = ListPage {
        chrome: Chrome::new(&user, "/ho-so", title, flash),
        rows: items.iter().map(|d| DossierOut::of(d, now)).collect(),
        total,
        counts,
        status: q.status.clone().unwrap_or_default(),
        overdue,
        q: q.q.clone().unwrap_or_default(),
        can_receive: user.principal.has(domain::org::Role::MotCua) || user.principal.is_admin(),
        prev_href: (page_no > 1).then(|| href(page_no - 1)).flatten(),
        next_href: (page_no < pages).then(|| href(page_no + 1)).flatten(),
        page: page_no,
        pages,
    };
    Ok((jar, Html(page.render()?)).into_response())
}

#[derive(Template)]
#[template(path = "dossier/intake.html")]
struct IntakePage {
    chrome: Chrome,
    procedures: Vec<(String, String)>,
    /// Communes a commune procedure may be received for (id, name).
    communes: Vec<(i64, String)>,
    errors: Vec<domain::validate::FieldError>,
    v: std::collections::HashMap<String, String>,
    /// One key per rendered form: submitting it twice opens one dossier.
    form_key: String,
    /// The chosen procedure's published documents, and those ticked (re-shown forms).
    groups: Vec<domain::procedure::documents::DocGroup>,
    ticked: Vec<u32>,
    known: bool,
}

impl IntakePage {
    fn is_ticked(&self, seq: &u32) -> bool {
        self.ticked.contains(seq)
    }
    fn val(&self, k: &str) -> String {
        crate::views::sent(&self.v, k)
    }
    fn err(&self, k: &str) -> String {
        crate::views::errors_of(&self.errors, k)
    }
}

async fn intake_page(
    state: &AppState,
    user: &CurrentUser,
    errors: Vec<domain::validate::FieldError>,
    v: std::collections::HashMap<String, String>,
) -> Result<IntakePage, AppError> {
    let (procs, _) = app::procedure::list(
        state,
        Some(&user.principal),
        store::procedure::ProcedureFilter {
            active: Some(true),
            ..Default::default()
        },
        Page::new(Some(1000), None),
    )
    .await?;
    let tthc = v.get("tthc").cloned().unwrap_or_default();
    let list = app::dossier::guide::checklist(state, &tthc).await?;
    Ok(IntakePage {
        groups: domain::procedure::documents::groups(list.as_deref().unwrap_or_default()),
        ticked: ticked(&v),
        known: list.is_some(),
        chrome: Chrome::new(user, "/ho-so", "Tiếp nhận hồ sơ", None),
        procedures: procs.into_iter().map(|p| (p.code, p.name)).collect(),
        communes: app::agency::communes(state, domain::time::today()).await?,
        errors,
        form_key: v
            .get("form_key")
            .cloned()
            .unwrap_or_else(|| app::session::new_token().chars().take(32).collect()),
        v,
    })
}

/// The checklist's ticked documents (`doc_<seq>` fields).
fn ticked(fields: &std::collections::HashMap<String, String>) -> Vec<u32> {
    let mut v: Vec<u32> = fields
        .iter()
        .filter(|(_, val)| matches!(val.as_str(), "1" | "on"))
        .filter_map(|(k, _)| k.strip_prefix("doc_")?.parse().ok())
        .collect();
    v.sort_unstable();
    v
}

/// `GET /ho-so/tiep-nhan`
pub async fn intake_form(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    if !(user.principal.has(domain::org::Role::MotCua) || user.principal.is_admin()) {
        return Err(AppError::Forbidden(
            "Chỉ cán bộ một cửa tiếp nhận hồ sơ.".into(),
        ));
    }
    let page = intake_page(&state, &user, Vec::new(), Default::default()).await?;
    Ok(Html(page.render()?).into_response())
}

/// `POST /ho-so/tiep-nhan` (multipart, with the documents).
pub async fn intake_post(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Posted(up): Posted,
) -> Result<Response, AppError> {
    let input = IntakeInput {
        tthc: up
            .field("tthc")
            .split(" – ")
            .next()
            .unwrap_or("")
            .trim()
            .to_string(),
        channel: up.field("channel"),
        applicant_name: up.field("applicant_name"),
        applicant_id_no: up.field("applicant_id_no"),
        applicant_phone: up.field("applicant_phone"),
        applicant_email: up.field("applicant_email"),
        applicant_address: up.field("applicant_address"),
        refuse_reason: up.field("refuse_reason"),
        note: up.field("note"),
        // The form carries a one-time key so a double submission opens one dossier.
        idempotency_key: Some(up.field("form_key"))
            .filter(|k| !k.is_empty() && k.len() <= 64)
            .map(|k| format!("{}:form:{k}", user.principal.user_id)),
        files: up.files.clone(),
        online_pending: false,
        handling_agency_id: up.field("handling_agency_id").trim().parse().ok(),
        // The page always sends its checklist: what is not ticked was not received.
        documents: Some(ticked(&up.fields).iter().map(u32::to_string).collect()),
        documents_complete: matches!(up.field("documents_complete").as_str(), "1" | "on"),
    };
    match super::intake(&state, &user, input, Utc::now()).await {
        Ok((d, _)) => {
            let jar = set_flash(
                jar,
                &format!(
                    "Đã tiếp nhận hồ sơ {}. In giấy tiếp nhận và hẹn trả kết quả cho người nộp.",
                    d.code
                ),
            );
            Ok((jar, Redirect::to(&format!("/ho-so/{}", d.id))).into_response())
        }
        Err(app::ServiceError::BadRequest(m)) => {
            let errors = vec![domain::validate::FieldError {
                field: "documents".into(),
                message: m,
            }];
            let page = intake_page(&state, &user, errors, up.fields).await?;
            Ok((axum::http::StatusCode::BAD_REQUEST, Html(page.render()?)).into_response())
        }
        Err(app::ServiceError::Invalid(errors)) => {
            let page = intake_page(&state, &user, errors, up.fields).await?;
            Ok((
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                Html(page.render()?),
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "dossier/detail.html")]
struct DetailPage {
    chrome: Chrome,
    d: DossierOut,
    detail: DossierDetail,
    can_desk: bool,
    can_process: bool,
    forms: Vec<(&'static str, &'static str)>,
    guide: app::dossier::guide::Guide,
    /// Agencies a dossier can be handed to (liên thông): (id, name).
    agencies: Vec<(i64, String)>,
}

impl DetailPage {
    fn fee(&self) -> String {
        self.d
            .fee_amount
            .map(|f| format!("{} đồng", int_vn(f)))
            .unwrap_or_default()
    }
}

/// `GET /ho-so/{id}`
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

async fn detail_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    flash: Option<String>,
) -> Result<DetailPage, AppError> {
    let v = super::view(state, &user.principal, id).await?;
    let d = v.dossier.clone();
    let detail = detail_of(v);
    let p = &user.principal;
    let guide = app::dossier::guide::guide(state, p, &d).await?;
    let agencies = if guide.offered.iter().any(|o| o.agency) {
        app::dossier::guide::transfer_targets(state, Utc::now()).await?
    } else {
        Vec::new()
    };
    let handling = d
        .handling_path
        .clone()
        .unwrap_or_else(|| d.agency_path.clone());
    let kinds: Vec<&str> = detail.events.iter().map(|e| e.kind.as_str()).collect();
    let forms = super::forms::KINDS
        .iter()
        .filter(|(slug, _)| match *slug {
            "phieu-tiep-nhan" => d.received_at.is_some(),
            "yeu-cau-bo-sung" => kinds.contains(&"request_supplement"),
            "tu-choi" => kinds.contains(&"refuse_at_intake"),
            "xin-loi" => kinds.contains(&"apology"),
            "dung-xu-ly" => kinds.contains(&"stop"),
            _ => true,
        })
        .copied()
        .collect();
    Ok(DetailPage {
        chrome: Chrome::new(user, "/ho-so", format!("Hồ sơ {}", d.code), flash),
        can_desk: p.can_work_desk(&d.agency_path),
        can_process: p.can_process_at(&handling),
        d: detail.dossier.clone(),
        detail,
        forms,
        guide,
        agencies,
    })
}

/// `POST /ho-so/{id}/thao-tac` — one action (multipart when result files are attached).
pub async fn action(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    Posted(up): Posted,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let input = ActionInput {
        event: up.field("event"),
        reason: up.field("reason"),
        to_agency_id: crate::extract::opt_i64(
            &up.fields.get("to_agency_id").cloned(),
            "Cơ quan nhận",
        )?,
        to_user_id: crate::extract::opt_i64(
            &up.fields.get("to_user_id").cloned(),
            "Người được phân công",
        )?,
        result_code: up.field("result_code"),
        e_result: matches!(up.field("e_result").as_str(), "1" | "on"),
        files: up.files,
        expected_status: crate::extract::opt_i64(
            &up.fields.get("expected_status").cloned(),
            "Trạng thái",
        )?
        .and_then(|s| i32::try_from(s).ok()),
    };
    let label = domain::dossier::event_title(&input.event);
    let r = act(&state, &user, id, input, Utc::now()).await;
    done(
        &state,
        &user,
        jar,
        id,
        r.map(|_| ()),
        &format!("Đã ghi nhận: {label}."),
    )
    .await
}

/// After an action: back to the dossier with a confirmation; a refusal shows the dossier
/// page again with the reason on top and the refusal's status (4xx), nothing changed.
async fn done(
    state: &AppState,
    user: &CurrentUser,
    jar: CookieJar,
    id: i64,
    r: Result<(), app::ServiceError>,
    ok: &str,
) -> Result<Response, AppError> {
    match r {
        Ok(()) => {
            let jar = set_flash(jar, ok);
            Ok((jar, Redirect::to(&format!("/ho-so/{id}"))).into_response())
        }
        Err(e) => {
            let (status, errors) = AppError::from(e).into_form_errors("form")?;
            let msg = errors
                .iter()
                .map(|e| e.message.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let flash = Some(format!("{}{msg}", crate::extract::FLASH_ERROR_MARK));
            let page = detail_page(state, user, id, flash).await?;
            Ok((status, Html(page.render()?)).into_response())
        }
    }
}

/// `POST /ho-so/{id}/xin-loi`
pub async fn apology(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    Posted(up): Posted,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let r = apologize(
        &state,
        &user,
        id,
        &up.field("reason"),
        &up.field("new_date"),
        None,
        Utc::now(),
    )
    .await;
    done(
        &state,
        &user,
        jar,
        id,
        r.map(|_| ()),
        "Đã lập phiếu xin lỗi và hẹn lại ngày trả kết quả.",
    )
    .await
}

/// `POST /ho-so/{id}/thu-phi` and `/danh-gia`.
pub async fn payment(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    Posted(up): Posted,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let amount = up
        .field("amount")
        .replace(['.', ' '], "")
        .parse::<i64>()
        .unwrap_or(-1);
    let online = matches!(up.field("online").as_str(), "1" | "on");
    let r = record(
        &state,
        &user,
        id,
        Note::Payment { amount, online },
        Utc::now(),
    )
    .await;
    done(
        &state,
        &user,
        jar,
        id,
        r.map(|_| ()),
        "Đã ghi nhận thu phí, lệ phí.",
    )
    .await
}

pub async fn rating(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    Posted(up): Posted,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let rating = up.field("rating").trim().parse::<i32>().unwrap_or(0);
    let r = record(&state, &user, id, Note::Rating { rating }, Utc::now()).await;
    done(
        &state,
        &user,
        jar,
        id,
        r.map(|_| ()),
        "Đã ghi nhận đánh giá của người dân.",
    )
    .await
}

#[derive(Template)]
#[template(path = "dossier/outbox.html")]
struct OutboxPage {
    chrome: Chrome,
    rows: Vec<store::dossier::OutboxRow>,
    total: i64,
}

/// `GET /ho-so/dong-bo` — what is not yet synchronised with the national portal.
pub async fn outbox(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let (rows, total) = super::outbox(&state, &user.principal, 200).await?;
    let page = OutboxPage {
        chrome: Chrome::new(&user, "/ho-so", "Đồng bộ Cổng Dịch vụ công quốc gia", None),
        rows,
        total,
    };
    Ok(Html(page.render()?).into_response())
}
