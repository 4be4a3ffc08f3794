//! Rate limits that hold across processes and Lambda instances: their
//! counts live in the store (window counters and slots, see
//! `crate::store::Store::hit_limit`), keyed by a kind and a digest of the
//! subject, so no raw address or user id is a key. One file per limit:
//! approval pushes (`step_up`), sign-in starts (`sign_in`) and chat turns
//! (`chat`). A refusal says, in words, when to try again. What one user
//! may keep (conversations, messages in one) is `capacity`.
//!
//! Windows open at their first hit and last their length, so a burst is
//! counted from where it starts rather than cut by the clock's minute.
//! When the store cannot be asked, the request is refused (fail closed).

mod capacity;
mod chat;
mod client_address;
mod sign_in;
mod step_up;
mod window;
mod wording;

pub use capacity::CapacityError;
pub use client_address::ClientAddress;
pub use step_up::NewStepUp;

use crate::audit::AuditLog;
use crate::settings::LimitSettings;
use crate::store::StoreError;

/// What a refusal's text starts with, so the chat shows it as a notice
/// of its own, verbatim, whatever the agent makes of it.
pub const LIMIT_MARKER: &str = "Limit reached:";

/// The limits as configured, applied against a store; every refusal is
/// audited.
#[derive(Clone)]
pub struct Limits {
    settings: LimitSettings,
    audit: AuditLog,
}

impl Limits {
    pub fn new(settings: &LimitSettings, audit: AuditLog) -> Self {
        Self {
            settings: settings.clone(),
            audit,
        }
    }
}

/// A request over a limit: what to tell the person and when to return.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// Seconds until asking again can succeed; at least 1.
    pub retry_after: i64,
    /// The whole message, starting with [`LIMIT_MARKER`].
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum LimitError {
    #[error("{}", .0.message)]
    Refused(Refusal),
    /// The count could not be kept, so the request is refused all the same.
    #[error("Custodian could not check its usage limits (its storage is unavailable); try again")]
    Store(#[from] StoreError),
}
