//! The vendors' SDKs against the sandbox: `@openfga/sdk` against the FGA
//! stand-in, `auth0` and `@auth0/ai` against the Auth0 stand-in
//! (`conformance/sdks`, `node --test`). The Auth0 SDKs only speak https to
//! `https://{domain}`, so the sandbox announces an https issuer and the
//! tests put a TLS front on that port which forwards to the sandbox.

use std::process::Command;

use anyhow::{Context, Result};

use crate::process;
use crate::services::{Logs, Ports, Stack};
use crate::workspace::Workspace;

/// The sandbox's own port, the TLS front's, and a BFF port that only
/// shapes the settings (its redirect URI); no BFF runs.
const PORTS: Ports = Ports {
    bff: 3210,
    sandbox: 3211,
};
const TLS_FRONT_PORT: u16 = 3212;

/// Runs the conformance tests against a fresh debug sandbox.
pub fn run(ws: &Workspace, profile: &str) -> Result<()> {
    let data_dir = tempfile::Builder::new()
        .prefix("custodian-sdks-")
        .tempdir()
        .context("creating a data directory")?;
    let work_dir = ws.state_dir("sdk-conformance");
    let auth0_domain = format!("localhost:{TLS_FRONT_PORT}");
    let mut running = Stack {
        ws,
        ports: PORTS,
        data_dir: data_dir.path(),
        work_dir: work_dir.clone(),
        bff_profile: profile,
        sandbox_profile: profile,
        logs: Logs::Files,
    }
    .start_sandbox(&format!("https://{auth0_domain}"))?;
    let outcome = process::run(
        Command::new("node")
            .arg("--test")
            .current_dir(ws.path("conformance/sdks"))
            .env("SANDBOX_URL", PORTS.sandbox_url())
            .env("SANDBOX_CONFIG", work_dir.join("config.json"))
            .env("AUTH0_DOMAIN", &auth0_domain),
    )
    .and_then(|()| running.ensure_alive());
    if outcome.is_err() {
        eprintln!("{}", running.log_tails(40));
    }
    running.stop();
    outcome
}
