//! `cargo xtask <command>`: the project's commands, in Rust so they work the
//! same on a laptop and in CI without extra tooling.

mod bench;
mod doctor;
mod files;
mod infra;
mod lambda_emulator;
mod node_suite;
mod okta_conformance;
mod package;
mod process;
mod run;
mod sdk_conformance;
mod services;
mod site;
mod smoke;
mod test;
mod tools;
mod workspace;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::workspace::Workspace;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "Custodian's project commands"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// `agentHost` as the settings spell it.
#[derive(Clone, Copy, clap::ValueEnum)]
enum AgentHostArg {
    BedrockAgent,
    AgentcoreHarness,
}

impl From<AgentHostArg> for custodian_core::settings::AgentHost {
    fn from(arg: AgentHostArg) -> Self {
        match arg {
            AgentHostArg::BedrockAgent => Self::BedrockAgent,
            AgentHostArg::AgentcoreHarness => Self::AgentcoreHarness,
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Build everything and run Custodian locally against the sandbox (http://localhost:3000).
    Run {
        /// The agent host the BFF talks to; the sandbox stands in for both.
        #[arg(long, value_enum, default_value_t = AgentHostArg::BedrockAgent)]
        agent_host: AgentHostArg,
    },
    /// Run the whole suite: formatting, lints, unit tests and the browser tests.
    Test {
        /// Run only the steps whose name contains this text (their
        /// prerequisites, e.g. built binaries, must already be there).
        #[arg(long)]
        step: Option<String>,
    },
    /// Build the site and the release server.
    Build,
    /// Measure the WASM bundle size, the server's throughput, latency and memory, and the zips.
    Bench {
        /// The cargo profile the measured BFF is built with; `profiling` keeps symbols for perf.
        #[arg(long, default_value = "release")]
        bff_profile: String,
        /// Only the throughput table (wrk against the BFF and the limit).
        #[arg(long)]
        throughput_only: bool,
        /// Record the functions that run through that table (the BFF under
        /// valgrind's callgrind) into the link order, server/link-order.txt.
        #[arg(long)]
        write_link_order: bool,
    },
    /// Build the Lambda zips (arm64, release) that `cdk deploy` uploads.
    Package,
    /// Check a deployment's settings against Auth0, FGA and AWS, and say how to fix what is wrong.
    Doctor {
        /// The settings file to check.
        #[arg(long, default_value = "config/environment.json")]
        config: std::path::PathBuf,
    },
    /// Check a deployed Custodian from outside: health, security headers, the sign-in redirect, and with --cookie one chat answer.
    Smoke {
        /// The deployment's public URL (the stack's output), e.g. https://…/prod.
        #[arg(long)]
        url: reqwest::Url,
        /// A signed-in browser's `Cookie` header, to ask one question through the chat.
        #[arg(long)]
        cookie: Option<String>,
        /// The question to ask with --cookie.
        #[arg(
            long,
            default_value = "What are the Okta groups for user bob@example.com?"
        )]
        question: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The error chain on its own is the report; no backtrace even when
    // RUST_BACKTRACE is set for the programs we run.
    match execute(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("\nerror: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn execute(command: Command) -> anyhow::Result<()> {
    let ws = Workspace::locate;
    match command {
        Command::Run { agent_host } => run::run(&ws()?, agent_host.into()),
        Command::Test { step } => test::run(&ws()?, step.as_deref()),
        Command::Build => site::build_release(&ws()?),
        Command::Bench {
            bff_profile,
            throughput_only,
            write_link_order,
        } => bench::run(
            &ws()?,
            &bench::Options {
                bff_profile,
                throughput_only,
                write_link_order,
            },
        ),
        Command::Package => package::run(&ws()?),
        // Checks a deployment from anywhere: no workspace needed.
        Command::Doctor { config } => doctor::run(&config),
        Command::Smoke {
            url,
            cookie,
            question,
        } => smoke::run(&smoke::Smoke {
            url,
            cookie,
            question,
        }),
    }
}
