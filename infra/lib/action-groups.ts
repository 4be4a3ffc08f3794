// config/action-groups.json: the one definition of the agent and its action
// groups. The stack turns it into the CfnAgent; a Rust test
// (lambdas/tests/action_groups.rs) checks it against the handlers' names.
// Checked here against Bedrock's own limits so a bad edit fails at synth,
// not halfway through a deployment.

import * as fs from 'fs';
import * as path from 'path';

export const DEFAULT_ACTION_GROUPS_PATH = path.join(__dirname, '..', '..', 'config', 'action-groups.json');

export interface ParameterDefinition {
  readonly type: 'string' | 'number' | 'integer' | 'boolean' | 'array';
  readonly description: string;
  readonly required: boolean;
}

export interface FunctionDefinition {
  readonly name: string;
  readonly description: string;
  readonly parameters: Readonly<Record<string, ParameterDefinition>>;
}

export interface ActionGroupDefinition {
  readonly name: string;
  /** The Lambda's name: also the cargo bin and the asset directory. */
  readonly lambda: string;
  readonly description: string;
  readonly functions: readonly FunctionDefinition[];
}

export interface AgentDefinition {
  readonly name: string;
  readonly description: string;
  readonly instruction: string;
  readonly foundationModel: string;
  readonly idleSessionTtlInSeconds: number;
  /** Adds Bedrock's built-in AMAZON.UserInput group (the agent may ask back). */
  readonly userInput: boolean;
}

export interface ActionGroupsDefinition {
  readonly agent: AgentDefinition;
  readonly actionGroups: readonly ActionGroupDefinition[];
}

const NAME = /^([0-9a-zA-Z][_-]?){1,100}$/;
const LAMBDA_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;
const PARAMETER_TYPES = ['string', 'number', 'integer', 'boolean', 'array'];

export function loadActionGroups(file: string = DEFAULT_ACTION_GROUPS_PATH): ActionGroupsDefinition {
  const source = path.relative(process.cwd(), file) || file;
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${source}: ${(error as Error).message}`);
  }
  return parseActionGroups(json, source);
}

export function parseActionGroups(json: unknown, source: string): ActionGroupsDefinition {
  const fail = (field: string, problem: string): never => {
    throw new Error(`${source}: ${field}: ${problem}`);
  };
  const root = record(json, 'action groups', fail);
  const agent = record(root.agent, 'agent', fail);
  const instruction = text(agent.instruction, 'agent.instruction', 40, 20000, fail);
  const definition: ActionGroupsDefinition = {
    agent: {
      name: pattern(text(agent.name, 'agent.name', 1, 100, fail), NAME, 'agent.name', fail),
      description: text(agent.description, 'agent.description', 1, 200, fail),
      instruction,
      foundationModel: text(agent.foundationModel, 'agent.foundationModel', 1, 2048, fail),
      idleSessionTtlInSeconds: integer(agent.idleSessionTtlInSeconds ?? 1800, 'agent.idleSessionTtlInSeconds', 60, 3600, fail),
      userInput: agent.userInput === undefined ? false : bool(agent.userInput, 'agent.userInput', fail),
    },
    actionGroups: list(root.actionGroups, 'actionGroups', fail).map((value, g) => {
      const at = `actionGroups[${g}]`;
      const group = record(value, at, fail);
      return {
        name: pattern(text(group.name, `${at}.name`, 1, 100, fail), NAME, `${at}.name`, fail),
        lambda: pattern(text(group.lambda, `${at}.lambda`, 1, 64, fail), LAMBDA_NAME, `${at}.lambda`, fail),
        description: text(group.description, `${at}.description`, 1, 200, fail),
        functions: list(group.functions, `${at}.functions`, fail).map((value, f) => {
          const at2 = `${at}.functions[${f}]`;
          const fn = record(value, at2, fail);
          const parameters = record(fn.parameters, `${at2}.parameters`, fail);
          return {
            name: pattern(text(fn.name, `${at2}.name`, 1, 100, fail), NAME, `${at2}.name`, fail),
            description: text(fn.description, `${at2}.description`, 1, 1200, fail),
            parameters: Object.fromEntries(
              Object.entries(parameters).map(([name, value]) => {
                const at3 = `${at2}.parameters.${name}`;
                pattern(name, NAME, at3, fail);
                const parameter = record(value, at3, fail);
                const type = text(parameter.type, `${at3}.type`, 1, 10, fail);
                if (!PARAMETER_TYPES.includes(type)) fail(`${at3}.type`, `must be one of ${PARAMETER_TYPES.join(', ')}`);
                return [
                  name,
                  {
                    type: type as ParameterDefinition['type'],
                    description: text(parameter.description, `${at3}.description`, 1, 500, fail),
                    required: bool(parameter.required, `${at3}.required`, fail),
                  },
                ];
              }),
            ),
          };
        }),
      };
    }),
  };
  if (definition.actionGroups.length === 0) fail('actionGroups', 'must not be empty');
  unique(definition.actionGroups.map((g) => g.name), 'actionGroups[].name', fail);
  unique(definition.actionGroups.map((g) => g.lambda), 'actionGroups[].lambda', fail);
  for (const group of definition.actionGroups) {
    if (group.functions.length === 0) fail(`${group.name}.functions`, 'must not be empty');
    unique(group.functions.map((f) => f.name), `${group.name}.functions[].name`, fail);
  }
  return definition;
}

type Fail = (field: string, problem: string) => never;

function record(value: unknown, at: string, fail: Fail): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail(at, 'expected an object');
  return value as Record<string, unknown>;
}

function list(value: unknown, at: string, fail: Fail): unknown[] {
  if (!Array.isArray(value)) return fail(at, 'expected an array');
  return value;
}

function text(value: unknown, at: string, min: number, max: number, fail: Fail): string {
  if (typeof value !== 'string') return fail(at, value === undefined ? 'missing' : 'expected a string');
  const length = [...value].length;
  if (length < min || length > max) return fail(at, `must be ${min} to ${max} characters long (found ${length})`);
  return value;
}

function pattern(value: string, re: RegExp, at: string, fail: Fail): string {
  if (!re.test(value)) fail(at, `"${value}" does not match ${re}`);
  return value;
}

function integer(value: unknown, at: string, min: number, max: number, fail: Fail): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    return fail(at, `expected a whole number from ${min} to ${max}`);
  }
  return value;
}

function bool(value: unknown, at: string, fail: Fail): boolean {
  if (typeof value !== 'boolean') return fail(at, 'expected true or false');
  return value;
}

function unique(values: string[], at: string, fail: Fail): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) fail(at, `"${value}" appears twice`);
    seen.add(value);
  }
}
