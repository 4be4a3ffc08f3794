//! Short-lived server-side records keyed by unguessable random ids.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::shared::secrets::random_token;

/// A map from random keys to values that expire.
///
/// Expired entries are invisible to readers and purged on every insert, so
/// the map cannot grow without bound in a long-running sandbox.
pub struct TtlMap<T> {
    entries: Mutex<HashMap<String, (Instant, T)>>,
}

impl<T> Default for TtlMap<T> {
    fn default() -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
        }
    }
}

impl<T> TtlMap<T> {
    /// Stores `value` under a fresh random key and returns the key.
    pub fn insert(&self, value: T, ttl: Duration) -> String {
        let key = random_token();
        let now = Instant::now();
        let mut entries = self.lock();
        entries.retain(|_, (expires, _)| *expires > now);
        entries.insert(key.clone(), (now + ttl, value));
        key
    }

    /// Stores `value` under a key handed out earlier by `insert`.
    pub fn put(&self, key: &str, value: T, ttl: Duration) {
        self.lock()
            .insert(key.to_owned(), (Instant::now() + ttl, value));
    }

    /// Removes and returns the value: the key is single-use from now on.
    pub fn take(&self, key: &str) -> Option<T> {
        let (expires, value) = self.lock().remove(key)?;
        (expires > Instant::now()).then_some(value)
    }

    pub fn remove(&self, key: &str) {
        self.lock().remove(key);
    }

    /// Drops every entry whose value fails `keep`.
    pub fn retain(&self, keep: impl Fn(&T) -> bool) {
        self.lock().retain(|_, (_, value)| keep(value));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Instant, T)>> {
        // A panic while holding the lock cannot leave a HashMap half-updated
        // in a way that matters here, so poisoning is ignored.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl<T: Clone> TtlMap<T> {
    /// Reads the value, leaving it in place.
    pub fn get(&self, key: &str) -> Option<T> {
        let entries = self.lock();
        let (expires, value) = entries.get(key)?;
        (*expires > Instant::now()).then(|| value.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn take_is_single_use() {
        let map = TtlMap::default();
        let key = map.insert(7, Duration::from_secs(60));
        assert_eq!(map.get(&key), Some(7));
        assert_eq!(map.take(&key), Some(7));
        assert_eq!(map.take(&key), None);
    }

    #[test]
    fn expired_entries_are_invisible() {
        let map = TtlMap::default();
        let key = map.insert("v", Duration::ZERO);
        assert_eq!(map.get(&key), None);
        assert_eq!(map.take(&key), None);
    }
}
