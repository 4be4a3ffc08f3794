// What the conformance tests run against, from the environment the xtask
// step sets: the sandbox's plain-HTTP URL, the settings file it was started
// with (client ids and secrets come from there, never from this package),
// and the HTTPS domain the Auth0 SDKs address (they only speak https).
import { readFileSync } from 'node:fs';

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run these tests through \`cargo xtask test\``);
  }
  return value;
}

export const sandboxUrl = required('SANDBOX_URL').replace(/\/$/, '');
export const settings = JSON.parse(readFileSync(required('SANDBOX_CONFIG'), 'utf8'));
/** `host:port` of the TLS front that forwards to the sandbox. */
export const auth0Domain = required('AUTH0_DOMAIN');

/** The demo users' Auth0 ids (sandbox/src/idp/users.rs). */
export const users = {
  admin: { email: 'admin@example.com', password: 'admin-demo', sub: 'oidc|Okta-OIDC|00uadmin0001' },
  helpdesk: { email: 'helpdesk@example.com', password: 'helpdesk-demo', sub: 'oidc|Okta-OIDC|00uhelp0002' },
  nobody: { email: 'user@example.com', password: 'user-demo', sub: 'oidc|Okta-OIDC|00uuser0003' },
};

/** A JSON request to the sandbox's test admin API. */
export async function admin(method, path, body) {
  const response = await fetch(`${sandboxUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  }
  return text ? JSON.parse(text) : undefined;
}
