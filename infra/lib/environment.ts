// Reads config/environment.json, the seed project's settings file, and keeps
// only what the stack needs. Secret fields are accepted (the same file feeds
// the app-credentials secret, see README) but never leave this module: the
// returned object has no place for them, so they cannot reach the template.
//
// Field names and rules follow the Rust settings (config/README.md): unknown
// fields are errors, and every error names the file and the field's path.

import * as fs from 'fs';
import * as path from 'path';

/** Overrides the settings file's path (tests use fixtures). */
export const ENVIRONMENT_VAR = 'CUSTODIAN_ENVIRONMENT';
export const DEFAULT_ENVIRONMENT_PATH = path.join(__dirname, '..', '..', 'config', 'environment.json');

export const DEFAULT_TABLE_NAME = 'bedrock-sessions';
export const DEFAULT_CONVERSATIONS_TABLE_NAME = 'custodian-conversations';
export const DEFAULT_KEY_SECRET_NAME = 'token-encryption-key';
export const DEFAULT_REGION = 'us-east-1';

/** Which service runs the agent (config/README.md, `agentHost`). */
export const AGENT_HOSTS = ['bedrock-agent', 'agentcore-harness'] as const;
export type AgentHost = (typeof AGENT_HOSTS)[number];
export const DEFAULT_AGENT_HOST: AgentHost = 'bedrock-agent';

/** What the stack deploys from the settings file. No secrets, by design. */
export interface EnvironmentConfig {
  readonly source: string;
  readonly region: string;
  /** Classic agent + alias + action-group Lambdas, or an AgentCore harness. */
  readonly agentHost: AgentHost;
  readonly auth0: {
    readonly domain: string;
    readonly clientId: string;
    readonly connectionName: string;
    readonly audience?: string;
    readonly cibaExpirySeconds?: number;
    readonly idTokenAlgorithms?: string;
    readonly requireVerifiedEmail?: boolean;
    readonly guardianEnrollmentUrl?: string;
    /** The canonical tenant domain, for the Management API behind a custom domain. */
    readonly managementDomain?: string;
  };
  readonly fga: {
    readonly clientId: string;
    readonly storeId: string;
    readonly modelId: string;
    readonly apiUrl?: string;
    readonly tokenUrl?: string;
    readonly audience?: string;
  };
  readonly okta: {
    readonly domain: string;
    readonly resetSendsEmail?: boolean;
  };
  readonly app: {
    readonly sessionIdleMinutes?: number;
    readonly sessionAbsoluteHours?: number;
    readonly turnDeadlineSeconds?: number;
  };
  /** Rate limits (config/README.md, `limits`); unset ones keep the app's defaults. */
  readonly limits: {
    readonly stepUpPushesPerMinute?: number;
    readonly pendingStepUps?: number;
    readonly signInsPerMinute?: number;
    readonly chatTurnsPerMinute?: number;
    readonly conversationsPerUser?: number;
    readonly messagesPerConversation?: number;
  };
  /** The stored audit log (config/README.md, `audit`); unset keeps 90 days. */
  readonly audit: {
    readonly retentionDays?: number;
  };
  /** Time-limited access (config/README.md, `elevation`); unset keeps `["1h"]`. */
  readonly elevation: {
    readonly durations?: readonly string[];
  };
  /** Resets that need a second approval (config/README.md, `dualControl`);
   * unset or empty keeps dual control off. */
  readonly dualControl: {
    readonly privilegedGroups?: readonly string[];
  };
  readonly tableName: string;
  readonly conversationsTableName: string;
  readonly keySecretName: string;
  /** Where the alarms notify: a new topic with this email, or an existing topic. */
  readonly alarms: { readonly email?: string; readonly topicArn?: string };
}

export class EnvironmentError extends Error {
  constructor(source: string, field: string, problem: string) {
    super(`${source}: ${field ? `${field}: ` : ''}${problem}`);
    this.name = 'EnvironmentError';
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Section = { [key: string]: Json };

/** Loads the file named by CUSTODIAN_ENVIRONMENT, else config/environment.json. */
export function loadEnvironment(file: string = process.env[ENVIRONMENT_VAR] || DEFAULT_ENVIRONMENT_PATH): EnvironmentConfig {
  const source = path.relative(process.cwd(), file) || file;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const hint = `copy config/environment.example.json to config/environment.json and fill it in, or set ${ENVIRONMENT_VAR}`;
    throw new EnvironmentError(source, '', `cannot read the settings file (${(error as Error).message}); ${hint}`);
  }
  let json: Json;
  try {
    json = JSON.parse(text) as Json;
  } catch (error) {
    throw new EnvironmentError(source, '', `not valid JSON (${(error as Error).message})`);
  }
  return parseEnvironment(json, source);
}

export function parseEnvironment(json: unknown, source: string): EnvironmentConfig {
  const fail = (field: string, problem: string): never => {
    throw new EnvironmentError(source, field, problem);
  };
  const root = object(json as Json, '', fail, true);
  only(root, '', ['agentHost', 'auth0', 'fga', 'okta', 'bedrock', 'harness', 'app', 'limits', 'audit', 'elevation', 'dualControl', 'store', 'sealing', 'alarms'], fail);
  const agentHost = agentHostOf(root, fail);

  const auth0 = object(root.auth0, 'auth0', fail, true);
  only(
    auth0,
    'auth0',
    [
      'domain',
      'clientId',
      'clientSecret',
      'connectionName',
      'audience',
      'cibaExpirySeconds',
      'idTokenAlgorithms',
      'requireVerifiedEmail',
      'guardianEnrollmentUrl',
      'managementDomain',
    ],
    fail,
  );
  optionalString(auth0, 'auth0', 'clientSecret', fail);

  const fga = object(root.fga, 'fga', fail, true);
  only(fga, 'fga', ['clientId', 'clientSecret', 'storeId', 'modelId', 'apiUrl', 'tokenUrl', 'audience'], fail);
  optionalString(fga, 'fga', 'clientSecret', fail);

  const okta = object(root.okta, 'okta', fail, true);
  only(okta, 'okta', ['domain', 'resetSendsEmail'], fail);

  // The stack creates the agent and its alias, and knows its own URL: ids,
  // endpoint and base URL in the file are for other deployments and ignored.
  const bedrock = object(root.bedrock, 'bedrock', fail, false);
  only(bedrock, 'bedrock', ['region', 'agentId', 'agentAliasId', 'endpoint'], fail);
  // Likewise the harness: the stack creates it, in bedrock.region.
  const harness = object(root.harness, 'harness', fail, false);
  only(harness, 'harness', ['harnessArn', 'region', 'qualifier', 'endpoint'], fail);
  const app = object(root.app, 'app', fail, false);
  only(app, 'app', ['baseUrl', 'dataDir', 'sessionIdleMinutes', 'sessionAbsoluteHours', 'turnDeadlineSeconds'], fail);

  const store = object(root.store, 'store', fail, false);
  only(store, 'store', ['kind', 'table', 'conversationsTable', 'endpoint'], fail);
  const kind = optionalString(store, 'store', 'kind', fail);
  if (kind !== undefined && kind !== 'dynamodb') {
    fail('store.kind', `must be "dynamodb" in AWS (found "${kind}")`);
  }
  if (store.endpoint !== undefined) {
    fail('store.endpoint', 'not supported in AWS: the Lambdas use the regional DynamoDB endpoint');
  }

  const sealing = object(root.sealing, 'sealing', fail, false);
  only(sealing, 'sealing', ['secretId', 'keyFile'], fail);
  if (sealing.keyFile !== undefined) {
    fail('sealing.keyFile', 'not supported in AWS: the key lives in Secrets Manager (use sealing.secretId)');
  }

  const region = optionalString(bedrock, 'bedrock', 'region', fail) ?? process.env.CDK_DEFAULT_REGION ?? DEFAULT_REGION;
  if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(region)) {
    fail('bedrock.region', `not an AWS region: "${region}"`);
  }

  return {
    source,
    region,
    agentHost,
    auth0: {
      domain: domain(auth0, 'auth0', 'domain', fail),
      clientId: requiredString(auth0, 'auth0', 'clientId', fail),
      connectionName: requiredString(auth0, 'auth0', 'connectionName', fail),
      audience: optionalString(auth0, 'auth0', 'audience', fail),
      cibaExpirySeconds: optionalInteger(auth0, 'auth0', 'cibaExpirySeconds', 1, 300, fail),
      idTokenAlgorithms: algorithms(auth0, 'auth0', 'idTokenAlgorithms', fail),
      requireVerifiedEmail: optionalBoolean(auth0, 'auth0', 'requireVerifiedEmail', fail),
      guardianEnrollmentUrl: notPlaceholder(optionalUrl(auth0, 'auth0', 'guardianEnrollmentUrl', fail), 'auth0.guardianEnrollmentUrl', fail),
      managementDomain: optionalDomain(auth0, 'auth0', 'managementDomain', fail),
    },
    fga: {
      clientId: requiredString(fga, 'fga', 'clientId', fail),
      storeId: requiredString(fga, 'fga', 'storeId', fail),
      modelId: requiredString(fga, 'fga', 'modelId', fail),
      apiUrl: optionalUrl(fga, 'fga', 'apiUrl', fail),
      tokenUrl: optionalUrl(fga, 'fga', 'tokenUrl', fail),
      audience: optionalString(fga, 'fga', 'audience', fail),
    },
    okta: {
      domain: domain(okta, 'okta', 'domain', fail),
      resetSendsEmail: optionalBoolean(okta, 'okta', 'resetSendsEmail', fail),
    },
    app: {
      sessionIdleMinutes: optionalInteger(app, 'app', 'sessionIdleMinutes', 1, 24 * 60, fail),
      sessionAbsoluteHours: optionalInteger(app, 'app', 'sessionAbsoluteHours', 1, 24 * 30, fail),
      turnDeadlineSeconds: optionalInteger(app, 'app', 'turnDeadlineSeconds', 1, 240, fail),
    },
    limits: limitsOf(object(root.limits, 'limits', fail, false), fail),
    audit: auditOf(object(root.audit, 'audit', fail, false), fail),
    elevation: elevationOf(object(root.elevation, 'elevation', fail, false), fail),
    dualControl: dualControlOf(object(root.dualControl, 'dualControl', fail, false), fail),
    tableName: resourceName(store, 'store', 'table', DEFAULT_TABLE_NAME, TABLE_NAME, fail),
    conversationsTableName: resourceName(store, 'store', 'conversationsTable', DEFAULT_CONVERSATIONS_TABLE_NAME, TABLE_NAME, fail),
    keySecretName: resourceName(sealing, 'sealing', 'secretId', DEFAULT_KEY_SECRET_NAME, /^[A-Za-z0-9/_+=.@-]{1,512}$/, fail),
    alarms: alarmsOf(object(root.alarms, 'alarms', fail, false), fail),
  };
}

/** The same ranges the app checks at start-up (core/src/settings/limits.rs). */
function limitsOf(limits: Section, fail: Fail): EnvironmentConfig['limits'] {
  only(limits, 'limits', ['stepUpPushesPerMinute', 'pendingStepUps', 'signInsPerMinute', 'chatTurnsPerMinute', 'conversationsPerUser', 'messagesPerConversation'], fail);
  const most = 2 ** 32 - 1;
  return {
    stepUpPushesPerMinute: optionalInteger(limits, 'limits', 'stepUpPushesPerMinute', 1, most, fail),
    pendingStepUps: optionalInteger(limits, 'limits', 'pendingStepUps', 1, 10, fail),
    signInsPerMinute: optionalInteger(limits, 'limits', 'signInsPerMinute', 1, most, fail),
    chatTurnsPerMinute: optionalInteger(limits, 'limits', 'chatTurnsPerMinute', 1, most, fail),
    conversationsPerUser: optionalInteger(limits, 'limits', 'conversationsPerUser', 1, most, fail),
    messagesPerConversation: optionalInteger(limits, 'limits', 'messagesPerConversation', 1, most, fail),
  };
}

/** The range the app checks at start-up (core/src/settings/audit.rs). */
function auditOf(audit: Section, fail: Fail): EnvironmentConfig['audit'] {
  only(audit, 'audit', ['retentionDays'], fail);
  return { retentionDays: optionalInteger(audit, 'audit', 'retentionDays', 1, 3650, fail) };
}

/** The durations the app accepts at start-up (core/src/settings/elevation.rs):
 * a list, or a comma-separated string as in its environment variable; 1 to 4
 * of them, each from 10 seconds to 12 hours. */
function elevationOf(elevation: Section, fail: Fail): EnvironmentConfig['elevation'] {
  only(elevation, 'elevation', ['durations'], fail);
  const value = elevation.durations;
  if (value === undefined || value === null) return {};
  const field = 'elevation.durations';
  let written: Json[];
  if (typeof value === 'string') written = value.split(',');
  else if (Array.isArray(value)) written = value;
  else return fail(field, `expected a list of durations such as ["1h", "4h"], found ${describe(value)}`);
  const durations: string[] = [];
  for (const item of written) {
    if (typeof item !== 'string') return fail(field, `expected a list of durations such as ["1h", "4h"], found ${describe(item)} in it`);
    const text = item.trim();
    if (text === '') continue;
    const seconds = durationSeconds(text);
    if (seconds === undefined) return fail(field, `"${text}" is not a duration such as "30m" or "1h"`);
    if (seconds < MIN_ELEVATION_SECONDS || seconds > MAX_ELEVATION_SECONDS) return fail(field, `"${text}" must be between 10s and 12h`);
    durations.push(text);
  }
  if (durations.length < 1 || durations.length > MAX_ELEVATION_CHOICES) {
    return fail(field, `must list 1 to ${MAX_ELEVATION_CHOICES} durations, e.g. ["1h", "4h"]`);
  }
  return { durations };
}

const MIN_ELEVATION_SECONDS = 10;
const MAX_ELEVATION_SECONDS = 12 * 3600;
const MAX_ELEVATION_CHOICES = 4;

/** Seconds per unit, in the spellings humantime reads (longest first, so a
 * regex alternation never stops at a prefix: `min` before `m`). */
const DURATION_UNITS: [string, number][] = [
  ['seconds', 1], ['second', 1], ['secs', 1], ['sec', 1], ['s', 1],
  ['minutes', 60], ['minute', 60], ['mins', 60], ['min', 60], ['m', 60],
  ['hours', 3600], ['hour', 3600], ['hrs', 3600], ['hr', 3600], ['h', 3600],
];
const DURATION_GROUP = `(\\d+)\\s*(${DURATION_UNITS.map(([unit]) => unit).join('|')})`;
const DURATION = new RegExp(`^(?:${DURATION_GROUP}\\s*)+$`);

/** `"1h 30m"` → 5400; undefined for anything else (`"soon"`, `"1"`, `"1d"`).
 * Whole numbers of seconds, minutes and hours only: the part of humantime's
 * syntax that makes sense between 10 s and 12 h. */
export function durationSeconds(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(new RegExp(DURATION_GROUP, 'g'))) {
    seconds += Number(amount) * DURATION_UNITS.find(([name]) => name === unit)![1];
  }
  return seconds;
}

/** The Okta group names the app accepts at start-up
 * (core/src/settings/dual_control.rs): a list, or a comma-separated string as
 * in its environment variable; each at most Okta's 255 characters. Stricter
 * than the app in two ways: a blank name is refused rather than dropped (a
 * list of blanks would quietly turn dual control off), and so is a name with
 * a comma, which the comma-separated environment variable the Lambdas read
 * cannot carry. An empty list keeps dual control off. */
function dualControlOf(dualControl: Section, fail: Fail): EnvironmentConfig['dualControl'] {
  only(dualControl, 'dualControl', ['privilegedGroups'], fail);
  const value = dualControl.privilegedGroups;
  if (value === undefined || value === null) return {};
  const field = 'dualControl.privilegedGroups';
  const expected = 'expected a list of Okta group names such as ["IT Admins"]';
  let written: Json[];
  if (typeof value === 'string') written = value.trim() === '' ? [] : value.split(',');
  else if (Array.isArray(value)) written = value;
  else return fail(field, `${expected}, found ${describe(value)}`);
  const groups: string[] = [];
  for (const item of written) {
    if (typeof item !== 'string') return fail(field, `${expected}, found ${describe(item)} in it`);
    const name = item.trim();
    if (name === '') return fail(field, 'has a blank group name; remove it (an empty list turns dual control off)');
    if (name.includes(',')) {
      return fail(field, `"${name}" contains a comma, which ${DUAL_CONTROL_VAR} (comma-separated) cannot carry; rename the group in Okta`);
    }
    const length = [...name].length;
    if (length > MAX_GROUP_NAME_CHARS) {
      return fail(field, `"${[...name].slice(0, 40).join('')}…" is longer than Okta's ${MAX_GROUP_NAME_CHARS} characters (${length})`);
    }
    groups.push(name);
  }
  return groups.length === 0 ? {} : { privilegedGroups: groups };
}

/** The variable the Lambdas read `dualControl.privilegedGroups` from. */
export const DUAL_CONTROL_VAR = 'CUSTODIAN__DUAL_CONTROL__PRIVILEGED_GROUPS';
const MAX_GROUP_NAME_CHARS = 255;

/** `alarms.email` (a new topic subscribes it) or `alarms.topicArn`, not both. */
function alarmsOf(alarms: Section, fail: Fail): EnvironmentConfig['alarms'] {
  only(alarms, 'alarms', ['email', 'topicArn'], fail);
  const email = notPlaceholder(optionalString(alarms, 'alarms', 'email', fail), 'alarms.email', fail);
  const topicArn = optionalString(alarms, 'alarms', 'topicArn', fail);
  if (email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) fail('alarms.email', `not an email address: "${email}"`);
  if (topicArn !== undefined && !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(topicArn)) {
    fail('alarms.topicArn', `not an SNS topic ARN: "${topicArn}"`);
  }
  if (email !== undefined && topicArn !== undefined) fail('alarms', 'set email or topicArn, not both');
  return { email, topicArn };
}

/** Optional fields the example file fills in: keep them only once they are real. */
function notPlaceholder(value: string | undefined, field: string, fail: Fail): string | undefined {
  if (value !== undefined && /your[_-]/i.test(value)) {
    fail(field, `still the example placeholder "${value}"; set it or remove the field`);
  }
  return value;
}

type Fail = (field: string, problem: string) => never;

function agentHostOf(root: Section, fail: Fail): AgentHost {
  const value = root.agentHost;
  if (value === undefined || value === null) return DEFAULT_AGENT_HOST;
  if (typeof value !== 'string') return fail('agentHost', `expected a string, found ${describe(value)}`);
  const host = AGENT_HOSTS.find((h) => h === value);
  return host ?? fail('agentHost', `must be ${AGENT_HOSTS.map((h) => `"${h}"`).join(' or ')} (found "${value}")`);
}

const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

function describe(value: Json | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function object(value: Json | undefined, field: string, fail: Fail, required: boolean): Section {
  if (value === undefined && !required) return {};
  if (value === undefined) return fail(field, 'missing');
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail(field, `expected an object, found ${describe(value)}`);
  }
  return value;
}

function only(section: Section, at: string, known: string[], fail: Fail): void {
  for (const key of Object.keys(section)) {
    if (!known.includes(key)) {
      fail(at ? `${at}.${key}` : key, `unknown field (expected one of: ${known.join(', ')})`);
    }
  }
}

function optionalString(section: Section, at: string, key: string, fail: Fail): string | undefined {
  const value = section[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return fail(`${at}.${key}`, `expected a string, found ${describe(value)}`);
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function requiredString(section: Section, at: string, key: string, fail: Fail): string {
  const value = optionalString(section, at, key, fail);
  if (value === undefined) return fail(`${at}.${key}`, section[key] === undefined ? 'missing' : 'must not be empty');
  if (/(^|[/.])your[_-]/i.test(value)) return fail(`${at}.${key}`, `still the example placeholder "${value}"`);
  return value;
}

function optionalInteger(section: Section, at: string, key: string, min: number, max: number, fail: Fail): number | undefined {
  let value = section[key];
  if (value === undefined || value === null) return undefined;
  // Like the Rust loader, accept numbers written as text ("45").
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) value = Number(value.trim());
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    return fail(`${at}.${key}`, `expected a whole number, found ${describe(value)}`);
  }
  if (value < min || value > max) return fail(`${at}.${key}`, `must be between ${min} and ${max} (found ${value})`);
  return value;
}

function optionalBoolean(section: Section, at: string, key: string, fail: Fail): boolean | undefined {
  const value = section[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') return fail(`${at}.${key}`, `expected true or false, found ${describe(value)}`);
  return value;
}

/** The JWS algorithms the Rust loader accepts (never `none`), passed on as
 * the comma-separated form its environment variable takes. */
const SIGNING_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'HS256', 'HS384', 'HS512'];

function algorithms(section: Section, at: string, key: string, fail: Fail): string | undefined {
  const value = section[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string')) {
    return fail(`${at}.${key}`, 'expected a non-empty list of algorithm names, e.g. ["RS256"]');
  }
  const unknown = (value as string[]).find((name) => !SIGNING_ALGORITHMS.includes(name));
  if (unknown !== undefined) {
    return fail(`${at}.${key}`, `"${unknown}" is not a signing algorithm; use one of ${SIGNING_ALGORITHMS.join(', ')}`);
  }
  return (value as string[]).join(',');
}

/** A bare host (https implied) or an http(s) URL; kept as written. */
function domain(section: Section, at: string, key: string, fail: Fail): string {
  const value = requiredString(section, at, key, fail);
  const candidate = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
  checkUrl(candidate, `${at}.${key}`, fail);
  return value;
}

function optionalDomain(section: Section, at: string, key: string, fail: Fail): string | undefined {
  return optionalString(section, at, key, fail) === undefined ? undefined : domain(section, at, key, fail);
}

function optionalUrl(section: Section, at: string, key: string, fail: Fail): string | undefined {
  const value = optionalString(section, at, key, fail);
  if (value !== undefined) checkUrl(value, `${at}.${key}`, fail);
  return value;
}

function checkUrl(value: string, field: string, fail: Fail): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail(field, `not a valid URL or host: "${value}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail(field, `must be an http or https URL (found ${url.protocol})`);
  if (url.username || url.password) fail(field, 'must not contain credentials');
  if (url.search || url.hash) fail(field, 'must not contain a query or fragment');
  if (!url.hostname) fail(field, 'has no host');
}

function resourceName(section: Section, at: string, key: string, fallback: string, pattern: RegExp, fail: Fail): string {
  const value = optionalString(section, at, key, fail) ?? fallback;
  if (!pattern.test(value)) fail(`${at}.${key}`, `not a valid name: "${value}"`);
  return value;
}
