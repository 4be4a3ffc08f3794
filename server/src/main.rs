//! Starts Custodian's BFF: under the Lambda runtime when AWS says so,
//! otherwise on the address in `LEPTOS_SITE_ADDR`.

/// Each page render allocates thousands of small values across both
/// runtime threads; mimalloc's per-thread pages take them faster than
/// glibc's arenas and give memory back instead of fragmenting it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    custodian_core::telemetry::init(std::io::stdout);
    let sdk_config = custodian_core::aws_timeouts::sdk_config().await;
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
        server::serve(listener, server::app(state), server::stop_signal()).await?;
    }
    Ok(())
}
