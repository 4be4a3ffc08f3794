//! Step-up approvals for sensitive actions (a password reset): the request
//! sent to the administrator's phone, and the polling that follows it until
//! the request is approved, denied or expires. Each call is short; nobody
//! waits for a human inside a request.

mod backoff;
mod dual_control;
mod enrolment;
mod outcome_text;
mod poll;
mod request;
mod reset;

pub use dual_control::{DualControlError, SecondApprover, second_approver};
pub use enrolment::{ENROLMENT_MARKER, enrolment_guidance};
pub use poll::StepUpPoller;
pub use request::{StepUpError, request_step_up};
pub(crate) use request::{pending_record, store_pending, within_limits};

/// Added to the interval after Auth0 answers `slow_down`.
pub const SLOW_DOWN_SECONDS: i64 = 5;

/// Slack on top of the interval, so that network delay can never make a
/// poll arrive early (Auth0 answers an early poll with `slow_down`).
const POLL_MARGIN_MS: i64 = 250;

/// When the next poll may go out after one at `now_ms`.
fn next_poll_after(now_ms: i64, interval_seconds: i64) -> i64 {
    now_ms + interval_seconds * 1000 + POLL_MARGIN_MS
}
