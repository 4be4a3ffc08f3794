//! A denial notice's way forward: "Request access for 1 hour" (one button
//! per offered duration) asks one of the permission's approvers on their
//! phone. A plain form post, so it works before the page is live; the
//! conversation then shows the request's card.

use leptos::prelude::*;

use super::ChatState;
use crate::api::{AccessChoice, ChatMessage, MessageRole, denied_relation};

/// The durations the settings offer, handed down from the viewer.
#[derive(Clone)]
pub struct AccessChoices(pub Vec<AccessChoice>);

/// The relation a denial notice names, if it is one.
pub fn denied_in(message: &ChatMessage) -> Option<String> {
    (message.role == MessageRole::Notice)
        .then(|| denied_relation(&message.text))
        .flatten()
        .map(str::to_owned)
}

#[component]
pub fn RequestAccess(relation: String) -> impl IntoView {
    let chat = expect_context::<ChatState>();
    let AccessChoices(choices) = expect_context::<AccessChoices>();
    view! {
        <form
            class="access-request"
            method="post"
            action=crate::base_path::href("/access/request")
        >
            <input
                type="hidden"
                name="conversation_id"
                value=move || chat.conversation_id.get().unwrap_or_default()
            />
            <input type="hidden" name="relation" value=relation />
            {choices
                .into_iter()
                .map(|choice| {
                    view! {
                        <button class="button" type="submit" name="seconds" value=choice.seconds.to_string()>
                            {format!("Request access for {}", choice.label)}
                        </button>
                    }
                })
                .collect_view()}
        </form>
    }
}
