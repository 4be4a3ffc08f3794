// The Rust Lambdas: arm64 on provided.al2023, code from the packaged zips,
// logs in explicit log groups with a retention.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { HARNESS_ENVIRONMENT, definition, environmentFile, functionId, resources, synth } from './helpers';
import { KEYGEN_FUNCTION, WEB_FUNCTION } from '../lib/names';

const { template } = synth();
const rust = [WEB_FUNCTION, KEYGEN_FUNCTION, ...definition.actionGroups.map((g) => g.lambda)];

test('every Rust Lambda is arm64 on provided.al2023 with the bootstrap handler', () => {
  for (const name of rust) {
    const props = resources(template, 'AWS::Lambda::Function')[functionId(template, name)].Properties;
    assert.deepEqual(props.Architectures, ['arm64'], name);
    assert.equal(props.Runtime, 'provided.al2023', name);
    assert.equal(props.Handler, 'bootstrap', name);
    assert.match(props.Code.S3Key, /\.zip$/, name);
  }
});

test('the only other function is the custom-resource framework CDK provides', () => {
  const others = Object.values(resources(template, 'AWS::Lambda::Function')).filter(
    (f) => !rust.includes(f.Properties.FunctionName),
  );
  assert.deepEqual(
    others.map((f) => f.Properties.Handler),
    ['framework.onEvent'],
  );
});

test('every function logs to its own log group with a retention', () => {
  const groups = resources(template, 'AWS::Logs::LogGroup');
  for (const [id, fn] of Object.entries(resources(template, 'AWS::Lambda::Function'))) {
    const ref = fn.Properties.LoggingConfig?.LogGroup?.Ref;
    assert.ok(ref && groups[ref], `${id} has no explicit log group`);
    assert.ok(groups[ref].Properties.RetentionInDays > 0, `${ref} keeps logs forever`);
  }
  for (const name of rust) {
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: `/aws/lambda/${name}` });
  }
  // The deprecated logRetention option would add this custom resource.
  assert.deepEqual(resources(template, 'Custom::LogRetention'), {});
});

test('the BFF gets the Leptos site settings and the stage handling it needs', () => {
  const env = resources(template, 'AWS::Lambda::Function')[functionId(template, WEB_FUNCTION)].Properties.Environment.Variables;
  assert.equal(env.LEPTOS_OUTPUT_NAME, 'custodian');
  assert.equal(env.LEPTOS_SITE_ROOT, '/var/task/site');
  assert.equal(env.LEPTOS_SITE_PKG_DIR, 'pkg');
  // lambda_http would strip the stage if the variable existed at all; the
  // BFF strips the base URL's path itself (server/src/middleware/base_path.rs).
  assert.ok(!('AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH' in env));
  assert.equal(env.CUSTODIAN_CONFIG, '/var/task/config/lambda.json');
  assert.equal(env.CUSTODIAN__STORE__KIND, 'dynamodb');
  assert.equal(env.CUSTODIAN__APP__SESSION_IDLE_MINUTES, '45');
  for (const key of ['CUSTODIAN__BEDROCK__AGENT_ID', 'CUSTODIAN__BEDROCK__AGENT_ALIAS_ID', 'CUSTODIAN__SEALING__SECRET_ID', 'CUSTODIAN_CREDENTIALS_SECRET']) {
    assert.equal(typeof env[key], 'object', `${key} should come from the stack`);
  }
});

test('settings from the file that the stack decides itself are ignored', () => {
  const text = JSON.stringify(template.toJSON());
  for (const ignored of ['IGNOREDAGENT', 'IGNOREDALIAS', 'ignored.example.com']) {
    assert.ok(!text.includes(ignored), ignored);
  }
});

test('action-group Lambdas are not given the agent\'s ids (the agent refers to them: a cycle)', () => {
  for (const group of definition.actionGroups) {
    const env = resources(template, 'AWS::Lambda::Function')[functionId(template, group.lambda)].Properties.Environment.Variables;
    assert.deepEqual(Object.keys(env).filter((k) => k.startsWith('CUSTODIAN__BEDROCK__')), [], group.lambda);
    assert.equal(env.CUSTODIAN__AUTH0__CLIENT_ID, 'test-auth0-client-id');
    assert.ok(env.CUSTODIAN_CREDENTIALS_SECRET.Ref, group.lambda);
  }
});

test('the chat turn\'s deadline reaches the BFF and the action-group Lambdas alike (it bounds the capability both read)', () => {
  const { template: custom } = synth(environmentFile((env) => (env.app.turnDeadlineSeconds = 90)));
  const functions = resources(custom, 'AWS::Lambda::Function');
  for (const name of [WEB_FUNCTION, ...definition.actionGroups.map((g) => g.lambda)]) {
    assert.equal(functions[functionId(custom, name)].Properties.Environment.Variables.CUSTODIAN__APP__TURN_DEADLINE_SECONDS, '90', name);
  }
});

test('ID-token and reset settings from the file reach the Lambdas in the form the Rust loader reads', () => {
  const file = environmentFile((env) => {
    env.auth0.idTokenAlgorithms = ['RS256', 'PS256'];
    env.auth0.requireVerifiedEmail = false;
    env.okta.resetSendsEmail = true;
    env.auth0.guardianEnrollmentUrl = 'https://it.example.com/enrol-phone';
    env.auth0.managementDomain = 'example-corp.eu.auth0.com';
  });
  const { template: custom } = synth(file);
  const env = resources(custom, 'AWS::Lambda::Function')[functionId(custom, WEB_FUNCTION)].Properties.Environment.Variables;
  assert.equal(env.CUSTODIAN__AUTH0__ID_TOKEN_ALGORITHMS, 'RS256,PS256');
  assert.equal(env.CUSTODIAN__AUTH0__REQUIRE_VERIFIED_EMAIL, 'false');
  assert.equal(env.CUSTODIAN__OKTA__RESET_SENDS_EMAIL, 'true');
  assert.equal(env.CUSTODIAN__AUTH0__MANAGEMENT_DOMAIN, 'example-corp.eu.auth0.com');
  // The step-up starts in the action-group Lambda and is polled by the BFF:
  // both may have to explain a missing Guardian enrolment.
  for (const name of [WEB_FUNCTION, 'ciba-authentication']) {
    const vars = resources(custom, 'AWS::Lambda::Function')[functionId(custom, name)].Properties.Environment.Variables;
    assert.equal(vars.CUSTODIAN__AUTH0__GUARDIAN_ENROLLMENT_URL, 'https://it.example.com/enrol-phone', name);
  }
  const plain = resources(template, 'AWS::Lambda::Function')[functionId(template, WEB_FUNCTION)].Properties.Environment.Variables;
  assert.equal(plain.CUSTODIAN__AUTH0__GUARDIAN_ENROLLMENT_URL, undefined);
});

test('limits from the file reach the BFF and the step-up Lambda; unset ones keep the app defaults', () => {
  const file = environmentFile((env) => {
    env.limits = { stepUpPushesPerMinute: 3, pendingStepUps: 2, signInsPerMinute: 60, chatTurnsPerMinute: 10, conversationsPerUser: 40, messagesPerConversation: 200 };
  });
  const { template: custom } = synth(file);
  // The push starts in the action-group Lambda (Classic) or the BFF (harness).
  for (const name of [WEB_FUNCTION, 'ciba-authentication']) {
    const vars = resources(custom, 'AWS::Lambda::Function')[functionId(custom, name)].Properties.Environment.Variables;
    assert.equal(vars.CUSTODIAN__LIMITS__STEP_UP_PUSHES_PER_MINUTE, '3', name);
    assert.equal(vars.CUSTODIAN__LIMITS__PENDING_STEP_UPS, '2', name);
    assert.equal(vars.CUSTODIAN__LIMITS__SIGN_INS_PER_MINUTE, '60', name);
    assert.equal(vars.CUSTODIAN__LIMITS__CHAT_TURNS_PER_MINUTE, '10', name);
    assert.equal(vars.CUSTODIAN__LIMITS__CONVERSATIONS_PER_USER, '40', name);
    assert.equal(vars.CUSTODIAN__LIMITS__MESSAGES_PER_CONVERSATION, '200', name);
  }
  const plain = resources(template, 'AWS::Lambda::Function')[functionId(template, WEB_FUNCTION)].Properties.Environment.Variables;
  assert.deepEqual(Object.keys(plain).filter((k) => k.startsWith('CUSTODIAN__LIMITS__')), []);
});

test("the audit log's retention from the file reaches every function that writes entries", () => {
  const { template: custom } = synth(environmentFile((env) => (env.audit = { retentionDays: 400 })));
  for (const name of [WEB_FUNCTION, 'okta-operations', 'ciba-authentication']) {
    const vars = resources(custom, 'AWS::Lambda::Function')[functionId(custom, name)].Properties.Environment.Variables;
    assert.equal(vars.CUSTODIAN__AUDIT__RETENTION_DAYS, '400', name);
  }
  const plain = resources(template, 'AWS::Lambda::Function')[functionId(template, WEB_FUNCTION)].Properties.Environment.Variables;
  assert.equal(plain.CUSTODIAN__AUDIT__RETENTION_DAYS, undefined);
});

test('elevation durations from the file reach the BFF alone, comma-separated', () => {
  const { template: custom } = synth(environmentFile((env) => (env.elevation = { durations: ['1h', '4h'] })));
  const functions = resources(custom, 'AWS::Lambda::Function');
  assert.equal(functions[functionId(custom, WEB_FUNCTION)].Properties.Environment.Variables.CUSTODIAN__ELEVATION__DURATIONS, '1h,4h');
  // The action groups never offer or grant access.
  for (const group of definition.actionGroups) {
    const vars = functions[functionId(custom, group.lambda)].Properties.Environment.Variables;
    assert.equal(vars.CUSTODIAN__ELEVATION__DURATIONS, undefined, group.lambda);
  }
  const plain = resources(template, 'AWS::Lambda::Function')[functionId(template, WEB_FUNCTION)].Properties.Environment.Variables;
  assert.equal(plain.CUSTODIAN__ELEVATION__DURATIONS, undefined);
});

test('privileged groups from the file reach every function that loads settings, comma-separated', () => {
  const { template: custom } = synth(environmentFile((env) => (env.dualControl = { privilegedGroups: ['IT Admins', 'Finance'] })));
  const functions = resources(custom, 'AWS::Lambda::Function');
  // The reset starts in ciba-authentication (Classic) and the BFF polls both
  // approvals; okta-operations loads the same settings.
  for (const name of [WEB_FUNCTION, ...definition.actionGroups.map((g) => g.lambda)]) {
    const vars = functions[functionId(custom, name)].Properties.Environment.Variables;
    assert.equal(vars.CUSTODIAN__DUAL_CONTROL__PRIVILEGED_GROUPS, 'IT Admins,Finance', name);
  }
  assert.ok(definition.actionGroups.some((g) => g.lambda === 'ciba-authentication'));
  assert.equal(functions[functionId(custom, KEYGEN_FUNCTION)].Properties.Environment.Variables.CUSTODIAN__DUAL_CONTROL__PRIVILEGED_GROUPS, undefined);
  const plain = resources(template, 'AWS::Lambda::Function');
  for (const name of [WEB_FUNCTION, 'ciba-authentication']) {
    assert.equal(plain[functionId(template, name)].Properties.Environment.Variables.CUSTODIAN__DUAL_CONTROL__PRIVILEGED_GROUPS, undefined, name);
  }
});

test('with the harness the BFF, which runs the reset itself, gets the privileged groups', () => {
  const { template: custom } = synth(environmentFile((env) => (env.dualControl = { privilegedGroups: 'IT Admins' }), HARNESS_ENVIRONMENT));
  const vars = resources(custom, 'AWS::Lambda::Function')[functionId(custom, WEB_FUNCTION)].Properties.Environment.Variables;
  assert.equal(vars.CUSTODIAN__DUAL_CONTROL__PRIVILEGED_GROUPS, 'IT Admins');
});
