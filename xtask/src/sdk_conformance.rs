//! The vendors' SDKs against the sandbox: `@openfga/sdk` against the FGA
//! stand-in, `auth0` and `@auth0/ai` against the Auth0 stand-in
//! (`conformance/sdks`, `node --test`). The Auth0 SDKs only speak https to
//! `https://{domain}`, so the sandbox announces an https issuer and the
//! tests put a TLS front on that port which forwards to the sandbox.

use anyhow::Result;

use crate::node_suite::NodeSuite;
use crate::services::Ports;
use crate::workspace::Workspace;

/// The TLS front's port; the sandbox announces `https://localhost:{it}`.
const TLS_FRONT_PORT: u16 = 3212;

/// Runs the conformance tests against a fresh debug sandbox.
pub fn run(ws: &Workspace, profile: &str) -> Result<()> {
    let auth0_domain = format!("localhost:{TLS_FRONT_PORT}");
    NodeSuite {
        name: "sdk-conformance",
        package: "conformance/sdks",
        ports: Ports {
            bff: 3210,
            sandbox: 3211,
        },
        public_url: format!("https://{auth0_domain}"),
        settings_variable: "SANDBOX_CONFIG",
        env: vec![("AUTH0_DOMAIN", auth0_domain)],
    }
    .run(ws, profile)
}
