import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { CLIENT, control, decodeJwt, signIn, startTenant, tokenRequest } from './helpers.js';

let tenant;
before(async () => { tenant = await startTenant(); });
after(() => tenant.close());

test('discovery names Auth0 paths under an issuer with a trailing slash', async () => {
  const doc = await (await fetch(tenant.url('/.well-known/openid-configuration'))).json();
  assert.equal(doc.issuer, tenant.tenant.issuer);
  assert.match(doc.issuer, /\/$/);
  for (const [field, path] of [
    ['authorization_endpoint', 'authorize'], ['token_endpoint', 'oauth/token'],
    ['userinfo_endpoint', 'userinfo'], ['jwks_uri', '.well-known/jwks.json'],
    ['backchannel_authentication_endpoint', 'bc-authorize'],
  ]) assert.equal(doc[field], `${doc.issuer}${path}`, field);
  assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);
});

test('the ID token carries Auth0 claims, and a refresh token is issued', async () => {
  const { status, body, nonce } = await signIn(tenant.url);
  assert.equal(status, 200, JSON.stringify(body));
  assert.ok(body.refresh_token);
  const { header, payload } = decodeJwt(body.id_token);
  assert.equal(header.alg, 'RS256');
  assert.equal(payload.aud, CLIENT.client_id);
  assert.equal(payload.nonce, nonce);
  assert.equal(payload.updated_at, '2026-11-30T10:08:02.554Z');
  assert.equal(payload.email, 'admin@example.com');
  assert.equal(payload.email_verified, true);
  for (const claim of ['name', 'nickname', 'picture', 'sid']) assert.ok(payload[claim], claim);
  assert.equal(payload.azp, undefined);
});

test('a refresh answers without a new refresh token (rotation off)', async () => {
  const { body } = await signIn(tenant.url);
  const refreshed = await tokenRequest(tenant.url, { grant_type: 'refresh_token', refresh_token: body.refresh_token });
  assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
  assert.ok(refreshed.body.access_token);
  assert.equal(refreshed.body.refresh_token, undefined);
  const again = await tokenRequest(tenant.url, { grant_type: 'refresh_token', refresh_token: body.refresh_token });
  assert.equal(again.status, 200, 'the same refresh token still works');
});

test('misbehaviours: future iat, foreign azp, ES256, unverified email, key rotation', async () => {
  await control(tenant.url, 'behaviour', { futureIat: true, foreignAzp: true, unverifiedEmail: true, idTokenAlg: 'ES256' });
  const { body } = await signIn(tenant.url);
  const { header, payload } = decodeJwt(body.id_token);
  await control(tenant.url, 'behaviour', { futureIat: false, foreignAzp: false, unverifiedEmail: false, idTokenAlg: 'RS256' });
  assert.equal(header.alg, 'ES256');
  assert.ok(payload.iat > Date.now() / 1000 + 9 * 365 * 86400);
  assert.ok(payload.exp > payload.iat);
  assert.notEqual(payload.azp, CLIENT.client_id);
  assert.equal(payload.email_verified, false);

  await control(tenant.url, 'behaviour', { staleIat: true });
  const stale = decodeJwt((await signIn(tenant.url)).body.id_token).payload;
  await control(tenant.url, 'behaviour', { staleIat: false });
  assert.ok(stale.iat < Date.now() / 1000 - 29 * 86400 && stale.exp > Date.now() / 1000);

  const before = decodeJwt((await signIn(tenant.url)).body.id_token).header.kid;
  const { body: rotated } = await control(tenant.url, 'rotate-keys', {});
  const after = decodeJwt((await signIn(tenant.url)).body.id_token).header.kid;
  assert.notEqual(before, after);
  assert.equal(after, rotated.kid);
  const jwks = await (await fetch(tenant.url('/.well-known/jwks.json'))).json();
  const kids = jwks.keys.map((k) => k.kid);
  assert.ok(kids.includes(before) && kids.includes(after), 'both keys published');
  assert.ok(jwks.keys.every((k) => k.d === undefined), 'no private parts');
});

test('Token Vault exchanges a refresh token for the connection', async () => {
  const { body } = await signIn(tenant.url);
  const exchange = (connection) => tokenRequest(tenant.url, {
    grant_type: 'urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token',
    subject_token_type: 'urn:ietf:params:oauth:token-type:refresh_token',
    subject_token: body.refresh_token,
    requested_token_type: 'http://auth0.com/oauth/token-type/federated-connection-access-token',
    connection,
  });
  const ok = await exchange(CLIENT.connection);
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.issued_token_type, 'http://auth0.com/oauth/token-type/federated-connection-access-token');
  assert.equal(ok.body.token_type, 'Bearer');
  assert.ok(ok.body.expires_in > 0 && ok.body.access_token);
  const other = await exchange('google-oauth2');
  assert.equal(other.status, 401);
  assert.equal(other.body.error, 'federated_connection_refresh_token_not_found');
});

test('logout redirects only to an allowed URL', async () => {
  const go = (returnTo) => fetch(tenant.url(`/v2/logout?client_id=${CLIENT.client_id}&returnTo=${encodeURIComponent(returnTo)}`), { redirect: 'manual' });
  const ok = await go(CLIENT.allowed_logout_urls[0]);
  assert.equal(ok.status, 302);
  assert.equal(ok.headers.get('location'), CLIENT.allowed_logout_urls[0]);
  assert.equal((await go('https://evil.example/')).status, 400);
});
