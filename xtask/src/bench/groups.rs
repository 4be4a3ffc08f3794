//! The `OktaOperations.get_user_groups` handler measured in this process:
//! the real `lambdas` handler and `core` clients, built from the bench
//! stack's settings exactly as the Lambda builds them, talking to the
//! sandbox's FGA, Token Vault and Okta over HTTP with warm token caches.
//!
//! The acting administrator's session is a real one: signed in through the
//! BFF, and found by the capability the BFF sent the sandbox agent. The
//! lookups then run in a turn the bench opens for that session, as the BFF
//! opens one for each message.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use aws_config::Region;
use custodian_core::bedrock_agent::CAPABILITY_ATTRIBUTE;
use custodian_core::settings::Settings;
use custodian_core::store::SessionRecord;
use lambdas::{ActionContext, Handler};
use reqwest::{Client, Url};
use serde_json::{Value, json};

use super::login;
use super::sandbox_admin::{self, agent_invocations};
use super::stats::{millis, percentile};
use crate::services::Ports;

const LOOKUPS: usize = 300;
/// Fills the FGA and Token Vault token caches and warms the connections.
const WARM_UP: usize = 5;
pub(super) const TARGET: &str = "bob@example.com";
/// A group the sandbox Okta gives the target, to check each answer.
pub(super) const EXPECTED_GROUP: &str = "Engineering";
const TARGET_CALLS: f64 = 2.0;
/// The agent session of the bench's own turn.
const CONVERSATION: &str = "bench";

pub async fn report(ports: Ports, settings_file: &Path) -> Result<()> {
    let bff = Url::parse(&ports.bff_url())?;
    let sandbox = ports.sandbox_url();
    let client = login::signed_in_client(&bff, "admin@example.com", "admin-demo").await?;
    let context = action_context(settings_file).await?;
    let session = signed_in_session(&client, &bff, &sandbox, &context).await?;

    super::harness::report(&context, &session.id, settings_file).await?;
    let turn = context.turns.open(&session, CONVERSATION).await?;
    let event = groups_event(turn.capability().expose());
    let handler = Handler::OktaOperations;
    for _ in 0..WARM_UP {
        answer(handler, &context, &event).await?;
    }

    let fga_before = sandbox_count(&client, &sandbox, "fga/checks").await?;
    let vault_before = sandbox_count(&client, &sandbox, "token-vault/exchanges").await?;
    let calls_before = context.calls.total();
    let mut took = Vec::with_capacity(LOOKUPS);
    for _ in 0..LOOKUPS {
        let started = Instant::now();
        answer(handler, &context, &event).await?;
        took.push(started.elapsed());
    }
    let calls = context.calls.total() - calls_before;
    let fga = sandbox_count(&client, &sandbox, "fga/checks").await? - fga_before;
    let vault = sandbox_count(&client, &sandbox, "token-vault/exchanges").await? - vault_before;
    context.turns.close(turn).await?;
    took.sort_unstable();

    let per_lookup = |n: u64| n as f64 / LOOKUPS as f64;
    println!(
        "\nOkta groups lookup: OktaOperations.get_user_groups in-process (debug build of the \
         handler), against the sandbox, warm token caches, {LOOKUPS} lookups one at a time"
    );
    println!(
        "  handler latency p50       {:>10}",
        millis(percentile(&took, 50))
    );
    println!(
        "  handler latency p99       {:>10}",
        millis(percentile(&took, 99))
    );
    println!(
        "  outside calls per lookup  {:>10.2}   (target {TARGET_CALLS}: FGA check + Okta; counted by the handler's clients)",
        per_lookup(calls)
    );
    println!(
        "    of which FGA checks     {:>10.2}   (sandbox count)",
        per_lookup(fga)
    );
    println!(
        "    Token Vault exchanges   {:>10.2}   (sandbox count)",
        per_lookup(vault)
    );
    Ok(())
}

/// Asks the BFF once, so the sandbox agent records the capability the BFF
/// hands the agent (never a token); the session it names is the signed-in one.
async fn signed_in_session(
    client: &Client,
    bff: &Url,
    sandbox: &str,
    context: &ActionContext,
) -> Result<SessionRecord> {
    let question = format!("What are the Okta groups for user {TARGET}?");
    let response = client
        .post(bff.join("/api/send_message")?)
        .header("Origin", bff.origin().ascii_serialization())
        .form(&[("text", question.as_str())])
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .context("POST send_message")?;
    let body = response.text().await?;
    ensure!(
        body.contains(EXPECTED_GROUP),
        "the chat did not answer with the groups: {}",
        &body[..body.len().min(300)]
    );
    let invocations = agent_invocations(client, sandbox).await?;
    let sealed = invocations
        .last()
        .and_then(|last| last["sessionAttributes"][CAPABILITY_ATTRIBUTE].as_str())
        .context("the sandbox agent saw no capability")?;
    let claims = context
        .turns
        .claims(sealed)
        .context("the capability the agent saw does not open with the bench's key")?;
    context
        .sessions
        .by_id(&claims.session_id)
        .await?
        .context("the capability names no live session")
}

/// The handler's clients and session store, as its Lambda builds them.
pub(super) async fn action_context(settings_file: &Path) -> Result<ActionContext> {
    let settings = Settings::load_from(settings_file, std::iter::empty())
        .with_context(|| format!("loading {}", settings_file.display()))?;
    let sdk_config = custodian_core::aws_http::config_loader()
        .region(Region::new("us-east-1"))
        .load()
        .await;
    let backend = custodian_core::startup::Backend::open(&settings, &sdk_config)
        .await
        .context("opening the bench stack's session store")?;
    Ok(ActionContext::new(&settings, &backend))
}

/// The function-schema event Bedrock sends for this lookup.
fn groups_event(capability: &str) -> Value {
    json!({
        "messageVersion": "1.0",
        "agent": { "name": "custodian-agent", "id": "BENCH", "alias": "BENCH", "version": "DRAFT" },
        "inputText": format!("What are the Okta groups for user {TARGET}?"),
        "sessionId": CONVERSATION,
        "actionGroup": "OktaOperations",
        "function": "get_user_groups",
        "parameters": [{ "name": "user_email", "type": "string", "value": TARGET }],
        "sessionAttributes": { CAPABILITY_ATTRIBUTE: capability },
        "promptSessionAttributes": {},
    })
}

async fn answer(handler: Handler, context: &ActionContext, event: &Value) -> Result<Duration> {
    let started = Instant::now();
    let response = handler.handle(context, event.clone()).await;
    let took = started.elapsed();
    let function_response = &response["response"]["functionResponse"];
    let body = function_response["responseBody"]["TEXT"]["body"]
        .as_str()
        .unwrap_or_default();
    if function_response.get("responseState").is_some() || !body.contains(EXPECTED_GROUP) {
        bail!("the lookup did not succeed: {response}");
    }
    Ok(took)
}

async fn sandbox_count(client: &Client, sandbox: &str, what: &str) -> Result<u64> {
    let body = sandbox_admin::get(client, sandbox, what).await?;
    body["count"]
        .as_u64()
        .with_context(|| format!("/__sandbox/{what} has no count: {body}"))
}
