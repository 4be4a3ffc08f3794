//! `limits`: how much one user, or one client address, may ask for in a
//! while. The counts live in the store, so they hold across processes and
//! Lambda instances; `crate::limits` applies them.

use serde::Deserialize;
use serde::de::{Deserializer, Error};

use super::fields;

/// Each pending step-up holds a slot, and a claim tries the slots in
/// turn (one store write each): a handful is plenty.
const MAX_PENDING_STEP_UPS: u32 = 10;

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LimitSettings {
    /// Approval pushes (CIBA requests) one user may start a minute. Auth0
    /// sends an approver at most 5 a minute, so more than 5 only makes sense
    /// against a stand-in.
    #[serde(
        default = "default_step_up_pushes_per_minute",
        deserialize_with = "fields::positive"
    )]
    pub step_up_pushes_per_minute: u32,
    /// Approval requests one user may have waiting on their phone at once.
    #[serde(
        default = "default_pending_step_ups",
        deserialize_with = "pending_step_ups"
    )]
    pub pending_step_ups: u32,
    /// Sign-ins (`GET /login`) one client address may start a minute.
    #[serde(
        default = "default_sign_ins_per_minute",
        deserialize_with = "fields::positive"
    )]
    pub sign_ins_per_minute: u32,
    /// Chat messages (each a paid model call) one user may send a minute.
    #[serde(
        default = "default_chat_turns_per_minute",
        deserialize_with = "fields::positive"
    )]
    pub chat_turns_per_minute: u32,
    /// Conversations one user may keep; starting one more is refused.
    #[serde(
        default = "default_conversations_per_user",
        deserialize_with = "fields::positive"
    )]
    pub conversations_per_user: u32,
    /// Messages one conversation may hold before a turn in it is refused.
    #[serde(
        default = "default_messages_per_conversation",
        deserialize_with = "fields::positive"
    )]
    pub messages_per_conversation: u32,
}

impl Default for LimitSettings {
    fn default() -> Self {
        Self {
            step_up_pushes_per_minute: default_step_up_pushes_per_minute(),
            pending_step_ups: default_pending_step_ups(),
            sign_ins_per_minute: default_sign_ins_per_minute(),
            chat_turns_per_minute: default_chat_turns_per_minute(),
            conversations_per_user: default_conversations_per_user(),
            messages_per_conversation: default_messages_per_conversation(),
        }
    }
}

fn pending_step_ups<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let value = u32::deserialize(d)?;
    if !(1..=MAX_PENDING_STEP_UPS).contains(&value) {
        return Err(D::Error::custom(format!(
            "must be between 1 and {MAX_PENDING_STEP_UPS}"
        )));
    }
    Ok(value)
}

/// Auth0's own limit per approver (see `crate::limits::step_up`).
fn default_step_up_pushes_per_minute() -> u32 {
    5
}

fn default_pending_step_ups() -> u32 {
    3
}

fn default_sign_ins_per_minute() -> u32 {
    30
}

fn default_chat_turns_per_minute() -> u32 {
    20
}

fn default_conversations_per_user() -> u32 {
    100
}

fn default_messages_per_conversation() -> u32 {
    500
}
