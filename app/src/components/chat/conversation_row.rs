//! One conversation in the sidebar: its link, and renaming it in place or
//! deleting it after a confirmation.

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
    let id = StoredValue::new(conversation.id);
    let title = RwSignal::new(conversation.title);
    let mode = RwSignal::new(Mode::Showing);
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let current = move || {
        (state.conversation_id.get().as_deref() == Some(id.read_value().as_str())).then_some("page")
    };
    let show = move |next| {
        problem.set(None);
        mode.set(next);
    };
    let delete = move |_| {
        busy.set(true);
        spawn_local(async move {
            match delete_conversation(id.get_value()).await {
                Ok(()) => {
                    let was_open = state
                        .conversation_id
                        .with_untracked(|open| open.as_deref() == Some(id.read_value().as_str()));
                    if was_open {
                        state.start_new();
                    }
                    state.list_version.update(|v| *v += 1);
                }
                Err(error) => problem.set(Some(error.to_string())),
            }
            busy.set(false);
        });
    };

    view! {
        <li class="conversation-row">
            {move || match mode.get() {
                Mode::Showing => view! {
                    <a
                        href=crate::base_path::href(&format!("/c/{}", id.read_value()))
                        aria-current=current
                        on:click=move |event| {
                            event.prevent_default();
                            turn::open(state, id.get_value(), true);
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
                Mode::Renaming => view! { <RenameForm id title mode problem /> }.into_any(),
                Mode::ConfirmingDelete => view! {
                    <div class="row-confirm" role="group" aria-label="Confirm deletion">
                        <p>
                            {move || format!("Delete “{}”? Its messages and approvals go too.", title.get())}
                        </p>
                        <button class="button danger" type="button" disabled=move || busy.get() on:click=delete>
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

#[component]
fn RenameForm(
    id: StoredValue<String>,
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
        spawn_local(async move {
            match rename_conversation(id.get_value(), wanted).await {
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
