//! Chi phí tuân thủ TTHC — compliance cost of a procedure, Thông tư 02/2017/TT-VPCP Điều 27
//! (domain.md §9). Amounts are whole đồng.

use serde::{Deserialize, Serialize};

/// One cost item of the work needed to obtain the result (staff time valued at an hourly
/// income, outsourcing, copies, travel…; the item list of Điều 27 k4 is [TV]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostItem {
    pub label: String,
    pub amount_vnd: u64,
}

impl CostItem {
    /// Time valued at an hourly income: `minutes × hourly_rate / 60`, rounded to the đồng.
    pub fn time(label: &str, minutes: u64, hourly_rate_vnd: u64) -> Result<CostItem, CostError> {
        let m = minutes
            .checked_mul(hourly_rate_vnd)
            .ok_or(CostError::Overflow)?;
        Ok(CostItem {
            label: label.to_string(),
            amount_vnd: (m + 30) / 60,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CostError {
    #[error("Chi phí vượt quá giới hạn tính toán.")]
    Overflow,
}

/// The cost sheet of one procedure in one phase (current, proposed, after simplification).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureCost {
    /// The work needed to obtain the result.
    pub work: Vec<CostItem>,
    /// Phí, lệ phí and other charges paid to the state.
    pub fees_vnd: u64,
    /// How many times a subject files it per year.
    pub times_per_year: u64,
    /// How many subjects file it per year.
    pub subjects_per_year: u64,
}

impl ProcedureCost {
    /// TT 02/2017/TT-VPCP Điều 27 k3a: the cost of one TTHC = the cost of the work needed to
    /// obtain the result + fees, charges and other costs.
    pub fn per_dossier(&self) -> Result<u64, CostError> {
        self.work
            .iter()
            .try_fold(self.fees_vnd, |acc, i| acc.checked_add(i.amount_vnd))
            .ok_or(CostError::Overflow)
    }

    /// TT 02/2017/TT-VPCP Điều 27 k3b: annual cost = cost of one TTHC × times per year ×
    /// subjects per year.
    pub fn annual(&self) -> Result<u64, CostError> {
        self.per_dossier()?
            .checked_mul(self.times_per_year)
            .and_then(|x| x.checked_mul(self.subjects_per_year))
            .ok_or(CostError::Overflow)
    }
}

/// Cost reduction in percent = (Σ annual before − Σ annual after) / Σ annual before × 100,
/// both by k3b over the same procedure set (TT 02/2017/TT-VPCP Điều 27 k1: benefit = current
/// cost − cost after simplification; the 20% target of CV 6486/UBND-KSTT). Negative when the
/// cost grew; `None` when there was no cost before.
pub fn reduction_percent(
    before: &[ProcedureCost],
    after: &[ProcedureCost],
) -> Result<Option<f64>, CostError> {
    let total = |set: &[ProcedureCost]| {
        set.iter().try_fold(0u64, |acc, c| {
            acc.checked_add(c.annual()?).ok_or(CostError::Overflow)
        })
    };
    let (b, a) = (total(before)?, total(after)?);
    if b == 0 {
        return Ok(None);
    }
    Ok(Some((b as f64 - a as f64) / b as f64 * 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(work: &[u64], fees: u64, times: u64, subjects: u64) -> ProcedureCost {
        ProcedureCost {
            work: work
                .iter()
                .map(|&a| CostItem {
                    label: "x".into(),
                    amount_vnd: a,
                })
                .collect(),
            fees_vnd: fees,
            times_per_year: times,
            subjects_per_year: subjects,
        }
    }

    #[test]
    fn k3a_and_k3b() {
        // 2 h of the citizen's time at 30,000 đ/h = 60,000; copies 10,000; fee 50,000.
        let mut c = sheet(&[10_000], 50_000, 2, 1_500);
        c.work
            .push(CostItem::time("Chuẩn bị hồ sơ", 120, 30_000).unwrap());
        assert_eq!(c.per_dossier(), Ok(120_000));
        // 120,000 × 2 times × 1,500 subjects.
        assert_eq!(c.annual(), Ok(360_000_000));
    }

    #[test]
    fn reduction_of_a_published_example() {
        // A Hà Nội plan (domain.md §9): 1,024,000 → 231,000 đ per dossier, −77.44%.
        let before = [sheet(&[1_024_000], 0, 1, 1)];
        let after = [sheet(&[231_000], 0, 1, 1)];
        let r = reduction_percent(&before, &after).unwrap().unwrap();
        assert!((r - 77.44).abs() < 0.005, "{r}");
    }

    #[test]
    fn reduction_over_a_set_weights_by_frequency() {
        // Before: 100,000 × 10 = 1,000,000 and 50,000 × 100 = 5,000,000 → 6,000,000.
        // After: first unchanged, second to 38,000 × 100 = 3,800,000 → 4,800,000. −20%.
        let before = [
            sheet(&[100_000], 0, 1, 10),
            sheet(&[40_000], 10_000, 1, 100),
        ];
        let after = [
            sheet(&[100_000], 0, 1, 10),
            sheet(&[28_000], 10_000, 1, 100),
        ];
        let r = reduction_percent(&before, &after).unwrap().unwrap();
        assert!((r - 20.0).abs() < 1e-9, "{r}");
        assert_eq!(reduction_percent(&[], &after), Ok(None));
        let grew = reduction_percent(&after, &before).unwrap().unwrap();
        assert!(grew < 0.0);
    }

    #[test]
    fn overflow_is_an_error_not_a_wrong_number() {
        let c = sheet(&[u64::MAX / 2], 0, 3, 1);
        assert_eq!(c.annual(), Err(CostError::Overflow));
        assert_eq!(
            CostItem::time("x", u64::MAX, 2).unwrap_err(),
            CostError::Overflow
        );
    }
}
