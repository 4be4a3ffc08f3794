//! Bedrock action-group handlers. Each handler is a plain async function over
//! `custodian_core` clients; the Lambda binaries are thin shells around them.

pub mod actor;
pub mod ciba_authentication;
pub mod event;
pub mod fernet_keygen;
mod handler;
pub mod okta_operations;

pub use custodian_core::actions::{ActionContext, names};
pub use handler::{Handler, serve};
