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
    /// What the browser that signed in is, in words ("Firefox on Linux"),
    /// for the list of a user's sessions. Empty in records from before it
    /// was kept.
    #[serde(default)]
    pub device: String,
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
            .field("device", &self.device)
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
    pub created_at: i64,
    pub updated_at: i64,
}

/// A chat turn sent to Bedrock Agents Classic. While it is open (stored,
/// unexpired), the capability sealed for it lets the action-group Lambdas
/// act for its session; the BFF removes it when the reply ends.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct TurnRecord {
    /// Random and unguessable.
    pub id: String,
    /// The session (its store id) that sent the message.
    pub session_id: String,
    /// The session user's `sub`: the conversation is theirs.
    pub owner: String,
    pub conversation_id: String,
    /// Unix seconds: the end of the turn's deadline.
    pub expires_at: i64,
}

pub use custodian_model::StepUpState;

/// A CIBA approval for one sensitive action, from the push to its outcome.
/// Kept as long as its conversation, so the card can be shown again.
#[derive(Clone, Serialize, Deserialize, PartialEq)]
pub struct StepUpRecord {
    /// Random and unguessable.
    pub id: String,
    /// The actor's `sub`.
    pub owner: String,
    /// The session (its store id) that asked.
    pub session_id: String,
    /// Where its card and outcome appear.
    pub conversation_id: String,
    pub actor_email: String,
    /// The Okta login the action is for.
    pub target: String,
    pub binding_code: String,
    /// A Fernet token of Auth0's `auth_req_id`; cleared (`""`) once final.
    pub sealed_auth_req_id: String,
    pub state: StepUpState,
    pub created_at: i64,
    /// The CIBA request's expiry.
    pub expires_at: i64,
    /// Seconds between polls (grows after `slow_down`).
    pub interval: i64,
    /// No Auth0 poll before this, in Unix milliseconds: polls are spaced
    /// by whole seconds and must never come early.
    pub next_poll_at_ms: i64,
    /// A transient issue to show ("Auth0 unreachable, retrying").
    pub problem: Option<String>,
    /// The readable result once final.
    pub outcome: Option<String>,
    /// A Fernet token of the reset link: shown to the approver once, then removed.
    pub sealed_reset_link: Option<String>,
    /// Optimistic concurrency: starts at 0, one more with every update.
    pub version: i64,
    /// Auth0 polls in a row that got no definite answer (rate limit,
    /// outage), which space the next poll further out. Zero again after a
    /// definite one.
    #[serde(default)]
    pub failed_polls: u32,
    /// When the approval was collected, in Unix milliseconds. `None` on an
    /// Approved record means it was written before this was kept, when the
    /// reset ran unrecorded: such a record is never reset again.
    #[serde(default)]
    pub approved_at_ms: Option<i64>,
    /// When a process claimed the password reset, in Unix milliseconds,
    /// written before Okta is called: whoever finds it set and no outcome
    /// knows a reset may have happened and never starts another.
    #[serde(default)]
    pub reset_started_at_ms: Option<i64>,
    /// Set when the approval is an approver's, for time-limited access
    /// the requester was denied; `None` for the actor's own approval of a
    /// password reset.
    #[serde(default)]
    pub elevation: Option<Elevation>,
    /// Dual control: a second administrator's approval the reset also
    /// waits for, when the account is privileged.
    #[serde(default)]
    pub second: Option<SecondApproval>,
}

/// The second administrator's approval of a privileged account's reset:
/// its own CIBA request, polled on its own schedule.
#[derive(Clone, Serialize, Deserialize, PartialEq)]
pub struct SecondApproval {
    pub approver_email: String,
    /// The approval's ID token must name this Auth0 user id.
    pub approver_sub: String,
    /// Its own code, shown on the card and on that administrator's phone.
    pub binding_code: String,
    /// A Fernet token of its `auth_req_id`; cleared (`""`) once answered.
    pub sealed_auth_req_id: String,
    /// Pending until that administrator approves (then Approved); the
    /// step-up itself ends on any other answer.
    pub state: StepUpState,
    pub interval: i64,
    /// No poll of this request before this, in Unix milliseconds.
    pub next_poll_at_ms: i64,
}

impl fmt::Debug for SecondApproval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecondApproval")
            .field("approver_email", &self.approver_email)
            .field("approver_sub", &self.approver_sub)
            .field("binding_code", &self.binding_code)
            .field("state", &self.state)
            .field("interval", &self.interval)
            .field("next_poll_at_ms", &self.next_poll_at_ms)
            .finish_non_exhaustive()
    }
}

/// What a request for time-limited access asks of whom, and what came of it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Elevation {
    pub permission: crate::fga::Permission,
    /// How long the access lasts from the approval, in seconds.
    pub seconds: u64,
    pub approver_email: String,
    /// The approver's Auth0 user id: the approval's ID token must name it.
    pub approver_sub: String,
    /// Unix seconds at which the grant lapses, once it is written.
    #[serde(default)]
    pub valid_until: Option<i64>,
    /// Whether the requester ended the access early.
    #[serde(default)]
    pub dropped: bool,
}

impl Elevation {
    /// Whether the access is in force at `now` (Unix seconds).
    pub fn active_at(&self, now: i64) -> bool {
        !self.dropped && self.valid_until.is_some_and(|until| now < until)
    }
}

impl StepUpRecord {
    /// The record as an update from `expected_version` stores it.
    pub fn as_update_of(&self, expected_version: i64) -> StepUpRecord {
        StepUpRecord {
            version: expected_version + 1,
            ..self.clone()
        }
    }
}

impl fmt::Debug for StepUpRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StepUpRecord")
            .field("id", &self.id)
            .field("owner", &self.owner)
            .field("session_id", &self.session_id)
            .field("conversation_id", &self.conversation_id)
            .field("actor_email", &self.actor_email)
            .field("target", &self.target)
            .field("binding_code", &self.binding_code)
            .field("state", &self.state)
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .field("interval", &self.interval)
            .field("next_poll_at_ms", &self.next_poll_at_ms)
            .field("problem", &self.problem)
            .field("outcome", &self.outcome)
            .field("version", &self.version)
            .field("failed_polls", &self.failed_polls)
            .field("approved_at_ms", &self.approved_at_ms)
            .field("reset_started_at_ms", &self.reset_started_at_ms)
            .field("elevation", &self.elevation)
            .field("second", &self.second)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::{Role, SecondApproval, StepUpRecord, StepUpState};

    #[test]
    fn role_spellings_match_serde() {
        for role in [Role::User, Role::Assistant, Role::Notice] {
            assert_eq!(serde_json::to_value(&role).unwrap(), role.as_str());
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("system"), None);
    }

    #[test]
    fn step_up_debug_leaves_sealed_fields_out() {
        let record = StepUpRecord {
            id: "stepup-1".into(),
            owner: "auth0|ada".into(),
            session_id: "session-1".into(),
            conversation_id: "conversation-1".into(),
            actor_email: "admin@example.com".into(),
            target: "bob@example.com".into(),
            binding_code: "K7F-2QX".into(),
            sealed_auth_req_id: "gAAAA-sealed-request".into(),
            state: StepUpState::Completed,
            created_at: 1,
            expires_at: 301,
            interval: 5,
            next_poll_at_ms: 6_000,
            problem: None,
            outcome: Some("Password reset for bob@example.com".into()),
            sealed_reset_link: Some("gAAAA-sealed-link".into()),
            version: 3,
            failed_polls: 0,
            approved_at_ms: Some(5_000),
            reset_started_at_ms: Some(5_100),
            elevation: None,
            second: Some(SecondApproval {
                approver_email: "second.admin@example.com".into(),
                approver_sub: "auth0|second".into(),
                binding_code: "Q4P-8ZD".into(),
                sealed_auth_req_id: "gAAAA-sealed-second".into(),
                state: StepUpState::Pending,
                interval: 5,
                next_poll_at_ms: 6_000,
            }),
        };
        let debug = format!("{record:?}");
        assert!(!debug.contains("gAAAA"), "{debug}");
        assert!(
            debug.contains("stepup-1") && debug.contains("K7F-2QX"),
            "{debug}"
        );
    }

    /// What a build before the reset intent was kept stored: it still
    /// reads, with no claim and no approval time.
    #[test]
    fn records_without_the_reset_fields_still_read() {
        let old = serde_json::json!({
            "id": "stepup-1", "owner": "auth0|ada", "session_id": "session-1",
            "conversation_id": "conversation-1", "actor_email": "admin@example.com",
            "target": "bob@example.com", "binding_code": "K7F-2QX",
            "sealed_auth_req_id": "", "state": "approved", "created_at": 1,
            "expires_at": 301, "interval": 5, "next_poll_at_ms": 6_000,
            "problem": null, "outcome": null, "sealed_reset_link": null, "version": 2,
        });
        let record: StepUpRecord = serde_json::from_value(old).unwrap();
        assert_eq!(record.state, StepUpState::Approved);
        assert_eq!(record.failed_polls, 0);
        assert_eq!(record.approved_at_ms, None);
        assert_eq!(record.reset_started_at_ms, None);
    }
}
