//! What the store keeps. Sealed fields are opaque Fernet tokens here, and
//! `Debug` leaves them out so a stray log line cannot carry them.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SessionUser {
    pub sub: String,
    pub email: String,
    pub name: String,
}

#[derive(Clone, Serialize, Deserialize, PartialEq)]
pub struct SessionRecord {
    /// Hex SHA-256 of the cookie secret; the cookie value is never stored.
    pub id: String,
    pub user: SessionUser,
    pub issuer: String,
    pub scopes: Vec<String>,
    /// A Fernet token; opaque to the store.
    pub sealed_tokens: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub idle_expires_at: i64,
    pub absolute_expires_at: i64,
    pub access_token_expires_at: i64,
}

impl SessionRecord {
    /// The moment the session stops being valid, whichever expiry comes first.
    pub fn expires_at(&self) -> i64 {
        self.idle_expires_at.min(self.absolute_expires_at)
    }
}

impl fmt::Debug for SessionRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionRecord")
            .field("id", &self.id)
            .field("user", &self.user)
            .field("issuer", &self.issuer)
            .field("scopes", &self.scopes)
            .field("created_at", &self.created_at)
            .field("last_seen_at", &self.last_seen_at)
            .field("idle_expires_at", &self.idle_expires_at)
            .field("absolute_expires_at", &self.absolute_expires_at)
            .field("access_token_expires_at", &self.access_token_expires_at)
            .finish_non_exhaustive()
    }
}

/// A login in flight (PKCE verifier, state, nonce, return path), sealed.
#[derive(Clone, Serialize, Deserialize, PartialEq)]
pub struct LoginAttempt {
    pub id: String,
    pub sealed: String,
    pub expires_at: i64,
}

impl fmt::Debug for LoginAttempt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginAttempt")
            .field("id", &self.id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    User,
    Assistant,
    /// Written by Custodian itself, e.g. a step-up outcome.
    Notice,
}

impl Role {
    /// The serde spelling, for backends that store the role as a column.
    pub fn as_str(&self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Assistant => "assistant",
            Role::Notice => "notice",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        match value {
            "user" => Some(Role::User),
            "assistant" => Some(Role::Assistant),
            "notice" => Some(Role::Notice),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Message {
    pub role: Role,
    pub text: String,
    pub at: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Conversation {
    pub id: String,
    /// The owner's `sub`.
    pub owner: String,
    pub title: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub messages: Vec<Message>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ConversationSummary {
    pub id: String,
    pub title: String,
    pub updated_at: i64,
}

#[cfg(test)]
mod tests {
    use super::Role;

    #[test]
    fn role_spellings_match_serde() {
        for role in [Role::User, Role::Assistant, Role::Notice] {
            assert_eq!(serde_json::to_value(&role).unwrap(), role.as_str());
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("system"), None);
    }
}
