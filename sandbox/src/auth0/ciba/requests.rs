//! The CIBA requests and their life: pending, then approved or denied (or
//! expired), and an approval's tokens collected exactly once.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::auth0::users::DemoUser;
use crate::shared::secrets::random_token;

/// Oldest requests are dropped beyond this, so a long session stays small.
const MAX_REQUESTS: usize = 1000;
/// What `slow_down` adds to a request's interval (CIBA Core §11).
const SLOW_DOWN_STEP_MS: i64 = 5000;

/// The user's answer; the Guardian page posts it as the last path segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Approve,
    Deny,
}

#[derive(Clone, Copy)]
enum State {
    Pending,
    Approved {
        by: &'static DemoUser,
        at: DateTime<Utc>,
    },
    Denied,
}

struct CibaRequest {
    /// The opaque id the approval page and the admin API use.
    handle: String,
    /// The bearer secret the client polls with; never shown or logged.
    auth_req_id: String,
    client_id: String,
    user: &'static DemoUser,
    binding_message: String,
    /// The API named by `audience`, if any.
    audience: Option<String>,
    authorization_details: Option<Value>,
    state: State,
    /// The approval's tokens were issued: the request is used up.
    collected: bool,
    polls: Vec<i64>,
    created_at: i64,
    expires_at: i64,
    interval_ms: i64,
}

/// What one poll of the CIBA grant finds.
pub enum PollOutcome {
    Pending,
    SlowDown {
        interval_seconds: i64,
    },
    Denied,
    Expired,
    Approved(Approval),
    /// Unknown, another client's, or already collected.
    Invalid,
}

/// An approved request's grant, collected once.
pub struct Approval {
    pub by: &'static DemoUser,
    pub at: DateTime<Utc>,
    pub audience: Option<String>,
    pub authorization_details: Option<Value>,
}

/// What `/bc-authorize` accepted.
pub struct NewRequest<'a> {
    pub client_id: &'a str,
    pub user: &'static DemoUser,
    pub binding_message: &'a str,
    pub audience: Option<&'a str>,
    pub authorization_details: Option<Value>,
    pub expires_in: Duration,
    pub interval: Duration,
}

#[derive(Debug, PartialEq, Eq)]
pub enum DecideError {
    NotFound,
    NotPending,
}

/// A request as the admin API and the approval page see it.
#[derive(Clone, Serialize)]
pub struct CibaView {
    pub handle: String,
    pub sub: String,
    pub binding_message: String,
    /// What the request asked the phone to show, as sent (RFC 9396).
    pub authorization_details: Option<Value>,
    /// `pending`, `approved`, `denied` or `expired`.
    pub state: &'static str,
    /// When each poll arrived, epoch milliseconds.
    pub polls: Vec<i64>,
    /// Epoch milliseconds.
    pub created_at: i64,
    pub expires_at: i64,
    /// The current polling interval in seconds (grown by `slow_down`).
    pub interval: i64,
    /// The approval's tokens were issued.
    pub collected: bool,
}

#[derive(Default)]
pub struct CibaRequests(Mutex<Vec<CibaRequest>>);

impl CibaRequests {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<CibaRequest>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts a request; returns its `auth_req_id`.
    pub fn start(&self, new: NewRequest<'_>) -> String {
        let now = now_ms();
        let auth_req_id = random_token();
        let mut requests = self.lock();
        if requests.len() == MAX_REQUESTS {
            requests.remove(0);
        }
        requests.push(CibaRequest {
            handle: uuid::Uuid::new_v4().simple().to_string(),
            auth_req_id: auth_req_id.clone(),
            client_id: new.client_id.to_owned(),
            user: new.user,
            binding_message: new.binding_message.to_owned(),
            audience: new.audience.map(str::to_owned),
            authorization_details: new.authorization_details,
            state: State::Pending,
            collected: false,
            polls: Vec::new(),
            created_at: now,
            expires_at: now + new.expires_in.as_millis() as i64,
            interval_ms: new.interval.as_millis() as i64,
        });
        auth_req_id
    }

    /// One poll by `client_id`, recorded with its arrival time.
    pub fn poll(&self, auth_req_id: &str, client_id: &str) -> PollOutcome {
        let now = now_ms();
        let mut requests = self.lock();
        let Some(request) = requests
            .iter_mut()
            .find(|r| r.auth_req_id == auth_req_id && r.client_id == client_id)
        else {
            return PollOutcome::Invalid;
        };
        if request.collected {
            return PollOutcome::Invalid;
        }
        let previous = request.polls.last().copied();
        request.polls.push(now);
        if previous.is_some_and(|last| now - last < request.interval_ms) {
            request.interval_ms += SLOW_DOWN_STEP_MS;
            return PollOutcome::SlowDown {
                interval_seconds: request.interval_ms / 1000,
            };
        }
        if now >= request.expires_at {
            return PollOutcome::Expired;
        }
        match request.state {
            State::Pending => PollOutcome::Pending,
            State::Denied => PollOutcome::Denied,
            State::Approved { by, at } => {
                request.collected = true;
                PollOutcome::Approved(Approval {
                    by,
                    at,
                    audience: request.audience.clone(),
                    authorization_details: request.authorization_details.clone(),
                })
            }
        }
    }

    /// Answers a pending request. `owner` limits it to that user's requests
    /// (the approval page); `approver` is who the ID token will name.
    pub fn decide(
        &self,
        handle: &str,
        decision: Decision,
        owner: Option<&str>,
        approver: Option<&'static DemoUser>,
    ) -> Result<(), DecideError> {
        let now = now_ms();
        let mut requests = self.lock();
        let request = requests
            .iter_mut()
            .find(|r| r.handle == handle && owner.is_none_or(|sub| sub == r.user.sub))
            .ok_or(DecideError::NotFound)?;
        if !matches!(request.state, State::Pending) || now >= request.expires_at {
            return Err(DecideError::NotPending);
        }
        request.state = match decision {
            Decision::Approve => State::Approved {
                by: approver.unwrap_or(request.user),
                at: Utc::now(),
            },
            Decision::Deny => State::Denied,
        };
        Ok(())
    }

    /// Ends a pending request's life now, as if its expiry had passed: the
    /// next poll gets `expired_token` and the approval page drops it.
    pub fn expire(&self, handle: &str) -> Result<(), DecideError> {
        let now = now_ms();
        let mut requests = self.lock();
        let request = requests
            .iter_mut()
            .find(|r| r.handle == handle)
            .ok_or(DecideError::NotFound)?;
        if !matches!(request.state, State::Pending) || now >= request.expires_at {
            return Err(DecideError::NotPending);
        }
        request.expires_at = now;
        Ok(())
    }

    pub fn all(&self) -> Vec<CibaView> {
        let now = now_ms();
        self.lock().iter().map(|r| view(r, now)).collect()
    }

    /// The user's requests still waiting for an answer, oldest first.
    pub fn pending_for(&self, sub: &str) -> Vec<CibaView> {
        let now = now_ms();
        self.lock()
            .iter()
            .filter(|r| r.user.sub == sub)
            .map(|r| view(r, now))
            .filter(|v| v.state == "pending")
            .collect()
    }
}

fn view(request: &CibaRequest, now: i64) -> CibaView {
    let state = match request.state {
        State::Approved { .. } => "approved",
        State::Denied => "denied",
        State::Pending if now >= request.expires_at => "expired",
        State::Pending => "pending",
    };
    CibaView {
        handle: request.handle.clone(),
        sub: request.user.sub.to_owned(),
        binding_message: request.binding_message.clone(),
        authorization_details: request.authorization_details.clone(),
        state,
        polls: request.polls.clone(),
        created_at: request.created_at,
        expires_at: request.expires_at,
        interval: request.interval_ms / 1000,
        collected: request.collected,
    }
}

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth0::users::demo_users;

    fn started(requests: &CibaRequests, expires_in: Duration, interval: Duration) -> String {
        requests.start(NewRequest {
            client_id: "client",
            user: &demo_users()[0],
            binding_message: "code K7F-2QX",
            audience: None,
            authorization_details: None,
            expires_in,
            interval,
        })
    }

    #[test]
    fn early_polls_slow_down_and_grow_the_interval() {
        let requests = CibaRequests::default();
        let id = started(&requests, Duration::from_secs(60), Duration::from_secs(5));
        assert!(matches!(requests.poll(&id, "client"), PollOutcome::Pending));
        assert!(matches!(
            requests.poll(&id, "client"),
            PollOutcome::SlowDown {
                interval_seconds: 10
            }
        ));
        let view = &requests.all()[0];
        assert_eq!(view.polls.len(), 2);
        assert_eq!(view.interval, 10);
    }

    #[test]
    fn an_approval_is_collected_once_by_its_client() {
        let requests = CibaRequests::default();
        let id = started(&requests, Duration::from_secs(60), Duration::ZERO);
        let handle = requests.all()[0].handle.clone();
        assert!(matches!(requests.poll(&id, "other"), PollOutcome::Invalid));
        requests
            .decide(&handle, Decision::Approve, None, None)
            .unwrap();
        assert_eq!(
            requests.decide(&handle, Decision::Deny, None, None),
            Err(DecideError::NotPending)
        );
        assert!(matches!(
            requests.poll(&id, "client"),
            PollOutcome::Approved(_)
        ));
        assert!(matches!(requests.poll(&id, "client"), PollOutcome::Invalid));
    }

    #[test]
    fn the_details_are_listed_and_collected_with_the_approval() {
        let requests = CibaRequests::default();
        let details = serde_json::json!([{ "type": "t" }]);
        let id = requests.start(NewRequest {
            client_id: "client",
            user: &demo_users()[0],
            binding_message: "code K7F-2QX",
            audience: Some("https://api.example"),
            authorization_details: Some(details.clone()),
            expires_in: Duration::from_secs(60),
            interval: Duration::ZERO,
        });
        let view = &requests.all()[0];
        assert_eq!(view.authorization_details.as_ref(), Some(&details));
        requests
            .decide(&view.handle, Decision::Approve, None, None)
            .unwrap();
        let PollOutcome::Approved(approval) = requests.poll(&id, "client") else {
            panic!("approved");
        };
        assert_eq!(approval.audience.as_deref(), Some("https://api.example"));
        assert_eq!(approval.authorization_details, Some(details));
    }

    #[test]
    fn expired_and_foreign_requests_cannot_be_answered() {
        let requests = CibaRequests::default();
        let id = started(&requests, Duration::ZERO, Duration::ZERO);
        let handle = requests.all()[0].handle.clone();
        assert_eq!(requests.all()[0].state, "expired");
        assert!(matches!(requests.poll(&id, "client"), PollOutcome::Expired));
        assert_eq!(
            requests.decide(&handle, Decision::Approve, None, None),
            Err(DecideError::NotPending)
        );
        let live = CibaRequests::default();
        started(&live, Duration::from_secs(60), Duration::ZERO);
        let handle = live.all()[0].handle.clone();
        assert_eq!(
            live.decide(&handle, Decision::Approve, Some("someone-else"), None),
            Err(DecideError::NotFound)
        );
        assert!(live.pending_for("someone-else").is_empty());
        assert_eq!(live.pending_for(demo_users()[0].sub).len(), 1);
    }

    #[test]
    fn expiring_a_pending_request_ends_it_at_once() {
        let requests = CibaRequests::default();
        let id = started(&requests, Duration::from_secs(60), Duration::ZERO);
        let handle = requests.all()[0].handle.clone();
        assert_eq!(
            requests.expire("no-such-handle"),
            Err(DecideError::NotFound)
        );
        assert_eq!(requests.expire(&handle), Ok(()));
        assert_eq!(requests.all()[0].state, "expired");
        assert!(requests.pending_for(demo_users()[0].sub).is_empty());
        assert!(matches!(requests.poll(&id, "client"), PollOutcome::Expired));
        assert_eq!(requests.expire(&handle), Err(DecideError::NotPending));
        assert_eq!(
            requests.decide(&handle, Decision::Approve, None, None),
            Err(DecideError::NotPending)
        );
    }
}
