//! moto's server (PyPI `moto[server]`, installed by `tools::ensure_moto`)
//! as the Secrets Manager the `fernet-keygen` Lambda fills.

use std::process::Command;

pub fn command(port: u16) -> Command {
    let mut cmd = Command::new("python3");
    cmd.args([
        "-m",
        "moto.server",
        "-H",
        "127.0.0.1",
        "-p",
        &port.to_string(),
    ]);
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    cmd
}
