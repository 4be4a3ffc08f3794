//! The `CIBAAuthentication` action-group Lambda.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    lambdas::serve(lambdas::Handler::CibaAuthentication).await
}
