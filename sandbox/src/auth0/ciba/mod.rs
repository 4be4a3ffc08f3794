//! Client-Initiated Backchannel Authentication (CIBA, poll mode): requests
//! started at `/bc-authorize`, answered on the approval page or through the
//! test admin API, and collected with the CIBA grant at `/oauth/token`.

pub mod admin;
mod authorization_details;
pub mod bc_authorize;
mod guardian_schema;
mod requests;

pub use guardian_schema::{GuardianDetails, shown as guardian_details};
pub use requests::{CibaRequests, CibaView, DecideError, Decision, NewRequest, PollOutcome};
