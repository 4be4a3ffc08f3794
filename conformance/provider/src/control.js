// The local control endpoint a test uses, under /__control/ (never part of
// Auth0's API; the tenant listens on 127.0.0.1 only):
//   POST /__control/clients        register an application
//   POST /__control/behaviour      switch misbehaviours on or off
//   POST /__control/rotate-keys    publish a new signing key and sign with it
//   GET  /__control/ciba           pending CIBA requests (binding messages)
//   POST /__control/ciba/approve   {binding_message} as the user's phone
//   POST /__control/ciba/deny      {binding_message}

import { json } from './body.js';
import { answer } from './ciba.js';

async function dispatch(tenant, ctx, route) {
  const provider = tenant.provider;
  switch (route) {
    case 'POST clients':
      await tenant.clients.register(provider, await json(ctx.req), tenant.behaviour);
      return { registered: true };
    case 'POST behaviour': {
      const current = tenant.behaviour.update(await json(ctx.req));
      await tenant.clients.restore(provider, tenant.behaviour);
      return current;
    }
    case 'POST rotate-keys':
      return { kid: await tenant.rotateKeys() };
    case 'GET ciba':
      return tenant.pending.list();
    case 'POST ciba/approve':
    case 'POST ciba/deny': {
      const { binding_message: message } = await json(ctx.req);
      const approve = route.endsWith('approve');
      if (!(await answer(provider, tenant.pending, message, approve))) {
        ctx.status = 404;
        return { error: 'no pending request with this binding message' };
      }
      return { answered: true };
    }
    default:
      return undefined;
  }
}

export function controlRoutes(tenant) {
  return async function control(ctx, next) {
    if (!ctx.path.startsWith('/__control/')) return next();
    try {
      const body = await dispatch(tenant, ctx, `${ctx.method} ${ctx.path.slice('/__control/'.length)}`);
      if (body === undefined) return next();
      ctx.type = 'json';
      ctx.body = body;
    } catch (error) {
      ctx.status = 400;
      ctx.type = 'json';
      ctx.body = { error: error.message };
    }
    return undefined;
  };
}
