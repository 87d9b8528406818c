//! Chỉ số cải cách hành chính (PAR INDEX) of the province's own units: criteria sets as
//! data (`set`), points held exactly (`points`), scoring, totals, ranking and the criteria
//! below their maximum (`score`).
//!
//! Kế hoạch 574/KH-UBND row 1.4 asks for "phần mềm chấm điểm Cải cách hành chính" (Sở Nội
//! vụ, 2023); 6219/UBND-KSTT item 2 asks every unit to analyse "những tiêu chí chưa đạt
//! điểm tối đa". The sets that ship with the system are `data/par/*.yaml`, each citing
//! the decision it transcribes (`data/par/README.md`).

pub mod points;
pub mod score;
pub mod set;
pub mod table;

pub use points::{Points, index_of, index_vn};
pub use score::{Gap, ItemScore, Ranked, Totals};
pub use set::{CriteriaSet, Leaf, Metric, Node, Rule, RuleKind, Source, UnitKind};

/// The criteria sets shipped in `data/par/`, as (file name, YAML text).
pub const EMBEDDED: &[(&str, &str)] = &[];

/// Demonstration sets (`data/demo/par/`): illustrative criteria on the national
/// structure, loaded only with `cchc serve --demo`; marked as demo data everywhere.
pub const EMBEDDED_DEMO: &[(&str, &str)] = &[
    (
        "demo-department.yaml",
        include_str!("../../../../data/demo/par/demo-department.yaml"),
    ),
    (
        "demo-district.yaml",
        include_str!("../../../../data/demo/par/demo-district.yaml"),
    ),
    (
        "demo-commune.yaml",
        include_str!("../../../../data/demo/par/demo-commune.yaml"),
    ),
];

/// The demonstration sets, parsed and checked.
pub fn embedded_demo() -> Result<Vec<CriteriaSet>, String> {
    EMBEDDED_DEMO
        .iter()
        .map(|(name, text)| CriteriaSet::from_yaml(text).map_err(|e| format!("{name}: {e}")))
        .collect()
}

/// The shipped sets, parsed and checked.
pub fn embedded() -> Result<Vec<CriteriaSet>, String> {
    EMBEDDED
        .iter()
        .map(|(name, text)| CriteriaSet::from_yaml(text).map_err(|e| format!("{name}: {e}")))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn demo_sets_load_and_keep_the_national_area_maxima() {
        let sets = super::embedded_demo().unwrap();
        assert_eq!(sets.len(), 3);
        for s in &sets {
            // Quyết định 2948/QĐ-BNV: 10; 10; 14,5; 11; 16; 7; 16; 15,5 (= 100).
            let maxima: Vec<i64> = s.areas.iter().map(|a| a.max.hundredths()).collect();
            assert_eq!(maxima, [1000, 1000, 1450, 1100, 1600, 700, 1600, 1550]);
            assert!(s.note.as_deref().unwrap_or("").contains("MINH HỌA"));
        }
    }

    #[test]
    fn shipped_sets_load() {
        let sets = super::embedded().unwrap();
        let mut ids: Vec<&str> = sets.iter().map(|s| s.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), sets.len(), "set ids are unique");
    }
}
