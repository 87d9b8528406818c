//! Văn bản chỉ đạo và nhiệm vụ — pages, API and the appendix import over [`app::task`].

pub use app::task::*;

pub mod api;

pub mod import;

pub mod pages;

pub mod parse;
