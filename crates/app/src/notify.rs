//! Thông báo theo sự kiện — a notification, in the app and by e-mail when SMTP is set, for
//! every event someone must act on, beside the schedule's reminders (`jobs`,
//! `feedback::remind`): a task assigned to a unit, a completion awaiting verification, a
//! completion returned or accepted; a feedback assigned to an officer, a draft answer
//! awaiting the head, a draft returned. Each names the event's instant in its rule, so it
//! is sent once per event and never blocks the operation: a failure is logged.

use std::collections::BTreeMap;

use domain::org::Role;
use domain::reminder::Audience;
use store::notification::{NewNotification, Recipient};
use store::task::{Task, TaskEvent};

use crate::App;

/// The offices that assign and verify the province's tasks (Sở Nội vụ, VP UBND – KSTT).
const OFFICE: [Role; 2] = [Role::SoNoiVu, Role::VanPhongKstt];

/// The officers (chuyên viên, lãnh đạo) of an agency itself.
async fn officers(app: &App, agency_id: i64) -> Result<Vec<Recipient>, store::StoreError> {
    crate::jobs::audience(&app.db, Audience::Officers, agency_id, &OFFICE).await
}

/// The heads (lãnh đạo) of an agency itself.
async fn heads(app: &App, agency_id: i64) -> Result<Vec<Recipient>, store::StoreError> {
    crate::jobs::audience(&app.db, Audience::Heads, agency_id, &OFFICE).await
}

async fn assigning_office(app: &App) -> Result<Vec<Recipient>, store::StoreError> {
    crate::jobs::audience(&app.db, Audience::AssigningOffice, 0, &OFFICE).await
}

struct Note {
    task_id: Option<i64>,
    feedback_id: Option<i64>,
    dossier_id: Option<i64>,
    kind: &'static str,
    rule: String,
    title: String,
    body: String,
    link: String,
}

async fn send(app: &App, to: Vec<Recipient>, skip: Option<i64>, n: Note) {
    for user in to.into_iter().filter(|u| Some(u.id) != skip) {
        let row = NewNotification {
            user_id: user.id,
            task_id: n.task_id,
            feedback_id: n.feedback_id,
            dossier_id: n.dossier_id,
            kind: n.kind.into(),
            rule: n.rule.clone(),
            title: n.title.clone(),
            body: n.body.clone(),
            link: n.link.clone(),
        };
        if let Err(e) = store::notification::insert_if_absent(&app.db, &row).await {
            tracing::warn!(error = %e, "không tạo được thông báo");
        }
    }
}

/// The first `n` characters of a text, "…" when cut (notifications quote, not copy).
pub fn excerpt(text: &str, n: usize) -> String {
    let mut s: String = text.chars().take(n).collect();
    if text.chars().count() > n {
        s.push('…');
    }
    s
}

/// ", mục 2" of a task's item reference (a reference read from a directive may already
/// begin with "mục": "mục 1, gạch đầu dòng 2").
pub(crate) fn item_suffix(item_ref: Option<&str>) -> String {
    match item_ref.map(str::trim).filter(|r| !r.is_empty()) {
        None => String::new(),
        Some(r) if r.to_lowercase().starts_with("mục") => format!(", {r}"),
        Some(r) => format!(", mục {r}"),
    }
}

fn item(t: &Task) -> String {
    item_suffix(t.item_ref.as_deref())
}

fn deadline(t: &Task) -> String {
    t.deadline
        .map(|d| format!(" Hạn hoàn thành: {}.", d.format("%d/%m/%Y")))
        .unwrap_or_default()
}

/// A task just assigned to its lead agency (`task::assign`).
pub async fn task_assigned(app: &App, t: &Task, by: i64) {
    let Some(lead) = t.lead_agency_id else {
        return;
    };
    let to = match officers(app, lead).await {
        Ok(to) => to,
        Err(e) => return tracing::warn!(error = %e, "không đọc được người nhận thông báo"),
    };
    let note = Note {
        task_id: Some(t.id),
        feedback_id: None,
        dossier_id: None,
        kind: "assigned",
        rule: format!("assigned@{}", t.updated_at.timestamp_millis()),
        title: format!(
            "Nhiệm vụ mới số {} theo văn bản {}",
            t.id, t.directive_number
        ),
        body: format!(
            "Đơn vị được giao chủ trì nhiệm vụ số {} theo văn bản {}{}: «{}».{} Đề nghị tổ chức thực hiện và báo cáo tiến độ.",
            t.id,
            t.directive_number,
            item(t),
            excerpt(&t.content, 160),
            deadline(t)
        ),
        link: format!("/nhiem-vu/{}", t.id),
    };
    send(app, to, Some(by), note).await;
}

/// Tasks imported from a directive (`task::import_tasks`): one notification per lead
/// agency with the number of its new tasks.
pub async fn tasks_imported(
    app: &App,
    directive_id: i64,
    leads: &BTreeMap<i64, usize>,
    at: chrono::DateTime<chrono::Utc>,
) {
    let number = match store::directive::get(&app.db, directive_id).await {
        Ok(d) => d.number,
        Err(e) => return tracing::warn!(error = %e, "không đọc được văn bản"),
    };
    for (lead, n) in leads {
        let to = match officers(app, *lead).await {
            Ok(to) => to,
            Err(e) => return tracing::warn!(error = %e, "không đọc được người nhận thông báo"),
        };
        let note = Note {
            task_id: None,
            feedback_id: None,
            dossier_id: None,
            kind: "assigned",
            rule: format!("imported@{directive_id}@{}@{lead}", at.timestamp_millis()),
            title: format!("{n} nhiệm vụ mới theo văn bản {number}"),
            body: format!(
                "Đơn vị được giao chủ trì {n} nhiệm vụ theo văn bản {number}. Đề nghị xem danh sách nhiệm vụ, tổ chức thực hiện và báo cáo tiến độ."
            ),
            link: format!("/van-ban/{directive_id}"),
        };
        send(app, to, None, note).await;
    }
}

/// After a completion report, a verification or a return (`task::act`).
pub async fn task_event(app: &App, t: &Task, event: &TaskEvent, by: i64) {
    let stamp = t.updated_at.timestamp_millis();
    let link = format!("/nhiem-vu/{}", t.id);
    let (to, kind, rule, title, body) = match event {
        TaskEvent::Progress { .. } => return,
        TaskEvent::Submit { .. } => (
            assigning_office(app).await,
            "awaiting_verification",
            format!("submitted@{stamp}"),
            format!("Chờ xác nhận: nhiệm vụ số {} đã báo cáo hoàn thành", t.id),
            format!(
                "{} đã báo cáo hoàn thành nhiệm vụ số {} theo văn bản {}{}: «{}». Đề nghị xem báo cáo, minh chứng và xác nhận hoặc trả lại.",
                t.lead_name.as_deref().unwrap_or("Cơ quan chủ trì"),
                t.id,
                t.directive_number,
                item(t),
                excerpt(&t.content, 160)
            ),
        ),
        TaskEvent::Return { reason } => (
            match t.lead_agency_id {
                Some(lead) => officers(app, lead).await,
                None => Ok(Vec::new()),
            },
            "returned",
            format!("returned@{stamp}"),
            format!("Bị trả lại: báo cáo hoàn thành nhiệm vụ số {}", t.id),
            format!(
                "Báo cáo hoàn thành nhiệm vụ số {} theo văn bản {}{} bị trả lại. Lý do: {}.{} Đề nghị bổ sung và báo cáo lại.",
                t.id,
                t.directive_number,
                item(t),
                excerpt(reason, 160).trim_end_matches('.'),
                deadline(t)
            ),
        ),
        TaskEvent::Accept { .. } => (
            match t.lead_agency_id {
                Some(lead) => heads(app, lead).await,
                None => Ok(Vec::new()),
            },
            "accepted",
            format!("accepted@{stamp}"),
            format!("Đã xác nhận hoàn thành nhiệm vụ số {}", t.id),
            format!(
                "Nhiệm vụ số {} theo văn bản {}{} đã được xác nhận hoàn thành.",
                t.id,
                t.directive_number,
                item(t)
            ),
        ),
    };
    let to = match to {
        Ok(to) => to,
        Err(e) => return tracing::warn!(error = %e, "không đọc được người nhận thông báo"),
    };
    let note = Note {
        task_id: Some(t.id),
        feedback_id: None,
        dossier_id: None,
        kind,
        rule,
        title,
        body,
        link,
    };
    send(app, to, Some(by), note).await;
}

/// After a step on a feedback (`feedback::act`): assigned to an officer, a draft awaiting
/// the head's approval, a draft returned to its officer.
pub async fn feedback_step(
    app: &App,
    r: &store::feedback::FeedbackRow,
    action: domain::feedback::Action,
    by: i64,
) {
    use domain::feedback::Action;
    let stamp = r.updated_at.timestamp_millis();
    let link = format!("/phan-anh-kien-nghi/{}", r.id);
    let due = r.due_on.format("%d/%m/%Y");
    let officer = || async {
        match r.assigned_to {
            Some(u) => store::notification::active_user(&app.db, u)
                .await
                .map(|x| x.into_iter().collect()),
            None => Ok(Vec::new()),
        }
    };
    let (to, kind, title, body) = match action {
        Action::Assign => (
            officer().await,
            "assigned",
            format!("Được phân công xử lý phản ánh, kiến nghị {}", r.code),
            format!(
                "Bạn được phân công xử lý phản ánh, kiến nghị {} «{}». Hạn trả lời: {due}. Đề nghị dự thảo trả lời trình lãnh đạo duyệt.",
                r.code,
                excerpt(&r.title, 160)
            ),
        ),
        Action::Draft => (
            match r.agency_id {
                Some(a) => heads(app, a).await,
                None => Ok(Vec::new()),
            },
            "awaiting_approval",
            format!("Chờ duyệt: dự thảo trả lời phản ánh, kiến nghị {}", r.code),
            format!(
                "Dự thảo trả lời phản ánh, kiến nghị {} «{}» chờ lãnh đạo duyệt. Hạn trả lời: {due}.",
                r.code,
                excerpt(&r.title, 160)
            ),
        ),
        Action::ReturnDraft => (
            officer().await,
            "returned",
            format!("Dự thảo trả lời phản ánh, kiến nghị {} bị trả lại", r.code),
            format!(
                "Lãnh đạo trả lại dự thảo trả lời phản ánh, kiến nghị {} «{}». Hạn trả lời: {due}. Đề nghị chỉnh sửa và trình lại.",
                r.code,
                excerpt(&r.title, 160)
            ),
        ),
        _ => return,
    };
    let to = match to {
        Ok(to) => to,
        Err(e) => return tracing::warn!(error = %e, "không đọc được người nhận thông báo"),
    };
    let note = Note {
        task_id: None,
        feedback_id: Some(r.id),
        dossier_id: None,
        kind,
        rule: format!("{kind}@{stamp}"),
        title,
        body,
        link,
    };
    send(app, to, Some(by), note).await;
}

/// A dossier moved to someone who must act: the officer it is assigned to, the leaders
/// of the handling unit when it reaches the signing step, the receiving desk when its
/// result is ready to return. `signing`: the step it is now at is the signing step.
pub async fn dossier_event(
    app: &App,
    d: &store::dossier::Dossier,
    kind: domain::dossier::EventKind,
    signing: bool,
    by: i64,
) {
    use domain::dossier::EventKind as K;
    let when = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| domain::time::local(t).format("%H:%M %d/%m/%Y").to_string())
            .unwrap_or_else(|| "—".into())
    };
    let what = format!("{} «{}»", d.code, excerpt(&d.tthc_name, 120));
    let to: Result<Vec<Recipient>, store::StoreError> = match kind {
        K::Assign | K::Transfer if signing => match d.handling_agency_id {
            Some(a) => heads(app, a).await,
            None => Ok(Vec::new()),
        },
        K::Assign | K::Transfer => match d.assignee_id {
            Some(u) => store::notification::active_user(&app.db, u)
                .await
                .map(|x| x.into_iter().collect()),
            None => Ok(Vec::new()),
        },
        K::FinishProcessing => desk_clerks(app, d.agency_id).await,
        _ => return,
    };
    let (note_kind, title, body) = match kind {
        K::FinishProcessing => (
            "result_ready",
            format!("Hồ sơ {} đã có kết quả, chờ trả", d.code),
            format!(
                "Hồ sơ {what} đã xử lý xong. Đề nghị bộ phận một cửa trả kết quả cho người nộp {} (hẹn trả {}).",
                d.applicant_name,
                when(d.rescheduled_at.or(d.appointment_at))
            ),
        ),
        _ if signing => (
            "awaiting_signature",
            format!("Chờ ký duyệt: hồ sơ {}", d.code),
            format!(
                "Hồ sơ {what} được trình ký. Hạn bước: {}; hạn trả kết quả: {}.",
                when(d.step_due_at),
                when(d.due_at)
            ),
        ),
        _ => (
            "assigned",
            format!("Được phân công xử lý hồ sơ {}", d.code),
            format!(
                "Bạn được phân công xử lý hồ sơ {what}. Hạn bước: {}; hạn trả kết quả: {}.",
                when(d.step_due_at),
                when(d.due_at)
            ),
        ),
    };
    let to = match to {
        Ok(to) => to,
        Err(e) => return tracing::warn!(error = %e, "không đọc được người nhận thông báo"),
    };
    let note = Note {
        task_id: None,
        feedback_id: None,
        dossier_id: Some(d.id),
        kind: note_kind,
        rule: format!(
            "dossier:{}:{note_kind}@{}",
            d.id,
            d.updated_at.timestamp_millis()
        ),
        title,
        body,
        link: format!("/ho-so/{}", d.id),
    };
    send(app, to, Some(by), note).await;
}

/// The one-stop clerks of the desk that received a dossier.
async fn desk_clerks(app: &App, agency_id: i64) -> Result<Vec<Recipient>, store::StoreError> {
    store::notification::recipients(&app.db, Some(agency_id), &[Role::MotCua.code()]).await
}
