// Runs every test file in one process, so the fixture stack is synthesized
// once (loading aws-cdk-lib and synthesizing dominate the run time). Each
// *.test.ts also runs on its own: `node --test --require ts-node/register test/iam.test.ts`.

import * as fs from 'fs';
import * as path from 'path';

for (const file of fs.readdirSync(__dirname).sort()) {
  if (file.endsWith('.test.ts')) require(path.join(__dirname, file));
}
