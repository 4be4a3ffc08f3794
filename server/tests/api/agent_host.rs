//! A BFF configured for an agent host it cannot serve refuses to start,
//! saying which setting to change, instead of failing on an unrelated one.

use crate::helpers::repo_root;

#[tokio::test]
async fn the_harness_host_is_refused_at_start_up_with_the_setting_named() {
    let data_dir = tempfile::tempdir().unwrap();
    let env = [
        ("CUSTODIAN__AGENT_HOST", "agentcore-harness".to_owned()),
        (
            "CUSTODIAN__APP__DATA_DIR",
            data_dir.path().display().to_string(),
        ),
    ]
    .map(|(k, v)| (k.to_owned(), v));
    let settings =
        custodian_core::settings::Settings::load_from(&repo_root().join("config/local.json"), env)
            .unwrap();
    let sdk_config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .load()
        .await;
    let options = leptos::config::LeptosOptions::builder()
        .output_name("custodian")
        .site_root(data_dir.path().display().to_string())
        .build();
    let error = server::build_state(settings, options, &sdk_config)
        .await
        .err()
        .expect("start-up must stop")
        .to_string();
    assert!(error.contains("agentHost"), "{error}");
    assert!(error.contains("bedrock-agent"), "{error}");
    assert!(!error.contains("bedrock: missing"), "{error}");
}
