//! The OpenAPI shapes of what [`super::IndicatorReport`] carries as JSON values: the
//! domain's scorecard, KPIs and facts serialised by serde (the domain crate has no
//! `utoipa`). Documentation only; each mirrors the domain type it names.

#![allow(dead_code)]

/// One group of the 766 scorecard (`domain::indicator::GroupScore`).
#[derive(utoipa::ToSchema)]
#[schema(as = GroupScore)]
pub struct GroupScoreDoc {
    pub code: String,
    pub name: String,
    /// The decision's maximum for the group.
    pub max: f64,
    /// Σ of the known indicator maxima.
    pub max_attainable: f64,
    /// Σ of the indicators' (rounded) points.
    pub points: f64,
    pub indicators: Vec<IndicatorScoreDoc>,
}

/// One indicator of the scorecard (`domain::indicator::IndicatorScore`).
#[derive(utoipa::ToSchema)]
#[schema(as = IndicatorScore)]
pub struct IndicatorScoreDoc {
    pub code: String,
    pub name: String,
    pub numerator: u64,
    pub denominator: u64,
    /// Factor on the ratio (3.3: the sync rate).
    pub multiplier: Option<f64>,
    /// Percent (or working days for 2.2); null when the denominator is 0.
    pub value: Option<f64>,
    /// percent, working_days, …
    pub value_kind: String,
    pub points: Option<f64>,
    pub max: Option<f64>,
    pub full_points_at: Option<f64>,
    pub threshold_assumed: bool,
    /// How sure the maximum is.
    pub confidence: String,
    pub reverse_engineered: bool,
    /// measured, nothing_to_measure, not_arising, no_data, monitoring, unknown_weight,
    /// no_formula.
    pub basis: String,
    pub sources: Vec<String>,
}

/// Points left out of the measured total (`domain::indicator::Unmeasured`).
#[derive(utoipa::ToSchema)]
#[schema(as = Unmeasured)]
pub struct UnmeasuredDoc {
    /// not_arising, no_data, unknown_weight
    pub kind: String,
    pub label_vi: String,
    pub points: f64,
    pub indicators: Vec<String>,
    pub reason: String,
}

/// The rating band (`domain::indicator::RatingBand`).
#[derive(utoipa::ToSchema)]
#[schema(as = RatingBand)]
pub struct RatingBandDoc {
    pub code: String,
    pub label_vi: String,
    /// Lowest total in the band.
    pub min: f64,
    pub confirmed: bool,
    pub source: String,
}

/// One KPI of the seed (`domain::indicator::Kpi`).
#[derive(utoipa::ToSchema)]
#[schema(as = Kpi)]
pub struct KpiDoc {
    pub code: String,
    pub label_vi: String,
    pub numerator: u64,
    pub denominator: u64,
    /// 2 decimals; null when the denominator is 0.
    pub percent: Option<f64>,
    /// The 766 indicator with the same formula, if any.
    pub indicator_766: Option<String>,
    pub source: String,
}
