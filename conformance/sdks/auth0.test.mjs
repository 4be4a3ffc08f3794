// The sandbox's Auth0 stand-in as Auth0's own Node SDKs see it: the
// AuthenticationClient of `auth0` (its `auth0/legacy` entry: v7 moved the
// Authentication API out of the main one) for CIBA with Rich Authorization
// Requests, the refresh-token grant and the Token Vault exchange, and
// @auth0/ai's Token Vault authorizer.
// Auth0 docs: https://auth0.com/docs/api/authentication (Back-Channel Login,
// Refresh Token, Token Exchange for federated connections).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';

import { ManagementClient } from 'auth0';
import { AuthenticationClient } from 'auth0/legacy';

import { admin, auth0Domain, sandboxUrl, settings, users } from './support/env.mjs';
import { authorizationCode, redirectUri } from './support/login.mjs';
import { startTlsFront } from './support/tls-front.mjs';

// @auth0/ai 5.1.1's ESM build imports its own files without extensions,
// which Node's ESM loader refuses; its CommonJS build loads.
const require = createRequire(import.meta.url);
const { getAccessTokenFromTokenVault, TokenVaultAuthorizerBase } = require('@auth0/ai/TokenVault');
const { MemoryStore } = require('@auth0/ai/stores');

const FEDERATED_TOKEN_TYPE = 'http://auth0.com/oauth/token-type/federated-connection-access-token';

let front;
before(async () => {
  front = await startTlsFront(Number(auth0Domain.split(':')[1]), sandboxUrl);
});
after(() => front?.close());

const auth = (clientSecret = settings.auth0.clientSecret) => new AuthenticationClient({
  domain: auth0Domain,
  clientId: settings.auth0.clientId,
  clientSecret,
});

/** Fails unless `promise` rejects with Auth0's `{error, error_description}`. */
async function refusal(promise) {
  const error = await promise.then(() => assert.fail('the request succeeded'), (e) => e);
  assert.equal(error.name, 'AuthApiError', `${error}`);
  assert.equal(typeof error.error_description, 'string');
  return error;
}

/** A binding message the admin API can find the request by. */
const bindingMessage = () => `Conformance ${randomBytes(4).toString('hex')}`;

async function startCiba(user = users.admin) {
  const binding_message = bindingMessage();
  const started = await auth().backchannel.authorize({ userId: user.sub, binding_message, scope: 'openid' });
  const request = (await admin('GET', '/__sandbox/ciba/requests'))
    .find((r) => r.binding_message === binding_message);
  assert.ok(request, 'the sandbox lists the request');
  return { started, handle: request.handle };
}

describe('CIBA (backchannel)', () => {
  it('starts a request with auth_req_id, expires_in and interval', async () => {
    const { started } = await startCiba();
    assert.equal(typeof started.auth_req_id, 'string');
    assert.ok(started.expires_in > 0 && started.expires_in <= 300);
    assert.ok(Number.isInteger(started.interval) && started.interval >= 1);
  });

  it('answers authorization_pending, then slow_down with Retry-After to a hasty poll', async () => {
    const { started } = await startCiba();
    const pending = await refusal(auth().backchannel.backchannelGrant({ auth_req_id: started.auth_req_id }));
    assert.equal(pending.error, 'authorization_pending');
    assert.equal(pending.statusCode, 400);
    const hasty = await refusal(auth().backchannel.backchannelGrant({ auth_req_id: started.auth_req_id }));
    assert.equal(hasty.error, 'slow_down');
    assert.equal(hasty.statusCode, 429);
    assert.ok(Number(hasty.headers.get('retry-after')) > started.interval);
  });

  it('issues an ID token and access token once the user approves, and only once', async () => {
    const { started, handle } = await startCiba();
    await admin('POST', `/__sandbox/ciba/requests/${handle}/approve`);
    const tokens = await auth().backchannel.backchannelGrant({ auth_req_id: started.auth_req_id });
    assert.equal(typeof tokens.access_token, 'string');
    assert.equal(tokens.id_token.split('.').length, 3);
    assert.equal(tokens.token_type, 'Bearer');
    assert.equal(tokens.scope, 'openid');
    assert.ok(tokens.expires_in > 0);
    const claims = JSON.parse(Buffer.from(tokens.id_token.split('.')[1], 'base64url'));
    assert.equal(claims.sub, users.admin.sub);
    assert.equal(claims.iss, `https://${auth0Domain}/`);
    const again = await refusal(auth().backchannel.backchannelGrant({ auth_req_id: started.auth_req_id }));
    assert.equal(again.error, 'invalid_grant');
  });

  it('answers access_denied when the user denies', async () => {
    const { started, handle } = await startCiba();
    await admin('POST', `/__sandbox/ciba/requests/${handle}/deny`);
    const denied = await refusal(auth().backchannel.backchannelGrant({ auth_req_id: started.auth_req_id }));
    assert.equal(denied.error, 'access_denied');
    assert.equal(denied.statusCode, 400);
  });

  it('answers expired_token once the request has expired', async () => {
    const { started, handle } = await startCiba();
    await admin('POST', `/__sandbox/ciba/requests/${handle}/expire`);
    const expired = await refusal(auth().backchannel.backchannelGrant({ auth_req_id: started.auth_req_id }));
    assert.equal(expired.error, 'expired_token');
  });

  it('refuses a login_hint for an unknown user and an unreadable binding message', async () => {
    const unknown = await refusal(auth().backchannel.authorize({
      userId: 'auth0|nobody', binding_message: bindingMessage(), scope: 'openid',
    }));
    assert.equal(unknown.error, 'unknown_user_id');
    assert.equal(unknown.statusCode, 400);
    const unreadable = await refusal(auth().backchannel.authorize({
      userId: users.admin.sub, binding_message: 'reset <bob@example.com>', scope: 'openid',
    }));
    assert.equal(unreadable.error, 'invalid_binding_message');
  });

  // "User Authorization with CIBA": the details go out as a JSON string
  // with the API they are registered on, and come back with the tokens.
  it('carries authorization_details to the approval and back with the tokens', async () => {
    const details = [{
      type: 'urn:auth0:schemas:authorization-details:v1:password-reset',
      instruction: 'Approve resetting the Okta password of bob@example.com.',
      properties: {
        target: { display: true, name: 'User:', display_order: 1, value: 'bob@example.com' },
      },
    }];
    const binding_message = bindingMessage();
    const started = await auth().backchannel.authorize({
      userId: users.admin.sub,
      binding_message,
      scope: 'openid',
      audience: settings.auth0.audience,
      authorization_details: JSON.stringify(details),
    });
    const request = (await admin('GET', '/__sandbox/ciba/requests'))
      .find((r) => r.binding_message === binding_message);
    assert.deepEqual(request.authorization_details, details);
    await admin('POST', `/__sandbox/ciba/requests/${request.handle}/approve`);
    const tokens = await auth().backchannel.backchannelGrant({ auth_req_id: started.auth_req_id });
    assert.deepEqual(tokens.authorization_details, details);
  });

  it('refuses authorization_details without an audience or over the limits', async () => {
    const one = { type: 'urn:auth0:schemas:authorization-details:v1:password-reset' };
    const cases = [
      { authorization_details: JSON.stringify([one]) },
      { audience: settings.auth0.audience, authorization_details: JSON.stringify(Array(6).fill(one)) },
      { audience: settings.auth0.audience, authorization_details: JSON.stringify([{ type: 'money_transfer' }]) },
    ];
    for (const extra of cases) {
      const error = await refusal(auth().backchannel.authorize({
        userId: users.admin.sub, binding_message: bindingMessage(), scope: 'openid', ...extra,
      }));
      assert.equal(error.error, 'invalid_authorization_details', JSON.stringify(extra));
      assert.equal(error.statusCode, 400);
    }
  });

  it('refuses a wrong client secret with invalid_client 401', async () => {
    const error = await refusal(auth('wrong').backchannel.authorize({
      userId: users.admin.sub, binding_message: bindingMessage(), scope: 'openid',
    }));
    assert.equal(error.error, 'invalid_client');
    assert.equal(error.statusCode, 401);
  });
});

describe('authorization code and refresh token grants', () => {
  async function signIn(user = users.admin) {
    const { code, verifier, nonce } = await authorizationCode(user);
    const { data } = await auth().oauth.authorizationCodeGrantWithPKCE(
      { code, code_verifier: verifier, redirect_uri: redirectUri },
      { idTokenValidateOptions: { nonce } },
    );
    return data;
  }

  it('signs in with PKCE; the SDK validates the ID token against the JWKS', async () => {
    const tokens = await signIn();
    assert.equal(tokens.token_type, 'Bearer');
    assert.equal(typeof tokens.refresh_token, 'string');
  });

  it('refreshes without rotating the refresh token (rotation off, as Token Vault needs)', async () => {
    const { refresh_token } = await signIn();
    const { data } = await auth().oauth.refreshTokenGrant({ refresh_token });
    assert.equal(typeof data.access_token, 'string');
    assert.equal(typeof data.id_token, 'string');
    assert.equal(data.token_type, 'Bearer');
    assert.ok(data.expires_in > 0);
    assert.equal(data.refresh_token, undefined);
    const { data: again } = await auth().oauth.refreshTokenGrant({ refresh_token });
    assert.equal(typeof again.access_token, 'string');
  });

  it('refuses an unknown refresh token with invalid_grant 403', async () => {
    const error = await refusal(auth().oauth.refreshTokenGrant({ refresh_token: 'not-a-refresh-token' }));
    assert.equal(error.error, 'invalid_grant');
    assert.equal(error.error_description, 'Unknown or invalid refresh token.');
    assert.equal(error.statusCode, 403);
  });

  it('refuses a used authorization code with invalid_grant 403', async () => {
    const { code, verifier, nonce } = await authorizationCode(users.helpdesk);
    const body = { code, code_verifier: verifier, redirect_uri: redirectUri };
    await auth().oauth.authorizationCodeGrantWithPKCE(body, { idTokenValidateOptions: { nonce } });
    const error = await refusal(auth().oauth.authorizationCodeGrantWithPKCE(body));
    assert.equal(error.error, 'invalid_grant');
    assert.equal(error.statusCode, 403);
  });

  describe('Token Vault', () => {
    // `oauth.tokenForConnection` sends client_secret but not client_id
    // (auth0 7.1.0 legacy entry); Auth0's Token Vault reference lists
    // client_id as required, so the tests pass it, as @auth0/ai does.
    const client_id = settings.auth0.clientId;

    it('exchanges the refresh token for the federated connection token', async () => {
      const { refresh_token } = await signIn();
      const { data } = await auth().oauth.tokenForConnection({
        client_id,
        subject_token: refresh_token,
        connection: settings.auth0.connectionName,
      });
      assert.equal(typeof data.access_token, 'string');
      assert.equal(data.issued_token_type, FEDERATED_TOKEN_TYPE);
      assert.equal(data.token_type, 'Bearer');
      assert.ok(data.expires_in > 0);
      assert.equal(typeof data.scope, 'string');
      assert.equal(data.refresh_token, undefined);
    });

    it('refuses an unknown subject token with invalid_grant', async () => {
      const error = await refusal(auth().oauth.tokenForConnection({
        client_id,
        subject_token: 'not-a-refresh-token',
        connection: settings.auth0.connectionName,
      }));
      assert.equal(error.error, 'invalid_grant');
    });

    it('gives @auth0/ai the federated token through its authorizer (a JSON request)', async () => {
      const { refresh_token } = await signIn();
      const authorizer = new TokenVaultAuthorizerBase(
        { domain: auth0Domain, clientId: settings.auth0.clientId, clientSecret: settings.auth0.clientSecret },
        {
          connection: settings.auth0.connectionName,
          scopes: ['okta.groups.read'],
          refreshToken: async () => refresh_token,
          store: new MemoryStore(),
        },
      );
      const tool = authorizer.protect(() => ({ threadID: 'conformance' }), async () => getAccessTokenFromTokenVault());
      const token = await tool();
      assert.equal(typeof token, 'string');
      assert.ok(token.length > 0);
    });
  });
});

// What access requests and dual control ask: an approver's Auth0 user id
// from their email, with a client-credentials token for the Management API
// (audience https://{domain}/api/v2/, scope read:users), as Auth0's own
// ManagementClient fetches and uses it.
describe('Management API: users by email', () => {
  const management = (clientSecret = settings.auth0.clientSecret) => new ManagementClient({
    domain: auth0Domain,
    clientId: settings.auth0.clientId,
    clientSecret,
  });

  it('finds a user by email with the token the SDK gets itself', async () => {
    const found = await management().users.listUsersByEmail({ email: users.admin.email });
    assert.equal(found.length, 1);
    assert.equal(found[0].user_id, users.admin.sub);
    assert.equal(found[0].email, users.admin.email);
    assert.equal(found[0].identities[0].connection, settings.auth0.connectionName);
  });

  it('answers an email nobody has with an empty list', async () => {
    const found = await management().users.listUsersByEmail({ email: 'nobody-here@example.com' });
    assert.deepEqual(found, []);
  });

  it('gets no token with a wrong client secret', async () => {
    await assert.rejects(management('not-the-secret').users.listUsersByEmail({ email: users.admin.email }));
  });
});
