//! The 766 indicator tree as data: `data/indicators/indicators-766.yaml` (groups, indicators,
//! maxima with their confidence, full-points thresholds) plus `scoring-766.toml` (the
//! zero-denominator policy, rating bands, optional weights for the unknown maxima).

use serde::{Deserialize, Serialize};

/// The repository copy of `shared/data/indicators-766.yaml`, unchanged.
pub const EMBEDDED_YAML: &str = include_str!("../../../../data/indicators/indicators-766.yaml");
/// Scoring settings that the yaml does not carry.
pub const EMBEDDED_CONFIG: &str = include_str!("../../../../data/indicators/scoring-766.toml");

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IndicatorError {
    #[error("Tệp chỉ số 766 (YAML) không đọc được: {0}")]
    Yaml(String),
    #[error("Tệp cấu hình chấm điểm 766 (TOML) không đọc được: {0}")]
    Config(String),
    #[error("Cấu hình trọng số nêu chỉ số không có trong bộ chỉ số: {0}")]
    UnknownIndicator(String),
    #[error(
        "Tổng điểm tối đa các chỉ số của nhóm {group} ({sum}) vượt điểm tối đa của nhóm ({max})"
    )]
    GroupOverflow { group: String, sum: f64, max: f64 },
    #[error("Tổng điểm tối đa các nhóm ({sum}) khác tổng điểm của bộ chỉ số ({total})")]
    TotalMismatch { sum: f64, total: f64 },
    #[error("Chưa khai báo mức xếp loại nào")]
    NoBands,
}

/// How sure a maximum is — shown next to every number so the UI can say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Stated by a public description of the decision text (yaml `confirmed: true`).
    Confirmed,
    /// Equals the maxScore the national portal's API returns today (yaml
    /// `portal_confirmed: true`); the 2022 appendix may differ.
    Portal,
    /// Declared in the portal's table or reconciled with portal outputs by a public
    /// project, without an API check (yaml: a number with `portal_confirmed: false`).
    PortalUnverified,
    /// Set in `scoring-766.toml` `[[weight]]` with a cited source.
    Configured,
    /// Not known (yaml `null`); the indicator is measured but earns no points.
    Unknown,
}

impl Confidence {
    /// Vietnamese label for the UI.
    pub fn label_vi(self) -> &'static str {
        match self {
            Confidence::Confirmed => "Theo văn bản",
            Confidence::Portal => "Theo Cổng DVCQG",
            Confidence::PortalUnverified => "Theo Cổng DVCQG (chưa đối chiếu)",
            Confidence::Configured => "Theo cấu hình",
            Confidence::Unknown => "Chưa rõ",
        }
    }
}

/// One part of a group as the portal shows it (group 3 = 12 "Dịch vụ công trực tuyến" +
/// 10 "Thanh toán trực tuyến").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortalPart {
    pub code: String,
    pub label: String,
    pub max_points: f64,
}

/// Nhóm chỉ số — one of the five groups of QĐ 766 (maxima 18/20/22/22/18 [C]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// "G1" … "G5".
    pub code: String,
    pub name: String,
    pub max_points: f64,
    pub confirmed: bool,
    pub sources: Vec<String>,
    /// The portal's own code for the group ("CKMB", …), when it has one.
    pub portal_code: Option<String>,
    /// The portal's split of the group, when it shows one (group 3 only).
    pub portal_split: Vec<PortalPart>,
    pub indicators: Vec<Indicator>,
}

impl Group {
    /// Σ of the known indicator maxima: what a perfect unit can earn in this group today.
    pub fn max_attainable(&self) -> f64 {
        self.indicators.iter().filter_map(|i| i.max_points).sum()
    }
}

/// Chỉ số — one indicator of the tree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    /// The numbering of VPCP's "Mô tả công thức tính chỉ số 766" ("1.1", "3.5b", "4.x").
    pub code: String,
    pub name: String,
    /// Code of the owning group.
    pub group: String,
    /// `None` = unknown; never invented.
    pub max_points: Option<f64>,
    pub confidence: Confidence,
    /// Ratio (%) at or above which the indicator earns its maximum; `None` when the yaml
    /// gives none.
    pub full_points_at: Option<f64>,
    /// The point conversion was fitted to portal outputs, not read from an official text
    /// (yaml `scoring_method: reverse_engineered`).
    pub reverse_engineered: bool,
    /// The formula in words, as the yaml has it.
    pub formula: Option<String>,
    pub portal_metric_code: Option<String>,
    /// "Tỉnh, xã" or "Tỉnh".
    pub scope: Option<String>,
    /// Source ids (see the yaml's `sources`), all kinds merged, first seen first.
    pub sources: Vec<String>,
}

/// What an indicator earns when its denominator is 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ZeroDenominator {
    FullPoints,
    Zero,
    /// "Không phát sinh": N/A, no points, its maximum not counted as measured.
    NotArising,
}

/// A rating band on the total out of 100.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingBand {
    pub code: String,
    pub label_vi: String,
    /// Lowest total in the band.
    pub min: f64,
    /// `false` while the cut-off is [TV].
    pub confirmed: bool,
    pub source: String,
}

/// A maximum for an indicator the yaml leaves unknown, with its source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeightOverride {
    pub indicator: String,
    pub max_points: f64,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ZeroDenominatorRule {
    pub default: ZeroDenominator,
    /// Where the rule comes from.
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub full_points_always: Vec<String>,
}

/// Indicators without a data source in the system yet ("chưa có dữ liệu").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct NoDataRule {
    #[serde(default)]
    pub indicators: Vec<String>,
    #[serde(default)]
    pub reason: String,
}

/// On what the rating band is read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct NormaliseRule {
    /// "measured_share": total × 100 / points measured; "total": the raw total.
    #[serde(default)]
    pub band_on: String,
    #[serde(default)]
    pub source: String,
}

/// A scored measure the yaml's tree lacks, as the national portal scores it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortalIndicator {
    pub code: String,
    pub group: String,
    pub name: String,
    pub max_points: f64,
    pub source: String,
    #[serde(default)]
    pub scope: Option<String>,
}

/// `data/indicators/scoring-766.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoringConfig {
    pub zero_denominator: ZeroDenominatorRule,
    #[serde(rename = "band")]
    pub bands: Vec<RatingBand>,
    #[serde(rename = "weight", default)]
    pub weights: Vec<WeightOverride>,
    #[serde(default)]
    pub no_data: NoDataRule,
    #[serde(default)]
    pub normalise: NormaliseRule,
    #[serde(rename = "portal_indicator", default)]
    pub portal_indicators: Vec<PortalIndicator>,
}

impl ScoringConfig {
    pub fn from_toml(text: &str) -> Result<Self, IndicatorError> {
        let mut c: ScoringConfig =
            basic_toml::from_str(text).map_err(|e| IndicatorError::Config(e.to_string()))?;
        if c.bands.is_empty() {
            return Err(IndicatorError::NoBands);
        }
        c.bands.sort_by(|a, b| b.min.total_cmp(&a.min));
        Ok(c)
    }

    pub fn embedded() -> Result<Self, IndicatorError> {
        Self::from_toml(EMBEDDED_CONFIG)
    }

    /// The band of `total`: the first, from the top, whose `min` it reaches (the lowest
    /// band if none; `None` only for a config without bands).
    pub fn band(&self, total: f64) -> Option<&RatingBand> {
        self.bands
            .iter()
            .find(|b| total >= b.min)
            .or_else(|| self.bands.last())
    }

    /// The indicator has no data source in the system yet.
    pub fn has_no_data(&self, code: &str) -> bool {
        self.no_data.indicators.iter().any(|c| c == code)
    }

    /// What an indicator earns with nothing to measure: its maximum, 0 or N/A.
    pub fn zero_denominator_for(&self, code: &str) -> ZeroDenominator {
        if self
            .zero_denominator
            .full_points_always
            .iter()
            .any(|c| c == code)
        {
            ZeroDenominator::FullPoints
        } else {
            self.zero_denominator.default
        }
    }
}

/// The decision the tree belongs to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub number: String,
    pub date: String,
    pub total_max_points: f64,
}

/// Bộ chỉ số 766: the tree and its scoring settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorModel {
    pub decision: Decision,
    pub groups: Vec<Group>,
    pub config: ScoringConfig,
}

impl IndicatorModel {
    /// The tree from `yaml` with the embedded scoring settings.
    pub fn from_yaml(yaml: &str) -> Result<Self, IndicatorError> {
        Self::from_sources(yaml, ScoringConfig::embedded()?)
    }

    /// The tree from `yaml` with `config`; weight overrides are applied and every group's
    /// known maxima must fit in the group, and the groups must add up to the total.
    pub fn from_sources(yaml: &str, config: ScoringConfig) -> Result<Self, IndicatorError> {
        let raw: RawFile =
            serde_norway::from_str(yaml).map_err(|e| IndicatorError::Yaml(e.to_string()))?;
        let mut groups: Vec<Group> = raw.qd766_tree.into_iter().map(Group::from_raw).collect();
        for w in &config.weights {
            let ind = groups
                .iter_mut()
                .flat_map(|g| g.indicators.iter_mut())
                .find(|i| i.code == w.indicator)
                .ok_or_else(|| IndicatorError::UnknownIndicator(w.indicator.clone()))?;
            ind.max_points = Some(w.max_points);
            ind.confidence = Confidence::Configured;
            ind.sources.push(w.source.clone());
        }
        for p in &config.portal_indicators {
            let g = groups
                .iter_mut()
                .find(|g| g.code == p.group)
                .ok_or_else(|| IndicatorError::UnknownIndicator(p.group.clone()))?;
            g.indicators.push(Indicator {
                code: p.code.clone(),
                name: p.name.clone(),
                group: p.group.clone(),
                max_points: Some(p.max_points),
                confidence: Confidence::PortalUnverified,
                full_points_at: None,
                reverse_engineered: false,
                formula: None,
                portal_metric_code: None,
                scope: p.scope.clone(),
                sources: vec![p.source.clone()],
            });
        }
        for g in &groups {
            let sum = g.max_attainable();
            if sum > g.max_points + 1e-9 {
                return Err(IndicatorError::GroupOverflow {
                    group: g.code.clone(),
                    sum,
                    max: g.max_points,
                });
            }
        }
        let sum: f64 = groups.iter().map(|g| g.max_points).sum();
        if (sum - raw.meta.total_max_points).abs() > 1e-9 {
            return Err(IndicatorError::TotalMismatch {
                sum,
                total: raw.meta.total_max_points,
            });
        }
        Ok(IndicatorModel {
            decision: Decision {
                number: raw.meta.decision_no,
                date: raw.meta.decision_date,
                total_max_points: raw.meta.total_max_points,
            },
            groups,
            config,
        })
    }

    /// The repository copy of the yaml and the repository scoring settings.
    pub fn embedded() -> Result<Self, IndicatorError> {
        Self::from_yaml(EMBEDDED_YAML)
    }

    pub fn indicators(&self) -> impl Iterator<Item = &Indicator> {
        self.groups.iter().flat_map(|g| g.indicators.iter())
    }

    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.indicators().find(|i| i.code == code)
    }

    /// Σ of all known maxima: what a perfect unit can earn with today's weights.
    pub fn max_attainable(&self) -> f64 {
        self.groups.iter().map(Group::max_attainable).sum()
    }
}

impl Group {
    fn from_raw(g: RawGroup) -> Group {
        let code = g.id;
        Group {
            indicators: g
                .indicators
                .into_iter()
                .map(|i| Indicator::from_raw(i, &code))
                .collect(),
            code,
            name: g.name,
            max_points: g.max_points,
            confirmed: g.confirmed,
            sources: g.sources,
            portal_code: g.portal_group.map(|p| p.code),
            portal_split: g
                .portal_split
                .into_iter()
                .map(|p| PortalPart {
                    code: p.code,
                    label: p.label,
                    max_points: p.max_points,
                })
                .collect(),
        }
    }
}

impl Indicator {
    fn from_raw(i: RawIndicator, group: &str) -> Indicator {
        let confidence = match (i.max_points, i.confirmed, i.portal_confirmed) {
            (None, _, _) => Confidence::Unknown,
            (Some(_), true, _) => Confidence::Confirmed,
            (Some(_), false, Some(true)) => Confidence::Portal,
            (Some(_), false, _) => Confidence::PortalUnverified,
        };
        let mut sources: Vec<String> = Vec::new();
        for s in [
            i.max_points_sources,
            i.formula_sources,
            i.threshold_sources,
            i.scoring_sources,
            i.name_sources,
        ]
        .into_iter()
        .flatten()
        {
            if !sources.contains(&s) {
                sources.push(s);
            }
        }
        Indicator {
            code: i.id,
            name: i.name,
            group: group.to_string(),
            max_points: i.max_points,
            confidence,
            full_points_at: i.full_points_at,
            reverse_engineered: i.scoring_method.as_deref() == Some("reverse_engineered"),
            formula: i.formula,
            portal_metric_code: i.portal_metric_code,
            scope: i.scope,
            sources,
        }
    }
}

// --- the yaml as written (fields not listed are ignored) ---

#[derive(Deserialize)]
struct RawFile {
    meta: RawMeta,
    qd766_tree: Vec<RawGroup>,
}

#[derive(Deserialize)]
struct RawMeta {
    decision_no: String,
    decision_date: String,
    total_max_points: f64,
}

#[derive(Deserialize)]
struct RawGroup {
    id: String,
    name: String,
    max_points: f64,
    #[serde(default)]
    confirmed: bool,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    portal_group: Option<RawPortalPart>,
    #[serde(default)]
    portal_split: Vec<RawPortalPart>,
    indicators: Vec<RawIndicator>,
}

#[derive(Deserialize)]
struct RawPortalPart {
    code: String,
    label: String,
    max_points: f64,
}

#[derive(Deserialize)]
struct RawIndicator {
    id: String,
    name: String,
    #[serde(default)]
    max_points: Option<f64>,
    #[serde(default)]
    confirmed: bool,
    #[serde(default)]
    portal_confirmed: Option<bool>,
    #[serde(default)]
    full_points_at: Option<f64>,
    #[serde(default)]
    scoring_method: Option<String>,
    #[serde(default)]
    formula: Option<String>,
    #[serde(default)]
    portal_metric_code: Option<String>,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    name_sources: Vec<String>,
    #[serde(default)]
    max_points_sources: Vec<String>,
    #[serde(default)]
    formula_sources: Vec<String>,
    #[serde(default)]
    threshold_sources: Vec<String>,
    #[serde(default)]
    scoring_sources: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> IndicatorModel {
        IndicatorModel::embedded().expect("embedded 766 data loads")
    }

    #[test]
    fn the_yaml_loads_and_group_maxima_sum_to_100() {
        let m = model();
        assert_eq!(m.decision.number, "766/QĐ-TTg");
        let maxima: Vec<f64> = m.groups.iter().map(|g| g.max_points).collect();
        assert_eq!(maxima, vec![18.0, 20.0, 22.0, 22.0, 18.0]);
        assert_eq!(maxima.iter().sum::<f64>(), 100.0);
        assert!(m.groups.iter().all(|g| g.confirmed));
    }

    #[test]
    fn confidences_follow_the_yaml_flags() {
        let m = model();
        let conf = |c: &str| m.indicator(c).map(|i| i.confidence);
        assert_eq!(conf("1.2"), Some(Confidence::Confirmed));
        assert_eq!(conf("2.1"), Some(Confidence::Confirmed));
        assert_eq!(conf("5.4"), Some(Confidence::Confirmed));
        assert_eq!(conf("1.1"), Some(Confidence::Portal));
        assert_eq!(conf("3.6"), Some(Confidence::PortalUnverified));
        for unknown in ["2.2", "3.1", "3.2", "3.3"] {
            assert_eq!(conf(unknown), Some(Confidence::Unknown), "{unknown}");
            assert_eq!(m.indicator(unknown).and_then(|i| i.max_points), None);
        }
        assert_eq!(
            m.indicator("3.1").and_then(|i| i.full_points_at),
            Some(80.0)
        );
        assert_eq!(m.indicator("4.4").and_then(|i| i.full_points_at), None);
        assert!(m.indicator("2.1").is_some_and(|i| i.reverse_engineered));
        let g3 = &m.groups[2];
        assert_eq!(g3.portal_split.len(), 2);
        assert_eq!(
            g3.portal_split[0].max_points + g3.portal_split[1].max_points,
            22.0
        );
    }

    #[test]
    fn the_portal_row_6_completes_group_3() {
        // 3.1–3.3 stay unweighted; the 12 points of "Dịch vụ công trực tuyến" are scored as
        // the portal does (row 6, full-online share): 18 + 20 + 22 + 22 + 18 = 100.
        let m = model();
        let per_group: Vec<f64> = m.groups.iter().map(Group::max_attainable).collect();
        assert_eq!(per_group, vec![18.0, 20.0, 22.0, 22.0, 18.0]);
        assert_eq!(m.max_attainable(), 100.0);
        let tt = m.indicator("3.TT").expect("portal row 6");
        assert_eq!(tt.max_points, Some(12.0));
        assert_eq!(tt.confidence, Confidence::PortalUnverified);
    }

    #[test]
    fn weight_overrides_fill_unknowns_and_are_checked() {
        let mut c = ScoringConfig::embedded().expect("config");
        // With row 6 scored, a split of 3.1–3.3 would overflow group 3.
        c.weights = vec![WeightOverride {
            indicator: "3.1".into(),
            max_points: 4.0,
            source: "test".into(),
        }];
        assert!(matches!(
            IndicatorModel::from_sources(EMBEDDED_YAML, c.clone()),
            Err(IndicatorError::GroupOverflow { .. })
        ));
        c.portal_indicators.clear();
        c.weights = ["3.1", "3.2", "3.3"]
            .iter()
            .map(|code| WeightOverride {
                indicator: code.to_string(),
                max_points: 4.0,
                source: "test".into(),
            })
            .collect();
        let m = IndicatorModel::from_sources(EMBEDDED_YAML, c.clone()).expect("loads");
        assert_eq!(m.max_attainable(), 100.0);
        assert_eq!(
            m.indicator("3.2").map(|i| i.confidence),
            Some(Confidence::Configured)
        );
        c.weights[0].max_points = 5.0;
        assert!(matches!(
            IndicatorModel::from_sources(EMBEDDED_YAML, c.clone()),
            Err(IndicatorError::GroupOverflow { .. })
        ));
        c.weights[0].indicator = "9.9".into();
        assert!(matches!(
            IndicatorModel::from_sources(EMBEDDED_YAML, c),
            Err(IndicatorError::UnknownIndicator(_))
        ));
        assert!(matches!(
            IndicatorModel::from_yaml("meta: ["),
            Err(IndicatorError::Yaml(_))
        ));
    }

    #[test]
    fn bands_come_from_the_config() {
        let c = ScoringConfig::embedded().expect("config");
        let code = |t: f64| c.band(t).map(|b| b.code.clone()).unwrap_or_default();
        assert_eq!(code(100.0), "xuat_sac");
        assert_eq!(code(90.0), "xuat_sac");
        assert_eq!(code(89.99), "tot");
        assert_eq!(code(83.61), "tot");
        assert_eq!(code(70.0), "kha");
        assert_eq!(code(50.0), "trung_binh");
        assert_eq!(code(49.99), "yeu");
        assert_eq!(code(0.0), "yeu");
        assert!(c.band(95.0).is_some_and(|b| b.confirmed));
        assert!(c.band(75.0).is_some_and(|b| !b.confirmed));
    }
}
