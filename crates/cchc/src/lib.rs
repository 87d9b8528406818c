//! Library side of the `cchc` binary: configuration, the demo data loader and server
//! wiring, shared with the integration tests.

pub mod bench;
pub mod config;
pub mod demo;
pub mod demo_directives;
pub mod demo_dossiers;
pub mod demo_feedback;
pub mod demo_inspections;
pub mod demo_par;
pub mod demo_procedures;
pub mod demo_reports;
pub mod server;
