// Applications registered with the tenant, kept in oidc-provider's client
// store (so a change of metadata is a real re-registration, validated by
// oidc-provider). Like an Auth0 regular web application with the
// Authorization Code, Refresh Token, CIBA and Token Vault grant types.

import { GRANT_TYPE as TOKEN_VAULT } from './token_vault.js';

const CIBA = 'urn:openid:params:grant-type:ciba';

export class Clients {
  constructor() {
    // client_id -> the registration as the control endpoint received it
    this.registrations = new Map();
    this.connections = new Map();
  }

  // `registration`: client_id, client_secret, redirect_uris,
  // allowed_logout_urls, connection, token_endpoint_auth_method.
  async register(provider, registration, behaviour) {
    for (const field of ['client_id', 'client_secret', 'connection']) {
      if (typeof registration?.[field] !== 'string' || !registration[field]) {
        throw new Error(`${field} is required`);
      }
    }
    this.registrations.set(registration.client_id, registration);
    this.connections.set(registration.client_id, registration.connection);
    await this.store(provider, registration, behaviour);
  }

  // Writes every registration again, e.g. after the ID-token algorithm changed.
  async restore(provider, behaviour) {
    for (const registration of this.registrations.values()) {
      await this.store(provider, registration, behaviour);
    }
  }

  async store(provider, registration, behaviour) {
    const metadata = {
      client_id: registration.client_id,
      client_secret: registration.client_secret,
      redirect_uris: registration.redirect_uris ?? [],
      post_logout_redirect_uris: registration.allowed_logout_urls ?? [],
      response_types: ['code'],
      grant_types: ['authorization_code', 'refresh_token', CIBA, TOKEN_VAULT],
      token_endpoint_auth_method: registration.token_endpoint_auth_method ?? 'client_secret_post',
      backchannel_token_delivery_mode: 'poll',
      id_token_signed_response_alg: behaviour.current.idTokenAlg,
    };
    await provider.Client.adapter.upsert(registration.client_id, metadata);
    // Validates now, so a bad registration fails at the control endpoint.
    if (!(await provider.Client.find(registration.client_id))) {
      throw new Error('the client did not register');
    }
  }
}
