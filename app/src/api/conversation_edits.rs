//! Renaming and deleting the signed-in user's conversations.

use leptos::prelude::*;

use super::AppError;
use super::json::BrowserJson;

/// Titles longer than this are refused.
pub const MAX_TITLE_CHARS: usize = 120;

/// The title to store, trimmed; refused when empty or too long.
pub fn checked_title(title: &str) -> Result<String, AppError> {
    super::error::trimmed_within(
        title,
        MAX_TITLE_CHARS,
        "Give the conversation a title.",
        "Titles",
    )
}

#[server(prefix = "/api", endpoint = "rename_conversation", output = BrowserJson)]
pub async fn rename_conversation(id: String, title: String) -> Result<String, AppError> {
    let session = crate::ssr::require_session().await?;
    let state = crate::ssr::state()?;
    let title = checked_title(&title)?;
    let renamed = state
        .store
        .rename_conversation(&session.user.sub, &id, &title)
        .await
        .map_err(crate::ssr::store_error)?;
    if !renamed {
        return Err(AppError::NotFound);
    }
    Ok(title)
}

/// Deletes a conversation with its messages and approval cards. A card
/// still waiting on the phone is cancelled first, so an approval given
/// after this changes nothing.
#[server(prefix = "/api", endpoint = "delete_conversation", output = BrowserJson)]
pub async fn delete_conversation(id: String) -> Result<(), AppError> {
    use custodian_model::StepUpState;

    let session = crate::ssr::require_session().await?;
    let state = crate::ssr::state()?;
    let owner = &session.user.sub;
    let step_ups = state
        .store
        .list_step_ups(owner, &id)
        .await
        .map_err(crate::ssr::store_error)?;
    for pending in step_ups.iter().filter(|s| s.state == StepUpState::Pending) {
        state
            .step_ups
            .cancel(owner, &pending.id)
            .await
            .map_err(crate::ssr::store_error)?;
    }
    let deleted = state
        .store
        .delete_conversation(owner, &id)
        .await
        .map_err(crate::ssr::store_error)?;
    if !deleted {
        return Err(AppError::NotFound);
    }
    state
        .audit
        .record("conversation.deleted", &session.user.email, &id, "deleted")
        .await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_trimmed_and_must_fit() {
        assert_eq!(checked_title("  Okta audit ").unwrap(), "Okta audit");
        assert!(matches!(checked_title("   "), Err(AppError::Invalid(_))));
        assert!(checked_title(&"é".repeat(MAX_TITLE_CHARS)).is_ok());
        assert!(matches!(
            checked_title(&"é".repeat(MAX_TITLE_CHARS + 1)),
            Err(AppError::Invalid(_))
        ));
    }
}
