//! The `OktaOperations` action-group Lambda.

use std::sync::Arc;

use custodian_core::settings::Settings;
use lambda_runtime::{LambdaEvent, service_fn};
use lambdas::{ActionContext, okta_operations};
use serde_json::Value;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    custodian_core::telemetry::init(std::io::stdout);
    let settings = Settings::load()?;
    let sdk_config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let (_, _, sessions) = custodian_core::runtime::open_sessions(&settings, &sdk_config).await?;
    let context = Arc::new(ActionContext::new(&settings, sessions));
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| {
        let context = context.clone();
        async move {
            Ok::<_, lambda_runtime::Error>(okta_operations::handle(&context, event.payload).await)
        }
    }))
    .await
}
