// Agent host `agentcore-harness`: an Amazon Bedrock AgentCore managed harness
// (AWS::BedrockAgentCore::Harness) with the same model and instruction as
// the Classic agent and Custodian's functions as inline functions, all from
// config/action-groups.json. The harness pauses on an inline function and
// hands the call to the BFF, which runs it (core/src/harness): no Lambda is
// involved, so this variant deploys none for the action groups.
//
// The property shapes come from aws-cdk-lib's CfnHarness types (2.276.0),
// generated from the CloudFormation schema; the harness is in preview, so
// infra/README.md lists which of them the documentation does not yet show.

import { Stack } from 'aws-cdk-lib';
import * as agentcore from 'aws-cdk-lib/aws-bedrockagentcore';
import * as iam from 'aws-cdk-lib/aws-iam';

import { ActionGroupsDefinition, FunctionDefinition } from './action-groups';
import { ModelAccess, modelStatements } from './model';

/** Steps of one invocation's agent loop: a lookup, a reset and the replies fit well within it. */
export const HARNESS_MAX_ITERATIONS = 10;
/** One invocation ends at the first inline function call at the latest, so this is generous. */
export const HARNESS_TIMEOUT_SECONDS = 120;

/**
 * AgentCore Runtime writes the harness's logs under this prefix
 * (AgentCore developer guide, "IAM Permissions for AgentCore Runtime",
 * execution role).
 */
export const HARNESS_LOG_GROUP_PREFIX = '/aws/bedrock-agentcore/runtimes/';

/** CreateHarness `harnessName`: a letter, then letters, digits and underscores (at most 40). */
const HARNESS_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,39}$/;

export interface Harness {
  readonly harness: agentcore.CfnHarness;
  readonly role: iam.Role;
  /** What the BFF needs to call the harness. */
  readonly environment: Record<string, string>;
}

export function custodianHarness(stack: Stack, definition: ActionGroupsDefinition, access: ModelAccess): Harness {
  const role = executionRole(stack, access);
  const functions = definition.actionGroups.flatMap((group) => group.functions);
  const harness = new agentcore.CfnHarness(stack, 'Harness', {
    harnessName: harnessName(definition.agent.name),
    executionRoleArn: role.roleArn,
    model: { bedrockModelConfig: { modelId: definition.agent.foundationModel } },
    systemPrompt: [{ text: definition.agent.instruction }],
    tools: functions.map(inlineFunctionTool),
    // Only Custodian's functions: the built-in shell and file tools stay off.
    allowedTools: functions.map((fn) => fn.name),
    // Custodian keeps its own conversation record; no managed memory.
    memory: { disabled: {} },
    maxIterations: HARNESS_MAX_ITERATIONS,
    timeoutSeconds: HARNESS_TIMEOUT_SECONDS,
  });
  // The role's permissions must exist before the harness first runs.
  harness.node.addDependency(role);
  return {
    harness,
    role,
    environment: {
      CUSTODIAN__AGENT_HOST: 'agentcore-harness',
      CUSTODIAN__HARNESS__HARNESS_ARN: harness.attrArn,
      CUSTODIAN__HARNESS__REGION: stack.region,
    },
  };
}

/** The agent's name as a harness name: `custodian-agent` becomes `custodian_agent`. */
export function harnessName(agentName: string): string {
  const name = agentName.replace(/-/g, '_');
  if (!HARNESS_NAME.test(name)) {
    throw new Error(`agent.name "${agentName}" cannot name a harness: it must match ${HARNESS_NAME} once "-" becomes "_"`);
  }
  return name;
}

/**
 * A function as an `inline_function` tool. The input schema is the one the
 * BFF sends with InvokeHarness and checks calls against
 * (core/src/harness/functions.rs): an object with exactly the declared
 * parameters.
 */
export function inlineFunctionTool(fn: FunctionDefinition): agentcore.CfnHarness.HarnessToolProperty {
  const names = Object.keys(fn.parameters).sort();
  return {
    type: 'inline_function',
    name: fn.name,
    config: {
      inlineFunction: {
        description: fn.description,
        inputSchema: {
          type: 'object',
          properties: Object.fromEntries(
            names.map((name) => [name, { type: fn.parameters[name].type, description: fn.parameters[name].description }]),
          ),
          required: names.filter((name) => fn.parameters[name].required),
          additionalProperties: false,
        },
      },
    },
  };
}

/** Trusted by AgentCore for this account and region only; runs the model and writes its logs. */
function executionRole(stack: Stack, access: ModelAccess): iam.Role {
  const logGroups = `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:${HARNESS_LOG_GROUP_PREFIX}*`;
  return new iam.Role(stack, 'HarnessRole', {
    description: 'Custodian: the AgentCore harness invokes its model and writes its logs',
    assumedBy: new iam.ServicePrincipal('bedrock-agentcore.amazonaws.com', {
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:bedrock-agentcore:${stack.region}:${stack.account}:*` },
      },
    }),
    inlinePolicies: {
      model: new iam.PolicyDocument({ statements: modelStatements(access, stack) }),
      logs: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            actions: ['logs:CreateLogGroup', 'logs:DescribeLogStreams'],
            resources: [logGroups],
          }),
          new iam.PolicyStatement({
            actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            resources: [`${logGroups}:log-stream:*`],
          }),
        ],
      }),
    },
  });
}
