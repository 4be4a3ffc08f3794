//! The `fernet-keygen` custom-resource Lambda, behind CDK's `cr.Provider`.

use lambda_runtime::{LambdaEvent, service_fn};
use lambdas::fernet_keygen::{self, CustomResourceEvent};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    custodian_core::telemetry::init(std::io::stdout);
    let sdk_config = custodian_core::aws_timeouts::sdk_config().await;
    let client = aws_sdk_secretsmanager::Client::new(&sdk_config);
    lambda_runtime::run(service_fn(
        move |event: LambdaEvent<CustomResourceEvent>| {
            let client = client.clone();
            async move {
                fernet_keygen::handle(&client, event.payload)
                    .await
                    .map_err(lambda_runtime::Error::from)
            }
        },
    ))
    .await
}
