//! The `sandbox` command line.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, bail};
use tokio::net::TcpListener;

use crate::config::{SandboxConfig, public_url_from_custodian_config};

pub const USAGE: &str = "\
Usage: sandbox [--config PATH] [--listen ADDR] [--public-url URL]

  --config PATH      Custodian's config JSON (default: config/local.json)
  --listen ADDR      address to listen on (default: 127.0.0.1:3001)
  --public-url URL   URL the BFF and browser use for the sandbox
                     (default: the config's auth0.domain)";

#[derive(Debug, PartialEq, Eq)]
pub struct Args {
    pub config: PathBuf,
    pub listen: SocketAddr,
    pub public_url: Option<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Run(Args),
    Help,
}

impl Command {
    pub fn parse(args: impl IntoIterator<Item = String>) -> anyhow::Result<Self> {
        let mut parsed = Args {
            config: PathBuf::from("config/local.json"),
            listen: SocketAddr::from(([127, 0, 0, 1], 3001)),
            public_url: None,
        };
        let mut args = args.into_iter();
        while let Some(flag) = args.next() {
            let mut value = || {
                args.next()
                    .with_context(|| format!("{flag} needs a value\n\n{USAGE}"))
            };
            match flag.as_str() {
                "--config" => parsed.config = PathBuf::from(value()?),
                "--listen" => {
                    let addr = value()?;
                    parsed.listen = addr
                        .parse()
                        .with_context(|| format!("--listen {addr:?} is not an address"))?;
                }
                "--public-url" => parsed.public_url = Some(value()?),
                "-h" | "--help" => return Ok(Self::Help),
                other => bail!("unknown argument {other:?}\n\n{USAGE}"),
            }
        }
        Ok(Self::Run(parsed))
    }
}

/// Runs the command; serving lasts until Ctrl-C or SIGTERM.
pub async fn run(command: Command) -> anyhow::Result<()> {
    let args = match command {
        Command::Help => {
            println!("{USAGE}");
            return Ok(());
        }
        Command::Run(args) => args,
    };
    let config = SandboxConfig::from_custodian_config(&args.config)?;
    let public_url = match args.public_url {
        Some(url) => url,
        None => public_url_from_custodian_config(&args.config)?,
    };
    let listener = TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let sandbox = crate::spawn(listener, Some(public_url), config).await?;
    stop_signal().await?;
    tracing::info!("stopping");
    sandbox.shutdown().await;
    Ok(())
}

async fn stop_signal() -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate())?;
        tokio::select! {
            result = tokio::signal::ctrl_c() => result?,
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> anyhow::Result<Command> {
        Command::parse(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn parses_flags() {
        let command = parse(&[
            "--config",
            "c.json",
            "--listen",
            "0.0.0.0:4000",
            "--public-url",
            "http://localhost:4000",
        ])
        .unwrap();
        assert_eq!(
            command,
            Command::Run(Args {
                config: "c.json".into(),
                listen: "0.0.0.0:4000".parse().unwrap(),
                public_url: Some("http://localhost:4000".into()),
            })
        );
    }

    #[test]
    fn has_defaults_and_refuses_unknown_flags() {
        let Command::Run(args) = parse(&[]).unwrap() else {
            panic!("expected run");
        };
        assert_eq!(args.config, PathBuf::from("config/local.json"));
        assert!(parse(&["--bogus"]).is_err());
        assert!(parse(&["--listen"]).is_err());
        assert_eq!(parse(&["--help"]).unwrap(), Command::Help);
    }
}
