//! The sandbox's stand-in for a language model, shared by both agent
//! stand-ins (InvokeAgent and InvokeHarness) so they understand the same
//! requests: a deterministic intent router, and the chunking of its words
//! into the pieces a streamed reply arrives in.

pub mod chunks;
pub mod intent;
