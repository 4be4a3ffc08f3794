//! Settings: both shipped files load, defaults, domain forms, environment
//! overrides, and errors that name the field without showing secrets.

use std::path::{Path, PathBuf};

use custodian_core::settings::{AgentHost, LimitSettings, Settings, SettingsError, StoreSettings};
use secrecy::ExposeSecret;
use tempfile::TempDir;

const SECRET_MARK: &str = "s3cr3t-MARK-do-not-print";

fn repo_config(name: &str) -> PathBuf {
    test_support::repo_root().join("config").join(name)
}

/// Only the fields without defaults.
fn minimal() -> serde_json::Value {
    serde_json::json!({
        "auth0": {
            "domain": "tenant.us.auth0.com",
            "clientId": "client",
            "clientSecret": SECRET_MARK,
            "connectionName": "Okta-OIDC"
        },
        "fga": {
            "clientId": "fga-client",
            "clientSecret": SECRET_MARK,
            "storeId": "store",
            "modelId": "model"
        },
        "okta": { "domain": "example.okta.com" },
        "bedrock": { "agentId": "AGENT", "agentAliasId": "ALIAS" }
    })
}

struct Written {
    _dir: TempDir,
    path: PathBuf,
}

fn write(json: &serde_json::Value) -> Written {
    write_text(&json.to_string())
}

fn write_text(text: &str) -> Written {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.json");
    std::fs::write(&path, text).unwrap();
    Written { _dir: dir, path }
}

fn load(json: &serde_json::Value, env: &[(&str, &str)]) -> Result<Settings, SettingsError> {
    let file = write(json);
    load_file(&file.path, env)
}

fn load_file(path: &Path, env: &[(&str, &str)]) -> Result<Settings, SettingsError> {
    Settings::load_from(
        path,
        env.iter().map(|(k, v)| (k.to_string(), v.to_string())),
    )
}

/// Loads `json` with one field replaced, expecting an error.
fn error_with(section: &str, field: &str, value: serde_json::Value) -> SettingsError {
    let mut json = minimal();
    json[section][field] = value;
    load(&json, &[]).expect_err("should be rejected")
}

fn assert_no_secret(text: &str) {
    assert!(!text.contains(SECRET_MARK), "secret printed: {text}");
}

#[test]
fn local_json_points_at_the_sandbox() {
    let settings = load_file(&repo_config("local.json"), &[]).unwrap();
    assert_eq!(settings.app.base_url.as_str(), "http://localhost:3000/");
    assert_eq!(settings.auth0.issuer().as_str(), "http://localhost:3001/");
    assert_eq!(settings.auth0.client_id, "custodian-local");
    assert_eq!(settings.auth0.connection_name, "Okta-OIDC");
    // The sandbox tenant's API, so approval requests carry their details.
    assert_eq!(
        settings.auth0.audience.as_deref(),
        Some("https://custodian.example/api")
    );
    assert_eq!(settings.fga.api_url.as_str(), "http://localhost:3001/fga");
    assert_eq!(
        settings.fga.token_url.as_str(),
        "http://localhost:3001/fga/oauth/token"
    );
    assert_eq!(settings.fga.audience, "http://localhost:3001/fga/");
    assert_eq!(settings.okta.domain.as_str(), "http://localhost:3001/okta/");
    assert_eq!(
        settings
            .bedrock
            .as_ref()
            .unwrap()
            .endpoint
            .as_ref()
            .map(|u| u.as_str()),
        Some("http://localhost:3001/bedrock")
    );
    assert_eq!(settings.bedrock.as_ref().unwrap().agent_id, "SANDBOXAGT");
    assert_eq!(
        settings.bedrock.as_ref().unwrap().agent_alias_id,
        "TSTALIASID"
    );
    assert_eq!(
        settings.store,
        StoreSettings::Embedded {
            path: Some(PathBuf::from("data/custodian.sqlite3"))
        }
    );
    assert_eq!(
        settings.sealing.key_file,
        Some(PathBuf::from("data/sealing.key"))
    );
    assert!(
        settings
            .auth0
            .client_secret
            .expose_secret()
            .contains("sandbox")
    );
    // The sandbox does not hold Custodian to Auth0's 5 pushes a minute, and
    // the browser suite and the bench start more pushes and sign-ins than
    // that from one address; the other limits keep their defaults.
    assert_eq!(settings.limits.step_up_pushes_per_minute, 30);
    assert_eq!(settings.limits.sign_ins_per_minute, 300);
    assert_eq!(settings.limits.pending_step_ups, 3);
    assert_eq!(settings.limits.chat_turns_per_minute, 20);
}

#[test]
fn environment_example_has_the_seed_shape_and_aws_backends() {
    let settings = load_file(&repo_config("environment.example.json"), &[]).unwrap();
    assert_eq!(
        settings.auth0.issuer().as_str(),
        "https://your-domain.auth0.com/"
    );
    assert_eq!(
        settings.okta.domain.as_str(),
        "https://your-domain.okta.com/"
    );
    assert_eq!(
        settings.store,
        StoreSettings::Dynamodb {
            table: "bedrock-sessions".into(),
            conversations_table: "custodian-conversations".into(),
            endpoint: None
        }
    );
    assert_eq!(
        settings.sealing.secret_id.as_deref(),
        Some("token-encryption-key")
    );
    assert_eq!(settings.sealing.key_file, None);
    assert!(settings.app.is_https());
    assert_eq!(settings.app.path_prefix(), "/prod");
    assert_eq!(
        settings.app.origin(),
        "https://your-api-id.execute-api.us-east-1.amazonaws.com"
    );
    assert_eq!(settings.bedrock.as_ref().unwrap().endpoint, None);
}

#[test]
fn defaults_fill_everything_optional() {
    let settings = load(&minimal(), &[]).unwrap();
    assert_eq!(settings.app.base_url.as_str(), "http://localhost:3000/");
    assert!(!settings.app.is_https());
    assert_eq!(settings.app.path_prefix(), "");
    assert_eq!(settings.app.origin(), "http://localhost:3000");
    assert_eq!(settings.app.data_dir, PathBuf::from("data"));
    assert_eq!(settings.app.session_idle_minutes, 30);
    assert_eq!(settings.app.session_absolute_hours, 12);
    assert_eq!(settings.app.turn_deadline_seconds, 120);
    assert_eq!(settings.auth0.ciba_expiry_seconds, 300);
    assert_eq!(settings.auth0.audience, None);
    assert_eq!(settings.fga.api_url.as_str(), "https://api.us1.fga.dev/");
    assert_eq!(
        settings.fga.token_url.as_str(),
        "https://auth.fga.dev/oauth/token"
    );
    assert_eq!(settings.fga.audience, "https://api.us1.fga.dev/");
    assert_eq!(settings.bedrock.as_ref().unwrap().region, "us-east-1");
    assert_eq!(settings.bedrock.as_ref().unwrap().endpoint, None);
    assert_eq!(
        settings.store,
        StoreSettings::Embedded {
            path: Some(PathBuf::from("data/custodian.sqlite3"))
        }
    );
    assert_eq!(
        settings.sealing.key_file,
        Some(PathBuf::from("data/sealing.key"))
    );
    assert_eq!(settings.sealing.secret_id, None);
    assert_eq!(settings.limits, LimitSettings::default());
}

#[test]
fn limits_default_to_auth0s_push_limit_and_generous_counts() {
    let limits = load(&minimal(), &[]).unwrap().limits;
    assert_eq!(limits.step_up_pushes_per_minute, 5);
    assert_eq!(limits.pending_step_ups, 3);
    assert_eq!(limits.sign_ins_per_minute, 30);
    assert_eq!(limits.chat_turns_per_minute, 20);

    let mut json = minimal();
    json["limits"] = serde_json::json!({ "signInsPerMinute": 100 });
    let limits = load(&json, &[("CUSTODIAN__LIMITS__CHAT_TURNS_PER_MINUTE", "7")])
        .unwrap()
        .limits;
    assert_eq!(limits.sign_ins_per_minute, 100);
    assert_eq!(limits.chat_turns_per_minute, 7);
    assert_eq!(limits.pending_step_ups, 3);
}

#[test]
fn audit_retention_defaults_to_ninety_days_and_is_checked() {
    let settings = load(&minimal(), &[("CUSTODIAN__AUDIT__RETENTION_DAYS", "7")]).unwrap();
    assert_eq!(settings.audit.retention_seconds(), 7 * 86_400);
    assert_eq!(load(&minimal(), &[]).unwrap().audit.retention_days, 90);
    let cases: Vec<(serde_json::Value, &str)> = vec![
        (
            serde_json::json!({"audit": {"retentionDays": 0}}),
            "audit.retentionDays: must be between 1 and 3650",
        ),
        (
            serde_json::json!({"audit": {"retentionDays": 3651}}),
            "audit.retentionDays: must be between 1 and 3650",
        ),
        (
            serde_json::json!({"audit": {"keepDays": 5}}),
            "audit.keepDays: unknown field",
        ),
    ];
    assert_each_patch_rejected(&cases);
}

#[test]
fn limit_values_are_checked() {
    let cases: Vec<(serde_json::Value, &str)> = vec![
        (
            serde_json::json!({"limits": {"stepUpPushesPerMinute": 0}}),
            "limits.stepUpPushesPerMinute: must be greater than 0",
        ),
        (
            serde_json::json!({"limits": {"pendingStepUps": 0}}),
            "limits.pendingStepUps: must be between 1 and 10",
        ),
        (
            serde_json::json!({"limits": {"pendingStepUps": 11}}),
            "limits.pendingStepUps: must be between 1 and 10",
        ),
        (
            serde_json::json!({"limits": {"signInsPerMinute": "many"}}),
            "limits.signInsPerMinute: expected a whole number, found a string",
        ),
        (
            serde_json::json!({"limits": {"chatTurnsPerMinute": -1}}),
            "limits.chatTurnsPerMinute: expected a whole number",
        ),
        (
            serde_json::json!({"limits": {"turnsPerMinute": 5}}),
            "limits.turnsPerMinute: unknown field",
        ),
    ];
    assert_each_patch_rejected(&cases);

    let err = load(
        &minimal(),
        &[("CUSTODIAN__LIMITS__SIGN_INS_PER_MINUTE", "0")],
    )
    .unwrap_err();
    assert_eq!(
        err.origin(),
        "environment variable CUSTODIAN__LIMITS__SIGN_INS_PER_MINUTE"
    );
    assert_eq!(err.field(), "limits.signInsPerMinute");
    assert_eq!(err.problem(), "must be greater than 0");
}

#[test]
fn derived_paths_follow_the_data_dir() {
    let mut json = minimal();
    json["app"] = serde_json::json!({ "dataDir": "/var/lib/custodian" });
    json["store"] = serde_json::json!({ "kind": "dynamodb" });
    let settings = load(&json, &[]).unwrap();
    assert_eq!(
        settings.sealing.key_file,
        Some(PathBuf::from("/var/lib/custodian/sealing.key"))
    );
    assert_eq!(
        settings.store,
        StoreSettings::Dynamodb {
            table: "bedrock-sessions".into(),
            conversations_table: "custodian-conversations".into(),
            endpoint: None
        }
    );
}

#[test]
fn domains_accept_bare_hosts_and_urls() {
    let cases = [
        ("tenant.us.auth0.com", "https://tenant.us.auth0.com/"),
        (
            "https://tenant.us.auth0.com",
            "https://tenant.us.auth0.com/",
        ),
        (
            "https://tenant.us.auth0.com/",
            "https://tenant.us.auth0.com/",
        ),
        ("http://localhost:3001", "http://localhost:3001/"),
        ("http://localhost:3001/okta", "http://localhost:3001/okta/"),
    ];
    for (raw, expected) in cases {
        let mut json = minimal();
        json["auth0"]["domain"] = raw.into();
        json["okta"]["domain"] = raw.into();
        let settings = load(&json, &[]).unwrap();
        assert_eq!(settings.auth0.issuer().as_str(), expected, "{raw}");
        assert_eq!(settings.okta.domain.as_str(), expected, "{raw}");
    }
}

#[test]
fn base_url_with_a_stage_prefix() {
    let mut json = minimal();
    json["app"] =
        serde_json::json!({ "baseUrl": "https://abc.execute-api.eu-west-1.amazonaws.com/prod/" });
    let settings = load(&json, &[]).unwrap();
    assert_eq!(settings.app.path_prefix(), "/prod");
    assert_eq!(
        settings.app.origin(),
        "https://abc.execute-api.eu-west-1.amazonaws.com"
    );
    assert!(settings.app.is_https());

    json["app"] = serde_json::json!({ "baseUrl": "http://127.0.0.1:8080" });
    let settings = load(&json, &[]).unwrap();
    assert_eq!(settings.app.origin(), "http://127.0.0.1:8080");
    assert_eq!(settings.app.path_prefix(), "");
}

#[test]
fn environment_overrides_the_file_with_camel_case_fields() {
    let settings = load(
        &minimal(),
        &[
            ("CUSTODIAN__AUTH0__CLIENT_SECRET", "from-env"),
            ("CUSTODIAN__AUTH0__DOMAIN", "http://localhost:4000"),
            ("CUSTODIAN__AUTH0__CIBA_EXPIRY_SECONDS", "120"),
            ("CUSTODIAN__APP__SESSION_IDLE_MINUTES", "45"),
            ("CUSTODIAN__APP__BASE_URL", "https://custodian.example.com"),
            ("CUSTODIAN__FGA__STORE_ID", "12345"),
            (
                "CUSTODIAN__BEDROCK__ENDPOINT",
                "http://localhost:4000/bedrock",
            ),
            ("CUSTODIAN__STORE__KIND", "dynamodb"),
            ("CUSTODIAN__STORE__TABLE", "other-table"),
            (
                "CUSTODIAN__STORE__CONVERSATIONS_TABLE",
                "other-conversations",
            ),
            ("CUSTODIAN__SEALING__SECRET_ID", "my-key"),
            ("CUSTODIAN_CONFIG", "ignored.json"),
            ("UNRELATED", "x"),
        ],
    )
    .unwrap();
    assert_eq!(settings.auth0.client_secret.expose_secret(), "from-env");
    assert_eq!(settings.auth0.issuer().as_str(), "http://localhost:4000/");
    assert_eq!(settings.auth0.ciba_expiry_seconds, 120);
    assert_eq!(settings.app.session_idle_minutes, 45);
    assert!(settings.app.is_https());
    // A numeric-looking value still fills a string field.
    assert_eq!(settings.fga.store_id, "12345");
    assert_eq!(
        settings
            .bedrock
            .as_ref()
            .unwrap()
            .endpoint
            .as_ref()
            .map(|u| u.as_str()),
        Some("http://localhost:4000/bedrock")
    );
    assert_eq!(
        settings.store,
        StoreSettings::Dynamodb {
            table: "other-table".into(),
            conversations_table: "other-conversations".into(),
            endpoint: None
        }
    );
    assert_eq!(settings.sealing.secret_id.as_deref(), Some("my-key"));
    assert_eq!(settings.sealing.key_file, None);
}

#[test]
fn an_empty_environment_value_unsets_an_optional_field() {
    let settings = load_file(
        &repo_config("local.json"),
        &[("CUSTODIAN__BEDROCK__ENDPOINT", "")],
    )
    .unwrap();
    assert_eq!(settings.bedrock.as_ref().unwrap().endpoint, None);
}

#[test]
fn environment_alone_can_supply_a_missing_section() {
    let mut json = minimal();
    json.as_object_mut().unwrap().remove("okta");
    let settings = load(
        &json,
        &[("CUSTODIAN__OKTA__DOMAIN", "https://corp.okta.com")],
    )
    .unwrap();
    assert_eq!(settings.okta.domain.as_str(), "https://corp.okta.com/");
}

#[test]
fn missing_fields_are_named_with_the_file() {
    let mut json = minimal();
    json["auth0"].as_object_mut().unwrap().remove("clientId");
    let file = write(&json);
    let err = load_file(&file.path, &[]).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("{}: auth0.clientId: missing", file.path.display())
    );
    assert_eq!(err.field(), "auth0.clientId");

    // Without a bedrock section the settings still load (the action-group
    // Lambdas have none); an incomplete one names its missing field.
    let mut json = minimal();
    json.as_object_mut().unwrap().remove("bedrock");
    assert!(load(&json, &[]).unwrap().bedrock.is_none());
    let mut json = minimal();
    json["bedrock"].as_object_mut().unwrap().remove("agentId");
    let err = load(&json, &[]).unwrap_err();
    assert_eq!(err.field(), "bedrock.agentId");
    assert_eq!(err.problem(), "missing");
}

#[test]
fn malformed_values_name_their_field() {
    let cases: Vec<(&str, &str, serde_json::Value, &str)> = vec![
        (
            "auth0",
            "domain",
            "ht tp://".into(),
            "auth0.domain: \"ht tp://\" is not a URL or host name",
        ),
        (
            "auth0",
            "domain",
            "ftp://host".into(),
            "auth0.domain: \"ftp://host\" must use http or https",
        ),
        (
            "okta",
            "domain",
            "".into(),
            "okta.domain: \"\" is not a URL or host name",
        ),
        (
            "auth0",
            "clientId",
            "".into(),
            "auth0.clientId: must not be empty",
        ),
        (
            "auth0",
            "connectionName",
            "  ".into(),
            "auth0.connectionName: must not be empty",
        ),
        (
            "auth0",
            "clientId",
            12.into(),
            "auth0.clientId: expected a string, found a number",
        ),
        (
            "auth0",
            "cibaExpirySeconds",
            301.into(),
            "auth0.cibaExpirySeconds: must be between 1 and 300",
        ),
        (
            "auth0",
            "cibaExpirySeconds",
            0.into(),
            "auth0.cibaExpirySeconds: must be between 1 and 300",
        ),
        (
            "auth0",
            "clientID",
            "x".into(),
            "auth0.clientID: unknown field",
        ),
        (
            "fga",
            "storeId",
            "".into(),
            "fga.storeId: must not be empty",
        ),
        (
            "fga",
            "apiUrl",
            "api.us1.fga.dev".into(),
            "fga.apiUrl: \"api.us1.fga.dev\" is not an absolute http(s) URL",
        ),
        (
            "bedrock",
            "endpoint",
            "localhost:3001".into(),
            "bedrock.endpoint:",
        ),
        (
            "bedrock",
            "agentId",
            serde_json::Value::Null,
            "bedrock.agentId: expected a string",
        ),
    ];
    for (section, field, value, expected) in cases {
        let err = error_with(section, field, value.clone()).to_string();
        assert!(
            err.contains(expected),
            "{section}.{field} = {value}: got {err:?}, expected {expected:?}"
        );
    }
}

#[test]
fn app_and_store_values_are_checked() {
    let cases: Vec<(serde_json::Value, &str)> = vec![
        (
            serde_json::json!({"app": {"sessionIdleMinutes": 0}}),
            "app.sessionIdleMinutes: must be greater than 0",
        ),
        (
            serde_json::json!({"app": {"sessionAbsoluteHours": -1}}),
            "app.sessionAbsoluteHours: expected a whole number",
        ),
        (
            serde_json::json!({"app": {"sessionAbsoluteHours": "soon"}}),
            "app.sessionAbsoluteHours: expected a whole number, found a string",
        ),
        (
            serde_json::json!({"app": {"turnDeadlineSeconds": 600}}),
            "app.turnDeadlineSeconds: must be between 1 and 240",
        ),
        (
            serde_json::json!({"app": {"baseUrl": "not a url"}}),
            "app.baseUrl: \"not a url\" is not an absolute http(s) URL",
        ),
        (
            serde_json::json!({"app": {"dataDir": ""}}),
            "app.dataDir: must not be empty",
        ),
        (
            serde_json::json!({"store": {"kind": "dynamo"}}),
            "unknown kind \"dynamo\"",
        ),
        (
            serde_json::json!({"store": {"kind": "dynamodb", "tabel": "x"}}),
            "unknown field",
        ),
        (
            serde_json::json!({"store": {"kind": "embedded", "table": "x"}}),
            "unknown field",
        ),
        (
            serde_json::json!({"sealing": {"keyFile": "k", "secretId": "s"}}),
            "sealing: set keyFile or secretId, not both",
        ),
        (serde_json::json!({"extra": {}}), ": extra: unknown field"),
    ];
    assert_each_patch_rejected(&cases);
}

#[test]
fn bad_environment_values_name_the_variable() {
    let err = load(
        &minimal(),
        &[("CUSTODIAN__APP__SESSION_IDLE_MINUTES", "soon")],
    )
    .unwrap_err();
    assert_eq!(
        err.origin(),
        "environment variable CUSTODIAN__APP__SESSION_IDLE_MINUTES"
    );
    assert_eq!(err.field(), "app.sessionIdleMinutes");

    let err = load(&minimal(), &[("CUSTODIAN__AUTH0__CLIENTID", "x")]).unwrap_err();
    assert_eq!(err.field(), "auth0.clientid");
    assert!(err.to_string().contains("unknown field"), "{err}");
}

#[test]
fn file_problems_are_reported_with_the_path() {
    let err = load_file(Path::new("/nonexistent/custodian.json"), &[]).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("/nonexistent/custodian.json: cannot read"),
        "{err}"
    );
    assert!(err.to_string().contains("CUSTODIAN_CONFIG"), "{err}");

    let file = write_text("{ \"auth0\": { \"clientSecret\": \"s3cr3t-MARK-do-not-print\", }");
    let err = load_file(&file.path, &[]).unwrap_err().to_string();
    assert!(err.starts_with(&file.path.display().to_string()), "{err}");
    assert_no_secret(&err);
}

#[test]
fn secrets_never_appear_in_errors() {
    // Wrong types for secret fields: serde would quote the value.
    for value in [
        serde_json::json!([SECRET_MARK]),
        serde_json::json!({ "value": SECRET_MARK }),
        serde_json::json!(""),
        serde_json::json!(42),
    ] {
        for section in ["auth0", "fga"] {
            let err = error_with(section, "clientSecret", value.clone());
            assert_eq!(err.field(), format!("{section}.clientSecret"));
            assert_eq!(err.problem(), "invalid");
            assert_no_secret(&err.to_string());
            assert_no_secret(&format!("{err:?}"));
        }
    }
    // A secret supplied by the environment next to an unrelated error.
    let err = load(
        &minimal(),
        &[
            ("CUSTODIAN__AUTH0__CLIENT_SECRET", SECRET_MARK),
            ("CUSTODIAN__FGA__CLIENT_SECRET", "[1, 2]"),
        ],
    );
    if let Err(err) = err {
        assert_no_secret(&err.to_string());
    }
    // Credentials inside a URL are not echoed either.
    let err = error_with(
        "okta",
        "domain",
        format!("ftp://admin:{SECRET_MARK}@corp.okta.com").into(),
    );
    assert_no_secret(&err.to_string());
}

#[test]
fn debug_output_redacts_secrets() {
    let settings = load(&minimal(), &[]).unwrap();
    let debug = format!("{settings:?}");
    assert_no_secret(&debug);
    assert!(debug.contains("tenant.us.auth0.com"), "{debug}");
}

#[test]
fn id_token_algorithms_are_an_allow_list_that_names_bad_entries() {
    let settings = load(&minimal(), &[]).unwrap();
    assert_eq!(settings.auth0.id_token_algorithms, ["RS256"]);
    assert!(settings.auth0.require_verified_email);

    let settings = load(
        &minimal(),
        &[
            ("CUSTODIAN__AUTH0__ID_TOKEN_ALGORITHMS", "RS256, PS256"),
            ("CUSTODIAN__AUTH0__REQUIRE_VERIFIED_EMAIL", "false"),
        ],
    )
    .unwrap();
    assert_eq!(settings.auth0.id_token_algorithms, ["RS256", "PS256"]);
    assert!(!settings.auth0.require_verified_email);

    for (value, says) in [
        (
            serde_json::json!(["none"]),
            "\"none\" is not a signing algorithm",
        ),
        (
            serde_json::json!(["RS256", "rs256"]),
            "\"rs256\" is not a signing algorithm",
        ),
        (serde_json::json!([]), "must name at least one algorithm"),
    ] {
        let err = error_with("auth0", "idTokenAlgorithms", value).to_string();
        assert!(err.contains("auth0.idTokenAlgorithms"), "{err}");
        assert!(err.contains(says), "{err}");
    }
}

const HARNESS_ARN: &str =
    "arn:aws:bedrock-agentcore:eu-central-1:123456789012:harness/custodian-AbCdE12345";

#[test]
fn local_json_keeps_classic_and_names_the_sandbox_harness() {
    let settings = load_file(&repo_config("local.json"), &[]).unwrap();
    assert_eq!(settings.agent_host, AgentHost::BedrockAgent);
    let harness = settings.harness.unwrap();
    assert_eq!(harness.region(), "us-east-1");
    assert_eq!(
        harness.endpoint.map(|u| u.to_string()).as_deref(),
        Some("http://localhost:3001/agentcore")
    );
    let switched = load_file(
        &repo_config("local.json"),
        &[("CUSTODIAN__AGENT_HOST", "agentcore-harness")],
    )
    .unwrap();
    assert_eq!(switched.agent_host, AgentHost::AgentcoreHarness);
}

#[test]
fn the_agent_host_is_classic_unless_chosen() {
    let settings = load(&minimal(), &[]).unwrap();
    assert_eq!(settings.agent_host, AgentHost::BedrockAgent);
    assert!(settings.harness.is_none());

    let mut json = minimal();
    json["agentHost"] = "agentcore-harness".into();
    json["harness"] = serde_json::json!({ "harnessArn": HARNESS_ARN });
    let settings = load(&json, &[]).unwrap();
    assert_eq!(settings.agent_host, AgentHost::AgentcoreHarness);
    let harness = settings.harness.unwrap();
    assert_eq!(harness.harness_arn, HARNESS_ARN);
    assert_eq!(
        harness.region(),
        "eu-central-1",
        "the ARN's region by default"
    );
    assert!(harness.endpoint.is_none() && harness.qualifier.is_none());

    // The environment can switch hosts and fill the section.
    let settings = load(
        &minimal(),
        &[
            ("CUSTODIAN__AGENT_HOST", "agentcore-harness"),
            ("CUSTODIAN__HARNESS__HARNESS_ARN", HARNESS_ARN),
            ("CUSTODIAN__HARNESS__REGION", "us-west-2"),
            (
                "CUSTODIAN__HARNESS__ENDPOINT",
                "http://localhost:3001/agentcore",
            ),
        ],
    )
    .unwrap();
    let harness = settings.harness.unwrap();
    assert_eq!(harness.region(), "us-west-2");
    assert_eq!(
        harness.endpoint.map(|u| u.to_string()).as_deref(),
        Some("http://localhost:3001/agentcore")
    );
}

#[test]
fn a_harness_host_names_what_it_misses() {
    let cases: Vec<(serde_json::Value, &str)> = vec![
        (
            serde_json::json!({"agentHost": "agentcore-harness"}),
            "harness: missing; agentHost \"agentcore-harness\" needs harness.harnessArn",
        ),
        (
            serde_json::json!({"agentHost": "agentcore-harness", "harness": {}}),
            "harness.harnessArn: missing",
        ),
        (
            serde_json::json!({"agentHost": "agentcore-harness", "harness": {"harnessArn": "custodian-AbCdE12345"}}),
            "harness.harnessArn: expected a harness ARN",
        ),
        (
            serde_json::json!({"harness": {"harnessArn": HARNESS_ARN, "endpoint": "localhost:3001"}}),
            "harness.endpoint:",
        ),
        (
            serde_json::json!({"harness": {"harnessArn": HARNESS_ARN, "harnesId": "x"}}),
            "harness.harnesId: unknown field",
        ),
        (serde_json::json!({"agentHost": "harness"}), "agentHost:"),
    ];
    assert_each_patch_rejected(&cases);
}

#[test]
fn the_management_api_is_on_the_canonical_domain_when_one_is_named() {
    use custodian_core::auth0::management_audience;

    let mut json = minimal();
    json["auth0"]["domain"] = "login.example.com".into();
    let settings = load(&json, &[]).unwrap();
    assert_eq!(
        management_audience(&settings.auth0),
        "https://login.example.com/api/v2/"
    );

    json["auth0"]["managementDomain"] = "example-corp.eu.auth0.com".into();
    let settings = load(&json, &[]).unwrap();
    assert_eq!(
        settings.auth0.issuer().as_str(),
        "https://login.example.com/"
    );
    assert_eq!(
        management_audience(&settings.auth0),
        "https://example-corp.eu.auth0.com/api/v2/"
    );

    json["auth0"]["managementDomain"] = "not a host".into();
    let error = load(&json, &[]).unwrap_err().to_string();
    assert!(error.contains("auth0.managementDomain"), "{error}");
}

#[test]
fn the_guardian_enrolment_page_is_optional_and_never_a_ticket() {
    let settings = load(&minimal(), &[]).unwrap();
    assert_eq!(settings.auth0.guardian_enrollment_url, None);

    let mut json = minimal();
    json["auth0"]["guardianEnrollmentUrl"] = "https://it.example.com/enrol-phone".into();
    let settings = load(&json, &[]).unwrap();
    assert_eq!(
        settings.auth0.guardian_enrollment_url.unwrap().as_str(),
        "https://it.example.com/enrol-phone"
    );

    // An environment variable sets it, and an empty one switches it off.
    let settings = load(
        &minimal(),
        &[(
            "CUSTODIAN__AUTH0__GUARDIAN_ENROLLMENT_URL",
            "https://it.example.com/mfa",
        )],
    )
    .unwrap();
    assert!(settings.auth0.guardian_enrollment_url.is_some());
    let settings = load(&json, &[("CUSTODIAN__AUTH0__GUARDIAN_ENROLLMENT_URL", "")]).unwrap();
    assert_eq!(settings.auth0.guardian_enrollment_url, None);

    let ticket = "https://tenant.us.auth0.com/guardian/enroll?ticket=s3cr3t-MARK-do-not-print";
    let cases: [(serde_json::Value, &str); 3] = [
        (
            ticket.into(),
            "auth0.guardianEnrollmentUrl: must not have a query or fragment: an enrolment ticket",
        ),
        (
            "it.example.com/enrol".into(),
            "auth0.guardianEnrollmentUrl: \"it.example.com/enrol\" is not an absolute http(s) URL",
        ),
        (
            "mailto:it@example.com".into(),
            "auth0.guardianEnrollmentUrl:",
        ),
    ];
    for (value, expected) in cases {
        let err = error_with("auth0", "guardianEnrollmentUrl", value.clone()).to_string();
        assert!(err.contains(expected), "{value}: got {err:?}");
        assert_no_secret(&err);
    }
}

/// Each patch of top-level sections on the minimal settings is refused
/// with an error containing the expected text.
fn assert_each_patch_rejected(cases: &[(serde_json::Value, &str)]) {
    for (patch, expected) in cases {
        let mut json = minimal();
        for (k, v) in patch.as_object().unwrap() {
            json[k] = v.clone();
        }
        let err = load(&json, &[])
            .expect_err("should be rejected")
            .to_string();
        assert!(
            err.contains(expected),
            "{patch}: got {err:?}, expected {expected:?}"
        );
    }
}
