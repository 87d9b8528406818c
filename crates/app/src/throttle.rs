//! Counting attempts in a sliding window, in memory (per node): the public dossier
//! look-up's guesses per address and per dossier code, and every request made without a
//! session per address. Logins are throttled from the database instead (`session`), so
//! that every node sees every failure.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// At most `max` hits per key within `window`; the key's hits expire with it.
pub struct Limiter {
    max: u32,
    window: Duration,
    hits: Mutex<HashMap<String, (Instant, u32)>>,
}

impl Limiter {
    pub fn new(max: u32, window: Duration) -> Limiter {
        Limiter {
            max,
            window,
            hits: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one hit for `key`; `Err(seconds)` when the key is over its limit, with the
    /// seconds until its window ends.
    pub fn hit(&self, key: &str) -> Result<(), u64> {
        let now = Instant::now();
        let Ok(mut hits) = self.hits.lock() else {
            return Ok(());
        };
        if hits.len() > 100_000 {
            hits.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let e = hits.entry(key.to_string()).or_insert((now, 0));
        if now.duration_since(e.0) >= self.window {
            *e = (now, 0);
        }
        if e.1 >= self.max {
            let left = self.window.saturating_sub(now.duration_since(e.0));
            return Err(left.as_secs().max(1));
        }
        e.1 += 1;
        Ok(())
    }
}

/// Requests without a session from one address in a minute (the public pages, the
/// catalog, the look-up, the login page). High enough for a commune office or a mobile
/// carrier's shared address (many citizens behind one address), low enough that one
/// client cannot flood the server with searches (issue 20).
pub const ANONYMOUS_REQUESTS_PER_MINUTE: u32 = 600;

/// Counts one request made without a session from `address`; `TooMany` (429 with the wait)
/// over [`ANONYMOUS_REQUESTS_PER_MINUTE`].
pub fn anonymous_request(
    app: &crate::App,
    address: Option<&str>,
) -> Result<(), crate::ServiceError> {
    let Some(address) = address else {
        return Ok(());
    };
    app.anonymous_by_address
        .hit(address)
        .map_err(|retry_after| crate::ServiceError::TooMany {
            message: format!(
                "Quá nhiều yêu cầu từ địa chỉ này trong một phút; vui lòng thử lại sau {retry_after} giây."
            ),
            retry_after,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_key_within_the_window() {
        let l = Limiter::new(3, Duration::from_secs(60));
        for _ in 0..3 {
            assert_eq!(l.hit("a"), Ok(()));
        }
        assert!(l.hit("a").is_err());
        assert_eq!(l.hit("b"), Ok(()));
        let short = Limiter::new(1, Duration::from_millis(1));
        assert_eq!(short.hit("a"), Ok(()));
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(short.hit("a"), Ok(()));
    }
}
