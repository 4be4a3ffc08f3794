#!/usr/bin/env node
// `cdk synth` / `cdk deploy` entry point. A bad settings file stops here
// with the file and the field in the message, before anything is built.

import { buildApp } from '../lib/app';

try {
  buildApp().app.synth();
} catch (error) {
  console.error(`error: ${(error as Error).message}`);
  process.exit(1);
}
