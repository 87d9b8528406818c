//! The public side of PAKN, no account: send (with the abuse limits), follow by code and
//! the last four digits of the phone (locked after a few wrong guesses), supplement when
//! asked, rate the answer, browse published answers. Nothing here returns the sender's
//! name, phone, e-mail or address: texts the public sees are redacted
//! (`domain::feedback::redact`).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::feedback::{Action, Kind, Status};
use serde::{Deserialize, Serialize};
use store::audit::Actor;

use super::status_of;
use crate::{App, ServiceError};

/// Feedback one client address may send per hour.
pub const SUBMITS_PER_ADDRESS_PER_HOUR: u32 = 10;
/// Feedback one phone number may send per day, from anywhere.
pub const SUBMITS_PER_PHONE_PER_DAY: i64 = 3;
/// Look-ups one client address may make per minute.
pub const TRACKS_PER_ADDRESS_PER_MINUTE: u32 = 10;
/// Wrong "last four digits" a code takes before it is locked …
pub const TRACK_FAILURES_BEFORE_LOCK: i32 = 5;
/// … for this many minutes.
pub const TRACK_LOCK_MINUTES: i64 = 60;
/// Longest content, in characters.
pub const MAX_CONTENT: usize = 10_000;

/// What the sender gives (`POST /api/v1/feedback`, the form `/phan-anh`).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct NewFeedbackInput {
    /// regulation | procedure | dossier | conduct
    pub kind: String,
    /// The agency concerned, when the sender knows it.
    pub agency_code: Option<String>,
    pub procedure_code: Option<String>,
    pub dossier_code: Option<String>,
    /// The code of an earlier feedback of the same sender this one complains again about.
    pub parent_code: Option<String>,
    pub title: Option<String>,
    pub name: String,
    pub phone: String,
    pub email: Option<String>,
    pub address: Option<String>,
    pub content: String,
}

/// The answer to a feedback sent.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Submitted {
    pub code: String,
    /// The day the answer is due (working days on the legal calendar).
    pub due_on: NaiveDate,
}

fn trimmed(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
}

/// Checks and stores a feedback sent by the public from `address`, with its attachments
/// (already checked for count, size and type by the upload layer). Over a limit: 429.
pub async fn submit(
    app: &App,
    address: Option<&str>,
    input: &NewFeedbackInput,
    files: Vec<store::file::NewFile>,
) -> Result<Submitted, ServiceError> {
    submit_at(app, address, input, files, Utc::now(), false).await
}

pub async fn submit_at(
    app: &App,
    address: Option<&str>,
    input: &NewFeedbackInput,
    files: Vec<store::file::NewFile>,
    at: DateTime<Utc>,
    demo: bool,
) -> Result<Submitted, ServiceError> {
    let mut c = domain::validate::Checker::new();
    let kind = Kind::parse(&input.kind);
    if kind.is_none() {
        c.fail(
            "kind",
            "Chọn nội dung phản ánh: quy định hành chính, thủ tục hành chính, việc giải quyết hồ sơ hoặc hành vi của cán bộ, công chức.",
        );
    }
    let name = c.required("name", "Họ và tên", &input.name, 120);
    let phone = domain::feedback::phone_digits(&input.phone);
    if phone.is_none() {
        c.fail(
            "phone",
            "Số điện thoại không hợp lệ (10 chữ số, bắt đầu bằng 0): cần để nhận trả lời và tra cứu.",
        );
    }
    let email = c.optional("email", "Thư điện tử", input.email.as_deref(), 200);
    if let Some(e) = &email
        && !(e.contains('@') && e.rsplit('@').next().is_some_and(|d| d.contains('.')))
    {
        c.fail("email", "Thư điện tử không hợp lệ.");
    }
    let address_text = c.optional("address", "Địa chỉ", input.address.as_deref(), 300);
    let content = c.required(
        "content",
        "Nội dung phản ánh, kiến nghị",
        &input.content,
        MAX_CONTENT,
    );
    if !content.is_empty() && content.chars().count() < 20 {
        c.fail(
            "content",
            "Nội dung quá ngắn: hãy nêu rõ sự việc, quy định hoặc thủ tục được phản ánh (ít nhất 20 ký tự).",
        );
    }
    let title = c
        .optional("title", "Tiêu đề", input.title.as_deref(), 200)
        .unwrap_or_else(|| {
            let t: String = content.chars().take(80).collect();
            if content.chars().count() > 80 {
                format!("{t}…")
            } else {
                t
            }
        });
    let dossier_code = c.optional(
        "dossier_code",
        "Mã hồ sơ",
        input.dossier_code.as_deref(),
        60,
    );
    if kind == Some(Kind::Dossier) && dossier_code.is_none() {
        c.fail(
            "dossier_code",
            "Phản ánh về việc giải quyết hồ sơ cần mã hồ sơ (in trên giấy tiếp nhận).",
        );
    }
    let procedure_code = c.optional(
        "procedure_code",
        "Mã thủ tục",
        input.procedure_code.as_deref(),
        60,
    );
    let mut agency_id = None;
    if let Some(code) = trimmed(&input.agency_code) {
        match store::agency::get_by_code(&app.db, &code).await {
            Ok(a) if a.valid_on(super::day_of(at)) => agency_id = Some(a.id),
            _ => c.fail(
                "agency_code",
                "Không tìm thấy cơ quan, đơn vị đang hoạt động với mã này.",
            ),
        }
    }
    if !c.is_ok() {
        return Err(ServiceError::Invalid(c.errors));
    }
    let (kind, phone) = (kind.unwrap_or(Kind::Regulation), phone.unwrap_or_default());
    // Re-complaint: the earlier feedback must be the same sender's (same phone).
    let mut parent_id = None;
    if let Some(pc) = trimmed(&input.parent_code) {
        match store::feedback::by_code(&app.db, &domain::feedback::normalise_code(&pc)).await? {
            Some(p) if p.sender_phone == phone => {
                parent_id = Some(p.id);
                if agency_id.is_none() {
                    agency_id = p.agency_id;
                }
            }
            _ => {
                return Err(ServiceError::invalid(
                    "parent_code",
                    "Không tìm thấy phản ánh trước của cùng số điện thoại với mã này.",
                ));
            }
        }
    }
    // Limits: per address (in memory), per phone (in the database: every node sees it).
    if !demo {
        app.feedback_by_address
            .hit(address.unwrap_or("unknown"))
            .map_err(|secs| ServiceError::TooMany {
                message: format!(
                    "Địa chỉ này đã gửi quá nhiều phản ánh trong một giờ; vui lòng thử lại sau {} phút.",
                    secs.div_ceil(60)
                ),
                retry_after: secs,
            })?;
        let sent = store::feedback::count_by_phone_since(&app.db, &phone, at - Duration::hours(24))
            .await?;
        if sent >= SUBMITS_PER_PHONE_PER_DAY {
            return Err(ServiceError::TooMany {
                message: format!(
                    "Số điện thoại này đã gửi {SUBMITS_PER_PHONE_PER_DAY} phản ánh trong 24 giờ qua; vui lòng bổ sung vào phản ánh đã gửi hoặc thử lại sau."
                ),
                retry_after: 3600,
            });
        }
    }
    // The competent agency, when the dossier or the procedure names it.
    if agency_id.is_none()
        && let Some(dc) = &dossier_code
        && let Ok(d) = store::dossier::get_by_code(&app.db, dc).await
    {
        agency_id = Some(d.agency_id);
    }
    if agency_id.is_none()
        && let Some(pc) = &procedure_code
        && let Ok(p) = store::procedure::get_by_code(&app.db, pc).await
    {
        agency_id = p.agency_id;
    }
    let day = super::day_of(at);
    let due = super::due_from(app, day).await?;
    let search_text = domain::text::fold_vi(&format!("{title} {content}"));
    for _ in 0..5 {
        let random: [u8; 5] = rand::random();
        let code = domain::feedback::tracking_code(day, random);
        let new = store::feedback::NewFeedback {
            code: code.clone(),
            kind: kind.code().into(),
            agency_id,
            procedure_code: procedure_code.clone(),
            dossier_code: dossier_code.clone(),
            title: title.clone(),
            content: content.clone(),
            search_text: search_text.clone(),
            sender_name: name.clone(),
            sender_phone: phone.clone(),
            sender_email: email.clone(),
            sender_address: address_text.clone(),
            received_at: at,
            triage_due_on: due.triage_on,
            supplement_due_on: due.supplement_request_on,
            due_on: due.answer_on,
            parent_id,
            demo,
        };
        let actor = sender(address);
        match store::feedback::insert(&app.db, &new, &files, &actor).await {
            Ok(_) => {
                return Ok(Submitted {
                    code,
                    due_on: due.answer_on,
                });
            }
            Err(store::StoreError::Conflict(_)) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(ServiceError::Internal("không tạo được mã phản ánh".into()))
}

/// The sender as the audit log names them: never by their name.
fn sender(address: Option<&str>) -> Actor {
    Actor {
        user_id: None,
        username: Some("công dân".into()),
        ip: address.map(String::from),
    }
}

/// What the sender sees when following their feedback: no personal data, texts redacted.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Tracked {
    pub code: String,
    pub kind_label: String,
    pub title: String,
    pub status: String,
    pub status_label: String,
    pub agency_name: Option<String>,
    pub received_at: DateTime<Utc>,
    pub due_on: NaiveDate,
    /// What the agency asked to be supplied (status `supplement`).
    pub supplement_request: Option<String>,
    pub reject_reason: Option<String>,
    /// The approved answer (redacted), once the head has approved it.
    pub answer: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    /// Whether the sender may still rate the answer.
    pub can_rate: bool,
    pub can_supplement: bool,
}

/// The feedback with this code, if `last4` are the last four digits of the sender's phone.
/// `Ok(None)` when there is no such code or the digits are wrong (a code alone discloses
/// nothing); a code is locked for [`TRACK_LOCK_MINUTES`] after
/// [`TRACK_FAILURES_BEFORE_LOCK`] wrong guesses, and an address makes at most
/// [`TRACKS_PER_ADDRESS_PER_MINUTE`] look-ups a minute.
pub async fn track(
    app: &App,
    address: Option<&str>,
    code: &str,
    last4: &str,
) -> Result<Option<Tracked>, ServiceError> {
    Ok(verified(app, address, code, last4)
        .await?
        .map(|r| tracked(&r)))
}

async fn verified(
    app: &App,
    address: Option<&str>,
    code: &str,
    last4: &str,
) -> Result<Option<store::feedback::FeedbackRow>, ServiceError> {
    app.feedback_tracks_by_address
        .hit(address.unwrap_or("unknown"))
        .map_err(|secs| ServiceError::TooMany {
            message: format!("Tra cứu quá nhiều lần; vui lòng thử lại sau {secs} giây."),
            retry_after: secs,
        })?;
    let last4 = last4.trim();
    if last4.len() != 4 || !last4.chars().all(|c| c.is_ascii_digit()) {
        return Err(ServiceError::invalid(
            "phone",
            "Nhập đúng 4 chữ số cuối của số điện thoại đã dùng khi gửi phản ánh.",
        ));
    }
    let Some(r) =
        store::feedback::by_code(&app.db, &domain::feedback::normalise_code(code)).await?
    else {
        return Ok(None);
    };
    let now = Utc::now();
    if let Some(until) = r.track_locked_until
        && until > now
    {
        let mins = (until - now).num_minutes().max(1);
        return Err(ServiceError::TooMany {
            message: format!(
                "Mã phản ánh này tạm khóa tra cứu vì nhập sai nhiều lần; vui lòng thử lại sau {mins} phút."
            ),
            retry_after: (until - now).num_seconds().max(1) as u64,
        });
    }
    if !r.sender_phone.ends_with(last4) {
        store::feedback::track_miss(
            &app.db,
            r.id,
            TRACK_FAILURES_BEFORE_LOCK,
            now + Duration::minutes(TRACK_LOCK_MINUTES),
        )
        .await?;
        return Ok(None);
    }
    store::feedback::track_ok(&app.db, r.id).await?;
    Ok(Some(r))
}

fn personal(r: &store::feedback::FeedbackRow) -> Vec<&str> {
    let mut v = vec![r.sender_name.as_str(), r.sender_phone.as_str()];
    v.extend(r.sender_email.as_deref());
    v.extend(r.sender_address.as_deref());
    v
}

fn tracked(r: &store::feedback::FeedbackRow) -> Tracked {
    let status = status_of(&r.status);
    let p = personal(r);
    let answer = match status {
        Status::Published => r.public_answer.clone(),
        Status::AwaitingPublication => r.answer.as_deref().map(|a| domain::feedback::redact(a, &p)),
        _ => None,
    };
    Tracked {
        code: r.code.clone(),
        kind_label: Kind::parse(&r.kind).map_or("", Kind::label).into(),
        title: domain::feedback::redact(&r.title, &p),
        status: status.code().into(),
        status_label: status.label().into(),
        agency_name: r.agency_name.clone(),
        received_at: r.received_at,
        due_on: r.due_on,
        supplement_request: (status == Status::Supplement)
            .then(|| r.supplement_request.clone())
            .flatten(),
        reject_reason: r.reject_reason.clone(),
        answer,
        published_at: r.published_at,
        can_rate: status == Status::Published && r.likes + r.dislikes == 0,
        can_supplement: status == Status::Supplement,
    }
}

/// The sender rates the published answer (satisfied or not), once.
pub async fn rate(
    app: &App,
    address: Option<&str>,
    code: &str,
    last4: &str,
    satisfied: bool,
) -> Result<Tracked, ServiceError> {
    let r = verified(app, address, code, last4)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if status_of(&r.status) != Status::Published {
        return Err(ServiceError::Conflict(
            "Chỉ đánh giá được khi câu trả lời đã được công khai.".into(),
        ));
    }
    store::feedback::rate(&app.db, r.id, satisfied, Utc::now())
        .await
        .map_err(|e| match e {
            store::StoreError::Stale(_) => {
                ServiceError::Conflict("Phản ánh này đã được đánh giá.".into())
            }
            e => e.into(),
        })?;
    let r = store::feedback::get(&app.db, r.id).await?;
    Ok(tracked(&r))
}

/// The sender supplies what the agency asked for: the text is added to the content and
/// the time limits start again from today (NĐ 20/2008 as amended: counted from receipt of
/// the complete feedback).
pub async fn supplement(
    app: &App,
    address: Option<&str>,
    code: &str,
    last4: &str,
    text: &str,
) -> Result<Tracked, ServiceError> {
    let r = verified(app, address, code, last4)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let text = text.trim();
    if text.chars().count() < 5 || text.chars().count() > MAX_CONTENT {
        return Err(ServiceError::invalid(
            "text",
            "Nhập nội dung bổ sung (từ 5 đến 10.000 ký tự).",
        ));
    }
    let at = Utc::now();
    let day = super::day_of(at);
    let next = Action::Supplement
        .next(status_of(&r.status))
        .map_err(ServiceError::Conflict)?;
    let content = format!(
        "{}\n\n[Bổ sung ngày {}] {text}",
        r.content,
        day.format("%d/%m/%Y")
    );
    use store::feedback::Val;
    let mut set = vec![
        (
            "search_text",
            Val::Text(Some(domain::text::fold_vi(&format!(
                "{} {content}",
                r.title
            )))),
        ),
        ("content", Val::Text(Some(content))),
    ];
    set.extend(super::received_again(app, at).await?);
    let step = store::feedback::Step {
        action: Action::Supplement.code().into(),
        from_status: r.status.clone(),
        to_status: next.code().into(),
        agency_id: r.agency_id,
        note: None,
        set,
        count_supplement: false,
        at,
    };
    let actor = sender(address);
    store::feedback::step(&app.db, r.id, &step, &actor)
        .await
        .map_err(ServiceError::stale_as(
            "Phản ánh vừa thay đổi trạng thái; vui lòng tra cứu lại.",
        ))?;
    let r = store::feedback::get(&app.db, r.id).await?;
    Ok(tracked(&r))
}

/// Published answers (no personal data), newest first; `q` matches without diacritics.
pub async fn published(
    app: &App,
    q: Option<&str>,
    page: store::Page,
) -> Result<(Vec<store::feedback::PublishedRow>, i64), ServiceError> {
    Ok(
        store::feedback::published(&app.db, q.map(str::trim).filter(|s| !s.is_empty()), page)
            .await?,
    )
}

/// The title, content and `answer` of a feedback as they are published: the sender's
/// personal data and any phone, e-mail or ID number removed.
pub(crate) fn public_texts(
    r: &store::feedback::FeedbackRow,
    answer: &str,
) -> (String, String, String) {
    let p = personal(r);
    (
        domain::feedback::redact(&r.title, &p),
        domain::feedback::redact(&r.content, &p),
        domain::feedback::redact(answer, &p),
    )
}

/// The agencies a sender may name (those in force today: departments, districts while
/// they exist, communes), as (code, name), by name.
pub async fn agencies_to_name(app: &App) -> Result<Vec<(String, String)>, ServiceError> {
    let (rows, _) = store::agency::list(
        &app.db,
        &store::agency::AgencyFilter {
            on_date: Some(super::today()),
            ..Default::default()
        },
        store::Page::all(),
    )
    .await?;
    let mut v: Vec<(String, String)> = rows
        .into_iter()
        .filter(|a| {
            domain::org::AgencyKind::parse(&a.kind)
                .and_then(domain::par::UnitKind::of_agency)
                .is_some()
                || a.kind == "ubnd_tinh"
        })
        .map(|a| (a.code, a.name))
        .collect();
    v.sort_by_cached_key(|a| domain::text::fold_vi(&a.1));
    Ok(v)
}
