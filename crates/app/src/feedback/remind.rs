//! Reminders and escalations of phản ánh, kiến nghị on the province's reminder schedule
//! (`data/reminders.toml`, the one the tasks use: a decision of UBND tỉnh, not a rule of
//! law), counted from the answer's due date (15 working days after the reception, NĐ
//! 20/2008/NĐ-CP as amended by NĐ 92/2017/NĐ-CP; `data/feedback/time-limits.yaml`).
//!
//! The audiences, for a feedback: "officers" are the officer it is assigned to, or, while
//! nobody is, the chuyên viên and lãnh đạo of the agency that holds it; "heads" that
//! agency's lãnh đạo; "assigning_office" the Văn phòng UBND tỉnh – Phòng Kiểm soát TTHC,
//! the office that receives and controls feedback on administrative regulations in the
//! province (NĐ 20/2008/NĐ-CP as amended by NĐ 92/2017/NĐ-CP). A feedback waiting for its sender's supplement gets
//! none: the agency has nothing to do. A rule fires once per user, feedback and due date
//! (a forward or a supplement sets a new due date, whose reminders are new).

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use chrono::NaiveDate;
use domain::org::Role;
use domain::reminder::{Audience, CATCH_UP_DAYS, ReminderKind, ReminderSchedule, Rule, due_rules};
use domain::task::TaskStatus;
use store::Db;
use store::notification::{NewNotification, Recipient, ReminderFeedback};

/// Creates the feedback reminders due on `today`; returns how many notifications were new.
pub async fn send_reminders(
    db: &Db,
    schedule: &ReminderSchedule,
    today: NaiveDate,
) -> Result<usize, store::StoreError> {
    let (Some(first), Some(last)) = (schedule.rules.first(), schedule.rules.last()) else {
        return Ok(0);
    };
    let from = today - chrono::Duration::days(CATCH_UP_DAYS - 1 + last.offset_days);
    let to = today - chrono::Duration::days(first.offset_days);
    let mut people: HashMap<(Audience, i64), Vec<Recipient>> = HashMap::new();
    let mut created = 0;
    for f in store::notification::reminder_feedback(db, from, to).await? {
        // The schedule's rules for an open item: late from the day after its due date.
        let status = if today > f.due_on {
            TaskStatus::Overdue
        } else {
            TaskStatus::InProgress
        };
        for rule in due_rules(schedule, f.due_on, today, status) {
            let recipients: Vec<Recipient> = match (rule.audience, f.assigned_to) {
                (Audience::Officers, Some(user)) => store::notification::active_user(db, user)
                    .await?
                    .into_iter()
                    .collect(),
                (audience, _) => {
                    let key = match audience {
                        Audience::AssigningOffice => (audience, 0),
                        a => (a, f.agency_id),
                    };
                    if let Entry::Vacant(slot) = people.entry(key) {
                        let office = [Role::VanPhongKstt];
                        slot.insert(
                            crate::jobs::audience(db, audience, f.agency_id, &office).await?,
                        );
                    }
                    people.get(&key).cloned().unwrap_or_default()
                }
            };
            let (title, body) = text(&f, rule, today);
            for user in recipients {
                let n = NewNotification {
                    dossier_id: None,
                    user_id: user.id,
                    task_id: None,
                    feedback_id: Some(f.id),
                    kind: rule.kind.code().into(),
                    rule: format!("{}@{}", rule.code(), f.due_on),
                    title: title.clone(),
                    body: body.clone(),
                    link: format!("/phan-anh-kien-nghi/{}", f.id),
                };
                if store::notification::insert_if_absent(db, &n).await? {
                    created += 1;
                }
            }
        }
    }
    Ok(created)
}

/// The Vietnamese title and body of a feedback reminder. The title of a feedback is the
/// one staff see in their queue (the sender's own words, not published).
fn text(f: &ReminderFeedback, rule: &Rule, today: NaiveDate) -> (String, String) {
    let days = (today - f.due_on).num_days();
    let when = match days {
        d if d < 0 => format!("còn {} ngày đến hạn trả lời", -d),
        0 => "đến hạn trả lời hôm nay".to_string(),
        d => format!("đã quá hạn trả lời {d} ngày"),
    };
    let prefix = match rule.kind {
        ReminderKind::BeforeDue | ReminderKind::DueToday => "Nhắc việc",
        ReminderKind::Overdue => "Quá hạn",
        ReminderKind::EscalationHead => "Cảnh báo lãnh đạo đơn vị",
        ReminderKind::EscalationOffice => "Cảnh báo Văn phòng UBND tỉnh",
    };
    let title = format!("{prefix}: phản ánh, kiến nghị {} {when}", f.code);
    let about = crate::notify::excerpt(&f.title, 160);
    let state = domain::feedback::Status::parse(&f.status)
        .map(|s| s.label())
        .unwrap_or("Đang xử lý");
    let ask = match rule.audience {
        Audience::Officers => "Đề nghị xử lý, dự thảo trả lời trình lãnh đạo duyệt.",
        Audience::Heads => "Đề nghị lãnh đạo đơn vị chỉ đạo trả lời dứt điểm.",
        Audience::AssigningOffice => "Đề nghị Văn phòng UBND tỉnh đôn đốc, xem xét xử lý.",
    };
    let body = format!(
        "Phản ánh, kiến nghị {} «{about}» do {} xử lý ({state}). Hạn trả lời: {}; {when}. {ask}",
        f.code,
        f.agency_name,
        f.due_on.format("%d/%m/%Y"),
    );
    (title, body)
}
