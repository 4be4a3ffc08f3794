//! The chat screen: sidebar, messages, composer, and the state they share.

mod access_request;
mod composer;
mod conversation_list;
mod conversation_row;
mod conversation_search;
mod follow;
mod history;
mod listing;

pub use history::conversation_in;
mod message_text;
mod messages;
mod okta;
mod sessions;
mod shortcuts;
mod sidebar;
mod step_up_card;
mod temporary_access;
mod turn;

use leptos::prelude::*;

use crate::api::{ChatMessage, ConversationView, SignedInPage, list_conversations};
use composer::Composer;
use messages::MessageList;
use sidebar::Sidebar;

/// A reply that failed, with the text that was sent so it can be retried.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    pub message: String,
    pub text: String,
}

/// Signals shared by the chat's parts.
#[derive(Clone, Copy)]
pub struct ChatState {
    pub conversation_id: RwSignal<Option<String>>,
    pub messages: RwSignal<Vec<ChatMessage>>,
    pub streaming: RwSignal<bool>,
    pub status: RwSignal<Option<String>>,
    pub failure: RwSignal<Option<Failure>>,
    pub draft: RwSignal<String>,
    pub drawer_open: RwSignal<bool>,
    /// Bumped whenever the conversation list may have changed.
    pub list_version: RwSignal<u32>,
    /// The last complete reply, for screen readers.
    pub announcement: RwSignal<String>,
    /// Whether the page is live (hydrated); until then the composer and
    /// the suggestions are plain forms.
    pub live: RwSignal<bool>,
    pub follow: follow::Follow,
}

impl ChatState {
    fn new(conversation: Option<ConversationView>) -> Self {
        let (id, messages) = match conversation {
            Some(c) => (Some(c.id), c.messages),
            None => (None, Vec::new()),
        };
        Self {
            conversation_id: RwSignal::new(id),
            messages: RwSignal::new(messages),
            streaming: RwSignal::new(false),
            status: RwSignal::new(None),
            failure: RwSignal::new(None),
            draft: RwSignal::new(composer::typed_before_live()),
            drawer_open: RwSignal::new(false),
            list_version: RwSignal::new(0),
            announcement: RwSignal::new(String::new()),
            live: RwSignal::new(false),
            follow: follow::Follow::default(),
        }
    }

    fn toggle_drawer(&self) {
        self.drawer_open.update(|open| *open = !*open);
    }

    /// Shows an empty conversation.
    pub fn start_new(&self) {
        self.conversation_id.set(None);
        self.messages.set(Vec::new());
        self.failure.set(None);
        self.announcement.set(String::new());
        self.drawer_open.set(false);
        history::push("/");
    }
}

#[component]
pub fn ChatLayout(page: SignedInPage) -> impl IntoView {
    let SignedInPage {
        viewer,
        conversations,
        conversation,
    } = page;
    let state = ChatState::new(conversation);
    provide_context(state);
    provide_context(access_request::AccessChoices(viewer.access_choices.clone()));
    // Effects run only in the browser, once the page is live.
    Effect::new(move |_| {
        state.live.set(true);
        if history::take_drawer_target() {
            state.drawer_open.set(true);
        }
    });
    let conversations = listing::kept_current(state, Some(Ok(conversations)), || {
        list_conversations(None, None)
    });
    history::follow_back_and_forward(state);
    shortcuts::listen(state);
    okta::resume_after_connect(state);

    view! {
        <div class="chat-app" class:drawer-open=move || state.drawer_open.get()>
            <Sidebar viewer conversations />
            <div
                class="scrim"
                aria-hidden="true"
                on:click=move |_| state.drawer_open.set(false)
            ></div>
            <main class="chat-main">
                <header class="top-bar">
                // A link to the drawer until the page is live (the
                // stylesheet opens its target), a button after.
                <a
                    class="icon-button drawer-toggle"
                    href="#conversations"
                    role="button"
                    aria-label="Open conversations"
                    aria-controls="conversations"
                    aria-expanded=move || state.drawer_open.get().to_string()
                    on:click=move |event| {
                        event.prevent_default();
                        state.toggle_drawer();
                    }
                    on:keydown=move |event| {
                        if event.key() == " " {
                            event.prevent_default();
                            state.toggle_drawer();
                        }
                    }
                >
                    <span aria-hidden="true">"☰"</span>
                </a>
                    <h1 class="top-title">"Custodian"</h1>
                </header>
                <MessageList />
                <Composer />
            </main>
        </div>
    }
}
