//! Hồ sơ một cửa — pages, API, official forms and the public look-up over
//! [`app::dossier`], which holds intake, the state machine's events and the access rule.

pub use app::dossier::*;

pub mod api;

pub mod desk;

pub mod forms;

pub mod pages;

pub mod public;
