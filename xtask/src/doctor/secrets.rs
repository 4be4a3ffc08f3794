//! The Secrets Manager secrets the stack reads, in the region the
//! environment names: they exist there and hold a usable value. A secret
//! missing from that region is looked for in the others Custodian is
//! deployed to, since a CLI's default region is the usual mistake.

use aws_config::{Region, SdkConfig};
use aws_sdk_secretsmanager::Client;
use custodian_core::credentials::CREDENTIALS_SECRET_ENV;
use custodian_core::sealing::secrets_manager;
use custodian_core::settings::Settings;

use super::Finding;

/// Regions with Amazon Bedrock agents, where a misplaced secret may be.
const OTHER_REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "eu-central-1",
    "eu-west-1",
    "eu-west-3",
    "ap-northeast-1",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
    "sa-east-1",
];

pub async fn check(settings: &Settings, sdk_config: &SdkConfig) -> Vec<Finding> {
    let mut findings = Vec::new();
    if let Some(id) = &settings.sealing.secret_id {
        findings.push(sealing_key(sdk_config, id).await);
    }
    if let Some(id) = std::env::var(CREDENTIALS_SECRET_ENV)
        .ok()
        .filter(|v| !v.is_empty())
    {
        findings.push(credentials(sdk_config, &id).await);
    }
    findings
}

fn region_of(sdk_config: &SdkConfig) -> String {
    sdk_config
        .region()
        .map_or_else(|| "(no region set)".to_owned(), ToString::to_string)
}

async fn sealing_key(sdk_config: &SdkConfig, id: &str) -> Finding {
    let client = Client::new(sdk_config);
    if let Some(problem) = missing(sdk_config, &client, id).await {
        return problem;
    }
    match secrets_manager::load_sealer(&client, id).await {
        Ok(_) => Finding::ok(format!(
            "secrets: sealing key {id} holds a usable key in {}",
            region_of(sdk_config)
        )),
        Err(error) => Finding::problem(
            format!("secrets: {error}"),
            "deploy the stack (its key custom resource fills the secret), or put \
             {\"key\": \"<fernet key>\"} in it; never an empty value",
        ),
    }
}

async fn credentials(sdk_config: &SdkConfig, id: &str) -> Finding {
    let client = Client::new(sdk_config);
    if let Some(problem) = missing(sdk_config, &client, id).await {
        return problem;
    }
    match custodian_core::credentials::from_secret(&client, id).await {
        Ok(pairs) if !pairs.is_empty() => Finding::ok(format!(
            "secrets: app credentials {id} in {}",
            region_of(sdk_config)
        )),
        Ok(_) => Finding::problem(
            format!("secrets: app credentials {id} hold no client secret"),
            "put the Auth0 and FGA client secrets in it (infra/README.md, the app-credentials secret)",
        ),
        Err(error) => Finding::problem(
            format!("secrets: {error}"),
            "put the Auth0 and FGA client secrets in it (infra/README.md, the app-credentials secret)",
        ),
    }
}

/// A finding when the secret is not in the configured region, naming the
/// region it was found in instead, if any.
async fn missing(sdk_config: &SdkConfig, client: &Client, id: &str) -> Option<Finding> {
    let region = region_of(sdk_config);
    if client.describe_secret().secret_id(id).send().await.is_ok() {
        return None;
    }
    for other in OTHER_REGIONS.iter().filter(|r| **r != region) {
        let elsewhere = Client::from_conf(
            aws_sdk_secretsmanager::config::Builder::from(sdk_config)
                .region(Region::new(*other))
                .build(),
        );
        if elsewhere
            .describe_secret()
            .secret_id(id)
            .send()
            .await
            .is_ok()
        {
            return Some(Finding::problem(
                format!("secrets: {id} is in {other}, not in {region} where Custodian runs"),
                format!(
                    "create it in {region} (every command in infra/README.md takes \
                     --region \"$AWS_REGION\"), or deploy to {other}"
                ),
            ));
        }
    }
    Some(Finding::problem(
        format!("secrets: {id} does not exist in {region}"),
        "deploy the stack in this region, or check AWS_REGION and the secret's name",
    ))
}
