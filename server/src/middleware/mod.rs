//! Request layers every route goes through.

pub mod same_origin;
pub mod security_headers;
pub mod session;
