//! Outbound HTTP: the client every outside-service client uses, and a count of the
//! requests they make (benchmarks report calls per action).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// A client with a whole-request timeout that never follows redirects (a
/// redirect from a token or API endpoint is never legitimate here).
pub fn client(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(3)))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("the TLS backend initialises")
}

/// Requests sent to outside services, shared by the clients of one process.
#[derive(Clone, Debug, Default)]
pub struct CallCounter(Arc<AtomicU64>);

impl CallCounter {
    pub fn record(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    pub fn total(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}
