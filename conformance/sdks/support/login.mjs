// Signs a demo user in through the sandbox's own login page (what a browser
// does) and returns the authorization code for the SDK to exchange.
import { createHash, randomBytes } from 'node:crypto';

import { sandboxUrl, settings } from './env.mjs';

const base64url = (bytes) => bytes.toString('base64url');

export const redirectUri = `${settings.app.baseUrl.replace(/\/$/, '')}/callback`;

export async function authorizationCode(user) {
  const verifier = base64url(randomBytes(32));
  const nonce = base64url(randomBytes(16));
  const state = base64url(randomBytes(16));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: settings.auth0.clientId,
    redirect_uri: redirectUri,
    scope: 'openid profile email offline_access',
    state,
    nonce,
    code_challenge: base64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
    connection: settings.auth0.connectionName,
  });
  const page = await fetch(`${sandboxUrl}/authorize?${query}`);
  const html = await page.text();
  const requestId = /name="request_id" value="([^"]+)"/.exec(html)?.[1];
  if (!requestId) {
    throw new Error(`the login page (${page.status}) has no request_id`);
  }
  const login = await fetch(`${sandboxUrl}/authorize/login`, {
    method: 'POST',
    body: new URLSearchParams({ request_id: requestId, email: user.email, password: user.password }),
    redirect: 'manual',
  });
  const location = new URL(login.headers.get('location') ?? '', redirectUri);
  if (login.status !== 302 || location.searchParams.get('state') !== state) {
    throw new Error(`the login answered ${login.status} to ${location}`);
  }
  return { code: location.searchParams.get('code'), verifier, nonce };
}
