// The HTTPS entry point: a regional REST API streaming the BFF's responses,
// its URL known to the BFF without a dependency cycle, and the URLs Auth0
// needs as outputs.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { functionId, only, references, render, resources, synth } from './helpers';
import { WEB_FUNCTION } from '../lib/names';

const { template } = synth();
const web = functionId(template, WEB_FUNCTION);
const [apiId, api] = only(template, 'AWS::ApiGateway::RestApi');

test('the API is regional, without the account-wide CloudWatch role', () => {
  assert.deepEqual(api.EndpointConfiguration, { Types: ['REGIONAL'] });
  assert.deepEqual(resources(template, 'AWS::ApiGateway::Account'), {});
  assert.equal(api.MinimumCompressionSize, undefined, 'API Gateway must not compress a streamed response');
});

test('every method streams from the BFF with a 15-minute timeout', () => {
  const methods = Object.values(resources(template, 'AWS::ApiGateway::Method')).map((m) => m.Properties);
  assert.equal(methods.length, 2, 'the root and the {proxy+} resource');
  for (const m of methods) {
    assert.equal(m.HttpMethod, 'ANY');
    assert.equal(m.AuthorizationType, 'NONE');
    assert.equal(m.Integration.Type, 'AWS_PROXY');
    assert.equal(m.Integration.ResponseTransferMode, 'STREAM');
    assert.equal(m.Integration.TimeoutInMillis, 15 * 60 * 1000);
    const uri = JSON.stringify(m.Integration.Uri);
    assert.ok(uri.includes('/response-streaming-invocations'), uri);
    assert.ok(uri.includes(`"${web}","Arn"`), uri);
  }
  template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{proxy+}' });
});

test('the stage is prod', () => {
  template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'prod' });
});

const base = `https://\${${apiId}}.execute-api.us-east-1.\${AWS::URLSuffix}/prod`;

test('the BFF knows its public URL from the API id and the stage name', () => {
  const env = resources(template, 'AWS::Lambda::Function')[web].Properties.Environment.Variables;
  assert.equal(render(env.CUSTODIAN__APP__BASE_URL), base);
});

test('the template has no dependency cycle', () => {
  const all = resources(template);
  const edges = new Map<string, string[]>();
  for (const [id, r] of Object.entries(all)) {
    const deps = [...references(r.Properties ?? {})];
    const dependsOn = r.DependsOn === undefined ? [] : Array.isArray(r.DependsOn) ? r.DependsOn : [r.DependsOn];
    edges.set(id, [...deps, ...dependsOn].filter((d) => d in all));
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, trail: string[]) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') assert.fail(`cycle: ${[...trail, id].join(' -> ')}`);
    state.set(id, 'visiting');
    for (const next of edges.get(id) ?? []) visit(next, [...trail, id]);
    state.set(id, 'done');
  };
  for (const id of edges.keys()) visit(id, []);
});

test('the outputs are the URLs to paste into Auth0', () => {
  const outputs = template.toJSON().Outputs;
  assert.equal(render(outputs.CallbackUrl.Value), `${base}/callback`);
  assert.equal(render(outputs.LoginUrl.Value), `${base}/login`);
  assert.equal(render(outputs.LogoutUrl.Value), `${base}/`);
  assert.equal(render(outputs.AppUrl.Value), `${base}/`);
});
