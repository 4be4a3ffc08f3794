// Auth0 Token Vault's refresh-token exchange as a custom grant ("Get Token",
// Token Vault token exchange,
// https://auth0.com/docs/api/authentication/token-vault-token-exchange/get-token):
// RFC 8693 request with the Auth0 grant type, an Auth0 refresh token as the
// subject and `connection`; the answer is the connection's access token with
// `issued_token_type`, `token_type` and `expires_in` (`scope` only when it
// differs from what the account granted). A connection the user has no
// stored tokens for is a 401 `federated_connection_refresh_token_not_found`
// (the body real tenants send, as seen by Auth0 SDK users).
// The "federated" token minted here is opaque: this tenant has no Okta.

import { randomBytes } from 'node:crypto';

import { errors } from 'oidc-provider';

export const GRANT_TYPE =
  'urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token';
const SUBJECT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:refresh_token';
const FEDERATED_TOKEN_TYPE = 'http://auth0.com/oauth/token-type/federated-connection-access-token';
const FEDERATED_TOKEN_SECONDS = 3600;
const PARAMETERS = ['subject_token', 'subject_token_type', 'requested_token_type', 'connection', 'login_hint', 'scope'];

class NoFederatedToken extends errors.OIDCProviderError {
  constructor() {
    super(401, 'federated_connection_refresh_token_not_found');
    this.error_description = 'Federated connection Refresh Token not found.';
  }
}

function handler(connections) {
  return async function tokenVault(ctx) {
    const { params, client, provider } = ctx.oidc;
    if (params.subject_token_type !== SUBJECT_TOKEN_TYPE) {
      throw new errors.InvalidRequest('subject_token_type must be a refresh token');
    }
    if (params.requested_token_type !== FEDERATED_TOKEN_TYPE) {
      throw new errors.InvalidRequest('unsupported requested_token_type');
    }
    if (!params.subject_token || !params.connection) {
      throw new errors.InvalidRequest('subject_token and connection are required');
    }
    const refreshToken = await provider.RefreshToken.find(params.subject_token);
    if (!refreshToken || refreshToken.isExpired || refreshToken.clientId !== client.clientId) {
      throw new errors.InvalidGrant('invalid refresh token');
    }
    if (connections.get(client.clientId) !== params.connection) {
      throw new NoFederatedToken();
    }
    ctx.body = {
      access_token: randomBytes(32).toString('base64url'),
      issued_token_type: FEDERATED_TOKEN_TYPE,
      token_type: 'Bearer',
      expires_in: FEDERATED_TOKEN_SECONDS,
    };
  };
}

export function registerTokenVault(provider, connections) {
  provider.registerGrantType(GRANT_TYPE, handler(connections), PARAMETERS);
}
