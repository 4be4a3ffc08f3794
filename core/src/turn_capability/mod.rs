//! The per-turn capability that lets the action-group Lambdas act for a
//! signed-in session, and nothing longer-lived.
//!
//! With Bedrock Agents Classic the actions run in Lambdas that only see
//! what the agent forwards. For each chat turn the BFF records the turn as
//! open in the store and sends, as the one session attribute, a
//! capability sealed with the Fernet key the BFF and the Lambdas share:
//! the session, the conversation, the turn and an expiry no later than the
//! turn's deadline. A Lambda acts only on a capability that opens under
//! that key, is unexpired (its own expiry and the Fernet timestamp), names
//! the conversation the agent is in, belongs to a turn that is still open
//! and to a session that is still live. The BFF closes the turn when the
//! reply ends, so a capability replayed afterwards opens nothing; within
//! the turn the agent may call actions as often as it needs.
//!
//! The capability is never logged, shown or stored; only the agent carries
//! it. Every refusal is audited and answered with the same plain words.

mod admit;
mod claims;
mod refusal;
mod turns;

pub use admit::{Admission, Admitted};
pub use claims::{TurnCapability, TurnClaims};
pub use refusal::{REFUSAL_TEXT, Refusal};
pub use turns::{OpenTurn, Turns};
