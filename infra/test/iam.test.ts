// Least privilege: every statement names its resources, and each Lambda
// holds only the actions its job needs, on the resources it uses.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  LOG_ACTIONS,
  STORE_ACCESS_BY_ROLE,
  actions,
  assertModelThroughProfileOnly,
  allowedActions as allowedActionsIn,
  definition,
  functionId,
  only,
  render,
  resourceList,
  resources,
  roleOf as roleOfIn,
  statements,
  statementsOf as statementsOfIn,
  storeActionsOf,
  indexActions,
  tableActions,
  synth,
} from './helpers';
import { KEYGEN_FUNCTION, WEB_FUNCTION } from '../lib/names';

const { template } = synth();

const roleOf = (name: string) => roleOfIn(template, name);
const statementsOf = (role: string) => statementsOfIn(template, role);
const allowedActions = (role: string) => allowedActionsIn(template, role);

test('there are statements to check', () => {
  assert.ok(statements(template).length >= 8);
});

test('no statement allows every resource or every action', () => {
  for (const s of statements(template)) {
    assert.equal(s.Effect, 'Allow');
    for (const r of resourceList(s)) {
      assert.notEqual(r, '*', `${s.owner}: ${actions(s).join(', ')} on "*"`);
    }
    for (const a of actions(s)) {
      assert.ok(a !== '*' && !a.endsWith(':*'), `${s.owner}: wildcard action ${a}`);
    }
  }
});

test('only the framework function CDK provides uses an AWS managed policy', () => {
  for (const [id, role] of Object.entries(resources(template, 'AWS::IAM::Role'))) {
    if (role.Properties.ManagedPolicyArns) {
      assert.match(id, /^KeyProviderframeworkonEvent/, `${id} has managed policies`);
    }
  }
});

test('table actions are on the tables and their one index only', () => {
  const tables = new Set(Object.keys(resources(template, 'AWS::DynamoDB::Table')));
  const isTable = (r: any) => r?.['Fn::GetAtt'] && tables.has(r['Fn::GetAtt'][0]) && r['Fn::GetAtt'][1] === 'Arn';
  const isIndex = (r: any) => {
    const parts = r['Fn::Join']?.[1];
    return Array.isArray(parts) && isTable(parts[0]) && parts[1] === '/index/sessions_by_owner';
  };
  for (const s of statements(template)) {
    if (!actions(s).some((a) => a.startsWith('dynamodb:'))) continue;
    assert.ok(actions(s).every((a) => a.startsWith('dynamodb:')), `${s.owner} mixes services`);
    for (const r of resourceList(s) as any[]) {
      assert.ok(isTable(r) || (isIndex(r) && actions(s).join() === 'dynamodb:Query'), JSON.stringify(r));
    }
    assert.ok(!actions(s).some((a) => /Create|Delete(Table|Backup)|UpdateTable|UpdateTimeToLive/.test(a)), actions(s).join());
  }
});

test('secret actions are on the two named secrets only; only the key generator writes', () => {
  const secrets = new Set(Object.keys(resources(template, 'AWS::SecretsManager::Secret')));
  const [keyId] = only(template, 'AWS::SecretsManager::Secret', (p) => p.Name === 'token-encryption-key');
  for (const s of statements(template)) {
    if (!actions(s).some((a) => a.startsWith('secretsmanager:'))) continue;
    for (const r of resourceList(s) as any[]) assert.ok(r.Ref && secrets.has(r.Ref), JSON.stringify(r));
    if (actions(s).includes('secretsmanager:PutSecretValue')) {
      assert.equal(s.owner, roleOf(KEYGEN_FUNCTION));
      assert.deepEqual(resourceList(s), [{ Ref: keyId }]);
    }
  }
});

test('the BFF may invoke the agent through its alias and nothing else of Bedrock', () => {
  const bedrockStatements = statementsOf(roleOf(WEB_FUNCTION)).filter((s) => actions(s).some((a) => a.startsWith('bedrock:')));
  assert.equal(bedrockStatements.length, 1);
  assert.deepEqual(actions(bedrockStatements[0]), ['bedrock:InvokeAgent']);
  assert.deepEqual(bedrockStatements[0].Resource, { 'Fn::GetAtt': ['AgentAlias', 'AgentAliasArn'] });
});

test('each Lambda role holds exactly what its job needs', () => {
  const logs = LOG_ACTIONS;
  const readSecrets = ['secretsmanager:GetSecretValue'];
  assert.deepEqual(
    allowedActions(roleOf(WEB_FUNCTION)),
    [...logs, ...storeActionsOf(WEB_FUNCTION), ...readSecrets, 'bedrock:InvokeAgent'].sort(),
  );
  for (const group of definition.actionGroups) {
    assert.deepEqual(
      allowedActions(roleOf(group.lambda)),
      [...logs, ...storeActionsOf(group.lambda), ...readSecrets].sort(),
      group.lambda,
    );
  }
  assert.deepEqual(
    allowedActions(roleOf(KEYGEN_FUNCTION)),
    [...logs, 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'].sort(),
  );
});

test('each role holds on each table only the item actions it calls, and none may Scan', () => {
  const [sessions] = only(template, 'AWS::DynamoDB::Table', (p) => p.TableName === 'bedrock-sessions');
  const [conversations] = only(template, 'AWS::DynamoDB::Table', (p) => p.TableName === 'custodian-conversations');
  for (const name of [WEB_FUNCTION, ...definition.actionGroups.map((g) => g.lambda)]) {
    const expected = STORE_ACCESS_BY_ROLE[name];
    assert.deepEqual(tableActions(template, roleOf(name), sessions), expected.sessions, `${name} on sessions`);
    assert.deepEqual(tableActions(template, roleOf(name), conversations), expected.conversations, `${name} on conversations`);
    assert.deepEqual(
      indexActions(template, roleOf(name), sessions, 'sessions_by_owner'),
      expected.sessionsByOwner,
      `${name} on the sessions_by_owner index`,
    );
  }
  for (const s of statements(template)) {
    assert.ok(!actions(s).includes('dynamodb:Scan'), `${s.owner} may Scan`);
  }
});

test('log writes are on each function\'s own log group', () => {
  const groups = resources(template, 'AWS::Logs::LogGroup');
  for (const s of statements(template)) {
    if (!actions(s).some((a) => a.startsWith('logs:'))) continue;
    for (const r of resourceList(s) as any[]) {
      assert.ok(r['Fn::GetAtt'] && groups[r['Fn::GetAtt'][0]], `${s.owner}: logs on ${JSON.stringify(r)}`);
    }
  }
});

test('the agent role invokes and streams Nova Pro through its inference profile only', () => {
  const [roleId, role] = only(template, 'AWS::IAM::Role', (p) =>
    JSON.stringify(p.AssumeRolePolicyDocument).includes('bedrock.amazonaws.com'),
  );
  const agent = resources(template, 'AWS::Bedrock::Agent').Agent.Properties;
  assert.deepEqual(agent.AgentResourceRoleArn, { 'Fn::GetAtt': [roleId, 'Arn'] });
  const trust = role.AssumeRolePolicyDocument.Statement[0];
  assert.ok(trust.Condition.StringEquals['aws:SourceAccount'], 'trust is not limited to this account');
  assert.ok(trust.Condition.ArnLike['aws:SourceArn'], 'trust is not limited to agents');

  const rendered = statementsOf(roleId).map((s) => ({ actions: actions(s).sort(), resources: JSON.stringify(s.Resource), condition: JSON.stringify(s.Condition ?? null) }));
  assertModelThroughProfileOnly(rendered);
  assert.equal(statementsOf(roleId).length, 2);
});

test('only the agent may invoke the action-group Lambdas, and only the API stage the BFF', () => {
  const permissions = Object.values(resources(template, 'AWS::Lambda::Permission')).map((r) => r.Properties);
  for (const group of definition.actionGroups) {
    const id = functionId(template, group.lambda);
    const mine = permissions.filter((p) => p.FunctionName['Fn::GetAtt']?.[0] === id);
    assert.equal(mine.length, 1, group.lambda);
    assert.equal(mine[0].Principal, 'bedrock.amazonaws.com');
    assert.deepEqual(mine[0].SourceArn, { 'Fn::GetAtt': ['Agent', 'AgentArn'] });
    assert.ok(mine[0].SourceAccount);
  }
  const web = functionId(template, WEB_FUNCTION);
  const webPermissions = permissions.filter((p) => p.FunctionName['Fn::GetAtt']?.[0] === web);
  assert.ok(webPermissions.length >= 1);
  const [stageId] = only(template, 'AWS::ApiGateway::Stage', (p) => p.StageName === 'prod');
  const [apiId] = only(template, 'AWS::ApiGateway::RestApi');
  for (const p of webPermissions) {
    assert.equal(p.Principal, 'apigateway.amazonaws.com');
    const arn = render(p.SourceArn);
    assert.ok(
      arn.startsWith(`arn:aws:execute-api:us-east-1:\${AWS::AccountId}:\${${apiId}}/\${${stageId}}/`),
      `not limited to the prod stage of the API: ${arn}`,
    );
  }
  const keygen = functionId(template, KEYGEN_FUNCTION);
  assert.equal(permissions.filter((p) => p.FunctionName['Fn::GetAtt']?.[0] === keygen).length, 0);
});
