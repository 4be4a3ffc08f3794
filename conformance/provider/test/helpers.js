// Starts the tenant in-process on a free port and drives it like a client.

import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';

import { Tenant } from '../src/tenant.js';

export const CLIENT = {
  client_id: 'custodian-conformance',
  client_secret: randomBytes(24).toString('base64url'),
  redirect_uris: ['http://127.0.0.1:9/callback'],
  allowed_logout_urls: ['http://127.0.0.1:9/'],
  connection: 'Okta-OIDC',
};

export async function startTenant() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const tenant = new Tenant(`http://127.0.0.1:${server.address().port}/`, { cibaInterval: 1 });
  server.on('request', tenant.listener());
  const url = (path) => new URL(path, tenant.issuer).toString();
  await control(url, 'clients', CLIENT);
  return { tenant, url, close: () => server.close() };
}

export async function control(url, path, body) {
  const response = await fetch(url(`/__control/${path}`), {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

export function decodeJwt(jwt) {
  const [header, payload] = jwt.split('.').slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
  return { header, payload };
}

// A browser that keeps cookies (by name; one host) and follows no redirects.
export class Browser {
  constructor() { this.cookies = new Map(); }

  async request(url, init = {}) {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...init.headers, cookie } });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return response;
  }
}

// Authorization code + PKCE as Custodian does it; returns the token response.
export async function signIn(url, login = 'admin@example.com') {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const nonce = randomBytes(16).toString('base64url');
  const authorize = new URL(url('/authorize'));
  Object.entries({
    response_type: 'code', client_id: CLIENT.client_id, redirect_uri: CLIENT.redirect_uris[0],
    scope: 'openid profile email offline_access', state: 's', nonce,
    code_challenge: challenge, code_challenge_method: 'S256', connection: CLIENT.connection,
  }).forEach(([k, v]) => authorize.searchParams.set(k, v));
  const browser = new Browser();
  let response = await browser.request(authorize);
  let location;
  for (let hops = 0; hops < 10; hops += 1) {
    if (response.status === 200) {
      const action = (await response.text()).match(/action="([^"]+)"/)[1];
      response = await browser.request(url(action), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ login }),
      });
      continue;
    }
    if (!response.headers.get("location")) break;
    location = new URL(response.headers.get('location'), url('/'));
    if (location.toString().startsWith(CLIENT.redirect_uris[0])) break;
    response = await browser.request(location);
  }
  if (!location) throw new Error(`stuck at ${response.status}: ${(await response.text()).replace(/<style>[^]*<\/style>/,"").slice(0, 1500)}`);
  const code = location.searchParams.get('code');
  if (!code) throw new Error(`no code: ${location}`);
  const token = await fetch(url('/oauth/token'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code', code, redirect_uri: CLIENT.redirect_uris[0],
      code_verifier: verifier, client_id: CLIENT.client_id, client_secret: CLIENT.client_secret,
    }),
  });
  return { status: token.status, body: await token.json(), nonce };
}

export async function tokenRequest(url, params) {
  const response = await fetch(url('/oauth/token'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: CLIENT.client_id, client_secret: CLIENT.client_secret, ...params }),
  });
  return { status: response.status, body: await response.json() };
}
