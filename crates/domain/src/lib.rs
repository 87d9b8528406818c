//! Pure rules of cchc: identifiers that parse, state machines, the legal calendar and
//! deadline arithmetic, indicator formulas and Vietnamese text folding. No I/O here.

pub mod calendar;
pub mod dossier;
pub mod feedback;
pub mod fmt;
pub mod indicator;
pub mod inspection;
pub mod org;
pub mod org_match;
pub mod overdue;
pub mod par;
pub mod procedure;
pub mod reminder;
pub mod report;
pub mod search;
pub mod task;
pub mod text;
pub mod time;
pub mod validate;
