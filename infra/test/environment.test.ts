// A bad settings file stops synthesis with the file and the field named.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';

import { dummyAssets, environmentFile, synth } from './helpers';
import { loadEnvironment } from '../lib/environment';

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
  ['an unknown agent host', (env) => (env.agentHost = 'bedrock-agents'), /: agentHost: must be "bedrock-agent" or "agentcore-harness" \(found "bedrock-agents"\)$/],
  ['an agent host that is not a string', (env) => (env.agentHost = true), /: agentHost: expected a string, found a boolean$/],
  ['a misspelt harness field', (env) => (env.harness = { harnessARN: 'x' }), /: harness\.harnessARN: unknown field/],
  ['a limit of 0', (env) => (env.limits = { signInsPerMinute: 0 }), /limits\.signInsPerMinute: must be between 1 and/],
  ['too many pending approvals', (env) => (env.limits = { pendingStepUps: 11 }), /limits\.pendingStepUps: must be between 1 and 10/],
  ['a misspelt limit', (env) => (env.limits = { turnsPerMinute: 5 }), /limits\.turnsPerMinute: unknown field/],
  ['an audit log kept for no day', (env) => (env.audit = { retentionDays: 0 }), /audit\.retentionDays: must be between 1 and 3650/],
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
