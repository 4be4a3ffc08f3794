//! Request layers every route goes through.

pub mod base_path;
pub mod same_origin;
pub mod security_headers;
pub mod session;
