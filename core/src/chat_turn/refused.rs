//! A turn over the user's limit: no agent is asked. The question is kept
//! with a notice saying when to try again, so the conversation reads the
//! same after a reload as it did live.

use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use super::{Question, TurnError, TurnEvent, record_question};
use crate::store::{Message, Role, Store};
use crate::time::now_unix;

/// Stores `question` and `notice`, and returns the turn's whole events.
pub(super) async fn turn(
    store: &dyn Store,
    question: Question<'_>,
    notice: String,
) -> Result<ReceiverStream<TurnEvent>, TurnError> {
    let (owner, id, title) = (
        question.owner.to_owned(),
        question.id.to_owned(),
        question.title.to_owned(),
    );
    record_question(store, question).await?;
    let message = Message {
        role: Role::Notice,
        text: notice.clone(),
        at: now_unix(),
    };
    store.append_message(&owner, &id, &message).await?;
    let events = [
        TurnEvent::Started {
            conversation_id: id,
            title,
        },
        TurnEvent::Notice(notice),
        TurnEvent::Done,
    ];
    let (sender, receiver) = mpsc::channel(events.len());
    for event in events {
        // The channel holds them all; the listener reads them at its pace.
        let _ = sender.try_send(event);
    }
    Ok(ReceiverStream::new(receiver))
}
