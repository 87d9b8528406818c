//! The work on a task: progress reports, completion, verification, and deadline extensions.

use super::*;

/// Validated event from one of the three task actions, shared with the pages.
pub async fn act(
    state: &App,
    user: &Caller,
    id: i64,
    action: Action,
) -> Result<store::task::Task, ServiceError> {
    act_seen(state, user, id, action, None).await
}

/// [`act`] from a view of the task as it stood at `seen` (its `updated_at`): when the
/// task changed since, the action is refused as `Stale` (two officers reporting on one
/// task from the same page).
pub async fn act_seen(
    state: &App,
    user: &Caller,
    id: i64,
    action: Action,
    seen: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<store::task::Task, ServiceError> {
    let p = &user.principal;
    let (t, supports) = visible(state, p, id).await?;
    if seen.is_some_and(|s| s != t.updated_at) {
        return Err(ServiceError::Stale(TASK_MOVED.into()));
    }
    let st = t.status(today());
    let mut c = Checker::new();
    let (agency, event, files) = match action {
        Action::Progress {
            percent,
            note,
            files,
        } => {
            let note = c.required("note", "Nội dung báo cáo", &note, 4000);
            if !(0..=100).contains(&percent) {
                c.fail("percent", "Tỷ lệ hoàn thành phải từ 0 đến 100.");
            }
            if !c.is_ok() {
                return Err(ServiceError::Invalid(c.errors));
            }
            let agency = reporting_agency(p, &t, &supports).ok_or_else(ServiceError::forbidden)?;
            if st.is_done() {
                return Err(ServiceError::Conflict(
                    "Nhiệm vụ đã được xác nhận hoàn thành.".into(),
                ));
            }
            (agency, TaskEvent::Progress { percent, note }, files)
        }
        Action::Submit { note, files } => {
            let note = c.required("note", "Báo cáo kết quả", &note, 4000);
            if !c.is_ok() {
                return Err(ServiceError::Invalid(c.errors));
            }
            if !is_lead_reporter(p, &t) {
                return Err(ServiceError::Forbidden(
                    "Chỉ cơ quan chủ trì báo cáo hoàn thành nhiệm vụ.".into(),
                ));
            }
            if t.submitted_on.is_some() {
                return Err(ServiceError::Conflict(
                    "Nhiệm vụ đã được báo cáo hoàn thành, đang chờ hoặc đã được xác nhận.".into(),
                ));
            }
            (
                t.lead_agency_id.ok_or_else(ServiceError::forbidden)?,
                TaskEvent::Submit { note },
                files,
            )
        }
        Action::Verify { accept, note } => {
            if !p.can_verify_tasks() {
                return Err(ServiceError::forbidden());
            }
            if st != TaskStatus::AwaitingVerification {
                return Err(ServiceError::Conflict(
                    "Chỉ xác nhận được nhiệm vụ đang chờ xác nhận hoàn thành.".into(),
                ));
            }
            let event = if accept {
                TaskEvent::Accept {
                    note: domain::validate::clean(&note),
                }
            } else {
                let reason = c.required("note", "Lý do trả lại", &note, 2000);
                if !c.is_ok() {
                    return Err(ServiceError::Invalid(c.errors));
                }
                TaskEvent::Return { reason }
            };
            (p.agency_id, event, Vec::new())
        }
    };
    let after =
        store::task::record_after_read(&state.db, &t, agency, &event, &files, &user.actor())
            .await
            .map_err(ServiceError::stale_as(TASK_MOVED))?;
    crate::notify::task_event(state, &after, &event, p.user_id).await;
    Ok(after)
}

/// A lost race on a task: another officer verified, submitted or returned it between the
/// caller's read and write.
pub const TASK_MOVED: &str = "Nhiệm vụ vừa được người khác cập nhật (báo cáo hoàn thành, xác nhận hoặc trả lại) trong lúc bạn thao tác; vui lòng tải lại trang để xem trạng thái mới.";

pub enum Action {
    /// Evidence files (minh chứng) go with the report.
    Progress {
        percent: i32,
        note: String,
        files: Vec<store::file::NewFile>,
    },
    Submit {
        note: String,
        files: Vec<store::file::NewFile>,
    },
    Verify {
        accept: bool,
        note: String,
    },
}

/// Validates and files an extension request (lead agency), shared with the pages.
pub async fn ask_extension(
    state: &App,
    user: &Caller,
    id: i64,
    new_deadline: &str,
    reason: &str,
) -> Result<store::task::Extension, ServiceError> {
    let p = &user.principal;
    let (t, _) = visible(state, p, id).await?;
    let mut c = Checker::new();
    let reason = c.required("reason", "Lý do gia hạn", reason, 2000);
    let date = if new_deadline.trim().is_empty() {
        c.fail("new_deadline", "Hạn mới không được để trống.");
        None
    } else {
        c.date("new_deadline", "Hạn mới", new_deadline)
    };
    if let (Some(d), Some(old)) = (date, t.deadline)
        && d <= old
    {
        c.fail("new_deadline", "Hạn mới phải sau hạn hiện tại.");
    }
    if t.deadline.is_none() {
        c.fail(
            "new_deadline",
            "Nhiệm vụ không có thời hạn, không cần gia hạn.",
        );
    }
    let (true, Some(date)) = (c.is_ok(), date) else {
        return Err(ServiceError::Invalid(c.errors));
    };
    if !is_lead_reporter(p, &t) {
        return Err(ServiceError::Forbidden(
            "Chỉ cơ quan chủ trì được đề nghị gia hạn.".into(),
        ));
    }
    if t.status(today()).is_done() || t.submitted_on.is_some() {
        return Err(ServiceError::Conflict(
            "Nhiệm vụ đã báo cáo hoàn thành, không thể gia hạn.".into(),
        ));
    }
    let agency = t.lead_agency_id.ok_or_else(ServiceError::forbidden)?;
    store::task::request_extension(&state.db, id, agency, date, &reason, &user.actor())
        .await
        .map_err(|e| match e {
            store::StoreError::Invalid(m) => {
                ServiceError::Conflict(format!("{}{}.", m[..1].to_uppercase(), &m[1..]))
            }
            e => e.into(),
        })
}

/// Decides on a pending extension (assigning offices), shared with the pages.
pub async fn decide_extension(
    state: &App,
    user: &Caller,
    id: i64,
    extension_id: i64,
    approve: bool,
    note: &str,
) -> Result<store::task::Extension, ServiceError> {
    let p = &user.principal;
    visible(state, p, id).await?;
    if !p.can_verify_tasks() {
        return Err(ServiceError::forbidden());
    }
    let note = domain::validate::clean(note);
    if !approve && note.is_empty() {
        return Err(field_error("note", "Phải nêu lý do không đồng ý gia hạn."));
    }
    store::task::decide_extension(&state.db, id, extension_id, approve, &note, &user.actor())
        .await
        .map_err(|e| match e {
            store::StoreError::Invalid(_) => {
                ServiceError::Conflict("Đề nghị gia hạn này đã được quyết định.".into())
            }
            e => e.into(),
        })
}
