//! Just-in-time access: a user FGA denied asks one of the permission's
//! approvers to grant it for a while. The approver gets a CIBA request on
//! their own phone (the authorizing user is not the one asking), and on
//! approval Custodian writes the permission as a conditional FGA tuple
//! valid until its expiry, so the access ends by itself.
//!
//! The request rides on the step-up machinery (its record, polling, card
//! and limits); what differs is whose approval counts and what an approval
//! does: grant, not reset.

mod request;
pub mod text;

pub use request::{ElevationError, request_elevation};
