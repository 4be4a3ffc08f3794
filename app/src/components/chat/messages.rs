//! The conversation: messages, the typing indicator, status and errors.

use leptos::prelude::*;

use super::message_text::MessageText;
use super::step_up_card::StepUpCard;
use super::{ChatState, turn};
use crate::api::MessageRole;

#[component]
pub fn MessageList() -> impl IntoView {
    let state = expect_context::<ChatState>();
    let waiting = move || {
        state.streaming.get()
            && state
                .messages
                .with(|m| m.last().is_some_and(|last| last.text.is_empty()))
    };
    let follow = state.follow;
    follow.track(move || {
        state.messages.track();
        state.failure.track();
        state.status.track();
    });
    let behind = move || !follow.at_end.get() && state.messages.with(|m| !m.is_empty());
    view! {
        <section
            class="conversation"
            node_ref=follow.scroller
            aria-busy=move || state.streaming.get().to_string()
            on:scroll=move |_| follow.scrolled()
        >
            <Show when=move || state.messages.with(Vec::is_empty) && state.failure.get().is_none()>
                <Welcome />
            </Show>
            <ol class="messages" aria-label="Messages">
                // Keyed, so that appending a message leaves the others (and
                // the approval cards' polling) alone.
                <For
                    each=move || {
                        state
                            .messages
                            .get()
                            .into_iter()
                            .enumerate()
                            .filter(|(_, m)| !(m.role == MessageRole::Assistant && m.text.is_empty()))
                            .collect::<Vec<_>>()
                    }
                    key=|(index, message)| {
                        (
                            *index,
                            message.text.clone(),
                            message.formatted.as_ref().map(|f| f.covers),
                            message.step_up.as_ref().map(|s| s.id.clone()),
                        )
                    }
                    let((_, message))
                >
                    {
                        let role = message.role.as_str();
                        match message.step_up {
                            Some(step_up) => {
                                view! {
                                    <li class="message stepup" data-role=role>
                                        <StepUpCard view=step_up />
                                    </li>
                                }
                                    .into_any()
                            }
                            None => {
                                let connect = super::okta::is_not_connected(&message);
                                let denied = super::access_request::denied_in(&message);
                                view! {
                                    <li class=format!("message {role}") data-role=role>
                                        <span class="visually-hidden">
                                            {match message.role {
                                                MessageRole::User => "You said: ",
                                                MessageRole::Assistant => "Custodian said: ",
                                                MessageRole::Notice => "Notice: ",
                                                MessageRole::StepUp => "",
                                            }}
                                        </span>
                                        <MessageText message />
                                        {connect.then(|| view! { <super::okta::ConnectButton /> })}
                                        {denied
                                            .map(|relation| {
                                                view! { <super::access_request::RequestAccess relation /> }
                                            })}
                                    </li>
                                }
                                    .into_any()
                            }
                        }
                    }
                </For>
            </ol>
            <Show when=waiting>
                <div class="typing" data-testid="typing" role="status">
                    <span class="visually-hidden">"Custodian is typing"</span>
                    <span class="dot" aria-hidden="true"></span>
                    <span class="dot" aria-hidden="true"></span>
                    <span class="dot" aria-hidden="true"></span>
                </div>
            </Show>
            {move || {
                state
                    .status
                    .get()
                    .filter(|_| state.streaming.get())
                    .map(|label| view! { <p class="chip" role="status">{label}</p> })
            }}
            {move || {
                state
                    .failure
                    .get()
                    .map(|failure| {
                        let retry = failure.text.clone();
                        view! {
                            <div class="error" role="alert">
                                <p>{failure.message}</p>
                                {(!retry.is_empty()).then(|| view! {
                                    <button
                                        class="button"
                                        on:click=move |_| turn::send(state, retry.clone())
                                    >
                                        "Retry"
                                    </button>
                                })}
                            </div>
                        }
                    })
            }}
            <Show when=behind>
                <button class="button jump-latest" type="button" on:click=move |_| follow.jump()>
                    "Jump to latest"
                </button>
            </Show>
            // Only the newest complete reply is read out, not the whole list.
            <p class="visually-hidden" aria-live="polite">
                {move || state.announcement.get()}
            </p>
        </section>
    }
}

/// What the empty chat offers to ask.
const SUGGESTIONS: [&str; 2] = [
    "What are the Okta groups for user bob@example.com?",
    "Reset the password for bob@example.com",
];

#[component]
fn Welcome() -> impl IntoView {
    let state = expect_context::<ChatState>();
    view! {
        <div class="welcome">
            <h2>"How can I help?"</h2>
            <p id="suggestions">"Try one of these:"</p>
            <ul aria-labelledby="suggestions">
                {SUGGESTIONS
                    .map(|text| {
                        // Before the page is live, a plain submit of the
                        // composer's form with this message.
                        view! {
                            <li>
                                <button
                                    class="suggestion"
                                    type="submit"
                                    form=super::composer::FORM_ID
                                    formnovalidate
                                    name="suggestion"
                                    value=text
                                    on:click=move |event| {
                                        event.prevent_default();
                                        turn::send(state, text.to_owned());
                                    }
                                >
                                    {text}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}
