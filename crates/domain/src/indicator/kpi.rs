//! The seed's KPIs: each reuses the ratio of [`super::facts`] that 766 uses, so a rate is
//! computed in one place.

use super::facts::{self, Measure, UnitPeriodFacts};
use super::round2;
use serde::Serialize;

/// One KPI of a unit for a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kpi {
    pub code: &'static str,
    pub label_vi: &'static str,
    pub numerator: u64,
    pub denominator: u64,
    /// 2 decimals ([`round2`]); `None` when the denominator is 0. For 766 3.3-style
    /// sync-weighted shares see the scorecard instead.
    pub percent: Option<f64>,
    /// The 766 indicator with the same formula, if any.
    pub indicator_766: Option<&'static str>,
    /// Where the KPI is asked for or defined.
    pub source: &'static str,
}

type Formula = fn(&UnitPeriodFacts) -> Measure;

/// (code, label, formula, 766 indicator, source), in display order.
const KPIS: &[(&str, &str, Formula, Option<&str>, &str)] = &[
    (
        "dossier_on_time",
        "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn",
        facts::on_time,
        Some("2.1"),
        "QĐ 766/QĐ-TTg chỉ số 2.1; domain.md §5 \"Early, on time, late\"; seed 6486",
    ),
    (
        "dossier_early",
        "Tỷ lệ hồ sơ giải quyết trước hạn",
        facts::early,
        None,
        "TT 01/2018/TT-VPCP Điều 13 (trước hạn); domain.md §5",
    ),
    (
        "dossier_late",
        "Tỷ lệ hồ sơ quá hạn (kể cả đang xử lý quá hạn cuối kỳ)",
        facts::late,
        None,
        "domain.md §5; seed 6486 (danh sách hồ sơ quá hạn hằng tháng)",
    ),
    (
        "digitisation",
        "Tỷ lệ hồ sơ được số hóa",
        facts::digitisation,
        Some("4.2"),
        "QĐ 766/QĐ-TTg chỉ số 4.2; seed 6486 chú thích 3 (Con Cuông 18%)",
    ),
    (
        "e_results",
        "Tỷ lệ hồ sơ có kết quả giải quyết điện tử",
        facts::e_results,
        Some("4.1"),
        "QĐ 766/QĐ-TTg chỉ số 4.1; seed 6486 (số hóa kết quả giải quyết TTHC)",
    ),
    (
        "synchronisation",
        "Tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG",
        facts::synchronisation,
        Some("1.4"),
        "QĐ 766/QĐ-TTg chỉ số 1.4; seed 6486 chú thích 4 (60%); seed 304 chú thích 1 (19%)",
    ),
    (
        "online_share",
        "Tỷ lệ hồ sơ nộp trực tuyến",
        facts::online_share,
        None,
        "seed 5768, 574 mục II.3 và 3.4; QĐ 766/QĐ-TTg chỉ số 3.3 (chưa nhân tỷ lệ đồng bộ)",
    ),
    (
        "full_online_share",
        "Tỷ lệ hồ sơ DVCTT toàn trình trên hồ sơ TTHC đủ điều kiện toàn trình",
        facts::full_online_share,
        None,
        "Cổng DVCQG bảng chấm điểm dòng 6; seed 6219, 6486 (TTHC toàn trình)",
    ),
    (
        "online_payment",
        "Tỷ lệ hồ sơ thanh toán trực tuyến",
        facts::online_payment,
        Some("3.6"),
        "QĐ 766/QĐ-TTg chỉ số 3.6",
    ),
    (
        "satisfaction",
        "Tỷ lệ đánh giá hài lòng",
        facts::ratings,
        None,
        "domain.md §5 \"Evaluation of service\", §10 (thích/không thích trên Cổng DVCQG)",
    ),
    (
        "procedures_published_on_time",
        "Tỷ lệ TTHC công bố đúng hạn",
        facts::published_on_time,
        Some("1.1"),
        "QĐ 766/QĐ-TTg chỉ số 1.1; seed 304 chú thích 1 (1,4%); seed 6219",
    ),
    (
        "feedback_on_time",
        "Tỷ lệ phản ánh, kiến nghị xử lý đúng hạn",
        facts::feedback_on_time,
        Some("5.2"),
        "QĐ 766/QĐ-TTg chỉ số 5.2; domain.md §10; seed 6486",
    ),
    (
        "task_completion",
        "Tỷ lệ hoàn thành nhiệm vụ",
        facts::task_completion,
        None,
        "seed 5768 (23/41 nhiệm vụ, 56%); domain.md §11 mục 3",
    ),
    (
        "task_on_time",
        "Tỷ lệ nhiệm vụ hoàn thành đúng hạn",
        facts::task_on_time,
        None,
        "seed 6486 chú thích 1; domain.md §11 mục 27",
    ),
];

/// The seed's KPIs for `facts`, in display order.
pub fn kpis(facts: &UnitPeriodFacts) -> Vec<Kpi> {
    KPIS.iter()
        .map(|&(code, label_vi, formula, indicator_766, source)| {
            let m = formula(facts);
            Kpi {
                code,
                label_vi,
                numerator: m.numerator,
                denominator: m.denominator,
                percent: m.value().map(round2),
                indicator_766,
                source,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicator::{IndicatorModel, score};

    fn kpi<'a>(all: &'a [Kpi], code: &str) -> &'a Kpi {
        all.iter()
            .find(|k| k.code == code)
            .unwrap_or_else(|| panic!("kpi {code}"))
    }

    #[test]
    fn seed_figures_come_out_as_published() {
        let f = UnitPeriodFacts {
            tasks_assigned: 41,
            tasks_done: 23,
            tasks_done_on_time: 5,
            dossiers_received: 1000,
            digitised_dossiers: 180,
            synced_dossiers: 600,
            online_dossiers: 400,
            procedures_published: 1000,
            procedures_published_on_time: 14,
            ..Default::default()
        };
        let all = kpis(&f);
        // 23/41 = 56.0975…% → 56.10 (seed 5768 prints "56%").
        assert_eq!(kpi(&all, "task_completion").percent, Some(56.1));
        assert_eq!(
            kpi(&all, "task_completion").percent,
            crate::task::completion_rate(23, 41),
            "same figure as the task module"
        );
        assert_eq!(kpi(&all, "task_on_time").percent, Some(12.2));
        assert_eq!(kpi(&all, "digitisation").percent, Some(18.0));
        assert_eq!(kpi(&all, "synchronisation").percent, Some(60.0));
        assert_eq!(kpi(&all, "online_share").percent, Some(40.0));
        assert_eq!(kpi(&all, "procedures_published_on_time").percent, Some(1.4));
    }

    #[test]
    fn early_on_time_and_late_with_unfinished_dossiers() {
        // 3 early, 4 on time, 2 late, 1 open within deadline, 2 overdue at period end:
        // processed 12; on time (3 + 4 + 1)/12 = 66.67%; early 3/12 = 25%; late 4/12 = 33.33%.
        let f = UnitPeriodFacts {
            finished_early: 3,
            finished_on_time: 4,
            finished_late: 2,
            unfinished_on_time_at_period_end: 1,
            unfinished_overdue_at_period_end: 2,
            ..Default::default()
        };
        let all = kpis(&f);
        let on_time = kpi(&all, "dossier_on_time");
        assert_eq!((on_time.numerator, on_time.denominator), (8, 12));
        assert_eq!(on_time.percent, Some(66.67));
        assert_eq!(kpi(&all, "dossier_early").percent, Some(25.0));
        assert_eq!(kpi(&all, "dossier_late").percent, Some(33.33));
    }

    #[test]
    fn zero_denominators_give_no_percent() {
        for k in kpis(&UnitPeriodFacts::default()) {
            assert_eq!(k.percent, None, "{}", k.code);
            assert_eq!(k.denominator, 0, "{}", k.code);
        }
    }

    #[test]
    fn kpis_and_the_scorecard_agree() {
        let f = UnitPeriodFacts {
            dossiers_received: 7,
            synced_dossiers: 5,
            digitised_dossiers: 3,
            payable_dossiers: 9,
            paid_online: 4,
            feedback_received: 3,
            feedback_answered_on_time: 2,
            ..Default::default()
        };
        let card = score(&IndicatorModel::embedded().expect("loads"), &f);
        for k in kpis(&f) {
            let Some(code) = k.indicator_766 else {
                continue;
            };
            let i = card
                .groups
                .iter()
                .flat_map(|g| g.indicators.iter())
                .find(|i| i.code == code)
                .unwrap_or_else(|| panic!("{code}"));
            assert_eq!((k.numerator, k.denominator), (i.numerator, i.denominator));
            assert_eq!(k.percent, i.value, "{}", k.code);
        }
        assert!(kpis(&f).iter().all(|k| !k.source.is_empty()));
    }
}
