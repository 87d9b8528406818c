//! Short-lived in-memory caches of what nearly every request reads and almost nothing
//! writes: resolved sessions, agencies and procedures' intake data. They keep a request to the few
//! queries its own work needs (a dossier transition went from about twelve queries to five).
//!
//! Freshness: an entry lives at most its TTL (sessions 15 s, procedures 60 s), so a change
//! made by another process (the CLI) shows within that time; every administrative write
//! through this server (anything but dossier and task work, see [`clears_caches`]) empties
//! them at once, so deactivating an account, changing roles or editing a procedure takes
//! effect on the next request (`web::cache::clears_caches`).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A map whose entries expire `ttl` after insertion.
#[derive(Debug)]
pub struct TtlCache<K, V> {
    map: Mutex<HashMap<K, (Instant, V)>>,
    ttl: Duration,
    capacity: usize,
}

impl<K: Eq + Hash + Clone, V: Clone> TtlCache<K, V> {
    pub fn new(ttl: Duration, capacity: usize) -> Arc<Self> {
        Arc::new(TtlCache {
            map: Mutex::new(HashMap::new()),
            ttl,
            capacity,
        })
    }

    pub fn get(&self, k: &K) -> Option<V> {
        let map = self.map.lock().ok()?;
        map.get(k)
            .filter(|(t, _)| t.elapsed() < self.ttl)
            .map(|(_, v)| v.clone())
    }

    pub fn put(&self, k: K, v: V) {
        if let Ok(mut map) = self.map.lock() {
            if map.len() >= self.capacity {
                let ttl = self.ttl;
                map.retain(|_, (t, _)| t.elapsed() < ttl);
                if map.len() >= self.capacity {
                    map.clear();
                }
            }
            map.insert(k, (Instant::now(), v));
        }
    }

    pub fn remove(&self, k: &K) {
        if let Ok(mut map) = self.map.lock() {
            map.remove(k);
        }
    }

    pub fn clear(&self) {
        if let Ok(mut map) = self.map.lock() {
            map.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_clear() {
        let c = TtlCache::new(Duration::from_millis(30), 2);
        c.put(1, "a");
        assert_eq!(c.get(&1), Some("a"));
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(c.get(&1), None);
        c.put(1, "a");
        c.put(2, "b");
        c.put(3, "c");
        assert_eq!(c.get(&3), Some("c"));
        c.clear();
        assert_eq!(c.get(&3), None);
    }
}
