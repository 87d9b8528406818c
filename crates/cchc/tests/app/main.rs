//! One integration-test binary: each test spawns the real application on port 0 over a
//! fresh database (SQLite, or PostgreSQL when `CCHC_TEST_DATABASE_URL` is set) loaded
//! with the demo province, and talks to it over HTTP.

mod access;
mod aggregates;
mod auth;
mod calendar;
mod cli;
mod clock;
mod dashboard;
mod demo_dossiers;
mod desk;
mod dossiers;
mod evidence;
mod feedback;
mod feedback_overdue;
mod feedback_pages;
mod hardening;
mod helpers;
mod import;
mod indicator_exports;
mod input;
mod inspection_plans;
mod inspections;
mod nodes;
mod notify;
mod openapi;
mod overdue;
mod par;
mod par_editor;
mod par_history;
mod portal;
mod procedures;
mod reminders;
mod replica;
mod reports;
mod schema;
mod search;
mod stale;
mod tasks;
