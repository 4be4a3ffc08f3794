//! The `sandbox` command line: serve every stand-in on one port, or show
//! and change the FGA store's tuples.

pub(crate) mod actions;
pub mod fga;

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use tokio::net::TcpListener;

use crate::config::{SandboxConfig, public_url_from_custodian_config};
use fga::FgaArgs;

const DEFAULT_CONFIG: &str = "config/local.json";

/// Local, wire-compatible stand-ins for Auth0, Okta, FGA and the Bedrock
/// agent runtime, on one port.
#[derive(Debug, Parser)]
#[command(name = "sandbox", args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(flatten)]
    run: Args,
    #[command(subcommand)]
    command: Option<Subcommands>,
}

#[derive(Debug, Subcommand)]
enum Subcommands {
    /// Show or change the FGA store's tuples.
    Fga(FgaArgs),
}

/// Serving: where, and as what.
#[derive(Debug, PartialEq, Eq, clap::Args)]
pub struct Args {
    /// Custodian's config JSON.
    #[arg(long, value_name = "PATH", default_value = DEFAULT_CONFIG)]
    pub config: PathBuf,
    /// The address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:3001")]
    pub listen: SocketAddr,
    /// The URL the BFF and browser use for the sandbox [default: the
    /// config's auth0.domain].
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Run(Args),
    Fga(FgaArgs),
}

impl Command {
    /// Parses the arguments after the program's name. `--help` comes back
    /// as an error too: its `exit` prints the help and exits with success.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Self, clap::Error> {
        let cli = Cli::try_parse_from(std::iter::once("sandbox".to_owned()).chain(args))?;
        Ok(match cli.command {
            Some(Subcommands::Fga(args)) => Self::Fga(args),
            None => Self::Run(cli.run),
        })
    }
}

/// Runs the command; serving lasts until Ctrl-C or SIGTERM.
pub async fn run(command: Command) -> anyhow::Result<()> {
    let args = match command {
        Command::Fga(args) => return fga::run(args).await,
        Command::Run(args) => args,
    };
    let mut config = SandboxConfig::from_custodian_config(&args.config)?;
    config.actions = Some(actions::from_custodian_config(&args.config).await?);
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
    use clap::CommandFactory;
    use clap::error::ErrorKind;

    use super::fga::{DEFAULT_SANDBOX_URL, FgaAction, Tuple};
    use super::*;

    #[test]
    fn the_parser_is_well_formed() {
        Cli::command().debug_assert();
    }

    fn parse(args: &[&str]) -> Result<Command, clap::Error> {
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
        assert_eq!(
            parse(&["--help"]).unwrap_err().kind(),
            ErrorKind::DisplayHelp
        );
    }

    #[test]
    fn parses_fga_commands() {
        let Command::Fga(list) = parse(&["fga", "list"]).unwrap() else {
            panic!("expected fga");
        };
        assert_eq!(list.action, FgaAction::List);
        assert_eq!(list.url, DEFAULT_SANDBOX_URL);
        assert_eq!(list.config, PathBuf::from(DEFAULT_CONFIG));

        let command = parse(&[
            "fga",
            "delete",
            "user:admin@example.com",
            "--url",
            "http://127.0.0.1:9",
            "read_okta",
            "okta:groups",
            "--config",
            "c.json",
        ])
        .unwrap();
        assert_eq!(
            command,
            Command::Fga(FgaArgs {
                action: FgaAction::Delete(Tuple {
                    user: "user:admin@example.com".into(),
                    relation: "read_okta".into(),
                    object: "okta:groups".into(),
                }),
                url: "http://127.0.0.1:9".into(),
                config: "c.json".into(),
            })
        );
        assert!(parse(&["fga", "add", "user:a"]).is_err());
        assert!(parse(&["fga", "list", "extra"]).is_err());
        assert!(parse(&["fga", "grant"]).is_err());
        assert!(parse(&["fga", "list", "--bogus"]).is_err());
    }
}
