//! One kind of windowed count: at most `max` hits per window for each
//! subject.

use crate::ids::store_key;
use crate::store::{LimitDecision, Store, StoreResult, WindowHit};

/// Every limit here counts per minute.
pub(super) const MINUTE: i64 = 60;

pub(super) struct Window {
    /// Names the limit in its keys: `<kind>#<digest of the subject>`.
    pub kind: &'static str,
    pub max: u32,
    pub seconds: i64,
}

impl Window {
    /// Counts a hit for `subject`; `Err` carries the seconds until the
    /// window ends.
    pub async fn hit(
        &self,
        store: &dyn Store,
        subject: &str,
        now: i64,
    ) -> StoreResult<Result<(), i64>> {
        let hit = WindowHit {
            key: key(self.kind, subject),
            limit: self.max,
            now,
            window_seconds: self.seconds,
        };
        Ok(match store.hit_limit(&hit).await? {
            LimitDecision::Allowed { .. } => Ok(()),
            LimitDecision::Refused { retry_at } => Err((retry_at - now).max(1)),
        })
    }
}

/// The subject (a user id, a client address) only as its digest.
pub(super) fn key(kind: &str, subject: &str) -> String {
    format!("{kind}#{}", store_key(subject))
}

#[cfg(test)]
mod tests {
    use super::key;

    #[test]
    fn keys_name_the_kind_and_hide_the_subject() {
        let key = key("sign-ins", "203.0.113.7");
        assert!(key.starts_with("sign-ins#"), "{key}");
        assert!(!key.contains("203.0.113.7"), "{key}");
        assert_eq!(key.len(), "sign-ins#".len() + 64);
    }
}
