//! The current legal calendar, built from the statutory rules (shipped data, changed with
//! the law) and the decision rows in the database (changed by administrators). Every node
//! rebuilds it when the database records a newer calendar version; the version is checked
//! at most every [`RECHECK`] (a change made through this node takes effect at once).

use std::sync::{Arc, RwLock};

use domain::calendar::{Calendar, CalendarRules, parse_entries_csv};
use store::Db;

use crate::ServiceError;

/// Bộ luật Lao động 2019, Điều 111–112 as rules with effective dates.
const RULES_TOML: &str = include_str!("../../../data/calendar/vn-holiday-rules.toml");
/// The published days off 2019–2026, loaded into an empty database on first start.
const SEED_CSV: &str = include_str!("../../../data/calendar/vn-civil-service-days-off.csv");

/// The calendar built for one recorded version (by its row id), and when that version was
/// last confirmed as the latest.
type Built = Option<(i64, Arc<Calendar>, std::time::Instant)>;

/// How long a confirmed calendar version is trusted before asking the database again.
pub const RECHECK: std::time::Duration = std::time::Duration::from_secs(2);

#[derive(Clone)]
pub struct CalendarCache {
    rules: Arc<CalendarRules>,
    current: Arc<RwLock<Built>>,
}

impl CalendarCache {
    pub fn new() -> Result<CalendarCache, ServiceError> {
        let rules = CalendarRules::parse(RULES_TOML)
            .map_err(|e| ServiceError::Internal(format!("calendar rules: {e}")))?;
        Ok(CalendarCache {
            rules: Arc::new(rules),
            current: Arc::new(RwLock::new(None)),
        })
    }

    /// Seeds the decision table on first start and records the first version.
    pub async fn init(&self, db: &Db) -> Result<(), ServiceError> {
        let seed = parse_entries_csv(SEED_CSV)
            .map_err(|e| ServiceError::Internal(format!("calendar seed: {e}")))?;
        let version = Calendar::build(&self.rules, &seed).version().to_string();
        store::calendar::seed_if_empty(db, &seed, &version).await?;
        Ok(())
    }

    /// The calendar as of the latest recorded version.
    pub async fn get(&self, db: &Db) -> Result<Arc<Calendar>, ServiceError> {
        if let Ok(guard) = self.current.read()
            && let Some((_, cal, checked)) = guard.as_ref()
            && checked.elapsed() < RECHECK
        {
            return Ok(cal.clone());
        }
        let latest = store::calendar::latest_version(db)
            .await?
            .map(|v| v.id)
            .unwrap_or(0);
        if let Ok(mut guard) = self.current.write()
            && let Some((id, cal, checked)) = guard.as_mut()
            && *id == latest
        {
            *checked = std::time::Instant::now();
            return Ok(cal.clone());
        }
        let entries = store::calendar::active_entries(db).await?;
        let rules = self.rules.clone();
        let cal = tokio::task::spawn_blocking(move || Arc::new(Calendar::build(&rules, &entries)))
            .await
            .map_err(|e| ServiceError::Internal(format!("calendar build: {e}")))?;
        if let Ok(mut guard) = self.current.write() {
            *guard = Some((latest, cal.clone(), std::time::Instant::now()));
        }
        Ok(cal)
    }

    /// Rebuilds after a change and records the new version with its reason.
    pub async fn changed(
        &self,
        db: &Db,
        reason: &str,
        username: Option<&str>,
    ) -> Result<Arc<Calendar>, ServiceError> {
        let entries = store::calendar::active_entries(db).await?;
        let rules = self.rules.clone();
        let cal = tokio::task::spawn_blocking(move || Calendar::build(&rules, &entries))
            .await
            .map_err(|e| ServiceError::Internal(format!("calendar build: {e}")))?;
        store::calendar::record_version(db, cal.version(), reason, username).await?;
        if let Ok(mut guard) = self.current.write() {
            *guard = None;
        }
        self.get(db).await
    }
}
