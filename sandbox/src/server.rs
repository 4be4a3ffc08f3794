//! Serving the sandbox on a listener, and stopping it again.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::SandboxConfig;
use crate::state::{SandboxState, normalize_public_url};

/// How long `shutdown` lets in-flight responses finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// A sandbox serving in the background. Dropping it stops the server.
pub struct RunningSandbox {
    pub addr: SocketAddr,
    /// The public URL (issuer base) without a trailing slash.
    pub base_url: String,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RunningSandbox {
    /// Stops accepting connections and waits briefly for open responses.
    pub async fn shutdown(mut self) {
        self.stop.take();
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(SHUTDOWN_GRACE, &mut task)
                .await
                .is_err()
        {
            task.abort();
        }
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// Serves the sandbox on an already-bound listener.
///
/// `public_url` is the URL the BFF and browser use for it (the issuer base);
/// `None` means `http://{listener address}`.
pub async fn spawn(
    listener: TcpListener,
    public_url: Option<String>,
    config: SandboxConfig,
) -> anyhow::Result<RunningSandbox> {
    let addr = listener
        .local_addr()
        .context("reading the listener address")?;
    let base_url = normalize_public_url(&public_url.unwrap_or_else(|| format!("http://{addr}")))?;
    let state_url = base_url.clone();
    let state = tokio::task::spawn_blocking(move || SandboxState::new(config, &state_url))
        .await
        .context("building the sandbox state")??;
    let (stop, stopped) = oneshot::channel::<()>();
    let server = axum::serve(listener, crate::router(state)).with_graceful_shutdown(async {
        // Resolves on an explicit stop and when the sender is dropped.
        let _ = stopped.await;
    });
    let task = tokio::spawn(async move {
        if let Err(err) = server.await {
            tracing::error!(error = %err, "the sandbox server failed");
        }
    });
    tracing::info!(%addr, base_url, "sandbox listening");
    Ok(RunningSandbox {
        addr,
        base_url,
        stop: Some(stop),
        task: Some(task),
    })
}
