//! Okta's own Node SDK (`@okta/okta-sdk-nodejs`) against the sandbox's Okta
//! stand-in (`conformance/okta`, `node --test`). The tests sign in at the
//! Auth0 stand-in and take an Okta token from its Token Vault exchange, as
//! Custodian does, so they need the sandbox alone.

use std::process::Command;

use anyhow::{Context, Result};

use crate::process;
use crate::services::{Logs, Ports, Stack};
use crate::workspace::Workspace;

/// The sandbox's port, and a BFF port that only shapes the settings (its
/// redirect URI); no BFF runs.
const PORTS: Ports = Ports {
    bff: 3220,
    sandbox: 3221,
};

/// Runs the Okta conformance tests against a fresh debug sandbox.
pub fn run(ws: &Workspace, profile: &str) -> Result<()> {
    let data_dir = tempfile::Builder::new()
        .prefix("custodian-okta-sdk-")
        .tempdir()
        .context("creating a data directory")?;
    let work_dir = ws.state_dir("okta-conformance");
    let mut running = Stack {
        ws,
        ports: PORTS,
        data_dir: data_dir.path(),
        work_dir: work_dir.clone(),
        bff_profile: profile,
        sandbox_profile: profile,
        logs: Logs::Files,
    }
    .start_sandbox(&PORTS.sandbox_url())?;
    let outcome = process::run(
        Command::new("node")
            .arg("--test")
            .current_dir(ws.path("conformance/okta"))
            .env("SANDBOX_URL", PORTS.sandbox_url())
            .env("CUSTODIAN_SETTINGS", work_dir.join("config.json")),
    )
    .and_then(|()| running.ensure_alive());
    if outcome.is_err() {
        eprintln!("{}", running.log_tails(40));
    }
    running.stop();
    outcome
}
