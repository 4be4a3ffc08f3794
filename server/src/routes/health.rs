/// Liveness for the run command and load balancers; touches nothing.
pub async fn health() -> &'static str {
    "ok"
}
