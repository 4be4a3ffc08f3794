//! The BFF's link order: the functions that run, so the linker can put them
//! together. The kernel maps a binary's code 64 KB at a time around each
//! page that runs; with the code that runs scattered over the whole binary,
//! most of it ends up resident. Listed first, it fills a few MB instead.
//!
//! The list comes from callgrind (which records every function that runs,
//! not a sample) on the release BFF through sign-in and the throughput
//! load, and names functions as the linker sees them (mangled), so it holds
//! for the build it was taken from: regenerate it after a dependency or
//! toolchain change (`cargo xtask bench --write-link-order`).

use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};

/// Where `server/build.rs` looks for the order.
pub const FILE: &str = "server/link-order.txt";

/// How the BFF is run to record what runs: every function, names as the
/// linker sees them.
pub fn callgrind(out_file: &Path) -> Vec<String> {
    [
        "valgrind",
        "--tool=callgrind",
        "--demangle=no",
        "--dump-instr=no",
        "--compress-strings=no",
        "--compress-pos=no",
    ]
    .map(String::from)
    .into_iter()
    .chain([format!("--callgrind-out-file={}", out_file.display())])
    .collect()
}

/// Writes the functions of `binary` that ran, in the order callgrind first
/// met them, one per line.
pub fn write(callgrind_out: &Path, binary: &Path, dest: &Path) -> Result<usize> {
    let text = std::fs::read_to_string(callgrind_out)
        .with_context(|| format!("reading {}", callgrind_out.display()))?;
    let names = functions_of(&text, &binary.to_string_lossy());
    anyhow::ensure!(
        !names.is_empty(),
        "callgrind recorded no function of {}",
        binary.display()
    );
    let mut out = names.join("\n");
    out.push('\n');
    std::fs::write(dest, out).with_context(|| format!("writing {}", dest.display()))?;
    Ok(names.len())
}

/// Prints how much of the link order the measured build has: an order
/// taken from another build (other dependencies, another compiler) names
/// functions this one does not, and places only the rest.
pub fn report(order: &Path, binary: &Path) -> Result<()> {
    let Ok(listed) = std::fs::read_to_string(order) else {
        println!("  link order: none ({} is missing)", order.display());
        return Ok(());
    };
    let output = Command::new("nm")
        .args(["--defined-only", "--format=just-symbols"])
        .arg(binary)
        .output()
        .context("running nm (binutils) on the BFF")?;
    // An nm that failed lists nothing; that must not read as an outdated order.
    anyhow::ensure!(
        output.status.success(),
        "nm could not read {}: {}",
        binary.display(),
        String::from_utf8_lossy(&output.stderr).trim()
    );
    let symbols = String::from_utf8_lossy(&output.stdout);
    let present: HashSet<&str> = symbols.lines().collect();
    let names: Vec<&str> = listed.lines().collect();
    let found = names.iter().filter(|name| present.contains(*name)).count();
    println!(
        "  link order: {found} of the {} functions listed are in this build{}",
        names.len(),
        if found * 10 < names.len() * 9 {
            " (outdated: `cargo xtask bench --write-link-order`)"
        } else {
            ""
        }
    );
    Ok(())
}

/// The named functions of `object` in a callgrind profile (uncompressed
/// names): each `fn=` of that object and each `cfn=` called in it.
fn functions_of(profile: &str, object: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut names = Vec::new();
    let (mut current, mut callee) = (None::<&str>, None::<&str>);
    for line in profile.lines() {
        let (name, owner) = if let Some(o) = line.strip_prefix("ob=") {
            current = Some(o);
            continue;
        } else if let Some(o) = line.strip_prefix("cob=") {
            callee = Some(o);
            continue;
        } else if let Some(f) = line.strip_prefix("fn=") {
            (f, current)
        } else if let Some(f) = line.strip_prefix("cfn=") {
            (f, callee.or(current))
        } else {
            continue;
        };
        callee = None;
        // Addresses stand for code without a symbol; nothing to order.
        if owner == Some(object) && !name.starts_with("0x") && seen.insert(name) {
            names.push(name.to_owned());
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::functions_of;

    #[test]
    fn lists_each_function_of_the_object_once_in_first_seen_order() {
        let profile = "\
ob=/bin/custodian
fn=_RNvCs1_4main4main
cob=/lib/libc.so.6
cfn=malloc
cfn=_RNvCs1_4main5serve
fn=0x0000000000010240
ob=/lib/libc.so.6
fn=free
ob=/bin/custodian
fn=_RNvCs1_4main5serve
";
        assert_eq!(
            functions_of(profile, "/bin/custodian"),
            ["_RNvCs1_4main4main", "_RNvCs1_4main5serve"]
        );
    }
}
