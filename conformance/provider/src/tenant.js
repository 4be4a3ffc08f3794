// One Auth0-shaped tenant. Its oidc-provider instance is rebuilt when the
// signing keys change (oidc-provider reads its keys once); grants, codes,
// sessions and clients live in oidc-provider's shared in-memory store and
// carry over, as they would on a real tenant.

import Provider from 'oidc-provider';
// oidc-provider's own in-memory store, one per tenant instead of one per
// provider instance, so that rebuilding the provider keeps its state.
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';

import { auth0Shape } from './auth0_shape.js';
import { Behaviour } from './behaviour.js';
import { PendingRequests } from './ciba.js';
import { Clients } from './clients.js';
import { configuration, cookieKeys } from './config.js';
import { controlRoutes } from './control.js';
import { interactionRoutes } from './interactions.js';
import { KeyRing } from './keys.js';
import { logoutRoute } from './logout.js';
import { registerTokenVault } from './token_vault.js';

export class Tenant {
  constructor(issuer, { cibaInterval = 5 } = {}) {
    this.issuer = issuer;
    this.cibaInterval = cibaInterval;
    this.keys = new KeyRing();
    this.behaviour = new Behaviour();
    this.pending = new PendingRequests();
    this.clients = new Clients();
    this.cookies = cookieKeys();
    this.adapter = createMemoryAdapter();
    this.provider = this.build();
  }

  build() {
    const provider = new Provider(this.issuer, { ...configuration(this), adapter: this.adapter });
    const behaviour = this.behaviour;
    const payload = provider.IdToken.prototype.payload;
    provider.IdToken.prototype.payload = async function spoiled() {
      return behaviour.spoil(await payload.call(this));
    };
    registerTokenVault(provider, this.clients.connections);
    provider.use(controlRoutes(this));
    provider.use(logoutRoute(provider));
    provider.use(interactionRoutes(provider, this.clients));
    provider.use(auth0Shape(provider, this));
    provider.on('server_error', (_ctx, error) => console.error('server_error', error));
    this.handler = provider.callback();
    return provider;
  }

  async rotateKeys() {
    const kid = this.keys.rotate();
    this.provider = this.build();
    return kid;
  }

  // The node request listener; follows the current provider.
  listener() {
    return (req, res) => this.handler(req, res);
  }
}
