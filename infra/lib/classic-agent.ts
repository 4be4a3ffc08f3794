// Agent host `bedrock-agent`: a Bedrock Agents Classic agent with
// function-schema action groups from config/action-groups.json, each run by
// its own Lambda, and an alias that follows every preparation.

import { Fn, Stack } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';

import { ActionGroupsDefinition } from './action-groups';
import { ModelAccess, modelStatements } from './model';

export interface ClassicAgent {
  readonly agent: bedrock.CfnAgent;
  readonly alias: bedrock.CfnAgentAlias;
  /** What the BFF needs to call the agent. */
  readonly environment: Record<string, string>;
}

export function classicAgent(
  stack: Stack,
  definition: ActionGroupsDefinition,
  access: ModelAccess,
  functions: Readonly<Record<string, lambda.Function>>,
): ClassicAgent {
  const role = new iam.Role(stack, 'AgentRole', {
    description: 'Custodian: the Bedrock agent invokes its model',
    assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com', {
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:bedrock:${stack.region}:${stack.account}:agent/*` },
      },
    }),
    // Inline, so the permissions exist before the agent is prepared.
    inlinePolicies: {
      model: new iam.PolicyDocument({ statements: modelStatements(access, stack) }),
    },
  });

  const agent = new bedrock.CfnAgent(stack, 'Agent', {
    agentName: definition.agent.name,
    description: definition.agent.description,
    instruction: definition.agent.instruction,
    foundationModel: definition.agent.foundationModel,
    idleSessionTtlInSeconds: definition.agent.idleSessionTtlInSeconds,
    agentResourceRoleArn: role.roleArn,
    autoPrepare: true,
    skipResourceInUseCheckOnDelete: true,
    actionGroups: [
      ...actionGroups(definition, functions),
      ...(definition.agent.userInput
        ? [{ actionGroupName: 'UserInputAction', parentActionGroupSignature: 'AMAZON.UserInput', actionGroupState: 'ENABLED' }]
        : []),
    ],
  });

  const invokePermissions = definition.actionGroups.map((group) => {
    const fn = functions[group.name];
    fn.addPermission('InvokedByAgent', {
      principal: new iam.ServicePrincipal('bedrock.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceAccount: stack.account,
      sourceArn: agent.attrAgentArn,
    });
    return fn.node.findChild('InvokedByAgent');
  });

  // The description carries the preparation time, so every agent change
  // updates the alias, which then points at a new version.
  const alias = new bedrock.CfnAgentAlias(stack, 'AgentAlias', {
    agentId: agent.attrAgentId,
    agentAliasName: 'live',
    description: Fn.join('', ['Custodian agent prepared at ', agent.attrPreparedAt]),
  });
  for (const permission of invokePermissions) {
    alias.node.addDependency(permission);
  }

  return {
    agent,
    alias,
    environment: {
      CUSTODIAN__AGENT_HOST: 'bedrock-agent',
      CUSTODIAN__BEDROCK__REGION: stack.region,
      CUSTODIAN__BEDROCK__AGENT_ID: agent.attrAgentId,
      CUSTODIAN__BEDROCK__AGENT_ALIAS_ID: alias.attrAgentAliasId,
    },
  };
}

function actionGroups(
  definition: ActionGroupsDefinition,
  functions: Readonly<Record<string, lambda.Function>>,
): bedrock.CfnAgent.AgentActionGroupProperty[] {
  return definition.actionGroups.map((group) => ({
    actionGroupName: group.name,
    description: group.description,
    actionGroupState: 'ENABLED',
    actionGroupExecutor: { lambda: functions[group.name].functionArn },
    functionSchema: {
      functions: group.functions.map((fn) => ({
        name: fn.name,
        description: fn.description,
        parameters: Object.fromEntries(
          Object.entries(fn.parameters).map(([name, p]) => [
            name,
            { type: p.type, description: p.description, required: p.required },
          ]),
        ),
      })),
    },
  }));
}
