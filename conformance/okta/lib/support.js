'use strict';
// What the conformance tests share: where the running sandbox is, an Okta
// access token obtained the way Custodian obtains one (sign in at the
// Auth0 stand-in with the code flow and PKCE, then Token Vault's federated
// connection exchange of the refresh token), and Okta's SDK client
// pointed at the Okta stand-in with that token as a bearer token.

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');

const okta = require('@okta/okta-sdk-nodejs');

const SANDBOX_URL = required('SANDBOX_URL').replace(/\/$/, '');
const SETTINGS = JSON.parse(fs.readFileSync(required('CUSTODIAN_SETTINGS'), 'utf8'));
const ORG_URL = `${SANDBOX_URL}/okta`;
const ADMIN = { email: 'admin@example.com', password: 'admin-demo' };

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} must be set (cargo xtask test sets it)`);
  }
  return value;
}

function base64url(bytes) {
  return Buffer.from(bytes).toString('base64url');
}

/** `client_secret_basic` (RFC 6749 §2.3.1: form-encode, then base64). */
function basicAuth() {
  const encode = (s) => encodeURIComponent(s).replace(/%20/g, '+');
  const { clientId, clientSecret } = SETTINGS.auth0;
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

async function tokenRequest(form) {
  const response = await fetch(`${SANDBOX_URL}/oauth/token`, {
    method: 'POST',
    headers: { authorization: basicAuth(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  const body = await response.json();
  assert.equal(response.status, 200, `token endpoint: ${JSON.stringify(body.error)}`);
  return body;
}

/** Signs the admin in with the authorization-code flow and PKCE. */
async function signIn() {
  const verifier = base64url(crypto.randomBytes(32));
  const challenge = base64url(crypto.createHash('sha256').update(verifier).digest());
  const redirectUri = `${SETTINGS.app.baseUrl.replace(/\/$/, '')}/callback`;
  const authorize = new URL(`${SANDBOX_URL}/authorize`);
  for (const [name, value] of Object.entries({
    response_type: 'code',
    client_id: SETTINGS.auth0.clientId,
    redirect_uri: redirectUri,
    scope: 'openid profile email offline_access',
    state: base64url(crypto.randomBytes(16)),
    nonce: base64url(crypto.randomBytes(16)),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    connection: SETTINGS.auth0.connectionName,
  })) {
    authorize.searchParams.set(name, value);
  }
  const page = await (await fetch(authorize)).text();
  const requestId = /name="request_id" value="([^"]+)"/.exec(page)?.[1];
  assert.ok(requestId, 'the login page carries a request id');
  const submitted = await fetch(`${SANDBOX_URL}/authorize/login`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ request_id: requestId, ...ADMIN }),
  });
  assert.equal(submitted.status, 302);
  const code = new URL(submitted.headers.get('location')).searchParams.get('code');
  return tokenRequest({
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    code_verifier: verifier,
  });
}

/** An Okta access token from the Token Vault exchange, as Custodian gets one. */
async function vaultToken() {
  const { refresh_token: refreshToken } = await signIn();
  const body = await tokenRequest({
    grant_type: 'urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token',
    subject_token_type: 'urn:ietf:params:oauth:token-type:refresh_token',
    subject_token: refreshToken,
    requested_token_type: 'http://auth0.com/oauth/token-type/federated-connection-access-token',
    connection: SETTINGS.auth0.connectionName,
  });
  return body.access_token;
}

/**
 * The SDK has two authorization modes: `SSWS` (an API token) and
 * `PrivateKey` (its own client-credentials grant). Custodian calls Okta with
 * a user's federated access token, a plain bearer token, which neither mode
 * sends; the SDK's documented extension point for requests is the request
 * executor, so this one sets `Authorization: Bearer` on every request
 * (retries included) and otherwise is the SDK's default executor, with its
 * 429 backoff.
 */
class BearerRequestExecutor extends okta.DefaultRequestExecutor {
  constructor(token, config) {
    super(config);
    this.token = token;
  }

  fetch(request) {
    request.headers = { ...request.headers, Authorization: `Bearer ${this.token}` };
    return super.fetch(request);
  }
}

/** Okta's SDK client for the stand-in; no response cache, so every call is real. */
function oktaClient(token, executor = new BearerRequestExecutor(token)) {
  return new okta.Client({
    orgUrl: ORG_URL,
    authorizationMode: 'SSWS',
    token,
    requestExecutor: executor,
    cacheMiddleware: null,
  });
}

/** Arms a fault on the sandbox's Okta API. */
async function armOkta(fault) {
  const response = await fetch(`${SANDBOX_URL}/__sandbox/faults/okta`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  assert.equal(response.status, 200);
}

/** The stand-in's raw answer, for checking its shape against the SDK's models. */
async function raw(token, path, init = {}) {
  const response = await fetch(`${ORG_URL}/api/v1/${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

module.exports = {
  BearerRequestExecutor,
  ORG_URL,
  SANDBOX_URL,
  armOkta,
  oktaClient,
  raw,
  vaultToken,
};
