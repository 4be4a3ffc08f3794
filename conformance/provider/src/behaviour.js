// Switchable misbehaviours, each one a way a real provider can go wrong.
// A test switches them through the control endpoint; they stay on until
// switched off.

const TEN_YEARS = 10 * 365 * 24 * 60 * 60;
const THIRTY_DAYS = 30 * 24 * 60 * 60;
export const FOREIGN_CLIENT_ID = 'another-application-0000000000';

const DEFAULTS = Object.freeze({
  // The provider's clock runs ten years ahead while it mints ID tokens.
  futureIat: false,
  // ID tokens are handed out long after they were minted (a provider that
  // caches them): `iat` thirty days ago, `exp` still ahead.
  staleIat: false,
  // ID tokens name another client as their authorized party.
  foreignAzp: false,
  // The connection reports the user's address as unverified.
  unverifiedEmail: false,
  // The algorithm the client is registered with for ID tokens.
  idTokenAlg: 'RS256',
});

const KNOWN = new Set(Object.keys(DEFAULTS));
const ALGORITHMS = new Set(['RS256', 'ES256']);

export class Behaviour {
  constructor() {
    this.current = { ...DEFAULTS };
  }

  // Applies `changes`, or throws a message naming the bad field.
  update(changes) {
    for (const [key, value] of Object.entries(changes ?? {})) {
      if (!KNOWN.has(key)) throw new Error(`unknown behaviour ${key}`);
      if (key === 'idTokenAlg' ? !ALGORITHMS.has(value) : typeof value !== 'boolean') {
        throw new Error(`bad value for ${key}`);
      }
    }
    Object.assign(this.current, changes);
    return this.current;
  }

  reset() {
    this.current = { ...DEFAULTS };
  }

  // Seconds the ID-token clock runs ahead of the real one.
  idTokenClockSkew() {
    return this.current.futureIat ? TEN_YEARS : 0;
  }

  // The claims an ID token is minted with, after the switched-on faults.
  spoil(claims) {
    const skew = this.idTokenClockSkew();
    const now = Math.floor(Date.now() / 1000);
    if (skew) claims.iat = now + skew;
    if (this.current.staleIat) claims.iat = now - THIRTY_DAYS;
    if (this.current.foreignAzp) claims.azp = FOREIGN_CLIENT_ID;
    return claims;
  }
}
