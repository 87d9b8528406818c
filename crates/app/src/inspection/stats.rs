//! Thống kê kiểm tra — per inspected unit and year: the inspections (by decision date),
//! their findings by kind and how the remediation of each stands, over the inspections
//! the reader may see (`super::list`): the whole province for the inspecting side, the
//! files a unit leads and the concluded inspections of its subtree for the others.

use std::collections::BTreeMap;

use domain::inspection::{FINDING_KINDS, InspectionStatus, Remediation, Tally};
use domain::org::Principal;
use serde::Serialize;

use crate::{App, ServiceError};

/// One inspected unit's figures.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnitStats {
    pub unit_code: String,
    pub unit_name: String,
    /// inspections, findings, by_kind (in the order of `kinds`), remediation_required,
    /// remediated_on_time, remediated_late, awaiting_verification, in_progress, overdue,
    /// on_time_percent.
    #[schema(value_type = Object)]
    pub tally: Tally,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InspectionStats {
    pub year: i32,
    /// The finding kinds' labels, in the order of `Tally::by_kind`.
    pub kinds: Vec<&'static str>,
    /// By unit name.
    pub rows: Vec<UnitStats>,
    #[schema(value_type = Object)]
    pub total: Tally,
}

/// The statistics of `year` over the inspections the principal may see.
pub async fn stats(state: &App, p: &Principal, year: i32) -> Result<InspectionStats, ServiceError> {
    let (items, _) = super::list(
        state,
        p,
        Some(year),
        None,
        None,
        // Every one of the year (`Page::new` would stop at 500).
        store::Page::all(),
    )
    .await?;
    let today = domain::time::today();
    let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
    let mut findings: std::collections::HashMap<i64, Vec<store::inspection::FindingRow>> =
        std::collections::HashMap::new();
    for f in store::inspection::findings_of(&state.db, &ids).await? {
        findings.entry(f.inspection_id).or_default().push(f);
    }
    let mut by_unit: BTreeMap<String, UnitStats> = BTreeMap::new();
    for i in &items {
        let row = by_unit
            .entry(i.target_code.clone())
            .or_insert_with(|| UnitStats {
                unit_code: i.target_code.clone(),
                unit_name: i.target_name.clone(),
                tally: Tally::new(),
            });
        row.tally.inspections += 1;
        // Remediation is asked by the conclusion: before it, a finding is counted by kind
        // only.
        let concluded = InspectionStatus::parse(&i.status).is_some_and(|s| s.public_to_unit());
        for f in findings.get(&i.id).into_iter().flatten() {
            let r = if concluded {
                super::remediation_of(f, today)
            } else {
                Remediation::NotRequired
            };
            row.tally.add_finding(&f.kind, r);
        }
    }
    let mut rows: Vec<UnitStats> = by_unit.into_values().collect();
    rows.sort_by_cached_key(|r| domain::text::fold_vi(&r.unit_name));
    let mut total = Tally::new();
    for r in &rows {
        total.absorb(&r.tally);
    }
    Ok(InspectionStats {
        year,
        kinds: FINDING_KINDS.iter().map(|(_, l)| *l).collect(),
        rows,
        total,
    })
}
