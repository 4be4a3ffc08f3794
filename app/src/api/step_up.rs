//! Step-up approval cards: what the browser may know of a pending
//! approval (its id, state, code and timing — never the request itself),
//! and the calls that advance, cancel or settle it.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AppError;
use super::json::BrowserJson;

pub use custodian_model::{MIN_CHECK_MS, StepUpState};

/// What the card says of a state.
pub fn state_label(view: &StepUpView) -> &'static str {
    match (view.state, view.access.is_some()) {
        (StepUpState::Pending, true) => "Waiting for the approver",
        (StepUpState::Approved, true) => "Approved — granting",
        (StepUpState::Completed, true) => "Granted",
        (StepUpState::Pending, false) if view.own_approved => "Waiting for the second approval",
        (state, _) => own_state_label(state),
    }
}

fn own_state_label(state: StepUpState) -> &'static str {
    match state {
        StepUpState::Pending => "Waiting for your approval",
        StepUpState::Approved => "Approved — resetting",
        StepUpState::Completed => "Done",
        StepUpState::Denied => "Denied",
        StepUpState::Expired => "Expired",
        StepUpState::Cancelled => "Cancelled",
        StepUpState::Failed => "Failed",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepUpView {
    pub id: String,
    pub target: String,
    pub code: String,
    pub state: StepUpState,
    pub seconds_left: i64,
    /// When asking again can bring news.
    pub check_again_ms: u64,
    pub problem: Option<String>,
    pub outcome: Option<String>,
    /// The outcome with its Markdown rendered, for the conversation.
    pub outcome_html: Option<String>,
    pub has_reset_link: bool,
    /// The Audit page's filter for this request's entries, once it is
    /// final (only then does the card link to them).
    pub audit_query: Option<String>,
    /// Set when the card asks another user for access rather than the
    /// user's own approval of a reset.
    pub access: Option<AccessView>,
    /// Dual control: the second administrator's part of the approval.
    pub second: Option<SecondView>,
    /// Whether the requester's own approval is in.
    pub own_approved: bool,
}

/// The second administrator's part of a dual-control reset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondView {
    pub approver: String,
    /// The code on that administrator's phone.
    pub code: String,
    /// Pending or Approved while the reset waits; the card's own state
    /// says how it ended.
    pub approved: bool,
}

/// An access request's card: what is asked of whom, and until when it
/// lasts once granted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessView {
    /// "reset passwords for 1 hour".
    pub access: String,
    pub approver: String,
    /// While the granted access lasts: when it ends, for people.
    pub active_until: Option<String>,
}

impl StepUpView {
    pub fn is_final(&self) -> bool {
        self.state.is_final()
    }
}

/// The card's current state; asks Auth0 when it is time to.
#[server(prefix = "/api", endpoint = "step_up_status", output = BrowserJson)]
pub async fn step_up_status(id: String) -> Result<StepUpView, AppError> {
    let session = crate::ssr::require_session().await?;
    let state = crate::ssr::state()?;
    let record = state
        .step_ups
        .poll(&session.user.sub, &id)
        .await
        .map_err(crate::ssr::store_error)?
        .ok_or(AppError::NotFound)?;
    Ok(crate::ssr::step_up_view(&record))
}

#[server(prefix = "/api", endpoint = "cancel_step_up", output = BrowserJson)]
pub async fn cancel_step_up(id: String) -> Result<StepUpView, AppError> {
    let session = crate::ssr::require_session().await?;
    let state = crate::ssr::state()?;
    let record = state
        .step_ups
        .cancel(&session.user.sub, &id)
        .await
        .map_err(crate::ssr::store_error)?
        .ok_or(AppError::NotFound)?;
    Ok(crate::ssr::step_up_view(&record))
}

/// The one-time reset link, for the approver, once.
#[server(prefix = "/api", endpoint = "reveal_reset_link", output = BrowserJson)]
pub async fn reveal_reset_link(id: String) -> Result<String, AppError> {
    let session = crate::ssr::require_session().await?;
    let state = crate::ssr::state()?;
    let link = state
        .step_ups
        .take_reset_link(&session.user.sub, &id)
        .await
        .map_err(crate::ssr::store_error)?
        .ok_or_else(|| AppError::Invalid("That reset link was already shown.".into()))?;
    Ok(secrecy::ExposeSecret::expose_secret(&link).to_owned())
}
