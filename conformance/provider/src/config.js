// oidc-provider's configuration for a tenant shaped like Auth0: Auth0's
// endpoint paths, claims and lifetimes, PKCE required, refresh tokens for
// `offline_access` without rotation (Token Vault needs rotation off).

import { randomBytes } from 'node:crypto';

import { accountFinder } from './accounts.js';
import { cibaFeature, MAX_EXPIRY } from './ciba.js';

// Auth0's defaults: ID tokens 36000 s, access tokens 86400 s.
const ID_TOKEN_SECONDS = 36000;
const ACCESS_TOKEN_SECONDS = 86400;

// The paths of Auth0's Authentication API (its discovery document names them).
export const ROUTES = {
  authorization: '/authorize',
  token: '/oauth/token',
  userinfo: '/userinfo',
  jwks: '/.well-known/jwks.json',
  backchannel_authentication: '/bc-authorize',
  end_session: '/oidc/logout',
  revocation: '/oauth/revoke',
};

export function cookieKeys() {
  return [randomBytes(32).toString('base64url')];
}

// First-party applications skip consent on Auth0: the consent prompt that
// oidc-provider raises is answered at once by the interaction route.
export function configuration({ issuer, keys, behaviour, pending, cookies }) {
  return {
    routes: ROUTES,
    jwks: keys.jwks(),
    cookies: { keys: cookies },
    findAccount: accountFinder(behaviour),
    claims: {
      acr: null,
      auth_time: null,
      sid: null,
      openid: ['sub'],
      profile: ['name', 'nickname', 'picture', 'updated_at'],
      email: ['email', 'email_verified'],
    },
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    // Auth0 puts the profile claims in the ID token itself.
    conformIdTokenClaims: false,
    extraParams: ['connection', 'audience'],
    responseTypes: ['code'],
    pkce: { required: () => true },
    rotateRefreshToken: false,
    enabledJWA: {
      idTokenSigningAlgValues: ['RS256', 'ES256'],
    },
    features: {
      devInteractions: { enabled: false },
      ciba: cibaFeature(pending, issuer),
      rpInitiatedLogout: { enabled: true },
      revocation: { enabled: true },
    },
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    ttl: {
      AccessToken: ACCESS_TOKEN_SECONDS,
      AuthorizationCode: 60,
      IdToken: () => ID_TOKEN_SECONDS + behaviour.idTokenClockSkew(),
      RefreshToken: 30 * 24 * 60 * 60,
      Interaction: 600,
      Session: 24 * 60 * 60,
      Grant: 30 * 24 * 60 * 60,
      BackchannelAuthenticationRequest: (ctx) =>
        Math.min(MAX_EXPIRY, Number(ctx?.oidc?.params?.requested_expiry ?? MAX_EXPIRY)),
    },
  };
}
