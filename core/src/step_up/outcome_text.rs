//! What an approved step-up's card and conversation say happened to the
//! password reset, in Custodian's own words.

use crate::fga::{DENIAL_MARKER, Permission};

/// Okta did it; `with_link` when the one-time link waits on the card.
pub fn reset_done(target: &str, with_link: bool) -> String {
    if with_link {
        format!(
            "The password of {target} was reset. A one-time reset link is ready for you on the approval card."
        )
    } else {
        format!("The password of {target} was reset. Okta emailed them a link to choose a new one.")
    }
}

/// Okta, Token Vault or the session said no; `reason` is readable.
pub fn reset_failed(target: &str, reason: &str) -> String {
    format!("You approved the request, but the password of {target} was not reset: {reason}.")
}

/// A reset was started at `started_at_ms` (Unix milliseconds) and its
/// answer never recorded. It is not tried again, so the administrator is
/// told where the truth is.
pub fn reset_unknown(target: &str, started_at_ms: i64) -> String {
    let at = chrono::DateTime::from_timestamp_millis(started_at_ms)
        .map(|at| at.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|| "an unknown time".to_owned());
    format!(
        "The outcome is unknown: Custodian started resetting the password of {target} (at about {at}) \
         but never learned whether Okta did it. It was not tried again, so it happened at most once. \
         To check, open {target} in the Okta Admin Console (Directory, People) and look for a password \
         reset in Reports, System Log around that time; if there is none, ask again."
    )
}

/// FGA no longer allows `actor_email` to reset passwords: the permission
/// was revoked while the push waited on the phone.
pub fn permission_revoked(actor_email: &str, target: &str) -> String {
    let permission = Permission::ResetPassword;
    format!(
        "{DENIAL_MARKER} {actor_email} no longer has the `{}` permission on `{}` in Auth0 FGA, so Custodian did not reset the password of {target}, although you approved the request. Ask an FGA administrator to grant it, then ask again.",
        permission.relation(),
        permission.object(),
    )
}

/// FGA gave no clear answer just before the reset: fail closed.
pub fn permission_unconfirmed(target: &str) -> String {
    format!(
        "Custodian could not confirm your permission with Auth0 FGA (it did not answer), so the password of {target} was not reset, although you approved the request. Ask again shortly."
    )
}

/// The approval was collected but the reset never started while it was
/// fresh: a reset long after the approval would surprise everyone.
pub fn approval_too_old(target: &str) -> String {
    format!(
        "Your approval was not acted on in time, so the password of {target} was not reset. Ask again to send a new request."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_outcome_says_when_and_where_to_look() {
        let text = reset_unknown("bob@example.com", 1_796_040_000_000);
        assert!(text.starts_with("The outcome is unknown"), "{text}");
        assert!(text.contains("2026-11-30 12:00 UTC"), "{text}");
        assert!(text.contains("Okta Admin Console"), "{text}");
        assert!(text.contains("System Log"), "{text}");
        assert!(text.contains("at most once"), "{text}");
    }

    #[test]
    fn a_revoked_permission_reads_as_a_denial() {
        let text = permission_revoked("admin@example.com", "bob@example.com");
        assert!(crate::actions::is_notice_text(&text), "{text}");
        assert!(text.contains("reset_password"), "{text}");
    }
}
