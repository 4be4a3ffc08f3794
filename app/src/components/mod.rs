//! Page components.

pub mod chat;
pub mod copy_button;
pub mod home;
pub mod not_found;
pub mod sign_in;
