// No secret value in the template: the fixture's fake client secrets appear
// nowhere, and the two secrets are created empty.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

import { App } from 'aws-cdk-lib';

import { FAKE_SECRETS, FIXTURE_ENVIRONMENT, HARNESS_ENVIRONMENT, dummyAssets, only, resources, synth, tempDir } from './helpers';
import { buildApp, cdkContext } from '../lib/app';
import { KEYGEN_FUNCTION } from '../lib/names';

const { template } = synth();

for (const fixture of [FIXTURE_ENVIRONMENT, HARNESS_ENVIRONMENT]) {
  const name = path.basename(fixture);

  test(`${name} does carry the fake secrets (so the next test means something)`, () => {
    const text = fs.readFileSync(fixture, 'utf8');
    for (const secret of FAKE_SECRETS) assert.ok(text.includes(secret));
  });

  test(`no client secret from ${name} reaches the cloud assembly`, () => {
    const outdir = tempDir('custodian-cdk-out-');
    const app = new App({ context: cdkContext(), outdir });
    buildApp({ app, environmentPath: fixture, assetRoot: dummyAssets() });
    app.synth();
    const files = fs.readdirSync(outdir).filter((f) => f.endsWith('.json'));
    assert.ok(files.includes('Custodian.template.json'));
    for (const file of files) {
      const text = fs.readFileSync(path.join(outdir, file), 'utf8');
      for (const secret of FAKE_SECRETS) assert.ok(!text.includes(secret), `${file} contains ${secret}`);
    }
  });
}

test('both secrets are created without a value', () => {
  const secrets = resources(template, 'AWS::SecretsManager::Secret');
  assert.deepEqual(Object.values(secrets).map((s) => s.Properties.Name).sort(), ['custodian-app-credentials', 'token-encryption-key']);
  for (const s of Object.values(secrets)) {
    assert.equal(s.Properties.GenerateSecretString, undefined, s.Properties.Name);
    assert.equal(s.Properties.SecretString, undefined, s.Properties.Name);
  }
});

test('the key custom resource runs fernet-keygen through the provider framework', () => {
  const [keyId] = only(template, 'AWS::SecretsManager::Secret', (p) => p.Name === 'token-encryption-key');
  const [, key] = only(template, 'Custom::FernetKey');
  assert.deepEqual(key.SecretId, { Ref: keyId });
  assert.deepEqual(Object.keys(key).sort(), ['SecretId', 'ServiceToken']);
  const [frameworkId, framework] = only(template, 'AWS::Lambda::Function', (p) => p.Handler === 'framework.onEvent');
  assert.deepEqual(key.ServiceToken, { 'Fn::GetAtt': [frameworkId, 'Arn'] });
  const keygen = only(template, 'AWS::Lambda::Function', (p) => p.FunctionName === KEYGEN_FUNCTION)[0];
  assert.deepEqual(framework.Environment.Variables.USER_ON_EVENT_FUNCTION_ARN, { 'Fn::GetAtt': [keygen, 'Arn'] });
});

test('no Lambda starts before the key exists', () => {
  const [keyResource] = only(template, 'Custom::FernetKey');
  for (const [id, fn] of Object.entries(resources(template, 'AWS::Lambda::Function'))) {
    const env = fn.Properties.Environment?.Variables ?? {};
    if (!('CUSTODIAN__SEALING__SECRET_ID' in env)) continue;
    assert.ok(([] as string[]).concat(fn.DependsOn ?? []).includes(keyResource), id);
  }
});
