// The tenant's signing keys. Auth0 signs ID tokens with RS256 and publishes
// its keys at /.well-known/jwks.json; a key rotation ("Rotate Signing Keys",
// https://auth0.com/docs/get-started/tenant-settings/signing-keys/rotate-signing-keys)
// makes the next key current and keeps the previous one published.
// An ES256 key is here too, for a client registered with another algorithm.

import { generateKeyPairSync, randomBytes } from 'node:crypto';

function privateJwk(type, options, alg) {
  const { privateKey } = generateKeyPairSync(type, options);
  const jwk = privateKey.export({ format: 'jwk' });
  return { ...jwk, alg, use: 'sig', kid: randomBytes(12).toString('base64url') };
}

export function newRsaKey() {
  return privateJwk('rsa', { modulusLength: 2048 }, 'RS256');
}

export function newEcKey() {
  return privateJwk('ec', { namedCurve: 'P-256' }, 'ES256');
}

export class KeyRing {
  constructor() {
    this.rsa = [newRsaKey()];
    this.ec = newEcKey();
  }

  // The current RS256 key comes first: oidc-provider signs with the first
  // key that fits the algorithm.
  rotate() {
    this.rsa.unshift(newRsaKey());
    return this.rsa[0].kid;
  }

  jwks() {
    return { keys: [...this.rsa, this.ec] };
  }
}
