//! Links a build for the machine it is built on with packed relative
//! relocations (`DT_RELR`). The position-independent BFF has some 58,000
//! relative relocations: as classic `RELA` entries they are 1.4 MB that the
//! dynamic loader reads and applies at every start, before `main`; packed
//! they are 16 KB, and the loader's work before `main` went from 8.2 to 0.6
//! million cycles.
//!
//! `DT_RELR` needs glibc 2.36 where the binary runs. A build for the host
//! runs where glibc is that of the build (the link records the need, so an
//! older glibc refuses the binary by name rather than running it broken).
//! The Lambda packages run on Amazon Linux 2023 (glibc 2.34): `cargo xtask
//! package` builds them with `CUSTODIAN_CLASSIC_RELOCATIONS` set, which
//! matters when the build machine is itself arm64.

use std::env;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=CUSTODIAN_CLASSIC_RELOCATIONS");
    let target = env::var("TARGET").unwrap_or_default();
    let for_this_machine = env::var("HOST").is_ok_and(|host| host == target);
    let gnu_linux = env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux")
        && env::var("CARGO_CFG_TARGET_ENV").is_ok_and(|abi| abi == "gnu");
    let classic = env::var_os("CUSTODIAN_CLASSIC_RELOCATIONS").is_some();
    if for_this_machine && gnu_linux && !classic {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
