//! Searching a user's conversations by title and text, newest first and a
//! page at a time, the same way on every backend: the owner's listing is
//! read in order and each conversation is matched here. A user keeps at
//! most `limits.conversations_per_user` conversations (100 by default), so
//! a search reads a bounded amount, and only ever the asker's own.

use futures::future::try_join_all;

use super::{
    ConversationCursor, ConversationList, ConversationPage, ConversationSummary, Store, StoreResult,
};

/// Conversations whose text is read side by side.
const BATCH: u32 = 10;

/// Matching ignores case, whatever the script.
pub struct SearchQuery(String);

impl SearchQuery {
    /// `None` for a query of only spaces.
    pub fn new(query: &str) -> Option<Self> {
        let folded = query.trim().to_lowercase();
        (!folded.is_empty()).then_some(Self(folded))
    }

    fn finds(&self, text: &str) -> bool {
        text.to_lowercase().contains(&self.0)
    }
}

/// One page of the owner's conversations whose title or any message
/// contains `query`, newest first; `next` continues after the last one
/// looked at.
pub async fn search_conversations(
    store: &dyn Store,
    owner: &str,
    query: &SearchQuery,
    page: &ConversationPage,
) -> StoreResult<ConversationList> {
    let wanted = page.limit.max(1) as usize;
    let mut found = Vec::new();
    let mut after = page.after.clone();
    loop {
        let batch = store
            .list_conversations(
                owner,
                &ConversationPage {
                    limit: BATCH,
                    after: after.clone(),
                },
            )
            .await?;
        let matches = try_join_all(
            batch
                .conversations
                .iter()
                .map(|summary| matches(store, owner, query, summary)),
        )
        .await?;
        let last = batch.conversations.len().saturating_sub(1);
        let more = batch.next.is_some();
        for (index, (summary, matched)) in batch.conversations.into_iter().zip(matches).enumerate()
        {
            after = Some(ConversationCursor::after(&summary));
            if matched {
                found.push(summary);
                if found.len() == wanted {
                    let rest = more || index < last;
                    return Ok(ConversationList {
                        conversations: found,
                        next: after.filter(|_| rest),
                    });
                }
            }
        }
        if !more {
            return Ok(ConversationList {
                conversations: found,
                next: None,
            });
        }
    }
}

async fn matches(
    store: &dyn Store,
    owner: &str,
    query: &SearchQuery,
    summary: &ConversationSummary,
) -> StoreResult<bool> {
    if query.finds(&summary.title) {
        return Ok(true);
    }
    // Deleted meanwhile: nothing to find.
    let Some(conversation) = store.get_conversation(owner, &summary.id).await? else {
        return Ok(false);
    };
    Ok(conversation.messages.iter().any(|m| query.finds(&m.text)))
}

#[cfg(test)]
mod tests {
    use super::SearchQuery;

    #[test]
    fn queries_ignore_case_in_any_script_and_surrounding_spaces() {
        let query = SearchQuery::new("  ÉQUIPE Okta ").unwrap();
        assert!(query.finds("Groupes de l'équipe okta"));
        assert!(!query.finds("equipe okta"));
        assert!(SearchQuery::new("   ").is_none());
    }
}
