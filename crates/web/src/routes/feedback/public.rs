//! Public pages of PAKN, no account, phone-friendly: send a feedback (`/phan-anh`, with
//! the honeypot and the proof of work of `domain::feedback::pow`), follow it
//! (`/phan-anh/tra-cuu`: state, answer, supplement, rating) and browse published answers
//! (`/phan-anh/cong-khai`). No page shows a sender's personal data.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

use app::feedback::{NewFeedbackInput, Tracked};

use crate::auth::{self, MaybeUser};
use crate::extract::{ClientIp, Q};
use crate::upload::Posted;
use crate::views::Chrome;
use crate::{AppError, AppState};

const NOT_FOUND: &str = "Không tìm thấy phản ánh với mã và 4 số cuối điện thoại đã nhập.";

fn form_token(jar: CookieJar, state: &AppState) -> (CookieJar, String) {
    let token = jar
        .get(auth::CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|t| t.len() == 64)
        .unwrap_or_else(store::session::new_token);
    let jar = jar.add(auth::csrf_cookie(
        token.clone(),
        state.config.secure_cookies,
    ));
    (jar, token)
}

fn chrome(user: &MaybeUser, title: &str, token: &str) -> Chrome {
    match &user.0 {
        Some(u) => Chrome::new(u, "/phan-anh", title, None),
        None => Chrome::public(title, token.to_string()),
    }
}

#[derive(Template)]
#[template(path = "feedback/submit.html")]
struct SubmitPage {
    chrome: Chrome,
    /// The token the form's proof of work is bound to (the double-submit cookie's, or the
    /// session's when signed in).
    token: String,
    shown_at: i64,
    bits: u32,
    kinds: Vec<(&'static str, &'static str)>,
    agencies: Vec<(String, String)>,
    f: NewFeedbackInput,
    error: Option<String>,
    sent: Option<app::feedback::Submitted>,
}

async fn render_submit(
    state: &AppState,
    jar: CookieJar,
    user: &MaybeUser,
    f: NewFeedbackInput,
    error: Option<String>,
    sent: Option<app::feedback::Submitted>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (jar, cookie_token) = form_token(jar, state);
    let c = chrome(user, "Gửi phản ánh, kiến nghị", &cookie_token);
    let token = c.csrf.clone();
    let page = SubmitPage {
        chrome: c,
        token,
        shown_at: chrono::Utc::now().timestamp(),
        bits: domain::feedback::pow::BITS,
        kinds: domain::feedback::Kind::ALL
            .into_iter()
            .map(|k| (k.code(), k.label()))
            .collect(),
        agencies: app::feedback::agencies_to_name(state).await?,
        f,
        error,
        sent,
    };
    Ok((status, jar, Html(page.render()?)).into_response())
}

/// `GET /phan-anh`
pub async fn form(
    State(state): State<AppState>,
    jar: CookieJar,
    user: MaybeUser,
) -> Result<Response, AppError> {
    render_submit(
        &state,
        jar,
        &user,
        NewFeedbackInput::default(),
        None,
        None,
        StatusCode::OK,
    )
    .await
}

/// `POST /phan-anh` — the form (multipart: attachments in `files`).
pub async fn send(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    user: MaybeUser,
    Posted(up): Posted,
) -> Result<Response, AppError> {
    let f = super::api::input_of(&up);
    // The honeypot: a field people never see; robots fill it.
    if !up.field("website").is_empty() {
        return render_submit(
            &state,
            jar,
            &user,
            f,
            Some("Không gửi được phản ánh.".into()),
            None,
            StatusCode::BAD_REQUEST,
        )
        .await;
    }
    let token = match &user.0 {
        Some(u) => u.csrf_token.clone(),
        None => jar
            .get(auth::CSRF_COOKIE)
            .map(|c| c.value().to_string())
            .unwrap_or_default(),
    };
    let shown_at: i64 = up.field("shown_at").trim().parse().unwrap_or(0);
    if let Err(m) = domain::feedback::pow::check(
        &token,
        shown_at,
        up.field("nonce").trim(),
        chrono::Utc::now().timestamp(),
    ) {
        return render_submit(
            &state,
            jar,
            &user,
            f,
            Some(m.into()),
            None,
            StatusCode::BAD_REQUEST,
        )
        .await;
    }
    match app::feedback::submit(&state, ip.as_deref(), &f, up.files).await {
        Ok(sent) => {
            render_submit(
                &state,
                jar,
                &user,
                NewFeedbackInput::default(),
                None,
                Some(sent),
                StatusCode::OK,
            )
            .await
        }
        Err(e) => {
            let (status, message) = crate::error::page_message(&e);
            match message {
                Some(m) => render_submit(&state, jar, &user, f, Some(m), None, status).await,
                None => Err(e.into()),
            }
        }
    }
}

#[derive(Template)]
#[template(path = "feedback/track.html")]
struct TrackPage {
    chrome: Chrome,
    ma: String,
    so: String,
    found: Option<Tracked>,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct TrackQuery {
    pub ma: Option<String>,
    pub so: Option<String>,
}

/// `GET /phan-anh/tra-cuu?ma=…&so=…`
pub async fn track(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    user: MaybeUser,
    Q(q): Q<TrackQuery>,
) -> Result<Response, AppError> {
    let ma: String = q.ma.unwrap_or_default().trim().chars().take(40).collect();
    let so: String = q.so.unwrap_or_default().trim().chars().take(4).collect();
    let mut found = None;
    let mut error = None;
    let mut status = StatusCode::OK;
    if !ma.is_empty() || !so.is_empty() {
        match app::feedback::track(&state, ip.as_deref(), &ma, &so).await {
            Ok(Some(t)) => found = Some(t),
            Ok(None) => {
                error = Some(NOT_FOUND.into());
                status = StatusCode::NOT_FOUND;
            }
            Err(e) => {
                let (st, m) = crate::error::page_message(&e);
                error = Some(m.ok_or_else(|| AppError::from(e))?);
                status = st;
            }
        }
    }
    render_track(&state, jar, &user, ma, so, found, error, None, status)
}

#[allow(clippy::too_many_arguments)]
fn render_track(
    state: &AppState,
    jar: CookieJar,
    user: &MaybeUser,
    ma: String,
    so: String,
    found: Option<Tracked>,
    error: Option<String>,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (jar, token) = form_token(jar, state);
    let page = TrackPage {
        chrome: chrome(user, "Tra cứu phản ánh, kiến nghị", &token),
        ma,
        so,
        found,
        error,
        notice,
    };
    Ok((status, jar, Html(page.render()?)).into_response())
}

/// `POST /phan-anh/tra-cuu` — the sender rates the answer or supplies what was asked.
pub async fn track_action(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    user: MaybeUser,
    Posted(up): Posted,
) -> Result<Response, AppError> {
    let (ma, so) = (up.field("ma"), up.field("so"));
    let r = match up.field("action").as_str() {
        "rate_yes" | "rate_no" => app::feedback::rate(
            &state,
            ip.as_deref(),
            &ma,
            &so,
            up.field("action") == "rate_yes",
        )
        .await
        .map(|t| (t, "Cảm ơn bạn đã đánh giá câu trả lời.")),
        "supplement" => {
            app::feedback::supplement(&state, ip.as_deref(), &ma, &so, &up.field("text"))
                .await
                .map(|t| {
                    (
                        t,
                        "Đã nhận nội dung bổ sung; thời hạn xử lý được tính lại từ hôm nay.",
                    )
                })
        }
        _ => return Err(AppError::bad("Thao tác không hợp lệ.")),
    };
    match r {
        Ok((t, notice)) => render_track(
            &state,
            jar,
            &user,
            ma,
            so,
            Some(t),
            None,
            Some(notice.into()),
            StatusCode::OK,
        ),
        // Wrong code or digits: said once, not guessed again by reloading the feedback.
        Err(app::ServiceError::NotFound) => render_track(
            &state,
            jar,
            &user,
            ma,
            so,
            None,
            Some(NOT_FOUND.into()),
            None,
            StatusCode::NOT_FOUND,
        ),
        Err(e) => {
            let (st, m) = crate::error::page_message(&e);
            let m = m.ok_or_else(|| AppError::from(e))?;
            let found = app::feedback::track(&state, ip.as_deref(), &ma, &so)
                .await
                .ok()
                .flatten();
            render_track(&state, jar, &user, ma, so, found, Some(m), None, st)
        }
    }
}

#[derive(Template)]
#[template(path = "feedback/published.html")]
struct PublishedPage {
    chrome: Chrome,
    q: String,
    items: Vec<store::feedback::PublishedRow>,
    total: i64,
}

#[derive(Debug, Deserialize)]
pub struct PublishedQuery {
    pub q: Option<String>,
}

/// `GET /phan-anh/cong-khai?q=…`
pub async fn published(
    State(state): State<AppState>,
    jar: CookieJar,
    user: MaybeUser,
    Q(q): Q<PublishedQuery>,
) -> Result<Response, AppError> {
    let text: String = q.q.unwrap_or_default().chars().take(100).collect();
    let (items, total) =
        app::feedback::published(&state, Some(&text), store::Page::new(Some(50), None)).await?;
    let (jar, token) = form_token(jar, &state);
    let page = PublishedPage {
        chrome: chrome(&user, "Trả lời phản ánh, kiến nghị đã công khai", &token),
        q: text,
        items,
        total,
    };
    Ok((jar, Html(page.render()?)).into_response())
}

pub fn kind_label(k: &str) -> &'static str {
    domain::feedback::Kind::parse(k).map_or("", domain::feedback::Kind::label)
}
