//! Sign-in starts per client address: a burst from one address (a script
//! walking through accounts, or hammering Auth0 through Custodian) is
//! throttled while other addresses still sign in.

use super::window::{MINUTE, Window};
use super::wording::{count, refusal};
use super::{ClientAddress, LimitError, Limits};
use crate::ids::store_key;
use crate::store::Store;

impl Limits {
    /// Counts one sign-in start from `client`; refused over the limit.
    pub async fn admit_sign_in(
        &self,
        store: &dyn Store,
        client: ClientAddress,
        now: i64,
    ) -> Result<(), LimitError> {
        let max = self.settings.sign_ins_per_minute;
        let window = Window {
            kind: "sign-ins",
            max,
            seconds: MINUTE,
        };
        let subject = client.subject();
        let Err(retry_after) = window.hit(store, &subject, now).await? else {
            return Ok(());
        };
        // Who is unknown until they sign in; the address only as a digest.
        let client = store_key(&subject);
        self.audit
            .record("sign_in.throttled", "-", &client[..16], "rate-limited")
            .await;
        let what = format!(
            "More than {} were started from your network in the last minute, so this one was not.",
            count(max, "sign-in", "sign-ins")
        );
        Err(LimitError::Refused(refusal(&what, retry_after)))
    }
}
