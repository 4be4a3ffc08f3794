//! The deterministic intent router that stands in for the model.
//!
//! It is not a language model and says so; it only has to recognise the few
//! requests Custodian supports, which makes end-to-end tests repeatable.

/// What the user asked for, as far as the router can tell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Intent {
    /// Anything the router does not recognise: introduce the sandbox agent.
    Greeting,
}

pub fn classify(_input_text: &str) -> Intent {
    Intent::Greeting
}
