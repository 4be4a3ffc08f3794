// Auth0's logout endpoint, `GET /v2/logout?client_id=&returnTo=`
// ("Logout", https://auth0.com/docs/api/authentication/logout/auth-0-logout):
// ends the tenant's session and redirects to `returnTo` when it is one of
// the application's Allowed Logout URLs, else answers 400. Without
// `returnTo` it goes to the first allowed URL.

export function logoutRoute(provider) {
  return async function logout(ctx, next) {
    if (ctx.method !== 'GET' || ctx.path !== '/v2/logout') return next();
    const sessionId = ctx.cookies.get(provider.cookieName('session'), { signed: true });
    if (sessionId) {
      const session = await provider.Session.find(sessionId);
      if (session) await session.destroy();
    }
    const client = await provider.Client.find(String(ctx.query.client_id ?? ''));
    const allowed = client?.postLogoutRedirectUris ?? [];
    const returnTo = ctx.query.returnTo ?? allowed[0];
    if (!client || !returnTo || !allowed.includes(returnTo)) {
      ctx.status = 400;
      ctx.type = 'text/plain';
      ctx.body = 'invalid_request: The "returnTo" querystring parameter is not defined as a valid URL in "Allowed Logout URLs".';
      return undefined;
    }
    ctx.redirect(returnTo);
    return undefined;
  };
}
