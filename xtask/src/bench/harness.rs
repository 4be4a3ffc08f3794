//! The AgentCore harness's inline-function round trip, as the BFF makes it:
//! from the moment the harness's call of `get_user_groups` is complete on
//! the stream, through the permission check and the Okta lookup, to the
//! result being sent back (the continuing InvokeHarness request answered).
//! Against the sandbox's InvokeHarness stand-in, with the real core action
//! and clients, for a real signed-in session.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use aws_config::Region;
use custodian_core::actions::names::USER_EMAIL;
use custodian_core::actions::{ActionContext, Actor, get_user_groups, groups_target};
use custodian_core::harness::{HarnessClient, HarnessEvent, ToolAnswer, ToolCall, ToolResult};
use custodian_core::settings::Settings;

use super::groups::{EXPECTED_GROUP, TARGET};
use super::stats::{millis, percentile};

const ROUND_TRIPS: usize = 200;
const WARM_UP: usize = 5;

/// One round trip's parts.
struct Timing {
    /// Call received → action done.
    action: Duration,
    /// Call received → result sent and the harness answering.
    total: Duration,
}

pub async fn report(context: &ActionContext, session_id: &str, settings_file: &Path) -> Result<()> {
    let client = harness_client(settings_file).await?;
    for _ in 0..WARM_UP {
        round_trip(&client, context, session_id).await?;
    }
    let mut actions = Vec::with_capacity(ROUND_TRIPS);
    let mut totals = Vec::with_capacity(ROUND_TRIPS);
    for _ in 0..ROUND_TRIPS {
        let timing = round_trip(&client, context, session_id).await?;
        actions.push(timing.action);
        totals.push(timing.total);
    }
    actions.sort_unstable();
    totals.sort_unstable();
    println!(
        "\nHarness tool call: get_user_groups from the call on the stream to its result sent \
         back (debug build of the core action, sandbox harness, warm token caches, \
         {ROUND_TRIPS} round trips)"
    );
    for (label, sorted) in [
        ("call → result sent p50", &totals),
        ("call → result sent p99", &totals),
        ("  of which the action p50", &actions),
    ] {
        let rank = if label.contains("p99") { 99 } else { 50 };
        println!("  {label:<26}{:>10}", millis(percentile(sorted, rank)));
    }
    Ok(())
}

async fn harness_client(settings_file: &Path) -> Result<HarnessClient> {
    let settings = Settings::load_from(settings_file, std::iter::empty())
        .with_context(|| format!("loading {}", settings_file.display()))?;
    let harness = settings
        .harness
        .as_ref()
        .context("the bench settings have no harness section")?;
    let sdk_config = custodian_core::aws_http::config_loader()
        .region(Region::new("us-east-1"))
        .credentials_provider(aws_sdk_bedrockagentcore::config::Credentials::new(
            "bench", "bench", None, None, "bench",
        ))
        .load()
        .await;
    Ok(HarnessClient::new(&sdk_config, harness))
}

/// Asks for the groups in a new harness session and answers the call the
/// way the BFF does.
async fn round_trip(
    client: &HarnessClient,
    context: &ActionContext,
    session_id: &str,
) -> Result<Timing> {
    let conversation = format!("bench{}", custodian_core::ids::random_token(16));
    let question = format!("What are the Okta groups for user {TARGET}?");
    let mut reply = client.send_text(&conversation, &question).await?;
    let (call, received) = loop {
        match reply.next().await? {
            Some(HarnessEvent::ToolUse(call)) => break (call, Instant::now()),
            Some(_) => {}
            None => bail!("the harness answered without calling get_user_groups"),
        }
    };
    let result = run(context, session_id, &call).await?;
    let action = received.elapsed();
    let answer = ToolAnswer::to_call(&call, result);
    let mut rest = client.send_tool_results(&conversation, &[answer]).await?;
    let total = received.elapsed();
    let mut text = String::new();
    while let Some(event) = rest.next().await? {
        if let HarnessEvent::Text(piece) = event {
            text.push_str(&piece);
        }
    }
    ensure!(
        text.contains(EXPECTED_GROUP),
        "the harness answered: {text}"
    );
    Ok(Timing { action, total })
}

async fn run(context: &ActionContext, session_id: &str, call: &ToolCall) -> Result<ToolResult> {
    let target = groups_target(call.argument(USER_EMAIL))
        .map_err(|reprompt| anyhow::anyhow!("{}", reprompt.body))?;
    let actor = Actor::by_session_id(&context.sessions, session_id).await?;
    let outcome = get_user_groups(context, &actor, target).await;
    ensure!(
        outcome.body.contains(EXPECTED_GROUP),
        "the lookup did not succeed: {}",
        outcome.body
    );
    Ok(ToolResult::success(outcome.body))
}
