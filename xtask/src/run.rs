//! `cargo xtask run`: Custodian on http://localhost:3000 against the sandbox,
//! until Ctrl-C.

use std::sync::mpsc;

use anyhow::{Context, Result};

use custodian_core::settings::AgentHost;

use crate::services::{Logs, Ports, Stack};
use crate::site::{self, Binaries};
use crate::tools;
use crate::workspace::Workspace;

const PORTS: Ports = Ports {
    bff: 3000,
    sandbox: 3001,
};

/// The sandbox's demo accounts: (email, password, name, allowed actions).
pub const DEMO_USERS: &[(&str, &str, &str, &str)] = &[
    (
        "admin@example.com",
        "admin-demo",
        "Alex Admin",
        "everything",
    ),
    (
        "helpdesk@example.com",
        "helpdesk-demo",
        "Harper Helpdesk",
        "read groups only",
    ),
    ("user@example.com", "user-demo", "Uma User", "nothing"),
    (
        "newcomer@example.com",
        "newcomer-demo",
        "Nia Newcomer",
        "read groups, after connecting Okta",
    ),
];

pub fn run(ws: &Workspace, agent_host: AgentHost) -> Result<()> {
    tools::ensure_site_tools(ws)?;
    site::build_site(ws)?;
    Binaries {
        profile: "dev",
        packages: &["server", "sandbox"],
    }
    .build(ws)?;

    let data_dir = ws.path("data");
    std::fs::create_dir_all(&data_dir)
        .with_context(|| format!("creating {}", data_dir.display()))?;
    let (stop_tx, stop_rx) = mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    })
    .context("installing the Ctrl-C handler")?;

    let mut running = Stack {
        ws,
        ports: PORTS,
        data_dir: &data_dir,
        work_dir: ws.state_dir("run"),
        bff_profile: "dev",
        sandbox_profile: "dev",
        logs: Logs::Terminal,
        agent_host,
        bff_env: &[],
        bff_wrapper: &[],
    }
    .start()?;
    print_banner();
    let outcome = running.supervise(&stop_rx);
    eprintln!("Stopping…");
    running.stop();
    outcome
}

fn print_banner() {
    println!();
    println!("Custodian is running at {}", PORTS.bff_url());
    println!();
    println!("Demo sign-ins (sandbox identity provider):");
    println!(
        "  {:<22} {:<15} {:<17} allowed",
        "email", "password", "name"
    );
    for (email, password, name, allowed) in DEMO_USERS {
        println!("  {email:<22} {password:<15} {name:<17} {allowed}");
    }
    println!();
    println!("Press Ctrl-C to stop.");
    println!();
}
