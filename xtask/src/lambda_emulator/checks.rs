//! What a user, Bedrock and CloudFormation would check, sent through
//! cargo-lambda's emulator to the Lambda binaries.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, bail, ensure};
use bytes::Bytes;
use reqwest::redirect::Policy;
use serde_json::{Value, json};

use custodian_core::bedrock_agent::CAPABILITY_ATTRIBUTE;
use custodian_core::settings::Settings;
use custodian_core::startup::Backend;
use custodian_core::store::SessionRecord;
use custodian_core::turn_capability::Turns;

use super::fixture;

/// A guard against a hung function, not an expectation of speed.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
const ADMIN: (&str, &str) = ("admin@example.com", "admin-demo");

pub struct Endpoints {
    /// The BFF's public URL (the emulator's Function URL root), as in its
    /// settings: same-origin checks compare against it.
    bff: String,
    /// The emulator's Invoke APIs.
    invoke: String,
    sandbox: String,
    moto: String,
}

impl Endpoints {
    pub fn new(emulator_port: u16, sandbox_port: u16, moto: String) -> Self {
        Self {
            bff: format!("http://localhost:{emulator_port}"),
            invoke: format!("http://127.0.0.1:{emulator_port}/2015-03-31/functions"),
            sandbox: format!("http://localhost:{sandbox_port}"),
            moto,
        }
    }
}

/// `settings` is the stack's settings file, which names the store and key
/// the BFF and the Lambdas share.
pub fn run(ws_root: &Path, endpoints: &Endpoints, settings: &Path) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let http = client()?;
        bff_page_streams(ws_root, endpoints, &http)
            .await
            .context("the BFF's page through InvokeWithResponseStream")?;
        let capability = chat_streams(endpoints)
            .await
            .context("a chat reply through the BFF's Function URL")?;
        action_groups(ws_root, endpoints, &http, settings, &capability)
            .await
            .context("the action-group Lambdas")?;
        fernet_keygen(ws_root, endpoints, &http)
            .await
            .context("the fernet-keygen Lambda")
    })
}

pub fn client() -> Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .redirect(Policy::none())
        .cookie_store(true)
        .build()?)
}

/// The Function URL fixture through InvokeWithResponseStream (how a
/// RESPONSE_STREAM Function URL calls it): `PayloadChunk` events carrying
/// the page, then `InvokeComplete` without an error.
pub async fn bff_page_streams(ws_root: &Path, e: &Endpoints, http: &reqwest::Client) -> Result<()> {
    let event = fixture(ws_root, "server/tests/fixtures/function_url_get_root.json")?;
    let response = http
        .post(format!("{}/_/response-streaming-invocations", e.invoke))
        .json(&event)
        .send()
        .await?;
    ensure!(response.status() == 200, "status {}", response.status());
    let frames = event_stream(response.bytes().await?)?;
    let (last_type, last_payload) = frames.last().context("no events")?;
    ensure!(last_type == "InvokeComplete", "ends with {last_type}");
    let complete: Value = serde_json::from_slice(last_payload)?;
    ensure!(complete.get("ErrorCode").is_none(), "{complete}");
    let page: Vec<u8> = frames
        .iter()
        .filter(|(kind, _)| kind == "PayloadChunk")
        .flat_map(|(_, payload)| payload.to_vec())
        .collect();
    let page = String::from_utf8(page).context("the page is UTF-8")?;
    ensure!(
        page.starts_with("<!DOCTYPE html>") && page.contains(r#"href="/login""#),
        "not the signed-out home page: {page:.300}"
    );
    Ok(())
}

/// `(:event-type, payload)` of each frame of an event-stream body.
fn event_stream(mut body: Bytes) -> Result<Vec<(String, Bytes)>> {
    let mut frames = Vec::new();
    while !body.is_empty() {
        let message = aws_smithy_eventstream::frame::read_message_from(&mut body)?;
        let event_type = message
            .headers()
            .iter()
            .find(|h| h.name().as_str() == ":event-type")
            .and_then(|h| h.value().as_string().ok())
            .context("a frame without :event-type")?
            .as_str()
            .to_owned();
        frames.push((event_type, message.payload().clone()));
    }
    Ok(frames)
}

/// Signs in and chats through the emulator's Function URL, as a browser
/// would; the reply must stream in. Returns the capability the agent got,
/// whose session the action groups then act for.
async fn chat_streams(e: &Endpoints) -> Result<String> {
    let browser = client()?;
    sign_in(e, &browser).await?;
    let mut response = browser
        .post(format!("{}/api/send_message", e.bff))
        .header("origin", &e.bff)
        .form(&[("text", "What are the Okta groups for user bob@example.com?")])
        .send()
        .await?;
    ensure!(response.status() == 200, "status {}", response.status());
    let mut body = Vec::new();
    let mut pieces = 0;
    while let Some(piece) = response.chunk().await? {
        pieces += 1;
        body.extend_from_slice(&piece);
    }
    let text = String::from_utf8(body)?;
    let events: Vec<Value> = text
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    let chunks: String = events
        .iter()
        .filter_map(|e| e.pointer("/chunk/text").and_then(Value::as_str))
        .collect();
    ensure!(
        events.first().is_some_and(|e| e.get("started").is_some()),
        "{text}"
    );
    ensure!(events.last() == Some(&json!("done")), "{text}");
    ensure!(
        chunks.contains("Engineering"),
        "no groups in the reply: {text}"
    );
    eprintln!(
        "chat reply: {} events in {pieces} network pieces",
        events.len()
    );
    capability(e, &browser).await
}

async fn sign_in(e: &Endpoints, browser: &reqwest::Client) -> Result<()> {
    let login = browser.get(format!("{}/login", e.bff)).send().await?;
    let authorize = location(&login)?;
    let page = browser.get(&authorize).send().await?.text().await?;
    let marker = "name=\"request_id\" value=\"";
    let start = page.find(marker).context("a login form")? + marker.len();
    let request_id = &page[start..][..page[start..].find('"').context("a request id")?];
    let approved = browser
        .post(format!("{}/authorize/login", e.sandbox))
        .form(&[
            ("request_id", request_id),
            ("email", ADMIN.0),
            ("password", ADMIN.1),
        ])
        .send()
        .await?;
    let callback = browser.get(location(&approved)?).send().await?;
    ensure!(
        callback.status() == 303 && callback.headers().contains_key("set-cookie"),
        "callback answered {} without a session",
        callback.status()
    );
    Ok(())
}

fn location(response: &reqwest::Response) -> Result<String> {
    let Some(value) = response.headers().get("location") else {
        bail!("{} {} is no redirect", response.url(), response.status());
    };
    Ok(value.to_str()?.to_owned())
}

/// What the agent received as the turn's capability (never a token).
async fn capability(e: &Endpoints, http: &reqwest::Client) -> Result<String> {
    let url = format!("{}/__sandbox/agent/invocations", e.sandbox);
    let invocations: Value = http.get(url).send().await?.json().await?;
    invocations
        .pointer(&format!("/0/sessionAttributes/{CAPABILITY_ATTRIBUTE}"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .context("the agent got no capability")
}

/// Both action groups with their fixtures, each in a turn opened for the
/// session the chat's capability named (that turn has ended): valid Bedrock
/// function responses that did the work.
async fn action_groups(
    ws_root: &Path,
    e: &Endpoints,
    http: &reqwest::Client,
    settings: &Path,
    capability: &str,
) -> Result<()> {
    let bff = BffSide::open(settings, capability).await?;
    for (function, fixture_name, expect) in [
        (
            "okta-operations",
            "okta_operations_get_user_groups.json",
            "Engineering",
        ),
        (
            "ciba-authentication",
            "ciba_authentication_authenticate_user.json",
            "Approve the request showing code",
        ),
    ] {
        let mut event = fixture(ws_root, &format!("lambdas/tests/fixtures/{fixture_name}"))?;
        let conversation = event["sessionId"]
            .as_str()
            .context("a fixture without sessionId")?;
        let turn = bff.turns.open(&bff.session, conversation).await?;
        event["sessionAttributes"][CAPABILITY_ATTRIBUTE] = turn.capability().expose().into();
        let response = http
            .post(format!("{}/{function}/invocations", e.invoke))
            .json(&event)
            .send()
            .await?;
        ensure!(
            response.status() == 200,
            "{function}: {}",
            response.status()
        );
        let answer: Value = response.json().await?;
        let body = bedrock_function_response(&answer, &event)
            .with_context(|| format!("{function} answered {answer}"))?;
        ensure!(body.contains(expect), "{function}: {body}");
    }
    Ok(())
}

/// The BFF's part, played here: the stack's turns, and the session the
/// chat's capability named.
struct BffSide {
    turns: Turns,
    session: SessionRecord,
}

impl BffSide {
    async fn open(settings: &Path, capability: &str) -> Result<Self> {
        let settings = Settings::load_from(settings, std::iter::empty())
            .with_context(|| format!("loading {}", settings.display()))?;
        let sdk_config = custodian_core::aws_http::config_loader()
            .region(aws_config::Region::new("us-east-1"))
            .load()
            .await;
        let Backend {
            sessions, audit, ..
        } = Backend::open(&settings, &sdk_config).await?;
        let turns = Turns::new(sessions.clone(), settings.app.turn_deadline_seconds, audit);
        let claims = turns
            .claims(capability)
            .context("the chat's capability does not open with the stack's key")?;
        let session = sessions
            .by_id(&claims.session_id)
            .await?
            .context("the chat's capability names no live session")?;
        Ok(Self { turns, session })
    }
}

/// The body of a function-schema action-group response, after checking its
/// shape against the event (Bedrock user guide, "Lambda response").
fn bedrock_function_response<'a>(answer: &'a Value, event: &Value) -> Result<&'a str> {
    ensure!(answer["messageVersion"] == "1.0", "messageVersion");
    let response = &answer["response"];
    ensure!(
        response["actionGroup"] == event["actionGroup"],
        "actionGroup"
    );
    ensure!(response["function"] == event["function"], "function");
    let function_response = &response["functionResponse"];
    ensure!(
        function_response.get("responseState").is_none(),
        "a failed action"
    );
    function_response
        .pointer("/responseBody/TEXT/body")
        .and_then(Value::as_str)
        .context("no responseBody.TEXT.body")
}

/// The Create fixture on a fresh moto secret: the key lands in the secret,
/// never in the response CloudFormation sees.
async fn fernet_keygen(ws_root: &Path, e: &Endpoints, http: &reqwest::Client) -> Result<()> {
    let created = secrets_manager(
        e,
        http,
        "CreateSecret",
        json!({ "Name": "token-encryption-key" }),
    )
    .await?;
    let arn = created["ARN"]
        .as_str()
        .context("CreateSecret gave no ARN")?;
    let mut event = fixture(ws_root, "lambdas/tests/fixtures/fernet_keygen/create.json")?;
    event["ResourceProperties"]["SecretId"] = arn.into();
    let response = http
        .post(format!("{}/fernet-keygen/invocations", e.invoke))
        .json(&event)
        .send()
        .await?;
    ensure!(response.status() == 200, "status {}", response.status());
    let answer = response.text().await?;
    let answer_json: Value = serde_json::from_str(&answer)?;
    ensure!(answer_json["PhysicalResourceId"] == arn, "{answer}");
    ensure!(answer_json["Data"]["KeyCreated"] == true, "{answer}");
    let secret = secrets_manager(e, http, "GetSecretValue", json!({ "SecretId": arn })).await?;
    let value: Value = serde_json::from_str(secret["SecretString"].as_str().unwrap_or("{}"))?;
    let key = value["key"].as_str().context("no key in the secret")?;
    ensure!(
        key.len() == 44 && !answer.contains(key),
        "the key leaked or is malformed"
    );
    Ok(())
}

/// One Secrets Manager call (AWS JSON 1.1) to moto.
async fn secrets_manager(
    e: &Endpoints,
    http: &reqwest::Client,
    action: &str,
    body: Value,
) -> Result<Value> {
    let response = http
        .post(&e.moto)
        // moto routes by the credential scope's service; it checks no signature.
        .header(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/secretsmanager/aws4_request, \
             SignedHeaders=host, Signature=0",
        )
        .header("x-amz-target", format!("secretsmanager.{action}"))
        .header("content-type", "application/x-amz-json-1.1")
        .body(body.to_string())
        .send()
        .await?;
    ensure!(response.status() == 200, "{action}: {}", response.status());
    Ok(response.json().await?)
}
