//! HTML pages of the sandbox IdP.

pub mod login;
pub mod message;
