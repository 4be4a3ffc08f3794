//! HTML pages of the sandbox IdP.

pub mod layout;
pub mod login;
pub mod message;
