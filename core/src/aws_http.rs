//! The one HTTPS client every AWS SDK client here uses: rustls on ring.
//! The SDKs' own default would link a second crypto library (aws-lc) next
//! to the ring the other HTTP clients already use; one is enough.

use aws_config::{BehaviorVersion, ConfigLoader};
use aws_smithy_http_client::Builder;
use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
use aws_smithy_runtime_api::client::http::SharedHttpClient;

/// An HTTPS client for an SDK config or a client's config builder.
pub fn https_client() -> SharedHttpClient {
    Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

/// `aws_config::defaults` with that client: the default credential and
/// region chain, the latest behaviour.
pub fn config_loader() -> ConfigLoader {
    aws_config::defaults(BehaviorVersion::latest()).http_client(https_client())
}
