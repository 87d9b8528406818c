//! Kiểm tra công tác CCHC — the API (`/api/v1/inspections…`) and the staff pages
//! (`/kiem-tra…`) over [`app::inspection`].

pub mod api;
pub mod pages;
