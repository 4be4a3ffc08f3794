//! What the browser and the server exchange: view types, the error type and
//! the server functions, each next to the data it serves.

mod access;
mod chat;
mod conversation_edits;
mod conversation_search;
mod conversations;
mod error;
mod json;
mod okta;
mod page;
mod sessions;
mod step_up;
mod viewer;

pub use access::{END_ACCESS_PATH, HeldAccess, TemporaryAccess, temporary_access};
pub use chat::{
    ChatEvent, MAX_MESSAGE_CHARS, SendMessage, checked_message, drain_events, send_message,
};
pub use conversation_edits::{
    DeleteConversation, MAX_TITLE_CHARS, RenameConversation, checked_title, delete_conversation,
    rename_conversation,
};
pub use conversation_search::{MAX_QUERY_CHARS, SearchConversations, search_conversations};
pub use conversations::{
    ChatMessage, ConversationListing, ConversationSummary, ConversationView, DEFAULT_PAGE_SIZE,
    Formatted, ListConversations, LoadConversation, MAX_PAGE_SIZE, MessageRole, list_conversations,
    load_conversation, page_size,
};
#[cfg(feature = "ssr")]
pub use conversations::{read_conversation, read_listing};
pub use custodian_model::denied_relation;
pub use error::AppError;
pub use json::{BrowserJson, from_json};
pub use okta::{
    CONNECT_PATH, CONNECTED_FLAG, DISCONNECT_PATH, NOT_CONNECTED_MARKER, OktaConnection,
    okta_connection,
};
pub use page::{PAGE_DATA_ID, PageContent, SignedInPage, page_content, page_content_json};
pub use sessions::{
    ListSessions, SessionSummary, SignOutOtherSessions, SignOutSession, list_sessions,
    sign_out_other_sessions, sign_out_session,
};
pub use step_up::{
    AccessView, CancelStepUp, MIN_CHECK_MS, RevealResetLink, SecondView, StepUpState, StepUpStatus,
    StepUpView, cancel_step_up, reveal_reset_link, state_label, step_up_status,
};
#[cfg(feature = "ssr")]
pub use viewer::viewer_of;
pub use viewer::{AccessChoice, CurrentViewer, SessionInfo, Viewer, current_viewer};
