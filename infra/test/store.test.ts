// The store: the seed's sessions table, on demand, with TTL and backups.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { resources, synth } from './helpers';

const { template } = synth();

test('bedrock-sessions is keyed by session_id with TTL on ttl, and indexed by owner', () => {
  template.hasResourceProperties('AWS::DynamoDB::Table', {
    TableName: 'bedrock-sessions',
    KeySchema: [{ AttributeName: 'session_id', KeyType: 'HASH' }],
    AttributeDefinitions: [
      { AttributeName: 'session_id', AttributeType: 'S' },
      { AttributeName: 'owner', AttributeType: 'S' },
    ],
    TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
    GlobalSecondaryIndexes: [
      {
        IndexName: 'sessions_by_owner',
        KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['record', 'ttl'] },
      },
    ],
  });
});

test('custodian-conversations is keyed by pk and sk, without TTL or indexes', () => {
  template.hasResourceProperties('AWS::DynamoDB::Table', {
    TableName: 'custodian-conversations',
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
  });
});

test('there are exactly the two tables of the data model, and only the sessions index', () => {
  const tables = Object.values(resources(template, 'AWS::DynamoDB::Table')).map((t) => t.Properties);
  assert.deepEqual(tables.map((t) => t.TableName).sort(), ['bedrock-sessions', 'custodian-conversations']);
  for (const t of tables) {
    const indexes = (t.GlobalSecondaryIndexes ?? []).map((i: any) => i.IndexName);
    assert.deepEqual(indexes, t.TableName === 'bedrock-sessions' ? ['sessions_by_owner'] : [], t.TableName);
    assert.equal(t.LocalSecondaryIndexes, undefined, t.TableName);
  }
  const conversations = tables.find((t) => t.TableName === 'custodian-conversations');
  // Audit entries expire; conversations carry no ttl and stay.
  assert.deepEqual(conversations.TimeToLiveSpecification, { AttributeName: 'ttl', Enabled: true });
});

test('the Lambdas are told both table names', () => {
  for (const fn of Object.values(resources(template, 'AWS::Lambda::Function'))) {
    const env = fn.Properties.Environment?.Variables ?? {};
    if (!('CUSTODIAN__STORE__KIND' in env)) continue;
    assert.ok(env.CUSTODIAN__STORE__TABLE?.Ref, fn.Properties.FunctionName);
    assert.ok(env.CUSTODIAN__STORE__CONVERSATIONS_TABLE?.Ref, fn.Properties.FunctionName);
  }
});

test('every table is on demand, point-in-time recoverable and encrypted', () => {
  const tables = Object.values(resources(template, 'AWS::DynamoDB::Table'));
  assert.ok(tables.length >= 1);
  for (const table of tables) {
    const p = table.Properties;
    assert.equal(p.BillingMode, 'PAY_PER_REQUEST', p.TableName);
    assert.equal(p.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled, true, p.TableName);
    assert.equal(p.SSESpecification?.SSEEnabled, true, p.TableName);
    assert.equal(p.ProvisionedThroughput, undefined, p.TableName);
  }
});

test('tables are plain regional tables, not global tables', () => {
  assert.deepEqual(resources(template, 'AWS::DynamoDB::GlobalTable'), {});
});
