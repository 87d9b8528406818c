//! The service layer of cchc: every business operation, between the HTTP layer (`web`),
//! the command line (`cchc`) and the store.
//!
//! ```text
//! domain (pure rules) ← store (all SQL) ← app (operations, jobs; typed errors) ← web, cchc
//! ```
//!
//! An operation is a function of one area module taking the context ([`App`]), the caller
//! ([`Caller`], when a person acts) and typed input, returning
//! `Result<T, `[`ServiceError`]`>`: it checks access (scope and role), validates, applies
//! the rule from `domain`, and writes through `store`. It knows nothing of HTTP; the web
//! layer only extracts, calls one operation and renders. The background jobs (reminders,
//! recurring occurrences, period opening, portal sync, e-mail) live here too.

pub mod agency;
pub mod audit;
pub mod cache;
pub mod calendar;
pub mod calendar_entry;
pub mod dashboard;
pub mod deadline;
pub mod directive;
pub mod dossier;
pub mod error;
pub mod feedback;
pub mod file;
pub mod home;
pub mod housekeeping;
pub mod indicator;
pub mod inspection;
pub mod jobs;
pub mod metrics;
pub mod node;
pub mod notification;
pub mod notify;
pub mod ops;
pub mod overdue;
pub mod par;
pub mod password;
pub mod procedure;
pub mod reader;
pub mod replica;
pub mod report;
pub mod search;
pub mod session;
pub mod sync;
pub mod task;
pub mod throttle;
pub mod user;

use std::sync::Arc;
use std::time::Duration;

use domain::org::Principal;
use store::Db;
use store::audit::Actor;

pub use error::{Result, ServiceError};

/// What every operation runs against: the database and the shared in-memory state (the
/// legal calendar, short-lived caches of agencies and procedures' intake data).
#[derive(Clone)]
pub struct App {
    pub db: Db,
    pub calendar: calendar::CalendarCache,
    /// Agencies by id (see [`cache`]).
    pub agencies: Arc<cache::TtlCache<i64, Arc<store::agency::Agency>>>,
    /// Procedures' intake data by id (see [`cache`]).
    pub procedures: Arc<cache::TtlCache<i64, Arc<store::procedure::IntakeProcedure>>>,
    /// Public look-ups per client address (`dossier::lookup_public`).
    pub lookups_by_address: Arc<throttle::Limiter>,
    /// Wrong guesses per dossier code, from any address (`dossier::lookup_public`).
    pub misses_by_code: Arc<throttle::Limiter>,
    /// Requests without a session per client address (`throttle::anonymous_request`).
    pub anonymous_by_address: Arc<throttle::Limiter>,
    /// Feedback sent per client address (`feedback::submit`).
    pub feedback_by_address: Arc<throttle::Limiter>,
    /// Feedback look-ups per client address (`feedback::track`).
    pub feedback_tracks_by_address: Arc<throttle::Limiter>,
    /// The public 766 rankings by (period, kind) (`indicator::public`).
    #[allow(clippy::type_complexity)]
    pub public_rankings:
        Arc<cache::TtlCache<(String, String), Arc<indicator::public::PublicRanking>>>,
    /// The read replica, when `--read-database` is set (see [`replica`]).
    pub replica: Option<Arc<replica::Replica>>,
}

impl App {
    /// The context over `db`: loads the legal calendar (seeding it on first start).
    pub async fn new(db: Db) -> Result<App> {
        let calendar = calendar::CalendarCache::new()?;
        calendar.init(&db).await?;
        Ok(App {
            db,
            calendar,
            procedures: cache::TtlCache::new(Duration::from_secs(60), 10_000),
            agencies: cache::TtlCache::new(Duration::from_secs(60), 10_000),
            lookups_by_address: Arc::new(throttle::Limiter::new(
                dossier::LOOKUPS_PER_MINUTE,
                Duration::from_secs(60),
            )),
            misses_by_code: Arc::new(throttle::Limiter::new(
                dossier::MISSES_PER_CODE_PER_HOUR,
                Duration::from_secs(3600),
            )),
            anonymous_by_address: Arc::new(throttle::Limiter::new(
                throttle::ANONYMOUS_REQUESTS_PER_MINUTE,
                Duration::from_secs(60),
            )),
            feedback_by_address: Arc::new(throttle::Limiter::new(
                feedback::SUBMITS_PER_ADDRESS_PER_HOUR,
                Duration::from_secs(3600),
            )),
            feedback_tracks_by_address: Arc::new(throttle::Limiter::new(
                feedback::TRACKS_PER_ADDRESS_PER_MINUTE,
                Duration::from_secs(60),
            )),
            public_rankings: cache::TtlCache::new(Duration::from_secs(600), 500),
            replica: None,
        })
    }

    /// The database for heavy reads — dashboards, lists, exports, indicators: the read
    /// replica when one is configured, usable and allowed by the request's scope, the
    /// primary otherwise ([`replica::choose`]). Never for a write, nor for a read that
    /// decides a write.
    pub fn read_db(&self) -> &Db {
        replica::choose(&self.db, self.replica.as_deref())
    }

    /// An agency, from the cache when fresh.
    pub async fn agency(&self, id: i64) -> Result<Arc<store::agency::Agency>> {
        if let Some(a) = self.agencies.get(&id) {
            return Ok(a);
        }
        let a = Arc::new(store::agency::get(&self.db, id).await?);
        self.agencies.put(id, a.clone());
        Ok(a)
    }

    /// A procedure's intake data, from the cache when fresh.
    pub async fn intake_procedure(
        &self,
        id: i64,
    ) -> Result<Arc<store::procedure::IntakeProcedure>> {
        if let Some(p) = self.procedures.get(&id) {
            return Ok(p);
        }
        let p = Arc::new(store::procedure::for_intake(&self.db, id).await?);
        self.procedures.put(id, p.clone());
        Ok(p)
    }

    /// Forgets the cached agencies and procedures (after an administrative write).
    pub fn clear_caches(&self) {
        self.procedures.clear();
        self.agencies.clear();
    }
}

/// Who acts: the signed-in person with their roles and unit, and where the request came
/// from (for the audit log).
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    pub full_name: String,
    pub agency_name: String,
    pub ip: Option<String>,
}

impl Caller {
    /// The audit log's actor.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.principal.user_id),
            username: Some(self.principal.username.clone()),
            ip: self.ip.clone(),
        }
    }
}
