//! The 766 scorecard of one unit for one period.

use super::facts::{Measure, UnitPeriodFacts, ValueKind, measure};
use super::model::{
    Confidence, Indicator, IndicatorModel, RatingBand, ScoringConfig, ZeroDenominator,
};
use super::round2;
use serde::Serialize;

/// Why an indicator has the points it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PointsBasis {
    /// Points from the value: max × min(1, value / full_points_at).
    Measured,
    /// Denominator 0: points per `scoring-766.toml` `[zero_denominator]` (full or zero).
    NothingToMeasure,
    /// Denominator 0 shown as N/A ("không phát sinh"): no points, its maximum left out of
    /// the points measured.
    NotArising,
    /// No data source in the system yet ("chưa có dữ liệu"): not scored.
    NoData,
    /// Shown, never scored: maximum 0 (5.1) or an average (2.2).
    Monitoring,
    /// Measured, but the maximum is unknown (3.1–3.3): no points, never invented.
    UnknownWeight,
    /// No formula for this code in [`super::facts::measure`].
    NoFormula,
}

impl PointsBasis {
    /// What the points column says when no points are given (`None`: a number or "–").
    pub fn note_vi(self) -> Option<&'static str> {
        match self {
            PointsBasis::NotArising => Some("Không phát sinh"),
            PointsBasis::NoData => Some("Chưa có dữ liệu"),
            PointsBasis::UnknownWeight => Some("Chưa rõ trọng số"),
            PointsBasis::Monitoring => Some("Theo dõi"),
            PointsBasis::Measured | PointsBasis::NothingToMeasure | PointsBasis::NoFormula => None,
        }
    }
}

/// One indicator on the scorecard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorScore {
    pub code: String,
    pub name: String,
    pub numerator: u64,
    pub denominator: u64,
    /// Factor on the ratio (3.3: the sync rate); the value includes it.
    pub multiplier: Option<f64>,
    /// Percent (or working days for 2.2), 2 decimals; `None` when the denominator is 0.
    pub value: Option<f64>,
    pub value_kind: ValueKind,
    /// 2 decimals; `None` when the maximum is unknown or the indicator is monitoring only.
    pub points: Option<f64>,
    pub max: Option<f64>,
    /// The threshold used; `threshold_assumed` when the yaml gives none and 100% was used
    /// for points.
    pub full_points_at: Option<f64>,
    pub threshold_assumed: bool,
    /// How sure the maximum is.
    pub confidence: Confidence,
    /// The point conversion was fitted to portal outputs.
    pub reverse_engineered: bool,
    pub basis: PointsBasis,
    pub sources: Vec<String>,
}

/// One group on the scorecard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupScore {
    pub code: String,
    pub name: String,
    /// The decision's maximum for the group (confirmed).
    pub max: f64,
    /// Σ of the known indicator maxima (less than `max` while weights are unknown).
    pub max_attainable: f64,
    /// Σ of the indicators' (rounded) points.
    pub points: f64,
    pub indicators: Vec<IndicatorScore>,
}

/// The 766 scorecard: total out of 100 and its rating band.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scorecard {
    pub groups: Vec<GroupScore>,
    /// Σ of the group points (QĐ 766: "Tổng điểm = tổng điểm các nhóm chỉ số").
    pub total_766: f64,
    /// The points that could be measured for this unit and period: Σ of the maxima of
    /// the indicators scored (100 when everything arose and has data).
    pub max_attainable: f64,
    /// The score out of 100 over what was measured: total × 100 / `max_attainable`
    /// (`scoring-766.toml` `[normalise]`); `None` when nothing could be measured.
    pub score_100: Option<f64>,
    /// Points not measured, by why: "không phát sinh", "chưa có dữ liệu", "chưa rõ trọng số".
    pub unmeasured: Vec<Unmeasured>,
    /// The band of `score_100` (or of the total, per `[normalise]`).
    pub band: RatingBand,
}

/// Points left out of the measured total, with the indicators and the reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unmeasured {
    /// not_arising, no_data, unknown_weight
    pub kind: String,
    pub label_vi: String,
    pub points: f64,
    pub indicators: Vec<String>,
    pub reason: String,
}

/// Score `facts` on the 766 tree.
///
/// Per indicator: the measure of [`super::facts`]; then
/// - maximum unknown → no points ([`PointsBasis::UnknownWeight`]);
/// - maximum 0, or an average → no points ([`PointsBasis::Monitoring`]);
/// - denominator 0 → [TV] the maximum by default, 0 if `scoring-766.toml` says
///   `default = "zero"`; 5.2 and 5.3 always the maximum (yaml: "nếu không có PAKN: 6
///   điểm"). Rationale: domain.md §6 allows "0 or N/A"; a unit with nothing to measure is
///   not at fault, and the portal gives communes the maximum for what does not apply to
///   them. Excluding and rescaling was not chosen: with unknown weights it would inflate
///   the known ones, and points that add up plainly are easier to audit;
/// - otherwise points = max × min(1, value / full_points_at) (domain.md §6 "Scoring with a
///   target"), `full_points_at` from the yaml or [TV] 100% when it gives none (4.4).
///
/// Points are computed from the exact ratio and rounded once ([`round2`]); group points are
/// the sum of the rounded indicator points and the total the sum of the group points, so
/// what the UI shows adds up.
pub fn score(model: &IndicatorModel, facts: &UnitPeriodFacts) -> Scorecard {
    let groups: Vec<GroupScore> = model
        .groups
        .iter()
        .map(|g| {
            let indicators: Vec<IndicatorScore> = g
                .indicators
                .iter()
                .map(|i| score_indicator(i, measure(&i.code, facts), &model.config))
                .collect();
            GroupScore {
                code: g.code.clone(),
                name: g.name.clone(),
                max: g.max_points,
                max_attainable: g.max_attainable(),
                points: round2(indicators.iter().filter_map(|i| i.points).sum()),
                indicators,
            }
        })
        .collect();
    let total_766 = round2(groups.iter().map(|g| g.points).sum());
    let scored = |i: &IndicatorScore| {
        matches!(
            i.basis,
            PointsBasis::Measured | PointsBasis::NothingToMeasure
        )
    };
    let all = || groups.iter().flat_map(|g| g.indicators.iter());
    let max_attainable = round2(all().filter(|i| scored(i)).filter_map(|i| i.max).sum());
    let mut unmeasured = Vec::new();
    for (basis, kind, label, reason) in [
        (
            PointsBasis::NotArising,
            "not_arising",
            "Không phát sinh",
            model.config.zero_denominator.source.clone(),
        ),
        (
            PointsBasis::NoData,
            "no_data",
            "Chưa có dữ liệu",
            model.config.no_data.reason.clone(),
        ),
        (
            PointsBasis::UnknownWeight,
            "unknown_weight",
            "Chưa rõ trọng số",
            "Văn bản chưa công bố điểm tối đa của chỉ số".to_string(),
        ),
    ] {
        let those: Vec<&IndicatorScore> = all().filter(|i| i.basis == basis).collect();
        let points = round2(those.iter().filter_map(|i| i.max).sum());
        if !those.is_empty() && points > 0.0 {
            unmeasured.push(Unmeasured {
                kind: kind.into(),
                label_vi: label.into(),
                points,
                indicators: those.iter().map(|i| i.code.clone()).collect(),
                reason,
            });
        }
    }
    let score_100 = (max_attainable > 0.0).then(|| round2(total_766 * 100.0 / max_attainable));
    let on = if model.config.normalise.band_on == "measured_share" {
        score_100
    } else {
        Some(total_766)
    };
    let band = on
        .and_then(|t| model.config.band(t).cloned())
        .unwrap_or_else(|| RatingBand {
            code: "chua_xep_loai".into(),
            label_vi: "Chưa xếp loại".into(),
            min: 0.0,
            confirmed: false,
            source: "Không có chỉ số nào đo được trong kỳ".into(),
        });
    Scorecard {
        groups,
        total_766,
        max_attainable,
        score_100,
        unmeasured,
        band,
    }
}

fn score_indicator(i: &Indicator, m: Option<Measure>, config: &ScoringConfig) -> IndicatorScore {
    let threshold = match i.full_points_at {
        Some(t) if t > 0.0 => t,
        _ => 100.0,
    };
    let (points, basis) = match (m, i.max_points) {
        (_, Some(max)) if max > 0.0 && config.has_no_data(&i.code) => (None, PointsBasis::NoData),
        (None, _) => (None, PointsBasis::NoFormula),
        (Some(m), _) if m.kind != ValueKind::Percent => (None, PointsBasis::Monitoring),
        (Some(_), None) => (None, PointsBasis::UnknownWeight),
        (Some(_), Some(max)) if max <= 0.0 => (None, PointsBasis::Monitoring),
        (Some(m), Some(max)) => match m.value() {
            None => match config.zero_denominator_for(&i.code) {
                ZeroDenominator::FullPoints => (Some(max), PointsBasis::NothingToMeasure),
                ZeroDenominator::Zero => (Some(0.0), PointsBasis::NothingToMeasure),
                ZeroDenominator::NotArising => (None, PointsBasis::NotArising),
            },
            Some(v) => (
                Some(round2(max * (v / threshold).min(1.0))),
                PointsBasis::Measured,
            ),
        },
    };
    IndicatorScore {
        code: i.code.clone(),
        name: i.name.clone(),
        numerator: m.map_or(0, |m| m.numerator),
        denominator: m.map_or(0, |m| m.denominator),
        multiplier: m.and_then(|m| m.multiplier),
        value: m.and_then(|m| m.value()).map(round2),
        value_kind: m.map_or(ValueKind::Percent, |m| m.kind),
        points,
        max: i.max_points,
        full_points_at: Some(threshold).filter(|_| m.is_some_and(|m| m.kind == ValueKind::Percent)),
        threshold_assumed: i.full_points_at.is_none() && points.is_some(),
        confidence: i.confidence,
        reverse_engineered: i.reverse_engineered,
        basis,
        sources: i.sources.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicator::model::EMBEDDED_YAML;

    /// The embedded model with 5.2 and 5.3 marked "no data", as before the system
    /// received feedback: the cases below keep testing that rule (still in the config for
    /// any indicator without a source).
    fn model() -> IndicatorModel {
        let mut config = ScoringConfig::embedded().expect("config");
        config.no_data.indicators = vec!["5.2".into(), "5.3".into()];
        config.no_data.reason = "Chưa có dữ liệu phản ánh, kiến nghị".into();
        IndicatorModel::from_sources(EMBEDDED_YAML, config).expect("loads")
    }

    #[test]
    fn the_shipped_config_scores_feedback() {
        let m = IndicatorModel::embedded().expect("embedded 766 data loads");
        assert!(m.config.no_data.indicators.is_empty());
        let card = score(&m, &perfect());
        assert_eq!(card.total_766, 100.0);
        assert!(card.unmeasured.is_empty());
    }

    fn ind<'a>(card: &'a Scorecard, code: &str) -> &'a IndicatorScore {
        card.groups
            .iter()
            .flat_map(|g| g.indicators.iter())
            .find(|i| i.code == code)
            .unwrap_or_else(|| panic!("indicator {code} on the card"))
    }

    fn group<'a>(card: &'a Scorecard, code: &str) -> &'a GroupScore {
        card.groups
            .iter()
            .find(|g| g.code == code)
            .unwrap_or_else(|| panic!("group {code} on the card"))
    }

    /// Everything at 100%, 100 of each count.
    fn perfect() -> UnitPeriodFacts {
        UnitPeriodFacts {
            dossiers_received: 100,
            synced_dossiers: 100,
            online_dossiers: 100,
            full_online_eligible_dossiers: 100,
            full_online_dossiers: 100,
            digitised_dossiers: 100,
            reused_data_dossiers: 100,
            personal_store_dossiers: 100,
            citizen_data_dossiers: 100,
            payable_dossiers: 100,
            paid_online: 100,
            finished_early: 60,
            finished_on_time: 40,
            finished_working_days_total: 300,
            dossiers_needing_result_document: 100,
            e_results: 100,
            procedures_published: 100,
            procedures_published_on_time: 100,
            procedures_disclosed: 100,
            procedures_disclosed_on_time: 100,
            procedures_public: 100,
            procedures_public_complete: 100,
            procedures_total: 100,
            procedures_online_full: 100,
            online_services_total: 100,
            online_services_with_dossiers: 100,
            fee_procedures: 100,
            fee_procedures_integrated: 100,
            fee_procedures_paid_online: 100,
            citizen_procedures: 100,
            citizen_procedures_connected: 100,
            communes_total: 100,
            communes_e_certified_copy: 100,
            feedback_received: 100,
            feedback_about_regulations: 60,
            feedback_about_staff: 40,
            feedback_answered_on_time: 100,
            ratings_positive: 100,
            ratings_total: 100,
            tasks_assigned: 100,
            tasks_done: 100,
            tasks_done_on_time: 100,
            ..Default::default()
        }
    }

    fn assert_sums(card: &Scorecard) {
        for g in &card.groups {
            let sum: f64 = g.indicators.iter().filter_map(|i| i.points).sum();
            assert!((g.points - round2(sum)).abs() < 1e-9, "{}", g.code);
            assert!(g.points <= g.max_attainable + 1e-9, "{}", g.code);
        }
        let sum: f64 = card.groups.iter().map(|g| g.points).sum();
        assert!((card.total_766 - round2(sum)).abs() < 1e-9);
    }

    #[test]
    fn a_perfect_unit_is_excellent_on_what_can_be_measured() {
        let card = score(&model(), &perfect());
        assert_sums(&card);
        let points: Vec<f64> = card.groups.iter().map(|g| g.points).collect();
        // Group 3 with row 6 (12) + payments (10); group 5 has only 5.4 until PAKN data.
        assert_eq!(points, vec![18.0, 20.0, 22.0, 22.0, 6.0]);
        assert_eq!(card.total_766, 88.0);
        assert_eq!(card.max_attainable, 88.0);
        assert_eq!(card.score_100, Some(100.0));
        assert_eq!(card.band.code, "xuat_sac");
        assert_eq!(card.unmeasured.len(), 1);
        assert_eq!(card.unmeasured[0].kind, "no_data");
        assert_eq!(card.unmeasured[0].points, 12.0);
        assert_eq!(card.unmeasured[0].indicators, vec!["5.2", "5.3"]);
        for code in ["5.2", "5.3"] {
            assert_eq!(ind(&card, code).basis, PointsBasis::NoData);
            assert_eq!(ind(&card, code).points, None);
        }
        assert_eq!(ind(&card, "3.TT").points, Some(12.0));
        for code in ["3.1", "3.2", "3.3"] {
            let i = ind(&card, code);
            assert_eq!(i.basis, PointsBasis::UnknownWeight);
            assert_eq!(i.points, None);
            assert_eq!(i.value, Some(100.0), "{code} is still measured");
            assert_eq!(i.confidence, Confidence::Unknown);
        }
        assert_eq!(ind(&card, "2.2").value, Some(3.0));
        assert_eq!(ind(&card, "2.2").basis, PointsBasis::Monitoring);
        assert_eq!(ind(&card, "5.1").points, None);
        assert_eq!(ind(&card, "5.1").basis, PointsBasis::Monitoring);
    }

    #[test]
    fn a_perfect_unit_gets_100_once_feedback_has_data() {
        let mut config = ScoringConfig::embedded().expect("config");
        config.no_data.indicators.clear();
        let m = IndicatorModel::from_sources(EMBEDDED_YAML, config).expect("loads");
        let mut f = perfect();
        f.feedback_received = 10;
        f.feedback_answered_on_time = 10;
        let card = score(&m, &f);
        assert_sums(&card);
        assert_eq!(card.total_766, 100.0);
        assert_eq!(card.max_attainable, 100.0);
        assert!(card.unmeasured.is_empty());
        assert_eq!(card.band.code, "xuat_sac");
    }

    /// A hand-worked mixed case.
    ///
    /// G1: 1.1 = 3/4 = 75% → 6 × 0.75 = 4.50; 1.2 = 9/10 = 90% → 4 × 0.9 = 3.60;
    ///     1.3 = 50/50 → 2.00; 1.4 = 150/200 = 75% → 6 × 0.75 = 4.50. G1 = 14.60.
    /// G2: processed = 80 + 50 + 30 + 25 + 15 = 200; on time = 80 + 50 + 25 = 155 → 77.5%
    ///     → 20 × 0.775 = 15.50. G2 = 15.50.
    /// G3: 3.3 = 60/200 × 0.75 = 22.5% (no points, unknown max); 3.TT = 0/0 → không phát
    ///     sinh; 3.5 = 6/10 = 60%, full at 80 → 2 × 0.75 = 1.50; 3.5b = 3/10 = 30% → 2 ×
    ///     30/80 = 0.75; 3.6 = 45/90 = 50% → 6 × 0.5 = 3.00. G3 = 5.25 (of 10 measured).
    /// G4: 4.1 = 70/140 = 50% → 3.00; 4.2 = 36/200 = 18%, full at 80 → 4 × 0.225 = 0.90
    ///     (seed 6486 fn 3, Con Cuông); 4.3 = 0/200 → 0.00; 4.4 = 20/200 = 10%, threshold
    ///     assumed 100 → 0.40; 4.5a = 1/3 = 33.33% → 2/3 = 0.666… → 0.67; 4.5b = 0/200 →
    ///     0.00; 4.x = 0/0 → không phát sinh. G4 = 4.97 (of 20 measured).
    /// G5: 5.2, 5.3: chưa có dữ liệu; 5.4 = (155 − 11)/200 = 72%, full at 90 → 6 × 0.8 =
    ///     4.80. G5 = 4.80 (of 6 measured).
    /// Total = 14.60 + 15.50 + 5.25 + 4.97 + 4.80 = 45.12 of 18 + 20 + 10 + 20 + 6 = 74
    /// measured → 45.12 × 100 / 74 = 60.97 → "Trung bình" (50 ≤ t < 70).
    #[test]
    fn a_mixed_case_worked_by_hand() {
        let f = UnitPeriodFacts {
            procedures_published: 4,
            procedures_published_on_time: 3,
            procedures_disclosed: 10,
            procedures_disclosed_on_time: 9,
            procedures_public: 50,
            procedures_public_complete: 50,
            dossiers_received: 200,
            synced_dossiers: 150,
            finished_early: 80,
            finished_on_time: 50,
            finished_late: 30,
            unfinished_on_time_at_period_end: 25,
            unfinished_overdue_at_period_end: 15,
            online_dossiers: 60,
            fee_procedures: 10,
            fee_procedures_integrated: 6,
            fee_procedures_paid_online: 3,
            payable_dossiers: 90,
            paid_online: 45,
            dossiers_needing_result_document: 140,
            e_results: 70,
            digitised_dossiers: 36,
            personal_store_dossiers: 20,
            citizen_procedures: 3,
            citizen_procedures_connected: 1,
            feedback_received: 10,
            feedback_answered_on_time: 7,
            feedback_pending_within_deadline: 1,
            feedback_unsatisfactory: 3,
            dossiers_dissatisfied_not_late: 11,
            ..Default::default()
        };
        let card = score(&model(), &f);
        assert_sums(&card);
        let points: Vec<f64> = card.groups.iter().map(|g| g.points).collect();
        assert_eq!(points, vec![14.6, 15.5, 5.25, 4.97, 4.8]);
        assert_eq!(card.total_766, 45.12);
        assert_eq!(card.max_attainable, 74.0);
        assert_eq!(card.score_100, Some(60.97));
        assert_eq!(card.band.code, "trung_binh");
        let kinds: Vec<(&str, f64)> = card
            .unmeasured
            .iter()
            .map(|u| (u.kind.as_str(), u.points))
            .collect();
        assert_eq!(kinds, vec![("not_arising", 14.0), ("no_data", 12.0)]);
        let i = ind(&card, "3.3");
        assert_eq!((i.numerator, i.denominator), (60, 200));
        assert_eq!(i.multiplier, Some(0.75));
        assert_eq!(i.value, Some(22.5));
        assert_eq!(i.points, None);
        assert_eq!(ind(&card, "4.2").points, Some(0.9));
        assert_eq!(ind(&card, "4.4").points, Some(0.4));
        assert!(ind(&card, "4.4").threshold_assumed);
        assert_eq!(ind(&card, "4.5a").value, Some(33.33));
        assert_eq!(ind(&card, "4.5a").points, Some(0.67));
        assert_eq!(ind(&card, "4.x").basis, PointsBasis::NotArising);
        assert_eq!(ind(&card, "3.TT").basis, PointsBasis::NotArising);
        assert_eq!(ind(&card, "5.4").value, Some(72.0));
        assert_eq!(ind(&card, "5.4").points, Some(4.8));
        assert_eq!(ind(&card, "3.5b").points, Some(0.75));
    }

    #[test]
    fn zero_denominators_everywhere() {
        let empty = UnitPeriodFacts::default();
        // Default (VPCP's formula description: "0 hoặc N/A"): N/A, "không phát sinh". A
        // unit with no activity scores nothing and is not rated.
        let card = score(&model(), &empty);
        assert_sums(&card);
        for i in card.groups.iter().flat_map(|g| g.indicators.iter()) {
            assert_eq!(i.value, None, "{}", i.code);
            assert_eq!((i.numerator, i.denominator), (0, 0), "{}", i.code);
            if i.max.is_some_and(|m| m > 0.0) {
                let want = if ["5.2", "5.3"].contains(&i.code.as_str()) {
                    PointsBasis::NoData
                } else {
                    PointsBasis::NotArising
                };
                assert_eq!(i.basis, want, "{}", i.code);
                assert_eq!(i.points, None, "{}", i.code);
            }
        }
        assert_eq!(card.total_766, 0.0);
        assert_eq!(card.max_attainable, 0.0);
        assert_eq!(card.score_100, None);
        assert_eq!(card.band.code, "chua_xep_loai");
        // Policy "full_points": everything measurable gets its maximum.
        let mut config = model().config.clone();
        config.zero_denominator.default = ZeroDenominator::FullPoints;
        let m = IndicatorModel::from_sources(EMBEDDED_YAML, config.clone()).expect("loads");
        let card = score(&m, &empty);
        assert_sums(&card);
        assert_eq!(card.total_766, 88.0);
        assert_eq!(ind(&card, "5.2").basis, PointsBasis::NoData);
        // Policy "zero".
        config.zero_denominator.default = ZeroDenominator::Zero;
        let m = IndicatorModel::from_sources(EMBEDDED_YAML, config).expect("loads");
        let card = score(&m, &empty);
        assert_sums(&card);
        assert_eq!(card.total_766, 0.0);
        assert_eq!(ind(&card, "2.1").points, Some(0.0));
        assert_eq!(card.band.code, "yeu");
    }

    #[test]
    fn unfinished_overdue_dossiers_at_period_end_count_as_late() {
        // 40 finished on time, 0 late; 10 still open at the period end, 6 of them past
        // their deadline. 2.1 = (40 + 4) / 50 = 88% → 17.60 points; 5.4 = 44/50 = 88%,
        // full at 90 → 6 × 88/90 = 5.8666… → 5.87.
        let f = UnitPeriodFacts {
            finished_on_time: 40,
            unfinished_on_time_at_period_end: 4,
            unfinished_overdue_at_period_end: 6,
            ..Default::default()
        };
        let card = score(&model(), &f);
        let i = ind(&card, "2.1");
        assert_eq!((i.numerator, i.denominator), (44, 50));
        assert_eq!(i.value, Some(88.0));
        assert_eq!(i.points, Some(17.6));
        assert_eq!(ind(&card, "5.4").points, Some(5.87));
        // Had they been finished on time, the unit would have had the full 20.
        let all_on_time = UnitPeriodFacts {
            finished_on_time: 50,
            ..Default::default()
        };
        assert_eq!(
            ind(&score(&model(), &all_on_time), "2.1").points,
            Some(20.0)
        );
    }

    #[test]
    fn points_are_capped_at_the_maximum() {
        // Inconsistent counts (more synced than received) never exceed the maximum.
        let f = UnitPeriodFacts {
            dossiers_received: 10,
            synced_dossiers: 12,
            ..Default::default()
        };
        let card = score(&model(), &f);
        assert_eq!(ind(&card, "1.4").value, Some(120.0));
        assert_eq!(ind(&card, "1.4").points, Some(6.0));
    }

    #[test]
    fn every_indicator_in_the_yaml_has_a_formula() {
        let card = score(&model(), &perfect());
        for i in card.groups.iter().flat_map(|g| g.indicators.iter()) {
            assert_ne!(i.basis, PointsBasis::NoFormula, "{}", i.code);
        }
        assert_eq!(group(&card, "G3").max, 22.0);
        assert_eq!(group(&card, "G3").max_attainable, 22.0);
    }
}
