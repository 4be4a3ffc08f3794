//! Bedrock action-group handlers. Each handler is a plain async function over
//! `custodian_core` clients; the Lambda binaries are thin shells around them.

pub mod names;
