//! The action-group handlers driven with Bedrock function-schema events
//! (fixtures under `tests/fixtures`) against an in-process sandbox, with
//! real sessions made by signing demo users in.

mod ciba_authentication;
mod events;
mod okta_operations;
mod support;
