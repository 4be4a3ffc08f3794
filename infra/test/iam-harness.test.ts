// Least privilege with the harness: the BFF may only invoke that harness,
// the harness's role may only run Nova Pro and write the runtime's logs, and
// nothing of Bedrock Agents Classic is granted. The Classic variant, in turn,
// grants nothing of AgentCore.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  HARNESS_ENVIRONMENT,
  LOG_ACTIONS,
  storeActionsOf,
  actions,
  assertModelThroughProfileOnly,
  allowedActions,
  resourceList,
  resources,
  roleOf,
  statements,
  statementsOf,
  synth,
} from './helpers';
import { KEYGEN_FUNCTION, WEB_FUNCTION } from '../lib/names';

const { template } = synth(HARNESS_ENVIRONMENT);
const harnessRoleId = resources(template, 'AWS::BedrockAgentCore::Harness').Harness.Properties.ExecutionRoleArn['Fn::GetAtt'][0];
const HARNESS_ACTIONS = ['bedrock-agentcore:InvokeAgentRuntime', 'bedrock-agentcore:InvokeHarness'];

test('no statement allows every resource or every action', () => {
  assert.ok(statements(template).length >= 8);
  for (const s of statements(template)) {
    assert.equal(s.Effect, 'Allow');
    for (const r of resourceList(s)) assert.notEqual(r, '*', `${s.owner}: ${actions(s).join(', ')} on "*"`);
    for (const a of actions(s)) assert.ok(a !== '*' && !a.endsWith(':*'), `${s.owner}: wildcard action ${a}`);
  }
});

test('each role holds exactly what its job needs', () => {
  const readSecrets = ['secretsmanager:GetSecretValue'];
  assert.deepEqual(allowedActions(template, roleOf(template, WEB_FUNCTION)), [...LOG_ACTIONS, ...storeActionsOf(WEB_FUNCTION), ...readSecrets, ...HARNESS_ACTIONS].sort());
  assert.deepEqual(
    allowedActions(template, roleOf(template, KEYGEN_FUNCTION)),
    [...LOG_ACTIONS, 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'].sort(),
  );
  assert.deepEqual(
    allowedActions(template, harnessRoleId),
    [
      'bedrock:GetInferenceProfile',
      // On the profile, and on the model behind it through the profile only.
      'bedrock:InvokeModel',
      'bedrock:InvokeModel',
      'bedrock:InvokeModelWithResponseStream',
      'bedrock:InvokeModelWithResponseStream',
      'logs:CreateLogGroup',
      'logs:CreateLogStream',
      'logs:DescribeLogStreams',
      'logs:PutLogEvents',
    ],
  );
});

test('the BFF may invoke that harness and nothing else of Bedrock or AgentCore', () => {
  const agentStatements = statementsOf(template, roleOf(template, WEB_FUNCTION)).filter((s) =>
    actions(s).some((a) => a.startsWith('bedrock')),
  );
  assert.equal(agentStatements.length, 1);
  assert.deepEqual([...actions(agentStatements[0])].sort(), HARNESS_ACTIONS);
  assert.deepEqual(agentStatements[0].Resource, { 'Fn::GetAtt': ['Harness', 'Arn'] });
});

test('nothing of Bedrock Agents Classic is granted, and no role trusts Bedrock Agents', () => {
  for (const s of statements(template)) {
    for (const a of actions(s)) assert.ok(!/^bedrock:(InvokeAgent|.*Agent)/.test(a), `${s.owner}: ${a}`);
  }
  for (const [id, role] of Object.entries(resources(template, 'AWS::IAM::Role'))) {
    assert.ok(!JSON.stringify(role.Properties.AssumeRolePolicyDocument).includes('"bedrock.amazonaws.com"'), id);
  }
});

test('the harness role is trusted by AgentCore for this account and region only', () => {
  const role = resources(template, 'AWS::IAM::Role')[harnessRoleId].Properties;
  const [trust, ...others] = role.AssumeRolePolicyDocument.Statement;
  assert.deepEqual(others, []);
  assert.deepEqual(trust.Principal, { Service: 'bedrock-agentcore.amazonaws.com' });
  assert.deepEqual(trust.Condition.StringEquals, { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
  const source = JSON.stringify(trust.Condition.ArnLike['aws:SourceArn']);
  assert.ok(source.includes(':bedrock-agentcore:us-east-1:'), source);
  assert.equal(role.ManagedPolicyArns, undefined);
});

test('the harness role invokes and streams Nova Pro through its inference profile only', () => {
  const rendered = statementsOf(template, harnessRoleId).map((s) => ({ actions: [...actions(s)].sort(), resources: JSON.stringify(s.Resource), condition: JSON.stringify(s.Condition ?? null) }));
  assertModelThroughProfileOnly(rendered);
});

test('log writes are on a function\'s own log group, or for the harness on the AgentCore runtime log groups', () => {
  const groups = resources(template, 'AWS::Logs::LogGroup');
  for (const s of statements(template)) {
    if (!actions(s).some((a) => a.startsWith('logs:'))) continue;
    for (const r of resourceList(s) as any[]) {
      if (s.owner === harnessRoleId) {
        assert.match(JSON.stringify(r), /:log-group:\/aws\/bedrock-agentcore\/runtimes\/\*(:log-stream:\*)?"/, JSON.stringify(r));
      } else {
        assert.ok(r['Fn::GetAtt'] && groups[r['Fn::GetAtt'][0]], `${s.owner}: logs on ${JSON.stringify(r)}`);
      }
    }
  }
});

test('the Classic variant grants nothing of AgentCore', () => {
  const classic = synth().template;
  for (const s of statements(classic)) {
    assert.ok(!actions(s).some((a) => a.startsWith('bedrock-agentcore:')), `${s.owner}: ${actions(s).join()}`);
  }
  for (const [id, role] of Object.entries(resources(classic, 'AWS::IAM::Role'))) {
    assert.ok(!JSON.stringify(role.Properties.AssumeRolePolicyDocument).includes('bedrock-agentcore'), id);
  }
});
