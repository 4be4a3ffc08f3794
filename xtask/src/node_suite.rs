//! Runs a Node test package under `conformance/` (`node --test`) against a
//! fresh debug sandbox of its own, alone: the vendor SDK suites need no BFF.

use std::path::Path;
use std::process::Command;

use anyhow::Result;

use custodian_core::settings::AgentHost;

use crate::process;
use crate::services::{Logs, Ports, Stack, scratch_data_dir};
use crate::workspace::Workspace;

pub struct NodeSuite<'a> {
    /// Names the suite's state directory and temporary data directory.
    pub name: &'a str,
    /// The package, relative to the workspace root.
    pub package: &'a str,
    /// The sandbox's port, and a BFF port that only shapes the settings
    /// (its redirect URI).
    pub ports: Ports,
    /// The issuer the sandbox announces.
    pub public_url: String,
    /// The variable that tells the tests where the sandbox's settings are.
    pub settings_variable: &'a str,
    /// Further variables for the tests.
    pub env: Vec<(&'a str, String)>,
}

impl NodeSuite<'_> {
    pub fn run(&self, ws: &Workspace, profile: &str) -> Result<()> {
        let data_dir = scratch_data_dir(self.name)?;
        let work_dir = ws.state_dir(self.name);
        let mut running = Stack {
            ws,
            ports: self.ports,
            data_dir: data_dir.path(),
            work_dir: work_dir.clone(),
            bff_profile: profile,
            sandbox_profile: profile,
            logs: Logs::Files,
            agent_host: AgentHost::default(),
            bff_env: &[],
            bff_wrapper: &[],
        }
        .start_sandbox(&self.public_url)?;
        let outcome =
            process::run(&mut self.command(ws, &work_dir)).and_then(|()| running.ensure_alive());
        if outcome.is_err() {
            eprintln!("{}", running.log_tails(40));
        }
        running.stop();
        outcome
    }

    fn command(&self, ws: &Workspace, work_dir: &Path) -> Command {
        let mut node = Command::new("node");
        node.arg("--test")
            .current_dir(ws.path(self.package))
            .env("SANDBOX_URL", self.ports.sandbox_url())
            .env(self.settings_variable, work_dir.join("config.json"));
        for (name, value) in &self.env {
            node.env(name, value);
        }
        node
    }
}
