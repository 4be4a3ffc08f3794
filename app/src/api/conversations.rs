//! The signed-in user's stored conversations.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AppError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationSummary {
    pub id: String,
    pub title: String,
    pub updated_at: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MessageRole {
    User,
    Assistant,
    Notice,
    /// A step-up approval card (its `step_up` is set).
    StepUp,
}

impl MessageRole {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageRole::User => "user",
            MessageRole::Assistant => "assistant",
            MessageRole::Notice => "notice",
            MessageRole::StepUp => "stepup",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    pub role: MessageRole,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_up: Option<super::StepUpView>,
}

impl ChatMessage {
    pub fn new(role: MessageRole, text: String) -> Self {
        Self {
            role,
            text,
            step_up: None,
        }
    }

    pub fn card(step_up: super::StepUpView) -> Self {
        Self {
            role: MessageRole::StepUp,
            text: String::new(),
            step_up: Some(step_up),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationView {
    pub id: String,
    pub title: String,
    pub messages: Vec<ChatMessage>,
}

#[server(prefix = "/api", endpoint = "list_conversations")]
pub async fn list_conversations() -> Result<Vec<ConversationSummary>, AppError> {
    let session = crate::ssr::require_session().await?;
    let state = crate::ssr::state()?;
    let summaries = state
        .store
        .list_conversations(&session.user.sub)
        .await
        .map_err(crate::ssr::store_error)?;
    Ok(summaries
        .into_iter()
        .map(|s| ConversationSummary {
            id: s.id,
            title: s.title,
            updated_at: s.updated_at,
        })
        .collect())
}

#[server(prefix = "/api", endpoint = "load_conversation")]
pub async fn load_conversation(id: String) -> Result<ConversationView, AppError> {
    let session = crate::ssr::require_session().await?;
    let state = crate::ssr::state()?;
    let conversation = state
        .store
        .get_conversation(&session.user.sub, &id)
        .await
        .map_err(crate::ssr::store_error)?
        .ok_or(AppError::NotFound)?;
    let step_ups = state
        .store
        .list_step_ups(&session.user.sub, &id)
        .await
        .map_err(crate::ssr::store_error)?;
    Ok(ConversationView {
        id: conversation.id,
        title: conversation.title,
        messages: crate::ssr::timeline(conversation.messages, step_ups),
    })
}
