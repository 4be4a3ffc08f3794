//! The CDK app's checks, offline and without AWS credentials: type-check,
//! template assertions (`node --test`), and a real `cdk synth` of the app
//! with dummy Lambda packages, once per agent host's fixture settings file.

use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};

use crate::workspace::Workspace;
use crate::{files, process};

/// Fake values, including fake secrets the assertions look for: one file per
/// agent host (Bedrock Agents Classic, the AgentCore harness).
const FIXTURE_ENVIRONMENTS: &[&str] = &[
    "test/fixtures/environment.json",
    "test/fixtures/environment-harness.json",
];
/// Loads every `test/*.test.ts` in one process (one synthesis for all).
const TEST_ENTRY: &str = "test/all.ts";
/// Lambdas that are not action groups; those come from the shared definition.
const OTHER_BINS: &[&str] = &["custodian", "fernet-keygen"];

pub fn check(ws: &Workspace) -> Result<()> {
    let dir = ws.path("infra");
    packages(&dir)?;
    process::run(npx(&dir).args(["tsc", "--noEmit"]))?;
    process::run(
        Command::new("node")
            .args(["--test", "--require", "ts-node/register", TEST_ENTRY])
            .current_dir(&dir)
            .env("TS_NODE_TRANSPILE_ONLY", "1"),
    )?;
    synth(ws, &dir)
}

fn synth(ws: &Workspace, dir: &Path) -> Result<()> {
    let scratch = tempfile::Builder::new()
        .prefix("custodian-synth-")
        .tempdir()
        .context("creating a scratch directory")?;
    let assets = scratch.path().join("lambda");
    for bin in lambda_bins(ws)? {
        let bin_dir = assets.join(&bin);
        fs::create_dir_all(&bin_dir).with_context(|| format!("creating {}", bin_dir.display()))?;
        fs::write(
            bin_dir.join("bootstrap.zip"),
            format!("placeholder for {bin}\n"),
        )
        .context("writing a placeholder Lambda package")?;
    }
    for (index, environment) in FIXTURE_ENVIRONMENTS.iter().enumerate() {
        process::run(
            npx(dir)
                .args([
                    "cdk",
                    "synth",
                    "--no-lookups",
                    "--no-notices",
                    "-q",
                    "--output",
                ])
                .arg(scratch.path().join(format!("cdk.out.{index}")))
                .env("TS_NODE_TRANSPILE_ONLY", "1")
                .env("CUSTODIAN_ENVIRONMENT", dir.join(environment))
                .env("CUSTODIAN_LAMBDA_ASSETS", &assets)
                .env("CDK_DISABLE_CLI_TELEMETRY", "true"),
        )?;
    }
    Ok(())
}

/// Every Lambda the stack expects a package for.
fn lambda_bins(ws: &Workspace) -> Result<Vec<String>> {
    let path = ws.path("config/action-groups.json");
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let definition: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let mut bins: Vec<String> = OTHER_BINS.iter().map(|b| (*b).to_owned()).collect();
    for group in definition["actionGroups"].as_array().into_iter().flatten() {
        let lambda = group["lambda"]
            .as_str()
            .with_context(|| format!("{}: an action group has no `lambda`", path.display()))?;
        bins.push(lambda.to_owned());
    }
    Ok(bins)
}

/// `npm ci` when the lock file changed since the last install.
fn packages(dir: &Path) -> Result<()> {
    let lock = dir.join("package-lock.json");
    // npm writes this copy of the lock file on every install.
    let installed = dir.join("node_modules/.package-lock.json");
    if files::is_up_to_date(&installed, &lock) {
        return Ok(());
    }
    process::run(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(dir),
    )
}

fn npx(dir: &Path) -> Command {
    let mut cmd = Command::new("npx");
    cmd.current_dir(dir);
    cmd
}
