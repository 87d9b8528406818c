//! Phản ánh, kiến nghị — the API (`api.rs`: public submission and tracking, the staff
//! queue and steps), the public pages (`public.rs`) and the staff pages (`pages.rs`) over
//! [`app::feedback`].

pub mod api;
pub mod pages;
pub mod public;
