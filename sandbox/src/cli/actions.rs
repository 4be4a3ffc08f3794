//! The action-group handlers the sandbox agent calls in-process, built from
//! Custodian's config exactly as the Lambdas build them: the same settings,
//! the same session store and sealing key as the BFF (the embedded store is
//! safe to share between processes).

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use aws_config::Region;
use custodian_core::settings::Settings;
use lambdas::ActionContext;

/// Reads `path` with `CUSTODIAN__SECTION__FIELD` overrides from the
/// environment, then opens the store and sealing key it names.
pub async fn from_custodian_config(path: &Path) -> anyhow::Result<Arc<ActionContext>> {
    // Variables that are not Unicode cannot be ours; skip them.
    let vars = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)));
    let settings = Settings::load_from(path, vars)
        .with_context(|| format!("loading Custodian's settings from {}", path.display()))?;
    // The region is given so that loading looks nothing up; credentials
    // are resolved only if a DynamoDB store or Secrets Manager key is used.
    let sdk_config = custodian_core::aws_http::config_loader()
        .region(Region::new(
            settings
                .bedrock
                .as_ref()
                .map_or_else(|| "us-east-1".to_owned(), |b| b.region.clone()),
        ))
        .load()
        .await;
    let backend = custodian_core::startup::Backend::open(&settings, &sdk_config)
        .await
        .context("opening Custodian's session store for the sandbox agent's actions")?;
    Ok(Arc::new(ActionContext::new(&settings, &backend)))
}
