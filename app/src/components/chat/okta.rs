//! Connecting and disconnecting the administrator's Okta account: the
//! notice's "Connect your Okta account" button, the session panel's status,
//! and asking the pending question again once the connection is made.

use leptos::prelude::*;

use super::{ChatState, history, turn};
use crate::api::{
    CONNECT_PATH, ChatMessage, DISCONNECT_PATH, MessageRole, NOT_CONNECTED_MARKER, okta_connection,
};

/// Whether a notice says that Okta is not connected.
pub fn is_not_connected(message: &ChatMessage) -> bool {
    message.role == MessageRole::Notice && message.text.starts_with(NOT_CONNECTED_MARKER)
}

/// The page to come back to: the open conversation.
fn return_path(state: ChatState) -> String {
    match state.conversation_id.get() {
        Some(id) => format!("/c/{id}"),
        None => "/".to_owned(),
    }
}

/// A plain form post: the flow leaves the page for Auth0 and comes back.
#[component]
pub fn ConnectButton() -> impl IntoView {
    let state = expect_context::<ChatState>();
    view! {
        <form class="connect-okta" method="post" action=crate::base_path::href(CONNECT_PATH)>
            <input type="hidden" name="return_to" value=move || return_path(state) />
            <button class="button primary" type="submit">
                "Connect your Okta account"
            </button>
        </form>
    }
}

/// The session panel's line about Okta, asked for once the page runs in the
/// browser (it asks Auth0, which page renders should not wait for); the
/// server renders "Checking…", and so does the browser until the answer.
#[component]
pub fn OktaStatus() -> impl IntoView {
    let state = expect_context::<ChatState>();
    let status = RwSignal::new(None::<Result<bool, crate::api::AppError>>);
    Effect::new(move |_| {
        leptos::task::spawn_local(async move { status.set(Some(okta_connection().await)) });
    });
    view! {
        <dt>"Okta account"</dt>
        <dd data-testid="okta-status">
            {move || match status.get() {
                None => view! { <span>"Checking…"</span> }.into_any(),
                Some(Ok(true)) => view! {
                    <span>"Connected"</span>
                    <form method="post" action=crate::base_path::href(DISCONNECT_PATH)>
                        <input type="hidden" name="return_to" value=move || return_path(state) />
                        <button class="button subtle" type="submit">"Disconnect Okta"</button>
                    </form>
                }.into_any(),
                Some(Ok(false)) => view! { <span>"Not connected"</span> <ConnectButton /> }.into_any(),
                Some(Err(error)) => view! { <span>{error.to_string()}</span> }.into_any(),
            }}
        </dd>
    }
}

/// After the connect flow returned (`?okta=connected`), asks the question
/// that was waiting for Okta again, once: the flag leaves the address first.
pub fn resume_after_connect(state: ChatState) {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let search = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default();
        let (key, value) = crate::api::CONNECTED_FLAG;
        let flagged = search
            .trim_start_matches('?')
            .split('&')
            .any(|pair| pair == format!("{key}={value}"));
        if !flagged {
            return;
        }
        let open = state.conversation_id.get_untracked();
        history::replace(&open.map_or_else(|| "/".to_owned(), |id| format!("/c/{id}")));
        if let Some(question) = state.messages.with_untracked(|m| pending_question(m)) {
            turn::send(state, question);
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (state, history::replace, turn::send);
}

/// The user's message just before the last "not connected" notice.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub fn pending_question(messages: &[ChatMessage]) -> Option<String> {
    let notice = messages.iter().rposition(is_not_connected)?;
    messages[..notice]
        .iter()
        .rev()
        .find(|m| m.role == MessageRole::User)
        .map(|m| m.text.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(role: MessageRole, text: &str) -> ChatMessage {
        ChatMessage::new(role, text.to_owned())
    }

    #[test]
    fn the_pending_question_is_the_one_okta_stopped() {
        let notice = format!("{NOT_CONNECTED_MARKER} Custodian did not read …");
        let messages = vec![
            message(MessageRole::User, "older question"),
            message(MessageRole::Assistant, "older answer"),
            message(MessageRole::User, "groups of bob?"),
            message(MessageRole::Notice, &notice),
            message(MessageRole::Assistant, &notice),
        ];
        assert_eq!(
            pending_question(&messages).as_deref(),
            Some("groups of bob?")
        );
        assert_eq!(pending_question(&messages[..3]), None);
        let denial = message(MessageRole::Notice, "Permission denied: …");
        assert!(!is_not_connected(&denial));
    }
}
