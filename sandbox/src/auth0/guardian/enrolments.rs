//! Which demo users have a phone enrolled for Guardian push. Every demo
//! user starts enrolled, as Auth0 requires of an authorizing user ("User
//! Authentication with CIBA", prerequisites); a test or the demo takes a
//! device away to see what Custodian says, and `/guardian` enrols it again.
//!
//! - `POST /__sandbox/guardian/enrolments` `{"email": "...", "enrolled": false}`

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use crate::auth0::Auth0;
use crate::auth0::users::demo_users;

/// The subs without an enrolled device (empty: everyone enrolled).
#[derive(Default)]
pub struct GuardianEnrolments {
    missing: Mutex<HashSet<&'static str>>,
}

impl GuardianEnrolments {
    pub fn is_enrolled(&self, sub: &str) -> bool {
        !self.lock().contains(sub)
    }

    pub fn set(&self, sub: &'static str, enrolled: bool) {
        let mut missing = self.lock();
        if enrolled {
            missing.remove(sub);
        } else {
            missing.insert(sub);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<&'static str>> {
        // A panic elsewhere cannot leave a set of ids half-written.
        self.missing.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrolmentChange {
    email: String,
    enrolled: bool,
}

/// The admin API: enrol or remove a demo user's device.
pub async fn change(
    State(auth0): State<Arc<Auth0>>,
    body: Result<Json<EnrolmentChange>, JsonRejection>,
) -> Response {
    let Ok(Json(change)) = body else {
        return refused("expected {\"email\": \"<demo user>\", \"enrolled\": true|false}");
    };
    let Some(user) = demo_users()
        .iter()
        .find(|u| u.email.eq_ignore_ascii_case(change.email.trim()))
    else {
        return refused("email is not a demo user's");
    };
    auth0.store.guardian.set(user.sub, change.enrolled);
    tracing::info!(
        sub = user.sub,
        enrolled = change.enrolled,
        "Guardian enrolment changed"
    );
    Json(json!({ "email": user.email, "enrolled": change.enrolled })).into_response()
}

fn refused(reason: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": reason }))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everyone_starts_enrolled_and_a_device_can_go_and_come_back() {
        let enrolments = GuardianEnrolments::default();
        let sub = demo_users()[0].sub;
        assert!(enrolments.is_enrolled(sub));
        enrolments.set(sub, false);
        assert!(!enrolments.is_enrolled(sub));
        assert!(enrolments.is_enrolled(demo_users()[1].sub));
        enrolments.set(sub, true);
        assert!(enrolments.is_enrolled(sub));
    }
}
