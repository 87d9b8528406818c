//! The province's summary of a template's period: one line per obliged unit and the sums of its fields.

use super::*;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnitLine {
    pub unit: String,
    pub unit_name: String,
    pub report_id: Option<i64>,
    /// `null` when the unit has no report for the period.
    pub status: Option<String>,
    pub status_label: String,
    pub submitted_at: Option<DateTime<Utc>>,
    /// Sent after the due date, or not sent and the due date has passed.
    pub late: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Summary {
    pub template: String,
    pub template_name: String,
    pub period: String,
    pub period_label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub due_on: NaiveDate,
    pub closed_at: Option<DateTime<Utc>>,
    /// Sums (integers) and unweighted means (percents) over the sent reports.
    #[schema(value_type = Vec<Object>)]
    pub totals: Vec<FieldTotal>,
    pub obliged: usize,
    pub sent: usize,
    pub units: Vec<UnitLine>,
    /// Obliged units that have not sent (no report, draft or returned).
    pub missing: Vec<UnitLine>,
}

/// Late: sent after the due date, or not sent once it has passed.
pub fn is_late(r: &Report, due_on: NaiveDate) -> bool {
    match r.submitted_at {
        Some(at) if ReportStatus::parse(&r.status).is_some_and(ReportStatus::is_sent) => {
            local(at).date() > due_on
        }
        _ => today() > due_on,
    }
}

/// The province's (or the caller's subtree's) view of a template's period: sums over the
/// sent reports — frozen numbers once closed — and who has not sent.
pub async fn summary(
    state: &App,
    scope: &Scope,
    template: &str,
    period: &str,
) -> Result<Summary, ServiceError> {
    let plan = plan(state, template, period).await?;
    let t = plan.template;
    let key = plan.period.to_string();
    let (reports, _) = store::report::list(
        &state.db,
        &store::report::ReportFilter {
            scope_prefix: scope.prefix().map(str::to_string),
            template_code: Some(t.code.clone()),
            period: Some(key.clone()),
            ..Default::default()
        },
        store::Page::all(),
    )
    .await?;
    let frozen: BTreeMap<i64, Values> = store::report::frozen_of_period(&state.db, &t.code, &key)
        .await?
        .into_iter()
        .filter_map(|v| {
            Snapshot::parse(&v.snapshot_json)
                .ok()
                .map(|s| (v.report_id, s.values))
        })
        .collect();
    let mut sent_values: Vec<Values> = Vec::new();
    let mut units = Vec::new();
    for r in &reports {
        let status = ReportStatus::parse(&r.status).unwrap_or(ReportStatus::Draft);
        if status.is_sent() {
            let values = match frozen.get(&r.id) {
                Some(v) => v.clone(),
                None => {
                    let rt = template_of(r)?;
                    let computed = live_computed(state, rt, r, Utc::now()).await?;
                    domain::report::all_values(rt, &computed, &typed_of(r))
                }
            };
            sent_values.push(values);
        }
        units.push(UnitLine {
            unit: r.agency_code.clone(),
            unit_name: r.agency_name.clone(),
            report_id: Some(r.id),
            status: Some(r.status.clone()),
            status_label: status.label().into(),
            submitted_at: r.submitted_at.filter(|_| status.is_sent()),
            late: is_late(r, r.due_on),
        });
    }
    let obliged: Vec<store::agency::Agency> = obliged_units(state, &plan)
        .await?
        .into_iter()
        .filter(|a| scope.contains(&a.path))
        .collect();
    for a in &obliged {
        if !reports.iter().any(|r| r.agency_id == a.id) {
            units.push(UnitLine {
                unit: a.code.clone(),
                unit_name: a.name.clone(),
                report_id: None,
                status: None,
                status_label: "Chưa lập báo cáo".into(),
                submitted_at: None,
                late: today() > plan.due_on,
            });
        }
    }
    units.sort_by(|a, b| {
        domain::text::fold_vi(&a.unit_name)
            .cmp(&domain::text::fold_vi(&b.unit_name))
            .then(a.unit.cmp(&b.unit))
    });
    let missing: Vec<UnitLine> = units
        .iter()
        .filter(|u| {
            !u.status
                .as_deref()
                .and_then(ReportStatus::parse)
                .is_some_and(ReportStatus::is_sent)
        })
        .cloned()
        .collect();
    let closed_at = store::report::closed(&state.db, &t.code, &key)
        .await?
        .map(|c| c.closed_at);
    Ok(Summary {
        template: t.code.clone(),
        template_name: t.name.clone(),
        period: key,
        period_label: plan.period.label_vi(),
        from: plan.from,
        to: plan.to,
        due_on: plan.due_on,
        closed_at,
        totals: domain::report::aggregate(t, &sent_values),
        obliged: obliged.len(),
        sent: sent_values.len(),
        units,
        missing,
    })
}
