//! One conversation in the sidebar: its link, and renaming it in place or
//! deleting it after a confirmation.

use std::sync::Arc;

use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{ChatState, turn};
use crate::api::{ConversationSummary, MAX_TITLE_CHARS, delete_conversation, rename_conversation};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Showing,
    Renaming,
    ConfirmingDelete,
}

#[component]
pub fn ConversationRow(conversation: ConversationSummary) -> impl IntoView {
    let state = expect_context::<ChatState>();
    // A plain value, not one owned by the row's reactive scope: the link's
    // `aria-current` follows the open conversation, and a row the list has
    // just replaced may still see that change once, after its scope is gone.
    let id: Arc<str> = conversation.id.into();
    let title = RwSignal::new(conversation.title);
    let mode = RwSignal::new(Mode::Showing);
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let current = {
        let id = id.clone();
        move || is_open(state, &id).then_some("page")
    };
    let show = move |next| {
        problem.set(None);
        mode.set(next);
    };
    let delete = {
        let id = id.clone();
        move |_| {
            busy.set(true);
            let id = id.clone();
            spawn_local(async move { delete_and_leave(state, id, problem, busy).await });
        }
    };

    view! {
        <li class="conversation-row">
            {move || match mode.get() {
                Mode::Showing => view! {
                    <a
                        href=crate::base_path::href(&format!("/c/{id}"))
                        aria-current=current.clone()
                        on:click={
                            let id = id.clone();
                            move |event| {
                                event.prevent_default();
                                turn::open(state, id.to_string(), true);
                            }
                        }
                    >
                        {move || title.get()}
                    </a>
                    <button
                        class="row-action"
                        type="button"
                        aria-label=move || format!("Rename {}", title.get())
                        on:click=move |_| show(Mode::Renaming)
                    >
                        <span aria-hidden="true">"✎"</span>
                    </button>
                    <button
                        class="row-action"
                        type="button"
                        aria-label=move || format!("Delete {}", title.get())
                        on:click=move |_| show(Mode::ConfirmingDelete)
                    >
                        <span aria-hidden="true">"✕"</span>
                    </button>
                }
                .into_any(),
                Mode::Renaming => view! { <RenameForm id=id.clone() title mode problem /> }.into_any(),
                Mode::ConfirmingDelete => view! {
                    <div class="row-confirm" role="group" aria-label="Confirm deletion">
                        <p>
                            {move || format!("Delete “{}”? Its messages and approvals go too.", title.get())}
                        </p>
                        <button class="button danger" type="button" disabled=move || busy.get() on:click=delete.clone()>
                            "Delete"
                        </button>
                        <button class="button subtle" type="button" on:click=move |_| show(Mode::Showing)>
                            "Keep"
                        </button>
                    </div>
                }
                .into_any(),
            }}
            {move || problem.get().map(|text| view! { <p class="row-problem" role="alert">{text}</p> })}
        </li>
    }
}

/// Deletes the conversation; leaves it first when it is the open one.
async fn delete_and_leave(
    state: ChatState,
    id: Arc<str>,
    problem: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
) {
    match delete_conversation(id.to_string()).await {
        Ok(()) => {
            if untrack(|| is_open(state, &id)) {
                state.start_new();
            }
            state.list_version.update(|v| *v += 1);
        }
        Err(error) => problem.set(Some(error.to_string())),
    }
    busy.set(false);
}

/// Whether `id` is the conversation on screen.
fn is_open(state: ChatState, id: &str) -> bool {
    state
        .conversation_id
        .with(|open| open.as_deref() == Some(id))
}

#[component]
fn RenameForm(
    id: Arc<str>,
    title: RwSignal<String>,
    mode: RwSignal<Mode>,
    problem: RwSignal<Option<String>>,
) -> impl IntoView {
    let state = expect_context::<ChatState>();
    let input = NodeRef::<Input>::new();
    let draft = RwSignal::new(title.get_untracked());
    // Straight into typing over the old title: the value is set here, so
    // that the selection covers it whenever the binding applies it.
    Effect::new(move |_| {
        if let Some(field) = input.get() {
            field.set_value(&draft.get_untracked());
            let _ = field.focus();
            field.select();
        }
    });
    let save = move || {
        let wanted = draft.get_untracked();
        let id = id.clone();
        spawn_local(async move {
            match rename_conversation(id.to_string(), wanted).await {
                Ok(saved) => {
                    title.set(saved);
                    problem.set(None);
                    mode.set(Mode::Showing);
                    state.list_version.update(|v| *v += 1);
                }
                Err(error) => problem.set(Some(error.to_string())),
            }
        });
    };
    view! {
        <form
            class="row-rename"
            on:submit=move |event| {
                event.prevent_default();
                save();
            }
        >
            <input
                node_ref=input
                type="text"
                aria-label="New title"
                required
                maxlength=MAX_TITLE_CHARS.to_string()
                prop:value=move || draft.get()
                on:input=move |event| draft.set(event_target_value(&event))
                on:keydown=move |event| {
                    if event.key() == "Escape" {
                        problem.set(None);
                        mode.set(Mode::Showing);
                    }
                }
            />
            <button class="button" type="submit">"Save"</button>
            <button class="button subtle" type="button" on:click=move |_| mode.set(Mode::Showing)>
                "Cancel"
            </button>
        </form>
    }
}
