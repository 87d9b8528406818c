//! Chỉ số 766 — the real-time service indicators of Quyết định 766/QĐ-TTg (domain.md §6)
//! and the seed's KPIs, computed from plain counts of one unit in one period.
//!
//! - [`IndicatorModel`]: the indicator tree and weights, loaded from
//!   `data/indicators/indicators-766.yaml` (confirmed / portal / unknown, never invented)
//!   and the scoring settings in `data/indicators/scoring-766.toml` (zero denominators,
//!   rating bands, weights for unknowns).
//! - [`UnitPeriodFacts`]: the counts; [`facts`] holds the one implementation of each ratio.
//! - [`score`] → [`Scorecard`] (groups, indicators, total out of 100, band); [`kpis`] →
//!   [`Kpi`]s.
//! - [`round2`]: the one rounding rule.

pub mod counters;
pub mod facts;
mod kpi;
pub mod model;
mod score;

pub use facts::{Measure, UnitPeriodFacts, ValueKind};
pub use kpi::{Kpi, kpis};
pub use model::{
    Confidence, Group, Indicator, IndicatorError, IndicatorModel, RatingBand, ScoringConfig,
    WeightOverride, ZeroDenominator,
};
pub use score::{GroupScore, IndicatorScore, PointsBasis, Scorecard, score};

/// Percentages and points to 2 decimals, half away from zero (domain.md §6: "2 decimals").
///
/// The value is nudged by one part in 2⁵² of its size before rounding so that a number
/// whose decimal form ends in 5 at the third decimal but whose binary form lies a hair
/// below (1.005 is stored as 1.00499…) still rounds away from zero, as a person computing
/// by hand would. Every percentage and point of this module passes through here, once, at
/// the end of its computation.
pub fn round2(x: f64) -> f64 {
    let scaled = x * 100.0 * (1.0 + f64::EPSILON);
    scaled.round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::round2;

    #[test]
    fn rounds_half_away_from_zero_to_two_decimals() {
        assert_eq!(round2(1.005), 1.01);
        assert_eq!(round2(2.675), 2.68);
        assert_eq!(round2(-1.005), -1.01);
        assert_eq!(round2(56.097_560_975), 56.1);
        assert_eq!(round2(0.125), 0.13);
        assert_eq!(round2(0.124_999), 0.12);
        assert_eq!(round2(100.0), 100.0);
        assert_eq!(round2(0.0), 0.0);
        assert_eq!(round2(2.0 / 3.0 * 100.0), 66.67);
    }
}
