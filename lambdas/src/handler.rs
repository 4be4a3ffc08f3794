//! The action groups this crate serves, and the Lambda runtime loop shared
//! by their binaries.

use std::sync::Arc;

use lambda_runtime::{LambdaEvent, service_fn};
use serde_json::Value;

use crate::names::{CIBA_AUTHENTICATION, OKTA_OPERATIONS};
use crate::{ciba_authentication, okta_operations};
use custodian_core::actions::ActionContext;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handler {
    OktaOperations,
    CibaAuthentication,
}

impl Handler {
    /// The handler for an action group's name, as the agent sends it.
    pub fn for_action_group(name: &str) -> Option<Handler> {
        match name {
            OKTA_OPERATIONS => Some(Handler::OktaOperations),
            CIBA_AUTHENTICATION => Some(Handler::CibaAuthentication),
            _ => None,
        }
    }

    /// Answers one invocation; always a valid function response.
    pub async fn handle(self, context: &ActionContext, event: Value) -> Value {
        match self {
            Handler::OktaOperations => okta_operations::handle(context, event).await,
            Handler::CibaAuthentication => ciba_authentication::handle(context, event).await,
        }
    }
}

/// A Lambda's whole life: settings and clients once per cold start, then
/// one `handle` per invocation.
pub async fn serve(handler: Handler) -> Result<(), lambda_runtime::Error> {
    custodian_core::telemetry::init(std::io::stdout);
    let sdk_config = custodian_core::aws_timeouts::sdk_config().await;
    let settings = custodian_core::startup::load_settings(&sdk_config).await?;
    let backend = custodian_core::startup::Backend::open(&settings, &sdk_config).await?;
    let context = Arc::new(ActionContext::new(&settings, &backend));
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| {
        let context = context.clone();
        async move { Ok::<_, lambda_runtime::Error>(handler.handle(&context, event.payload).await) }
    }))
    .await
}
