// The Bedrock agent is config/action-groups.json, exactly: model,
// instruction, action groups, functions and parameters.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { definition, functionId, resources, synth } from './helpers';
import { cdkContext } from '../lib/app';

const { template } = synth();
const agent = resources(template, 'AWS::Bedrock::Agent').Agent.Properties;

test('the agent runs Nova Pro through the US inference profile and prepares itself', () => {
  assert.equal(agent.FoundationModel, 'us.amazon.nova-pro-v1:0');
  assert.equal(agent.FoundationModel, definition.agent.foundationModel);
  assert.equal(agent.AutoPrepare, true);
  assert.equal(agent.AgentName, definition.agent.name);
  assert.equal(agent.Instruction, definition.agent.instruction);
  assert.equal(agent.Description, definition.agent.description);
  assert.equal(agent.IdleSessionTTLInSeconds, definition.agent.idleSessionTtlInSeconds);
});

test('the instruction tells the model how to behave', () => {
  const instruction = agent.Instruction as string;
  assert.ok(instruction.length >= 40);
  for (const needle of [/never invent/i, /binding code/i, /cannot skip, bypass or approve/i, /get_user_groups/, /authenticate_user/]) {
    assert.match(instruction, needle);
  }
});

test('the action groups are the shared definition, exactly', () => {
  const groups = (agent.ActionGroups as any[]).filter((g) => !g.ParentActionGroupSignature);
  const expected = definition.actionGroups.map((g) => ({
    ActionGroupName: g.name,
    Description: g.description,
    ActionGroupState: 'ENABLED',
    ActionGroupExecutor: { Lambda: { 'Fn::GetAtt': [functionId(template, g.lambda), 'Arn'] } },
    FunctionSchema: {
      Functions: g.functions.map((f) => ({
        Name: f.name,
        Description: f.description,
        Parameters: Object.fromEntries(
          Object.entries(f.parameters).map(([name, p]) => [name, { Type: p.type, Description: p.description, Required: p.required }]),
        ),
      })),
    },
  }));
  assert.deepEqual(groups, expected);
});

test('the seed\'s names are there: OktaOperations.get_user_groups and CIBAAuthentication.authenticate_user', () => {
  const names = (agent.ActionGroups as any[]).flatMap((g) =>
    (g.FunctionSchema?.Functions ?? []).map((f: any) => `${g.ActionGroupName}.${f.Name}(${Object.keys(f.Parameters).join(',')})`),
  );
  assert.deepEqual(names.sort(), ['CIBAAuthentication.authenticate_user(user_id)', 'OktaOperations.get_user_groups(user_email)']);
});

test('the agent may ask the user back (built-in user input)', () => {
  const builtin = (agent.ActionGroups as any[]).filter((g) => g.ParentActionGroupSignature);
  assert.deepEqual(builtin, [
    { ActionGroupName: 'UserInputAction', ParentActionGroupSignature: 'AMAZON.UserInput', ActionGroupState: 'ENABLED' },
  ]);
});

test('the alias follows every preparation of the agent', () => {
  const alias = resources(template, 'AWS::Bedrock::AgentAlias').AgentAlias.Properties;
  assert.deepEqual(alias.AgentId, { 'Fn::GetAtt': ['Agent', 'AgentId'] });
  assert.ok(JSON.stringify(alias.Description).includes('"Agent","PreparedAt"'), JSON.stringify(alias.Description));
  assert.equal(alias.RoutingConfiguration, undefined);
});

test('synthesis validates resources against the CloudFormation schema', () => {
  // With this flag an instruction under 40 characters, say, fails `cdk synth`.
  assert.equal(cdkContext()['@aws-cdk/core:validateAgainstDefaultRules'], true);
});
