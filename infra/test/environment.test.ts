// A bad settings file stops synthesis with the file and the field named.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';

import { dummyAssets, environmentFile, synth } from './helpers';
import { durationSeconds, loadEnvironment } from '../lib/environment';

const cases: [string, (env: any) => void, RegExp][] = [
  ['a missing field', (env) => delete env.auth0.clientId, /environment\.json: auth0\.clientId: missing$/],
  ['a missing section', (env) => delete env.okta, /environment\.json: okta: missing$/],
  ['an empty value', (env) => (env.fga.storeId = '  '), /fga\.storeId: must not be empty$/],
  ['a wrong type', (env) => (env.fga.modelId = 42), /fga\.modelId: expected a string, found a number$/],
  ['an example placeholder', (env) => (env.auth0.clientId = 'your_auth0_client_id'), /auth0\.clientId: still the example placeholder/],
  ['a misspelt field', (env) => (env.auth0.clientID = 'x'), /auth0\.clientID: unknown field/],
  ['an unknown section', (env) => (env.extra = {}), /extra: unknown field/],
  ['a bad domain', (env) => (env.okta.domain = 'https://user:pw@okta.example.com'), /okta\.domain: must not contain credentials$/],
  ['a bad number', (env) => (env.auth0.cibaExpirySeconds = 301), /auth0\.cibaExpirySeconds: must be between 1 and 300/],
  ['an unsafe algorithm', (env) => (env.auth0.idTokenAlgorithms = ['none']), /auth0\.idTokenAlgorithms: "none" is not a signing algorithm/],
  ['a flag that is not a boolean', (env) => (env.okta.resetSendsEmail = 'no'), /okta\.resetSendsEmail: expected true or false/],
  ['a local store', (env) => (env.store.kind = 'embedded'), /store\.kind: must be "dynamodb" in AWS/],
  ['a key file', (env) => (env.sealing = { keyFile: 'data/sealing.key' }), /sealing\.keyFile: not supported in AWS/],
  ['a bad region', (env) => (env.bedrock.region = 'moon-1'), /bedrock\.region: not an AWS region/],
  ['a region the profile does not serve', (env) => (env.bedrock.region = 'eu-west-1'), /us\.amazon\.nova-pro-v1:0 is called from us-\* regions/],
  ['an enrolment page that is a ticket', (env) => (env.auth0.guardianEnrollmentUrl = 'https://t.example.com/e?ticket=x'), /auth0\.guardianEnrollmentUrl: must not contain a query/],
  ['the example enrolment page', (env) => (env.auth0.guardianEnrollmentUrl = 'https://your-domain.example.com/enrol'), /auth0\.guardianEnrollmentUrl: still the example placeholder/],
  ['a management domain that is no host', (env) => (env.auth0.managementDomain = 'https://tenant.example.com/?x=1'), /auth0\.managementDomain: must not contain a query/],
  ['an unknown agent host', (env) => (env.agentHost = 'bedrock-agents'), /: agentHost: must be "bedrock-agent" or "agentcore-harness" \(found "bedrock-agents"\)$/],
  ['an agent host that is not a string', (env) => (env.agentHost = true), /: agentHost: expected a string, found a boolean$/],
  ['a misspelt harness field', (env) => (env.harness = { harnessARN: 'x' }), /: harness\.harnessARN: unknown field/],
  ['a limit of 0', (env) => (env.limits = { signInsPerMinute: 0 }), /limits\.signInsPerMinute: must be between 1 and/],
  ['too many pending approvals', (env) => (env.limits = { pendingStepUps: 11 }), /limits\.pendingStepUps: must be between 1 and 10/],
  ['a misspelt limit', (env) => (env.limits = { turnsPerMinute: 5 }), /limits\.turnsPerMinute: unknown field/],
  ['an audit log kept for no day', (env) => (env.audit = { retentionDays: 0 }), /audit\.retentionDays: must be between 1 and 3650/],
  ['a duration that is not one', (env) => (env.elevation = { durations: ['1h', 'soon'] }), /: elevation\.durations: "soon" is not a duration such as "30m" or "1h"$/],
  ['a duration without a unit', (env) => (env.elevation = { durations: ['60'] }), /: elevation\.durations: "60" is not a duration/],
  ['a duration longer than 12 hours', (env) => (env.elevation = { durations: ['13h'] }), /: elevation\.durations: "13h" must be between 10s and 12h$/],
  ['a duration shorter than 10 seconds', (env) => (env.elevation = { durations: '1h, 5s' }), /: elevation\.durations: "5s" must be between 10s and 12h$/],
  ['no durations', (env) => (env.elevation = { durations: [] }), /: elevation\.durations: must list 1 to 4 durations/],
  ['five durations', (env) => (env.elevation = { durations: ['15m', '30m', '1h', '2h', '4h'] }), /: elevation\.durations: must list 1 to 4 durations/],
  ['durations that are not text', (env) => (env.elevation = { durations: [3600] }), /: elevation\.durations: expected a list of durations/],
  ['a misspelt elevation field', (env) => (env.elevation = { duration: ['1h'] }), /: elevation\.duration: unknown field/],
  ['privileged groups that are not a list', (env) => (env.dualControl = { privilegedGroups: true }), /: dualControl\.privilegedGroups: expected a list of Okta group names such as \["IT Admins"\], found a boolean$/],
  ['a privileged group that is not text', (env) => (env.dualControl = { privilegedGroups: ['IT Admins', 7] }), /: dualControl\.privilegedGroups: expected a list of Okta group names .*, found a number in it$/],
  ['a blank privileged group', (env) => (env.dualControl = { privilegedGroups: ['IT Admins', ' '] }), /: dualControl\.privilegedGroups: has a blank group name/],
  ['a blank privileged group in the text form', (env) => (env.dualControl = { privilegedGroups: 'IT Admins,,Finance' }), /: dualControl\.privilegedGroups: has a blank group name/],
  ['a privileged group longer than Okta allows', (env) => (env.dualControl = { privilegedGroups: ['x'.repeat(256)] }), /: dualControl\.privilegedGroups: "x{40}…" is longer than Okta's 255 characters \(256\)$/],
  ['a privileged group with a comma', (env) => (env.dualControl = { privilegedGroups: ['Admins, Tier 0'] }), /: dualControl\.privilegedGroups: "Admins, Tier 0" contains a comma, which CUSTODIAN__DUAL_CONTROL__PRIVILEGED_GROUPS \(comma-separated\) cannot carry/],
  ['a misspelt dual-control field', (env) => (env.dualControl = { privilegedGroup: ['IT Admins'] }), /: dualControl\.privilegedGroup: unknown field/],
];

for (const [what, edit, message] of cases) {
  test(`synthesis refuses ${what}`, () => {
    assert.throws(() => synth(environmentFile(edit)), message);
  });
}

test('secrets are optional for synthesis (they go to the credentials secret)', () => {
  const file = environmentFile((env) => {
    delete env.auth0.clientSecret;
    delete env.fga.clientSecret;
  });
  assert.doesNotThrow(() => loadEnvironment(file));
});

test('the agent host defaults to the Classic agent and may be the harness', () => {
  assert.equal(loadEnvironment(environmentFile(() => undefined)).agentHost, 'bedrock-agent');
  assert.equal(loadEnvironment(environmentFile((env) => (env.agentHost = 'agentcore-harness'))).agentHost, 'agentcore-harness');
  // The harness section is the app's; the stack creates its own harness.
  const file = environmentFile((env) => (env.harness = { harnessArn: 'ignored', region: 'us-east-1', qualifier: 'live', endpoint: 'http://localhost:3001/agentcore' }));
  assert.doesNotThrow(() => loadEnvironment(file));
});

test('elevation durations are read as the app reads them', () => {
  const durations = (value: unknown) => loadEnvironment(environmentFile((env) => (env.elevation = { durations: value }))).elevation.durations;
  assert.deepEqual(durations(['1h', '4h']), ['1h', '4h']);
  assert.deepEqual(durations(['30s', ' 15m ', '1h 30m', '90min']), ['30s', '15m', '1h 30m', '90min']);
  // The environment variable's form is accepted in the file too.
  assert.deepEqual(durations('10s, 12h'), ['10s', '12h']);
  assert.equal(durations(undefined), undefined);
  assert.equal(loadEnvironment(environmentFile(() => undefined)).elevation.durations, undefined);
});

test('privileged groups are read as the app reads them', () => {
  const groups = (value: unknown) => loadEnvironment(environmentFile((env) => (env.dualControl = { privilegedGroups: value }))).dualControl.privilegedGroups;
  assert.deepEqual(groups(['IT Admins', ' Finance ']), ['IT Admins', 'Finance']);
  // The environment variable's form is accepted in the file too.
  assert.deepEqual(groups('IT Admins, Finance'), ['IT Admins', 'Finance']);
  // Okta's limit counts characters, not UTF-16 units or bytes.
  assert.deepEqual(groups(['é'.repeat(255)]), ['é'.repeat(255)]);
  assert.deepEqual(groups(['👑'.repeat(255)]), ['👑'.repeat(255)]);
  // Empty is off, as when the section is absent.
  assert.equal(groups([]), undefined);
  assert.equal(groups(''), undefined);
  assert.equal(groups(undefined), undefined);
  assert.equal(loadEnvironment(environmentFile(() => undefined)).dualControl.privilegedGroups, undefined);
});

test('durations convert to seconds in the second, minute and hour spellings humantime reads', () => {
  const cases: [string, number][] = [
    ['10s', 10], ['45 sec', 45], ['2secs', 2], ['1 second', 1], ['30 seconds', 30],
    ['15m', 900], ['90min', 5400], ['5 mins', 300], ['1 minute', 60], ['20 minutes', 1200],
    ['1h', 3600], ['2hr', 7200], ['3 hrs', 10800], ['1 hour', 3600], ['4 hours', 14400],
    ['1h 30m', 5400], ['1h30m', 5400], ['1m 30s', 90],
  ];
  for (const [text, seconds] of cases) assert.equal(durationSeconds(text), seconds, text);
  for (const text of ['soon', '60', 'h', '1d', '1H', '1 h x', '-1h', '']) assert.equal(durationSeconds(text), undefined, text);
});

test('a missing file says how to create one', () => {
  assert.throws(() => loadEnvironment('/nonexistent/environment.json'), /cannot read the settings file.*environment\.example\.json/);
});

test('invalid JSON is reported as such', () => {
  const file = environmentFile(() => undefined);
  require('fs').writeFileSync(file, '{ "auth0": ');
  assert.throws(() => loadEnvironment(file), /environment\.json: not valid JSON/);
});

test('`cdk synth` exits non-zero with the message and no stack trace', () => {
  const file = environmentFile((env) => delete env.fga.modelId);
  const result = spawnSync(process.execPath, ['--require', 'ts-node/register', path.join(__dirname, '..', 'bin', 'custodian.ts')], {
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1', CUSTODIAN_ENVIRONMENT: file, CUSTODIAN_LAMBDA_ASSETS: dummyAssets(), CDK_OUTDIR: '' },
    encoding: 'utf8',
  });
  assert.equal(result.status, 1, result.stderr);
  assert.match(result.stderr, /^error: .*environment\.json: fga\.modelId: missing\n$/);
});

test('missing Lambda packages name the command that builds them', () => {
  assert.throws(
    () => require('../lib/app').buildApp({ assetRoot: '/nonexistent', environmentPath: environmentFile(() => undefined) }),
    /bootstrap\.zip is missing: run `cargo xtask package`/,
  );
});
