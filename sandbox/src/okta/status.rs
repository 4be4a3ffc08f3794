//! Users' lifecycle status, which lifecycle operations change.
//!
//! Okta, "User object" `status` (and the SDK's `UserStatus` type): ACTIVE,
//! DEPROVISIONED (a deactivated user), LOCKED_OUT, PASSWORD_EXPIRED,
//! PROVISIONED, RECOVERY, STAGED, SUSPENDED. Reset password "transitions the
//! user to the RECOVERY status" (UserCred, "Reset a password").

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use chrono::{SecondsFormat, Utc};
use serde::Serialize;

use super::directory::OktaUser;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UserStatus {
    Active,
    Recovery,
    Suspended,
    Deprovisioned,
}

impl UserStatus {
    /// Okta refuses a password reset for suspended and deactivated users
    /// with 403 E0000038.
    pub fn allows_password_reset(self) -> bool {
        matches!(self, Self::Active | Self::Recovery)
    }
}

/// A user's current status and when it last changed (RFC 3339).
#[derive(Clone)]
pub struct Current {
    pub status: UserStatus,
    pub changed: Option<String>,
}

/// Status changes since the sandbox started; users not in it keep the
/// directory's status.
#[derive(Default)]
pub struct Lifecycle(Mutex<HashMap<&'static str, Current>>);

impl Lifecycle {
    pub fn current(&self, user: &OktaUser) -> Current {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(user.id)
            .cloned()
            .unwrap_or(Current {
                status: user.status,
                changed: None,
            })
    }

    pub fn set(&self, user: &'static OktaUser, status: UserStatus) {
        let changed = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(
                user.id,
                Current {
                    status,
                    changed: Some(changed),
                },
            );
    }
}
