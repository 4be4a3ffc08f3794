//! The `sandbox` command line.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, bail};
use tokio::net::TcpListener;

use crate::config::{SandboxConfig, public_url_from_custodian_config};
use crate::fga_cli::{FgaAction, FgaArgs, Tuple};

pub const USAGE: &str = "\
Usage: sandbox [--config PATH] [--listen ADDR] [--public-url URL]
       sandbox fga list [--url URL] [--config PATH]
       sandbox fga add|delete USER RELATION OBJECT [--url URL] [--config PATH]

  --config PATH      Custodian's config JSON (default: config/local.json)
  --listen ADDR      address to listen on (default: 127.0.0.1:3001)
  --public-url URL   URL the BFF and browser use for the sandbox
                     (default: the config's auth0.domain)
  --url URL          the running sandbox (default: http://localhost:3001)

  fga list|add|delete shows or changes the FGA store's tuples, e.g.
  sandbox fga delete user:admin@example.com read_okta okta:groups";

const DEFAULT_CONFIG: &str = "config/local.json";
const DEFAULT_SANDBOX_URL: &str = "http://localhost:3001";

#[derive(Debug, PartialEq, Eq)]
pub struct Args {
    pub config: PathBuf,
    pub listen: SocketAddr,
    pub public_url: Option<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Run(Args),
    Fga(FgaArgs),
    Help,
}

impl Command {
    pub fn parse(args: impl IntoIterator<Item = String>) -> anyhow::Result<Self> {
        let mut args = args.into_iter().peekable();
        if args.peek().map(String::as_str) == Some("fga") {
            args.next();
            return parse_fga(args);
        }
        let mut parsed = Args {
            config: PathBuf::from(DEFAULT_CONFIG),
            listen: SocketAddr::from(([127, 0, 0, 1], 3001)),
            public_url: None,
        };
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

/// `fga list` / `fga add|delete USER RELATION OBJECT`, flags anywhere after.
fn parse_fga(args: impl Iterator<Item = String>) -> anyhow::Result<Command> {
    let mut url = DEFAULT_SANDBOX_URL.to_owned();
    let mut config = PathBuf::from(DEFAULT_CONFIG);
    let mut words = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .with_context(|| format!("{arg} needs a value\n\n{USAGE}"))
        };
        match arg.as_str() {
            "--url" => url = value()?,
            "--config" => config = PathBuf::from(value()?),
            "-h" | "--help" => return Ok(Command::Help),
            flag if flag.starts_with("--") => bail!("unknown argument {flag:?}\n\n{USAGE}"),
            _ => words.push(arg),
        }
    }
    let tuple = |rest: &[String]| match rest {
        [user, relation, object] => Ok(Tuple {
            user: user.clone(),
            relation: relation.clone(),
            object: object.clone(),
        }),
        _ => bail!("expected USER RELATION OBJECT\n\n{USAGE}"),
    };
    let action = match words.split_first() {
        Some((verb, [])) if verb == "list" => FgaAction::List,
        Some((verb, rest)) if verb == "add" => FgaAction::Add(tuple(rest)?),
        Some((verb, rest)) if verb == "delete" => FgaAction::Delete(tuple(rest)?),
        _ => bail!("expected fga list, add or delete\n\n{USAGE}"),
    };
    Ok(Command::Fga(FgaArgs {
        action,
        url,
        config,
    }))
}

/// Runs the command; serving lasts until Ctrl-C or SIGTERM.
pub async fn run(command: Command) -> anyhow::Result<()> {
    let args = match command {
        Command::Help => {
            println!("{USAGE}");
            return Ok(());
        }
        Command::Fga(args) => return crate::fga_cli::run(args).await,
        Command::Run(args) => args,
    };
    let mut config = SandboxConfig::from_custodian_config(&args.config)?;
    config.actions = Some(crate::actions::from_custodian_config(&args.config).await?);
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
