//! Pages of the PAR INDEX under `/chi-so-cchc`: rounds and sets, a set's tree, a round
//! (ranking or the caller's cards, the secretariat's actions), a unit's scorecard (self
//! assessment, evidence, appraisal), the criteria below their maximum, a unit's history.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;

use app::par::{GapOut, RankItem, RoundOut, Scorecard, SetDetail, SetSummary, YearResult};

use crate::auth::CurrentUser;
use crate::extract::{Q, set_flash, take_flash};
use crate::routes::parse_id;
use crate::upload::Posted;
use crate::views::Chrome;
use crate::{AppError, AppState};

#[derive(Template)]
#[template(path = "par/index.html")]
struct IndexPage {
    chrome: Chrome,
    rounds: Vec<RoundOut>,
    sets: Vec<SetSummary>,
    can_open: bool,
    can_import: bool,
    next_year: i32,
    error: Option<String>,
}

async fn render_index(
    state: &AppState,
    user: &CurrentUser,
    flash: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let rounds = app::par::list_rounds(state).await?;
    let sets = app::par::list_sets(state).await?;
    let next_year = rounds
        .iter()
        .map(|r| r.year + 1)
        .max()
        .unwrap_or_else(|| chrono::Datelike::year(&crate::routes::task::today()) - 1);
    let page = IndexPage {
        chrome: Chrome::new(user, "/chi-so-cchc", "Chỉ số cải cách hành chính", flash),
        rounds,
        sets,
        can_open: app::par::is_secretariat(&user.principal),
        can_import: app::par::can_manage_sets(&user.principal),
        next_year,
        error,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /chi-so-cchc`
pub async fn index(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
) -> Result<Response, AppError> {
    let (jar, flash) = take_flash(jar);
    Ok((
        jar,
        render_index(&state, &user, flash, None, StatusCode::OK).await?,
    )
        .into_response())
}

/// The sentence and status a page shows for a refused operation (the shared rule).
fn message(e: &app::ServiceError) -> Option<(String, StatusCode)> {
    let (status, m) = crate::error::page_message(e);
    m.map(|m| (m, status))
}

/// `POST /chi-so-cchc/mo-ky` — opens a round.
pub async fn open_round(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Posted(up): Posted,
) -> Result<Response, AppError> {
    let input = app::par::OpenRound {
        year: up.field("year").trim().parse().unwrap_or(0),
        title: Some(up.field("title")),
        self_due_on: Some(up.field("self_due_on")),
        appraisal_due_on: Some(up.field("appraisal_due_on")),
    };
    match app::par::open_round(&state, &user, &input).await {
        Ok(r) => Ok((
            set_flash(
                jar,
                &format!(
                    "Đã mở kỳ chấm điểm năm {} cho {} đơn vị.{}",
                    r.year,
                    r.units,
                    r.unscored
                        .iter()
                        .map(|u| format!(
                            " {} ({} đơn vị) chưa được chấm vì chưa có bộ tiêu chí áp dụng năm {}.",
                            u.unit_kind_label, u.units, r.year
                        ))
                        .collect::<String>()
                ),
            ),
            Redirect::to(&format!("/chi-so-cchc/{}", r.id)),
        )
            .into_response()),
        Err(e) => match message(&e) {
            Some((m, st)) => render_index(&state, &user, None, Some(m), st).await,
            None => Err(e.into()),
        },
    }
}

/// `POST /chi-so-cchc/bo-tieu-chi` — imports a set (YAML pasted or uploaded).
pub async fn import_set(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Posted(up): Posted,
) -> Result<Response, AppError> {
    let text = match up.files.first() {
        Some(f) => String::from_utf8(f.bytes.clone())
            .map_err(|_| AppError::bad("Tệp bộ tiêu chí phải là văn bản UTF-8 (YAML)."))?,
        None => up.field("yaml"),
    };
    match app::par::import_set_yaml(&state, &user, &text).await {
        Ok(s) => Ok((
            set_flash(
                jar,
                &format!(
                    "Đã nhập bộ tiêu chí {} (phiên bản {}).",
                    s.summary.code, s.summary.version
                ),
            ),
            Redirect::to(&format!("/chi-so-cchc/bo-tieu-chi/{}", s.summary.id)),
        )
            .into_response()),
        Err(e) => match message(&e) {
            Some((m, st)) => render_index(&state, &user, None, Some(m), st).await,
            None => Err(e.into()),
        },
    }
}

/// A set's identity as the import and editor forms post it.
pub(super) fn table_meta(up: &crate::upload::Upload) -> app::par::TableMeta {
    app::par::TableMeta {
        code: up.field("code"),
        title: up.field("title"),
        unit_kind: up.field("unit_kind"),
        applies_from_year: up.field("applies_from_year"),
        decision: Some(up.field("decision")),
        decision_date: Some(up.field("decision_date")),
        issuer: Some(up.field("issuer")),
        source: Some(up.field("source")),
        survey_points: Some(up.field("survey_points")),
    }
}

/// `POST /chi-so-cchc/bo-tieu-chi/bang` — imports a set from the appendix table (.xlsx or
/// .csv) with the identity typed in the form.
pub async fn import_table(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Posted(up): Posted,
) -> Result<Response, AppError> {
    let meta = table_meta(&up);
    let (name, bytes) = up
        .files
        .first()
        .map(|f| (f.name.clone(), f.bytes.clone()))
        .unwrap_or_default();
    match app::par::import_set_table(&state, &user, &meta, &name, bytes).await {
        Ok(s) => Ok((
            set_flash(
                jar,
                &format!(
                    "Đã nhập bộ tiêu chí {} (phiên bản {}).",
                    s.summary.code, s.summary.version
                ),
            ),
            Redirect::to(&format!("/chi-so-cchc/bo-tieu-chi/{}", s.summary.id)),
        )
            .into_response()),
        Err(e) => match message(&e) {
            Some((m, st)) => render_index(&state, &user, None, Some(m), st).await,
            None => Err(e.into()),
        },
    }
}

/// A node of a set, flattened for the page.
pub struct NodeRow {
    pub depth: usize,
    pub leaf: bool,
    pub n: domain::par::Node,
}

#[derive(Template)]
#[template(path = "par/set.html")]
struct SetPage {
    chrome: Chrome,
    s: SetDetail,
    rows: Vec<NodeRow>,
    can_edit: bool,
}

/// `GET /chi-so-cchc/bo-tieu-chi/{id}`
pub async fn set(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (jar, flash) = take_flash(jar);
    let s = app::par::get_set(&state, parse_id(&id)?).await?;
    fn walk(n: &domain::par::Node, depth: usize, out: &mut Vec<NodeRow>) {
        out.push(NodeRow {
            depth,
            leaf: n.is_leaf(),
            n: domain::par::Node {
                items: Vec::new(),
                ..n.clone()
            },
        });
        for c in &n.items {
            walk(c, depth + 1, out);
        }
    }
    let mut rows = Vec::new();
    for a in &s.areas {
        walk(a, 0, &mut rows);
    }
    let page = SetPage {
        chrome: Chrome::new(&user, "/chi-so-cchc", s.summary.title.clone(), flash),
        s,
        rows,
        can_edit: app::par::can_manage_sets(&user.principal),
    };
    Ok((jar, Html(page.render()?)).into_response())
}

#[derive(Template)]
#[template(path = "par/round.html")]
struct RoundPage {
    chrome: Chrome,
    r: RoundOut,
    rows: Vec<RankItem>,
    ranked: bool,
    late: usize,
    kinds: Vec<(String, String)>,
    secretariat: bool,
    error: Option<String>,
}

async fn render_round(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    flash: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let o = app::par::round_overview(state, &user.principal, id).await?;
    let mut kinds: Vec<(String, String)> = Vec::new();
    for r in &o.rows {
        if !kinds.iter().any(|k| k.0 == r.unit_kind) {
            kinds.push((r.unit_kind.clone(), super::kind_label(&r.unit_kind).into()));
        }
    }
    let page = RoundPage {
        chrome: Chrome::new(user, "/chi-so-cchc", o.round.title.clone(), flash),
        r: o.round,
        rows: o.rows,
        ranked: o.ranked,
        late: o.late,
        kinds,
        secretariat: app::par::is_secretariat(&user.principal),
        error,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /chi-so-cchc/{id}`
pub async fn round(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (jar, flash) = take_flash(jar);
    let id = parse_id(&id)?;
    Ok((
        jar,
        render_round(&state, &user, id, flash, None, StatusCode::OK).await?,
    )
        .into_response())
}

/// `POST /chi-so-cchc/{id}/thao-tac` — the secretariat's round actions: `action` =
/// appraisal | publish | survey.
pub async fn round_action(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    Posted(up): Posted,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let r: Result<String, app::ServiceError> = match up.field("action").as_str() {
        "appraisal" => app::par::start_appraisal(&state, &user, id)
            .await
            .map(|_| "Đã chuyển kỳ chấm điểm sang thẩm định.".to_string()),
        "publish" => app::par::publish(
            &state,
            &user,
            id,
            &app::par::PublishInput {
                decision: up.field("decision"),
                decision_date: up.field("decision_date"),
                signer_name: Some(up.field("signer_name")),
            },
        )
        .await
        .map(|r| {
            format!(
                "Đã công bố kết quả theo {}.",
                r.decision.unwrap_or_default()
            )
        }),
        "survey" => {
            let r = match up.files.first() {
                Some(f) => {
                    app::par::import_survey_file(&state, &user, id, &f.name, f.bytes.clone()).await
                }
                None => app::par::import_survey(&state, &user, id, &up.field("csv")).await,
            };
            r.map(|n| format!("Đã nhập {n} điểm điều tra xã hội học."))
        }
        _ => return Err(AppError::bad("Thao tác không hợp lệ.")),
    };
    match r {
        Ok(done) => Ok((
            set_flash(jar, &done),
            Redirect::to(&format!("/chi-so-cchc/{id}")),
        )
            .into_response()),
        Err(e) => match message(&e) {
            Some((m, st)) => render_round(&state, &user, id, None, Some(m), st).await,
            None => Err(e.into()),
        },
    }
}

#[derive(Template)]
#[template(path = "par/card.html")]
struct CardPage {
    chrome: Chrome,
    s: Scorecard,
    secretariat: bool,
    error: Option<String>,
    /// What the form sent, shown again when it was refused (nothing typed is lost).
    posted: HashMap<String, String>,
}

impl CardPage {
    /// The form's field `<prefix>.<code>` as sent, else the stored value.
    fn typed(&self, prefix: &str, code: &str, stored: &Option<String>) -> String {
        self.posted
            .get(&format!("{prefix}.{code}"))
            .cloned()
            .or_else(|| stored.clone())
            .unwrap_or_default()
    }
}

/// What a card page shows besides the card: the flash, the refusal and what was typed.
#[derive(Default)]
struct Shown {
    flash: Option<String>,
    error: Option<String>,
    posted: HashMap<String, String>,
}

async fn render_card(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    unit: &str,
    shown: Shown,
    status: StatusCode,
) -> Result<Response, AppError> {
    let Shown {
        flash,
        error,
        posted,
    } = shown;
    let s = app::par::scorecard(state, &user.principal, id, unit).await?;
    let page = CardPage {
        chrome: Chrome::new(
            user,
            "/chi-so-cchc",
            format!("Phiếu chấm Chỉ số CCHC {} — {}", s.year, s.unit_name),
            flash,
        ),
        secretariat: app::par::is_secretariat(&user.principal),
        s,
        error,
        posted,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /chi-so-cchc/{id}/{unit}`
pub async fn card(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path((id, unit)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (jar, flash) = take_flash(jar);
    let id = parse_id(&id)?;
    Ok((
        jar,
        render_card(
            &state,
            &user,
            id,
            &unit,
            Shown {
                flash,
                ..Default::default()
            },
            StatusCode::OK,
        )
        .await?,
    )
        .into_response())
}

/// `POST /chi-so-cchc/{id}/{unit}/thao-tac` — every action on a card: `action` = self |
/// submit | evidence | remove_evidence | appraise | return | finish | reopen.
pub async fn card_action(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path((id, unit)): Path<(String, String)>,
    Posted(up): Posted,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let f = &up.fields;
    let by_prefix = |prefix: &str| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = f
            .iter()
            .filter_map(|(k, v)| k.strip_prefix(prefix).map(|c| (c.to_string(), v.clone())))
            .collect();
        v.sort();
        v
    };
    let r: Result<&str, app::ServiceError> = match up.field("action").as_str() {
        "self" => {
            let notes: HashMap<String, String> = by_prefix("n.").into_iter().collect();
            let items: Vec<app::par::SelfItem> = by_prefix("v.")
                .into_iter()
                .filter(|(_, v)| !v.trim().is_empty())
                .map(|(code, value)| app::par::SelfItem {
                    note: notes.get(&code).cloned(),
                    code,
                    value,
                })
                .collect();
            if items.is_empty() {
                Err(app::ServiceError::bad("Chưa nhập điểm tiêu chí nào."))
            } else {
                app::par::save_self(&state, &user, id, &unit, &items)
                    .await
                    .map(|_| "Đã lưu điểm tự đánh giá.")
            }
        }
        "submit" => app::par::submit(&state, &user, id, &unit)
            .await
            .map(|_| "Đã gửi phiếu tự đánh giá để thẩm định."),
        "evidence" => {
            let input = app::par::EvidenceInput {
                code: up.field("code"),
                kind: up.field("kind"),
                label: Some(up.field("label")),
                url: Some(up.field("url")),
                ref_id: up.field("ref_id").trim().parse().ok(),
            };
            let file = up.files.first().cloned();
            app::par::add_evidence(&state, &user, id, &unit, &input, file)
                .await
                .map(|_| "Đã thêm tài liệu kiểm chứng.")
        }
        "remove_evidence" => {
            let eid = parse_id(&up.field("evidence_id"))?;
            app::par::remove_evidence(&state, &user, id, &unit, eid)
                .await
                .map(|_| "Đã gỡ tài liệu kiểm chứng.")
        }
        "appraise" => {
            let reasons: HashMap<String, String> = by_prefix("r.").into_iter().collect();
            let na: HashMap<String, String> = by_prefix("na.").into_iter().collect();
            let items: Vec<app::par::AppraiseItem> = by_prefix("a.")
                .into_iter()
                .map(|(code, score)| app::par::AppraiseItem {
                    reason: reasons.get(&code).cloned(),
                    not_applicable: na.contains_key(&code),
                    score: Some(score),
                    code,
                })
                .collect();
            app::par::appraise(&state, &user, id, &unit, &items)
                .await
                .map(|_| "Đã lưu kết quả thẩm định.")
        }
        "return" => app::par::return_card(&state, &user, id, &unit, &up.field("reason"))
            .await
            .map(|_| "Đã trả lại phiếu để đơn vị giải trình."),
        "finish" => app::par::finish_appraisal(&state, &user, id, &unit)
            .await
            .map(|_| "Đã kết thúc thẩm định phiếu chấm."),
        "reopen" => app::par::reopen_appraisal(&state, &user, id, &unit)
            .await
            .map(|_| "Đã mở lại thẩm định."),
        _ => return Err(AppError::bad("Thao tác không hợp lệ.")),
    };
    match r {
        Ok(done) => Ok((
            set_flash(jar, done),
            Redirect::to(&format!("/chi-so-cchc/{id}/{unit}")),
        )
            .into_response()),
        Err(e) => match message(&e) {
            Some((m, st)) => {
                let shown = Shown {
                    flash: None,
                    error: Some(m),
                    posted: up.fields,
                };
                render_card(&state, &user, id, &unit, shown, st).await
            }
            None => Err(e.into()),
        },
    }
}

#[derive(Template)]
#[template(path = "par/gaps.html")]
struct GapsPage {
    chrome: Chrome,
    r: RoundOut,
    unit: String,
    items: Vec<GapOut>,
    can_remediate: bool,
}

#[derive(Debug, serde::Deserialize, Default)]
pub struct GapsQuery {
    pub unit: Option<String>,
}

/// `GET /chi-so-cchc/{id}/thieu-diem?unit=`
pub async fn gaps(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    Q(q): Q<GapsQuery>,
) -> Result<Response, AppError> {
    let (jar, flash) = take_flash(jar);
    let id = parse_id(&id)?;
    let r = app::par::get_round(&state, id).await?;
    let items = app::par::gaps(&state, &user.principal, id, q.unit.as_deref()).await?;
    let page = GapsPage {
        chrome: Chrome::new(
            &user,
            "/chi-so-cchc",
            format!("Tiêu chí chưa đạt điểm tối đa — năm {}", r.year),
            flash,
        ),
        can_remediate: r.status == app::par::ROUND_PUBLISHED && user.principal.can_assign_tasks(),
        r,
        unit: q.unit.unwrap_or_default(),
        items,
    };
    Ok((jar, Html(page.render()?)).into_response())
}

/// `POST /chi-so-cchc/{id}/khac-phuc` — a remediation task for one gap.
pub async fn remediation(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Path(id): Path<String>,
    Posted(up): Posted,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let input = app::par::RemediationInput {
        unit: up.field("unit"),
        code: up.field("code"),
        deadline: Some(up.field("deadline")),
    };
    match app::par::create_remediation(&state, &user, id, &input).await {
        Ok(t) => Ok((
            set_flash(jar, "Đã giao nhiệm vụ khắc phục."),
            Redirect::to(&format!("/nhiem-vu/{}", t.id)),
        )
            .into_response()),
        Err(e) => match message(&e) {
            Some((m, _)) => Ok((
                set_flash(jar, &m),
                Redirect::to(&format!("/chi-so-cchc/{id}/thieu-diem?unit={}", input.unit)),
            )
                .into_response()),
            None => Err(e.into()),
        },
    }
}

/// A bar of the trend chart (server-drawn SVG: the CSP allows no inline script).
pub struct Bar {
    pub year: i32,
    pub x: i32,
    pub y: i32,
    pub h: i32,
    pub label: String,
}

#[derive(Template)]
#[template(path = "par/history.html")]
struct HistoryPage {
    chrome: Chrome,
    unit: String,
    unit_name: String,
    years: Vec<YearResult>,
    bars: Vec<Bar>,
    area_titles: Vec<(String, String)>,
    trend: Vec<app::par::CriterionTrend>,
}

/// `GET /chi-so-cchc/don-vi/{code}` — a unit's results year by year.
pub async fn history(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let years = app::par::history(&state, &user.principal, &code).await?;
    if years.is_empty() {
        return Err(AppError::NotFound);
    }
    let unit_name = years
        .last()
        .map(|y| y.unit_name.clone())
        .unwrap_or_default();
    let bars = years
        .iter()
        .enumerate()
        .map(|(i, y)| {
            let v = y.index.unwrap_or(0.0);
            let h = (v * 1.6).round() as i32;
            Bar {
                year: y.year,
                x: 40 + i as i32 * 90,
                y: 180 - h,
                h,
                label: super::idx(&y.index),
            }
        })
        .collect();
    let area_titles = years
        .last()
        .map(|y| {
            y.areas
                .iter()
                .map(|a| (a.code.clone(), a.title.clone()))
                .collect()
        })
        .unwrap_or_default();
    let trend = app::par::criteria_trend(&years);
    let page = HistoryPage {
        chrome: Chrome::new(
            &user,
            "/chi-so-cchc",
            format!("Chỉ số CCHC qua các năm — {unit_name}"),
            None,
        ),
        unit: code,
        unit_name,
        years,
        bars,
        area_titles,
        trend,
    };
    Ok(Html(page.render()?).into_response())
}
