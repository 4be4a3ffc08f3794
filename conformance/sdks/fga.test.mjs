// The sandbox's FGA stand-in as @openfga/sdk sees it: client credentials
// from the token URL with the configured audience (Auth0 FGA: apiTokenIssuer
// auth.fga.dev, apiAudience https://api.us1.fga.dev/), then check, read,
// write, list-objects and list-users, conditional tuples checked with a
// request context, and errors surfacing as the SDK's own types
// (https://openfga.dev/docs/getting-started/setup-sdk-client,
// https://docs.fga.dev/integration/setup-sdk-client, OpenFGA docs
// "Conditions" (modeling/conditions)).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';

import {
  CredentialsMethod,
  FgaApiAuthenticationError,
  FgaApiNotFoundError,
  FgaApiRateLimitExceededError,
  FgaApiValidationError,
  OpenFgaClient,
} from '@openfga/sdk';

import { admin, settings } from './support/env.mjs';

const fga = settings.fga;

function client({ secret = fga.clientSecret, audience = fga.audience, storeId = fga.storeId, maxRetry = 0 } = {}) {
  return new OpenFgaClient({
    apiUrl: fga.apiUrl,
    storeId,
    authorizationModelId: fga.modelId,
    credentials: {
      method: CredentialsMethod.ClientCredentials,
      config: {
        apiTokenIssuer: fga.tokenUrl,
        apiAudience: audience,
        clientId: fga.clientId,
        clientSecret: secret,
      },
    },
    retryParams: { maxRetry, minWaitInMs: 100 },
  });
}

/** A user no other test writes tuples for. */
const freshUser = () => `user:sdk-${randomUUID()}@example.com`;

describe('check', () => {
  const sdk = client();

  it('allows a direct grant and one through a group, denies the rest', async () => {
    const ask = (user, relation, object) => sdk.check({ user, relation, object });
    assert.equal((await ask('user:admin@example.com', 'read_okta', 'okta:groups')).allowed, true);
    assert.equal((await ask('user:helpdesk@example.com', 'read_okta', 'okta:groups')).allowed, true);
    assert.equal((await ask('user:helpdesk@example.com', 'reset_password', 'okta:password')).allowed, false);
    assert.equal((await ask('user:user@example.com', 'read_okta', 'okta:groups')).allowed, false);
  });

  it('counts contextual tuples for this check only', async () => {
    const user = freshUser();
    const contextualTuples = [{ user, relation: 'member', object: 'group:helpdesk' }];
    const withContext = await sdk.check({ user, relation: 'read_okta', object: 'okta:groups', contextualTuples });
    assert.equal(withContext.allowed, true);
    const without = await sdk.check({ user, relation: 'read_okta', object: 'okta:groups' });
    assert.equal(without.allowed, false);
  });

  it('refuses a relation the model lacks as a validation error', async () => {
    const error = await sdk.check({ user: 'user:admin@example.com', relation: 'owner', object: 'okta:groups' })
      .then(() => assert.fail('the check was answered'), (e) => e);
    assert.ok(error instanceof FgaApiValidationError, `${error}`);
    assert.equal(error.statusCode, 400);
    assert.equal(error.apiErrorCode, 'validation_error');
    assert.match(error.apiErrorMessage, /owner/);
  });

  it('refuses an unknown model id', async () => {
    const error = await sdk.check(
      { user: 'user:admin@example.com', relation: 'read_okta', object: 'okta:groups' },
      { authorizationModelId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' },
    ).then(() => assert.fail('the check was answered'), (e) => e);
    assert.ok(error instanceof FgaApiValidationError, `${error}`);
    assert.equal(error.apiErrorCode, 'authorization_model_not_found');
  });

  it('answers 404 store_id_not_found for another store', async () => {
    const error = await client({ storeId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' })
      .check({ user: 'user:admin@example.com', relation: 'read_okta', object: 'okta:groups' })
      .then(() => assert.fail('the check was answered'), (e) => e);
    assert.ok(error instanceof FgaApiNotFoundError, `${error}`);
    assert.equal(error.statusCode, 404);
    assert.equal(error.apiErrorCode, 'store_id_not_found');
  });
});

describe('write and read', () => {
  const sdk = client();

  it('writes a tuple that grants at once and deletes it again', async () => {
    const tuple = { user: freshUser(), relation: 'read_okta', object: 'okta:groups' };
    await sdk.writeTuples([tuple]);
    assert.equal((await sdk.check(tuple)).allowed, true);
    const { tuples } = await sdk.read({ user: tuple.user, relation: 'read_okta', object: 'okta:groups' });
    assert.equal(tuples.length, 1);
    assert.deepEqual(tuples[0].key, tuple);
    assert.ok(!Number.isNaN(Date.parse(tuples[0].timestamp)), tuples[0].timestamp);
    await sdk.deleteTuples([tuple]);
    assert.equal((await sdk.check(tuple)).allowed, false);
  });

  it('refuses writing an existing tuple unless told to ignore duplicates', async () => {
    const tuple = { user: freshUser(), relation: 'read_okta', object: 'okta:groups' };
    await sdk.writeTuples([tuple]);
    const error = await sdk.writeTuples([tuple]).then(() => assert.fail('written twice'), (e) => e);
    assert.ok(error instanceof FgaApiValidationError, `${error}`);
    assert.equal(error.apiErrorCode, 'write_failed_due_to_invalid_input');
    await sdk.writeTuples([tuple], { conflict: { onDuplicateWrites: 'ignore' } });
    await sdk.deleteTuples([tuple]);
    await sdk.deleteTuples([tuple], { conflict: { onMissingDeletes: 'ignore' } });
    const missing = await sdk.deleteTuples([tuple]).then(() => assert.fail('deleted twice'), (e) => e);
    assert.equal(missing.apiErrorCode, 'write_failed_due_to_invalid_input');
  });

  it('refuses a tuple whose user type the relation does not allow', async () => {
    const error = await sdk.writeTuples([{ user: 'okta:groups', relation: 'read_okta', object: 'okta:password' }])
      .then(() => assert.fail('written'), (e) => e);
    assert.ok(error instanceof FgaApiValidationError, `${error}`);
    assert.equal(error.apiErrorCode, 'validation_error');
  });

  it('pages through every tuple with continuation tokens', async () => {
    const all = await sdk.read();
    assert.equal(all.continuation_token, '');
    assert.ok(all.tuples.length >= 4, `only ${all.tuples.length} tuples`);
    const paged = [];
    let continuationToken;
    do {
      const page = await sdk.read({}, { pageSize: 1, continuationToken });
      assert.ok(page.tuples.length <= 1);
      paged.push(...page.tuples.map((t) => t.key));
      continuationToken = page.continuation_token || undefined;
    } while (continuationToken);
    assert.deepEqual(new Set(paged.map(JSON.stringify)), new Set(all.tuples.map((t) => JSON.stringify(t.key))));
  });

  it('refuses a page size beyond 100 and a forged continuation token', async () => {
    const big = await sdk.read({}, { pageSize: 101 }).then(() => assert.fail('read'), (e) => e);
    assert.ok(big instanceof FgaApiValidationError, `${big}`);
    assert.equal(big.apiErrorCode, 'page_size_invalid');
    const forged = await sdk.read({}, { continuationToken: 'not-a-token' }).then(() => assert.fail('read'), (e) => e);
    assert.equal(forged.apiErrorCode, 'invalid_continuation_token');
  });

  it('reads by object type, which needs a user', async () => {
    const { tuples } = await sdk.read({ user: 'user:admin@example.com', object: 'okta:' });
    assert.deepEqual(
      tuples.map((t) => t.key.relation).sort(),
      ['approver', 'approver', 'read_okta', 'reset_password'],
    );
    const error = await sdk.read({ object: 'okta:' }).then(() => assert.fail('read'), (e) => e);
    assert.equal(error.apiErrorCode, 'validation_error');
  });
});

describe('list objects', () => {
  it('lists the objects a user reaches directly and through groups', async () => {
    const sdk = client();
    const forAdmin = await sdk.listObjects({ user: 'user:admin@example.com', relation: 'read_okta', type: 'okta' });
    assert.deepEqual(forAdmin.objects, ['okta:groups']);
    const helpdesk = await sdk.listObjects({ user: 'user:helpdesk@example.com', relation: 'reset_password', type: 'okta' });
    assert.deepEqual(helpdesk.objects, []);
  });
});

/** A reset_password grant for `user` that holds until `validUntil`. */
const grantUntil = (user, validUntil) => ({
  user,
  relation: 'reset_password',
  object: 'okta:password',
  condition: { name: 'not_expired', context: { valid_until: validUntil } },
});

const BEFORE = '2029-12-31T23:59:59Z';
const VALID_UNTIL = '2030-01-01T00:00:00Z';
const AFTER = '2030-01-01T00:00:01Z';

describe('conditions', () => {
  const sdk = client();

  it('writes a time-limited grant that holds until valid_until', async () => {
    const grant = grantUntil(freshUser(), VALID_UNTIL);
    await sdk.writeTuples([grant]);
    try {
      const { tuples } = await sdk.read({ user: grant.user, relation: grant.relation, object: grant.object });
      assert.deepEqual(tuples.map((t) => t.key), [grant]);
      const at = (current_time) => sdk.check({
        user: grant.user, relation: grant.relation, object: grant.object, context: { current_time },
      });
      assert.equal((await at(BEFORE)).allowed, true);
      assert.equal((await at(VALID_UNTIL)).allowed, false);
      assert.equal((await at(AFTER)).allowed, false);
    } finally {
      await sdk.deleteTuples([{ user: grant.user, relation: grant.relation, object: grant.object }]);
    }
  });

  it('lets the tuple\'s own context win over the request\'s', async () => {
    const grant = grantUntil(freshUser(), VALID_UNTIL);
    await sdk.writeTuples([grant]);
    try {
      const { allowed } = await sdk.check({
        user: grant.user, relation: grant.relation, object: grant.object,
        context: { current_time: AFTER, valid_until: '2031-01-01T00:00:00Z' },
      });
      assert.equal(allowed, false);
    } finally {
      await sdk.deleteTuples([{ user: grant.user, relation: grant.relation, object: grant.object }]);
    }
  });

  it('refuses a check that lacks a parameter the condition needs', async () => {
    const grant = grantUntil(freshUser(), VALID_UNTIL);
    await sdk.writeTuples([grant]);
    try {
      const error = await sdk.check({ user: grant.user, relation: grant.relation, object: grant.object })
        .then(() => assert.fail('the check was answered'), (e) => e);
      assert.ok(error instanceof FgaApiValidationError, `${error}`);
      assert.equal(error.statusCode, 400);
      assert.equal(error.apiErrorCode, 'validation_error');
      assert.match(error.apiErrorMessage, /missing context parameters '\[current_time\]'/);
    } finally {
      await sdk.deleteTuples([{ user: grant.user, relation: grant.relation, object: grant.object }]);
    }
  });

  it('refuses a condition the model does not define or the relation does not allow', async () => {
    const unknown = { ...grantUntil(freshUser(), VALID_UNTIL), condition: { name: 'forever' } };
    const undefinedCondition = await sdk.writeTuples([unknown]).then(() => assert.fail('written'), (e) => e);
    assert.ok(undefinedCondition instanceof FgaApiValidationError, `${undefinedCondition}`);
    assert.equal(undefinedCondition.apiErrorCode, 'validation_error');
    assert.match(undefinedCondition.apiErrorMessage, /undefined condition/);
    const approver = { ...grantUntil(freshUser(), VALID_UNTIL), relation: 'approver' };
    const notAllowed = await sdk.writeTuples([approver]).then(() => assert.fail('written'), (e) => e);
    assert.equal(notAllowed.apiErrorCode, 'validation_error');
    assert.match(notAllowed.apiErrorMessage, /invalid condition for type restriction/);
  });
});

describe('list users', () => {
  const sdk = client();
  const user = (id) => ({ object: { type: 'user', id } });

  it('lists the approvers of a permission', async () => {
    const approvers = {
      groups: ['admin@example.com'],
      password: ['admin@example.com', 'second.admin@example.com'],
    };
    for (const [id, expected] of Object.entries(approvers)) {
      const { users } = await sdk.listUsers({
        object: { type: 'okta', id },
        relation: 'approver',
        user_filters: [{ type: 'user' }],
      });
      const sorted = [...users].sort((a, b) => a.object.id.localeCompare(b.object.id));
      assert.deepEqual(sorted, expected.map(user), id);
    }
  });

  it('expands group membership', async () => {
    const { users } = await sdk.listUsers({
      object: { type: 'okta', id: 'groups' },
      relation: 'read_okta',
      user_filters: [{ type: 'user' }],
    });
    const ids = users.map((u) => u.object.id).sort();
    assert.deepEqual(ids, ['admin@example.com', 'helpdesk@example.com', 'newcomer@example.com']);
  });

  it('names a time-limited grantee only until the grant expires', async () => {
    const grant = grantUntil(freshUser(), VALID_UNTIL);
    await sdk.writeTuples([grant]);
    try {
      const at = async (current_time) => (await sdk.listUsers({
        object: { type: 'okta', id: 'password' },
        relation: 'reset_password',
        user_filters: [{ type: 'user' }],
        context: { current_time },
      })).users.map((u) => `user:${u.object.id}`);
      assert.ok((await at(BEFORE)).includes(grant.user));
      assert.ok(!(await at(AFTER)).includes(grant.user));
    } finally {
      await sdk.deleteTuples([{ user: grant.user, relation: grant.relation, object: grant.object }]);
    }
  });
});

describe('credentials and limits', () => {
  it('surfaces a wrong client secret as an authentication error', async () => {
    const error = await client({ secret: 'wrong' })
      .check({ user: 'user:admin@example.com', relation: 'read_okta', object: 'okta:groups' })
      .then(() => assert.fail('checked'), (e) => e);
    assert.ok(error instanceof FgaApiAuthenticationError, `${error}`);
    assert.equal(error.statusCode, 401);
    assert.equal(error.responseData.error, 'access_denied');
  });

  it('refuses a token for another audience', async () => {
    const error = await client({ audience: 'https://api.eu1.fga.dev/' })
      .check({ user: 'user:admin@example.com', relation: 'read_okta', object: 'okta:groups' })
      .then(() => assert.fail('checked'), (e) => e);
    assert.ok(error instanceof FgaApiAuthenticationError, `${error}`);
    assert.equal(error.statusCode, 403);
  });

  it('answers 429 with Retry-After, which the SDK reports, or honours and retries', async () => {
    const tuple = { user: 'user:admin@example.com', relation: 'read_okta', object: 'okta:groups' };
    await admin('POST', '/__sandbox/faults/fga', { fault: 'rate_limit', retry_after_seconds: 1, times: 1 });
    const error = await client().check(tuple).then(() => assert.fail('checked'), (e) => e);
    assert.ok(error instanceof FgaApiRateLimitExceededError, `${error}`);
    assert.equal(error.statusCode, 429);
    assert.equal(error.responseHeader['retry-after'], '1');
    assert.ok(Number(error.responseHeader['x-ratelimit-reset']) > 0);
    assert.equal(error.responseHeader['x-ratelimit-remaining'], '0');
    await admin('POST', '/__sandbox/faults/fga', { fault: 'rate_limit', retry_after_seconds: 1, times: 1 });
    assert.equal((await client({ maxRetry: 1 }).check(tuple)).allowed, true);
  });
});
