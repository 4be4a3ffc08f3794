//! `cargo xtask package`: the Lambda zips the CDK app deploys, built with
//! cargo-lambda for arm64 with the `lambda` profile (release, optimised for
//! size) and without the embedded store (in AWS the store is DynamoDB, so
//! SQLite would only weigh on every cold start). Every bin of the `server`
//! and `lambdas` packages becomes
//! `<target>/lambda/<bin>/bootstrap.zip`; each zip also carries
//! `config/lambda.json` (the settings file the Lambdas load; everything else
//! comes from the environment), and the BFF's carries the built site under
//! `site/` (LEPTOS_SITE_ROOT=/var/task/site).

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::workspace::Workspace;
use crate::{process, site, tools};

/// The packages whose bins are Lambdas.
const PACKAGES: &[&str] = &["server", "lambdas"];
/// The BFF's bin: its zip carries the site.
const WEB_BIN: &str = "custodian";
/// What AWS takes without an S3 detour is 50 MB; we aim far lower, since
/// the package is read at every cold start: the BFF (with the site) and
/// the action groups have budgets of their own.
const WEB_TARGET_BYTES: u64 = 6 * 1024 * 1024;
const ACTION_TARGET_BYTES: u64 = 4 * 1024 * 1024;

fn target_bytes(bin: &str) -> u64 {
    if bin == WEB_BIN {
        WEB_TARGET_BYTES
    } else {
        ACTION_TARGET_BYTES
    }
}
const LAMBDA_CONFIG: &str = "config/lambda.json";

pub fn run(ws: &Workspace) -> Result<()> {
    ensure_cargo_lambda()?;
    tools::ensure_site_tools(ws)?;
    site::build_site(ws)?;
    let site = stage_site(ws)?;

    let bins = lambda_bins(ws)?;
    if bins.is_empty() {
        bail!(
            "no Lambda bins found in the packages {}",
            PACKAGES.join(", ")
        );
    }
    let config = ws.path(LAMBDA_CONFIG);
    let include_config = format!("{LAMBDA_CONFIG}:{}", config.display());
    for package in PACKAGES {
        let mine: Vec<&str> = bins
            .iter()
            .filter(|(p, _)| p == package)
            .map(|(_, b)| b.as_str())
            .collect();
        if mine.is_empty() {
            continue;
        }
        let mut cmd = cargo_lambda_build(ws);
        cmd.args(["--package", package]);
        for bin in &mine {
            cmd.args(["--bin", bin]);
        }
        cmd.args(["--include", &include_config]);
        if mine.contains(&WEB_BIN) {
            cmd.arg("--include").arg(format!("site:{}", site.display()));
        }
        process::run(&mut cmd)?;
    }

    eprintln!();
    let sizes = report(ws)?;
    let too_big: Vec<_> = sizes
        .iter()
        .filter(|(bin, bytes)| *bytes > target_bytes(bin))
        .map(|(bin, _)| bin.as_str())
        .collect();
    if !too_big.is_empty() {
        eprintln!("warning: above their targets: {}", too_big.join(", "));
    }
    eprintln!(
        "\nDeploy from infra/ with `npx cdk deploy` (it reads {}).",
        lambda_dir(ws).display()
    );
    Ok(())
}

/// Prints the size of every packaged zip; returns them. Nothing packaged
/// yet prints a hint instead.
pub fn report(ws: &Workspace) -> Result<Vec<(String, u64)>> {
    let dir = lambda_dir(ws);
    let mut sizes = Vec::new();
    if let Ok(entries) = fs::read_dir(&dir) {
        for entry in entries {
            let entry = entry?;
            let zip = entry.path().join("bootstrap.zip");
            if let Ok(meta) = fs::metadata(&zip) {
                sizes.push((entry.file_name().to_string_lossy().into_owned(), meta.len()));
            }
        }
    }
    sizes.sort();
    if sizes.is_empty() {
        eprintln!("Lambda zips: none yet (`cargo xtask package` builds them)");
        return Ok(sizes);
    }
    eprintln!("Lambda zips in {}:", dir.display());
    for (bin, bytes) in &sizes {
        let target = target_bytes(bin);
        eprintln!(
            "  {bin:<24} {:>8.2} MB (target ≤ {} MB){}",
            mebibytes(*bytes),
            mebibytes(target),
            if *bytes > target { "  OVER" } else { "" }
        );
    }
    Ok(sizes)
}

fn mebibytes(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// Where cargo-lambda writes `<bin>/bootstrap.zip` (the CDK app's default).
pub fn lambda_dir(ws: &Workspace) -> PathBuf {
    ws.target_dir.join("lambda")
}

/// `cargo lambda build` for arm64 zips of the `lambda` profile, with the same Leptos
/// environment as every other build (the BFF and the bundle must agree on
/// the output name and the server-function URLs).
fn cargo_lambda_build(ws: &Workspace) -> Command {
    let mut cmd = site::cargo(ws);
    cmd.args([
        "lambda",
        "build",
        "--profile",
        "lambda",
        "--arm64",
        "--output-format",
        "zip",
        "--no-default-features",
    ])
    .arg("--lambda-dir")
    .arg(lambda_dir(ws))
    // Lambda's glibc (2.34) predates packed relative relocations; see
    // `server/build.rs`.
    .env("CUSTODIAN_CLASSIC_RELOCATIONS", "1");
    cmd
}

/// The site without build bookkeeping (the bundle's stamp names a local
/// path), copied next to the zips so the include is exactly what is served.
fn stage_site(ws: &Workspace) -> Result<PathBuf> {
    let staged = ws.target_dir.join("lambda-site");
    if staged.exists() {
        fs::remove_dir_all(&staged).with_context(|| format!("clearing {}", staged.display()))?;
    }
    crate::files::copy_tree(&ws.site_root(), &staged)?;
    let stamp = staged.join("pkg/.built-from");
    if stamp.exists() {
        fs::remove_file(&stamp).with_context(|| format!("removing {}", stamp.display()))?;
    }
    Ok(staged)
}

/// `(package, bin)` for every bin target of the Lambda packages.
fn lambda_bins(ws: &Workspace) -> Result<Vec<(String, String)>> {
    let meta = crate::workspace::metadata(process::cargo().current_dir(&ws.root))?;
    let mut bins = Vec::new();
    for package in meta["packages"].as_array().into_iter().flatten() {
        let name = package["name"].as_str().unwrap_or_default();
        if !PACKAGES.contains(&name) {
            continue;
        }
        for target in package["targets"].as_array().into_iter().flatten() {
            let is_bin = target["kind"]
                .as_array()
                .is_some_and(|kinds| kinds.iter().any(|k| k == "bin"));
            if let (true, Some(bin)) = (is_bin, target["name"].as_str()) {
                bins.push((name.to_owned(), bin.to_owned()));
            }
        }
    }
    Ok(bins)
}

/// cargo-lambda from PyPI (it brings zig, the cross linker).
fn ensure_cargo_lambda() -> Result<()> {
    if process::probe(process::cargo().get_program(), &["lambda", "--version"]).is_some() {
        return Ok(());
    }
    eprintln!("Installing cargo-lambda from PyPI…");
    process::run(Command::new("python3").args(["-m", "pip", "install", "cargo-lambda"]))?;
    if process::probe(process::cargo().get_program(), &["lambda", "--version"]).is_none() {
        bail!(
            "cargo-lambda was installed but `cargo lambda` does not run; \
             make sure pip's script directory is on PATH"
        );
    }
    Ok(())
}
