//! Every Lambda binary under an independent Lambda Runtime API: cargo-lambda's
//! emulator (`cargo lambda watch --only-lambda-apis`) serves the Runtime API
//! and the Invoke APIs, and the debug binaries the suite built poll it the way
//! they poll AWS. The real event fixtures go in through its Invoke,
//! InvokeWithResponseStream and Function URL endpoints; `checks` asserts what
//! a user (or Bedrock, or CloudFormation) would see.
//!
//! Function names follow cargo-lambda: the bare Runtime API path serves the
//! default function `_` (the BFF, so its Function URL is the emulator's root),
//! `/.rt/<bin>` the named ones.

pub mod checks;
pub mod moto;

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};

use custodian_core::settings::AgentHost;

use crate::services::{Logs, Ports, Running, Stack, scratch_data_dir};
use crate::site::{self, Binaries};
use crate::tools;
use crate::workspace::Workspace;

const PROFILE: &str = "dev";
/// The action-group and custom-resource Lambdas, by binary name.
const LAMBDAS: [&str; 3] = ["okta-operations", "ciba-authentication", "fernet-keygen"];

/// The ports: free ones, so the step runs beside anything else here.
struct StepPorts {
    /// The emulator's Invoke APIs, Function URLs and Runtime API.
    emulator: u16,
    sandbox: u16,
    moto: u16,
}

pub fn run(ws: &Workspace, services: Binaries<'_>) -> Result<()> {
    let cargo_lambda = tools::ensure_cargo_lambda()?;
    // A no-op after "build site and services", which builds the same set.
    services.build(ws)?;
    let ports = StepPorts {
        emulator: free_port()?,
        sandbox: free_port()?,
        moto: free_port()?,
    };
    let data_dir = scratch_data_dir("lambda")?;
    let stack = |logs| Stack {
        ws,
        // The BFF's public URL is the emulator's: its Function URL root.
        ports: Ports {
            bff: ports.emulator,
            sandbox: ports.sandbox,
        },
        data_dir: data_dir.path(),
        work_dir: ws.state_dir("lambda-emulator"),
        bff_profile: PROFILE,
        sandbox_profile: PROFILE,
        logs,
        agent_host: AgentHost::default(),
        bff_env: &[],
        bff_wrapper: &[],
    };
    let mut running =
        stack(Logs::Files).start_sandbox(&format!("http://localhost:{}", ports.sandbox))?;
    let stack = stack(Logs::Files);
    let settings = stack.work_dir.join("config.json");
    let outcome = start_functions(&stack, &ports, &mut running, &cargo_lambda, &settings)
        .and_then(|moto| {
            let endpoints = checks::Endpoints::new(ports.emulator, ports.sandbox, moto);
            checks::run(&ws.root, &endpoints, &settings)
        })
        .and_then(|()| running.ensure_alive());
    if outcome.is_err() {
        eprintln!("{}", running.log_tails(40));
    }
    running.stop();
    outcome
}

/// moto, the emulator, then each function polling it; returns moto's URL.
fn start_functions(
    stack: &Stack<'_>,
    ports: &StepPorts,
    running: &mut Running,
    cargo_lambda: &Path,
    settings: &Path,
) -> Result<String> {
    let work_dir = &stack.work_dir;
    running.spawn("moto", moto::command(ports.moto), &stack.logs, work_dir)?;
    running.wait_for_port(ports.moto)?;
    let emulator = emulator(cargo_lambda, ports.emulator, &stack.ws.root);
    running.spawn("emulator", emulator, &stack.logs, work_dir)?;
    running.wait_for_port(ports.emulator)?;

    let moto_url = format!("http://127.0.0.1:{}", ports.moto);
    let runtime_api = format!("http://127.0.0.1:{}/.rt", ports.emulator);
    let bff = bff_function(stack, PROFILE, &runtime_api, settings, &moto_url);
    running.spawn("custodian", bff, &stack.logs, work_dir)?;
    for name in LAMBDAS {
        let mut cmd = function(stack, PROFILE, name, name, &runtime_api, settings);
        cmd.env("AWS_ENDPOINT_URL_SECRETS_MANAGER", &moto_url);
        running.spawn(name, cmd, &stack.logs, work_dir)?;
    }
    Ok(moto_url)
}

/// cargo-lambda's emulator: the Runtime API under `/.rt` and the Invoke
/// APIs, on `port`.
pub fn emulator(cargo_lambda: &Path, port: u16, root: &Path) -> Command {
    let mut emulator = Command::new(cargo_lambda);
    emulator
        .args(["lambda", "watch", "--only-lambda-apis", "--ignore-changes"])
        .args(["--invoke-address", "127.0.0.1"])
        .args(["--invoke-port", &port.to_string()])
        .current_dir(root);
    std::os::unix::process::CommandExt::process_group(&mut emulator, 0);
    emulator
}

/// The BFF as the default function `_` (the emulator's Function URL root),
/// reading Secrets Manager at `moto_url`.
pub fn bff_function(
    stack: &Stack<'_>,
    profile: &str,
    runtime_api: &str,
    settings: &Path,
    moto_url: &str,
) -> Command {
    let mut bff = function(stack, profile, "custodian", "_", runtime_api, settings);
    bff.envs(site::leptos_env(stack.ws, "127.0.0.1:0"))
        .env("AWS_ENDPOINT_URL_SECRETS_MANAGER", moto_url);
    bff
}

/// A built binary with the environment the Lambda service gives it. The
/// bare Runtime API path serves cargo-lambda's default function `_`,
/// `/.rt/<name>` a named one (with a path the URI needs its scheme).
fn function(
    stack: &Stack<'_>,
    profile: &str,
    binary: &str,
    function_name: &str,
    runtime_api: &str,
    settings: &Path,
) -> Command {
    let runtime_api = match function_name {
        "_" => runtime_api.to_owned(),
        name => format!("{runtime_api}/{name}"),
    };
    let mut cmd = stack.command(profile, binary);
    cmd.env("AWS_LAMBDA_RUNTIME_API", runtime_api)
        .env("AWS_LAMBDA_FUNCTION_NAME", function_name)
        .env("AWS_LAMBDA_FUNCTION_VERSION", "1")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512")
        .env("CUSTODIAN_CONFIG", settings)
        // Dummy credentials: the SDK always signs (the sandbox agent and
        // moto check no signature).
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true");
    cmd
}

pub fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").context("finding a free port")?;
    Ok(listener.local_addr()?.port())
}

/// The fixtures the checks send, from the crates that own them.
fn fixture(ws_root: &Path, relative: &str) -> Result<serde_json::Value> {
    read_json(&ws_root.join(relative))
}

/// A JSON file, with its path in any error.
pub fn read_json(path: &Path) -> Result<serde_json::Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))
}
