//! Giao nhiệm vụ — creating a task or a sub-task, validated, by an assigning office or the lead agency.

use super::*;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct TaskBody {
    pub directive_id: i64,
    pub content: String,
    pub lead_agency_id: i64,
    #[serde(default)]
    pub support_agency_ids: Vec<i64>,
    /// YYYY-MM-DD or dd/mm/yyyy; absent for ongoing tasks.
    pub deadline: Option<String>,
    pub deadline_text: Option<String>,
    /// weekly:N (ISO weekday), monthly:DD, quarterly, semiannual, yearly, continuous
    pub recurrence: Option<String>,
    pub item_ref: Option<String>,
    /// A sub-task of this task (a lead agency splitting its work).
    pub parent_id: Option<i64>,
}

pub(crate) fn field_error(field: &str, message: &str) -> ServiceError {
    ServiceError::Invalid(vec![FieldError {
        field: field.into(),
        message: message.into(),
    }])
}

/// Validates and creates a task or a sub-task, shared with the pages.
pub async fn assign(
    state: &App,
    user: &Caller,
    b: TaskBody,
) -> Result<store::task::Task, ServiceError> {
    let state = state.clone();
    let p = &user.principal;
    let mut c = Checker::new();
    let content = c.required("content", "Nội dung nhiệm vụ", &b.content, 4000);
    let deadline = b
        .deadline
        .as_deref()
        .and_then(|d| c.date("deadline", "Hạn hoàn thành", d));
    let deadline_text = c.optional(
        "deadline_text",
        "Thời hạn (nguyên văn)",
        b.deadline_text.as_deref(),
        255,
    );
    let item_ref = c.optional("item_ref", "Mục", b.item_ref.as_deref(), 120);
    let recurrence = c.optional("recurrence", "Tần suất", b.recurrence.as_deref(), 40);
    if let Some(r) = &recurrence
        && domain::task::recurrence_of(r).is_none()
    {
        c.fail(
            "recurrence",
            "Tần suất phải là weekly:N (thứ Hai = 1), monthly:DD, quarterly, semiannual, yearly hoặc continuous.",
        );
    }
    if !c.is_ok() {
        return Err(ServiceError::Invalid(c.errors));
    }
    store::directive::get(&state.db, b.directive_id)
        .await
        .map_err(|e| match e {
            store::StoreError::NotFound => {
                field_error("directive_id", "Văn bản chỉ đạo không tồn tại.")
            }
            e => e.into(),
        })?;
    let lead = match store::agency::get(&state.db, b.lead_agency_id).await {
        Ok(a) if p.scope().contains(&a.path) => a,
        Ok(_) | Err(store::StoreError::NotFound) => {
            return Err(field_error(
                "lead_agency_id",
                "Cơ quan chủ trì không tồn tại.",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    for s in &b.support_agency_ids {
        if store::agency::get(&state.db, *s).await.is_err() {
            return Err(field_error(
                "support_agency_ids",
                "Cơ quan phối hợp không tồn tại.",
            ));
        }
    }
    match b.parent_id {
        None if !p.can_assign_tasks() => return Err(ServiceError::forbidden()),
        None => {}
        Some(parent) => {
            let (pt, _) = visible(&state, p, parent)
                .await
                .map_err(|_| field_error("parent_id", "Nhiệm vụ cha không tồn tại."))?;
            let may_split = is_lead_reporter(p, &pt)
                && pt
                    .lead_path
                    .as_deref()
                    .is_some_and(|lp| lead.path.starts_with(lp));
            if !(p.can_assign_tasks() || may_split) {
                return Err(ServiceError::Forbidden(
                    "Chỉ cơ quan chủ trì được giao nhiệm vụ con cho đơn vị trực thuộc.".into(),
                ));
            }
            if pt.directive_id != b.directive_id {
                return Err(field_error(
                    "parent_id",
                    "Nhiệm vụ con phải thuộc cùng văn bản với nhiệm vụ cha.",
                ));
            }
        }
    }
    let input = TaskInput {
        directive_id: b.directive_id,
        parent_id: b.parent_id,
        item_ref,
        content,
        lead_agency_id: Some(lead.id),
        lead_text: None,
        support_agency_ids: b.support_agency_ids.clone(),
        deadline,
        deadline_text,
        recurrence,
    };
    let t = store::task::create(&state.db, &input, &user.actor()).await?;
    crate::notify::task_assigned(&state, &t, p.user_id).await;
    Ok(t)
}

/// The unique key of a directive (issuer, number, date) and the field it blames.
const DIRECTIVE_UNIQUE: &[(&str, &str, &str)] = &[(
    "number",
    "number",
    "Văn bản này (cùng số, cơ quan ban hành và ngày) đã được đăng ký.",
)];

/// Registers a directive (its citations linked both ways): the same number from the same
/// issuer on the same day is a `Duplicate` on `number`.
pub async fn register_directive(
    state: &App,
    caller: &Caller,
    input: &store::directive::DirectiveInput,
) -> Result<store::directive::Directive, ServiceError> {
    store::directive::create(&state.db, input, &caller.actor())
        .await
        .map_err(ServiceError::duplicate_of(DIRECTIVE_UNIQUE))
}

/// Creates the tasks read from a directive's appendix or task table, all or none (one
/// transaction), for an assigning office. The rows were checked by the import preview;
/// each is tied to `directive_id`, which the caller must be able to see.
pub async fn import_tasks(
    state: &App,
    caller: &Caller,
    directive_id: i64,
    mut inputs: Vec<TaskInput>,
) -> Result<usize, ServiceError> {
    if !caller.principal.can_assign_tasks() {
        return Err(ServiceError::forbidden());
    }
    crate::directive::visible(state, &caller.principal, directive_id).await?;
    for t in inputs.iter_mut() {
        t.directive_id = directive_id;
        if t.content.trim().is_empty() {
            return Err(field_error(
                "content",
                "Nội dung nhiệm vụ không được để trống.",
            ));
        }
    }
    store::task::create_many(&state.db, &inputs, &caller.actor()).await?;
    let mut leads = std::collections::BTreeMap::new();
    for lead in inputs.iter().filter_map(|t| t.lead_agency_id) {
        *leads.entry(lead).or_insert(0) += 1;
    }
    crate::notify::tasks_imported(state, directive_id, &leads, chrono::Utc::now()).await;
    Ok(inputs.len())
}
