//! Server-side sessions: the browser holds only a random cookie secret; the
//! store holds the record under the secret's digest, with the tokens sealed.

mod listing;

pub use listing::{UNKNOWN_DEVICE, handle};

use std::sync::Arc;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::auth0::VerifiedLogin;
use crate::ids::{random_token, store_key};
use crate::sealing::Sealer;
use crate::store::{SessionRecord, Store, StoreError};
use crate::time::now_unix;

/// The tokens a session keeps. They only ever leave this process sealed.
pub struct SessionTokens {
    pub access_token: SecretString,
    pub refresh_token: Option<SecretString>,
    pub id_token: SecretString,
}

/// The plaintext shape that gets sealed; private so nothing else can build
/// or print it.
#[derive(Serialize, Deserialize)]
struct SealedShape {
    access_token: String,
    refresh_token: Option<String>,
    id_token: String,
}

/// How long sessions live.
#[derive(Clone, Copy, Debug)]
pub struct SessionLifetimes {
    pub idle_seconds: i64,
    pub absolute_seconds: i64,
}

/// Touching the idle expiry on every request would make every page view a
/// store write; once a minute keeps idle expiry accurate enough.
const TOUCH_INTERVAL_SECONDS: i64 = 60;

#[derive(Clone)]
pub struct Sessions {
    store: Arc<dyn Store>,
    sealer: Arc<Sealer>,
    lifetimes: SessionLifetimes,
}

/// A session just created: the cookie value goes to the browser once.
pub struct NewSession {
    pub cookie_value: SecretString,
    pub record: SessionRecord,
}

impl Sessions {
    pub fn new(store: Arc<dyn Store>, sealer: Arc<Sealer>, lifetimes: SessionLifetimes) -> Self {
        Self {
            store,
            sealer,
            lifetimes,
        }
    }

    pub fn lifetimes(&self) -> SessionLifetimes {
        self.lifetimes
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub fn sealer(&self) -> &Arc<Sealer> {
        &self.sealer
    }

    /// Creates a session with a fresh 256-bit id (rotation at every login)
    /// for a verified sign-in from `device` (the browser, in words).
    pub async fn create(
        &self,
        login: VerifiedLogin,
        device: String,
    ) -> Result<NewSession, StoreError> {
        let secret = random_token(32);
        let now = now_unix();
        let record = SessionRecord {
            id: store_key(&secret),
            sealed_tokens: self.seal_tokens(&login.tokens),
            user: login.user,
            issuer: login.issuer,
            scopes: login.scopes,
            created_at: now,
            last_seen_at: now,
            idle_expires_at: now + self.lifetimes.idle_seconds,
            absolute_expires_at: now + self.lifetimes.absolute_seconds,
            access_token_expires_at: login.access_token_expires_at,
            device,
        };
        self.store.put_session(&record).await?;
        Ok(NewSession {
            cookie_value: SecretString::from(secret),
            record,
        })
    }

    /// The live session behind a cookie value, or `None` for an unknown,
    /// expired or undecryptable one; an error only when the store could not
    /// say. Extends the idle expiry.
    pub async fn resolve(&self, cookie_value: &str) -> Result<Option<SessionRecord>, StoreError> {
        if cookie_value.is_empty() || cookie_value.len() > 128 {
            return Ok(None);
        }
        let now = now_unix();
        let Some(record) = self
            .store
            .get_session(&store_key(cookie_value), now)
            .await?
        else {
            return Ok(None);
        };
        if self.unseal_tokens(&record).is_err()
            && !(self.sealer.reload_keys().await && self.unseal_tokens(&record).is_ok())
        {
            // Fail closed: a record we cannot open is never used.
            tracing::warn!(session = %short(&record.id), "session tokens failed to unseal; treating as signed out");
            return Ok(None);
        }
        if now - record.last_seen_at >= TOUCH_INTERVAL_SECONDS {
            return Ok(self.touch(record, now).await);
        }
        Ok(Some(record))
    }

    /// Moves the idle expiry forward. A session deleted meanwhile (signed
    /// out elsewhere) stays deleted and reads as signed out; a failed write
    /// only costs this minute's extension, so the session is kept as it is.
    async fn touch(&self, record: SessionRecord, now: i64) -> Option<SessionRecord> {
        let mut touched = record.clone();
        touched.last_seen_at = now;
        touched.idle_expires_at =
            (now + self.lifetimes.idle_seconds).min(record.absolute_expires_at);
        match self.store.touch_session(&touched).await {
            Ok(true) => Some(touched),
            Ok(false) => None,
            Err(error) => {
                tracing::warn!(session = %short(&record.id), %error, "session idle-expiry touch failed; keeping the session as it was");
                Some(record)
            }
        }
    }

    /// The live session with this store id (a turn's capability names it).
    pub async fn by_id(&self, id: &str) -> Result<Option<SessionRecord>, StoreError> {
        self.store.get_session(id, now_unix()).await
    }

    pub async fn destroy(&self, cookie_value: &str) -> Result<(), StoreError> {
        self.store.delete_session(&store_key(cookie_value)).await
    }

    pub fn unseal_tokens(
        &self,
        record: &SessionRecord,
    ) -> Result<SessionTokens, crate::sealing::SealingError> {
        let shape: SealedShape = self.sealer.unseal_json(&record.sealed_tokens)?;
        Ok(SessionTokens {
            access_token: SecretString::from(shape.access_token),
            refresh_token: shape.refresh_token.map(SecretString::from),
            id_token: SecretString::from(shape.id_token),
        })
    }

    fn seal_tokens(&self, tokens: &SessionTokens) -> String {
        self.sealer.seal_json(&SealedShape {
            access_token: tokens.access_token.expose_secret().to_owned(),
            refresh_token: tokens
                .refresh_token
                .as_ref()
                .map(|t| t.expose_secret().to_owned()),
            id_token: tokens.id_token.expose_secret().to_owned(),
        })
    }
}

/// A log-safe prefix of a store id (itself a digest, but keep logs short).
pub fn short(id: &str) -> &str {
    &id[..id.len().min(8)]
}
