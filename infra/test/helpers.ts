// Shared by the assertion tests: synthesize the stack from fixtures, with
// dummy Lambda packages, under cdk.json's context (so schema validation and
// feature flags are the ones `cdk synth` uses).

import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

import { loadActionGroups } from '../lib/action-groups';
import { buildApp, cdkContext } from '../lib/app';
import { CustodianStack } from '../lib/custodian-stack';
import { KEYGEN_BIN, WEB_BIN } from '../lib/names';

export const FIXTURE_ENVIRONMENT = path.join(__dirname, 'fixtures', 'environment.json');
/** The same settings with `agentHost: agentcore-harness`. */
export const HARNESS_ENVIRONMENT = path.join(__dirname, 'fixtures', 'environment-harness.json');
/** The fake secret values in the fixture: they must appear nowhere. */
export const FAKE_SECRETS = ['FAKE-AUTH0-CLIENT-SECRET-3f9a1c7e', 'FAKE-FGA-CLIENT-SECRET-b82d44e0'];

export const definition = loadActionGroups();

const tempDirs: string[] = [];

// The run's scratch directories (synthesized templates, dummy zips) go when
// the test process ends, so repeated runs do not fill the machine's /tmp.
process.on('exit', () => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory under the system's temp dir, removed when the process exits. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** `<dir>/<bin>/bootstrap.zip` for every Lambda, with distinct dummy content. */
export function dummyAssets(): string {
  const dir = tempDir('custodian-assets-');
  const bins = [WEB_BIN, KEYGEN_BIN, ...definition.actionGroups.map((g) => g.lambda)];
  for (const bin of bins) {
    fs.mkdirSync(path.join(dir, bin));
    fs.writeFileSync(path.join(dir, bin, 'bootstrap.zip'), `dummy package for ${bin}\n`);
  }
  return dir;
}

/** A settings file derived from a fixture (the Classic one unless named) by `edit`. */
export function environmentFile(edit: (env: any) => void, fixture: string = FIXTURE_ENVIRONMENT): string {
  const env = JSON.parse(fs.readFileSync(fixture, 'utf8'));
  edit(env);
  const file = path.join(tempDir('custodian-env-'), 'environment.json');
  fs.writeFileSync(file, JSON.stringify(env, null, 2));
  return file;
}

const fixtureStacks = new Map<string, { stack: CustodianStack; template: Template }>();

/** The stack from a settings file; each fixture's is synthesized once per process. */
export function synth(environmentPath: string = FIXTURE_ENVIRONMENT): { stack: CustodianStack; template: Template } {
  const cached = fixtureStacks.get(environmentPath);
  if (cached) return cached;
  const app = new App({ context: cdkContext(), outdir: tempDir('custodian-cdk-out-') });
  const { stack } = buildApp({ app, environmentPath, assetRoot: dummyAssets() });
  const result = { stack, template: Template.fromStack(stack) };
  if (environmentPath === FIXTURE_ENVIRONMENT || environmentPath === HARNESS_ENVIRONMENT) fixtureStacks.set(environmentPath, result);
  return result;
}

/** A CloudFormation string value as text, references as `${Id}` / `${Id.Attr}`. */
export function render(value: any): string {
  if (typeof value === 'string') return value;
  if (value?.Ref) return `\${${value.Ref}}`;
  if (value?.['Fn::GetAtt']) return `\${${value['Fn::GetAtt'].join('.')}}`;
  if (value?.['Fn::Join']) return value['Fn::Join'][1].map(render).join(value['Fn::Join'][0]);
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

export type Resources = Record<string, { Type: string; Properties?: any; DependsOn?: string[] | string }>;

export function resources(template: Template, type?: string): Resources {
  const all = template.toJSON().Resources as Resources;
  return Object.fromEntries(Object.entries(all).filter(([, r]) => type === undefined || r.Type === type));
}

/** The one resource of a type whose properties satisfy `match`. */
export function only(template: Template, type: string, match: (props: any) => boolean = () => true): [string, any] {
  const found = Object.entries(resources(template, type)).filter(([, r]) => match(r.Properties ?? {}));
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${type}, found ${found.length}: ${found.map(([id]) => id).join(', ')}`);
  }
  return [found[0][0], found[0][1].Properties];
}

/** The logical id of the Lambda function with this FunctionName. */
export function functionId(template: Template, name: string): string {
  return only(template, 'AWS::Lambda::Function', (p) => p.FunctionName === name)[0];
}

/** Every logical id a value refers to (Ref, Fn::GetAtt, ${…} in Fn::Sub). */
export function references(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    value.forEach((v) => references(v, into));
  } else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      if (key === 'Ref' && typeof inner === 'string') into.add(inner);
      else if (key === 'Fn::GetAtt') into.add(Array.isArray(inner) ? String(inner[0]) : String(inner).split('.')[0]);
      else if (key === 'Fn::Sub') {
        const text = Array.isArray(inner) ? String(inner[0]) : String(inner);
        for (const m of text.matchAll(/\$\{([^}!.]+)[^}]*\}/g)) into.add(m[1]);
        if (Array.isArray(inner)) references(inner[1], into);
      } else references(inner, into);
    }
  }
  return into;
}

export interface Statement {
  owner: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/** Every allow statement of every identity policy, with the role it belongs to. */
export function statements(t: Template): Statement[] {
  const out: Statement[] = [];
  const add = (owner: string, document: any) => {
    for (const s of document?.Statement ?? []) out.push({ owner, ...s });
  };
  for (const [id, r] of Object.entries(resources(t))) {
    if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') {
      const roles: any[] = r.Properties.Roles ?? [];
      add(roles.map((role) => role.Ref).join(',') || id, r.Properties.PolicyDocument);
    }
    if (r.Type === 'AWS::IAM::Role') {
      for (const p of r.Properties.Policies ?? []) add(id, p.PolicyDocument);
    }
  }
  return out;
}

export const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
export const resourceList = (s: Statement) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);

/** The logical id of a Lambda function's role. */
export function roleOf(t: Template, name: string): string {
  const fn = resources(t, 'AWS::Lambda::Function')[functionId(t, name)];
  return fn.Properties.Role['Fn::GetAtt'][0];
}

export function statementsOf(t: Template, role: string): Statement[] {
  return statements(t).filter((s) => s.owner.split(',').includes(role));
}

export function allowedActions(t: Template, role: string): string[] {
  return statementsOf(t, role).flatMap(actions).sort();
}

/** Actions every Rust Lambda's role holds: writing its own log group. */
export const LOG_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
/**
 * What each role may do on each table, written out here rather than read
 * from the stack, so a widened grant fails the tests: the BFF everything
 * it calls but Scan; the groups action reads and writes audit entries; the
 * approval action writes its step-up, limit and audit items.
 */
export const STORE_ACCESS_BY_ROLE: Record<
  string,
  { sessions: string[]; conversations: string[]; sessionsByOwner: string[] }
> = {
  'custodian-web': {
    sessions: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    conversations: ['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
    sessionsByOwner: ['dynamodb:Query'],
  },
  'okta-operations': { sessions: ['dynamodb:GetItem'], conversations: ['dynamodb:PutItem'], sessionsByOwner: [] },
  'ciba-authentication': {
    sessions: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    conversations: ['dynamodb:PutItem'],
    sessionsByOwner: [],
  },
};

/** Every store action a function's role holds, once per table or index that has it. */
export function storeActionsOf(functionName: string): string[] {
  const access = STORE_ACCESS_BY_ROLE[functionName];
  return [...access.sessions, ...access.conversations, ...access.sessionsByOwner].sort();
}

/** The actions a role holds on one index of a table, by the table's logical id. */
export function indexActions(t: Template, role: string, tableId: string, index: string): string[] {
  const onIndex = (r: any) => {
    const parts = r['Fn::Join']?.[1];
    return (
      Array.isArray(parts) &&
      parts.length === 2 &&
      parts[0]['Fn::GetAtt']?.[0] === tableId &&
      parts[1] === `/index/${index}`
    );
  };
  return statementsOf(t, role)
    .filter((s) => resourceList(s).some(onIndex))
    .flatMap(actions)
    .sort();
}

/** The table actions a role holds on one table, by the table's logical id. */
export function tableActions(t: Template, role: string, tableId: string): string[] {
  return statementsOf(t, role)
    .filter((s) => resourceList(s).some((r: any) => r['Fn::GetAtt']?.[0] === tableId))
    .flatMap(actions)
    .sort();
}

/** A role's statements as text, for matching ARNs that hold references. */
export interface RenderedStatement {
  actions: string[];
  resources: string;
  condition: string;
}

/**
 * The model is invoked through the `us.` profile, and the foundation model
 * behind it in any region but only through that profile: no region list
 * that goes stale when AWS adds a destination.
 */
export function assertModelThroughProfileOnly(rendered: RenderedStatement[]): void {
  const invoke = rendered.filter((s) => s.actions.includes('bedrock:InvokeModel'));
  assert.equal(invoke.length, 2, JSON.stringify(invoke));
  const [profile, model] = [
    invoke.find((s) => s.resources.includes(':inference-profile/')),
    invoke.find((s) => s.resources.includes('foundation-model')),
  ];
  assert.ok(profile && model, JSON.stringify(invoke));
  assert.deepEqual(profile.actions, ['bedrock:GetInferenceProfile', 'bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream']);
  assert.deepEqual(model.actions, ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream']);
  assert.ok(profile.resources.includes(':inference-profile/us.amazon.nova-pro-v1:0'));
  assert.equal(profile.condition, 'null');
  assert.ok(!profile.resources.includes('foundation-model'));
  assert.match(model.resources, /:bedrock:\*::foundation-model\/amazon\.nova-pro-v1:0"/);
  assert.ok(!model.resources.includes('inference-profile'));
  const condition = JSON.parse(model.condition);
  assert.deepEqual(Object.keys(condition), ['StringEquals']);
  assert.deepEqual(Object.keys(condition.StringEquals), ['bedrock:InferenceProfileArn']);
  assert.match(JSON.stringify(condition.StringEquals['bedrock:InferenceProfileArn']), /:inference-profile\/us\.amazon\.nova-pro-v1:0/);
}
