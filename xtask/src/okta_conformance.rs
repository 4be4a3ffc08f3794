//! Okta's own Node SDK (`@okta/okta-sdk-nodejs`) against the sandbox's Okta
//! stand-in (`conformance/okta`, `node --test`). The tests sign in at the
//! Auth0 stand-in and take an Okta token from its Token Vault exchange, as
//! Custodian does, so they need the sandbox alone.

use anyhow::Result;

use crate::node_suite::NodeSuite;
use crate::services::Ports;
use crate::workspace::Workspace;

/// Runs the Okta conformance tests against a fresh debug sandbox.
pub fn run(ws: &Workspace, profile: &str) -> Result<()> {
    let ports = Ports {
        bff: 3220,
        sandbox: 3221,
    };
    NodeSuite {
        name: "okta-conformance",
        package: "conformance/okta",
        ports,
        public_url: ports.sandbox_url(),
        settings_variable: "CUSTODIAN_SETTINGS",
        env: Vec::new(),
    }
    .run(ws, profile)
}
