//! A report as the API and the CLI show it (JSON): its row, fields with frozen and live
//! values, revisions, and what the caller may do with it.

use super::*;

/// One report in a list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReportOut {
    pub id: i64,
    pub template: String,
    pub template_name: String,
    pub template_version: String,
    pub unit: String,
    pub unit_name: String,
    pub agency_id: i64,
    pub period: String,
    pub period_label: String,
    /// The data window, inclusive.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub due_on: NaiveDate,
    /// draft, submitted, accepted, returned.
    pub status: String,
    pub status_label: String,
    /// Sent after the due date, or not sent once it has passed.
    pub late: bool,
    /// The task that carries the due date.
    pub task_id: Option<i64>,
    pub submitted_by: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub return_reason: Option<String>,
    /// When the period was closed (numbers frozen).
    pub closed_at: Option<DateTime<Utc>>,
}

impl ReportOut {
    pub fn of(r: &Report) -> ReportOut {
        let t = super::template_of(r).ok();
        let period_label = t
            .and_then(|t| t.period(&r.period).ok())
            .map(|p| p.label_vi())
            .unwrap_or_else(|| r.period.clone());
        ReportOut {
            id: r.id,
            template: r.template_code.clone(),
            template_name: t.map(|t| t.name.clone()).unwrap_or_default(),
            template_version: r.template_version.clone(),
            unit: r.agency_code.clone(),
            unit_name: r.agency_name.clone(),
            agency_id: r.agency_id,
            period: r.period.clone(),
            period_label,
            from: r.period_from,
            to: r.period_to,
            due_on: r.due_on,
            status: r.status.clone(),
            status_label: ReportStatus::parse(&r.status)
                .map_or("", ReportStatus::label)
                .into(),
            late: super::is_late(r, r.due_on),
            task_id: r.task_id,
            submitted_by: r.submitted_by.clone(),
            submitted_at: r.submitted_at,
            decided_by: r.decided_by.clone(),
            decided_at: r.decided_at,
            return_reason: r.return_reason.clone(),
            closed_at: r.closed_at,
        }
    }
}

/// One field with its value.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FieldOut {
    pub key: String,
    pub label: String,
    /// integer, percent, text, date.
    #[serde(rename = "type")]
    pub field_type: String,
    /// Computed by the system (`source` names the figure) or typed by the unit.
    pub computed: bool,
    pub required: bool,
    pub source: Option<String>,
    /// The report's value: the frozen one once the period is closed, else the live one.
    /// A number, a text, a date (`YYYY-MM-DD`) or null.
    #[schema(value_type = Value)]
    pub value: Value,
    /// The value now (differs from `value` when late data arrived after the freeze).
    #[schema(value_type = Value)]
    pub live_value: Value,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RevisionOut {
    pub revision: i64,
    /// freeze or correction.
    pub kind: String,
    pub as_of: DateTime<Utc>,
    pub note: Option<String>,
    pub created_by: Option<String>,
    /// The canonical JSON of every value at `as_of`.
    #[schema(value_type = Object)]
    pub snapshot: Value,
}

/// What the caller may do with the report now.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Allowed {
    pub edit: bool,
    pub submit: bool,
    pub decide: bool,
    pub correct: bool,
}

/// One report with its fields, frozen snapshot and corrections.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReportDetail {
    #[serde(flatten)]
    pub report: ReportOut,
    pub legal_basis: Vec<String>,
    pub fields: Vec<FieldOut>,
    /// The instant the frozen numbers were read, when closed.
    pub frozen_as_of: Option<DateTime<Utc>>,
    /// Điều chỉnh sau khi khóa sổ: computed fields whose live value differs from the
    /// frozen one (key, label, frozen, live, difference).
    #[schema(value_type = Vec<Object>)]
    pub corrections: Vec<domain::report::Correction>,
    pub revisions: Vec<RevisionOut>,
    pub allowed: Allowed,
}

pub fn detail_of(v: &View, p: &domain::org::Principal) -> ReportDetail {
    let r = &v.report;
    let status = ReportStatus::parse(&r.status).unwrap_or(ReportStatus::Draft);
    let open = r.closed_at.is_none();
    ReportDetail {
        report: ReportOut::of(r),
        legal_basis: v.template.legal_basis.clone(),
        fields: v
            .template
            .fields
            .iter()
            .map(|f| FieldOut {
                key: f.key.clone(),
                label: f.label.clone(),
                field_type: f.field_type.code().into(),
                computed: f.is_computed(),
                required: f.required,
                source: f.source.clone(),
                value: v.values.get(&f.key).cloned().unwrap_or(Value::Null),
                live_value: v.live.get(&f.key).cloned().unwrap_or(Value::Null),
            })
            .collect(),
        frozen_as_of: v.frozen.as_ref().map(|s| s.as_of),
        corrections: v.corrections.clone(),
        revisions: v
            .revisions
            .iter()
            .map(|x| RevisionOut {
                revision: x.revision,
                kind: x.kind.clone(),
                as_of: x.as_of,
                note: x.note.clone(),
                created_by: x.created_by.clone(),
                snapshot: serde_json::from_str(&x.snapshot_json).unwrap_or_default(),
            })
            .collect(),
        allowed: Allowed {
            edit: open
                && super::can_edit(p, r)
                && matches!(status, ReportStatus::Draft | ReportStatus::Returned),
            submit: open
                && super::can_submit(p, r)
                && matches!(status, ReportStatus::Draft | ReportStatus::Returned),
            decide: open && super::can_decide(p, v.template) && status == ReportStatus::Submitted,
            correct: !open && super::can_manage_periods(p),
        },
    }
}
