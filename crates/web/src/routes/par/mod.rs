//! Chỉ số CCHC — pages (`pages.rs`, the set editor `editor.rs`, `public.rs`) and API (`api.rs`) over [`app::par`].

pub mod api;
pub mod editor;
pub mod pages;
pub mod public;

use domain::par::Points;

/// "1,25" or "—".
pub fn pts(p: &Option<Points>) -> String {
    p.map_or_else(|| "—".to_string(), Points::vn)
}

/// An index with two decimals, Vietnamese comma: "81,33"; "—" when nothing applies.
pub fn idx(i: &Option<f64>) -> String {
    i.map_or_else(
        || "—".to_string(),
        |x| domain::par::index_vn((x * 100.0).round() as i64),
    )
}

/// A percentage with up to two decimals: "92,5".
pub fn pct(v: &Option<f64>) -> String {
    v.map_or_else(
        || "—".to_string(),
        |x| {
            let s = format!("{:.2}", x);
            let s = s.trim_end_matches('0').trim_end_matches('.');
            s.replace('.', ",")
        },
    )
}

pub fn kind_label(k: &str) -> &'static str {
    domain::par::UnitKind::parse(k).map_or("", domain::par::UnitKind::label)
}
