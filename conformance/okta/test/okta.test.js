'use strict';
// Okta's own Node SDK (@okta/okta-sdk-nodejs, pinned) against the sandbox's
// Okta stand-in: each call Custodian makes, through the SDK's parsing,
// paging, error and rate-limit code, plus the raw answers checked against
// the SDK's models.

const assert = require('node:assert/strict');
const { before, describe, test } = require('node:test');

const { Client, OktaApiError, ResetPasswordToken } = require('@okta/okta-sdk-nodejs');

const { BearerRequestExecutor, ORG_URL, SANDBOX_URL, armOkta, oktaClient, raw, vaultToken } = require('../lib/support');
const { assertConforms } = require('../lib/shape');

const GRACE = '00ugr4ce';

let token;
let client;

before(async () => {
  token = await vaultToken();
  client = oktaClient(token);
});

/** The SDK error a call rejects with (and that it is one). */
async function oktaError(call) {
  try {
    await call();
  } catch (error) {
    assert.ok(error instanceof OktaApiError, `expected an OktaApiError, got ${error}`);
    return error;
  }
  assert.fail('the call should have been refused');
}

describe('users', () => {
  test('a login with a plus is found, URL-encoded by the SDK, and parses fully', async () => {
    const user = await client.userApi.getUser({ userId: 'bob+it@example.com' });
    assert.equal(user.id, '00ub0b2it');
    assert.equal(user.status, 'ACTIVE');
    assert.equal(user.profile.login, 'bob+it@example.com');
    assert.equal(user.profile.email, 'bob+it@example.com');
    assert.equal(user.profile.firstName, 'Bob');
    for (const field of ['created', 'activated', 'statusChanged', 'lastLogin', 'lastUpdated', 'passwordChanged']) {
      assert.ok(user[field] instanceof Date && !Number.isNaN(user[field].getTime()), field);
    }
    assert.equal(typeof user.type.id, 'string');
    assert.equal(user.credentials.provider.type, 'OKTA');
    assert.equal(user._links.self.href, `${ORG_URL}/api/v1/users/00ub0b2it`);
    assert.equal(user._links.resetPassword.href, `${ORG_URL}/api/v1/users/00ub0b2it/lifecycle/reset_password`);
    assert.deepEqual(user._links.resetPassword.hints.allow, ['POST']);

    const { status, body } = await raw(token, 'users/bob%2Bit%40example.com');
    assert.equal(status, 200);
    assertConforms(body, 'UserGetSingleton');
  });

  test('every status the demo org has is one the SDK knows', async () => {
    for (const [login, status] of [['sam@example.com', 'SUSPENDED'], ['dana@example.com', 'DEPROVISIONED']]) {
      const user = await client.userApi.getUser({ userId: login });
      assert.equal(user.status, status);
      assert.equal(user._links.resetPassword, undefined, `${login} cannot be reset`);
      assertConforms((await raw(token, `users/${encodeURIComponent(login)}`)).body, 'UserGetSingleton');
    }
    const dana = await client.userApi.getUser({ userId: 'dana@example.com' });
    assert.equal(dana.lastLogin, null, 'a user who never signed in');
  });
});

describe('groups', () => {
  test("the SDK's collection follows Link rel=next through all 250 groups", async () => {
    const executor = new BearerRequestExecutor(token);
    const pages = [];
    executor.on('request', (request) => pages.push(new URL(request.url)));
    const groups = await oktaClient(token, executor).userApi.listUserGroups({ userId: GRACE });
    const names = [];
    for await (const group of groups) {
      assert.equal(group.type, 'OKTA_GROUP');
      assert.ok(group.created instanceof Date);
      names.push(group.profile.name);
    }
    assert.equal(names.length, 250);
    assert.equal(new Set(names).size, 250);
    assert.equal(names[0], 'Everyone');
    assert.equal(names.at(-1), 'Project 249');
    // The first page at Okta's default size, then the `after` cursor.
    assert.equal(pages.length, 2);
    assert.equal(pages[0].search, '');
    assert.equal(pages[1].searchParams.get('limit'), '200');
    assert.ok(pages[1].searchParams.get('after'));
  });

  test('a login works as the user id too, and each group parses as a Group', async () => {
    const names = [];
    for await (const group of await client.userApi.listUserGroups({ userId: 'bob@example.com' })) {
      names.push(group.profile.name);
    }
    assert.deepEqual(names, ['Engineering', 'VPN Users', 'Everyone']);
    const { body, headers } = await raw(token, `users/${GRACE}/groups?limit=3`);
    assert.equal(body.length, 3);
    body.forEach((group) => assertConforms(group, 'Group'));
    assert.match(headers.get('link'), /rel="self".*rel="next"/);
  });
});

describe('password resets', () => {
  test('sendEmail=false returns the one-time link, sendEmail=true an empty ResetPasswordToken', async () => {
    const link = await client.userApi.generateResetPasswordToken({ userId: 'alice@example.com', sendEmail: false });
    assert.ok(link instanceof ResetPasswordToken);
    assert.ok(link.resetPasswordUrl.startsWith(`${SANDBOX_URL}/okta/reset/`), link.resetPasswordUrl);

    const emailed = await client.userApi.generateResetPasswordToken({ userId: 'carol@example.com', sendEmail: true });
    assert.ok(emailed instanceof ResetPasswordToken);
    assert.equal(emailed.resetPasswordUrl, undefined);

    // Okta moves a reset user to RECOVERY.
    const carol = await client.userApi.getUser({ userId: 'carol@example.com' });
    assert.equal(carol.status, 'RECOVERY');
  });

  test('suspended and deactivated users are refused with E0000038', async () => {
    for (const login of ['sam@example.com', 'dana@example.com']) {
      const error = await oktaError(() =>
        client.userApi.generateResetPasswordToken({ userId: login, sendEmail: false }),
      );
      assert.equal(error.status, 403);
      assert.equal(error.errorCode, 'E0000038');
      assert.equal(error.errorSummary, "This operation is not allowed in the user's current status.");
    }
  });
});

describe('errors', () => {
  test('an unknown user is E0000007, with every field of the error object', async () => {
    const error = await oktaError(() => client.userApi.getUser({ userId: 'nobody@example.com' }));
    assert.equal(error.status, 404);
    assert.equal(error.errorCode, 'E0000007');
    assert.equal(error.errorSummary, 'Not found: Resource not found: nobody@example.com (User)');
    assert.equal(error.errorLink, 'E0000007');
    assert.match(error.errorId, /^oae/);
    assert.deepEqual(error.errorCauses, []);
    assertConforms((await raw(token, 'users/nobody%40example.com')).body, 'ModelError');
  });

  test('a validation failure is E0000001 with its causes', async () => {
    const url = `${ORG_URL}/api/v1/users/00ub0b1/lifecycle/reset_password?sendEmail=maybe`;
    const error = await oktaError(() => client.http.http(url, { method: 'post' }));
    assert.equal(error.status, 400);
    assert.equal(error.errorCode, 'E0000001');
    assert.match(error.errorCauses[0].errorSummary, /sendEmail/);
    assert.match(error.message, /^Okta HTTP 400 E0000001 .*sendEmail/);
  });

  test("the SDK's own SSWS mode and a forged bearer token are refused with E0000011", async () => {
    // The SDK's default: `Authorization: SSWS <token>`, an API key.
    const plain = new Client({ orgUrl: ORG_URL, token, cacheMiddleware: null });
    for (const refused of [plain, oktaClient('forged-token')]) {
      const error = await oktaError(() => refused.userApi.getUser({ userId: 'bob@example.com' }));
      assert.equal(error.status, 401);
      assert.equal(error.errorCode, 'E0000011');
      assert.equal(error.errorSummary, 'Invalid token provided');
    }
  });
});

describe('rate limits', () => {
  test('every answer carries the X-Rate-Limit headers and a request id', async () => {
    const executor = new BearerRequestExecutor(token);
    const responses = [];
    executor.on('response', (response) => responses.push(response.headers));
    const scoped = oktaClient(token, executor);
    await scoped.userApi.getUser({ userId: 'bob@example.com' });
    await oktaError(() => scoped.userApi.getUser({ userId: 'nobody@example.com' }));
    assert.equal(responses.length, 2);
    for (const headers of responses) {
      assert.equal(headers.get('x-rate-limit-limit'), '600');
      assert.match(headers.get('x-rate-limit-remaining'), /^\d+$/);
      assert.match(headers.get('x-rate-limit-reset'), /^\d{10}$/);
      assert.ok(headers.get('x-okta-request-id'));
      assert.ok(headers.get('date'), 'the SDK measures the wait against Date');
    }
  });

  test('on a 429 the SDK waits until X-Rate-Limit-Reset and retries', async () => {
    const executor = new BearerRequestExecutor(token);
    const backoffs = [];
    executor.on('backoff', (_request, response, requestId, delayMs) => {
      backoffs.push({ delayMs, requestId, reset: Number(response.headers.get('x-rate-limit-reset')) });
    });
    const scoped = oktaClient(token, executor);
    await armOkta({ fault: 'rate_limit', reset_in_seconds: 1, times: 1 });
    const user = await scoped.userApi.getUser({ userId: 'bob@example.com' });
    assert.equal(user.id, '00ub0b1');
    assert.equal(backoffs.length, 1);
    // The SDK's delay: the reset minus the response's Date, plus a second.
    assert.ok(backoffs[0].delayMs >= 1000 && backoffs[0].delayMs <= 3000, `${backoffs[0].delayMs}`);
    assert.ok(backoffs[0].requestId, 'the 429 carried X-Okta-Request-Id');
  });

  test('when the limit outlasts its retries the SDK reports E0000047', async () => {
    const executor = new BearerRequestExecutor(token, { maxRetries: 1 });
    await armOkta({ fault: 'rate_limit', reset_in_seconds: 1, times: 2 });
    const error = await oktaError(() => oktaClient(token, executor).userApi.getUser({ userId: 'bob@example.com' }));
    assert.equal(error.status, 429);
    assert.equal(error.errorCode, 'E0000047');
    assert.equal(error.headers.get('x-rate-limit-remaining'), '0');
    assertConforms({ errorCode: error.errorCode, errorSummary: error.errorSummary, errorCauses: error.errorCauses }, 'ModelError');
  });
});
