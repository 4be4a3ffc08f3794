//! Where a step-up stands: stored with its record, sent to the approval card.

use serde::{Deserialize, Serialize};

/// Where a step-up stands. Only `Pending` and `Approved` can still change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StepUpState {
    /// Waiting for the approver's answer on their phone.
    Pending,
    /// Approved; the action has not run yet.
    Approved,
    Denied,
    Expired,
    Cancelled,
    /// Approved or pending, but the action could not go ahead.
    Failed,
    /// Approved and the action ran.
    Completed,
}

impl StepUpState {
    /// No further change is possible (everything but Pending and Approved).
    pub fn is_final(self) -> bool {
        !matches!(self, Self::Pending | Self::Approved)
    }

    /// The serde spelling, also used in CSS classes and `data-state`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Denied => "denied",
            Self::Expired => "expired",
            Self::Cancelled => "cancelled",
            Self::Failed => "failed",
            Self::Completed => "completed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::StepUpState;

    const ALL: [StepUpState; 7] = [
        StepUpState::Pending,
        StepUpState::Approved,
        StepUpState::Denied,
        StepUpState::Expired,
        StepUpState::Cancelled,
        StepUpState::Failed,
        StepUpState::Completed,
    ];

    #[test]
    fn as_str_is_the_serde_spelling() {
        for state in ALL {
            let json = serde_json::to_string(&state).unwrap();
            assert_eq!(json, format!("\"{}\"", state.as_str()));
            assert_eq!(serde_json::from_str::<StepUpState>(&json).unwrap(), state);
        }
    }

    #[test]
    fn only_pending_and_approved_can_change() {
        let open: Vec<_> = ALL.into_iter().filter(|s| !s.is_final()).collect();
        assert_eq!(open, [StepUpState::Pending, StepUpState::Approved]);
    }
}
