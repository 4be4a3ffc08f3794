//! Where things live: the repository, cargo's target directory and the
//! directories derived from them.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::process;

pub struct Workspace {
    pub root: PathBuf,
    pub target_dir: PathBuf,
}

impl Workspace {
    /// Asks cargo, so `CARGO_TARGET_DIR` and `build.target-dir` are honoured.
    pub fn locate() -> Result<Self> {
        let meta = metadata(&mut process::cargo())?;
        let path = |key: &str| {
            meta[key]
                .as_str()
                .map(PathBuf::from)
                .with_context(|| format!("`cargo metadata` has no {key}"))
        };
        Ok(Self {
            root: path("workspace_root")?,
            target_dir: path("target_directory")?,
        })
    }

    /// The Leptos site root (bundle, stylesheet, public assets). It sits in
    /// the target directory so a shared target dir also shares the site.
    pub fn site_root(&self) -> PathBuf {
        self.target_dir.join("site")
    }

    pub fn pkg_dir(&self) -> PathBuf {
        self.site_root().join("pkg")
    }

    /// Where the binaries of a cargo profile end up.
    pub fn profile_dir(&self, profile: &str) -> PathBuf {
        let dir = if profile == "dev" { "debug" } else { profile };
        self.target_dir.join(dir)
    }

    /// Settings and logs of the services a command starts, kept after the
    /// run for inspection.
    pub fn state_dir(&self, command: &str) -> PathBuf {
        self.target_dir.join("xtask").join(command)
    }

    pub fn end2end(&self) -> PathBuf {
        self.root.join("end2end")
    }

    pub fn path(&self, relative: impl AsRef<Path>) -> PathBuf {
        self.root.join(relative)
    }
}

/// Tools installed outside cargo's world (npm packages), kept per user so
/// every checkout reuses them.
pub fn tools_dir() -> PathBuf {
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("/tmp"), PathBuf::from);
    home.join(".cache/custodian/tools")
}

/// `cargo metadata` of the workspace's own packages, run as `cargo` is set
/// up (for example in another directory).
pub fn metadata(cargo: &mut std::process::Command) -> Result<serde_json::Value> {
    let json = process::output(cargo.args(["metadata", "--format-version", "1", "--no-deps"]))?;
    serde_json::from_str(&json).context("parsing `cargo metadata` output")
}
