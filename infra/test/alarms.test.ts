// Alarms for both agent hosts: what each watches, its threshold, and that
// all notify the configured topic (a new one with an email, an existing
// one, or none).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { HARNESS_ENVIRONMENT, definition, environmentFile, functionId, resources, synth } from './helpers';
import { WEB_FUNCTION } from '../lib/names';

const classic = synth().template;
const harness = synth(HARNESS_ENVIRONMENT).template;

type Alarm = { id: string; props: any };
const alarmsOf = (t: typeof classic): Alarm[] =>
  Object.entries(resources(t, 'AWS::CloudWatch::Alarm')).map(([id, r]) => ({ id, props: r.Properties }));
const named = (t: typeof classic, name: string): any => {
  const found = alarmsOf(t).filter((a) => a.props.AlarmName === name);
  assert.equal(found.length, 1, `alarm ${name}: ${alarmsOf(t).map((a) => a.props.AlarmName).join(', ')}`);
  return found[0].props;
};
const dimensions = (alarm: any) => Object.fromEntries(alarm.Dimensions.map((d: any) => [d.Name, d.Value]));

/** Fires on one or more in five minutes; quiet while nothing happens. */
function assertSumAlarm(alarm: any, namespace: string, metric: string, threshold: number): void {
  assert.equal(alarm.Namespace, namespace);
  assert.equal(alarm.MetricName, metric);
  assert.equal(alarm.Statistic, 'Sum');
  assert.equal(alarm.Period, 300);
  assert.equal(alarm.EvaluationPeriods, 1);
  assert.equal(alarm.Threshold, threshold);
  assert.equal(alarm.ComparisonOperator, 'GreaterThanOrEqualToThreshold');
  assert.equal(alarm.TreatMissingData, 'notBreaching');
}

const actionGroupLambdas = definition.actionGroups.map((g) => g.lambda);

for (const [variant, template] of [['Classic', classic], ['harness', harness]] as const) {
  test(`${variant}: the BFF's errors and throttles alarm`, () => {
    const errors = named(template, 'custodian-web-errors');
    assertSumAlarm(errors, 'AWS/Lambda', 'Errors', 1);
    assert.deepEqual(dimensions(errors), { FunctionName: { Ref: functionId(template, WEB_FUNCTION) } });
    const throttles = named(template, 'custodian-web-throttles');
    assertSumAlarm(throttles, 'AWS/Lambda', 'Throttles', 1);
    assert.deepEqual(dimensions(throttles), { FunctionName: { Ref: functionId(template, WEB_FUNCTION) } });
  });

  test(`${variant}: API Gateway 5xx on the prod stage alarms`, () => {
    const api = named(template, 'custodian-api-5xx');
    assertSumAlarm(api, 'AWS/ApiGateway', '5XXError', 5);
    const dims = dimensions(api);
    assert.equal(dims.ApiName, 'custodian');
    assert.deepEqual(Object.keys(dims).sort(), ['ApiName', 'Stage']);
    assert.match(JSON.stringify(dims.Stage), /Stage|prod/);
  });

  test(`${variant}: DynamoDB throttling on either table alarms`, () => {
    for (const table of ['bedrock-sessions', 'custodian-conversations']) {
      const alarm = named(template, `custodian-${table}-throttles`);
      assert.equal(alarm.Threshold, 1);
      assert.equal(alarm.TreatMissingData, 'notBreaching');
      const metrics: any[] = alarm.Metrics;
      const expression = metrics.find((m) => m.Expression);
      assert.equal(expression.Expression, 'reads + writes');
      const names = metrics.filter((m) => m.MetricStat).map((m) => m.MetricStat.Metric.MetricName).sort();
      assert.deepEqual(names, ['ReadThrottleEvents', 'WriteThrottleEvents']);
      for (const m of metrics.filter((m) => m.MetricStat)) {
        assert.equal(m.MetricStat.Metric.Namespace, 'AWS/DynamoDB');
        assert.equal(m.MetricStat.Stat, 'Sum');
        assert.equal(m.MetricStat.Period, 300);
      }
    }
  });
}

test('Classic: each action-group Lambda has an errors alarm', () => {
  for (const name of actionGroupLambdas) {
    const alarm = named(classic, `custodian-${name}-errors`);
    assertSumAlarm(alarm, 'AWS/Lambda', 'Errors', 1);
    assert.deepEqual(dimensions(alarm), { FunctionName: { Ref: functionId(classic, name) } });
  }
  assert.equal(alarmsOf(classic).length, 5 + actionGroupLambdas.length);
});

test('harness: no action-group Lambdas, so no alarms for them', () => {
  for (const name of actionGroupLambdas) {
    assert.ok(!alarmsOf(harness).some((a) => a.props.AlarmName === `custodian-${name}-errors`), name);
  }
  assert.equal(alarmsOf(harness).length, 5);
});

test('without an alarms section there is no topic and no alarm action', () => {
  assert.deepEqual(resources(classic, 'AWS::SNS::Topic'), {});
  for (const { props } of alarmsOf(classic)) assert.equal(props.AlarmActions, undefined, props.AlarmName);
});

test('alarms.email creates the custodian-alarms topic with that subscription, and every alarm notifies it', () => {
  for (const fixture of [undefined, HARNESS_ENVIRONMENT]) {
    const file = environmentFile((env) => (env.alarms = { email: 'ops@example.com' }), fixture);
    const { template } = synth(file);
    const topics = Object.entries(resources(template, 'AWS::SNS::Topic'));
    assert.equal(topics.length, 1);
    const [topicId, topic] = topics[0];
    assert.equal(topic.Properties.TopicName, 'custodian-alarms');
    const subs = Object.values(resources(template, 'AWS::SNS::Subscription')).map((s) => s.Properties);
    assert.deepEqual(
      subs.map((s) => [s.Protocol, s.Endpoint, s.TopicArn]),
      [['email', 'ops@example.com', { Ref: topicId }]],
    );
    const alarms = alarmsOf(template);
    assert.ok(alarms.length >= 5);
    for (const { props } of alarms) assert.deepEqual(props.AlarmActions, [{ Ref: topicId }], props.AlarmName);
  }
});

test('alarms.topicArn notifies an existing topic and creates none', () => {
  const arn = 'arn:aws:sns:us-east-1:123456789012:ops-pager';
  const { template } = synth(environmentFile((env) => (env.alarms = { topicArn: arn })));
  assert.deepEqual(resources(template, 'AWS::SNS::Topic'), {});
  for (const { props } of alarmsOf(template)) assert.deepEqual(props.AlarmActions, [arn], props.AlarmName);
});

const refusals: [string, unknown, RegExp][] = [
  ['an address that is not one', { email: 'ops' }, /alarms\.email: not an email address/],
  ['the example placeholder', { email: 'ops@your-domain.example.com' }, /alarms\.email: still the example placeholder/],
  ['a topic ARN that is not one', { topicArn: 'arn:aws:sqs:us-east-1:123456789012:q' }, /alarms\.topicArn: not an SNS topic ARN/],
  ['both', { email: 'ops@example.com', topicArn: 'arn:aws:sns:us-east-1:123456789012:t' }, /alarms: set email or topicArn, not both/],
  ['an unknown field', { emails: ['ops@example.com'] }, /alarms\.emails: unknown field/],
];
for (const [what, alarms, message] of refusals) {
  test(`synthesis refuses alarms with ${what}`, () => {
    assert.throws(() => synth(environmentFile((env) => (env.alarms = alarms))), message);
  });
}
