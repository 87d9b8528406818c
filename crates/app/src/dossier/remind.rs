//! Reminders of one-stop dossiers, on the hourly job: a dossier due within two working
//! days is reminded to the officer it is assigned to (or, unassigned, to the handling
//! unit's officers); a dossier past its deadline is escalated to the handling unit's
//! leaders, who must sign the apology letter and new date (NĐ 118/2025 Điều 19 khoản 6,
//! CV 6486/UBND-KSTT mục 3: those who cause delays are named). Waiting for the applicant
//! (supplement) stops the clock and the reminders. Each fires once per user, dossier and
//! deadline in force, so a new date is reminded again.

use chrono::{DateTime, Utc};
use domain::org::Role;
use store::dossier::{Dossier, DossierFilter};
use store::notification::{NewNotification, Recipient};
use store::{Db, Page};

/// How many dossiers one run reads per list (the oldest deadlines first).
const BATCH: i64 = 5000;

/// Creates the reminders due at `now`; returns how many notifications were new.
pub async fn send_reminders(
    db: &Db,
    cal: &domain::calendar::Calendar,
    now: DateTime<Utc>,
) -> Result<usize, store::StoreError> {
    let today = domain::time::local(now).date();
    let horizon = cal
        .add_working_days(today, 2)
        .unwrap_or(today + chrono::Duration::days(2));
    let horizon = domain::time::utc(horizon.and_hms_opt(23, 59, 59).unwrap_or_default());
    let (near, _) = store::dossier::list(
        db,
        &DossierFilter {
            due_between: Some((now, horizon)),
            ..Default::default()
        },
        Page::new(Some(BATCH), None),
    )
    .await?;
    let (late, _) = store::dossier::list(
        db,
        &DossierFilter {
            overdue_at: Some(now),
            ..Default::default()
        },
        Page::new(Some(BATCH), None),
    )
    .await?;
    let mut made = 0;
    for d in near.iter().filter(|d| d.status.code() != 1) {
        let to = match d.assignee_id {
            Some(u) => store::notification::active_user(db, u)
                .await?
                .into_iter()
                .collect(),
            None => unit(db, d, &[Role::ChuyenVien, Role::LanhDaoDonVi]).await?,
        };
        let due = when(d.due_at);
        made += notify(
            db,
            d,
            to,
            "near_due",
            format!("Nhắc hạn: hồ sơ {} đến hạn {due}", d.code),
            format!(
                "Hồ sơ {} «{}» của {} đến hạn trả kết quả lúc {due}. Đề nghị hoàn thành xử lý; nếu không kịp, lập phiếu xin lỗi, hẹn lại ngày trả chậm nhất 1 ngày trước hạn.",
                d.code,
                crate::notify::excerpt(&d.tthc_name, 120),
                d.applicant_name
            ),
        )
        .await?;
    }
    for d in late.iter().filter(|d| d.status.code() != 1) {
        let to = unit(db, d, &[Role::LanhDaoDonVi]).await?;
        let due = when(d.due_at);
        made += notify(
            db,
            d,
            to,
            "overdue",
            format!("Cảnh báo: hồ sơ {} đã quá hạn", d.code),
            format!(
                "Hồ sơ {} «{}» của {} đã quá hạn trả kết quả (hạn {due}). Đề nghị chỉ đạo xử lý dứt điểm, ghi rõ lý do và người gây chậm; hồ sơ có tên trong danh sách quá hạn hằng tháng.",
                d.code,
                crate::notify::excerpt(&d.tthc_name, 120),
                d.applicant_name
            ),
        )
        .await?;
    }
    Ok(made)
}

fn when(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| domain::time::local(t).format("%H:%M %d/%m/%Y").to_string())
        .unwrap_or_default()
}

/// Active users with one of `roles` in the unit handling the dossier.
async fn unit(db: &Db, d: &Dossier, roles: &[Role]) -> Result<Vec<Recipient>, store::StoreError> {
    let codes: Vec<&str> = roles.iter().map(|r| r.code()).collect();
    store::notification::recipients(
        db,
        Some(d.handling_agency_id.unwrap_or(d.agency_id)),
        &codes,
    )
    .await
}

async fn notify(
    db: &Db,
    d: &Dossier,
    to: Vec<Recipient>,
    kind: &str,
    title: String,
    body: String,
) -> Result<usize, store::StoreError> {
    let stamp = d.due_at.map(|t| t.timestamp()).unwrap_or_default();
    let mut made = 0;
    for u in to {
        let n = NewNotification {
            user_id: u.id,
            task_id: None,
            feedback_id: None,
            dossier_id: Some(d.id),
            kind: kind.into(),
            rule: format!("{kind}@{stamp}"),
            title: title.clone(),
            body: body.clone(),
            link: format!("/ho-so/{}", d.id),
        };
        if store::notification::insert_if_absent(db, &n).await? {
            made += 1;
        }
    }
    Ok(made)
}
