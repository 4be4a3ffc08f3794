//! Chat turns per user: each turn is a paid model call, so one account
//! (or a script holding its session) cannot run up the bill.

use super::window::{MINUTE, Window};
use super::wording::{count, refusal};
use super::{LimitError, Limits};
use crate::store::{SessionRecord, Store};

impl Limits {
    /// Counts one chat turn of `session`'s user; refused over the limit.
    pub async fn admit_chat_turn(
        &self,
        store: &dyn Store,
        session: &SessionRecord,
        now: i64,
    ) -> Result<(), LimitError> {
        let max = self.settings.chat_turns_per_minute;
        let window = Window {
            kind: "turns",
            max,
            seconds: MINUTE,
        };
        let Err(retry_after) = window.hit(store, &session.user.sub, now).await? else {
            return Ok(());
        };
        self.audit
            .record("chat.throttled", &session.user.email, "-", "rate-limited")
            .await;
        let what = format!(
            "You can send {} a minute, so this one was not sent to the assistant.",
            count(max, "message", "messages")
        );
        Err(LimitError::Refused(refusal(&what, retry_after)))
    }
}
