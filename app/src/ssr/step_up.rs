//! Step-up records as the browser sees them.

use custodian_core::store::{Message, Role, StepUpRecord, StepUpState};
use custodian_core::time::{now_unix, now_unix_ms};
use custodian_model::MIN_CHECK_MS;

use super::role_view;
use crate::api::{AccessView, ChatMessage, SecondView, StepUpView};
use custodian_core::elevation::text as elevation_text;

pub fn step_up_view(record: &StepUpRecord) -> StepUpView {
    let now = now_unix();
    // Come back just when the next poll is allowed.
    let wait = (next_poll_at_ms(record) - now_unix_ms()).max(0) as u64;
    StepUpView {
        id: record.id.clone(),
        target: record.target.clone(),
        code: record.binding_code.clone(),
        state: record.state,
        seconds_left: (record.expires_at - now).max(0),
        check_again_ms: wait.max(MIN_CHECK_MS),
        problem: record.problem.clone(),
        outcome: record.outcome.clone(),
        outcome_html: record.outcome.as_deref().map(super::markdown::to_html),
        has_reset_link: record.sealed_reset_link.is_some(),
        access: record.elevation.as_ref().map(|elevation| AccessView {
            access: custodian_core::elevation::text::access(
                elevation.permission,
                elevation.seconds,
            ),
            approver: elevation.approver_email.clone(),
            active_until: elevation
                .active_at(now)
                .then(|| elevation.valid_until.map(elevation_text::until_label))
                .flatten(),
        }),
        second: record.second.as_ref().map(|second| SecondView {
            approver: second.approver_email.clone(),
            code: second.binding_code.clone(),
            approved: second.state == StepUpState::Approved,
        }),
        own_approved: record.approved_at_ms.is_some(),
        // Built once the card can show it, not on every pending poll.
        audit_query: record.state.is_final().then(|| {
            custodian_core::audit::trail_query(
                &record.actor_email,
                &record.target,
                record.created_at * 1000,
            )
        }),
    }
}

/// The soonest poll of a part still waiting: the requester's own request
/// until it is answered, and the second administrator's.
fn next_poll_at_ms(record: &StepUpRecord) -> i64 {
    let own = record
        .approved_at_ms
        .is_none()
        .then_some(record.next_poll_at_ms);
    let second = record
        .second
        .as_ref()
        .filter(|second| second.state == StepUpState::Pending)
        .map(|second| second.next_poll_at_ms);
    own.into_iter()
        .chain(second)
        .min()
        .unwrap_or(record.next_poll_at_ms)
}

/// A stored message; replies and notices are shown with their Markdown
/// rendered.
fn message_view(role: Role, text: String) -> ChatMessage {
    match role {
        Role::User => ChatMessage::new(role_view(&role), text),
        Role::Assistant | Role::Notice => {
            let html = super::markdown::to_html(&text);
            ChatMessage::formatted(role_view(&role), text, html)
        }
    }
}

/// Messages with each approval card placed after the reply that asked for
/// it: the first assistant message stored at or after the card's creation.
pub fn timeline(messages: Vec<Message>, mut step_ups: Vec<StepUpRecord>) -> Vec<ChatMessage> {
    step_ups.sort_by_key(|r| r.created_at);
    let mut cards = step_ups.into_iter().peekable();
    let mut out = Vec::with_capacity(messages.len());
    for message in messages {
        let (is_reply, at) = (message.role == Role::Assistant, message.at);
        out.push(message_view(message.role, message.text));
        if is_reply {
            while let Some(card) = cards.next_if(|card| at >= card.created_at) {
                out.push(ChatMessage::card(step_up_view(&card)));
            }
        }
    }
    out.extend(cards.map(|card| ChatMessage::card(step_up_view(&card))));
    out
}
