//! Custodian's own pieces as the tests start them: an AWS config that looks
//! nothing up, and the action-group handlers' context on the store the
//! settings name.

use std::sync::Arc;

use aws_config::{Region, SdkConfig};
use aws_sdk_secretsmanager::config::Credentials;
use custodian_core::actions::ActionContext;
use custodian_core::settings::Settings;
use custodian_core::startup::Backend;

/// A fixed region and static credentials: the SDK always signs, and
/// loading asks no metadata service.
pub async fn sdk_config() -> SdkConfig {
    custodian_core::aws_http::config_loader()
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "tests"))
        .load()
        .await
}

/// The handlers' context as a Lambda builds its own from `settings`.
pub async fn action_context(settings: &Settings) -> Arc<ActionContext> {
    let backend = Backend::open(settings, &sdk_config().await).await.unwrap();
    Arc::new(ActionContext::new(settings, &backend))
}
