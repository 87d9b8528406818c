//! Chấm điểm — from what a unit answers to its points, totals, index, ranking and the
//! criteria below their maximum.
//!
//! The method (domain.md §8; 876/QĐ-BNV; the three steps of the provincial sets):
//! 1. tự đánh giá — the unit scores each item with evidence ("điểm tự đánh giá");
//! 2. điều tra xã hội học — survey items are scored by the Sở Nội vụ's survey;
//! 3. thẩm định — the appraisal group confirms or adjusts each score with a reason
//!    ("điểm thẩm định").
//!
//! Chỉ số = tổng điểm đạt / tổng điểm tối đa áp dụng × 100 (an item that does not apply
//! to the unit leaves both sums: Thanh Hóa 600/QĐ-UBND shows units whose applicable
//! maximum is below 100). Units are ranked within their kind by the index.

use std::collections::HashMap;

use serde::Serialize;

use super::points::{Points, index_of};
use super::set::{CriteriaSet, Node, RuleKind, Source};

/// What a unit, the survey and the appraisal gave one item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemScore {
    /// False when the item does not apply to the unit (decided at appraisal).
    pub not_applicable: bool,
    pub self_score: Option<Points>,
    pub appraised: Option<Points>,
    pub survey: Option<Points>,
}

impl ItemScore {
    /// The score that counts: the survey's for a survey item; otherwise the appraised
    /// score when the appraisal gave one, else the unit's own.
    pub fn final_score(&self, n: &Node) -> Points {
        if self.not_applicable {
            return Points::ZERO;
        }
        match n.source {
            Source::Survey => self.survey.unwrap_or_default(),
            _ => self.appraised.or(self.self_score).unwrap_or_default(),
        }
    }
}

/// A unit's answer for one item, turned into points by the item's rule. `value` is what
/// the form holds: "co"/"khong" (yes/no), a level's label, a percentage, or points.
pub fn score_value(n: &Node, value: &str) -> Result<Points, String> {
    let v = value.trim();
    match n.rule.kind {
        RuleKind::YesNo => match crate::text::fold_vi(v).as_str() {
            "co" | "dat" | "yes" | "true" | "1" => Ok(n.max),
            "khong" | "khong dat" | "no" | "false" | "0" => Ok(Points::ZERO),
            _ => Err(format!("Tiêu chí {} chỉ nhận “Có” hoặc “Không”.", n.code)),
        },
        RuleKind::Levels => n
            .rule
            .levels
            .iter()
            .find(|l| crate::text::fold_vi(&l.label) == crate::text::fold_vi(v))
            .map(|l| l.points)
            .ok_or_else(|| {
                format!(
                    "Tiêu chí {} chỉ nhận một trong các mức: {}.",
                    n.code,
                    n.rule
                        .levels
                        .iter()
                        .map(|l| l.label.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }),
        RuleKind::Ratio => {
            let pct = parse_percent(v).ok_or_else(|| {
                format!("Tiêu chí {}: nhập tỷ lệ phần trăm từ 0 đến 100.", n.code)
            })?;
            Ok(ratio_points(n, pct))
        }
        RuleKind::Manual => {
            let p = Points::parse(v).map_err(|e| format!("Tiêu chí {}: {e}", n.code))?;
            check_points(n, p)?;
            Ok(p)
        }
    }
}

/// A percentage "92,5", "92.5 %", "100": 0..=100, `None` otherwise.
pub fn parse_percent(s: &str) -> Option<f64> {
    let t = s.trim().trim_end_matches('%').trim().replace(',', ".");
    let x: f64 = t.parse().ok()?;
    (x.is_finite() && (0.0..=100.0).contains(&x)).then_some(x)
}

/// The points of a ratio item at `pct` percent: the first threshold reached, else 0.
pub fn ratio_points(n: &Node, pct: f64) -> Points {
    n.rule
        .thresholds
        .iter()
        .find(|t| pct + 1e-9 >= t.min_percent)
        .map(|t| t.points)
        .unwrap_or_default()
}

/// Points given directly (an appraisal's adjustment, a survey's score): 0..=max.
pub fn check_points(n: &Node, p: Points) -> Result<(), String> {
    if p < Points::ZERO {
        return Err(format!("Tiêu chí {}: điểm không được âm.", n.code));
    }
    if p > n.max {
        return Err(format!(
            "Tiêu chí {}: {} điểm vượt điểm tối đa {}.",
            n.code,
            p.vn(),
            n.max.vn()
        ));
    }
    Ok(())
}

/// Sums of one unit (or of one area of it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Điểm đạt (final).
    pub score: Points,
    /// Điểm tối đa áp dụng.
    pub max: Points,
    /// Điểm tự đánh giá (self-assessed items only, as the unit scored them).
    pub self_score: Points,
    /// Items the unit has not scored yet (self-assessed or computed ones).
    pub unanswered: usize,
}

impl Totals {
    /// Index in hundredths of a percent.
    pub fn index(&self) -> Option<i64> {
        index_of(self.score, self.max)
    }
}

/// The unit's totals, and each area's, from its item scores by code.
pub fn totals(set: &CriteriaSet, scores: &HashMap<String, ItemScore>) -> (Totals, Vec<Totals>) {
    let mut all = Totals::default();
    let mut areas: Vec<Totals> = vec![Totals::default(); set.areas.len()];
    let idx: HashMap<&str, usize> = set
        .areas
        .iter()
        .enumerate()
        .map(|(i, a)| (a.code.as_str(), i))
        .collect();
    let empty = ItemScore::default();
    for l in set.leaves() {
        let s = scores.get(&l.node.code).unwrap_or(&empty);
        let t = &mut areas[idx[l.area.code.as_str()]];
        if s.not_applicable {
            continue;
        }
        let fin = s.final_score(l.node);
        t.score += fin;
        t.max += l.node.max;
        if l.node.source != Source::Survey {
            match s.self_score {
                Some(p) => t.self_score += p,
                None => t.unanswered += 1,
            }
        }
    }
    for t in &areas {
        all.score += t.score;
        all.max += t.max;
        all.self_score += t.self_score;
        all.unanswered += t.unanswered;
    }
    (all, areas)
}

/// One unit in a ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ranked {
    pub unit_code: String,
    pub unit_name: String,
    pub score: Points,
    pub max: Points,
    /// Hundredths of a percent.
    pub index: Option<i64>,
    pub rank: u32,
}

/// Orders by index (highest first), then score, then unit code; equal indices share a
/// rank and the next rank skips ("1, 2, 2, 4"), as published rankings write ties.
pub fn rank(mut items: Vec<Ranked>) -> Vec<Ranked> {
    items.sort_by(|a, b| {
        b.index
            .unwrap_or(-1)
            .cmp(&a.index.unwrap_or(-1))
            .then(b.score.cmp(&a.score))
            .then(a.unit_code.cmp(&b.unit_code))
    });
    let mut prev: Option<i64> = None;
    let mut rank = 0;
    for (i, it) in items.iter_mut().enumerate() {
        let key = it.index.unwrap_or(-1);
        if prev != Some(key) {
            rank = i as u32 + 1;
            prev = Some(key);
        }
        it.rank = rank;
    }
    items
}

/// A criterion below its maximum ("tiêu chí chưa đạt điểm tối đa", 6219/UBND-KSTT item 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    pub code: String,
    pub title: String,
    pub area_code: String,
    pub area_title: String,
    pub max: Points,
    pub score: Points,
    pub lost: Points,
    pub source: Source,
}

/// Every applicable item below its maximum, most points lost first, then in the
/// decision's order.
pub fn gaps(set: &CriteriaSet, scores: &HashMap<String, ItemScore>) -> Vec<Gap> {
    let empty = ItemScore::default();
    let mut out: Vec<(usize, Gap)> = set
        .leaves()
        .into_iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let s = scores.get(&l.node.code).unwrap_or(&empty);
            if s.not_applicable {
                return None;
            }
            let fin = s.final_score(l.node);
            (fin < l.node.max).then(|| {
                (
                    i,
                    Gap {
                        code: l.node.code.clone(),
                        title: l.node.title.clone(),
                        area_code: l.area.code.clone(),
                        area_title: l.area.title.clone(),
                        max: l.node.max,
                        score: fin,
                        lost: l.node.max - fin,
                        source: l.node.source,
                    },
                )
            })
        })
        .collect();
    out.sort_by(|(ia, a), (ib, b)| b.lost.cmp(&a.lost).then(ia.cmp(ib)));
    out.into_iter().map(|(_, g)| g).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SET: &str = r#"
id: TEST_SET
title: "Bộ thử"
unit_kind: department
applies_from_year: 2023
max_points: 10
survey_points: 3
areas:
  - code: "1"
    title: "Chỉ đạo điều hành"
    max: 4
    items:
      - code: "1.1"
        title: "Kế hoạch"
        max: 1
        rule: {kind: yes_no}
      - code: "1.2"
        title: "Hoàn thành kế hoạch"
        max: 2
        source: computed
        metric: tasks_on_time
        rule:
          kind: ratio
          thresholds:
            - {min_percent: 100, points: 2}
            - {min_percent: 80, points: 1.25}
            - {min_percent: 0, points: 0}
      - code: "1.3"
        title: "Kiểm tra"
        max: 1
        rule:
          kind: levels
          levels:
            - {label: "Tốt", points: 1}
            - {label: "Đạt", points: 0.5}
            - {label: "Không đạt", points: 0}
  - code: "2"
    title: "Thủ tục hành chính"
    max: 3
    items:
      - code: "2.1"
        title: "Công khai"
        max: 3
        rule: {kind: manual}
  - code: "3"
    title: "Điều tra xã hội học"
    max: 3
    source: survey
"#;

    fn set() -> CriteriaSet {
        CriteriaSet::from_yaml(SET).unwrap()
    }

    #[test]
    fn rules_turn_answers_into_points() {
        let s = set();
        let n = |c| s.find(c).unwrap();
        assert_eq!(score_value(n("1.1"), "Có"), Ok(Points(100)));
        assert_eq!(score_value(n("1.1"), "không"), Ok(Points(0)));
        assert!(score_value(n("1.1"), "có lẽ").is_err());
        assert_eq!(score_value(n("1.2"), "100"), Ok(Points(200)));
        assert_eq!(score_value(n("1.2"), "92,5 %"), Ok(Points(125)));
        assert_eq!(score_value(n("1.2"), "79.99"), Ok(Points(0)));
        assert!(score_value(n("1.2"), "101").is_err());
        assert_eq!(score_value(n("1.3"), "đạt"), Ok(Points(50)));
        assert!(
            score_value(n("1.3"), "Khá")
                .unwrap_err()
                .contains("Tốt, Đạt")
        );
        assert_eq!(score_value(n("2.1"), "2,75"), Ok(Points(275)));
        assert!(score_value(n("2.1"), "3,25").unwrap_err().contains("vượt"));
        assert!(score_value(n("2.1"), "-1").unwrap_err().contains("âm"));
    }

    #[test]
    fn totals_use_appraisal_then_self_and_survey_and_drop_what_does_not_apply() {
        let s = set();
        let mut m = HashMap::new();
        let it = |sf: i64, ap: Option<i64>| ItemScore {
            self_score: Some(Points(sf)),
            appraised: ap.map(Points),
            ..Default::default()
        };
        m.insert("1.1".to_string(), it(100, None));
        m.insert("1.2".to_string(), it(200, Some(125)));
        m.insert("1.3".to_string(), it(50, None));
        m.insert(
            "2.1".to_string(),
            ItemScore {
                not_applicable: true,
                ..Default::default()
            },
        );
        m.insert(
            "3".to_string(),
            ItemScore {
                survey: Some(Points(240)),
                ..Default::default()
            },
        );
        let (t, areas) = totals(&s, &m);
        assert_eq!(t.score, Points(100 + 125 + 50 + 240));
        assert_eq!(t.max, Points(700));
        assert_eq!(t.self_score, Points(350));
        assert_eq!(t.unanswered, 0);
        assert_eq!(t.index(), Some(7357)); // 515 / 700 = 73,571… %
        assert_eq!(areas[1].max, Points::ZERO);
        assert_eq!(areas.iter().map(|a| a.score).sum::<Points>(), t.score);
        let g = gaps(&s, &m);
        let codes: Vec<&str> = g.iter().map(|g| g.code.as_str()).collect();
        assert_eq!(codes, ["1.2", "3", "1.3"]); // 0,75 then 0,6 then 0,5 lost
        assert_eq!(g[0].lost, Points(75));
    }

    #[test]
    fn ties_share_a_rank() {
        let r = |c: &str, s: i64, m: i64| Ranked {
            unit_code: c.into(),
            unit_name: c.into(),
            score: Points(s),
            max: Points(m),
            index: index_of(Points(s), Points(m)),
            rank: 0,
        };
        let out = rank(vec![
            r("C", 8000, 10000),
            r("A", 9000, 10000),
            r("B", 7200, 8000),
            r("D", 0, 0),
        ]);
        let got: Vec<(&str, u32)> = out.iter().map(|x| (x.unit_code.as_str(), x.rank)).collect();
        assert_eq!(got, [("A", 1), ("B", 1), ("C", 3), ("D", 4)]);
    }

    #[test]
    fn a_set_that_does_not_add_up_is_refused() {
        let bad = SET.replace("    max: 3\n    items:", "    max: 2\n    items:");
        assert!(
            CriteriaSet::from_yaml(&bad).unwrap_err().contains("2.1")
                || CriteriaSet::from_yaml(&bad)
                    .unwrap_err()
                    .contains("Tiêu chí 2")
        );
        let over = SET.replace(
            "{min_percent: 100, points: 2}",
            "{min_percent: 100, points: 3}",
        );
        assert!(
            CriteriaSet::from_yaml(&over)
                .unwrap_err()
                .contains("quá điểm tối đa")
        );
        let order = SET.replace(
            "{min_percent: 80, points: 1.25}",
            "{min_percent: 100, points: 1.25}",
        );
        assert!(
            CriteriaSet::from_yaml(&order)
                .unwrap_err()
                .contains("cao xuống thấp")
        );
        let dup = SET.replace("code: \"1.3\"", "code: \"1.1\"");
        assert!(CriteriaSet::from_yaml(&dup).unwrap_err().contains("trùng"));
        let nometric = SET.replace("        metric: tasks_on_time\n", "");
        assert!(
            CriteriaSet::from_yaml(&nometric)
                .unwrap_err()
                .contains("metric")
        );
        let survey = SET.replace("survey_points: 3", "survey_points: 4");
        assert!(
            CriteriaSet::from_yaml(&survey)
                .unwrap_err()
                .contains("điều tra")
        );
    }
}
