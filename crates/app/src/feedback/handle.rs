//! The staff side of PAKN: the queue of the caller's agency subtree (the Văn phòng UBND –
//! KSTT also sees those whose agency is not yet determined), one feedback with its steps,
//! and the steps themselves (`POST /api/v1/feedback/{id}/events`): accept, reject with a
//! reason, ask once to supplement, forward to the competent agency, merge into a
//! duplicate, assign an officer, draft the answer, the head's approval or return, and
//! publication with personal data removed. Every step is guarded, recorded and audited.

use chrono::{DateTime, Utc};
use domain::feedback::{Action, Status, TimeLimits};
use domain::org::{Principal, Role};
use serde::{Deserialize, Serialize};
use store::feedback::{Step, Val};

use super::{FeedbackOut, handles_unassigned, out, status_of, today, visible};
use crate::{App, Caller, ServiceError};

/// Filters of the queue (`GET /api/v1/feedback`).
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedbackQuery {
    /// received | supplement | processing | awaiting_approval | awaiting_publication |
    /// published | rejected | merged
    pub status: Option<String>,
    /// An agency code inside the caller's scope.
    pub agency: Option<String>,
    /// regulation | procedure | dossier | conduct
    pub kind: Option<String>,
    /// Words of the code, title or content (no diacritics needed).
    pub q: Option<String>,
    /// `true`: only those still open past their due date.
    pub overdue: Option<bool>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// The queue: feedback in the caller's scope matching `q`, earliest due first.
pub async fn list(
    app: &App,
    p: &Principal,
    q: &FeedbackQuery,
) -> Result<(Vec<FeedbackOut>, i64), ServiceError> {
    let status = q.status.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if let Some(s) = status
        && Status::parse(s).is_none()
    {
        return Err(ServiceError::invalid("status", "Trạng thái không hợp lệ."));
    }
    let kind = q.kind.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if let Some(k) = kind
        && domain::feedback::Kind::parse(k).is_none()
    {
        return Err(ServiceError::invalid("kind", "Loại phản ánh không hợp lệ."));
    }
    let today = today();
    let f = store::feedback::Filter {
        scope: p.scope().prefix().map(String::from),
        agency_code: q.agency.clone().filter(|s| !s.trim().is_empty()),
        status: status.map(String::from),
        kind: kind.map(String::from),
        q: q.q.clone().filter(|s| !s.trim().is_empty()),
        overdue_on: q.overdue.unwrap_or(false).then_some(today),
    };
    let (rows, total) =
        store::feedback::list(app.read_db(), &f, store::Page::new(q.limit, q.offset)).await?;
    Ok((rows.into_iter().map(|r| out(r, today)).collect(), total))
}

/// One step as the history shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FeedbackEventOut {
    pub action: String,
    pub action_label: String,
    pub to_status_label: String,
    pub agency_name: Option<String>,
    pub note: Option<String>,
    pub actor_name: Option<String>,
    pub at: DateTime<Utc>,
}

/// A feedback with its steps, attachments and what the caller may do next.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FeedbackDetail {
    #[serde(flatten)]
    pub feedback: FeedbackOut,
    pub events: Vec<FeedbackEventOut>,
    /// The sender's attachments (staff only: they may carry personal data).
    pub files: Vec<crate::file::FileOut>,
    /// The steps the caller may take now (action codes).
    pub actions: Vec<String>,
}

pub async fn get(app: &App, p: &Principal, id: i64) -> Result<FeedbackDetail, ServiceError> {
    let r = store::feedback::get(&app.db, id).await?;
    visible(app, p, &r).await?;
    let events = store::feedback::events(&app.db, id)
        .await?
        .into_iter()
        .map(|e| FeedbackEventOut {
            action_label: Action::parse(&e.action)
                .map_or("Tiếp nhận", Action::label)
                .into(),
            to_status_label: status_of(&e.to_status).label().into(),
            action: e.action,
            agency_name: e.agency_name,
            note: e.note,
            actor_name: e.actor_name.or_else(|| Some("Người gửi".into())),
            at: e.at,
        })
        .collect();
    let files = crate::file::FileList::of(
        store::file::list(&app.db, store::file::Owner::Feedback(id)).await?,
    )
    .items;
    let status = status_of(&r.status);
    let actions = Action::ALL
        .into_iter()
        .filter(|a| *a != Action::Supplement && a.next(status).is_ok() && may(p, &r, *a))
        .map(|a| a.code().to_string())
        .collect();
    Ok(FeedbackDetail {
        feedback: out(r, today()),
        events,
        files,
        actions,
    })
}

/// Who may take a step: the unit's head and officers handle the feedback of their
/// subtree (the Văn phòng UBND – KSTT those without an agency, and forwards any); only a
/// head (lãnh đạo đơn vị) assigns, approves or returns a draft.
fn may(p: &Principal, r: &store::feedback::FeedbackRow, a: Action) -> bool {
    let head = p.has(Role::LanhDaoDonVi) || p.is_admin();
    let officer = head || p.has(Role::ChuyenVien);
    let kstt = handles_unassigned(p);
    if r.agency_id.is_none() {
        return kstt;
    }
    match a {
        Action::Assign | Action::Approve | Action::ReturnDraft => head,
        Action::Forward => officer || kstt,
        Action::Supplement => false,
        _ => officer,
    }
}

/// A step (`POST /api/v1/feedback/{id}/events`).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct FeedbackEventInput {
    /// accept | reject | request_supplement | forward | merge | assign | draft |
    /// return_draft | approve | publish
    pub action: String,
    /// The reason (reject, return_draft), what to supply (request_supplement), or a note.
    pub note: Option<String>,
    /// forward: the competent agency's code.
    pub agency_code: Option<String>,
    /// merge: the code of the feedback this one duplicates.
    pub merge_into: Option<String>,
    /// assign: the officer's user name.
    pub assignee: Option<String>,
    /// draft: the answer.
    pub answer: Option<String>,
}

/// Takes a step on a feedback in the caller's scope.
pub async fn act(
    app: &App,
    caller: &Caller,
    id: i64,
    input: &FeedbackEventInput,
) -> Result<FeedbackDetail, ServiceError> {
    let out = act_at(app, caller, id, input, Utc::now()).await?;
    // Live steps tell whoever acts next (the demo's history, through `act_at`, does not).
    if let (Some(action), Ok(after)) = (
        Action::parse(&input.action),
        store::feedback::get(&app.db, id).await,
    ) {
        crate::notify::feedback_step(app, &after, action, caller.principal.user_id).await;
    }
    Ok(out)
}

/// [`act`] at a given instant (the demo's history), without notifications.
pub async fn act_at(
    app: &App,
    caller: &Caller,
    id: i64,
    input: &FeedbackEventInput,
    at: DateTime<Utc>,
) -> Result<FeedbackDetail, ServiceError> {
    let p = &caller.principal;
    let r = store::feedback::get(&app.db, id).await?;
    visible(app, p, &r).await?;
    let Some(action) = Action::parse(&input.action).filter(|a| *a != Action::Supplement) else {
        return Err(ServiceError::invalid("action", "Thao tác không hợp lệ."));
    };
    if !may(p, &r, action) {
        return Err(ServiceError::Forbidden(format!(
            "Bạn không có quyền “{}” phản ánh này.",
            action.label().to_lowercase()
        )));
    }
    let from = status_of(&r.status);
    let to = action.next(from).map_err(ServiceError::Conflict)?;
    let note = input
        .note
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from);
    let need = |field: &str, what: &str, v: &Option<String>| -> Result<String, ServiceError> {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .ok_or_else(|| ServiceError::invalid(field, format!("Nhập {what}.")))
    };
    let day = super::day_of(at);
    let mut set: Vec<(&'static str, Val)> = Vec::new();
    let mut agency_after = r.agency_id;
    let mut count_supplement = false;
    match action {
        Action::Reject => {
            let reason = need("note", "lý do từ chối tiếp nhận", &note)?;
            set.push(("reject_reason", Val::Text(Some(reason))));
            set.push(("handled_at", Val::Time(Some(at))));
        }
        Action::RequestSupplement => {
            if r.supplement_count > 0 {
                return Err(ServiceError::Conflict(
                    "Phản ánh này đã được yêu cầu bổ sung một lần.".into(),
                ));
            }
            let what = need("note", "nội dung cần bổ sung", &note)?;
            set.push(("supplement_request", Val::Text(Some(what))));
            count_supplement = true;
        }
        Action::Forward => {
            let code = need("agency_code", "cơ quan có thẩm quyền", &input.agency_code)?;
            let a = store::agency::get_by_code(&app.db, &code)
                .await
                .ok()
                .filter(|a| a.valid_on(day))
                .ok_or_else(|| {
                    ServiceError::invalid(
                        "agency_code",
                        "Không tìm thấy cơ quan đang hoạt động với mã này.",
                    )
                })?;
            if Some(a.id) == r.agency_id {
                return Err(ServiceError::invalid(
                    "agency_code",
                    "Phản ánh đang ở chính cơ quan này.",
                ));
            }
            agency_after = Some(a.id);
            set.push(("agency_id", Val::Int(Some(a.id))));
            set.push(("assigned_to", Val::Int(None)));
            // Counted again from the day the competent agency receives it.
            set.extend(super::received_again(app, at).await?);
        }
        Action::Merge => {
            let code = need("merge_into", "mã phản ánh trùng", &input.merge_into)?;
            let into = store::feedback::by_code(&app.db, &domain::feedback::normalise_code(&code))
                .await?
                .filter(|x| x.id != r.id && x.merged_into.is_none())
                .ok_or_else(|| {
                    ServiceError::invalid("merge_into", "Không tìm thấy phản ánh trùng với mã này.")
                })?;
            visible(app, p, &into).await.map_err(|_| {
                ServiceError::invalid("merge_into", "Không tìm thấy phản ánh trùng với mã này.")
            })?;
            set.push(("merged_into", Val::Int(Some(into.id))));
            set.push(("handled_at", Val::Time(Some(at))));
        }
        Action::Assign => {
            let who = need("assignee", "cán bộ được phân công", &input.assignee)?;
            let u = store::user::get_by_username(&app.db, &who)
                .await
                .ok()
                .filter(|u| u.active)
                .ok_or_else(|| ServiceError::invalid("assignee", "Không tìm thấy cán bộ này."))?;
            let path = app
                .agency(r.agency_id.unwrap_or_default())
                .await?
                .path
                .clone();
            if !u.agency_path.starts_with(&path) {
                return Err(ServiceError::invalid(
                    "assignee",
                    "Chỉ phân công cán bộ của đơn vị đang xử lý phản ánh.",
                ));
            }
            set.push(("assigned_to", Val::Int(Some(u.id))));
        }
        Action::Draft => {
            let answer = need("answer", "nội dung trả lời", &input.answer)?;
            if answer.chars().count() > super::public::MAX_CONTENT {
                return Err(ServiceError::invalid(
                    "answer",
                    "Nội dung trả lời quá dài (tối đa 10.000 ký tự).",
                ));
            }
            set.push(("answer", Val::Text(Some(answer))));
            set.push(("answered_by", Val::Int(Some(p.user_id))));
        }
        Action::ReturnDraft => {
            need("note", "lý do trả lại dự thảo", &note)?;
        }
        Action::Approve => {
            let cal = app.calendar.get(&app.db).await?;
            let due = TimeLimits::on(super::day_of(r.received_at))
                .map_err(ServiceError::Internal)?
                .publish_due(&cal, day)
                .map_err(|e| ServiceError::bad(e.to_string()))?;
            set.extend([
                ("approved_by", Val::Int(Some(p.user_id))),
                ("approved_at", Val::Time(Some(at))),
                ("publish_due_on", Val::Date(Some(due))),
                ("handled_at", Val::Time(Some(at))),
            ]);
        }
        Action::Publish => {
            let answer = r.answer.clone().unwrap_or_default();
            let (title, content, answer) = super::public::public_texts(&r, &answer);
            set.extend([
                (
                    "public_search",
                    Val::Text(Some(domain::text::fold_vi(&format!(
                        "{} {title} {content} {answer}",
                        r.code
                    )))),
                ),
                ("public_title", Val::Text(Some(title))),
                ("public_content", Val::Text(Some(content))),
                ("public_answer", Val::Text(Some(answer))),
                ("published_at", Val::Time(Some(at))),
            ]);
        }
        Action::Accept | Action::Supplement => {}
    }
    let step = Step {
        action: action.code().into(),
        from_status: from.code().into(),
        to_status: to.code().into(),
        agency_id: agency_after,
        note,
        set,
        count_supplement,
        at,
    };
    store::feedback::step(&app.db, id, &step, &caller.actor())
        .await
        .map_err(ServiceError::stale_as(
            "Phản ánh vừa được người khác xử lý; vui lòng tải lại trang.",
        ))?;
    get(app, p, id).await
}

/// The officers a head may assign a feedback to: active users of the agency holding it
/// (and its units), as (user name, full name).
pub async fn assignees(
    app: &App,
    p: &Principal,
    id: i64,
) -> Result<Vec<(String, String)>, ServiceError> {
    let r = store::feedback::get(&app.db, id).await?;
    visible(app, p, &r).await?;
    let Some(agency_id) = r.agency_id else {
        return Ok(Vec::new());
    };
    let path = app.agency(agency_id).await?.path.clone();
    let (users, _) = store::user::list(
        &app.db,
        &store::user::UserFilter {
            scope_prefix: Some(path),
            active: Some(true),
            ..Default::default()
        },
        store::Page::all(),
    )
    .await?;
    Ok(users
        .into_iter()
        .map(|u| (u.username, format!("{} — {}", u.full_name, u.agency_name)))
        .collect())
}
