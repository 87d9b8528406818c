//! Cơ quan, đơn vị — pages and API over [`app::agency`].

pub use app::agency::*;

pub mod api;
pub mod pages;
