//! The one error type every server function returns. Its messages are shown
//! to the user as they are, so they never carry internals.

use serde::{Deserialize, Serialize};
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

use super::json::BrowserJsonEncoding;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("You are signed out. Sign in again to continue.")]
    SignedOut,
    #[error("That conversation does not exist.")]
    NotFound,
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Unavailable(String),
    #[error("Something went wrong on our side. Try again.")]
    Internal,
}

impl FromServerFnError for AppError {
    type Encoder = BrowserJsonEncoding;

    fn from_server_fn_error(error: ServerFnErrorErr) -> Self {
        match error {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => AppError::Unavailable(
                "Custodian could not be reached. Check your connection and try again.".into(),
            ),
            _ => AppError::Internal,
        }
    }
}

/// `text` trimmed, refused with `empty` when nothing is left and when it
/// is over `max` characters ("{what} are limited to {max} characters.").
pub fn trimmed_within(text: &str, max: usize, empty: &str, what: &str) -> Result<String, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::Invalid(empty.into()));
    }
    if text.chars().count() > max {
        return Err(AppError::Invalid(format!(
            "{what} are limited to {max} characters."
        )));
    }
    Ok(text.to_owned())
}
