//! Access tokens kept until shortly before they expire.

use std::collections::HashMap;
use std::sync::Mutex;

use secrecy::SecretString;

use crate::time::now_unix;

/// A token is dropped this long before its expiry, so it is never handed
/// to a service in its last seconds of validity.
const EARLY_EXPIRY_SECONDS: i64 = 60;

#[derive(Default)]
pub struct TokenCache {
    entries: Mutex<HashMap<String, (SecretString, i64)>>,
}

impl TokenCache {
    pub fn get(&self, key: &str) -> Option<SecretString> {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        match entries.get(key) {
            Some((token, expires_at)) if now_unix() < *expires_at => Some(token.clone()),
            Some(_) => {
                entries.remove(key);
                None
            }
            None => None,
        }
    }

    pub fn put(&self, key: &str, token: SecretString, expires_in: i64) {
        let expires_at = now_unix() + expires_in - EARLY_EXPIRY_SECONDS;
        if expires_at > now_unix() {
            self.entries
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(key.to_owned(), (token, expires_at));
        }
    }

    pub fn forget(&self, key: &str) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
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
}
