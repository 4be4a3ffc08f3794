// Agent host `agentcore-harness`: the harness is config/action-groups.json
// (model, instruction, inline functions), only Custodian's functions are
// allowed, no Classic agent or action-group Lambda is deployed, and the BFF
// is told where the harness is. And the Classic variant has no harness.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { HARNESS_ENVIRONMENT, definition, functionId, resources, synth } from './helpers';
import { harnessName } from '../lib/harness';
import { KEYGEN_FUNCTION, WEB_FUNCTION } from '../lib/names';

const { template } = synth(HARNESS_ENVIRONMENT);
const harnesses = resources(template, 'AWS::BedrockAgentCore::Harness');
const harness = harnesses.Harness?.Properties;
const functions = definition.actionGroups.flatMap((g) => g.functions);

function webEnvironment(t = template): Record<string, unknown> {
  return resources(t, 'AWS::Lambda::Function')[functionId(t, WEB_FUNCTION)].Properties.Environment.Variables;
}

test('the harness variant deploys one harness and no Classic agent or alias', () => {
  assert.deepEqual(Object.keys(harnesses), ['Harness']);
  assert.deepEqual(resources(template, 'AWS::Bedrock::Agent'), {});
  assert.deepEqual(resources(template, 'AWS::Bedrock::AgentAlias'), {});
});

test('the harness runs Nova Pro through the US inference profile with the shared instruction', () => {
  assert.equal(harness.HarnessName, 'custodian_agent');
  assert.deepEqual(harness.Model, { BedrockModelConfig: { ModelId: 'us.amazon.nova-pro-v1:0' } });
  assert.equal(harness.Model.BedrockModelConfig.ModelId, definition.agent.foundationModel);
  assert.deepEqual(harness.SystemPrompt, [{ Text: definition.agent.instruction }]);
});

test('the inline functions are the shared definition, with the schema the BFF checks calls against', () => {
  const expected = functions.map((f) => ({
    Type: 'inline_function',
    Name: f.name,
    Config: {
      InlineFunction: {
        Description: f.description,
        InputSchema: {
          type: 'object',
          properties: Object.fromEntries(
            Object.entries(f.parameters).map(([name, p]) => [name, { type: p.type, description: p.description }]),
          ),
          required: Object.entries(f.parameters)
            .filter(([, p]) => p.required)
            .map(([name]) => name),
          additionalProperties: false,
        },
      },
    },
  }));
  assert.deepEqual(harness.Tools, expected);
  const names = (harness.Tools as any[]).map((t) => `${t.Name}(${Object.keys(t.Config.InlineFunction.InputSchema.properties).join(',')})`);
  assert.deepEqual(names.sort(), ['authenticate_user(user_id)', 'get_user_groups(user_email)']);
});

test('only Custodian\'s two functions are allowed: no built-in shell or file tools', () => {
  assert.deepEqual([...harness.AllowedTools].sort(), ['authenticate_user', 'get_user_groups']);
  assert.ok(!(harness.AllowedTools as string[]).some((t) => t.includes('*')));
  assert.ok((harness.Tools as any[]).every((t) => t.Type === 'inline_function'));
});

test('the agent loop is bounded and keeps no managed memory', () => {
  assert.ok(harness.MaxIterations >= 4 && harness.MaxIterations <= 20, String(harness.MaxIterations));
  assert.ok(harness.TimeoutSeconds >= 30 && harness.TimeoutSeconds <= 300, String(harness.TimeoutSeconds));
  assert.deepEqual(harness.Memory, { Disabled: {} });
  for (const unused of ['Skills', 'Environment', 'EnvironmentArtifact', 'EnvironmentVariables', 'Hooks', 'AuthorizerConfiguration']) {
    assert.equal(harness[unused], undefined, unused);
  }
});

test('no action-group Lambda and nothing that lets Bedrock invoke a function', () => {
  const names = Object.values(resources(template, 'AWS::Lambda::Function')).map((f) => f.Properties.FunctionName).filter(Boolean);
  assert.deepEqual(names.sort(), [WEB_FUNCTION, KEYGEN_FUNCTION].sort());
  for (const group of definition.actionGroups) {
    assert.ok(!JSON.stringify(template.toJSON()).includes(`/aws/lambda/${group.lambda}"`), group.lambda);
  }
  const principals = Object.values(resources(template, 'AWS::Lambda::Permission')).map((p) => p.Properties.Principal);
  assert.ok(principals.every((p) => p === 'apigateway.amazonaws.com'), principals.join());
});

test('the BFF is told to use the harness, by its ARN, and gets no Classic agent settings', () => {
  const env = webEnvironment();
  assert.equal(env.CUSTODIAN__AGENT_HOST, 'agentcore-harness');
  assert.deepEqual(env.CUSTODIAN__HARNESS__HARNESS_ARN, { 'Fn::GetAtt': ['Harness', 'Arn'] });
  assert.equal(env.CUSTODIAN__HARNESS__REGION, 'us-east-1');
  assert.deepEqual(Object.keys(env).filter((k) => k.startsWith('CUSTODIAN__BEDROCK__')), []);
  assert.equal(env.CUSTODIAN__HARNESS__ENDPOINT, undefined);
});

test('the outputs name the harness, not a Classic agent', () => {
  const outputs = template.toJSON().Outputs;
  assert.deepEqual(outputs.HarnessArn.Value, { 'Fn::GetAtt': ['Harness', 'Arn'] });
  assert.equal(outputs.AgentId, undefined);
  assert.equal(outputs.AgentAliasId, undefined);
});

test('the Classic variant has no harness and tells the BFF so', () => {
  const classic = synth().template;
  assert.deepEqual(resources(classic, 'AWS::BedrockAgentCore::Harness'), {});
  const env = webEnvironment(classic);
  assert.equal(env.CUSTODIAN__AGENT_HOST, 'bedrock-agent');
  assert.deepEqual(Object.keys(env).filter((k) => k.startsWith('CUSTODIAN__HARNESS__')), []);
  assert.equal(classic.toJSON().Outputs.HarnessArn, undefined);
});

test('a harness name is the agent name with underscores, and a name that cannot be one is refused', () => {
  assert.equal(harnessName('custodian-agent'), 'custodian_agent');
  assert.throws(() => harnessName('1custodian'), /agent\.name "1custodian" cannot name a harness/);
  assert.throws(() => harnessName('a'.repeat(41)), /cannot name a harness/);
});
