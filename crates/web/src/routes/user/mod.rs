//! Người dùng — pages and API over [`app::user`].

pub use app::user::*;

pub mod api;
pub mod pages;
