// CIBA the way Auth0 runs it ("User Authentication with CIBA",
// https://auth0.com/docs/get-started/authentication-and-authorization-flow/client-initiated-backchannel-authentication-flow/user-authentication-with-ciba):
// `login_hint` is `{"format":"iss_sub","iss":"https://<tenant>/","sub":"<user id>"}`,
// `binding_message` is required, at most 64 characters of `A-Za-z0-9 +-_.,:#`,
// `requested_expiry` at most 300 seconds, and the answer carries `interval`.
// Instead of a Guardian push, a pending request waits here until a test
// approves or denies it by its binding message (never by its auth_req_id).

import { errors } from 'oidc-provider';

import { findUserBySub } from './accounts.js';

const BINDING_MESSAGE = /^[A-Za-z0-9 +\-_.,:#]{1,64}$/;
export const MAX_EXPIRY = 300;

export class PendingRequests {
  constructor() {
    this.byMessage = new Map();
  }

  add(request) {
    this.byMessage.set(request.params.binding_message, {
      id: request.jti,
      accountId: request.accountId,
      clientId: request.clientId,
      scope: request.scope,
    });
  }

  list() {
    return [...this.byMessage.entries()].map(([bindingMessage, pending]) => ({
      binding_message: bindingMessage,
      sub: pending.accountId,
    }));
  }

  take(bindingMessage) {
    const pending = this.byMessage.get(bindingMessage);
    this.byMessage.delete(bindingMessage);
    return pending;
  }
}

// The `features.ciba` hooks.
export function cibaFeature(pending, issuer) {
  return {
    enabled: true,
    deliveryModes: ['poll'],
    async processLoginHint(_ctx, loginHint) {
      let hint;
      try {
        hint = JSON.parse(loginHint);
      } catch {
        throw new errors.InvalidRequest('login_hint must be a JSON object');
      }
      if (hint?.format !== 'iss_sub' || hint.iss !== issuer || typeof hint.sub !== 'string') {
        throw new errors.InvalidRequest('login_hint must use the iss_sub format for this tenant');
      }
      return findUserBySub(hint.sub)?.sub;
    },
    async processLoginHintToken() {
      throw new errors.InvalidRequest('login_hint_token is not supported');
    },
    async validateBindingMessage(_ctx, bindingMessage) {
      if (!BINDING_MESSAGE.test(bindingMessage ?? '')) {
        throw new errors.InvalidBindingMessage(
          'binding_message is required: 1 to 64 characters of A-Za-z0-9 +-_.,:#',
        );
      }
    },
    async validateRequestContext() {},
    async verifyUserCode() {},
    async triggerAuthenticationDevice(_ctx, request) {
      pending.add(request);
    },
  };
}

// Answers a pending request as the user's phone would.
export async function answer(provider, pending, bindingMessage, approve) {
  const request = pending.take(bindingMessage);
  if (!request) return false;
  if (!approve) {
    await provider.backchannelResult(request.id, new errors.AccessDenied('the user denied the request'));
    return true;
  }
  const grant = new provider.Grant({ clientId: request.clientId, accountId: request.accountId });
  grant.addOIDCScope(request.scope);
  await grant.save();
  await provider.backchannelResult(request.id, grant);
  return true;
}
