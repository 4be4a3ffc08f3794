// The tenant's users, with the profile Auth0 keeps for a user who signed in
// through an enterprise (Okta OIDC) connection. Auth0 sends these claims for
// the `profile` and `email` scopes; `updated_at` is an ISO-8601 string, not
// a number ("User Profile Structure", https://auth0.com/docs/manage-users/user-accounts/user-profiles/user-profile-structure).

const UPDATED_AT = '2026-11-30T10:08:02.554Z';

const USERS = [
  {
    sub: 'oidc|Okta-OIDC|00u1admin0example',
    email: 'admin@example.com',
    name: 'Alex Admin',
    nickname: 'admin',
  },
  {
    sub: 'oidc|Okta-OIDC|00u2helpdesk0exam',
    email: 'helpdesk@example.com',
    name: 'Harper Helpdesk',
    nickname: 'helpdesk',
  },
];

export function findUserByEmail(email) {
  return USERS.find((user) => user.email === email);
}

export function findUserBySub(sub) {
  return USERS.find((user) => user.sub === sub);
}

// oidc-provider's `findAccount`: the claims come from the user record and the
// tenant's current behaviour (an IdP that reports the address unverified).
export function accountFinder(behaviour) {
  return async function findAccount(_ctx, sub) {
    const user = findUserBySub(sub);
    if (!user) return undefined;
    return {
      accountId: user.sub,
      async claims() {
        return {
          sub: user.sub,
          name: user.name,
          nickname: user.nickname,
          picture: `https://s.gravatar.com/avatar/${user.nickname}?s=480&r=pg`,
          updated_at: UPDATED_AT,
          email: user.email,
          email_verified: !behaviour.current.unverifiedEmail,
        };
      },
    };
  };
}
