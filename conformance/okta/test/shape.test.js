'use strict';
// The shape check itself: a stand-in answer that drifts from what the SDK
// models (a renamed field, an unknown status, a date that is not one, a
// field of the wrong type) must fail it.

const assert = require('node:assert/strict');
const { before, test } = require('node:test');

const { raw, vaultToken } = require('../lib/support');
const { assertConforms } = require('../lib/shape');

let user;
let group;

before(async () => {
  const token = await vaultToken();
  user = (await raw(token, 'users/bob%40example.com')).body;
  [group] = (await raw(token, 'users/bob%40example.com/groups')).body;
});

test("the stand-in's answers pass as they are", () => {
  assertConforms(user, 'UserGetSingleton');
  assertConforms(group, 'Group');
});

test('each kind of drift fails', () => {
  const drifts = {
    'a renamed field': (u) => { u.lastSignIn = u.lastLogin; delete u.lastLogin; },
    'an unknown status': (u) => { u.status = 'DISABLED'; },
    'a date that is not one': (u) => { u.created = 'yesterday'; },
    'an id of the wrong type': (u) => { u.id = 42; },
    'a link object Okta does not send': (u) => { u._links.self.method = 'GET'; },
    'a credentials provider Okta does not have': (u) => { u.credentials.provider.type = 'SAML'; },
  };
  for (const [name, drift] of Object.entries(drifts)) {
    const drifted = structuredClone(user);
    drift(drifted);
    assert.throws(() => assertConforms(drifted, 'UserGetSingleton'), assert.AssertionError, name);
  }
  const badGroup = structuredClone(group);
  badGroup.type = 'SECURITY_GROUP';
  assert.throws(() => assertConforms(badGroup, 'Group'), assert.AssertionError);
});
