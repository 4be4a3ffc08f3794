// The tenant's answers have the fields, and JSON types, of Auth0's
// documented responses (fixtures/auth0_responses.json): a drift on either
// side fails here.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';

import { CLIENT, decodeJwt, signIn, startTenant, tokenRequest } from './helpers.js';

const fixtures = JSON.parse(await readFile(new URL('../fixtures/auth0_responses.json', import.meta.url)));
const kind = (value) => (Array.isArray(value) ? 'array' : typeof value);

function assertShape(name, actual) {
  const { body, extra = {}, absent = [] } = fixtures[name];
  for (const [field, value] of Object.entries(body)) {
    assert.equal(kind(actual[field]), kind(value), `${name}.${field}: ${JSON.stringify(actual)}`);
  }
  for (const field of Object.keys(actual)) {
    assert.ok(field in body || field in extra, `${name}: unexpected ${field}`);
  }
  for (const field of absent) assert.equal(actual[field], undefined, `${name}: ${field} must be absent`);
}

let tenant;
before(async () => { tenant = await startTenant(); });
after(() => tenant.close());

test('code exchange, ID token and refresh answers match Auth0', async () => {
  const { body } = await signIn(tenant.url);
  assertShape('code_exchange', body);
  assertShape('id_token_claims', decodeJwt(body.id_token).payload);
  const refreshed = await tokenRequest(tenant.url, { grant_type: 'refresh_token', refresh_token: body.refresh_token });
  assertShape('refresh_without_rotation', refreshed.body);
});

test('CIBA answers match Auth0', async () => {
  const response = await fetch(tenant.url('/bc-authorize'), {
    method: 'POST',
    body: new URLSearchParams({
      client_id: CLIENT.client_id, client_secret: CLIENT.client_secret, scope: 'openid',
      login_hint: JSON.stringify({ format: 'iss_sub', iss: tenant.tenant.issuer, sub: 'oidc|Okta-OIDC|00u1admin0example' }),
      binding_message: 'Fixture check 1',
    }),
  });
  const started = await response.json();
  assertShape('ciba_start', started);
  const pending = await tokenRequest(tenant.url, { grant_type: 'urn:openid:params:grant-type:ciba', auth_req_id: started.auth_req_id });
  assertShape('ciba_pending', pending.body);
});

test('Token Vault answers match Auth0', async () => {
  const { body } = await signIn(tenant.url);
  const exchange = (connection) => tokenRequest(tenant.url, {
    grant_type: 'urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token',
    subject_token_type: 'urn:ietf:params:oauth:token-type:refresh_token',
    subject_token: body.refresh_token,
    requested_token_type: 'http://auth0.com/oauth/token-type/federated-connection-access-token',
    connection,
  });
  assertShape('token_vault_exchange', (await exchange(CLIENT.connection)).body);
  const refused = await exchange('not-connected');
  assert.equal(refused.status, fixtures.token_vault_no_connection.status);
  assertShape('token_vault_no_connection', refused.body);
});
