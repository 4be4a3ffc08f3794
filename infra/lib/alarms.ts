// CloudWatch alarms for the failures an operator must hear about: the BFF
// failing or throttled (every page and chat turn), an action-group Lambda
// failing (Classic only: with the harness the BFF runs the actions), API
// Gateway answering 5xx, and DynamoDB throttling past the SDK's retries.
// They notify an SNS topic: a new one with an email subscription, an
// existing one, or none (the alarms still show in the console).

import { Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';

import { EnvironmentConfig } from './environment';

export const ALARM_TOPIC_NAME = 'custodian-alarms';
const PERIOD = Duration.minutes(5);

export interface AlarmTargets {
  readonly webFunction: lambda.Function;
  /** Empty with the harness. */
  readonly actionGroupFunctions: Readonly<Record<string, lambda.Function>>;
  readonly api: apigateway.RestApi;
  readonly tables: readonly dynamodb.Table[];
}

/** One alarm per failure, all notifying the configured topic. */
export function custodianAlarms(stack: Stack, config: EnvironmentConfig['alarms'], targets: AlarmTargets): cloudwatch.Alarm[] {
  const topic = alarmTopic(stack, config);
  const alarm = (id: string, name: string, description: string, metric: cloudwatch.IMetric, threshold: number) => {
    const created = new cloudwatch.Alarm(stack, id, {
      alarmName: name,
      alarmDescription: `Custodian: ${description} See infra/README.md, "Alarms".`,
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // Nothing happening is not a failure.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (topic) created.addAlarmAction(new actions.SnsAction(topic));
    return created;
  };
  const sum = { period: PERIOD, statistic: cloudwatch.Stats.SUM };
  const web = targets.webFunction;
  const alarms = [
    alarm('WebErrorsAlarm', 'custodian-web-errors',
      'the BFF Lambda failed invocations (a start-up error such as an empty credentials secret counts).',
      web.metricErrors(sum), 1),
    alarm('WebThrottlesAlarm', 'custodian-web-throttles',
      'the BFF Lambda was throttled (account or function concurrency reached).',
      web.metricThrottles(sum), 1),
    alarm('Api5xxAlarm', 'custodian-api-5xx',
      'the API Gateway stage answered 5xx (the BFF failed, timed out or was throttled).',
      targets.api.deploymentStage.metricServerError(sum), 5),
  ];
  for (const [group, fn] of Object.entries(targets.actionGroupFunctions)) {
    alarms.push(alarm(`${group}ErrorsAlarm`, `custodian-${literalName(fn)}-errors`,
      `the ${group} action-group Lambda failed invocations (the agent then ends the turn with an error).`,
      fn.metricErrors(sum), 1));
  }
  targets.tables.forEach((table, i) => {
    const throttles = new cloudwatch.MathExpression({
      expression: 'reads + writes',
      usingMetrics: {
        reads: table.metric('ReadThrottleEvents', sum),
        writes: table.metric('WriteThrottleEvents', sum),
      },
      period: PERIOD,
      label: 'throttle events',
    });
    alarms.push(alarm(`TableThrottlesAlarm${i}`, `custodian-${literalName(table)}-throttles`,
      'DynamoDB throttled reads or writes on this table (the SDK retries; requests fail once retries run out).',
      throttles, 1));
  });
  return alarms;
}

function alarmTopic(stack: Stack, config: EnvironmentConfig['alarms']): sns.ITopic | undefined {
  if (config.topicArn) return sns.Topic.fromTopicArn(stack, 'AlarmTopic', config.topicArn);
  if (!config.email) return undefined;
  const topic = new sns.Topic(stack, 'AlarmTopic', { topicName: ALARM_TOPIC_NAME, displayName: 'Custodian alarms' });
  topic.addSubscription(new subscriptions.EmailSubscription(config.email));
  return topic;
}

/** The name given in code (alarm names must not wait for deployment). */
function literalName(resource: lambda.Function | dynamodb.Table): string {
  const child = resource.node.defaultChild;
  const name = child instanceof lambda.CfnFunction ? child.functionName : (child as dynamodb.CfnTable).tableName;
  if (typeof name !== 'string') throw new Error(`${resource.node.path} has no literal name`);
  return name;
}
