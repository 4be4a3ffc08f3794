//! `cargo xtask bench`: the WASM bundle's size, the BFF's latency, the Okta
//! groups handler's latency and outside calls, the step-up card's timing, and
//! a mixed load with the BFF's memory before and after.
//! Numbers are printed, never asserted: they depend on the machine.

mod bundle;
mod form;
mod groups;
mod harness;
mod latency;
mod login;
mod mixed_load;
mod step_up;

pub use login::sign_in;

use anyhow::{Context, Result};

use custodian_core::settings::AgentHost;

use crate::services::{Logs, Ports, Stack, scratch_data_dir};
use crate::site::{self, Binaries};
use crate::tools;
use crate::workspace::Workspace;

const PORTS: Ports = Ports {
    bff: 3300,
    sandbox: 3301,
};

pub fn run(ws: &Workspace) -> Result<()> {
    tools::ensure_site_tools(ws)?;
    site::build_site(ws)?;
    // The BFF is what we measure; the sandbox only signs us in.
    Binaries {
        profile: "release",
        packages: &["server"],
    }
    .build(ws)?;
    Binaries {
        profile: "dev",
        packages: &["sandbox"],
    }
    .build(ws)?;

    bundle::report(&ws.pkg_dir())?;
    crate::package::report(ws)?;

    let data_dir = scratch_data_dir("bench")?;
    let mut running = Stack {
        ws,
        ports: PORTS,
        data_dir: data_dir.path(),
        work_dir: ws.state_dir("bench"),
        bff_profile: "release",
        sandbox_profile: "dev",
        logs: Logs::Files,
        agent_host: AgentHost::default(),
    }
    .start()?;
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    let settings_file = ws.state_dir("bench").join("config.json");
    let bff_pid = running
        .pid_of("custodian")
        .context("the BFF is not running")?;
    let outcome = runtime.block_on(async {
        latency::report(PORTS).await?;
        groups::report(PORTS, &settings_file).await?;
        step_up::report(PORTS).await?;
        mixed_load::report(PORTS, bff_pid).await
    });
    if outcome.is_err() {
        eprintln!("{}", running.log_tails(40));
    }
    running.stop();
    outcome
}
