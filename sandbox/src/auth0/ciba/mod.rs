//! Client-Initiated Backchannel Authentication (CIBA, poll mode): requests
//! started at `/bc-authorize`, answered on the approval page or through the
//! test admin API, and collected with the CIBA grant at `/oauth/token`.

pub mod admin;
pub mod bc_authorize;
mod requests;

pub use requests::{CibaRequests, CibaView, DecideError, Decision, PollOutcome};
