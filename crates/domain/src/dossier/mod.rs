//! Hồ sơ thủ tục hành chính — a citizen's application under one procedure, handled by the
//! one-stop desk (domain.md §5): its status codes and state machine, its code, its
//! appointment date and how its timeliness is judged.

pub mod clock;
pub mod code;
pub mod deadline;
pub mod status;
pub mod timing;
pub mod transition;
pub mod workflow;

pub use code::{DossierCode, DossierCodeError};
pub use deadline::{IntakePolicy, WorkingLimit, appointment, online_target};
pub use status::{DossierStatus, UnknownStatus};
pub use timing::{
    DossierTimes, Pause, Timeliness, TimingError, classify_766, classify_766_without_limit,
    tt01_indicator3_points,
};
pub use transition::{
    DossierEvent, EventKind, NOTE_KINDS, TransitionError, apply, event_title, open,
};

#[cfg(test)]
#[path = "views_agree_tests.rs"]
mod views_agree_tests;
