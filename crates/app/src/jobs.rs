//! Background work that every node may run: it is idempotent (unique keys), so two nodes
//! doing it at once create nothing twice.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use chrono::NaiveDate;
use domain::calendar::{Adjustment, Calendar};
use domain::org::Role;
use domain::reminder::{
    Audience, CATCH_UP_DAYS, ReminderError, ReminderKind, ReminderSchedule, Rule, due_rules,
};
use domain::task::TaskFacts;
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use store::Db;
use store::audit::Actor;
use store::notification::{NewNotification, Recipient, ReminderTask};

/// After a change of the calendar: every open occurrence of a recurring task whose due
/// date the new calendar moves (a new day off on the 18th…) gets the new deadline, with an
/// audit row naming both dates and the calendar version. Occurrences already reported, or
/// whose deadline was extended by decision, keep theirs. Returns how many moved.
pub async fn recompute_deadlines(
    db: &Db,
    cal: &Calendar,
    actor: &Actor,
) -> Result<usize, store::StoreError> {
    let mut moved = 0;
    let mut parents: std::collections::HashMap<i64, Option<String>> = Default::default();
    for t in store::task::open_occurrences(db).await? {
        let (Some(parent_id), Some(period), Some(deadline)) =
            (t.parent_id, t.period.as_deref(), t.deadline)
        else {
            continue;
        };
        if let std::collections::hash_map::Entry::Vacant(slot) = parents.entry(parent_id) {
            slot.insert(store::task::get(db, parent_id).await?.recurrence);
        }
        let Some(code) = parents.get(&parent_id).cloned().flatten() else {
            continue;
        };
        let Some(rec) = domain::task::recurrence_of(&code) else {
            continue;
        };
        let Ok(p) = period.parse::<domain::calendar::Period>() else {
            continue;
        };
        let Ok((from, to)) = p.range(domain::calendar::PeriodMode::Calendar) else {
            continue;
        };
        let Some(nominal) = rec.nominal_dates(from, to).into_iter().next() else {
            continue;
        };
        let Ok(due) = cal.working_day_on_or_before(nominal) else {
            continue;
        };
        if due != deadline {
            store::task::reschedule(db, &t, due, cal.version(), actor).await?;
            moved += 1;
        }
    }
    Ok(moved)
}

/// Creates the occurrences of every recurring task from its directive's date up to
/// `up_to` (or the day its lead agency ceased to exist), one per period, due on the
/// period's date moved to the previous working day when it is a day off
/// (`Adjustment::Previous`: "trước ngày 18" is then still met). Returns how many were new.
pub async fn generate_occurrences(
    db: &Db,
    cal: &Calendar,
    up_to: NaiveDate,
) -> Result<usize, store::StoreError> {
    let actor = Actor::system("định kỳ");
    let mut created = 0;
    let holders = store::agency::succession(db).await?;
    for parent in store::task::recurring(db).await? {
        let Some(code) = parent.recurrence.as_deref() else {
            continue;
        };
        let Some(rec) = domain::task::recurrence_of(code) else {
            continue;
        };
        let directive = store::directive::get(db, parent.directive_id).await?;
        let Ok(dues) = rec.due_dates(cal, directive.issued_on, up_to, Adjustment::Previous) else {
            continue;
        };
        for due in dues {
            // Each period's report is owed by the agency holding the duty on its due date:
            // the lead while it exists, then its successor after a merger; none after a
            // dissolution without successor.
            let mut owner = parent.clone();
            if let Some(lead) = parent.lead_agency_id {
                match store::agency::holder_on(&holders, lead, due.due) {
                    Some(h) => owner.lead_agency_id = Some(h),
                    None => continue,
                }
            }
            let (period, label) = domain::task::occurrence_period(code, due.nominal);
            if store::task::ensure_occurrence(
                db,
                &owner,
                &period,
                &label,
                due.due,
                cal.version(),
                &actor,
            )
            .await?
            .is_some()
            {
                created += 1;
            }
        }
    }
    Ok(created)
}

/// The province's reminder schedule, compiled in from `data/reminders.toml`.
pub const REMINDERS_TOML: &str = include_str!("../../../data/reminders.toml");

/// Parses the compiled-in schedule (the file is checked by the domain's tests).
pub fn reminder_schedule() -> Result<ReminderSchedule, ReminderError> {
    ReminderSchedule::parse(REMINDERS_TOML)
}

/// Creates the reminders and escalations due on `today` for every unfinished task with
/// a deadline and a registered lead (`domain::reminder::due_rules`), for the rule's
/// audience: "officers" are the chuyên viên and lãnh đạo of the lead agency itself,
/// "heads" its lãnh đạo, "assigning_office" Sở Nội vụ and VP UBND – KSTT. A rule fires
/// once per user and task (unique index), so reruns and other nodes add nothing.
/// Returns how many notifications were new.
pub async fn send_reminders(
    db: &Db,
    schedule: &ReminderSchedule,
    today: NaiveDate,
) -> Result<usize, store::StoreError> {
    let (Some(first), Some(last)) = (schedule.rules.first(), schedule.rules.last()) else {
        return Ok(0);
    };
    // A rule's day is deadline + offset, sent while within CATCH_UP_DAYS of today.
    let from = today - chrono::Duration::days(CATCH_UP_DAYS - 1 + last.offset_days);
    let to = today - chrono::Duration::days(first.offset_days);
    let mut people: HashMap<(Audience, i64), Vec<Recipient>> = HashMap::new();
    let mut created = 0;
    for task in store::notification::reminder_tasks(db, from, to).await? {
        let facts = TaskFacts {
            deadline: Some(task.deadline),
            submitted_on: task.submitted_on,
            verified: task.verified,
        };
        let status = domain::task::status(&facts, today);
        for rule in due_rules(schedule, task.deadline, today, status) {
            let key = match rule.audience {
                Audience::AssigningOffice => (rule.audience, 0),
                a => (a, task.lead_agency_id),
            };
            if let Entry::Vacant(slot) = people.entry(key) {
                let office = [Role::SoNoiVu, Role::VanPhongKstt];
                slot.insert(audience(db, rule.audience, task.lead_agency_id, &office).await?);
            }
            let (title, body) = reminder_text(&task, rule, today);
            for user in people.get(&key).into_iter().flatten() {
                let n = NewNotification {
                    dossier_id: None,
                    user_id: user.id,
                    task_id: Some(task.id),
                    feedback_id: None,
                    kind: rule.kind.code().into(),
                    rule: rule.code(),
                    title: title.clone(),
                    body: body.clone(),
                    link: format!("/nhiem-vu/{}", task.id),
                };
                if store::notification::insert_if_absent(db, &n).await? {
                    created += 1;
                }
            }
        }
    }
    Ok(created)
}

/// The people of a schedule rule's audience about an item of `agency_id`: "officers" are
/// the chuyên viên and lãnh đạo of the agency itself (not its subtree), "heads" its lãnh
/// đạo, "assigning_office" the holders of the `office` roles anywhere.
pub(crate) async fn audience(
    db: &Db,
    audience: Audience,
    agency_id: i64,
    office: &[Role],
) -> Result<Vec<Recipient>, store::StoreError> {
    match audience {
        Audience::Officers => {
            let roles = [Role::ChuyenVien.code(), Role::LanhDaoDonVi.code()];
            store::notification::recipients(db, Some(agency_id), &roles).await
        }
        Audience::Heads => {
            store::notification::recipients(db, Some(agency_id), &[Role::LanhDaoDonVi.code()]).await
        }
        Audience::AssigningOffice => {
            let roles: Vec<&str> = office.iter().map(|r| r.code()).collect();
            store::notification::recipients(db, None, &roles).await
        }
    }
}

/// The Vietnamese title and body of a reminder.
fn reminder_text(task: &ReminderTask, rule: &Rule, today: NaiveDate) -> (String, String) {
    let days = (today - task.deadline).num_days();
    let when = match days {
        d if d < 0 => format!("còn {} ngày đến hạn", -d),
        0 => "đến hạn hôm nay".to_string(),
        d => format!("đã quá hạn {d} ngày"),
    };
    let prefix = match rule.kind {
        ReminderKind::BeforeDue | ReminderKind::DueToday => "Nhắc việc",
        ReminderKind::Overdue => "Quá hạn",
        ReminderKind::EscalationHead => "Cảnh báo lãnh đạo đơn vị",
        ReminderKind::EscalationOffice => "Cảnh báo cơ quan giao nhiệm vụ",
    };
    let title = format!("{prefix}: nhiệm vụ số {} {when}", task.id);
    let item = crate::notify::item_suffix(task.item_ref.as_deref());
    let content = crate::notify::excerpt(&task.content, 200);
    let ask = match rule.audience {
        Audience::Officers => "Đề nghị cập nhật tiến độ hoặc báo cáo hoàn thành nhiệm vụ.",
        Audience::Heads => "Đề nghị lãnh đạo đơn vị chỉ đạo hoàn thành nhiệm vụ.",
        Audience::AssigningOffice => "Đề nghị cơ quan giao nhiệm vụ đôn đốc, xem xét xử lý.",
    };
    let body = format!(
        "Nhiệm vụ số {} theo văn bản {}{item}, do {} chủ trì: «{content}». Hạn xử lý: {}; {when}. {ask}",
        task.id,
        task.directive_number,
        task.lead_name,
        task.deadline.format("%d/%m/%Y"),
    );
    (title, body)
}

/// Sends notifications by e-mail over SMTP.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// `smtp://user:pass@host:587` (STARTTLS when offered), `smtps://…:465`, or
    /// `smtp://host:587?tls=required`; `from` is `Tên <dia-chi@...>` or an address.
    pub fn new(smtp_url: &str, from: &str) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| format!("địa chỉ SMTP không hợp lệ: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| format!("địa chỉ người gửi (smtp_from) không hợp lệ: {e}"))?;
        Ok(Mailer { transport, from })
    }

    /// A mailer from the configuration, when both `smtp_url` and `smtp_from` are set.
    pub fn from_config(smtp_url: Option<&str>, smtp_from: Option<&str>) -> Option<Mailer> {
        let (Some(url), Some(from)) = (smtp_url, smtp_from) else {
            return None;
        };
        match Mailer::new(url, from) {
            Ok(m) => Some(m),
            Err(e) => {
                tracing::warn!(error = %e, "không dùng được cấu hình SMTP, không gửi thư");
                None
            }
        }
    }
}

/// E-mails the notifications of the last two days not sent yet to users with an
/// address, and marks them sent. A failed message is logged and tried again on the next
/// run; it never stops the others. Returns how many were sent.
pub async fn email_notifications(db: &Db, mailer: &Mailer) -> Result<usize, store::StoreError> {
    let since = store::now() - chrono::Duration::days(2);
    let mut sent = 0;
    for n in store::notification::pending_email(db, since, 500).await? {
        let to = match n.email.trim().parse::<lettre::Address>() {
            Ok(a) => Mailbox::new(Some(n.full_name.clone()), a),
            Err(e) => {
                tracing::warn!(notification = n.id, error = %e, "địa chỉ e-mail không hợp lệ, bỏ qua");
                // Not retried: the address will not become valid by itself.
                store::notification::mark_emailed(db, n.id).await?;
                continue;
            }
        };
        let text = format!(
            "{}\n\n{}\n\nXem chi tiết trong Hệ thống quản lý cải cách hành chính: {}\n\n\
             Thư này được gửi tự động theo lịch nhắc việc của tỉnh; vui lòng không trả lời.",
            n.title, n.body, n.link
        );
        let msg = Message::builder()
            .from(mailer.from.clone())
            .to(to)
            .subject(n.title.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(text);
        let msg = match msg {
            Ok(m) => m,
            Err(e) => {
                tracing::warn!(notification = n.id, error = %e, "không tạo được thư");
                continue;
            }
        };
        match mailer.transport.send(msg).await {
            Ok(_) => {
                store::notification::mark_emailed(db, n.id).await?;
                sent += 1;
            }
            Err(e) => {
                tracing::warn!(notification = n.id, error = %e, "không gửi được thư thông báo");
                // The server is likely down: try the rest on the next run.
                break;
            }
        }
    }
    Ok(sent)
}
