//! The conversation: messages, the typing indicator, status and errors.

use leptos::prelude::*;

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
    view! {
        <section class="conversation" aria-live="polite" aria-busy=move || state.streaming.get().to_string()>
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
                        (*index, message.text.clone(), message.step_up.as_ref().map(|s| s.id.clone()))
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
                                        <p class="message-text">{message.text}</p>
                                        <Show when=move || connect>
                                            <super::okta::ConnectButton />
                                        </Show>
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
                                <Show when={
                                    let retry = retry.clone();
                                    move || !retry.is_empty()
                                }>
                                    <button
                                        class="button"
                                        on:click={
                                            let retry = retry.clone();
                                            move |_| turn::send(state, retry.clone())
                                        }
                                    >
                                        "Retry"
                                    </button>
                                </Show>
                            </div>
                        }
                    })
            }}
        </section>
    }
}

#[component]
fn Welcome() -> impl IntoView {
    view! {
        <div class="welcome">
            <h2>"How can I help?"</h2>
            <p>"Try one of these:"</p>
            <ul>
                <li>"What are the Okta groups for user bob@example.com?"</li>
                <li>"Reset the password for bob@example.com"</li>
            </ul>
        </div>
    }
}
