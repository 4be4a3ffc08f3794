//! Reading the sealing keys again. Instances start at different times, so
//! after a rotation an older warm instance meets records sealed with a key
//! it has never seen; rather than signing those users out it reads the
//! secret again, at most once per [`INTERVAL`] so a flood of bad records
//! cannot turn into a flood of Secrets Manager calls.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use aws_sdk_secretsmanager::Client;

use super::Sealer;
use super::secrets_manager::load_sealer;

pub const INTERVAL: Duration = Duration::from_secs(30);

pub struct KeyReload {
    client: Client,
    secret_id: String,
    last: Mutex<Option<Instant>>,
}

impl KeyReload {
    /// The first reload may come at once: the rotation may have happened
    /// just after this instance read the keys.
    pub fn new(client: Client, secret_id: String) -> Self {
        Self {
            client,
            secret_id,
            last: Mutex::new(None),
        }
    }

    /// The key set read again, unless a read happened within the interval
    /// or it failed (then the keys in hand stay, and the record stays shut).
    pub async fn read_if_due(&self) -> Option<Sealer> {
        {
            let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
            if last.is_some_and(|at| at.elapsed() < INTERVAL) {
                return None;
            }
            *last = Some(Instant::now());
        }
        match load_sealer(&self.client, &self.secret_id).await {
            Ok(fresh) => {
                tracing::info!("sealing keys read again after a record needed an unknown key");
                Some(fresh)
            }
            Err(error) => {
                tracing::warn!(%error, "reading the sealing keys again failed");
                None
            }
        }
    }
}
