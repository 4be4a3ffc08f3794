//! Step-up approvals for sensitive actions (a password reset): the request
//! sent to the administrator's phone, and the polling that follows it until
//! the request is approved, denied or expires. Each call is short; nobody
//! waits for a human inside a request.

mod poll;
mod request;
mod reset;

pub use poll::StepUpPoller;
pub use request::{StepUpError, request_step_up};

/// Added to the interval after Auth0 answers `slow_down`.
pub const SLOW_DOWN_SECONDS: i64 = 5;
