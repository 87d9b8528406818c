//! Kiểm tra công tác CCHC — the API (`/api/v1/inspections…`, `/api/v1/inspection-plans…`)
//! and the staff pages (`/kiem-tra…`) over [`app::inspection`].

pub mod api;
pub mod pages;
pub mod plan_pages;
pub mod stats_page;
