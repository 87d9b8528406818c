//! Thủ tục hành chính — the public catalog search (`/thu-tuc`, no login), the JSON API
//! (`/api/v1/procedures`; reading is public, writing is for catalog managers), the catalog
//! import with a preview, the internal-process editor, publication decisions, compliance
//! cost sheets and monthly statistics, over [`app::procedure`].

pub use app::procedure::*;

pub mod api;
pub mod cost;
pub mod form;
pub mod pages;
