// The tenant's sign-in pages, driven by oidc-provider's interactions: the
// login prompt shows a form (a test posts the user's address, like a user
// typing it); the consent prompt is answered at once, as Auth0 does for
// first-party applications. oidc-provider still runs its whole flow.

import { findUserByEmail } from './accounts.js';
import { form } from './body.js';
import { escape } from './html.js';

function loginPage(uid, params, message) {
  return `<!doctype html><html><head><title>Sign in</title></head><body>
<h1>Sign in to ${escape(params.client_id)}</h1>
<p>Connection: ${escape(params.connection ?? '(none)')}</p>
${message ? `<p role="alert">${escape(message)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label>Email <input name="login" type="email" autocomplete="username"></label>
<button type="submit">Continue</button>
</form></body></html>`;
}

async function finish(provider, ctx, result) {
  const to = await provider.interactionResult(ctx.req, ctx.res, result, {
    mergeWithLastSubmission: false,
  });
  ctx.status = 303;
  ctx.redirect(to);
}

async function consent(provider, ctx, details) {
  const { prompt, params, session, grantId } = details;
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  await finish(provider, ctx, { consent: { grantId: await grant.save() } });
}

async function showPrompt(provider, ctx, clients) {
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const expected = clients.connections.get(details.params.client_id);
  if (details.params.connection && details.params.connection !== expected) {
    return finish(provider, ctx, {
      error: 'invalid_request',
      error_description: 'the connection is not enabled for this application',
    });
  }
  if (details.prompt.name === 'consent') return consent(provider, ctx, details);
  ctx.type = 'html';
  ctx.body = loginPage(details.uid, details.params);
  return undefined;
}

async function submitLogin(provider, ctx) {
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const { login } = await form(ctx.req);
  const user = findUserByEmail(login);
  if (!user) {
    ctx.status = 200;
    ctx.type = 'html';
    ctx.body = loginPage(details.uid, details.params, 'Wrong email or password.');
    return undefined;
  }
  return finish(provider, ctx, { login: { accountId: user.sub } });
}

export function interactionRoutes(provider, clients) {
  return async function interactions(ctx, next) {
    const match = ctx.path.match(/^\/interaction\/([\w-]+)(\/login)?$/);
    if (!match) return next();
    if (ctx.method === 'GET' && !match[2]) return showPrompt(provider, ctx, clients);
    if (ctx.method === 'POST' && match[2]) return submitLogin(provider, ctx);
    return next();
  };
}
