//! The settings file a stack runs with: `config/local.json` moved to the
//! stack's ports and data directory. Both services read the same file (the
//! sandbox takes its redirect URIs and client from it), so they always agree.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use custodian_core::settings::AgentHost;
use serde_json::Value;

use super::Ports;

/// Writes the stack's settings to `dir/config.json` and returns its path.
pub fn write(
    template: &Path,
    ports: Ports,
    data_dir: &Path,
    dir: &Path,
    agent_host: AgentHost,
) -> Result<PathBuf> {
    let text =
        fs::read_to_string(template).with_context(|| format!("reading {}", template.display()))?;
    let mut config: Value = serde_json::from_str(&text)
        .with_context(|| format!("{} is not valid JSON", template.display()))?;
    rebase(&mut config, ports).with_context(|| {
        format!(
            "{} names no app.baseUrl or auth0.domain",
            template.display()
        )
    })?;
    config["app"]["dataDir"] = Value::from(data_dir.display().to_string());
    config["agentHost"] = Value::from(agent_host.as_str());

    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let path = dir.join("config.json");
    fs::write(&path, serde_json::to_string_pretty(&config)?)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}

/// Moves every URL on the template's BFF origin (`app.baseUrl`) or sandbox
/// origin (`auth0.domain`) to the stack's ports; other URLs stay as they are.
fn rebase(config: &mut Value, ports: Ports) -> Option<()> {
    let origin = |pointer: &str| {
        let url = config.pointer(pointer)?.as_str()?;
        Some(url.trim_end_matches('/').to_owned())
    };
    let moves = [
        (origin("/app/baseUrl")?, ports.bff_url()),
        (origin("/auth0/domain")?, ports.sandbox_url()),
    ];
    replace_origins(config, &moves);
    Some(())
}

fn replace_origins(value: &mut Value, moves: &[(String, String)]) {
    match value {
        Value::String(s) => {
            for (from, to) in moves {
                let rest = s.strip_prefix(from.as_str());
                if let Some(rest) = rest.filter(|r| r.is_empty() || r.starts_with(['/', '?'])) {
                    *s = format!("{to}{rest}");
                    break;
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| replace_origins(v, moves)),
        Value::Object(fields) => fields.values_mut().for_each(|v| replace_origins(v, moves)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn moves_local_urls_to_the_stack_ports() {
        let mut config = json!({
            "app": {"baseUrl": "http://localhost:3000", "dataDir": "data"},
            "auth0": {"domain": "http://localhost:3001", "clientId": "c"},
            "fga": {"apiUrl": "http://localhost:3001/fga", "audience": "http://localhost:3001/fga/"},
            "okta": {"domain": "https://example.okta.com"},
            "other": ["http://localhost:30010/x", "http://localhost:3000?x"],
        });
        rebase(
            &mut config,
            Ports {
                bff: 3200,
                sandbox: 3201,
            },
        )
        .unwrap();
        assert_eq!(
            config,
            json!({
                "app": {"baseUrl": "http://localhost:3200", "dataDir": "data"},
                "auth0": {"domain": "http://localhost:3201", "clientId": "c"},
                "fga": {"apiUrl": "http://localhost:3201/fga", "audience": "http://localhost:3201/fga/"},
                "okta": {"domain": "https://example.okta.com"},
                "other": ["http://localhost:30010/x", "http://localhost:3200?x"],
            })
        );
    }

    #[test]
    fn needs_both_origins() {
        let mut config = json!({"app": {"baseUrl": "http://localhost:3000"}});
        assert!(rebase(&mut config, Ports { bff: 1, sandbox: 2 }).is_none());
    }
}
