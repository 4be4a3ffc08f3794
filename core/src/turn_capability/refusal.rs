//! Why a capability was refused. The audit log says which; the agent only
//! ever hears the same plain words, which help nobody probe the check.

use std::fmt;

/// What the agent is told for every refusal.
pub const REFUSAL_TEXT: &str = "Custodian could not confirm that this request comes from your current chat, so nothing was done. Send your message again.";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No capability in the session attributes.
    Missing,
    /// It does not open under the shared key, is not a capability, or
    /// disagrees with the turn it names.
    Forged,
    /// Past its expiry, or sealed longer ago than a turn lasts.
    Expired,
    /// Its turn has ended: a capability sent again after the reply.
    Replayed,
    /// Sent for an agent session other than the conversation it names.
    OtherConversation,
}

impl Refusal {
    /// The audit outcome.
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::Missing => "missing",
            Refusal::Forged => "forged",
            Refusal::Expired => "expired",
            Refusal::Replayed => "replayed",
            Refusal::OtherConversation => "other-conversation",
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REFUSAL_TEXT)
    }
}

impl std::error::Error for Refusal {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_reads_the_same_and_audits_apart() {
        let all = [
            Refusal::Missing,
            Refusal::Forged,
            Refusal::Expired,
            Refusal::Replayed,
            Refusal::OtherConversation,
        ];
        assert!(all.iter().all(|r| r.to_string() == REFUSAL_TEXT));
        let mut outcomes: Vec<_> = all.iter().map(|r| r.as_str()).collect();
        outcomes.dedup();
        assert_eq!(outcomes.len(), all.len());
    }
}
