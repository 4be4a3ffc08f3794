import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { CLIENT, control, decodeJwt, startTenant, tokenRequest } from './helpers.js';

let tenant;
before(async () => { tenant = await startTenant(); });
after(() => tenant.close());

async function start(url, message, hint) {
  const response = await fetch(url('/bc-authorize'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: CLIENT.client_id, client_secret: CLIENT.client_secret, scope: 'openid',
      login_hint: hint ?? JSON.stringify({ format: 'iss_sub', iss: tenant.tenant.issuer, sub: 'oidc|Okta-OIDC|00u1admin0example' }),
      binding_message: message, requested_expiry: '300',
    }),
  });
  return { status: response.status, body: await response.json() };
}

const poll = (id) => tokenRequest(tenant.url, { grant_type: 'urn:openid:params:grant-type:ciba', auth_req_id: id });

test('a CIBA request is pending, then approved, and its ID token names the user', async () => {
  const started = await start(tenant.url, 'Custodian password reset, code K7F-2QX');
  assert.equal(started.status, 200, JSON.stringify(started.body));
  assert.deepEqual(Object.keys(started.body).sort(), ['auth_req_id', 'expires_in', 'interval']);
  assert.equal((await poll(started.body.auth_req_id)).body.error, 'authorization_pending');
  const listed = await control(tenant.url, 'ciba');
  assert.ok(!JSON.stringify(listed.body).includes(started.body.auth_req_id), 'no auth_req_id in the control API');
  await control(tenant.url, 'ciba/approve', { binding_message: 'Custodian password reset, code K7F-2QX' });
  const approved = await poll(started.body.auth_req_id);
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  assert.equal(decodeJwt(approved.body.id_token).payload.sub, 'oidc|Okta-OIDC|00u1admin0example');
});

test('a denied request answers access_denied; bad hints and messages are refused', async () => {
  const started = await start(tenant.url, 'Deny me 1');
  await control(tenant.url, 'ciba/deny', { binding_message: 'Deny me 1' });
  assert.equal((await poll(started.body.auth_req_id)).body.error, 'access_denied');
  assert.equal((await start(tenant.url, 'bad <message>')).body.error, 'invalid_binding_message');
  assert.equal((await start(tenant.url, 'ok', 'admin@example.com')).body.error, 'invalid_request');
});
