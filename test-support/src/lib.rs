//! What the workspace's integration tests share, so that each test binary
//! keeps only what is its own: capturing log lines, the demo users, reading
//! the sandbox login page, a sandbox on a free port and its admin API, a
//! store that fails on demand, and a moto server for the AWS services.

pub mod custodian;
pub mod faulty_store;
pub mod http;
pub mod login_page;
pub mod logs;
pub mod moto;
#[cfg(feature = "sandbox")]
pub mod sandbox;
#[cfg(feature = "sandbox")]
pub mod settings;
pub mod users;

use std::path::{Path, PathBuf};

/// The workspace's root folder (this crate lives one below it).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("test-support sits inside the workspace")
        .to_path_buf()
}
