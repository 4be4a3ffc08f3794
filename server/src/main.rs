//! Starts Custodian's BFF: under the Lambda runtime when AWS says so,
//! otherwise on the address in `LEPTOS_SITE_ADDR`.

use std::net::SocketAddr;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    custodian_core::telemetry::init(std::io::stdout);
    let sdk_config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let settings = custodian_core::startup::load_settings(&sdk_config).await?;
    let leptos_options = server::leptos_options()?;
    let address = leptos_options.site_addr;
    let state = server::build_state(settings, leptos_options, &sdk_config).await?;

    if std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some() {
        lambda_http::run_with_streaming_response(server::lambda_app(state))
            .await
            .map_err(|error| anyhow::anyhow!(error))?;
    } else {
        let listener = tokio::net::TcpListener::bind(address).await?;
        tracing::info!(address = %address, "Custodian is listening");
        // Pages stream in small writes: without NODELAY, Nagle's algorithm
        // and delayed ACKs hold each one back tens of milliseconds.
        let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
            let _ = tcp.set_nodelay(true);
        });
        // The peer's address is what the sign-in limit counts.
        let app = server::app(state).into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
    }
    Ok(())
}
