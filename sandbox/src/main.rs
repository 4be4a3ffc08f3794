//! `sandbox --config config/local.json --listen 127.0.0.1:3001 [--public-url URL]`
//! and `sandbox fga list|add|delete ...` (`sandbox --help` tells all).

use std::process::ExitCode;

use sandbox::cli::{self, Command};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let command = match Command::parse(std::env::args().skip(1)) {
        Ok(command) => command,
        // Prints the help (and succeeds) or the error with usage (code 2).
        Err(err) => err.exit(),
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .init();
    match cli::run(command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = format!("{err:#}"), "sandbox stopped");
            ExitCode::FAILURE
        }
    }
}
