//! The FGA stand-in through the real `core` client, its OpenFGA API, the
//! admin page and the CLI.

use custodian_core::fga::{Decision, FgaClient, Permission};
use custodian_core::outbound::CallCounter;
use serde_json::{Value, json};

use crate::custodian::*;
use crate::support::*;

fn client(base: &str, dir: &tempfile::TempDir) -> FgaClient {
    FgaClient::new(&settings(base, dir.path()).fga, CallCounter::default())
}

async fn checks(base: &str) -> u64 {
    get_json(&format!("{base}/__sandbox/fga/checks")).await["count"]
        .as_u64()
        .unwrap()
}

fn tuple(user: &str, relation: &str, object: &str) -> Value {
    json!({ "user": user, "relation": relation, "object": object })
}

#[tokio::test]
async fn evaluates_the_seeded_permissions() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let dir = tempfile::tempdir().unwrap();
    let fga = client(base, &dir);
    let cases = [
        (
            "admin@example.com",
            Permission::ReadOktaGroups,
            Decision::Allowed,
        ),
        (
            "admin@example.com",
            Permission::ResetPassword,
            Decision::Allowed,
        ),
        (
            "helpdesk@example.com",
            Permission::ReadOktaGroups,
            Decision::Allowed,
        ),
        (
            "helpdesk@example.com",
            Permission::ResetPassword,
            Decision::Denied,
        ),
        (
            "user@example.com",
            Permission::ReadOktaGroups,
            Decision::Denied,
        ),
        (
            "user@example.com",
            Permission::ResetPassword,
            Decision::Denied,
        ),
    ];
    for (email, permission, expected) in cases {
        assert_eq!(
            fga.check(email, permission).await,
            expected,
            "{email} {permission:?}"
        );
    }
    assert_eq!(checks(base).await, cases.len() as u64);
}

#[tokio::test]
async fn group_membership_and_written_tuples_apply_at_once() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let dir = tempfile::tempdir().unwrap();
    let fga = client(base, &dir);

    let (status, body) = fga_api(
        base,
        "write",
        json!({
            "writes": { "tuple_keys": [tuple("user:user@example.com", "member", "group:helpdesk")] },
            "authorization_model_id": FGA_MODEL_ID,
        }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        fga.check("user@example.com", Permission::ReadOktaGroups)
            .await,
        Decision::Allowed,
        "through group:helpdesk#member"
    );

    let (status, _) = fga_api(
        base,
        "write",
        json!({ "deletes": { "tuple_keys": [tuple("group:helpdesk#member", "read_okta", "okta:groups")] } }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        fga.check("helpdesk@example.com", Permission::ReadOktaGroups)
            .await,
        Decision::Denied
    );
}

#[tokio::test]
async fn any_doubt_is_unavailable() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let dir = tempfile::tempdir().unwrap();
    let fga = client(base, &dir);
    let admin_reads = || fga.check("admin@example.com", Permission::ReadOktaGroups);
    assert_eq!(admin_reads().await, Decision::Allowed, "warms the token");

    for fault in ["down", "garbage", "slow"] {
        arm(base, "fga", json!({ "fault": fault })).await;
        assert_eq!(admin_reads().await, Decision::Unavailable, "{fault}");
    }
    assert_eq!(admin_reads().await, Decision::Allowed, "faults end");
}

#[tokio::test]
async fn a_short_rate_limit_is_waited_out_and_a_long_one_denies() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let dir = tempfile::tempdir().unwrap();
    let fga = client(base, &dir);
    let admin_reads = || fga.check("admin@example.com", Permission::ReadOktaGroups);

    arm(
        base,
        "fga",
        json!({ "fault": "rate_limit", "retry_after_seconds": 1 }),
    )
    .await;
    let before = checks(base).await;
    assert_eq!(
        admin_reads().await,
        Decision::Allowed,
        "Retry-After: 1 is honoured"
    );
    assert_eq!(
        checks(base).await - before,
        2,
        "one refused check, one retry"
    );

    arm(
        base,
        "fga",
        json!({ "fault": "rate_limit", "retry_after_seconds": 30, "times": 2 }),
    )
    .await;
    let before = checks(base).await;
    assert_eq!(
        admin_reads().await,
        Decision::Unavailable,
        "a long wait is reported"
    );
    assert_eq!(
        checks(base).await - before,
        1,
        "no retry against a long Retry-After"
    );
}

#[tokio::test]
async fn the_api_refuses_like_openfga() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let check = |model: &str| {
        json!({
            "tuple_key": tuple("user:admin@example.com", "read_okta", "okta:groups"),
            "authorization_model_id": model,
        })
    };
    let (status, body) = fga_api(base, "check", check(FGA_MODEL_ID)).await;
    assert_eq!(
        (status, &body),
        (200, &json!({ "allowed": true, "resolution": "" }))
    );
    let (status, body) = fga_api(base, "check", check("01ARZ3NDEKTSV4RRFFQ69G5FAV")).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("authorization_model_not_found"))
    );
    let (status, body) = fga_api(base, "check", check("01OTHERMODEL")).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("validation_error")),
        "model ids are ULIDs"
    );
    let (status, body) = fga_api(
        base,
        "check",
        json!({ "tuple_key": tuple("user:a@x", "owner", "okta:groups") }),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("validation_error"))
    );

    let token = fga_token(base).await;
    let store_status = |store: &'static str| {
        let request = http()
            .post(format!("{base}/fga/stores/{store}/check"))
            .bearer_auth(&token)
            .json(&check(FGA_MODEL_ID));
        async move { request.send().await.unwrap().status() }
    };
    assert_eq!(store_status("01ARZ3NDEKTSV4RRFFQ69G5FAV").await, 404);
    assert_eq!(
        store_status("01NOSUCHSTORE").await,
        400,
        "store ids are ULIDs"
    );
    let url = format!("{base}/fga/stores/{FGA_STORE_ID}/check");
    let anonymous = http()
        .post(&url)
        .json(&check(FGA_MODEL_ID))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    let anonymous: Value = anonymous.json().await.unwrap();
    assert_eq!(anonymous["code"], "bearer_token_missing");
    let forged = http()
        .post(&url)
        .bearer_auth("forged")
        .json(&check(FGA_MODEL_ID))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 401);

    let (status, body) = fga_api(
        base,
        "write",
        json!({ "writes": { "tuple_keys": [tuple("user:admin@example.com", "read_okta", "okta:groups")] } }),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("write_failed_due_to_invalid_input")),
        "the tuple exists"
    );
    let (status, body) = fga_api(
        base,
        "write",
        json!({ "writes": { "tuple_keys": [tuple("group:helpdesk#member", "member", "group:x")] } }),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("validation_error"))
    );
}

#[tokio::test]
async fn reads_tuples_with_filters() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let (status, body) = fga_api(base, "read", json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(body["continuation_token"], "");
    let tuples = body["tuples"].as_array().unwrap();
    // The seed: admin's two grants, two approvals and the audit log,
    // helpdesk's group and its grant, the newcomer's group, the second
    // administrator's approval.
    assert_eq!(tuples.len(), 9);
    assert!(chrono::DateTime::parse_from_rfc3339(tuples[0]["timestamp"].as_str().unwrap()).is_ok());
    let keys: Vec<&Value> = tuples.iter().map(|t| &t["key"]).collect();
    assert!(keys.contains(&&tuple("group:helpdesk#member", "read_okta", "okta:groups")));

    let (_, admin) = fga_api(
        base,
        "read",
        json!({ "tuple_key": { "user": "user:admin@example.com", "object": "okta:" } }),
    )
    .await;
    // Two grants and two approvals.
    assert_eq!(admin["tuples"].as_array().unwrap().len(), 4);
}

fn grant_until(user: &str, valid_until: &str) -> Value {
    json!({
        "user": user, "relation": "reset_password", "object": "okta:password",
        "condition": { "name": "not_expired", "context": { "valid_until": valid_until } },
    })
}

fn check_at(user: &str, current_time: Option<&str>) -> Value {
    let mut body = json!({
        "tuple_key": tuple(user, "reset_password", "okta:password"),
        "authorization_model_id": FGA_MODEL_ID,
    });
    if let Some(time) = current_time {
        body["context"] = json!({ "current_time": time });
    }
    body
}

#[tokio::test]
async fn a_conditional_tuple_grants_until_it_expires() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let bob = "user:bob@example.com";
    let write = json!({ "writes": { "tuple_keys": [grant_until(bob, "2030-01-01T00:00:00Z")] } });
    let (status, body) = fga_api(base, "write", write).await;
    assert_eq!(status, 200, "{body}");

    let (_, read) = fga_api(
        base,
        "read",
        json!({ "tuple_key": { "user": bob, "object": "okta:" } }),
    )
    .await;
    assert_eq!(
        read["tuples"][0]["key"],
        grant_until(bob, "2030-01-01T00:00:00Z")
    );

    let (_, before) = fga_api(base, "check", check_at(bob, Some("2029-12-31T23:59:59Z"))).await;
    assert_eq!(before["allowed"], true);
    let (_, after) = fga_api(base, "check", check_at(bob, Some("2030-01-01T00:00:01Z"))).await;
    assert_eq!(after["allowed"], false);

    let (status, missing) = fga_api(base, "check", check_at(bob, None)).await;
    assert_eq!(
        (status, missing["code"].as_str()),
        (400, Some("validation_error"))
    );
    assert_eq!(
        missing["message"],
        "failed to evaluate relationship condition: 'not_expired' - tuple \
         'okta:password#reset_password@user:bob@example.com' is missing context parameters \
         '[current_time]'"
    );
    let (status, _) = fga_api(base, "check", check_at("user:admin@example.com", None)).await;
    assert_eq!(
        status, 200,
        "bob's condition is not evaluated for the admin"
    );
}

#[tokio::test]
async fn writes_refuse_conditions_the_model_does_not_allow() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let refused = |key: Value| fga_api(base, "write", json!({ "writes": { "tuple_keys": [key] } }));

    let mut unknown = grant_until("user:bob@example.com", "2030-01-01T00:00:00Z");
    unknown["condition"]["name"] = json!("forever");
    let (status, body) = refused(unknown).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("validation_error"))
    );
    assert_eq!(
        body["message"],
        "Invalid tuple 'okta:password#reset_password@user:bob@example.com (condition forever)'. \
         Reason: undefined condition"
    );

    let mut approver = grant_until("user:bob@example.com", "2030-01-01T00:00:00Z");
    approver["relation"] = json!("approver");
    let (status, body) = refused(approver).await;
    assert_eq!(status, 400);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .ends_with("Reason: invalid condition for type restriction"),
        "{body}"
    );

    let (status, body) = refused(grant_until("user:bob@example.com", "next week")).await;
    assert_eq!(status, 400);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("expected RFC 3339 formatted timestamp string"),
        "{body}"
    );
}

fn list_users(relation: &str, object_id: &str, context: Value) -> Value {
    json!({
        "authorization_model_id": FGA_MODEL_ID,
        "object": { "type": "okta", "id": object_id },
        "relation": relation,
        "user_filters": [{ "type": "user" }],
        "context": context,
    })
}

fn user(id: &str) -> Value {
    json!({ "object": { "type": "user", "id": id } })
}

#[tokio::test]
async fn lists_users_with_groups_and_conditions() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let (status, body) = fga_api(
        base,
        "list-users",
        list_users("approver", "password", json!({})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({ "users": [user("admin@example.com"), user("second.admin@example.com")] })
    );

    let (_, readers) = fga_api(
        base,
        "list-users",
        list_users("read_okta", "groups", json!({})),
    )
    .await;
    assert_eq!(
        readers["users"],
        json!([
            user("admin@example.com"),
            user("helpdesk@example.com"),
            user("newcomer@example.com")
        ])
    );

    let write = json!({ "writes": { "tuple_keys": [grant_until("user:bob@example.com", "2030-01-01T00:00:00Z")] } });
    assert_eq!(fga_api(base, "write", write).await.0, 200);
    let at = |time: &str| {
        list_users(
            "reset_password",
            "password",
            json!({ "current_time": time }),
        )
    };
    let (_, before) = fga_api(base, "list-users", at("2029-01-01T00:00:00Z")).await;
    assert_eq!(
        before["users"],
        json!([user("admin@example.com"), user("bob@example.com")])
    );
    let (_, after) = fga_api(base, "list-users", at("2031-01-01T00:00:00Z")).await;
    assert_eq!(after["users"], json!([user("admin@example.com")]));
    let (status, missing) = fga_api(
        base,
        "list-users",
        list_users("reset_password", "password", json!({})),
    )
    .await;
    assert_eq!(
        (status, missing["code"].as_str()),
        (400, Some("validation_error"))
    );
}

#[tokio::test]
async fn list_users_refuses_like_openfga() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let mut two_filters = list_users("approver", "password", json!({}));
    two_filters["user_filters"] = json!([{ "type": "user" }, { "type": "group" }]);
    let (status, body) = fga_api(base, "list-users", two_filters).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("validation_error"))
    );
    let (status, body) = fga_api(
        base,
        "list-users",
        list_users("owner", "password", json!({})),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str(), body["message"].as_str()),
        (
            400,
            Some("relation_not_found"),
            Some("relation 'okta#owner' not found")
        )
    );
    let mut no_such_type = list_users("approver", "password", json!({}));
    no_such_type["user_filters"] = json!([{ "type": "robot" }]);
    let (_, body) = fga_api(base, "list-users", no_such_type).await;
    assert_eq!(body["code"], "type_not_found");
}

#[tokio::test]
async fn the_token_endpoint_takes_json_or_forms_and_checks_everything() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let url = format!("{base}/fga/oauth/token");
    let form = http()
        .post(&url)
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", FGA_CLIENT_ID),
            ("client_secret", FGA_CLIENT_SECRET),
            ("audience", FGA_AUDIENCE),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 200);
    let body: Value = form.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert!(body["expires_in"].as_u64().unwrap() > 60);

    let request = |secret: &str, audience: &str| {
        json!({
            "grant_type": "client_credentials", "client_id": FGA_CLIENT_ID,
            "client_secret": secret, "audience": audience,
        })
    };
    let wrong_secret = http()
        .post(&url)
        .json(&request("wrong", FGA_AUDIENCE))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_secret.status(), 401);
    let wrong_audience = http()
        .post(&url)
        .json(&request(FGA_CLIENT_SECRET, "https://api.us1.fga.dev/"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_audience.status(), 403);
}

async fn admin_page(base: &str) -> String {
    let response = http()
        .get(format!("{base}/fga/admin"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.text().await.unwrap()
}

async fn admin_post(base: &str, path: &str, fields: [&str; 3], site: &str) -> reqwest::Response {
    http()
        .post(format!("{base}/fga/admin/{path}"))
        .header("sec-fetch-site", site)
        .form(&[
            ("user", fields[0]),
            ("relation", fields[1]),
            ("object", fields[2]),
        ])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_admin_page_deletes_and_adds_tuples() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let dir = tempfile::tempdir().unwrap();
    let fga = client(base, &dir);
    let admin = ["user:admin@example.com", "read_okta", "okta:groups"];

    let html = admin_page(base).await;
    assert!(html.contains("aria-label=\"Delete user:admin@example.com read_okta okta:groups\""));
    assert!(html.contains("<label for=\"tuple-user\">User</label>"));
    assert!(html.contains("<label for=\"tuple-relation\">Relation</label>"));
    assert!(html.contains("<label for=\"tuple-object\">Object</label>"));
    assert!(html.contains(">Add tuple</button>"));

    let cross_site = admin_post(base, "delete", admin, "cross-site").await;
    assert_eq!(cross_site.status(), 403);
    assert_eq!(
        fga.check("admin@example.com", Permission::ReadOktaGroups)
            .await,
        Decision::Allowed
    );

    let deleted = admin_post(base, "delete", admin, "same-origin").await;
    assert_eq!(deleted.status(), 303);
    assert_eq!(deleted.headers()["location"], "/fga/admin?done=deleted");
    assert_eq!(
        fga.check("admin@example.com", Permission::ReadOktaGroups)
            .await,
        Decision::Denied
    );
    assert!(
        !admin_page(base)
            .await
            .contains("Delete user:admin@example.com read_okta")
    );

    let added = admin_post(base, "add", admin, "same-origin").await;
    assert_eq!(added.status(), 303);
    assert_eq!(
        fga.check("admin@example.com", Permission::ReadOktaGroups)
            .await,
        Decision::Allowed
    );

    let invalid = admin_post(
        base,
        "add",
        ["bob", "read_okta", "okta:groups"],
        "same-origin",
    )
    .await;
    assert_eq!(invalid.status(), 400);
    let html = invalid.text().await.unwrap();
    assert!(html.contains("role=\"alert\""), "{html}");
    assert!(
        html.contains("value=\"bob\""),
        "the form keeps what was typed"
    );
}

#[tokio::test]
async fn the_cli_lists_adds_and_deletes_through_the_api() {
    let sandbox = start().await;
    let base = sandbox.base_url.clone();
    let dir = tempfile::tempdir().unwrap();
    let fga = client(&base, &dir);
    let config = dir.path().join("custodian.json");
    let run = |args: &[&str]| {
        let mut all: Vec<String> = ["fga"].iter().chain(args).map(|s| s.to_string()).collect();
        all.extend([
            "--url".into(),
            base.clone(),
            "--config".into(),
            config.display().to_string(),
        ]);
        sandbox::cli::run(sandbox::cli::Command::parse(all).unwrap())
    };
    let bob = ["user:bob@example.com", "read_okta", "okta:groups"];

    run(&["list"]).await.unwrap();
    run(&["add", bob[0], bob[1], bob[2]]).await.unwrap();
    assert_eq!(
        fga.check("bob@example.com", Permission::ReadOktaGroups)
            .await,
        Decision::Allowed
    );
    let again = run(&["add", bob[0], bob[1], bob[2]]).await.unwrap_err();
    assert!(again.to_string().contains("already exists"), "{again:#}");
    run(&["delete", bob[0], bob[1], bob[2]]).await.unwrap();
    assert_eq!(
        fga.check("bob@example.com", Permission::ReadOktaGroups)
            .await,
        Decision::Denied
    );
}
