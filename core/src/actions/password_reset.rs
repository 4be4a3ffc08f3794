//! `authenticate_user(user_id)`: a password reset that waits for the
//! administrator's approval on their phone. This only checks the
//! permission, sends the push and records the request; it answers at once.
//! The reset runs later, once, when the approval arrives.

use crate::fga::{Decision, Permission};
use crate::step_up::{
    DualControlError, SecondApprover, StepUpError, request_step_up, second_approver,
};
use crate::store::StepUpRecord;

use super::{ActionContext, ActionOutcome, Actor, denial, valid_login};

/// The user whose password to reset, or a request to name one.
pub fn reset_target(user_id: Option<&str>) -> Result<&str, ActionOutcome> {
    user_id.and_then(valid_login).ok_or_else(|| {
        ActionOutcome::reprompt(
            "Whose password? Give the user's email address, for example bob@example.com.",
        )
    })
}

/// Asks `actor` to approve resetting `target`'s password; the card and the
/// outcome appear in `conversation_id`.
pub async fn request_password_reset(
    context: &ActionContext,
    actor: &Actor,
    target: &str,
    conversation_id: &str,
) -> ActionOutcome {
    let email = &actor.session.user.email;
    let permission = Permission::ResetPassword;
    match context.fga.check(email, permission).await {
        Decision::Allowed => {}
        Decision::Denied => {
            context
                .audit
                .record("step_up.refused", email, target, "permission-denied")
                .await;
            let text = denial::explain(context, actor, permission, target).await;
            return ActionOutcome::answer(text);
        }
        Decision::Unavailable => {
            return ActionOutcome::failure(
                "Custodian could not confirm your permission with Auth0 FGA (it did not answer), so no approval request was sent. Try again shortly.",
            );
        }
    }
    let second = match second_approver(context, actor, target).await {
        Ok(second) => second,
        Err(error @ DualControlError::NotConnected(_)) => {
            return ActionOutcome::answer(error.to_string());
        }
        Err(error) => {
            context
                .audit
                .record("step_up.refused", email, target, "no-second-approval")
                .await;
            return ActionOutcome::failure(error.to_string());
        }
    };
    let requested = request_step_up(
        context,
        &actor.session,
        target,
        conversation_id,
        second.as_ref(),
    )
    .await;
    match requested {
        Ok(record) => ActionOutcome::answer(sent_text(&record, target, second.as_ref())),
        // Not a failure of a dependency (which makes Bedrock end the turn):
        // the answer, shown as a notice, says how to enrol or when to retry.
        Err(StepUpError::NotEnrolled(text) | StepUpError::Limited(text)) => {
            ActionOutcome::answer(text)
        }
        Err(error) => ActionOutcome::failure(format!("{error}, so the password was not reset.")),
    }
}

/// What the agent says once the requests are out.
fn sent_text(record: &StepUpRecord, target: &str, second: Option<&SecondApprover>) -> String {
    let minutes = ((record.expires_at - record.created_at) + 59) / 60;
    let own = format!(
        "I sent an approval request to your phone. Approve the request showing code {} to reset the password of {target}.",
        record.binding_code
    );
    let both = match (second, &record.second) {
        (Some(second), Some(approval)) => format!(
            " {target} is in {}, so {} must also approve (their phone shows code {}); nothing runs until both of you approve.",
            second.group, second.email, approval.binding_code
        ),
        _ => String::new(),
    };
    format!(
        "{own}{both} It expires in {minutes} minutes; the result will appear in this conversation."
    )
}
