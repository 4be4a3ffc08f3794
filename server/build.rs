//! How the BFF is linked for the machine it is built on.
//!
//! Packed relative relocations (`DT_RELR`). The position-independent BFF
//! has some 58,000 relative relocations: as classic `RELA` entries they are
//! 1.4 MB that the dynamic loader reads and applies at every start, before
//! `main`; packed they are 16 KB, and the loader's work before `main` went
//! from 8.2 to 0.6 million cycles. `DT_RELR` needs glibc 2.36 where the
//! binary runs. A build for the host runs where glibc is that of the build
//! (the link records the need, so an older glibc refuses the binary by name
//! rather than running it broken). The Lambda packages run on Amazon Linux
//! 2023 (glibc 2.34): `cargo xtask package` builds them with
//! `CUSTODIAN_CLASSIC_RELOCATIONS` set, which matters when the build machine
//! is itself arm64.
//!
//! The link order (`link-order.txt`, written by `cargo xtask bench
//! --write-link-order`): the functions that run at start and in requests,
//! placed together. The kernel maps code 64 KB at a time around each page
//! that runs, so scattered, they kept most of the binary resident. The
//! names are those of one optimized build; a name the build does not have
//! is skipped, so an outdated list costs memory, never correctness.

use std::env;
use std::path::Path;

const LINK_ORDER: &str = "link-order.txt";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={LINK_ORDER}");
    println!("cargo:rerun-if-env-changed=CUSTODIAN_CLASSIC_RELOCATIONS");
    let target = env::var("TARGET").unwrap_or_default();
    let for_this_machine = env::var("HOST").is_ok_and(|host| host == target);
    let gnu_linux = env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux")
        && env::var("CARGO_CFG_TARGET_ENV").is_ok_and(|abi| abi == "gnu");
    let classic = env::var_os("CUSTODIAN_CLASSIC_RELOCATIONS").is_some();
    if !(for_this_machine && gnu_linux && !classic) {
        return;
    }
    println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    // Debug builds name their functions otherwise; nothing would match.
    let optimized = env::var("PROFILE").is_ok_and(|profile| profile == "release");
    let order = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap_or_default()).join(LINK_ORDER);
    if optimized && order.is_file() {
        println!(
            "cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={}",
            order.display()
        );
        println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
    }
}
