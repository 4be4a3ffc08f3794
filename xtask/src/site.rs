//! Builds the Leptos site with plain cargo: the hydrate bundle (wasm32 +
//! wasm-bindgen + wasm-opt), the stylesheet and public assets, and the
//! server binaries.

use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};

use crate::workspace::Workspace;
use crate::{files, process, tools};

/// The name Leptos serves the bundle under: `/pkg/custodian.{js,wasm,css}`.
pub const OUTPUT_NAME: &str = "custodian";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
const WASM_PROFILE: &str = "wasm-release";
/// Only read at run time, but builds must all see identical values: leptos
/// reads some of these variables at compile time, and a change rebuilds it.
const BUILD_ADDR: &str = "127.0.0.1:3000";
/// Makes server-function URLs independent of the checkout path.
const SERVER_FN_KEY: &str = "custodian";
/// Features rustc enables for wasm32 that wasm-opt must accept and keep.
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// The Leptos configuration every build step and every server process sees.
pub fn leptos_env(ws: &Workspace, site_addr: &str) -> Vec<(&'static str, String)> {
    vec![
        ("LEPTOS_OUTPUT_NAME", OUTPUT_NAME.into()),
        ("LEPTOS_SITE_ROOT", ws.site_root().display().to_string()),
        ("LEPTOS_SITE_PKG_DIR", "pkg".into()),
        ("LEPTOS_SITE_ADDR", site_addr.into()),
        ("LEPTOS_HASH_FILES", "false".into()),
        ("SERVER_FN_OVERRIDE_KEY", SERVER_FN_KEY.into()),
    ]
}

/// `cargo` with the build environment applied.
pub fn cargo(ws: &Workspace) -> Command {
    let mut cmd = process::cargo();
    cmd.current_dir(&ws.root).envs(leptos_env(ws, BUILD_ADDR));
    cmd
}

/// A cargo profile and the binaries to build with it.
#[derive(Clone, Copy)]
pub struct Binaries<'a> {
    pub profile: &'a str,
    pub packages: &'a [&'a str],
}

impl Binaries<'_> {
    pub fn build(self, ws: &Workspace) -> Result<()> {
        // Its own cargo call: the server's `ssr` features must never merge
        // with the bundle's `hydrate` ones.
        let mut cmd = cargo(ws);
        cmd.args(["build", "--profile", self.profile]);
        for package in self.packages {
            cmd.args(["-p", package]);
        }
        process::run(&mut cmd)
    }
}

/// `cargo xtask build`: the site and the release server.
pub fn build_release(ws: &Workspace) -> Result<()> {
    tools::ensure_site_tools(ws)?;
    build_site(ws)?;
    Binaries {
        profile: "release",
        packages: &["server"],
    }
    .build(ws)?;
    eprintln!(
        "Built {} and {}",
        ws.site_root().display(),
        ws.profile_dir("release").join("custodian").display()
    );
    Ok(())
}

/// The browser half: bundle, stylesheet and public assets under the site root.
pub fn build_site(ws: &Workspace) -> Result<()> {
    let pkg = ws.pkg_dir();
    fs::create_dir_all(&pkg).with_context(|| format!("creating {}", pkg.display()))?;
    build_bundle(ws, &pkg)?;
    files::copy(
        &ws.path("style/main.css"),
        &pkg.join(format!("{OUTPUT_NAME}.css")),
    )?;
    files::copy_tree(&ws.path("public"), &ws.site_root())
}

fn build_bundle(ws: &Workspace, pkg: &Path) -> Result<()> {
    process::run(cargo(ws).args([
        "build",
        "-p",
        "frontend",
        "--lib",
        "--target",
        WASM_TARGET,
        "--profile",
        WASM_PROFILE,
    ]))?;
    let wasm = ws
        .target_dir
        .join(WASM_TARGET)
        .join(WASM_PROFILE)
        .join("frontend.wasm");
    // wasm-bindgen and wasm-opt take a while; skip them when the bundle
    // already reflects this exact compiler output.
    let bundle = pkg.join(format!("{OUTPUT_NAME}.wasm"));
    let stamp = pkg.join(".built-from");
    if bundle.exists() && files::is_up_to_date(&stamp, &wasm) {
        return Ok(());
    }
    process::run(
        Command::new(tools::wasm_bindgen_bin())
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--out-name",
                OUTPUT_NAME,
                "--out-dir",
            ])
            .arg(pkg)
            .arg(&wasm),
    )?;
    // Leptos asks for `/pkg/<name>.wasm`, wasm-bindgen writes `<name>_bg.wasm`.
    fs::rename(pkg.join(format!("{OUTPUT_NAME}_bg.wasm")), &bundle)
        .context("renaming the wasm-bindgen output")?;
    process::run(
        Command::new(tools::wasm_opt_bin())
            .arg("-Oz")
            .args(WASM_FEATURES)
            .arg(&bundle)
            .arg("-o")
            .arg(&bundle),
    )?;
    fs::write(&stamp, wasm.display().to_string()).context("writing the bundle stamp")
}
