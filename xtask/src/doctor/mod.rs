//! `cargo xtask doctor`: checks a deployment's settings against the real
//! services, from outside, and prints each finding with its fix. It reads
//! the settings file (`--config`, default `config/environment.json`) and the
//! AWS credentials and region of the environment, like the AWS CLI.

mod auth0;
mod fga;
mod secrets;

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use custodian_core::settings::Settings;

/// One thing found, with what to do about it.
pub struct Finding {
    pub ok: bool,
    pub what: String,
    pub fix: Option<String>,
}

impl Finding {
    pub fn ok(what: impl Into<String>) -> Self {
        Self {
            ok: true,
            what: what.into(),
            fix: None,
        }
    }

    pub fn problem(what: impl Into<String>, fix: impl Into<String>) -> Self {
        Self {
            ok: false,
            what: what.into(),
            fix: Some(fix.into()),
        }
    }
}

pub fn run(config: &Path) -> Result<()> {
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    let findings = runtime.block_on(examine(config))?;
    let problems = findings.iter().filter(|f| !f.ok).count();
    for finding in &findings {
        let mark = if finding.ok { "ok " } else { "FAIL" };
        eprintln!("[{mark}] {}", finding.what);
        if let Some(fix) = &finding.fix {
            eprintln!("       fix: {fix}");
        }
    }
    if problems > 0 {
        bail!("{problems} problem(s) found; fix them and run `cargo xtask doctor` again");
    }
    eprintln!("\nNo problems found.");
    Ok(())
}

async fn examine(config: &Path) -> Result<Vec<Finding>> {
    let vars = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)));
    let settings = match Settings::load_from(config, vars) {
        Ok(settings) => settings,
        Err(error) => {
            return Ok(vec![Finding::problem(
                format!("settings: {error}"),
                "correct the named field (config/README.md describes each)",
            )]);
        }
    };
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let sdk_config = custodian_core::aws_http::config_loader().load().await;
    let mut findings = vec![Finding::ok(format!("settings: {} loads", config.display()))];
    findings.extend(auth0::check(&settings, &http).await);
    findings.extend(fga::check(&settings, &http).await);
    findings.extend(secrets::check(&settings, &sdk_config).await);
    Ok(findings)
}
