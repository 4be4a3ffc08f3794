//! `cargo xtask bench`: the WASM bundle's size, the BFF's latency, the Okta
//! groups handler's latency and outside calls, the step-up card's timing, how
//! fast a reply's first chunk is passed on, a mixed load with the BFF's
//! memory before and after, and how fast the BFF starts, locally and under
//! the Lambda runtime emulator.
//! Numbers are printed, never asserted: they depend on the machine.

mod bundle;
mod cold_start;
mod first_chunk;
mod form;
mod groups;
mod harness;
mod link_order;
mod login;
mod mixed_load;
mod sandbox_admin;
mod stats;
mod step_up;
mod throughput;
mod wrk;

pub use login::sign_in;

use anyhow::{Context, Result};

use std::process::Command;

use custodian_core::settings::AgentHost;

use crate::services::{Logs, Ports, Running, Stack, port_open, scratch_data_dir};
use crate::site::{self, Binaries};
use crate::tools;
use crate::workspace::Workspace;

const PORTS: Ports = Ports {
    bff: 3300,
    sandbox: 3301,
};

/// What `cargo xtask bench` was asked for.
pub struct Options {
    /// The cargo profile the measured BFF is built with (`profiling` keeps
    /// symbols for `perf`).
    pub bff_profile: String,
    /// Only the throughput table: the quick loop while tuning.
    pub throughput_only: bool,
    /// Run the throughput table with the BFF under callgrind and write the
    /// functions that ran to the link order (nothing is measured).
    pub write_link_order: bool,
}

/// Far more sign-ins a minute than wrk sends, so `/login` is measured
/// starting sign-ins, not refusing them.
const SIGN_IN_LIMIT_OFF: (&str, &str) = ("CUSTODIAN__LIMITS__SIGN_INS_PER_MINUTE", "100000000");

/// Where the limit server listens.
const LIMIT_PORT: u16 = 3302;

pub fn run(ws: &Workspace, options: &Options) -> Result<()> {
    let bff_profile = options.bff_profile.as_str();
    tools::ensure_site_tools(ws)?;
    site::build_site(ws)?;
    // The BFF is what we measure; the sandbox only signs us in.
    Binaries {
        profile: bff_profile,
        packages: &["server", "limit-server"],
    }
    .build(ws)?;
    Binaries {
        profile: "dev",
        packages: &["sandbox"],
    }
    .build(ws)?;

    let quick = options.throughput_only || options.write_link_order;
    if !quick {
        bundle::report(&ws.pkg_dir())?;
        crate::package::report(ws)?;
    }

    let scratch = ws.state_dir("bench");
    let callgrind_out = scratch.join("callgrind.out");
    let wrapper = if options.write_link_order {
        tools::ensure_valgrind()?;
        link_order::callgrind(&callgrind_out)
    } else {
        Vec::new()
    };
    let bff_wrapper: Vec<&str> = wrapper.iter().map(String::as_str).collect();
    let data_dir = scratch_data_dir("bench")?;
    let stack = || Stack {
        ws,
        ports: PORTS,
        data_dir: data_dir.path(),
        work_dir: ws.state_dir("bench"),
        bff_profile,
        sandbox_profile: "dev",
        logs: Logs::Files,
        agent_host: AgentHost::default(),
        bff_env: &[SIGN_IN_LIMIT_OFF],
        bff_wrapper: &bff_wrapper,
    };
    let bff_binary = stack().bff_binary();
    let mut running = stack().start()?;
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    let settings_file = scratch.join("config.json");
    let bff_pid = running
        .pid_of("custodian")
        .context("the BFF is not running")?;
    let outcome = (|| {
        // First, while the machine is quiet.
        if !quick {
            cold_start::report(&stack(), &settings_file, &mut running)?;
        }
        let browser = runtime.block_on(throughput::SignedIn::new(PORTS))?;
        let limit_url = start_limit_server(ws, bff_profile, &mut running, &browser.page)?;
        throughput::report(PORTS, &browser, &limit_url, bff_pid, &scratch)?;
        if !options.write_link_order {
            link_order::report(&ws.path(link_order::FILE), &bff_binary)?;
        }
        if quick {
            return Ok(());
        }
        runtime.block_on(async {
            groups::report(PORTS, &settings_file).await?;
            step_up::report(PORTS).await?;
            first_chunk::report(PORTS).await?;
            mixed_load::report(PORTS, bff_pid).await
        })
    })();
    if outcome.is_err() {
        eprintln!("{}", running.log_tails(40));
    }
    running.stop();
    outcome?;
    if options.write_link_order {
        let dest = ws.path(link_order::FILE);
        let count = link_order::write(&callgrind_out, &bff_binary, &dest)?;
        println!("{count} functions that ran written to {}", dest.display());
    }
    Ok(())
}

/// Starts the limit server on `page`, built with the BFF's profile. The
/// port must be free: otherwise another server would be measured as the
/// limit.
fn start_limit_server(
    ws: &Workspace,
    profile: &str,
    running: &mut Running,
    page: &[u8],
) -> Result<String> {
    if port_open(LIMIT_PORT) {
        anyhow::bail!("port {LIMIT_PORT} for the limit server is already in use");
    }
    let work_dir = ws.state_dir("bench");
    let file = work_dir.join("signed-in-page.html");
    std::fs::write(&file, page).with_context(|| format!("writing {}", file.display()))?;
    let address = format!("127.0.0.1:{LIMIT_PORT}");
    let mut server = Command::new(ws.profile_dir(profile).join("limit-server"));
    server.arg(&address).arg(&file);
    running.spawn("limit-server", server, &Logs::Files, &work_dir)?;
    running.wait_for_port(LIMIT_PORT)?;
    Ok(format!("http://{address}/"))
}
