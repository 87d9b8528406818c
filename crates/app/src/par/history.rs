//! Qua các năm — a unit's results year by year (the trend chart) and criterion by
//! criterion (issue 21: "year-over-year comparison per unit and per criterion").

use domain::par::Points;
use serde::Serialize;

use super::*;

/// A unit's results year by year (the trend), for those who may see its cards.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct YearResult {
    pub year: i32,
    pub unit_name: String,
    pub round_id: i64,
    pub status: String,
    #[schema(value_type = f64)]
    pub score: Points,
    #[schema(value_type = f64)]
    pub max: Points,
    pub index: Option<f64>,
    pub rank: Option<u32>,
    pub units_ranked: usize,
    pub areas: Vec<AreaOut>,
    /// Every lĩnh vực, tiêu chí and tiêu chí thành phần of that year's set with the
    /// points the unit earned: the year-over-year comparison per criterion.
    pub criteria: Vec<CriterionYear>,
}

/// One item of a unit's scorecard in one year.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CriterionYear {
    pub code: String,
    pub title: String,
    pub depth: usize,
    #[schema(value_type = f64)]
    pub max: Points,
    /// Earned (a heading: the sum of its items).
    #[schema(value_type = f64)]
    pub score: Points,
    pub not_applicable: bool,
}

pub async fn history(
    app: &App,
    p: &Principal,
    unit: &str,
) -> Result<Vec<YearResult>, ServiceError> {
    let mut out = Vec::new();
    for r in store::par::rounds(&app.db).await? {
        let Ok(s) = scorecard(app, p, r.id, unit).await else {
            continue;
        };
        let rank = if r.status == ROUND_PUBLISHED || reads_all(p) {
            let all = super::result::ranking_of(app, &r, Some(&s.unit_kind)).await?;
            let n = all.len();
            (
                all.into_iter()
                    .find(|x| x.unit_code == s.unit_code)
                    .map(|x| x.rank),
                n,
            )
        } else {
            (None, 0)
        };
        out.push(YearResult {
            year: r.year,
            unit_name: s.unit_name.clone(),
            round_id: r.id,
            status: r.status.clone(),
            score: s.totals.score,
            max: s.totals.max,
            index: s.totals.index,
            rank: rank.0,
            units_ranked: rank.1,
            areas: s.areas,
            criteria: s
                .criteria
                .into_iter()
                .map(|i| CriterionYear {
                    code: i.code,
                    title: i.title,
                    depth: i.depth,
                    max: i.max,
                    score: i.final_score,
                    not_applicable: i.not_applicable,
                })
                .collect(),
        });
    }
    out.sort_by_key(|y| y.year);
    Ok(out)
}

/// One row of the per-criterion comparison: the item's points in each year (`None` where
/// that year's set has no item with its code) and the change from the year before.
#[derive(Debug, Clone, Serialize)]
pub struct CriterionTrend {
    pub code: String,
    pub title: String,
    pub depth: usize,
    /// Per year of `years`, in order: (earned, max, not applicable).
    pub cells: Vec<Option<(Points, Points, bool)>>,
    /// Last year's earned points minus the year before's, when both have the item.
    pub change: Option<Points>,
}

/// The items of every year side by side, matched by code, in the order of the latest
/// year's set (items only in earlier sets follow).
pub fn criteria_trend(years: &[YearResult]) -> Vec<CriterionTrend> {
    let mut order: Vec<(String, String, usize)> = Vec::new();
    for y in years.iter().rev() {
        for c in &y.criteria {
            if !order.iter().any(|(code, _, _)| *code == c.code) {
                order.push((c.code.clone(), c.title.clone(), c.depth));
            }
        }
    }
    order
        .into_iter()
        .map(|(code, title, depth)| {
            let cells: Vec<Option<(Points, Points, bool)>> = years
                .iter()
                .map(|y| {
                    y.criteria
                        .iter()
                        .find(|c| c.code == code)
                        .map(|c| (c.score, c.max, c.not_applicable))
                })
                .collect();
            let change = match cells.as_slice() {
                [.., Some(a), Some(b)] if !a.2 && !b.2 => Some(Points(b.0.0 - a.0.0)),
                _ => None,
            };
            CriterionTrend {
                code,
                title,
                depth,
                cells,
                change,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year(y: i32, items: &[(&str, i64, i64)]) -> YearResult {
        YearResult {
            year: y,
            unit_name: "Sở Tư pháp".into(),
            round_id: 1,
            status: "published".into(),
            score: Points(0),
            max: Points(0),
            index: None,
            rank: None,
            units_ranked: 0,
            areas: Vec::new(),
            criteria: items
                .iter()
                .map(|(code, score, max)| CriterionYear {
                    code: code.to_string(),
                    title: format!("Tiêu chí {code}"),
                    depth: code.matches('.').count(),
                    max: Points(*max),
                    score: Points(*score),
                    not_applicable: false,
                })
                .collect(),
        }
    }

    #[test]
    fn criteria_are_matched_by_code_across_years() {
        let t = criteria_trend(&[
            year(
                2023,
                &[("1", 300, 500), ("1.1", 100, 200), ("1.9", 50, 100)],
            ),
            year(
                2024,
                &[("1", 450, 500), ("1.1", 200, 200), ("1.2", 50, 100)],
            ),
        ]);
        let codes: Vec<&str> = t.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes, ["1", "1.1", "1.2", "1.9"]);
        assert_eq!(t[0].change, Some(Points(150)));
        assert_eq!(t[1].change, Some(Points(100)));
        assert_eq!(t[2].cells[0], None);
        assert_eq!(t[2].change, None, "new in 2024");
        assert_eq!(t[3].cells[1], None);
    }
}
