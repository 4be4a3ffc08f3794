//! `cargo xtask doctor` against the sandbox (Auth0 and FGA) and moto
//! (Secrets Manager): a healthy setup passes, and each misconfiguration is
//! found and named with its fix.

use std::process::{Command, Output};

use custodian_core::sealing::Sealer;
use sandbox::{FgaConfig, RunningSandbox, SandboxConfig};
use secrecy::ExposeSecret;
use serde_json::json;
use test_support::moto;

const FGA_CLIENT_ID: &str = "doctor-fga-client";
const FGA_SECRET: &str = "doctor-fga-secret";
const FGA_AUDIENCE: &str = "https://fga.doctor.test/";
const STORE: &str = "01JDQ8Z6V3K2M4N5P6Q7R8S9T0";
const MODEL: &str = "01JDQ8Z7A1B2C3D4E5F6G7H8J9";
/// Well formed, but not the store's model.
const OTHER_MODEL: &str = "01JDQ8Z8K9M8N7P6Q5R4S3T2V1";

async fn sandbox(ciba_advertised: bool) -> RunningSandbox {
    let config = SandboxConfig {
        client_id: "doctor-app".into(),
        client_secret: "doctor-app-secret".into(),
        ciba_advertised,
        fga: FgaConfig {
            client_id: FGA_CLIENT_ID.into(),
            client_secret: FGA_SECRET.into(),
            store_id: STORE.into(),
            model_id: MODEL.into(),
            audience: FGA_AUDIENCE.into(),
        },
        ..SandboxConfig::default()
    };
    test_support::sandbox::spawn(config).await
}

fn settings(sandbox: &RunningSandbox, model_id: &str, sealing_secret: &str) -> serde_json::Value {
    let base = &sandbox.base_url;
    json!({
        "auth0": {
            "domain": base,
            "clientId": "doctor-app",
            "clientSecret": "doctor-app-secret",
            "connectionName": "Okta-OIDC"
        },
        "fga": {
            "clientId": FGA_CLIENT_ID,
            "clientSecret": FGA_SECRET,
            "storeId": STORE,
            "modelId": model_id,
            "apiUrl": format!("{base}/fga"),
            "tokenUrl": format!("{base}/fga/oauth/token"),
            "audience": FGA_AUDIENCE
        },
        "okta": { "domain": format!("{base}/okta") },
        "sealing": { "secretId": sealing_secret }
    })
}

/// A secret in `region` (moto keeps regions apart, as AWS does).
async fn secret_in(region: &str, value: Option<String>) -> String {
    let moto = moto::moto();
    let config = aws_sdk_secretsmanager::config::Builder::from(&moto.sdk_config().await)
        .endpoint_url(&moto.endpoint)
        .region(aws_config::Region::new(region.to_owned()))
        .build();
    let name = format!("doctor-{}", uuid::Uuid::new_v4().simple());
    aws_sdk_secretsmanager::Client::from_conf(config)
        .create_secret()
        .name(&name)
        .set_secret_string(value)
        .send()
        .await
        .unwrap();
    name
}

fn sealing_key() -> String {
    json!({ "key": Sealer::generate_key().expose_secret() }).to_string()
}

fn credentials() -> String {
    json!({
        "auth0": { "clientSecret": "doctor-app-secret" },
        "fga": { "clientSecret": FGA_SECRET }
    })
    .to_string()
}

/// Runs the real binary; the test runtime has worker threads left to serve
/// the in-process sandbox meanwhile.
fn doctor(settings: &serde_json::Value, credentials_secret: &str) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("environment.json");
    std::fs::write(&path, settings.to_string()).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    for (name, _) in std::env::vars().filter(|(k, _)| k.starts_with("CUSTODIAN")) {
        command.env_remove(name);
    }
    let Output { status, stderr, .. } = command
        .args(["doctor", "--config"])
        .arg(&path)
        .env("AWS_ENDPOINT_URL", &moto::moto().endpoint)
        .env("AWS_REGION", moto::REGION)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env_remove("AWS_PROFILE")
        .env("CUSTODIAN_CREDENTIALS_SECRET", credentials_secret)
        .output()
        .unwrap();
    (
        status.success(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_healthy_deployment_passes() {
    let sandbox = sandbox(true).await;
    let sealing = secret_in(moto::REGION, Some(sealing_key())).await;
    let creds = secret_in(moto::REGION, Some(credentials())).await;
    let (ok, report) = doctor(&settings(&sandbox, MODEL, &sealing), &creds);
    assert!(ok, "{report}");
    for line in [
        "[ok ] auth0: CIBA is available",
        &format!("[ok ] fga: model {MODEL} in store {STORE}"),
        "holds a usable key in us-east-1",
        "No problems found.",
    ] {
        assert!(report.contains(line), "expected {line:?} in\n{report}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn each_misconfiguration_is_found_with_its_fix() {
    let sandbox = sandbox(false).await;
    let empty_sealing = secret_in(moto::REGION, None).await;
    let creds_elsewhere = secret_in("eu-west-1", Some(credentials())).await;
    let (ok, report) = doctor(
        &settings(&sandbox, OTHER_MODEL, &empty_sealing),
        &creds_elsewhere,
    );
    assert!(!ok, "{report}");
    for (problem, fix) in [
        ("does not advertise CIBA", "Guardian push channel"),
        (
            format!("has no model {OTHER_MODEL}").as_str(),
            "fga model write",
        ),
        ("holds no value", "key custom resource fills the secret"),
        (
            "is in eu-west-1, not in us-east-1",
            "--region \"$AWS_REGION\"",
        ),
    ] {
        assert!(
            report.contains(problem),
            "expected {problem:?} in\n{report}"
        );
        assert!(
            report.contains(fix),
            "expected the fix {fix:?} in\n{report}"
        );
    }
    assert!(!report.contains(FGA_SECRET), "no secret in the report");
    assert!(report.contains("4 problem(s) found"), "{report}");
}
