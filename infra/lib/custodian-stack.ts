// Custodian in one stack: the store, the sealing key and the app-credentials
// secret, the Rust Lambdas, the agent host (a Bedrock Agents Classic agent
// with its action-group Lambdas, or an AgentCore harness), and a streaming
// REST API in front of the BFF. infra/README.md explains the
// choices; test/*.test.ts pins them.

import * as fs from 'fs';
import * as path from 'path';

import { CfnOutput, CustomResource, Duration, Fn, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as agentcore from 'aws-cdk-lib/aws-bedrockagentcore';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

import { ActionGroupsDefinition } from './action-groups';
import { custodianAlarms } from './alarms';
import { classicAgent } from './classic-agent';
import { DUAL_CONTROL_VAR, EnvironmentConfig } from './environment';
import { custodianHarness } from './harness';
import { modelAccess } from './model';
import { SESSIONS_BY_OWNER_INDEX, storeAccess } from './store-access';
import {
  ASSET_FILE,
  CREDENTIALS_SECRET_NAME,
  CREDENTIALS_SECRET_VAR,
  KEYGEN_BIN,
  KEYGEN_FUNCTION,
  LAMBDA_CONFIG_PATH,
  LAMBDA_SITE_ROOT,
  STAGE,
  WEB_BIN,
  WEB_FUNCTION,
} from './names';

export interface CustodianStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly definition: ActionGroupsDefinition;
  /** Holds `<bin>/bootstrap.zip` for every Lambda (`cargo xtask package`). */
  readonly assetRoot: string;
  /** How long Lambda and custom-resource logs are kept. */
  readonly logRetention?: logs.RetentionDays;
}


export class CustodianStack extends Stack {
  readonly sessionsTable: dynamodb.Table;
  readonly conversationsTable: dynamodb.Table;
  readonly keySecret: secretsmanager.Secret;
  readonly credentialsSecret: secretsmanager.Secret;
  /** The Classic agent and its alias (agent host `bedrock-agent`). */
  readonly agent?: bedrock.CfnAgent;
  readonly agentAlias?: bedrock.CfnAgentAlias;
  /** The AgentCore harness (agent host `agentcore-harness`). */
  readonly harness?: agentcore.CfnHarness;
  readonly api: apigateway.RestApi;
  readonly webFunction: lambda.Function;
  /** Empty with the harness: the BFF runs the functions itself. */
  readonly actionGroupFunctions: Readonly<Record<string, lambda.Function>>;
  /** The app's public URL with the stage prefix and no trailing slash. */
  readonly baseUrl: string;
  /** CloudWatch alarms (infra/README.md, "Alarms"). */
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: CustodianStackProps) {
    super(scope, id, props);
    const { config, definition } = props;
    const retention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const code = assetLoader(props.assetRoot);

    // ---- Store -----------------------------------------------------------
    // `Table` (AWS::DynamoDB::Table), not `TableV2` (AWS::DynamoDB::GlobalTable):
    // one region is all Custodian needs, and switching later replaces the table.
    this.sessionsTable = new dynamodb.Table(this, 'SessionsTable', {
      tableName: config.tableName,
      partitionKey: { name: 'session_id', type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: 'ttl',
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // A user's sessions, for the list of where they are signed in. Only
    // session items carry `owner`, so the index holds nothing else.
    this.sessionsTable.addGlobalSecondaryIndex({
      indexName: SESSIONS_BY_OWNER_INDEX,
      partitionKey: { name: 'owner', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: ['record', 'ttl'],
    });
    // Conversations and their messages, listed by owner, and the audit log
    // (its entries expire by TTL after the retention): README, "Data model".
    this.conversationsTable = new dynamodb.Table(this, 'ConversationsTable', {
      tableName: config.conversationsTableName,
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: 'ttl',
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const tables = [this.sessionsTable, this.conversationsTable];

    // ---- Secrets ---------------------------------------------------------
    // Both secrets are created without a value (the L2 construct would
    // generate one): the key custom resource fills the first, the operator
    // the second, so no secret value is ever part of the template.
    this.keySecret = new secretsmanager.Secret(this, 'TokenEncryptionKey', {
      secretName: config.keySecretName,
      description: 'Custodian: the Fernet key that seals tokens at rest, {"key": "<fernet key>"}. Filled once by the fernet-keygen custom resource.',
      removalPolicy: RemovalPolicy.DESTROY,
    });
    withoutGeneratedValue(this.keySecret);
    this.credentialsSecret = new secretsmanager.Secret(this, 'AppCredentials', {
      secretName: CREDENTIALS_SECRET_NAME,
      description:
        'Custodian: the app client secrets, {"auth0": {"clientSecret": "..."}, "fga": {"clientSecret": "..."}}. Set it with aws secretsmanager put-secret-value (infra/README.md).',
      removalPolicy: RemovalPolicy.DESTROY,
    });
    withoutGeneratedValue(this.credentialsSecret);

    // ---- Sealing key custom resource --------------------------------------
    const keygen = this.rustFunction(KEYGEN_FUNCTION, KEYGEN_BIN, code, retention, {
      description: 'Custodian: creates the token-encryption key when its secret is new; never overwrites one',
      timeout: Duration.seconds(60),
      memorySize: 256,
      environment: {},
    });
    keygen.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
        resources: [this.keySecret.secretArn],
      }),
    );
    const keyProvider = new cr.Provider(this, 'KeyProvider', {
      onEventHandler: keygen,
      logGroup: new logs.LogGroup(this, 'KeyProviderLogs', { retention, removalPolicy: RemovalPolicy.DESTROY }),
    });
    const key = new CustomResource(this, 'TokenEncryptionKeyValue', {
      serviceToken: keyProvider.serviceToken,
      resourceType: 'Custom::FernetKey',
      properties: { SecretId: this.keySecret.secretArn },
    });

    // ---- Settings every Lambda that loads them shares ----------------------
    const settings: Record<string, string> = {
      CUSTODIAN_CONFIG: LAMBDA_CONFIG_PATH,
      [CREDENTIALS_SECRET_VAR]: this.credentialsSecret.secretArn,
      CUSTODIAN__APP__DATA_DIR: '/tmp/custodian',
      CUSTODIAN__AUTH0__DOMAIN: config.auth0.domain,
      CUSTODIAN__AUTH0__CLIENT_ID: config.auth0.clientId,
      CUSTODIAN__AUTH0__CONNECTION_NAME: config.auth0.connectionName,
      CUSTODIAN__FGA__CLIENT_ID: config.fga.clientId,
      CUSTODIAN__FGA__STORE_ID: config.fga.storeId,
      CUSTODIAN__FGA__MODEL_ID: config.fga.modelId,
      CUSTODIAN__OKTA__DOMAIN: config.okta.domain,
      CUSTODIAN__STORE__KIND: 'dynamodb',
      CUSTODIAN__STORE__TABLE: this.sessionsTable.tableName,
      CUSTODIAN__STORE__CONVERSATIONS_TABLE: this.conversationsTable.tableName,
      CUSTODIAN__SEALING__SECRET_ID: this.keySecret.secretArn,
      ...optional({
        CUSTODIAN__AUTH0__AUDIENCE: config.auth0.audience,
        CUSTODIAN__AUTH0__CIBA_EXPIRY_SECONDS: config.auth0.cibaExpirySeconds,
        CUSTODIAN__AUTH0__ID_TOKEN_ALGORITHMS: config.auth0.idTokenAlgorithms,
        CUSTODIAN__AUTH0__REQUIRE_VERIFIED_EMAIL: config.auth0.requireVerifiedEmail,
        CUSTODIAN__AUTH0__GUARDIAN_ENROLLMENT_URL: config.auth0.guardianEnrollmentUrl,
        CUSTODIAN__AUTH0__MANAGEMENT_DOMAIN: config.auth0.managementDomain,
        CUSTODIAN__OKTA__RESET_SENDS_EMAIL: config.okta.resetSendsEmail,
        CUSTODIAN__FGA__API_URL: config.fga.apiUrl,
        CUSTODIAN__FGA__TOKEN_URL: config.fga.tokenUrl,
        CUSTODIAN__FGA__AUDIENCE: config.fga.audience,
        CUSTODIAN__APP__SESSION_IDLE_MINUTES: config.app.sessionIdleMinutes,
        CUSTODIAN__APP__SESSION_ABSOLUTE_HOURS: config.app.sessionAbsoluteHours,
        CUSTODIAN__APP__TURN_DEADLINE_SECONDS: config.app.turnDeadlineSeconds,
        CUSTODIAN__LIMITS__STEP_UP_PUSHES_PER_MINUTE: config.limits.stepUpPushesPerMinute,
        CUSTODIAN__LIMITS__PENDING_STEP_UPS: config.limits.pendingStepUps,
        CUSTODIAN__LIMITS__SIGN_INS_PER_MINUTE: config.limits.signInsPerMinute,
        CUSTODIAN__LIMITS__CHAT_TURNS_PER_MINUTE: config.limits.chatTurnsPerMinute,
        CUSTODIAN__LIMITS__CONVERSATIONS_PER_USER: config.limits.conversationsPerUser,
        CUSTODIAN__LIMITS__MESSAGES_PER_CONVERSATION: config.limits.messagesPerConversation,
        CUSTODIAN__AUDIT__RETENTION_DAYS: config.audit.retentionDays,
        // Dual control: a reset starts in ciba-authentication (Classic) or
        // the BFF (harness), and the BFF polls both approvals. Like the
        // settings above, every function that loads settings reads it, in
        // the comma-separated form its environment variable takes.
        [DUAL_CONTROL_VAR]: config.dualControl.privilegedGroups?.join(','),
      }),
    };
    const grantStoreAndSecrets = (fn: lambda.Function, name: string) => {
      const access = storeAccess(name);
      const byTable: [dynamodb.Table, readonly string[]][] = [
        [this.sessionsTable, access.sessions],
        [this.conversationsTable, access.conversations],
      ];
      if (access.sessionsByOwner.length > 0) {
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: access.sessionsByOwner.map((a) => `dynamodb:${a}`),
            resources: [`${this.sessionsTable.tableArn}/index/${SESSIONS_BY_OWNER_INDEX}`],
          }),
        );
      }
      for (const [table, actions] of byTable) {
        if (actions.length === 0) continue;
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: actions.map((a) => `dynamodb:${a}`),
            resources: [table.tableArn],
          }),
        );
      }
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['secretsmanager:GetSecretValue'],
          resources: [this.keySecret.secretArn, this.credentialsSecret.secretArn],
        }),
      );
      // Nothing starts before the key exists.
      fn.node.addDependency(key);
    };

    // ---- Agent host ----------------------------------------------------------
    // Classic: the agent, its alias and one Lambda per action group. Harness:
    // the harness alone, whose inline functions the BFF runs itself.
    const access = modelAccess(definition.agent.foundationModel, this.region);
    let agentEnvironment: Record<string, string>;
    let agentGrant: iam.PolicyStatement;
    const actionGroupFunctions: Record<string, lambda.Function> = {};
    if (config.agentHost === 'agentcore-harness') {
      const host = custodianHarness(this, definition, access);
      this.harness = host.harness;
      agentEnvironment = host.environment;
      // InvokeHarness needs both actions on the harness ARN (AgentCore
      // developer guide, "Security and access controls": "calling
      // InvokeHarness requires both bedrock-agentcore:InvokeHarness and
      // bedrock-agentcore:InvokeAgentRuntime permissions on the harness ARN").
      agentGrant = new iam.PolicyStatement({
        actions: ['bedrock-agentcore:InvokeHarness', 'bedrock-agentcore:InvokeAgentRuntime'],
        resources: [host.harness.attrArn],
      });
    } else {
      // They cannot be told the agent's id (the agent refers to them, so that
      // would be a cycle); the Bedrock event names the agent instead.
      for (const group of definition.actionGroups) {
        const fn = this.rustFunction(group.lambda, group.lambda, code, retention, {
          description: `Custodian: Bedrock action group ${group.name}`,
          timeout: Duration.seconds(30),
          memorySize: 256,
          environment: settings,
        });
        grantStoreAndSecrets(fn, group.lambda);
        actionGroupFunctions[group.name] = fn;
      }
      const host = classicAgent(this, definition, access, actionGroupFunctions);
      this.agent = host.agent;
      this.agentAlias = host.alias;
      agentEnvironment = host.environment;
      agentGrant = new iam.PolicyStatement({
        actions: ['bedrock:InvokeAgent'],
        resources: [host.alias.attrAgentAliasArn],
      });
    }
    this.actionGroupFunctions = actionGroupFunctions;

    // ---- HTTPS entry point ---------------------------------------------------
    // A REST API with response streaming (see README: why not a Function URL).
    this.api = new apigateway.RestApi(this, 'Api', {
      restApiName: 'custodian',
      description: 'Custodian: the BFF, streaming',
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      cloudWatchRole: false,
      // Every body passes through untouched (lambda_http decodes base64).
      binaryMediaTypes: ['*/*'],
      deployOptions: {
        stageName: STAGE,
        throttlingRateLimit: 50,
        throttlingBurstLimit: 100,
      },
    });
    // From the API's id, not its stage: the stage depends on the methods,
    // which depend on the function, whose environment needs this URL.
    this.baseUrl = Fn.join('', ['https://', this.api.restApiId, '.execute-api.', this.region, '.', this.urlSuffix, `/${STAGE}`]);

    this.webFunction = this.rustFunction(WEB_FUNCTION, WEB_BIN, code, retention, {
      description: 'Custodian: the BFF (Leptos SSR, server functions, sign-in), streaming',
      timeout: Duration.minutes(5),
      memorySize: 512,
      environment: {
        ...settings,
        CUSTODIAN__APP__BASE_URL: this.baseUrl,
        ...agentEnvironment,
        // Only the BFF offers and sends access requests; the form its
        // environment variable takes is the comma-separated one.
        ...optional({ CUSTODIAN__ELEVATION__DURATIONS: config.elevation.durations?.join(',') }),
        // Deliberately no AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH (lambda_http
        // acts on its mere presence, whatever the value): requests keep the
        // stage in the path and the BFF takes the base URL's path off before
        // routing, as its Lambda event fixtures test.
        LEPTOS_OUTPUT_NAME: 'custodian',
        LEPTOS_SITE_ROOT: LAMBDA_SITE_ROOT,
        LEPTOS_SITE_PKG_DIR: 'pkg',
        LEPTOS_SITE_ADDR: '127.0.0.1:3000',
        LEPTOS_HASH_FILES: 'false',
        LEPTOS_ENV: 'PROD',
      },
    });
    grantStoreAndSecrets(this.webFunction, WEB_FUNCTION);
    this.webFunction.addToRolePolicy(agentGrant);

    const integration = new apigateway.LambdaIntegration(this.webFunction, {
      proxy: true,
      responseTransferMode: apigateway.ResponseTransferMode.STREAM,
      timeout: Duration.minutes(15),
      // Only the deployed stage may invoke it, not the console's test button.
      allowTestInvoke: false,
    });
    this.api.root.addMethod('ANY', integration);
    this.api.root.addProxy({ defaultIntegration: integration, anyMethod: true });

    // ---- Alarms --------------------------------------------------------------
    this.alarms = custodianAlarms(this, config.alarms, {
      webFunction: this.webFunction,
      actionGroupFunctions,
      api: this.api,
      tables,
    });

    // ---- Outputs -------------------------------------------------------------
    new CfnOutput(this, 'AppUrl', { description: 'Open Custodian here', value: `${this.baseUrl}/` });
    new CfnOutput(this, 'CallbackUrl', {
      description: 'Auth0 application: Allowed Callback URLs',
      value: `${this.baseUrl}/callback`,
    });
    new CfnOutput(this, 'LoginUrl', {
      description: 'Auth0 application: Application Login URI',
      value: `${this.baseUrl}/login`,
    });
    new CfnOutput(this, 'LogoutUrl', {
      description: 'Auth0 application: Allowed Logout URLs (where sign-out returns to)',
      value: `${this.baseUrl}/`,
    });
    new CfnOutput(this, 'CredentialsSecretArn', {
      description: 'Put the Auth0 and FGA client secrets here (infra/README.md)',
      value: this.credentialsSecret.secretArn,
    });
    if (this.agent && this.agentAlias) {
      new CfnOutput(this, 'AgentId', { value: this.agent.attrAgentId });
      new CfnOutput(this, 'AgentAliasId', { value: this.agentAlias.attrAgentAliasId });
    }
    if (this.harness) {
      new CfnOutput(this, 'HarnessArn', { value: this.harness.attrArn });
    }
  }

  /** A Rust Lambda: arm64, provided.al2023, its own role and log group. */
  private rustFunction(
    name: string,
    bin: string,
    code: (bin: string) => lambda.Code,
    retention: logs.RetentionDays,
    options: { description: string; timeout: Duration; memorySize: number; environment: Record<string, string> },
  ): lambda.Function {
    const logGroup = new logs.LogGroup(this, `${name}-logs`, {
      logGroupName: `/aws/lambda/${name}`,
      retention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // No AWSLambdaBasicExecutionRole: it allows writing to every log group.
    const role = new iam.Role(this, `${name}-role`, {
      description: `Custodian: Lambda ${name}`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    logGroup.grantWrite(role);
    const fn = new lambda.Function(this, name, {
      functionName: name,
      description: options.description,
      runtime: lambda.Runtime.PROVIDED_AL2023,
      architecture: lambda.Architecture.ARM_64,
      handler: 'bootstrap',
      code: code(bin),
      role,
      logGroup,
      timeout: options.timeout,
      memorySize: options.memorySize,
      environment: { RUST_LOG: 'info', ...options.environment },
    });
    // The log group must exist (with its retention) before the first invocation.
    fn.node.addDependency(logGroup);
    return fn;
  }
}

/** `<assetRoot>/<bin>/bootstrap.zip`, or a message saying how to build it. */
function assetLoader(assetRoot: string): (bin: string) => lambda.Code {
  return (bin) => {
    const file = path.join(assetRoot, bin, ASSET_FILE);
    if (!fs.existsSync(file)) {
      throw new Error(
        `Lambda package ${file} is missing: run \`cargo xtask package\` (or point CUSTODIAN_LAMBDA_ASSETS at the directory holding <bin>/${ASSET_FILE})`,
      );
    }
    return lambda.Code.fromAsset(file);
  };
}

/** The L2 Secret always asks CloudFormation to generate a value; drop that. */
function withoutGeneratedValue(secret: secretsmanager.Secret): void {
  (secret.node.defaultChild as secretsmanager.CfnSecret).addPropertyDeletionOverride('GenerateSecretString');
}

function optional(values: Record<string, string | number | boolean | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values)
      .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
      .map(([k, v]) => [k, String(v)]),
  );
}
