//! lambdas' integration tests, in one binary: the action-group handlers
//! driven with Bedrock function-schema events (fixtures under
//! `tests/fixtures`) against an in-process sandbox, with real sessions made
//! by signing demo users in and the per-turn capabilities the BFF seals for
//! them; the action-group names the CDK app and the handlers share; and the
//! `fernet-keygen` custom resource against moto.

mod action_groups;
mod capabilities;
mod ciba_authentication;
mod events;
mod fernet_keygen;
mod okta_operations;
mod support;
