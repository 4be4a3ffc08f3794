// Where oidc-provider and Auth0 differ on the wire, the tenant answers as
// Auth0 documents:
// - Auth0 returns a refresh token for `offline_access` without
//   `prompt=consent` ("Get Refresh Tokens",
//   https://auth0.com/docs/secure/tokens/refresh-tokens/get-refresh-tokens);
//   oidc-provider drops `offline_access` unless consent is prompted (OIDC
//   Core 11 allows either), so the request is given `prompt=consent` and the
//   consent prompt is answered for the first-party application.
// - `/bc-authorize` answers `{auth_req_id, expires_in, interval}` (CIBA
//   docs); oidc-provider leaves `interval` out.
// - With rotation off, Auth0's refresh-token grant answers without a
//   `refresh_token` ("Use Refresh Tokens",
//   https://auth0.com/docs/secure/tokens/refresh-tokens/use-refresh-tokens);
//   oidc-provider repeats the one that was sent.
// - Auth0 puts `sid` in every ID token; oidc-provider only for clients
//   registered for back-channel logout.

export function auth0Shape(provider, { cibaInterval }) {
  provider.Client.prototype.includeSid = () => true;
  return async function shape(ctx, next) {
    if (ctx.method === 'GET' && ctx.path === '/authorize') {
      const { scope = '', prompt } = ctx.query;
      if (!prompt && String(scope).split(' ').includes('offline_access')) {
        ctx.query = { ...ctx.query, prompt: 'consent' };
      }
    }
    await next();
    if (ctx.path === '/bc-authorize' && ctx.status === 200 && ctx.body?.auth_req_id) {
      ctx.body = { ...ctx.body, interval: cibaInterval };
    }
    if (
      ctx.path === '/oauth/token' && ctx.status === 200
      && ctx.oidc?.params?.grant_type === 'refresh_token' && ctx.body?.refresh_token
    ) {
      const { refresh_token: _, ...rest } = ctx.body;
      ctx.body = rest;
    }
  };
}
