//! The Audit page and its exports: an auditor finds the decisions others
//! made, filters them and downloads them; anyone else is told they may
//! not, and that refusal is audited too.

use reqwest::{Client, StatusCode};
use serde_json::Value;
use test_support::users::{HELPDESK, USER};

use crate::helpers::{ADMIN, GROUPS_QUESTION, TestApp, ask, browser, location, spawn_app};

async fn get(app: &TestApp, client: &Client, path: &str) -> (StatusCode, String) {
    let response = client.get(app.url(path)).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

/// The table's rows as (action, actor, target, outcome), newest first.
fn rows(html: &str) -> Vec<[String; 4]> {
    html.split("<tr id=\"entry-")
        .skip(1)
        .map(|row| {
            let cells: Vec<String> = row
                .split("<td>")
                .skip(2)
                .map(|cell| cell.split("</td>").next().unwrap().to_owned())
                .collect();
            [
                cells[0].clone(),
                cells[1].clone(),
                cells[2].clone(),
                cells[3].clone(),
            ]
        })
        .collect()
}

fn has(rows: &[[String; 4]], action: &str, actor: &str, outcome: &str) -> bool {
    rows.iter()
        .any(|row| row[0] == action && row[1] == actor && row[3] == outcome)
}

#[tokio::test]
async fn an_auditor_finds_filters_and_downloads_what_others_did() {
    let app = spawn_app().await;
    let helpdesk = app.sign_in(HELPDESK).await;
    ask(&app, &helpdesk, None, GROUPS_QUESTION).await;
    ask(
        &app,
        &helpdesk,
        None,
        "Reset the password for bob@example.com",
    )
    .await;
    let auditor = app.sign_in(ADMIN).await;

    let (status, html) = get(&app, &auditor, "/audit").await;
    assert_eq!(status, StatusCode::OK);
    let all = rows(&html);
    assert!(
        has(&all, "auth.sign_in", HELPDESK.0, "signed-in"),
        "{all:?}"
    );
    assert!(has(&all, "okta.groups", HELPDESK.0, "read"), "{all:?}");
    assert!(
        has(&all, "step_up.refused", HELPDESK.0, "permission-denied"),
        "{all:?}"
    );

    let (_, html) = get(
        &app,
        &auditor,
        "/audit?action=step_up&actor=helpdesk%40example.com",
    )
    .await;
    let step_ups = rows(&html);
    assert_eq!(step_ups.len(), 1, "{step_ups:?}");
    assert_eq!(step_ups[0][2], "bob@example.com");

    let csv = client_text(
        &app,
        &auditor,
        "/audit/export?format=csv&actor=helpdesk%40example.com",
    )
    .await;
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("time,action,actor,target,outcome,id"));
    let exported: Vec<&str> = lines.collect();
    assert!(
        exported
            .iter()
            .any(|line| line.contains(",okta.groups,helpdesk@example.com,bob@example.com,read,"))
    );
    assert!(
        exported
            .iter()
            .all(|line| line.contains(",helpdesk@example.com,"))
    );

    let json: Value = serde_json::from_str(
        &client_text(
            &app,
            &auditor,
            "/audit/export?format=json&action=okta.groups",
        )
        .await,
    )
    .unwrap();
    assert_eq!(json.as_array().unwrap().len(), 1, "{json}");
    assert_eq!(json[0]["target"], "bob@example.com");

    let (_, html) = get(&app, &auditor, "/audit?action=audit.exported").await;
    let exports = rows(&html);
    assert!(
        has(&exports, "audit.exported", ADMIN.0, "1 exported"),
        "{exports:?}"
    );
}

async fn client_text(app: &TestApp, client: &Client, path: &str) -> String {
    let response = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"custodian-audit-"),
        "{disposition}"
    );
    response.text().await.unwrap()
}

#[tokio::test]
async fn anyone_else_is_told_they_may_not_and_the_refusal_is_audited() {
    let app = spawn_app().await;
    for user in [HELPDESK, USER] {
        let client = app.sign_in(user).await;
        for path in ["/audit", "/audit/export?format=csv"] {
            let (status, html) = get(&app, &client, path).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
            assert!(
                html.contains("You are not permitted to read the audit log"),
                "{html}"
            );
            assert!(
                html.contains("`auditor` relation on `audit_log:custodian`"),
                "{html}"
            );
            assert!(!html.contains("auth.sign_in"), "no entry is shown");
        }
        let (status, _) = get(&app, &client, "/audit/rows").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let auditor = app.sign_in(ADMIN).await;
    let (_, html) = get(&app, &auditor, "/audit?action=audit").await;
    let refusals = rows(&html);
    assert!(
        has(&refusals, "audit.read", USER.0, "denied"),
        "{refusals:?}"
    );
    assert!(
        has(&refusals, "audit.exported", HELPDESK.0, "denied"),
        "{refusals:?}"
    );
}

#[tokio::test]
async fn signed_out_readers_sign_in_first_and_come_back_to_their_filter() {
    let app = spawn_app().await;
    let response = browser()
        .get(app.url("/audit?actor=bob%40example.com"))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_redirection());
    assert_eq!(
        location(&response),
        "/login?returnTo=%2Faudit%3Factor%3Dbob%2540example.com"
    );
}

#[tokio::test]
async fn a_bad_filter_is_named_and_a_failing_fga_shows_nothing() {
    let app = spawn_app().await;
    let auditor = app.sign_in(ADMIN).await;
    let (status, html) = get(&app, &auditor, "/audit?from=last+tuesday").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("From: not a date and time"), "{html}");
    let (status, html) = get(&app, &auditor, "/audit/export?format=xml").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("Format: choose csv or json."), "{html}");

    app.arm("fga", serde_json::json!({ "fault": "down", "times": 1 }))
        .await;
    let (status, html) = get(&app, &auditor, "/audit").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(html.contains("could not confirm your permission"), "{html}");
    assert!(rows(&html).is_empty());
}
