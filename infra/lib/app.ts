// Builds the CDK app from the settings file, the shared action-group
// definition and the Lambda packages. bin/custodian.ts calls it for
// `cdk synth|deploy`; the tests call it with fixtures.

import * as fs from 'fs';
import * as path from 'path';

import { App } from 'aws-cdk-lib';

import { DEFAULT_ACTION_GROUPS_PATH, loadActionGroups } from './action-groups';
import { CustodianStack } from './custodian-stack';
import { loadEnvironment } from './environment';

/** Overrides where the Lambda packages are (`<dir>/<bin>/bootstrap.zip`). */
export const ASSETS_VAR = 'CUSTODIAN_LAMBDA_ASSETS';
export const STACK_NAME = 'Custodian';

export interface BuildOptions {
  /** Settings file; default CUSTODIAN_ENVIRONMENT or config/environment.json. */
  readonly environmentPath?: string;
  readonly actionGroupsPath?: string;
  /** Default CUSTODIAN_LAMBDA_ASSETS, else `$CARGO_TARGET_DIR/lambda`, else `../target/lambda`. */
  readonly assetRoot?: string;
  /** An app to add the stack to; tests pass one carrying cdk.json's context. */
  readonly app?: App;
}

export function buildApp(options: BuildOptions = {}): { app: App; stack: CustodianStack } {
  const config = loadEnvironment(options.environmentPath);
  const definition = loadActionGroups(options.actionGroupsPath ?? DEFAULT_ACTION_GROUPS_PATH);
  const app = options.app ?? new App();
  const stack = new CustodianStack(app, STACK_NAME, {
    description: 'Custodian: a secure AI assistant for IT administrators (Bedrock agent, Auth0, Okta, FGA)',
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: config.region },
    config,
    definition,
    assetRoot: options.assetRoot ?? defaultAssetRoot(),
  });
  return { app, stack };
}

export function defaultAssetRoot(): string {
  const fromEnv = process.env[ASSETS_VAR];
  if (fromEnv) return path.resolve(fromEnv);
  const target = process.env.CARGO_TARGET_DIR;
  return target ? path.resolve(target, 'lambda') : path.join(__dirname, '..', '..', 'target', 'lambda');
}

/** cdk.json's context (feature flags, validation), for apps built outside the CLI. */
export function cdkContext(): Record<string, unknown> {
  const file = path.join(__dirname, '..', 'cdk.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { context: Record<string, unknown> }).context;
}
