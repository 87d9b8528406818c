//! Filling in a report and moving it on (save, send, accept, return): validated, guarded by the status it was read in.

use super::*;

/// Typed values as text, from a form or a JSON body (numbers written as JSON numbers).
pub fn input_of_json(
    values: &serde_json::Map<String, Value>,
) -> Result<BTreeMap<String, String>, ServiceError> {
    let mut out = BTreeMap::new();
    let mut errors = Vec::new();
    for (k, v) in values {
        let s = match v {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => {
                errors.push(domain::validate::FieldError {
                    field: k.clone(),
                    message: format!("Trường “{k}” phải là số hoặc chuỗi."),
                });
                continue;
            }
        };
        out.insert(k.clone(), s);
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(ServiceError::Invalid(errors))
    }
}

fn closed_error(r: &Report) -> Option<ServiceError> {
    r.closed_at.map(|at| {
        ServiceError::Conflict(format!(
            "Kỳ báo cáo đã khóa sổ lúc {}; số liệu không sửa được nữa.",
            domain::fmt::datetime_vn(&at)
        ))
    })
}

/// Saves typed values (only those given; an empty value clears one). 422 with every
/// field's message and nothing changed on bad input.
pub async fn save(
    state: &App,
    p: &Principal,
    actor: &Actor,
    id: i64,
    input: &BTreeMap<String, String>,
) -> Result<Report, ServiceError> {
    let r = visible(state, p, id).await?;
    if !can_edit(p, &r) {
        return Err(ServiceError::forbidden());
    }
    if let Some(e) = closed_error(&r) {
        return Err(e);
    }
    let status = ReportStatus::parse(&r.status).unwrap_or(ReportStatus::Draft);
    let to =
        domain::report::next_status(status, ReportAction::Save).map_err(ServiceError::Conflict)?;
    let t = template_of(&r)?;
    let parsed = domain::report::parse_typed(t, input).map_err(ServiceError::Invalid)?;
    let mut typed = typed_of(&r);
    for (k, v) in parsed {
        if v.is_null() {
            typed.remove(&k);
        } else {
            typed.insert(k, v);
        }
    }
    let change = store::report::Change {
        action: ReportAction::Save,
        from_status: r.status.clone(),
        to_status: to.code().into(),
        typed_json: Some(serde_json::to_string(&typed).unwrap_or_else(|_| "{}".into())),
        return_reason: None,
    };
    store::report::apply(&state.db, id, &change, actor)
        .await
        .map_err(ServiceError::stale_as(REPORT_MOVED))
}

/// Submit, accept or return (with a reason) a report.
pub async fn act(
    state: &App,
    p: &Principal,
    actor: &Actor,
    id: i64,
    action: ReportAction,
    reason: Option<&str>,
) -> Result<Report, ServiceError> {
    let r = visible(state, p, id).await?;
    let t = template_of(&r)?;
    let allowed = match action {
        ReportAction::Save => can_edit(p, &r),
        ReportAction::Submit => can_submit(p, &r),
        ReportAction::Accept | ReportAction::Return => can_decide(p, t),
    };
    if !allowed {
        return Err(ServiceError::Forbidden(match action {
            ReportAction::Submit => "Chỉ lãnh đạo đơn vị được gửi báo cáo.".into(),
            ReportAction::Accept | ReportAction::Return => format!(
                "Chỉ {} được tiếp nhận hoặc trả lại báo cáo này.",
                t.compiler.label()
            ),
            ReportAction::Save => "Bạn không có quyền sửa báo cáo này.".into(),
        }));
    }
    if let Some(e) = closed_error(&r) {
        return Err(e);
    }
    let status = ReportStatus::parse(&r.status).unwrap_or(ReportStatus::Draft);
    let to = domain::report::next_status(status, action).map_err(ServiceError::Conflict)?;
    let mut return_reason = None;
    match action {
        ReportAction::Submit => {
            let missing = domain::report::missing_required(t, &typed_of(&r));
            if !missing.is_empty() {
                return Err(ServiceError::Invalid(missing));
            }
        }
        ReportAction::Return => {
            let mut c = domain::validate::Checker::new();
            let why = c.required("reason", "Lý do trả lại", reason.unwrap_or(""), 2000);
            if !c.is_ok() {
                return Err(ServiceError::Invalid(c.errors));
            }
            return_reason = Some(why);
        }
        _ => {}
    }
    let change = store::report::Change {
        action,
        from_status: r.status.clone(),
        to_status: to.code().into(),
        typed_json: None,
        return_reason,
    };
    store::report::apply(&state.db, id, &change, actor)
        .await
        .map_err(ServiceError::stale_as(REPORT_MOVED))
}

/// A lost race on a report: someone sent, decided or closed it since the caller read it.
pub const REPORT_MOVED: &str =
    "Báo cáo vừa được người khác thay đổi hoặc kỳ đã khóa sổ; vui lòng tải lại trang.";
