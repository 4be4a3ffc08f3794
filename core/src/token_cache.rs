//! Access tokens kept until shortly before they expire, in a cache of
//! bounded size, so a long-running process holds no more than it uses.

use std::time::{Duration, Instant};

use moka::Expiry;
use moka::sync::Cache;
use secrecy::SecretString;

use crate::time::now_unix;

/// A token is dropped this long before its expiry, so it is never handed
/// to a service in its last seconds of validity.
const EARLY_EXPIRY_SECONDS: i64 = 60;

/// One token per user and service at most; beyond this the least used go.
const MAX_ENTRIES: u64 = 10_000;

pub struct TokenCache {
    entries: Cache<String, Entry>,
}

#[derive(Clone)]
struct Entry {
    token: SecretString,
    /// Unix seconds; checked on every read as well as by the cache's expiry.
    expires_at: i64,
}

/// Each entry leaves the cache when its own token would.
struct UntilExpiry;

impl Expiry<String, Entry> for UntilExpiry {
    fn expire_after_create(&self, _: &String, entry: &Entry, _: Instant) -> Option<Duration> {
        let left = (entry.expires_at - now_unix()).max(0);
        Some(Duration::from_secs(left.unsigned_abs()))
    }
}

impl Default for TokenCache {
    fn default() -> Self {
        Self {
            entries: Cache::builder()
                .max_capacity(MAX_ENTRIES)
                .expire_after(UntilExpiry)
                .build(),
        }
    }
}

impl TokenCache {
    pub fn get(&self, key: &str) -> Option<SecretString> {
        let entry = self.entries.get(key)?;
        if now_unix() < entry.expires_at {
            return Some(entry.token);
        }
        self.entries.invalidate(key);
        None
    }

    pub fn put(&self, key: &str, token: SecretString, expires_in: i64) {
        let expires_at = now_unix() + expires_in - EARLY_EXPIRY_SECONDS;
        if expires_at > now_unix() {
            self.entries
                .insert(key.to_owned(), Entry { token, expires_at });
        }
    }

    pub fn forget(&self, key: &str) {
        self.entries.invalidate(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn tokens_expire_early_and_can_be_forgotten() {
        let cache = TokenCache::default();
        cache.put("a", SecretString::from("t"), 3600);
        assert_eq!(cache.get("a").unwrap().expose_secret(), "t");
        cache.forget("a");
        assert!(cache.get("a").is_none());
        cache.put("short", SecretString::from("t"), 30);
        assert!(
            cache.get("short").is_none(),
            "a token about to expire is not kept"
        );
    }

    #[test]
    fn the_cache_stays_bounded_however_many_users_come() {
        let cache = TokenCache::default();
        for user in 0..MAX_ENTRIES + 500 {
            cache.put(&format!("user-{user}"), SecretString::from("t"), 3600);
        }
        cache.entries.run_pending_tasks();
        assert!(cache.entries.entry_count() <= MAX_ENTRIES);
    }
}
